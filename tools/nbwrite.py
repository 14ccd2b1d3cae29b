"""Write a lesson notebook from a compact outline (a developer tool; notebooks are committed).

Usage in a script:  write("notebooks/00-x.ipynb", "00-x", [md("# ..."), show("header", setup=True), ...])
Every code cell that shows lesson content gets the matching cell metadata civicnb.show, and its input
is collapsed in JupyterLab so students see the widgets, not the code (the civicnb-lab extension hides it
entirely in student mode). Every cell is locked (``editable``/``deletable`` false): a student's keys never
change the lesson.
"""
import json


def md(text, *tags):
    cell = {"cell_type": "markdown", "metadata": {"editable": False, "deletable": False}, "source": text.strip("\n")}
    if tags:
        cell["metadata"]["tags"] = list(tags)
    return cell


def show(item, setup=False, lesson=None):
    src = f'L.show("{item}")'
    if setup:
        src = f'from civicnb import open_lesson\n\nL = open_lesson("{lesson}")\n' + src
    return {"cell_type": "code", "execution_count": None, "outputs": [],
            "metadata": {"civicnb": {"show": item}, "jupyter": {"source_hidden": True},
                         "tags": ["remove-input"], "editable": False, "deletable": False},
            "source": src}


def write(path, lesson, cells, title):
    nb = {"cells": [], "metadata": {
        "civicnb": {"lesson": lesson},
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}, "title": title},
        "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(cells):
        c = dict(c)
        c["id"] = f"c{i:02d}"
        c["source"] = c["source"].splitlines(keepends=True)
        nb["cells"].append(c)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
