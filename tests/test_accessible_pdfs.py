"""Accessible PDFs: every handout passes Typst's PDF/UA-1 check and says so; the build stops when the
check fails; tables have headers; figures have alt text; names in any script print."""
import io
import re

import pytest
from pypdf import PdfReader

from civicnb.build import EDITIONS, build
from civicnb.handout.compile import TypstBuildError, compile_pdf
from civicnb.work.store import WorkStore

from .conftest import ROOT, pdf_text, squash

pytestmark = pytest.mark.slow


def ua_claims(data: bytes) -> dict:
    """What a PDF claims about itself: PDF/UA part (XMP), language, tagging, title shown."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    part = re.search(r"<pdfuaid:part>(\d)</pdfuaid:part>", xmp)
    return {
        "ua": part.group(1) if part else None,
        "lang": str(root.get("/Lang")),
        "tagged": "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"]),
        "title_shown": bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")),
        "title": re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S).group(1),
    }


def struct_roles(data: bytes):
    """(role, [roles below it]) for every structure element, walking the whole tree."""
    reader = PdfReader(io.BytesIO(data))
    out = []

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 200 or not hasattr(node, "get"):
            return []
        below = []
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for k in (kids if isinstance(kids, list) else [kids]):
                if hasattr(k, "get_object") and hasattr(k.get_object(), "get"):
                    below += walk(k, depth + 1)
        role = node.get("/S")
        if role is not None:
            out.append((str(role), below, node))
            return [str(role)] + below
        return below

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


@pytest.fixture(scope="module")
def all_pdfs(tmp_path_factory):
    from civicnb.content.model import Project

    project = Project(ROOT)
    out = tmp_path_factory.mktemp("ua")
    build(project, out, editions=EDITIONS, per_period=True, quiet=True, build_root=out / "build")
    return project, out


def test_every_handout_claims_pdf_ua_with_its_language(all_pdfs):
    project, out = all_pdfs
    pdfs = sorted(out.glob("*.pdf"))
    names = {p.name for p in pdfs}
    for lesson in project.lesson_names:   # every edition of every lesson is here
        assert {f"{lesson}-student.pdf", f"{lesson}-student-large.pdf", f"{lesson}-teacher.pdf"} <= names
    assert len(pdfs) >= 4 * 2 + 5
    for pdf in pdfs:
        c = ua_claims(pdf.read_bytes())
        want = "es" if re.search(r"-es(-|\.pdf)", pdf.name) else "en"
        assert c == dict(c, ua="1", lang=want, tagged=True, title_shown=True), (pdf.name, c)
        assert c["title"].strip(), pdf.name


def test_tables_have_header_cells_and_figures_alt_text(all_pdfs):
    _, out = all_pdfs
    for name in ("00-before-we-begin-student.pdf", "01-claims-student.pdf", "01-claims-teacher.pdf",
                 "02-reading-like-a-fact-checker-student.pdf", "03-rights-and-the-debate-teacher.pdf"):
        roles = struct_roles((out / name).read_bytes())
        tables = [below for role, below, _ in roles if role == "/Table"]
        assert tables, name
        assert all("/TH" in below for below in tables), (name, [b[:6] for b in tables if "/TH" not in b])
        figures = [node for role, _, node in roles if role == "/Figure"]
        assert all(str(f.get("/Alt") or "").strip() for f in figures), name
        headings = [role for role, _, _ in roles if re.fullmatch(r"/H\d", role)]
        assert headings and headings[0] == "/H1", (name, headings[:3])


def test_the_build_stops_when_the_pdf_ua_check_fails(tmp_path):
    template = '#import "civicnb.typ": *\n#show: handout.with(title: "T", lesson: "00", edition: "Student", as-of: "2026")\n'
    from .test_handouts import _tiny_png

    with pytest.raises(TypstBuildError, match="PDF/UA-1 error: missing alt text"):
        compile_pdf(tmp_path / "a", template + '= A\n#image("x.png")\n', {"x.png": _tiny_png()})
    with pytest.raises(TypstBuildError, match="PDF/UA-1 error: skipped from heading level 1 to 3"):
        compile_pdf(tmp_path / "b", template + "= A\n=== C\ntext\n")
    with pytest.raises(TypstBuildError, match="PDF/UA-1 error: missing document title"):
        compile_pdf(tmp_path / "c", "= A\ntext\n")
    ok = compile_pdf(tmp_path / "d", template + '= A\n#image("x.png", alt: "A dot.")\n', {"x.png": _tiny_png()})
    assert ua_claims(ok)["ua"] == "1"


def test_a_worksheet_with_names_in_any_script_passes(mini, tmp_path):
    """PDF/UA-1 fails on a character no font can show: a student's name or answer in Vietnamese,
    Chinese, Japanese, Korean, Arabic, Hebrew or with emoji must still print (fonts, not a dropped check)."""
    from civicnb.handout.worksheet import export_worksheet

    name = "Nguyễn Thị Ánh · 李小龙 · 김민준 · さくら · محمد · דוד · José Núñez 😀"
    store = WorkStore("00-all-kinds", tmp_path / "work")
    store.set_student(name)
    store.save("q-short", {"text": "Mi respuesta: ¿por qué? 我不知道。ありがとう。감사합니다 ✓ ½ → €"})
    pdf = export_worksheet(mini, store.path, tmp_path / "out")
    data = pdf.read_bytes()
    assert ua_claims(data)["ua"] == "1"
    import unicodedata

    text = unicodedata.normalize("NFKC", squash(pdf_text(data)))
    for part in ("李小龙", "김민준", "さくら", "José", "我不知道", "감사합니다"):
        assert unicodedata.normalize("NFKC", squash(part)) in text, (part, text[:300])


def test_cjk_fonts_load_only_for_text_that_needs_them():
    from civicnb.handout.compile import needs_cjk

    assert needs_cjk('#"李小龙";') and needs_cjk("김민준") and needs_cjk("さくら") and needs_cjk("ｶ")
    assert not needs_cjk('#"José Núñez, ¿qué? Nguyễn — 😀 محمد דוד";')
