"""The class summary (issue 11): right figures from a folder that holds every kind of bad file, nothing in
the folder changed, names never on the projected page, a one-line error for bad input."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civicnb.work.store import WorkStore, save_answer

from .conftest import ROOT, env_with_src, pdf_text

L00 = "00-before-we-begin"


def _student(project, folder, name, choice, rating, text="", sort=None):
    s = WorkStore(L00, folder, name)
    s.set_student(name)
    lesson = project.lesson(L00)
    save_answer(lesson, s, "norms-check", {"choice": choice})
    save_answer(lesson, s, "poll-pre", {"ratings": {"pay-other-country": rating}})
    if text:
        save_answer(lesson, s, "exit-question", {"text": text})
    if sort:
        save_answer(lesson, s, "question-types", {"placements": sort})
    return s.path


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink()
                                         else os.readlink(p) if p.is_symlink() else "dir")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def messy_class(project, tmp_path):
    """Three good students (two right, one wrong), and one of every kind of bad file."""
    lesson = project.lesson(L00)
    right = lesson.exercises["norms-check"]["key"]["answer"]
    wrong = next(o["id"] for o in lesson.exercises["norms-check"]["options"] if o["id"] != right)
    c = tmp_path / "period3"
    good = [_student(project, c / "ana", "Ana", right, 0, "first exit answer"),
            _student(project, c / "ben", "Ben", wrong, 4, "Ben writes this"),
            _student(project, c / "cruz", "Cruz", right, 4)]
    # damaged: not JSON
    (c / "dee").mkdir()
    (c / "dee" / f"{L00}.json").write_text("{not json", encoding="utf-8")
    # duplicate: an exact copy of Ana's file (and of her poll file) in a second folder
    shutil.copytree(c / "ana", c / "ana-again")
    # duplicate: an older file of the same student in the same folder (renamed-looking, alt name)
    older = json.loads(good[1].read_text())
    older["updated"] = "2000-01-01T00:00:00.000Z"
    older["answers"]["norms-check"]["value"] = {"choice": right}
    older.pop("digest")
    (c / "ben" / f"{L00}.alt-1.json").write_text(json.dumps(older), encoding="utf-8")
    # renamed: Cruz's file copied under a name the notebook never gives, with a change (not a byte copy)
    data = json.loads(good[2].read_text())
    data["student"] = "Cruz R"
    data.pop("digest")
    (c / "cruz" / "cruz homework.json").write_text(json.dumps(data), encoding="utf-8")
    # hand-edited: the answers changed after the notebook saved them
    e = _student(project, c / "eve", "Eve", wrong, 2)
    data = json.loads(e.read_text())
    data["answers"]["norms-check"]["value"] = {"choice": right}
    e.write_text(json.dumps(data), encoding="utf-8")
    # another lesson: one this package does not have
    (c / "fay").mkdir()
    (c / "fay" / "09-unknown.json").write_text(json.dumps(
        {"format": "civicnb-work/1", "lesson": "09-unknown", "student": "Fay", "updated": None, "answers": {}}))
    # another version: a newer work-file format, and answers to an item the lesson no longer has
    (c / "gus").mkdir()
    (c / "gus" / f"{L00}.json").write_text(json.dumps(
        {"format": "civicnb-work/9", "lesson": L00, "student": "Gus", "answers": {}}))
    (c / "hal").mkdir()
    (c / "hal" / f"{L00}.json").write_text(json.dumps(
        {"format": "civicnb-work/1", "lesson": L00, "student": "Hal", "updated": None,
         "answers": {"an-old-item": {"value": {"choice": "a"}}}}))
    # a link (never followed), and a file that is not a work file
    (c / "ivy").mkdir()
    os.symlink(good[0], c / "ivy" / f"{L00}.json")
    (c / "notes.docx").write_bytes(b"PK\x03\x04")
    return c


def test_summary_counts_only_good_files_and_names_every_bad_one(project, messy_class):
    from civicnb.summary import collect, format_text

    before = _snapshot(messy_class)
    out = collect(project, messy_class)
    assert _snapshot(messy_class) == before  # nothing in the folder changed
    assert sorted(w["student"] for _, w, _ in out.works) == ["Ana", "Ben", "Cruz"]
    kinds = {str(s.path.relative_to(messy_class)): s.kind for s in out.skipped}
    assert kinds[f"dee/{L00}.json"] == "damaged"
    assert kinds["ana-again/" + sorted(p.name for p in (messy_class / "ana").iterdir() if p.suffix == ".json"
                                       and not p.name.endswith(".poll.json"))[0]] == "duplicate"
    assert kinds[f"ben/{L00}.alt-1.json"] == "duplicate"
    assert kinds["cruz/cruz homework.json"] == "renamed"
    assert kinds[f"eve/{L00}--" + "eve-" + hashlib.sha256(b"Eve").hexdigest()[:6] + ".json"] == "hand-edited"
    assert kinds["fay/09-unknown.json"] == "another lesson"
    assert kinds[f"gus/{L00}.json"] == kinds[f"hal/{L00}.json"] == "another version"
    assert kinds[f"ivy/{L00}.json"] == "damaged"  # a link
    assert kinds["notes.docx"] == "not a work file"
    # the duplicate's poll file is skipped with it; Eve's poll file counts (only her work file was edited)
    assert any(k.startswith("ana-again/") and k.endswith(".poll.json") and v == "duplicate" for k, v in kinds.items())
    st = out.items[(L00, "norms-check")]
    lesson = project.lesson(L00)
    assert st.label == lesson.label_of("norms-check") and st.label.startswith("Question ")
    assert (st.answered, st.checked, st.correct) == (3, 3, 2)
    assert sum(st.wrong.values()) == 1 and next(iter(st.wrong)).startswith("chose ")
    counts = out.polls["unit-poll"]["counts"][(L00, "pay-other-country")]
    assert counts == {0: 1, 4: 2, 2: 1}  # Ana, Ben, Cruz and Eve's private poll answers
    text = format_text(out)
    assert f"{st.label} [norms-check]: answered by 3; right 2/3" in text
    assert "[renamed]" in text and "[hand-edited]" in text and "[another version]" in text


def test_renamed_files_count_when_the_teacher_accepts_them(project, messy_class):
    from civicnb.summary import collect

    out = collect(project, messy_class, accept_renamed=True)
    assert "Cruz R" in [w["student"] for _, w, _ in out.works]


def test_lesson_filter_and_roster(project, messy_class, tmp_path):
    from civicnb.summary import collect

    out = collect(project, messy_class, lesson="03", roster=["Ana", "Zed", "# a comment", ""])
    assert out.works == [] and out.lesson_filter == "03-rights-and-the-debate"
    assert any(s.kind == "another lesson" and "not 03-rights" in s.reason for s in out.skipped)
    out = collect(project, messy_class, lesson="00", roster=["Ana", "Zed", "ben"])
    assert out.missing == {L00: ["Zed"]}


def test_pdf_has_the_figures_and_no_names_unless_asked(project, messy_class, tmp_path):
    env = env_with_src()
    before = _snapshot(messy_class)
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(ROOT), "summary", str(messy_class), "--pdf"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    pdf = messy_class.parent / "period3-summary.pdf"
    assert pdf.is_file() and _snapshot(messy_class) == before
    text = pdf_text(pdf)
    assert "Files: missing, skipped" in text and "hand-edited" in text.split("Files: missing")[1]
    label = project.lesson(L00).label_of("norms-check")
    assert label in text and "Ana" not in text and "Ben writes this" in text and "Student 1" in text
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(ROOT), "summary", str(messy_class),
                        "--out", str(tmp_path / "named.pdf"), "--names"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    named = pdf_text(tmp_path / "named.pdf")
    assert "Ana" in named.split("Appendix B. Written answers")[1]
    assert "Ana" not in named.split("Appendix B. Written answers")[0]  # never on the summary page
    from pypdf import PdfReader

    first = PdfReader(str(pdf)).pages[0].extract_text()  # one page: the polls and every question's figures
    assert "Polls: before and after" in first and label in first and "Answered: students" in first


def test_before_and_after_polls_print_side_by_side(project, tmp_path):
    from civicnb.summary import collect, typst_source

    out = collect(project, Path(__file__).parent / "fixtures" / "unit-polls")
    src = typst_source(out)
    assert "Before (lesson 00, n = 3)" in src and "After (lesson 03, n = 3)" in src


@pytest.mark.parametrize("args, says", [
    (["summary", "/nonexistent/folder"], "No such folder"),
    (["summary", "{c}", "--lesson", "99"], "no such lesson"),
    (["summary", "{c}", "--roster", "/nonexistent/roster.txt"], "cannot read the roster"),
    (["summary", "{c}", "--out", "{c}/inside.pdf"], "inside the class folder"),
])
def test_bad_input_is_one_line(messy_class, args, says):
    args = [a.format(c=messy_class) for a in args]
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(ROOT), *args],
                       capture_output=True, text=True, env=env_with_src())
    assert r.returncode != 0 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_digest_is_written_on_save_and_detects_a_change(tmp_path):
    from civicnb.work.store import digest

    s = WorkStore(L00, tmp_path, "Ana")
    s.save("norms-check", {"choice": "a"})
    data = json.loads(s.path.read_text())
    assert data["digest"] == digest(data) and data["civicnb"]
    data["answers"]["norms-check"]["value"]["choice"] = "b"
    assert digest(data) != data["digest"]


def test_teacher_panel_shows_the_summary_and_writes_the_pdf(project, messy_class):
    from civicnb.summary import summary_panel

    panel = summary_panel(str(messy_class), root=ROOT)
    box, lesson, names, go, result = panel.children
    before = _snapshot(messy_class)
    go.click()
    assert "Class summary: 3 work file(s)" in result.value and "period3-summary.pdf" in result.value
    assert (messy_class.parent / "period3-summary.pdf").is_file() and _snapshot(messy_class) == before
    box.value = str(messy_class / "nope")
    go.click()
    assert "No folder" in result.value


@pytest.mark.slow
def test_teacher_notebook_runs(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / "teacher" / "class-summary.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outs and not [o for o in outs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in (o.get("data") or {}) for o in outs)


def test_sort_mistakes_use_the_letters_students_saw(project, tmp_path):
    from civicnb.summary import collect

    lesson = project.lesson("03")
    ex = lesson.exercises["question-map"]
    it = ex["items"][0]
    wrong_cat = next(c["id"] for c in ex["categories"] if c["id"] != it["answer"] and c["id"] not in (it.get("also_accept") or []))
    s = WorkStore(lesson.name, tmp_path / "c" / "u1", "Uma")
    s.save("question-map", {"placements": {it["id"]: wrong_cat}})
    out = collect(project, tmp_path / "c")
    (desc,) = out.items[(lesson.name, "question-map")].wrong
    letter = lesson.label_of(it["id"]).rsplit(", ", 1)[1]  # "item B": the letter on the screen and on paper
    assert desc.startswith(letter + " ("), (desc, letter)
