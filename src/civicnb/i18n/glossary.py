"""The Spanish glossary of legal terms (``lessons/i18n/glossary-es.yml``), printed in the teacher edition.

Format (see docs/translating.md)::

    lang: es
    terms:
      - en: due process                # the English term, as the lessons use it
        es: debido proceso             # the Spanish term the translations use
        gloss_es: Los pasos legales justos que el gobierno debe seguir ...   # plain Spanish, grade 9-10
        lessons: ["00", "03"]          # optional: the lessons that use it (default: every lesson)
        note: optional note for teachers (English)
"""
from __future__ import annotations

from pathlib import Path

REQUIRED = ("en", "es", "gloss_es")


def glossary_path(root, lang: str = "es") -> Path:
    return Path(root) / "lessons" / "i18n" / f"glossary-{lang}.yml"


def load_glossary(root, lang: str = "es") -> list[dict]:
    """The glossary's terms ([] when there is no glossary file). Raises ContentError on a broken file."""
    from ..content.yamlload import ContentError, load_yaml

    path = glossary_path(root, lang)
    if not path.is_file():
        return []
    rel = f"lessons/i18n/{path.name}"
    data = load_yaml(path, rel)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ContentError(rel, 1, "a glossary needs 'lang:' and 'terms:', a list of {en, es, gloss_es}; "
                                   "see docs/translating.md")
    out = []
    for i, term in enumerate(data["terms"]):
        line = data["terms"].line_of(i)
        if not isinstance(term, dict):
            raise ContentError(rel, line, "each term is a mapping with en, es and gloss_es")
        missing = [k for k in REQUIRED if not isinstance(term.get(k), str) or not term[k].strip()]
        if missing:
            raise ContentError(rel, line, f"term {term.get('en')!r} needs {', '.join(missing)} (text)")
        lessons = term.get("lessons")
        if lessons is not None and not (isinstance(lessons, list) and all(isinstance(x, (str, int)) for x in lessons)):
            raise ContentError(rel, line, f"term {term['en']!r}: lessons must be a list of lesson numbers like [\"00\", \"03\"]")
        out.append(term)
    return out


def terms_for(root, lesson_id: str, lang: str = "es") -> list[dict]:
    """The glossary terms a lesson uses (those listing it, or listing no lessons), sorted by English term."""
    terms = [t for t in load_glossary(root, lang)
             if t.get("lessons") is None or str(lesson_id) in {str(x).zfill(2) for x in t["lessons"]}]
    return sorted(terms, key=lambda t: t["en"].lower())
