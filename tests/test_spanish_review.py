"""The Spanish teachers' review of the student PDFs (issue 12 follow-up): charts in the rendered
language, law-card labels that say which treaty texts are official, source languages, and hyphenated
names that print their hyphen once at a line break."""
from __future__ import annotations

import csv
import re

import pytest

from tests.conftest import ROOT, pdf_text


@pytest.fixture(scope="module")
def project():
    from civicnb.content.model import Project

    return Project(ROOT)


def test_charts_draw_their_words_in_the_language_asked_and_english_is_unchanged(project):
    from civicnb.charts import figure_svg

    figs = [(lesson, spec) for lesson in project.lessons() for spec in lesson.figures.values()]
    assert figs
    for lesson, spec in figs:
        en = figure_svg(project, spec)
        assert figure_svg(project, spec, lang="en") == en  # English: the same bytes as before
        assert figure_svg(project, spec, lang="es") != en, spec["id"]


def test_every_chart_word_has_spanish():
    from civicnb.charts import cecot
    from civicnb.i18n import t

    words = [s[0] for s in cecot.STYLES.values()] + [v[0] for v in cecot.DISPUTED.values()]
    words += ["more than {n}", "fewer than {n}", "news estimate", "People", "Other counts for {year}:",
              "Homicides in the year", "Official count (police or government)", "Another count for the same year"]
    with open(ROOT / "lessons" / "data" / "elsalvador_homicides.csv", encoding="utf-8") as f:
        words += [r["label"] for r in csv.DictReader(f) if r["series"] in ("event", "other-count")]
    missing = [w for w in words if t(w, "es") == w and w != "458 (Prensa Latina)"]
    assert not missing


def test_law_card_labels_official_spanish_texts_apart_from_our_translations(project):
    from civicnb.content.cards import law_block, law_cards
    from civicnb.i18n.lesson import in_language

    es = in_language(project, "es")
    lesson = next(ls for ls in es.lessons() if ls.name.startswith("03"))
    cards = {c["id"]: law_block(c, lesson) for c in law_cards(lesson)}
    assert any("Texto oficial en español:" in r for r in cards["card-cat"]["list"])
    assert any("Texto oficial en español:" in r for r in cards["card-achr"]["list"])
    assert any("traducción no oficial" in r for r in cards["card-eighth"]["list"])
    assert any("traducción no oficial" in r for r in cards["card-mandela"]["list"])  # no Spanish source read
    assert cards["card-trop"]["list"][0].startswith("**Disposición:** Corte Suprema de EE. UU.")


def test_sources_not_in_english_say_their_language(project):
    src = project.sources
    for sid in ("diariocolatino-2026-02-24-extension-48", "metroecuador-2022-04-05-prison-20000",
                "radioyskl-2022-04-cecot-order", "abccolor-2024-08-30-cero-ocio", "lagaceta-undated-cecot-cells",
                "efe-2026-01-05-homicides-2025"):
        assert src[sid].get("lang") == "es", sid
    assert src["vrt-2023-02-25-first-prisoners"].get("lang") == "nl"


def test_spanish_pdf_prints_a_hyphen_once_at_a_line_break(tmp_path):
    from civicnb.build import build, output_name
    from civicnb.content.model import Project

    out = tmp_path / "h"
    build(Project(ROOT), out, ["00-before-we-begin"], ("student-es",), quiet=True, build_root=tmp_path / "b")
    text = pdf_text(out / output_name("00-before-we-begin", "student-es", "letter"))
    doubled = re.findall(r"\w-\n-\w+", text)
    assert not doubled


def test_highlight_passage_keeps_its_quoted_words_and_a_translation_glosses_each_line(project):
    from civicnb.exercises.highlight import Highlight, tokens
    from civicnb.i18n.lesson import in_language

    def charged(p):
        lesson = next(ls for ls in p.lessons() if ls.name.startswith("02"))
        return lesson.exercises["charged-quotes"]

    en, es = charged(project), charged(in_language(project, "es"))
    assert tokens(es["passage"]) == tokens(en["passage"])  # the same words to select, graded the same
    assert len(es["passage_gloss"]) == es["passage"].count("\n") + 1
    paper_en, paper_es = Highlight().paper(en), Highlight().paper(es)
    assert "hemisferio occidental" in paper_es and "Titular del art" in paper_es
    assert "hemisferio" not in paper_en and "#linebreak()" not in paper_en  # English: no gloss lines
    assert paper_en == Highlight().paper({k: v for k, v in en.items() if k != "passage_gloss"})
    assert '#"Western"; #"Hemisphere"' in paper_es  # the quoted English line stays


def test_spanish_article_citation_says_sin_fecha(project):
    from civicnb.handout.render import Renderer
    from civicnb.i18n import using
    from civicnb.i18n.lesson import in_language

    es = in_language(project, "es")
    lesson = next(ls for ls in es.lessons() if ls.name.startswith("01"))
    with using("es"):
        out = Renderer(es, lesson, "student", "letter").article_citation(es.article)
    assert "sin fecha" in out and "undated" not in out


def _pages(data):
    import io

    from pypdf import PdfReader

    from tests.conftest import squash

    return [squash(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def test_a_tall_question_keeps_its_stem_with_its_table(tmp_path):
    """Lesson 01's Spanish question 3 (four kinds of claim) is taller than a page. Before: its table,
    kept whole, moved to the next page and left the stem alone at the foot of page 6."""
    from civicnb.build import build, output_name
    from civicnb.content.model import Project

    out = tmp_path / "h"
    build(Project(ROOT), out, ["01-claims"], ("student-es",), quiet=True, build_root=tmp_path / "b")
    pages = _pages((out / output_name("01-claims", "student-es", "letter")).read_bytes())
    stem = next(i for i, p in enumerate(pages) if "Marcaunacategoríaparacadauna." in p)
    assert "A.Organizacionesdederechos" in pages[stem]


def test_a_card_set_right_after_a_period_heading_shares_its_page(project):
    """Before: "Day 3" and its one-line introduction had a page to themselves; the card set started
    on the next page."""
    import json

    from civicnb.handout.render import render

    lesson = project.lesson("01")
    nb = json.loads((ROOT / "notebooks" / f"{lesson.name}.ipynb").read_text(encoding="utf-8"))
    src = render(project, lesson, nb, "student").source
    after = src[src.index("Day 3"):]
    first_question = after.index("#question(")
    assert "#pagebreak" not in after[:first_question]


def test_spanish_poll_and_exit_ticket_share_their_slip_page(tmp_path):
    """Before: the Spanish poll's narrow statement column made its rows tall, and the exit ticket sat
    alone on the last page; the poll's header said "Statement" in English."""
    from civicnb.build import build, output_name
    from civicnb.content.model import Project

    out = tmp_path / "h"
    build(Project(ROOT), out, ["00-before-we-begin"], ("student-es",), quiet=True, build_root=tmp_path / "b")
    pages = _pages((out / output_name("00-before-we-begin", "student-es", "letter")).read_bytes())
    poll = next(i for i, p in enumerate(pages) if "ENCUESTAANTESDELAUNIDAD·SINNOMBRE" in p.upper())
    assert "BOLETODESALIDA" in pages[poll].upper()
    assert "Enunciado" in pages[poll] and "Statement" not in pages[poll]


def test_spanish_student_edition_cites_the_official_spanish_treaty_text(project):
    """Before: card-cat cites five sources, the Spanish text last; a student edition numbers the first
    three, so the Spanish list never showed the text the card quotes."""
    import json

    from civicnb.handout.render import Renderer
    from civicnb.i18n import using
    from civicnb.i18n.lesson import in_language

    def order(p, lang):
        lesson = next(ls for ls in p.lessons() if ls.name.startswith("03"))
        nb = json.loads((ROOT / "notebooks" / f"{lesson.name}.ipynb").read_text(encoding="utf-8"))
        with using(lang):
            return Renderer(p, lesson, "student", "letter").student_order(nb)

    assert "cat-article-3-es" in order(in_language(project, "es"), "es")
    assert "cat-article-3-es" not in order(project, "en")  # English: the order as written


def test_spanish_evidence_dates_read_as_dates():
    from civicnb.exercises.verdict import _date

    assert _date("2024-08-30", "es") == "30 ago. 2024"
    assert _date("2024-08-30", None) == "2024-08-30"  # English as before


def test_spanish_slip_pointer_says_it_once_without_nested_brackets(project):
    from civicnb.handout.render import Renderer
    from civicnb.i18n import using
    from civicnb.i18n.lesson import in_language

    es = in_language(project, "es")
    lesson = next(ls for ls in es.lessons() if ls.name.startswith("02"))
    with using("es"):
        out = Renderer(es, lesson, "student", "letter").slip_pointer(
            "exit-ticket", 9, "exit", "Boleto de salida: una página nueva (inventada para practicar)")
    assert out.count("hoja aparte") == 1 and "(inventada" not in out
