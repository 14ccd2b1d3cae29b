"""Law and rights cards, perspective cards and a shared "what happened next" box (lesson data files).

A lesson folder may hold three optional data files (see docs/content-format.md, "Cards"):

- ``law-cards.yml``: ``cards:``, each a legal provision with its exact public-domain ``text`` (or a
  ``paraphrase`` when the text is not quoted), a plain-language ``meaning``, how it ``bears_on`` the
  offer in the article, ``sources``, ``as_of``, ``perspective`` and the ``question`` kind it answers.
- ``perspectives.yml``: ``questions:`` (the debate's open or contested questions, each with its
  ``sides``) and ``cards:`` (one per decision-maker or advocate), each with ``arguments`` that say which
  question and side they support (``favours``).
- ``whats-next.yml``: ``from:`` a timeline file in another lesson (e.g. ``01-claims/timeline.yml``):
  the events marked ``after_article: true`` print as a dated box, shared rather than written twice;
  ``log:`` lists dated updates a teacher adds.

Every card becomes a box a notebook cell shows with ``L.show("<card-id>")`` and the handouts print.
``check_cards`` validates them and holds the balance ledger for the debate: each side of an open or
contested question needs a comparable number of evidence items of comparable quality.

Light module: no schema or widget imports at load time.
"""
from __future__ import annotations

import calendar
from collections import Counter

from .balance import card_line, perspective_mix
from .yamlload import ContentError, LDict

LAW_FILE = "law-cards.yml"
PERSPECTIVE_FILE = "perspectives.yml"
NEXT_FILE = "whats-next.yml"
NEXT_ID = "what-happened-next"
# The larger side of a debated question may have at most this many times the evidence items of the
# smaller side (and at most one more when both are small): "comparable", per the balance rule.
MAX_RATIO = 1.5


def _load(lesson, name):
    rel = lesson.rel(name)
    if not lesson.project.has_content(rel):
        return None
    data = lesson.project.load_content(rel)
    overlay = getattr(lesson, "overlay", None)  # a translated lesson lays its translation over it
    return overlay(data, name) if overlay else data


def _t(lesson, key: str, **fmt) -> str:
    from ..i18n import t

    return t(key, getattr(lesson, "lang", None) or "en", **fmt)


def _when(date: str, lang: str = "en") -> str:
    y, m, d = date.split("-")
    if lang != "en":
        from ..i18n.lesson import day_month_year

        return day_month_year(date, lang)
    return f"{int(d)} {calendar.month_name[int(m)]} {y}"


def _uniq(ids) -> list:
    return list(dict.fromkeys(str(i) for i in ids if i))


def law_cards(lesson) -> list:
    data = _load(lesson, LAW_FILE)
    return [c for c in (data or {}).get("cards") or [] if isinstance(c, dict)] if isinstance(data, dict) else []


def perspective_data(lesson) -> dict:
    data = _load(lesson, PERSPECTIVE_FILE)
    return data if isinstance(data, dict) else {}


def perspective_cards(lesson) -> list:
    return [c for c in perspective_data(lesson).get("cards") or [] if isinstance(c, dict)]


def questions(lesson) -> list:
    return [q for q in perspective_data(lesson).get("questions") or [] if isinstance(q, dict)]


def _text_label(card, lesson) -> str:
    """The label of a card's exact words. In a translation: "official text in <language>" when the card
    cites an official text in that language (a source with ``lang:`` equal to the lesson's, e.g. the
    UN's Spanish text of a treaty), else "our unofficial translation; the original is in English"."""
    lang = getattr(lesson, "lang", None) or "en"
    if lang == "en":
        return "Text (exact words):"
    try:
        sources = lesson.project.sources
    except AttributeError:
        sources = {}
    official = any(str((sources.get(sid) or {}).get("lang") or "en") == lang for sid in card.get("sources") or [])
    return "Official text in this language:" if official else "Text (exact words):"


def law_block(card, lesson=None) -> dict:
    """A law card as a box: provision, text or paraphrase, plain meaning, bearing on the offer."""
    rows = [f"**{_t(lesson, 'Provision:')}** {card.get('provision', '')}"]
    if card.get("text"):
        rows.append(f"**{_t(lesson, _text_label(card, lesson))}** “{card['text']}”")
    if card.get("paraphrase"):
        rows.append(f"**{_t(lesson, 'What it says (our summary, not a quotation):')}** {card['paraphrase']}")
    rows.append(f"**{_t(lesson, 'In plain words:')}** {card.get('meaning', '')}")
    rows.append(f"**{_t(lesson, 'How it bears on the offer:')}** {card.get('bears_on', '')}")
    # card["question"] (settled, contested...) stays out of print: the question map asks students
    # to find each kind, so the card must not answer it
    return {"id": card.get("id"), "title": _t(lesson, "Law card: {title}", title=card.get('title', '')), "list": rows,
            "sources": list(card.get("sources") or []), "as_of": card.get("as_of"),
            "perspective": card.get("perspective")}


def perspective_block(card, lesson=None) -> dict:
    """A perspective card as a box: who, the position, and the strongest sourced arguments."""
    rows = []
    for a in card.get("arguments") or []:
        if isinstance(a, dict):
            rows.append(a.get("point", ""))
    # each argument's first source comes first: a student packet prints only a box's first few sources
    per_arg = [list(a.get("sources") or []) for a in card.get("arguments") or [] if isinstance(a, dict)]
    sources = _uniq([s[0] for s in per_arg if s] + [x for s in per_arg for x in s[1:]])
    text = card.get("position", "")
    args = [a for a in card.get("arguments") or [] if isinstance(a, dict)]
    teacher = card_line(args)
    return {"id": card.get("id"), "title": _t(lesson, "Perspective card: {role}", role=card.get('role', '')), "text": text,
            "list": rows, "sources": sources, "as_of": card.get("as_of"), "teacher_line": teacher}


def next_block(lesson):
    """The shared "what happened next" box, built from another lesson's timeline."""
    data = _load(lesson, NEXT_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("from"), str):
        return None
    rel = data["from"]
    tl = lesson.project.load_content(f"lessons/{rel}")
    if getattr(lesson, "overlay_from", None):  # a translated lesson: that lesson's translation
        tl = lesson.overlay_from(tl, rel)
    lang = getattr(lesson, "lang", None) or "en"
    events = [e for e in (tl or {}).get("events") or [] if isinstance(e, dict) and e.get("after_article")]
    if isinstance(data.get("select"), list):  # only these events (ids), e.g. to fit a period's reading
        events = [e for e in events if e.get("id") in data["select"]]
    events.sort(key=lambda e: str(e.get("date")))
    rows = [f"**{_when(str(e['date']), lang)}.** {' '.join(str(e.get('text', '')).split())}" for e in events]
    # each event carries its own citation: a student packet prints only a few numbers at one spot,
    # so one spot for the whole box would leave the newest events without a source
    row_sources = [list(e.get("sources") or []) for e in events]
    for entry in data.get("log") or []:
        if isinstance(entry, dict):
            rows.append(f"**{_t(lesson, 'Update, {date}.', date=_when(str(entry.get('date')), lang))}** {entry.get('note', '')}")
            row_sources.append(list(entry.get("sources") or []))
    sources = _uniq(s for e in events for s in e.get("sources") or [])
    sources += [s for entry in data.get("log") or [] if isinstance(entry, dict)
                for s in entry.get("sources") or [] if s not in sources]
    as_of = max([str(tl.get("as_of") or "")] + [str(x.get("date")) for x in data.get("log") or []
                                                 if isinstance(x, dict)])
    return {"id": NEXT_ID, "title": data.get("title") or _t(lesson, "What happened next"), "text": data.get("intro", ""),
            "list": rows, "row_sources": row_sources, "sources": sources, "as_of": as_of or None}


def card_blocks(lesson) -> dict:
    """Every card and the "what happened next" box, by id, as boxes the notebook and handouts show.
    Content errors surface in ``civicnb check``; here a broken file gives no boxes."""
    out = {}
    try:
        for c in law_cards(lesson):
            out[c.get("id")] = law_block(c, lesson)
        for c in perspective_cards(lesson):
            out[c.get("id")] = perspective_block(c, lesson)
        nb = next_block(lesson)
        if nb:
            out[NEXT_ID] = nb
    except (ContentError, OSError, ValueError, TypeError, KeyError, AttributeError):
        return out
    for b in out.values():
        for key in ("text",):
            if isinstance(b.get(key), str):
                b[key] = lesson.fill_refs(b[key])
        b["list"] = [lesson.fill_refs(x) for x in b.get("list") or []]
    return out


# -- check ------------------------------------------------------------------------------------------
def _line(d, key=None):
    if isinstance(d, LDict):
        return d.line_of(key) if key and key in d else d.line
    return 1


def evidence_by_side(lesson) -> dict:
    """{question id: {side: [evidence item, ...]}} from perspective arguments and law cards."""
    out: dict = {}
    for c in perspective_cards(lesson):
        for a in c.get("arguments") or []:
            if isinstance(a, dict) and a.get("favours"):
                q = a.get("question") or c.get("question")
                out.setdefault(q, {}).setdefault(a["favours"], []).append(a)
    for c in law_cards(lesson):
        for f in c.get("favours") or []:
            if isinstance(f, dict):
                out.setdefault(f.get("question"), {}).setdefault(f.get("side"), []).append(c)
    return out


def _strong(item, sources) -> bool:
    """An evidence item of good quality: it cites at least one source read at the publisher's own page
    (not a mirror or archive copy) that is not a general reference page."""
    for sid in item.get("sources") or []:
        s = sources.get(sid) or {}
        if s and s.get("copy", "original") == "original" and s.get("kind") != "reference":
            return True
    return False


def check_cards(checker, lesson, as_of):
    """Validate the card files and hold the debate's balance ledger (adds problems to ``checker``)."""
    from .check import _validate  # schema imports stay off the fast path

    files = {LAW_FILE: None, PERSPECTIVE_FILE: None, NEXT_FILE: None}
    for name in files:
        if lesson.project.has_content(lesson.rel(name)):
            files[name] = checker.load(lambda n=name: _load(lesson, n), lesson.rel(name))
            if files[name] is not None:
                _validate(files[name], "cards", name.split(".")[0], checker.problems, (lesson.rel(name), 1))
    if not any(v is not None for v in files.values()):
        return
    taken = set(lesson.exercises) | {b.get("id") for key in ("blocks", "facts")
                                     for b in lesson.meta.get(key) or [] if isinstance(b, dict)}
    seen = Counter()

    def common(c, rel, where):
        seen[c.get("id")] += 1
        if seen[c.get("id")] == 2 or c.get("id") in taken:
            checker.add(rel, _line(c, "id"), f"{where}: id {c.get('id')!r} is used twice in this lesson")
        checker.cite(rel, _line(c, "sources"), c.get("sources"), where)
        if as_of and isinstance(c.get("as_of"), str) and c["as_of"] > as_of:
            checker.add(rel, _line(c, "as_of"), f"{where}: as_of {c['as_of']} is newer than the lesson's "
                                                 f"as_of {as_of}; raise the lesson's as_of")

    lf = lesson.rel(LAW_FILE)
    qids = {q.get("id"): q for q in questions(lesson)}
    for c in law_cards(lesson) if isinstance(files[LAW_FILE], dict) else []:
        where = f"law card {c.get('id')!r}"
        common(c, lf, where)
        if not c.get("text") and not c.get("paraphrase"):
            checker.add(lf, _line(c), f"{where}: give the provision's exact 'text' (public domain, read at a "
                                      "cited source) or a 'paraphrase' in your own words")
        if c.get("text") and not c.get("text_source"):
            checker.add(lf, _line(c, "text"), f"{where}: exact text needs 'text_source': the source id of "
                                              "the page the words were read on")
        if c.get("text_source") and c["text_source"] not in (c.get("sources") or []):
            checker.add(lf, _line(c, "text_source"), f"{where}: text_source {c['text_source']!r} must also "
                                                     "be listed in its sources")
        for f in c.get("favours") or []:
            if isinstance(f, dict) and f.get("question") not in qids:
                checker.add(lf, _line(f), f"{where}: favours names question {f.get('question')!r}, which "
                                          f"{lesson.rel(PERSPECTIVE_FILE)} does not list")
    pf = lesson.rel(PERSPECTIVE_FILE)
    for q in qids.values():
        if q.get("kind") in ("factual", "settled"):
            checker.add(pf, _line(q, "kind"), f"question {q.get('id')!r}: a {q['kind']} question is taught "
                                              "as answered, not debated; only open or contested questions "
                                              "have sides here")
    for c in perspective_cards(lesson) if isinstance(files[PERSPECTIVE_FILE], dict) else []:
        where = f"perspective card {c.get('id')!r}"
        common(c, pf, where)
        for a in c.get("arguments") or []:
            if not isinstance(a, dict):
                continue
            checker.cite(pf, _line(a, "sources"), a.get("sources"), where)
            q = qids.get(a.get("question") or c.get("question"))
            if q is None:
                checker.add(pf, _line(a), f"{where}: argument names no question from 'questions:' (set "
                                          "'question' on the card or the argument)")
            elif a.get("favours") not in (q.get("sides") or []) + ["neutral"]:
                checker.add(pf, _line(a, "favours"), f"{where}: favours {a.get('favours')!r} is not one of "
                                                     f"question {q.get('id')!r}'s sides {q.get('sides')}")
    check_ledger(checker, lesson, qids, pf)
    if isinstance(files[NEXT_FILE], dict):
        nf = lesson.rel(NEXT_FILE)
        rel = files[NEXT_FILE].get("from")
        if not (lesson.project.lessons_dir / str(rel)).is_file():
            checker.add(nf, _line(files[NEXT_FILE], "from"), f"from: lessons/{rel} does not exist; name a "
                                                             "timeline file like 01-claims/timeline.yml")
        else:
            try:
                nb = next_block(lesson)
            except ContentError as e:
                checker.add(e.file, e.line, e.message)
                nb = None
            if nb is not None and not nb["list"]:
                checker.add(nf, 1, f"lessons/{rel} has no events marked after_article: true")
            elif nb is not None:
                checker.cite(nf, 1, nb["sources"], "what happened next")
                if as_of and nb["as_of"] and nb["as_of"] > as_of:
                    checker.add(nf, 1, f"what happened next is as of {nb['as_of']}, newer than the lesson's "
                                       f"as_of {as_of}; raise the lesson's as_of")
        for entry in files[NEXT_FILE].get("log") or []:
            if isinstance(entry, dict):
                checker.cite(nf, _line(entry, "sources"), entry.get("sources"), "update log entry")


def check_ledger(checker, lesson, qids, pf):
    """Each side of each debated question: a comparable number of evidence items of comparable quality."""
    by_q = evidence_by_side(lesson)
    sources = lesson.project.sources
    for qid, q in qids.items():
        if q.get("kind") not in ("open", "contested"):
            continue
        sides = [s for s in q.get("sides") or []]
        counts = {s: len(by_q.get(qid, {}).get(s, [])) for s in sides}
        strong = {s: sum(1 for it in by_q.get(qid, {}).get(s, []) if _strong(it, sources)) for s in sides}
        mix = "; ".join(f"{s}: {counts[s]} ({strong[s]} from an original, non-reference source)" for s in sides)
        checker.report.append(f"balance {lesson.name} {qid}: {mix}")
        line = _line(q)
        if len(sides) < 2:
            checker.add(pf, line, f"question {qid!r}: a debated question needs at least two sides")
            continue
        lo, hi = min(counts.values()), max(counts.values())
        if lo == 0:
            empty = [s for s in sides if counts[s] == 0]
            checker.add(pf, line, f"question {qid!r}: side(s) {', '.join(empty)} have no evidence; give each "
                                  "side its strongest sourced case")
        elif hi > max(lo * MAX_RATIO, lo + 1):
            checker.add(pf, line, f"question {qid!r} is out of balance ({mix}); give the smaller side more "
                                  "sourced arguments or trim the larger side")
        slo, shi = min(strong.values()), max(strong.values())
        if lo and shi > max(slo * MAX_RATIO, slo + 1):
            checker.add(pf, line, f"question {qid!r}: the sides' evidence differs in quality ({mix}); back "
                                  "the weaker side with sources read at the publisher's own page")


def card_titles(lesson) -> dict:
    """{id: title} of every card box, without filling references (used to resolve references)."""
    out = {}
    try:
        for c in law_cards(lesson):
            out[c.get("id")] = _t(lesson, "Law card: {title}", title=c.get('title', ''))
        for c in perspective_cards(lesson):
            out[c.get("id")] = _t(lesson, "Perspective card: {role}", role=c.get('role', ''))
        if isinstance(_load(lesson, NEXT_FILE), dict):
            out[NEXT_ID] = _load(lesson, NEXT_FILE).get("title") or _t(lesson, "What happened next")
    except (ContentError, OSError, ValueError, TypeError, AttributeError):
        pass
    return out


def shared_inputs(lessons_dir, lesson_name: str) -> list:
    """Files in other lessons that this lesson's handouts print (the timeline that "what happened
    next" is built from), so that editing them rebuilds this lesson's handouts. A text check: the
    build's fast path loads no YAML."""
    import re
    from pathlib import Path

    path = Path(lessons_dir) / lesson_name / NEXT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    m = re.search(r"(?m)^from:\s*['\"]?([^'\"\s#]+)", text)
    return [Path(lessons_dir) / m.group(1)] if m else []
