"""The notebook runtime in real Pyodide (npm `pyodide`, core runtime only, run by Node): only pure-Python
wheels, the lessons from the bundle wheel, no network. See docs/design-notes.md, "Run time and build time".

Needs Node.js and `make pyodide-deps` (Pyodide from tests/pyodide/package-lock.json, the wheels of
requirements/pyodide-runtime.txt); `make test` does that. Skipped with a note where Node is missing,
except in CI (CI=true), where it fails.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, copy_project

HERE = ROOT / "tests" / "pyodide"
WHEELS = HERE / "wheels"
REAL_KINDS = {"single_choice", "multi_select", "sort", "timeline", "highlight", "verdict", "short_answer",
              "long_answer", "scale"}
ALL_KINDS = REAL_KINDS | {"cer"}

pytestmark = pytest.mark.slow


def _missing(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why} (in CI the Pyodide test must run: `make pyodide-deps`)")
    pytest.skip(f"NOTE: {why}; the Pyodide test is skipped. Install Node.js 20+ with npm, then `make pyodide-deps`.")


def _requirements() -> list[str]:
    names = []
    for line in (ROOT / "requirements" / "pyodide-runtime.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            names.append(line.split("==")[0].strip().lower().replace("-", "_"))
    return names


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """Every wheel Pyodide gets: the pinned pure wheels, civicnb (pip wheel --no-deps .) and the bundle."""
    if shutil.which("node") is None:
        _missing("node is not installed")
    if not (HERE / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file():
        _missing("Pyodide is not installed in tests/pyodide/node_modules (run `make pyodide-deps`)")
    have = sorted(WHEELS.glob("*.whl")) if WHEELS.is_dir() else []
    names = {w.name.split("-")[0].lower() for w in have}
    if not have or set(_requirements()) - names:
        _missing(f"the wheels of requirements/pyodide-runtime.txt are not all in {WHEELS} (run `make pyodide-deps`)")
    out = tmp_path_factory.mktemp("pyodide-wheels")
    for w in have:
        shutil.copy2(w, out / w.name)
    # built from a clean copy of the sources: setuptools' in-tree build/ folder can hold stale modules
    src = tmp_path_factory.mktemp("src") / "civicnb"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "node_modules", "wheels", "handouts", "test-artifacts", "*.egg-info",
        "__pycache__", ".pytest_cache", "my-work", "labextension"))
    shutil.copytree(ROOT / "src" / "civicnb" / "labextension", src / "src" / "civicnb" / "labextension",
                    dirs_exist_ok=True)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(src), "-w", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    from civicnb.bundle import write_bundle_wheel
    from civicnb.content.model import Project

    write_bundle_wheel(Project(ROOT), out)
    return out


def test_lessons_run_in_pyodide(wheels, tmp_path, capsys):
    from civicnb.bundle import write_bundle
    from civicnb.content.model import Project

    mini = write_bundle(Project(copy_project(FIXTURES / "mini", tmp_path / "mini")), tmp_path / "mini-bundle")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICNB_")}
    r = subprocess.run(["node", str(HERE / "run.mjs"), str(wheels), str(ROOT / "tests"), str(mini)], cwd=HERE,
                       env=env, capture_output=True, text=True, timeout=900)
    line = next((x for x in r.stdout.splitlines() if x.startswith("PYODIDE_RESULT ")), None)
    assert r.returncode == 0 and line, (r.stdout[-2000:], r.stderr[-4000:])
    report = json.loads(line.split(" ", 1)[1])

    assert report["platform"] == "emscripten" and report["python"].startswith("3.14")
    assert report["imported_build_modules"] == []  # nothing of yaml, matplotlib, numpy, nbformat, typst...
    assert Path(report["bundle"]).name == "civicnb_bundle"  # found as the installed wheel, with no setting
    assert set(report["lessons"]) == set(Project(ROOT).lesson_names)
    assert set(report["kinds"]) >= REAL_KINDS and set(report["extra"]["kinds"]) == ALL_KINDS
    assert sum(x["figures"] for x in report["lessons"].values()) >= 2 and report["checklist"] > 0
    assert any(f.endswith(".poll.json") for f in report["work_files"])  # polls kept apart, in the browser too
    store = report["store"]
    for check in ("atomic_save", "merge", "no_follow", "corrupt_moved_aside", "folder_in_the_way",
                  "stale_tmp_cleaned", "umask", "read_only_folder"):
        assert store[check] == "ok", (check, store[check])

    t = report["node_timings"]
    lines = [f"Pyodide route (Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, "
             f"Python {report['python']}):",
             f"  load Pyodide {t['load_pyodide_ms'] / 1000:.1f} s, micropip {t['load_micropip_ms'] / 1000:.1f} s, "
             f"install {len(list(wheels.glob('*.whl'))) - 1} wheels {t['install_wheels_ms'] / 1000:.1f} s, "
             f"import civicnb.notebook {t['import_runtime_ms'] / 1000:.1f} s, "
             f"import IPython.display and ipywidgets {t['import_ipython_ipywidgets_ms'] / 1000:.1f} s",
             f"  all four lessons (open, show every item, answer and check every exercise, reopen): "
             f"{t['drive_lessons_ms'] / 1000:.1f} s; total {t['total_ms'] / 1000:.1f} s"]
    for name, x in report["timings"].items():
        lines.append(f"  {name}: open {x['open_s']:.2f} s, show every item {x['show_all_s']:.2f} s, "
                     f"reopen {x['reopen_s']:.2f} s")
    text = "\n".join(lines)
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "pyodide-timings.txt").write_text(text + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + text)
