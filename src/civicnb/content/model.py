"""The content model: the unit, its lessons, their exercises and the source registry.

Only safe YAML is read (see :mod:`civicnb.content.yamlload`). Nothing here imports nbformat,
jsonschema or widgets, so loading a lesson is cheap.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .yamlload import ContentError, LDict, expect, load_yaml, read_text_file

SPECIAL_ITEMS = ("header", "essential-question", "i-can", "vocabulary", "content-note", "save-panel",
                 "sources", "checklist")
ARTICLE_ITEMS = ("article-citation", "article-map", "article-text")
ARTICLE_COPY = "lessons/article/copy.txt"  # where a teacher may put their own copy (git-ignored)
# A reference to other items in lesson text: [[claim-07]], [[check-04]], [[s-capacity]], [[p14]], or a
# list of them: [[check-11, check-14, check-15]] ("Questions 8–10").
REF_RE = re.compile(r"\[\[([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)\]\]")
PARA_RE = re.compile(r"p([0-9]+)")


def _copy(d):
    """A shallow copy of an LDict that keeps its line information."""
    out = LDict(d)
    out.file, out.line, out.lines = d.file, d.line, dict(d.lines)
    return out


def numbers_text(numbers) -> str:
    """[4, 5, 6, 7, 15, 18] -> "4–7, 15 and 18"."""
    nums = sorted(set(n for n in numbers if n))
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [p for r in runs for p in ([f"{r[0]}–{r[-1]}"] if len(r) > 2 else map(str, r))]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _dated(event, how: str):
    """A timeline event whose text starts with its month and year (or year), as students see it."""
    import calendar

    if not isinstance(event, dict) or not isinstance(event.get("date"), str) or len(event["date"]) < 7:
        return event
    out = _copy(event) if isinstance(event, LDict) else dict(event)
    d = event["date"]
    when = d[:4] if how == "year" else f"{calendar.month_name[int(d[5:7])]} {d[:4]}"
    out["text"] = f"{when}: {event.get('text', '')}"
    return out


OPTION_RE = re.compile(r"\b([Oo]ptions?)\s+([a-z0-9][\w-]*(?:(?:,\s*|\s+(?:and|or)\s+)[a-z0-9][\w-]*)*)\b")


def _option_letters(ex) -> None:
    """In a choice exercise's own notes, "option d" (an option id) becomes the letter students see
    ("Option D"), in place."""
    if not isinstance(ex, dict) or ex.get("kind") not in ("single_choice", "multi_select"):
        return
    ids = [o.get("id") for o in ex.get("options") or [] if isinstance(o, dict)]
    letter = {str(i): chr(ord("A") + n) for n, i in enumerate(ids) if i is not None}

    def sub(m):
        parts = re.split(r"(,\s*|\s+(?:and|or)\s+)", m.group(2))
        if not all(p in letter for p in parts[::2]):
            return m.group(0)
        return m.group(1).capitalize() + " " + "".join(letter.get(p, p) if i % 2 == 0 else p
                                                       for i, p in enumerate(parts))

    def fix(node):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k in ("id", "answer", "answers", "also_accept", "options"):
                    if k == "options":
                        for o in v or []:
                            fix(o)
                    continue
                if isinstance(v, str):
                    dict.__setitem__(node, k, OPTION_RE.sub(sub, v))
                elif isinstance(v, dict):
                    fix(v)

    fix(ex)


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
    def raw_meta(self) -> LDict:
        """lesson.yml exactly as written, with ``[[id]]`` references still in its text."""
        lf = self.rel("lesson.yml")
        meta = expect(self.project.load_content(lf), dict, lf, 1, "lesson.yml")
        if meta is None:
            raise ContentError(lf, 1, "lesson.yml is empty; it needs the lesson's fields (see docs/content-format.md)")
        return meta

    @cached_property
    def meta(self) -> LDict:
        """lesson.yml with every ``[[id]]`` reference replaced by the label students see."""
        meta = self.raw_meta
        self._fill_refs(meta)
        return meta

    @cached_property
    def raw_exercise_list(self) -> list:
        """The exercises exactly as written in exercises.yml (what ``check`` validates)."""
        ef = self.rel("exercises.yml")
        if not self.project.has_content(ef):
            return []
        data = expect(self.project.load_content(ef), dict, ef, 1, "exercises.yml") or {}
        return list(expect(data.get("exercises"), list, ef, data.line_of("exercises"), "exercises") or [])

    @cached_property
    def exercise_list(self) -> list:
        """The exercises with their references filled in: a ``verdict`` card gets its claim
        (``_claim``), a timeline with ``events_from`` gets its events and the article cut-off, and
        ``[[id]]`` references in their text become labels ("Question 7")."""
        out = [self._resolve(ex) for ex in self.raw_exercise_list]
        for ex in out:
            self._fill_refs(ex)
            _option_letters(ex)
        return out

    # -- one numbering -----------------------------------------------------------------------
    @cached_property
    def exercise_order(self) -> list[str]:
        """Exercise ids in the order students meet them: the lesson notebook's ``civicnb.show`` cells.

        Without a notebook, the order of exercises.yml. Exercises the notebook does not show get no
        number (``civicnb check`` reports them)."""
        ids = [e.get("id") for e in self.raw_exercise_list if isinstance(e, dict)]
        try:
            nb = json.loads(self.notebook_path.read_text(encoding="utf-8"))
            cells = nb.get("cells") if isinstance(nb, dict) else None
        except (OSError, ValueError):
            cells = None
        if not isinstance(cells, list):
            return ids
        known, order = set(ids), []
        for cell in cells:
            meta = (cell.get("metadata") or {}) if isinstance(cell, dict) else {}
            show = (meta.get("civicnb") or {}).get("show") if isinstance(meta, dict) else None
            if show in known and show not in order:
                order.append(show)
        return order

    def number_of(self, item_id: str) -> int | None:
        """The number students see on an exercise (its question number) or a claim (its claim
        number, by order in claims.yml); None for anything else."""
        if item_id in self._numbers:
            return self._numbers[item_id]
        ids = [c.get("id") for c in self.claim_list]
        return ids.index(item_id) + 1 if item_id in ids else None

    @cached_property
    def _numbers(self) -> dict:
        return {eid: n for n, eid in enumerate(self.exercise_order, 1)}

    def label_of(self, item_id: str) -> str:
        """What students see for an item: "Question 7", "Claim 7" (a claim on no card), "Question 12
        (Claim 7)" (a claim shown on a card), "¶14", "Question 3, item D", or a box's title in quotes. Raises KeyError for an id the lesson does not have."""
        labels = self.ref_labels
        if item_id in labels:
            return labels[item_id]
        m = PARA_RE.fullmatch(item_id)
        if m:
            return f"¶{int(m.group(1))}"
        raise KeyError(f"lesson {self.name} has no item {item_id!r}")

    @cached_property
    def ref_labels(self) -> dict:
        """Every id a reference may name, with its label. Ids used twice (two sort items called the
        same in different exercises) are left out: a reference to them does not resolve."""
        from ..exercises.sorting import item_letter, stable_shuffle  # light: no widgets, no Typst

        labels: dict = {}
        dup: set = set()

        def put(key, label):
            if not key:
                return
            if key in labels and labels[key] != label:
                dup.add(key)
            labels[key] = label

        raw = [e for e in self.raw_exercise_list if isinstance(e, dict)]
        # a claim shown on a card is named by the card's question number too, so a teacher can find it
        cards = {e.get("claim"): self._numbers[e.get("id")] for e in raw
                 if e.get("kind") == "verdict" and e.get("id") in self._numbers and isinstance(e.get("claim"), str)}
        for n, c in enumerate(self.claim_list, 1):
            q = cards.get(c.get("id"))
            put(c.get("id"), f"Question {q} (Claim {n})" if q else f"Claim {n}")
        for ex in raw:
            n = self._numbers.get(ex.get("id"))
            if n is None:
                continue
            q = f"Question {n}"
            put(ex.get("id"), q)
            try:
                if ex.get("kind") == "sort":
                    items = [i for i in ex.get("items") or [] if isinstance(i, dict) and i.get("id")]
                    for k, it in enumerate(stable_shuffle(items, ex["id"]), 1):
                        put(it["id"], f"{q}, item {item_letter(k)}")
                elif ex.get("kind") == "timeline":
                    events = self._resolve(ex).get("events") or []
                    events = [e for e in events if isinstance(e, dict) and e.get("id")]
                    for k, e in enumerate(stable_shuffle(events, ex["id"]), 1):
                        put(e["id"], f"{q}, event {chr(64 + k)}")
                elif ex.get("kind") == "scale":
                    for k, st in enumerate(ex.get("statements") or [], 1):
                        if isinstance(st, dict):
                            put(st.get("id"), f"{q}, statement {k}")
            except (TypeError, KeyError, AttributeError):
                continue  # malformed content: `civicnb check` reports it
        meta = self.raw_meta if isinstance(self.raw_meta, dict) else {}
        for key in ("blocks", "facts", "figures"):
            for b in meta.get(key) or []:
                if isinstance(b, dict) and b.get("id") and b.get("id") not in labels:
                    put(b["id"], f"“{b.get('title') or b['id']}”")
        from .cards import card_titles  # cards in the lesson's data files are boxes too

        for key, title in card_titles(self).items():
            if key not in labels:
                put(key, f"“{title}”")
        for key in dup:
            labels.pop(key, None)
        return labels

    def labels_of(self, ids) -> str:
        """Labels for several items: "Questions 8–11", "Claims 7, 22 and 24", "¶2 and ¶5"."""
        labels = [self.label_of(i) for i in ids]
        if len(labels) == 1:
            return labels[0]
        for word in ("Question", "Claim"):
            if all(re.fullmatch(rf"{word} \d+", x) for x in labels):
                return f"{word}s " + numbers_text(int(x.split()[1]) for x in labels)
        cards = [re.fullmatch(r"Question (\d+) \(Claim (\d+)\)", x) for x in labels]
        if all(cards):  # "Questions 7–14 (Claims 4, 7, 11 and 24)"
            return (f"Questions {numbers_text(int(m.group(1)) for m in cards)} "
                    f"(Claims {numbers_text(int(m.group(2)) for m in cards)})")
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def fill_refs(self, text):
        """Replace ``[[id]]`` references in ``text`` by labels; unresolved ones stay as written."""
        if not isinstance(text, str) or "[[" not in text:
            return text

        def sub(m):
            try:
                return self.labels_of(x.strip() for x in m.group(1).split(","))
            except KeyError:
                return m.group(0)

        return REF_RE.sub(sub, text)

    def unresolved_refs(self, text) -> list[str]:
        """The ids in ``text``'s ``[[id]]`` references that name nothing in this lesson."""
        out = []
        for m in REF_RE.finditer(text or ""):
            for x in m.group(1).split(","):
                try:
                    self.label_of(x.strip())
                except KeyError:
                    out.append(x.strip())
        return out

    def _fill_refs(self, node):
        """Fill references in place, through nested mappings and lists (keeping line information)."""
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if isinstance(v, str):
                    if "[[" in v:
                        dict.__setitem__(node, k, self.fill_refs(v))
                elif isinstance(v, (dict, list)):
                    self._fill_refs(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    if "[[" in v:
                        node[i] = self.fill_refs(v)
                elif isinstance(v, (dict, list)):
                    self._fill_refs(v)

    def _resolve(self, ex):
        if not isinstance(ex, dict):
            return ex
        if ex.get("kind") == "verdict" and ex.get("claim") in self.claims:
            ex = _copy(ex)
            ex["_claim"] = self.claims[ex["claim"]]
            n = self.number_of(ex["claim"])
            ex["_claim_label"] = f"Claim {n}" if n else "Claim"
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
        if ex.get("kind") == "timeline" and ex.get("show_dates") in ("month", "year"):
            ex = _copy(ex) if isinstance(ex, LDict) else dict(ex)
            ex["events"] = [_dated(e, ex["show_dates"]) for e in ex.get("events") or []]
        return ex

    def data_file(self, name: str):
        """A YAML data file in the lesson folder (e.g. timeline.yml), loaded once."""
        cache = self.__dict__.setdefault("_data_files", {})
        if name not in cache:
            try:
                cache[name] = self.project.load_content(self.rel(name))
            except ContentError as e:  # remembered, so every later use reports the same problem
                cache[name] = e
        if isinstance(cache[name], ContentError):
            raise cache[name]
        return cache[name]

    @cached_property
    def claim_list(self) -> list:
        """claims.yml as written (a list, so duplicate ids stay visible to ``check``)."""
        cf = self.rel("claims.yml")
        if not self.project.has_content(cf):
            return []
        data = expect(self.project.load_content(cf), dict, cf, 1, "claims.yml") or {}
        return [c for c in (expect(data.get("claims"), list, cf, data.line_of("claims"), "claims") or [])
                if isinstance(c, dict)]

    @cached_property
    def claims(self) -> dict:
        """Claims by id, with ``[[id]]`` references in their text filled in."""
        for c in self.claim_list:
            self._fill_refs(c)
        return {c.get("id"): c for c in self.claim_list}

    @cached_property
    def figures(self) -> dict:
        return {f.get("id"): f for f in (self.meta.get("figures") or []) if isinstance(f, dict)}

    @cached_property
    def exercises(self) -> dict:
        return {e.get("id"): e for e in self.exercise_list if isinstance(e, dict)}

    @cached_property
    def raw_teacher_md(self) -> str:
        path = self.dir / "teacher.md"
        return read_text_file(path, self.rel("teacher.md")) if path.exists() else ""

    @cached_property
    def teacher_md(self) -> str:
        """teacher.md with ``[[id]]`` references filled in."""
        return self.fill_refs(self.raw_teacher_md)

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
        from .cards import card_blocks  # law, perspective and "what happened next" boxes (data files)

        for k, b in card_blocks(self).items():
            out.setdefault(k, b)
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
        walk(list(self.blocks.values()))
        for fig in self.figures.values():
            seen.update((sid, None) for sid in figure_sources(self.project, fig))
        return list(seen)

    def sources_through(self) -> str:
        """How current the lesson's sources are, ``YYYY-MM``: its ``sources_through`` when given, else
        the month of the newest dated source it cites (so every lesson's footer says the same thing)."""
        given = self.meta.get("sources_through")
        if isinstance(given, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", given):
            return given
        ids = list(self.cited_source_ids())
        try:  # teacher notes cite too ([@id]); a bundle without them has only the data's citations
            ids += re.findall(r"\[@([a-z0-9][a-z0-9-]*)\]", self.raw_teacher_md)
        except (OSError, KeyError, ValueError):
            pass
        dates = [str(s.get("date"))[:7] for sid in ids
                 if isinstance(s := self.project.sources.get(sid), dict)
                 and re.match(r"\d{4}-\d{2}", str(s.get("date") or ""))]
        return max(dates) if dates else ""

    @property
    def notebook_path(self) -> Path:
        """The lesson notebook (in a bundle: the list of its ``civicnb.show`` cells, same shape)."""
        if self.project.bundle is not None:
            return self.project.bundle.notebook_path(self.name)
        return self.project.root / "notebooks" / f"{self.name}.ipynb"

    def input_files(self) -> list[Path]:
        """Every content file this lesson's handouts depend on."""
        return sorted(p for p in self.dir.rglob("*") if p.is_file())


@dataclass
class Project:
    root: Path
    _lessons: dict = field(default_factory=dict)
    # A compiled lesson bundle (civicnb.content.bundled.Bundle) to read instead of the YAML files; then
    # ``root`` is the bundle's folder. See docs/design-notes.md, "Run time and build time".
    bundle: object = None

    def __post_init__(self):
        # Project(<a bundle folder>) is a project read from that bundle, whoever makes it
        if self.bundle is None and (Path(self.root) / "manifest.json").is_file():
            from .bundled import Bundle, is_bundle

            if is_bundle(self.root) and not (Path(self.root) / "lessons" / "unit.yml").is_file():
                self.bundle = Bundle(self.root)

    @classmethod
    def find(cls, start=None) -> "Project":
        """The lesson package to load: the YAML sources (``lessons/unit.yml`` here or above, or
        ``$CIVICNB_ROOT``) where PyYAML is installed, else a compiled bundle (``$CIVICNB_BUNDLE`` first
        of all; see :func:`civicnb.content.bundled.find_bundle`)."""
        from .bundled import ENV, find_bundle, is_bundle, yaml_available

        if os.environ.get(ENV) or (start is not None and is_bundle(start)):
            return cls.from_bundle(find_bundle(start))
        try:
            root = find_root(start)
        except FileNotFoundError as e:
            missing, root = e, None
        if root is not None and yaml_available():
            return cls(root)
        bundle = find_bundle(start)
        if bundle is not None:
            return cls.from_bundle(bundle)
        if root is not None:
            raise ContentError(f"{root / 'lessons' / 'unit.yml'}", 1,
                               "PyYAML is not installed here, so the lesson files cannot be read, and no compiled "
                               "lesson bundle was found: install PyYAML, or make one with `civicnb bundle "
                               "civicnb-bundle` and set CIVICNB_BUNDLE to it")
        raise missing

    @classmethod
    def from_bundle(cls, bundle) -> "Project":
        from .bundled import activate

        return cls(bundle.root, bundle=activate(bundle))

    # -- reading content files (the YAML sources, or their JSON twins in a bundle) -----------------
    def has_content(self, rel: str) -> bool:
        """Whether the package has content file ``rel`` (``lessons/01-claims/claims.yml``)."""
        if self.bundle is not None:
            return self.bundle.has(rel)
        return (self.root / rel).exists()

    def load_content(self, rel: str):
        """The data of content file ``rel``: its YAML, or in a bundle the same data compiled to JSON."""
        if self.bundle is not None:
            return self.bundle.load(rel)
        return load_yaml(self.root / rel, rel)

    def chart_svg(self, lesson: "Lesson", spec, lang: str | None = None) -> bytes:
        """A figure's chart as SVG in ``lang`` (its axis, labels and key): drawn from its data
        (Matplotlib), or pre-drawn in a bundle."""
        lang = lang or getattr(self, "lang", None)
        if self.bundle is not None:
            return self.bundle.chart(lesson.name, spec.get("id"), lang)
        from ..charts import figure_svg

        return figure_svg(self, spec, lang=lang)

    @property
    def lessons_dir(self) -> Path:
        return self.root / "lessons"

    @cached_property
    def unit(self) -> LDict:
        unit = expect(self.load_content("lessons/unit.yml"), dict, "lessons/unit.yml", 1, "unit.yml")
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
        data = expect(self.load_content(sf), dict, sf, 1, "sources.yml") or {}
        return list(expect(data.get("sources"), list, sf, data.line_of("sources"), "sources") or [])

    @cached_property
    def sources(self) -> dict:
        return {s.get("id"): s for s in self.source_list if isinstance(s, dict)}

    @property
    def lesson_names(self) -> list[str]:
        return list(self.unit.get("lessons") or [])

    def lesson(self, name: str, lang: str | None = None) -> Lesson:
        if lang and lang != getattr(self, "lang", "en"):  # the lesson with a translation laid over it
            from ..i18n.lesson import in_language

            return in_language(self, lang).lesson(name)
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
        af = "lessons/article/article.yml"
        return expect(self.load_content(af), dict, af, 1, "article.yml") if self.has_content(af) else None

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
