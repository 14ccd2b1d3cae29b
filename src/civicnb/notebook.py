"""What a lesson notebook calls: ``L = open_lesson("00")`` then ``L.show("item-id")``.

Every answer is saved to the student's work file as they go (see :mod:`civicnb.work.store`) and is
restored when the notebook is reopened or the kernel restarts.
"""
from __future__ import annotations

import functools
import html
from pathlib import Path

from .content.model import Project
from .exercises import kind_of
from .exercises.base import h, md_html
from .i18n import LANG_NAMES, LANGS, default_lang, t
from .work.store import CorruptWorkFile, WorkStore, check_answers, save_answer


START_LINE = "Press ▶▶ (Restart the kernel and run all cells) to start the lesson."


def _md(text) -> str:
    return md_html(text).replace("\n\n", "<br><br>")


class LessonSession:
    def __init__(self, lesson_name: str, work_dir=None, student: str | None = None, root=None,
                 lang: str | None = None):
        self.project = Project.find(root)
        self.lesson = self.project.lesson(lesson_name)
        self.store = WorkStore(self.lesson.name, work_dir, student)
        self.widgets: dict = {}
        self.reveal_boxes: list = []  # (item ids, widget, html) of blocks that unlock once those are answered
        self._name_timer = None  # the pending (debounced) save of the student's name
        self._name_written, self._atexit = 0.0, False
        self.messages: list[str] = []
        self.save_errors: list[str] = []
        data = self.store.load(check=lambda d: check_answers(self.lesson, d))  # never raises on a bad file or folder: it says what it did
        self.messages += self.store.warnings
        from .workfile import browser_storage_warnings  # the static site: is the work folder kept?

        self.messages += browser_storage_warnings(self.store.folder)
        self.student = data.get("student", "")
        self.saved = {k: v.get("value") for k, v in data["answers"].items()}
        # the language: as asked, else the student's own choice (saved in the work file), else the class
        # default ($CIVICNB_LANG). Item ids, numbers and saved answers are the same in every language.
        chosen = lang or data.get("lang") or default_lang()
        self.lang = chosen if chosen in LANGS else "en"
        self.notebook_lang = lang or "en"  # the language of the notebook's own Markdown (notebooks/es/ pass it)
        if self.lang != "en":
            self.lesson = self.project.lesson(self.lesson.name, lang=self.lang)

    def set_lang(self, lang: str) -> None:
        """Switch the lesson's language mid-lesson: every item shown so far is drawn again in ``lang``
        (answers stay: they are the same item ids), and the choice is saved in the work file."""
        if lang not in LANGS:
            raise ValueError(f"no language {lang!r}; the languages are {', '.join(LANGS)}")
        self.flush()
        if lang != self.lang:
            self.lang = lang
            self.lesson = self.project.lesson(self.lesson.name, lang=lang if lang != "en" else None)
        try:
            self.store.set_lang(lang)
        except (OSError, ValueError) as e:  # the switch still happens; only the choice is not remembered
            self.messages.append(t("Your language choice could not be saved ({error}).", self.lang,
                                   error=getattr(e, 'strerror', None) or e))
        self.rerender()

    def rerender(self) -> None:
        """Draw every shown item again (in the current language), in place: the same widgets stay on
        the page, with new contents, so nothing moves and no answer is lost."""
        import ipywidgets as W

        old_reveals, self.reveal_boxes = self.reveal_boxes, []
        for item_id, old in list(self.widgets.items()):
            new = self.render(item_id)
            if self.reveal_boxes and self.reveal_boxes[-1][1] is new:  # keep the box on the page
                ids, _, body = self.reveal_boxes[-1]
                self.reveal_boxes[-1] = (ids, old, body)
            if isinstance(old, W.Box) and isinstance(new, W.Box):
                old.children = new.children
                for attr in ("controls", "check_button", "feedback", "alert", "export"):
                    if hasattr(new, attr):
                        setattr(old, attr, getattr(new, attr))
            elif hasattr(old, "value") and hasattr(new, "value") and not isinstance(old, W.Box):
                old.value = new.value
        del old_reveals

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
            self._refresh_reveals()
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
        return f" <small>({h(t('Sources:', self.lang))} {'; '.join(parts)})</small>" if parts else ""

    def as_of_html(self, d) -> str:
        return f" <small><em>{h(t('As of {date}.', self.lang, date=d))}</em></small>" if d else ""

    # -- numbering and reveal boxes ---------------------------------------------------------------
    def label_of(self, item_id: str) -> str:
        """The student-facing label ("Question 7"): ``lesson.label_of`` (contract item 1), or, in a
        content model without it, the order of exercise cells in the lesson notebook."""
        fn = getattr(self.lesson, "label_of", None)
        if fn is not None:
            return fn(item_id)
        order = getattr(self, "_fallback_order", None)
        if order is None:
            import json

            order = []
            try:
                nb = json.loads(Path(self.lesson.notebook_path).read_text(encoding="utf-8"))
                for c in nb.get("cells", []):
                    show = ((c.get("metadata") or {}).get("civicnb") or {}).get("show")
                    if show in self.lesson.exercises and show not in order:
                        order.append(show)
            except (OSError, ValueError, AttributeError):
                order = list(self.lesson.exercises)
            self._fallback_order = order
        return f"Question {order.index(item_id) + 1}" if item_id in order else ""

    def is_answered(self, item_id: str) -> bool:
        ex = self.lesson.exercises.get(item_id)
        value = self.saved.get(item_id)
        return bool(ex and value is not None and kind_of(ex).is_answered(value))

    def _reveal_state(self, ids) -> tuple[bool, list[str]]:
        """(open?, labels of the items still to answer). ``CIVICNB_REVEAL=all`` opens every box."""
        import os

        if os.environ.get("CIVICNB_REVEAL", "").strip().lower() == "all":
            return True, []
        todo = [self.label_of(i) or i for i in ids if not self.is_answered(i)]  # in the lesson's language
        return not todo, todo

    def _reveal_html(self, ids, body: str) -> str:
        ok, todo = self._reveal_state(ids)
        if ok:
            return body
        names = todo[0] if len(todo) == 1 else ", ".join(todo[:-1]) + f" {t('and', self.lang)} " + todo[-1]
        return (f"<div class='civicnb-locked' role='note' style='border:1px dashed #555;padding:.4em .8em'>"
                f"<strong>🔒 {h(t('This box opens when you have answered {names}.', self.lang, names=names))}</strong> "
                f"{h(t('It talks about the answers, so try those first.', self.lang))}</div>")

    def _refresh_reveals(self):
        for ids, widget, body in self.reveal_boxes:
            new = self._reveal_html(ids, body)
            if widget.value != new:
                widget.value = new

    # -- views -----------------------------------------------------------------------------------
    def render(self, item_id: str):
        """Build (without displaying) the widget or HTML for one item."""
        import ipywidgets as W

        kind, data = self.lesson.item(item_id)
        m = self.lesson.meta
        if kind == "exercise":
            k = kind_of(data)
            alert = W.HTML()
            alert.add_class("civicnb-alert")  # a save that failed is announced at once
            widget = k.widget(data, self.saved.get(item_id), self._saver(item_id, alert), cite=self.cite_html)
            note = self.cite_html(k.prompt_sources(data)) + self.as_of_html(data.get("as_of"))
            label = self.label_of(item_id)
            head = [W.HTML(f"<h3 class='civicnb-number' style='margin:.2em 0'>{h(label)}</h3>")] if label else []
            widget.children = (*head, *widget.children, alert, *([W.HTML(note)] if note else []))
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
            full = f"<div class='civicnb-block'>{title}{body}{lst}{cite}</div>"
            if data.get("reveals"):  # it answers questions: locked until the student has answered them
                ids = list(data["reveals"])
                widget = W.HTML(self._reveal_html(ids, full))
                widget.add_class("civicnb-reveal")
                self.reveal_boxes.append((ids, widget, full))
                return widget
            return W.HTML(full)
        if kind == "figure":
            import base64

            from .content.model import figure_sources

            svg = base64.b64encode(self.project.chart_svg(self.lesson, data, self.lang)).decode()
            cap = f"<figcaption><small>{_md(data.get('caption', ''))}{self.cite_html(figure_sources(self.project, data))}" \
                  f"{self.as_of_html(data.get('as_of'))}</small></figcaption>"
            return W.HTML(f"<figure style='margin:0'><img src='data:image/svg+xml;base64,{svg}' "
                          f"alt='{html.escape(data['alt'], quote=True)}' style='max-width:100%;height:auto'>{cap}</figure>")
        if kind == "article-text":
            return self._article_text()
        if kind in ("article-citation", "article-map"):
            return W.HTML(self._article_html(kind))
        if kind == "header":
            return self._header()
        if kind == "essential-question":
            return W.HTML(f"<div class='civicnb-eq'><strong>{h(t('Essential question:', self.lang))}</strong> "
                          f"{_md(m['essential_question'])}</div>")
        if kind == "i-can":
            items = "".join(f"<li>{_md(x)}</li>" for x in m["i_can"])
            return W.HTML(f"<div><strong>{h(t('Learning targets', self.lang))}</strong><ul>{items}</ul></div>")
        if kind == "vocabulary":
            rows = "".join(f"<tr><th scope='row' style='text-align:left;vertical-align:top;padding-right:1em'>"
                           f"{h(v['term'])}</th><td style='text-align:left'>{_md(v['definition'])}"
                           f"{self.cite_html(v.get('sources'))}</td></tr>" for v in m["vocabulary"])
            return W.HTML(f"<table class='civicnb-vocab'><caption style='text-align:left'><strong>"
                          f"{h(t('Vocabulary', self.lang))}</strong></caption>{rows}</table>")
        if kind == "content-note":
            cn = m.get("content_note") or {}
            return W.HTML(f"<div class='civicnb-note' role='note' style='border-left:4px solid #555;padding:.3em .8em'>"
                          f"<strong>{h(t('Content note.', self.lang))}</strong> {_md(cn.get('text', ''))}"
                          f"{self.cite_html(cn.get('sources'))}{self.as_of_html(cn.get('as_of'))}</div>")
        if kind == "save-panel":
            return self._save_panel()
        if kind == "checklist":  # the reusable loaded-language and attribution checklist (notebook only)
            from .checklist import checklist_box

            return checklist_box()
        if kind == "sources":
            return W.HTML(self._sources_html())
        raise KeyError(item_id)

    def show(self, item_id: str):
        from IPython.display import display

        widget = self.render(item_id)
        widget.add_class("civicnb-item")
        widget.add_class(f"civicnb-item-{item_id}")  # stable hooks for styling and browser tests
        self.widgets[item_id] = widget
        # The plain-text copy is what shows where widgets cannot (a saved notebook viewed without its
        # kernel, a front end without widgets): one clear line, not "VBox(children=...)".
        bundle = widget._repr_mimebundle_() or {}
        bundle["text/plain"] = START_LINE
        display(bundle, raw=True)

    NAME_DELAY = 0.6  # seconds of no typing before the name is written (debounced save)

    def _header(self):
        import ipywidgets as W

        m = self.lesson.meta
        lang = self.lang
        name = W.Text(value=self.student, description=t("Your name", lang),
                      placeholder=t("First name and last initial", lang),
                      continuous_update=True, style={"description_width": "initial"})
        name.add_class("civicnb-name")
        status = W.HTML("" if self.student else f"<small role='status'>{h(t('Type your name first. It saves as you type.', lang))}</small>")
        status.add_class("civicnb-live")

        def save_name(value):
            try:
                self.store.set_student(value)
            except (OSError, ValueError) as e:  # disk full, read-only folder: say so, never fail silently
                status.value = (f"<div role='alert' style='border:2px solid #a00;padding:.3em'><strong>"
                                f"{h(t('Your name could NOT be saved ({error}). Tell your teacher. Work folder: {folder}', lang, error=getattr(e, 'strerror', None) or e, folder=self.store.folder))}"
                                f"</strong></div>")
                return
            status.value = (f"<small role='status'>{h(t('Saved. Your work is saved in', lang))} "
                            f"<code>{h(self.store.path)}</code>.</small>")

        def named(change):
            self.student = change["new"]
            self._schedule(save_name, change["new"])

        name.observe(named, names="value")
        warn = "".join(f"<div role='alert' style='border:2px solid #a00;padding:.4em'>{h(w)}</div>"
                       for w in self.messages)
        head = W.HTML(f"<h2 style='margin-bottom:0'>{h(t('Lesson', lang))} {h(m['id'])} · {h(m['title'])}</h2>"
                      f"<p><strong>{h(t('Essential question:', lang))}</strong> {_md(m['essential_question'])}<br>"
                      f"<small>{h(t('About {n} minutes. Facts as of {date}.', lang, n=m['minutes'], date=m['as_of']))} "
                      f"{h(t('Your answers save automatically to', lang))} <code>{h(self.store.path)}</code>.</small></p>{warn}")
        # the language switch: the whole lesson redraws in the chosen language; answers stay
        choice = W.ToggleButtons(options=[(LANG_NAMES[x], x) for x in LANGS], value=lang,
                                 description=t("Language / Idioma", lang), tooltips=[
                                     "Show this lesson in English", "Mostrar esta lección en español"][:len(LANGS)],
                                 style={"description_width": "initial", "button_width": "auto"})
        choice.add_class("civicnb-lang")

        def switched(change):
            if change["new"] and change["new"] != self.lang:
                self.set_lang(change["new"])

        choice.observe(switched, names="value")
        other = ""
        if lang != self.notebook_lang and lang != "en":  # the Markdown cells stay as saved: say where the full version is
            other = (f"<small role='note'>{h(t('The headings and short texts between the exercises stay in the language this notebook was saved in. The same lesson with every line in Spanish:', lang))} "
                     f"<code>notebooks/{h(lang)}/{h(self.lesson.name)}.ipynb</code></small>")
        box = W.VBox([head, choice, W.HTML(other), name, status])
        box.controls = {"name": name, "lang": choice}
        return box

    def _schedule(self, fn, value):
        """Debounce: the first change is written at once; further changes while the student is still
        typing are written once typing pauses for NAME_DELAY seconds (on the kernel's event loop, so the
        write runs between messages like any widget callback), and any still waiting at kernel shutdown
        is written then. Without a running loop, every change is written at once."""
        import asyncio
        import sys
        import time

        if self._name_timer is not None:
            self._name_timer.cancel()
            self._name_timer = None
        if sys.platform == "emscripten":  # the browser (static site): a page reload ends this kernel at
            fn(value)  # once, with no shutdown hook, so a write still waiting would be lost: write every change
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        now = time.monotonic()
        if loop is None or now - self._name_written > self.NAME_DELAY:
            self._name_written = now
            fn(value)
            return
        self._name_written = now
        self._name_timer = _Pending(loop, self.NAME_DELAY, fn, value)
        if not self._atexit:
            import atexit

            atexit.register(self.flush)
            self._atexit = True

    def flush(self):
        """Write anything still waiting (the name being typed)."""
        if self._name_timer is not None:
            self._name_timer.flush()

    def _save_panel(self):
        import ipywidgets as W

        lang = self.lang
        button = W.Button(description=t("Save my worksheet as PDF", lang), icon="file-pdf-o", layout=W.Layout(width="auto"),
                          tooltip=t("Makes a PDF of your answers in your work folder", lang))
        out = W.HTML()
        out.add_class("civicnb-live")
        link = W.Output()  # an output area, so JupyterLab turns the relative link into a download URL

        def export(_=None):
            import os

            from IPython.display import HTML, display

            from .handout.worksheet import export_worksheet

            link.clear_output()
            self.flush()
            if not (self.student or "").strip():
                out.value = (f"<div role='alert' style='border:2px solid #a00;padding:.3em'><strong>"
                             f"{h(t('Type your name in the “Your name” box at the top of the lesson first', lang))}"
                             f"</strong>{h(t(', then press this button again. Your teacher needs it to know whose work this is.', lang))}</div>")
                return
            out.value = f"<small role='status'>{h(t('Making your PDF…', lang))}</small>"
            try:
                if not self.store.path.exists():  # nothing answered yet: an empty worksheet is still a worksheet
                    self.store.set_student(self.student)
                pdf = Path(export_worksheet(self.project, self.store.path))
            except ImportError:  # the browser (static site): no native Typst there; its WebAssembly build
                from .handout.browser import in_browser

                if in_browser():
                    self._browser_pdf(out)
                    return
                out.value = ("<div role='alert'>This version of the lessons cannot make the PDF itself. Press "
                             "<strong>Download my work file</strong> below and hand the file in as your teacher "
                             "asks: your teacher turns it into your worksheet PDF.</div>")
                return
            except Exception as e:  # show, never crash the notebook
                out.value = f"<div role='alert'>{h(t('Could not make the PDF:', lang))} {h(e)}</div>"
                return
            out.value = (f"<div role='status'>{h(t('Done:', lang))} <strong>{h(pdf.name)}</strong> "
                         f"{h(t('is in', lang))} <code>{h(pdf.parent)}</code>. "
                         f"{h(t('Hand it in as your teacher asks (print it, or upload the PDF).', lang))}</div>")
            try:
                rel = pdf.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
            except ValueError:  # saved outside the notebook's folder: the path above is all we can give
                rel = None
            if rel:
                with link:
                    display(HTML(f"<a href='{html.escape(rel, quote=True)}' download='{html.escape(pdf.name, quote=True)}'>"
                                 f"{h(t('Download', lang))} {h(pdf.name)}</a>"))
            self.last_pdf = str(pdf)

        button.on_click(export)
        from .workfile import panel as workfile_panel  # Download / Load my work file (site: browser storage)

        files = workfile_panel(self)
        box = W.VBox([W.HTML(f"<p>{h(t('When you finish, save a copy of your answers as a PDF.', lang))}</p>"), button, out,
                      link, files])
        box.controls, box.export = {"button": button, **files.controls}, export
        return box

    def _browser_pdf(self, out):
        """The worksheet PDF made in the browser (Typst in WebAssembly), offered as a download link."""
        import asyncio
        import base64

        from .handout.browser import export_worksheet_browser

        out.value = ("<small role='status'>Making your PDF… The first time takes up to a minute (the browser "
                     "loads the PDF maker).</small>")

        async def run():
            try:
                pdf = await export_worksheet_browser(self.project, self.store.path)
                data = base64.b64encode(pdf.read_bytes()).decode("ascii")
            except Exception as e:  # show, never crash the notebook
                out.value = (f"<div role='alert'>Could not make the PDF: {h(e)}. Press <strong>Download my work "
                             "file</strong> below and hand that in instead.</div>")
                return
            name = html.escape(pdf.name, quote=True)
            out.value = (f"<div role='status'>Done: <a class='civicnb-worksheet-pdf' href='data:application/pdf;base64,"
                         f"{data}' download='{name}'>Download {h(pdf.name)}</a>. Hand it in as your teacher asks "
                         "(print it, or upload the PDF).</div>")
            self.last_pdf = str(pdf)

        self._pdf_task = asyncio.ensure_future(run())

    def _article_text(self):
        """The full article where a teacher supplied a copy; otherwise a note, and an upload box for the
        teacher (a .txt copy, checked against the paragraph map, saved where ``article_copy`` finds it)."""
        import ipywidgets as W

        text = W.HTML(self._article_html("article-text"))
        if self.project.article_copy() is not None or self.project.article is None:
            return text
        from .content.model import ARTICLE_COPY

        target = self.project.root / ARTICLE_COPY
        upload = W.FileUpload(accept=".txt,text/plain", multiple=False, description="Upload the article (.txt)",
                              layout=W.Layout(width="auto"))
        status = W.HTML()

        def uploaded(change):
            files = change["new"] or ()
            if not files:
                return
            f = files[0]
            try:
                body = bytes(f["content"]).decode("utf-8-sig")
            except UnicodeDecodeError:
                status.value = (f"<div role='alert'>{h(f.get('name'))} is not a UTF-8 text file. Save the article "
                                "as plain text (.txt, UTF-8) and upload it again.</div>")
                return
            from .content.article import copy_matches_map, parse_copy

            ok, msg = copy_matches_map(parse_copy(body, self.project.article), self.project.article)
            if not ok:
                status.value = f"<div role='alert'>{h(f.get('name'))}: {h(msg)} Nothing was saved.</div>"
                return
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".txt.tmp")
                tmp.write_text(body, encoding="utf-8")
                tmp.replace(target)
            except OSError as e:
                status.value = (f"<div role='alert'>Could not save the copy to {h(target)} "
                                f"({h(e.strerror or e)}). Save it there by hand, or set CIVICNB_ARTICLE.</div>")
                return
            text.value = self._article_html("article-text")
            box.children = (text, status)
            status.value = (f"<small role='status'>Saved as <code>{h(target)}</code>. Lessons opened from this "
                            "folder now show it.</small>")

        upload.observe(uploaded, names="value")
        teacher = W.HTML("<small><strong>Teachers:</strong> if you have your own copy of the article (for "
                         "example from your school's news database), save it as plain text and upload it here. "
                         "It stays on this computer or server and is never shared with the package.</small>")
        box = _text_box()([text, teacher, upload, status])
        box.controls = {"upload": upload}
        return box

    def _article_html(self, kind: str) -> str:
        art = self.project.article
        if art is None:
            return "<p><em>No article data (lessons/article/article.yml) in this package.</em></p>"
        c = art["citation"]
        if kind == "article-citation":
            lang = self.lang
            lacks = "".join(f"<li>{_md(x)}</li>" for x in c.get("lacks") or [])
            alt = (f"<br><small>{h(t('The page also shows a second headline: “{headline}”.', lang, headline=c['headline_alt']))}</small>"
                   if c.get("headline_alt") else "")
            date_note = c.get("date_note") if lang == "en" else None  # a teacher's note, kept in English
            return (f"<div class='civicnb-citation' style='border:1px solid #777;padding:.5em .8em'>"
                    f"<strong>{h(t('The article', lang))}</strong><br>“{h(c['headline'])}”{alt}<br>"
                    f"{h(c.get('byline', ''))} · {h(c['site'])} · {h(t(c['date'], lang) if c['date'] == 'undated' else c['date'])}"
                    f"{' — ' + _md(date_note) if date_note else ''}"
                    f"{self.cite_html([c['source']])}<br><strong>{h(t('What the page does not give you:', lang))}</strong>"
                    f"<ul>{lacks}</ul></div>")
        if kind == "article-map":
            rows = "".join(f"<tr><th scope='row' style='vertical-align:top;text-align:right;padding-right:.6em'>"
                           f"¶{p['n']}</th><td style='text-align:left'>{_md(p['summary'])}</td></tr>"
                           for p in art["paragraphs"])
            return (f"<table class='civicnb-map'><caption style='text-align:left'><strong>{h(t('Paragraph map', self.lang))}"
                    f"</strong> {h(t('(our summary of each paragraph, in our own words)', self.lang))}</caption>{rows}</table>")
        from .content.article import copy_matches_map, parse_copy

        path = self.project.article_copy()
        if path is None:
            msg = t("No copy of the full article has been supplied. Use the paragraph map above. (Teachers: see the "
                    "teacher notes for how to add your own copy.)", self.lang)
            return f"<div class='civicnb-note' role='note'><em>{h(msg)}</em></div>"
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
            out.append(f"<tr><td style='color:#666;text-align:right;vertical-align:top'><small>{h(t('line {n}', self.lang, n=b.line))}</small></td>"
                       f"<td style='text-align:right;vertical-align:top;padding:0 .5em'><strong>{num}</strong></td>"
                       f"<td style='text-align:left;{style}'>{h(b.text)}</td></tr>")
        warn = "" if ok else f"<div role='alert'>{h(msg)}</div>"
        return (f"<div class='civicnb-article-copy'><strong>{h(t('The article (copy supplied by your teacher)', self.lang))}</strong>"
                f"{warn}<table>{''.join(out)}</table></div>")

    def _sources_html(self) -> str:
        items = []
        for sid in self.lesson.cited_source_ids():
            s = self.project.sources.get(sid)
            if s:
                other = str(s.get("lang") or "en") != self.lang  # titles stay in their own language
                note = (" " + h(t({"es": "In Spanish.", "en": "In English."}.get(str(s.get("lang") or "en"),
                                                                               "In another language."), self.lang))
                        if other else "")
                items.append(f"<li>{h(s['publisher'])}, “{h(s['title'])}”, {h(s['date'])}. "
                             f"<a href='{html.escape(s['url'], quote=True)}' target='_blank' rel='noopener'>"
                             f"{h(s['url'])}</a>{' (' + h(t('read via', self.lang)) + ' ' + h(s['via']) + ')' if s.get('via') else ''}. "
                             f"{h(t('Accessed {date}.', self.lang, date=s['accessed']))}{note}</li>")
        return f"<div><strong>{h(t('Sources for this lesson', self.lang))}</strong><ol>{''.join(items)}</ol></div>"


@functools.lru_cache(maxsize=1)
def _text_box():
    import ipywidgets as W

    class TextBox(W.VBox):
        """A box whose first child is the HTML that matters; ``value`` reads it, as on an HTML widget."""

        @property
        def value(self):
            return self.children[0].value

    return TextBox


class _Pending:
    """One debounced call on an asyncio loop; ``flush`` runs it now if it has not run."""

    def __init__(self, loop, delay, fn, value):
        self.fn, self.value, self.done = fn, value, False
        self.handle = loop.call_later(delay, self.flush)

    def cancel(self):
        self.handle.cancel()
        self.done = True

    def flush(self):
        if not self.done:
            self.done = True
            self.handle.cancel()
            self.fn(self.value)


def open_lesson(name: str, work_dir=None, student: str | None = None, root=None,
                lang: str | None = None) -> LessonSession:
    """Open a lesson for a student. ``work_dir`` defaults to ``my-work/`` beside the notebook
    (or ``$CIVICNB_WORK_DIR``). ``lang`` (``"en"``/``"es"``) defaults to the student's saved choice,
    then to the class default ``$CIVICNB_LANG``."""
    return LessonSession(name, work_dir=work_dir, student=student, root=root, lang=lang)


__all__ = ["open_lesson", "LessonSession", "CorruptWorkFile"]
