"""Student work is never lost: atomic saves, crash safety, corrupt files moved aside, two writers."""
import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time

import pytest

from civicnb.work.store import FORMAT, WorkStore

from .conftest import env_with_src


def test_save_and_reload(tmp_path):
    s = WorkStore("00-x", tmp_path)
    s.save("q1", {"choice": "a"})
    s.save("q2", {"text": "hola, señor 😀"})
    data = json.loads((tmp_path / "00-x.json").read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["lesson"] == "00-x"
    assert WorkStore("00-x", tmp_path).answers() == {"q1": {"choice": "a"}, "q2": {"text": "hola, señor 😀"}}


def test_student_name_gives_own_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVICNB_STUDENT", "Ana R.")
    s = WorkStore("00-x", tmp_path)
    s.save("q1", 1)
    assert s.path.name.startswith("00-x--ana-r-") and s.path.name.endswith(".json")  # letters + a short hash


def test_crash_during_write_keeps_previous_answers(tmp_path, monkeypatch):
    s = WorkStore("00-x", tmp_path)
    s.save("q1", {"choice": "a"})
    before = s.path.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        s.save("q2", {"choice": "b"})
    monkeypatch.undo()
    assert s.path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"], "temporary file left behind"
    assert WorkStore("00-x", tmp_path).answers() == {"q1": {"choice": "a"}}


WRITER = """
import sys, time
from civicnb.work.store import WorkStore
s = WorkStore("00-x", sys.argv[1])
i = 0
while True:
    i += 1
    s.save("counter", {"text": "x" * 20000 + str(i)})
"""


def test_process_killed_mid_save_leaves_a_valid_file(tmp_path):
    """SIGKILL a process that saves in a tight loop: whatever moment it dies, the file is valid JSON."""
    s = WorkStore("00-x", tmp_path)
    s.save("keep", {"choice": "a"})
    for attempt in range(5):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], env=env_with_src())
        time.sleep(0.3 + attempt * 0.07)
        p.send_signal(signal.SIGKILL)
        p.wait()
        data = json.loads(s.path.read_text())  # never half-written
        assert data["answers"]["keep"]["value"] == {"choice": "a"}
        assert data["answers"]["counter"]["value"]["text"].startswith("x" * 20000)


def test_corrupt_file_is_moved_aside_with_a_message(tmp_path):
    s = WorkStore("00-x", tmp_path)
    s.path.parent.mkdir(parents=True, exist_ok=True)
    s.path.write_text('{"answers": {"q1": ')  # truncated
    data = s.load()
    assert data["answers"] == {}
    moved = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(moved) == 1 and moved[0].read_text() == '{"answers": {"q1": '
    assert s.warnings and str(moved[0]) in s.warnings[0] and "moved" in s.warnings[0]
    s.save("q2", {"choice": "b"})  # a fresh file; the corrupt copy is untouched
    assert moved[0].read_text() == '{"answers": {"q1": '


def test_corrupt_file_message_reaches_the_notebook(mini, tmp_path):
    from civicnb.notebook import open_lesson

    work = tmp_path / "w"
    work.mkdir()
    (work / "00-all-kinds.json").write_bytes(b"\xff\xfe not json")
    L = open_lesson("00", work_dir=work, root=mini.root)
    header = L.render("header")
    assert "corrupt-" in header.children[0].value and "moved" in header.children[0].value


def _hammer(folder, item, n):
    s = WorkStore("00-x", folder)
    for i in range(n):
        s.save(item, {"n": i})


def test_two_notebooks_do_not_erase_each_other(tmp_path):
    """Two processes save different answers to the same lesson file at the same time."""
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), f"q{k}", 60)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    answers = WorkStore("00-x", tmp_path).answers()
    assert answers == {"q0": {"n": 59}, "q1": {"n": 59}}


def test_two_sessions_in_one_process(mini, tmp_path):
    from civicnb.notebook import open_lesson

    a = open_lesson("00", work_dir=tmp_path, root=mini.root)
    b = open_lesson("00", work_dir=tmp_path, root=mini.root)  # opened before a saved anything
    a.render("q-single").controls["choice"].value = "b"
    b.render("q-short").controls["text"].value = "from b"
    answers = WorkStore("00-all-kinds", tmp_path).answers()
    assert answers["q-single"] == {"choice": "b"} and answers["q-short"] == {"text": "from b"}


def test_save_failure_is_shown_not_silent(mini, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path, root=mini.root)
    w = L.render("q-single")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(L.store, "save", full)
    w.controls["choice"].value = "a"
    assert "could NOT be saved" in w.alert.value and "No space left" in w.alert.value
    assert w.controls["choice"].value == "a"  # the answer stays on screen
    monkeypatch.undo()
    w.controls["choice"].value = "b"  # the next save works and clears the alert
    assert w.alert.value == "" and L.store.answers()["q-single"] == {"choice": "b"}
