"""A class summary from a folder of work files: poll results (counts only) and the most-missed
self-check items. A file that is not a readable work file is named with the reason and skipped; the
rest still count."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from .exercises import kind_of
from .exercises.base import SELF_CHECK
from .exercises.written import DEFAULT_SCALE
from .work.store import POLL_SUFFIX, WorkFileError, answer_problem, check_answers, read_poll_file, read_work_file


def work_files(folder: Path) -> list[Path]:
    """Work files under ``folder`` (not hidden, not moved-aside copies, not poll files)."""
    return sorted(p for p in folder.rglob("*.json")
                  if ".corrupt-" not in p.name and not p.name.startswith(".") and not p.name.endswith(POLL_SUFFIX))


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


def summarize(project, folder: Path) -> str:
    folder = Path(folder)
    works, skipped = [], []
    for f in work_files(folder):
        try:
            works.append(open_work(project, f))
        except WorkFileError as e:
            skipped.append(f"  skipped {f}: {e.reason}")
    polls: dict = defaultdict(lambda: defaultdict(Counter))  # (poll, statement) -> lesson -> Counter
    missed: Counter = Counter()
    tried: Counter = Counter()

    def count_poll(lesson, ex, value):
        labels = ex.get("scale") or DEFAULT_SCALE
        for st in ex["statements"]:
            r = ((value or {}).get("ratings") or {}).get(st["id"])
            if r is not None:
                polls[(ex["poll"], st["text"])][lesson.id][labels[r]] += 1

    for w, lesson in works:
        for ex_id, entry in w["answers"].items():
            ex = lesson.exercises.get(ex_id)
            if not isinstance(ex, dict):
                continue
            value = entry.get("value")
            if ex.get("kind") == "scale":  # from a file saved before polls had their own file
                count_poll(lesson, ex, value)
                continue
            k = kind_of(ex)
            if k.mode == SELF_CHECK:
                g = k.grade(ex, value)
                if g:
                    tried[(lesson.id, ex_id)] += 1
                    if g[0] != "correct":
                        missed[(lesson.id, ex_id)] += 1
    n_poll_files = 0
    for f in sorted(folder.rglob("*" + POLL_SUFFIX)):
        try:
            data = read_poll_file(f)
            lesson = project.lesson(data["lesson"])
            problems = [(i, answer_problem(lesson.exercises[i], v)) for i, v in data["answers"].items()
                        if isinstance(lesson.exercises.get(i), dict)]
            bad = [f"answer {i!r} {why}" for i, why in problems if why]
            if bad:
                raise WorkFileError(f, bad[0])
        except KeyError:
            skipped.append(f"  skipped {f}: it is for a lesson this package does not have")
            continue
        except (WorkFileError, OSError) as e:
            skipped.append(f"  skipped {f}: {getattr(e, 'reason', e)}")
            continue
        n_poll_files += 1
        for i, v in data["answers"].items():
            ex = lesson.exercises.get(i)
            if isinstance(ex, dict) and ex.get("kind") == "scale":
                count_poll(lesson, ex, v)
    lines = [f"Class summary: {len(works)} work file(s) and {n_poll_files} poll file(s) in {folder}", ""]
    if polls:
        lines.append("Polls (counts only, never names; before and after, by lesson):")
        for (poll, statement), by_lesson in sorted(polls.items()):
            lines.append(f"  [{poll}] {statement}")
            for lesson_id, counts in sorted(by_lesson.items()):
                total = sum(counts.values())
                order = list(DEFAULT_SCALE) + [k for k in counts if k not in DEFAULT_SCALE]
                dist = ", ".join(f"{label}: {counts[label]}" for label in order if counts[label])
                lines.append(f"    lesson {lesson_id} (n={total}): {dist}")
        lines.append("")
    if tried:
        lines.append("Self-check items, most missed first (not yet correct / tried):")
        for key, n in sorted(tried.items(), key=lambda kv: (-missed[kv[0]] / kv[1], kv[0])):
            lines.append(f"  lesson {key[0]} {key[1]}: {missed[key]}/{n}")
        lines.append("")
    if skipped:
        lines.append(f"Skipped {len(skipped)} file(s) that could not be read (the rest are counted above):")
        lines += skipped
    return "\n".join(lines).rstrip()
