"""A student's session in a real browser: JupyterLab driven by Debian's Chromium (Playwright).

One JupyterLab serves a temporary copy of ``lessons/`` and ``notebooks/`` (and, under ``mini/``, the
all-kinds fixture project for exercise kinds the real lessons do not use yet). For every lesson
notebook: open it, Run → Run All Cells, wait for the widgets, fail on any cell error, browser console
error or request to a host other than this JupyterLab, and save a screenshot to ``test-artifacts/``.
For one exercise of each kind: answer it with the mouse or keyboard, check the feedback shown and the
saved-work file on disk, then reload the page, Kernel → Restart Kernel and Run All Cells, and check
that the answer is back on screen.

Needs /usr/bin/chromium (``make browser-deps`` installs it). Without it these tests skip, except in
CI (``CI`` set), where they fail so that a missing browser cannot pass unnoticed.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, copy_project, env_with_src

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
WAIT_MS = 90_000  # a generous ceiling for slow CI machines; nothing is timed
LESSON_NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p.name != "index.ipynb")
MINI_NOTEBOOK = FIXTURES / "mini" / "notebooks" / "00-all-kinds.ipynb"
FAMILY = {"short_answer": "written", "long_answer": "written"}  # one of the pair is enough
ALL_FAMILIES = {"single_choice", "multi_select", "sort", "highlight", "written", "scale", "cer", "timeline"}
# JupyterLab's own debugger logs this when a kernel restart cancels its state request; it is a race
# inside JupyterLab (not this package) and the only console error tolerated.
JUPYTERLAB_NOISE = re.compile(r"^Could not restore the debugger state: Canceled future for debug_request message")
ERROR_RE = re.compile(r"Traceback \(most recent call last\)|^\s*\w*(Error|Exception)\b", re.M)


# -- which exercise of each kind is driven, and in which notebook ----------------------------------

def _show_ids(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [c["metadata"]["civicnb"]["show"] for c in nb["cells"]
            if c["cell_type"] == "code" and (c.get("metadata", {}).get("civicnb") or {}).get("show")]


def _lesson(nb_path: Path):
    from civicnb.content.model import Project

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return Project(nb_path.parent.parent).lesson(nb["metadata"]["civicnb"]["lesson"])


def _plan() -> dict[str, list[str]]:
    """Notebook (path relative to the served folder) -> ids of the exercises to drive in it: the first
    exercise of each kind family in the real lessons, then the fixture for the families left over."""
    plan: dict[str, list[str]] = {}
    covered: set[str] = set()
    notebooks = [(f"notebooks/{p.name}", p) for p in LESSON_NOTEBOOKS]
    notebooks.append((f"mini/notebooks/{MINI_NOTEBOOK.name}", MINI_NOTEBOOK))
    for rel, path in notebooks:
        exercises = _lesson(path).exercises
        for item in _show_ids(path):
            ex = exercises.get(item)
            if not ex or ex.get("kind") not in DRIVERS:
                continue
            family = FAMILY.get(ex["kind"], ex["kind"])
            if family not in covered:
                covered.add(family)
                plan.setdefault(rel, []).append(item)
    return plan


# -- helpers ---------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    """Compare rendered text with content text: drop the light-Markdown stars, squash spaces."""
    return " ".join(str(text).replace("*", "").split())


def _expect():
    from playwright.sync_api import expect

    return expect


def _feedback_says(box, status: str, message: str):
    from civicnb.exercises.base import STATUS_WORDS

    fb = box.locator(".civicnb-feedback[role=status]")
    _expect()(fb).to_contain_text(STATUS_WORDS[status], timeout=WAIT_MS)
    assert _norm(message) in _norm(fb.text_content()), (message, fb.text_content())


def _graded(ex, value, expected_status="correct"):
    from civicnb.exercises import kind_of

    status, message = kind_of(ex).grade(ex, value)
    assert status == expected_status, (ex["id"], status, message)
    return status, message


def _menu(page, top: str, item: str):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).first.click()


def _rows_with_select(box):
    rows = box.locator(".widget-hbox:has(select)")
    return [rows.nth(i) for i in range(rows.count())]


# -- one driver per exercise kind: answer, check the feedback, check the restored screen -------------
# ``answer`` returns the value the saved-work file must then hold.

class SingleChoice:
    def answer(self, page, box, ex):
        from civicnb.exercises.base import letters

        ids = [o["id"] for o in ex["options"]]
        letter = letters(len(ids))[ids.index(ex["key"]["answer"])]
        box.locator(".widget-radio-box label", has_text=re.compile(rf"^\s*{letter}\. ")).click()
        value = {"choice": ex["key"]["answer"]}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        checked = box.locator(".widget-radio-box input:checked")
        _expect()(checked).to_have_count(1, timeout=WAIT_MS)
        ids = [o["id"] for o in ex["options"]]
        assert checked.get_attribute("value") == str(ids.index(value["choice"]))
        _feedback_says(box, *_graded(ex, value))


class MultiSelect:
    def answer(self, page, box, ex):
        from civicnb.exercises.base import letters

        right = ex["key"]["answers"]
        for letter, opt in zip(letters(len(ex["options"])), ex["options"]):
            if opt["id"] in right:
                box.locator(".widget-checkbox span", has_text=re.compile(rf"^\s*{letter}\. ")).click()
        box.locator("button.widget-button", has_text="Check my").click()
        value = {"choices": [o["id"] for o in ex["options"] if o["id"] in right]}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        boxes = box.locator(".widget-checkbox input[type=checkbox]")
        _expect()(boxes).to_have_count(len(ex["options"]), timeout=WAIT_MS)
        for i, opt in enumerate(ex["options"]):
            (_expect()(boxes.nth(i)).to_be_checked if opt["id"] in value["choices"]
             else _expect()(boxes.nth(i)).not_to_be_checked)()
        _feedback_says(box, *_graded(ex, value))


class Sort:
    def _label(self, ex, cid):
        return next(c["label"] for c in ex["categories"] if c["id"] == cid)

    def _item(self, ex, row):
        text = _norm(row.locator(".widget-html").text_content())
        return next(it for it in ex["items"] if _norm(it["text"]) == text)

    def answer(self, page, box, ex):
        rows = _rows_with_select(box)
        assert len(rows) == len(ex["items"])
        for row in rows:
            row.locator("select").select_option(value=self._label(ex, self._item(ex, row)["answer"]))
        box.locator("button.widget-button", has_text="Check my").click()
        value = {"placements": {it["id"]: it["answer"] for it in ex["items"]}}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        for row in _rows_with_select(box):
            it = self._item(ex, row)
            _expect()(row.locator("select")).to_have_value(self._label(ex, value["placements"][it["id"]]))
        _feedback_says(box, *_graded(ex, value))


class Timeline(Sort):
    def _item(self, ex, row):
        text = _norm(row.locator(".widget-html").text_content())
        return next(e for e in ex["events"] if _norm(e["text"]) == text)

    def answer(self, page, box, ex):
        order = {e["id"]: n for n, e in enumerate(sorted(ex["events"], key=lambda e: e["date"]), 1)}
        rows = _rows_with_select(box)
        assert len(rows) == len(ex["events"])
        for row in rows:
            row.locator("select").select_option(value=str(order[self._item(ex, row)["id"]]))
        box.locator("button.widget-button", has_text="Check my").click()
        value = {"positions": order}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        for row in _rows_with_select(box):
            _expect()(row.locator("select")).to_have_value(str(value["positions"][self._item(ex, row)["id"]]))
        _feedback_says(box, *_graded(ex, value))


class Highlight:
    def answer(self, page, box, ex):
        from civicnb.exercises.highlight import target_tokens, tokens

        words = box.locator("button.widget-toggle-button")
        _expect()(words).to_have_count(len(tokens(ex["passage"])), timeout=WAIT_MS)
        chosen = sorted(set().union(*(target_tokens(ex["passage"], t["text"]) for t in ex["key"]["targets"])))
        for i in chosen:
            words.nth(i).click()
            _expect()(words.nth(i)).to_have_class(re.compile(r"\bmod-active\b"))
        box.locator("button.widget-button", has_text="Check my").click()
        value = {"selected": chosen}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        words = box.locator("button.widget-toggle-button")
        _expect()(words.first).to_be_attached(timeout=WAIT_MS)
        for i in range(words.count()):
            active = _expect()(words.nth(i))
            (active.to_have_class if i in value["selected"] else active.not_to_have_class)(
                re.compile(r"\bmod-active\b"))
        _feedback_says(box, *_graded(ex, value))


def _saved_words(box, n: int):
    status = box.locator("small[role=status]")
    _expect()(status).to_have_text(f"Saved · {n} word{'s' if n != 1 else ''}", timeout=WAIT_MS)


class Written:
    TEXT = "The headline says could, which is a guess and not a checked fact."

    def answer(self, page, box, ex):
        box.locator("textarea").first.click()
        page.keyboard.type(self.TEXT)
        _saved_words(box, len(self.TEXT.split()))
        return {"text": self.TEXT}

    def restored(self, page, box, ex, value):
        _expect()(box.locator("textarea").first).to_have_value(value["text"], timeout=WAIT_MS)
        _saved_words(box, len(value["text"].split()))


class CER:
    PARTS = {"claim": "Yes, it is raining.", "evidence": "The streets are wet in the photo.",
             "reasoning": "Rain is the usual reason streets get wet."}

    def answer(self, page, box, ex):
        areas = box.locator("textarea")
        _expect()(areas).to_have_count(3, timeout=WAIT_MS)
        for i, text in enumerate(self.PARTS.values()):
            areas.nth(i).click()
            page.keyboard.type(text)
        _saved_words(box, len(" ".join(self.PARTS.values()).split()))
        return dict(self.PARTS)

    def restored(self, page, box, ex, value):
        areas = box.locator("textarea")
        for i, part in enumerate(self.PARTS):
            _expect()(areas.nth(i)).to_have_value(value[part], timeout=WAIT_MS)


class Scale:
    def answer(self, page, box, ex):
        from civicnb.exercises.written import Scale as ScaleKind

        labels = ScaleKind().labels(ex)
        pick = len(labels) - 2  # "Agree" on the default scale
        box.locator(".widget-toggle-buttons").first.get_by_role("button", name=labels[pick], exact=True).click()
        fb = box.locator(".civicnb-feedback[role=status]")
        _expect()(fb).to_contain_text(f"Saved. You answered 1 of {len(ex['statements'])}.", timeout=WAIT_MS)
        return {"ratings": {ex["statements"][0]["id"]: pick}}

    def restored(self, page, box, ex, value):
        pick = value["ratings"][ex["statements"][0]["id"]]
        buttons = box.locator(".widget-toggle-buttons").first.locator("button")
        _expect()(buttons.nth(pick)).to_have_class(re.compile(r"\bmod-active\b"), timeout=WAIT_MS)
        _expect()(box.locator(".widget-toggle-buttons button.mod-active")).to_have_count(1)


DRIVERS = {"single_choice": SingleChoice(), "multi_select": MultiSelect(), "sort": Sort(),
           "highlight": Highlight(), "short_answer": Written(), "long_answer": Written(), "scale": Scale(),
           "cer": CER(), "timeline": Timeline()}
PLAN = _plan()


# -- the served copy, JupyterLab and Chromium --------------------------------------------------------

def _need_browser():
    if not CHROMIUM.exists():
        msg = ("Debian's Chromium is not installed (/usr/bin/chromium), so the browser tests cannot run. "
               "Run `make browser-deps` as root, or `sudo apt-get install chromium`.")
        if os.environ.get("CI"):
            pytest.fail(msg + " In CI `make test` must install it.")
        pytest.skip(msg)
    pytest.importorskip("playwright.sync_api", reason="the Python playwright package (the `test` extra) is missing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path):
    """JupyterLab user settings for the test server: no autosave (a reload then shows the notebook as
    saved on disk, as after a closed tab), and no news prompt over the page."""
    for plugin, values in {"@jupyterlab/docmanager-extension/plugin": {"autosave": False},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                                           "checkForUpdates": False}}.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _need_browser()
    base = tmp_path_factory.mktemp("browser")
    served = copy_project(ROOT, base / "served")
    copy_project(FIXTURES / "mini", served / "mini")
    env = env_with_src()
    for var in ("CIVICNB_WORK_DIR", "CIVICNB_ROOT", "CIVICNB_STUDENT"):
        env.pop(var, None)  # work lands in notebooks/my-work/ of the served copy, as for a student
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
        env[var] = str(base / "jupyter" / var.lower())  # no personal config, kernels or workspaces
    _settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    port, token = _free_port(), secrets.token_hex(16)
    log_path = base / "jupyterlab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
             "--allow-root", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield {"url": url, "token": token, "root": served, "log": log_path}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        yield context
        context.close()
    finally:
        pw.stop()


class Watched:
    """A page with what went wrong on it: console errors, page errors, requests to other hosts."""

    def __init__(self, context, lab):
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and not JUPYTERLAB_NOISE.match(m.text)
                     and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: d.accept())  # "leave this page?" on reload with unsaved changes
        local = (lab["url"] + "/", "data:", "blob:", "about:")

        def request(r):
            if not r.url.startswith(local) and r.url != lab["url"]:
                self.problems.append(f"request to another host: {r.url}")

        self.page.on("request", request)

    def check(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def watched(browser, lab):
    w = Watched(browser, lab)
    yield w
    w.page.close()


def _open(w: Watched, lab, rel: str):
    w.page.goto(f"{lab['url']}/lab/tree/{rel}?reset&token={lab['token']}")
    _expect()(w.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first
              ).to_be_attached(timeout=WAIT_MS)


def _idle(page):
    _expect()(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=WAIT_MS)


def _wait_for_widgets(page, show_ids: list[str]):
    items = page.locator(".civicnb-item")
    _expect()(items).to_have_count(len(show_ids), timeout=WAIT_MS)
    for item in show_ids:
        _expect()(page.locator(f".civicnb-item-{item}")).to_have_count(1)
    _idle(page)


def _no_cell_errors(page):
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    errors = [t for t in stderr.all_inner_texts() if ERROR_RE.search(t)]
    assert not errors, "cell error output:\n" + "\n---\n".join(errors)
    assert page.get_by_text("Error displaying widget").count() == 0


def _read_work(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _answer_file(work_file: Path, ex) -> Path:
    """Where an answer is saved: poll answers go to the nameless poll file (private polls)."""
    from civicnb.work.store import poll_file_for

    return poll_file_for(work_file) if ex["kind"] == "scale" else work_file


def _saved_value(data: dict, item: str):
    entry = (data.get("answers") or {}).get(item)
    if data.get("format") == "civicnb-polls/1":  # a poll file holds the answers themselves
        return entry
    return (entry or {}).get("value")


def _wait_saved(path: Path, before: str | None, check) -> dict:
    """Poll the work file (bounded) until ``check(data)`` holds; it must differ from ``before``."""
    deadline = time.monotonic() + 60
    while True:
        data = _read_work(path)
        if data and check(data):
            assert path.read_text(encoding="utf-8") != before
            return data
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never held the answer; it holds: {json.dumps(data)[:2000]}")
        time.sleep(0.2)


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


# -- the tests ----------------------------------------------------------------------------------------

def test_every_kind_is_driven():
    """The plan below covers every kind family once (from the real lessons where they have it)."""
    families = set()
    for rel, items in PLAN.items():
        lesson = _lesson((FIXTURES if rel.startswith("mini/") else ROOT) / rel)
        families |= {FAMILY.get(lesson.exercises[i]["kind"], lesson.exercises[i]["kind"]) for i in items}
    assert families == ALL_FAMILIES


def test_start_page_links_every_lesson(lab, watched):
    page = watched.page
    _open(watched, lab, "notebooks/index.ipynb")
    links = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown a")
    _expect()(links.first).to_be_attached(timeout=WAIT_MS)
    hrefs = [h.split("?")[0].split("#")[0] for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
    for nb in LESSON_NOTEBOOKS:
        assert any(h == nb.name or h.endswith("/" + nb.name) for h in hrefs), f"index.ipynb does not link {nb.name}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-index.png"))
    first = LESSON_NOTEBOOKS[0].name
    page.locator(".jp-RenderedMarkdown a", has_text=first).first.click()  # the link opens the lesson in a tab
    _expect()(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")).to_have_text(first, timeout=WAIT_MS)
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_attached()
    watched.check()


@pytest.mark.parametrize("rel", [p.relative_to(ROOT).as_posix() for p in LESSON_NOTEBOOKS]
                         + [r for r in PLAN if r.startswith("mini/")],
                         ids=lambda r: Path(r).stem)
def test_lesson_in_the_browser(lab, watched, rel):
    page, served = watched.page, lab["root"]
    nb_path = served / rel
    show_ids = _show_ids(nb_path)
    lesson = _lesson(nb_path)
    work_file = nb_path.parent / "my-work" / f"{lesson.name}.json"
    planned = PLAN.get(rel, [])

    _open(watched, lab, rel)
    _idle(page)
    _menu(page, "Run", "Run All Cells")
    _wait_for_widgets(page, show_ids)
    _no_cell_errors(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".civicnb-item-header").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"browser-{Path(rel).stem}.png"))

    # the student types their name; it is saved with the work
    name = "Ana R."
    before = work_file.read_text(encoding="utf-8") if work_file.exists() else None
    field = page.locator(".civicnb-item-header input[type=text]")
    field.click()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    _expect()(page.locator(".civicnb-item-header [role=status]")).to_contain_text("Saved.")
    _wait_saved(work_file, before, lambda d: d.get("student") == name)

    answers = {}
    for item in planned:
        ex = lesson.exercises[item]
        box = page.locator(f".civicnb-item-{item}")
        classes = box.evaluate("e => [...e.classList]")
        assert {"civicnb-exercise", f"civicnb-kind-{ex['kind']}", "civicnb-item"} <= set(classes), classes
        target = _answer_file(work_file, ex)
        before = target.read_text(encoding="utf-8") if target.exists() else None
        value = DRIVERS[ex["kind"]].answer(page, box, ex)
        _wait_saved(target, before, lambda d: _same(_saved_value(d, item), value))
        box.screenshot(path=str(ARTIFACTS / f"browser-{Path(rel).stem}-{item}.png"))
        answers[item] = value
    watched.check()

    # close and come back: reload the page, then restart the kernel and run everything again
    page.reload()
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_attached(timeout=WAIT_MS)
    _idle(page)
    _menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    _wait_for_widgets(page, show_ids)
    _no_cell_errors(page)
    _expect()(page.locator(".civicnb-item-header input[type=text]")).to_have_value(name)
    for item, value in answers.items():
        ex = lesson.exercises[item]
        DRIVERS[ex["kind"]].restored(page, page.locator(f".civicnb-item-{item}"), ex, value)
    for item, value in answers.items():  # restoring wrote nothing over the answers
        saved = _read_work(_answer_file(work_file, lesson.exercises[item]))
        assert _same(_saved_value(saved, item), value)
    page.screenshot(path=str(ARTIFACTS / f"browser-{Path(rel).stem}-restored.png"))
    watched.check()


def test_worksheet_download_link(lab, watched):
    """The Save-my-worksheet button makes the PDF, and its link downloads it through JupyterLab."""
    page = watched.page
    rel = LESSON_NOTEBOOKS[0].relative_to(ROOT).as_posix()
    _open(watched, lab, rel)
    _idle(page)
    _menu(page, "Run", "Run All Cells")
    _wait_for_widgets(page, _show_ids(lab["root"] / rel))
    panel = page.locator(".civicnb-item-save-panel")
    panel.scroll_into_view_if_needed()
    panel.get_by_role("button", name="Save my worksheet as PDF").click()
    _expect()(panel.locator("[role=status]")).to_contain_text("Done", timeout=WAIT_MS)
    link = panel.locator("a", has_text="Download")
    _expect()(link).to_be_attached(timeout=WAIT_MS)
    href = link.get_attribute("href")
    assert href and "/files/" in href, href  # JupyterLab turned the relative link into a download URL
    url = href if href.startswith("http") else lab["url"] + href
    response = page.request.get(url + ("&" if "?" in url else "?") + f"token={lab['token']}")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(ARTIFACTS / "browser-save-panel.png"))
    watched.check()
