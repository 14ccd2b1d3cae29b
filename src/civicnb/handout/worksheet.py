"""A student's completed worksheet as a PDF, from their saved work file.

Safe with a class set a teacher collected (zip, ``cp -a``, ``rsync -a``, ``collected/<user>/``):

* Nothing is written through a link: the Typst sources are built in a private temporary folder, and
  each PDF is written to a new file (created exclusively, never following a link) that is then renamed
  into place. A folder export writes to a separate folder (``<folder>-worksheets/``) by default.
* Every work file gives its own PDF, named after the student and the folder or file it came from;
  two files never share a PDF, and every PDF written is reported.
* A file that is not a usable work file is skipped with its name and the reason; the rest export.
* What prints is capped per answer (a long answer ends "… continued in the student's file"), long
  unbroken text wraps, and poll answers are private unless the teacher switches names on.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

from ..work.store import (POLL_SUFFIX, WorkFileError, poll_file_for, poll_names_on, read_poll_file, readable,
                          slug)
from .compile import compile_pdf, fonts_dir
from .render import render

MAX_CHARS = 3000  # per answer box: about a page of handwriting-sized lines
MAX_LINES = 60
WRAP_RUN = 30  # a run of characters without a break point longer than this gets break opportunities
PRIVATE = {"private": True}  # what the worksheet gets in place of a poll answer


class ExportError(Exception):
    """A problem with the output folder (not with one student's file); stops the export."""


def cap_text(s: str) -> str:
    """Text as a worksheet prints it: at most MAX_CHARS characters and MAX_LINES lines, with a note of
    what was left out, and break opportunities in long unbroken runs so nothing runs off the page."""
    lines = s.split("\n")
    base = "\n".join(lines[:MAX_LINES]) if len(lines) > MAX_LINES else s
    base = base[:MAX_CHARS]
    if base != s:
        base = base.rstrip("\n")
    rest = s[len(base):]
    cut = re.sub(r"\S{%d,}" % (WRAP_RUN + 1),
                 lambda m: "\u200b".join(m.group(0)[i:i + WRAP_RUN] for i in range(0, len(m.group(0)), WRAP_RUN)), base)
    if rest:
        cut += (f" … continued in the student's file ({len(rest):,} more characters, "
                f"{rest.count(chr(10)):,} more line breaks, not printed)")
    return cut


def _capped(value):
    if isinstance(value, str):
        return cap_text(value)
    if isinstance(value, dict):
        return {k: _capped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_capped(v) for v in value]
    return value


def printable_work(lesson, work: dict, work_file: Path, poll_names: bool | None = None) -> dict:
    """The work as the worksheet prints it: answers capped; poll answers replaced by a privacy note
    unless names are switched on (then read from the poll file beside the work file)."""
    names = poll_names_on() if poll_names is None else poll_names
    answers = {}
    polls = {}
    if names:
        with contextlib.suppress(OSError, ValueError):
            data = read_poll_file(poll_file_for(work_file))
            if data["lesson"] == lesson.name:
                polls = data["answers"]
    for ex_id, ex in lesson.exercises.items():
        if isinstance(ex, dict) and ex.get("kind") == "scale":
            if names:
                value = polls.get(ex_id, (work["answers"].get(ex_id) or {}).get("value"))
                answers[ex_id] = {"value": value}
            else:
                answers[ex_id] = {"value": dict(PRIVATE)}
    for ex_id, entry in work["answers"].items():
        if ex_id not in answers:
            answers[ex_id] = {**entry, "value": _capped(entry.get("value"))}
    return {**work, "student": cap_text(work.get("student") or "")[:200], "answers": answers}


def _write_new(out_dir: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Write ``data`` as ``out_dir/name``: a new file created exclusively (never through a link), then
    renamed into place. Returns the path and whether an older file of that name was replaced."""
    final = out_dir / name
    if final.is_dir() and not final.is_symlink():
        raise ExportError(f"{final} is a folder; remove it or choose another --out folder")
    tmp = out_dir / f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as e:
        raise ExportError(f"cannot write to the output folder {out_dir} ({e.strerror or e}); "
                          "choose a folder you can write with --out") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        replaced = os.path.lexists(final)
        os.replace(tmp, final)  # a link at ``final`` is replaced, never written through
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return final, replaced


def _out_folder(out_dir) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"--out {out_dir} is a file, not a folder; give a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the output folder {out_dir} ({e.strerror or e}); "
                          "choose a folder you can write with --out") from None
    return out_dir


@contextlib.contextmanager
def _private_build_root(build_root=None):
    if build_root is not None:
        yield Path(build_root)
        return
    root = Path(tempfile.mkdtemp(prefix="civicnb-worksheet-"))  # mode 0700, new: no planted links
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _pdf_bytes(project, lesson, work, work_file, paper, build_root, fonts, poll_names):
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    if (work or {}).get("lang") not in (None, "", "en"):  # the student worked in Spanish: their worksheet is too
        from ..i18n import LANGS

        if work["lang"] in LANGS:
            lesson = project.lesson(lesson.name, lang=work["lang"])
            project = lesson.project
    r = render(project, lesson, nb, "worksheet", paper, work=printable_work(lesson, work, work_file, poll_names))
    return compile_pdf(build_root / secrets.token_hex(6), r.source, r.assets, fonts=fonts)


def export_worksheet(project, work_file, out_dir=None, paper: str = "letter", build_root=None,
                     fonts=None, poll_names: bool | None = None) -> Path:
    """One student's worksheet PDF (beside the work file unless ``out_dir``). Raises WorkFileError
    (a ValueError naming the file and the reason) for a file that is not a usable work file."""
    from ..summary import open_work

    work_file = Path(work_file)
    work, lesson = open_work(project, work_file)
    out = _out_folder(out_dir or work_file.parent)
    student = work.get("student") or ""
    stem = f"{lesson.name}--{slug(student)}" if slug(student) else work_file.stem
    with _private_build_root(build_root) as root:
        data = _pdf_bytes(project, lesson, work, work_file, paper, root, fonts or fonts_dir(root), poll_names)
    return _write_new(out, f"{stem}-worksheet.pdf", data)[0]


class Exported(list):
    """The PDFs written; ``skipped`` lists ``(file, reason)`` for each file that was not exported."""

    def __init__(self):
        super().__init__()
        self.skipped: list[tuple[Path, str]] = []


def default_out(folder: Path) -> Path:
    folder = Path(folder).resolve()
    return folder.parent / f"{folder.name}-worksheets"


def _pdf_stem(lesson, work, f: Path, folder: Path) -> str:
    who = readable(work.get("student") or "") or "no-name"
    rel = f.relative_to(folder)
    rest = f.stem[len(lesson.name):].lstrip("-") if f.stem.startswith(lesson.name) else f.stem
    tag = readable("-".join([*rel.parent.parts, rest]), 60)
    return f"{lesson.name}--{who}" + (f"--{tag}" if tag and tag != who else "")


def export_folder(project, folder, out_dir=None, paper: str = "letter", progress=None,
                  poll_names: bool | None = None) -> Exported:
    """Export every work file in ``folder`` (a class set collected by the teacher) into ``out_dir``
    (default: ``<folder>-worksheets`` beside it). Bad files are skipped with the reason."""
    from ..summary import open_work, work_files

    folder = Path(folder)
    out = _out_folder(out_dir or default_out(folder))
    say = progress or (lambda m: None)
    files = [f for f in work_files(folder) if not f.name.endswith(POLL_SUFFIX)]
    done, taken = Exported(), set()
    with _private_build_root() as root:
        fonts = fonts_dir(root)
        for i, f in enumerate(files, 1):
            try:
                work, lesson = open_work(project, f)
                data = _pdf_bytes(project, lesson, work, f, paper, root, fonts, poll_names)
            except WorkFileError as e:
                done.skipped.append((f, e.reason))
                say(f"  skipped {f}: {e.reason}")
                continue
            except Exception as e:  # a Typst or content problem with this one file: report it, go on
                reason = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
                done.skipped.append((f, reason))
                say(f"  skipped {f}: could not make its PDF ({reason})")
                continue
            stem, n = _pdf_stem(lesson, work, f, folder), 1
            name = f"{stem}-worksheet.pdf"
            while name in taken:
                n += 1
                name = f"{stem}-{n}-worksheet.pdf"
            taken.add(name)
            pdf, replaced = _write_new(out, name, data)
            done.append(pdf)
            say(f"  [{i}/{len(files)}] {f} -> {pdf.name}{' (replaced an older copy)' if replaced else ''}")
    return done
