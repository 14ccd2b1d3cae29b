"""Each exercise kind: the widget gives the right feedback and saves; the paper view has no key; the key
view has the answer. Widgets are driven the way the front end drives them: by setting their values."""
import pytest

from civicnb.exercises import KINDS, kind_of
from civicnb.handout import typ

ALL = ["q-single", "q-multi", "q-sort", "q-highlight", "q-short", "q-long", "q-scale", "q-cer", "q-timeline",
       "q-verdict"]


@pytest.fixture
def session(mini, tmp_path):
    from civicnb.notebook import open_lesson

    return open_lesson("00", work_dir=tmp_path / "work", root=mini.root)


def test_every_kind_is_covered_by_the_fixture(mini):
    kinds = {ex["kind"] for ex in mini.lesson("00").exercise_list}
    assert kinds == set(KINDS)


def _saved(session, ex_id):
    return session.store.answers().get(ex_id)


def test_single_choice(session):
    """Grades on Check, never on a click: a first wrong Check gives a hint, the second the feedback."""
    w = session.render("q-single")
    w.controls["choice"].value = "a"
    assert w.feedback.value == ""  # a click saves, and says nothing about right or wrong
    assert _saved(session, "q-single") == {"choice": "a"}
    w.check_button.click()
    assert "A hint" in w.feedback.value and "KEYFEEDBACK" not in w.feedback.value
    w.check_button.click()
    assert "Not quite" in w.feedback.value and "KEYFEEDBACK-A" in w.feedback.value
    w.controls["choice"].value = "b"
    assert w.feedback.value == ""
    w.check_button.click()
    assert "Correct" in w.feedback.value and "KEYFEEDBACK-B" in w.feedback.value
    assert _saved(session, "q-single") == {"choice": "b"}


def test_check_with_nothing_chosen(session):
    w = session.render("q-single")
    w.check_button.click()
    assert "Choose an answer first" in w.feedback.value


def test_restored_answer_shows_feedback_only_when_right(mini, tmp_path):
    from civicnb.notebook import open_lesson

    first = open_lesson("00", work_dir=tmp_path / "work", root=mini.root)
    first.render("q-single").controls["choice"].value = "a"
    first.render("q-multi").controls["a"].value = True
    again = open_lesson("00", work_dir=tmp_path / "work", root=mini.root)
    w = again.render("q-single")
    assert w.controls["choice"].value == "a"
    assert "saved answer is back" in w.feedback.value and "KEYFEEDBACK" not in w.feedback.value
    w.controls["choice"].value = "b"
    again2 = open_lesson("00", work_dir=tmp_path / "work", root=mini.root)
    assert "Correct" in again2.render("q-single").feedback.value


def test_hints_never_name_the_answer(mini):
    """The hint after a first wrong Check names no option, item or phrase of the key."""
    from civicnb.exercises.highlight import tokens

    lesson = mini.lesson("00")
    for ex in lesson.exercise_list:
        k = kind_of(ex)
        if k.mode != "self-check":
            continue
        wrong = {"single_choice": {"choice": "a"}, "multi_select": {"choices": ["a", "b"]},
                 "highlight": {"selected": [0]}, "sort": {"placements": {"i1": "opinion"}},
                 "timeline": {"positions": {"e1": 2, "e2": 1, "e3": 3}},
                 "verdict": {"verdict": "accurate"}}[ex["kind"]]
        hint = k.hint(ex, wrong)
        assert hint and "KEYFEEDBACK" not in hint and "MULTIFB" not in hint and "WHY" not in hint, (ex["id"], hint)
        if ex["kind"] == "highlight":
            targets = {w for t in ex["key"]["targets"] for w in t["text"].split()}
            assert not targets & {w for _, _, w in tokens(hint)}, hint


def test_multi_select(session):
    w = session.render("q-multi")
    w.controls["a"].value = True
    w.check_button.click()
    assert "A hint" in w.feedback.value and "1 of the 2" in w.feedback.value and "MULTIFB" not in w.feedback.value
    w.controls["b"].value = True
    w.check_button.click()
    assert "does not fit" in w.feedback.value and "MULTIFB-B" in w.feedback.value  # second wrong Check
    w.controls["b"].value = False
    w.controls["c"].value = True
    w.check_button.click()
    assert "Correct" in w.feedback.value and "MULTIWHY" in w.feedback.value
    assert sorted(_saved(session, "q-multi")["choices"]) == ["a", "c"]


def test_sort(session):
    w = session.render("q-sort")
    w.controls["i1"].value = "opinion"
    w.check_button.click()
    assert "SORTWHY1" not in w.feedback.value and "still to sort" in w.feedback.value  # a hint first
    w.check_button.click()
    assert "SORTWHY1" in w.feedback.value and "still to sort" in w.feedback.value
    w.controls["i1"].value = "fact"
    w.controls["i2"].value = "opinion"
    w.controls["i3"].value = "fact"
    w.check_button.click()
    assert "Correct" in w.feedback.value
    assert _saved(session, "q-sort") == {"placements": {"i1": "fact", "i2": "opinion", "i3": "fact"}}


def test_highlight(session):
    w = session.render("q-highlight")
    words = {b.description: b for b in w.controls}
    words["plan"].value = True
    w.check_button.click()
    assert "0 of 2" in w.feedback.value and "“plan”" not in w.feedback.value  # a hint first
    w.check_button.click()
    assert "0 of 2" in w.feedback.value and "plain description" in w.feedback.value
    words["plan"].value = False
    words["brutal"].value = True
    words["could"].value = True
    w.check_button.click()
    assert "Correct" in w.feedback.value and "HLWHY" in w.feedback.value
    assert sorted(_saved(session, "q-highlight")["selected"]) == [1, 3]


def test_timeline(session):
    w = session.render("q-timeline")
    c = w.controls
    c["e1"].value, c["e2"].value, c["e3"].value = 2, 1, 3
    w.check_button.click()
    assert "1 of 3" in w.feedback.value and "A hint" in w.feedback.value
    c["e1"].value, c["e2"].value = 1, 2
    w.check_button.click()
    assert "Correct" in w.feedback.value and "TIMEWHY" in w.feedback.value
    assert _saved(session, "q-timeline") == {"positions": {"e1": 1, "e2": 2, "e3": 3}}


def test_duplicate_timeline_numbers(session):
    w = session.render("q-timeline")
    for ctl in w.controls.values():
        ctl.value = 1
    w.check_button.click()
    assert "same number" in w.feedback.value


@pytest.mark.parametrize("ex_id", ["q-short", "q-long"])
def test_written_saves_and_never_shows_exemplars(session, ex_id):
    w = session.render(ex_id)
    w.controls["text"].value = "Because ] #read(\"x\") 😀"
    assert _saved(session, ex_id) == {"text": "Because ] #read(\"x\") 😀"}
    assert "Saved" in w.feedback.value
    html = repr(w)
    for secret in ("EXBEG", "EXDEV", "EXPRO", "LONGPRO", "LOOKFOR", "LONGLOOK"):
        assert secret not in html


def test_cer(session):
    w = session.render("q-cer")
    w.controls["claim"].value = "It rained."
    w.controls["evidence"].value = "Wet streets."
    assert _saved(session, "q-cer") == {"claim": "It rained.", "evidence": "Wet streets.", "reasoning": ""}
    assert "CERCLAIM" not in repr(w)


def test_scale(session):
    w = session.render("q-scale")
    w.controls["s1"].value = 4
    assert _saved(session, "q-scale") == {"ratings": {"s1": 4}}
    assert "1 of 2" in w.feedback.value and "Saved" in w.feedback.value
    assert "Correct" not in w.feedback.value and "✔" not in w.feedback.value  # a poll has no right answer
    assert "Circle" not in repr(w) and "Choose how much" in repr(w)  # screen wording, not paper wording


def test_verdict_card(session):
    w = session.render("q-verdict")
    html = repr(w)
    assert "EVIDENCEONE" in html and "Government" in html and "VERDICTWHY" not in html
    w.controls["verdict"].value = "accurate"
    assert w.feedback.value == ""  # graded on Check only
    w.check_button.click()
    assert "A hint" in w.feedback.value and "VERDICTWHY" not in w.feedback.value
    w.check_button.click()
    assert "Not quite" in w.feedback.value and "VERDICTWHY" not in w.feedback.value
    w.controls["verdict"].value = "missing-context"
    w.controls["reason"].value = "The newspaper disagrees."
    w.check_button.click()
    assert "Correct" in w.feedback.value and "VERDICTWHY" in w.feedback.value
    assert _saved(session, "q-verdict") == {"verdict": "missing-context", "reason": "The newspaper disagrees."}


def test_widgets_are_labelled(session):
    """Every input control has a visible description (its accessible label)."""
    import ipywidgets as W

    for ex_id in ALL:
        w = session.render(ex_id)
        stack = [w]
        while stack:
            node = stack.pop()
            stack.extend(getattr(node, "children", ()))
            if isinstance(node, (W.RadioButtons, W.Checkbox, W.Dropdown, W.Textarea, W.Text, W.ToggleButtons,
                                 W.ToggleButton, W.Button)):
                assert (node.description or "").strip(), f"{ex_id}: unlabelled {type(node).__name__}"


def test_answers_restore_in_a_new_session(session, mini, tmp_path):
    from civicnb.notebook import open_lesson

    session.render("q-single").controls["choice"].value = "b"
    session.render("q-short").controls["text"].value = "Mine."
    again = open_lesson("00", work_dir=tmp_path / "work", root=mini.root)
    assert again.render("q-single").controls["choice"].value == "b"
    assert again.render("q-short").controls["text"].value == "Mine."
    assert "Correct" in again.render("q-single").feedback.value


KEY_MARKERS = {
    "q-single": ["SINGLEWHY"], "q-multi": ["MULTIWHY"], "q-sort": ["SORTWHY1", "SORTWHY2"],
    "q-highlight": ["HLWHY1", "HLWHY2"], "q-short": ["EXBEG", "EXDEV", "EXPRO", "LOOKFOR"],
    "q-long": ["LONGPRO", "LONGACCEPT"], "q-scale": ["SCALEWHY"], "q-cer": ["CERCLAIM", "CERREASON", "CERLOOK"],
    "q-timeline": ["TIMEWHY", "TEACHERNOTE"], "q-verdict": ["VERDICTWHY", "VERDICTNOTE"],
}


@pytest.mark.parametrize("ex_id", ALL)
def test_paper_view_has_no_key_and_key_view_has_it(mini, ex_id):
    ex = mini.lesson("00").exercises[ex_id]
    k = kind_of(ex)
    paper, key = k.paper(ex), k.key(ex)
    for marker in KEY_MARKERS[ex_id]:
        assert marker not in paper, f"{ex_id} paper view leaks {marker}"
        assert marker in key, f"{ex_id} key view lacks {marker}"
    assert "keybox" in key and "keybox" not in paper


def test_paper_views_size_answer_space(mini):
    lesson = mini.lesson("00")
    assert "#answerlines(2)" in kind_of(lesson.exercises["q-short"]).paper(lesson.exercises["q-short"])
    assert "#answerlines(8)" in kind_of(lesson.exercises["q-long"]).paper(lesson.exercises["q-long"])


def test_typst_strings_are_inert():
    for nasty in ['#read("/etc/passwd")', "$x$", "\\", "]", "<script>", "@preview", '"', "a\nb"]:
        lit = typ.string(nasty)
        assert lit.startswith('"') and lit.endswith('"')
        inner = lit[1:-1]
        # every quote and backslash inside is escaped
        assert '"' not in inner.replace('\\"', "") and "\n" not in inner
    assert typ.text("x") == '#"x";'


def test_sort_paper_view_cites_no_single_item(mini):
    """A citation on some items only would tell students which ones are checkable facts."""
    from civicnb.exercises.base import CITE_MARK

    ex = mini.lesson("00").exercises["q-sort"]
    ex["items"][0]["sources"] = ["src-one"]
    k = kind_of(ex)
    assert CITE_MARK not in k.paper(ex) and CITE_MARK not in k.filled(ex, {})
    assert "src-one" in k.prompt_sources(ex)
    assert CITE_MARK in k.key(ex)


def test_editions_number_sources_alike(project):
    import json

    from civicnb.handout.render import render

    for lesson in project.lessons():
        nb = json.loads(lesson.notebook_path.read_text())
        student = render(project, lesson, nb, "student").source_ids
        teacher = render(project, lesson, nb, "teacher").source_ids
        assert teacher[:len(student)] == student


def test_sort_widget_names_items_by_the_letters_the_paper_prints(project):
    """One numbering: the notebook's sort rows carry the same letters (item C) as the handouts."""
    from civicnb.exercises import kind_of
    from civicnb.exercises.sorting import item_letter
    from civicnb.handout import typ

    lesson = project.lesson("01")
    ex = lesson.exercises["claim-sort"]
    k = kind_of(ex)
    box = k.widget(ex, None, lambda a: None)
    paper = k.paper(ex)
    for n, (item_id, dd) in enumerate(box.controls.items(), 1):
        assert dd.description == f"Item {item_letter(n)}"
        text = next(it["text"] for it in ex["items"] if it["id"] == item_id)
        assert typ.text(f"{item_letter(n)}. ") + typ.inline(text) in paper, (n, item_id)
