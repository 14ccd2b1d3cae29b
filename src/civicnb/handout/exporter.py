"""nbconvert exporters: ``jupyter nbconvert --to civicnb_student notebooks/00-....ipynb``.

Registered under the ``nbconvert.exporters`` entry point group, so they also appear in JupyterLab's
File → Save and Export Notebook As… menu. A lesson notebook (``civicnb.lesson`` in its
metadata) prints from the lesson data; any other notebook prints its Markdown, images (with alt text)
and text outputs, code hidden, in the same look. A problem shows as one plain line: in JupyterLab's
export dialog, and on the command line (exit status 1), never a traceback.
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
        from .compile import compile_pdf

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        try:
            r = self._render(nb_copy, resources)
            with tempfile.TemporaryDirectory(prefix="civicnb-") as tmp:
                pdf = compile_pdf(Path(tmp) / "doc", r.source, r.assets)
        except Exception as e:  # one plain line for the export dialog and the command line
            raise HandoutExportError(plain_message(e)) from None
        resources["output_extension"] = ".pdf"
        return pdf, resources

    def from_filename(self, filename, resources=None, **kw):
        """The command line (``jupyter nbconvert``): a problem ends the run with one plain line."""
        try:
            return super().from_filename(filename, resources, **kw)
        except HandoutExportError as e:
            raise SystemExit(f"civicnb: cannot print {filename}: {e}") from None
        except OSError as e:
            raise SystemExit(f"civicnb: cannot print {filename}: {plain_message(e)}") from None
        except Exception:  # nbformat could not read it
            raise SystemExit(f"civicnb: cannot print {filename}: it is not a readable Jupyter notebook; "
                             "open it in JupyterLab and save it again") from None

    def _render(self, nb_copy, resources):
        from .render import render

        meta = nb_copy.metadata.get("civicnb") or {}
        lesson_name = meta.get("lesson") if isinstance(meta, dict) else None
        path = (resources.get("metadata") or {}).get("path") or "."
        if not lesson_name:  # any notebook a teacher wrote: text, images and outputs, code hidden
            from .generic import render_notebook

            name = (resources.get("metadata") or {}).get("name") or "Notebook"
            return render_notebook(_plain(nb_copy), self.edition, self.paper, name)
        from ..content.model import Project

        project = Project.find(path)
        lesson = project.lesson(lesson_name)
        lang = meta.get("lang") if isinstance(meta, dict) else None
        if lang and lang != "en":  # a notebook in notebooks/es/: the student edition in its language
            if self.edition != "student":  # the teacher edition stays English: from the English notebook
                import json

                return render(project, lesson, json.loads(lesson.notebook_path.read_text(encoding="utf-8")),
                              self.edition, self.paper)
            lesson = project.lesson(lesson_name, lang=lang)
            project = lesson.project
        return render(project, lesson, _plain(nb_copy), self.edition, self.paper)


class HandoutExportError(Exception):
    """A handout could not be made; the message is one plain line saying why and what to do."""


def plain_message(e: BaseException) -> str:
    """One line for a person, never a traceback."""
    from ..content.yamlload import ContentError

    if isinstance(e, ContentError):
        return f"{e.file}:{e.line}: {e.message} (run `civicnb check`)"
    if isinstance(e, KeyError):
        msg = str(e.args[0]) if e.args else "unknown item"
        return f"{msg} (run `civicnb check`)"
    if isinstance(e, FileNotFoundError) and "unit.yml" in str(e):
        return ("this lesson notebook needs its lesson package: open it from the package's notebooks/ folder, "
                "or set CIVICNB_ROOT to the package folder")
    text = " ".join(str(e).split()) or type(e).__name__
    if type(e).__name__ == "TypstBuildError":
        text = "the PDF could not be typeset (" + text.split(": ", 1)[-1][:300] + ")"
    return text


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
