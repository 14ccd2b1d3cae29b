"""Build every handout: incremental (an unchanged lesson is not rebuilt) and reproducible.

The fast path (deciding that nothing changed) reads and hashes files only: it imports no nbformat,
jsonschema, ipywidgets or typst, so ``civicnb build`` with nothing to do returns in well under a second.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

PKG = Path(__file__).parent
CACHE_NAME = ".build-cache.json"


def _code_files() -> list[Path]:
    """The package files whose change can change a handout."""
    files = [p for p in sorted(PKG.rglob("*.py")) if "__pycache__" not in p.parts]
    return files + [PKG / "handout" / "templates" / "civicnb.typ"]


def input_hash(project, lesson_name: str, edition: str, paper: str) -> str:
    """Everything a handout depends on: its lesson folder, its notebook, the shared registry, unit,
    article data and chart data, a teacher-supplied article copy, and the package's own code."""
    h = hashlib.sha256()
    root = project.root
    shared = [project.lessons_dir / "sources.yml", project.lessons_dir / "unit.yml"]
    for folder in (project.lessons_dir / lesson_name, project.lessons_dir / "article", project.lessons_dir / "data"):
        if folder.is_dir():
            shared += [p for p in folder.rglob("*") if p.is_file() and p.name != "copy.txt"]
    from .content.cards import shared_inputs  # e.g. lesson 01's timeline, printed in lesson 03

    shared += shared_inputs(project.lessons_dir, lesson_name)
    inputs = sorted(set(shared)) + [root / "notebooks" / f"{lesson_name}.ipynb"]
    copy = project.article_copy()
    h.update(f"{edition}|{paper}|copy={'yes' if copy else 'no'}".encode())
    for p in inputs + ([copy] if copy else []) + _code_files():
        h.update(str(p.relative_to(root) if p.is_relative_to(root) else p.name).encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def output_name(lesson_name: str, edition: str, paper: str) -> str:
    return f"{lesson_name}-{edition}{'' if paper == 'letter' else '-' + paper}.pdf"


def read_cache(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / CACHE_NAME).read_text())
    except (OSError, ValueError):
        return {}


EDITIONS = ("student", "teacher", "after")


def has_reveals(project, lesson_name: str) -> bool:
    """Does the lesson have boxes that answer questions (so an after-the-lesson sheet)? A text check,
    so the fast path loads no YAML."""
    path = project.lessons_dir / lesson_name / "lesson.yml"
    return path.is_file() and "reveals:" in path.read_text(encoding="utf-8")


def plan(project, out_dir: Path, cache: dict, lessons=None, editions=EDITIONS, papers=("letter",),
         force=False):
    """Yield (lesson, edition, paper, pdf_path, hash, up_to_date)."""
    for name in lessons or project.lesson_names:
        for paper in papers:
            for edition in editions:
                if edition == "after" and not has_reveals(project, name):
                    continue
                pdf = out_dir / output_name(name, edition, paper)
                digest = input_hash(project, name, edition, paper)
                fresh = (not force and pdf.exists() and cache.get(pdf.name, {}).get("inputs") == digest
                         and cache[pdf.name].get("pdf") == _file_hash(pdf))
                yield name, edition, paper, pdf, digest, fresh


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_one(project, lesson_name: str, edition: str, paper: str, pdf: Path, build_root: Path) -> None:
    from .handout.compile import compile_pdf
    from .handout.render import render

    lesson = project.lesson(lesson_name)
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    workdir = build_root / f"{lesson_name}-{edition}-{paper}"
    if edition == "after":  # one sheet: the student edition's type size unless it must shrink to fit
        from .handout.compile import compile_fitted
        from .handout.render import AFTER_PAGES, AFTER_SIZES

        data = compile_fitted(workdir, lambda size: render(project, lesson, nb, edition, paper, size=size),
                              AFTER_SIZES, AFTER_PAGES)
    else:
        r = render(project, lesson, nb, edition, paper)
        data = compile_pdf(workdir, r.source, r.assets)
    tmp = pdf.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(pdf)


def build(project, out_dir: Path | None = None, lessons=None, editions=EDITIONS,
          papers=("letter",), force=False, quiet=False, build_root: Path | None = None) -> list[Path]:
    project = type(project)(project.root)  # fresh: never render from cached, possibly stale content
    out_dir = Path(out_dir or project.root / "handouts")
    out_dir.mkdir(parents=True, exist_ok=True)
    build_root = Path(build_root or project.root / "build" / "typst")
    cache_path = out_dir / CACHE_NAME
    cache = read_cache(out_dir)
    jobs = list(plan(project, out_dir, cache, lessons, editions, papers, force))
    todo = [j for j in jobs if not j[5]]
    say = (lambda *a: None) if quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    if not todo:
        say(f"All {len(jobs)} handouts are up to date in {out_dir}.")
        return [j[3] for j in jobs]
    say(f"Building {len(todo)} of {len(jobs)} handouts ({len(jobs) - len(todo)} up to date)…")
    for i, (name, edition, paper, pdf, digest, _) in enumerate(todo, 1):
        t0 = time.perf_counter()
        build_one(project, name, edition, paper, pdf, build_root)
        cache[pdf.name] = {"inputs": digest, "pdf": _file_hash(pdf)}
        tmp = cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, indent=1, sort_keys=True))
        tmp.replace(cache_path)
        say(f"  [{i}/{len(todo)}] {pdf.name}  {time.perf_counter() - t0:.2f} s")
    return [j[3] for j in jobs]
