"""The answer-key packet, the rubrics and the parent letter, as Typst source.

The answer-key packet reuses the teacher edition's renderer (its at-a-glance key and each question's
key view), so the packet and the teacher editions print the same keys."""
from __future__ import annotations

import json
import re

from ..handout import typ
from ..handout.markdown import to_typst
from ..handout.render import PAPERS, Renderer, _CITE_RE
from . import LETTER_FILE
from . import data as D


def _preamble(project, title: str, edition: str, paper: str) -> list[str]:
    return ['#import "civicnb.typ": *',
            typ.call("show: handout.with", title=typ.string(f"{project.unit['title']}: {title}"),
                     edition=typ.string(edition), paper=typ.string(PAPERS[paper]), plain="true")]


# -- the answer-key packet ---------------------------------------------------------------------------
PART1 = "#heading(level: 2)[Part 1 · At-a-glance keys]"
def answer_keys(project, paper: str, build_root) -> tuple[str, dict]:
    from ..handout.compile import question_pages
    from ..handout.render import render

    parts = [typ.call("titleblock", typ.content(typ.text("Answer keys for the whole unit · teachers only")),
                      typ.content(typ.text(project.unit["title"])),
                      subtitle=typ.content(typ.text(
                          "Part 1: the at-a-glance key of every lesson. Part 2: the full keys, with verdict "
                          "rationales, exemplars and notes. Questions carry the numbers students see; "
                          "\u201cStudent page\u201d is the page of the lesson's student packet. Written answers "
                          "and the discussion are scored with the rubrics (rubrics.pdf)."))),
             PART1]
    renderers, explained = [], False
    for name in project.lesson_names:
        lesson = project.lesson(name)
        nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
        st = render(project, lesson, nb, "student", paper)
        pages = question_pages(build_root / f"unit-keys-{lesson.name}-pages-{paper}", st.source, st.assets)
        r = Renderer(project, lesson, "teacher", paper, student_pages=pages)
        r._cells = r._all_cells = nb.get("cells", [])
        renderers.append(r)
        glance = r.glance_key()
        if glance:
            head = typ.text(f"Lesson {lesson.meta['id']}: {lesson.meta['title']}")
            table = glance[glance.index("#block["):]  # the table; its explanation prints once, above
            parts.append(f"#heading(level: 3)[{head}]\n{table}")
            if not explained:
                intro = glance[len("#heading(level: 2)[At-a-glance key]\n"):glance.index("#block[")].strip()
                parts.insert(parts.index(PART1) + 1, intro)
                explained = True
    parts.append("#pagebreak(weak: true)\n#heading(level: 2)[Part 2 · Full keys]")
    for i, r in enumerate(renderers):
        m = r.lesson.meta
        if i:
            parts.append("#pagebreak(weak: true)")
        head = typ.text(f"Lesson {m['id']}: {m['title']}")
        parts.append(f"#heading(level: 3)[{head}]")
        for eid in r.lesson.exercise_order:
            if eid in r.lesson.exercises:
                parts.append(r.item(eid))
    body = "\n\n".join(p for p in parts if p)
    order: list[str] = []

    def number(mm):
        nums = []
        for sid in [x for x in mm.group(1).split(",") if x]:
            if sid not in project.sources:
                raise KeyError(f"unknown source id {sid!r} (run `civicnb check`)")
            if sid not in order:
                order.append(sid)
            nums.append(order.index(sid) + 1)
        return f"#cite-mark({typ.string(', '.join(str(n) for n in sorted(set(nums))))});" if nums else ""

    body = _CITE_RE.sub(number, body)
    body = renderers[0]._once(body) if renderers else body
    sources = renderers[0].sources_list(order) if renderers else ""
    assets = {}
    for r in renderers:
        assets.update(r.assets)
    note = typ.text("Source numbers in this packet are its own (they follow the order of first citation here); "
                    "each lesson's teacher edition numbers its sources as its student packet does.")
    return "\n\n".join(_preamble(project, "answer keys", "Teachers only", paper)
                       + [body, "#pagebreak(weak: true)", f"#text(size: 9pt, style: \"italic\")[{note}]", sources]) + "\n", assets


# -- rubrics -------------------------------------------------------------------------------------------
def _rubric_table(rows: list[tuple[str, dict, str]]) -> str:
    cells = []
    for name, levels, look in rows:
        first = f"#strong[{typ.inline(name)}]" + (f"\\ #text(size: 8pt, style: \"italic\")[{typ.text('Look for: ' + look)}]" if look else "")
        cells.append(f"[{first}]")
        for lv in ("4", "3", "2", "1"):
            cells.append(f"[{typ.inline(levels.get(lv, ''))}]")
        cells.append("[ ]")
    return ("#block[#set text(size: 9.5pt)\n#table(columns: (1.9in, 1fr, 1fr, 1fr, 0.8fr, 0.5in), inset: 5pt, "
            "align: left + top, table.header([*Row*], [*4 Strong*], [*3*], [*2*], [*1*], [*Score*]), "
            + ", ".join(cells) + ")]")


def rubric_rows(project):
    """The two rubrics as (title, use, [(row, {level: text}, look for)]). The written argument's rows and
    levels come from lesson 03's rubric box, the one students see."""
    data = D.rubrics_data(project)
    w = data.get("written") or {}
    _, rows = D.block_rows(project, str(w.get("from_block")))
    look = w.get("look_for") or {}
    written = [(name, dict(levels, **({"1": w["level_1"]} if "1" not in levels and w.get("level_1") else {})),
                str(look.get(name, ""))) for name, levels in rows]
    d = data.get("discussion") or {}
    discussion = [(str(r.get("name")), {str(k): str(v) for k, v in (r.get("levels") or {}).items()},
                   str(r.get("look_for") or "")) for r in d.get("rows") or []]
    return [(str(w.get("title")), " ".join(str(w.get("use", "")).split()), written),
            (str(d.get("title")), " ".join(str(d.get("use", "")).split()), discussion)]


def rubrics(project, paper: str) -> str:
    parts = _preamble(project, "rubrics", "Score each row from 1 to 4", paper) + ["#set page(flipped: true)"]
    for i, (title, use, rows) in enumerate(rubric_rows(project)):
        if i:
            parts.append("#pagebreak()")
        parts.append(typ.call("titleblock", typ.content(typ.text(f"{project.unit['title']} · Rubric")),
                              typ.content(typ.text(title))))
        parts.append(typ.call("nameline"))
        parts.append(typ.paragraphs(use))
        parts.append(_rubric_table(rows))
        total = 4 * len(rows)
        parts.append(f"#align(right)[#strong[{typ.text(f'Total: ______ / {total}')}]]")
    return "\n\n".join(parts) + "\n"


# -- the parent letter ---------------------------------------------------------------------------
_BLANK = re.compile(r"\{([^{}\n]{1,60})\}")


def letter_markdown(project) -> str:
    from ..content.yamlload import read_text_file

    text = read_text_file(project.lessons_dir / LETTER_FILE, f"lessons/{LETTER_FILE}")
    return re.sub(r"<!--.*?-->", "", text, flags=re.S).strip()


def parent_letter(project, paper: str) -> str:
    md = letter_markdown(project)
    marker = "\u2063BLANK{}\u2063"
    labels: list[str] = []

    def hold(mm):
        labels.append(mm.group(1).strip())
        return marker.format(len(labels) - 1)

    body = to_typst(_BLANK.sub(hold, md))

    def blank(mm):  # a fill-in line, its label printed small beneath (the letter stays editable)
        label = labels[int(mm.group(1))]
        return ('";' + f"#box(width: 2in, stroke: (bottom: 0.6pt), outset: (bottom: 2pt))[#text(size: 7pt)[{typ.text('(' + label + ')')}]]"
                + '#"')

    body = re.sub("\u2063BLANK(\\d+)\u2063", blank, body)
    return "\n\n".join(_preamble(project, "letter to parents and guardians", str(project.unit.get("subtitle") or "A civics unit"), paper)
                       + ["#set par(spacing: 1.1em)",
                          # PDF/UA-1: the document's first heading is level 1 (the letter's sections are level 2)
                          "#show heading.where(level: 1): set text(size: 15pt)",
                          f"#heading(level: 1)[{typ.text('A letter to parents and guardians')}]", body]) + "\n"
