"""Our own words: find sentences that copy the article, or follow it too closely.

Two measures, per sentence of our text against each sentence of the article's body:

* **close paraphrase**: both sentences are reduced to their content words, each word stemmed and
  mapped to a synonym group (so "inmates", "prisoners" and "jail" are one word, "largest" and
  "biggest" another). The longest run of those words the two sentences share *in the same order*
  (a longest common subsequence) is divided by the length of the article's sentence. A sentence that
  keeps the article's structure and swaps words scores high; a real paraphrase (different
  structure) scores low even when it shares the topic words.
* **quotation**: words inside quotation marks are left out of the paraphrase measure and counted
  separately: every distinct quoted phrase whose words appear in that order in the article counts
  towards a total limit for the whole package.

The article text is never stored here: the tests read the teacher's copy (the shared seed) or a
made-up fixture article.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

STOP = set("""a an the and or but if of to in on at by for with from as is are was were be been being it its this
that these those he she they them his her their our we you your i me my not no so than then there here into
onto over under about also just even only very most more much many any some such can could would should may
might will shall do does did has have had who whom which what when where why how all each every both other
one ones up out off while s t""".split())

# Synonym groups for this unit's vocabulary. Each word maps to its group's first word. Keep groups to
# words that really are used interchangeably in news prose about prisons, deals and courts.
SYNONYMS = [
    "prison jail prisons jails penitentiary lockup facility", "prisoner inmate convict detainee",
    "largest biggest", "large big huge vast enormous massive giant",
    "fortified secure guarded protected", "regard consider see view deem", "design build construct",
    "accommodate house hold contain", "world planet globe", "country nation", "deport expel remove",
    "individual person people", "agree accept consent", "incarcerate imprison jail lock detain hold",
    "regardless whatever irrespective", "nationality citizenship", "offer propose proposal",
    "announce declare state reveal", "extend make give", "unique unprecedented extraordinary unusual",
    "fee price payment charge", "low small cheap modest", "sustain support fund finance pay cover",
    "expense cost spending", "operation system", "insist maintain claim argue say", "help assist aid",
    "combat fight tackle battle", "generate earn bring produce", "revenue income money",
    "question doubt query challenge", "enforce implement carry", "violate break breach infringe",
    "protection safeguard right", "warn caution predict", "subject expose", "harsh brutal severe cruel tough",
    "condition circumstance", "disaster catastrophe", "organization organisation group",
    "argue contend claim", "transfer send move ship", "citizen american national",
    "resident residence", "crime criminal offense offence", "lower reduce cut decrease drop",
    "significantly greatly substantially dramatically sharply", "rate level", "controversial disputed contentious",
    "strategy plan policy approach", "deprive deny strip", "visitation visit", "contact communication",
    "virtually almost nearly practically", "remain stay", "lock confine", "decline fall drop",
    "boast tout trumpet", "popularity approval", "transform turn make", "model example template",
    "attract draw", "attention notice interest", "consider weigh contemplate", "agreement deal arrangement pact",
    "involve concern", "currently now", "serve serving", "sentence term", "shock shocking surprising",
    "spark ignite trigger provoke", "intense heated fierce", "debate controversy argument",
    "implication consequence", "watch observe monitor", "closely carefully", "wonder ask",
    "guard watch", "reinforce strengthen", "dual double two", "barrier wall", "encircle surround ring",
    "electrified electric",
]
_SYN: dict[str, str] = {}
for group in SYNONYMS:
    words = group.split()
    for w in words:
        _SYN.setdefault(w, words[0])

WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,]*[A-Za-z0-9]|[A-Za-z0-9]")
QUOTE_RE = re.compile(r"\"([^\"\n]{1,200})\"|“([^”\n]{1,200})”")
SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def _stem(w: str) -> str:
    for suf in ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ies", "es", "ly", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def canon(word: str) -> str | None:
    """A content word's synonym group (of its stem), or None for a stop word."""
    w = word.lower().strip("'’.,").replace("’", "'")
    w = w.removesuffix("'s")
    w = w.replace(",", "")  # 40,000 -> 40000
    if not w or w in STOP:
        return None
    if w in _SYN:
        return _SYN[w]
    s = _stem(w)
    if s in _SYN:
        return _SYN[s]
    for form in (s + "e", s + "y"):
        if form in _SYN:
            return _SYN[form]
    return s


def content(text: str) -> list[str]:
    """Content words in order, as synonym groups. Names and numbers are left out: a paraphrase has to
    keep them (CECOT, Rubio, 40,000), so they say nothing about copied wording."""
    words = WORD_RE.findall(text)
    keep = [w for i, w in enumerate(words)
            if not any(ch.isdigit() for ch in w) and not (i > 0 and w[0].isupper())]
    return [c for c in (canon(w) for w in keep) if c]


def plain_words(text: str) -> list[str]:
    return [w.lower().strip("'’.,").replace("’", "'") for w in WORD_RE.findall(text)]


def lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[-1]))
        prev = cur
    return prev[-1]


def sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n|\n(?=\s*[-*] )", text):
        para = " ".join(para.split())
        out.extend(s for s in SENT_RE.split(para) if s.strip())
    return out


def strip_quotes(s: str) -> str:
    return QUOTE_RE.sub(" ", s)


@dataclass
class Hit:
    ours: str
    theirs: str
    shared: int
    score: float


def closest(ours: str, article_sentences: list[tuple[str, list[str]]]) -> Hit | None:
    mine = content(strip_quotes(ours))
    if len(mine) < 4:
        return None
    best = None
    for text, theirs in article_sentences:
        if len(theirs) < 5:
            continue
        n = lcs(mine, theirs)
        score = n / len(theirs)
        if best is None or (score, n) > (best.score, best.shared):
            best = Hit(ours, text, n, score)
    return best


def is_close_paraphrase(hit: Hit | None, threshold: float = 0.6, min_shared: int = 5) -> bool:
    return hit is not None and hit.score >= threshold and hit.shared >= min_shared


def article_index(body: list[str]) -> list[tuple[str, list[str]]]:
    return [(s, content(s)) for para in body for s in sentences(para)]


def quoted_from_article(text: str, body: list[str]) -> dict[str, int]:
    """Every distinct quoted phrase in `text` whose words appear, in order, in the article body,
    with its length in words."""
    flat = " " + " ".join(plain_words(" ".join(body))) + " "
    found: dict[str, int] = {}
    for m in QUOTE_RE.finditer(text):
        q = m.group(1) or m.group(2)
        words = plain_words(q)
        if len(words) >= 2 and f" {' '.join(words)} " in flat:  # one shared word is not a quotation
            found[" ".join(words)] = len(words)
    return found


def total_quoted(quotes: dict[str, int]) -> int:
    """Words quoted from the article, each distinct phrase once; a phrase inside a longer quoted
    phrase is not counted twice."""
    keys = sorted(quotes, key=len, reverse=True)
    kept: list[str] = []
    for k in keys:
        if not any(f" {k} " in f" {longer} " for longer in kept):
            kept.append(k)
    return sum(quotes[k] for k in kept)


# -- our text ---------------------------------------------------------------------------------------
SKIP_KEYS = {"id", "url", "via", "via_url", "publisher", "title", "sources", "kind", "perspective", "favours",
             "accessed", "date", "as_of", "answer", "answers", "claim", "poll", "paragraph", "chart", "data",
             "copy", "select", "events_from", "also_accept", "reveals", "period", "type", "verdict",
             "source_named", "question", "code", "framework", "passage", "passage_source",
             "caption", "credit"}  # the article's photo captions and credits: counted as quotations


def _strings(node, key=None):
    if isinstance(node, str):
        if key not in SKIP_KEYS:
            yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)


def package_text(root: Path) -> dict[str, str]:
    """Every piece of prose a student or teacher reads, by file: YAML string values (not ids, urls,
    source titles or the headline passages), Markdown files and notebook Markdown cells."""
    out: dict[str, str] = {}
    lessons = root / "lessons"
    for p in sorted(lessons.rglob("*.y*ml")):
        if p.name == "sources.yml":  # titles of other publishers' pages, and notes about them
            continue
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        if p.name == "article.yml" and isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "phrases"}  # quoted phrases, counted as quotes
        out[str(p.relative_to(root))] = "\n\n".join(_strings(data))
    for p in sorted(lessons.rglob("*.md")):
        out[str(p.relative_to(root))] = p.read_text(encoding="utf-8")
    for p in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(p.read_text(encoding="utf-8")).get("cells", [])
        out[str(p.relative_to(root))] = "\n\n".join(
            "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    return out
