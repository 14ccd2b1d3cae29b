"""The run-time/build-time split: the compiled lesson bundle, loading from it, and the notebook
runtime with every build-time module blocked (see docs/design-notes.md, "Run time and build time")."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, copy_project, env_with_src

BLOCKED = ("yaml", "matplotlib", "numpy", "nbformat", "jsonschema", "fastjsonschema", "typst", "nbconvert", "PIL")
KINDS = {"single_choice", "multi_select", "sort", "timeline", "highlight", "verdict", "short_answer",
         "long_answer", "cer", "scale"}

# Run a script with the build-time modules made unimportable (an import hook that raises ImportError),
# as in Pyodide, where they do not exist.
BLOCKER = f"""
import sys
BLOCKED = {BLOCKED!r}
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("blocked for this test: " + name)
        return None
sys.meta_path.insert(0, _Block())
"""


def run_blocked(code: str, cwd, env_extra=None, timeout=300):
    env = env_with_src()
    env.pop("CIVICNB_BUNDLE", None)
    env.pop("CIVICNB_ROOT", None)
    extra = dict(env_extra or {})
    paths = [str(ROOT / "tests"), extra.pop("PYTHONPATH", ""), env.get("PYTHONPATH", "")]
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return subprocess.run([sys.executable, "-c", BLOCKER + code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def real_bundle(tmp_path_factory):
    from civicnb.bundle import write_bundle
    from civicnb.content.model import Project

    return write_bundle(Project(ROOT), tmp_path_factory.mktemp("bundle") / "civicnb-bundle")


@pytest.fixture(scope="module")
def mini_bundle(tmp_path_factory):
    from civicnb.bundle import write_bundle
    from civicnb.content.model import Project

    src = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("mini") / "mini")
    return write_bundle(Project(src), tmp_path_factory.mktemp("minibundle") / "civicnb-bundle")


def plain(x):
    return json.loads(json.dumps(x, default=str))


def test_bundle_loads_the_same_lessons_as_the_yaml(real_bundle, monkeypatch):
    from civicnb.bundle import student_view
    from civicnb.content.bundled import Bundle, located
    from civicnb.content.model import Project

    y, b = Project(ROOT), Project.from_bundle(Bundle(real_bundle))
    real_load = Project.load_content  # the YAML side as the bundle has it: without teacher-only fields
    monkeypatch.setattr(y, "load_content", lambda rel: located(student_view(rel, real_load(y, rel)), rel))
    assert b.lesson_names == y.lesson_names and plain(b.sources) == plain(y.sources)
    assert plain(b.unit) == plain(y.unit) and plain(b.article) == plain(y.article)
    for name in y.lesson_names:
        ly, lb = y.lesson(name), b.lesson(name)
        assert lb.exercise_order == ly.exercise_order and lb.exercise_order, name
        assert lb.ref_labels == ly.ref_labels, name
        assert plain(lb.meta) == plain(ly.meta), name
        assert plain(lb.exercises) == plain(ly.exercises), name
        assert plain(lb.claims) == plain(ly.claims), name
        assert plain(lb.blocks) == plain(ly.blocks), name  # law, perspective and "what happened next" cards
        assert lb.cited_source_ids() == ly.cited_source_ids(), name
        assert lb.teacher_md == ""  # teacher notes are never in the bundle


def _dump(w, out):
    """What a student sees of a widget tree: HTML, labels, options and values (no model ids)."""
    for attr in ("value", "description", "placeholder", "tooltip"):
        v = getattr(w, attr, None)
        if isinstance(v, (str, int, bool)) and not (attr == "value" and isinstance(v, bytes)):
            out.append(f"{type(w).__name__}.{attr}={v}")
    opts = getattr(w, "options", None)
    if opts:
        out.append(repr(opts))
    for c in getattr(w, "children", ()) or ():
        _dump(c, out)
    return out


def test_every_item_renders_the_same_from_the_bundle(real_bundle, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    monkeypatch.chdir(tmp_path)
    for name in ("00", "01", "02", "03"):
        y = open_lesson(name, work_dir=tmp_path / "y", root=ROOT)
        b = open_lesson(name, work_dir=tmp_path / "b", root=real_bundle)
        assert b.project.bundle is not None and y.project.bundle is None
        for item in json.loads(b.lesson.notebook_path.read_text(encoding="utf-8"))["cells"]:
            iid = item["metadata"]["civicnb"]["show"]
            got = [x.replace(str(tmp_path / "b"), "W") for x in _dump(b.render(iid), [])]
            want = [x.replace(str(tmp_path / "y"), "W") for x in _dump(y.render(iid), [])]
            assert got == want, (name, iid)


def test_bundle_has_every_chart_with_its_alt_text(real_bundle):
    from civicnb.content.model import Project

    manifest = json.loads((real_bundle / "manifest.json").read_text(encoding="utf-8"))
    figs = {f"{lesson.name}/{fid}": spec for lesson in Project(ROOT).lessons() for fid, spec in lesson.figures.items()}
    assert figs and set(manifest["charts"]) == set(figs)
    for key, spec in figs.items():
        entry = manifest["charts"][key]
        assert entry["alt"] == spec["alt"] and entry["alt"].strip()
        svg = (real_bundle / entry["file"]).read_bytes()
        assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert manifest["files"] and all((real_bundle / f).is_file() for f in manifest["files"])


def test_bundle_is_deterministic_and_never_holds_teacher_notes_or_the_article(tmp_path):
    from civicnb.bundle import bundle_files, bundle_wheel_bytes, write_bundle
    from civicnb.content.model import Project

    real = copy_project(ROOT, tmp_path / "real")
    (real / "lessons" / "article" / "copy.txt").write_text("ARTICLE BODY SECRET\n", encoding="utf-8")
    p = Project(real)
    a, b = bundle_files(p), bundle_files(Project(real))
    assert a == b
    assert bundle_wheel_bytes(p, a) == bundle_wheel_bytes(p, b)
    out = write_bundle(p, tmp_path / "b")
    names = [x.relative_to(out).as_posix() for x in out.rglob("*") if x.is_file()]
    assert not [n for n in names if n.endswith((".md", ".txt", ".yml"))], names
    blob = b"".join(a.values())
    assert b"ARTICLE BODY SECRET" not in blob
    teacher = (real / "lessons" / "01-claims" / "teacher.md").read_text(encoding="utf-8")
    line = next(x for x in teacher.splitlines() if len(x) > 60)
    assert line.encode() not in blob


def test_bundle_command_and_its_wheel(tmp_path):
    out, whl_dir = tmp_path / "bundle", tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "bundle", str(out), "--wheel", str(whl_dir)],
                       cwd=ROOT, env=env_with_src(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Wrote the lesson bundle" in r.stdout and (out / "manifest.json").is_file()
    whl = whl_dir / "civicnb_bundle-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(whl) as z:
        names = z.namelist()
        assert "civicnb_bundle/__init__.py" in names and "civicnb_bundle/manifest.json" in names
        record = z.read("civicnb_bundle-0.1.0.dist-info/RECORD").decode()
        assert all(n in record for n in names)
    # the wheel's package is found with no environment variable and no lessons folder (the browser's case)
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(whl) as z:
        z.extractall(site)
    r = run_blocked("from civicnb.content.model import Project; p = Project.find(); "
                    "print(p.bundle.root.name, len(p.lesson_names))", cwd=tmp_path,
                    env_extra={"PYTHONPATH": str(site)})
    assert r.returncode == 0 and r.stdout.split() == ["civicnb_bundle", "4"], r.stderr


def test_bundle_refuses_a_folder_that_is_not_a_bundle(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "bundle", str(target), "--no-check"], cwd=ROOT,
                       env=env_with_src(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "not a lesson bundle" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_runtime_runs_every_lesson_with_the_build_modules_blocked(real_bundle, tmp_path):
    """Every lesson from the bundle, every item shown, every exercise answered, checked and reloaded,
    with yaml, matplotlib, numpy, nbformat, jsonschema, typst and nbconvert unimportable."""
    code = ("import json, sys, runtime_drive; r = runtime_drive.drive(sys.argv[1] if len(sys.argv) > 1 else 'w'); "
            f"r['imported'] = sorted(m for m in sys.modules if m.split('.')[0] in {BLOCKED!r}); print(json.dumps(r))")
    # found as civicnb-bundle/ above the working folder: no environment variable
    cwd = real_bundle.parent / "notebooks"
    cwd.mkdir(exist_ok=True)
    r = run_blocked(code, cwd=cwd)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["imported"] == []
    assert set(report["lessons"]) == {"00-before-we-begin", "01-claims", "02-reading-like-a-fact-checker",
                                      "03-rights-and-the-debate"}
    assert report["checklist"] > 0
    assert sum(x["figures"] for x in report["lessons"].values()) >= 2
    assert sum(x["reveal_boxes"] for x in report["lessons"].values()) >= 1


def test_every_exercise_kind_runs_with_the_build_modules_blocked(mini_bundle, tmp_path):
    code = ("import json, sys, runtime_drive; r = runtime_drive.drive('w'); "
            f"r['imported'] = sorted(m for m in sys.modules if m.split('.')[0] in {BLOCKED!r}); print(json.dumps(r))")
    r = run_blocked(code, cwd=tmp_path, env_extra={"CIVICNB_BUNDLE": str(mini_bundle)})
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(report["kinds"]) == KINDS and report["imported"] == []


def test_without_yaml_or_a_bundle_one_clear_line(tmp_path):
    """PyYAML missing and no bundle anywhere: the message says what to do."""
    code = ("from civicnb.content.model import Project\n"
            "try:\n    Project.find()\nexcept Exception as e:\n    print(type(e).__name__, e)")
    r = run_blocked(code, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.startswith("ContentError"), (r.stdout, r.stderr)
    assert "PyYAML is not installed" in r.stdout and "civicnb bundle" in r.stdout


def test_yaml_route_is_unchanged_where_pyyaml_is_installed(real_bundle, tmp_path, monkeypatch):
    """A civicnb-bundle/ folder beside the lessons does not take over the server route."""
    from civicnb.content.model import Project

    monkeypatch.chdir(ROOT)
    assert Project.find().bundle is None
    monkeypatch.setenv("CIVICNB_BUNDLE", str(real_bundle))
    assert Project.find().bundle is not None and Project.find().root == real_bundle


def test_damaged_bundles_say_what_to_do(real_bundle, tmp_path, monkeypatch):
    import shutil

    from civicnb.content.bundled import Bundle
    from civicnb.content.model import Project
    from civicnb.content.yamlload import ContentError

    broken = tmp_path / "b"
    shutil.copytree(real_bundle, broken)
    (broken / "lessons" / "01-claims" / "claims.json").write_text("{oops", encoding="utf-8")
    p = Project.from_bundle(Bundle(broken))
    with pytest.raises(ContentError, match="claims.json:1: the bundle file is damaged.*civicnb bundle"):
        p.lesson("01").claims
    (broken / "manifest.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ContentError, match="not a civicnb-bundle/1 lesson bundle"):
        Bundle(broken)
    monkeypatch.setenv("CIVICNB_BUNDLE", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="not a civicnb lesson bundle"):
        Project.find()


def test_emscripten_work_files_get_the_umask(tmp_path, monkeypatch):
    """Emscripten's file system (Pyodide) creates files 0o666 whatever the umask; the store applies
    the umask itself there (found by tests/store_probe.py under Pyodide)."""
    from civicnb.work import store

    real_open = os.open

    def emscripten_open(path, flags, mode=0o777, **kw):  # creates files as Emscripten does
        fd = real_open(path, flags, mode, **kw)
        if flags & os.O_CREAT:
            os.fchmod(fd, 0o666)
        return fd

    monkeypatch.setattr(store.os, "open", emscripten_open)
    monkeypatch.setattr(store.sys, "platform", "emscripten")
    prev = os.umask(0o027)
    try:
        s = store.WorkStore("00-x", tmp_path, "Ana")
        s.save("q1", {"choice": "a"})
    finally:
        os.umask(prev)
    assert os.stat(s.path).st_mode & 0o777 == 0o640


def test_store_guarantees_on_this_file_system(tmp_path):
    from . import store_probe  # the same checks tests/test_pyodide.py runs inside Pyodide

    report = store_probe.probe(str(tmp_path / "probe"))
    assert {k for k, v in report.items() if v == "ok"} >= {"atomic_save", "merge", "no_follow", "corrupt_moved_aside",
                                                           "folder_in_the_way", "stale_tmp_cleaned", "umask"}


def test_a_project_made_from_a_bundle_folder_reads_the_bundle(real_bundle):
    """Code that makes Project(root) itself (a translated copy of the project, the checklist) keeps
    reading the bundle."""
    from civicnb.content.model import Project

    p = Project(real_bundle)
    assert p.bundle is not None and p.lesson("01").exercise_order == Project(ROOT).lesson("01").exercise_order
    assert Project(ROOT).bundle is None


def test_model_answers_and_the_lesson_plan_are_not_in_the_bundle(mini_bundle, real_bundle):
    blob = b"".join(f.read_bytes() for f in mini_bundle.rglob("*") if f.is_file())
    for secret in (b"EXBEG", b"EXDEV", b"EXPRO", b"LONGPRO", b"LOOKFOR", b"LONGLOOK", b"CERCLAIM"):
        assert secret not in blob, secret
    for lesson in (real_bundle / "lessons").glob("*/lesson.json"):
        data = json.loads(lesson.read_text(encoding="utf-8"))
        assert "steps" not in data and "preparation" not in data, lesson
    for f in (real_bundle / "lessons").glob("*/exercises.json"):
        for ex in json.loads(f.read_text(encoding="utf-8"))["exercises"]:
            assert "teacher_note" not in ex and not {"exemplars", "look_for"} & set(ex.get("key") or {}), ex["id"]


def test_bundle_stops_on_broken_content_with_the_file_and_line(tmp_path):
    real = copy_project(ROOT, tmp_path / "real")
    f = real / "lessons" / "01-claims" / "claims.yml"
    f.write_text(f.read_text(encoding="utf-8") + "\n  - id: [broken\n", encoding="utf-8")
    out = tmp_path / "b"
    for extra in ([], ["--no-check"]):
        r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real), "bundle", str(out), *extra],
                           cwd=tmp_path, env=env_with_src(), capture_output=True, text=True, timeout=300)
        assert r.returncode in (1, 2) and "Traceback" not in r.stderr, r.stderr
        assert "lessons/01-claims/claims.yml:" in r.stderr, r.stderr
        assert not out.exists()
