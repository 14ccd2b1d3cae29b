"""Classroom fit (issue 7): one numbering, no answers in the student packet, fair grading, periods that
fit, paper that works, and exports of any notebook."""
import io
import json
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from civicnb.content.check import check_all
from civicnb.exercises import kind_of

from .conftest import FIXTURES, ROOT, env_with_src, pdf_text, squash

LESSONS = ("00", "01")


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _check(project):
    from civicnb.content.model import Project

    problems, warnings = check_all(Project(project.root))
    return [str(p) for p in problems], [str(w) for w in warnings]


# -- one numbering ----------------------------------------------------------------------------------

def test_numbers_and_labels_follow_the_notebook(project):
    lesson = project.lesson("01")
    nb = json.loads(lesson.notebook_path.read_text())
    shown = [c["metadata"]["civicnb"]["show"] for c in nb["cells"]
             if (c.get("metadata") or {}).get("civicnb", {}).get("show") in lesson.exercises]
    assert [lesson.number_of(i) for i in shown] == list(range(1, len(shown) + 1))
    assert lesson.label_of("check-04") == f"Question {shown.index('check-04') + 1}"
    # a claim on a card is named by its card's question too (review #1); sort items are lettered
    assert lesson.label_of("claim-07") == f"Question {shown.index('check-07') + 1} (Claim 7)"
    assert lesson.number_of("claim-07") == 7
    assert lesson.label_of("p14") == "¶14"
    assert re.fullmatch(r"Question 3, item [A-Z]", lesson.label_of("s-capacity"))
    assert lesson.number_of("capacity-basics") is None
    with pytest.raises(KeyError):
        lesson.label_of("no-such-item")
    assert lesson.fill_refs("[[check-11, check-14, check-15, check-20]]") == "Questions 8–11"


def test_numbering_moves_with_the_notebook(real_copy):
    from civicnb.content.model import Project

    nbp = real_copy.root / "notebooks" / "01-claims.ipynb"
    nb = json.loads(nbp.read_text())
    cells = nb["cells"]
    i = next(k for k, c in enumerate(cells) if c.get("metadata", {}).get("civicnb", {}).get("show") == "exit-ticket")
    cells.insert(3, cells.pop(i))  # the exit ticket now comes first
    nbp.write_text(json.dumps(nb))
    lesson = Project(real_copy.root).lesson("01")
    assert lesson.label_of("exit-ticket") == "Question 1" and lesson.label_of("headline-check") == "Question 2"
    assert lesson.fill_refs("[[headline-check]]") == "Question 2"


def test_references_print_as_labels_in_every_view(project):
    lesson = project.lesson("01")
    note = lesson.exercises["check-07"]["teacher_note"]
    assert "[[" not in note and f"({lesson.label_of('check-15')}, set A)" in note
    assert "[[" not in lesson.teacher_md and "Questions 7–14 (Claims 4, 7, 11, 14, 15, 20, 22 and 24)" in lesson.teacher_md
    # an unresolved [[id]] reference (a nested list such as row_sources dumps as [["...", which is fine)
    assert not re.search(r"\[\[[a-z0-9]", json.dumps(lesson.meta, ensure_ascii=False))


def test_check_fails_on_an_unresolved_reference_with_file_and_line(real_copy):
    md = real_copy.lessons_dir / "01-claims" / "teacher.md"
    _edit(md, "## Care first", "## Care first\n\nSee [[claim-99]] first.")
    line = _line_of(md, "[[claim-99]]")
    problems, _ = _check(real_copy)
    assert any(p.startswith(f"lessons/01-claims/teacher.md:{line}: reference [[claim-99]]") for p in problems), problems


def test_check_rejects_a_reference_in_notebook_markdown(real_copy):
    nbp = real_copy.root / "notebooks" / "01-claims.ipynb"
    nb = json.loads(nbp.read_text())
    nb["cells"].insert(4, {"cell_type": "markdown", "metadata": {}, "source": "Look back at [[check-04]] now."})
    nbp.write_text(json.dumps(nb))
    problems, _ = _check(real_copy)
    assert any(p.startswith("notebooks/01-claims.ipynb:5: cell 5: JupyterLab shows notebook Markdown as written")
               for p in problems), problems


def test_check_fails_on_a_raw_id_in_prose(real_copy):
    ef = real_copy.lessons_dir / "01-claims" / "exercises.yml"
    _edit(ef, "Contrast with [[claim-07]]", "Contrast with claim-07")
    line = _line_of(ef, "Contrast with claim-07")
    problems, _ = _check(real_copy)
    assert f"lessons/01-claims/exercises.yml:{line}: 'claim-07' is an internal id" in " | ".join(problems)


def item_ids(lesson):
    ids = set(lesson.exercises) | set(lesson.claims) | set(lesson.blocks)
    for ex in lesson.exercise_list:
        for part in ("items", "events", "statements"):
            ids |= {x["id"] for x in ex.get(part) or []}
    for name in ("timeline.yml",):
        if (lesson.dir / name).exists():
            ids |= {e["id"] for e in lesson.data_file(name)["events"]}
    return {i for i in ids if "-" in i}  # one-word ids ("norms") cannot be told from prose


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from civicnb.build import build
    from civicnb.content.model import Project

    project = Project(ROOT)
    out = tmp_path_factory.mktemp("fit-handouts")
    paths = build(project, out, quiet=True, build_root=out / "build")
    return project, out, paths


def test_no_built_pdf_prints_an_item_id(built):
    project, out, paths = built
    assert any(re.search(r"-after(-\d+)?\.pdf$", p.name) for p in paths)
    ids = set()
    for lesson in project.lessons():
        ids |= item_ids(lesson)
    assert "claim-07" in ids and "s-capacity" in ids and "check-04" in ids
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")
    for pdf in paths:
        text = re.sub(r"-\s*\n\s*", "-", pdf_text(pdf))
        found = sorted(set(pattern.findall(text)))
        assert not found, f"{pdf.name} prints internal ids: {found}"


def test_teacher_edition_finds_every_card_a_note_names(built):
    project, out, _ = built
    lesson = project.lesson("01")
    teacher = squash(pdf_text(out / "01-claims-teacher.pdf"))
    for ex in lesson.exercise_list:
        if ex["kind"] == "verdict":  # each card prints its question number and its claim label
            assert squash(f"Claim {lesson.number_of(ex['claim'])}") in teacher
    assert "At-a-glanceKey".lower() in teacher.lower()
    assert squash("Questions 7–14 (Claims 4, 7, 11, 14, 15, 20, 22 and 24)") in teacher


# -- no answers in the student packet ---------------------------------------------------------------

def test_reveal_boxes_print_only_for_the_teacher_and_after_the_lesson(built):
    project, out, _ = built
    lesson = project.lesson("01")
    reveals = [b for b in lesson.blocks.values() if b.get("reveals")]
    assert {b["id"] for b in reveals} >= {"capacity-basics", "article-accurate", "after-article", "article-date"}
    student = squash(pdf_text(out / "01-claims-student.pdf"))
    teacher = squash(pdf_text(out / "01-claims-teacher.pdf"))
    # one sheet per class period: each box on the front of its period's sheet, the source list on the back
    sheets = [PdfReader(out / f"01-claims-after-{n}.pdf") for n in (1, 2, 3)]
    assert not (out / "01-claims-after.pdf").exists()
    assert all(len(after.pages) <= 2 for after in sheets)
    front = "".join(squash(after.pages[0].extract_text()) for after in sheets)
    for b in reveals:
        probe = squash(b["text"])[:60]
        assert probe not in student, f"the student packet prints {b['id']}"
        assert probe in teacher and probe in front
    assert "Debrief" not in student  # nor the headings that introduce them
    assert "3February2025asrecentnews" not in student  # the article box no longer answers the question


def test_check_fails_on_a_debrief_box_without_its_list(real_copy):
    lf = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    _edit(lf, "    reveals: [overall-judgment]\n", "")
    problems, _ = _check(real_copy)
    assert any("fact 'article-accurate' looks like a debrief box" in p for p in problems), problems


def test_check_fails_on_a_debrief_heading_the_student_edition_would_print(real_copy):
    nbp = real_copy.root / "notebooks" / "01-claims.ipynb"
    nb = json.loads(nbp.read_text())
    for c in nb["cells"]:
        if (c.get("metadata") or {}).get("tags") == ["debrief"]:
            c["metadata"]["tags"] = []
    nbp.write_text(json.dumps(nb))
    problems, _ = _check(real_copy)
    assert any("introduces a debrief, and the student edition would print it" in p for p in problems), problems


def test_check_fails_on_a_reveal_box_shown_before_its_questions(real_copy):
    nbp = real_copy.root / "notebooks" / "01-claims.ipynb"
    nb = json.loads(nbp.read_text())
    cells = nb["cells"]
    i = next(k for k, c in enumerate(cells) if c.get("metadata", {}).get("civicnb", {}).get("show") == "capacity-basics")
    cells.insert(4, cells.pop(i))
    nbp.write_text(json.dumps(nb))
    problems, _ = _check(real_copy)
    assert any("shows 'capacity-basics' before Question" in p for p in problems), problems


# -- fair grading -----------------------------------------------------------------------------------

def _self_check(lesson):
    return [ex for ex in lesson.exercise_list if kind_of(ex).mode == "self-check"]


@pytest.mark.parametrize("name", LESSONS)
def test_feedback_agrees_with_the_key_and_alternatives_are_accepted(project, name):
    from civicnb.exercises.choice import accepted_choices, accepted_sets
    from civicnb.exercises.highlight import target_tokens
    from civicnb.exercises.sorting import accepted_positions
    from civicnb.exercises.verdict import VERDICTS

    lesson = project.lesson(name)
    walked = 0
    for ex in _self_check(lesson):
        k = kind_of(ex)
        kind = ex["kind"]
        if kind == "single_choice":
            ok = accepted_choices(ex)
            for opt in ex["options"]:
                status, fb = k.grade(ex, {"choice": opt["id"]})
                says_yes = fb.startswith("Yes")
                assert (status == "correct") == (opt["id"] in ok), (ex["id"], opt["id"])
                if says_yes:
                    assert opt["id"] in ok, f"{ex['id']}: option {opt['id']} says Yes but the key marks it wrong"
                if opt["id"] == ex["key"]["answer"]:
                    assert says_yes, f"{ex['id']}: the key's answer {opt['id']} gets feedback that is not a Yes"
        elif kind == "multi_select":
            right = set(ex["key"]["answers"])
            for opt in ex["options"]:
                says_yes = opt["feedback"].startswith("Yes")
                assert says_yes == (opt["id"] in right), f"{ex['id']}: option {opt['id']} feedback disagrees with key"
            for s in accepted_sets(ex):
                assert k.grade(ex, {"choices": sorted(s)})[0] == "correct"
        elif kind == "verdict":
            claim = ex["_claim"]
            ok = {claim["verdict"], *(claim.get("also_accept") or [])}
            for v, _, _ in VERDICTS:
                assert (k.grade(ex, {"verdict": v})[0] == "correct") == (v in ok), (ex["id"], v)
        elif kind == "sort":
            right = {it["id"]: it["answer"] for it in ex["items"]}
            assert k.grade(ex, {"placements": right})[0] == "correct"
            for it in ex["items"]:
                for alt in it.get("also_accept") or []:
                    assert k.grade(ex, {"placements": {**right, it["id"]: alt}})[0] == "correct"
        elif kind == "highlight":
            spans = [target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"]]
            every = sorted(set().union(*spans))
            assert k.grade(ex, {"selected": every})[0] == "correct"
            for phrase in ex["key"].get("also_accept") or []:
                extra = target_tokens(ex["passage"], phrase)
                assert extra, phrase
                assert k.grade(ex, {"selected": sorted(set(every) | extra)})[0] == "correct", phrase
        elif kind == "timeline":
            order = [e["id"] for e in sorted(ex["events"], key=lambda e: e["date"])]
            pos = {eid: n for n, eid in enumerate(order, 1)}
            assert k.grade(ex, {"positions": pos})[0] == "correct"
            for group in ex["key"].get("ties") or []:
                a, b = group[0], group[1]
                swapped = {**pos, a: pos[b], b: pos[a]}
                assert k.grade(ex, {"positions": swapped})[0] == "correct", group
            spots = accepted_positions(ex)
            untied = [e for e in order if len(spots[e]) == 1]
            swapped = {**pos, untied[0]: pos[untied[1]], untied[1]: pos[untied[0]]}
            assert k.grade(ex, {"positions": swapped})[0] != "correct"
        walked += 1
    assert walked >= (4 if name == "00" else 14)


def test_the_eight_cards_accept_what_their_notes_accept(project):
    """Issue 7: every alternative the notes accepted on the eight Check-it cards was marked "Not quite"."""
    lesson = project.lesson("01")
    cards = [ex for ex in lesson.exercise_list if ex["kind"] == "verdict"]
    assert len(cards) == 8
    for ex in cards:
        assert ex["_claim"].get("also_accept"), ex["id"]
        for v in ex["_claim"]["also_accept"]:
            assert kind_of(ex).grade(ex, {"verdict": v})[0] == "correct"


def test_lesson_00_headline_accepts_the_label_lesson_01_treats_as_a_target(project):
    ex = project.lesson("00").exercises["headline-words"]
    k = kind_of(ex)
    from civicnb.exercises.highlight import target_tokens

    chosen = set()
    for t in ex["key"]["targets"]:
        chosen |= target_tokens(ex["passage"], t["text"])
    chosen |= target_tokens(ex["passage"], "Under Trump Deal")
    status, message = k.grade(ex, {"selected": sorted(chosen)})
    assert status == "correct" and "plain description" not in message


def test_timeline_events_show_month_and_year(project):
    ex = project.lesson("01").exercises["before-after"]
    assert all(re.match(r"[A-Z][a-z]+ \d{4}: ", e["text"]) for e in ex["events"])


def test_check_reports_a_note_that_accepts_without_also_accept(real_copy):
    cf = real_copy.lessons_dir / "01-claims" / "claims.yml"
    _edit(cf, "    also_accept: [accurate, misleading]\n", "")
    ef = real_copy.lessons_dir / "01-claims" / "exercises.yml"
    problems, _ = _check(real_copy)
    assert any(p.startswith("lessons/01-claims/exercises.yml:") and "exercise 'check-20': the teacher note accepts "
               "'accurate', 'misleading'" in p for p in problems), problems
    _edit(ef, "      ties:\n        - [ev-aea-proclamation, ev-first-deportees]\n", "")
    problems, _ = _check(real_copy)
    assert any("'before-after'" in p and "key.ties" in p for p in problems), problems


# -- periods ----------------------------------------------------------------------------------------

def test_lessons_fit_their_periods(project):
    from civicnb.content.check import check_all

    problems, warnings = check_all(project)
    assert not problems and not warnings, [str(w) for w in warnings]


def test_check_warns_on_a_long_period_and_a_heavy_reading_load(real_copy):
    lf = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    _edit(lf, "    period: 3\n    minutes: 22\n", "    period: 3\n    minutes: 30\n")
    _edit(lf, "minutes: 135\n", "minutes: 143\n")
    nbp = real_copy.root / "notebooks" / "01-claims.ipynb"
    nb = json.loads(nbp.read_text())
    nb["cells"].insert(5, {"cell_type": "markdown", "metadata": {"editable": False, "deletable": False},
                           "source": "Read this. " * 400})
    nbp.write_text(json.dumps(nb))
    problems, warnings = _check(real_copy)
    assert not [p for p in problems if "index.ipynb" not in p], problems  # (the start page gives the old time)
    assert any("period 3 plans 53 minutes; plan at most 45" in w for w in warnings), warnings
    assert any(re.search(r"period 1: students read about [\d,]+ words", w) for w in warnings), warnings


def test_check_wants_a_period_on_every_step_and_a_paper_route(real_copy):
    lf = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    _edit(lf, "  - title: Discussion norms\n    period: 1\n", "  - title: Discussion norms\n")
    text = lf.read_text()  # drop the paper route of "How the notebooks work", whatever its wording
    start = text.index("    paper: >-\n", text.index("  - title: How the notebooks work\n"))
    lf.write_text(text[:start] + text[text.index("  - title:", start):])
    problems, _ = _check(real_copy)
    assert any("step 'Discussion norms' has no period" in p for p in problems), problems
    assert any("step 'How the notebooks work' uses the notebook; add paper:" in p for p in problems), problems


def test_lesson_plan_prints_periods_words_and_both_routes(built):
    project, out, _ = built
    teacher = pdf_text(out / "01-claims-teacher.pdf")
    flat = squash(teacher)
    for p in (1, 2, 3):
        assert f"Period{p}·45of45plannedminutes(of50)" in flat
    assert "studentsreadabout" in flat and "Paper-onlyroute" in flat and "Notebookroute" in flat
    reader = PdfReader(out / "01-claims-teacher.pdf")
    timing = [n for n, page in enumerate(reader.pages) if "Paper-only route" in (page.extract_text() or "")]
    assert timing and len(timing) <= 2, timing  # the timing table does not run across three pages
    glance = [n for n, page in enumerate(reader.pages) if "At-a-glance key" in (page.extract_text() or "")]
    assert glance


# -- paper ------------------------------------------------------------------------------------------

def test_each_period_starts_on_a_new_page(built):
    _, out, _ = built
    reader = PdfReader(out / "01-claims-student.pdf")
    for day in ("Day 2", "Day 3"):
        pages = [p.extract_text() for p in reader.pages if re.search(rf"^{day}$", p.extract_text() or "", re.M)]
        assert pages, day
        body = re.sub(r"^Verdicts:.*?changed it\s*", "", pages[0], flags=re.S)
        assert body.lstrip().startswith(day), body[:200]


def test_student_edition_cites_a_few_sources_per_spot(project):
    from civicnb.handout.render import STUDENT_CITES, render

    lesson = project.lesson("01")
    nb = json.loads(lesson.notebook_path.read_text())
    student = render(project, lesson, nb, "student").source
    marks = re.findall(r'#cite-mark\("([^"]*)"\)', student)
    assert marks and max(len(m.split(", ")) for m in marks) <= STUDENT_CITES
    teacher = render(project, lesson, nb, "teacher").source
    assert max(len(m.split(", ")) for m in re.findall(r'#cite-mark\("([^"]*)"\)', teacher)) > STUDENT_CITES
    assert "Accessed" in teacher and "Accessed" not in student.split("#sourcelist")[-1]


def test_answer_space_fits_the_prompt(project, real_copy):
    from civicnb.exercises.written import lines_needed

    card = project.lesson("01").exercises["check-11"]  # "name the two sources that convinced you most"
    assert kind_of(card).lines(card) >= 4 and lines_needed(card["prompt"]) >= 4
    ef = real_copy.lessons_dir / "01-claims" / "exercises.yml"
    _edit(ef, "    lines: 6\n", "    lines: 2\n")
    _, warnings = _check(real_copy)
    assert any("'exit-ticket': the prompt asks for several things but gives 2 answer lines" in w for w in warnings)


# -- exports of any notebook ------------------------------------------------------------------------

def test_any_notebook_exports_to_pdf(tmp_path):
    src = FIXTURES / "any" / "teacher-notes.ipynb"
    for fmt in ("civicnb_student", "civicnb_teacher"):
        r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", fmt, str(src), "--output-dir", str(tmp_path),
                            "--output", f"out-{fmt}"], capture_output=True, text=True, env=env_with_src(), cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        pdf = (tmp_path / f"out-{fmt}.pdf").read_bytes()
        text = pdf_text(pdf)
        for want in ("Reading a bar chart", "Total students: 28", "42", "first point", "An attached picture"):
            assert want in text, want
        assert "SECRET-CODE-LINE" not in text and "print(" not in text  # code hidden
        reader = PdfReader(io.BytesIO(pdf))
        images = sum(len(page.images) for page in reader.pages)
        assert images >= 2  # the output figure and the attached picture


def test_export_problems_are_one_plain_line(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text('{"cells": 5}')
    r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "civicnb_student", str(bad)],
                       capture_output=True, text=True, env=env_with_src(), cwd=tmp_path)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "civicnb: cannot print" in r.stderr
    lonely = tmp_path / "lonely.ipynb"  # a lesson notebook away from its lesson package
    nb = json.loads((ROOT / "notebooks" / "00-before-we-begin.ipynb").read_text())
    lonely.write_text(json.dumps(nb))
    r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "civicnb_teacher", str(lonely)],
                       capture_output=True, text=True, env=env_with_src(), cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "needs its lesson package" in r.stderr


def test_export_dialog_gets_one_line(tmp_path):
    """JupyterLab's export handler shows the exception's message: it must be one plain line."""
    import nbformat

    from civicnb.handout.exporter import HandoutExportError, TeacherHandoutExporter

    nb = nbformat.v4.new_notebook(metadata={"civicnb": {"lesson": "99-missing"}})
    with pytest.raises(HandoutExportError) as e:
        TeacherHandoutExporter().from_notebook_node(nb, {"metadata": {"path": str(ROOT / "notebooks")}})
    assert "\n" not in str(e.value) and "No lesson '99-missing'" in str(e.value)


# -- student mode: every lesson notebook is locked and marked, so later lessons cannot drift ---------

def test_check_fails_on_a_lesson_notebook_cell_that_is_not_locked(real_copy):
    nbp = real_copy.root / "notebooks" / "02-reading-like-a-fact-checker.ipynb"
    nb = json.loads(nbp.read_text())
    del nb["cells"][5]["metadata"]["editable"]
    nb["cells"][0]["metadata"]["tags"] = ["notebook-only"]
    nb["metadata"]["civicnb"] = {}
    nbp.write_text(json.dumps(nb))
    problems, _ = _check(real_copy)
    rel = "notebooks/02-reading-like-a-fact-checker.ipynb"
    assert any(p.startswith(f"{rel}:6:") and "cell 6 is not locked" in p for p in problems), problems
    assert any("tagged civicnb-start" in p for p in problems), problems
    assert any("civicnb.lesson = '02-reading-like-a-fact-checker'" in p for p in problems), problems


def test_the_start_line_is_not_counted_as_reading(real_copy):
    from civicnb.content.periods import words_per_period

    lesson = real_copy.lesson("02")
    nbp = lesson.notebook_path
    nb = json.loads(nbp.read_text())
    before = words_per_period(lesson, nb)
    nb["cells"][0]["source"] = "Start here. " * 300
    assert words_per_period(lesson, nb) == before


def test_check_fails_on_a_lesson_code_cell_that_shows_no_item(real_copy):
    """Student mode runs and hides the L.show cells; any other code cell leaves a saved widget that shows
    "model not found" when the notebook is reopened (found in the browser with lesson 02's checklist)."""
    nbp = real_copy.root / "notebooks" / "02-reading-like-a-fact-checker.ipynb"
    nb = json.loads(nbp.read_text())
    nb["cells"].insert(3, {"cell_type": "code", "execution_count": None, "outputs": [], "id": "x1",
                           "metadata": {"editable": False, "deletable": False},
                           "source": "from civicnb.checklist import checklist_box\nchecklist_box()"})
    nbp.write_text(json.dumps(nb))
    problems, _ = _check(real_copy)
    assert any("cell 4 is a code cell that shows no lesson item" in p for p in problems), problems


def test_a_yaml_list_of_id_lists_is_not_a_reference(real_copy):
    """also_accept: [[a, b, c]] (the contract's form for multi-select) is a YAML list, not [[...]]
    references; check misread it (found writing lesson 02)."""
    ef = real_copy.lessons_dir / "02-reading-like-a-fact-checker" / "exercises.yml"
    _edit(ef, "      also_accept:\n        - [trend, independent, same-rules]\n",
          "      also_accept: [[trend, independent, same-rules]]\n")
    problems, _ = _check(real_copy)
    assert not [p for p in problems if "[[trend]]" in p or "[[independent]]" in p], problems
    assert not problems, problems
