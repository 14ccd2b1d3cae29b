"""A class summary from a folder of work files: poll results and the most-missed self-check items."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from .exercises import kind_of
from .exercises.base import SELF_CHECK
from .exercises.written import DEFAULT_SCALE
from .work.store import read_work_file


def summarize(project, folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*.json") if ".corrupt-" not in p.name)
    works = []
    for f in files:
        try:
            works.append(read_work_file(f))
        except (ValueError, OSError):
            continue
    lines = [f"Class summary: {len(works)} work file(s) in {folder}", ""]
    polls: dict = defaultdict(lambda: defaultdict(Counter))  # poll -> statement -> lesson -> Counter
    missed: Counter = Counter()
    tried: Counter = Counter()
    for w in works:
        try:
            lesson = project.lesson(w["lesson"])
        except KeyError:
            continue
        for ex_id, entry in (w.get("answers") or {}).items():
            ex = lesson.exercises.get(ex_id)
            if not ex:
                continue
            k = kind_of(ex)
            value = (entry or {}).get("value")
            if ex["kind"] == "scale":
                labels = ex.get("scale") or DEFAULT_SCALE
                for st in ex["statements"]:
                    r = ((value or {}).get("ratings") or {}).get(st["id"])
                    if r is not None:
                        polls[(ex["poll"], st["text"])][lesson.id][labels[int(r)]] += 1
            elif k.mode == SELF_CHECK:
                g = k.grade(ex, value)
                if g:
                    tried[(lesson.id, ex_id)] += 1
                    if g[0] != "correct":
                        missed[(lesson.id, ex_id)] += 1
    if polls:
        lines.append("Polls (before and after, by lesson):")
        for (poll, statement), by_lesson in sorted(polls.items()):
            lines.append(f"  [{poll}] {statement}")
            for lesson_id, counts in sorted(by_lesson.items()):
                total = sum(counts.values())
                dist = ", ".join(f"{label}: {counts[label]}" for label in DEFAULT_SCALE if counts[label])
                lines.append(f"    lesson {lesson_id} (n={total}): {dist}")
        lines.append("")
    if tried:
        lines.append("Self-check items, most missed first (not yet correct / tried):")
        for key, n in sorted(tried.items(), key=lambda kv: (-missed[kv[0]] / kv[1], kv[0])):
            lines.append(f"  lesson {key[0]} {key[1]}: {missed[key]}/{n}")
    return "\n".join(lines)
