"""What a lesson notebook calls: ``L = open_lesson("00")`` then ``L.show("item-id")``.

Every answer is saved to the student's work file as they go (see :mod:`civicnb.work.store`) and is
restored when the notebook is reopened or the kernel restarts.
"""
from __future__ import annotations

import html
from pathlib import Path

from .content.model import Project
from .exercises import kind_of
from .exercises.base import h, md_html
from .work.store import CorruptWorkFile, WorkStore, check_answers, save_answer


def _md(text) -> str:
    return md_html(text).replace("\n\n", "<br><br>")


class LessonSession:
    def __init__(self, lesson_name: str, work_dir=None, student: str | None = None, root=None):
        self.project = Project.find(root)
        self.lesson = self.project.lesson(lesson_name)
        self.store = WorkStore(self.lesson.name, work_dir, student)
        self.widgets: dict = {}
        self.messages: list[str] = []
        self.save_errors: list[str] = []
        data = self.store.load(check=lambda d: check_answers(self.lesson, d))  # never raises on a bad file or folder: it says what it did
        self.messages += self.store.warnings
        self.student = data.get("student", "")
        self.saved = {k: v.get("value") for k, v in data["answers"].items()}

    # -- saving ----------------------------------------------------------------------------------
    def _saver(self, item_id, alert=None):
        """A save function for one item. A failed save never loses the on-screen answer silently:
        the alert under the exercise says what happened and where the work folder is. Each save sends
        the answer this widget last showed, so the store merges only this tab's changes, part by part."""
        base = [self.saved.get(item_id)]

        def save(value):
            try:
                stored = save_answer(self.lesson, self.store, item_id, value, base=base[0])
            except (OSError, ValueError) as e:  # disk full, read-only folder, quota...
                msg = (f"Your answer could NOT be saved ({getattr(e, 'strerror', None) or e}). It is still on "
                       f"screen: do not close the notebook, and tell your teacher. Work folder: {self.store.folder}")
                if alert is not None:
                    alert.value = f"<div role='alert' style='border:2px solid #a00;padding:.3em'><strong>{h(msg)}</strong></div>"
                self.save_errors.append(msg)
                return
            base[0] = value
            self.saved[item_id] = stored
            if alert is not None and alert.value:
                alert.value = ""
        return save

    # -- citations -------------------------------------------------------------------------------
    def cite_html(self, ids) -> str:
        parts = []
        for sid in ids or []:
            s = self.project.sources.get(sid)
            if not s:
                continue
            label = f"{s['publisher']}, {s['date']}" if s.get("date") != "undated" else s["publisher"]
            parts.append(f"<a href='{html.escape(s['url'], quote=True)}' title='{h(s['title'])}' "
                         f"target='_blank' rel='noopener'>{h(label)}</a>")
        return f" <small>(Sources: {'; '.join(parts)})</small>" if parts else ""

    def as_of_html(self, d) -> str:
        return f" <small><em>As of {h(d)}.</em></small>" if d else ""

    # -- views -----------------------------------------------------------------------------------
    def render(self, item_id: str):
        """Build (without displaying) the widget or HTML for one item."""
        import ipywidgets as W

        kind, data = self.lesson.item(item_id)
        m = self.lesson.meta
        if kind == "exercise":
            k = kind_of(data)
            alert = W.HTML()
            widget = k.widget(data, self.saved.get(item_id), self._saver(item_id, alert), cite=self.cite_html)
            note = self.cite_html(k.prompt_sources(data)) + self.as_of_html(data.get("as_of"))
            widget.children = (*widget.children, alert, *([W.HTML(note)] if note else []))
            widget.alert = alert
            widget.add_class("civicnb-exercise")
            widget.add_class(f"civicnb-kind-{data['kind']}")
            return widget
        if kind == "block":
            title = f"<h4>{h(data['title'])}</h4>" if data.get("title") else ""
            body = f"<p>{_md(data['text'])}</p>" if data.get("text") else ""
            items = "".join(f"<li>{_md(x)}</li>" for x in data.get("list") or [])
            lst = f"<ul>{items}</ul>" if items else ""
            cite = self.cite_html(data.get("sources")) + self.as_of_html(data.get("as_of"))
            return W.HTML(f"<div class='civicnb-block'>{title}{body}{lst}{cite}</div>")
        if kind == "figure":
            import base64

            from .charts import figure_svg
            from .content.model import figure_sources

            svg = base64.b64encode(figure_svg(self.project, data)).decode()
            cap = f"<figcaption><small>{_md(data.get('caption', ''))}{self.cite_html(figure_sources(self.project, data))}" \
                  f"{self.as_of_html(data.get('as_of'))}</small></figcaption>"
            return W.HTML(f"<figure style='margin:0'><img src='data:image/svg+xml;base64,{svg}' "
                          f"alt='{html.escape(data['alt'], quote=True)}' style='max-width:100%;height:auto'>{cap}</figure>")
        if kind in ("article-citation", "article-map", "article-text"):
            return W.HTML(self._article_html(kind))
        if kind == "header":
            return self._header()
        if kind == "essential-question":
            return W.HTML(f"<div class='civicnb-eq'><strong>Essential question:</strong> {_md(m['essential_question'])}</div>")
        if kind == "i-can":
            items = "".join(f"<li>{_md(x)}</li>" for x in m["i_can"])
            return W.HTML(f"<div><strong>Learning targets</strong><ul>{items}</ul></div>")
        if kind == "vocabulary":
            rows = "".join(f"<tr><th scope='row' style='text-align:left;vertical-align:top;padding-right:1em'>"
                           f"{h(v['term'])}</th><td style='text-align:left'>{_md(v['definition'])}"
                           f"{self.cite_html(v.get('sources'))}</td></tr>" for v in m["vocabulary"])
            return W.HTML(f"<table class='civicnb-vocab'><caption style='text-align:left'><strong>Vocabulary"
                          f"</strong></caption>{rows}</table>")
        if kind == "content-note":
            cn = m.get("content_note") or {}
            return W.HTML(f"<div class='civicnb-note' role='note' style='border-left:4px solid #555;padding:.3em .8em'>"
                          f"<strong>Content note.</strong> {_md(cn.get('text', ''))}"
                          f"{self.cite_html(cn.get('sources'))}{self.as_of_html(cn.get('as_of'))}</div>")
        if kind == "save-panel":
            return self._save_panel()
        if kind == "sources":
            return W.HTML(self._sources_html())
        raise KeyError(item_id)

    def show(self, item_id: str):
        from IPython.display import display

        widget = self.render(item_id)
        widget.add_class("civicnb-item")
        widget.add_class(f"civicnb-item-{item_id}")  # stable hooks for styling and browser tests
        self.widgets[item_id] = widget
        display(widget)

    def _header(self):
        import ipywidgets as W

        m = self.lesson.meta
        name = W.Text(value=self.student, description="Your name", placeholder="First name and last initial",
                      continuous_update=False, style={"description_width": "initial"})
        status = W.HTML()

        def named(change):
            try:
                self.store.set_student(change["new"])
            except (OSError, ValueError) as e:  # disk full, read-only folder: say so, never fail silently
                status.value = (f"<div role='alert' style='border:2px solid #a00;padding:.3em'><strong>Your name could "
                                f"NOT be saved ({h(getattr(e, 'strerror', None) or e)}). Tell your teacher. Work "
                                f"folder: {h(self.store.folder)}</strong></div>")
                return
            self.student = change["new"]
            status.value = f"<small role='status'>Saved. Your work is saved in <code>{h(self.store.path)}</code>.</small>"

        name.observe(named, names="value")
        warn = "".join(f"<div role='alert' style='border:2px solid #a00;padding:.4em'>{h(w)}</div>"
                       for w in self.messages)
        head = W.HTML(f"<h2 style='margin-bottom:0'>Lesson {h(m['id'])} · {h(m['title'])}</h2>"
                      f"<p><strong>Essential question:</strong> {_md(m['essential_question'])}<br>"
                      f"<small>About {h(m['minutes'])} minutes. Facts as of {h(m['as_of'])}. "
                      f"Your answers save automatically to <code>{h(self.store.path)}</code>.</small></p>{warn}")
        box = W.VBox([head, name, status])
        box.controls = {"name": name}
        return box

    def _save_panel(self):
        import ipywidgets as W

        button = W.Button(description="Save my worksheet as PDF", icon="file-pdf-o", layout=W.Layout(width="auto"),
                          tooltip="Makes a PDF of your answers in your work folder")
        out = W.HTML()
        link = W.Output()  # an output area, so JupyterLab turns the relative link into a download URL

        def export(_=None):
            import os

            from IPython.display import HTML, display

            from .handout.worksheet import export_worksheet

            out.value = "<small role='status'>Making your PDF…</small>"
            link.clear_output()
            try:
                if not self.store.path.exists():  # nothing answered yet: an empty worksheet is still a worksheet
                    self.store.set_student(self.student)
                pdf = Path(export_worksheet(self.project, self.store.path))
            except Exception as e:  # show, never crash the notebook
                out.value = f"<div role='alert'>Could not make the PDF: {h(e)}</div>"
                return
            out.value = (f"<div role='status'>Done: <strong>{h(pdf.name)}</strong> is in <code>{h(pdf.parent)}</code>. "
                         "Hand it in as your teacher asks (print it, or upload the PDF).</div>")
            try:
                rel = pdf.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
            except ValueError:  # saved outside the notebook's folder: the path above is all we can give
                rel = None
            if rel:
                with link:
                    display(HTML(f"<a href='{html.escape(rel, quote=True)}' download='{html.escape(pdf.name, quote=True)}'>"
                                 f"Download {h(pdf.name)}</a>"))
            self.last_pdf = str(pdf)

        button.on_click(export)
        box = W.VBox([W.HTML("<p>When you finish, save a copy of your answers as a PDF.</p>"), button, out, link])
        box.controls, box.export = {"button": button}, export
        return box

    def _article_html(self, kind: str) -> str:
        art = self.project.article
        if art is None:
            return "<p><em>No article data (lessons/article/article.yml) in this package.</em></p>"
        c = art["citation"]
        if kind == "article-citation":
            lacks = "".join(f"<li>{_md(x)}</li>" for x in c.get("lacks") or [])
            alt = (f"<br><small>The page also shows a second headline: “{h(c['headline_alt'])}”.</small>"
                   if c.get("headline_alt") else "")
            return (f"<div class='civicnb-citation' style='border:1px solid #777;padding:.5em .8em'>"
                    f"<strong>The article</strong><br>“{h(c['headline'])}”{alt}<br>"
                    f"{h(c.get('byline', ''))} · {h(c['site'])} · {h(c['date'])}"
                    f"{' — ' + _md(c['date_note']) if c.get('date_note') else ''}"
                    f"{self.cite_html([c['source']])}<br><strong>What the page does not give you:</strong>"
                    f"<ul>{lacks}</ul></div>")
        if kind == "article-map":
            rows = "".join(f"<tr><th scope='row' style='vertical-align:top;text-align:right;padding-right:.6em'>"
                           f"¶{p['n']}</th><td style='text-align:left'>{_md(p['summary'])}</td></tr>"
                           for p in art["paragraphs"])
            return (f"<table class='civicnb-map'><caption style='text-align:left'><strong>Paragraph map</strong> "
                    f"(our summary of each paragraph, in our own words)</caption>{rows}</table>")
        from .content.article import copy_matches_map, parse_copy

        path = self.project.article_copy()
        if path is None:
            return ("<div class='civicnb-note' role='note'><em>No copy of the full article has been supplied. "
                    "Use the paragraph map above. (Teachers: see the teacher notes for how to add your own copy.)"
                    "</em></div>")
        from .content.article import ArticleCopyError, read_copy

        try:
            blocks = parse_copy(read_copy(path), art)
        except ArticleCopyError as e:
            return f"<div class='civicnb-note' role='alert'>{h(e)}</div>"
        ok, msg = copy_matches_map(blocks, art)
        out = []
        for b in blocks:
            num = f"¶{b.n}" if b.kind == "paragraph" else ""
            style = "font-style:italic;color:#444" if b.kind == "caption" else ("font-weight:bold" if b.kind == "front" else "")
            out.append(f"<tr><td style='color:#666;text-align:right;vertical-align:top'><small>line {b.line}</small></td>"
                       f"<td style='text-align:right;vertical-align:top;padding:0 .5em'><strong>{num}</strong></td>"
                       f"<td style='text-align:left;{style}'>{h(b.text)}</td></tr>")
        warn = "" if ok else f"<div role='alert'>{h(msg)}</div>"
        return (f"<div class='civicnb-article-copy'><strong>The article (copy supplied by your teacher)</strong>"
                f"{warn}<table>{''.join(out)}</table></div>")

    def _sources_html(self) -> str:
        items = []
        for sid in self.lesson.cited_source_ids():
            s = self.project.sources.get(sid)
            if s:
                items.append(f"<li>{h(s['publisher'])}, “{h(s['title'])}”, {h(s['date'])}. "
                             f"<a href='{html.escape(s['url'], quote=True)}' target='_blank' rel='noopener'>"
                             f"{h(s['url'])}</a>{' (read via ' + h(s['via']) + ')' if s.get('via') else ''}. "
                             f"Accessed {h(s['accessed'])}.</li>")
        return f"<div><strong>Sources for this lesson</strong><ol>{''.join(items)}</ol></div>"


def open_lesson(name: str, work_dir=None, student: str | None = None, root=None) -> LessonSession:
    """Open a lesson for a student. ``work_dir`` defaults to ``my-work/`` beside the notebook
    (or ``$CIVICNB_WORK_DIR``)."""
    return LessonSession(name, work_dir=work_dir, student=student, root=root)


__all__ = ["open_lesson", "LessonSession", "CorruptWorkFile"]
