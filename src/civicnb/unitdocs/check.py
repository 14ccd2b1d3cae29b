"""`civicnb check` for the unit-level data: the verified standards list, and every reference the unit
guide, the rubrics and the letter make into the lessons."""
from __future__ import annotations

from datetime import date

from ..content.periods import planned_minutes
from ..content.yamlload import ContentError
from . import GUIDE_FILE, LETTER_FILE, RUBRICS_FILE, STANDARDS_FILE, enabled
from . import data as D

SF = f"lessons/{STANDARDS_FILE}"


def check_standards(checker) -> None:
    """Every code a lesson cites is in lessons/standards.yml, with wording, the address read and the
    day; a package whose lessons cite no standards needs no list."""
    project = checker.project
    cited = []
    for name in project.lesson_names:
        lesson = project.lesson(name)
        try:
            meta = lesson.meta
        except ContentError:
            continue  # reported by the lesson's own check
        for i, s in enumerate(meta.get("standards") or []):
            if isinstance(s, dict):
                cited.append((lesson, meta["standards"].line_of(i), s))
    path = project.lessons_dir / STANDARDS_FILE
    if not path.is_file():
        if cited:
            lesson, line, s = cited[0]
            checker.add(lesson.rel("lesson.yml"), line,
                        f"cites standard {s.get('code')!r} but {SF} (the verified list) is missing; create it "
                        "with each code's wording, the address you read it at and the day")
        return
    verified = D.standards_data(project)
    raw = D._load(project, STANDARDS_FILE).get("standards") or []
    for i, entry in enumerate(raw):
        line = raw.line_of(i) if hasattr(raw, "line_of") else 1
        if not isinstance(entry, dict):
            checker.add(SF, line, "each standard must be a mapping with code, framework, wording, url and accessed")
            continue
        for key in ("code", "framework", "wording", "url", "accessed"):
            if not str(entry.get(key) or "").strip():
                checker.add(SF, line, f"standard {entry.get('code')!r} has no {key}; a code is verified only "
                                      "with its wording as read, the address read and the day")
        acc = entry.get("accessed")
        if acc and not isinstance(acc, date) and not str(acc)[:4].isdigit():
            checker.add(SF, line, f"accessed {acc!r} is not a date (write YYYY-MM-DD)")
        if not str(entry.get("url") or "").startswith(("http://", "https://")):
            checker.add(SF, line, f"standard {entry.get('code')!r}: url must be the web address you read")
    for lesson, line, s in cited:
        code = s.get("code")
        v = verified.get(code)
        if v is None:
            checker.add(lesson.rel("lesson.yml"), line,
                        f"standard {code!r} is not in the verified list {SF}; check its wording against the "
                        "official text and add it there, or leave it out")
        elif str(v.get("framework")) != str(s.get("framework")):
            checker.add(lesson.rel("lesson.yml"), line,
                        f"standard {code!r} is a {v.get('framework')} code in {SF}, not {s.get('framework')}")


def check_unit_docs(checker) -> None:
    """The unit guide's references resolve, its pacing days fit a period, the rubric box parses."""
    project = checker.project
    if not enabled(project):
        return
    from . import guide, products

    gf = f"lessons/{GUIDE_FILE}"
    g = D.guide_data(project)
    for part in (lambda: guide.blueprint(project, g), lambda: guide.controversy(project, g),
                 lambda: guide.care(project, g), lambda: D.reduced_cards(project, g)):
        try:
            part()
        except ContentError as e:
            checker.add(e.file, e.line, e.message)
    try:
        for name, sid in D.featured_not_cited(project, g):
            checker.add(gf, 1, f"blueprint: {sid!r} is featured for {name}, but that lesson does not cite it; "
                               "feature a source the lesson uses")
    except ContentError as e:
        checker.add(e.file, e.line, e.message)
    try:
        versions = D.pacing(project, g)
    except ContentError as e:
        checker.add(e.file, e.line, e.message)
        versions = []
    limit = planned_minutes({})
    for v in versions:
        for day in v.days:
            if day.minutes > limit:  # a warning, as a lesson's own long period is: the writer weighs it
                checker.warn(gf, 1, f"pacing {v.name!r}, {day.label!r}: {day.minutes} minutes is more than the "
                                    f"{limit} planned in a class period; drop or shorten a step (minutes:)")
            if not day.rows:
                checker.add(gf, 1, f"pacing {v.name!r}, {day.label!r} has no steps")
    if not (project.lessons_dir / RUBRICS_FILE).is_file():
        checker.add(f"lessons/{RUBRICS_FILE}", 1, "file is missing; the rubrics (rubrics.pdf) are built from it")
    else:
        try:
            look = (D.rubrics_data(project).get("written") or {}).get("look_for") or {}
            names = [r[0] for r in products.rubric_rows(project)[0][2]]
            for key in look:
                if key not in names:
                    checker.add(f"lessons/{RUBRICS_FILE}", getattr(look, "line_of", lambda k: 1)(key),
                                f"look_for names row {key!r}, but the rubric box's rows are {', '.join(names)}")
            for title, _, rows in products.rubric_rows(project):
                if not rows:
                    checker.add(f"lessons/{RUBRICS_FILE}", 1, f"rubric {title!r} has no rows")
                for name, levels, _ in rows:
                    missing = [lv for lv in ("4", "3", "2", "1") if not levels.get(lv)]
                    if missing:
                        checker.add(f"lessons/{RUBRICS_FILE}", 1,
                                    f"rubric {title!r}, row {name!r}: no text for level(s) {', '.join(missing)}")
        except ContentError as e:
            checker.add(e.file, e.line, e.message)
    if not (project.lessons_dir / LETTER_FILE).is_file():
        checker.add(f"lessons/{LETTER_FILE}", 1, "file is missing; the parent letter (parent-letter.pdf) is printed from it")
