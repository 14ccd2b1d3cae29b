"""A loaded-language and sourcing checklist for any text a teacher pastes in.

It marks words from an editable list (``checklist_words.yml``: each word with the reason it is
listed) and lists who the text says its information comes from: a named person or office, an
unnamed group, or no one. It is a prompt for thinking, not a verdict, and it says so wherever it
shows results. The default list is English; a Spanish list ships too (``checklist_words_es.yml``, chosen
with ``--words``). For text in another language than its list it says it cannot help instead of guessing.

Used by ``civicnb checklist`` and by the box in lesson 02's notebook (:func:`checklist_box`).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("checklist_words.yml")
WORD_LISTS = {"en": WORDS_FILE, "es": WORDS_FILE.with_name("checklist_words_es.yml")}  # lists that ship
MAX_CHARS = 200_000     # longer texts are checked up to here, and the report says so
MAX_LISTED = 100        # per kind of attribution; the rest are counted
DISCLAIMER = ("This checklist is a prompt for thinking, not a verdict. A listed word can be fair in "
              "its sentence, and it misses charged words that are not on its list. Ask: who says so, "
              "what is the evidence, and what would a neutral wording be?")

KINDS = {"named": "Named person or office", "unnamed": "Unnamed group", "none": "No source at all"}

# Common words of a few languages, to tell English text from text the lists cannot read.
_STOP = {
    "en": "the and of to in is that for it with as was on are be this by from at have not but they "
          "which or has were their been would will there his her said who an".split(),
    "es": "el la los las de del que y en un una por con para es se no su al lo como más pero sus le "
          "ya o fue este ha si porque esta son entre cuando muy sin sobre también".split(),
    "fr": "le la les de des du et en un une est que qui dans pour pas sur au avec ce il elle sont par "
          "plus ne se ont été".split(),
    "pt": "o a os as de do da dos das e em um uma que para com não por mais como mas foi ao ele das "
          "tem à seu sua ou ser quando muito nos já está".split(),
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an als "
          "wird bei hat nach wie einer um sind oder".split(),
}
_LANG_NAMES = {"es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German"}
_PRONOUN_OR_FUNCTION = set("""a an the this that these those it its he she they we i you his her their our
but and or so yet if when while after before as because since although though in on at by for of to
from with without despite among however also then there here what which who whose where why how
meanwhile recently today yesterday tomorrow now still even just only instead""".split())


class ChecklistError(Exception):
    """A problem with the word list (the message names the file and what to fix)."""


@dataclass
class Hit:
    word: str          # the list entry, as written
    start: int
    end: int
    why: str
    source: str = ""


@dataclass
class Attribution:
    kind: str          # named | unnamed | none
    phrase: str        # the words that carry the attribution
    sentence: str      # the sentence, shortened for display
    number: int        # sentence number, from 1


@dataclass
class Report:
    text: str                                  # the part of the text that was checked
    charged: list = field(default_factory=list)
    hedges: list = field(default_factory=list)
    attributions: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the checklist could not do, in plain words
    helped: bool = True                        # False: nothing was checked (empty, or not English)

    def count(self, kind: str) -> int:
        return sum(1 for a in self.attributions if a.kind == kind)


# -- the word list ---------------------------------------------------------------------------------
def load_words(path: str | Path | None = None) -> dict:
    """Read and check a word list. Raises ChecklistError with one clear line on a bad file."""
    from .content.yamlload import ContentError, load_yaml

    p = Path(path) if path else WORDS_FILE
    name = str(p)
    if not p.is_file():
        raise ChecklistError(f"{name}: no such word list; give a YAML file like {WORDS_FILE.name}")
    try:
        data = load_yaml(p, name)
    except ContentError as e:
        raise ChecklistError(f"{e}") from None
    if not isinstance(data, dict):
        raise ChecklistError(f"{name}: a word list must be a mapping with 'charged', 'hedges', ... lists")
    out = {"language": str(data.get("language") or "en")}
    for key in ("charged", "hedges"):
        entries = []
        for i, e in enumerate(data.get(key) or [], 1):
            if not isinstance(e, dict) or not str(e.get("word") or "").strip():
                raise ChecklistError(f"{name}: {key} entry {i} needs a 'word'")
            if not str(e.get("why") or "").strip():
                raise ChecklistError(f"{name}: {key} entry {i} ({e['word']!r}) needs a 'why': the reason it is listed")
            entries.append({"word": str(e["word"]).strip(), "why": str(e["why"]).strip(),
                            "source": str(e.get("source") or "")})
        out[key] = entries
    for key in ("unnamed_sources", "no_source", "attribution_verbs", "offices"):
        vals = data.get(key) or []
        if not isinstance(vals, list) or not all(isinstance(v, str) and v.strip() for v in vals):
            raise ChecklistError(f"{name}: '{key}' must be a list of words or phrases")
        out[key] = [v.strip() for v in vals]
    return out


def _pattern(word: str) -> str:
    """A whole-word, case-insensitive pattern; a trailing * matches any ending; spaces match any space."""
    stem = word[:-1] if word.endswith("*") else word
    body = r"\s+".join(re.escape(w) for w in stem.split())
    body = body.replace("\\-", "[-\u2010\u2011 ]?")  # "common-sense" also matches "common sense"
    tail = r"[\w'’-]*" if word.endswith("*") else ""
    return rf"(?<![\w'’-]){body}{tail}(?![\w'’-])"


def _compile(entries) -> list:
    return [(re.compile(_pattern(e["word"]), re.IGNORECASE), e) for e in entries]


# -- language --------------------------------------------------------------------------------------
def guess_language(text: str) -> str | None:
    """'en', another code from _STOP, 'other' (not in the Latin alphabet), or None (too short to tell)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return None
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    if latin / len(letters) < 0.6:
        return "other"
    words = re.findall(r"[a-záéíóúñüàâçèêëîïôûœäöß]+", text.lower())
    if len(words) < 6:
        return None
    counts = {lang: sum(1 for w in words if w in set(stop)) for lang, stop in _STOP.items()}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return None
    return "en" if counts["en"] >= counts[best] * 0.8 else best


# -- the check -------------------------------------------------------------------------------------
_END_RE = re.compile(r"[.!?]+[\"”’)]*(?=\s|$)|\n[ \t]*\n")  # a single line break (wrapped text) does not end one
_ABBREV = set("mr mrs ms dr sen rep gov gen col st jr sr no vs etc inc corp dept sec pres prof lt sgt capt".split())


def _sentences(text: str):
    """(start, sentence) pairs. A sentence ends at . ! ? or a blank line. A full stop after an
    abbreviation ("U.S.", "Dr.", "Sen.") does not end one."""
    start = 0
    for m in _END_RE.finditer(text):
        if "\n" not in m.group(0):
            before = text[start:m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if re.fullmatch(r"(?:[a-z]\.)*[a-z]", last) or last in _ABBREV:
                nxt = text[m.end():m.end() + 3].lstrip()
                if not nxt or not nxt[:1].isupper() or re.fullmatch(r"[a-z]", last) is None:
                    continue  # "U.S. Convicts" stays one sentence; "Dr. Ortiz" too
        s = text[start:m.end()]
        if s.strip():
            yield start, s
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def _short(s: str, limit: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def check_text(text: str | None, words: dict | None = None) -> Report:
    """Check one text. Never raises on odd input: an empty, huge or non-English text gets a Report
    whose ``notes`` say what could not be done."""
    words = words or load_words()
    text = "" if text is None else str(text)
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if not text.strip():
        return Report("", notes=["There is no text to check. Paste or type some text first."], helped=False)
    sample = text[:20_000]
    odd = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\n\t\r\f"))
    if odd > len(sample) * 0.05:
        return Report("", notes=["This does not look like plain text (is it a PDF, Word or image file?). "
                                 "Copy the words into a plain-text file, or paste them into the box."], helped=False)
    notes = []
    if len(text) > MAX_CHARS:
        notes.append(f"The text is {len(text):,} characters long; only the first {MAX_CHARS:,} were "
                     "checked. Check a shorter piece (an article, not a whole book) to see everything.")
        cut = text.rfind(" ", 0, MAX_CHARS)
        text = text[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    lang = guess_language(text)
    want = words.get("language", "en")
    if lang == "other" or (lang not in (None, want)):
        what = _LANG_NAMES.get(lang, "a language other than English") if lang != "other" else \
            "a writing system other than the Latin alphabet"
        known = "English" if want == "en" else _LANG_NAMES.get(want, want)
        note = (f"This text looks like {what}. This word list is in {known} only, so it "
                "cannot help with this text: it would miss charged words and sources, or flag the "
                "wrong ones. Read it with the questions instead: who says so, what is the evidence, "
                "and which words judge? (A teacher can add a word list for another language.)")
        other = WORD_LISTS.get(lang)
        if other and other.is_file():
            note += f" For {_LANG_NAMES.get(lang, lang)} text, use the word list that ships with civicnb: " \
                    f"civicnb checklist --words {other}"
        notes.append(note)
        return Report(text, notes=notes, helped=False)
    if lang is None:
        notes.append("The text is very short, so the checklist may have little to say.")

    report = Report(text, notes=notes)
    for key in ("charged", "hedges"):
        hits = []
        taken: list = []
        # longer entries first, so "illegal immigrants" wins over a shorter overlapping entry
        for rx, e in sorted(_compile(words[key]), key=lambda p: -len(p[1]["word"])):
            for m in rx.finditer(text):
                if any(m.start() < b and a < m.end() for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                hits.append(Hit(e["word"], m.start(), m.end(), e["why"], e["source"]))
        setattr(report, key, sorted(hits, key=lambda h: h.start))
    report.attributions = _attributions(text, words)
    return report


def _alt(phrases) -> str:
    """A regex alternation of phrases; an empty list matches nothing (never the empty string)."""
    if not phrases:
        return "(?!)"
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))


def _attributions(text: str, words: dict) -> list:
    verbs = _alt(words["attribution_verbs"])
    none_rx = re.compile(rf"(?<![\w'’])(?:{_alt(words['no_source'])})(?![\w'’])", re.IGNORECASE)
    unnamed_rx = re.compile(
        rf"(?<![\w'’])(?:(?:according\s+to|según)\s+(?:some\s+|many\s+)?(?:{_alt(words['unnamed_sources'])})"
        rf"|(?:{_alt(words['unnamed_sources'])})(?:\s+[a-z]+){{0,2}}?\s+(?:{verbs}))(?![\w'’])", re.IGNORECASE)
    name = r"[A-Z][\w.'’-]*"
    offices = words.get("offices") or []
    office_rx = re.compile(
        rf"(?<![\w'’])(?:(?:according\s+to|según)\s+(?:{_alt(offices)})|(?:{_alt(offices)})(?:\s+[a-z]+){{0,2}}?\s+(?:{verbs}))"
        rf"(?![\w'’])", re.IGNORECASE) if offices else None
    named_rx = re.compile(
        rf"(?:(?:according\s+to|[Ss]egún)\s+(?P<a>{name}(?:\s+(?:of\s+|the\s+)?{name}){{0,5}})"
        rf"|(?P<s>{name}(?:\s+(?:of\s+|the\s+)?{name}){{0,5}}(?:['’]s\s+[a-z]+)?)(?:\s+[a-z]+){{0,2}}?\s+(?:{verbs}))"
        rf"(?![\w'’])")
    out = []
    for n, (start, sent) in enumerate(_sentences(text), 1):
        spans: list = []

        def add(kind, m):
            if any(m.start() < b and a < m.end() for a, b in spans):
                return
            spans.append((m.start(), m.end()))
            out.append(Attribution(kind, " ".join(m.group(0).split()), _short(sent), n))

        for m in none_rx.finditer(sent):
            add("none", m)
        for m in unnamed_rx.finditer(sent):
            add("unnamed", m)
        for m in (office_rx.finditer(sent) if office_rx else ()):
            add("named", m)
        for m in named_rx.finditer(sent):
            who = (m.group("a") or m.group("s") or "").split()
            real = [w for w in who if w.lower().strip(".'’") not in _PRONOUN_OR_FUNCTION and w[:1].isupper()]
            if real and not (len(real) == 1 and m.start("s" if m.group("s") else "a") == _first_word(sent)
                             and real[0].lower() in {w.lower() for w in words["unnamed_sources"]}):
                add("named", m)
    return sorted(out, key=lambda a: a.number)


def _first_word(sent: str) -> int:
    return len(sent) - len(sent.lstrip())


# -- showing the report ----------------------------------------------------------------------------
def _grouped(hits) -> list:
    """[(entry word, count, why, source, first matched text)] in order of first appearance."""
    seen: dict = {}
    for h in hits:
        if h.word not in seen:
            seen[h.word] = [h.word, 0, h.why, h.source]
        seen[h.word][1] += 1
    return [tuple(v) for v in seen.values()]


def format_text(report: Report) -> str:
    lines = ["Loaded-language and sourcing checklist", DISCLAIMER, ""]
    for note in report.notes:
        lines.append(f"Note: {note}")
    if report.notes:
        lines.append("")
    if not report.helped:
        return "\n".join(lines).rstrip() + "\n"
    for key, title in (("charged", "Charged words"), ("hedges", "Hedges (could, may, might)")):
        groups = _grouped(getattr(report, key))
        lines.append(f"{title}: {sum(g[1] for g in groups)}")
        for word, count, why, source in groups:
            src = f" [source: {source}]" if source else ""
            lines.append(f"  - {word}{f' (x{count})' if count > 1 else ''}: {why}{src}")
        lines.append("")
    lines.append("Who does the text say its information comes from?")
    for kind, title in KINDS.items():
        items = [a for a in report.attributions if a.kind == kind]
        lines.append(f"  {title}: {len(items)}")
        for a in items[:MAX_LISTED]:
            lines.append(f"    - sentence {a.number}: \"{a.phrase}\"  ({a.sentence})")
        if len(items) > MAX_LISTED:
            lines.append(f"    ... and {len(items) - MAX_LISTED} more")
    if not report.attributions:
        lines.append("  (none found: the text may state everything as plain fact, which is worth noticing)")
    return "\n".join(lines).rstrip() + "\n"


def format_html(report: Report, sources: dict | None = None) -> str:
    """The report as HTML for the notebook. ``sources`` (the package's source registry) turns a
    word's source id into its publisher and title, with a link."""
    h = html.escape

    def cite(sid: str) -> str:
        s = (sources or {}).get(sid)
        if not s:
            return f" <small>[source: {h(sid)}]</small>"
        return (f" <small>[source: <a href='{h(s['url'], quote=True)}' target='_blank' rel='noopener'>"
                f"{h(s['publisher'])}, “{h(s['title'])}”</a>]</small>")

    parts = [f"<div class='civicnb-checklist'><p role='note' style='border-left:4px solid #555;padding:.3em .8em'>"
             f"<strong>A prompt for thinking, not a verdict.</strong> {h(DISCLAIMER.split('. ', 1)[1])}</p>"]
    for note in report.notes:
        parts.append(f"<p role='status'><strong>Note:</strong> {h(note)}</p>")
    if not report.helped:
        return "".join(parts) + "</div>"
    # the text with charged words and hedges marked: bold and underlined (charged), italic (hedge)
    marks = sorted([(x.start, x.end, "c", x) for x in report.charged] + [(x.start, x.end, "h", x) for x in report.hedges])
    shown, pos, limit = [], 0, 20_000
    for a, b, kind, hit in marks:
        if a >= limit:
            break
        shown.append(h(report.text[pos:a]))
        style = ("font-weight:bold;text-decoration:underline;background:#eee" if kind == "c"
                 else "font-style:italic;text-decoration:underline dotted")
        shown.append(f"<mark style='{style}' title='{h(hit.why, quote=True)}'>{h(report.text[a:b])}</mark>")
        pos = b
    shown.append(h(report.text[pos:limit]))
    more = f"<p><em>Showing the first {limit:,} characters; the lists below cover all of the checked text.</em></p>" \
        if len(report.text) > limit else ""
    parts.append("<p><strong>Your text</strong> (charged words in <b><u>bold, underlined</u></b>; hedges in "
                 "<i>italic, dotted underline</i>; hover over a word for why it is listed):</p>"
                 f"<div style='white-space:pre-wrap;border:1px solid #999;padding:.5em;max-height:22em;"
                 f"overflow:auto'>{''.join(shown)}</div>{more}")
    for key, title in (("charged", "Charged words"), ("hedges", "Hedges")):
        groups = _grouped(getattr(report, key))
        items = "".join(f"<li><strong>{h(w)}</strong>{f' (×{c})' if c > 1 else ''}: {h(why)}"
                        f"{cite(s) if s else ''}</li>" for w, c, why, s in groups)
        parts.append(f"<p><strong>{title}: {sum(g[1] for g in groups)}</strong></p>"
                     + (f"<ul>{items}</ul>" if items else "<p>None from the list.</p>"))
    rows = []
    for kind, title in KINDS.items():
        items = [a for a in report.attributions if a.kind == kind]
        lis = "".join(f"<li>sentence {a.number}: “{h(a.phrase)}” <small>({h(a.sentence)})</small></li>"
                      for a in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            lis += f"<li>… and {len(items) - MAX_LISTED} more</li>"
        rows.append(f"<p><strong>{title}: {len(items)}</strong></p>" + (f"<ul>{lis}</ul>" if lis else ""))
    parts.append("<p><strong>Who does the text say its information comes from?</strong></p>" + "".join(rows))
    return "".join(parts) + "</div>"


def checklist_box(words_file: str | Path | None = None):
    """The notebook box: paste text, press the button, read the marked text and the lists.

    Returns the widget, which the notebook shows as the cell's result (it is not displayed here as
    well, so it appears once)."""
    import ipywidgets as W

    try:
        words = load_words(words_file)
    except ChecklistError as e:
        return W.HTML(f"<p role='alert'><strong>The checklist cannot start:</strong> {html.escape(str(e))}</p>")
    area = W.Textarea(placeholder="Paste a news article, a post or a speech here (English).",
                      layout=W.Layout(width="100%", height="12em"),
                      description="Text to check", style={"description_width": "initial"})
    button = W.Button(description="Run the checklist", button_style="", icon="list",
                      layout=W.Layout(width="auto"))
    try:
        from .content.model import Project

        sources = Project.find().sources
    except Exception:  # outside the lesson package: show source ids as they are
        sources = None
    out = W.HTML(f"<p><em>{html.escape(DISCLAIMER)}</em></p>")

    def run(_=None):
        out.value = format_html(check_text(area.value, words), sources)

    button.on_click(run)
    box = W.VBox([area, button, out])
    box.add_class("civicnb-checklist-box")
    box.run = run  # for tests and for a teacher's own cells
    box.area, box.output = area, out
    return box
