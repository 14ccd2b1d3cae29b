"""Reading level of every student-facing text block, in every language the package has.

Students in this unit read at grade 9-10 (English, and Spanish once a lesson has it). This module finds
each block of text a student reads (a fact box, a card, a question's prompt, its options and feedback, a
claim's verdict, a timeline event, the notebook's own Markdown) and estimates its grade level:

* **English: Flesch-Kincaid grade level**, ``0.39 × (words / sentences) + 11.8 × (syllables / words)
  − 15.59`` (Kincaid et al. 1975, the formula Microsoft Word and ``textstat`` report).
* **Spanish: Fernández-Huerta's "lecturabilidad"** (1959, the Spanish adaptation of Flesch's Reading
  Ease, as corrected by Gwillim Law 2011): ``L = 206.84 − 60 × (syllables / words) − 1.02 × (words /
  sentences)``, 0-100, higher is easier. Fernández-Huerta published it with a table of bands and
  school grades (90-100 grade 4; 80-90 grade 5; 70-80 grade 6; 60-70 grades 7-8; 50-60
  "preuniversitario", the last year of secondary school; 30-50 "cursos selectivos", the first years of
  university; 0-30 university). The grade shown here is that table read as U.S. grades, interpolated
  linearly between the band edges: L 90 → 5, 80 → 6, 70 → 7, 60 → 9, 50 → 12, 30 → 16, 0 → 18.
  It is a band estimate, not a regression result: read a Spanish "grade 11" as "upper end of the
  secondary-school band". So the same limit (grade 11) means L below about 53.

English syllables are counted with Pyphen's ``en_US`` hyphenation dictionary, as ``textstat`` 0.7
did (Pyphen is pure Python and works offline; ``textstat`` 0.7 needs an NLTK download at run time,
which a school machine may not allow). Spanish syllables follow the spelling rules (vowel groups,
diphthongs and hiatus), which are regular enough to count exactly for almost every word.

The check (``make test``, ``civicnb readability``) fails a block above grade 11 that has more than 60
words. Not counted: the exact words of laws and the Constitution (a law card's ``text``), passages and
phrases quoted from the article, source titles and the source list, and everything only a teacher reads
(teacher notes, exemplars, the lesson plan). Short blocks are reported but never fail: a grade from a
few sentences is noise.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "es")
GRADE_LIMIT = 11.0     # fail above this grade ...
MIN_WORDS = 60         # ... for a block with more words than this
TARGET = "9-10"

# Fields a student reads (by their YAML key). A list field (``list``, ``i_can``) is one block.
STUDENT_FIELDS = {
    "text", "list", "title", "paraphrase", "verdict_why", "note", "meaning", "bears_on", "point",
    "position", "feedback", "hint", "why", "prompt", "question", "starter", "label", "summary",
    "definition", "essential_question", "i_can", "intro", "caption", "alt", "subtitle", "role",
}
# Subtrees only a teacher reads, or text that is quoted, never ours to simplify.
SKIP_KEYS = {
    "teacher_note", "exemplars", "look_for", "accept", "purpose", "standards", "steps", "materials",
    "preparation", "sources", "developments", "front_matter", "citation", "phrases", "images",
    "passage", "passage_source", "text_source", "id", "log_note", "no_note_for_side",
}
# Data files a lesson may have (the card files are named in docs/content-format.md).
DATA_FILES = ("lesson.yml", "exercises.yml", "claims.yml", "timeline.yml", "law-cards.yml",
              "perspectives.yml", "whats-next.yml")

_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?|\d[\d,.]*", re.UNICODE)
_NUMBERED = {"no", "núm", "art", "p", "pp", "pág"}   # "No. 5", "art. 29": an abbreviation before a number
_ABBREV = {"u.s", "u.n", "u.k", "mr", "mrs", "ms", "dr", "st", "vs", "v", "etc", "e.g", "i.e",
           "sr", "sra", "jr", "gen", "gov", "sen", "rep", "art", "núm", "pág", "ee.uu", "a.m", "p.m",
           "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "ene", "abr", "ago",
           "dic", "c", "§"}


@dataclass
class Block:
    lesson: str
    key: str          # "<file>:<path>", the same key the translation files use
    lang: str
    text: str
    words: int
    sentences: int
    syllables: int
    grade: float
    score: float | None = None   # Spanish: Fernández-Huerta L

    @property
    def fails(self) -> bool:
        return self.words > MIN_WORDS and self.grade > GRADE_LIMIT

    def line(self) -> str:
        extra = f", L {self.score:.0f}" if self.score is not None else ""
        return (f"{self.lesson} {self.key} [{self.lang}]: grade {self.grade:.1f}{extra} "
                f"({self.words} words, {self.sentences} sentences)")


# -- counting ---------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _dic(lang: str):
    import pyphen

    return pyphen.Pyphen(lang={"en": "en_US"}[lang])


def plain(text: str) -> str:
    """Text as a reader sees it: no Markdown marks, no [[references]] or [@citations]."""
    text = re.sub(r"\[\[[^\]]*\]\]", "Question 1", str(text))
    text = re.sub(r"\[@[^\]]*\]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+", "link", text)
    return re.sub(r"[*_`#>|]", " ", text)


def words_of(text: str) -> list[str]:
    return _WORD.findall(plain(text))


def sentence_count(text: str) -> int:
    """Sentences end at . ! ? (not after an abbreviation such as U.S. or a single initial), at a
    line that ends without punctuation (a list item, a heading), and at a colon that ends a line."""
    n = 0
    for line in re.split(r"\n\s*\n|\n\s*[-*•]\s+|\n(?=\s*\d+\.\s)", plain(text)):
        line = " ".join(line.split())
        if not words_of(line):
            continue
        ends = 0
        for m in re.finditer(r"([^\s]*?)([.!?…]+)[\"'”’)\]]*(?=\s+[¿¡\"'“‘(A-ZÁÉÍÓÚÑ0-9§]|\s*$)", line):
            token = m.group(1).lower().lstrip("(\"'“‘")
            before_number = re.match(r"\s+[0-9§]", line[m.end():]) is not None
            if m.group(2) == "." and (token in _ABBREV or re.fullmatch(r"[a-z]", token)
                                      or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)
                                      or (token in _NUMBERED and before_number)):
                continue
            ends += 1
        if not re.search(r"[.!?…][\"'”’)\]]*\s*$", line):
            ends += 1   # a heading or list item without a full stop is still one unit of reading
        n += max(ends, 1)
    return max(n, 1)


_ES_VOWELS = re.compile(r"[aeiouáéíóúü]+")
_ES_STRONG = set("aeoáéóíú")   # an accented í or ú breaks a diphthong (pa-ís, o-í-a)


def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by the spelling rules: one per vowel group, plus one for each
    hiatus inside a group (two strong vowels, or a weak one that carries the accent); the u of
    que/qui/gue/gui is silent; a final y after a vowel closes the syllable (hoy, muy); "y" alone is
    one syllable."""
    w = re.sub(r"(?<=[qg])u(?=[eéií])", "", word.lower())
    n = 0
    for g in _ES_VOWELS.findall(w):
        n += 1 + sum(1 for a, b in zip(g, g[1:]) if a in _ES_STRONG and b in _ES_STRONG)
    return max(n, 1)


def syllables(word: str, lang: str) -> int:
    """English: Pyphen's ``en_US`` hyphenation points + 1 per word, as ``textstat`` 0.7 counted them
    (it under-counts a few short words such as "area"). Spanish: :func:`spanish_syllables`."""
    w = word.lower().strip("’'-")
    if not w:
        return 0
    if w[0].isdigit():
        return max(1, len(re.sub(r"\D", "", w)))  # "2025": read as a number, a few syllables
    total = 0
    for piece in re.split(r"[-’']", w):
        if piece:
            total += (len(_dic("en").positions(piece)) + 1) if lang == "en" else spanish_syllables(piece)
    return max(total, 1)


# -- formulas --------------------------------------------------------------------------------------
# (L, US grade) at the edges of Fernández-Huerta's bands (see the module docstring).
_FH_GRADES = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0), (50.0, 12.0),
              (30.0, 16.0), (0.0, 18.0))


def flesch_kincaid(words: int, sentences: int, syl: int) -> float:
    return 0.39 * words / sentences + 11.8 * syl / words - 15.59


def fernandez_huerta(words: int, sentences: int, syl: int) -> float:
    return 206.84 - 60.0 * syl / words - 1.02 * words / sentences


def fh_grade(score: float) -> float:
    """Fernández-Huerta's L read as a U.S. grade (band edges interpolated linearly)."""
    if score >= _FH_GRADES[0][0]:
        return _FH_GRADES[0][1]
    for (hi, g_hi), (lo, g_lo) in zip(_FH_GRADES, _FH_GRADES[1:]):
        if score >= lo:
            return g_hi + (hi - score) / (hi - lo) * (g_lo - g_hi)
    return _FH_GRADES[-1][1]


def measure(text: str, lang: str = "en", lesson: str = "", key: str = "") -> Block:
    if lang not in LANGS:
        raise ValueError(f"no reading-level formula for language {lang!r}; known: {', '.join(LANGS)}")
    ws = words_of(text)
    n = max(len(ws), 1)
    s = sentence_count(text)
    syl = sum(syllables(w, lang) for w in ws) or 1
    if lang == "en":
        return Block(lesson, key, lang, text, len(ws), s, syl, round(flesch_kincaid(n, s, syl), 1))
    score = fernandez_huerta(n, s, syl)
    return Block(lesson, key, lang, text, len(ws), s, syl, round(fh_grade(score), 1), round(score, 1))


# -- which text a student reads ---------------------------------------------------------------------
def _walk(node, path: list[str], out: dict, parent_key: str = ""):
    if isinstance(node, dict):
        if node.get("text_source"):       # a law card's exact words: quoted legal text
            node = {k: v for k, v in node.items() if k != "text"}
        for k, v in node.items():
            if k in SKIP_KEYS:
                continue
            _walk(v, path + [str(k)], out, str(k))
    elif isinstance(node, list):
        if parent_key in STUDENT_FIELDS and all(isinstance(x, str) for x in node):
            if node:
                out["/".join(path)] = "\n".join(f"- {x}" for x in node)
            return
        for i, x in enumerate(node):
            name = str(x["id"]) if isinstance(x, dict) and isinstance(x.get("id"), (str, int)) else str(i)
            _walk(x, path + [name], out, parent_key)
    elif isinstance(node, str) and parent_key in STUDENT_FIELDS and path:
        out["/".join(path)] = node


def english_blocks(lesson_dir: Path, notebook: Path | None = None) -> dict[str, str]:
    """{"<file>:<path>": text} for every student-facing English text block of one lesson folder."""
    from .yamlload import load_yaml

    out: dict[str, str] = {}
    for name in DATA_FILES + ("article.yml",):
        f = lesson_dir / name
        if not f.is_file():
            continue
        data = load_yaml(f, f"lessons/{lesson_dir.name}/{name}")
        found: dict = {}
        _walk(data, [], found)
        out.update({f"{name}:{k}": v for k, v in found.items()})
    if notebook is not None and notebook.is_file():
        try:
            nb = json.loads(notebook.read_text(encoding="utf-8"))
        except ValueError:
            nb = {}
        for i, cell in enumerate(nb.get("cells") or []):
            tags = set((cell.get("metadata") or {}).get("tags") or [])
            if cell.get("cell_type") != "markdown" or tags & {"teacher", "debrief", "civicnb-start"}:
                continue
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else str(src)
            if words_of(src):   # named as the translation files name a cell: by its id
                out[f"notebook:cells/{cell.get('id') or i}"] = src
    return out


def translated_blocks(lesson_dir: Path, lang: str, english: dict[str, str]) -> dict[str, str]:
    """The same blocks in ``lang`` from ``i18n/<lang>.yml`` (keys "<file>:<path>", list items by
    index). Only filled translations count; a block is skipped until it has one."""
    from .yamlload import load_yaml

    f = lesson_dir / "i18n" / f"{lang}.yml"
    if not f.is_file():
        return {}
    data = load_yaml(f, f"lessons/{lesson_dir.name}/i18n/{lang}.yml") or {}
    strings = data.get("strings") if isinstance(data, dict) else None
    if not isinstance(strings, dict):
        return {}
    got = {k: (v.get(lang) if isinstance(v, dict) else None) for k, v in strings.items()}
    out = {}
    for key, text in english.items():
        if key in got and got[key]:
            out[key] = str(got[key])
        elif text.startswith("- "):    # a list: its items are translated one by one
            items = [got.get(f"{key}/{i}") for i in range(text.count("\n- ") + 1)]
            if all(items):
                out[key] = "\n".join(f"- {x}" for x in items)
    return out


def lesson_report(project, lesson_name: str, langs=LANGS) -> list[Block]:
    folder = project.lessons_dir / lesson_name
    nb = project.root / "notebooks" / f"{lesson_name}.ipynb" if lesson_name != "article" else None
    english = english_blocks(folder, nb)
    out = [measure(t, "en", lesson_name, k) for k, t in english.items()]
    for lang in langs:
        if lang != "en":
            out += [measure(t, lang, lesson_name, k) for k, t in translated_blocks(folder, lang, english).items()]
    return out


def report(project, langs=LANGS) -> list[Block]:
    """Every student-facing block of every lesson (and the article map), in every language."""
    out = []
    for name in list(project.lesson_names) + ["article"]:
        if (project.lessons_dir / name).is_dir():
            out += lesson_report(project, name, langs)
    return out


def reading_load(blocks: list[Block], lang: str = "en") -> tuple[int, float]:
    """A lesson's reading load: total words, and the grade of all its prose read as one text (the
    word-weighted whole, so short labels do not swing it)."""
    bs = [b for b in blocks if b.lang == lang and b.words]
    if not bs:
        return 0, 0.0
    w = sum(b.words for b in bs)
    s = sum(b.sentences for b in bs)
    syl = sum(b.syllables for b in bs)
    g = flesch_kincaid(w, s, syl) if lang == "en" else fh_grade(fernandez_huerta(w, s, syl))
    return w, round(g, 1)
