"""Fixes from the teacher's review of the lesson 00 and 01 handouts (review-teacher-00-01)."""
import json
import re

import pytest

from civicnb.exercises import kind_of
from civicnb.handout.render import render

from .conftest import ROOT, pdf_text, squash


def _nb(lesson):
    return json.loads(lesson.notebook_path.read_text(encoding="utf-8"))


def _card(project):
    lesson = project.lesson("01")
    return lesson, next(ex for ex in lesson.exercise_list if ex["kind"] == "verdict")


# -- #22 verdict tick boxes use the full verdict names ----------------------------------------------

def test_verdict_tick_row_uses_full_names(project):
    _, ex = _card(project)
    row = kind_of(ex).paper(ex).split("verdictrow", 1)[1]
    for name in ("Accurate but missing context", "Exaggerated or misleading", "Outdated since publication"):
        assert name in row
    assert '"C Misleading"' not in row


# -- #21 duplicated text ----------------------------------------------------------------------------

def test_reveal_box_says_not_in_the_student_packet_once(project):
    lesson = project.lesson("01")
    src = render(project, lesson, _nb(lesson), "teacher").source
    notes = re.findall(r'#"(This box answers[^"]*|Not in the student packet[^"]*)"', src)
    assert notes and all(n.startswith("This box answers") for n in notes), notes


def test_item_title_that_repeats_its_heading_is_dropped(project):
    lesson = project.lesson("00")
    src = render(project, lesson, _nb(lesson), "teacher").source
    after = src[src.index('#heading(level: 2)[#"Exit ticket";]'):]
    assert re.match(r'#heading\(level: 2\)\[#"Exit ticket";\]\]\s*#question\(\d+, none, ', after)
    # a title that says something else still prints
    assert '#question(1, [#"Norms check";]' in src


def test_standards_note_prints_once():
    # (the real lessons' standards now carry no notes: their codes are in the verified list,
    # lessons/standards.yml; the merging of notes that differ in a few words is tested directly)
    from civicnb.handout.render import merge_notes

    notes = ["Wording condensed; check the official C3 Framework text before printing."] * 2 + [
        "Wording condensed; check the official Common Core text before printing."]
    merged = merge_notes(notes)
    assert len(merged) == 1 and merged[0].count("Wording condensed") == 1
    assert "C3 Framework and Common Core" in merged[0]


def test_option_letters_in_notes_are_the_printed_letters(project):
    note = project.lesson("01").exercises["page-check"]["teacher_note"]
    assert "Option D is that belief" in note and "Option d" not in note


# -- #16 how current the sources are -----------------------------------------------------------------

def test_footer_says_how_current_the_sources_are(project):
    from civicnb.handout.render import footer_date

    assert footer_date({"as_of": "2026-11-29", "sources_through": "2026-02"}) == \
        "Sources through Feb 2026 · checked 29 Nov 2026"
    assert footer_date({"as_of": "2026-11-29"}) == "Facts as of 2026-11-29"  # absent: as before
    lesson = project.lesson("01")
    assert lesson.meta["sources_through"] == "2026-02"
    src = render(project, lesson, _nb(lesson), "student").source
    assert 'dated: "Sources through Feb 2026 · checked 29 Nov 2026"' in src


def test_check_rejects_sources_through_older_than_a_cited_source(real_copy):
    from civicnb.content.check import check_all
    from civicnb.content.model import Project

    lf = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    lf.write_text(lf.read_text().replace("sources_through: 2026-02", "sources_through: 2025-12"))
    problems, _ = check_all(Project(real_copy.root))
    text = " | ".join(map(str, problems))
    assert "lessons/01-claims/lesson.yml:18: sources_through is 2025-12, but the lesson cites" in text
    assert "dated 2026-02-24; raise sources_through" in text


# -- built PDFs -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    from civicnb.build import build
    from civicnb.content.model import Project

    out = tmp_path_factory.mktemp("review-handouts")
    build(Project(ROOT), out, lessons=["00-before-we-begin", "01-claims"], quiet=True, build_root=out / "build")
    return out


def _sizes_after(pdf, heading):
    """Font sizes of the text printed after ``heading`` (on the pages from where it starts)."""
    from pypdf import PdfReader

    sizes, seen = [], False
    for page in PdfReader(pdf).pages:
        def visit(text, cm, tm, fd, fs):
            nonlocal seen
            if heading in text:
                seen = True
            elif seen and text.strip() and not text.startswith(("Lesson ", "Page ")):
                sizes.append(round(fs * tm[0] * cm[0], 2))
        page.extract_text(visitor_text=visit)
    return sizes


# -- #20a the student source list is readable -------------------------------------------------------

def test_student_source_list_is_at_least_8_point(pdfs):
    sizes = _sizes_after(pdfs / "01-claims-student.pdf", "Sources cited on this handout")
    body = [s for s in sizes if s < 11]  # leave out superscript-free headings
    assert body and min(body) >= 8, sorted(set(sizes))


# -- #1 claim labels never clash with sort numbers ---------------------------------------------------

def test_sort_items_are_lettered_everywhere_they_print(project):
    lesson = project.lesson("01")
    ex = lesson.exercises["claim-sort"]
    k = kind_of(ex)
    n = len(ex["items"])
    last = chr(64 + n)
    for view in (k.paper(ex), k.key(ex), k.filled(ex, {}), k.glance(ex)[0]):
        assert f"{last}" in view
        assert not re.search(r'#"\d+\. ', view), "a sort item is numbered"
    assert re.fullmatch(r"Question \d+, item [A-Z]", lesson.label_of("s-capacity"))


def test_a_claim_on_a_card_is_named_by_its_question(project):
    lesson = project.lesson("01")
    q = lesson.number_of("check-07")
    assert lesson.label_of("claim-07") == f"Question {q} (Claim 7)"
    assert lesson.fill_refs("[[claim-07]]") == f"Question {q} (Claim 7)"
    on_no_card = next(c["id"] for c in lesson.claim_list
                      if c["id"] not in {e.get("claim") for e in lesson.exercise_list})
    assert lesson.label_of(on_no_card) == f"Claim {lesson.number_of(on_no_card)}"
    # the teacher edition prints the card's question number and the claim label together
    src = render(project, lesson, _nb(lesson), "teacher").source
    assert f"#question({q}, " in src and '"Claim 7";] #"(¶' in src


# -- #11, #20c, #26 the after-the-lesson sheet -------------------------------------------------------

def test_after_sheet_gives_paper_classes_the_self_check_answers(project, pdfs):
    from civicnb.exercises.verdict import VERDICT_LABEL

    lesson = project.lesson("01")
    text = "".join(squash(pdf_text(pdfs / f"01-claims-after-{n}.pdf")) for n in (1, 2, 3))
    assert squash("Answers to the self-check questions") in text
    for ex in lesson.exercise_list:
        n = lesson.number_of(ex["id"])
        if ex["kind"] == "verdict":
            c = ex["_claim"]
            row = squash(f"{n}{ex['title']}Claim {lesson.number_of(c['id'])}: {VERDICT_LABEL[c['verdict']]}")
            assert row in text, ex["id"]
            for alt in c.get("also_accept") or []:
                assert squash(VERDICT_LABEL[alt]) in text
        elif ex["kind"] == "single_choice":
            assert squash(f"{n}{ex['title']}") in text
    sort = lesson.exercises["claim-sort"]
    assert squash(kind_of(sort).glance(sort)[0].strip('#"; ')[:30]) in text  # "A Attributed claim; B …"
    assert "Facilitationnote" not in text and "Lookfor" not in text  # no teacher-only notes


def test_after_sheet_numbers_sources_like_the_student_edition(project):
    lesson = project.lesson("01")
    nb = _nb(lesson)
    student = render(project, lesson, nb, "student")
    teacher = render(project, lesson, nb, "teacher")
    after = render(project, lesson, nb, "after")
    assert after.source_ids == student.source_ids  # the student list holds every number it prints
    assert teacher.source_ids[:len(after.source_ids)] == after.source_ids  # one numbering for the lesson
    listed = re.search(r"numbers: \(([\d, ]+)\)", after.source)
    assert listed, "the after sheet lists its sources under their student-edition numbers"
    nums = [int(x) for x in listed.group(1).replace(" ", "").strip(",").split(",")]
    marks = {int(x) for m in re.findall(r'#cite-mark\("([\d, ]+)"\)', after.source) for x in m.split(", ")}
    assert set(nums) == marks  # lists exactly what it cites
    efe = student.source_ids.index("efe-2023-02-01-cecot-inauguration") + 1
    assert efe in nums


def test_after_sheet_uses_student_type_unless_it_must_shrink(project, pdfs, tmp_path):
    from collections import Counter

    from pypdf import PdfReader

    from civicnb.handout.compile import compile_fitted, page_count

    lesson = project.lesson("01")
    nb = _nb(lesson)
    src = render(project, lesson, nb, "after").source
    assert "#set text(size: 10pt)" not in src and "#set par(leading: 0.55em)" not in src
    used = []

    def make(size):
        used.append(size)
        return render(project, lesson, nb, "after", size=size)

    pdf = compile_fitted(tmp_path / "w", make, (None, 11, 10), 99)  # fits at once: the student size
    assert used == [None] and page_count(pdf) >= 1
    reader = PdfReader(pdfs / "01-claims-after-3.pdf")  # the fullest of lesson 01's after sheets
    assert len(reader.pages) <= 2  # one sheet
    sizes = Counter()
    # the front: the boxes students read (the back is the source list, in its own small type, which
    # can outweigh the boxes now that every row of the debrief is cited)
    reader.pages[0].extract_text(visitor_text=lambda t, cm, tm, fd, fs: sizes.update(
        {round(fs * tm[0] * cm[0], 1): len(t.strip())}))
    assert sizes.most_common(1)[0][0] >= 10


# -- #5 the private poll and the exit ticket print as slips ------------------------------------------

def _pages(pdf):
    from pypdf import PdfReader

    return [squash(p.extract_text() or "") for p in PdfReader(pdf).pages]


def test_student_poll_is_an_unnamed_slip_and_exit_ticket_a_named_slip(project, pdfs):
    lesson = project.lesson("00")
    poll = next(ex for ex in lesson.exercise_list if ex["kind"] == "scale")
    statement = squash(poll["statements"][0]["text"])
    exit_prompt = squash(lesson.exercises["exit-question"]["prompt"])
    pages = _pages(pdfs / "00-before-we-begin-student.pdf")
    sources = next(i for i, p in enumerate(pages) if "Sourcescitedonthishandout" in p)
    assert not any(statement in p for p in pages[:sources + 1]), "the poll prints inside the named packet"
    note = squash("Do not write your name. Fold and hand in; your teacher counts answers only.")
    slip = next(p for p in pages[sources + 1:] if statement in p)
    assert note in slip
    last = squash(poll["statements"][-1]["text"])[-20:]
    poll_part = slip[slip.index(note):slip.index(last)]
    assert "Name:" not in slip[:slip.index(note)] and "Name:" not in poll_part
    exit_slip = next(p for p in pages[sources + 1:] if exit_prompt in p)
    before = exit_slip[exit_slip.index(note) if note in exit_slip else 0:exit_slip.index(exit_prompt)]
    assert "Name:" in before  # the exit ticket slip has its own name line
    # the packet says where each went, by the same question numbers
    n = lesson.number_of(poll["id"])
    assert any(squash(f"Question {n} (Before-unit poll) is on a separate slip") in p for p in pages[:sources])
    # lesson 01's exit ticket too
    pages01 = _pages(pdfs / "01-claims-student.pdf")
    prompt01 = squash(project.lesson("01").exercises["exit-ticket"]["prompt"])[:60]
    src01 = next(i for i, p in enumerate(pages01) if "Sourcescitedonthishandout" in p)
    assert not any(prompt01 in p for p in pages01[:src01 + 1])
    assert any(prompt01 in p and "Name:" in p for p in pages01[src01 + 1:])


def test_teacher_and_worksheet_keep_the_poll_in_place(project):
    lesson = project.lesson("00")
    nb = _nb(lesson)
    teacher = render(project, lesson, nb, "teacher").source
    assert "#slip(" not in teacher and "tally the counts, then shred them" in teacher
    worksheet = render(project, lesson, nb, "worksheet", work={
        "student": "Ana", "answers": {"poll-pre": {"value": {"private": True}}}}).source
    assert "#slip(" not in worksheet
    assert "Poll answers are private: they are not printed on this worksheet." in worksheet
