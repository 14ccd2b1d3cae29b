"""Each row of a dated list box is cited where it stands (a student packet prints only the first
STUDENT_CITES numbers at one spot, so one spot for the whole box left the newest events unsourced)."""
import re

from civicnb.content.cards import next_block
from civicnb.exercises.base import CITE_MARK
from civicnb.handout.render import STUDENT_CITES, list_with_cites

from .test_content import _edit, _problems

MARK = re.compile(f"{CITE_MARK}cite:([^{CITE_MARK}]*){CITE_MARK}")


def _row_cites(block):
    """The source ids a student edition prints after each row (first STUDENT_CITES of its mark)."""
    rows = [r for r in list_with_cites(block).split("\n") if r.startswith("- ")]
    return [[s for s in (MARK.search(r).group(1).split(",") if MARK.search(r) else []) if s][:STUDENT_CITES]
            for r in rows]


def test_whats_next_box_cites_every_event(project):
    lesson = project.lesson("03-rights-and-the-debate")
    box = next_block(lesson)
    timeline = {e["id"]: e for e in project.load_content("lessons/01-claims/timeline.yml")["events"]}
    cites = _row_cites(box)
    assert len(cites) == len(box["list"]) >= 5
    shown = [e for e in timeline.values() if e.get("after_article") and e["id"] in
             project.load_content("lessons/03-rights-and-the-debate/whats-next.yml")["select"]]
    shown.sort(key=lambda e: str(e["date"]))
    for ev, ids in zip(shown, cites):
        assert ids and set(ids) <= set(ev["sources"]), (ev["id"], ids)
    # the December 2025 ruling is cited by a source that reports it, in print
    dec = [ids for ev, ids in zip(shown, cites) if ev["id"] == "ev-boasberg-ruling"][0]
    assert "ap-2025-12-23-boasberg-ruling" in dec


def test_debrief_rows_cite_the_later_events(project):
    lesson = project.lesson("01-claims")
    box = lesson.blocks["after-article"]
    cites = _row_cites(box)
    assert len(cites) == len(box["list"]) and all(cites)
    flat = {s for ids in cites for s in ids}
    for sid in ("ap-2025-12-23-boasberg-ruling", "ap-2026-02-13-boasberg-return-order",
                "bloomberglaw-2026-01-22-fifth-circuit-en-banc", "diariocolatino-2026-02-24-extension-48"):
        assert sid in flat, sid


def test_block_without_row_sources_keeps_one_mark():
    out = list_with_cites({"list": ["a", "b"], "sources": ["x", "y"]})
    assert len(MARK.findall(out)) == 1 and out.endswith(f"{CITE_MARK}cite:x,y{CITE_MARK}")


def test_check_reports_row_sources_that_do_not_match(real_copy):
    lf = real_copy.lessons_dir / "01-claims" / "lesson.yml"
    _edit(lf, "      - [diariocolatino-2026-02-24-extension-48]\n", "")
    probs = _problems(real_copy)
    assert any("lesson.yml" in p and "row_sources has 7 entries but list has 8 rows" in p for p in probs), probs
    _edit(lf, "      - [ap-2025-04-15-citizens-illegal]\n",
          "      - [ap-2025-04-15-citizens-illegal]\n      - [npr-2025-07-18-prisoner-swapx]\n")
    probs = _problems(real_copy)
    assert any("cites 'npr-2025-07-18-prisoner-swapx', which is not in its sources" in p for p in probs), probs
