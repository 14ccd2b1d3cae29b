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
    return files + sorted((PKG / "handout" / "templates").glob("*.typ"))


def input_hash(project, lesson_name: str, edition: str, paper: str, period: int | None = None) -> str:
    """Everything a handout depends on: its lesson folder, its notebook, the shared registry, unit,
    article data and chart data, a teacher-supplied article copy, and the package's own code."""
    h = hashlib.sha256()
    root = project.root
    shared = [project.lessons_dir / "sources.yml", project.lessons_dir / "unit.yml"]
    folders = [project.lessons_dir / lesson_name, project.lessons_dir / "article", project.lessons_dir / "data"]
    if edition in TRANSLATED:  # the unit's translation and the glossary
        folders.append(project.lessons_dir / "i18n")
    for folder in folders:
        if folder.is_dir():
            shared += [p for p in folder.rglob("*") if p.is_file() and p.name != "copy.txt"]
    from .content.cards import shared_inputs  # e.g. lesson 01's timeline, printed in lesson 03

    others = shared_inputs(project.lessons_dir, lesson_name)
    shared += others
    if edition == "slides":  # a lesson that practises the norms shows the unit's norms (another lesson's box)
        shared += sorted(project.lessons_dir.glob("*/lesson.yml"))
    if edition in TRANSLATED:  # e.g. lesson 01's translation of the timeline lesson 03 prints
        lang = TRANSLATED[edition][1]
        shared += [p.parent / "i18n" / f"{lang}.yml" for p in others if (p.parent / "i18n" / f"{lang}.yml").is_file()]
    inputs = sorted(set(shared)) + [root / "notebooks" / f"{lesson_name}.ipynb"]
    copy = project.article_copy()
    h.update(f"{edition}|{paper}|period={period or 'all'}|copy={'yes' if copy else 'no'}".encode())
    for p in inputs + ([copy] if copy else []) + _code_files():
        h.update(str(p.relative_to(root) if p.is_relative_to(root) else p.name).encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def output_name(lesson_name: str, edition: str, paper: str, period: int | None = None) -> str:
    """``NN-slug-student.pdf``; one class period's packet ``NN-slug-student-p2.pdf``; the after sheet
    of period 2 of a multi-period lesson ``NN-slug-after-2.pdf``; the slides ``NN-slug-slides.pdf``
    (16:9 on any paper setting)."""
    if edition == "slides":
        return f"{lesson_name}-slides.pdf"
    part = edition
    if period:
        part += f"-{period}" if edition == "after" else f"-p{period}"
    return f"{lesson_name}-{part}{'' if paper == 'letter' else '-' + paper}.pdf"


def read_cache(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / CACHE_NAME).read_text())
    except (OSError, ValueError):
        return {}


EDITIONS = ("student", "student-large", "teacher", "after", "student-es")  # `civicnb build` (all) adds "slides"
# student-large: the large-print packet
# Editions in another language: edition name -> (the edition rendered, the language). The output is
# NN-slug-student-es.pdf (per period: NN-slug-student-es-p2.pdf).
TRANSLATED = {"student-es": ("student", "es")}


def has_reveals(project, lesson_name: str) -> bool:
    """Does the lesson have boxes that answer questions (so an after-the-lesson sheet)? A text check,
    so the fast path loads no YAML."""
    path = project.lessons_dir / lesson_name / "lesson.yml"
    return path.is_file() and "reveals:" in path.read_text(encoding="utf-8")


def periods_of(project, lesson_name: str) -> int:
    """How many class periods the lesson's notebook has (its level-1 headings). JSON only: fast path."""
    from .content.periods import split_cells

    path = project.root / "notebooks" / f"{lesson_name}.ipynb"
    try:
        return len(split_cells(json.loads(path.read_text(encoding="utf-8"))))
    except (OSError, ValueError):
        return 1


def after_periods(project, lesson_name: str) -> list[int]:
    """The periods whose after sheet has something on it: a box that answers questions, or a
    self-check question whose answer it lists. Loads the lesson only for lessons with reveal boxes."""
    from .content.periods import split_cells
    from .exercises import kind_of
    from .exercises.base import SELF_CHECK

    lesson = project.lesson(lesson_name)
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    out = []
    for p, cells in enumerate(split_cells(nb), 1):
        shown = {((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in cells}
        if any(lesson.blocks[i].get("reveals") for i in shown if i in lesson.blocks) or any(
                kind_of(lesson.exercises[i]).mode == SELF_CHECK for i in shown if i in lesson.exercises):
            out.append(p)
    return out


def _cached_after_periods(project, lesson_name: str, cache: dict) -> list[int]:
    """after_periods loads the lesson's YAML (about 0.05 s a lesson); the no-op rebuild reads the answer
    from the build cache while the lesson's inputs are unchanged."""
    key, digest = f"after-periods:{lesson_name}", input_hash(project, lesson_name, "after", "any")
    entry = cache.get(key) or {}
    if entry.get("inputs") != digest:
        entry = cache[key] = {"inputs": digest, "periods": after_periods(project, lesson_name)}
    return list(entry["periods"])


UNIT = "unit"  # the lesson name of the unit products' jobs (unit guide, answer keys, rubrics, letter)


def plan(project, out_dir: Path, cache: dict, lessons=None, editions=EDITIONS, papers=("letter",),
         force=False, per_period=False, unit=None):
    """Yield (lesson, edition, paper, period, pdf_path, hash, up_to_date). A lesson of several periods
    gets one after sheet per period; with ``per_period``, also one student packet per period (the whole
    packet is built too). The unit products (lesson ``UNIT``, edition the product's name) come with a
    build of every lesson's teacher editions (``make handouts``), or alone with ``unit=True``."""
    from . import unitdocs

    if unit is None:  # a build of every lesson's teacher material brings the unit's teacher products
        unit = lessons is None and "teacher" in editions
    if unit and unitdocs.enabled(project):
        for paper in papers:
            for product in unitdocs.PRODUCTS:
                pdf = out_dir / unitdocs.output_name(product, paper)
                digest = unitdocs.input_hash(project, product, paper, _code_files())
                fresh = (not force and pdf.exists() and cache.get(pdf.name, {}).get("inputs") == digest
                         and cache[pdf.name].get("pdf") == _file_hash(pdf))
                yield UNIT, product, paper, None, pdf, digest, fresh
    for name in lessons or project.lesson_names:
        periods = periods_of(project, name)
        for paper in papers:
            for edition in editions:
                if edition == "after" and not has_reveals(project, name):
                    continue
                if edition == "slides":  # one 16:9 deck whatever the paper: listed with the first paper only
                    if paper != papers[0]:
                        continue
                    pdf = out_dir / output_name(name, edition, paper)
                    digest = input_hash(project, name, edition, "16:9")
                    fresh = (not force and pdf.exists() and cache.get(pdf.name, {}).get("inputs") == digest
                             and cache[pdf.name].get("pdf") == _file_hash(pdf))
                    yield name, edition, "16:9", None, pdf, digest, fresh
                    continue
                parts: list = [None]
                if edition == "after" and periods > 1:
                    parts = _cached_after_periods(project, name, cache)  # never a sheet with nothing on it
                elif edition in ("student", *TRANSLATED) and per_period and periods > 1:
                    parts = [None] + list(range(1, periods + 1))
                for period in parts:
                    pdf = out_dir / output_name(name, edition, paper, period)
                    digest = input_hash(project, name, edition, paper, period)
                    fresh = (not force and pdf.exists() and cache.get(pdf.name, {}).get("inputs") == digest
                             and cache[pdf.name].get("pdf") == _file_hash(pdf))
                    yield name, edition, paper, period, pdf, digest, fresh


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_one(project, lesson_name: str, edition: str, paper: str, pdf: Path, build_root: Path,
              period: int | None = None) -> None:
    from .handout.compile import compile_pdf
    from .handout.render import render

    lesson = project.lesson(lesson_name)
    if edition == "slides":
        from .slides import build_pdf

        data = build_pdf(project, lesson, build_root / f"{lesson_name}-slides")
        tmp = pdf.with_suffix(".pdf.tmp")
        tmp.write_bytes(data)
        tmp.replace(pdf)
        return
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    if edition in TRANSLATED:  # the student edition in another language: the translated lesson's project
        edition, lang = TRANSLATED[edition]
        lesson = project.lesson(lesson_name, lang=lang)
        project = lesson.project
        workdir = build_root / (f"{lesson_name}-{edition}-{lang}-{paper}" if not period
                                else f"{lesson_name}-{edition}-{lang}-{period}-{paper}")
        r = render(project, lesson, nb, edition, paper, period=period)
        data = compile_pdf(workdir, r.source, r.assets)
        tmp = pdf.with_suffix(".pdf.tmp")
        tmp.write_bytes(data)
        tmp.replace(pdf)
        return
    workdir = build_root / f"{lesson_name}-{edition}-{paper}" if not period else build_root / f"{lesson_name}-{edition}-{period}-{paper}"
    if edition == "after":  # one sheet: the student edition's type size unless it must shrink to fit
        from .handout.compile import compile_fitted
        from .handout.render import AFTER_PAGES, AFTER_SIZES

        data = compile_fitted(workdir, lambda size: render(project, lesson, nb, edition, paper, size=size,
                                                           period=period), AFTER_SIZES, AFTER_PAGES)
    else:
        pages = None
        if edition == "teacher":  # "Student p. N": lay out the student edition and read its question pages
            from .handout.compile import question_pages

            st = render(project, lesson, nb, "student", paper)
            pages = question_pages(build_root / f"{lesson_name}-student-pages-{paper}", st.source, st.assets)
        if edition == "student-large":  # the student packet in large print (handout/large.py)
            r = render(project, lesson, nb, "student", paper, period=period, large=True)
        else:
            r = render(project, lesson, nb, edition, paper, period=period, student_pages=pages)
        data = compile_pdf(workdir, r.source, r.assets)
    tmp = pdf.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(pdf)


def build(project, out_dir: Path | None = None, lessons=None, editions=EDITIONS,
          papers=("letter",), force=False, quiet=False, build_root: Path | None = None,
          per_period: bool = False, unit: bool | None = None) -> list[Path]:
    project = type(project)(project.root)  # fresh: never render from cached, possibly stale content
    out_dir = Path(out_dir or project.root / "handouts")
    out_dir.mkdir(parents=True, exist_ok=True)
    build_root = Path(build_root or project.root / "build" / "typst")
    cache_path = out_dir / CACHE_NAME
    cache = read_cache(out_dir)
    before = json.dumps(cache, sort_keys=True)
    jobs = list(plan(project, out_dir, cache, lessons, editions, papers, force, per_period, unit))
    todo = [j for j in jobs if not j[6]]
    say = (lambda *a: None) if quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))

    def save_cache():
        tmp = cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, indent=1, sort_keys=True))
        tmp.replace(cache_path)

    if json.dumps(cache, sort_keys=True) != before:  # plan learnt something (the after sheets' periods)
        save_cache()
    if not todo:
        say(f"All {len(jobs)} handouts are up to date in {out_dir}.")
        return [j[4] for j in jobs]
    say(f"Building {len(todo)} of {len(jobs)} handouts ({len(jobs) - len(todo)} up to date)…")
    for i, (name, edition, paper, period, pdf, digest, _) in enumerate(todo, 1):
        t0 = time.perf_counter()
        if name == UNIT:
            from .unitdocs import build_product

            build_product(project, edition, paper, pdf, build_root)
        else:
            build_one(project, name, edition, paper, pdf, build_root, period)
        cache[pdf.name] = {"inputs": digest, "pdf": _file_hash(pdf)}
        save_cache()
        say(f"  [{i}/{len(todo)}] {pdf.name}  {time.perf_counter() - t0:.2f} s")
    return [j[4] for j in jobs]
