"""Safe YAML loading that remembers where every value came from.

Content is loaded with PyYAML's *safe* loader only: no tags that build Python objects, so loading a
lesson never runs code. Mappings and sequences come back as :class:`LDict` and :class:`LList`, plain
``dict``/``list`` subclasses that also record the line of each key or item, so that error messages can
say ``lessons/00-x/exercises.yml:14``.
"""
from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path


class LDict(dict):
    """A dict that knows its file, its own line and the line of each key (1-based)."""

    file: str = ""
    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LList(list):
    file: str = ""
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        try:
            return self.lines[index]
        except (IndexError, TypeError):
            return self.line


@functools.lru_cache(maxsize=1)
def _loader_class():
    """The safe loader with line information, built on first use: ``import yaml`` stays off the
    import path, so the notebook runtime loads lessons from a compiled bundle (JSON) where PyYAML
    is not installed (in the browser, under Pyodide)."""
    import yaml

    try:  # the C loader is much faster where PyYAML was built with libyaml
        base = yaml.CSafeLoader  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover
        base = yaml.SafeLoader

    class _Loader(base):
        def construct_object(self, node, deep=False):
            # A node built before is an alias (*name). Lesson files never need them, and nested aliases
            # ("billion laughs") make a small file expand into a structure too big to walk.
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "YAML aliases (*name) are not allowed in lesson files; write the value out",
                    node.start_mark)
            return super().construct_object(node, deep=deep)

    def _construct_mapping(loader, node):
        loader.flatten_mapping(node)
        d = LDict()
        d.file = loader._civicnb_file
        d.line = node.start_mark.line + 1
        d.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain words", key_node.start_mark)
            if key in d:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            d[key] = loader.construct_object(value_node, deep=True)
            d.lines[key] = key_node.start_mark.line + 1
        return d

    def _construct_sequence(loader, node):
        items = LList(loader.construct_object(child, deep=True) for child in node.value)
        items.file = loader._civicnb_file
        items.line = node.start_mark.line + 1
        items.lines = [child.start_mark.line + 1 for child in node.value]
        return items

    def _construct_timestamp(loader, node):
        # Keep dates as ISO strings: they print as written and compare as strings.
        value = loader.construct_scalar(node)
        return str(value)

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    return _Loader


class ContentError(Exception):
    """A problem in lesson content, located at ``file:line``."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


def load_yaml(path: str | Path, display: str | None = None):
    """Load one YAML file safely, with line information.

    ``display`` is the path used in messages (normally relative to the project).
    """
    path = Path(path)
    name = display or str(path)
    try:
        import yaml
    except ImportError:  # in the browser (Pyodide): no PyYAML, the data comes from the compiled bundle
        return _from_bundle(path, name)
    text = read_text_file(path, name)
    loader = _loader_class()(text)
    loader._civicnb_file = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError(name, line, f"YAML syntax: {e.problem or e.context}. "
                                       "Check indentation and quoting on this line.") from None
    except yaml.YAMLError as e:  # pragma: no cover - other YAML errors
        raise ContentError(name, 1, f"YAML: {e}") from None
    except RecursionError:
        raise ContentError(name, 1, "nested too deeply to be a lesson file") from None
    finally:
        loader.dispose()



def _from_bundle(path: Path, name: str):
    """Without PyYAML, a package data file (``civicnb/checklist_words.yml``, ``civicnb/i18n/ui.yml``) is
    read from the lesson bundle in use, where ``civicnb bundle`` stored it as JSON."""
    from .bundled import active

    pkg = Path(__file__).resolve().parents[1]
    try:
        rel = path.resolve().relative_to(pkg).as_posix()
    except (ValueError, OSError):
        rel = None
    bundle = active() if rel else None
    if bundle is None:
        raise ContentError(name, 1, "PyYAML is not installed here, so YAML files cannot be read; load the lessons "
                                    "from a compiled bundle (`civicnb bundle FOLDER`, see docs/design-notes.md)")
    return bundle.package_data(rel)


MAX_CONTENT_BYTES = 5 * 1024 * 1024


def read_text_file(path: str | Path, display: str | None = None, limit: int = MAX_CONTENT_BYTES) -> str:
    """A content file's text: a regular file (never a pipe that would hang), not too big, in UTF-8
    (a byte-order mark is fine). Anything else raises ContentError saying what to do."""
    from ..work.store import WorkFileError, read_regular

    name = display or str(path)
    try:
        raw = read_regular(path, limit)
    except WorkFileError as e:
        raise ContentError(name, 1, f"{e.reason}; lesson files must be plain text files") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ContentError(name, line, f"this file is not UTF-8 text (byte 0x{raw[e.start]:02x} on this line); "
                                       "save it as UTF-8 in your editor") from None


def expect(value, kind, file: str, line: int, what: str):
    """``value`` if it is of type ``kind``, else a ContentError that names the file and the shape wanted."""
    if value is None or isinstance(value, kind):
        return value
    wanted = {dict: "a mapping of fields (key: value lines)", list: "a list (lines starting with '- ')"}[kind]
    got = next((word for t, word in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, "text"),
                                     (int, "a number"), (float, "a number")) if isinstance(value, t)), "something else")
    raise ContentError(file, getattr(value, "line", 0) or line, f"{what} must be {wanted}, not {got}")


def iso_date(value) -> str | None:
    """Return the value as ``YYYY-MM-DD`` if it is a valid date, else None."""
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value[:10]).isoformat() if len(value) == 10 else None
        except ValueError:
            return None
    return None
