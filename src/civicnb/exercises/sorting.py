"""Sort items into categories, and put events in time order."""
from __future__ import annotations

import hashlib

from ..handout import typ
from ..i18n import t
from .base import (Kind, cite_mark, h, key_block, labelled, lang_of, md_html, prompt_html,
                   teacher_note)

CHOOSE = "— choose —"


def stable_shuffle(items, salt: str):
    """The same 'random' order every time (so paper, notebook and key agree), seeded by the id."""
    return sorted(items, key=lambda it: hashlib.sha256(f"{salt}:{it['id']}".encode()).hexdigest())


def item_letter(k: int) -> str:
    """Sort items are lettered (A, B, C…), so "item C" is never confused with a question or claim number."""
    return chr(64 + k) if 1 <= k <= 26 else f"A{k - 26}"


def accepted_categories(item) -> list:
    """A sort item's answer, then the other categories accepted for it (``also_accept``)."""
    return [item.get("answer")] + [a for a in item.get("also_accept") or [] if a != item.get("answer")]


def accepted_positions(ex) -> dict:
    """Timeline: for each event id, the positions (1-based) it may take. Events in one ``key.ties``
    group may come in any order among themselves."""
    order = [e["id"] for e in sorted(ex["events"], key=lambda e: e["date"])]
    pos = {eid: {i} for i, eid in enumerate(order, 1)}
    for group in (ex.get("key") or {}).get("ties") or []:
        members = [g for g in group if g in pos]
        spots = set().union(*(pos[g] for g in members)) if members else set()
        for g in members:
            pos[g] = set(spots)
    return pos


def month_year(date: str) -> str:
    import calendar

    y, m = date[:4], int(date[5:7])
    return f"{calendar.month_name[m]} {y}"


class Sort(Kind):
    name = "sort"
    label = "Sort each item into one category."

    def check(self, ex):
        cats = [c.get("id") for c in ex.get("categories") or [] if isinstance(c, dict)]
        for it in ex.get("items") or []:
            if isinstance(it, dict) and it.get("answer") not in cats:
                yield (f"item {it.get('id')!r} has answer {it.get('answer')!r}, which is not a category id "
                       f"({', '.join(map(str, cats))})", it.line_of("answer"))
            for a in (it.get("also_accept") or []) if isinstance(it, dict) else []:
                if a not in cats:
                    yield (f"item {it.get('id')!r}: also_accept names {a!r}, which is not a category id "
                           f"({', '.join(map(str, cats))})", it.line_of("also_accept"))
        ids = [it.get("id") for it in ex.get("items") or [] if isinstance(it, dict)]
        if len(set(ids)) != len(ids):
            yield "two items share an id", ex.line_of("items")

    def prompt_sources(self, ex):
        # On paper the items' own sources are cited at the prompt, all together: a citation on some items
        # only would give away which ones are checkable facts.
        out = list(ex.get("sources") or [])
        for it in ex["items"]:
            out += [s for s in it.get("sources") or [] if s not in out]
        return out

    def _cat_label(self, ex, cid):
        return next((c["label"] for c in ex["categories"] if c["id"] == cid), "?")

    def grade(self, ex, answer):
        placed = (answer or {}).get("placements") or {}
        items = ex["items"]
        if not any(placed.get(it["id"]) for it in items):
            return None
        missing = [it for it in items if not placed.get(it["id"])]
        wrong = [it for it in items if placed.get(it["id"]) and placed[it["id"]] not in accepted_categories(it)]
        lang = lang_of(ex)
        if not wrong and not missing:
            return "correct", t("Every item is in the right category.", lang)
        parts = []
        if wrong:
            parts.append(t("{right} of {total} are right so far.", lang, right=len(items) - len(wrong) - len(missing),
                           total=len(items)))
            for it in wrong[:2]:
                parts.append(t("**{item}** is not *{category}*: {why}", lang, item=it["text"],
                               category=self._cat_label(ex, placed[it["id"]]), why=it["why"]))
            if len(wrong) > 2:
                parts.append(t("({n} more to rethink.)", lang, n=len(wrong) - 2))
        if missing:
            parts.append(t("{n} item(s) still to sort.", lang, n=len(missing)))
        return ("incomplete" if missing and not wrong else "partly" if len(wrong) < len(items) else "incorrect",
                " ".join(parts))

    def hint(self, ex, answer):
        if ex.get("hint"):
            return str(ex["hint"])
        placed = (answer or {}).get("placements") or {}
        right = sum(1 for it in ex["items"] if placed.get(it["id"]) == it["answer"])
        missing = sum(1 for it in ex["items"] if not placed.get(it["id"]))
        lang = lang_of(ex)
        return (t("{right} of {total} are in the right category so far", lang, right=right, total=len(ex["items"]))
                + (t(", and {n} still to sort.", lang, n=missing) if missing else ".")
                + " " + t("Reread the category descriptions, then look again at the items you were least sure of.", lang))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        placed = dict((answer or {}).get("placements") or {})
        opts = [(t(CHOOSE, lang_of(ex)), "")] + [(c["label"], c["id"]) for c in ex["categories"]]
        rows, controls = [], {}
        for n, it in enumerate(stable_shuffle(ex["items"], ex["id"]), 1):
            dd = W.Dropdown(options=opts, value=placed.get(it["id"], ""),
                            description=t("Item {letter}", lang_of(ex), letter=item_letter(n)), layout=W.Layout(width="16em"),
                            style={"description_width": "4em"})
            dd.item_id = it["id"]
            controls[it["id"]] = dd
            rows.append(W.HBox([dd, W.HTML(f"<span style='padding-left:.5em'>{md_html(it['text'])}</span>")]))
        def current():
            return {"placements": {k: d.value for k, d in controls.items() if d.value}}

        check, fb = self.wire_check(ex, controls.values(), current, save, "Check my sorting",
                                    "Sort at least one item first.", bool(placed))
        hints = "".join(f"<li><strong>{h(c['label'])}</strong>{': ' + md_html(c['hint']) if c.get('hint') else ''}</li>"
                        for c in ex["categories"])
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(f"<ul>{hints}</ul>"), *rows, check, fb])
        box.controls, box.check_button, box.feedback = controls, check, fb
        return box

    def _table(self, ex, fill=None, show_why=False):
        cats = ex["categories"]
        hints = "\n".join(f"- #strong[{typ.text(c['label'])}]" + (f"{typ.text(': ')}{typ.inline(c['hint'])}" if c.get("hint") else "")
                          for c in cats)
        header = [typ.string(t("Item", lang_of(ex)))] + [typ.string(c["label"]) for c in cats]
        cells = []
        for n, it in enumerate(stable_shuffle(ex["items"], ex["id"]), 1):
            cells.append(typ.content(typ.text(f"{item_letter(n)}. ") + typ.inline(it["text"])))
            mark = (fill or {}).get(it["id"])
            for c in cats:
                cells.append("[#tick(true)]" if mark == c["id"] else "[#tick(false)]")
            if show_why:
                cells.append(typ.content(typ.inline(it["why"])))
        cols = len(cats) + 1 + (1 if show_why else 0)
        if show_why:
            header.append(typ.string("Why"))
        return hints + "\n\n" + typ.call("sorttable", str(cols), typ.array(header), typ.array(cells),
                                         why="true" if show_why else "false")

    def paper(self, ex):
        return "\n".join([typ.text(t("Tick one category for each item.", lang_of(ex))), self._table(ex)])

    def glance(self, ex):
        order = stable_shuffle(ex["items"], ex["id"])
        ans = "; ".join(f"{item_letter(n)} {self._cat_label(ex, it['answer'])}" for n, it in enumerate(order, 1))
        also = "; ".join(f"{item_letter(n)} also " + " or ".join(self._cat_label(ex, a) for a in accepted_categories(it)[1:])
                         for n, it in enumerate(order, 1) if accepted_categories(it)[1:])
        return typ.text(ans), typ.text(also)

    def filled(self, ex, answer):
        return "\n".join([self._table(ex, (answer or {}).get("placements") or {})])

    def key(self, ex):
        cells = []
        for n, it in enumerate(stable_shuffle(ex["items"], ex["id"]), 1):
            also = accepted_categories(it)[1:]
            cells += [typ.content(typ.text(f"{item_letter(n)}. ") + typ.inline(it["text"]) + cite_mark(it.get("sources"))),
                      typ.content(f"#strong[{typ.text(self._cat_label(ex, it['answer']))}]"
                                  + (typ.text(" (also accept: " + ", ".join(self._cat_label(ex, a) for a in also) + ")")
                                     if also else "")),
                      typ.content(typ.inline(it["why"]))]
        header = [typ.string("Item"), typ.string("Answer"), typ.string("Why")]
        table = typ.call("keytable", typ.array(header), typ.array(cells))
        why = (ex.get("key") or {}).get("why")
        return "\n".join([self._table(ex), key_block(table, labelled("Big idea:", typ.inline(why)) if why else "",
                                                     teacher_note(ex), breakable=True)])


class Timeline(Kind):
    name = "timeline"
    label = "Number the events from earliest (1) to latest."

    def check(self, ex):
        events = [e for e in ex.get("events") or [] if isinstance(e, dict)]
        ids = {e.get("id") for e in events}
        key = ex.get("key") or {}
        tied = set()
        for group in (key.get("ties") or []) if isinstance(key, dict) else []:
            for g in group if isinstance(group, list) else []:
                if g not in ids:
                    yield (f"key.ties names {g!r}, which is not one of this timeline's events", key.line_of("ties"))
                tied.add(g)
        dates = [e.get("date") for e in events if e.get("id") not in tied]
        if len(set(dates)) != len(dates):
            yield ("two events share a date, so the order is ambiguous; merge them, drop one, or list them "
                   "in key.ties", ex.line_of("events"))
        if ex.get("show_dates") == "month" and isinstance(key, dict):
            # events in the same month cannot be ordered from their dates: they need a tie or a clue
            by_month: dict = {}
            for e in events:
                if isinstance(e.get("date"), str):
                    by_month.setdefault(e["date"][:7], []).append(e.get("id"))
            for month, same in by_month.items():
                if len(same) > 1 and not any(set(same) <= set(g) for g in key.get("ties") or []):
                    yield (f"events {', '.join(same)} share the month {month}, so students cannot order them "
                           "from the dates shown; list them in key.ties", ex.line_of("show_dates"))

    def order(self, ex):
        return [e["id"] for e in sorted(ex["events"], key=lambda e: e["date"])]

    def prompt_sources(self, ex):
        # Per-event citations would let students order events by the dates in the source list.
        out = list(ex.get("sources") or [])
        for e in ex["events"]:
            out += [s for s in e.get("sources") or [] if s not in out]
        return out

    def grade(self, ex, answer):
        pos = (answer or {}).get("positions") or {}
        if not pos:
            return None
        events = ex["events"]
        lang = lang_of(ex)
        if len([e for e in events if pos.get(e["id"])]) < len(events):
            return "incomplete", t("{n} event(s) still need a number.", lang,
                                   n=len(events) - len([e for e in events if pos.get(e['id'])]))
        right = accepted_positions(ex)
        if len(set(pos.values())) < len(events):
            return "incorrect", t("Two events have the same number. Each number is used once.", lang)
        ok = sum(1 for e in events if int(pos[e["id"]]) in right[e["id"]])
        if ok == len(events):
            cut = ex.get("cutoff")
            after = [e for e in events if cut and e["date"] > cut["date"]]
            line = (" " + t("The article's knowledge ends on {date}: the last {n} event(s) happened after it was "
                            "written, so it could not report them.", lang, date=cut["date"], n=len(after))) if after else ""
            return "correct", t("All in order.", lang) + " " + ex["key"]["why"] + line
        first_wrong = next(e for e in sorted(events, key=lambda e: e["date"]) if int(pos[e["id"]]) not in right[e["id"]])
        return ("partly" if ok else "incorrect",
                t("{right} of {total} are in the right place. Look again at: **{event}**.", lang, right=ok,
                  total=len(events), event=first_wrong["text"]))

    def hint(self, ex, answer):
        if ex.get("hint"):
            return str(ex["hint"])
        pos = (answer or {}).get("positions") or {}
        lang = lang_of(ex)
        if len(set(pos.values())) < len(pos):
            return t("Two events have the same number. Each number is used once.", lang)
        right = {eid: i for i, eid in enumerate(self.order(ex), 1)}
        ok = sum(1 for e in ex["events"] if pos.get(e["id"]) and int(pos[e["id"]]) == right[e["id"]])
        return t("{right} of {total} are in the right place. Look for the clues to when each event happened (a month, "
                 "a year, words like \"after\" or \"first\").", lang, right=ok, total=len(ex["events"]))

    def widget(self, ex, answer, save, cite=None):
        import ipywidgets as W

        pos = dict((answer or {}).get("positions") or {})
        n = len(ex["events"])
        opts = [(t(CHOOSE, lang_of(ex)), 0)] + [(str(i), i) for i in range(1, n + 1)]
        rows, controls = [], {}
        for k, e in enumerate(stable_shuffle(ex["events"], ex["id"]), 1):
            dd = W.Dropdown(options=opts, value=int(pos.get(e["id"], 0)), description=t("Event {letter}", lang_of(ex), letter=chr(64 + k)),
                            layout=W.Layout(width="14em"), style={"description_width": "5em"})
            controls[e["id"]] = dd
            rows.append(W.HBox([dd, W.HTML(f"<span style='padding-left:.5em'>{md_html(e['text'])}</span>")]))
        def current():
            return {"positions": {k: d.value for k, d in controls.items() if d.value}}

        check, fb = self.wire_check(ex, controls.values(), current, save, "Check my order",
                                    "Number at least one event first.", bool(pos))
        box = W.VBox([W.HTML(prompt_html(ex)), W.HTML(f"<em>{h(self.screen_label(ex))}</em>"), *rows, check, fb])
        box.controls, box.check_button, box.feedback = controls, check, fb
        return box

    def _rows(self, ex, numbers=None, dated=False):
        cells = []
        for k, e in enumerate(stable_shuffle(ex["events"], ex["id"]), 1):
            num = (numbers or {}).get(e["id"])
            cells.append(typ.content(typ.text(str(num)) if num else ""))
            cells.append(typ.content(typ.text(f"{chr(64 + k)}. ") + typ.inline(e["text"])))
            if dated:
                cells.append(typ.content(typ.text(e["date"])))
        lang = lang_of(ex)
        header = [typ.string(t("Order", lang)), typ.string(t("Event", lang))] + ([typ.string(t("Date", lang))] if dated else [])
        return typ.call("ordertable", str(len(header)), typ.array(header), typ.array(cells))

    def paper(self, ex):
        return "\n".join([typ.text(self.paper_label(ex)), self._rows(ex)])

    def _letters(self, ex) -> dict:
        return {e["id"]: chr(64 + k) for k, e in enumerate(stable_shuffle(ex["events"], ex["id"]), 1)}

    def ties_text(self, ex) -> str:
        ls = self._letters(ex)
        groups = [[ls[g] for g in group if g in ls] for group in (ex.get("key") or {}).get("ties") or []]
        return "; ".join(" and ".join(g) + " in either order" for g in groups if g)

    def glance(self, ex):
        ls = self._letters(ex)
        cut = ex.get("cutoff")
        out, drawn = [], False
        for e in sorted(ex["events"], key=lambda e: e["date"]):
            if cut and not drawn and e["date"] > cut["date"]:
                out.append("|")
                drawn = True
            out.append(ls[e["id"]])
        note = " (| = where the article's knowledge ends)" if drawn else ""
        return f"#strong[{typ.text(' '.join(out))}]{typ.text(note)}", typ.text(self.ties_text(ex))

    def filled(self, ex, answer):
        return "\n".join([self._rows(ex, (answer or {}).get("positions"))])

    def _ordered(self, ex):
        """The key: events in time order with their dates, and a line where the article's knowledge ends."""
        cut = ex.get("cutoff")
        shuffled = {e["id"]: chr(64 + k) for k, e in enumerate(stable_shuffle(ex["events"], ex["id"]), 1)}
        cells, drawn = [], False
        for n, e in enumerate(sorted(ex["events"], key=lambda e: e["date"]), 1):
            if cut and not drawn and e["date"] > cut["date"]:
                cells.append(f"table.cell(colspan: 3, fill: luma(225))[#strong[{typ.text('— ' + cut['label'] + ' (' + cut['date'] + ') —')}]]")
                drawn = True
            cells += [typ.content(typ.text(str(n))),
                      typ.content(typ.text(f"{shuffled[e['id']]}. ") + typ.inline(e["text"]) + cite_mark(e.get("sources"))),
                      typ.content(typ.text(e["date"]))]
        header = [typ.string("Order"), typ.string("Event"), typ.string("Date")]
        return typ.call("ordertable", "3", typ.array(header), typ.array(cells))

    def key(self, ex):
        ties = self.ties_text(ex)
        return "\n".join([self._ordered(ex),
                          key_block(labelled("Also accept (marked right in the notebook):", typ.text(ties)) if ties else "",
                                    labelled("Why:", typ.inline(ex["key"]["why"])), teacher_note(ex)),
                          ])
