"""Slides for the projector: one 16:9 PDF per lesson, built from the same lesson data as the handouts.

``handouts/NN-slug-slides.pdf`` walks the lesson in teaching order: a title slide, the essential
question and the targets, then each class period (a period slide with its plan), a slide per step with
its minutes as a timer cue, and the lesson's own content where the notebook shows it: the norms, the
four kinds of questions and of claims, the verdict scale, each chart large, the modelled "Check it"
card, the question map, and a slide for each question with the number students see ("Question 7").

Nothing that answers a question comes before its question's slide: boxes that answer questions
(``reveals:``) and the modelled card's verdict come only after a slide that says "After you answer",
naming the questions, and only where the notebook shows them (after the questions).

Each slide carries little text: long text is split over several slides (never shrunk). The body is
28 pt on a 13.333 x 7.5 in page. The deck is compiled, and if any slide ran over its page, the text is
split smaller and compiled again, so one slide is always one page.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .handout import typ

TEMPLATE = Path(__file__).parent / "handout" / "templates" / "slides.typ"
CHARS_PER_LINE = 68      # a line of 28 pt body holds about 72 characters; the rest is room to spare
TITLE_CHARS = 44         # a line of 40 pt title holds about 50 characters
CAPACITIES = (11.0, 10.0, 9.0, 8.0, 7.0)  # body lines per slide: the first that fits every slide wins
CHART_SCALE = 0.62       # the chart's canvas on a slide, against the handout's: its labels print about 1.6 x larger
MAX_ITEMS = 5            # list items per slide
STEP_PREFIX = re.compile(r"^(?:Day|Period)\s+\d+(?:\s*\([^)]*\))?\s*·\s*")
QUESTION_REF = re.compile(r"Questions?\s+(\d+(?:\s*(?:–|-|,|and)\s*\d+)*)")
STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "one", "how", "what", "is", "it", "its", "do",
        "day", "period", "part", "up", "set", "with", "from", "for", "by", "we", "our", "your", "first"}


@dataclass
class Slide:
    markup: str                        # Typst markup for one page (ends with a page break)
    kind: str = "content"              # title, period, step, after, chart, content, key
    text: str = ""                     # plain words on it (for tests and the outline)


@dataclass
class Deck:
    slides: list = field(default_factory=list)
    assets: dict = field(default_factory=dict)
    source: str = ""


# -- text splitting ----------------------------------------------------------------------------------

def _plain(s) -> str:
    return re.sub(r"\*\*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", str(s or ""))


def sentences(text: str) -> list[str]:
    """Split prose into sentences, never inside a **bold** or *italic* span or a quotation."""
    text = " ".join(str(text or "").split())
    if not text:
        return []
    parts = re.split(r"(?<=[.!?:”\"])\s+(?=[A-Z“\"(*¶0-9])", text)
    out: list[str] = []
    for p in parts:
        if out and (out[-1].count("**") % 2 or out[-1].count("“") > out[-1].count("”")
                    or out[-1].count('"') % 2):
            out[-1] += " " + p
        else:
            out.append(p)
    return out


def lines_of(text: str, width: int = CHARS_PER_LINE) -> float:
    """Lines a piece of text takes on a slide (estimated from its length)."""
    return max(1, math.ceil(len(_plain(text)) / width))


def _words(text: str, width: int) -> list[str]:
    """A sentence too long for one slide, cut at word boundaries into pieces of ``width`` chars."""
    out, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return out + ([cur] if cur else [])


def pack(pieces, capacity: float, max_items: int = 99) -> list[list]:
    """Group pieces (each ``(lines, payload)``) into slides of at most ``capacity`` lines and
    ``max_items`` pieces, keeping their order. The slides share the text evenly: no slide with one
    line left over."""
    pieces = list(pieces)
    groups = _greedy(pieces, capacity, max_items)
    if len(groups) > 1:  # the smallest slide size that still needs no more slides (greedy is optimal for it)
        lo, hi = max(n for n, _ in pieces), capacity
        while hi - lo > 0.1:
            mid = (lo + hi) / 2
            if len(_greedy(pieces, mid, max_items)) > len(groups):
                lo = mid
            else:
                hi = mid
        groups = _greedy(pieces, hi, max_items)
    return groups


def _greedy(pieces, capacity: float, max_items: int) -> list[list]:
    groups: list[list] = [[]]
    used = 0.0
    for n, payload in pieces:
        items = sum(1 for p in groups[-1] if p[0] not in ("p", "P"))  # list items count; sentences of prose do not
        if groups[-1] and (used + n > capacity or (payload[0] not in ("p", "P") and items >= max_items)):
            groups.append([])
            used = 0.0
        groups[-1].append(payload)
        used += n + 0.35  # paragraph or list spacing
    return [g for g in groups if g]


def prose_pieces(text: str, capacity: float) -> list:
    """Sentences of a text as pieces for :func:`pack`, each short enough for one slide."""
    out = []
    width = int(capacity * CHARS_PER_LINE * 0.9)
    for para in re.split(r"\n\s*\n", str(text or "")):
        first = True
        for s in sentences(para):
            for part in (_words(s, width) if len(s) > width else [s]):
                out.append((lines_of(part), ("P" if first else "p", part)))  # "P": a paragraph starts
                first = False
    return out


def list_pieces(items, capacity: float = CAPACITIES[-1]) -> list:
    """Bulleted items as pieces for :func:`pack`. An item too long for part of a slide is cut at its
    sentences: the first part keeps the bullet, the rest follow indented (and may go on the next slide)."""
    out = []
    for x in items or []:
        x = " ".join(str(x).split())
        if lines_of(x) <= capacity * 0.6:
            out.append((lines_of(x), ("li", x)))
            continue
        parts = [q for s in sentences(x) for q in (_words(s, int(capacity * 0.5 * CHARS_PER_LINE))
                                                     if lines_of(s) > capacity * 0.6 else [s])]
        chunk = ""
        chunks = []
        for q in parts:
            if chunk and lines_of(chunk + " " + q) > capacity * 0.6:
                chunks.append(chunk)
                chunk = q
            else:
                chunk = f"{chunk} {q}".strip()
        chunks.append(chunk)
        out += [(lines_of(c), ("li" if i == 0 else "licont", c)) for i, c in enumerate(chunks)]
    return out


def _join_prose(group) -> str:
    """Markup for a group of pieces: consecutive sentences form a paragraph, list items a list."""
    out, para, passage = [], [], []
    for kind, value in group:
        if kind == "pline":  # lines of a passage to read closely: one frame, line breaks kept
            passage.append(typ.text(value))
            continue
        if passage:
            out.append(typ.call("passageframe", typ.content(" \\\n".join(passage))))
            passage = []
        if kind in ("p", "P"):
            if kind == "P" and para:
                out.append(typ.inline(" ".join(para)))
                para = []
            para.append(value)
            continue
        if para:
            out.append(typ.inline(" ".join(para)))
            para = []
        if kind == "li":
            out.append("- " + typ.inline(value))
        elif kind == "licont":  # the rest of a long item: under its text, without a new bullet
            out.append(f"#pad(left: 1.3em)[{typ.inline(value)}]")
        elif kind == "enum":
            label, body = value
            out.append(f"#grid(columns: (auto, 1fr), column-gutter: 0.5em, [#strong[{typ.text(label)}]], "
                       f"[{typ.inline(body)}])")
        elif kind == "raw":
            out.append(value)
    if para:
        out.append(typ.inline(" ".join(para)))
    if passage:
        out.append(typ.call("passageframe", typ.content(" \\\n".join(passage))))
    return "\n\n".join(out)


# -- the deck ----------------------------------------------------------------------------------------

class SlideMaker:
    def __init__(self, project, lesson, nb: dict, capacity: float = CAPACITIES[0]):
        self.project, self.lesson, self.nb = project, lesson, nb
        self.capacity = capacity
        self.deck = Deck()
        self.meta = lesson.meta
        self.period = 1
        self.periods = 1
        self.shown_questions: set = set()     # exercise ids whose question slide is already in the deck
        self.verdict_scale_shown = False
        self.groups_shown: set = set()
        self._source_numbers = None
        self.vocabulary_step = any(re.search(r"\b(vocabulary|words)\b", str(st.get("title", "")), re.I)
                                   for st in lesson.meta.get("steps") or [])
        self.modelled_key: list = []          # (id, exercise) of a modelled card whose verdict is still to show

    # -- small pieces ---------------------------------------------------------------------------
    def kicker(self, extra: str = "") -> str:
        k = f"Lesson {self.meta['id']}"
        if self.periods > 1:
            k += f" · Period {self.period}"
        return k + (f" · {extra}" if extra else "")

    def source_numbers(self) -> dict:
        """{source id: its number in the student packet}, so a slide's [3] is the packet's [3]."""
        if self._source_numbers is None:
            from .handout.render import Renderer

            try:
                order = Renderer(self.project, self.lesson, "student").student_order(self.nb)
            except Exception:  # a source problem is `civicnb check`'s to report; slides still name sources
                order = []
            self._source_numbers = {sid: n for n, sid in enumerate(order, 1)}
        return self._source_numbers

    def source_line(self, ids) -> str | None:
        ids = [i for i in dict.fromkeys(ids or []) if i in self.project.sources][:3]
        if not ids:
            return None
        nums = self.source_numbers()
        parts = []
        for sid in ids:
            s = self.project.sources[sid]
            num = f"[{nums[sid]}] " if sid in nums else ""
            date = "" if s.get("date") in (None, "undated") else f", {s['date']}"
            parts.append(f"{num}{s.get('publisher', '')}{date}")
        return typ.content(typ.text("Sources (numbers as in the packet): " + "; ".join(parts)))

    def add(self, markup: str, kind: str = "content", text: str = "") -> None:
        n = len(self.deck.slides) + 1  # a marker: where each slide starts (to find one that overflowed)
        self.deck.slides.append(Slide(f"#context [#metadata((n: {n}, page: here().page())) <civicnb-slide>]\n" + markup, kind, text))

    def body_capacity(self, title: str) -> float:
        """Lines left for the body under a title of this length."""
        extra = max(0, math.ceil(len(_plain(title)) / TITLE_CHARS) - 1)
        return self.capacity - 1.3 * extra

    def content(self, title: str, pieces, sources=None, kicker: str | None = None, kind: str = "content",
                max_items: int = MAX_ITEMS) -> None:
        """One or more slides: the title, then the pieces packed a slide at a time ("(2 of 3)")."""
        groups = pack(pieces, self.body_capacity(title + " (2 of 2)"), max_items) or [[]]
        src = self.source_line(sources)
        for i, group in enumerate(groups, 1):
            t = title if len(groups) == 1 or not title else f"{title} ({i} of {len(groups)})"
            args = {"kicker": typ.content(typ.text(kicker or self.kicker()))}
            if t:  # a box without a title: no empty heading (a tagged PDF's outline would show it)
                args["title"] = typ.content(typ.inline(t))
            if src and i == len(groups):
                args["source"] = src
            self.add(typ.call("slide", **args) + typ.content(_join_prose(group)), kind,
                     _plain(t) + " " + " ".join(_plain(v if isinstance(v, str) else " ".join(v))
                                                for k, v in group if k != "raw"))

    # -- the parts of a lesson ------------------------------------------------------------------
    def opening(self) -> None:
        m, unit = self.meta, self.project.unit
        sub = typ.content(typ.inline(m["subtitle"])) if m.get("subtitle") else "none"
        self.add(typ.call("titleslide", typ.content(typ.text(f"{unit['title']} · Lesson {m['id']}")),
                          typ.content(typ.text(m["title"])), subtitle=sub), "title", m["title"])
        k = f"Lesson {m['id']}"  # before the first period: no period in the kicker
        self.content("Essential question", prose_pieces(m["essential_question"], self.capacity), kicker=k)
        self.content("I can…", list_pieces(m.get("i_can")), kicker=k)

    def period_start(self, p: int, heading: str, steps: list) -> None:
        self.period = p
        self.verdict_scale_shown = False
        if self.periods > 1:
            title = heading or f"Period {p}"
            self.add(typ.call("periodslide", typ.content(typ.text(f"Lesson {self.meta['id']} · Period {p} of {self.periods}")),
                              typ.content(typ.text(title))), "period", f"Period {p} of {self.periods} {title}")
        total = sum(s.get("minutes", 0) for s in steps)
        rows = [(lines_of(s["title"], CHARS_PER_LINE - 8), ("enum", (f"{s['minutes']} min", step_title(s))))
                for s in steps]
        self.content(f"Today's plan: {total} minutes", rows, max_items=8)

    def step(self, n: int, count: int, st: dict) -> None:
        title = step_title(st)
        self.add(typ.call("stepslide", typ.content(typ.text(self.kicker(f"Step {n} of {count}"))),
                          typ.content(typ.inline(title)), typ.content(typ.text(f"{st['minutes']} min"))),
                 "step", f"{title} {st['minutes']} min")

    def after_you_answer(self, ids) -> None:
        known = [i for i in dict.fromkeys(ids or []) if i in self.lesson.ref_labels]  # `check` reports the rest
        label = self.lesson.labels_of(sorted(known, key=lambda i: self.lesson.number_of(i) or 0)) if known else ""
        body = typ.text(f"Answer {label} first. " if label else "Answer the questions first. ") + typ.text(
            "The next slides answer them.")
        self.add(typ.call("afterslide", typ.content(typ.text(self.kicker("Stop"))),
                          typ.content(typ.text("After you answer")), typ.content(body)), "after",
                 f"After you answer {label}")

    # -- items ----------------------------------------------------------------------------------
    def item(self, item_id: str) -> None:
        kind, data = self.lesson.item(item_id)
        if kind == "content-note":
            cn = self.meta.get("content_note") or {}
            self.content("Content note", prose_pieces(cn.get("text", ""), self.capacity), cn.get("sources"))
        elif kind == "vocabulary":
            if not self.vocabulary_step:
                return  # a glossary to look words up in, unless a step teaches the words
            rows = [(lines_of(v["term"] + " " + v["definition"]) + 0.3, ("enum", (v["term"], v["definition"])))
                    for v in self.meta.get("vocabulary") or []]
            self.content("Words for this lesson", rows, max_items=3)
        elif kind == "figure":
            self.figure(data)
        elif kind == "article-citation":
            self.article_citation(data)
        elif kind == "article-map" and data:  # too long to project: where to read it
            n = len(data.get("paragraphs") or [])
            self.content("The article, paragraph by paragraph", [
                (2, ("P", f"Read the paragraph map in your notebook or packet: a summary of each of the article's "
                          f"{n} paragraphs (¶1 to ¶{n}), in our own words.")),
                (2, ("P", "If your teacher gave you a copy of the article, read it with the map beside it."))])
        elif kind == "block":
            self.block(data)
        elif kind == "exercise":
            self.exercise(item_id, data)
        # header, targets, save panel, source list, the article's text: not on slides

    def block(self, b: dict) -> None:
        from .content.cards import law_cards, perspective_cards

        cards = {c.get("id") for c in law_cards(self.lesson)} | {c.get("id") for c in perspective_cards(self.lesson)}
        if b.get("id") in cards:  # a law or perspective card: read in the packet
            self.card_group(b["id"])
            return
        pieces = prose_pieces(b.get("text", ""), self.capacity)
        pieces += list_pieces(b.get("list"))
        self.content(b.get("title") or "", pieces, b.get("sources"))

    def card_group(self, card_id: str) -> None:
        """Cards read in groups (a jigsaw, a side's perspective cards): one slide naming the set."""
        from .content.cards import card_titles
        from .content.periods import alternatives

        titles = card_titles(self.lesson)
        group = next((g for g in alternatives(self.meta) if card_id in g), [card_id])
        key = tuple(group)
        if key in self.groups_shown:
            return
        self.groups_shown.add(key)
        label = next((a.get("label") for a in self.meta.get("alternatives") or []
                      if isinstance(a, dict) and card_id in (a.get("items") or [])), None)
        pieces = [(1, ("P", "Read these cards in the notebook or in your packet:"))]
        pieces += list_pieces(titles[c] for c in group if c in titles)
        self.content(label or titles.get(card_id, "Cards"), pieces, max_items=5)

    def figure(self, fig: dict) -> None:
        from .content.model import figure_sources

        blob = chart_svg(self.project, fig)
        name = f"fig-{fig['id']}-{hashlib.sha256(blob).hexdigest()[:12]}.svg"
        self.deck.assets[name] = blob
        src = self.source_line(figure_sources(self.project, fig))
        note = typ.text(f"Data as of {fig['as_of']}. ") if fig.get("as_of") else ""
        source = typ.content(note + (src[1:-1] if src else "")) if (note or src) else "none"
        self.add(typ.call("chartslide", typ.content(typ.text(self.kicker("Chart"))), typ.content(typ.text(fig["title"])),
                          typ.string(name), typ.string(fig["alt"]), source=source), "chart", fig["title"])
        if fig.get("caption"):
            self.content(f"Reading the chart: {fig['title']}", prose_pieces(fig["caption"], self.capacity))

    def article_citation(self, art) -> None:
        if not art:
            return
        c = art["citation"]
        pieces = [(lines_of(c["headline"]) + 0.5,
                   ("raw", typ.call("passageframe", typ.content(f"#strong[{typ.text('“' + c['headline'] + '”')}]"))))]
        pieces.append((1, ("P", f"{c.get('byline', '')} · {c['site']} · {c['date']}")))
        self.content("The article", pieces, [c["source"]])
        lacks = c.get("lacks") or []
        if lacks:
            self.content("What the page does not give you", list_pieces(lacks))

    # -- exercises ------------------------------------------------------------------------------
    def exercise(self, eid: str, ex: dict) -> None:
        label = self.lesson.label_of(eid)
        title = f"{label} · {ex['title']}" if ex.get("title") else label
        k = ex.get("kind")
        self.shown_questions.add(eid)
        if k == "verdict":
            self.verdict(eid, ex, label)
            return
        pieces = prose_pieces(ex.get("prompt", ""), self.capacity)
        if k in ("single_choice", "multi_select"):
            options = [(lines_of(o["text"], CHARS_PER_LINE - 4), ("enum", (chr(65 + n) + ".", o["text"])))
                       for n, o in enumerate(ex.get("options") or [])]
            if sum(n + 0.35 for n, _ in pieces + options) > self.body_capacity(title):
                self.content(title, pieces, self._prompt_sources(ex))  # the prompt, then the options whole
                self.content(f"{label}: the choices", options, max_items=6)
                return
            pieces += options
        elif k == "highlight":  # the passage in a frame, line by line (a long one over several slides)
            pieces += [(lines_of(x, CHARS_PER_LINE - 4) + 0.2, ("pline", x))
                       for x in str(ex["passage"]).splitlines() if x.strip()]
        elif k == "short_answer" or k == "long_answer":
            if ex.get("starter"):
                pieces.append((lines_of(ex["starter"]) + 0.3, ("P", f"*Sentence starter:* {ex['starter']}")))
        elif k == "cer":
            if ex.get("question"):
                pieces.append((lines_of(ex["question"]), ("P", f"**The question:** {ex['question']}")))
            pieces.append((1, ("P", "Write a **claim**, the **evidence**, and your **reasoning**.")))
        elif k == "scale":
            from .exercises.written import DEFAULT_SCALE

            scale = " · ".join(ex.get("scale") or DEFAULT_SCALE)
            statements = [(lines_of(st["text"], CHARS_PER_LINE - 4), ("enum", (f"{n}.", st["text"])))
                          for n, st in enumerate(ex.get("statements") or [], 1)]
            self.content(title, pieces + [(lines_of(scale), ("P", f"*Answer on the scale:* {scale}"))],
                         ex.get("sources"))
            self.content(f"{label}: the statements", statements, max_items=4)
            return
        if k in ("sort", "timeline"):
            self.content(title, pieces, self._prompt_sources(ex))
            self.sort_items(eid, ex, label)
            return
        self.content(title, pieces, self._prompt_sources(ex), max_items=6)

    def _prompt_sources(self, ex) -> list:
        from .exercises import kind_of

        try:
            return kind_of(ex).prompt_sources(ex)
        except Exception:
            return list(ex.get("sources") or [])

    def sort_items(self, eid: str, ex: dict, label: str) -> None:
        from .exercises.sorting import item_letter, stable_shuffle

        if ex.get("kind") == "sort":
            cats = [(lines_of(c["label"] + " " + (c.get("hint") or "")), ("enum", (c["label"], c.get("hint") or "")))
                    for c in ex.get("categories") or []]
            self.content(f"{label}: the {len(cats)} categories", cats, max_items=5)
            items = [(lines_of(it["text"], CHARS_PER_LINE - 4), ("enum", (f"{item_letter(n)}.", it["text"])))
                     for n, it in enumerate(stable_shuffle(ex["items"], ex["id"]), 1)]
            self.content(f"{label}: sort these", items, max_items=6)
        else:  # a timeline: the events, lettered as on paper and in the notebook, in shuffled order
            events = [e for e in ex.get("events") or [] if isinstance(e, dict) and e.get("id")]
            items = [(lines_of(e["text"], CHARS_PER_LINE - 4), ("enum", (f"{chr(64 + n)}.", e["text"])))
                     for n, e in enumerate(stable_shuffle(events, ex["id"]), 1)]
            self.content(f"{label}: put these in order", items, max_items=6)

    def verdict_scale(self) -> None:
        from .exercises.verdict import VERDICTS

        rows = [(lines_of(f"{label}: {desc}", CHARS_PER_LINE - 4), ("enum", (f"{chr(65 + n)}.", f"**{label}:** {desc}")))
                for n, (_, label, desc) in enumerate(VERDICTS)]
        self.content("The five verdicts", rows)
        self.verdict_scale_shown = True

    def modelled(self, eid: str) -> bool:
        """A "Check it" card every student does (not part of a card set): the class models it together."""
        from .content.periods import alternatives

        return not any(eid in g for g in alternatives(self.meta))

    def verdict(self, eid: str, ex: dict, label: str) -> None:
        from .exercises.verdict import SOURCE_KIND

        c = ex.get("_claim") or {}
        where = f"¶{c['paragraph']}" if c.get("paragraph") else "the headline"
        title = f"{label} · {ex['title']}" if ex.get("title") else label
        claim = typ.call("claimframe", typ.content(f"#strong[{typ.text((ex.get('_claim_label') or 'Claim') + ' (' + where + '):')}] "
                                                   + typ.inline(c.get("paraphrase", ""))))
        pieces = prose_pieces(ex.get("prompt", ""), self.capacity) if self.modelled(eid) else []
        pieces.append((lines_of(c.get("paraphrase", "")) + 1, ("raw", claim)))
        if not self.verdict_scale_shown:  # once a period, before its first card: the class works from it
            self.verdict_scale()
        if not self.modelled(eid):
            pieces.append((1, ("P", "Read the evidence notes on the card, then choose a verdict and write your reason.")))
            self.content(title, pieces)
            return
        self.content(title, pieces)
        notes = [(lines_of(ev["note"], CHARS_PER_LINE - 4) + 0.3,
                  ("enum", (f"{n}.", f"**{SOURCE_KIND.get(ev['kind'], ev['kind'])}:** {ev['note']}")))
                 for n, ev in enumerate(c.get("evidence") or [], 1)]
        self.content(f"{label}: the evidence notes", notes,
                     [s for ev in c.get("evidence") or [] for s in ev.get("sources") or []], max_items=3)
        self.content(f"{label}: your verdict", [
            (2, ("P", "Which verdict fits? Choose one of the five (A to E).")),
            (2, ("P", "Write your reason: name at least one evidence note and say why it convinced you."))])
        self.modelled_key.append((eid, ex))

    def key_slides(self, eid: str, ex: dict) -> None:
        """The modelled card's verdict and why: only after the "After you answer" slide."""
        from .exercises.verdict import VERDICT_LABEL

        c = ex.get("_claim") or {}
        label = self.lesson.label_of(eid)
        pieces = [(1.3, ("P", f"**Verdict:** {VERDICT_LABEL.get(c.get('verdict'), c.get('verdict'))}"))]
        also = [VERDICT_LABEL.get(v, v) for v in c.get("also_accept") or []]
        if also:
            pieces.append((1, ("P", f"Also right if the reason shows it: {', '.join(also)}.")))
        pieces += prose_pieces(c.get("verdict_why", ""), self.capacity)
        self.content(f"{label}: the class's verdict", pieces, kind="key")

    # -- the walk -------------------------------------------------------------------------------
    def build(self) -> Deck:
        from .content.periods import split_cells, step_periods

        groups = split_cells(self.nb)
        self.periods = len(groups)
        steps_by_period = step_periods(self.meta)
        self.opening()
        norms_done = False
        for p, cells in enumerate(groups, 1):
            steps = steps_by_period.get(p, [])
            heading = next((_heading_text(c) for c in cells if _level(c) == 1), "")
            self.period_start(p, heading, steps)
            at = place_steps(self.lesson, cells, steps)
            moved, deferred = reveals_by_step(self.lesson, cells, steps, at)
            pending_reveal: list = []
            for i, cell in enumerate(cells + [None]):
                for n, st in enumerate(steps):
                    if at[n] == i:
                        pending_reveal += deferred.pop(n - 1, [])  # the debriefs of the step that ends here
                        self.flush_reveals(pending_reveal)
                        self.flush_key()
                        self.step(n + 1, len(steps), st)
                        if self.sets_up_controversy(st, cells):
                            self.controversy_setup()
                        if "norm" in step_title(st).lower() and not norms_done and not self._shows(cells, "norms"):
                            norms_done = self.unit_norms()
                if cell is None:
                    break
                tags = set((cell.get("metadata") or {}).get("tags") or [])
                if "notebook-only" in tags or cell.get("cell_type") != "code":
                    continue
                show = ((cell.get("metadata") or {}).get("civicnb") or {}).get("show")
                if not show:
                    continue
                if show == "norms":
                    norms_done = True
                try:
                    kind, data = self.lesson.item(show)
                except KeyError:
                    continue
                if kind == "block" and data.get("reveals"):
                    if i not in moved:  # a debrief moved to its questions' step is shown there
                        pending_reveal.append(data)
                    continue
                self.flush_reveals(pending_reveal)
                self.flush_key()
                self.item(show)
            self.flush_reveals(pending_reveal)
            self.flush_key()
        return self.deck

    def sets_up_controversy(self, st: dict, cells) -> bool:
        """A step that sets up the controversy ("Set up the controversy and its reading") in a period
        that does not show the perspective cards: only a timer otherwise."""
        from .content.cards import perspective_cards

        title = step_title(st).lower()
        if "controversy" not in title or "set up" not in title:
            return False
        ids = {c.get("id") for c in perspective_cards(self.lesson)}
        sides = {i for a in self.meta.get("alternatives") or [] if isinstance(a, dict) and a.get("items")
                 and set(a["items"]) <= ids for i in a["items"]}  # the card sets the sides read
        return bool(sides) and not any(self._shows(cells, i) for i in sides)

    def controversy_setup(self) -> None:
        """The sides, the cards each side reads and the reading before next time, from the lesson's
        perspectives.yml (its open question and sides) and its perspective-card sets."""
        from .content.cards import _load, PERSPECTIVE_FILE, card_titles

        data = _load(self.lesson, PERSPECTIVE_FILE) or {}
        titles = card_titles(self.lesson)
        pieces = []
        for q in data.get("questions") or []:
            if isinstance(q, dict) and q.get("kind") == "open":
                pieces.append((lines_of(q.get("text", "")) + 0.3, ("P", f"**The question:** {' '.join(str(q.get('text', '')).split())}")))
        sets = [a for a in self.meta.get("alternatives") or []
                if isinstance(a, dict) and a.get("items") and all(
                    titles.get(str(i), "").startswith("Perspective card") for i in a["items"])]
        for a in sets:
            roles = "; ".join(titles[i].split(": ", 1)[-1] for i in a.get("items") or [] if i in titles)
            pieces.append((lines_of(f"{a.get('label')}: {roles}") + 0.2, ("li", f"**{a.get('label')}:** {roles}")))
        nxt = f"period {self.period + 1}" if self.period < self.periods else "next time"
        pieces.append((2, ("P", f"Each pair argues one side. Read before {nxt}: your own side's cards closely, "
                                "the other side's once through (in your packet or notebook). Every role is a "
                                "decision-maker or advocate.")))
        self.content("The controversy: sides and reading", pieces, max_items=4)

    def _shows(self, cells, item_id) -> bool:
        return any(((c.get("metadata") or {}).get("civicnb") or {}).get("show") == item_id for c in cells)

    def unit_norms(self) -> bool:
        """A step about the norms in a lesson that does not show them: the unit's norms (the first
        lesson's box ``norms``) go on the slide after the step."""
        for name in self.project.lesson_names:
            other = self.lesson if name == self.lesson.name else self.project.lesson(name)
            try:
                b = other.blocks.get("norms")
            except Exception:
                continue
            if b:
                self.block(b)
                return True
        return False

    def flush_key(self) -> None:
        """The modelled card's verdict, after an "After you answer" slide (kept until the cards that
        follow it in the notebook have their slides, then shown with the first debrief)."""
        while self.modelled_key:
            eid, ex = self.modelled_key.pop(0)
            self.after_you_answer([eid])
            self.key_slides(eid, ex)

    def flush_reveals(self, pending: list) -> None:
        if not pending:
            return
        ids = [i for b in pending for i in b.get("reveals") or []]
        keys = list(self.modelled_key)
        self.modelled_key.clear()
        self.after_you_answer(ids + [e for e, _ in keys])
        for eid, ex in keys:
            self.key_slides(eid, ex)
        for b in pending:
            known = [i for i in b.get("reveals") or [] if i in self.lesson.ref_labels]
            note = f"Answers {self.lesson.labels_of(known)}." if known else ""
            pieces = ([(1, ("P", f"*{note}*"))] if note else []) + prose_pieces(b.get("text", ""), self.capacity)
            pieces += list_pieces(b.get("list"))
            self.content(b.get("title") or "Debrief", pieces, b.get("sources"), kind="key")
        pending.clear()


def reveals_by_step(lesson, cells: list, steps: list, at: list) -> tuple[set, dict]:
    """Debrief boxes (``reveals:``) that the notebook shows after a later step (e.g. after the exit
    ticket) go on the slides at the end of the step where their questions are, so each "After you
    answer" slide and its debrief fall inside a step with minutes, before the next step's slide. A box
    in a step of its own ("Debrief") stays there. Returns (indexes of moved cells, {step: [boxes]})."""
    def step_of(i: int) -> int:
        return max((n for n, a in enumerate(at) if a <= i), default=0)

    shows = [((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in cells]
    moved: set = set()
    deferred: dict = {}
    for i, sh in enumerate(shows):
        try:
            kind, data = lesson.item(sh) if sh else (None, None)
        except KeyError:
            continue
        if kind != "block" or not data.get("reveals") or not steps:
            continue
        own = step_of(i)
        if "debrief" in str(steps[own].get("title", "")).lower():
            continue
        asked = [step_of(shows.index(q)) for q in data["reveals"] if q in shows[:i]]
        if asked and max(asked) < own:
            moved.add(i)
            deferred.setdefault(max(asked), []).append(data)
    return moved, deferred


SLIDE_CHART_IN = (12.3, 5.0)  # the chart area of a slide (13.333 x 7.5 in, less margins, title and source)
MIN_CHART_PT = 18             # no label on a projected chart smaller than this (the figure is drawn at 1:1)


def chart_svg(project, fig: dict, scale: float = CHART_SCALE) -> bytes:
    """The lesson's chart drawn for the projector: the same chart code and data as the handouts, drawn
    at the size of the slide's chart area (so it fills the slide and 1 pt in the figure is 1 pt on the
    slide), every label at least 18 pt, the legend beside the plot, and no title (the slide's heading
    is the chart's title). ``scale`` is kept for callers; the slide size decides."""
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    from .charts import CHARTS, _style, render_svg

    rows = project.data_csv(fig["data"])
    with matplotlib.rc_context(_style()):
        f = CHARTS[fig["chart"]](rows, fig)
        f.set_size_inches(*SLIDE_CHART_IN)
        f.set_layout_engine("none")  # the margins below are set for the slide (a layout engine would redo them)
        grow = 2.0
        for ax in f.axes:  # the handout's legend goes (it is redrawn below at 18 pt); the rest grows
            if ax.get_legend() is not None:
                ax._slide_legend = ([h for h in ax.get_legend().legend_handles],
                                    [t.get_text() for t in ax.get_legend().get_texts()])
                ax.get_legend().remove()
        for t in f.findobj(Text):
            if t.get_text():
                t.set_fontsize(max(MIN_CHART_PT, t.get_fontsize() * grow))
        for ln in f.findobj(Line2D):
            ln.set_linewidth(ln.get_linewidth() * 1.5)
            ln.set_markersize(ln.get_markersize() * grow)
        for ax in f.axes:
            for loc in ("left", "center", "right"):
                ax.set_title("", loc=loc)
            ax.tick_params(labelsize=MIN_CHART_PT)
            if getattr(ax, "_slide_legend", None):
                handles, labels = ax._slide_legend
                # inside the figure's fixed size (margins set here), so the whole chart is drawn 1:1:
                # short labels beside the plot, long ones under it
                w, h = SLIDE_CHART_IN
                longest = max(map(len, labels or [""]))
                line = MIN_CHART_PT * 1.45 / 72  # inches a legend row takes
                if longest <= 50:
                    room = (longest * MIN_CHART_PT * 0.45 + 40) / 72  # label width estimate + the key
                    f.legend(handles, labels, frameon=False, loc="upper right", bbox_to_anchor=(1, 0.98),
                             fontsize=MIN_CHART_PT, borderaxespad=0)
                    f.subplots_adjust(left=1.1 / w, right=1 - (room + 0.2) / w, top=0.96, bottom=0.7 / h)
                else:
                    room = len(labels) * line + 0.1
                    f.legend(handles, labels, frameon=False, loc="lower left", bbox_to_anchor=(0.01, 0.0),
                             fontsize=MIN_CHART_PT, borderaxespad=0)
                    f.subplots_adjust(left=1.1 / w, right=0.99, top=0.96, bottom=(room + 0.85) / h)
            for sp in ax.spines.values():
                sp.set_linewidth(sp.get_linewidth() * 1.5)
            ax.tick_params(width=1.5, length=6)
            marks = [t for t in ax.texts if t.get_bbox_patch() is not None and t.get_text().strip().isdigit()
                     and str(t.get_bbox_patch().get_boxstyle()).lower().find("circle") >= 0]
            if len(marks) > 1:  # numbered event marks along the top: two rows a mark's height apart
                lo, top = ax.get_ylim()
                step = (top - lo) * (MIN_CHART_PT * 1.9 / 72) / (ax.get_position().height * SLIDE_CHART_IN[1])
                for n, t in enumerate(sorted(marks, key=lambda t: t.get_position()[0])):
                    t.set_y(top - step * (0.6 + (n % 2)))
        return render_svg(f)


# -- where each step's slide goes --------------------------------------------------------------------

def step_title(st: dict) -> str:
    return STEP_PREFIX.sub("", str(st.get("title") or "")).strip() or str(st.get("title") or "")


def _cell_source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src or "")


def _level(cell) -> int:
    if cell.get("cell_type") != "markdown":
        return 0
    m = re.match(r"\s*(#+)\s", _cell_source(cell))
    return len(m.group(1)) if m else 0


def _heading_text(cell) -> str:
    return re.sub(r"^\s*#+\s*", "", _cell_source(cell).strip().splitlines()[0]).strip()


def _tokens(text: str) -> set:
    return {w for w in re.findall(r"[a-z0-9]+", str(text).lower().replace("-", " ")) if w not in STOP}


def question_ids(lesson, text: str) -> list[str]:
    """The exercises a step's summary names ("Question 5", "Questions 8–11, 14 and 15")."""
    order = lesson.exercise_order
    out = []
    for m in QUESTION_REF.finditer(text or ""):
        for part in re.split(r"\s*(?:,|and)\s*", m.group(1)):
            r = re.split(r"\s*[–-]\s*", part.strip())
            try:
                lo, hi = int(r[0]), int(r[-1])
            except ValueError:
                continue
            out += [order[n - 1] for n in range(lo, hi + 1) if 1 <= n <= len(order)]
    return out


def place_steps(lesson, cells: list, steps: list) -> list[int]:
    """For each step of a period, the index of the cell its slide goes before (``len(cells)``: the
    period's end). A step goes where its content starts: the part heading above the first question
    its summary names, or the heading or item whose words match its title; steps keep their order.
    A step with nothing to match follows the one before it."""
    shows = [((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in cells]
    text = []
    for c, sh in zip(cells, shows):
        words = _tokens(_cell_source(c)) if c.get("cell_type") == "markdown" else set()
        if sh:
            words |= _tokens(sh)
            try:
                kind, data = lesson.item(sh)
                if kind in ("block", "exercise", "figure") and isinstance(data, dict):
                    words |= _tokens(data.get("title") or "")
            except KeyError:
                pass
        text.append(words)
    parts = [i for i, c in enumerate(cells) if 1 <= _level(c) <= 2 and "notebook-only" not in
             set((c.get("metadata") or {}).get("tags") or [])]
    titles = {}  # a box named in a summary ("read “Three lenses”") is a reference to it
    for i, sh in enumerate(shows):
        try:
            kind, data = lesson.item(sh) if sh else (None, None)
        except KeyError:
            continue
        if isinstance(data, dict) and kind in ("block", "figure") and data.get("title"):
            titles.setdefault(str(data["title"]), sh)
    at: list = []
    prev = -1
    for n_step, st in enumerate(steps):
        if n_step == 0:  # a period starts with its first step
            at.append(0)
            prev = 0
            continue
        cands = []
        said = f"{st.get('summary', '')} {st.get('paper', '')}"
        named = question_ids(lesson, said) + [titles[t] for t in re.findall(r"“([^”]+)”", said) if t in titles]
        for eid in named:
            if eid in shows:
                i = shows.index(eid)
                start = max((h for h in parts if h <= i), default=i)
                cands.append(start if start > prev else i)
        want = _tokens(step_title(st))
        if want:
            for i, words in enumerate(text):
                if len(want & words) >= max(1, math.ceil(len(want) * 2 / 3)):
                    cands.append(i)
        cands = [i for i in cands if i > prev]
        i = min(cands) if cands else None
        at.append(i)
        if i is not None:
            prev = i
    # a step with nothing to match: just before the next placed step (or at the period's end)
    nxt = len(cells)
    for n in range(len(at) - 1, -1, -1):
        if at[n] is None:
            at[n] = nxt
        nxt = at[n]
    # never before the period's first cell, and in order
    for n in range(1, len(at)):
        at[n] = max(at[n], at[n - 1])
    return at


# -- build ---------------------------------------------------------------------------------------------

def render(project, lesson, nb: dict, capacity: float = CAPACITIES[0]) -> Deck:
    from .handout.render import footer_date

    maker = SlideMaker(project, lesson, nb, capacity)
    deck = maker.build()
    m = lesson.meta
    head = "\n\n".join([
        '#import "slides.typ": *',
        typ.call("show: deck.with", title=typ.string(f"Lesson {m['id']}: {m['title']} (Slides)"),
                 lesson=typ.string(m["id"]), dated=typ.string(footer_date(m, lesson.sources_through())))])
    deck.source = head + "\n\n" + "\n\n".join(s.markup for s in deck.slides) + "\n"
    deck.assets["slides.typ"] = TEMPLATE.read_bytes()
    return deck


def build_pdf(project, lesson, workdir: Path) -> bytes:
    """Compile the deck; if a slide ran over its page, split the text smaller and compile again."""
    from .handout.compile import compile_pdf, page_count

    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    data = b""
    for capacity in CAPACITIES:
        deck = render(project, lesson, nb, capacity)
        data = compile_pdf(workdir, deck.source, deck.assets)
        if page_count(data) == len(deck.slides):
            return data
    over = overflowing(workdir, deck, page_count(data))
    raise RuntimeError(f"lesson {lesson.name}: slide {over[0] if over else '?'} does not fit one slide even split "
                       f"small ({deck.slides[over[0] - 1].text[:60] if over else ''}…); shorten that text in the lesson data")


def overflowing(workdir: Path, deck: Deck, pages: int) -> list[int]:
    """The slides (numbered from 1) that ran over their page: the next slide starts more than one page
    later (the last: the deck has pages after it)."""
    import typst

    from .handout.compile import fonts_dir, write_sources

    main = write_sources(workdir, deck.source, deck.assets)
    raw = typst.query(str(main), "<civicnb-slide>", field="value", root=str(workdir),
                      font_paths=[str(fonts_dir(workdir.parent))], ignore_system_fonts=True)
    starts = {v["n"]: v["page"] for v in json.loads(raw)}
    total = len(deck.slides)
    ends = [starts.get(n + 1, pages + 1) for n in range(1, total + 1)]
    return [n for n in range(1, total + 1) if ends[n - 1] - starts.get(n, n) > 1]
