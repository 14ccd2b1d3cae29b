"""The large-print student edition: built for every lesson, 18 pt body, nothing under 16 pt but
citation marks, one column, and built incrementally like the rest."""
from collections import Counter

import pytest
from pypdf import PdfReader

from civicnb.build import EDITIONS, build, output_name, plan
from civicnb.handout.large import scale_sizes

from .conftest import ROOT, pdf_text, squash


def test_sizes_scale_in_code_but_never_in_text():
    src = '#text(size: 9pt)[#"a size: 9pt in a student\'s answer \\" size: 8pt";] #set text(size: 11.5pt)'
    out = scale_sizes(src)
    assert out.startswith("#text(size: 16pt)")                       # 9 pt * 18/11.5 = 14.1 -> 16 pt floor
    assert '#"a size: 9pt in a student\'s answer \\" size: 8pt";' in out    # text is never touched
    assert out.endswith("#set text(size: 18pt)")


def test_the_large_print_edition_is_planned_for_every_lesson(project, tmp_path):
    assert "student-large" in EDITIONS
    assert output_name("01-claims", "student-large", "letter") == "01-claims-student-large.pdf"
    jobs = list(plan(project, tmp_path, {}, editions=EDITIONS))
    large = {j[4].name for j in jobs if j[1] == "student-large"}
    assert large == {f"{n}-student-large.pdf" for n in project.lesson_names}


def _sizes(pdf):
    """{printed font size: characters} over the whole PDF."""
    sizes = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes[round(size * scale, 1)] += len(text.strip())

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def _source_marker_x(pdf):
    """The x positions of the "[n]" markers of the source list (one per column). A citation in the body
    text on the same page (e.g. "[26, 37, 38]") is not a list marker: a column's markers share one x,
    so only positions with three or more markers count."""
    from collections import Counter

    xs = Counter()
    reader = PdfReader(pdf)
    for page in reader.pages:
        if "Sources cited on this handout" not in (page.extract_text() or ""):
            continue

        def visit(text, cm, tm, font, size):
            if text.strip().startswith("[") and text.strip()[1:2].isdigit():
                xs[round(tm[4] * cm[0] + cm[4])] += 1

        page.extract_text(visitor_text=visit)
    return {x for x, n in xs.items() if n >= 3}


@pytest.mark.slow
def test_large_print_pdf_is_18_pt_one_column_and_incremental(project, tmp_path, capsys):
    build(project, tmp_path, lessons=["01-claims"], editions=("student", "student-large"), quiet=True,
          build_root=tmp_path / "b")
    large, regular = tmp_path / "01-claims-student-large.pdf", tmp_path / "01-claims-student.pdf"
    sizes = _sizes(large)
    total = sum(sizes.values())
    assert sizes.most_common(1)[0][0] == 18.0                                   # the body
    assert sum(n for s, n in sizes.items() if s >= 16) / total > 0.98          # everything else big
    assert min(sizes) >= 13                                                     # citation marks: 0.75 em
    assert _sizes(regular).most_common(1)[0][0] == 11.5
    # one column: the regular source list runs in two columns, the large-print one in one
    assert len(_source_marker_x(regular)) == 2
    assert len(_source_marker_x(large)) == 1
    # the same packet: every question of the regular edition is in the large print, same numbers
    text, reg = squash(pdf_text(large)), squash(pdf_text(regular))
    assert "LESSON01·STUDENTEDITION(LARGEPRINT)" in text.upper()
    for n in range(1, 20):
        assert (f"Question{n}" in reg) == (f"Question{n}" in text)
    assert len(PdfReader(large).pages) > 1.6 * len(PdfReader(regular).pages)
    # incremental: nothing changed, nothing rebuilt
    capsys.readouterr()
    build(project, tmp_path, lessons=["01-claims"], editions=("student", "student-large"), build_root=tmp_path / "b")
    assert "All 2 handouts are up to date" in capsys.readouterr().err


def _bottom_band_text(pdf, band_pt: float) -> list[str]:
    """Per page, the text drawn in the bottom ``band_pt`` points (the footer's band), squashed."""
    out = []
    for page in PdfReader(pdf).pages:
        found = []

        def visit(text, cm, tm, font, size):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and y < band_pt:
                found.append(text)

        page.extract_text(visitor_text=visit)
        out.append(squash("".join(found)))
    return out


@pytest.mark.slow
def test_large_print_text_never_runs_into_the_footer(project, tmp_path):
    """Seen on the page images: the poll slip (kept whole) ran past the page into the footer. Only the
    footer may be drawn in the bottom margin of a large-print page."""
    import re

    build(project, tmp_path, editions=("student-large",), quiet=True, build_root=tmp_path / "b")
    for name in project.lesson_names:
        pages = _bottom_band_text(tmp_path / f"{name}-student-large.pdf", 1.3 * 72)
        for n, text in enumerate(pages, 1):
            rest = re.sub(rf"Lesson{name[:2]}·Largeprint|Page{n}of{len(pages)}|"
                          r"(Sourcesthrough\w+\d{4}·checked\d+\w+\d{4}|Factsasof[\d-]+)·Sources:page\d+", "", text)
            assert rest == "", (name, n, text)
