"""Reading the unit-level data (lessons/unit-guide.yml, standards.yml, rubrics.yml) and resolving it
against the lessons: pacing minutes, dropped steps, formative-task numbers, the reduced card set."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.periods import planned_minutes, step_periods
from ..content.yamlload import ContentError, load_yaml
from . import GUIDE_FILE, RUBRICS_FILE, STANDARDS_FILE


def _load(project, name: str):
    path = project.lessons_dir / name
    data = load_yaml(path, f"lessons/{name}")
    if not isinstance(data, dict):
        raise ContentError(f"lessons/{name}", 1, f"{name} must be a mapping (see the comments at its top)")
    return data


def guide_data(project):
    return _load(project, GUIDE_FILE)


def standards_data(project) -> dict:
    """{code: entry} of the verified standards list."""
    data = _load(project, STANDARDS_FILE)
    return {s.get("code"): s for s in data.get("standards") or [] if isinstance(s, dict)}


def rubrics_data(project):
    return _load(project, RUBRICS_FILE)


def lesson_of(project, name: str):
    """The lesson by folder name or id, or a ContentError naming unit-guide.yml."""
    try:
        return project.lesson(name)
    except KeyError:
        raise ContentError(f"lessons/{GUIDE_FILE}", 1, f"no lesson {name!r}; use a folder name from lessons/unit.yml") from None


def lesson_steps(lesson) -> list[tuple[int, dict]]:
    """[(period, step)] in order."""
    return [(p, s) for p, steps in step_periods(lesson.meta).items() for s in steps]


def optional_period(steps) -> bool:
    """A period the lesson itself calls optional (its first step's title says "(optional)")."""
    return bool(steps) and "(optional)" in str(steps[0].get("title", ""))


@dataclass
class Row:
    lesson: object
    period: int
    step: dict
    minutes: int
    how: str = ""
    paper: str = ""  # this version's paper-only route, when it differs from the lesson's

    @property
    def shortened(self) -> bool:
        return self.minutes != self.step.get("minutes")


@dataclass
class Day:
    label: str
    rows: list = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


@dataclass
class Version:
    name: str
    summary: str
    days: list
    dropped: list  # [(lesson, [(period, [steps])])] of steps no day uses


def find_step(lesson, title: str):
    for p, s in lesson_steps(lesson):
        if s.get("title") == title:
            return p, s
    raise ContentError(f"lessons/{GUIDE_FILE}", 1,
                       f"lesson {lesson.name} has no step titled {title!r}; copy the title from its lesson.yml steps")


def pacing(project, guide=None) -> list[Version]:
    guide = guide if guide is not None else guide_data(project)
    versions: list[Version] = []
    by_label: dict = {}
    for v in guide.get("pacing") or []:
        days = []
        for d in v.get("days") or []:
            if d.get("same_as"):
                if d["same_as"] not in by_label:
                    raise ContentError(f"lessons/{GUIDE_FILE}", getattr(d, "line", 1),
                                       f"same_as {d['same_as']!r} names no earlier day (write \"Version name/Day label\")")
                day = Day(d.get("label") or by_label[d["same_as"]].label, list(by_label[d["same_as"]].rows))
            else:
                day = Day(str(d.get("label") or ""))
                for it in d.get("items") or []:
                    lesson = lesson_of(project, str(it.get("lesson")))
                    if it.get("period") is not None:
                        steps = step_periods(lesson.meta).get(it["period"])
                        if not steps:
                            raise ContentError(f"lessons/{GUIDE_FILE}", getattr(it, "line", 1),
                                               f"lesson {lesson.name} has no period {it['period']}")
                        day.rows += [Row(lesson, it["period"], s, s.get("minutes", 0)) for s in steps]
                    else:
                        p, s = find_step(lesson, str(it.get("step")))
                        minutes = it.get("minutes", s.get("minutes", 0))
                        day.rows.append(Row(lesson, p, s, minutes, fill_counts(project, str(it.get("how") or "")),
                                            fill_counts(project, str(it.get("paper") or ""))))
            by_label[f"{v.get('name')}/{day.label}"] = day
            days.append(day)
        used = {(r.lesson.name, id(r.step)) for day in days for r in day.rows}
        dropped = []
        for name in project.lesson_names:
            lesson = project.lesson(name)
            periods = []
            for p, steps in step_periods(lesson.meta).items():
                left = [s for s in steps if (lesson.name, id(s)) not in used]
                if left:
                    periods.append((p, left, len(left) == len(steps), optional_period(steps)))
            if periods:
                dropped.append((lesson, periods))
        versions.append(Version(str(v.get("name")), str(v.get("summary") or ""), days, dropped))
    return versions


_NUMBER_WORDS = "no one two three four five six seven eight nine ten".split()
_COUNT = re.compile(r"\{count:([0-9a-z-]+)#([A-Za-z0-9_-]+)\}")


def fill_counts(project, text: str) -> str:
    """``{count:00-before-we-begin#norms}`` in a pacing note: the number of items in that lesson box's
    list, in words ("four"), so a note never miscounts the box it names."""
    def sub(m):
        lesson = lesson_of(project, m.group(1))
        block = lesson.blocks.get(m.group(2))
        if block is None:
            raise ContentError(f"lessons/{GUIDE_FILE}", 1, f"lesson {lesson.name} has no box {m.group(2)!r} to count")
        n = len(block.get("list") or [])
        return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return _COUNT.sub(sub, text)


def period_label(title: str) -> str:
    """A lesson's step title as the unit guide prints it: the lesson's own "Day 2 · " becomes
    "Period 2 · ", so it never reads as a day of the unit's pacing."""
    return re.sub("^Day (\\d+) \u00b7 ", "Period \\1 \u00b7 ", str(title))


def period_fit(day_minutes: int, period_length: int) -> int:
    """Minutes a day's plan is over (positive) or under (negative) what a period of this length plans
    (the period less its settling-in minutes)."""
    return day_minutes - planned_minutes({"period_minutes": period_length})


def longest(day: Day) -> Row:
    return max(day.rows, key=lambda r: r.minutes)


def formative_label(lesson, item_id: str) -> str:
    ex = lesson.exercises.get(item_id)
    if ex is None:
        raise ContentError(f"lessons/{GUIDE_FILE}", 1,
                           f"lesson {lesson.name} has no exercise {item_id!r}; use an id from its exercises.yml")
    return f"Q{lesson.number_of(item_id)} {ex.get('title') or ''}".strip()


def featured_not_cited(project, guide) -> list[tuple[str, str]]:
    """(lesson, source id) of blueprint featured sources the lesson itself does not cite."""
    out = []
    for entry in (guide.get("blueprint") or {}).get("lessons") or []:
        lesson = lesson_of(project, str(entry.get("lesson")))
        cited = set(lesson.cited_source_ids())
        out += [(lesson.name, sid) for sid in entry.get("featured_sources") or [] if sid not in cited]
    return out


def source_short(project, sid: str) -> str:
    s = project.sources.get(sid)
    if s is None:
        raise ContentError(f"lessons/{GUIDE_FILE}", 1, f"unknown source id {sid!r}; add it to lessons/sources.yml")
    publisher = re.sub(r"\s*\([^)]*\)", "", str(s.get("publisher") or "")).strip()
    title = str(s.get("title") or "")  # whole: a cut title ("…") hides what the source is
    date = str(s.get("date") or "undated")
    return f"{publisher}, {date}: {title}"


def reduced_cards(project, guide=None) -> list[tuple[dict, object, list]]:
    """[(claim, the Check-it exercise or None, [(n, note)])] of the reduced card set."""
    guide = guide if guide is not None else guide_data(project)
    spec = ((guide.get("differentiation") or {}).get("reduced_cards") or {}).get("cards") or []
    lesson = project.lesson("01-claims")
    claims = lesson.claims
    by_claim = {ex.get("claim"): ex for ex in lesson.exercises.values() if ex.get("kind") == "verdict"}
    out = []
    for card in spec:
        cid = card.get("claim")
        claim = claims.get(cid)
        if claim is None:
            raise ContentError(f"lessons/{GUIDE_FILE}", getattr(card, "line", 1),
                               f"reduced card set: no claim {cid!r} in lessons/01-claims/claims.yml")
        notes = claim.get("evidence") or []
        picked = []
        for ref in card.get("notes") or []:
            n = ref.get("n")
            if not isinstance(n, int) or not 1 <= n <= len(notes):
                raise ContentError(f"lessons/{GUIDE_FILE}", getattr(ref, "line", 1),
                                   f"reduced card set: {cid} has evidence notes 1 to {len(notes)}, not {n!r}")
            if ref.get("source") not in (notes[n - 1].get("sources") or []):
                raise ContentError(f"lessons/{GUIDE_FILE}", getattr(ref, "line", 1),
                                   f"reduced card set: note {n} of {cid} no longer cites {ref.get('source')!r} "
                                   "(were the notes reordered?); pick the note again and update n and source")
            note = notes[n - 1]
            if ref.get("quote"):  # the source's own words, printed in quotation marks on the card
                words = str(ref["quote"])
                text = " ".join(str(note.get("note", "")).split())
                if words not in text:
                    raise ContentError(f"lessons/{GUIDE_FILE}", getattr(ref, "line", 1),
                                       f"reduced card set: note {n} of {cid} does not contain the quote {words!r}")
                note = dict(note, note=text.replace(words, f"\u201c{words}\u201d", 1))
            picked.append((n, note))
        out.append((claim, by_claim.get(cid), picked))
    return out


_ROW = re.compile(r"\*\*(?P<name>[^*]+?)\.?\*\*\s*(?P<rest>.*)")
_LEVEL = re.compile(r"(?:^|\s)(\d):\s*(.*?)(?=\s\d:\s|$)")


def block_rows(project, ref: str) -> tuple[str, list[tuple[str, dict]]]:
    """A rubric box in a lesson (``"03-rights-and-the-debate#rubric"``), as (title, [(row name,
    {level: descriptor})]); the rows are its list items "**Claim.** 4: ... 3: ... 2: ..."."""
    name, _, block_id = ref.partition("#")
    lesson = lesson_of(project, name)
    block = lesson.blocks.get(block_id)
    if block is None:
        raise ContentError(f"lessons/{RUBRICS_FILE}", 1, f"lesson {name} has no block {block_id!r}")
    rows = []
    for item in block.get("list") or []:
        m = _ROW.match(str(item))
        if not m:
            raise ContentError(lesson.rel("lesson.yml"), 1,
                               f"rubric box {block_id!r}: each item must start with a **Row name.** then '4: ... 3: ...'")
        levels = {lv: text.strip()[:1].upper() + text.strip()[1:].rstrip(".") + "."  # a table cell: a capital
                  for lv, text in _LEVEL.findall(m.group("rest"))}
        rows.append((m.group("name").strip(), levels))
    return str(block.get("title") or ""), rows


# -- preparation -------------------------------------------------------------------------------------
def period_items(lesson) -> dict[int, list[str]]:
    """{period: [ids the lesson notebook shows in that period]} (the same split as the per-period packets)."""
    import json

    from ..content.periods import split_cells

    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    return {p: [i for c in cells if (i := ((c.get("metadata") or {}).get("civicnb") or {}).get("show"))]
            for p, cells in enumerate(split_cells(nb), 1)}


@dataclass
class Prep:
    print_each: list  # one per student
    for_room: list  # slides, answer sheets to hand out after the closing, card sets to cut
    notebook: list  # notebook route


def day_prep(project, day: Day) -> Prep:
    """What to print and open for one pacing day, computed from the lessons it uses: the per-period
    student packet of each lesson period (with the poll and exit ticket slips in it that the day's
    steps use), card sets shown in those periods, the after sheet, the slides and the notebook."""
    from ..build import after_periods, has_reveals, output_name as pdf_name
    from ..handout.render import slip_kind

    prep = Prep([], [], [])
    seen = []
    for r in day.rows:
        if (r.lesson.name, r.period) not in seen:
            seen.append((r.lesson.name, r.period))
    titles = " ".join(str(r.step.get("title", "")).lower() for r in day.rows)
    for name, p in seen:
        lesson = project.lesson(name)
        n_periods = len(step_periods(lesson.meta))
        items = period_items(lesson).get(p, [])
        packet = pdf_name(name, "student", "letter", p if n_periods > 1 else None)
        slips = []
        for i in items:
            kind = slip_kind(lesson.exercises.get(i))
            if kind == "poll" and "poll" in titles:
                slips.append(f"the poll slip (Q{lesson.number_of(i)}, unnamed)")
            elif kind == "exit" and "exit ticket" in titles:
                slips.append(f"the exit ticket slip (Q{lesson.number_of(i)})")
        prep.print_each.append(f"`{packet}`" + (f" (cut off {' and '.join(slips)})" if slips else ""))
        for alt in lesson.meta.get("alternatives") or []:  # card sets: the lesson's alternatives named "card"
            if (isinstance(alt, dict) and "card" in str(alt.get("label", "")).lower()
                    and set(alt.get("items") or []) & set(items)):
                prep.for_room.append(f"lesson {lesson.meta['id']} {alt.get('label')} "
                                     f"({len(alt.get('items') or [])} cards, in the packet)")
        if has_reveals(project, name) and (n_periods == 1 or p in after_periods(project, name)):
            prep.for_room.append(f"`{pdf_name(name, 'after', 'letter', p if n_periods > 1 else None)}` "
                                 "(one per student, after the closing)")
        slides = f"`{pdf_name(name, 'slides', 'letter')}`"
        if slides not in prep.for_room:
            prep.for_room.insert(0, slides)
        nb = f"`notebooks/{name}.ipynb`"
        if nb not in prep.notebook:
            prep.notebook.append(nb)
    return prep
