"""The static site's build pieces that need no browser: the work store where fcntl has no flock (as in
JupyterLite's Pyodide kernel), the GitHub Pages workflow, and the site build's own checks."""
from __future__ import annotations

import importlib
import json
import sys
import types

from .conftest import ROOT


def test_store_saves_where_fcntl_has_no_flock(tmp_path, monkeypatch):
    """JupyterLite's Pyodide kernel has an fcntl module without flock: every save failed with
    AttributeError ("module 'fcntl' has no attribute 'flock'") and no lesson opened."""
    monkeypatch.setitem(sys.modules, "fcntl", types.ModuleType("fcntl"))
    import civicnb.work.store as store

    try:
        store = importlib.reload(store)
        s = store.WorkStore("00-before-we-begin", tmp_path)
        s.save("q1", "b")
        data = json.loads(s.path.read_text())
        assert "q1" in json.dumps(data)
    finally:
        monkeypatch.undo()
        importlib.reload(store)
