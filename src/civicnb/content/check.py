"""``civicnb check``: validate every lesson file against its schema, then check the references.

Each problem names the file, the line and what to change. Schemas live in ``schemas/*.json`` and are
compiled with fastjsonschema, which does not pull in jsonschema (and its slow ``rfc3987-syntax``
import). Each part (a lesson file, each exercise, each source) is validated on its own, so one run
reports every broken part, not only the first.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fastjsonschema

from .model import ARTICLE_ITEMS, SPECIAL_ITEMS, Project
from .yamlload import ContentError, LDict, LList, iso_date

SCHEMAS = Path(__file__).parent / "schemas"
CITE_RE = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@lru_cache(maxsize=None)
def _schema(name: str):
    return json.loads((SCHEMAS / f"{name}.json").read_text())


@lru_cache(maxsize=None)
def _validator(name: str, kind: str | None = None):
    schema = _schema(name)
    if kind == "item":  # one entry of a top-level list, e.g. one source or one claim
        schema = next(iter(schema["properties"].values()))["items"]
    elif kind == "figure":
        schema = schema["properties"]["figures"]["items"]
    elif kind is not None:
        schema = schema[kind]
    return fastjsonschema.compile(schema)


def _path(e) -> list:
    """fastjsonschema's error path without the leading 'data', list indexes as ints."""
    return [int(p) if isinstance(p, str) and p.isdigit() else p for p in e.path[1:]]


def _locate(data, path: list) -> tuple[str, int]:
    """Follow an error path (['steps', 2, 'minutes']) to the deepest line we know."""
    node, file, line = data, getattr(data, "file", ""), getattr(data, "line", 1)
    for step in path:
        if isinstance(node, (LDict, LList)):
            line = node.line_of(step)
            file = node.file or file
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, (LDict, LList)):
            line = node.line or line
    return file, line


def _friendly(e: fastjsonschema.JsonSchemaValueException) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in _path(e)).lstrip(".")
    msg = e.message
    rule = e.rule
    if rule == "additionalProperties":
        extra = re.findall(r"'([^']+)'", msg)
        allowed = sorted((e.definition or {}).get("properties", {}))
        return (f"{where or 'top level'}: unknown field {', '.join(repr(x) for x in extra)}; "
                f"check the spelling (allowed: {', '.join(allowed)})")
    if rule == "required":
        missing = re.findall(r"'([^']+)'", msg.split("must contain", 1)[-1])
        return f"{where or 'top level'}: missing {', '.join(repr(m) for m in missing)}; add it"
    field = where.rsplit(".", 1)[-1].split("[")[0]
    if rule in ("pattern", "anyOf") and field in ("as_of", "date", "accessed"):
        return f"{where}: must be a date written YYYY-MM-DD (got {e.value!r})"
    if rule == "pattern" and field in ("id", "poll", "answer", "slug"):
        return f"{where}: ids use lowercase letters, digits and hyphens, like 'poll-pre' (got {e.value!r})"
    if rule == "pattern" and field == "url":
        return f"{where}: must be a full web address starting with https:// (got {e.value!r})"
    if rule == "type":
        wanted = {"integer": "a whole number", "string": "text", "array": "a list", "object": "a mapping of fields"}
        kind = (e.definition or {}).get("type")
        return f"{where}: must be {wanted.get(kind, kind)} (got {e.value!r})"
    if rule == "enum":
        return f"{where}: {e.value!r} is not one of {', '.join(map(str, e.definition.get('enum', [])))}"
    if rule == "minItems":
        return f"{where}: needs at least {e.definition.get('minItems')} item(s)"
    return msg.replace("data.", "").replace("data ", "top level ")


def _validate(data, schema_name: str, kind: str | None, problems: list, fallback: tuple[str, int]):
    try:
        _validator(schema_name, kind)(data)
    except fastjsonschema.JsonSchemaValueException as e:
        file, line = _locate(data, _path(e))
        problems.append(Problem(file or fallback[0], line or fallback[1], _friendly(e)))
        return False
    return True


def _as_text(*values) -> str:
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            out.append(_as_text(*v.values()))
        elif isinstance(v, list):
            out.append(_as_text(*v))
    return " ".join(out)


class Checker:
    def __init__(self, project: Project):
        self.project = project
        self.problems: list[Problem] = []

    def add(self, file, line, message):
        self.problems.append(Problem(file, line, message))

    def load(self, loader, file):
        try:
            return loader()
        except ContentError as e:
            self.add(e.file, e.line, e.message)
        except FileNotFoundError:
            self.add(file, 1, "file is missing; create it (see docs/content-format.md)")
        return None

    # -- sources ---------------------------------------------------------------------------------
    def check_sources(self):
        p = self.project
        if self.load(lambda: p.source_list, "lessons/sources.yml") is None:
            return
        seen = Counter()
        for i, s in enumerate(p.source_list):
            if not isinstance(s, dict):
                self.add("lessons/sources.yml", p.source_list.line_of(i), "each source must be a mapping")
                continue
            _validate(s, "sources", "item", self.problems, ("lessons/sources.yml", s.line))
            seen[s.get("id")] += 1
            if seen[s.get("id")] == 2:
                self.add("lessons/sources.yml", s.line_of("id"),
                         f"duplicate source id {s.get('id')!r}; give each source its own id")
            acc, date = s.get("accessed"), s.get("date")
            if isinstance(acc, str) and isinstance(date, str) and date != "undated" and date > acc:
                self.add("lessons/sources.yml", s.line_of("date"),
                         f"published {date} but accessed {acc}; a source cannot be read before it exists")

    def known_source(self, sid) -> bool:
        return sid in self.project.sources

    def cite(self, file, line, ids, where):
        for sid in ids or []:
            if not self.known_source(sid):
                self.add(file, line, f"{where}: unknown source id {sid!r}; add it to lessons/sources.yml "
                                     "or fix the spelling")

    # -- unit ------------------------------------------------------------------------------------
    def check_unit(self):
        unit = self.load(lambda: self.project.unit, "lessons/unit.yml")
        if unit is None:
            return False
        ok = _validate(unit, "unit", None, self.problems, ("lessons/unit.yml", 1))
        for i, name in enumerate(unit.get("lessons") or []):
            if not (self.project.lessons_dir / str(name) / "lesson.yml").is_file():
                self.add("lessons/unit.yml", unit["lessons"].line_of(i),
                         f"lesson folder lessons/{name}/ has no lesson.yml")
                ok = False
        return ok

    # -- lessons ---------------------------------------------------------------------------------
    def check_lesson(self, lesson):
        lf = lesson.rel("lesson.yml")
        meta = self.load(lambda: lesson.meta, lf)
        if meta is None:
            return
        if not isinstance(meta, dict):
            self.add(lf, 1, "lesson.yml must be a mapping of fields")
            return
        _validate(meta, "lesson", None, self.problems, (lf, 1))
        prefix = lesson.name.split("-", 1)[0]
        if str(meta.get("id")) != prefix:
            self.add(lf, meta.line_of("id"), f"id {meta.get('id')!r} does not match the folder prefix {prefix!r}")
        steps = meta.get("steps") or []
        total = sum(s.get("minutes", 0) for s in steps if isinstance(s, dict) and isinstance(s.get("minutes"), int))
        if isinstance(meta.get("minutes"), int) and steps and total != meta["minutes"]:
            self.add(lf, meta.line_of("minutes"),
                     f"minutes is {meta['minutes']} but the steps add up to {total}; make them agree")
        as_of = meta.get("as_of") if isinstance(meta.get("as_of"), str) else None

        ids = Counter()
        def check_item_sources(d, where, need_as_of):
            line = d.line_of("sources") if isinstance(d, LDict) else meta.line
            self.cite(lf if d is meta or getattr(d, "file", lf) == lf else d.file, line, d.get("sources"), where)
            if need_as_of and d.get("sources") and not d.get("as_of"):
                self.add(getattr(d, "file", lf), d.line if isinstance(d, LDict) else 1,
                         f"{where}: a fact needs an 'as_of' date (YYYY-MM-DD): when was this last checked?")
            item_as_of = d.get("as_of")
            if as_of and isinstance(item_as_of, str) and item_as_of > as_of:
                self.add(getattr(d, "file", lf), d.line_of("as_of"),
                         f"{where}: as_of {item_as_of} is newer than the lesson's as_of {as_of}; "
                         "raise the lesson's as_of")

        for key in ("blocks", "facts"):
            for b in meta.get(key) or []:
                if not isinstance(b, dict):
                    continue
                ids[b.get("id")] += 1
                if ids[b.get("id")] == 2:
                    self.add(lf, b.line_of("id"), f"duplicate id {b.get('id')!r} in this lesson")
                check_item_sources(b, f"{key[:-1]} {b.get('id')!r}", need_as_of=(key == "facts"))
                if key == "facts" and not b.get("as_of"):
                    pass  # already reported by the schema (required)
        for v in meta.get("vocabulary") or []:
            if isinstance(v, dict):
                check_item_sources(v, f"vocabulary {v.get('term')!r}", need_as_of=False)
        if isinstance(meta.get("content_note"), dict):
            check_item_sources(meta["content_note"], "content_note", need_as_of=True)

        ef = lesson.rel("exercises.yml")
        if (lesson.dir / "exercises.yml").exists():
            raw = self.load(lambda: lesson.raw_exercise_list, ef)
            resolved = self.load(lambda: lesson.exercise_list, ef) or []
            for ex, full in zip(raw or [], resolved):
                self.check_exercise(lesson, ex, full, ids, check_item_sources, ef)
        if (lesson.dir / "claims.yml").exists():
            self.check_claims(lesson, as_of)
        for fig in meta.get("figures") or []:
            if isinstance(fig, dict):
                ids[fig.get("id")] += 1
                if ids[fig.get("id")] == 2:
                    self.add(lf, fig.line_of("id"), f"duplicate id {fig.get('id')!r} in this lesson")
                self.check_figure(lesson, fig, as_of)
        for sid in sorted(set(CITE_RE.findall(lesson.teacher_md))):
            if not self.known_source(sid):
                line = next(n for n, t in enumerate(lesson.teacher_md.splitlines(), 1) if f"[@{sid}]" in t)
                self.add(lesson.rel("teacher.md"), line, f"unknown source id {sid!r} in citation [@{sid}]")
        self.check_notebook(lesson)

    def check_exercise(self, lesson, ex, full, ids, check_item_sources, ef):
        from ..exercises import KINDS  # light: registry of kind names and their checks

        if not isinstance(ex, dict):
            self.add(ef, 1, "each exercise must be a mapping")
            return
        kind = ex.get("kind")
        where = f"exercise {ex.get('id')!r}"
        if not isinstance(kind, str) or kind not in KINDS:
            self.add(ef, ex.line_of("kind"),
                     f"{where}: unknown exercise kind {kind!r}; use one of: {', '.join(sorted(KINDS))}")
            return
        if "key" not in ex and kind not in ("sort", "verdict"):
            self.add(ef, ex.line, f"{where}: missing 'key' (the answer key for the teacher edition); add it")
            return
        _validate(ex, "exercise_kinds", kind, self.problems, (ef, ex.line))
        ids[ex.get("id")] += 1
        if ids[ex.get("id")] == 2:
            self.add(ef, ex.line_of("id"), f"duplicate id {ex.get('id')!r} in this lesson")
        check_item_sources(ex, where, need_as_of=False)
        if kind == "verdict" and ex.get("claim") not in lesson.claims:
            self.add(ef, ex.line_of("claim"), f"{where}: claim {ex.get('claim')!r} is not in "
                                              f"{lesson.rel('claims.yml')}; use one of its claim ids")
            return
        if kind == "timeline":
            if not self.check_timeline_source(lesson, ex, ef, where):
                return
        for it in ex.get("items") or []:
            if isinstance(it, dict) and it.get("claim"):
                claim = lesson.claims.get(it["claim"])
                if claim is None:
                    self.add(ef, it.line_of("claim"), f"{where}: item {it.get('id')!r} names claim "
                                                      f"{it['claim']!r}, which claims.yml does not have")
                elif it.get("answer") != claim.get("type"):
                    self.add(ef, it.line_of("answer"), f"{where}: item {it.get('id')!r} has answer "
                             f"{it.get('answer')!r} but claims.yml gives {it['claim']} the type "
                             f"{claim.get('type')!r}; make them agree")
        for msg, line in KINDS[kind].check(full):
            self.add(ef, line, f"{where}: {msg}")
        for part in ("items", "events"):
            for it in full.get(part) or []:
                if isinstance(it, dict) and it.get("sources"):
                    self.cite(getattr(it, "file", ef) or ef, it.line_of("sources"), it["sources"],
                              f"{where} {part[:-1]} {it.get('id')!r}")

    def check_timeline_source(self, lesson, ex, ef, where) -> bool:
        if ex.get("events_from"):
            if ex.get("events"):
                self.add(ef, ex.line_of("events"), f"{where}: give either events or events_from, not both")
            name = ex["events_from"]
            rel = lesson.rel(name)
            data = self.load(lambda: lesson.data_file(name), rel)
            if data is None:
                return False
            if not _validate(data, "timeline", None, self.problems, (rel, 1)):
                return False
            known = {e.get("id") for e in data.get("events") or []}
            for i, sel in enumerate(ex.get("select") or []):
                if sel not in known:
                    self.add(ef, ex["select"].line_of(i), f"{where}: select names {sel!r}, which {name} does not have")
            for e in data.get("events") or []:
                self.cite(rel, e.line_of("sources"), e.get("sources"), f"event {e.get('id')!r}")
            return True
        if not ex.get("events"):
            self.add(ef, ex.line, f"{where}: a timeline needs events (or events_from: a file like timeline.yml)")
            return False
        return True

    def check_claims(self, lesson, as_of):
        cf = lesson.rel("claims.yml")
        claims = self.load(lambda: lesson.claims, cf)
        if claims is None:
            return
        seen = Counter()
        for c in claims.values():
            if not _validate(c, "claims", "item", self.problems, (cf, c.line)):
                continue
            seen[c["id"]] += 1
            for ev in c["evidence"]:
                self.cite(cf, ev.line_of("sources"), ev["sources"], f"claim {c['id']!r} evidence")
                if as_of and ev["as_of"] > as_of:
                    self.add(cf, ev.line_of("as_of"), f"claim {c['id']!r}: evidence as_of {ev['as_of']} is newer "
                                                      f"than the lesson's as_of {as_of}")
        raw = lesson.claim_list  # the dict above keeps one claim per id; the list shows duplicates
        for cid, n in Counter(c.get("id") for c in raw).items():
            if n > 1:
                self.add(cf, next(c.line for c in raw if c.get("id") == cid), f"duplicate claim id {cid!r}")
        article = self.project.article
        if article is None:
            return
        paragraphs = {p.get("n"): p for p in article.get("paragraphs") or [] if isinstance(p, dict)}
        covered = {c.get("paragraph") for c in claims.values()}
        for c in claims.values():
            if c.get("paragraph") not in paragraphs and c.get("paragraph") != 0:
                self.add(cf, c.line_of("paragraph"), f"claim {c.get('id')!r}: paragraph {c.get('paragraph')} is not in "
                                                     "the article's paragraph map (0 means the headline or subtitle)")
        for n, p in sorted(paragraphs.items()):
            if n not in covered and p.get("checkable", True):
                self.add("lessons/article/article.yml", p.line,
                         f"paragraph {n} makes no claim in {cf}; add its checkable claims, or mark the "
                         "paragraph checkable: false with why_not")

    def check_article(self):
        article = self.load(lambda: self.project.article, "lessons/article/article.yml")
        if article is None:
            return
        af = "lessons/article/article.yml"
        if not _validate(article, "article", None, self.problems, (af, 1)):
            return
        cit = article["citation"]
        self.cite(af, cit.line_of("source"), [cit["source"]] + list(cit.get("sources") or []), "citation")
        numbers = [p["n"] for p in article["paragraphs"]]
        if numbers != list(range(1, len(numbers) + 1)):
            self.add(af, article["paragraphs"].line, "paragraphs must be numbered 1, 2, 3… in order, with no gaps")
        for ph in article.get("phrases") or []:
            if ph["paragraph"] > len(numbers):
                self.add(af, ph.line_of("paragraph"), f"phrase {ph['id']!r}: no paragraph {ph['paragraph']}")
            if len(ph["text"].split()) > 8:
                self.add(af, ph.line_of("text"), f"phrase {ph['id']!r} quotes {len(ph['text'].split())} words; "
                                                 "quote a few words only (at most 8)")
        for p in article["paragraphs"]:
            if p.get("checkable") is False and not p.get("why_not"):
                self.add(af, p.line, f"paragraph {p['n']} is marked checkable: false; say why in why_not")

    def check_figure(self, lesson, fig, as_of):
        from ..charts import CHARTS

        lf = lesson.rel("lesson.yml")
        where = f"figure {fig.get('id')!r}"
        if not _validate(fig, "lesson", "figure", self.problems, (lf, fig.line)):
            return
        if fig["chart"] not in CHARTS:
            self.add(lf, fig.line_of("chart"), f"{where}: unknown chart {fig['chart']!r}; use one of: "
                                               f"{', '.join(sorted(CHARTS))}")
        path = self.project.lessons_dir / fig["data"]
        rel = f"lessons/{fig['data']}"
        if not path.is_file():
            self.add(lf, fig.line_of("data"), f"{where}: data file {rel} does not exist")
            return
        rows = self.project.data_csv(fig["data"])
        need = {"date", "value", "series", "label", "source", "as_of"}
        missing = need - set(rows[0] if rows else need)
        if missing or not rows:
            self.add(rel, 1, f"the header must have the columns {', '.join(sorted(need))} "
                             f"(missing: {', '.join(sorted(missing)) or 'every row'})")
            return
        for n, r in enumerate(rows, 2):
            if iso_date(r["date"]) is None:
                self.add(rel, n, f"date {r['date']!r} must be YYYY-MM-DD")
            try:
                float(r["value"])
            except ValueError:
                self.add(rel, n, f"value {r['value']!r} must be a number")
            if not self.known_source(r["source"]):
                self.add(rel, n, f"unknown source id {r['source']!r}; every point needs a source in lessons/sources.yml")
            if iso_date(r["as_of"]) is None:
                self.add(rel, n, "as_of must be a date (YYYY-MM-DD): when was this figure last checked?")
            elif as_of and r["as_of"] > as_of:
                self.add(rel, n, f"as_of {r['as_of']} is newer than lesson {lesson.name}'s as_of {as_of}")
        if as_of and fig["as_of"] > as_of:
            self.add(lf, fig.line_of("as_of"), f"{where}: as_of is newer than the lesson's as_of {as_of}")

    def check_notebook(self, lesson):
        """Every exercise shown in the notebook exists; every exercise is shown somewhere."""
        path = lesson.notebook_path
        rel = f"notebooks/{path.name}"
        if not path.exists():
            self.add(rel, 1, f"no notebook for lesson {lesson.name}; create {rel}")
            return
        nb = self.notebook_json(path, rel)
        if nb is None:
            return
        shown = set()
        for i, cell in enumerate(nb["cells"], 1):
            meta = (cell.get("metadata") or {}).get("civicnb") or {}
            show = meta.get("show")
            src = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
            calls = re.findall(r"""\.show\(\s*["']([^"']+)["']""", src)
            if calls and show != calls[0]:
                self.add(rel, i, f"cell {i} calls show({calls[0]!r}) but its metadata says "
                                 f"civicnb.show = {show!r}; set the cell metadata to match")
            if "teacher" in ((cell.get("metadata") or {}).get("tags") or []):
                self.add(rel, i, f"cell {i} is tagged 'teacher', but students see every cell of the notebook; "
                                 f"move its text to {lesson.rel('teacher.md')}")
            has_image = any(k.startswith("image/") for o in cell.get("outputs") or []
                            for k in (o.get("data") or {}))
            if has_image and not meta.get("alt"):
                self.add(rel, i, f"cell {i} has a figure without alt text; set cell metadata civicnb.alt "
                                 "to one sentence saying what the figure shows")
            if show:
                shown.add(show)
                if (show not in SPECIAL_ITEMS and show not in ARTICLE_ITEMS and show not in lesson.exercises
                        and show not in lesson.blocks and show not in lesson.figures):
                    self.add(rel, i, f"cell {i} shows {show!r}, which lesson {lesson.name} does not define")
        for ex_id, ex in lesson.exercises.items():
            if ex_id not in shown:
                self.add(lesson.rel("exercises.yml"), ex.line,
                         f"exercise {ex_id!r} is not shown in {rel}; add a cell L.show({ex_id!r})")

    def check_index(self):
        """The start page links every lesson, with its minutes, so it never goes stale."""
        path = self.project.root / "notebooks" / "index.ipynb"
        if not path.exists():
            self.add("notebooks/index.ipynb", 1, "the start page is missing; create it with a link to every lesson")
            return
        nb = self.notebook_json(path, "notebooks/index.ipynb")
        if nb is None:
            return
        text = "".join("".join(c.get("source", "")) for c in nb["cells"])
        for lesson in self.project.lessons():
            try:
                minutes = lesson.meta.get("minutes")
            except ContentError:
                continue
            if f"({lesson.name}.ipynb)" not in text:
                self.add("notebooks/index.ipynb", 1, f"the start page does not link lesson {lesson.name}; "
                                                     f"add a row with [{lesson.name}.ipynb]({lesson.name}.ipynb)")
            elif minutes and f"{minutes} min" not in text:
                self.add("notebooks/index.ipynb", 1, f"the start page should give lesson {lesson.name}'s time "
                                                     f"as '{minutes} min'")

    # -- type robustness: wrong shapes get a problem line, never a traceback -----------------------
    def notebook_json(self, path, rel):
        """A notebook's JSON if it has the shape of a notebook (cells: a list of mappings), else None
        with a problem reported."""
        from .yamlload import read_text_file

        try:
            nb = json.loads(read_text_file(path, rel, limit=50 * 1024 * 1024))
        except ContentError as e:
            self.add(e.file, e.line, e.message)
            return None
        except (ValueError, RecursionError) as e:
            self.add(rel, 1, f"not valid notebook JSON ({str(e)[:120]}); open and save it again in JupyterLab")
            return None
        if (not isinstance(nb, dict) or not isinstance(nb.get("cells"), list)
                or not all(isinstance(c, dict) and isinstance(c.get("metadata", {}), dict)
                           and isinstance(c.get("source", ""), (str, list)) for c in nb["cells"])):
            self.add(rel, 1, "not a notebook: it must be a mapping whose 'cells' is a list of cells; "
                             "open and save it again in JupyterLab")
            return None
        return nb

    def check_teacher_md(self, lesson):
        """Markdown that would break the teacher edition: an unclosed code fence, a citation in code."""
        rel = lesson.rel("teacher.md")
        text = self.load(lambda: lesson.teacher_md, rel)
        if not text:
            return
        fence_open = None
        for n, line in enumerate(text.splitlines(), 1):
            if re.match(r"\s{0,3}(```|~~~)", line):
                fence_open = None if fence_open else n
                continue
            if fence_open:
                if CITE_RE.search(line):
                    self.add(rel, n, "a citation [@...] inside a code block does not print as a citation; "
                                     "move it out of the ``` block")
                continue
            for span in re.findall(r"`+[^`]*`+", line):
                if CITE_RE.search(span):
                    self.add(rel, n, f"a citation inside `code` ({span[:40]}) does not print as a citation; "
                                     "remove the backticks around it")
        if fence_open:
            self.add(rel, fence_open, "this code fence (```) is never closed; add a line with ``` after the code, "
                                      "or remove it")

    def guarded(self, file, fn, *args):
        """Run one part of the check; a content error or a wrong shape becomes a problem line."""
        try:
            return fn(*args)
        except ContentError as e:
            self.add(e.file, e.line, e.message)
        except RecursionError:
            self.add(file, 1, "nested too deeply; simplify this file")
        except Exception as e:  # a shape the checks above did not expect: say where, never a traceback
            self.add(file, 1, f"could not be checked ({type(e).__name__}: {str(e)[:120]}); a field probably has "
                              "the wrong type (text, number, list or mapping): compare with docs/content-format.md")
        return None

    def run(self) -> list[Problem]:
        self.guarded("lessons/sources.yml", self.check_sources)
        if (self.project.lessons_dir / "article" / "article.yml").exists():
            self.guarded("lessons/article/article.yml", self.check_article)
        if self.guarded("lessons/unit.yml", self.check_unit):
            for name in self.project.lesson_names:
                lesson = self.project.lesson(name)
                self.guarded(lesson.rel("lesson.yml"), self.check_lesson, lesson)
                if (lesson.dir / "teacher.md").exists():
                    self.guarded(lesson.rel("teacher.md"), self.check_teacher_md, lesson)
            self.guarded("notebooks/index.ipynb", self.check_index)
        return sorted(set(self.problems))


def check_project(project: Project) -> list[Problem]:
    return Checker(project).run()
