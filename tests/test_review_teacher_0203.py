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
