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
        self.report: list[str] = []  # information lines: the balance mix, the mirror copies
        self.warnings: list[Problem] = []

    def add(self, file, line, message):
        self.problems.append(Problem(file, line, message))

    def warn(self, file, line, message):
        self.warnings.append(Problem(file, line, message))

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
            if s.get("copy") in ("mirror", "archive"):
                self.report.append(f"{s['copy']} {s.get('id')}: {s.get('url')} ({s.get('publisher')}); "
                                   "link the original publisher when its page can be read")
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

    def check_poll_pairs(self):
        """Polls that share a poll id (the before-unit and after-unit polls) ask the same statements
        with the same ids, so `civicnb summary` can pair the class counts before and after."""
        first: dict = {}
        for name in self.project.lesson_names:
            lesson = self.project.lesson(name)
            try:
                exercises = lesson.exercise_list
            except ContentError:
                continue  # already reported
            for ex in exercises:
                if not isinstance(ex, dict) or ex.get("kind") != "scale" or not ex.get("poll"):
                    continue
                stmts = [(s.get("id"), " ".join(str(s.get("text", "")).split()))
                         for s in ex.get("statements") or [] if isinstance(s, dict)]
                seen = first.setdefault(ex["poll"], (lesson, ex, stmts))
                if seen[2] != stmts:
                    self.add(lesson.rel("exercises.yml"), ex.line,
                             f"poll {ex['poll']!r} asks different statements here than in "
                             f"{seen[0].rel('exercises.yml')} ({seen[1].get('id')!r}); a repeated poll must ask "
                             "the same statements, with the same ids, so the before and after counts pair up")

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
        self.check_sources_through(lesson, meta, as_of)

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
                rows = b.get("row_sources")
                if isinstance(rows, list):  # one list of sources per list row, cited where it stands
                    if len(rows) != len(b.get("list") or []):
                        self.add(lf, b.line_of("row_sources"),
                                 f"{key[:-1]} {b.get('id')!r}: row_sources has {len(rows)} entries but list has "
                                 f"{len(b.get('list') or [])} rows; give one list of sources per row")
                    listed = set(b.get("sources") or [])
                    for n, row in enumerate(rows, 1):
                        if isinstance(row, list) and not row:
                            self.add(lf, b.line_of("row_sources"),
                                     f"{key[:-1]} {b.get('id')!r}: row {n} of row_sources cites no source")
                        for sid in row if isinstance(row, list) else []:
                            if sid not in listed:
                                self.add(lf, b.line_of("row_sources"),
                                         f"{key[:-1]} {b.get('id')!r}: row {n} cites {sid!r}, which is not in "
                                         "its sources; add it there")
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
        self.check_balance(lesson, meta)
        from .cards import check_cards  # law and perspective cards, the debate's balance ledger

        check_cards(self, lesson, as_of)
        self.check_fit(lesson)

    # -- balance ledger --------------------------------------------------------------------------
    def check_sources_through(self, lesson, meta, as_of):
        """``sources_through`` (how current the sources are) is not after the check date, and no source
        the lesson cites is newer than it (the footer would understate the sources)."""
        through = meta.get("sources_through")
        if not isinstance(through, str) or not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", through):
            return  # absent, or reported by the schema
        lf = lesson.rel("lesson.yml")
        if as_of and through > as_of:
            self.add(lf, meta.line_of("sources_through"),
                     f"sources_through {through} is after as_of {as_of} (the date the facts were checked)")
        ids = set(lesson.cited_source_ids()) | set(CITE_RE.findall(lesson.teacher_md))
        newer = sorted((str(s.get("date")), sid) for sid in ids
                       if isinstance(s := self.project.sources.get(sid), dict)
                       and re.match(r"\d{4}-\d{2}", str(s.get("date") or ""))
                       and str(s.get("date"))[:len(through)] > through)
        for date, sid in newer:
            self.add(lf, meta.line_of("sources_through"),
                     f"sources_through is {through}, but the lesson cites {sid!r} dated {date}; raise sources_through")

    def check_balance(self, lesson, meta):
        """Report the mix of perspectives on every item on a contested or open question; fail where a
        contested card lacks a note for the side its claim favours, or an "as things stand" box lists
        developments for one side only (see content/balance.py)."""
        from . import balance

        lf = lesson.rel("lesson.yml")
        for b in meta.get("facts") or []:
            if not isinstance(b, dict):
                continue
            for msg in balance.developments_problems(b):
                self.add(lf, b.line_of("developments") if b.get("developments") else b.line,
                         f"fact {b.get('id')!r} {msg}")
            if b.get("question") in balance.OPEN_KINDS:
                self.report.append(f"balance {lesson.name} fact {b.get('id')} ({b['question']}): "
                                   f"{balance.developments_mix(b)}")
        if not (lesson.dir / "claims.yml").exists():
            return
        try:
            claims = lesson.claims
        except ContentError:
            return  # already reported by check_claims
        cf = lesson.rel("claims.yml")
        for c in claims.values():
            if not isinstance(c, dict):
                continue
            for msg in balance.claim_problems(c):
                self.add(cf, c.line_of("favours") if c.get("favours") else c.line, f"claim {c.get('id')!r} {msg}")
            if c.get("question") in balance.OPEN_KINDS:
                self.report.append(f"balance {lesson.name} {c.get('id')}: {balance.mix_line(c)}")

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
        self.check_student_mode(nb, rel, lesson)
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

    def check_student_mode(self, nb, rel, lesson):
        """A lesson notebook is marked for student mode (the civicnb-lab extension runs it on open and
        hides its code) and every cell is locked, so a student's keys never change the lesson; the first
        cell says how to start the lesson where the extension is missing."""
        if ((nb.get("metadata") or {}).get("civicnb") or {}).get("lesson") != lesson.name:
            self.add(rel, 1, f"the notebook's metadata needs civicnb.lesson = {lesson.name!r} (student mode: the "
                             "lesson runs when it opens)")
        for i, cell in enumerate(nb["cells"], 1):
            m = cell.get("metadata") or {}
            if m.get("editable") is not False or m.get("deletable") is not False:
                self.add(rel, i, f"cell {i} is not locked; set its metadata editable and deletable to false "
                                 "(tools/nbwrite.py writes lesson notebooks this way)")
            if cell.get("cell_type") == "code" and not ((m.get("civicnb") or {}).get("show")):
                self.add(rel, i, f"cell {i} is a code cell that shows no lesson item; in a lesson notebook every "
                                 "code cell is L.show(\"item-id\") with cell metadata civicnb.show (student mode runs "
                                 "and hides exactly those cells; a saved widget of any other cell shows an error "
                                 "when the notebook is reopened)")
        first = nb["cells"][0] if nb["cells"] else {}
        if "civicnb-start" not in ((first.get("metadata") or {}).get("tags") or []):
            self.add(rel, 1, "the first cell must be the start line, tagged civicnb-start (how to start the lesson "
                             "where the lesson does not run by itself)")

    # -- classroom fit: references, reveal boxes, accepted answers, periods, paper ----------------
    def check_fit(self, lesson):
        """Each part in its own function, so one broken part never hides another."""
        for part in (self.check_refs, self.check_reveals, self.check_accepts, self.check_periods,
                     self.check_answer_space):
            try:
                part(lesson)
            except ContentError as e:
                self.add(e.file, e.line, e.message)
            except (KeyError, TypeError, AttributeError, ValueError, IndexError):
                continue  # malformed content: the schema checks above report it

    def _text_files(self, lesson):
        """(display path, text) of every file whose prose may hold [[id]] references."""
        out = []
        for name in ("lesson.yml", "exercises.yml", "claims.yml", "teacher.md"):
            path = lesson.dir / name
            if path.is_file():
                out.append((lesson.rel(name), path.read_text(encoding="utf-8")))
        return out

    def _notebook_markdown(self, lesson):
        """(cell number, cell, source) of the lesson notebook's Markdown cells."""
        try:
            nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        out = []
        for i, cell in enumerate(nb.get("cells") or [], 1):
            if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
                src = cell.get("source", "")
                out.append((i, cell, "".join(src) if isinstance(src, list) else str(src)))
        return out

    def check_refs(self, lesson):
        """Every [[id]] names an item of the lesson; prose never names an item by its raw id."""
        from .model import REF_RE

        labels = lesson.ref_labels
        raw_ids = sorted((i for i in labels if "-" in i), key=len, reverse=True)
        raw_re = re.compile(r"(?<![\w\[@-])(" + "|".join(map(re.escape, raw_ids)) + r")(?![\w\]-])") if raw_ids else None
        sources = [(f, t.splitlines()) for f, t in self._text_files(lesson)]
        nb_rel = f"notebooks/{lesson.notebook_path.name}"
        sources += [(nb_rel, [(n, src)]) for n, _, src in self._notebook_markdown(lesson)]
        for file, lines in sources:
            for n, line in (enumerate(lines, 1) if lines and isinstance(lines[0], str) else lines):
                if file == nb_rel and REF_RE.search(line):
                    self.add(file, n, f"cell {n}: JupyterLab shows notebook Markdown as written, so "
                                      f"{REF_RE.search(line).group(0)} would print as it is; write the label "
                                      f"students see, or put the text in {lesson.rel('lesson.yml')}")
                    continue
                if file.endswith(".yml") and self.STRUCTURAL_RE.match(line):
                    continue  # ids and lists of ids (also_accept: [[a, b]] is a YAML list, not a reference)
                for bad in lesson.unresolved_refs(line):
                    self.add(file, n, f"reference [[{bad}]] does not name a question, claim, box or item of lesson "
                                      f"{lesson.name}; fix the id (¶14 is written [[p14]])")
                if raw_re is None or len(line.split()) < 4 or (file.endswith(".yml") and (
                        line.lstrip().startswith("#") or self.STRUCTURAL_RE.match(line))):
                    continue  # a YAML comment or a list of ids never prints
                prose = REF_RE.sub("", line)
                for m in raw_re.finditer(prose):
                    self.add(file, n, f"{m.group(1)!r} is an internal id and would print as it is; write "
                                      f"[[{m.group(1)}]] so it prints as {labels[m.group(1)]!r}")

    STRUCTURAL_RE = re.compile(r"\s*-?\s*(items|reveals|select|also_accept|ties|sources|answers|id|claim|"
                               r"events_from|answer|poll):")
    DEBRIEF_RE = re.compile(r"debrief|where things stand|answers? to", re.I)

    def check_reveals(self, lesson):
        """A box that answers questions lists them (``reveals:``), comes after them in the notebook, and
        never prints in the student packet (nor does a Markdown heading that introduces it)."""
        lf = lesson.rel("lesson.yml")
        meta = lesson.raw_meta
        order = lesson.exercise_order
        nb_rel = f"notebooks/{lesson.notebook_path.name}"
        try:
            nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
            shown = [((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in nb.get("cells") or []]
        except (OSError, ValueError):
            shown = []
        for key in ("blocks", "facts"):
            for b in meta.get(key) or []:
                if not isinstance(b, dict):
                    continue
                reveals = b.get("reveals")
                if not reveals:
                    if self.DEBRIEF_RE.search(str(b.get("title") or "")):
                        self.add(lf, b.line, f"{key[:-1]} {b.get('id')!r} looks like a debrief box (its title); if it "
                                             "answers questions, list them in reveals: [item-id, ...] so the student "
                                             "packet leaves it out")
                    continue
                for i, rid in enumerate(reveals):
                    if rid not in lesson.exercises:
                        self.add(lf, reveals.line_of(i), f"{key[:-1]} {b.get('id')!r}: reveals names {rid!r}, which is "
                                                         "not an exercise of this lesson")
                    elif b.get("id") in shown and rid in shown and shown.index(rid) > shown.index(b["id"]):
                        self.add(nb_rel, shown.index(b["id"]) + 1,
                                 f"the notebook shows {b['id']!r} before {lesson.label_of(rid)}, which it answers; "
                                 "move the box after the question")
        for n, cell, src in self._notebook_markdown(lesson):
            tags = set((cell.get("metadata") or {}).get("tags") or [])
            heading = "\n".join(l for l in src.splitlines() if l.lstrip().startswith("#"))
            if self.DEBRIEF_RE.search(heading) and not tags & {"debrief", "notebook-only"}:
                self.add(nb_rel, n, f"cell {n} introduces a debrief, and the student edition would print it; tag the "
                                    "cell 'debrief' (printed in the teacher edition only)")

    ACCEPT_RE = re.compile(r"\baccept(?:ed|s)?\b", re.I)

    def check_accepts(self, lesson):
        """A teacher note that says "accept" has a matching also_accept (or key.ties), so the notebook
        marks right what the note accepts."""
        from ..exercises import KINDS
        from ..exercises.base import SELF_CHECK
        from ..exercises.verdict import VERDICTS

        ef = lesson.rel("exercises.yml")
        by_label = {label.lower(): v for v, label, _ in VERDICTS}
        for ex in lesson.raw_exercise_list:
            if not isinstance(ex, dict) or ex.get("kind") not in KINDS or KINDS[ex["kind"]].mode != SELF_CHECK:
                continue
            note = str(ex.get("teacher_note") or "")
            if not self.ACCEPT_RE.search(note):
                continue
            key = ex.get("key") if isinstance(ex.get("key"), dict) else {}
            line = ex.line_of("teacher_note")
            where = f"exercise {ex.get('id')!r}"
            if ex["kind"] == "verdict":
                claim = lesson.claims.get(ex.get("claim")) or {}
                have = set(claim.get("also_accept") or [])
                named = set()
                for sentence in re.split(r"(?<=[.;])\s+", note):
                    if self.ACCEPT_RE.search(sentence) and not re.search(r"push back", sentence, re.I):
                        for q in re.findall(r"[\"“]([^\"”]+)[\"”]", sentence):
                            if q.lower() in by_label:
                                named.add(by_label[q.lower()])
                named.discard(claim.get("verdict"))
                missing = sorted(named - have)
                if missing or not have:
                    self.add(ef, line, f"{where}: the teacher note accepts "
                                       f"{', '.join(repr(m) for m in missing) or 'another verdict'}, but claims.yml gives "
                                       f"{ex.get('claim')} no matching also_accept; add also_accept: [{', '.join(missing) or '...'}] "
                                       "to the claim so the notebook marks it right")
            elif ex["kind"] == "timeline":
                if not key.get("ties"):
                    self.add(ef, line, f"{where}: the teacher note accepts another order, but key.ties is missing; "
                                       "list the events that may come in either order")
            elif ex["kind"] == "sort":
                if not any(isinstance(it, dict) and it.get("also_accept") for it in ex.get("items") or []):
                    self.add(ef, line, f"{where}: the teacher note accepts another category, but no item has "
                                       "also_accept; add it to the item")
            elif not key.get("also_accept"):
                self.add(ef, line, f"{where}: the teacher note says to accept another answer, but key.also_accept "
                                   "is missing; add it so the notebook marks it right")

    def check_periods(self, lesson):
        """Steps name their period; each period plans at most 45 of 50 minutes (warning) and a reading
        load a grade 9-10 class can manage (warning); every notebook step has a paper-only route."""
        from .periods import WORD_LIMIT, planned_minutes, step_periods, words_per_period

        lf = lesson.rel("lesson.yml")
        meta = lesson.raw_meta
        steps = [s for s in meta.get("steps") or [] if isinstance(s, dict)]
        with_period = [s for s in steps if "period" in s]
        if with_period and len(with_period) != len(steps):
            s = next(s for s in steps if "period" not in s)
            self.add(lf, s.line, f"step {s.get('title')!r} has no period; give every step period: N")
        last = 0
        for s in with_period:
            p = s.get("period")
            if isinstance(p, int) and (p < last or p > last + 1):
                self.add(lf, s.line_of("period"), f"step {s.get('title')!r}: period {p} is out of order; periods run "
                                                  "1, 2, 3… with the steps in teaching order")
            last = max(last, p) if isinstance(p, int) else last
        limit = planned_minutes(meta)
        periods = step_periods(meta)
        for p, ss in periods.items():
            total = sum(x.get("minutes", 0) for x in ss if isinstance(x.get("minutes"), int))
            if total > limit:
                self.warn(lf, ss[0].line, f"period {p} plans {total} minutes; plan at most {limit} of a "
                                          f"{limit + 5}-minute period (5 go to logging in, handing out and packing up)")
        for s in steps:
            text = f"{s.get('title', '')} {s.get('summary', '')}"
            if re.search(r"\bnotebook|\bcells?\b|\bclick|\bpress\b", text, re.I) and not s.get("paper"):
                self.add(lf, s.line, f"step {s.get('title')!r} uses the notebook; add paper: what a class on printed "
                                     "handouts does instead (the paper-only route)")
        try:
            nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        from .periods import split_cells

        words = words_per_period(lesson, nb)
        if len(periods) > 1 and len(split_cells(nb)) != len(periods):
            self.warn(f"notebooks/{lesson.notebook_path.name}", 1,
                      f"the lesson plan has {len(periods)} periods but the notebook has {len(split_cells(nb))} parts; "
                      "start each period with a level-1 heading (# Day 2)")
        for p, w in enumerate(words, 1):
            if w > WORD_LIMIT:
                first = periods.get(p, steps)[0] if periods.get(p) or steps else None
                self.warn(lf, first.line if first is not None else 1,
                          f"period {p}: students read about {w:,} words; keep it under about {WORD_LIMIT:,} for grade "
                          "9-10 readers (split the period, make a part homework, or list alternatives)")
        for alt in meta.get("alternatives") or []:
            for i, item in enumerate(alt.get("items") or [] if isinstance(alt, dict) else []):
                if item not in lesson.exercises and item not in lesson.blocks:  # a card set is boxes
                    self.add(lf, alt["items"].line_of(i), f"alternatives: {item!r} is not an exercise or box of this lesson")

    def check_answer_space(self, lesson):
        """Answer lines on paper fit what the prompt asks (warning)."""
        from ..exercises.written import Written, lines_needed

        ef = lesson.rel("exercises.yml")
        from ..exercises import KINDS

        for ex in lesson.raw_exercise_list:
            if not isinstance(ex, dict) or not isinstance(KINDS.get(ex.get("kind")), Written):
                continue
            need = lines_needed(str(ex.get("prompt") or ""))
            have = KINDS[ex["kind"]].lines(ex)
            if have < need:
                self.warn(ef, ex.line_of("lines"), f"exercise {ex.get('id')!r}: the prompt asks for several things but "
                                                   f"gives {have} answer lines; give at least lines: {need}")

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
            self.guarded("lessons/unit.yml", self.check_poll_pairs)
            from ..unitdocs.check import check_standards, check_unit_docs  # the unit guide's data

            self.guarded("lessons/standards.yml", check_standards, self)
            self.guarded("lessons/unit-guide.yml", check_unit_docs, self)
            from ..i18n.check import check_translations  # translations: broken, missing, stale

            self.guarded("lessons/i18n", check_translations, self)
        return sorted(set(self.problems))


def check_project(project: Project) -> list[Problem]:
    return Checker(project).run()


def check_report(project: Project) -> tuple[list[Problem], list[str]]:
    """Problems, and the information lines `civicnb check` prints: the balance mix of every item on
    a contested or open question, and every source whose link is a mirror or an archive copy."""
    checker = Checker(project)
    problems = checker.run()
    return problems, checker.report
def check_all(project: Project) -> tuple[list[Problem], list[Problem]]:
    """``(problems, warnings)``: problems stop a build; warnings (a period over its minutes or its
    reading load, answer space short for what a prompt asks) are for the writer to weigh."""
    c = Checker(project)
    problems = c.run()
    return problems, sorted(set(c.warnings))
