"""The unit products: unit guide, answer-key packet, rubrics and parent letter (issue 11)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from civicnb.content.check import check_project
from civicnb.unitdocs import data as D
from civicnb.unitdocs.guide import guide_markdown

from .conftest import ROOT, pdf_text, squash


def _raw_steps(project, name):
    """The lesson's steps read straight from its lesson.yml (not through civicnb)."""
    raw = yaml.safe_load((project.lessons_dir / name / "lesson.yml").read_text(encoding="utf-8"))
    return {s["title"]: s for s in raw["steps"]}


def test_pacing_minutes_equal_the_lesson_data(project):
    versions = D.pacing(project)
    assert [v.name for v in versions] == ["Five days", "Three days", "One day"]
    md = guide_markdown(project)
    for v in versions:
        for day in v.days:
            for r in day.rows:
                raw = _raw_steps(project, r.lesson.name)[r.step["title"]]
                if r.shortened:  # printed as shortened, with the lesson's own minutes
                    assert f"shortened from {raw['minutes']} min" in md
                else:
                    assert r.minutes == raw["minutes"]
                assert f"| {r.minutes} | {D.period_label(r.step['title'])} (lesson {r.lesson.meta['id']})" in md
            assert day.minutes == sum(r.minutes for r in day.rows)
            assert f"#### {day.label}: {day.minutes} min" in md


def test_every_step_is_either_taught_or_listed_as_dropped(project):
    for v in D.pacing(project):
        used = {(r.lesson.name, r.step["title"]) for d in v.days for r in d.rows}
        dropped = {(lesson.name, s["title"]) for lesson, periods in v.dropped for _, steps, _, _ in periods
                   for s in steps}
        every = {(n, t) for n in project.lesson_names for t in _raw_steps(project, n)}
        assert used | dropped == every and not used & dropped
    one_day = D.pacing(project)[2]
    md = guide_markdown(project)
    assert "What the one-day version drops" in md and "What the five-day version drops" in md
    # the one-period version drops lesson 03 entirely: both its periods, by name
    assert any(lesson.name == "03-rights-and-the-debate" and all(whole for _, _, whole, _ in periods)
               for lesson, periods in one_day.dropped)


def test_every_day_fits_a_period_and_says_what_to_do_in_45_or_55(project):
    md = guide_markdown(project)
    for v in D.pacing(project):
        for day in v.days:
            assert day.minutes <= 45, (v.name, day.label)
    assert "45-minute period (40 planned): trim 5 min" in md and "55-minute period: 5 spare min" in md


def test_a_day_over_the_period_is_a_check_warning(real_copy):
    """Like a lesson's own long period: `civicnb check` warns (the guide still prints the true total)."""
    from civicnb.content.check import check_all

    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text().replace('{lesson: 00-before-we-begin, step: "Discussion norms", minutes: 4,',
                                       '{lesson: 00-before-we-begin, step: "Discussion norms", minutes: 40,'))
    problems, warnings = check_all(type(real_copy)(real_copy.root))
    assert not problems, problems
    assert any("One day" in str(w) and "more than the 45 planned" in str(w) for w in warnings), warnings
    assert "#### One period: 80 min" in guide_markdown(type(real_copy)(real_copy.root))


def test_a_step_title_that_no_longer_exists_fails_check(real_copy):
    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text().replace('step: "Day 2 · Sort the claims"', 'step: "Day 2 · Sort claims"'))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("no step titled 'Day 2 · Sort claims'" in x for x in problems), problems


def test_a_featured_source_the_lesson_does_not_use_fails_check(real_copy):
    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text().replace("featured_sources: [ap-2025-02-04-rubio-offer, gpo-constitution-amendment-8]",
                                       "featured_sources: [ap-2025-02-04-rubio-offer, hrw-2025-03-21-jgg-declaration]"))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("'hrw-2025-03-21-jgg-declaration' is featured for 00-before-we-begin" in x for x in problems), problems


def test_every_printed_standard_is_verified(project):
    verified = D.standards_data(project)
    for lesson in project.lessons():
        for s in lesson.meta["standards"]:
            v = verified[s["code"]]
            assert v["framework"] == s["framework"] and v["url"].startswith("http") and v["accessed"]
    md = guide_markdown(project)
    for code, v in verified.items():
        if any(s["code"] == code for lesson in project.lessons() for s in lesson.meta["standards"]):
            assert " ".join(v["wording"].split()) in md


def test_a_standard_not_in_the_verified_list_fails_check(real_copy):
    p = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    p.write_text(p.read_text().replace(
        "standards:\n", "standards:\n  - framework: C3\n    code: D3.2.9-12\n    text: Lateral reading.\n", 1))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any(x.startswith("lessons/01-claims/lesson.yml:") and "'D3.2.9-12' is not in the verified list" in x
               for x in problems), problems


def test_a_verified_entry_without_its_address_fails_check(real_copy):
    p = real_copy.lessons_dir / "standards.yml"
    p.write_text(re.sub(r"url: https://www\.retroreport\.org\S+", "url: ''", p.read_text()))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("lessons/standards.yml" in x and "'RH.9-10.1' has no url" in x for x in problems), problems


def test_the_markdown_guide_in_the_repository_matches_the_data(project):
    """docs/unit-guide.md is generated; `make handouts` rewrites it. It must not drift."""
    assert (ROOT / "docs" / "unit-guide.md").read_text(encoding="utf-8") == guide_markdown(project), (
        "docs/unit-guide.md is out of date: run `civicnb build --edition unit` (or `make handouts`) and commit it")


def test_an_update_log_entry_prints_in_the_guide(real_copy):
    p = real_copy.lessons_dir / "03-rights-and-the-debate" / "whats-next.yml"
    p.write_text(p.read_text().replace(
        "log: []", 'log:\n  - {date: 2026-11-29, note: "A test update.", sources: [ap-2025-04-15-citizens-illegal]}'))
    from civicnb.content.model import Project

    md = guide_markdown(Project(real_copy.root))
    assert "- 2026-11-29: A test update. (Sources: Associated Press, 2025-04-15.)" in md
    assert "No updates yet" not in md


def test_reduced_card_set_uses_the_claims_notes(project):
    cards = D.reduced_cards(project)
    assert len(cards) == 8
    claims = project.lesson("01-claims").claims
    for claim, ex, notes in cards:
        assert ex is not None and ex["claim"] == claim["id"]
        assert len(notes) == 2
        for n, note in notes:
            want = claims[claim["id"]]["evidence"][n - 1]  # the same note (a quoted phrase gets its marks)
            plain = " ".join(note["note"].replace("\u201c", "").replace("\u201d", "").split())
            assert note is want or (plain == " ".join(want["note"].split()) and note["sources"] == want["sources"])


def test_reordered_evidence_notes_fail_check(real_copy):
    """The reduced set names notes by position and source: a reorder in claims.yml is caught."""
    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text().replace("{n: 2, source: lpg-2023-07-23-cecot-capacity}",
                                       "{n: 3, source: lpg-2023-07-23-cecot-capacity}"))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("note 3 of claim-04 no longer cites" in x for x in problems), problems


def test_written_rubric_rows_are_the_lesson_03_box(project):
    from civicnb.unitdocs.products import rubric_rows

    (wt, _, written), (dt, _, discussion) = rubric_rows(project)
    names = [r[0] for r in written]
    assert names == ["Claim", "Evidence", "Reasoning and the law", "Source credibility", "The other side"]
    box = project.lesson("03").blocks["rubric"]["list"]
    for (name, levels, look), item in zip(written, box):
        assert item.startswith(f"**{name}.**")
        for lv in ("4", "3", "2"):
            assert f"{lv}: {levels[lv].rstrip('.')}".lower() in item.lower()
        assert levels["1"] and look, name
    assert len(discussion) >= 4 and all(set(levels) == {"1", "2", "3", "4"} for _, levels, _ in discussion)


def test_a_look_for_row_that_is_not_in_the_box_fails_check(real_copy):
    p = real_copy.lessons_dir / "rubrics.yml"
    p.write_text(p.read_text().replace("    Source credibility:", "    Credibility:"))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("look_for names row 'Credibility'" in x for x in problems), problems


def test_keys_refer_to_the_rubrics(project):
    ex = project.lesson("03").exercises
    assert "rubrics.pdf" in ex["summative"]["teacher_note"]
    assert "discussion rubric in rubrics.pdf" in ex["common-ground"]["teacher_note"]


def test_import_of_the_build_stays_light():
    code = ("import sys, civicnb.build, civicnb.unitdocs; "
            "print([m for m in ('yaml', 'typst', 'jsonschema', 'nbformat') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The four unit products, built once from a copy of the real lessons (US Letter), plus A4 rubrics."""
    import shutil

    from civicnb.build import build
    from civicnb.content.model import Project

    root = tmp_path_factory.mktemp("unit")
    for part in ("lessons", "notebooks"):
        shutil.copytree(ROOT / part, root / part)
    (root / "docs").mkdir()
    project = Project(root)
    out = root / "handouts"
    build(project, out, editions=(), unit=True, quiet=True, build_root=root / "build")
    build(project, out, editions=(), unit=True, papers=("a4",), quiet=True, build_root=root / "build")
    return project, out


def test_unit_products_build_with_their_sections(built):
    project, out = built
    guide = squash(pdf_text(out / "unit-guide.pdf"))
    for section in ("The inquiry at a glance", "Compelling question", "Summative task", "Taking informed action",
                    "Five days", "Three days", "One day", "Paper-only route", "Standards", "RH.9-10.1",
                    "Teaching a controversial issue", "Political, not partisan", "Never up for debate",
                    "Care", "Where to point a student who needs support", "Differentiation", "Sentence starters",
                    "English-learner supports", "Extension tasks", "Facts as of", "How to update a fact and rebuild",
                    "Update log", "Reduced card set"):
        assert squash(section) in guide, section
    assert (project.root / "docs" / "unit-guide.md").read_text() == guide_markdown(project)
    keys = squash(pdf_text(out / "answer-keys.pdf"))
    for lesson in project.lessons():
        assert squash(f"Lesson {lesson.meta['id']}: {lesson.meta['title']}") in keys
    for part in ("Part 1 · At-a-glance keys", "Part 2 · Full keys", "TEACHER KEY", "rubrics.pdf",
                 "Sources cited on this handout"):
        assert squash(part) in keys, part
    rubrics = squash(pdf_text(out / "rubrics.pdf"))
    for row in ("Source credibility", "The other side", "Restates before rebutting", "Total"):
        assert squash(row) in rubrics, row
    letter = squash(pdf_text(out / "parent-letter.pdf"))
    assert squash("No student will be asked about their own or their family's immigration or legal status") in letter
    assert squash("(Teacher name)") in letter  # an unfilled placeholder prints as a labelled blank


def test_paper_sizes_and_no_op_rebuild(built):
    from pypdf import PdfReader

    from civicnb.build import plan, read_cache

    project, out = built
    letter = PdfReader(out / "rubrics.pdf").pages[0].mediabox
    a4 = PdfReader(out / "rubrics-a4.pdf").pages[0].mediabox
    assert sorted((round(float(letter.width)), round(float(letter.height)))) == [612, 792]
    assert sorted((round(float(a4.width)), round(float(a4.height)))) == [595, 842]
    jobs = list(plan(project, out, read_cache(out), editions=(), unit=True))
    assert len(jobs) == 4 and all(j[6] for j in jobs)  # nothing to rebuild
    # a changed lesson file makes every unit product stale
    p = project.lessons_dir / "02-reading-like-a-fact-checker" / "lesson.yml"
    p.write_text(p.read_text() + "\n")
    assert not any(j[6] for j in plan(project, out, read_cache(out), editions=(), unit=True))


def test_pdfs_are_tagged(built):
    _, out = built
    for name in ("unit-guide.pdf", "answer-keys.pdf", "rubrics.pdf", "parent-letter.pdf"):
        data = (out / name).read_bytes()
        assert b"/StructTreeRoot" in data and b"/MarkInfo" in data, name


def test_broken_unit_guide_is_one_line_and_a_non_zero_exit(real_copy, capsys, tmp_path):
    from civicnb.cli import main

    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text() + "pacing: [\n")
    code = main(["--root", str(real_copy.root), "build", "--edition", "unit", "--out", str(tmp_path / "h")])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert re.search(r"lessons/unit-guide\.yml:\d+: YAML syntax", err), err


def test_unit_products_print_no_internal_ids(built):
    """Item ids (``common-ground``, ``check-04``) are never printed; students and teachers see numbers."""
    from .test_fit import item_ids

    project, out = built
    ids = set()
    for lesson in project.lessons():
        ids |= item_ids(lesson)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")
    for name in ("unit-guide.pdf", "answer-keys.pdf", "rubrics.pdf", "parent-letter.pdf"):
        text = re.sub(r"-\s*\n\s*", "-", pdf_text(out / name))
        assert not sorted(set(pattern.findall(text))), name


def test_the_inquiry_blueprint_is_one_page(built):
    from pypdf import PdfReader

    _, out = built
    first = squash(PdfReader(out / "unit-guide.pdf").pages[0].extract_text())
    for part in ("Compelling question", "Supporting question", "Featured sources", "Formative tasks",
                 "Summative task", "Taking informed action", "Teach another class"):
        assert squash(part) in first, part


# -- review fixes (fresh-teacher review, session 3) -------------------------------------------------
def test_every_pacing_day_ends_with_a_designed_closing(project):
    """The guide's own rule: every period ends with the exit ticket, the debrief or the wrap-up (the
    five-day Day 3 used to end on 22 minutes of card work)."""
    closing = re.compile(r"exit ticket|wrap-up|debrief|summative task|what comes next", re.I)
    for v in D.pacing(project):
        for day in v.days:
            last = day.rows[-1].step["title"]
            assert closing.search(last), (v.name, day.label, last)


def test_guide_labels_a_lessons_own_days_as_periods(project):
    md = guide_markdown(project)
    pacing = md.split("## Pacing", 1)[1].split("## Standards", 1)[0]
    assert not re.search(r"\| Day \d · ", pacing) and "“Day " not in pacing
    assert "Period 3 · Exit ticket (lesson 01)" in pacing


def test_a_pacing_note_counts_the_box_it_names(real_copy):
    """The one-day plan said "Read the three norms aloud" while lesson 00 has four: the count comes
    from the box, so adding a norm changes the guide."""
    p = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    block = next(b for b in raw["blocks"] if b["id"] == "norms")
    n = len(block["list"])
    words = "no one two three four five six seven eight nine ten".split()
    assert f"Read the {words[n]} norms aloud" in guide_markdown(type(real_copy)(real_copy.root))
    block["list"].append("Listen to the end.")
    p.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert f"Read the {words[n + 1]} norms aloud" in guide_markdown(type(real_copy)(real_copy.root))


def test_a_shortened_step_prints_its_own_paper_route(project):
    """The shortened lesson 03 said "No jigsaw" beside a paper route where each student reads one card
    set: a version's `paper:` replaces the lesson's route for that row."""
    md = guide_markdown(project)
    for line in md.splitlines():
        if "No jigsaw" in line or "No reading at home" in line:
            assert "reads one printed card set" not in line and "read at home" not in line.split("|")[3], line


def test_package_section_names_the_article_and_a_prep_list_per_day(project):
    md = guide_markdown(project)
    sec = md.split("## Package and preparation", 1)[1].split("\n## ", 1)[0]
    art = yaml.safe_load((project.lessons_dir / "article" / "article.yml").read_text(encoding="utf-8"))["citation"]
    for key in ("headline", "site", "url", "byline"):
        assert art[key] in sec
    assert "lessons/article/copy.txt" in sec and "CIVICNB_ARTICLE" in sec
    for v in D.pacing(project):
        assert f"### {v.name}" in sec
        for day in v.days:
            row = next(line for line in sec.splitlines() if line.startswith(f"| {day.label} |"))
            for r in day.rows:
                assert f"notebooks/{r.lesson.name}.ipynb" in row and f"{r.lesson.name}-slides.pdf" in row
    five = next(line for line in sec.splitlines() if line.startswith("| Day 3 · Lesson 01 |"))
    assert "01-claims-student-p3.pdf" in five and "exit ticket slip (Q19)" in five and "Card set A" in five


def test_sources_through_is_computed_when_a_lesson_does_not_state_it(project):
    """Lessons 02 and 03 had no sources_through: footers said "Facts as of" while 00/01 said "Sources
    through ... · checked", and the guide said "not stated"."""
    from civicnb.handout.render import footer_date

    md = guide_markdown(project)
    assert "not stated" not in md.split("Update log")[0].split("| No. |", 1)[1]
    for name in project.lesson_names:
        lesson = project.lesson(name)
        through = lesson.sources_through()
        dates = [str(project.sources[s].get("date"))[:7] for s in lesson.cited_source_ids()
                 if re.match(r"\d{4}-\d{2}", str(project.sources[s].get("date")))]
        assert through >= max(dates)
        assert footer_date(lesson.meta, through).startswith("Sources through ")


def test_discussion_rubric_scores_an_opt_out_on_the_written_alternative(project):
    r = D.rubrics_data(project)["discussion"]
    use = " ".join(r["use"].split())
    assert "scored on their written alternative" in use
    low = " ".join(str(row["levels"][k]) for row in r["rows"] for k in ("1", "2")).lower()
    for phrase in ("stays silent", "does not take part", "refuses the swap"):
        assert phrase not in low


def test_grades_say_what_the_unit_targets(project):
    md = guide_markdown(project)
    assert "Grades 9-12" not in md and "Grades 9-10" in md


def test_featured_sources_print_whole_titles(project):
    md = guide_markdown(project)
    glance = md.split("## The inquiry at a glance", 1)[1].split("\n## ", 1)[0]
    package = md.split("## Package and preparation", 1)[1].split("\n## ", 1)[0]
    assert "…" not in glance and "…" not in package
    assert project.sources["hrw-2025-03-21-jgg-declaration"]["title"] in package


def test_reduced_card_quotes_the_state_departments_words(project, real_copy):
    md = guide_markdown(project)
    cards = md.split("## Reduced card set", 1)[1]
    assert "\u201ccriminal illegal migrants from any country\u201d" in cards
    p = real_copy.lessons_dir / "unit-guide.yml"
    p.write_text(p.read_text().replace('quote: "criminal illegal migrants from any country"', 'quote: "not in the note"'))
    problems = [str(x) for x in check_project(type(real_copy)(real_copy.root))]
    assert any("does not contain the quote" in x for x in problems), problems


def test_every_lessons_handout_footer_uses_one_format(project):
    """The footers read "Sources through … · checked" for 00/01 but "Facts as of" for 02/03."""
    import json as _json

    from civicnb.handout.render import render

    for name in project.lesson_names:
        lesson = project.lesson(name)
        nb = _json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
        src = render(project, lesson, nb, "student").source
        assert re.search(r'dated: "Sources through [A-Z][a-z]{2} \d{4} · checked \d+ [A-Z][a-z]{2} \d{4}"', src), name
