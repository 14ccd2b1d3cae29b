"""A student's session in a real browser: JupyterLab driven by Debian's Chromium (Playwright).

One JupyterLab (with the package's civicnb-lab extension and settings, as a student gets them) serves a
temporary copy of ``lessons/`` and ``notebooks/`` (and, under ``mini/``, the all-kinds fixture project for
exercise kinds the real lessons do not use yet), in a 1366x768 window (a typical Chromebook). For every
lesson notebook: open it and wait for the lesson to start by itself (nobody presses Run All), fail on
any cell error, browser console error, "Error displaying widget" (watched all the time, not only at the
end) or request to a host other than this JupyterLab, and save screenshots to ``test-artifacts/``.
The student types their name (no Enter); for one exercise of each kind: answer it with the mouse or
keyboard, press Check where there is one, check the feedback and the saved-work file on disk. Then:
save, close the tab with Discard, stop the kernel, reopen (the next day); restart the kernel; reload the
page; each time the lesson comes back by itself with every answer on screen. Other tests: keys pressed
in an exercise never change the notebook; the code stubs are hidden and cannot be edited; a blank name
blocks the worksheet; the news prompt and update check stay off.

Needs /usr/bin/chromium (``make browser-deps`` installs it). Without it these tests skip, except in
CI (``CI`` set), where they fail so that a missing browser cannot pass unnoticed.
"""
from __future__ import annotations

import json
import os
import re
import secrets
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
ALL_FAMILIES = {"single_choice", "multi_select", "sort", "highlight", "written", "scale", "cer", "timeline",
                "verdict"}
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
        _expect()(box.locator(".widget-radio-box input:checked")).to_have_count(1, timeout=WAIT_MS)
        assert box.locator(".civicnb-feedback").count() == 0  # a click is not graded; Check is
        box.locator("button.widget-button", has_text="Check my").click()
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


class Verdict:
    REASON = "Note 2 is from a court record and it adds what the claim leaves out."

    def _index(self, ex):
        from civicnb.exercises.verdict import VERDICTS

        return [v for v, _, _ in VERDICTS].index(ex["_claim"]["verdict"])

    def answer(self, page, box, ex):
        radios = box.locator(".widget-radio-box input[type=radio]")
        _expect()(radios).to_have_count(5, timeout=WAIT_MS)
        box.scroll_into_view_if_needed()
        # the five-verdict scale is on the card itself: each choice says what the verdict means
        for label in box.locator(".widget-radio-box label").all_text_contents():
            assert ":" in label and len(label) > 30, label
        radios.nth(self._index(ex)).click()
        box.locator("textarea").click()
        page.keyboard.type(self.REASON)
        assert box.locator(".civicnb-feedback").count() == 0  # graded on Check only
        box.locator("button.widget-button", has_text="Check my").click()
        value = {"verdict": ex["_claim"]["verdict"], "reason": self.REASON}
        _feedback_says(box, *_graded(ex, value))
        return value

    def restored(self, page, box, ex, value):
        checked = box.locator(".widget-radio-box input:checked")
        _expect()(checked).to_have_count(1, timeout=WAIT_MS)
        assert checked.get_attribute("value") == str(self._index(ex))
        _expect()(box.locator("textarea")).to_have_value(value["reason"])
        _feedback_says(box, *_graded(ex, value))


class Scale:
    def answer(self, page, box, ex):
        from civicnb.exercises.written import Scale as ScaleKind

        labels = ScaleKind().labels(ex)
        pick = len(labels) - 2  # "Agree" on the default scale
        # a poll statement is a radio group (labextension a11y.ts): its buttons are radios
        box.locator(".widget-toggle-buttons").first.get_by_role("radio", name=labels[pick], exact=True).click()
        fb = box.locator(".civicnb-feedback[role=status]")
        _expect()(fb).to_contain_text(f"Saved. You answered 1 of {len(ex['statements'])}.", timeout=WAIT_MS)
        assert "Correct" not in fb.inner_text() and "✔" not in fb.inner_text()  # a poll has no right answer
        return {"ratings": {ex["statements"][0]["id"]: pick}}

    def restored(self, page, box, ex, value):
        pick = value["ratings"][ex["statements"][0]["id"]]
        buttons = box.locator(".widget-toggle-buttons").first.locator("button")
        _expect()(buttons.nth(pick)).to_have_class(re.compile(r"\bmod-active\b"), timeout=WAIT_MS)
        _expect()(box.locator(".widget-toggle-buttons button.mod-active")).to_have_count(1)


DRIVERS = {"single_choice": SingleChoice(), "multi_select": MultiSelect(), "sort": Sort(),
           "highlight": Highlight(), "short_answer": Written(), "long_answer": Written(), "scale": Scale(),
           "cer": CER(), "timeline": Timeline(), "verdict": Verdict()}
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
    saved on disk, as after a closed tab). Nothing about news or updates: the package's own settings
    overrides must keep those off."""
    for plugin, values in {"@jupyterlab/docmanager-extension/plugin": {"autosave": False}}.items():
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
             "--allow-root"],
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
            args=CHROMIUM_ARGS, viewport={"width": 1366, "height": 768})
        context.set_default_timeout(WAIT_MS)
        yield context
        context.close()
    finally:
        pw.stop()


WIDGET_ERROR_WATCH = """
window.__civicnbWidgetErrors = [];
new MutationObserver(records => {
  for (const r of records) for (const n of r.addedNodes) {
    const t = (n.textContent || '');
    if (t.includes('Error displaying widget')) window.__civicnbWidgetErrors.push(t.slice(0, 200));
  }
}).observe(document, {childList: true, subtree: true});
"""


class Watched:
    """A page with what went wrong on it: console errors, page errors, requests to other hosts."""

    def __init__(self, context, lab):
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and not JUPYTERLAB_NOISE.match(m.text)
                     and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: d.accept())  # "leave this page?" on reload with unsaved changes
        # any "Error displaying widget" that ever shows, even for a moment, is recorded
        self.page.add_init_script(WIDGET_ERROR_WATCH)
        local = (lab["url"] + "/", "data:", "blob:", "about:")

        def request(r):
            if not r.url.startswith(local) and r.url != lab["url"]:
                self.problems.append(f"request to another host: {r.url}")

        self.page.on("request", request)

    def widget_errors(self) -> list:
        return self.page.evaluate("() => window.__civicnbWidgetErrors || []")

    def check(self):
        problems = self.problems + [f"widget error shown: {e}" for e in self.widget_errors()]
        assert not problems, "\n".join(problems)


@pytest.fixture
def watched(browser, lab):
    w = Watched(browser, lab)
    yield w
    w.page.close()


def _open(w: Watched, lab, rel: str):
    w.page.goto(f"{lab['url']}/lab/tree/{rel}?reset&token={lab['token']}")
    _expect()(w.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first
              ).to_be_attached(timeout=WAIT_MS)


def _lesson_ready(page, show_ids: list[str]):
    """The lesson started by itself (nobody ran anything): the extension says it is live, every item
    is on the page, the kernel is idle."""
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden).civicnb-lesson.civicnb-live")
              ).to_have_count(1, timeout=WAIT_MS)
    _wait_for_widgets(page, show_ids)
    _expect()(page.locator(".civicnb-banner")).to_be_hidden()


def _cell_count(page) -> int:
    """The number of cells in the notebook, from the status bar ("Cell 3/27")."""
    text = page.locator("#jp-main-statusbar").inner_text()
    found = re.search(r"Cell \d+/(\d+)", text)
    assert found, text
    return int(found.group(1))


def _kernels(lab, page) -> list[str]:
    r = page.request.get(f"{lab['url']}/api/kernels?token={lab['token']}")
    assert r.status == 200
    return [k["id"] for k in r.json()]


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
    stem = Path(rel).stem
    ARTIFACTS.mkdir(exist_ok=True)

    _open(watched, lab, rel)
    _lesson_ready(page, show_ids)  # ready when it opens: no Run All
    _no_cell_errors(page)
    header = page.locator(".civicnb-item-header")
    _expect()(header).to_be_in_viewport()  # the name box is at the top, on screen when the lesson opens
    page.screenshot(path=str(ARTIFACTS / f"browser-{stem}.png"))

    # the student types their name; it saves as they type (no Enter, no leaving the box)
    name = "Ana R."
    before = work_file.read_text(encoding="utf-8") if work_file.exists() else None
    header.locator("input[type=text]").click()
    page.keyboard.type(name)
    _expect()(header.locator("[role=status]")).to_contain_text("Saved.")
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
        box.screenshot(path=str(ARTIFACTS / f"browser-{stem}-{item}.png"))
        answers[item] = value
    watched.check()

    def comes_back(step: str):
        _lesson_ready(page, show_ids)
        _no_cell_errors(page)
        _expect()(page.locator(".civicnb-item-header input[type=text]")).to_have_value(name)
        for item, value in answers.items():
            ex = lesson.exercises[item]
            DRIVERS[ex["kind"]].restored(page, page.locator(f".civicnb-item-{item}"), ex, value)
        for item, value in answers.items():  # restoring wrote nothing over the answers
            saved = _read_work(_answer_file(work_file, lesson.exercises[item]))
            assert _same(_saved_value(saved, item), value), step
        page.screenshot(path=str(ARTIFACTS / f"browser-{stem}-{step}.png"))
        watched.check()

    # 1. restart the kernel (the file on disk first gets this kernel's widget outputs, as autosave does)
    _menu(page, "File", "Save Notebook")
    _expect()(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")).not_to_have_class(
        re.compile(r"jp-mod-dirty"), timeout=WAIT_MS)
    _menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    # old controls are locked at once, with a message, until the lesson is live again
    _expect()(page.locator(".civicnb-lesson.civicnb-stale")).to_have_count(1, timeout=WAIT_MS)
    assert page.locator(".civicnb-lesson-cell .jp-OutputArea[inert]").count() == len(show_ids)
    _expect()(page.locator(".civicnb-banner")).to_contain_text(re.compile("restarting|Starting the lesson"))
    comes_back("restarted")

    # running the lesson is no change to the notebook: it stays saved
    _expect()(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")).not_to_have_class(
        re.compile(r"jp-mod-dirty"))

    # 2. the student clears every output from the Edit menu (the lesson disappears), closes the tab with
    # Discard, the kernel stops (the next day), and the notebook is opened again
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _expect()(page.locator(".civicnb-item")).to_have_count(0, timeout=WAIT_MS)
    page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    page.locator(".jp-Dialog button", has_text="Discard").click()
    _expect()(page.locator(".jp-NotebookPanel")).to_have_count(0, timeout=WAIT_MS)
    for kid in _kernels(lab, page):
        assert page.request.delete(f"{lab['url']}/api/kernels/{kid}?token={lab['token']}").status == 204
    page.locator(".jp-DirListing-item", has_text=nb_path.name).dblclick()
    comes_back("reopened")

    # 3. reload the page
    page.reload()
    comes_back("reloaded")


def test_worksheet_download_link(lab, watched):
    """The Save-my-worksheet button asks for a name first; then it makes the PDF, and its link downloads
    it through JupyterLab."""
    page = watched.page
    rel = LESSON_NOTEBOOKS[0].relative_to(ROOT).as_posix()
    _open(watched, lab, rel)
    _lesson_ready(page, _show_ids(lab["root"] / rel))
    name = page.locator(".civicnb-item-header input[type=text]")
    name.click()
    name.fill("")  # a blank name (or one cleared by the student)
    panel = page.locator(".civicnb-item-save-panel")
    panel.scroll_into_view_if_needed()
    panel.get_by_role("button", name="Save my worksheet as PDF").click()
    _expect()(panel.locator("[role=alert]")).to_contain_text("Type your name", timeout=WAIT_MS)
    assert panel.locator("a", has_text="Download").count() == 0
    panel.screenshot(path=str(ARTIFACTS / "browser-save-panel-no-name.png"))
    name.scroll_into_view_if_needed()
    name.click()
    page.keyboard.type("Ana R.")
    _expect()(page.locator(".civicnb-item-header [role=status]")).to_contain_text("Saved.", timeout=WAIT_MS)
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


def test_keys_in_an_exercise_never_edit_the_notebook(lab, watched):
    """With an exercise focused, b, a, d d, x, m, z and the arrow keys reach the exercise (the arrows move
    the choice) and never JupyterLab's notebook commands; the same with the exercise's cell selected."""
    page = watched.page
    rel = LESSON_NOTEBOOKS[0].relative_to(ROOT).as_posix()
    show_ids = _show_ids(lab["root"] / rel)
    _open(watched, lab, rel)
    _lesson_ready(page, show_ids)
    cells = _cell_count(page)
    box = page.locator(".civicnb-kind-single_choice").first
    box.scroll_into_view_if_needed()
    radios = box.locator(".widget-radio-box input[type=radio]")
    radios.nth(0).click()
    _expect()(radios.nth(0)).to_be_focused()
    # one key at a time, the cell count checked after each (b then d d would cancel out)
    for keys in (["b"], ["a"], ["d", "d"], ["x"], ["m"], ["z"], ["c", "v"]):
        for key in keys:
            page.keyboard.press(key)
        page.wait_for_timeout(300)  # a command, had one run, would have changed the notebook by now
        assert _cell_count(page) == cells, keys
        _expect()(radios.nth(0)).to_be_checked()
    page.keyboard.press("ArrowDown")
    _expect()(radios.nth(1)).to_be_checked(timeout=WAIT_MS)  # the arrow moved the choice
    _expect()(radios.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    _expect()(radios.nth(0)).to_be_checked(timeout=WAIT_MS)
    # the whole cell selected (a click on the question's text), not a control
    box.locator(".civicnb-prompt").first.click()
    for keys in (["b"], ["a"], ["d", "d"], ["x"], ["Enter"], ["m"]):
        for key in keys:
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        assert _cell_count(page) == cells, ("exercise cell selected", keys)
    # a paragraph of text selected
    text_cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell").nth(2)
    text_cell.scroll_into_view_if_needed()
    text_cell.click()
    for keys in (["b"], ["a"], ["d", "d"], ["x"], ["y"], ["Enter"]):
        for key in keys:
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        assert _cell_count(page) == cells, ("text cell selected", keys)
    _expect()(page.locator(".civicnb-item")).to_have_count(len(show_ids))
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")).to_have_class(
        re.compile(r"jp-mod-commandMode"))  # Enter did not open an editor
    _expect()(page.locator(".civicnb-lesson-cell .cm-editor:visible")).to_have_count(0)
    watched.check()


def test_stubs_are_hidden_and_cannot_be_edited(lab, watched):
    """Student mode: the code behind each item is not shown at all (not even as "•••"). With student
    mode off (a teacher's setting) the code shows, and it still cannot be edited."""
    page = watched.page
    rel = LESSON_NOTEBOOKS[0].relative_to(ROOT).as_posix()
    nb_path = lab["root"] / rel
    show_ids = _show_ids(nb_path)
    source = json.loads(nb_path.read_text(encoding="utf-8"))
    _open(watched, lab, rel)
    _lesson_ready(page, show_ids)
    stubs = page.locator(".civicnb-lesson-cell")
    assert stubs.count() == len(show_ids)
    _expect()(page.locator(".civicnb-lesson-cell .jp-Cell-inputWrapper:visible")).to_have_count(0)
    shown_code = page.evaluate("() => [...document.querySelectorAll('.cm-content')]"
                               ".filter(e => e.offsetParent !== null && e.textContent.includes('L.show(')).length")
    assert shown_code == 0
    page.screenshot(path=str(ARTIFACTS / "browser-student-mode.png"))

    settings = f"{lab['url']}/lab/api/settings/civicnb-lab:plugin?token={lab['token']}"
    r = page.request.put(settings, data=json.dumps({"raw": json.dumps({"studentMode": False})}),
                         headers={"Content-Type": "application/json"})
    assert r.status in (200, 204), r.text()
    try:
        page.reload()
        _lesson_ready(page, show_ids)
        first = page.locator(".civicnb-lesson-cell").first
        placeholder = first.locator(".jp-InputPlaceholder")
        if placeholder.count():
            placeholder.click()  # expand the collapsed code
        editor = first.locator(".cm-content")
        _expect()(editor).to_be_visible(timeout=WAIT_MS)
        _expect()(editor).to_have_attribute("aria-readonly", "true")
        before = editor.inner_text()
        editor.click()
        page.keyboard.type("oops")
        page.keyboard.press("Backspace")
        assert editor.inner_text() == before
        _menu(page, "File", "Save Notebook")
        page.wait_for_timeout(1000)
        saved = json.loads(nb_path.read_text(encoding="utf-8"))
        assert ["".join(c["source"]) for c in saved["cells"]] == ["".join(c["source"]) for c in source["cells"]]
        assert len(saved["cells"]) == len(source["cells"])
    finally:
        page.request.put(settings, data=json.dumps({"raw": "{}"}), headers={"Content-Type": "application/json"})
    watched.check()


def test_jupyterlab_stays_offline(lab, watched):
    """The package's settings overrides, not this test, turn off the news prompt and the update check."""
    page = watched.page
    _open(watched, lab, "notebooks/index.ipynb")
    r = page.request.get(f"{lab['url']}/lab/api/settings/@jupyterlab/apputils-extension:notification"
                         f"?token={lab['token']}")
    props = r.json()["schema"]["properties"]
    assert props["fetchNews"]["default"] == "false" and props["checkForUpdates"]["default"] is False
    page.wait_for_timeout(2000)
    assert page.get_by_text("official Jupyter news").count() == 0
    r = page.request.get(f"{lab['url']}/lab/api/update?token={lab['token']}")
    assert r.status != 200 or not (r.json() or {}).get("notification"), r.text()
    watched.check()


def test_language_switch_in_the_browser(lab, watched):
    """A student answers in English, clicks "Español" in the lesson header: the lesson redraws in
    Spanish with the answer still on screen, the choice is saved ("lang": "es"), and after a reload the
    lesson starts in Spanish. The Spanish notebook (notebooks/es/) shows its Markdown in Spanish and
    the same saved answer."""
    page, served = watched.page, lab["root"]
    rel = "notebooks/00-before-we-begin.ipynb"
    nb_path = served / rel
    show_ids = _show_ids(nb_path)
    work_file = nb_path.parent / "my-work" / "00-before-we-begin.json"
    ARTIFACTS.mkdir(exist_ok=True)
    _open(watched, lab, rel)
    _lesson_ready(page, show_ids)
    box = page.locator(".civicnb-item-norms-check")
    box.locator(".widget-radio-box label", has_text=re.compile(r"^\s*B\. ")).click()
    _wait_saved(work_file, None, lambda d: _saved_value(d, "norms-check") == {"choice": "b"})

    page.locator(".civicnb-item-header .civicnb-lang button", has_text="Español").click()
    _expect()(box.locator("button.widget-button", has_text="Comprobar mi respuesta")).to_have_count(1, timeout=WAIT_MS)
    _expect()(page.locator(".civicnb-item-header h2")).to_contain_text("Lección 00 · Antes de empezar")
    _expect()(box.locator(".widget-radio-box input:checked")).to_have_count(1)
    _expect()(box.locator("h3.civicnb-number")).to_contain_text("Pregunta")
    _wait_saved(work_file, None, lambda d: d.get("lang") == "es")
    box.locator("button.widget-button", has_text="Comprobar mi respuesta").click()
    _expect()(box.locator(".civicnb-feedback")).to_contain_text("Correcto.")
    page.screenshot(path=str(ARTIFACTS / "browser-language-switch-es.png"))
    _no_cell_errors(page)
    watched.check()

    page.reload()  # the saved choice: the lesson starts in Spanish
    _lesson_ready(page, show_ids)
    _expect()(page.locator(".civicnb-item-header h2")).to_contain_text("Antes de empezar")
    _expect()(page.locator(".civicnb-item-norms-check .widget-radio-box input:checked")).to_have_count(1)

    es = "notebooks/es/00-before-we-begin.ipynb"
    _open(watched, lab, es)
    _lesson_ready(page, _show_ids(served / es))
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput h2",
                           has_text="Parte 1 · Cómo funcionan los cuadernos")).to_have_count(1)
    _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .civicnb-item-norms-check "
                           ".widget-radio-box input:checked")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "browser-notebook-es.png"))
    _no_cell_errors(page)
    watched.check()
