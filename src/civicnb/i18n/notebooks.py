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


INDEX_ES = """\
# {title}

{subtitle}. El artículo que estudiamos (en inglés): *"Brutal Mega Prison Could Become New Home for Convicts Under Trump Deal"* ("Megacárcel brutal podría convertirse en el nuevo hogar de convictos bajo un acuerdo de Trump").

**Pregunta de la unidad:** {question}

## Lecciones

| Lección | Tiempo | Ábrela |
|---|---|---|
{rows}

## Cómo trabajar

1. Abre una lección (haz clic en su enlace de arriba).
2. Espera un momento: la lección empieza sola. (Si se queda vacía, presiona ▶▶ en la barra de herramientas: **Restart the kernel and run all cells**, es decir, reiniciar y ejecutar todas las celdas).
3. Escribe tu nombre en el recuadro al principio de la lección.
4. Tus respuestas se guardan solas en la carpeta **my-work**, la misma que usan los cuadernos en inglés. Puedes cambiar de idioma cuando quieras con el botón **Idioma / Language** de cada lección: tus respuestas se quedan.
5. Al final de una lección, presiona **Guardar mi hoja de trabajo como PDF** para entregar tu trabajo.

*Aviso sobre el contenido: esta unidad habla de cárceles y de inmigración. Nadie te va a preguntar por tu situación migratoria ni por la de tu familia.*

[The same lessons in English](../index.ipynb)
"""


def index_notebook(project, lang: str) -> dict:
    """The start page of the notebooks in ``lang`` (``notebooks/es/index.ipynb``), from the unit and the
    lessons' translations."""
    from .lesson import in_language

    tp = in_language(project, lang)
    unit = tp.unit
    rows = []
    for name in project.lesson_names:
        m = tp.lesson(name).meta
        rows.append(f"| {m.get('id')} · {m.get('title')} | {m.get('minutes')} min | [{name}.ipynb]({name}.ipynb) |")
    text = INDEX_ES.format(title=unit.get("title"), subtitle=unit.get("subtitle"),
                           question=" ".join(str(unit.get("essential_question")).split()), rows="\n".join(rows))
    return {"cells": [{"cell_type": "markdown", "id": "index", "metadata": {}, "source": text}],
            "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                        "name": "python3"}, "language_info": {"name": "python"},
                         "title": "Empieza aquí", "civicnb": {"lang": lang}},
            "nbformat": 4, "nbformat_minor": 5}


def write_notebooks(project, lang: str, names=None) -> list[Path]:
    """Write the translated notebooks (and, for Spanish, the start page) that differ from what is on
    disk; returns those written."""
    out = []
    folder = notebook_dir(project.root, lang)
    jobs = [(f"{project.lesson(n).name}.ipynb", lambda n=n: translated_notebook(project, n, lang))
            for n in names or project.lesson_names if project.lesson(n).notebook_path.is_file()]
    if lang == "es" and not names:
        jobs.append(("index.ipynb", lambda: index_notebook(project, lang)))
    for filename, make in jobs:
        text = notebook_text(make())
        path = folder / filename
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
