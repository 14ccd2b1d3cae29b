"""A student's completed worksheet as a PDF, from their saved work file."""
from __future__ import annotations

import json
from pathlib import Path

from ..work.store import read_work_file, slug
from .compile import compile_pdf, fonts_dir
from .render import render


def export_worksheet(project, work_file, out_dir=None, paper: str = "letter", build_root=None,
                     fonts=None) -> Path:
    work_file = Path(work_file)
    work = read_work_file(work_file)
    lesson = project.lesson(work["lesson"])
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    r = render(project, lesson, nb, "worksheet", paper, work=work)
    out_dir = Path(out_dir or work_file.parent)
    out_dir.mkdir(parents=True, exist_ok=True)
    build_root = Path(build_root or out_dir / ".civicnb-build")
    fonts = fonts or fonts_dir(build_root)
    # name the PDF after the student when they gave a name, so a class set in one folder never clashes
    stem = f"{lesson.name}--{slug(work['student'])}" if slug(work.get("student") or "") else work_file.stem
    pdf = out_dir / f"{stem}-worksheet.pdf"
    data = compile_pdf(build_root / stem, r.source, r.assets, fonts=fonts)
    tmp = pdf.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(pdf)
    return pdf


def export_folder(project, folder, out_dir=None, paper: str = "letter", progress=None) -> list[Path]:
    """Export every work file in ``folder`` (a class set collected by the teacher)."""
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*.json") if ".corrupt-" not in p.name and not p.name.startswith("."))
    out_dir = Path(out_dir or folder)
    build_root = out_dir / ".civicnb-build"
    fonts = fonts_dir(build_root)
    done = []
    for i, f in enumerate(files, 1):
        try:
            read_work_file(f)
        except (ValueError, OSError):
            if progress:
                progress(f"  skipped {f} (not a civicnb work file)")
            continue
        done.append(export_worksheet(project, f, out_dir, paper, build_root=build_root, fonts=fonts))
        if progress:
            progress(f"  [{i}/{len(files)}] {done[-1].name}")
    return done
