"""The static site (``make site``) in a real browser: JupyterLite with Pyodide, no server but a file server.

Builds the site into a temporary folder (tools/build_site.py, as ``make site`` does, with the handouts
that are there), serves it on 127.0.0.1 with Python's file server, and drives Debian's Chromium with every
request to any other host blocked (route abort) and counted; the test fails on any such request and on
any browser console error. For every lesson: open it from the landing page's link, wait until the lesson
runs by itself in the browser's Python, type a name, answer one exercise of each kind the lessons have
(Check pressed where there is one, the feedback checked), reload the page and find every answer back.
Then the browser is closed and started again with the same profile (answers still there); "Save my
worksheet as PDF" makes the PDF in the browser (Typst in WebAssembly) and it is downloaded; the work file
is downloaded with "Download my work file" and turned into the worksheet PDF with ``civicnb
export-work`` (the server's route): its text is checked, and the browser's PDF must have the same name
and the same text; last, the work file is loaded into a fresh browser with "Load my work file".

Needs /usr/bin/chromium and the site builder (.venv-site, tools/site/node_modules: ``make site-deps``,
which ``make test`` runs). Without them the test skips, except in CI, where it fails.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, pdf_text
from .test_browser import (CHROMIUM, CHROMIUM_ARGS, DRIVERS, FAMILY, WAIT_MS, _expect, _free_port, _lesson,
                           _need_browser, _show_ids)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts"
SITE_JUPYTER = ROOT / ".venv-site" / "bin" / "jupyter"
LESSONS = sorted(p for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
NAME = "Ana R."


def _plan() -> dict[str, list[str]]:
    """Lesson notebook -> the exercises to answer there: the first exercise of each kind the lessons have."""
    plan, covered = {}, set()
    for nb in LESSONS:
        exercises = _lesson(nb).exercises
        for item in _show_ids(nb):
            ex = exercises.get(item)
            if ex and ex.get("kind") in DRIVERS:
                family = FAMILY.get(ex["kind"], ex["kind"])
                if family not in covered:
                    covered.add(family)
                    plan.setdefault(nb.name, []).append(item)
    return plan


PLAN = _plan()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _need_browser()
    missing = [p for p in (SITE_JUPYTER, ROOT / "tools/site/node_modules/pyodide/pyodide.mjs") if not p.exists()]
    if missing:
        msg = f"the site builder is not installed ({', '.join(map(str, missing))}): run `make site-deps`"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    out = tmp_path_factory.mktemp("site") / "site"
    # as `make site` runs it: the jupyter command given relative to the project folder (an absolute path
    # here hid that the builder ran it from another folder, where the relative path did not exist)
    r = subprocess.run([sys.executable, str(ROOT / "tools/build_site.py"), "--jupyter",
                        str(SITE_JUPYTER.relative_to(ROOT)), "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs" and kernel["disablePyPIFallback"] is True
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "-b", "127.0.0.1", "-d", str(out), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the file server did not start")
                time.sleep(0.2)
        yield {"url": url, "dir": out}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Browser:
    """Chromium with a profile that outlives one launch (browser storage), every other host blocked."""

    def __init__(self, pw, profile: Path, base: str):
        self.base, self.problems, self.blocked = base, [], []
        self.context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 768}, accept_downloads=True)
        self.context.set_default_timeout(WAIT_MS)

        def route(r):
            u = r.request.url
            if u.startswith((base, "data:", "blob:")):
                r.continue_()
            else:
                self.blocked.append(u)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.context.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("dialog", lambda d: d.accept())
        self.page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                     else self.problems.append(f"request to another host: {r.url}"))

    def check(self):
        assert not self.problems and not self.blocked, "\n".join(self.problems + self.blocked)

    def close(self):
        self.context.close()


def _ready(page, show_ids):
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden).civicnb-lesson.civicnb-live")
              ).to_have_count(1, timeout=WAIT_MS * 2)
    _expect()(page.locator(".civicnb-item")).to_have_count(len(show_ids), timeout=WAIT_MS)
    _expect()(page.locator(".jp-NotebookPanel")).to_have_count(1)  # one lesson (and one kernel) per page
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.all_inner_texts()
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0


def _settled(page, box, ex, value):
    """Typed answers save on every key, and the "Saved · N words" line can show the final count while the
    last keys of the final word are still on their way to the browser's Python (a reload then would lose
    them, as it would for a student who reloads mid-word). End with a one-letter word, so the count
    changes on the very last key, and wait for it."""
    from .test_browser import _saved_words

    if ex["kind"] in ("short_answer", "long_answer", "cer"):
        key = "text" if "text" in value else "reasoning"
        area = box.locator("textarea").nth(0 if key == "text" else 2)
        area.click()
        page.keyboard.press("End")
        page.keyboard.type(" x")
        value = dict(value, **{key: value[key] + " x"})
        words = len(value["text"].split()) if key == "text" else len(" ".join(value[k] for k in ("claim", "evidence", "reasoning")).split())
        _saved_words(box, words)
    return value


def _all_saved(page, lesson):
    """Wait until the browser's Python has handled every key sent so far: "Download my work file" is
    answered after them (messages are handled in order), and its link holds the saved work file."""
    import base64

    panel = page.locator(".civicnb-item-save-panel")
    panel.scroll_into_view_if_needed()
    old = panel.locator("a.civicnb-download-work")
    before = old.get_attribute("href") if old.count() else None
    panel.get_by_role("button", name="Download my work file").click()
    page.wait_for_function("([sel, before]) => { const a = document.querySelector(sel); "
                           "return a && a.getAttribute('href') !== before; }",
                           arg=[".civicnb-item-save-panel a.civicnb-download-work", before])
    href = panel.locator("a.civicnb-download-work").get_attribute("href")
    data = json.loads(base64.b64decode(href.split("base64,", 1)[1]))
    assert data["student"] == NAME and data["lesson"] == lesson.name, data


def _open_from_landing(b: Browser, nb_name: str):
    b.page.goto(b.base)
    link = b.page.locator(f"a[href='notebooks/index.html?path={nb_name}']")
    _expect()(link).to_have_count(1)
    link.click()


def _name(page):
    return page.locator(".civicnb-item-header input[type=text]")


def test_site_in_the_browser(site, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path / "profile"
    answers: dict[str, dict] = {}
    with sync_playwright() as pw:
        b = Browser(pw, profile, site["url"])
        page = b.page
        # the landing page: every lesson, every handout, where work lives
        page.goto(site["url"])
        _expect()(page.locator("text=saved in this browser")).to_have_count(1)
        _expect()(page.locator("text=deletes your answers")).to_have_count(1)
        for pdf in (site["dir"] / "handouts").glob("*.pdf"):
            assert page.locator(f"a[href='handouts/{pdf.name}'][download]").count() == 1
        for nb in LESSONS:
            show_ids, lesson = _show_ids(nb), _lesson(nb)
            _open_from_landing(b, nb.name)
            _ready(page, show_ids)
            page.screenshot(path=str(ARTIFACTS / f"site-{nb.stem}.png"))
            _name(page).click()
            page.keyboard.type(NAME)
            _expect()(page.locator(".civicnb-item-header [role=status]")).to_contain_text("Saved.")
            answers[nb.name] = {}
            for item in PLAN.get(nb.name, []):
                ex = lesson.exercises[item]
                box = page.locator(f".civicnb-item-{item}")
                box.scroll_into_view_if_needed()
                answers[nb.name][item] = _settled(page, box, ex, DRIVERS[ex["kind"]].answer(page, box, ex))
            _all_saved(page, lesson)
            b.check()
            page.reload()
            _ready(page, show_ids)
            _expect()(_name(page)).to_have_value(NAME)
            for item, value in answers[nb.name].items():
                ex = lesson.exercises[item]
                DRIVERS[ex["kind"]].restored(page, page.locator(f".civicnb-item-{item}"), ex, value)
            page.screenshot(path=str(ARTIFACTS / f"site-{nb.stem}-reloaded.png"))
            b.check()
        b.close()

        # the browser is closed and started again: the work is still in its storage
        first = LESSONS[0]
        b = Browser(pw, profile, site["url"])
        page = b.page
        _open_from_landing(b, first.name)
        _ready(page, _show_ids(first))
        _expect()(_name(page)).to_have_value(NAME)
        lesson = _lesson(first)
        for item, value in answers[first.name].items():
            ex = lesson.exercises[item]
            DRIVERS[ex["kind"]].restored(page, page.locator(f".civicnb-item-{item}"), ex, value)

        # Save my worksheet as PDF, in the browser (Typst in WebAssembly)
        panel = page.locator(".civicnb-item-save-panel")
        panel.scroll_into_view_if_needed()
        panel.get_by_role("button", name="Save my worksheet as PDF").click()
        pdf_link = panel.locator("a.civicnb-worksheet-pdf")
        _expect()(pdf_link).to_be_attached(timeout=WAIT_MS * 3)
        with page.expect_download() as d:
            pdf_link.click()
        browser_pdf = tmp_path / "browser" / d.value.suggested_filename
        browser_pdf.parent.mkdir()
        d.value.save_as(browser_pdf)
        assert browser_pdf.read_bytes()[:5] == b"%PDF-"
        # Download my work file, and the teacher's worksheet from it
        panel.get_by_role("button", name="Download my work file").click()
        link = panel.locator("a.civicnb-download-work")
        _expect()(link).to_be_attached()
        with page.expect_download() as d:
            link.click()
        saved = tmp_path / "collected" / d.value.suggested_filename
        saved.parent.mkdir()
        d.value.save_as(saved)
        data = json.loads(saved.read_text())
        assert data["student"] == NAME and data["lesson"] == lesson.name
        named = {k for k in answers[first.name] if lesson.exercises[k]["kind"] != "scale"}  # polls stay private
        assert named and named <= set(data["answers"]) and not set(answers[first.name]) - named & set(data["answers"])
        panel.screenshot(path=str(ARTIFACTS / "site-save-panel.png"))
        b.check()
        b.close()

        civicnb = Path(sys.executable).parent / "civicnb"
        r = subprocess.run([str(civicnb), "export-work", str(saved), "--out", str(tmp_path / "sheets")],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stdout + r.stderr
        sheets = list((tmp_path / "sheets").glob("*.pdf"))
        assert len(sheets) == 1, r.stdout
        text = pdf_text(sheets[0])
        assert NAME in text
        written = [v["text"] for v in answers[first.name].values() if isinstance(v, dict) and "text" in v]
        for w in written:
            assert " ".join(w.split()[:4]) in " ".join(text.split()), w
        # the browser's PDF is the server route's worksheet: same name, same text
        assert browser_pdf.name == sheets[0].name
        assert " ".join(pdf_text(browser_pdf).split()) == " ".join(text.split())

        # Load my work file into a fresh browser (another computer): the answers come back
        b = Browser(pw, tmp_path / "profile-2", site["url"])
        page = b.page
        _open_from_landing(b, first.name)
        _ready(page, _show_ids(first))
        panel = page.locator(".civicnb-item-save-panel")
        panel.scroll_into_view_if_needed()
        with page.expect_file_chooser() as chooser:  # ipywidgets' upload button opens the system's chooser
            panel.locator("button.widget-upload", has_text=re.compile(r"^\s*Load my work file")).click()
        chooser.value.set_files(str(saved))
        _expect()(panel.locator("[role=status]", has_text="Loaded")).to_have_count(1)
        page.reload()
        _ready(page, _show_ids(first))
        _expect()(_name(page)).to_have_value(NAME)
        for item, value in answers[first.name].items():
            ex = lesson.exercises[item]
            if item in named:  # a private poll answer stays in the first browser
                DRIVERS[ex["kind"]].restored(page, page.locator(f".civicnb-item-{item}"), ex, value)
        b.check()
        b.close()
