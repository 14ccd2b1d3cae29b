"""``civicnb check`` for translations: every shipped language's files are read and compared with the
English. Broken files and references that name nothing are problems (they would print wrongly);
missing and stale strings are warnings here (a build still runs, in English for those strings) and
failures in the test suite (tests/test_i18n.py), so a shipped language never lags its English."""
from __future__ import annotations

from . import LANGS, REF_RE_TEXT, SOURCE_LANG, en_hash, entry_text
from .sync import TranslationFileError, english, read_translation, targets


def _rel(project, path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def _line_of(path, key: str) -> int:
    """The line of ``key`` in a translation file (1 if not found): a text search, cheap."""
    import json

    needle = "  " + json.dumps(key, ensure_ascii=False) + ":"
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(needle) or line.startswith(f"  {key}:"):
                return n
    except OSError:
        pass
    return 1


def translation_state(project, lang: str) -> list[tuple[str, str, str, int]]:
    """Every string of ``lang`` that is not ready: ``(kind, file, key, line)``, kind "missing" or "stale"."""
    import re

    out = []
    for tg in targets(project, lang):
        data = read_translation(tg.path, lang)
        strings = data.get("strings", {}) if data else {}
        for key, text in english(tg).items():
            entry = strings.get(key)
            tr = entry_text(entry)
            if not isinstance(tr, str) or not tr.strip():
                out.append(("missing", _rel(project, tg.path), key, _line_of(tg.path, key)))
            elif isinstance(entry, dict) and str(entry.get("en_hash", "")) != en_hash(text):
                out.append(("stale", _rel(project, tg.path), key, _line_of(tg.path, key)))
            elif sorted(re.findall(REF_RE_TEXT, text)) != sorted(re.findall(REF_RE_TEXT, tr)):
                out.append(("refs", _rel(project, tg.path), key, _line_of(tg.path, key)))
    return out


def check_translations(checker) -> None:
    project = checker.project
    from ..content.yamlload import ContentError
    from .glossary import load_glossary

    try:
        load_glossary(project.root, "es")
    except ContentError as e:
        checker.add(e.file, e.line, e.message)
    for lang in LANGS:
        if lang == SOURCE_LANG:
            continue
        try:
            state = translation_state(project, lang)
        except TranslationFileError as e:
            checker.add(str(e).split(":")[0], 1, str(e))
            continue
        counts = {"missing": 0, "stale": 0}
        missing: dict = {}
        for kind, file, key, line in state:
            if kind == "refs":
                checker.add(file, line, f"{key}: the translation's [[item-id]] references differ from the English "
                                        "ones; keep every [[...]] exactly as in the English")
                continue
            counts[kind] += 1
            if kind == "missing":  # one line per file: a lesson being translated has hundreds
                missing.setdefault(file, []).append((key, line))
            else:
                checker.warn(file, line, f"{key} is stale: the English changed since it was translated (revise "
                                         "it, then delete its en_hash line)")
        for file, keys in missing.items():
            name = file.split("/")[1] if file.count("/") >= 3 else "unit"
            only = name.split("-", 1)[0] if name[:2].isdigit() else name
            checker.warn(file, keys[0][1], f"{len(keys)} string(s) have no translation yet, from {keys[0][0]}; "
                                           f"`civicnb i18n sync {lang} {only} -v` lists them")
        if counts["missing"] or counts["stale"]:
            checker.report.append(f"translation {lang}: {counts['missing']} missing, {counts['stale']} stale "
                                  f"(run `civicnb i18n sync {lang}`; docs/translating.md)")
        for name in project.lesson_names:  # references in translated text that name nothing
            lesson = project.lesson(name, lang=lang)
            for key, entry in (getattr(lesson, "strings", None) or {}).items():
                tr = entry_text(entry) or ""
                bad = lesson.unresolved_refs(tr) if "[[" in tr else []
                if bad:
                    path = lesson.dir / "i18n" / f"{lang}.yml"
                    checker.add(_rel(project, path), _line_of(path, key),
                                f"{key}: [[{', '.join(bad)}]] names nothing in this lesson")
