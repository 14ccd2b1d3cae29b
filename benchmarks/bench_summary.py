"""Benchmark: the class summary over a large collected folder (not a test: the numbers depend on the machine).

Run with `make bench-summary` (or `.venv/bin/python benchmarks/bench_summary.py [--classes 40 --students 35]`).
It writes a made-up school's work (40 classes of 35 students by default: one work file and one private
poll file per student, each class on one lesson, every exercise answered at random with a valid answer,
a few bad files in each class) into a temporary folder, then times, as whole processes:

  A. `civicnb summary FOLDER` (text);
  B. `civicnb summary FOLDER --pdf` (text and the printable PDF).

Target (issue 11): 1,400 files summarised in under 10 s on 2 cores. No peer tool does this job on
civicnb's work files (nbgrader grades its own submission format and needs its database), so the numbers
are compared with the target only.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def fake_answer(ex, rng: random.Random):
    """A random answer of the right shape for any exercise kind (None for kinds with nothing to answer)."""
    from civicnb.exercises.verdict import VERDICTS

    kind = ex.get("kind")
    if kind == "single_choice":
        return {"choice": rng.choice(ex["options"])["id"]}
    if kind == "multi_select":
        return {"choices": [o["id"] for o in ex["options"] if rng.random() < 0.5]}
    if kind == "sort":
        return {"placements": {it["id"]: rng.choice(ex["categories"])["id"] for it in ex["items"]}}
    if kind == "timeline":
        order = list(range(1, len(ex["events"]) + 1))
        rng.shuffle(order)
        return {"positions": {e["id"]: n for e, n in zip(ex["events"], order)}}
    if kind == "highlight":
        n = len(ex["passage"].split())
        return {"selected": sorted(rng.sample(range(n), min(n, 3)))}
    if kind in ("short_answer", "long_answer"):
        return {"text": "A student's answer, in a sentence or two, naming a source. " * rng.randint(1, 3)}
    if kind == "cer":
        return {"claim": "My claim.", "evidence": "The evidence I found.", "reasoning": "Why it supports it."}
    if kind == "verdict":
        return {"verdict": rng.choice(VERDICTS)[0], "reason": "Because the notes say so."}
    if kind == "scale":
        return {"ratings": {st["id"]: rng.randrange(len(ex.get("scale") or range(5))) for st in ex["statements"]}}
    return None


def make_school(project, dest: Path, classes: int, students: int, seed: int = 1) -> int:
    """Write the made-up work files; returns how many files were written."""
    from civicnb.work.store import FORMAT, POLL_FORMAT, digest, poll_file_for

    rng = random.Random(seed)
    names = project.lesson_names
    n = 0
    for c in range(classes):
        lesson = project.lesson(names[c % len(names)])
        folder = dest / f"class-{c + 1:02d}"
        for s in range(students):
            who = f"Student {c + 1}-{s + 1}"
            sub = folder / f"user{s + 1:02d}"
            sub.mkdir(parents=True)
            work = {"format": FORMAT, "lesson": lesson.name, "student": who, "updated": "2026-11-29T10:00:00.000Z",
                    "answers": {}}
            polls = {"format": POLL_FORMAT, "lesson": lesson.name, "answers": {}}
            for ex_id, ex in lesson.exercises.items():
                value = fake_answer(ex, rng)
                if value is None:
                    continue
                if ex.get("kind") == "scale":
                    polls["answers"][ex_id] = value
                else:
                    work["answers"][ex_id] = {"value": value, "updated": "2026-11-29T10:00:00.000Z"}
            work["digest"], polls["digest"] = digest(work), digest(polls)
            path = sub / f"{lesson.name}.json"
            path.write_text(json.dumps(work), encoding="utf-8")
            n += 1
            if polls["answers"]:
                poll_file_for(path).write_text(json.dumps(polls), encoding="utf-8")
                n += 1
        (folder / "user01" / "broken.json").write_text("{oops", encoding="utf-8")  # a bad file in every class
        n += 1
    return n


def main() -> int:
    from civicnb.content.model import Project

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", type=int, default=40)
    ap.add_argument("--students", type=int, default=35)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    project = Project(ROOT)
    with tempfile.TemporaryDirectory(prefix="civicnb-bench-summary-") as tmp:
        school = Path(tmp) / "school"
        t = time.perf_counter()
        files = make_school(project, school, args.classes, args.students)
        print(f"made {args.classes} classes x {args.students} students: {files} files in {time.perf_counter() - t:.1f} s")
        cli = [sys.executable, "-m", "civicnb.cli", "--root", str(ROOT), "summary", str(school)]
        for label, extra in (("A. summary (text)", []), ("B. summary --pdf", ["--out", str(Path(tmp) / "s.pdf")])):
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                subprocess.run(cli + extra, check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - t)
            best = min(times)
            print(f"{label:22s} best of {args.runs}: {best:6.2f} s  (target < 10 s: {'met' if best < 10 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
