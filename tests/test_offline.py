"""Offline guarantee: lessons run and handouts build with no network at all, load nothing from the web,
and the package sends nothing anywhere.

The notebooks and the build run in a subprocess under ``unshare -rn``: a new user and network namespace
whose only interface is loopback (brought up for the kernel's ZMQ sockets). The subprocess checks that
no other interface exists before it starts, so a pass means the work really ran with no route out.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, copy_project, env_with_src

pytestmark = pytest.mark.slow

PACKAGE = ROOT / "src" / "civicnb"
TEMPLATES = PACKAGE / "handout" / "templates"

# Runs inside the namespace: bring loopback up, prove there is nothing else, then run the job.
BOOT = r"""
import fcntl, json, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0)))[1]
fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))
names = [n for _, n in socket.if_nameindex()]
assert names == ["lo"], f"network namespace has interfaces besides loopback: {names}"
print("offline: only loopback", flush=True)
job = json.loads(sys.argv[1])
if job["kind"] == "notebooks":
    import nbformat
    from nbclient import NotebookClient
    for src, dest in job["notebooks"]:
        nb = nbformat.read(src, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": job["cwd"]}}).execute()
        nbformat.write(nb, dest)
        print("executed", src, flush=True)
else:
    from civicnb.cli import main
    sys.exit(main(job["argv"]))
"""


def _namespace_prefix() -> list[str]:
    """``unshare -rn`` (any user with user namespaces), else ``unshare -n`` (root)."""
    unshare = shutil.which("unshare")
    if unshare:
        for prefix in ([unshare, "-rn"], [unshare, "-n"]):
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
    msg = ("cannot make a network namespace (`unshare -rn` from util-linux needs user namespaces, "
           "`unshare -n` needs root), so the offline guarantee cannot be tested here")
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def _offline(job: dict, tmp: Path) -> subprocess.CompletedProcess:
    env = env_with_src()
    for var in ("CIVICNB_ROOT", "CIVICNB_STUDENT"):
        env.pop(var, None)
    env["CIVICNB_WORK_DIR"] = str(tmp / "my-work")
    env["HOME"] = str(tmp / "home")  # nothing personal, nothing cached from an online run
    env["MPLCONFIGDIR"] = str(tmp / "home" / "mpl")
    env["IPYTHONDIR"] = str(tmp / "home" / "ipython")
    r = subprocess.run([*_namespace_prefix(), sys.executable, "-c", BOOT, json.dumps(job)], cwd=job["cwd"],
                       env=env, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, f"offline run failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}"
    assert "offline: only loopback" in r.stdout
    return r


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory):
    return copy_project(ROOT, tmp_path_factory.mktemp("offline") / "project")


@pytest.fixture(scope="module")
def executed(offline_copy, tmp_path_factory):
    """Every notebook in notebooks/, executed offline; the executed copies."""
    out = tmp_path_factory.mktemp("executed")
    pairs = [(str(p), str(out / p.name)) for p in sorted((offline_copy / "notebooks").glob("*.ipynb"))]
    _offline({"kind": "notebooks", "notebooks": pairs, "cwd": str(offline_copy / "notebooks")}, out)
    return [Path(dest) for _, dest in pairs]


@pytest.fixture(scope="module")
def built(offline_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    r = _offline({"kind": "cli", "cwd": str(offline_copy),
                  "argv": ["build", "--force", "--out", str(out / "pdf")]}, out)
    return out / "pdf", r


# -- loading from the web ------------------------------------------------------------------------------
# A link a student may click is fine; anything the page or PDF would fetch by itself is not.
REMOTE = r"""(?:https?:)?//"""
LOADS = [
    re.compile(rf"""<(?:script|img|iframe|embed|source|video|audio|track|input)\b[^>]*?\bsrc\s*=\s*["']?{REMOTE}""", re.I),
    re.compile(rf"""<link\b[^>]*?\bhref\s*=\s*["']?{REMOTE}""", re.I),
    re.compile(rf"""<object\b[^>]*?\bdata\s*=\s*["']?{REMOTE}""", re.I),
    re.compile(rf"""\bsrcset\s*=\s*["']?[^"'>]*{REMOTE}""", re.I),
    re.compile(rf"""url\(\s*["']?{REMOTE}""", re.I),
    re.compile(rf"""@import\s+(?:url\()?\s*["']?{REMOTE}""", re.I),
    re.compile(r"""\b(?:fetch|XMLHttpRequest|WebSocket|EventSource|importScripts|require\.config)\s*\(""", re.I),
    re.compile(r"""cdn\.jsdelivr|unpkg\.com|cdnjs\.|googleapis\.com|gstatic\.com|fonts\.google""", re.I),
]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _remote_loads(value) -> list[str]:
    hits = []
    for s in _strings(value):
        for rx in LOADS:
            for m in rx.finditer(s):
                hits.append(s[max(0, m.start() - 60): m.end() + 80])
    return hits


def test_remote_load_patterns_are_caught():
    """The checks below would notice a CDN script, stylesheet, font or image, and let links pass."""
    for bad in ('<script src="https://cdn.example.org/x.js"></script>', "<img src='//example.org/a.png'>",
                '<link rel="stylesheet" href="https://example.org/a.css">', "@import url(https://x.org/f.css);",
                "<style>p{background:url('http://example.org/b.png')}</style>"):
        assert _remote_loads([bad]), bad
    assert not _remote_loads(['<a href="https://example.org/story" target="_blank" rel="noopener">AP</a>'])


def test_lesson_notebooks_run_offline(executed):
    assert executed, "no notebooks found"
    for path in executed:
        nb = json.loads(path.read_text(encoding="utf-8"))
        errors = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"


def test_notebook_outputs_load_nothing_from_the_web(executed):
    for path in executed:
        nb = json.loads(path.read_text(encoding="utf-8"))
        outputs = [c.get("outputs", []) for c in nb["cells"] if c["cell_type"] == "code"]
        markdown = [c["source"] for c in nb["cells"] if c["cell_type"] == "markdown"]
        widget_state = nb["metadata"].get("widgets", {})  # where the exercise HTML lives
        hits = _remote_loads([outputs, markdown, widget_state])
        assert not hits, f"{path.name} would load from the web:\n" + "\n".join(hits[:10])


def test_handouts_build_offline(built):
    out, _ = built
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs, "the offline build wrote no PDF"
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_typst_sources_load_nothing_from_the_web(built, offline_copy):
    """Typst would fetch ``@preview`` packages from the web; images and data must be local files.
    URLs appear only as link targets (sources lists)."""
    sources = sorted(TEMPLATES.glob("*.typ")) + sorted((offline_copy / "build" / "typst").rglob("*.typ"))
    assert sources
    fetch = re.compile(r"""@preview/|#import\s+"(?:https?:)?//|\b(?:image|read|json|yaml|toml|csv|xml|cbor|"""
                       r"""plugin|include|bibliography)\s*\(\s*"(?:https?:)?//|#include\s+"(?:https?:)?//""")
    url = re.compile(r"https?://")
    for path in sources:
        text = path.read_text(encoding="utf-8")
        m = fetch.search(text)
        assert not m, f"{path} loads from the web: {text[max(0, m.start() - 80): m.end() + 80]!r}"
        if path.parent == TEMPLATES:  # the template itself names no URL at all
            assert not url.search(text), f"{path} names a URL"


TELEMETRY = re.compile(
    r"\b(?:urllib\.request|urlopen|http\.client|httpx|aiohttp|requests\.(?:get|post|put|Session)|"
    r"import\s+requests|from\s+requests|socket\.(?:socket|create_connection)|smtplib|ftplib|webbrowser|"
    r"telemetry|analytics|sentry_sdk|posthog|mixpanel|segment\.io|amplitude|gtag\(|plausible|matomo|"
    r"google-analytics|googletagmanager|navigator\.sendBeacon)", re.I)


def test_no_telemetry_or_network_calls_in_the_package():
    """The package, its templates and its notebooks contain no network client, analytics or beacon."""
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in {".py", ".typ", ".json", ".js", ".css",
                                                                          ".html", ".j2", ".tpl"}]
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert any(p.suffix == ".py" for p in files)
    hits = []
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if TELEMETRY.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:160]}")
    assert not hits, "network or telemetry code:\n" + "\n".join(hits)


def test_hand_in_works_offline(offline_copy, tmp_path):
    """A student's worksheet PDF (what "Save my worksheet as PDF" and `civicnb export-work` make)."""
    from civicnb.content.model import Project
    from civicnb.work.store import WorkStore

    lesson = Project(offline_copy).lesson(Project(offline_copy).lesson_names[0])
    store = WorkStore(lesson.name, tmp_path / "collected", "Ana R")
    store.set_student("Ana R")
    written = next((e for e in lesson.exercise_list if e.get("kind") in ("short_answer", "long_answer")), None)
    if written:
        store.save(written["id"], {"text": "Written with no network."})
    _offline({"kind": "cli", "cwd": str(offline_copy),
              "argv": ["export-work", str(tmp_path / "collected"), "--out", str(tmp_path / "pdf")]}, tmp_path)
    pdfs = list((tmp_path / "pdf").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
