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
