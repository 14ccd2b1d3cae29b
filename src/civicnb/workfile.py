"""Download my work file / Load my work file: move a lesson's answers between browsers and computers.

On the static site (JupyterLite) the work file lives in the browser's storage, in one browser on one
computer. These two controls, shown at the end of every lesson, let a student keep a copy, carry their
work to another computer, or hand the file to a teacher (for ``civicnb summary`` and ``export-work``).
They work the same in JupyterLab on a server.

- **Download** builds a link to the work file's bytes (a ``data:`` URL, so nothing is asked of a server)
  named ``<lesson>.json`` (``<lesson>--<name>.json`` where the store names files per student).
- **Load** reads a chosen file with the same checks as every read (UTF-8 JSON of the work-file shape,
  for this lesson, every answer fitting its exercise); a bad file is refused with one line saying why,
  and nothing changes. A good one replaces the work file, after the current file (if any) is kept as
  ``<name>.before-load-<time>.json`` in the same folder, so loading never loses work. The answers show
  when the lesson runs again (a page reload does it).

Poll answers are private and are not in the work file, so they are not in the download either.
"""
from __future__ import annotations

import base64
import datetime as dt
import html

from .i18n import t

MAX_UPLOAD = 2 * 1024 * 1024  # a work file is a few kilobytes


def browser_storage_warnings(folder) -> list[str]:
    """In the browser (JupyterLite's Pyodide kernel) the work folder is kept only when it is on the
    browser-storage drive (``/drive``, mounted through JupyterLite's service worker). Where the browser
    blocks that (a private window in some browsers, a policy that disables service workers), the kernel
    works in memory and every answer would vanish on reload: say so, at the top of the lesson."""
    import os
    import sys

    if sys.platform != "emscripten":
        return []
    path = os.path.abspath(os.fspath(folder))
    if path == "/drive" or path.startswith("/drive/"):
        return []
    return [f"This browser is not keeping your answers: they are in {path}, in memory only, and will be "
            "gone when you reload or close the page (the browser blocked the storage the lessons use, as "
            "some private windows do). Use a normal window, or press Download my work file before you "
            "leave."]


def download_link(store, lang: str = "en") -> str:
    """HTML for a link that downloads the work file as it is now (or a note when nothing is saved yet)."""
    try:
        raw = store.path.read_bytes()
    except FileNotFoundError:
        return f"<small role='status'>{html.escape(t('Nothing is saved yet: answer something first.', lang))}</small>"
    except OSError as e:
        return f"<div role='alert'>Could not read your work file: {html.escape(str(e))}</div>"
    href = "data:application/json;base64," + base64.b64encode(raw).decode("ascii")
    name = html.escape(store.path.name, quote=True)
    return (f"<a class='civicnb-download-work' href='{href}' download='{name}'>{html.escape(t('Download', lang))} {name}</a> "
            f"<small>({len(raw):,} bytes). {html.escape(t('Keep it, or hand it in as your teacher asks.', lang))}</small>")


def load_work_file(session, raw: bytes, filename: str) -> str:
    """Check ``raw`` as a work file for this lesson and make it the work file. Returns the message to
    show; raises ValueError with one line saying why a file was refused (nothing is changed then)."""
    from .work.store import WorkFileError, _parse, check_answers

    label = filename or "the file"
    if len(raw) > MAX_UPLOAD:
        raise ValueError(f"{label} is too big to be a work file ({len(raw):,} bytes).")
    try:
        data = _parse(raw, label, strict=True)
    except WorkFileError as e:
        raise ValueError(f"{label} was not loaded: {e.reason}.") from None
    lesson = session.lesson.name
    if data["lesson"] != lesson:
        raise ValueError(f"{label} is the work file of lesson {data['lesson']!r}, not of this lesson "
                         f"({lesson!r}). Open that lesson and load it there.")
    why = check_answers(session.lesson, data)
    if why:
        raise ValueError(f"{label} was not loaded: {why}.")
    store = session.store
    session.flush()
    kept = ""
    if store.path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = store.path.with_name(f"{store.path.stem}.before-load-{stamp}.json")
        store.path.replace(backup)
        kept = f" Your earlier answers here are kept in {backup.name}."
    store._write(data)
    n = len(data["answers"])
    who = f" for {data['student']}" if data.get("student") else ""
    return (f"Loaded {n} answer{'s' if n != 1 else ''}{who} from {filename}.{kept} "
            "Reload the page to see them in the lesson.")


def panel(session):
    """The two controls, as one ipywidgets box."""
    import ipywidgets as W

    lang = getattr(session, "lang", "en") or "en"
    link = W.HTML()
    get = W.Button(description=t("Download my work file", lang), icon="download", layout=W.Layout(width="auto"),
                   tooltip=t("Makes a link to a copy of your answers (a .json file)", lang))
    upload = W.FileUpload(accept=".json,application/json", multiple=False, description=t("Load my work file", lang),
                          layout=W.Layout(width="auto"))
    said = W.HTML()

    def make_link(_=None):
        session.flush()
        link.value = download_link(session.store, lang)

    def loaded(change):
        files = change["new"]
        if not files:
            return
        f = files[0]
        name = getattr(f, "name", None) or f.get("name", "")
        content = getattr(f, "content", None)
        if content is None:
            content = f.get("content")
        try:
            msg = load_work_file(session, bytes(content), name)
            said.value = f"<div role='status'>{html.escape(msg)}</div>"
        except ValueError as e:
            said.value = f"<div role='alert' style='border:2px solid #a00;padding:.3em'>{html.escape(str(e))}</div>"
        except OSError as e:
            said.value = f"<div role='alert'>Could not save the loaded answers: {html.escape(str(e))}</div>"
        upload.value = ()

    get.on_click(make_link)
    upload.observe(loaded, names="value")
    box = W.VBox([W.HTML("<p>" + html.escape(t("Your work file holds your answers. Download it to keep a copy, to "
                                                "move to another computer, or to hand in. On the other computer, "
                                                "load it into the same lesson.", lang)) + "</p>"),
                  W.HBox([get, upload]), link, said])
    box.add_class("civicnb-workfile")
    box.controls = {"download": get, "upload": upload}
    return box
