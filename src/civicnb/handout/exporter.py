"""nbconvert exporters: ``jupyter nbconvert --to civicnb_student notebooks/00-....ipynb``.

Registered under the ``nbconvert.exporters`` entry point group, so they also appear in JupyterLab's
File → Save and Export Notebook As… menu. They read the lesson named in the notebook's metadata
(``civicnb.lesson``), render the edition from the lesson data and compile it with Typst.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import List, Unicode, validate


class _HandoutExporter(Exporter):
    edition = "student"
    output_mimetype = "application/pdf"

    paper = Unicode("letter", help="Paper size: 'letter' (US Letter, default) or 'a4'.").tag(config=True)
    # The handout is rendered from the lesson data, so nbconvert's generic preprocessors (each of which
    # re-validates the notebook) have nothing to do here.
    default_preprocessors = List([])

    @validate("paper")
    def _check_paper(self, proposal):
        value = proposal["value"].lower()
        if value not in ("letter", "us-letter", "a4"):
            raise ValueError("paper must be 'letter' or 'a4'")
        return value

    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        from ..content.model import Project
        from .compile import compile_pdf
        from .render import render

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        lesson_name = (nb_copy.metadata.get("civicnb") or {}).get("lesson")
        if not lesson_name:
            raise ValueError("This notebook is not a civicnb lesson (no 'civicnb.lesson' in its metadata).")
        path = (resources.get("metadata") or {}).get("path") or "."
        project = Project.find(path)
        lesson = project.lesson(lesson_name)
        r = render(project, lesson, _plain(nb_copy), self.edition, self.paper)
        with tempfile.TemporaryDirectory(prefix="civicnb-") as tmp:
            pdf = compile_pdf(Path(tmp) / "doc", r.source, r.assets)
        resources["output_extension"] = ".pdf"
        return pdf, resources


def _plain(node):
    """nbformat's NotebookNode to plain dicts/lists (the renderer works on JSON-like data)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


class StudentHandoutExporter(_HandoutExporter):
    """Student handout (PDF via Typst): no code, no answer keys."""

    export_from_notebook = "Student handout (PDF)"
    edition = "student"


class TeacherHandoutExporter(_HandoutExporter):
    """Teacher edition (PDF via Typst): lesson plan, then the student pages with keys."""

    export_from_notebook = "Teacher edition with keys (PDF)"
    edition = "teacher"
