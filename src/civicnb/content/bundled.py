"""Reading lessons from a compiled bundle (JSON) instead of the YAML sources: the run-time half of
the run-time/build-time split.

A bundle is a folder written by ``civicnb bundle OUT`` (see :mod:`civicnb.bundle`)::

    manifest.json                         {"format": "civicnb-bundle/1", "lessons": [...], "charts": {...}, ...}
    lessons/unit.json, lessons/sources.json, lessons/article/article.json
    lessons/<lesson>/lesson.json, exercises.json, claims.json, timeline.json, law-cards.json, ...
    lessons/<lesson>/i18n/<lang>.json     language overlays (the ``i18n/<lang>.yml`` files as JSON)
    lessons/data/*.csv                    chart data, copied as they are (sources of each row)
    notebooks/<lesson>.order.json         the ``civicnb.show`` item ids of each lesson notebook, in order
    charts/<lesson>/<figure>.svg          every chart a notebook shows, drawn at build time
    package/<file>.json                   the package's own YAML data (checklist word list, UI words)

Each ``X.json`` holds exactly what the YAML loader returns for ``X.yml`` (dates as ISO text), so the
content model runs the same code on either; only line numbers are missing (messages say line 1).

Where it is found (:func:`find_bundle`): ``$CIVICNB_BUNDLE``; a folder ``civicnb-bundle/`` (holding
``manifest.json``) in the working folder or a folder above it; an installed Python package
``civicnb_bundle`` (the wheel ``civicnb bundle OUT --wheel`` writes). The YAML sources win wherever
PyYAML is installed and ``lessons/unit.yml`` is found (the Jupyter server route is unchanged); the
bundle is used when ``$CIVICNB_BUNDLE`` is set or PyYAML is missing (the browser, under Pyodide).

Pure Python, standard library only: no YAML, Matplotlib, nbformat, jsonschema or Typst.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .yamlload import ContentError, LDict, LList, read_text_file

FORMAT = "civicnb-bundle/1"
MANIFEST = "manifest.json"
FOLDER = "civicnb-bundle"       # the folder name searched for beside (or above) the notebooks
PACKAGE = "civicnb_bundle"      # the importable package the bundle wheel installs
ENV = "CIVICNB_BUNDLE"


def twin(rel: str) -> str:
    """The bundle file for a source file: ``lessons/x/lesson.yml`` -> ``lessons/x/lesson.json``."""
    for ext in (".yml", ".yaml"):
        if rel.endswith(ext):
            return rel[: -len(ext)] + ".json"
    return rel


def located(node, file: str):
    """JSON data as the YAML loader returns it: mappings as LDict and lists as LList (no line numbers)."""
    if isinstance(node, dict):
        out = LDict((k, located(v, file)) for k, v in node.items())
        out.file, out.line, out.lines = file, 1, {}
        return out
    if isinstance(node, list):
        out = LList(located(v, file) for v in node)
        out.file, out.line, out.lines = file, 1, []
        return out
    return node


def is_bundle(folder) -> bool:
    try:
        return (Path(folder) / MANIFEST).is_file()
    except (OSError, TypeError, ValueError):
        return False


class Bundle:
    """A compiled bundle on disk (a folder, or the installed ``civicnb_bundle`` package)."""

    def __init__(self, root):
        self.root = Path(root)
        path = self.root / MANIFEST
        try:
            manifest = json.loads(read_text_file(path, str(path)))
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.root} is not a civicnb lesson bundle (no {MANIFEST}); make one with "
                                    "`civicnb bundle FOLDER`") from None
        except (ContentError, ValueError) as e:
            raise ContentError(str(path), 1, f"not a readable lesson bundle ({e}); make it again with "
                                             "`civicnb bundle FOLDER`") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ContentError(str(path), 1, f"not a {FORMAT} lesson bundle (made by another version of civicnb?); "
                                             "make it again with `civicnb bundle FOLDER`")
        self.manifest = manifest

    def __repr__(self):
        return f"Bundle({str(self.root)!r})"

    def path(self, rel: str) -> Path:
        """Where source file ``rel`` (``lessons/x/exercises.yml``) lives in the bundle."""
        return self.root / twin(rel)

    def has(self, rel: str) -> bool:
        return self.path(rel).is_file()

    def load(self, rel: str):
        """The data of source file ``rel``, as :func:`~civicnb.content.yamlload.load_yaml` would return it.
        A missing file raises FileNotFoundError, as for a YAML file."""
        path = self.path(rel)
        text = read_text_file(path, twin(rel))
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ContentError(twin(rel), 1, f"the bundle file is damaged ({str(e)[:80]}); make the bundle again "
                                             "with `civicnb bundle FOLDER`") from None
        return located(data, rel)

    def notebook_path(self, lesson_name: str) -> Path:
        return self.root / "notebooks" / f"{lesson_name}.order.json"

    def chart(self, lesson_name: str, figure_id: str, lang: str | None = None) -> bytes:
        """The pre-drawn chart of a figure (SVG bytes); a language's own drawing where there is one."""
        base = self.root / "charts" / lesson_name
        names = ([f"{figure_id}.{lang}.svg"] if lang and lang != "en" else []) + [f"{figure_id}.svg"]
        for name in names:
            try:
                return (base / name).read_bytes()
            except FileNotFoundError:
                continue
        raise ContentError(f"charts/{lesson_name}/{figure_id}.svg", 1,
                           "this chart is not in the lesson bundle; make the bundle again with `civicnb bundle FOLDER`")

    def package_data(self, name: str):
        """The package's own YAML data file ``name`` (e.g. ``checklist_words.yml``) from the bundle, as JSON."""
        return self.load(f"package/{name}")

    def languages(self) -> list[str]:
        return list(self.manifest.get("languages") or ["en"])


_ACTIVE: list = []  # the bundle the last project was opened from (for package data, see load_package_yaml)


def activate(bundle: Bundle) -> Bundle:
    _ACTIVE[:] = [bundle]
    return bundle


def active() -> Bundle | None:
    """The bundle in use: the last one a project was opened from, else the one :func:`find_bundle` finds."""
    if not _ACTIVE:
        try:
            b = find_bundle()
        except (OSError, ContentError):
            b = None
        if b is not None:
            activate(b)
    return _ACTIVE[0] if _ACTIVE else None


def installed_bundle_dir() -> Path | None:
    """The folder of the installed ``civicnb_bundle`` package, if there is one (imports nothing)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    locs = list(getattr(spec, "submodule_search_locations", None) or []) if spec else []
    for loc in locs:
        if is_bundle(loc):
            return Path(loc)
    return None


def find_bundle(start=None) -> Bundle | None:
    """The bundle to load lessons from, or None: ``$CIVICNB_BUNDLE`` (an error if it is not a bundle), a
    ``civicnb-bundle/`` folder in ``start`` (default: the working folder) or a folder above it, or the
    installed ``civicnb_bundle`` package."""
    env = os.environ.get(ENV)
    if env:
        return Bundle(Path(env).expanduser())
    here = Path(start or os.getcwd()).resolve()
    if is_bundle(here):
        return Bundle(here)
    for folder in (here, *here.parents):
        if is_bundle(folder / FOLDER):
            return Bundle(folder / FOLDER)
    found = installed_bundle_dir()
    return Bundle(found) if found else None


def yaml_available() -> bool:
    """Whether PyYAML can be imported (found without importing it: the build's fast path stays light)."""
    import importlib.util
    import sys

    if "yaml" in sys.modules:
        return sys.modules["yaml"] is not None
    try:
        return importlib.util.find_spec("yaml") is not None
    except (ImportError, ValueError):
        return False
