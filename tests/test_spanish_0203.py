"""Spanish text of lessons 02 and 03 and the shared glossary (issue 12): what a translation must keep.

The freshness test (every string filled and not stale) lives with the i18n machinery; these check
what a faithful translation keeps from its English: [[references]], Markdown emphasis, every number,
the after-unit poll's statements word for word, and one Spanish term per concept in the glossary.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ("02-reading-like-a-fact-checker", "03-rights-and-the-debate")


def _strings(lesson: str) -> dict:
    data = yaml.safe_load((ROOT / "lessons" / lesson / "i18n" / "es.yml").read_text(encoding="utf-8"))
    return data["strings"]


def _numbers(s: str) -> Counter:
    return Counter(re.findall(r"\d+(?:[.,]\d+)*", s))


@pytest.mark.parametrize("lesson", LESSONS)
def test_translation_keeps_references_emphasis_and_numbers(lesson):
    problems = []
    for key, e in _strings(lesson).items():
        en, es = e["en"], e["es"]
        if Counter(re.findall(r"\[\[[^\]]+\]\]", en)) != Counter(re.findall(r"\[\[[^\]]+\]\]", es)):
            problems.append(f"{key}: [[references]] differ")
        if en.count("**") != es.count("**"):
            problems.append(f"{key}: **bold** markers differ ({en.count('**')} vs {es.count('**')})")
        missing = _numbers(en) - _numbers(es)
        if missing:
            problems.append(f"{key}: numbers missing in Spanish: {sorted(missing)}")
        if en.lstrip().startswith("#") and (en.split()[0] != es.split()[0]):
            problems.append(f"{key}: heading level differs")
    assert not problems, "\n".join(problems)


def test_after_unit_poll_is_word_for_word_lesson_00s_in_spanish():
    pre = {k.rsplit("/", 2)[-2]: e["es"] for k, e in _strings("00-before-we-begin").items()
           if "/poll-pre/statements/" in k}
    post = {k.rsplit("/", 2)[-2]: e["es"] for k, e in _strings(LESSONS[1]).items()
            if "/poll-post/statements/" in k}
    assert pre and set(pre) == set(post)
    assert {k: v for k, v in post.items() if v != pre[k]} == {}


def test_glossary_has_one_spanish_term_per_concept():
    g = yaml.safe_load((ROOT / "lessons" / "i18n" / "glossary-es.yml").read_text(encoding="utf-8"))
    assert g["lang"] == "es"
    terms = g["terms"]
    for t in terms:
        assert {"en", "es", "gloss_es"} <= set(t), t
        assert all(isinstance(t[k], str) and t[k].strip() for k in ("en", "es", "gloss_es")), t
        assert set(t.get("lessons") or []) <= {"00", "01", "02", "03"}, t
    for field in ("en", "es"):
        dup = [v for v, n in Counter(t[field].lower() for t in terms).items() if n > 1]
        assert not dup, f"two glossary entries share {field}: {dup}"


def test_glossary_terms_are_the_ones_the_translations_use():
    """Spot-check the fixed choices: the Spanish text uses the glossary's term, not a synonym."""
    text = " ".join(e["es"] for lesson in LESSONS for e in _strings(lesson).values())
    for use, avoid in (("régimen de excepción", "estado de excepción"), ("debido proceso", "proceso debido"),
                       ("Ley de Enemigos Extranjeros", "Ley de Enemigos Extranjeros de 1798"),
                       ("Plan Control Territorial", "Plan de Control Territorial")):
        assert use in text and avoid not in text, (use, avoid)


# -- the checklist's Spanish word list ---------------------------------------------------------------
ES_WORDS = ROOT / "src" / "civicnb" / "checklist_words_es.yml"
ES_PAGE = ("Desastrosos recortes en las bibliotecas podrían dejar a los niños sin adónde ir. El alcalde "
           "Sam Lee dijo que el plan es \"una modernización audaz y de sentido común\". Los expertos "
           "advierten que destrozar las bibliotecas perjudicará a las familias más pobres. Se cree "
           "ampliamente que los jóvenes ya no leen libros. Según la policía, hubo 82 homicidios.")


def test_spanish_word_list_reads_spanish_text():
    from civicnb.checklist import check_text, load_words

    words = load_words(ES_WORDS)
    assert words["language"] == "es"
    r = check_text(ES_PAGE, words)
    assert r.helped and not r.notes
    assert {h.word for h in r.charged} == {"desastros*", "audaz", "sentido común", "destroz*"}
    assert [h.word for h in r.hedges] == ["podrían"]
    kinds = {(a.kind, a.phrase) for a in r.attributions}
    assert ("unnamed", "Los expertos advierten") in kinds
    assert ("none", "Se cree ampliamente") in kinds
    assert ("named", "Sam Lee dijo") in kinds


def test_spanish_according_to_counts_as_an_attribution():
    """'Según la policía' is Spanish for 'according to police': a named office (it was missed)."""
    from civicnb.checklist import check_text, load_words

    r = check_text(ES_PAGE, load_words(ES_WORDS))
    assert ("named", "Según la policía") in {(a.kind, a.phrase) for a in r.attributions}


def test_spanish_word_list_leaves_out_neutral_legal_terms():
    """'régimen de excepción' is the measure's legal name and 'presunto' the neutral word for accused."""
    from civicnb.checklist import check_text, load_words

    r = check_text("El régimen de excepción sigue vigente, dijo el ministro. Los presuntos pandilleros "
                   "fueron trasladados al CECOT, según informó la policía esta semana.", load_words(ES_WORDS))
    assert r.helped and not r.charged


def test_spanish_word_list_is_package_data():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "checklist_words_es.yml" in text


def test_english_list_points_spanish_text_to_the_spanish_list():
    from civicnb.checklist import check_text, format_text, load_words

    r = check_text(ES_PAGE, load_words())
    assert not r.helped and "Spanish" in r.notes[0] and "cannot help" in r.notes[0]
    assert f"civicnb checklist --words {ES_WORDS}" in format_text(r)


def test_teacher_glossary_table_gives_every_column_a_share_of_the_width():
    """With (auto, auto, 1fr) a long English term took the page width and squeezed the explanation to
    one word per line (lesson 03's teacher edition grew from 35 to 51 pages)."""
    import json

    from civicnb.content.model import Project
    from civicnb.handout.render import render

    project = Project(ROOT)
    lesson = project.lesson(LESSONS[1])
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    src = render(project, lesson, nb, "teacher", "letter").source
    table = src.split("Spanish glossary (glosario)", 1)[1].split("#table(", 1)[1]
    columns = table.split("columns: (", 1)[1].split(")", 1)[0]
    assert "auto" not in columns and columns.count("fr") == 3, columns
