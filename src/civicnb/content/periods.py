"""Class periods: which notebook cells fall in which period, minutes and reading load per period.

A lesson's steps carry ``period: N``. The notebook is split into periods at its level-1 headings
("# Day 1", "# Day 2"); cells before the first such heading belong to period 1. A lesson whose steps
name no period is one period.
"""
from __future__ import annotations

import re

PERIOD_MINUTES = 50   # a class period
SETTLE_MINUTES = 5    # logging in, handing out, packing up: not planned
WORD_LIMIT = 1200     # words a grade 9-10 reader reads in one period, at most
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'.,%$-]*")


def words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def planned_minutes(meta) -> int:
    """How many minutes of a period a lesson may plan (45 of a 50-minute period by default)."""
    total = meta.get("period_minutes") if isinstance(meta, dict) else None
    return (total if isinstance(total, int) else PERIOD_MINUTES) - SETTLE_MINUTES


def step_periods(meta) -> dict:
    """{period: [step, ...]} in order; steps without a period belong to period 1."""
    out: dict = {}
    for s in (meta.get("steps") or []) if isinstance(meta, dict) else []:
        if isinstance(s, dict):
            p = s.get("period") if isinstance(s.get("period"), int) else 1
            out.setdefault(p, []).append(s)
    return dict(sorted(out.items()))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src or "")


def starts_period(cell) -> bool:
    """A Markdown cell that opens with a level-1 heading starts a new period."""
    return cell.get("cell_type") == "markdown" and re.match(r"\s*#\s", _source(cell)) is not None


def split_cells(nb: dict) -> list[list]:
    """The notebook's cells, one list per period (cells before the first level-1 heading go with it)."""
    out: list[list] = [[]]
    seen = False
    for cell in nb.get("cells") or []:
        if not isinstance(cell, dict):
            continue
        if starts_period(cell):
            if seen:
                out.append([])
            seen = True
        out[-1].append(cell)
    return out


def _shown(cell) -> str | None:
    return ((cell.get("metadata") or {}).get("civicnb") or {}).get("show")


def item_text(lesson, item_id: str) -> str:
    """The text a student reads for one notebook item (never key text)."""
    from .model import ARTICLE_ITEMS

    try:
        kind, data = lesson.item(item_id)
    except KeyError:
        return ""
    m = lesson.meta
    if kind == "exercise":
        parts = [data.get("title"), data.get("prompt"), data.get("question"), data.get("passage"), data.get("starter")]
        for key, field in (("options", "text"), ("items", "text"), ("categories", "label"), ("categories", "hint"),
                           ("statements", "text"), ("events", "text")):
            parts += [x.get(field) for x in data.get(key) or [] if isinstance(x, dict)]
        claim = data.get("_claim")
        if isinstance(claim, dict):
            parts.append(claim.get("paraphrase"))
            parts += [e.get("note") for e in claim.get("evidence") or [] if isinstance(e, dict)]
        return " ".join(str(p) for p in parts if p)
    if kind == "block":
        return " ".join([data.get("title") or "", data.get("text") or ""] + [str(x) for x in data.get("list") or []])
    if kind == "figure":
        return " ".join([data.get("title") or "", data.get("caption") or ""])
    if kind == "vocabulary":
        return " ".join(f"{v.get('term')} {v.get('definition')}" for v in m.get("vocabulary") or [] if isinstance(v, dict))
    if kind == "content-note":
        return (m.get("content_note") or {}).get("text", "")
    if kind == "header":
        return " ".join([m.get("title") or "", m.get("essential_question") or ""] + list(m.get("i_can") or []))
    if kind in ARTICLE_ITEMS and data:
        if kind == "article-map":
            return " ".join(p.get("summary", "") for p in data.get("paragraphs") or [] if isinstance(p, dict))
        if kind == "article-citation":
            c = data.get("citation") or {}
            return " ".join(str(x) for x in [c.get("headline"), c.get("byline"), c.get("site"), *(c.get("lacks") or [])] if x)
    return ""


def alternatives(meta) -> list[list[str]]:
    """Groups of items of which a student does only one (lesson.yml ``alternatives``: card set A or B)."""
    out = []
    for alt in (meta.get("alternatives") or []) if isinstance(meta, dict) else []:
        if isinstance(alt, dict):
            out.append([str(x) for x in alt.get("items") or []])
    return out


def texts_per_period(lesson, nb: dict) -> list[str]:
    """The text a student reads in each period: Markdown cells and every item shown. Of a lesson's
    ``alternatives`` (sets of items a student chooses between) only the longest counts. Not counted:
    boxes that answer questions (``reveals``: they are read after the lesson, on their own sheet) and
    the cells that introduce them, the start line (``civicnb-start``: hidden in student mode, shown only
    where the lesson cannot start by itself), the vocabulary list (a glossary to look words up in), and the
    article's own text when a teacher supplies it."""
    alts = alternatives(lesson.meta)
    in_alt = {i: n for n, group in enumerate(alts) for i in group}
    out = []
    for cells in split_cells(nb):
        parts: list[str] = []
        alt_parts: dict = {}
        for cell in cells:
            tags = set((cell.get("metadata") or {}).get("tags") or [])
            if cell.get("cell_type") == "markdown" and not tags & {"teacher", "debrief", "civicnb-start"}:
                parts.append(re.sub(r"[#*_`>|]", " ", _source(cell)))
            elif _shown(cell) and _shown(cell) != "vocabulary" and not (
                    _shown(cell) in lesson.blocks and lesson.blocks[_shown(cell)].get("reveals")):
                text = item_text(lesson, _shown(cell))
                if _shown(cell) in in_alt:
                    alt_parts.setdefault(in_alt[_shown(cell)], []).append(text)
                else:
                    parts.append(text)
        if alt_parts:
            parts += max(alt_parts.values(), key=lambda ts: sum(words(t) for t in ts))
        out.append("\n\n".join(p for p in parts if p))
    return out


def words_per_period(lesson, nb: dict) -> list[int]:
    """Words a student reads in each period (see :func:`texts_per_period`)."""
    return [words(text) for text in texts_per_period(lesson, nb)]
