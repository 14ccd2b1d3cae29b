"""Handouts: keys only in the teacher edition, literal text, reproducible and incremental builds,
tagged PDFs with embedded fonts, the nbconvert exporters, and completed worksheets."""
import base64
import io
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pypdf import PdfReader

from civicnb.build import build
from civicnb.work.store import WorkStore

from .conftest import ROOT, env_with_src, pdf_text, squash

pytestmark = pytest.mark.slow


def key_texts(lesson):
    """Every piece of answer-key text in a lesson: none may reach the student edition."""
    out = []
    for ex in lesson.exercise_list:
        key = ex.get("key") or {}
        out += [key.get("why"), ex.get("teacher_note")]
        out += list((key.get("exemplars") or {}).values()) + list(key.get("look_for") or []) + list(key.get("accept") or [])
        out += [t.get("why") for t in key.get("targets") or []]
        out += [it.get("why") for it in ex.get("items") or []]
        out += [o.get("feedback") for o in ex.get("options") or []]
        ex_ = key.get("exemplar") or {}
        out += list(ex_.values())
    return [t for t in out if t]


def _probe(text):
    """A stretch of key text long enough to be unique, compared without whitespace (and without the
    light Markdown marks, which print as bold or italic)."""
    return squash(str(text).replace("*", "").replace("`", ""))[:40]


@pytest.fixture(scope="module")
def real_pdfs(tmp_path_factory):
    from civicnb.content.model import Project

    project = Project(ROOT)
    out = tmp_path_factory.mktemp("handouts")
    build(project, out, quiet=True, build_root=out / "build")
    return project, out


def test_student_edition_has_no_key_and_teacher_edition_has_it(real_pdfs):
    project, out = real_pdfs
    for lesson in project.lessons():
        student = squash(pdf_text(out / f"{lesson.name}-student.pdf"))
        teacher = squash(pdf_text(out / f"{lesson.name}-teacher.pdf"))
        keys = key_texts(lesson)
        assert len(keys) > 10
        leaked = [k for k in keys if _probe(k) in student]
        assert not leaked, f"student edition of {lesson.name} shows key text: {leaked[:3]}"
        missing = [k for k in keys if _probe(k) not in teacher]
        assert not missing, f"teacher edition of {lesson.name} lacks: {missing[:3]}"
        assert "TEACHERKEY" not in student and "TEACHERKEY" in teacher
        assert "LESSONPLAN" in teacher and "Timing:" in teacher
        for step in lesson.meta["steps"]:
            assert squash(step["title"]) in teacher
        from civicnb.handout.render import merge_notes

        for std in lesson.meta["standards"]:  # codes, and the caution to check condensed wording (once)
            assert squash(std["code"]) in teacher
        for note in merge_notes([s.get("note") for s in lesson.meta["standards"]]):
            assert squash(note) in teacher


def test_student_edition_has_the_handout_parts(real_pdfs):
    from civicnb.handout.render import footer_date

    project, out = real_pdfs
    lesson = project.lesson("00")
    text = pdf_text(out / f"{lesson.name}-student.pdf")
    flat = squash(text)
    for part in ("Name:", "Date:", "Period:", "Vocabulary", "Essentialquestion", "Sourcescitedonthishandout",
                 squash(footer_date(lesson.meta))):
        assert part in flat, part
    for target in lesson.meta["i_can"]:
        assert squash(target) in flat
    reader = PdfReader(out / f"{lesson.name}-student.pdf")
    n = len(reader.pages)
    assert f"Page1of{n}" in flat and f"Page{n}of{n}" in flat
    # every cited source is listed on the handout: an original with its URL; a mirror or archive copy
    # by its title only (students are not sent to a copy that fails the unit's lateral-reading test)
    from civicnb.handout.render import render

    nb = json.loads(lesson.notebook_path.read_text())
    cited = render(project, lesson, nb, "student").source_ids
    assert cited and set(cited) <= set(lesson.cited_source_ids())
    for sid in cited:
        s = project.sources[sid]
        if (s.get("copy") or "original") == "original":
            assert squash(s["url"])[:30] in flat, sid
        else:
            assert squash(s["url"])[:30] not in flat, sid
            assert squash(s["title"])[:30] in flat, sid
    assert "L.show" not in text and "open_lesson" not in text  # no code


def test_pdfs_are_tagged_letter_with_embedded_fonts(real_pdfs):
    _, out = real_pdfs
    reader = PdfReader(out / "00-before-we-begin-student.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for desc in [font.get("/FontDescriptor")] + [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []]:
                if desc is not None:
                    desc = desc.get_object()
                    assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
                    fonts.add(str(desc["/FontName"]))
    assert any("Atkinson" in f for f in fonts), fonts


def test_a4_option(mini, tmp_path):
    build(mini, tmp_path, editions=("student",), papers=("a4",), quiet=True, build_root=tmp_path / "b")
    box = PdfReader(tmp_path / "00-all-kinds-student-a4.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


INJECTIONS = ['#read("/etc/passwd")', "$x$", "\\", "]", "<script>alert(1)</script>", "@preview", "¿Qué pasó?",
              "señor", "#set page(width: 1cm)", "#strong[everything]", "$1"]


def test_injection_strings_print_literally(mini, tmp_path):
    build(mini, tmp_path, quiet=True, build_root=tmp_path / "b")
    for edition in ("student", "teacher"):
        text = pdf_text(tmp_path / f"00-all-kinds-{edition}.pdf")
        flat = squash(text)
        for s in INJECTIONS:
            assert squash(s) in flat, f"{s!r} not printed literally in the {edition} edition"
        assert "root:x:0:0" not in text
        assert "😀" in text  # emoji print (Noto Emoji), not as empty boxes
        assert "NOTEBOOKONLYCELL" not in text
    # letter pages stayed letter: "#set page(width: 1cm)" did nothing
    box = PdfReader(tmp_path / "00-all-kinds-student.pdf").pages[0].mediabox
    assert round(float(box.width)) == 612


def test_worksheet_prints_student_answers_literally(mini, tmp_path):
    from civicnb.handout.worksheet import export_worksheet

    store = WorkStore("00-all-kinds", tmp_path / "work")
    store.set_student('Zoë "]#read("/etc/passwd")')
    store.save("q-short", {"text": 'My answer: #read("/etc/passwd") $math$ \\ ] <b>bold</b> @preview 😀\nsecond line'})
    store.save("q-single", {"choice": "b"})
    store.save("q-cer", {"claim": "Claim ]", "evidence": "Evidence $", "reasoning": "Because #"})
    pdf = export_worksheet(mini, store.path, tmp_path / "out")
    text = pdf_text(pdf)
    flat = squash(text)
    for s in ['My answer: #read("/etc/passwd") $math$ \\ ] <b>bold</b> @preview', "second line", "Claim ]",
              "Evidence $", "Because #", 'Zoë "]#read("/etc/passwd")']:
        assert squash(s) in flat, s
    assert "root:x:0:0" not in text
    assert "SINGLEWHY" not in text and "EXPRO" not in text  # a worksheet is a student view: no keys


def test_builds_are_reproducible(mini, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build(mini, a, quiet=True, build_root=tmp_path / "ba")
    build(mini, b, quiet=True, build_root=tmp_path / "bb", force=True)
    for name in ("00-all-kinds-student.pdf", "00-all-kinds-teacher.pdf"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_builds_are_incremental(mini, tmp_path, capsys):
    out = tmp_path / "out"
    build(mini, out, build_root=tmp_path / "b")
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    capsys.readouterr()
    build(mini, out, build_root=tmp_path / "b")
    assert "up to date" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == first
    teacher_md = mini.lessons_dir / "00-all-kinds" / "teacher.md"
    teacher_md.write_text("## A new note\n\nMore facilitation notes.\n")
    build(mini, out, build_root=tmp_path / "b")
    err = capsys.readouterr().err
    assert "Building 3 of 3" in err  # student, student-large, teacher
    assert "Anewnote" in squash(pdf_text(out / "00-all-kinds-teacher.pdf"))
    (out / "00-all-kinds-student.pdf").unlink()  # a missing output is rebuilt
    build(mini, out, build_root=tmp_path / "b")
    assert "Building 1 of 3" in capsys.readouterr().err


def test_figure_outputs_keep_alt_text(mini, tmp_path):
    """A notebook figure prints with its alt text in the PDF's structure."""
    from civicnb.handout.compile import compile_pdf
    from civicnb.handout.render import render

    png = base64.b64encode(_tiny_png()).decode()
    nb = json.loads((mini.root / "notebooks" / "00-all-kinds.ipynb").read_text())
    nb["cells"].append({"cell_type": "code", "metadata": {"civicnb": {"alt": "A bar chart of FIGALT values."}},
                        "outputs": [{"output_type": "display_data", "metadata": {},
                                     "data": {"image/png": png}}], "source": "plot()", "execution_count": 1})
    r = render(mini, mini.lesson("00"), nb, "student")
    pdf = compile_pdf(tmp_path / "fig", r.source, r.assets)
    assert b"FIGALT" in pdf or "FIGALT" in _all_alt(pdf)
    del nb["cells"][-1]["metadata"]["civicnb"]
    with pytest.raises(ValueError, match="alt text"):
        render(mini, mini.lesson("00"), nb, "student")


def _all_alt(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    found = []

    def walk(node, depth=0):
        if depth > 40:
            return
        node = node.get_object()
        if hasattr(node, "get"):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                for k in (kids if isinstance(kids, list) else [kids]):
                    if hasattr(k, "get_object"):
                        walk(k, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return " ".join(found)


def _tiny_png():
    import zlib, struct  # noqa: E401

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\x00\x00\x00" * 2
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_nbconvert_exporters_are_registered_and_work(mini, tmp_path):
    names = {ep.name for ep in entry_points(group="nbconvert.exporters")}
    assert {"civicnb_student", "civicnb_teacher"} <= names
    jupyter = Path(sys.executable).with_name("jupyter")
    nb = mini.root / "notebooks" / "00-all-kinds.ipynb"
    for edition in ("student", "teacher"):
        r = subprocess.run([str(jupyter), "nbconvert", "--to", f"civicnb_{edition}", str(nb),
                            "--output-dir", str(tmp_path), "--output", f"x-{edition}"],
                           capture_output=True, text=True, env=env_with_src(), cwd=mini.root)
        assert r.returncode == 0, r.stderr
        text = pdf_text(tmp_path / f"x-{edition}.pdf")
        assert ("SINGLEWHY" in text) == (edition == "teacher")


def test_cli_exports_a_class_set_and_summarises(mini, tmp_path):
    folder = tmp_path / "collected"
    for name, choice, rating in (("Ana", "b", 0), ("Ben", "a", 4), ("Cruz", "a", 4)):
        s = WorkStore("00-all-kinds", folder / name.lower())
        s.set_student(name)
        s.save("q-single", {"choice": choice})
        s.save("q-scale", {"ratings": {"s1": rating}})
    env = env_with_src()
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(mini.root), "export-work", str(folder),
                        "--out", str(tmp_path / "pdfs")], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    pdfs = sorted(p.name for p in (tmp_path / "pdfs").glob("*.pdf"))
    assert pdfs == ["00-all-kinds--ana-worksheet.pdf", "00-all-kinds--ben-worksheet.pdf",
                    "00-all-kinds--cruz-worksheet.pdf"]
    assert "Ben" in pdf_text(tmp_path / "pdfs" / "00-all-kinds--ben-worksheet.pdf")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(mini.root), "summary", str(folder)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "3 work file(s)" in r.stdout
    assert "Strongly disagree: 1, Strongly agree: 2" in r.stdout
    assert "q-single: 2/3" in r.stdout


def test_cli_help_is_true():
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--help"], capture_output=True, text=True,
                       env=env_with_src())
    assert r.returncode == 0
    for cmd in ("check", "build", "export-work", "summary"):
        assert cmd in r.stdout
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "build", "--help"], capture_output=True, text=True,
                       env=env_with_src())
    assert "--paper" in r.stdout and "--force" in r.stdout and "--lesson" in r.stdout


def test_build_refuses_broken_content(real_copy, tmp_path):
    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    ef.write_text(ef.read_text().replace("kind: sort", "kind: sorting", 1))
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "build", "--check",
                        "--out", str(tmp_path)], capture_output=True, text=True, env=env_with_src())
    assert r.returncode == 1 and "unknown exercise kind 'sorting'" in r.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_no_network_and_no_preview_packages():
    src = (ROOT / "src" / "civicnb" / "handout" / "templates" / "civicnb.typ").read_text()
    assert "@preview" not in src and "http" not in src.split("//")[0]
    os.environ.get("http_proxy")  # nothing else to assert: compile uses only local fonts and files
