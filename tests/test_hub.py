"""A school JupyterHub, for real: two students, each with their own work, and the teacher collects.

What runs, all on this machine and on loopback only:

- JupyterHub (from PyPI, in the project's .venv, as root) with configurable-http-proxy (npm, from
  ``tests/hub/package-lock.json``), the shared-password authenticator (one class password), and
  LocalProcessSpawner: each student is a real local account (made here with ``useradd``, removed
  afterwards) whose server runs as that account's own process, in that account's own home folder
  (mode 0700). That is how The Littlest JupyterHub and other single-machine school hubs work (one
  Unix account per student), and it makes "not visible to the other student" a real operating-system
  boundary, not only a different folder. SimpleLocalProcessSpawner would run every student as the
  hub's own user, so any student could read any other's files: not a faithful school hub.
- The students' servers run in a separate "user environment" (``make hub-deps``: a venv made with
  Debian's python3 at ``CIVICNB_HUB_USER_ENV``), into which this test installs civicnb from a git
  repository with ``pip install "civicnb @ git+<repo>@main"``, as docs/classroom-delivery.md tells an
  admin. The lessons reach the students with the nbgitpuller link the README describes, pointing at a
  local bare repository (``file://``; no network).
- Debian's Chromium (Playwright, never a downloaded browser) logs in as one student, then the other:
  the link pulls the lessons and opens the start page, the student opens lesson 00 from it, types a name,
  answers the first single-choice question (the two students differently), reloads, restarts the kernel
  and checks that everything came back. Each answer must be saved only in that student's home
  (``<repo>/notebooks/my-work/``), and the other student's account must be unable to read it, on disk
  and through the hub.
- The teacher collects both work files into ``collected/<user>/`` and runs ``civicnb export-work`` and
  ``civicnb summary`` on that folder: two worksheets, two students.
- The teacher changes a lesson file in the repository; each student clicks the same link again;
  nbgitpuller's merge brings the change and keeps each student's saved work (and a notebook the student
  saved), and the lesson opened again in a new server shows the change and the student's answers.

Needs root (to create the two accounts). Not root: skipped, except in CI (``CI`` set), where it fails.
"""
from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, pdf_text
from .test_browser import (CHROMIUM, CHROMIUM_ARGS, DRIVERS, WAIT_MS, Watched, _expect, _free_port, _idle,
                           _lesson, _menu, _need_browser, _no_cell_errors, _read_work, _show_ids, _wait_for_widgets,
                           _wait_saved)

pytestmark = [pytest.mark.hub, pytest.mark.browser]

USER_ENV = Path(os.environ.get("CIVICNB_HUB_USER_ENV", "/opt/civicnb-hub-test/user-env"))
PROXY = ROOT / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
REPO = "cecot-lessons"  # the folder nbgitpuller clones into, in each student's home
LESSON_NB = sorted(p.name for p in (ROOT / "notebooks").glob("00-*.ipynb"))[0]
STUDENTS = {"civicnb-ana": "Ana R.", "civicnb-ben": "Ben T."}  # throwaway accounts -> name typed in
MARK = "civicnb hub test (throwaway account)"  # the accounts' comment field: we only ever delete these
PASSWORD = secrets.token_urlsafe(12)
AUTO_RUN_MS = 5_000  # a lesson that runs itself on open shows its header by then; else Run All (twice is harmless)
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICNB_", "JUPYTER", "PYTHONPATH"))}


# -- can it run here? -------------------------------------------------------------------------------

def _cannot_run(msg: str):
    if os.environ.get("CI"):
        pytest.fail(msg + " In CI `make test` must set this up (it runs as root).")
    pytest.skip(msg)


def _need_hub():
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        _cannot_run("The JupyterHub test needs root: it creates two throwaway student accounts with useradd.")
    missing = [what for what, ok in [
        (f"configurable-http-proxy ({PROXY.relative_to(ROOT)})", PROXY.exists()),
        (f"the hub's user environment ({USER_ENV})", (USER_ENV / "bin" / "jupyterhub-singleuser").exists()),
        ("nbgitpuller in the user environment", (USER_ENV / "bin" / "gitpuller").exists()),
        ("useradd", shutil.which("useradd")), ("runuser", shutil.which("runuser")), ("git", shutil.which("git"))]
        if not ok]
    if missing:
        pytest.fail("Missing for the JupyterHub test: " + ", ".join(missing) + ". Run `make hub-deps` (as root).")
    pytest.importorskip("jupyterhub", reason="jupyterhub (the `test` extra) is missing: run `make install`")
    _need_browser()


# -- the machine's side: accounts, the teacher's repository, the hub ---------------------------------

def _run(cmd, **kw):
    kw.setdefault("env", CLEAN_ENV)
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r.stdout


def _git(repo: Path, *args):
    return _run(["git", "-C", str(repo), "-c", "user.name=Teacher", "-c", "user.email=teacher@school.invalid",
                 *args])


def _remove_account(user: str):
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return
    assert entry.pw_gecos == MARK, f"a local account {user!r} exists and is not this test's: not touching it"
    _kill_processes_of(entry.pw_uid)
    subprocess.run(["userdel", "--remove", user], capture_output=True)


def _kill_processes_of(uid: int):
    """End the processes the test's server left running as a throwaway account, one pid at a time."""
    for _ in range(50):
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _uid_of(p) == uid]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, 15 if _ < 20 else 9)
            except ProcessLookupError:
                pass
        time.sleep(0.2)


def _uid_of(proc: Path):
    try:
        return proc.stat().st_uid
    except OSError:
        return None


def _make_account(user: str, homes: Path) -> Path:
    _remove_account(user)  # left over from an interrupted run
    home = homes / user
    _run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--comment", MARK, user])
    home.chmod(0o700)  # Debian's useradd makes homes 0755 (UMASK 022): readable by every other account
    return home


def _teacher_repository(base: Path) -> tuple[Path, Path]:
    """The teacher's working copy (this checkout's files, as they are now) and the bare repository the
    link points at, as a school would publish it."""
    source = base / "teacher" / REPO
    files = _run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file() and not rel.startswith("tests/hub/node_modules/"):
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, source / rel)
    _git(source.parent, "init", "-q", "-b", "main", REPO)
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "Lessons for this term")
    bare = base / "srv" / REPO
    _run(["git", "clone", "-q", "--bare", str(source), str(bare)])
    return source, bare


def _user_settings_overrides():
    """An admin's JupyterLab settings for every student (docs/classroom-delivery.md): no news prompt."""
    path = USER_ENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.pop("@jupyterlab/apputils-extension/notification", None)  # a wrong key an earlier run wrote
    data.setdefault("@jupyterlab/apputils-extension:notification", {}).update(  # plugin id, with a colon
        {"fetchNews": "false", "checkForUpdates": False})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    path.chmod(0o644)


def _hub_config(hub_dir: Path, port: int, gitconfig: Path) -> Path:
    cfg = hub_dir / "jupyterhub_config.py"
    cfg.write_text(f"""\
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {_free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(hub_dir / 'proxy.pid')!r}
c.JupyterHub.pid_file = {str(hub_dir / 'jupyterhub.pid')!r}
c.JupyterHub.db_url = "sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(hub_dir / 'jupyterhub_cookie_secret')!r}
# one class password; only the listed students may log in
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(STUDENTS)!r}
# each student's server: their own process, as their own account, in their own home
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{str(USER_ENV / 'bin' / 'jupyterhub-singleuser')!r}]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{
    "PATH": "{USER_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    # the lessons come from a repository on this machine owned by root; git refuses another user's
    # repository unless it is named in safe.directory (a hub would put this in /etc/gitconfig)
    "GIT_CONFIG_SYSTEM": {str(gitconfig)!r},
}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
""", encoding="utf-8")
    return cfg


class Hub:
    def __init__(self, base: Path):
        self.base = base
        self.homes: dict[str, Path] = {}
        self.proc = None

    def link(self, urlpath: str) -> str:
        """The nbgitpuller link, in the form docs/classroom-delivery.md gives a teacher."""
        query = urllib.parse.urlencode({"repo": f"file://{self.bare}", "branch": "main", "urlpath": urlpath})
        return f"{self.url}/hub/user-redirect/git-pull?{query}"

    def repo_dir(self, user: str) -> Path:
        return self.homes[user] / REPO

    def work_file(self, user: str) -> Path:
        return self.repo_dir(user) / "notebooks" / "my-work" / f"{self.lesson.name}.json"


@pytest.fixture(scope="module")
def hub():
    _need_hub()
    base = Path(tempfile.mkdtemp(prefix="civicnb-hub-", dir="/tmp"))
    base.chmod(0o755)  # the students' homes and the lesson repository live below it
    h = Hub(base)
    try:
        h.source, h.bare = _teacher_repository(base)
        _run(["chmod", "-R", "a+rX", str(base / "srv")])
        h.lesson = _lesson(h.source / "notebooks" / LESSON_NB)
        # the admin installs the engine into the user environment from the lesson repository (README)
        _run([str(USER_ENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
              "--no-build-isolation", "--force-reinstall", f"civicnb @ git+file://{h.bare}@main"])
        _user_settings_overrides()
        homes = base / "home"
        homes.mkdir(mode=0o755)
        for user in STUDENTS:
            h.homes[user] = _make_account(user, homes)
        gitconfig = base / "srv" / "gitconfig"
        gitconfig.write_text(f"[safe]\n\tdirectory = {h.bare}\n", encoding="utf-8")
        gitconfig.chmod(0o644)
        hub_dir = base / "hub"
        hub_dir.mkdir(mode=0o700)
        port = _free_port()
        h.url = f"http://127.0.0.1:{port}"
        h.log = hub_dir / "jupyterhub.log"
        cfg = _hub_config(hub_dir, port, gitconfig)
        with open(h.log, "wb") as log:
            h.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(cfg)], cwd=hub_dir,
                                      env=CLEAN_ENV, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            if h.proc.poll() is not None:
                pytest.fail(f"JupyterHub exited with {h.proc.returncode}:\n{h.log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{h.url}/hub/api", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterHub did not start:\n{h.log.read_text()[-4000:]}")
            time.sleep(0.3)
        yield h
    finally:
        if h.proc is not None:
            h.proc.terminate()  # the hub stops the students' servers and its proxy on the way out
            try:
                h.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                h.proc.kill()
                h.proc.wait()
            if os.environ.get("CIVICNB_HUB_KEEP_LOG"):
                shutil.copy(h.log, os.environ["CIVICNB_HUB_KEEP_LOG"])
        for user in STUDENTS:
            _remove_account(user)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium(hub):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        pw.stop()


# -- a student at a Chromebook ----------------------------------------------------------------------

class Student:
    """One student's browser (a fresh profile: their own cookies), logged in through the hub."""

    def __init__(self, chromium, hub: Hub, user: str):
        self.hub, self.user, self.name = hub, user, STUDENTS[user]
        self.context = chromium.new_context(viewport={"width": 1366, "height": 768})
        self.context.set_default_timeout(WAIT_MS)
        self.watched = Watched(self.context, {"url": hub.url})
        self.page = self.watched.page

    def close(self):
        self.context.close()

    def follow_the_link(self):
        """Click the teacher's nbgitpuller link: log in, the server starts, the lessons are pulled, and
        JupyterLab opens the start page."""
        page = self.page
        page.goto(self.hub.link(f"lab/tree/{REPO}/notebooks/index.ipynb"))
        page.locator("#username_input").fill(self.user)
        page.locator("#password_input").fill(PASSWORD)
        page.locator("#login_submit").click()
        _expect()(page).to_have_url(re.compile(rf"/user/{re.escape(self.user)}/lab/tree/{REPO}/notebooks/index\.ipynb"),
                                    timeout=WAIT_MS)
        _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown a").first
                  ).to_be_attached(timeout=WAIT_MS)

    def open_lesson(self) -> list[str]:
        """From the start page, click lesson 00; run it if it did not run by itself."""
        page = self.page
        page.locator(".jp-RenderedMarkdown a", has_text=LESSON_NB).first.click()
        _expect()(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
                  ).to_have_text(LESSON_NB, timeout=WAIT_MS)
        return self.lesson_ready()

    def lesson_ready(self, restart: bool = False) -> list[str]:
        page = self.page
        show_ids = _show_ids(self.hub.repo_dir(self.user) / "notebooks" / LESSON_NB)
        _expect()(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_attached(timeout=WAIT_MS)
        _idle(page)
        if restart:  # a fresh kernel: whatever comes back comes from the saved-work file
            _menu(page, "Kernel", "Restart Kernel and Run All Cells")
            page.locator(".jp-Dialog .jp-mod-accept").click()
        else:
            try:
                _expect()(page.locator(".civicnb-item-header")).to_be_attached(timeout=AUTO_RUN_MS)
            except AssertionError:
                _menu(page, "Run", "Run All Cells")
        _wait_for_widgets(page, show_ids)
        _no_cell_errors(page)
        return show_ids

    def type_name(self):
        page, work = self.page, self.hub.work_file(self.user)
        before = work.read_text(encoding="utf-8") if work.exists() else None
        page.locator(".civicnb-item-header input[type=text]").click()
        page.keyboard.type(self.name)
        page.keyboard.press("Enter")
        _expect()(page.locator(".civicnb-item-header [role=status]")).to_contain_text("Saved.")
        _wait_saved(work, before, lambda d: d.get("student") == self.name)

    def answer(self, ex, right: bool) -> dict:
        """The right option, with its feedback checked, or a wrong one."""
        page, work = self.page, self.hub.work_file(self.user)
        box = page.locator(f".civicnb-item-{ex['id']}")
        box.scroll_into_view_if_needed()
        before = work.read_text(encoding="utf-8")
        if right:
            value = DRIVERS["single_choice"].answer(page, box, ex)
        else:
            value = {"choice": _wrong_option(ex)}
            self._radio(box, ex, value["choice"]).click()
            check = box.locator("button.widget-button", has_text="Check my")
            if check.count():  # lessons where a choice is graded only when the student presses Check
                check.click()
        _expect()(box.locator(".widget-radio-box input:checked")).to_have_count(1)
        _wait_saved(work, before, lambda d: ((d.get("answers") or {}).get(ex["id"]) or {}).get("value") == value)
        return value

    def _radio(self, box, ex, option_id):
        from civicnb.exercises.base import letters

        ids = [o["id"] for o in ex["options"]]
        letter = letters(len(ids))[ids.index(option_id)]
        return box.locator(".widget-radio-box label", has_text=re.compile(rf"^\s*{letter}\. "))

    def sees_answer(self, ex, value):
        box = self.page.locator(f".civicnb-item-{ex['id']}")
        _expect()(self.page.locator(".civicnb-item-header input[type=text]")).to_have_value(self.name)
        checked = box.locator(".widget-radio-box input:checked")
        _expect()(checked).to_have_count(1, timeout=WAIT_MS)
        ids = [o["id"] for o in ex["options"]]
        assert checked.get_attribute("value") == str(ids.index(value["choice"])), (self.user, value)

    def save_notebook(self):
        """What JupyterLab's autosave does during a lesson: the notebook file now differs from the
        teacher's, which nbgitpuller must handle on the next pull."""
        _menu(self.page, "File", "Save Notebook")
        _expect()(self.page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")
                  ).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"), timeout=WAIT_MS)

    def stop_server(self):
        """End of the lesson: Stop My Server on the hub's home page."""
        page = self.page
        page.goto(f"{self.hub.url}/hub/home")
        page.locator("#stop").click()
        _expect()(page.locator("#start")).to_be_visible(timeout=WAIT_MS)
        _expect()(page.locator("#stop")).to_be_hidden(timeout=WAIT_MS)
        uid = pwd.getpwnam(self.user).pw_uid  # the server and its kernels are gone
        deadline = time.monotonic() + 60
        while any(_uid_of(p) == uid for p in Path("/proc").iterdir() if p.name.isdigit()):
            assert time.monotonic() < deadline, f"{self.user}'s server still runs after Stop My Server"
            time.sleep(0.2)

    def check(self, stale_widgets: bool = False):
        """No console error, page error or request to another host. ``stale_widgets``: the notebook was
        saved with its widgets and reopened by a new kernel, so JupyterLab first fails to find those widgets'
        models (one console error each) until the cells run again."""
        if stale_widgets:
            self.watched.problems[:] = [p for p in self.watched.problems
                                        if not p.startswith("console error: Error: widget model not found")]
        self.watched.check()
        assert not self.page.locator(".jp-Notebook").get_by_text("Error displaying widget").count()

    def screenshot(self, ex, name: str):
        self.page.locator(f".civicnb-item-{ex['id']}").scroll_into_view_if_needed()
        self.page.screenshot(path=str(_artifacts() / f"hub-{self.user}-{name}.png"))


def _wrong_option(ex) -> str:
    right = {ex["key"]["answer"], *(ex["key"].get("also_accept") or [])}
    return next(o["id"] for o in reversed(ex["options"]) if o["id"] not in right)


def _first_single_choice(lesson, show_ids) -> dict:
    return next(lesson.exercises[i] for i in show_ids
                if i in lesson.exercises and lesson.exercises[i]["kind"] == "single_choice")


def _work_files(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("my-work/*.json"))


def _as_user(user: str, *cmd) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True, env=CLEAN_ENV)


# -- the lesson ---------------------------------------------------------------------------------------

def test_two_students_and_a_teacher_on_a_school_hub(hub, chromium, tmp_path):
    t0 = time.monotonic()
    ana, ben = STUDENTS
    answers: dict[str, dict] = {}
    ex = None

    # 1. Each student, one after the other: the link, lesson 00, a name and an answer, reload.
    for user, right in ((ana, True), (ben, False)):
        s = Student(chromium, hub, user)
        try:
            s.follow_the_link()
            assert (hub.repo_dir(user) / "lessons" / "unit.yml").is_file(), "nbgitpuller did not pull the lessons"
            assert hub.repo_dir(user).stat().st_uid == pwd.getpwnam(user).pw_uid, "the pulled copy is not the student's"
            show_ids = s.open_lesson()
            ex = ex or _first_single_choice(hub.lesson, show_ids)
            s.type_name()
            answers[user] = s.answer(ex, right)
            if user == ana:
                s.save_notebook()
            s.page.reload()
            s.lesson_ready(restart=True)
            s.sees_answer(ex, answers[user])
            if right:
                DRIVERS["single_choice"].restored(s.page, s.page.locator(f".civicnb-item-{ex['id']}"), ex, answers[user])
            s.screenshot(ex, "restored")
            s.check()
            if user == ana:  # Ana stops her server; Ben just closes the tab and his server runs on
                s.stop_server()
        finally:
            s.close()
    assert answers[ana] != answers[ben]

    # 2. Each answer is saved in that student's home only, and the other account cannot read it.
    for user, other in ((ana, ben), (ben, ana)):
        files = _work_files(hub.homes[user])
        assert files == [hub.work_file(user)], files
        data = _read_work(hub.work_file(user))
        assert data["student"] == STUDENTS[user]
        assert data["answers"][ex["id"]]["value"] == answers[user]
        assert STUDENTS[other] not in hub.work_file(user).read_text(encoding="utf-8")
        for target in (hub.work_file(user), hub.homes[user]):
            r = _as_user(other, "cat" if target.is_file() else "ls", str(target))
            assert r.returncode != 0 and "Permission denied" in r.stderr, (other, target, r.stdout, r.stderr)
        r = _as_user(user, "cat", str(hub.work_file(user)))  # while the student can
        assert r.returncode == 0 and STUDENTS[user] in r.stdout

    # 3. The teacher collects the work files (collected/<user>/...) and makes worksheets and a summary.
    collected = hub.base / "teacher" / "collected"
    for user in STUDENTS:
        (collected / user).mkdir(parents=True)
        for f in _work_files(hub.homes[user]):
            shutil.copy2(f, collected / user / f.name)
    out = hub.base / "teacher" / "worksheets"
    civicnb = str(USER_ENV / "bin" / "civicnb")
    _run([civicnb, "export-work", str(collected), "--out", str(out)], cwd=hub.source)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 2, pdfs
    texts = [pdf_text(p) for p in pdfs]
    for name in STUDENTS.values():
        assert sum(name in t for t in texts) == 1, (name, [p.name for p in pdfs])
    summary = _run([civicnb, "summary", str(collected)], cwd=hub.source)
    assert re.search(r"\b2 (work file|student)", summary), summary
    assert re.search(rf"{re.escape(ex['id'])}\b.*\b1/2\b", summary), summary  # one right, one not yet

    # 4. The teacher updates a lesson file; each student clicks the same link again.
    exercises = hub.source / "lessons" / hub.lesson.name / "exercises.yml"
    text = exercises.read_text(encoding="utf-8")
    at = text.index(f"id: {ex['id']}")
    old_title = f"title: {ex['title']}\n"
    new_title = f"{ex['title']} (revised)"
    assert text.find(old_title, at) > at, f"{exercises}: no `{old_title.strip()}` after `id: {ex['id']}`"
    exercises.write_text(text[:at] + text[at:].replace(old_title, f"title: {new_title}\n", 1), encoding="utf-8")
    _git(hub.source, "commit", "-q", "-am", "Lesson 00: clearer title")
    _git(hub.source, "push", "-q", str(hub.bare), "main")
    saved_before = {u: hub.work_file(u).read_bytes() for u in STUDENTS}
    ana_nb = hub.repo_dir(ana) / "notebooks" / LESSON_NB
    ana_nb_before = ana_nb.read_bytes()
    assert ana_nb_before != (hub.source / "notebooks" / LESSON_NB).read_bytes()  # Ana's saved copy

    for user in STUDENTS:
        s = Student(chromium, hub, user)
        try:
            s.follow_the_link()  # log in again (Ana: a new server); nbgitpuller merges
            repo = hub.repo_dir(user)
            assert new_title in (repo / exercises.relative_to(hub.source)).read_text(encoding="utf-8")
            assert hub.work_file(user).read_bytes() == saved_before[user], "the pull changed the saved work"
            r = _as_user(user, "git", "-C", str(repo), "status", "--porcelain", "--ignored", "--", "notebooks/my-work")
            assert r.returncode == 0 and r.stdout.startswith("!! notebooks/my-work/"), (r.stdout, r.stderr)
            if user == ana:
                assert ana_nb.read_bytes() == ana_nb_before, "the pull replaced the notebook Ana had saved"
                s.open_lesson()  # the new server and kernel restore her work and show the new title
                box = s.page.locator(f".civicnb-item-{ex['id']}")
                _expect()(box).to_contain_text(new_title)
                s.sees_answer(ex, answers[user])
                s.screenshot(ex, "after-update")
            else:  # Ana's server is running now; the hub does not let Ben into it
                for path in (f"api/contents/{REPO}/notebooks/my-work",
                             f"files/{hub.work_file(ana).relative_to(hub.homes[ana])}"):
                    r = s.page.request.get(f"{hub.url}/user/{ana}/{path}")
                    assert r.status == 403, (path, r.status, r.url)
                    assert STUDENTS[ana] not in r.text()
            s.check(stale_widgets=user == ana)
        finally:
            s.close()
    print(f"\nhub scenario took {time.monotonic() - t0:.0f} s")


def _artifacts() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
