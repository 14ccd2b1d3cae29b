"""The work store's guarantees, checked on whatever file system this Python has: the real one under
CPython, Emscripten's in-memory one under Pyodide (tests/test_pyodide.py runs this file there).

``probe(folder)`` returns {check: "ok" | "skipped: why"} and raises AssertionError on a broken
guarantee. Standard library and civicnb only.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path


def probe(folder: str) -> dict:
    from civicnb.work import store as S
    from civicnb.work.store import WorkFileError, WorkStore, read_regular

    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    out = {"fcntl": "ok" if S.fcntl is not None else "skipped: no fcntl module"}

    def fresh(name):
        d = base / name
        d.mkdir()
        return d

    # 1. a save is atomic: the file is complete JSON and no temporary file is left behind
    d = fresh("atomic")
    s = WorkStore("00-x", d, "Ana")
    s.save("q1", {"choice": "a"})
    s.save("q2", {"text": "two"})
    names = sorted(os.listdir(d))
    assert not [n for n in names if n.endswith(".tmp")], names
    data = json.loads(s.path.read_text(encoding="utf-8"))
    assert data["answers"]["q1"]["value"] == {"choice": "a"} and data["student"] == "", data
    out["atomic_save"] = "ok"

    # 2. two notebooks (tabs) on the same file merge part by part
    a, b = WorkStore("00-x", d, "Ana"), WorkStore("00-x", d, "Ana")
    a.save("q3", {"choices": ["x"]}, base=None)
    b.save("q3", {"choices": ["y"]}, base=None)
    assert sorted(WorkStore("00-x", d, "Ana").answers()["q3"]["choices"]) == ["x", "y"]
    out["merge"] = "ok"

    # 3. a link where the work file should be is never followed or overwritten
    d = fresh("link")
    target = d / "elsewhere.json"
    target.write_text("{}", encoding="utf-8")
    os.symlink(target, d / "00-x.json")
    try:
        read_regular(d / "00-x.json")
        raise AssertionError("read_regular followed a link")
    except WorkFileError as e:
        assert "link" in e.reason, e.reason
    s = WorkStore("00-x", d)
    assert s.path.name != "00-x.json" and s.warnings, (s.path, s.warnings)
    s.save("q1", {"choice": "a"})
    assert target.read_text(encoding="utf-8") == "{}"
    out["no_follow"] = "ok"

    # 4. a corrupt file is moved aside, never overwritten
    d = fresh("corrupt")
    (d / "00-x.json").write_text("{not json", encoding="utf-8")
    s = WorkStore("00-x", d)
    assert s.load()["answers"] == {} and any("moved" in w for w in s.warnings), s.warnings
    moved = [n for n in os.listdir(d) if ".corrupt-" in n]
    assert moved and (d / moved[0]).read_text(encoding="utf-8") == "{not json", moved
    out["corrupt_moved_aside"] = "ok"

    # 5. a folder where the work file should be: answers go to another file, with a warning
    d = fresh("dir")
    (d / "00-x.json").mkdir()
    s = WorkStore("00-x", d)
    s.save("q1", {"choice": "a"})
    assert s.path.name == "00-x.alt-1.json" and s.warnings, s.path
    out["folder_in_the_way"] = "ok"

    # 6. temporary files left by a killed save are removed by the next save
    d = fresh("stale")
    s = WorkStore("00-x", d)
    s.save("q1", {"choice": "a"})
    stale = d / f".{s.path.name}.dead.tmp"
    stale.write_text("half", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    s.save("q1", {"choice": "b"})
    assert not stale.exists(), os.listdir(d)
    out["stale_tmp_cleaned"] = "ok"

    # 7. files are created with the permissions the umask allows
    d = fresh("umask")
    prev = os.umask(0o027)
    try:
        s = WorkStore("00-x", d)
        s.save("q1", {"choice": "a"})
        mode = os.stat(s.path).st_mode & 0o777
    finally:
        os.umask(prev)
    assert mode == 0o640, oct(mode)
    out["umask"] = "ok"

    # 8. a FIFO where the work file should be does not hang the notebook
    d = fresh("fifo")
    try:
        os.mkfifo(d / "00-x.json")
    except (AttributeError, OSError) as e:
        out["fifo"] = f"skipped: no FIFOs here ({type(e).__name__})"
    else:
        s = WorkStore("00-x", d)
        assert s.load()["answers"] == {}
        out["fifo"] = "ok"

    # 9. a folder that cannot be written: the store raises OSError (the notebook shows an alert)
    d = fresh("readonly")
    os.chmod(d, 0o555)
    try:
        probe_file = d / "probe"
        try:
            probe_file.write_text("x")
            writable = True
            probe_file.unlink()
        except OSError:
            writable = False
        if writable:  # root, or a file system without permissions
            out["read_only_folder"] = "skipped: this user can write a 0o555 folder"
        else:
            try:
                WorkStore("00-x", d).save("q1", {"choice": "a"})
                raise AssertionError("saved into a read-only folder")
            except OSError:
                pass
            assert WorkStore("00-x", d).load()["answers"] == {}
            out["read_only_folder"] = "ok"
    finally:
        os.chmod(d, 0o755)
    return out


if __name__ == "__main__":  # python tests/store_probe.py FOLDER
    import sys

    print(json.dumps(probe(sys.argv[1])))
