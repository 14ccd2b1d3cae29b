"""Turn a lesson notebook plus its lesson data into Typst source for one edition.

Editions:

* ``student``: title, Name/Date/Period, targets, vocabulary, numbered questions with answer space;
  no code, no keys, no teacher notes.
* ``teacher``: a lesson-plan page (objectives, standards, minutes per step, materials, preparation,
  facilitation notes), then the student pages with keys, exemplars and notes.
* ``worksheet``: the student edition filled in with one student's saved answers.

The notebook gives the order and the narrative; each cell that shows lesson content names the item in
its metadata (``civicnb.show``), and the paper or key view comes from the lesson data, never from saved
widget state. The notebook is a plain dict (``json.load``), so rendering does not import nbformat.
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

from . import typ
from .markdown import to_typst
from ..exercises import kind_of
from ..content.model import numbers_text
from ..exercises.base import CITE_MARK, cite_mark
from ..i18n import t, using

EDITIONS = ("student", "teacher", "worksheet", "after")
EDITION_LABEL = {"student": "Student edition", "teacher": "Teacher edition", "worksheet": "Completed worksheet",
                 "after": "After the lesson"}
STUDENT_CITES = 3  # at most this many citation numbers at one spot of a student edition
PAPERS = {"letter": "us-letter", "us-letter": "us-letter", "a4": "a4"}
SKIP_IN_PRINT = {"header", "i-can", "essential-question", "save-panel", "sources", "checklist"}
_CITE_RE = re.compile(f"{CITE_MARK}cite:([^{CITE_MARK}]*){CITE_MARK}")


def list_with_cites(block: dict) -> str:
    """A block's list and its citation marks. With ``row_sources`` (one list of source ids per row,
    e.g. the "what happened next" box) each row is cited where it stands, so a student edition,
    which prints only a few numbers at one spot, still cites every row; otherwise one mark at the end."""
    rows, per_row = block.get("list") or [], block.get("row_sources")
    if rows and isinstance(per_row, list) and len(per_row) == len(rows):
        return "\n" + "\n".join(f"- {typ.inline(x)}{cite_mark(ids)}" for x, ids in zip(rows, per_row))
    out = ("\n" + "\n".join(f"- {typ.inline(x)}" for x in rows)) if rows else ""
    return out + cite_mark(block.get("sources"))


@dataclass
class Rendered:
    source: str
    assets: dict = field(default_factory=dict)  # filename -> bytes (images written beside the .typ)
    source_ids: list = field(default_factory=list)


def _cell_source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell) -> set:
    return set((cell.get("metadata") or {}).get("tags") or [])


def reveal_label(lesson, ids) -> str:
    """"Questions 4–7" for the items a debrief box answers."""
    nums = [lesson.number_of(i) for i in ids or []]
    nums = [n for n in nums if n]
    if not nums:
        return ""
    return (t("Question") + " " if len(set(nums)) == 1 else t("Questions") + " ") + numbers_text(nums).replace(
        " and ", f" {t('and')} ")


SLIP_NOTE = {
    "poll": "Do not write your name. Fold and hand in; your teacher counts answers only.",
    "exit": "Cut along the dashed line and hand in this slip; keep the rest of the packet.",
}
SLIP_TEACHER = {
    "poll": ("Student edition: this poll prints on a separate slip with no name line (\u201cDo not write your "
             "name. Fold and hand in; your teacher counts answers only.\u201d). Collect the slips face down, "
             "tally the counts, then shred them."),
    "exit": ("Student edition: the exit ticket prints on a separate slip with a name line, so you can "
             "collect it without the packet."),
}


def slip_kind(ex) -> str | None:
    """"poll" for an opinion poll (kind scale: private, no name), "exit" for an exit ticket (an
    exercise titled "Exit ticket…"), else None. The student edition prints these as slips."""
    if not isinstance(ex, dict):
        return None
    if ex.get("kind") == "scale":
        return "poll"
    title = normal_words(ex.get("title"))
    if title.startswith("exit ticket") or title.startswith(normal_words(t("Exit ticket", ex.get("_lang") or "en"))):
        return "exit"
    return None


def footer_date(meta, through=None) -> str:
    """How current the handout is: "Sources through Feb 2026 · checked 29 Nov 2026" when the lesson
    says how current its sources are (``sources_through``, or ``through`` computed by
    ``Lesson.sources_through()`` from the sources it cites), else "Facts as of 2026-11-29"."""
    import calendar

    as_of, through = str(meta.get("as_of") or ""), through or meta.get("sources_through")
    if not isinstance(through, str) or not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", through):
        return t("Facts as of {date}", date=as_of)

    def abbr(m):
        return t(calendar.month_abbr[m])

    when = f"{abbr(int(through[5:7]))} {through[:4]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
        checked = f"{int(as_of[8:10])} {abbr(int(as_of[5:7]))} {as_of[:4]}"
    else:
        checked = as_of
    return t("Sources through {when} · checked {checked}", when=when, checked=checked)


def merge_notes(notes) -> list[str]:
    """Notes that differ in a few words print once: "Wording condensed; check the official C3 Framework
    text before printing." and "... official Common Core text ..." become one line naming both."""
    distinct = list(dict.fromkeys(n.strip() for n in notes if n and n.strip()))
    if len(distinct) < 2:
        return distinct
    words = [n.split() for n in distinct]
    pre = 0
    while all(len(w) > pre for w in words) and len({w[pre] for w in words}) == 1:
        pre += 1
    suf = 0
    while all(len(w) > pre + suf for w in words) and len({w[-1 - suf] for w in words}) == 1:
        suf += 1
    if pre + suf == 0:
        return distinct
    middles = [" ".join(w[pre:len(w) - suf]) for w in words]
    joined = ", ".join(middles[:-1]) + " and " + middles[-1]
    head, tail = words[0][:pre], words[0][len(words[0]) - suf:] if suf else []
    return [" ".join(head + [joined] + tail)]


def item_periods(cells) -> dict:
    """{shown item id: class period (1, 2, ...)} from the notebook's level-1 period headings."""
    from ..content.periods import split_cells

    out = {}
    for p, group in enumerate(split_cells({"cells": cells}), 1):
        for c in group:
            show = ((c.get("metadata") or {}).get("civicnb") or {}).get("show")
            if show:
                out.setdefault(show, p)
    return out


def period_count(nb: dict) -> int:
    from ..content.periods import split_cells

    return len(split_cells(nb))


def normal_words(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(s or "")).lower().split())


class Renderer:
    def __init__(self, project, lesson, edition: str, paper: str = "letter", work: dict | None = None,
                 size: float | None = None, period: int | None = None, student_pages: dict | None = None,
                 large: bool = False):
        if edition not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}")
        self.project, self.lesson, self.edition = project, lesson, edition
        self.paper = PAPERS.get(paper.lower())
        if self.paper is None:
            raise ValueError("paper must be 'letter' or 'a4'")
        self.work = work or {}
        self.answers = {k: (v or {}).get("value") for k, v in (self.work.get("answers") or {}).items()}
        self.qnum = 0
        self.assets: dict = {}
        self.size = size  # the after sheet's type size when it must shrink to fit one sheet
        self.slips: list = []  # (item id, number, "poll"/"exit", title) printed as slips (student edition)
        self.student_pages = student_pages or {}  # teacher edition: {question number: student edition page}
        self.period = period  # the after sheet / student packet of one class period (None: the whole lesson)
        self._all_cells: list = []
        self.after_only: list = []  # source ids only the after-the-lesson sheets cite (student list: at the end)
        self.lang = getattr(lesson, "lang", "en")  # a translated lesson (Spanish edition) prints in its language
        self.large = large  # the large-print edition (see handout/large.py)

    @property
    def edition_label(self) -> str:
        return t(EDITION_LABEL[self.edition]) + (" (large print)" if self.large else "")

    @property
    def teacher(self) -> bool:
        return self.edition == "teacher"

    # -- pieces ----------------------------------------------------------------------------------
    def preamble(self) -> str:
        m = self.lesson.meta
        return "\n\n".join([
            '#import "civicnb.typ": *',
            typ.call("show: handout.with", title=typ.string(t("Lesson {id}: {title} ({edition})", id=m['id'],
                                                                title=m['title'], edition=self.edition_label)),
                     lesson=typ.string(m["id"]), edition=typ.string(self.edition_label),
                     as_of=typ.string(m["as_of"]), dated=typ.string(footer_date(m, self.lesson.sources_through())), paper=typ.string(self.paper),
                     **({"lang": typ.string(self.lang)} if self.lang != "en" else {}),
                     **({"large": "true"} if self.large else {}))])

    def head(self) -> str:
        """The first student page: title, name line, targets (and vocabulary if no cell shows it)."""
        m = self.lesson.meta
        unit = self.project.unit
        kicker = f"{unit['title']} · {t('Lesson')} {m['id']} · {self.edition_label}"
        if self.period and self.edition == "student":
            kicker += " · " + t("Period {n} of {total}", n=self.period, total=period_count({'cells': self._all_cells}))
        parts = []
        sub = typ.content(typ.inline(m["subtitle"])) if m.get("subtitle") else "none"
        parts.append(typ.call("titleblock", typ.content(typ.text(kicker)), typ.content(typ.text(m["title"])),
                              subtitle=sub))
        name = self.work.get("student", "") if self.edition == "worksheet" else ""
        date = (self.work.get("updated") or "")[:10] if self.edition == "worksheet" else ""
        parts.append(typ.call("nameline", name=typ.content(typ.text(name)), date=typ.content(typ.text(date))))
        parts.append(typ.call("targets", typ.content(typ.inline(m["essential_question"])),
                              typ.array(typ.content(typ.inline(x)) for x in m["i_can"])))
        if m.get("vocabulary") and not self._shows("vocabulary"):
            parts.append(self.vocabulary())  # the notebook has no vocabulary cell: print it up front
        return "\n\n".join(parts)

    def _shows(self, item_id: str) -> bool:
        cells = self._all_cells or self._cells  # a one-period packet: the vocabulary may be in another period
        return any(((c.get("metadata") or {}).get("civicnb") or {}).get("show") == item_id for c in cells)

    def vocabulary(self) -> str:
        rows = [f"({typ.content(typ.text(v['term']))}, {typ.content(typ.inline(v['definition']) + cite_mark(v.get('sources')))})"
                for v in self.lesson.meta["vocabulary"]]
        return typ.call("vocabbox", typ.array(rows))

    def plan_pages(self) -> str:
        m = self.lesson.meta
        out = [typ.call("titleblock", typ.content(typ.text(f"Lesson {m['id']} · Teacher edition · Lesson plan")),
                        typ.content(typ.text(m["title"])))]
        out.append(f"#strong[{typ.text('Essential question: ')}]{typ.inline(m['essential_question'])}")
        if m.get("purpose"):
            out.append(f"#strong[{typ.text('Purpose: ')}]{typ.inline(m['purpose'])}")
        out.append("#heading(level: 2)[Objectives]\n" + "\n".join(f"- {typ.inline(x)}" for x in m["i_can"]))
        rows = ", ".join(f"[{typ.text(s['framework'])}], [{typ.text(s['code'])}], [{typ.inline(s['text'])}]"
                         for s in m["standards"])
        notes = merge_notes([s["note"] for s in m["standards"] if s.get("note")])
        out.append("#heading(level: 2)[Standards]\n"
                   f"#table(columns: (auto, auto, 1fr), table.header([*Framework*], [*Code*], [*What students do*]), {rows})"
                   + "".join(f"\n\n#text(size: 9pt)[{typ.inline(n)}]" for n in notes))
        out.append(self.timing_table())
        out.append("#heading(level: 2)[Materials]\n" + "\n".join(f"- {typ.inline(x)}" for x in m["materials"]))
        out.append("#heading(level: 2)[Preparation]\n" + "\n".join(f"- {typ.inline(x)}" for x in m["preparation"]))
        if self.lesson.teacher_md.strip():
            # [@source-id] citations survive Markdown conversion as a marker inside a string literal;
            # the marker is then swapped for: close the literal, a citation placeholder, reopen.
            notes = re.sub(r"\s*\[@([a-z0-9-]+)\]", lambda mm: f"\u2063CITE{mm.group(1)}\u2063", self.lesson.teacher_md)
            body = to_typst(notes, heading_offset=1)
            body = re.sub(r"\u2063CITE([a-z0-9-]+)\u2063", lambda mm: f'";{cite_mark([mm.group(1)])}#"', body)
            out.append("#heading(level: 2)[Facilitation notes]\n" + body)
        out.append(self.spanish_glossary())
        out.append("#pagebreak()")
        out.append(self.glance_key())
        out.append("#pagebreak()")
        return "\n\n".join(out)

    def spanish_glossary(self) -> str:
        """Teacher edition: the Spanish terms the Spanish edition uses for this lesson's legal words
        (lessons/i18n/glossary-es.yml), so a teacher can read and discuss the Spanish packets."""
        from ..i18n.glossary import terms_for

        terms = terms_for(self.project.root, str(self.lesson.meta.get("id")), "es")
        if not terms:
            return ""
        rows = ", ".join(f"[{typ.text(x['en'])}], [#strong[{typ.text(x['es'])}]], [{typ.inline(x['gloss_es'])}]"
                         for x in terms)
        intro = typ.text("The Spanish student edition (…-student-es.pdf) and the notebook in Spanish use these terms; "
                         "the explanation is the gloss students read on first use. The Spanish edition has the same "
                         "question numbers, option letters and item letters, so this key grades it too.")
        return ("#heading(level: 2)[Spanish glossary (glosario)]\n"
                f"#text(size: 9pt)[{intro}]\n\n#block[#set text(size: 9pt, lang: \"es\")\n"
                "#table(columns: (1.2fr, 1.2fr, 2.6fr), inset: 3pt, align: left + top, "
                "table.header([*English*], [*Español*], [*Explicación*]), " + rows + ")]")

    def timing_table(self) -> str:
        """Steps by class period, the notebook route next to the paper-only route, with each period's
        planned minutes and the words a student reads in it."""
        from ..content.periods import PERIOD_MINUTES, planned_minutes, step_periods, texts_per_period
        from ..content.periods import words as count_words
        from ..content.readability import measure

        m = self.lesson.meta
        periods = step_periods(m)
        texts = texts_per_period(self.lesson, {"cells": self._cells})
        words = [count_words(t) for t in texts]   # the reading load: words, and their grade level
        grades = [measure(t).grade if w else 0.0 for t, w in zip(texts, words)]
        limit = planned_minutes(m)
        length = m.get("period_minutes") or PERIOD_MINUTES
        rows, n = [], 0
        for p, steps in periods.items():
            minutes = sum(s.get("minutes", 0) for s in steps)
            w = words[p - 1] if p - 1 < len(words) else 0
            g = grades[p - 1] if p - 1 < len(grades) else 0.0
            head = (f"Period {p}" if len(periods) > 1 else "One period") + (
                f" · {minutes} of {limit} planned minutes (of {length}) · students read about {w:,} words"
                + (f" at grade {g:.1f} (Flesch-Kincaid)" if w else ""))
            rows.append(f"table.cell(colspan: 5, fill: luma(228))[#strong[{typ.text(head)}]]")
            for st in steps:
                n += 1
                paper = st.get("paper") or "Same, on the handout."
                rows += [f"[{typ.text(str(n))}]", f"[{typ.inline(st['title'])}]", f"[{typ.text(str(st['minutes']))}]",
                         f"[{typ.inline(st.get('summary', ''))}]", f"[{typ.inline(paper)}]"]
        return (f"#heading(level: 2)[Timing: {m['minutes']} minutes"
                + (f" over {len(periods)} periods" if len(periods) > 1 else "") + "]\n"
                "#together[#set text(size: 9pt)\n"
                "#table(columns: (auto, 1.15in, auto, 1fr, 1fr), inset: 4pt, align: left + top, "
                "table.header([*\\#*], [*Step*], [*Min*], [*Notebook route*], [*Paper-only route*]), "
                + ", ".join(rows) + ")]\n\n"
                + f"#text(size: 9pt)[{typ.text('Self-check questions: in the notebook, students commit to an answer and press Check. A first wrong answer gets a hint; a second gets the full feedback. On paper, use the at-a-glance key.')}]"
                + f"\n\n#text(size: 9pt)[{typ.text(self.reading_level_note(texts))}]")

    def reading_level_note(self, texts) -> str:
        """One line on the lesson's reading level: the whole lesson's grade and its hardest long block."""
        from ..content import readability

        whole = readability.measure("\n\n".join(t for t in texts if t))
        hardest = max((b for b in readability.lesson_report(self.lesson.project, self.lesson.name, ("en",))
                       if b.words > readability.MIN_WORDS), key=lambda b: b.grade, default=None)
        line = (f"Reading level (Flesch-Kincaid grade): the lesson's student text reads at grade {whole.grade:.1f} "
                f"overall (target {readability.TARGET})")
        if hardest is not None:
            line += (f"; its hardest block of more than {readability.MIN_WORDS} words is at grade "
                     f"{hardest.grade:.1f} (the tests fail above {readability.GRADE_LIMIT:.0f})")
        return line + ". Each block's level: civicnb readability."

    def glance_key(self) -> str:
        """One or two pages opening the key: every item's number, answer and accepted alternatives."""
        cells = []
        for eid in self.lesson.exercise_order:
            ex = self.lesson.exercises.get(eid)
            if not ex:
                continue
            k = kind_of(ex)
            answer, accept = k.glance(ex)
            title = ex.get("title") or ""
            num = self.lesson.number_of(eid)
            page = self.student_pages.get(num)
            cells += [f"[#strong[{typ.text(str(num))}]]", f"[{typ.inline(title)}]",
                      f"[{typ.text(str(page)) if page else ''}]", f"[{answer}]", f"[{accept}]"]
        if not cells:
            return ""
        return ("#heading(level: 2)[At-a-glance key]\n"
                f"#text(size: 9.5pt)[{typ.text('Every question by the number students see. The notebook marks an also-accepted answer right; for a Check-it card, accept it when the reason says why. Grade written answers and Check-it reasons on the reasoning; the full key, exemplars and notes follow each question.')}]\n\n"
                "#block[#set text(size: 9pt)\n#table(columns: (auto, 1.3in, auto, 1fr, 1.45in), inset: 3pt, align: left + top, "
                "table.header([*\\#*], [*Question*], [*Student page*], [*Answer*], [*Also accept*]), "
                + ", ".join(cells) + ")]")

    def item(self, item_id: str) -> str:
        kind, data = self.lesson.item(item_id)
        if kind in SKIP_IN_PRINT:
            return ""
        m = self.lesson.meta
        if kind == "vocabulary":
            return self.vocabulary() if m.get("vocabulary") else ""
        if kind == "content-note":
            cn = m.get("content_note") or {}
            return typ.call("notebox", typ.content(typ.text(t("Content note."))),
                            typ.content(typ.inline(cn.get("text", "")) + cite_mark(cn.get("sources"))))
        if kind == "figure":
            return self.figure(data)
        if kind == "article-citation":
            return self.article_citation(data)
        if kind == "article-map":
            return self.article_map(data)
        if kind == "article-text":
            return ""  # the teacher-supplied copy prints once, as a source packet at the end
        if kind == "block":
            if data.get("reveals") and self.edition in ("student", "worksheet"):
                return ""  # it answers questions in this packet: teacher edition and after-sheet only
            title = typ.content(typ.text(data["title"])) if data.get("title") else "none"
            body = typ.paragraphs(data.get("text", "")) if data.get("text") else ""
            body += list_with_cites(data)
            if data.get("as_of") and self.teacher:
                body += " " + f"#text(size: 8.5pt)[{typ.text('(as of ' + data['as_of'] + ')')}]"
            if data.get("teacher_line") and self.teacher:  # e.g. a perspective card's balance mix
                body += "\n\n" + f"#text(size: 8.5pt)[#emph[{typ.text(data['teacher_line'])}]]"
            if data.get("reveals") and self.teacher:
                label = reveal_label(self.lesson, data["reveals"])
                return typ.call("revealbox", title, typ.content(body), typ.content(typ.text(
                    f"This box answers {label}. Students read it after answering "
                    "(the notebook unlocks it then; on paper, hand out the after-the-lesson sheet).")))
            return typ.call("factblock", title, typ.content(body))
        # an exercise
        k = kind_of(data)
        self.qnum = self.lesson.number_of(item_id) or self.qnum + 1
        slip = slip_kind(data)
        if slip and self.edition == "student":  # printed on its own slip at the end; a pointer here
            self.slips.append((item_id, self.qnum, slip, data.get("title") or ""))
            return self.slip_pointer(item_id, self.qnum, slip, data.get("title") or "")
        if self.edition == "teacher":
            if data.get("kind") == "scale" and data.get("poll"):
                data = dict(data, _poll=self.poll_pair(item_id, data["poll"]))
            view = k.key(data)
            if slip:
                view = f"#text(size: 9.5pt, style: \"italic\")[{typ.text(SLIP_TEACHER[slip])}]\n\n" + view
        elif self.edition == "worksheet":
            view = k.filled(data, self.answers.get(item_id))
        else:
            view = k.paper(data)
        same = normal_words(data.get("title")) == normal_words(getattr(self, "_heading", None))
        title = typ.content(typ.text(data["title"])) if data.get("title") and not same else "none"
        return self.question(k, data, title, view)

    def poll_pair(self, item_id: str, poll: str) -> dict:
        """Where else the unit asks this poll: {"before": (lesson id, number)} on a repeat, or
        {"later": (lesson id, number)} on the first, from the lessons in unit order."""
        asked = []
        for name in self.project.lesson_names:
            lesson = self.lesson if name == self.lesson.name else self.project.lesson(name)
            try:
                exercises = lesson.exercise_list
            except Exception:  # a broken lesson is `civicnb check`'s to report
                continue
            for ex in exercises:
                if isinstance(ex, dict) and ex.get("kind") == "scale" and ex.get("poll") == poll:
                    asked.append((lesson, ex.get("id")))
        here = next((i for i, (ls, eid) in enumerate(asked) if ls.name == self.lesson.name and eid == item_id), None)
        if here is None or len(asked) < 2:
            return {}
        ref = asked[0] if here > 0 else asked[1]
        where = (str(ref[0].meta.get("id") or ref[0].name), ref[0].number_of(ref[1]))
        return {"before": where} if here > 0 else {"later": where}

    def question(self, k, data, title, view) -> str:
        prompt = typ.inline(data["prompt"]) + cite_mark(k.prompt_sources(data))
        extra = {}
        if self.teacher and self.student_pages.get(self.qnum):
            extra["where"] = typ.string(f"Student p. {self.student_pages[self.qnum]}")
        return typ.call("question", str(self.qnum), title, typ.content(prompt),
                        typ.content(view), **extra)

    # -- slips: the private poll and the exit ticket print apart from the named packet ----------------
    def slip_pointer(self, item_id, num, slip, title) -> str:
        where = f"#context {{ let q = query(<civicnb-slip-{item_id}>); if q.len() > 0 {{ str(counter(page).at(q.first().location()).first()) }} }}"
        if title and self.lang != "en":  # no brackets inside brackets: "(Boleto de salida: … (…))"
            title = re.sub(r"\s*\([^()]*\)", "", title)
        name = f"{t('Question')} {num}" + (f" ({title})" if title else "")
        text = (t("{name} is on a separate slip with no name line, page ", name=name) if slip == "poll"
                else t("{name} is on a separate slip, page ", name=name))
        tail = t(". Do not write your name on it.") if slip == "poll" else t(
            ". Your teacher will say when to fill it in and hand it in.")
        return typ.call("notebox", typ.content(typ.text(t("On a slip."))),
                        typ.content(typ.text(text) + where + typ.text(tail)))

    def slip_section(self) -> str:
        """The student edition's slips, after the packet: each cut off and handed in on its own."""
        if self.edition != "student" or not self.slips:
            return ""
        m = self.lesson.meta
        out = ["#pagebreak(weak: true)"]
        for item_id, num, slip, title in self.slips:
            data = self.lesson.exercises[item_id]
            k = kind_of(data)
            self.qnum = num
            kicker = f"{t('Lesson')} {m['id']} · " + (f"{title or t('Poll')} · {t('no name')}" if slip == "poll"
                                                     else title or t("Exit ticket"))
            note = typ.content(typ.text(t(SLIP_NOTE[slip])))
            body = self.question(k, data, "none", k.paper(data))
            out.append(typ.call("slip", typ.content(typ.text(kicker)), note, typ.content(body),
                                named="false" if slip == "poll" else "true",
                                tag=typ.string(f"civicnb-slip-{item_id}")))
        out.append("#cutline()")
        return "\n\n".join(out)

    def figure(self, fig) -> str:
        from ..charts import figure_svg
        from ..content.model import figure_sources

        blob = figure_svg(self.project, fig, large=self.large, lang=self.lang)
        name = f"fig-{fig['id']}-{hashlib.sha256(blob).hexdigest()[:12]}.svg"
        self.assets[name] = blob
        cap = typ.inline(fig.get("caption") or fig["title"]) + cite_mark(figure_sources(self.project, fig))
        cap += f" #text(size: 8.5pt)[{typ.text(t('(Data as of {date}.)', date=fig['as_of']))}]"
        # large print: the chart as large as a page allows (its caption may follow on the next page)
        fit = ', height: 8.2in, fit: "contain"' if self.large else ""
        return (f"#figure(image({typ.string(name)}, alt: {typ.string(fig['alt'])}, width: 100%{fit}), "
                f"caption: [{cap}])")

    def article_citation(self, art) -> str:
        if art is None:
            return ""
        c = art["citation"]
        lines = [f"#strong[{typ.text('“' + c['headline'] + '”')}]"]
        if c.get("headline_alt"):
            lines.append(typ.text(t("The page also shows a second headline: “{headline}”.", headline=c["headline_alt"])))
        date = t(c["date"]) if c["date"] == "undated" else c["date"]  # "sin fecha" in Spanish; English as before
        lines.append(typ.text(f"{c.get('byline', '')} · {c['site']} · {date}") + cite_mark([c["source"]]))
        if c.get("date_note") and self.teacher:  # reasoning about the date answers questions: not for students
            lines.append(f"#emph[{typ.text('Teacher only: ')}]" + typ.inline(c["date_note"]))
        lacks = "\n".join(f"- {typ.inline(x)}" for x in c.get("lacks") or [])
        body = " \\\n".join(lines) + (f"\n\n#strong[{typ.text(t('What the page does not give you:'))}]\n{lacks}" if lacks else "")
        return typ.call("framed", typ.content(typ.text(t("The article"))), typ.content(body))

    def article_map(self, art) -> str:
        if art is None:
            return ""
        cells = []
        for p in art["paragraphs"]:
            cells += [typ.content(typ.text(f"¶{p['n']}")), typ.content(typ.inline(p["summary"]))]
        head = typ.text(t("Paragraph map: our summary of each paragraph, in our own words."))
        return (f"#block(sticky: true)[#strong[{head}]]\n\n#table(columns: (auto, 1fr), align: (right + top, left + top), "
                f"stroke: 0.5pt + luma(150), table.header([*¶*], [*{typ.text('Our summary')}*]), {', '.join(cells)})")

    def source_packet(self) -> str:
        """The teacher-supplied copy of the article, numbered like the paragraph map."""
        from ..content.article import copy_matches_map, parse_copy, read_copy

        if self.project.article is None or not any(
                (c.get("metadata") or {}).get("civicnb", {}).get("show") == "article-text" for c in self._cells):
            return ""
        path = self.project.article_copy()
        if path is None:
            return ""
        blocks = parse_copy(read_copy(path), self.project.article)
        ok, msg = copy_matches_map(blocks, self.project.article)
        rows = []
        for b in blocks:
            num = f"¶{b.n}" if b.kind == "paragraph" else ""
            text = typ.text(b.text)
            if b.kind == "caption":
                text = f"#emph[{text}]"
            elif b.kind == "front":
                text = f"#strong[{text}]"
            rows += [typ.content(f"#text(size: 8pt)[{typ.text(str(b.line))}]"), typ.content(f"#strong[{typ.text(num)}]"),
                     typ.content(text)]
        note = typ.text("Supplied by the teacher for classroom use. Line numbers are the lines of the supplied file; "
                        "¶ numbers match the paragraph map.") + ("" if ok else " " + typ.text(msg))
        return ("#pagebreak()\n#heading(level: 2)[Source packet: the article]\n" + f"#text(size: 9.5pt)[{note}]\n\n"
                f"#table(columns: (auto, auto, 1fr), stroke: none, inset: (x: 3pt, y: 2.5pt), "
                f"table.header([#text(size: 8pt)[*Line*]], [*¶*], [*Text*]), {', '.join(rows)})")

    def claims_appendix(self) -> str:
        """Teacher edition: the whole claims inventory with verdicts and evidence."""
        from ..exercises.verdict import SOURCE_KIND, VERDICT_LABEL

        claims = self.lesson.claims
        if not claims or not self.teacher:
            return ""
        cells = []
        for c in claims.values():
            evidence = "\n".join(
                f"- #strong[{typ.text(SOURCE_KIND.get(e['kind'], e['kind']) + ':')}] {typ.inline(e['note'])}"
                f"{cite_mark(e['sources'])} #text(size: 8pt)[{typ.text('(as of ' + e['as_of'] + ')')}]"
                for e in c["evidence"])
            where = f"¶{c['paragraph']}" if c["paragraph"] else "headline"
            card = re.match(r"(Question \d+) \(", self.lesson.label_of(c["id"]))
            if card:  # the card students answer it on
                where += f" · card: {card.group(1)}"
            cells += [typ.content(f"#strong[{typ.text('Claim ' + str(self.lesson.number_of(c['id'])))}] \\ " + typ.text(where)),
                      typ.content(typ.inline(c["paraphrase"]) + f" \\ #text(size: 8.5pt)[{typ.text(c['type'].replace('-', ' '))}]"),
                      typ.content(f"#strong[{typ.text(VERDICT_LABEL[c['verdict']])}] \\ " + typ.inline(c["verdict_why"])
                                  + "\n" + evidence)]
        return ("#pagebreak()\n#heading(level: 2)[Teacher appendix: the claims inventory]\n"
                "#set text(size: 9.5pt)\n"
                "#table(columns: (auto, 1.3fr, 2.2fr), align: left + top, table.header([*Claim*], [*What the article "
                f"says*], [*Verdict and evidence*]), {', '.join(cells)})")

    def output(self, cell) -> str:
        """A code cell without lesson content: keep image outputs that carry alt text (figures)."""
        alt = ((cell.get("metadata") or {}).get("civicnb") or {}).get("alt")
        out = []
        for o in cell.get("outputs") or []:
            data = o.get("data") or {}
            for mime, ext in (("image/svg+xml", "svg"), ("image/png", "png")):
                if mime in data:
                    raw = data[mime]
                    raw = "".join(raw) if isinstance(raw, list) else raw
                    blob = raw.encode("utf-8") if ext == "svg" else base64.b64decode(raw)
                    name = f"fig-{hashlib.sha256(blob).hexdigest()[:16]}.{ext}"
                    self.assets[name] = blob
                    if not alt:
                        raise ValueError("a figure in the notebook has no alt text; set cell metadata "
                                         "civicnb.alt to a one-sentence description")
                    out.append(f"#figure(image({typ.string(name)}, alt: {typ.string(alt)}, width: 85%))")
                    break
        return "\n\n".join(out)

    def cells(self, nb: dict) -> str:
        out = []
        self._cells = nb.get("cells", [])
        from ..content.periods import starts_period

        periods = 0
        breaks = self.set_breaks(self._cells) if self.edition == "student" else set()
        fresh = False  # a period has just started a new page, and nothing but its introduction is on it
        for index, cell in enumerate(self._cells):
            tags = _tags(cell)
            if "notebook-only" in tags or "teacher" in tags:
                continue  # ("teacher" cells are an error in `civicnb check`: students would see them)
            if "debrief" in tags and self.edition in ("student", "worksheet"):
                continue  # introduces boxes that answer questions: not in the student packet
            if cell.get("cell_type") == "markdown":
                text = to_typst(self.lesson.fill_refs(_cell_source(cell)))
                text = f"#block(sticky: true)[{text}]" if text else text  # stays with what it introduces
                if starts_period(cell):
                    periods += 1
                    if periods > 1:
                        text = "#pagebreak(weak: true)\n" + text  # each class period starts on a new page
                        fresh = True
                if index in breaks and text and not fresh:
                    text = "#pagebreak(weak: true)\n" + text  # a card set to cut apart: its own page
                # (a card set right after a period's heading and introduction shares their new page: no
                # page left with only "Day 3" and a line of text on it)
                out.append(text)
                lines = [x.strip() for x in _cell_source(cell).splitlines() if x.strip()]
                # a heading that ends the cell introduces the next item: its title need not repeat it
                self._heading = lines[-1].lstrip("#").strip() if lines and lines[-1].startswith("#") else None
            elif cell.get("cell_type") == "code":
                show = ((cell.get("metadata") or {}).get("civicnb") or {}).get("show")
                piece = self.item(show) if show else self.output(cell)
                if index in breaks and piece and not fresh:
                    piece = "#pagebreak(weak: true)\n" + piece
                out.append(piece)
                if piece:
                    self._heading = None
                    fresh = False
        return "\n\n".join(o for o in out if o)

    def set_breaks(self, cells) -> set:
        """Cells that start a card set (lesson.yml ``alternatives``: the jigsaw's card sets, of which each
        student reads one): the student edition starts each set on a new page, so the sets can be cut
        apart and handed out. The break goes before the heading that introduces the set, if one does."""
        from ..content.periods import alternatives

        shows = [((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in cells]
        out = set()
        for group in alternatives(self.lesson.meta):
            first = next((i for i, sh in enumerate(shows) if sh in group), None)
            if first is None:
                continue
            at = first
            prev = first - 1
            while prev >= 0 and "notebook-only" in _tags(cells[prev]):
                prev -= 1
            if prev >= 0 and cells[prev].get("cell_type") == "markdown" and _cell_source(cells[prev]).lstrip().startswith("#"):
                at = prev
            out.add(at)
        return out

    def _once(self, body: str) -> str:
        """Print-once blocks (e.g. the verdict scale): the first placeholder becomes the block, the rest vanish."""
        from ..exercises.base import ONCE_BLOCKS, ONCE_RE

        seen = set()

        def sub(mm):
            name = mm.group(1)
            if name in seen:
                return ""
            seen.add(name)
            return ONCE_BLOCKS[name]()

        return ONCE_RE.sub(sub, body)

    COPY_NOTE = {"mirror": " Link: a copy on another site, not the publisher's own page.",  # sources.yml `copy`
                 "archive": " Link: an archive copy."}

    def sources_list(self, order: list[str], compact: bool = False, numbers: list | None = None,
                     after_only=frozenset()) -> str:
        """The numbered source list. Teacher editions give every detail; student editions a compact
        list (publisher, date, title, address) of the first few sources at each spot. A student list
        never sends a reader to a mirror or archive copy (a page that would fail the unit's own
        lateral-reading test): it says to search for the title instead."""
        entries = []
        for sid in order:
            s = self.project.sources[sid]
            date = s['date'] if s['date'] != 'undated' else 'Undated'
            copy = s.get("copy") or "original"
            if compact:
                date = t(date) if date == "Undated" else date
                txt = f"{s['publisher']}, {date}. {s['title']}. " + self.lang_note(s)
                if sid in after_only:
                    txt = t("(On the after-the-lesson sheet.)") + " " + txt
                if copy != "original":
                    entries.append(typ.content(typ.text(txt + t("Search for this title to find the publisher's page."))))
                    continue
            else:
                via = (f" Read via {s['via']}." if s.get("via") else "") + self.COPY_NOTE.get(copy, "")
                txt = f"{s['publisher']}. “{s['title']}.” {date}.{via} Accessed {s['accessed']}. " + self.lang_note(s)
            entries.append(typ.content(typ.text(txt) + f"#link({typ.string(s['url'])})[{typ.text(s['url'])}]"))
        if not entries:
            entries.append(typ.content(typ.text(t("No sources are cited on this handout."))))
        nums = typ.array(str(n) for n in numbers) if numbers else "none"
        extra = {"numbered_as": typ.string(t("the whole student packet"))} if self.period and self.edition == "student" else {}
        return typ.call("sourcelist", typ.array(entries), compact="true" if compact else "false", numbers=nums,
                        **extra)

    def lang_note(self, s) -> str:
        """A source in another language than the handout's says so ("In Spanish."); its title prints as
        published, in its own language (``lang:`` in sources.yml; English when absent)."""
        lang = str(s.get("lang") or "en")
        if lang == self.lang:
            return ""
        return t({"es": "In Spanish.", "en": "In English."}.get(lang, "In another language.")) + " "

    def spot_ids(self, group: str) -> list[str]:
        """The sources a student edition numbers at one citation spot: the first few. In a translation,
        the spot's sources in the reader's language come first (a Spanish edition shows the official
        Spanish treaty text it quotes); English editions keep the order as written."""
        ids = [x for x in group.split(",") if x]
        if self.lang != "en":
            ids.sort(key=lambda sid: str((self.project.sources.get(sid) or {}).get("lang") or "en") != self.lang)
        return ids[:STUDENT_CITES]

    def student_order(self, nb: dict) -> list[str]:
        """The order in which the student edition cites its sources (its footnote numbers)."""
        student = Renderer(self.project, self.lesson, "student", self.paper)
        student._cells = nb.get("cells", [])
        body = student.head() + student.cells(nb) + student.slip_section()
        order: list[str] = []
        for mm in _CITE_RE.finditer(body):
            for sid in self.spot_ids(mm.group(1)):
                if sid and sid not in order:
                    order.append(sid)
        # then the sources only the after-the-lesson sheets cite: the student list carries them too,
        # so every number an after sheet prints is in the student edition's list
        after = Renderer(self.project, self.lesson, "after", self.paper)
        after._cells = after._all_cells = nb.get("cells", [])
        self.after_only = []
        for mm in _CITE_RE.finditer(after.after_sheet()):
            for sid in after.spot_ids(mm.group(1)):
                if sid and sid not in order:
                    order.append(sid)
                    self.after_only.append(sid)
        return order

    def reveal_blocks(self) -> list:
        """The lesson's boxes that answer questions, in the order the notebook shows them."""
        shown = [((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in self._cells]
        blocks = [b for b in self.lesson.blocks.values() if b.get("reveals")]
        return sorted(blocks, key=lambda b: shown.index(b["id"]) if b["id"] in shown else len(shown))

    def after_sheet(self) -> str:
        """One page for after the lesson: every box that answers questions, never in the student packet."""
        m = self.lesson.meta
        blocks = [b for b in self.reveal_blocks() if self._in_period(b["id"])]
        checks = self.self_checks()
        answered = [i for b in blocks for i in b["reveals"]] + checks
        answered = sorted(set(answered), key=lambda i: self.lesson.number_of(i) or 0)
        kicker = f"{self.project.unit['title']} · Lesson {m['id']} · After the lesson"
        periods = period_count({"cells": self._all_cells or self._cells})
        if self.period and periods > 1:
            kicker += f" · Period {self.period} of {periods}"
        lead = (f"Read this after you have answered {reveal_label(self.lesson, answered)}. "
                "It sums up what the class found." if answered else "Nothing in this period needs an answer sheet.")
        if self.period and periods > 1:
            lead += f" It covers period {self.period} only."
        parts = [typ.call("titleblock", typ.content(typ.text(kicker)), typ.content(typ.text(m["title"])),
                          subtitle=typ.content(typ.text(lead)))]
        for b in blocks:
            body = typ.paragraphs(b.get("text", "")) if b.get("text") else ""
            body += list_with_cites(b)
            if b.get("as_of"):
                body += " " + f"#text(size: 8.5pt)[{typ.text('(as of ' + b['as_of'] + ')')}]"
            note = typ.text(f"Answers {reveal_label(self.lesson, b['reveals'])}.")
            parts.append(typ.call("factblock", typ.content(typ.text(b.get("title") or "")),
                                  typ.content(f"#text(size: 0.8em, style: \"italic\")[{note}]\n\n" + body)))
        parts.append(self.answer_table(checks))
        # the student edition's type and margins; smaller only when the sheet must shrink to fit
        size = f"#set text(size: {self.size}pt)\n" if self.size else ""
        return size + "\n\n".join(p for p in parts if p)

    def _in_period(self, item_id: str) -> bool:
        if not self.period:
            return True
        return item_periods(self._all_cells or self._cells).get(item_id, 1) == self.period

    def self_checks(self) -> list[str]:
        """The self-check questions (of this period, for a one-period sheet), in number order."""
        from ..exercises.base import SELF_CHECK

        return [e for e in self.lesson.exercise_order
                if e in self.lesson.exercises and kind_of(self.lesson.exercises[e]).mode == SELF_CHECK
                and self._in_period(e)]

    def answer_table(self, ids=None) -> str:
        """The after sheet's answers: each self-check question's number and key answer, with the
        answers also accepted. The at-a-glance key's data, without the teacher's notes."""
        cells = []
        for eid in (self.self_checks() if ids is None else ids):
            ex = self.lesson.exercises[eid]
            k = kind_of(ex)
            answer, accept = k.glance(ex)
            cells += [f"[#strong[{typ.text(str(self.lesson.number_of(eid)))}]]", f"[{typ.inline(ex.get('title') or '')}]",
                      f"[{answer}]", f"[{accept}]"]
        if not cells:
            return ""
        intro = typ.text("The answers the notebook checks, for classes that worked on paper. "
                         "An answer in the last column is also right when your reason explains it.")
        return ("#heading(level: 2)[Answers to the self-check questions]\n"
                f"#text(size: 0.85em)[{intro}]\n\n"
                "#block[#set text(size: 0.85em)\n#table(columns: (auto, 1.2in, 1fr, 1.3in), inset: 3pt, align: left + top, "
                "table.header([*\\#*], [*Question*], [*Answer*], [*Also right*]), " + ", ".join(cells) + ")]")

    def render(self, nb: dict) -> Rendered:
        if self.lang != "en":  # the notebook's Markdown in the lesson's language
            import copy

            from ..i18n import apply_overlay

            nb = apply_overlay(copy.deepcopy(nb), getattr(self.lesson, "strings", {}), "notebook")
        with using(self.lang):
            return self._render(nb)

    def _render(self, nb: dict) -> Rendered:
        self._cells = self._all_cells = nb.get("cells", [])
        if self.period and self.edition == "student":  # one class period's packet
            from ..content.periods import split_cells

            groups = split_cells(nb)
            if not 1 <= self.period <= len(groups):
                raise ValueError(f"lesson {self.lesson.meta['id']} has {len(groups)} period(s), not {self.period}")
            nb = dict(nb, cells=groups[self.period - 1])
            self._cells = nb["cells"]
        if self.edition == "after":
            body = self.after_sheet()
        else:
            plan = self.plan_pages() if self.teacher else ""
            body = "\n\n".join([plan, self.head(), self.cells(nb), self.source_packet(), self.claims_appendix()])
        slips = self.slip_section()
        # Every edition numbers sources as the student edition does, so "see source 3" means the same
        # source on both; sources that only the teacher edition cites are numbered after those.
        full = {"cells": self._all_cells}
        order: list[str] = self.student_order(full) if self.edition in ("teacher", "worksheet", "after") else []
        if self.edition == "student":
            order = self.student_order(full)
        cited: list[str] = []
        few = self.edition in ("student", "worksheet", "after")

        def number(mm):
            nums = []
            ids = [x for x in mm.group(1).split(",") if x]
            if few:  # a student edition: the first few sources of each spot; the teacher edition has all
                ids = self.spot_ids(mm.group(1))
            for sid in ids:
                if sid not in self.project.sources:
                    raise KeyError(f"unknown source id {sid!r} (run `civicnb check`)")
                if sid not in order:
                    order.append(sid)
                if sid not in cited:
                    cited.append(sid)
                nums.append(str(order.index(sid) + 1))
            nums = sorted(set(nums), key=int)
            return f"#cite-mark({typ.string(', '.join(nums))});" if nums else ""

        body = _CITE_RE.sub(number, body)
        slips = _CITE_RE.sub(number, slips)
        if self.edition == "after" or self.period:  # only what it cites, under the student edition's numbers
            listed = sorted(cited, key=order.index)
            sources = self.sources_list(listed, compact=True, numbers=[order.index(x) + 1 for x in listed])
        else:
            sources = self.sources_list(order, compact=few, after_only=set(self.after_only) if few else set())
        source = (self.preamble() + "\n\n" + self._once(body) + "\n\n" + sources + "\n"
                  + (f"\n{self._once(slips)}\n" if slips else ""))
        if self.large:
            from .large import large_print

            source, self.assets["civicnb.typ"] = large_print(source)
        return Rendered(source, dict(self.assets), order)


def render(project, lesson, nb: dict, edition: str, paper: str = "letter", work: dict | None = None,
           size: float | None = None, period: int | None = None, student_pages: dict | None = None,
           large: bool = False) -> Rendered:
    return Renderer(project, lesson, edition, paper, work, size, period, student_pages, large).render(nb)


AFTER_SIZES = (None, 11, 10.5, 10, 9.5, 9)  # the after sheet: student size first, smaller only to fit
AFTER_PAGES = 2  # one sheet, printed on both sides
