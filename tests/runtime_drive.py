"""Drive the notebook runtime as a student does, from a compiled lesson bundle: open every lesson, show
every item its notebook shows, answer every exercise (the key's answer, through the widgets), press
Check, reopen the lesson and find every answer again, open the reveal boxes, run the checklist tool.

Used by tests/test_runtime_split.py (CPython, with PyYAML, Matplotlib, nbformat, jsonschema and typst
blocked) and tests/test_pyodide.py (the same file run inside real Pyodide, under Node). Standard
library, civicnb and ipywidgets only. ``drive(work_dir)`` returns a report (a dict) and raises
AssertionError on the first thing that does not work.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import time


def _answer(ex):
    """The key's answer to exercise ``ex`` as the work file stores it (None: a kind with no key)."""
    from civicnb.exercises.choice import accepted_choices, accepted_sets
    from civicnb.exercises.highlight import target_tokens
    from civicnb.exercises.sorting import accepted_categories, accepted_positions

    kind = ex["kind"]
    if kind == "single_choice":
        return {"choice": accepted_choices(ex)[0]}
    if kind == "multi_select":
        return {"choices": sorted(next(iter(accepted_sets(ex))))}
    if kind == "sort":
        return {"placements": {it["id"]: accepted_categories(it)[0] for it in ex["items"]}}
    if kind == "timeline":
        right, used, out = accepted_positions(ex), set(), {}
        for e in sorted(ex["events"], key=lambda e: sorted(right[e["id"]])):  # ties: each number once
            out[e["id"]] = min(p for p in right[e["id"]] if p not in used)
            used.add(out[e["id"]])
        return {"positions": out}
    if kind == "highlight":
        sel = set()
        for t in ex["key"]["targets"]:
            sel |= target_tokens(ex["passage"], t["text"])
        return {"selected": sorted(sel)}
    if kind == "verdict":
        return {"verdict": ex["_claim"]["verdict"], "reason": "Checked against the sources listed."}
    if kind in ("short_answer", "long_answer"):
        return {"text": f"My answer to {ex['id']}: ñ, “quotes”, 😀"}
    if kind == "cer":
        return {"claim": "A claim.", "evidence": "Some evidence.", "reasoning": "Because."}
    if kind == "scale":
        return {"ratings": {st["id"]: 1 for st in ex["statements"]}}
    raise AssertionError(f"unknown exercise kind {kind}")


def _set(widget, ex, value):
    """Put ``value`` into the exercise's widgets, as clicks and typing would."""
    kind, c = ex["kind"], widget.controls
    if kind == "single_choice":
        c["choice"].value = value["choice"]
    elif kind == "multi_select":
        for oid, box in c.items():
            box.value = oid in value["choices"]
    elif kind == "sort":
        for iid, cat in value["placements"].items():
            c[iid].value = cat
    elif kind == "timeline":
        for eid, pos in value["positions"].items():
            c[eid].value = pos
    elif kind == "highlight":
        for b in c:
            b.value = b.index in value["selected"]
    elif kind == "verdict":
        c["verdict"].value = value["verdict"]
        c["reason"].value = value["reason"]
    elif kind in ("short_answer", "long_answer"):
        c["text"].value = value["text"]
    elif kind == "cer":
        for k, v in value.items():
            c[k].value = v
    elif kind == "scale":
        for sid, r in value["ratings"].items():
            c[sid].value = r


def _get(widget, ex):
    kind, c = ex["kind"], widget.controls
    if kind == "single_choice":
        return {"choice": c["choice"].value}
    if kind == "multi_select":
        return {"choices": sorted(k for k, b in c.items() if b.value)}
    if kind == "sort":
        return {"placements": {k: d.value for k, d in c.items()}}
    if kind == "timeline":
        return {"positions": {k: d.value for k, d in c.items()}}
    if kind == "highlight":
        return {"selected": sorted(b.index for b in c if b.value)}
    if kind == "verdict":
        return {"verdict": c["verdict"].value, "reason": c["reason"].value}
    if kind in ("short_answer", "long_answer"):
        return {"text": c["text"].value}
    if kind == "cer":
        return {k: a.value for k, a in c.items()}
    if kind == "scale":
        return {"ratings": {k: t.value for k, t in c.items()}}
    raise AssertionError(kind)


GRADED = ("single_choice", "multi_select", "sort", "timeline", "highlight", "verdict")
SAMPLE = ("Officials said the brutal crackdown was a huge success, according to a source who asked "
          "not to be named. Critics allegedly claimed the plan could fail.")


def drive(work_dir: str, student: str = "Ana Pérez") -> dict:
    from civicnb.content.model import Project
    from civicnb.notebook import open_lesson

    project = Project.find()
    assert project.bundle is not None, f"the lessons did not load from a bundle: {project.root}"
    report = {"bundle": str(project.root), "lessons": {}, "kinds": {}, "timings": {}}
    sink = io.StringIO()  # show() prints each item's plain-text copy where no front end displays it
    for name in project.lesson_names:
        t0 = time.perf_counter()
        L = open_lesson(name, work_dir=work_dir, student=student)
        t_open = time.perf_counter() - t0
        order = [c["metadata"]["civicnb"]["show"] for c in
                 json.loads(L.lesson.notebook_path.read_text(encoding="utf-8"))["cells"]]
        assert order, f"{name}: the bundle lists no cells to show"
        shown, figures, reveals = 0, 0, 0
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sink):
            for item in order:
                L.show(item)
                shown += 1
        t_show = time.perf_counter() - t0
        for item in order:
            kind, data = L.lesson.item(item)
            w = L.widgets[item]
            if kind == "figure":
                figures += 1
                assert "data:image/svg+xml;base64," in w.value and data["alt"][:20] in w.value.replace("&#x27;", "'"), item
            if kind == "header":
                w.controls["name"].value = student
        answered = {}
        for item in order:
            ex = L.lesson.exercises.get(item)
            if not ex:
                continue
            w = L.widgets[item]
            value = _answer(ex)
            _set(w, ex, value)
            answered[item] = value
            report["kinds"].setdefault(ex["kind"], 0)
            report["kinds"][ex["kind"]] += 1
            if ex["kind"] in GRADED:
                w.check_button.click()
                assert "Correct" in w.feedback.value or "can be defended" in w.feedback.value, \
                    (name, item, w.feedback.value[:300])
            elif ex["kind"] in ("short_answer", "long_answer", "scale"):
                assert "Saved" in w.feedback.value or "answered" in w.feedback.value, (name, item, w.feedback.value[:200])
            assert not L.save_errors, L.save_errors
        for ids, widget, body in L.reveal_boxes:
            reveals += 1
            assert "civicnb-locked" not in widget.value, (name, ids)
        if "checklist" in order:
            box = L.widgets["checklist"]
            box.area.value = SAMPLE
            box.run()
            out = box.output.value
            assert "brutal" in out and "crackdown" in out.lower() or "brutal" in out, out[:300]
            report["checklist"] = len(out)
        # reopen (a kernel restart / a page reload): every answer comes back, in the widgets too
        t0 = time.perf_counter()
        again = open_lesson(name, work_dir=work_dir, student=student)
        t_reopen = time.perf_counter() - t0
        assert again.student == student, again.student
        for item, value in answered.items():
            ex = again.lesson.exercises[item]
            saved = again.saved.get(item)
            if ex["kind"] == "multi_select":  # ticked options are saved in option order
                saved = {"choices": sorted(saved["choices"])}
            assert saved == value, (name, item, saved, value)
            got = _get(again.render(item), ex)
            want = value
            if ex["kind"] == "scale":
                got = {"ratings": {k: v for k, v in got["ratings"].items() if v is not None}}
            assert got == want, (name, item, got, want)
        report["lessons"][name] = {"items": shown, "exercises": len(answered), "figures": figures,
                                   "reveal_boxes": reveals, "messages": list(L.messages)}
        report["timings"][name] = {"open_s": round(t_open, 3), "show_all_s": round(t_show, 3),
                                   "reopen_s": round(t_reopen, 3)}
    files = sorted(os.listdir(work_dir))
    assert any(f.endswith(".poll.json") for f in files) or "scale" not in report["kinds"], files
    report["work_files"] = files
    return report


if __name__ == "__main__":  # python tests/runtime_drive.py WORK_DIR (with CIVICNB_BUNDLE set)
    import sys

    print(json.dumps(drive(sys.argv[1]), ensure_ascii=False))
