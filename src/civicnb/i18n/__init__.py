"""Translations of lesson content: overlay files, fixed UI words and freshness.

A lesson's translation lives in ``lessons/<lesson>/i18n/<lang>.yml`` (the article's in
``lessons/article/i18n/<lang>.yml``, the unit's in ``lessons/i18n/<lang>.yml``)::

    lang: es
    strings:
      "exercises.yml:exercises/q-kinds/prompt":  # <file>:<path>; list items with an id are named by
        en: "What kind of question is this?"      # their id, others by their index. `en` is the
        en_hash: 3f9a1c2e                         # English text, for the translator; en_hash is the
        es: "¿Qué tipo de pregunta es esta?"      # first 8 hex of sha256 of it (whitespace collapsed)

Which fields are student-facing (and so translated) is :data:`FIELDS`; teacher-only fields
(``teacher_note``, exemplars, ``look_for``, lesson-plan steps...) stay in English. The notebook's
Markdown cells are strings too, named ``notebook:cells/<cell id>``.

Pure Python on purpose: no YAML (or anything heavy) is imported here, so the browser runtime
(Pyodide) can load overlays shipped as JSON and call :func:`apply_overlay` itself.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os

LANGS = ("en", "es")  # "en" is the source language; the others are shipped translations
SOURCE_LANG = "en"
LANG_NAMES = {"en": "English", "es": "Español"}
NOTEBOOK = "notebook"  # the <file> part of a notebook Markdown cell's key
REF_RE_TEXT = r"\[\[[^\]]*\]\]"  # a [[item-id]] reference (kept as written in every translation)

# Self-check kinds whose key.why the notebook shows a student once they answer right.
_WHY_SHOWN = ("single_choice", "multi_select", "highlight", "timeline")

# Student-facing string fields, per lesson data file. A path is the list of keys from the file's top;
# "*" stands for a list item (named by its id, else its index) or any mapping key.
FIELDS: dict[str, tuple[str, ...]] = {
    "lesson.yml": (
        "title", "subtitle", "essential_question", "i_can/*",
        "vocabulary/*/term", "vocabulary/*/definition", "content_note/text",
        "blocks/*/title", "blocks/*/text", "blocks/*/list/*",
        "facts/*/title", "facts/*/text", "facts/*/list/*",
        "figures/*/title", "figures/*/caption", "figures/*/alt",
        "alternatives/*/label",
    ),
    "exercises.yml": (
        "exercises/*/title", "exercises/*/prompt", "exercises/*/hint", "exercises/*/starter",
        "exercises/*/question", "exercises/*/passage_source", "exercises/*/passage_gloss/*",
        "exercises/*/options/*/text", "exercises/*/options/*/feedback", "exercises/*/options/*/hint",
        "exercises/*/categories/*/label", "exercises/*/categories/*/hint",
        "exercises/*/items/*/text", "exercises/*/items/*/why",
        "exercises/*/statements/*/text", "exercises/*/scale/*",
        "exercises/*/events/*/text",
        "exercises/*/key/why", "exercises/*/key/targets/*/why",
    ),
    "claims.yml": (
        "claims/*/paraphrase", "claims/*/verdict_why", "claims/*/hint", "claims/*/evidence/*/note",
    ),
    "timeline.yml": ("events/*/text",),
    "law-cards.yml": ("cards/*/title", "cards/*/provision", "cards/*/text", "cards/*/paraphrase", "cards/*/meaning",
                      "cards/*/bears_on"),
    "perspectives.yml": ("cards/*/role", "cards/*/position", "cards/*/arguments/*/point"),
    "whats-next.yml": ("title", "intro", "log/*/note"),
    "article.yml": ("citation/lacks/*", "paragraphs/*/summary"),
    "unit.yml": ("title", "subtitle", "essential_question"),
}
# Never translated, on purpose: a highlight exercise's `passage`, its targets' `text` and
# `also_accept` (quoted English analysed word by word), the article's headline, front matter,
# captions and phrases (the article's own words), source titles (kept in their original language),
# and every teacher-only field.


def norm(s: str) -> str:
    """Whitespace collapsed: reflowing a YAML paragraph does not make its translation stale."""
    return " ".join(str(s).split())


def en_hash(s: str) -> str:
    """First 8 hex digits of the SHA-256 of the English string with whitespace collapsed."""
    return hashlib.sha256(norm(s).encode("utf-8")).hexdigest()[:8]


def _seg(item, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), (str, int)) and not isinstance(item.get("id"), bool):
        return str(item["id"])
    return str(index)


def _walk(node, pattern, path, parent_ex=None):
    """Yield (path, container, key, value) for strings matching ``pattern`` (a list of segments)."""
    if not pattern:
        if isinstance(node, str):
            yield path
        return
    head, rest = pattern[0], pattern[1:]
    if isinstance(node, list):
        if head != "*":
            return
        for i, item in enumerate(node):
            seg = _seg(item, i)
            if not rest:
                if isinstance(item, str):
                    yield path + [(seg, node, i)]
            else:
                yield from _walk(item, rest, path + [(seg, node, i)], parent_ex)
    elif isinstance(node, dict):
        keys = list(node) if head == "*" else ([head] if head in node else [])
        for k in keys:
            v = node[k]
            if not rest:
                if isinstance(v, str):
                    yield path + [(str(k), node, k)]
            else:
                yield from _walk(v, rest, path + [(str(k), node, k)], parent_ex)


def fields_of(filename: str) -> tuple[str, ...]:
    return FIELDS.get(os.path.basename(filename), ())


def student_strings(data, filename: str):
    """Every student-facing string in one lesson data file: yields ``(key, container, slot, text)``
    with ``key`` = ``"<file>:<path>"``; ``container[slot]`` is where the text sits.
    ``filename`` is the file's name (``exercises.yml``) or ``notebook`` for a notebook dict."""
    base = os.path.basename(filename)
    if base == NOTEBOOK or base.endswith(".ipynb"):
        for i, cell in enumerate((data or {}).get("cells") or [] if isinstance(data, dict) else []):
            if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
                continue
            src = cell.get("source", "")
            text = "".join(src) if isinstance(src, list) else src
            if not isinstance(text, str) or not text.strip():
                continue
            cid = cell.get("id") or str(i)
            yield f"{NOTEBOOK}:cells/{cid}", cell, "source", text
        return
    found = []
    seen = set()
    for pat in fields_of(base):
        for path in _walk(data, pat.split("/"), [], None):
            segs = [p[0] for p in path]
            if base == "exercises.yml" and pat in ("exercises/*/key/why",):
                ex = path[1][1][path[1][2]]  # the exercise dict
                if not isinstance(ex, dict) or ex.get("kind") not in _WHY_SHOWN:
                    continue
            key = f"{base}:{'/'.join(segs)}"
            if key in seen:  # two list items share an id: `civicnb check` reports it
                continue
            seen.add(key)
            _, container, slot = path[-1]
            found.append((key, container, slot, container[slot]))
    order = _doc_order(data)  # in the file's own order, so a translator reads each item whole
    found.sort(key=lambda f: order.get((id(f[1]), f[2]), 0))
    yield from found


def _doc_order(data) -> dict:
    out: dict = {}
    stack = [data]
    n = 0
    while stack:  # depth first, in order (no recursion: lesson files can nest a little deep)
        node = stack.pop()
        if isinstance(node, dict):
            items = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for k, v in items:
            out[(id(node), k)] = n
            n += 1
        for k, v in reversed(items):
            if isinstance(v, (dict, list)):
                stack.append(v)
    return out


def entry_text(entry):
    """The translation in one entry of a ``strings`` mapping: ``{es: ...}`` or a plain string."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for k in ("es", "text", "t"):
            if isinstance(entry.get(k), str):
                return entry[k]
        others = [v for k, v in entry.items() if k not in ("en", "en_hash") and isinstance(v, str)]
        return others[0] if others else None
    return None


def apply_overlay(data: dict, strings: dict, filename: str) -> dict:
    """Put translated strings into one loaded lesson data file (or notebook dict), in place, and return it.

    ``strings`` is the ``strings:`` mapping of a translation file (``{key: {en_hash, es}}``, or
    ``{key: "text"}``). Only student-facing fields are replaced; a string with no (or an empty)
    translation keeps its English text (``civicnb check`` and the tests report it). A stale
    translation (English changed since) is still used: it is nearer than English for a Spanish reader,
    and the freshness check fails until it is updated. Mappings keep their type (and line numbers)."""
    if not strings or not isinstance(data, (dict, list)):
        return data
    for key, container, slot, _text in list(student_strings(data, filename)):
        tr = entry_text(strings.get(key))
        if isinstance(tr, str) and tr.strip():
            if isinstance(container, dict):
                dict.__setitem__(container, slot, tr)
            else:
                container[slot] = tr
    return data


def status(data, strings: dict, filename: str) -> dict:
    """``{"missing": [keys], "stale": [keys], "ok": n}`` for one file against its translations."""
    out = {"missing": [], "stale": [], "ok": 0}
    for key, _c, _s, text in student_strings(data, filename):
        entry = (strings or {}).get(key)
        tr = entry_text(entry)
        if not isinstance(tr, str) or not tr.strip():
            out["missing"].append(key)
        elif isinstance(entry, dict) and str(entry.get("en_hash", "")) != en_hash(text):
            out["stale"].append(key)
        else:
            out["ok"] += 1
    return out


# -- fixed UI words ---------------------------------------------------------------------------------
_UI: dict | None = None
UI_FILE = os.path.join(os.path.dirname(__file__), "ui.yml")
UI_JSON = os.path.join(os.path.dirname(__file__), "ui.json")  # the same, for runtimes without YAML


def _ui() -> dict:
    """{English text: {lang: text}} from ui.yml; where PyYAML is absent (the browser), ui.json, which
    ``civicnb i18n sync`` writes from it (a test keeps the two equal)."""
    global _UI
    if _UI is None:
        try:
            _UI = load_ui_yaml(UI_FILE)
        except ImportError:
            import json

            try:
                with open(UI_JSON, encoding="utf-8") as f:
                    _UI = json.load(f)
            except (OSError, ValueError):
                _UI = {}
    return _UI


def load_ui_yaml(path: str) -> dict:
    import yaml

    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    ui = data.get("ui") or {}
    return {str(k): v for k, v in ui.items()}


_CURRENT: contextvars.ContextVar = contextvars.ContextVar("civicnb_lang", default=None)


@contextlib.contextmanager
def using(lang: str | None):
    """Render in ``lang``: :func:`t` without a language uses it (a handout being rendered)."""
    token = _CURRENT.set(lang)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_lang() -> str:
    return _CURRENT.get() or SOURCE_LANG


def default_lang() -> str:
    """The class default: ``$CIVICNB_LANG`` (``es``), else English."""
    v = (os.environ.get("CIVICNB_LANG") or "").strip().lower()[:2]
    return v if v in LANGS else SOURCE_LANG


def t(key: str, lang: str | None = None, /, **fmt) -> str:
    """A fixed UI word or phrase (``key`` is its English text, with ``{name}`` fields filled from
    ``fmt``) in ``lang``; without one, in the language being rendered (:func:`using`), else English.
    A word missing from ui.yml prints in English (the tests fail on it, so none ships)."""
    lang = lang or _CURRENT.get() or SOURCE_LANG
    text = key
    entry = _ui().get(key) if (lang != SOURCE_LANG or key.startswith("month")) else None
    if isinstance(entry, dict):
        text = entry.get(lang) or entry.get(SOURCE_LANG) or key
    return text.format(**fmt) if fmt else text


def ui_keys() -> list[str]:
    return list(_ui())


__all__ = ["apply_overlay", "en_hash", "student_strings", "status", "t", "default_lang", "LANGS", "FIELDS"]
