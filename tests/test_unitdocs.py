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
                assert f"| {r.minutes} | {r.step['title']} (lesson {r.lesson.meta['id']})" in md
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
            assert note is claims[claim["id"]]["evidence"][n - 1] or note == claims[claim["id"]]["evidence"][n - 1]


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
