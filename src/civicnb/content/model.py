"""The content model: the unit, its lessons, their exercises and the source registry.

Only safe YAML is read (see :mod:`civicnb.content.yamlload`). Nothing here imports nbformat,
jsonschema or widgets, so loading a lesson is cheap.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .yamlload import ContentError, LDict, expect, load_yaml, read_text_file

SPECIAL_ITEMS = ("header", "essential-question", "i-can", "vocabulary", "content-note", "save-panel",
                 "sources")
ARTICLE_ITEMS = ("article-citation", "article-map", "article-text")
ARTICLE_COPY = "lessons/article/copy.txt"  # where a teacher may put their own copy (git-ignored)


def _copy(d):
    """A shallow copy of an LDict that keeps its line information."""
    out = LDict(d)
    out.file, out.line, out.lines = d.file, d.line, dict(d.lines)
    return out


def find_root(start: str | Path | None = None) -> Path:
    """Find the project folder: the one holding ``lessons/unit.yml``.

    Order: ``$CIVICNB_ROOT``; then ``start`` (default: the working directory) and its parents.
    """
    env = os.environ.get("CIVICNB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "lessons" / "unit.yml").is_file():
            return folder
    raise FileNotFoundError(
        f"No lessons/unit.yml in {here} or any folder above it. Run from the lesson package "
        "folder, or set CIVICNB_ROOT to it.")


@dataclass
class Lesson:
    project: "Project"
    name: str  # folder name, e.g. "00-before-we-begin"

    @property
    def dir(self) -> Path:
        return self.project.lessons_dir / self.name

    def rel(self, filename: str) -> str:
        return f"lessons/{self.name}/{filename}"

    @cached_property
    def meta(self) -> LDict:
        lf = self.rel("lesson.yml")
        meta = expect(load_yaml(self.dir / "lesson.yml", lf), dict, lf, 1, "lesson.yml")
        if meta is None:
            raise ContentError(lf, 1, "lesson.yml is empty; it needs the lesson's fields (see docs/content-format.md)")
        return meta

    @cached_property
    def raw_exercise_list(self) -> list:
        """The exercises exactly as written in exercises.yml (what ``check`` validates)."""
        path = self.dir / "exercises.yml"
        if not path.exists():
            return []
        ef = self.rel("exercises.yml")
        data = expect(load_yaml(path, ef), dict, ef, 1, "exercises.yml") or {}
        return list(expect(data.get("exercises"), list, ef, data.line_of("exercises"), "exercises") or [])

    @cached_property
    def exercise_list(self) -> list:
        """The exercises with their references filled in: a ``verdict`` card gets its claim
        (``_claim``), a timeline with ``events_from`` gets its events and the article cut-off."""
        return [self._resolve(ex) for ex in self.raw_exercise_list]

    def _resolve(self, ex):
        if not isinstance(ex, dict):
            return ex
        if ex.get("kind") == "verdict" and ex.get("claim") in self.claims:
            ex = _copy(ex)
            ex["_claim"] = self.claims[ex["claim"]]
        elif ex.get("kind") == "timeline" and ex.get("events_from"):
            data = self.data_file(ex["events_from"])
            if isinstance(data, dict):
                ex = _copy(ex)
                events = [e for e in data.get("events") or [] if isinstance(e, dict)]
                if ex.get("select"):
                    by_id = {e.get("id"): e for e in events}
                    events = [by_id[i] for i in ex["select"] if i in by_id]
                ex["events"] = events
                if "cutoff" not in ex and data.get("article_knowledge_ends"):
                    ex["cutoff"] = {"date": data["article_knowledge_ends"],
                                    "label": "The article's knowledge ends here"}
                ex.setdefault("as_of", data.get("as_of"))
        return ex

    def data_file(self, name: str):
        """A YAML data file in the lesson folder (e.g. timeline.yml), loaded once."""
        cache = self.__dict__.setdefault("_data_files", {})
        if name not in cache:
            try:
                cache[name] = load_yaml(self.dir / name, self.rel(name))
            except ContentError as e:  # remembered, so every later use reports the same problem
                cache[name] = e
        if isinstance(cache[name], ContentError):
            raise cache[name]
        return cache[name]

    @cached_property
    def claim_list(self) -> list:
        """claims.yml as written (a list, so duplicate ids stay visible to ``check``)."""
        path = self.dir / "claims.yml"
        if not path.exists():
            return []
        cf = self.rel("claims.yml")
        data = expect(load_yaml(path, cf), dict, cf, 1, "claims.yml") or {}
        return [c for c in (expect(data.get("claims"), list, cf, data.line_of("claims"), "claims") or [])
                if isinstance(c, dict)]

    @cached_property
    def claims(self) -> dict:
        return {c.get("id"): c for c in self.claim_list}

    @cached_property
    def figures(self) -> dict:
        return {f.get("id"): f for f in (self.meta.get("figures") or []) if isinstance(f, dict)}

    @cached_property
    def exercises(self) -> dict:
        return {e.get("id"): e for e in self.exercise_list if isinstance(e, dict)}

    @cached_property
    def teacher_md(self) -> str:
        path = self.dir / "teacher.md"
        return read_text_file(path, self.rel("teacher.md")) if path.exists() else ""

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def title(self) -> str:
        return self.meta["title"]

    @cached_property
    def blocks(self) -> dict:
        out = {}
        for key in ("blocks", "facts"):
            for b in self.meta.get(key) or []:
                if isinstance(b, dict):
                    out[b.get("id")] = b
        return out

    def item(self, item_id: str):
        """Return ``(kind, data)`` for any id a notebook cell may show."""
        if item_id in SPECIAL_ITEMS:
            return item_id, self.meta
        if item_id in self.exercises:
            return "exercise", self.exercises[item_id]
        if item_id in self.blocks:
            return "block", self.blocks[item_id]
        if item_id in self.figures:
            return "figure", self.figures[item_id]
        if item_id in ARTICLE_ITEMS:
            return item_id, self.project.article
        raise KeyError(f"lesson {self.name} has no item {item_id!r}")

    def cited_source_ids(self) -> list[str]:
        """Every source id the lesson's data cites, in order of first appearance."""
        seen: dict[str, None] = {}

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "sources" and isinstance(v, list):
                        seen.update((str(x), None) for x in v)
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(self.meta)
        walk(self.exercise_list)
        for fig in self.figures.values():
            seen.update((sid, None) for sid in figure_sources(self.project, fig))
        return list(seen)

    @property
    def notebook_path(self) -> Path:
        return self.project.root / "notebooks" / f"{self.name}.ipynb"

    def input_files(self) -> list[Path]:
        """Every content file this lesson's handouts depend on."""
        return sorted(p for p in self.dir.rglob("*") if p.is_file())


@dataclass
class Project:
    root: Path
    _lessons: dict = field(default_factory=dict)

    @classmethod
    def find(cls, start=None) -> "Project":
        return cls(find_root(start))

    @property
    def lessons_dir(self) -> Path:
        return self.root / "lessons"

    @cached_property
    def unit(self) -> LDict:
        unit = expect(load_yaml(self.lessons_dir / "unit.yml", "lessons/unit.yml"), dict, "lessons/unit.yml", 1,
                      "unit.yml")
        if unit is None:
            raise ContentError("lessons/unit.yml", 1, "unit.yml is empty; it needs title and lessons")
        lessons = expect(unit.get("lessons"), list, "lessons/unit.yml", unit.line_of("lessons"), "lessons")
        for i, name in enumerate(lessons or []):
            if not isinstance(name, str):
                raise ContentError("lessons/unit.yml", lessons.line_of(i), "each lesson is a folder name (text)")
        return unit

    @cached_property
    def source_list(self) -> list:
        sf = "lessons/sources.yml"
        data = expect(load_yaml(self.lessons_dir / "sources.yml", sf), dict, sf, 1, "sources.yml") or {}
        return list(expect(data.get("sources"), list, sf, data.line_of("sources"), "sources") or [])

    @cached_property
    def sources(self) -> dict:
        return {s.get("id"): s for s in self.source_list if isinstance(s, dict)}

    @property
    def lesson_names(self) -> list[str]:
        return list(self.unit.get("lessons") or [])

    def lesson(self, name: str) -> Lesson:
        if name not in self._lessons:
            # accept "00" or the full folder name
            matches = [n for n in self.lesson_names if n == name or n.split("-", 1)[0] == name]
            if not matches:
                raise KeyError(f"No lesson {name!r}; lessons are: {', '.join(self.lesson_names)}")
            full = matches[0]
            self._lessons[name] = self._lessons.get(full) or Lesson(self, full)
        return self._lessons[name]

    def lessons(self) -> list[Lesson]:
        return [self.lesson(n) for n in self.lesson_names]

    @cached_property
    def article(self):
        """lessons/article/article.yml (citation, paragraph map, images, phrases), or None."""
        path = self.lessons_dir / "article" / "article.yml"
        af = "lessons/article/article.yml"
        return expect(load_yaml(path, af), dict, af, 1, "article.yml") if path.exists() else None

    def article_copy(self) -> Path | None:
        """A teacher-supplied full copy of the article: $CIVICNB_ARTICLE, else lessons/article/copy.txt.

        The package never ships the article's text; it shows one only when a teacher supplies it."""
        env = os.environ.get("CIVICNB_ARTICLE")
        path = Path(env).expanduser() if env else self.root / ARTICLE_COPY
        return path if path.is_file() else None

    def data_csv(self, rel: str) -> list[dict]:
        import csv

        import io

        text = read_text_file(self.lessons_dir / rel, f"lessons/{rel}")
        return list(csv.DictReader(io.StringIO(text, newline="")))


def figure_sources(project, fig) -> list[str]:
    try:
        rows = project.data_csv(fig["data"])
    except (OSError, KeyError, TypeError, ContentError):
        return []
    out: dict[str, None] = {}
    for r in rows:
        if r.get("source"):
            out[r["source"]] = None
    return list(out)
