"""The reading-level check: formulas, which text counts, both languages, and the gate itself."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civicnb.content import readability as rl
from civicnb.content.model import Project

ROOT = Path(__file__).resolve().parents[1]


# -- formulas and counting -----------------------------------------------------------------------
def test_flesch_kincaid_by_hand():
    # 6 words, 1 sentence, 6 syllables: 0.39*6 + 11.8*1 - 15.59 = -1.45
    b = rl.measure("The cat sat on the mat.")
    assert (b.words, b.sentences, b.syllables) == (6, 1, 6)
    assert b.grade == pytest.approx(-1.4, abs=0.06)
    hard = rl.measure("Constitutional protections notwithstanding, governmental authorities "
                      "indefinitely incarcerated individuals internationally designated as terrorists.")
    assert hard.grade > 20


def test_sentences_do_not_end_at_abbreviations():
    assert rl.sentence_count("The U.S. government said no. Dr. Smith agreed, citing 18 U.S.C. § 4100.") == 2
    assert rl.sentence_count("It rose 3.5 percent. Then it fell!") == 2
    assert rl.sentence_count("- first item\n- second item\n- third item.") == 3
    assert rl.sentence_count("¿Qué pasó? ¡Nadie lo sabe! Lo dijo EE.UU. en marzo.") == 3


def test_spanish_syllables_follow_the_spelling_rules():
    cases = {"amor": 2, "aéreo": 4, "estudiante": 4, "gobierno": 3, "constitución": 4, "país": 2,
             "oía": 3, "guerra": 2, "que": 1, "guitarra": 3, "pingüino": 3, "hoy": 1, "y": 1, "ciudad": 2}
    assert {w: rl.syllables(w, "es") for w in cases} == cases


def test_english_syllables_from_the_hyphenation_dictionary():
    assert [rl.syllables(w, "en") for w in ("government", "constitution", "cat", "students")] == [3, 4, 1, 2]


def test_fernandez_huerta_and_its_grade_bands():
    # 10 words, 2 sentences, 20 syllables: 206.84 - 60*2 - 1.02*5 = 81.74
    assert rl.fernandez_huerta(10, 2, 20) == pytest.approx(81.74)
    assert rl.fh_grade(95) == pytest.approx(4.5)
    assert rl.fh_grade(60) == pytest.approx(9.0)       # band 60-70 "7º u 8º grado" -> 7 to 9
    assert rl.fh_grade(50) == pytest.approx(12.0)      # band 50-60 "preuniversitario" -> 9 to 12
    grades = [rl.fh_grade(x) for x in range(100, -1, -5)]
    assert grades == sorted(grades)                   # harder text, higher grade, always
    easy = rl.measure("El gato se sentó en la alfombra. Estaba feliz.", "es")
    hard = rl.measure("La inconstitucionalidad de las disposiciones administrativas extraordinarias "
                      "adoptadas excepcionalmente por las autoridades gubernamentales salvadoreñas "
                      "fue denunciada internacionalmente por organizaciones humanitarias.", "es")
    assert easy.score > 90 and easy.grade < 6
    assert hard.score < 30 and hard.grade > rl.GRADE_LIMIT


def test_unknown_language_is_one_clear_error():
    with pytest.raises(ValueError, match="no reading-level formula for language 'fr'"):
        rl.measure("Bonjour.", "fr")


# -- which blocks count ------------------------------------------------------------------------
def test_student_blocks_counted_teacher_and_quoted_text_left_out(project):
    blocks = rl.english_blocks(project.lessons_dir / "03-rights-and-the-debate",
                               ROOT / "notebooks" / "03-rights-and-the-debate.ipynb")
    keys = set(blocks)
    assert "law-cards.yml:cards/card-es-exception/paraphrase" in keys       # our own words: counted
    quoted = [k for k in keys if k.startswith("law-cards.yml:cards/") and k.endswith("/text")]
    assert not quoted, quoted                                                # exact legal words: not counted
    assert not [k for k in keys if "teacher_note" in k or "exemplars" in k or "/steps/" in k]
    assert any(k.startswith("notebook:cells/") for k in keys)                # the notebook's own prose
    b01 = rl.english_blocks(project.lessons_dir / "01-claims", None)
    assert "claims.yml:claims/claim-28/verdict_why" in b01
    assert not [k for k in b01 if k.endswith("passage") or "passage_source" in k]  # the article's words


def _tiny_project(tmp_path, extra_text=None, es=None) -> Project:
    dst = tmp_path / "pkg"
    shutil.copytree(ROOT / "lessons", dst / "lessons")
    shutil.copytree(ROOT / "notebooks", dst / "notebooks")
    if extra_text:
        p = dst / "lessons" / "00-before-we-begin" / "lesson.yml"
        text = p.read_text(encoding="utf-8")
        anchor = "facts:\n"
        assert anchor in text
        p.write_text(text.replace(anchor, anchor + "  - id: hard-box\n    title: Hard\n    text: >-\n      "
                                  + extra_text + "\n    sources: [reuters-2025-03-16-transfers]\n", 1),
                     encoding="utf-8")
    if es:
        (dst / "lessons" / "00-before-we-begin" / "i18n").mkdir(exist_ok=True)
        (dst / "lessons" / "00-before-we-begin" / "i18n" / "es.yml").write_text(es, encoding="utf-8")
    return Project.find(dst)


HARD = ("Notwithstanding the extraordinary circumstances surrounding the transfer, constitutional "
        "protections applicable to individuals within the jurisdiction of the United States, including "
        "procedural guarantees articulated in successive appellate decisions, remained determinative of "
        "the permissibility of removals effectuated under the eighteenth-century statute invoked by the "
        "administration, according to commentators representing organizations across the ideological spectrum. "
        "Subsequent developments, characteristically unanticipated by participants, necessitated "
        "comprehensive reconsideration of jurisdictional interpretations.")


def test_a_hard_long_block_fails_and_a_short_one_does_not(tmp_path):
    proj = _tiny_project(tmp_path, HARD)
    bad = [b for b in rl.report(proj) if b.fails]
    assert [b.key for b in bad] == ["lesson.yml:facts/hard-box/text"]
    short = rl.measure(" ".join(HARD.split()[:40]))
    assert short.grade > rl.GRADE_LIMIT and not short.fails        # 40 words: reported, never failed


def test_spanish_blocks_are_measured_from_the_translation_file(tmp_path):
    es = ('lang: es\nstrings:\n'
          '  "lesson.yml:facts/what-happened/text":\n    en_hash: "00000000"\n    es: >-\n      '
          + " ".join(["La inconstitucionalidad de las disposiciones administrativas extraordinarias "
                      "adoptadas excepcionalmente por autoridades gubernamentales salvadoreñas, "
                      "conjuntamente con organizaciones internacionales,"] * 4) + " fue denunciada.\n"
          '  "lesson.yml:blocks/norms/list/0":\n    es: "Escucha a los demás."\n')
    proj = _tiny_project(tmp_path, es=es)
    es_blocks = [b for b in rl.lesson_report(proj, "00-before-we-begin") if b.lang == "es"]
    assert [b.key for b in es_blocks] == ["lesson.yml:facts/what-happened/text"]   # a list counts once whole
    assert es_blocks[0].fails and es_blocks[0].score < 30


def test_cli_reports_every_lesson_and_fails_on_a_hard_block(tmp_path):
    proj = _tiny_project(tmp_path, HARD)
    run = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(proj.root), "readability"],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "CIVICNB_ROOT": str(proj.root)})
    assert run.returncode == 1, run.stderr
    assert "FAIL 00-before-we-begin lesson.yml:facts/hard-box/text [en]" in run.stdout
    assert "01-claims [en]:" in run.stdout and "grade" in run.stdout
    assert "Traceback" not in run.stderr


# -- the gate ----------------------------------------------------------------------------------------
def test_every_student_block_reads_at_grade_11_or_below(project):
    """The issue's rule: no block of more than 60 words above grade 11, in any language the
    package has (Spanish blocks count once they are translated)."""
    blocks = rl.report(project)
    assert {b.lesson for b in blocks} >= set(project.lesson_names) | {"article"}
    bad = [b.line() for b in blocks if b.fails]
    assert not bad, "rewrite in plainer words (same facts, same sources):\n" + "\n".join(bad)


def test_lesson_plan_prints_each_periods_reading_load(project):
    """The teacher edition's timing table: words and grade per period, and the lesson's level."""
    import json

    from civicnb.handout.render import render

    lesson = project.lesson("01")
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    src = render(project, lesson, nb, "teacher").source
    import re

    heads = re.findall(r"students read about ([\d,]+) words at grade (-?[\d.]+) \(Flesch-Kincaid\)", src)
    assert len(heads) == 3, heads                       # lesson 01 has three periods
    assert all(0 < float(g) <= rl.GRADE_LIMIT for _, g in heads)
    assert "Reading level (Flesch-Kincaid grade): the lesson" in src and "civicnb readability" in src
