"""Compile the lessons into a bundle the notebook runtime reads without PyYAML or Matplotlib.

The build-time half of the run-time/build-time split (the run-time half is
:mod:`civicnb.content.bundled`, which describes the layout). ``civicnb bundle OUT`` or
:func:`write_bundle` writes the folder; ``--wheel DIR`` / :func:`write_bundle_wheel` also packs it as
the pure-Python wheel ``civicnb_bundle-<version>-py3-none-any.whl``, which a JupyterLite site installs
next to the civicnb wheel so the lessons load in the browser with no file access at all.

The output is deterministic (keys in the order written, no dates): the same lessons give the same bytes.
The teacher notes (``teacher.md``), the verification notes, any teacher-supplied article copy and the
teacher-only fields of the lesson files (:data:`TEACHER_ONLY`: the lesson plan, written exercises'
model answers) are never bundled: the bundle is served to students. (The keys of self-check
exercises are in it, as in the package: the notebooks' self-check needs them.)
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

from .content.bundled import FORMAT, MANIFEST, PACKAGE, twin
from .content.yamlload import load_yaml

# Only these file kinds under lessons/ go into the bundle; *.md (teacher notes) and copy.txt never do.
DATA_SUFFIXES = (".yml", ".yaml")
COPY_SUFFIXES = (".csv",)


def _dump(data) -> bytes:
    # key order kept as written: the model walks mappings in order (sources are numbered by first use)
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _put(files: dict, rel: str, data: bytes) -> None:
    files[rel] = data


# Teacher-only fields no notebook shows, left out of the bundle (it is served to students): the lesson
# plan, and the model answers and "look for" lists of written exercises. Keys that grade self-check
# exercises stay: the notebooks need them.
TEACHER_ONLY = {"lesson.yml": ("steps", "preparation"), "exercises.yml": ("teacher_note",)}
TEACHER_ONLY_KEY = ("exemplar", "exemplars", "look_for")


def student_view(rel: str, data):
    """A lesson file's data without its teacher-only fields (a copy; ``data`` is not changed)."""
    name = rel.rsplit("/", 1)[-1]
    if name not in TEACHER_ONLY or not isinstance(data, dict):
        return data
    out = dict(data)
    for key in TEACHER_ONLY[name]:
        out.pop(key, None)
    if name == "exercises.yml" and isinstance(out.get("exercises"), list):
        exercises = []
        for ex in out["exercises"]:
            if isinstance(ex, dict):
                ex = {k: v for k, v in ex.items() if k not in TEACHER_ONLY["exercises.yml"]}
                if isinstance(ex.get("key"), dict):
                    ex["key"] = {k: v for k, v in ex["key"].items() if k not in TEACHER_ONLY_KEY}
            exercises.append(ex)
        out["exercises"] = exercises
    return out


def _lesson_files(project) -> dict:
    """{bundle path: bytes} for every content file under lessons/ (YAML as JSON, CSV as is)."""
    from .content.model import ARTICLE_COPY

    files: dict = {}
    lessons = project.lessons_dir
    for path in sorted(lessons.rglob("*")):
        rel = path.relative_to(project.root).as_posix()
        parts = path.relative_to(lessons).parts
        if not path.is_file() or any(p.startswith(".") for p in parts) or rel == ARTICLE_COPY:
            continue
        if path.suffix in DATA_SUFFIXES:
            _put(files, twin(rel), _dump(student_view(rel, load_yaml(path, rel))))
        elif path.suffix in COPY_SUFFIXES:
            _put(files, rel, path.read_bytes())
    return files


def _package_files() -> dict:
    """The package's own YAML data (checklist word list, UI words...) as JSON, under package/."""
    pkg = Path(__file__).resolve().parent
    files = {}
    for path in sorted(pkg.rglob("*.yml")):
        rel = path.relative_to(pkg).as_posix()
        if "labextension" in path.parts or any(p.startswith(".") for p in path.relative_to(pkg).parts):
            continue
        _put(files, twin(f"package/{rel}"), _dump(load_yaml(path, f"civicnb/{rel}")))
    return files


def _notebook_order(project, lesson) -> bytes:
    """The lesson notebook's ``civicnb.show`` cells (only their metadata), in order."""
    try:
        nb = json.loads(Path(project.root / "notebooks" / f"{lesson.name}.ipynb").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        nb = {}
    cells = []
    for cell in nb.get("cells") or [] if isinstance(nb, dict) else []:
        show = ((cell.get("metadata") or {}).get("civicnb") or {}).get("show") if isinstance(cell, dict) else None
        if isinstance(show, str):
            cells.append({"metadata": {"civicnb": {"show": show}}})
    return _dump({"lesson": lesson.name, "cells": cells})


def languages(project) -> list[str]:
    """``en`` and every language with an overlay file (``lessons/<lesson>/i18n/<lang>.yml``)."""
    files = [*project.lessons_dir.glob("*/i18n/*.yml"), *project.lessons_dir.glob("i18n/*.yml")]
    found = {p.stem for p in files if not p.stem.startswith("glossary")}
    return ["en"] + sorted(found - {"en"})


def _translated_figure(project, lesson, spec, lang):
    """HOOK (language overlays): the figure spec in ``lang``, or None when nothing in it is translated.
    Uses i18n's ``civicnb.i18n.apply_overlay(data, strings, filename)`` on lesson.yml; without that
    module (or without an overlay for this lesson), None."""
    try:
        from .i18n import apply_overlay
    except ImportError:
        return None
    rel = lesson.rel(f"i18n/{lang}.yml")
    if not (project.root / rel).is_file():
        return None
    overlay = load_yaml(project.root / rel, rel) or {}
    strings = overlay.get("strings") if isinstance(overlay, dict) else None
    if not strings:
        return None
    data = apply_overlay(json.loads(json.dumps(lesson.raw_meta)), strings, "lesson.yml")
    for fig in (data or {}).get("figures") or []:
        if isinstance(fig, dict) and fig.get("id") == spec.get("id"):
            return fig if fig != json.loads(json.dumps(spec)) else None
    return None


def _charts(project) -> tuple[dict, dict]:
    """({bundle path: svg bytes}, {"<lesson>/<figure>": {alt, caption, file, ...}}) for every figure."""
    from .charts import figure_svg

    files, index = {}, {}
    langs = languages(project)
    for lesson in project.lessons():
        for fid, spec in lesson.figures.items():
            rel = f"charts/{lesson.name}/{fid}.svg"
            _put(files, rel, figure_svg(project, spec))
            entry = {"lesson": lesson.name, "figure": fid, "file": rel, "alt": spec.get("alt", ""),
                     "caption": spec.get("caption", ""), "chart": spec.get("chart"), "data": spec.get("data")}
            for lang in langs[1:]:
                tspec = _translated_figure(project, lesson, spec, lang)
                if tspec:
                    lrel = f"charts/{lesson.name}/{fid}.{lang}.svg"
                    _put(files, lrel, figure_svg(project, tspec, lang=lang))
                    entry.setdefault("languages", {})[lang] = {"file": lrel, "alt": tspec.get("alt", "")}
            index[f"{lesson.name}/{fid}"] = entry
    return files, index


def bundle_files(project) -> dict:
    """Every file of the bundle, {relative path: bytes}, with the manifest."""
    import civicnb

    files = _lesson_files(project)
    files.update(_package_files())
    for lesson in project.lessons():
        _put(files, f"notebooks/{lesson.name}.order.json", _notebook_order(project, lesson))
    chart_files, charts = _charts(project)
    files.update(chart_files)
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    manifest = {
        "format": FORMAT,
        "civicnb": civicnb.__version__,
        "content_sha256": digest.hexdigest(),
        "lessons": list(project.lesson_names),
        "languages": languages(project),
        "charts": charts,
        "files": {rel: hashlib.sha256(files[rel]).hexdigest() for rel in sorted(files)},
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    return files


def _safe_target(out: Path) -> None:
    """Refuse to replace a folder that is not an earlier bundle (never delete someone's files)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise FileExistsError(f"{out} exists and is not a folder; give a new folder name for the bundle")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise FileExistsError(f"{out} is a folder with other files in it (not a lesson bundle); "
                              "give a new or empty folder for the bundle")


def write_bundle(project, out_dir) -> Path:
    """Write the lesson bundle to ``out_dir`` (replacing an earlier bundle there). Returns the folder."""
    out = Path(out_dir)
    _safe_target(out)
    files = bundle_files(project)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
    return out


# -- the bundle as a wheel ------------------------------------------------------------------------------
def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def bundle_wheel_bytes(project, files: dict | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of ``civicnb_bundle-<version>-py3-none-any.whl``: the bundle as package data
    of an importable package ``civicnb_bundle``. Deterministic (fixed zip dates)."""
    import civicnb

    files = files if files is not None else bundle_files(project)
    version = civicnb.__version__
    dist = f"{PACKAGE}-{version}.dist-info"
    entries = {f"{PACKAGE}/__init__.py": (
        '"""The civicnb lessons compiled to JSON (made by `civicnb bundle --wheel`); see civicnb.content.bundled."""\n'
    ).encode()}
    for rel, data in files.items():
        entries[f"{PACKAGE}/{rel}"] = data
    entries[f"{dist}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {PACKAGE.replace('_', '-')}\nVersion: {version}\n"
        "Summary: civicnb lesson data compiled for the browser (no PyYAML or Matplotlib needed)\n"
        "License: MIT\n").encode()
    entries[f"{dist}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: civicnb\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries[f"{dist}/top_level.txt"] = f"{PACKAGE}\n".encode()
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries.items())
    record += f"{dist}/RECORD,,\n"
    entries[f"{dist}/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return f"{PACKAGE}-{version}-py3-none-any.whl", buf.getvalue()


def write_bundle_wheel(project, out_dir, files: dict | None = None) -> Path:
    """Write the bundle wheel into folder ``out_dir``; returns its path."""
    name, data = bundle_wheel_bytes(project, files)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    tmp = out / f".{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
