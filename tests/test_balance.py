"""The balance ledger: every evidence note and fact box says whose perspective it gives; `check`
reports the mix on contested and open questions and fails where a contested card lacks the side its
claim favours, or an "as things stand" box lists one side's developments only; mirrors are listed."""
import re
import subprocess
import sys

from civicnb.content.balance import PERSPECTIVES, claim_problems, developments_problems, mix_line
from civicnb.content.check import check_project, check_report
from civicnb.content.model import Project

from .conftest import env_with_src


def _problems(project):
    return [str(p) for p in check_project(Project(project.root))]


def _claim_block(text, cid):
    start = text.index(f"  - id: {cid}\n")
    end = text.find("\n  - id: ", start + 1)
    return start, (len(text) if end < 0 else end)


def test_every_note_and_fact_box_has_a_perspective(project):
    for lesson in project.lessons():
        for c in lesson.claims.values():
            for ev in c["evidence"]:
                assert ev["perspective"] in PERSPECTIVES, (c["id"], ev["note"][:40])
        for f in lesson.meta.get("facts") or []:
            persp = f["perspective"]
            assert all(p in PERSPECTIVES for p in ([persp] if isinstance(persp, str) else persp)), f["id"]


def test_real_lessons_report_the_mix_and_pass(project):
    problems, report = check_report(project)
    assert problems == []
    balance = [r for r in report if r.startswith("balance ")]
    crime = next(r for r in balance if " claim-07:" in r)
    # the crime card gives both sides: the government's figures and the sceptics' evidence
    assert "2 for the claim's side" in crime and "2 for another side" in crime
    assert "Salvadoran government" in crime and "U.S. government" in crime
    assert any("after-article" in r and "detainees" in r and "government" in r for r in balance)
    # every contested or open claim is reported
    contested = [c["id"] for l in project.lessons() for c in l.claims.values()
                 if c.get("question") in ("contested", "open")]
    assert contested and all(any(f" {cid}:" in r for r in balance) for cid in contested)


def test_contested_card_without_a_note_for_its_side_fails(real_copy):
    cf = real_copy.lessons_dir / "01-claims" / "claims.yml"
    text = cf.read_text()
    start, end = _claim_block(text, "claim-07")
    block = text[start:end].replace("favours: plan-caused-drop\n        ", "").replace(
        "        favours: plan-caused-drop\n", "        favours: other-causes\n")
    cf.write_text(text[:start] + block + text[end:])
    probs = _problems(real_copy)
    hits = [p for p in probs if "claim-07" in p and "no evidence note gives that side's case" in p]
    assert hits and hits[0].startswith("lessons/01-claims/claims.yml:"), probs
    line = int(hits[0].split(":")[1])
    assert cf.read_text().splitlines()[line - 1].strip() == "favours: plan-caused-drop"
    # a writer who found no such note in the sources says so, and the check accepts it
    text = cf.read_text()
    cf.write_text(text.replace("    favours: plan-caused-drop\n",
                               "    favours: plan-caused-drop\n    no_note_for_side: none found\n", 1))
    assert not [p for p in _problems(real_copy) if "claim-07" in p]


def test_contested_claim_must_name_its_side(real_copy):
    cf = real_copy.lessons_dir / "01-claims" / "claims.yml"
    text = cf.read_text()
    start, end = _claim_block(text, "claim-22")
    cf.write_text(text[:start] + text[start:end].replace("    favours: citizens-could-be-sent\n", "", 1)
                  + text[end:])
    assert any("claim-22" in p and "does not say which side it favours" in p for p in _problems(real_copy))


def test_one_sided_as_things_stand_box_fails(real_copy):
    lf = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    text = lf.read_text()
    one_sided = re.sub(r"favours: government\}", "favours: detainees}", text)
    assert one_sided != text
    lf.write_text(one_sided)
    probs = _problems(real_copy)
    assert any(p.startswith("lessons/01-claims/lesson.yml:") and "after-article" in p
               and "only developments that favour 'detainees'" in p for p in probs), probs


def test_missing_perspective_is_a_schema_error_with_line(real_copy):
    cf = real_copy.lessons_dir / "01-claims" / "claims.yml"
    text = cf.read_text()
    cf.write_text(text.replace("        perspective: independent-press\n", "", 1))
    probs = _problems(real_copy)
    assert any(p.startswith("lessons/01-claims/claims.yml:") and "'perspective'" in p for p in probs), probs


def test_rules_on_plain_data():
    claim = {"question": "contested", "favours": "a",
             "evidence": [{"perspective": "court", "favours": "b"}, {"perspective": "research"}]}
    assert claim_problems(claim)
    claim["evidence"][1]["favours"] = "a"
    assert claim_problems(claim) == []
    assert mix_line(claim) == ("2 notes: 1 court, 1 research. Contested question; 1 for the claim's side; "
                               "1 for another side.")
    assert claim_problems({"evidence": [{"perspective": "court"}]}) == []  # factual: nothing to balance
    box = {"question": "open", "developments": [{"about": "x", "perspective": "court", "favours": "a"},
                                                 {"about": "y", "perspective": "court", "favours": "neutral"}]}
    assert developments_problems(box)
    box["developments"][1]["favours"] = "b"
    assert developments_problems(box) == []


def test_teacher_key_prints_each_cards_mix(project):
    from civicnb.exercises import KINDS

    lesson = project.lesson("01")
    ex = lesson.exercises["check-07"]
    key = KINDS["verdict"].key(ex)
    assert "Notes on this card:" in key and "the claim" in key
    assert "Notes on this card:" not in KINDS["verdict"].paper(ex)  # never on the student page


def test_check_lists_mirrors_and_no_lean_labels(project):
    problems, report = check_report(project)
    mirrors = [r for r in report if r.startswith(("mirror ", "archive "))]
    assert any("upi-2025-11-12-hrw-report" in m for m in mirrors)
    for s in project.source_list:
        assert s.get("copy", "original") in ("original", "mirror", "archive")
        if s.get("copy") in ("mirror", "archive"):
            assert any(f" {s['id']}:" in m for m in mirrors)
    registry = (project.lessons_dir / "sources.yml").read_text().lower()
    assert "opinion-leaning" not in registry and "leans toward" not in registry


def test_cli_check_prints_the_balance_mix(project):
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(project.root), "check"],
                       capture_output=True, text=True, env=env_with_src())
    assert r.returncode == 0, r.stderr
    assert "balance 01-claims claim-07:" in r.stdout and "mirror " in r.stdout


def test_handout_marks_mirror_links(project):
    """The teacher edition labels mirror and archive links; the student edition never prints a
    mirror's address (a page that would fail the unit's own lateral-reading test) and says to search
    for the title instead."""
    import json

    from civicnb.handout.render import render

    lesson = project.lesson("01")
    nb = json.loads(lesson.notebook_path.read_text())
    teacher = render(project, lesson, nb, "teacher").source
    assert "a copy on another site, not the publisher" in teacher  # e.g. the UPI report read on a mirror
    assert "Link: an archive copy." in teacher or not any(
        project.sources[s].get("copy") == "archive" for s in lesson.cited_source_ids())
    student = render(project, lesson, nb, "student")
    mirrors = [s for s in student.source_ids if project.sources[s].get("copy") in ("mirror", "archive")]
    assert mirrors, "lesson 01's student edition cites at least one mirror copy"
    for sid in mirrors:
        assert project.sources[sid]["url"] not in student.source, sid
    assert "Search for this title to find the publisher's page." in student.source
