"""Lesson 02 after the teacher review (items 1, 6, 7, 8, 9, 17): what the packet shows matches what its
questions ask for, the paragraph map does not answer the sourcing audit, the unit's figures agree, and
the teacher notes keep commands and file paths in their Technical notes."""
import csv
import re

from .conftest import ROOT

LESSON = "02-reading-like-a-fact-checker"


def _quoted(text):
    return re.findall(r'"([^"]+)"|“([^”]+)”', text)


def test_headline_sort_phrases_are_printed_in_the_packet(project):
    """#1: every phrase the headline sort asks about is in a headline the article box prints, or in the
    subtitle the question itself prints; the stem points to the map in this packet, not lesson 01."""
    lesson = project.lesson("02")
    ex = lesson.exercises["headline-body"]
    cit = project.article["citation"]
    visible = " ".join([cit["headline"], cit.get("headline_alt", ""), ex["prompt"]])
    assert cit["subtitle"] in ex["prompt"].replace("\n", " ").replace("  ", " ")
    for item in ex["items"]:
        phrase = item["text"].strip('"')
        assert phrase in visible, f"{item['id']}: {phrase!r} is not printed in the packet"
    assert "lesson 01" not in ex["prompt"]


def test_paragraph_map_does_not_judge_attribution(project):
    """#6: the map and the citation box report what the article says; they do not say that its sources
    are unnamed (that is what the sourcing audit asks)."""
    judging = re.compile(r"unnamed|without saying by whom|does not name|not named|named critic", re.I)
    audit = project.lesson("02").exercises["sourcing-audit"]
    cited = {int(m) for it in audit["items"] for m in re.findall(r"¶(\d+)", it["text"])}
    for p in project.article["paragraphs"]:
        if p["n"] in cited:
            assert not judging.search(p["summary"]), (p["n"], p["summary"])
    for line in project.article["citation"].get("lacks") or []:
        assert not judging.search(line), line


def test_illegal_immigrants_is_accepted_not_required(project):
    """#17: a discussion item, accepted if marked, not a required charged word; the notes give a reason
    for each side's words."""
    ex = project.lesson("02").exercises["charged-quotes"]
    targets = [t["text"] for t in ex["key"]["targets"]]
    assert "illegal immigrants" not in targets
    assert "illegal immigrants" in ex["key"]["also_accept"]
    notes = (ROOT / "lessons" / LESSON / "teacher.md").read_text()
    assert "discussion item" in notes and "plain and accurate" in notes and "action, not a" in notes


def test_chart_years_match_the_data(project):
    """#8: the caption and the counting box name the years that really come from the compiling site."""
    rows = list(csv.DictReader((ROOT / "lessons" / "data" / "elsalvador_homicides.csv").open()))
    years = sorted(int(r["date"][:4]) for r in rows
                   if r["series"] == "official" and r["source"] == "elsalvadorinfo-2022-12-01-homicide-rate")
    span = f"{years[0]} to {years[-1]}"
    meta = project.lesson("02").meta
    fig = next(f for f in meta["figures"] if f["id"] == "homicide-chart")
    assert span in fig["caption"]
    box = next(f for f in meta["facts"] if f["id"] == "counting-rules")
    assert any(span in line and "compiles police data" in line for line in box["list"])
    notes = (ROOT / "lessons" / LESSON / "teacher.md").read_text()
    assert f"{years[0]} to {years[-1]} come from a site" in notes


def test_where_things_stand_names_both_deal_costs(project):
    """#8: lesson 03 cites the $6 million reported in March 2025; lesson 02 names both figures and their stage."""
    box = next(f for f in project.lesson("02").meta["facts"] if f["id"] == "where-things-stand")
    text = " ".join(box["text"].split())
    assert "$6 million" in text and "March 2025" in text
    assert "$4.76 million" in text and "September 2025" in text
    assert "ap-2025-03-15-cecot-payment" in box["sources"]


def test_teacher_prose_keeps_commands_in_technical_notes():
    """#9: make, .venv, file paths and civicnb commands only under "Technical notes" at the end."""
    notes = (ROOT / "lessons" / LESSON / "teacher.md").read_text()
    head, sep, tail = notes.partition("## Technical notes")
    assert sep and "\n## " not in tail
    for bad in ("`", ".venv", "make handouts", "lessons/", "src/", "civicnb checklist"):
        assert bad not in head, bad
    assert "make handouts" in tail and "civicnb checklist" in tail
    prep = " ".join(str(x) for x in (ROOT / "lessons" / LESSON / "lesson.yml").read_text().split("vocabulary:")[0]
                    .split("preparation:")[1:])
    assert "`" not in prep and ".venv" not in prep


def test_exit_ticket_note_describes_the_page(project):
    """#7: the teacher notes describe only lines the made-up Lakeside page prints."""
    notes = (ROOT / "lessons" / LESSON / "teacher.md").read_text()
    page = " ".join(project.lesson("02").meta["blocks"][[b["id"] for b in project.lesson("02").meta["blocks"]]
                                                        .index("transfer-page")]["list"])
    if "library visits" in notes:
        assert "visits" in page
