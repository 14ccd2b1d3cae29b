"""``civicnb i18n sync LANG [LESSON]``: write the translation skeletons and report their state.

For each lesson (and the article and the unit), every student-facing string (see
:data:`civicnb.i18n.FIELDS`) gets an entry in the translation file: its English text (``en``, for
the translator to read), ``en_hash`` and the translation (``es: ""`` until someone writes it).
A filled translation is never deleted or overwritten. When the English changed since it was
translated (the hash differs) the entry is reported as stale: ``en`` shows the new English, ``en_hash``
keeps the old hash until the translator has revised the text and deleted the ``en_hash`` line (the
next sync then records the current hash). Entries whose English string no longer exists are kept at
the end under ``unused:`` if they hold a translation, so no work is lost.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import NOTEBOOK, en_hash, entry_text, student_strings

LESSON_FILES = ("lesson.yml", "exercises.yml", "claims.yml", "timeline.yml", "law-cards.yml",
                "perspectives.yml", "whats-next.yml")


class TranslationFileError(ValueError):
    """A translation file that cannot be read; the message names it and says what to do."""


@dataclass
class Target:
    """One translation file and the English sources it covers."""
    name: str  # "00-before-we-begin", "article" or "unit"
    path: Path  # the translation file
    sources: list = field(default_factory=list)  # (filename as keyed, loader) pairs


def translation_path(root: Path, name: str, lang: str) -> Path:
    if name == "unit":
        return Path(root) / "lessons" / "i18n" / f"{lang}.yml"
    return Path(root) / "lessons" / name / "i18n" / f"{lang}.yml"


def targets(project, lang: str, only: str | None = None) -> list[Target]:
    from ..content.yamlload import load_yaml

    root = project.root
    out = []
    names = list(project.lesson_names)
    if only:
        if only in ("article", "unit"):
            names = [only]
        else:
            names = [project.lesson(only).name]
    else:
        names += ["article", "unit"]
    for name in names:
        tg = Target(name, translation_path(root, name, lang))
        if name == "unit":
            tg.sources.append(("unit.yml", lambda: load_yaml(root / "lessons" / "unit.yml", "lessons/unit.yml")))
        elif name == "article":
            p = root / "lessons" / "article" / "article.yml"
            if p.exists():
                tg.sources.append(("article.yml", lambda p=p: load_yaml(p, "lessons/article/article.yml")))
        else:
            d = root / "lessons" / name
            for f in LESSON_FILES:
                if (d / f).exists():
                    tg.sources.append((f, lambda p=d / f, f=f: load_yaml(p, f"lessons/{name}/{f}")))
            nb = root / "notebooks" / f"{name}.ipynb"
            if nb.exists():
                tg.sources.append((NOTEBOOK, lambda nb=nb: _load_notebook(nb)))
        out.append(tg)
    return out


def _load_notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise TranslationFileError(f"{path}: cannot read the notebook ({e})") from None


def english(tg: Target) -> dict:
    """{key: English text} for a target, in file order."""
    out = {}
    for filename, load in tg.sources:
        data = load()
        for key, _c, _s, text in student_strings(data, filename):
            out[key] = text
    return out


def read_translation(path: Path, lang: str | None = None) -> dict:
    """The ``strings`` mapping of a translation file ({} if the file does not exist)."""
    from ..content.yamlload import ContentError, load_yaml

    if not path.exists():
        return {}
    try:
        data = load_yaml(path, str(path))
    except ContentError as e:
        raise TranslationFileError(f"{e}; fix the YAML (or restore the file from git) and run sync again") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("strings", {}), (dict, type(None))):
        raise TranslationFileError(f"{path}: a translation file needs 'lang:' and a 'strings:' mapping; "
                                   "see docs/translating.md")
    if lang and data.get("lang") not in (None, lang):
        raise TranslationFileError(f"{path}: says lang: {data.get('lang')!r} but it is the {lang!r} file")
    strings = dict(data.get("strings") or {})
    for k, v in list(strings.items()):
        if v is not None and not isinstance(v, (dict, str)):
            raise TranslationFileError(f"{path}:{getattr(strings, 'line', 1)}: entry {k!r} must be a mapping "
                                       "with en_hash and the translation")
    unused = data.get("unused") or {}
    return {"strings": strings, "unused": dict(unused) if isinstance(unused, dict) else {}}


@dataclass
class SyncResult:
    target: str
    path: Path
    added: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # empty translations (including the added ones)
    unused: list = field(default_factory=list)
    total: int = 0
    changed: bool = False


def sync_target(tg: Target, lang: str, write: bool = True) -> SyncResult:
    en = english(tg)
    old = read_translation(tg.path, lang)
    old_strings, old_unused = old.get("strings", {}), old.get("unused", {})
    res = SyncResult(tg.name, tg.path, total=len(en))
    new: dict = {}
    for key, text in en.items():
        entry = old_strings.get(key)
        if entry is None and key in old_unused:  # a string that came back
            entry = old_unused[key]
        h = en_hash(text)
        tr = entry_text(entry) or ""
        prev = entry.get("en_hash") if isinstance(entry, dict) else None
        if entry is None:
            res.added.append(key)
        if not tr.strip():
            res.missing.append(key)
            prev = h
        elif prev in (None, ""):
            prev = h  # the translator deleted en_hash: they confirm the translation matches this English
        elif str(prev) != h:
            res.stale.append(key)
        new[key] = {"en": text, "en_hash": str(prev), lang: tr}
    unused = {}
    for key, entry in list(old_strings.items()) + list(old_unused.items()):
        if key not in en and (entry_text(entry) or "").strip():
            unused[key] = entry
            res.unused.append(key)
    text = dump(tg, lang, new, unused)
    old_text = tg.path.read_text(encoding="utf-8") if tg.path.exists() else None
    res.changed = text != old_text
    if write and res.changed:
        tg.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = tg.path.with_suffix(".yml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(tg.path)
    return res


HEADER = """\
# {what}: the {language} text students see. Format and rules: docs/translating.md.
# Translate only the `{lang}:` lines. Keep [[item-id]] references, **Markdown** and line breaks in
# notebook cells; keep short quoted English phrases in English and add a {language} gloss.
# Run `civicnb i18n sync {lang}{only}` after the English changes: it adds new strings (with {lang}: "")
# and lists stale ones (the English changed since you translated it).
"""
LANGUAGE = {"es": "Spanish"}


def dump(tg: Target, lang: str, strings: dict, unused: dict) -> str:
    what = {"unit": "The unit's title and question", "article": "The article's paragraph map"}.get(
        tg.name, f"Lesson {tg.name}")
    only = "" if tg.name == "unit" else f" {tg.name.split('-', 1)[0] if tg.name[:2].isdigit() else tg.name}"
    out = [HEADER.format(what=what, language=LANGUAGE.get(lang, lang), lang=lang, only=only).rstrip("\n"),
           f"lang: {lang}", "strings:"]
    if not strings:
        out[-1] = "strings: {}"
    for key, e in strings.items():
        out.append(f"  {_scalar(key, 2)}:")
        out.append(f"    en: {_scalar(e['en'], 6)}")
        out.append(f"    en_hash: {_scalar(e['en_hash'], 6)}")
        out.append(f"    {lang}: {_scalar(e[lang], 6)}")
    if unused:
        out.append("# Translations whose English string no longer exists (kept so no work is lost;")
        out.append("# delete them when you are sure they are not needed):")
        out.append("unused:")
        for key, e in unused.items():
            out.append(f"  {_scalar(key, 2)}:")
            if isinstance(e, dict):
                for k, v in e.items():
                    out.append(f"    {k}: {_scalar(str(v), 6)}")
            else:
                out.append(f"    {lang}: {_scalar(str(e), 6)}")
    return "\n".join(out) + "\n"


def _scalar(s: str, indent: int) -> str:
    """A YAML scalar for ``s``: a literal block for multi-line text, else a double-quoted string
    (JSON's escapes are YAML's). Round-trip checked."""
    import yaml

    s = str(s)
    if "\n" in s and not s.startswith((" ", "\n")) and all(l == l.rstrip() for l in s.split("\n")) \
            and "\t" not in s and "\r" not in s:
        pad = " " * indent
        block = "|" + ("-" if not s.endswith("\n") else "") + "\n" + "\n".join(
            (pad + l) if l else "" for l in s.rstrip("\n").split("\n"))
        if s.endswith("\n\n"):
            block = None  # keep-trailing-newlines needs |+; use the quoted form
        if block is not None:
            try:
                if yaml.safe_load("k: " + block) == {"k": s}:
                    return block
            except yaml.YAMLError:
                pass
    return json.dumps(s, ensure_ascii=False)


def sync(project, lang: str, only: str | None = None, write: bool = True) -> list[SyncResult]:
    if write:
        write_ui_json()
    return [sync_target(tg, lang, write) for tg in targets(project, lang, only)]


def ui_json_text() -> str:
    from . import UI_FILE, load_ui_yaml

    return json.dumps(load_ui_yaml(UI_FILE), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_ui_json() -> bool:
    """Write ui.json (for runtimes without YAML) from ui.yml when they differ; True if written."""
    from . import UI_JSON

    text = ui_json_text()
    path = Path(UI_JSON)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    try:
        path.write_text(text, encoding="utf-8")
    except OSError:  # an installed, read-only package: the YAML is read instead
        return False
    return True
