"""Lesson 03 and the card data files: law and perspective cards, the debate's balance ledger, the shared
"what happened next" box, the after-unit poll paired with lesson 00's, and a student packet without keys."""
import subprocess
import sys
from pathlib import Path

import pytest

from civicnb.content.check import check_report
from civicnb.content.model import Project

from .conftest import FIXTURES, env_with_src, pdf_text, squash

L03 = "03-rights-and-the-debate"


def _lesson03_problems(project):
    problems, report = check_report(Project(project.root))
    mine = [str(p) for p in problems if L03 in str(p)]
    return mine, report


def _edit(project, name, old, new, count=1):
    path = project.root / "lessons" / L03 / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the real lesson ------------------------------------------------------------------------------

def test_lesson03_passes_check_without_warnings(project):
    from civicnb.content.check import check_all

    problems, warnings = check_all(project)
    assert [str(p) for p in problems if L03 in str(p)] == []
    assert [str(w) for w in warnings if L03 in str(w)] == []


def test_ledger_reports_both_debated_questions_balanced(project):
    _, report = check_report(project)
    lines = [r for r in report if r.startswith(f"balance {L03} ")]
    assert any(" q-policy: yes: " in r and "; no: " in r for r in lines), lines
    assert any(" q-aea: government-reading: " in r and "challengers-reading: " in r for r in lines), lines


def test_cards_are_boxes_with_exact_text_sources_and_labels(project):
    lesson = project.lesson(L03)
    kind, card = lesson.item("card-eighth")
    assert kind == "block" and card["title"] == "Law card: The Eighth Amendment"
    assert any("“Excessive bail shall not be required, nor excessive fines imposed, nor cruel and unusual "
               "punishments inflicted.”" in row for row in card["list"])
    assert card["as_of"] == "2026-11-29" and "gpo-constitution-amendment-8" in card["sources"]
    kind, persp = lesson.item("persp-judge")
    assert persp["title"] == "Perspective card: A federal judge" and persp["sources"]
    assert lesson.label_of("card-aea") == "“Law card: The Alien Enemies Act (1798) and the 2025 rulings”"
    # a card's sources appear in the lesson's source list
    cited = lesson.cited_source_ids()
    assert "ukleg-cat-article-3" in cited and "bop-coif-fy2023" in cited


def test_every_exact_quotation_names_the_page_it_was_read_on(project):
    from civicnb.content.cards import law_cards

    lesson = project.lesson(L03)
    for c in law_cards(lesson):
        assert c.get("text") or c.get("paraphrase"), c["id"]
        if c.get("text"):
            assert c["text_source"] in c["sources"] and c["text_source"] in project.sources, c["id"]


def test_roles_are_decision_makers_or_advocates_never_prisoners(project):
    from civicnb.content.cards import perspective_cards

    roles = [c["role"].lower() for c in perspective_cards(project.lesson(L03))]
    assert len(roles) == 8
    for word in ("prisoner", "detainee", "deportee", "inmate", "migrant"):
        assert not any(word in r for r in roles)


def test_what_happened_next_is_drawn_from_lesson_01_timeline(project):
    lesson = project.lesson(L03)
    box = lesson.blocks["what-happened-next"]
    timeline = project.lesson("01-claims").data_file("timeline.yml")
    swap = next(e for e in timeline["events"] if e["id"] == "ev-prisoner-swap")
    assert any(" ".join(swap["text"].split()) in row for row in box["list"])
    assert any(row.startswith("**18 July 2025.**") for row in box["list"])
    assert set(swap["sources"]) <= set(box["sources"]) and box["as_of"] == timeline["as_of"]


def test_what_happened_next_follows_an_edit_to_the_timeline_and_the_log(real_copy):
    tl = real_copy.root / "lessons" / "01-claims" / "timeline.yml"
    tl.write_text(tl.read_text(encoding="utf-8").replace(
        "El Salvador sends 252 Venezuelans", "El Salvador sends 252 Venezuelan men"), encoding="utf-8")
    _edit(real_copy, "whats-next.yml", "log: []", "log:\n  - {date: 2026-11-01, note: A new ruling., "
          "sources: [ap-2025-12-23-boasberg-ruling]}")
    box = Project(real_copy.root).lesson(L03).blocks["what-happened-next"]
    assert any("252 Venezuelan men" in row for row in box["list"])
    assert box["list"][-1] == "**Update, 1 November 2026.** A new ruling."


def test_editing_lesson_01_timeline_rebuilds_lesson_03_handouts(real_copy):
    from civicnb.build import input_hash

    before = input_hash(real_copy, L03, "student", "letter")
    tl = real_copy.root / "lessons" / "01-claims" / "timeline.yml"
    tl.write_text(tl.read_text(encoding="utf-8").replace("as_of: 2026-11-29", "as_of: 2026-11-28", 1),
                  encoding="utf-8")
    assert input_hash(real_copy, L03, "student", "letter") != before


# -- the balance ledger fails when the sides are not comparable -----------------------------------

NO_SIDE = ("persp-lawyer", "persp-investigator", "persp-congress-no")


def _drop_cards(project, ids):
    path = project.root / "lessons" / L03 / "perspectives.yml"
    text = path.read_text(encoding="utf-8")
    for cid in ids:
        start = text.index(f"  - id: {cid}\n")
        end = text.find("\n  - id: ", start + 1)
        text = text[:start] + text[end + 1:]
    path.write_text(text, encoding="utf-8")


def test_ledger_fails_when_one_side_has_far_fewer_evidence_items(real_copy):
    _drop_cards(real_copy, NO_SIDE[1:])  # No keeps only the lawyer's card: 3 items against 9
    problems, _ = _lesson03_problems(real_copy)
    assert any("question 'q-policy' is out of balance" in p for p in problems), problems


def test_ledger_fails_when_a_side_has_no_evidence(real_copy):
    _drop_cards(real_copy, NO_SIDE)
    problems, _ = _lesson03_problems(real_copy)
    assert any("side(s) no have no evidence" in p for p in problems), problems


def test_ledger_fails_when_one_sides_evidence_is_weaker(real_copy):
    # the same number of items, but the No side's sources become copies read on mirror sites
    path = real_copy.root / "lessons" / "sources.yml"
    text = path.read_text(encoding="utf-8")
    for sid in ("justia-2025-04-07-trump-v-jgg", "ap-2025-12-23-boasberg-ruling", "ap-2025-04-15-citizens-illegal",
                "hrw-2022-12-07-state-of-emergency", "ukleg-cat-article-3", "elpais-2025-02-04-bukele-offer",
                "remedy-iccpr-article-10", "ap-2023-10-12-cecot-filling"):
        start = text.index(f"  - id: {sid}\n")
        text = text[:start] + text[start:].replace("    accessed:", "    copy: mirror\n    accessed:", 1)
    path.write_text(text, encoding="utf-8")
    problems, _ = _lesson03_problems(real_copy)
    assert any("q-policy': the sides' evidence differs in quality" in p for p in problems), problems


def test_card_checks_name_file_and_line(real_copy):
    _edit(real_copy, "law-cards.yml", "    text_source: gpo-constitution-amendment-8\n", "")
    _edit(real_copy, "perspectives.yml", "        sources: [upi-2025-03-26-noem-cecot]\n        perspective: us-government",
          "        sources: [no-such-source]\n        perspective: us-government")
    _edit(real_copy, "perspectives.yml", "        favours: neutral", "        favours: maybe")
    problems, _ = _lesson03_problems(real_copy)
    text = "\n".join(problems)
    assert f"lessons/{L03}/law-cards.yml:" in text and "exact text needs 'text_source'" in text
    assert "unknown source id 'no-such-source'" in text
    assert "favours 'maybe' is not one of question 'q-aea''s sides" in text


def test_a_broken_card_file_is_one_clear_line_not_a_traceback(real_copy):
    (real_copy.root / "lessons" / L03 / "law-cards.yml").write_text("cards: [\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "check"],
                       capture_output=True, text=True, env=env_with_src())
    assert r.returncode != 0 and "Traceback" not in r.stderr + r.stdout
    assert f"lessons/{L03}/law-cards.yml:" in r.stdout + r.stderr


def test_whats_next_from_a_missing_timeline_is_reported(real_copy):
    _edit(real_copy, "whats-next.yml", "from: 01-claims/timeline.yml", "from: 01-claims/nothing.yml")
    problems, _ = _lesson03_problems(real_copy)
    assert any("from: lessons/01-claims/nothing.yml does not exist" in p for p in problems), problems


# -- the after-unit poll pairs with lesson 00's ----------------------------------------------------

def test_after_unit_poll_repeats_lesson_00_poll(project):
    pre = project.lesson("00-before-we-begin").exercises["poll-pre"]
    post = project.lesson(L03).exercises["poll-post"]
    assert pre["poll"] == post["poll"] == "unit-poll"
    assert [(s["id"], s["text"]) for s in pre["statements"]] == [(s["id"], s["text"]) for s in post["statements"]]


def test_summary_pairs_before_and_after_as_counts(tmp_path):
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(root), "summary",
                        str(FIXTURES / "unit-polls")], capture_output=True, text=True, env=env_with_src())
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "0 work file(s) and 6 poll file(s)" in out
    block = out.split("[unit-poll] When the government removes")[1].split("[unit-poll]")[0]
    assert "lesson 00 (n=3): Strongly disagree: 1, Agree: 2" in block
    assert "lesson 03 (n=3): Strongly disagree: 1, Disagree: 2" in block
    block = out.split("[unit-poll] I can usually tell")[1].split("[unit-poll]")[0]
    assert "lesson 00 (n=3)" in block and "lesson 03 (n=2): Disagree: 2" in block  # one skipped: optional
    for name in ("s1", "s2", "s3"):
        assert name not in out.split("Polls")[1]  # counts only, never names


# -- the student packet ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    from civicnb.build import build

    out = tmp_path_factory.mktemp("h03")
    project = Project(Path(__file__).resolve().parents[1])
    build(project, out_dir=out, lessons=[L03], editions=("student", "teacher"), quiet=True,
          build_root=out / "typst")
    return {e: pdf_text(out / f"{L03}-{e}.pdf") for e in ("student", "teacher")}


def test_student_packet_prints_cards_and_no_key(packets, project):
    s, t = squash(packets["student"]), squash(packets["teacher"])
    assert squash("Law card: The prisoner-transfer law and its consent rule") in s
    assert squash("Perspective card: A member of Congress who opposes the policy") in s
    assert squash("Rubric for the summative task") in s
    summative = project.lesson(L03).exercises["summative"]["key"]["exemplars"]
    for key_text in ("TEACHER KEY", summative["proficient"].replace("**", "")[:60], "Exemplars (three levels)",
                     "That is what 18 U.S.C. § 4100 says."):
        assert squash(key_text) not in s and squash(key_text) in t
    assert squash("One-period version") in t and squash("One-period version") not in s
    # each perspective card's balance mix prints for the teacher only
    assert squash("Sources on this card: 4 from the U.S. government. All support Yes.") in t
    assert "Sourcesonthiscard" not in s


def test_check_fails_when_the_repeated_poll_drifts_from_lesson_00(real_copy):
    """A reworded statement in one of the two polls breaks the before/after pairing: check says so."""
    from civicnb.content.check import check_project
    from civicnb.content.model import Project

    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    text = ef.read_text(encoding="utf-8")
    assert "protecting the\n" in text or "protecting the public" in text
    ef.write_text(text.replace("quickly matters more", "quickly always matters more", 1), encoding="utf-8")
    problems = [str(p) for p in check_project(Project(real_copy.root))]
    assert any("poll 'unit-poll' asks different statements" in p for p in problems), problems


# -- the teacher review of lesson 03 (exemplars, glossary, summative task, paper routes) -----------

def test_proficient_exemplars_argue_both_sides(project):
    ex = project.lesson(L03).exercises
    summative = ex["summative"]["key"]["exemplars"]["proficient"]
    assert "**Against the policy (A):**" in summative and "**For the policy (A):**" in summative
    restate = ex["restate-note"]["key"]["exemplars"]["proficient"]
    assert "Restating a Yes point, answering for No" in restate
    assert "Restating a No point, answering for Yes" in restate


def test_every_legal_term_on_the_cards_is_in_the_vocabulary(project):
    lesson = project.lesson(L03)
    terms = " ".join(v["term"] for v in lesson.meta["vocabulary"]).lower()
    cards = " ".join(str(b) for b in lesson.blocks.values()).lower()
    for word in ("ratif", "state party", "refouler", "extradite", "jurisdiction", "naturalized", "denizens",
                 "proclamation", "predatory incursion", "defer", "arbitrary", "full court"):
        assert word in cards, word          # the cards use it...
        assert word in terms, word          # ...and the vocabulary explains it


def test_summative_task_restates_the_question_and_plans_each_rubric_row(project):
    lesson = project.lesson(L03)
    first_half = lesson.meta["essential_question"].split(", and how")[0]
    task = " ".join(lesson.blocks["summative-task"]["list"])
    assert " ".join(first_half.split()) in " ".join(task.split())
    assert "end of each lesson's packet" in task  # paper students know where the sources are
    order = lesson.exercise_order
    assert order.index("plan-claim") < order.index("plan-evidence") < order.index("plan-other-side") \
        < order.index("summative")
    evidence_row = next(x for x in lesson.blocks["rubric"]["list"] if x.startswith("**Evidence.**"))
    assert "3: three" in evidence_row  # the rubric asks for three pieces, as the task does


def test_self_checks_have_a_paper_answer_route(project):
    from civicnb.build import has_reveals
    from civicnb.exercises import KINDS
    from civicnb.exercises.base import SELF_CHECK

    lesson = project.lesson(L03)
    assert has_reveals(project, L03)  # so an after-the-lesson sheet with the answer table is built
    checks = {e for e, d in lesson.exercises.items() if KINDS[d["kind"]].mode == SELF_CHECK}
    revealed = {i for b in lesson.blocks.values() for i in b.get("reveals") or []}
    assert checks and checks <= revealed
