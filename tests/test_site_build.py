"""The static site's build pieces that need no browser: the work store where fcntl has no flock (as in
JupyterLite's Pyodide kernel), the GitHub Pages workflow, and the site build's own checks."""
from __future__ import annotations

import re
import json
import sys
import types
from pathlib import Path

from .conftest import ROOT


def test_store_saves_where_fcntl_has_no_flock(tmp_path):
    """JupyterLite's Pyodide kernel has an fcntl module without flock: every save failed with
    AttributeError ("module 'fcntl' has no attribute 'flock'") and no lesson opened. Run in a fresh
    interpreter: reloading the store in this process would give it a second WorkFileError class, and
    modules that imported the first (the summary, the exporter) would no longer catch its errors."""
    import subprocess

    from .conftest import env_with_src

    code = (
        "import sys, types, json\n"
        "sys.modules['fcntl'] = types.ModuleType('fcntl')\n"
        "from civicnb.work import store\n"
        f"s = store.WorkStore('00-before-we-begin', {str(tmp_path)!r})\n"
        "s.save('q1', 'b')\n"
        "print(json.dumps(json.loads(s.path.read_text())['answers']))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_with_src(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert '"q1"' in r.stdout


def _session(tmp_path, monkeypatch, project_root):
    monkeypatch.chdir(tmp_path)
    from civicnb.notebook import LessonSession

    return LessonSession("00", work_dir=tmp_path / "my-work", root=ROOT)


def test_work_file_download_and_load(tmp_path, monkeypatch, project):
    """Download gives the work file's bytes; Load refuses a damaged file or another lesson's with one
    line, changes nothing then, and keeps the earlier file when it replaces it."""
    import base64
    import re

    from civicnb.workfile import download_link, load_work_file

    s = _session(tmp_path, monkeypatch, project)
    ex_id = next(i for i, ex in s.lesson.exercises.items() if ex.get("kind") == "short_answer")
    s.store.set_student("Ana B.")
    s.store.save(ex_id, {"text": "mine"})
    link = download_link(s.store)
    raw = base64.b64decode(re.search(r"base64,([^']+)'", link).group(1))
    assert raw == s.store.path.read_bytes()
    before = s.store.path.read_bytes()
    for bad, why in [(b"\xff\xfe", "not UTF-8"), (b"[]", "not a civicnb work file"),
                     (raw.replace(b"00-before-we-begin", b"01-claims"), "lesson '01-claims'")]:
        try:
            load_work_file(s, bad, "x.json")
        except ValueError as e:
            assert why in str(e) and "\n" not in str(e), e
        else:
            raise AssertionError(f"loaded {bad[:20]!r}")
        assert s.store.path.read_bytes() == before
    other = json.loads(raw)
    other["answers"][ex_id] = {"value": {"text": "from the other computer"}}
    msg = load_work_file(s, json.dumps(other).encode(), "00-before-we-begin.json")
    assert "Loaded 1 answer" in msg and "before-load-" in msg
    assert json.loads(s.store.path.read_text())["answers"][ex_id]["value"]["text"] == "from the other computer"
    kept = list(s.store.path.parent.glob("*.before-load-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == before


WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _check_workflow(path):
    import subprocess

    exe = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run([str(exe), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def test_pages_workflow_is_valid_and_builds_the_site(tmp_path):
    """The GitHub Actions workflow passes the GitHub-workflow schema that check-jsonschema vendors (no
    network), builds with `make site` and publishes site/ with the permissions Pages needs; a broken
    copy fails the same check (so the check can fail)."""
    r = _check_workflow(WORKFLOW)
    assert r.returncode == 0, r.stdout + r.stderr
    text = WORKFLOW.read_text()
    assert "run: make site" in text and re.search(r"upload-pages-artifact@v\d+\n\s+with:\n\s+path: site\n", text)
    assert "pages: write" in text and "id-token: write" in text and "actions/deploy-pages@" in text
    broken = tmp_path / "pages.yml"
    broken.write_text(text.replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", 1))
    assert _check_workflow(broken).returncode != 0


def test_browser_warns_when_work_is_not_kept(tmp_path, monkeypatch):
    """In the browser kernel the work folder must be on the browser-storage drive (/drive); elsewhere
    (service workers blocked) answers live in memory only, and the lesson must say so."""
    from civicnb.workfile import browser_storage_warnings

    assert browser_storage_warnings(tmp_path) == []  # not in a browser: nothing to say
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert browser_storage_warnings("/drive/my-work") == []
    (msg,) = browser_storage_warnings("/home/pyodide/my-work")
    assert "not keeping your answers" in msg and "/home/pyodide/my-work" in msg


def test_browser_writes_the_name_at_once(tmp_path, monkeypatch):
    """In the browser a reload ends the kernel at once (no shutdown hook): the name typed just before a
    reload was lost ("A" came back for "Ana R."), because later keys waited for the debounce."""
    import asyncio

    calls = []
    s = _session(tmp_path, monkeypatch, ROOT)
    monkeypatch.setattr(sys, "platform", "emscripten")

    async def typing():
        for v in ("A", "An", "Ana R."):
            s._schedule(calls.append, v)

    asyncio.run(typing())
    assert calls == ["A", "An", "Ana R."] and s._name_timer is None
