"""Spanish lesson notebooks (``notebooks/es/NN-slug.ipynb``): the lesson notebook with its Markdown in
the translation, opening the lesson in that language.

JupyterLab shows a notebook's Markdown cells as saved, so the kernel cannot switch them; everything the
lesson shows through ``L.show`` switches with the language setting. These generated copies give a
Spanish-speaking class the narrative in Spanish too. They save to the same work folder as the English
notebooks (``notebooks/my-work/``, or ``$CIVICNB_WORK_DIR``), so a student can move between the two.
``civicnb i18n sync`` writes them; a test keeps them current.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from . import apply_overlay

OPEN_RE = re.compile(r'open_lesson\("([^"]+)"\)')


def notebook_dir(root, lang: str) -> Path:
    return Path(root) / "notebooks" / lang


def translated_notebook(project, name: str, lang: str) -> dict:
    lesson = project.lesson(name, lang=lang)
    nb = json.loads(project.lesson(name).notebook_path.read_text(encoding="utf-8"))
    nb = apply_overlay(copy.deepcopy(nb), lesson.strings, "notebook")
    for cell in nb.get("cells") or []:
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
        if OPEN_RE.search(src):
            src = OPEN_RE.sub(lambda m: f'open_lesson("{m.group(1)}", lang="{lang}", '
                                        'work_dir=os.environ.get("CIVICNB_WORK_DIR") or "../my-work")', src)
            src = "import os\n" + src
            cell["source"] = src.splitlines(keepends=True)
    meta = nb.setdefault("metadata", {})
    meta.setdefault("civicnb", {})["lang"] = lang
    m = lesson.meta
    from . import t

    meta["title"] = f"{t('Lesson', lang)} {m.get('id')} · {m.get('title')}"
    return nb


def _source_lines(cell):
    src = cell.get("source", "")
    if isinstance(src, str):
        cell["source"] = src.splitlines(keepends=True)


def notebook_text(nb: dict) -> str:
    for cell in nb.get("cells") or []:
        _source_lines(cell)
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def write_notebooks(project, lang: str, names=None) -> list[Path]:
    """Write the translated notebooks that differ from what is on disk; returns those written."""
    out = []
    folder = notebook_dir(project.root, lang)
    for name in names or project.lesson_names:
        if not project.lesson(name).notebook_path.is_file():
            continue
        text = notebook_text(translated_notebook(project, name, lang))
        path = folder / f"{project.lesson(name).name}.ipynb"
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            pass
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        out.append(path)
    return out
