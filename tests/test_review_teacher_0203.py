"""Engine fixes from the teacher's review of the lesson 02 and 03 handouts (review-teacher-02-03)."""
import json

from civicnb.handout.render import render

from .conftest import squash


def _nb(lesson):
    return json.loads(lesson.notebook_path.read_text(encoding="utf-8"))


# -- #9 the teacher line under each card reads as prose -----------------------------------------------

def test_card_source_lines_are_plain_prose():
    from civicnb.content.balance import card_line, notes_line

    args = [{"perspective": "us-government", "favours": "yes"}] * 3
    assert card_line(args) == "Sources on this card: 3 from the U.S. government. All support Yes."
    mixed = [{"perspective": "court", "favours": "no"}, {"perspective": "independent-press", "favours": "yes"},
             {"perspective": "independent-press", "favours": "no"}]
    assert card_line(mixed) == ("Sources on this card: 1 from a court and 2 from the independent press. "
                                "2 support No and 1 supports Yes.")
    claim = {"question": "contested", "favours": "a",
             "evidence": [{"perspective": "court", "favours": "b"}, {"perspective": "research", "favours": "a"}]}
    assert notes_line(claim) == ("Notes on this card: 1 from a court and 1 from researchers. A contested question: "
                                 "1 supports another side and 1 supports the claim's side.")


def test_teacher_edition_prints_no_ledger_jargon(project):
    lesson = project.lesson("03")
    src = render(project, lesson, _nb(lesson), "teacher").source
    assert "Balance ledger" not in src and "supports 3 yes" not in src
    assert "Sources on this card:" in src


# -- #15 the after-unit poll says it repeats lesson 00's, with a paper tally ------------------------

def test_repeated_poll_names_the_before_poll_and_prints_a_tally(project):
    before = project.lesson("00")
    first = next(e for e in before.exercise_list if e.get("kind") == "scale" and e.get("poll"))
    lesson = project.lesson("03")
    src = render(project, lesson, _nb(lesson), "teacher").source
    assert "Repeats later" not in src
    assert "Repeats the before-unit poll" in src and f"(Question {before.number_of(first['id'])} of lesson 00)" in src
    assert "Before/after tally" in src and src.count("[Before]") == 5  # one Before column per answer
    assert "Before/after tally" not in render(project, lesson, _nb(lesson), "student").source
    # the first poll says where it comes back, and has no tally
    src0 = render(project, before, _nb(before), "teacher").source
    assert "Repeats later" in src0 and "of lesson 03" in src0 and "Before/after tally" not in src0


# -- #5 one after-the-lesson sheet per class period --------------------------------------------------

L02 = "02-reading-like-a-fact-checker"


def test_after_sheets_are_per_period_in_the_build_plan(project, tmp_path):
    from civicnb.build import output_name, plan

    names = [j[4].name for j in plan(project, tmp_path, {}, editions=("after",))]
    assert f"{L02}-after-1.pdf" in names and f"{L02}-after-3.pdf" in names
    assert f"{L02}-after.pdf" not in names
    assert output_name("00-x", "after", "letter") == "00-x-after.pdf"  # a one-period lesson keeps its name
    assert output_name("00-x", "after", "a4", 2) == "00-x-after-2-a4.pdf"


def test_each_after_sheet_holds_only_its_periods_items(project):
    from civicnb.handout.render import item_periods

    lesson = project.lesson("02")
    nb = _nb(lesson)
    where = item_periods(nb["cells"])
    for period in (1, 2, 3):
        src = render(project, lesson, nb, "after", period=period).source
        for b in lesson.blocks.values():
            if b.get("reveals"):
                title = b.get("title") or ""
                assert (f'"{title}"' in src) == (where[b["id"]] == period), (period, b["id"])
        # its answer table holds only this period's questions
        rows = {int(n) for n in __import__("re").findall(r'\[#strong\[#"(\d+)";\]\]', src)}
        own = {lesson.number_of(e) for e, p in where.items() if p == period and e in lesson.exercises}
        assert rows and rows <= own, (period, rows - own)
        assert f"Period {period} of 3" in src


def test_after_sheet_prints_only_numbers_in_the_student_list(project):
    import re

    lesson = project.lesson("02")
    nb = _nb(lesson)
    student = render(project, lesson, nb, "student")
    listed = len(student.source_ids)
    for period in (1, 2, 3):
        src = render(project, lesson, nb, "after", period=period).source
        marks = {int(x) for m in re.findall(r'#cite-mark\("([\d, ]+)"\)', src) for x in m.split(", ")}
        assert marks and max(marks) <= listed, (period, sorted(marks), listed)
    # the student list says which sources are for the after sheet
    assert "(On the after-the-lesson sheet.)" in student.source


# -- #16 one student packet per class period -----------------------------------------------------------

def test_per_period_student_packet(project, tmp_path):
    import re

    from civicnb.handout.render import item_periods

    lesson = project.lesson("02")
    nb = _nb(lesson)
    whole = render(project, lesson, nb, "student")
    where = item_periods(nb["cells"])
    for period in (1, 2, 3):
        src = render(project, lesson, nb, "student", period=period).source
        assert "nameline" in src and "targets" in src  # the title page parts
        assert f"Period {period} of 3" in src
        nums = {int(n) for n in re.findall(r'#question\((\d+),', src)}
        own = {lesson.number_of(e) for e, p in where.items() if p == period and e in lesson.exercises}
        assert nums and nums <= own, (period, nums - own)
        # its own compact source list, under the whole packet's numbers
        listed = re.search(r"numbers: \(([\d, ]+)\)", src)
        assert listed
        marks = {int(x) for m in re.findall(r'#cite-mark\("([\d, ]+)"\)', src) for x in m.split(", ")}
        assert {int(x) for x in listed.group(1).replace(" ", "").strip(",").split(",")} == marks
        assert max(marks) <= len(whole.source_ids)
        assert 'numbered-as: "the whole student packet"' in src


def test_build_per_period_writes_packets(project, tmp_path):
    from civicnb.build import plan

    names = [j[4].name for j in plan(project, tmp_path, {}, editions=("student",), per_period=True)]
    assert f"{L02}-student.pdf" in names and f"{L02}-student-p1.pdf" in names and f"{L02}-student-p3.pdf" in names
    assert not any(n.startswith("00-") and "-p1" in n for n in names)  # a one-period lesson: the whole packet
    plain = [j[4].name for j in plan(project, tmp_path, {}, editions=("student",))]
    assert f"{L02}-student-p1.pdf" not in plain


# -- #10 the teacher edition says where each question is in the student packet -------------------------

def test_teacher_edition_prints_each_questions_student_page(project, tmp_path):
    import re

    from pypdf import PdfReader

    from civicnb.handout.compile import compile_pdf, question_pages

    lesson = project.lesson("02")
    nb = _nb(lesson)
    student = render(project, lesson, nb, "student")
    pages = question_pages(tmp_path / "student", student.source, student.assets)
    numbers = {lesson.number_of(e) for e in lesson.exercise_order if e in lesson.exercises}
    assert set(pages) == numbers  # every question, slips included
    # the recorded page is the page the question's number box is printed on
    reader = PdfReader(__import__("io").BytesIO(compile_pdf(tmp_path / "s2", student.source, student.assets)))
    q7 = lesson.exercises[lesson.exercise_order[[lesson.number_of(e) for e in lesson.exercise_order].index(7)]]
    assert squash(q7["title"])[:25] in squash(reader.pages[pages[7] - 1].extract_text())
    teacher = render(project, lesson, nb, "teacher", student_pages=pages).source
    for n, page in pages.items():
        assert f'where: "Student p. {page}"' in teacher
    assert "[*Student page*]" in teacher
    row = re.search(r'\[#strong\[#"7";\]\], \[[^\]]*\], \[#"(\d+)";\]', teacher)
    assert row and int(row.group(1)) == pages[7]
    assert "Student p." not in render(project, lesson, nb, "student").source


# -- #11 tables stay whole; each jigsaw card set starts on a new page ---------------------------------

def _pages_text(data):
    import io

    from pypdf import PdfReader

    return [squash(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def test_a_table_that_fits_on_a_page_is_not_split(tmp_path):
    from civicnb.handout.compile import compile_pdf

    rows = ", ".join(f"[Row {i}], [cell {i}]" for i in range(1, 21))
    head = '#import "civicnb.typ": *\n#show: handout.with(title: "t", lesson: "99", edition: "e", as-of: "2026")\n'
    # the table starts low on page 1: before the fix, its rows ran over onto page 2
    pages = _pages_text(compile_pdf(tmp_path / "a", head + "#v(6in)\nText above.\n\n"
                                    f"#table(columns: 2, {rows})"))
    holder = [i for i, t in enumerate(pages) if "Row1cell1" in t]
    assert holder and "Row20cell20" in pages[holder[0]], pages
    # a table longer than a page still breaks between rows (and prints every row)
    long = ", ".join(f"[Line {i}], [x]" for i in range(1, 121))
    pages = _pages_text(compile_pdf(tmp_path / "b", head + f"#table(columns: 2, {long})"))
    assert len(pages) >= 3 and "Line120x" in "".join(pages) and "Line1x" in pages[0]


def test_each_card_set_starts_on_a_new_page_in_the_student_edition(project):
    from civicnb.content.periods import alternatives

    lesson = project.lesson("03")
    nb = _nb(lesson)
    r = render(project, lesson, nb, "student")
    for group in alternatives(lesson.meta):
        title = lesson.blocks[group[0]]["title"] if group[0] in lesson.blocks else None
        assert title
        before = r.source.split(f'"{title}"', 1)[0]
        # the last thing before the set's heading (or first card) is a page break
        tail = before[before.rfind("#pagebreak(weak: true)"):]
        # (only the set's heading and the opening of its own first card come after the break)
        assert "#pagebreak(weak: true)" in before and tail.count("#factblock") <= 1 and "#question" not in tail, group
    # not in the teacher edition: its keys sit between the cards
    teacher = render(project, lesson, nb, "teacher").source
    assert teacher.count("#pagebreak(weak: true)") < r.source.count("#pagebreak(weak: true)")


def test_no_after_sheet_for_a_period_with_nothing_to_answer(project):
    """Lesson 03's second period has no reveal box and no self-check question: no empty after sheet
    ("Nothing in this period needs an answer sheet" with "[1] No sources are cited")."""
    from civicnb.build import after_periods, plan

    assert after_periods(project, "03-rights-and-the-debate") == [1]
    names = [pdf.name for _, ed, _, _, pdf, _, _ in plan(project, project.root / "handouts", {},
                                                               lessons=["03-rights-and-the-debate"])
             if ed == "after"]
    assert names == ["03-rights-and-the-debate-after-1.pdf"]


def test_no_op_rebuild_reads_the_after_sheet_periods_from_the_cache(project, monkeypatch):
    """Which periods get an after sheet needs the lesson's YAML; once known for unchanged inputs, the
    plan takes it from the build cache (the no-op rebuild stays cheap)."""
    from civicnb import build as B

    cache: dict = {}
    first = list(B.plan(project, project.root / "handouts", cache, lessons=["01-claims"], editions=("after",)))
    assert [pdf.name for *_, pdf, _, _ in [j[:7] for j in first]] == [
        "01-claims-after-1.pdf", "01-claims-after-2.pdf", "01-claims-after-3.pdf"]

    def boom(*a):
        raise AssertionError("after_periods ran again for unchanged inputs")

    monkeypatch.setattr(B, "after_periods", boom)
    again = list(B.plan(project, project.root / "handouts", cache, lessons=["01-claims"], editions=("after",)))
    assert [j[4].name for j in again] == [j[4].name for j in first]
