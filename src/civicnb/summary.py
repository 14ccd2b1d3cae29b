"""A class summary from a folder of collected work files.

What a teacher gets (``civicnb summary FOLDER``, ``--pdf`` for a printable page, or the class-summary
notebook): how many students answered each item (numbered as students saw it), how many self-checks are
right, the most common wrong answers, the poll results before and after the unit side by side (counts
only, never names), and the written answers a teacher may want to read (names hidden unless asked for).

Every file that should not be counted is listed with the reason and skipped; the rest still count:

* damaged: not JSON, the wrong shape, an answer that does not fit its question, a link, a pipe, too big;
* duplicate: a byte-for-byte copy of another file, or an older file of the same student and lesson in
  the same folder (the newer one counts);
* renamed: a work file whose name is not the one the notebook gave it (``LESSON.json`` or
  ``LESSON--NAME-xxxxxx.json``); ``--accept-renamed`` counts them;
* hand-edited: the answers do not match the check the notebook saved with them (see
  :func:`civicnb.work.store.digest`; files saved before the check existed carry none and are counted);
* another lesson: a lesson this package does not have, or not the one asked for with ``--lesson``;
* another version: a work-file format or a package version this one cannot read, or answers to items
  the lesson no longer has.

Nothing in the folder is changed: files are only read (never through a link), and the PDF goes beside
the folder (``FOLDER-summary.pdf``) unless ``--out`` says otherwise.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .exercises import kind_of
from .exercises.base import SELF_CHECK, letters
from .exercises.written import DEFAULT_SCALE
from .work.store import (FORMAT, POLL_FORMAT, POLL_SUFFIX, WorkFileError, _legacy_slug, answer_problem, check_answers,
                         digest, poll_file_for, read_poll_file, read_regular, read_work_file, slug)

WRITTEN_KINDS = ("short_answer", "long_answer", "cer", "verdict")
MAX_WRITTEN_CHARS = 600  # per answer in the summary; the worksheet has the whole answer
MAX_WRITTEN_ANSWERS = 40  # per question in the PDF: a class; for more, summarise one class at a time
MAX_LISTED_FILES = 80  # skipped files listed in the PDF; the text output lists them all


def work_files(folder: Path) -> list[Path]:
    """Work files under ``folder`` (not hidden, not moved-aside copies, not poll files)."""
    return sorted(p for p in Path(folder).rglob("*.json")
                  if ".corrupt-" not in p.name and not _hidden(p, folder) and not p.name.endswith(POLL_SUFFIX))


def _hidden(p: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(folder).parts)


def open_work(project, path: Path):
    """``(work, lesson)`` for a usable work file, else raise WorkFileError with the reason."""
    try:
        work = read_work_file(path)
    except OSError as e:
        raise WorkFileError(path, f"it cannot be read ({e.strerror or e})") from None
    try:
        lesson = project.lesson(work["lesson"])
        lesson.exercises  # noqa: B018 - load now, so a content problem is reported here
    except KeyError:
        raise WorkFileError(path, f"it is for lesson {work['lesson']!r}, which this package does not have") from None
    why = check_answers(lesson, work)
    if why:
        raise WorkFileError(path, why)
    return work, lesson


# -- what was found ------------------------------------------------------------------------------

@dataclass
class Skipped:
    path: Path
    kind: str  # damaged, duplicate, renamed, hand-edited, another lesson, another version, not a work file
    reason: str


@dataclass
class ItemStats:
    lesson: str
    item: str
    label: str  # "Question 7", as students saw it
    kind: str
    answered: int = 0
    correct: int = 0
    checked: int = 0  # self-check answers that could be graded
    wrong: Counter = field(default_factory=Counter)  # a short description of a wrong answer -> count
    written: list = field(default_factory=list)  # (student, text)


@dataclass
class ClassSummary:
    folder: Path
    lesson_filter: str | None = None
    works: list = field(default_factory=list)  # (path, work, lesson)
    n_poll_files: int = 0
    polls: dict = field(default_factory=dict)  # poll id -> {"scale": [...], "statements": {id: text}, "counts": {(lesson, st): Counter}}
    items: dict = field(default_factory=dict)  # (lesson name, item id) -> ItemStats
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)  # lesson name -> roster names with no file
    lessons: dict = field(default_factory=dict)  # lesson name -> Lesson (those with a counted file)

    @property
    def students(self) -> int:
        return len(self.works)


def _version_tuple(v) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", str(v))[:3]) or (0,)


def _expected_name(p: Path, lesson: str, student: str) -> bool:
    """Is ``p`` named as the notebook names a work file for this lesson and student?"""
    m = re.fullmatch(re.escape(lesson) + r"(?:--(?P<key>.+?))?(?:\.alt-\d+)?\.json", p.name)
    if not m:
        return False
    key = m.group("key")
    return key is None or not student.strip() or key in (slug(student), _legacy_slug(student))


def _peek(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None


def _classify_work(project, path: Path, raw: bytes, lesson_filter, accept_renamed):
    """(work, lesson) or raise _Skip."""
    from . import __version__

    peek = _peek(raw)
    if isinstance(peek, dict) and peek.get("format") == POLL_FORMAT:
        raise _IsPoll()
    fmt = peek.get("format") if isinstance(peek, dict) else None
    if isinstance(fmt, str) and fmt.startswith("civicnb-work/") and fmt != FORMAT:
        raise _Skip("another version", f"it was saved in format {fmt!r}, which this version of civicnb "
                                       f"({__version__}) cannot read; summarise it with the version that wrote it")
    try:
        work = read_work_file(path)
    except WorkFileError as e:
        raise _Skip("damaged", e.reason) from None
    saved_by = work.get("civicnb")
    if saved_by and _version_tuple(saved_by) > _version_tuple(__version__):
        raise _Skip("another version", f"it was saved by civicnb {saved_by}, newer than this one ({__version__}); "
                                       "update the package (pip install -U) and run the summary again")
    name = work["lesson"]
    if name not in project.lesson_names:
        raise _Skip("another lesson", f"it is for lesson {name!r}, which this package does not have")
    if lesson_filter and name != lesson_filter:
        raise _Skip("another lesson", f"it is for lesson {name}, not {lesson_filter}")
    lesson = project.lesson(name)
    unknown = [k for k in work["answers"] if k not in lesson.exercises]
    if unknown:
        raise _Skip("another version", f"it answers item(s) {', '.join(sorted(unknown)[:3])} that lesson {name} no "
                                       "longer has (saved with another version of the lesson)")
    why = check_answers(lesson, work)
    if why:
        raise _Skip("damaged", why)
    if work.get("digest") and work["digest"] != digest(work):
        raise _Skip("hand-edited", "its answers do not match the check the notebook saved with them (changed in a "
                                   "text editor?); open its worksheet with export-work to read it yourself")
    if not accept_renamed and not _expected_name(path, name, work.get("student") or ""):
        raise _Skip("renamed", f"the notebook names this file {name}.json or {name}--<name>.json, so it was renamed; "
                               "check whose it is, then rename it back or use --accept-renamed")
    return work, lesson


class _Skip(Exception):
    def __init__(self, kind, reason):
        super().__init__(reason)
        self.kind, self.reason = kind, reason


class _IsPoll(Exception):
    pass


def _item_letter(lesson, item_id: str, fallback: str) -> str:
    """The letter students saw for a sort item ("item D"), from the lesson's one numbering."""
    try:
        label = lesson.label_of(item_id) if lesson is not None else ""
    except KeyError:
        label = ""
    return label.rsplit(", ", 1)[-1] if ", item " in label else fallback


def _describe_wrong(ex, value, lesson=None) -> list[str]:
    """Short descriptions of what is wrong in an answer, to tally the most common mistakes."""
    kind = ex.get("kind")
    value = value or {}
    if kind == "single_choice":
        opts = ex["options"]
        for letter, o in zip(letters(len(opts)), opts):
            if o["id"] == value.get("choice"):
                return [f"chose {letter}. {_short(o['text'])}"]
    elif kind == "multi_select":
        from .exercises.choice import accepted_sets

        right, chosen = set(accepted_sets(ex)[0]), set(value.get("choices") or [])
        out = []
        for letter, o in zip(letters(len(ex["options"])), ex["options"]):
            if o["id"] in chosen - right:
                out.append(f"ticked {letter}. {_short(o['text'])}")
            elif o["id"] in right - chosen:
                out.append(f"left out {letter}. {_short(o['text'])}")
        return out
    elif kind == "sort":
        from .exercises.sorting import accepted_categories

        cats = {c["id"]: c["label"] for c in ex["categories"]}
        placed = value.get("placements") or {}
        from .exercises.sorting import stable_shuffle

        shown = stable_shuffle(ex["items"], ex["id"])  # the order (and letters) students saw
        return [f"{_item_letter(lesson, it['id'], 'item ' + letter)} ({_short(it['text'], 40)}) as "
                f"{cats.get(placed[it['id']], '?')}"
                for letter, it in zip(letters(len(shown)), shown)
                if placed.get(it["id"]) and placed[it["id"]] not in accepted_categories(it)]
    elif kind == "timeline":
        from .exercises.sorting import accepted_positions

        pos, right = value.get("positions") or {}, accepted_positions(ex)
        return [f"put “{_short(e['text'], 40)}” at {pos[e['id']]}" for e in ex["events"]
                if pos.get(e["id"]) and int(pos[e["id"]]) not in right[e["id"]]]
    elif kind == "highlight":
        from .exercises.highlight import target_tokens, tokens

        chosen = set(value.get("selected") or [])
        passage, out = ex["passage"], []
        for t in ex["key"]["targets"]:
            if not target_tokens(passage, t["text"]) & chosen:
                out.append(f"missed “{_short(t['text'], 40)}”")
        inside = set()
        for t in [x["text"] for x in ex["key"]["targets"]] + list(ex["key"].get("also_accept") or []):
            inside |= target_tokens(passage, t)
        words = tokens(passage)
        extra = sorted(i for i in chosen - inside if i < len(words))
        if extra:
            out.append("marked plain words such as “" + words[extra[0]][2].strip(".,;:!?\"'“”") + "”")
        return out
    elif kind == "verdict":
        from .exercises.verdict import VERDICT_LABEL

        v = value.get("verdict")
        return [f"chose {VERDICT_LABEL.get(v, v)}"] if v else []
    return []


def _short(text, n: int = 60) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _written_text(ex, value) -> str:
    value = value or {}
    kind = ex.get("kind")
    if kind in ("short_answer", "long_answer"):
        return value.get("text") or ""
    if kind == "verdict":
        return value.get("reason") or ""
    if kind == "cer":
        from .exercises.written import CER

        return " / ".join(f"{label}: {value[part].strip()}" for part, label, _ in CER.parts
                          if isinstance(value.get(part), str) and value[part].strip())
    return ""


# -- collecting ----------------------------------------------------------------------------------

def collect(project, folder, lesson: str | None = None, roster=None, accept_renamed: bool = False) -> ClassSummary:
    """Read every file under ``folder`` (read only) and gather the class's answers."""
    folder = Path(folder)
    lesson_filter = None
    if lesson:
        lesson_filter = project.lesson(lesson).name  # KeyError for a lesson the package does not have
    out = ClassSummary(folder=folder, lesson_filter=lesson_filter)
    candidates = sorted(p for p in folder.rglob("*") if not _hidden(p, folder) and (p.is_file() or p.is_symlink()))
    seen_bytes: dict = {}
    accepted = []  # (path, work, lesson)
    poll_paths = []
    skipped_work: set = set()
    for p in candidates:
        if ".corrupt-" in p.name and p.suffix == ".json":
            out.skipped.append(Skipped(p, "damaged", "a damaged file the notebook moved aside; the student's "
                                                    "current file is counted instead"))
            continue
        if p.suffix != ".json":
            if p.suffix.lower() not in (".pdf", ".txt", ".md", ".csv"):
                out.skipped.append(Skipped(p, "not a work file", "its name does not end in .json"))
            continue
        try:
            raw = read_regular(p)
        except FileNotFoundError:
            continue
        except WorkFileError as e:
            out.skipped.append(Skipped(p, "damaged", e.reason))
            skipped_work.add(p)
            continue
        if p.name.endswith(POLL_SUFFIX):
            poll_paths.append(p)
            continue
        try:
            work, les = _classify_work(project, p, raw, lesson_filter, accept_renamed)
        except _IsPoll:
            poll_paths.append(p)
            continue
        except _Skip as e:
            out.skipped.append(Skipped(p, e.kind, e.reason))
            skipped_work.add(p)
            continue
        h = hashlib.sha256(raw).hexdigest()
        if h in seen_bytes:
            out.skipped.append(Skipped(p, "duplicate", f"it is an exact copy of {seen_bytes[h]}"))
            skipped_work.add(p)
            continue
        seen_bytes[h] = p
        accepted.append((p, work, les))
    # the same student and lesson twice in one folder: the newer file counts
    by_key = defaultdict(list)
    for entry in accepted:
        p, work, les = entry
        who = (work.get("student") or "").strip()
        if who:
            by_key[(p.parent, les.name, who)].append(entry)
    for (_, _, who), entries in by_key.items():
        if len(entries) > 1:
            entries.sort(key=lambda e: (e[1].get("updated") or "", str(e[0])))
            keep = entries[-1]
            for p, _, _ in entries[:-1]:
                out.skipped.append(Skipped(p, "duplicate", f"an older file of the same student and lesson; "
                                                           f"{keep[0].name} is newer and is counted"))
                skipped_work.add(p)
    accepted = [e for e in accepted if e[0] not in skipped_work]
    names_seen = defaultdict(list)
    for p, work, les in accepted:
        who = (work.get("student") or "").strip()
        if who:
            names_seen[(les.name, who.casefold())].append(p)
    for (les_name, _), paths in sorted(names_seen.items()):
        if len(paths) > 1:
            out.notes.append(f"{len(paths)} files in different folders carry the same name for lesson {les_name} "
                             f"({', '.join(str(x.relative_to(folder)) for x in paths[:3])}); all are counted: check "
                             "they are different students")
    out.works = accepted
    for p, work, les in accepted:
        out.lessons.setdefault(les.name, les)
        _count_work(out, les, work)
    _count_polls(project, out, poll_paths, lesson_filter)
    if roster:
        names = [n.strip() for n in roster if n.strip() and not n.lstrip().startswith("#")]
        for les_name in sorted(out.lessons) or ([lesson_filter] if lesson_filter else []):
            have = {(w.get("student") or "").strip().casefold() for _, w, l in accepted if l.name == les_name}
            out.missing[les_name] = [n for n in names if n.casefold() not in have]
    return out


def _stats(out, les, ex_id) -> ItemStats:
    key = (les.name, ex_id)
    if key not in out.items:
        try:
            label = les.label_of(ex_id)
        except KeyError:
            label = ex_id
        out.items[key] = ItemStats(les.name, ex_id, label, les.exercises[ex_id].get("kind", "?"))
    return out.items[key]


def _count_work(out, les, work):
    student = (work.get("student") or "").strip()
    for ex_id, entry in work["answers"].items():
        ex = les.exercises.get(ex_id)
        if not isinstance(ex, dict) or ex.get("kind") == "scale":
            if isinstance(ex, dict):  # a poll answer saved in the work file by an older version
                _count_poll_answer(out, les, ex, entry.get("value"))
            continue
        k = kind_of(ex)
        value = entry.get("value")
        if not k.is_answered(value):
            continue
        st = _stats(out, les, ex_id)
        st.answered += 1
        if k.mode == SELF_CHECK:
            g = k.grade(ex, value)
            if g:
                st.checked += 1
                if g[0] == "correct":
                    st.correct += 1
                else:
                    st.wrong.update(_describe_wrong(ex, value, les))
        if ex.get("kind") in WRITTEN_KINDS:
            text = _written_text(ex, value).strip()
            if text:
                st.written.append((student, text))


def _count_poll_answer(out, les, ex, value):
    ratings = (value or {}).get("ratings") or {}
    poll = out.polls.setdefault(ex.get("poll") or f"{les.name}:{ex['id']}",
                                {"scale": list(ex.get("scale") or DEFAULT_SCALE), "statements": {}, "counts": {}})
    for st in ex["statements"]:
        poll["statements"].setdefault(st["id"], st["text"])
        r = ratings.get(st["id"])
        if isinstance(r, int) and 0 <= r < len(poll["scale"]):
            poll["counts"].setdefault((les.name, st["id"]), Counter())[r] += 1


def _count_polls(project, out, poll_paths, lesson_filter):
    # a duplicate work file's poll file is a copy too; a poll file beside any other skipped file still counts
    skipped_polls = {poll_file_for(s.path) for s in out.skipped if s.kind == "duplicate"}
    for f in poll_paths:
        if f in skipped_polls:
            out.skipped.append(Skipped(f, "duplicate", "it belongs to a work file that was skipped (above)"))
            continue
        try:
            data = read_poll_file(f)
        except (WorkFileError, OSError) as e:
            out.skipped.append(Skipped(f, "damaged", getattr(e, "reason", str(e))))
            continue
        if data["lesson"] not in project.lesson_names:
            out.skipped.append(Skipped(f, "another lesson", f"it is for lesson {data['lesson']!r}, which this "
                                                            "package does not have"))
            continue
        if lesson_filter and data["lesson"] != lesson_filter:
            out.skipped.append(Skipped(f, "another lesson", f"it is for lesson {data['lesson']}, not {lesson_filter}"))
            continue
        les = project.lesson(data["lesson"])
        unknown = [i for i in data["answers"] if i not in les.exercises]
        if unknown:
            out.skipped.append(Skipped(f, "another version", f"it answers item(s) {', '.join(sorted(unknown)[:3])} "
                                                             f"that lesson {les.name} no longer has"))
            continue
        bad = [(i, answer_problem(les.exercises[i], v)) for i, v in data["answers"].items()]
        bad = [f"answer {i!r} {why}" for i, why in bad if why]
        if bad:
            out.skipped.append(Skipped(f, "damaged", bad[0]))
            continue
        if data.get("digest") and data["digest"] != digest(data):
            out.skipped.append(Skipped(f, "hand-edited", "its answers do not match the check the notebook saved "
                                                         "with them (changed in a text editor?)"))
            continue
        out.n_poll_files += 1
        out.lessons.setdefault(les.name, les)
        for i, v in data["answers"].items():
            ex = les.exercises[i]
            if ex.get("kind") == "scale":
                _count_poll_answer(out, les, ex, v)


# -- text ----------------------------------------------------------------------------------------

def _order(out: ClassSummary):
    """Items in lesson order, then by the number students saw."""
    def key(k):
        les = out.lessons.get(k[0])
        n = les.number_of(k[1]) if les else None
        return (k[0], n if n is not None else 10**6, k[1])
    return sorted(out.items, key=key)


def poll_rows(out: ClassSummary):
    """[(poll id, statement text, scale, [(lesson name, Counter)])] with lessons in unit order (before, after)."""
    rows = []
    for pid, poll in sorted(out.polls.items()):
        for st_id, text in poll["statements"].items():
            per = sorted((ln, c) for (ln, s), c in poll["counts"].items() if s == st_id)
            if per:
                rows.append((pid, text, poll["scale"], per))
    return rows


def format_text(out: ClassSummary, names: bool = False) -> str:
    what = f"lesson {out.lesson_filter}" if out.lesson_filter else "all lessons"
    lines = [f"Class summary: {out.students} work file(s) and {out.n_poll_files} poll file(s) in {out.folder} "
             f"({what})", ""]
    rows = poll_rows(out)
    if rows:
        lines.append("Polls (counts only, never names; before and after, by lesson):")
        for pid, text, scale, per in rows:
            lines.append(f"  [{pid}] {text}")
            for ln, counts in per:
                dist = ", ".join(f"{scale[i]}: {counts[i]}" for i in range(len(scale)) if counts[i])
                lines.append(f"    lesson {ln.split('-')[0]} (n={sum(counts.values())}): {dist}")
        lines.append("")
    if out.items:
        lines.append("Answered, and self-checks right (numbered as students saw them):")
        for k in _order(out):
            st = out.items[k]
            right = f"; right {st.correct}/{st.checked}" if st.checked else ""
            lines.append(f"  lesson {st.lesson.split('-')[0]} {st.label} [{st.item}]: answered by {st.answered}{right}")
            for desc, n in st.wrong.most_common(3):
                lines.append(f"      most common wrong: {desc} ({n})")
        lines.append("")
        written = [out.items[k] for k in _order(out) if out.items[k].written]
        if written:
            lines.append("Written answers to read: " + ", ".join(f"{st.label} ({len(st.written)})" for st in written)
                         + "; see the PDF (--pdf), names " + ("shown" if names else "hidden"))
            lines.append("")
    for ln, who in sorted(out.missing.items()):
        if who:
            lines.append(f"No file for lesson {ln} from: {', '.join(who)}")
    for n in out.notes:
        lines.append(f"Note: {n}")
    if out.skipped:
        lines.append(f"Skipped {len(out.skipped)} file(s) (the rest are counted above; nothing was changed):")
        for s in out.skipped:
            lines.append(f"  skipped {s.path} [{s.kind}]: {s.reason}")
    return "\n".join(lines).rstrip()


def summarize(project, folder: Path, **kw) -> str:
    """The summary as text (what ``civicnb summary FOLDER`` prints)."""
    names = kw.pop("names", False)
    return format_text(collect(project, folder, **kw), names=names)


# -- PDF -----------------------------------------------------------------------------------------

def _bars(scale, per) -> str:
    """One poll statement as a small chart: a row per answer on the scale, one column per lesson (before,
    then after), each bar labelled with its count; the column headings say which is which, so nothing
    depends on colour (all bars are grey with a black outline)."""
    from .handout import typ

    top = max([c[i] for _, c in per for i in range(len(scale))] + [1])
    names = ["Before", "After"] if len(per) == 2 else ["Answers"] * len(per)
    head = ["[]"] + [f"[#strong[{typ.text(f'{name} (lesson {ln[:2]}, n = {sum(c.values())})')}]]"
                     for name, (ln, c) in zip(names, per)]
    cells = []
    for i, label in enumerate(scale):
        cells.append(f"[{typ.text(label)}]")
        for _, counts in per:
            n = counts[i]
            width = f"{max(n / top * 80, 0.5):.1f}%"
            cells.append(f"[#box(width: {width}, height: 0.6em, fill: luma(200), stroke: 0.5pt + black)"
                         f"#h(0.3em)#{typ.string(str(n))}]")
    cols = ", ".join(["9.5em"] + ["1fr"] * len(per))
    return (f"#text(size: 9pt, grid(columns: ({cols}), row-gutter: 0.2em, column-gutter: 0.8em, align: horizon, "
            f"{', '.join(head + cells)}))\n")


def typst_source(out: ClassSummary, names: bool = False, paper: str = "letter", title: str | None = None) -> str:
    from .handout import typ

    T = typ.text
    paper_name = "us-letter" if paper == "letter" else "a4"
    src = [f'#set page(paper: "{paper_name}", margin: 0.7in, footer: context align(center, text(size: 8.5pt)['
           f'{T("Class summary · counts only · page ")}#counter(page).display()]))',
           '#set text(font: ("Atkinson Hyperlegible", "Noto Sans", "Noto Emoji"), size: 10.5pt, lang: "en")',
           '#set document(title: "Class summary")',
           '#show heading.where(level: 1): set text(size: 17pt)',
           '#show heading.where(level: 2): set text(size: 12.5pt)',
           f"= {T(title or 'Class summary: ' + out.folder.name)}",
           T(f"{out.students} work file(s) and {out.n_poll_files} poll file(s) counted"
             + (f" for lesson {out.lesson_filter}" if out.lesson_filter else "")
             + f"; {len(out.skipped)} file(s) skipped (listed at the end). No student names on this page."), ""]
    rows = poll_rows(out)
    if rows:
        src.append(f"== {T('Polls: before and after (counts only)')}")
        for pid, text, scale, per in rows:
            src.append(f"#block(breakable: false)[#strong[{T(text)}]\n{_bars(scale, per)}]")
    if out.items:
        src.append(f"== {T('Answers by question (numbered as students saw them)')}")
        cells = []
        for k in _order(out):
            st = out.items[k]
            right = f"{st.correct} of {st.checked}" if st.checked else "(written)"
            wrong = "; ".join(f"{d} ({n})" for d, n in st.wrong.most_common(2))
            cells += [f"[{T('Lesson ' + st.lesson[:2] + ', ' + st.label)}]", f"[{T(st.answered)}]", f"[{T(right)}]",
                      f"[#text(size: 9pt)[{T(wrong)}]]"]
        src.append("#text(size: 9.5pt, table(columns: (auto, auto, auto, 1fr), stroke: 0.5pt, inset: 3pt, "
                   "table.header([*Question*], [*Answered*], [*Right*], [*Most common wrong answers*]), "
                   + ", ".join(cells) + "))")
        src.append("#text(size: 9pt)[" + T("Answered: students with an answer saved. Right: answers the self-check "
                                            "marks right, of those it could mark (a blank or half-done answer is "
                                            "not marked). Written answers are in Appendix B.") + "]")
    miss = [(ln, who) for ln, who in sorted(out.missing.items()) if who]
    if miss or out.skipped or out.notes:
        src.append("#pagebreak(weak: true)")
        src.append(f"== {T('Appendix A. Files: missing, skipped, notes (for the teacher)')}")
        for ln, who in miss:
            src.append(f"- {T(f'No file for lesson {ln} from: ' + ', '.join(who))}")
        for n in out.notes:
            src.append(f"- {T('Note: ' + n)}")
        for s in out.skipped[:MAX_LISTED_FILES]:
            rel = s.path.relative_to(out.folder) if s.path.is_relative_to(out.folder) else s.path
            src.append(f"- #strong[{T(s.kind)}]: {T(str(rel))}: {T(s.reason)}")
        if len(out.skipped) > MAX_LISTED_FILES:
            src.append(f"- {T(f'… and {len(out.skipped) - MAX_LISTED_FILES} more: run civicnb summary without --pdf to list them all.')}")
    written = [out.items[k] for k in _order(out) if out.items[k].written]
    if written:
        src.append("#pagebreak()")
        src.append(f"== {T('Appendix B. Written answers to read')}")
        src.append(T("Names are shown (the teacher asked for them): do not project this page." if names else
                     "Names are hidden: each student is a number, the same number on every question. "
                     "Use --names to show them (do not project that version)."))
        numbers: dict = {}
        for st in written:
            title = (out.lessons[st.lesson].exercises[st.item].get("title") or "") if st.lesson in out.lessons else ""
            src.append(f"=== {T('Lesson ' + st.lesson[:2] + ', ' + st.label + (': ' + title if title else ''))}")
            for who, text in st.written[:MAX_WRITTEN_ANSWERS]:
                tag = who if (names and who) else f"Student {numbers.setdefault(who or id(text), len(numbers) + 1)}"
                clipped = text if len(text) <= MAX_WRITTEN_CHARS else text[:MAX_WRITTEN_CHARS] + " …"
                src.append(f"- #strong[{T(tag)}:] {T(clipped)}")
            if len(st.written) > MAX_WRITTEN_ANSWERS:
                src.append(T(f"… and {len(st.written) - MAX_WRITTEN_ANSWERS} more answers: summarise one class "
                             "at a time, or read them on the worksheets (civicnb export-work)."))
    return "\n".join(src) + "\n"


def write_pdf(out: ClassSummary, target: Path, names: bool = False, paper: str = "letter", title=None) -> Path:
    """Compile the summary to ``target`` (a new file, never written through a link)."""
    import tempfile

    from .handout.compile import compile_pdf, fonts_dir
    from .handout.worksheet import _out_folder, _write_new

    target = Path(target)
    folder = _out_folder(target.parent)
    with tempfile.TemporaryDirectory(prefix="civicnb-summary-") as tmp:
        root = Path(tmp)
        data = compile_pdf(root / "build", typst_source(out, names=names, paper=paper, title=title), {},
                           fonts=fonts_dir(root))
    return _write_new(folder, target.name, data)[0]


def default_pdf(folder: Path) -> Path:
    folder = Path(folder).resolve()
    return folder.parent / f"{folder.name}-summary.pdf"


# -- the teacher's notebook ----------------------------------------------------------------------

def summary_panel(folder: str = "collected", root=None):
    """The class-summary notebook's panel: a folder box, an optional lesson, a names switch, and a button
    that shows the summary and writes the printable PDF beside the folder. Reads the folder only."""
    import html

    import ipywidgets as W

    from .content.model import Project

    project = Project.find(root)
    box = W.Text(value=folder, description="Class folder", style={"description_width": "initial"},
                 layout=W.Layout(width="32em"))
    lesson = W.Dropdown(options=[("All lessons", "")] + [(n, n) for n in project.lesson_names], value="",
                        description="Lesson", style={"description_width": "initial"})
    names = W.Checkbox(value=False, description="Show names beside written answers (never project this)",
                       indent=False)
    go = W.Button(description="Make the summary", button_style="primary")
    result = W.HTML()

    def run(_=None):
        path = Path(box.value).expanduser()
        if not path.is_dir():
            result.value = (f"<p role='alert'><strong>No folder {html.escape(str(path))}.</strong> Type the path of "
                            "the folder where you collected the work files.</p>")
            return
        out = collect(project, path, lesson=lesson.value or None)
        msg = ""
        try:
            pdf = write_pdf(out, default_pdf(path), names=names.value)
            msg = f"<p role='status'>Printable PDF: <code>{html.escape(str(pdf))}</code></p>"
        except Exception as e:  # noqa: BLE001 - a PDF problem must not hide the summary
            msg = f"<p role='alert'>The PDF could not be written ({html.escape(str(e).splitlines()[0])}).</p>"
        result.value = msg + f"<pre style='white-space:pre-wrap'>{html.escape(format_text(out, names=False))}</pre>"

    go.on_click(run)
    return W.VBox([box, lesson, names, go, result])
