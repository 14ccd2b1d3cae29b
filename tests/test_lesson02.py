"""Lesson 02 (reading like a fact-checker): the checklist tool on a fixture text and on empty, huge,
Spanish and non-text input; its CLI; the word lists; the homicide chart and its data; the lesson's
structure (periods, reveal boxes, perspectives, made-up pages, balance); the student PDF prints no
key; the notebook runs top to bottom and its checklist box works in a real kernel."""
import csv
import re
import subprocess
import sys

import pytest

from civicnb.checklist import (DISCLAIMER, MAX_CHARS, ChecklistError, check_text, format_html, format_text,
                               load_words)

from .conftest import ROOT, env_with_src, pdf_text, squash

LESSON = "02-reading-like-a-fact-checker"

FIXTURE = """\
Brutal Mega Prison Could Become New Home for U.S. Convicts Under Trump Deal.
Critics argue the plan could violate international law. Secretary of State Marco Rubio announced the
offer on Monday. The prison is regarded as one of the largest in the world. Human rights organizations
warn it would be a humanitarian disaster. Legal experts also question whether it is lawful. Mayor Dana
Ortiz called the cameras "a historic victory." According to police, 82 people were killed. Reports
describe metal bunks. He said it was fine. Bukele's administration insists the offer helps both nations.
What's been called the world's worst prison is in Tecoluca. The weather was mild.
"""


@pytest.fixture(scope="module")
def words():
    return load_words()


def _kinds(report):
    out = {"named": [], "unnamed": [], "none": []}
    for a in report.attributions:
        out[a.kind].append(a.phrase)
    return out


# -- the checklist on a fixture text ---------------------------------------------------------------
def test_checklist_flags_expected_words_on_fixture(words):
    r = check_text(FIXTURE, words)
    assert r.helped and not r.notes
    charged = {h.word for h in r.charged}
    assert {"brutal", "humanitarian disaster", "historic", "victory", "insists", "worst"} <= charged
    # words that carry no charge are not flagged
    flagged_text = {FIXTURE[h.start:h.end].lower() for h in r.charged}
    assert not flagged_text & {"prison", "weather", "mild", "offer", "convicts"}
    assert [FIXTURE[h.start:h.end] for h in r.hedges] == ["Could", "could"]


def test_checklist_lists_attributions_by_kind(words):
    kinds = _kinds(check_text(FIXTURE, words))
    assert kinds["named"] == ["Secretary of State Marco Rubio announced", "Mayor Dana Ortiz called",
                              "According to police", "Bukele's administration insists"]
    assert kinds["unnamed"] == ["Critics argue", "Human rights organizations warn", "Legal experts also question",
                                "Reports describe"]
    assert kinds["none"] == ["is regarded as", "What's been called"]
    # a pronoun is not listed as a named source, and "U.S." does not end a sentence
    assert not any(p.startswith("He ") for p in kinds["named"])
    first = check_text(FIXTURE, words).attributions[0]
    assert first.phrase == "Critics argue" and first.number == 2


def test_checklist_says_it_is_a_prompt_not_a_verdict(words):
    r = check_text(FIXTURE, words)
    assert "prompt for thinking, not a verdict" in format_text(r)
    assert "prompt for thinking, not a verdict" in format_html(r)
    from civicnb.content.model import Project

    linked = format_html(r, Project(ROOT).sources)
    assert "English for Journalists" in linked and "cuny-2020-02-07-loaded-words" not in linked
    html = format_html(check_text('The <script>alert(1)</script> plan is brutal & "new", critics say, and the mayor said it '
                                 'would be fine for the town.', words))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_made_up_pages_give_the_expected_flags(project, words):
    """The lesson's own made-up pages: the tool finds what the keys expect (and both sides' charge)."""
    lesson = project.lesson("02")
    page = lesson.blocks["transfer-page"]
    text = page["text"] + "\n" + "\n".join(page["list"])
    r = check_text(text, words)
    charged = {text[h.start:h.end].lower() for h in r.charged}
    assert {"disastrous", "gutting", "bold", "common-sense"} <= charged
    kinds = _kinds(r)
    assert kinds["named"] == ["County Executive Sam Lee called"]
    assert kinds["unnamed"] == ["Experts warn"]
    assert kinds["none"] == ["It is widely believed"]


# -- awkward input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n\t  ", None])
def test_checklist_empty_input(text, words):
    r = check_text(text, words)
    assert not r.helped and not r.charged and not r.attributions
    assert "no text to check" in r.notes[0]
    assert "no text to check" in format_text(r) and "no text to check" in format_html(r)


def test_checklist_huge_input_is_checked_up_to_a_limit(words):
    huge = FIXTURE * (MAX_CHARS // len(FIXTURE) * 3)
    r = check_text(huge, words)
    assert r.helped and len(r.text) <= MAX_CHARS
    assert any("only the first" in n for n in r.notes)
    assert len(r.attributions) > 1000
    text = format_text(r)
    assert "... and" in text and len(text) < 200_000  # the listing is capped, with the rest counted
    assert "Showing the first" in format_html(r)


def test_checklist_spanish_says_it_cannot_help(words):
    spanish = ("El ministro de Seguridad dijo que el país es el más seguro del hemisferio occidental. "
               "Los críticos afirman que las cifras no incluyen a los pandilleros muertos en enfrentamientos "
               "con la policía, y que la cárcel es brutal.")
    r = check_text(spanish, words)
    assert not r.helped and not r.charged and not r.attributions
    assert "Spanish" in r.notes[0] and "cannot help" in r.notes[0]
    assert "cannot help" in format_text(r)


@pytest.mark.parametrize("text", ["Министр сказал, что тюрьма является одной из крупнейших в мире и что критики ошибаются.",
                                  "部长说，这座监狱是世界上最大的监狱之一，批评者认为这违反了国际法。"])
def test_checklist_other_scripts_say_it_cannot_help(text, words):
    r = check_text(text, words)
    assert not r.helped and "cannot help" in r.notes[0]


def test_checklist_short_english_is_checked(words):
    r = check_text("A brutal plan.", words)
    assert r.helped and [h.word for h in r.charged] == ["brutal"]


def test_checklist_binary_input(words):
    r = check_text(bytes(range(256)).decode("latin-1") * 20, words)
    assert not r.helped and "does not look like plain text" in r.notes[0]


# -- the word list ---------------------------------------------------------------------------------
def test_every_listed_word_says_why_and_cites_real_sources(project, words):
    assert len(words["charged"]) > 30 and words["hedges"]
    for e in words["charged"] + words["hedges"]:
        assert len(e["why"]) > 10, e
        if e["source"]:
            assert e["source"] in project.sources, f"{e['word']}: unknown source {e['source']}"
    positive = {"historic", "extraordinar*", "safest", "bold"}
    assert positive <= {e["word"] for e in words["charged"]}, "the list must flag praise as well as blame"


def test_bad_word_lists_get_one_clear_error(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("charged: [\n")
    with pytest.raises(ChecklistError, match="bad.yml"):
        load_words(bad)
    bad.write_text("charged:\n  - {word: awful}\n")
    with pytest.raises(ChecklistError, match="needs a 'why'"):
        load_words(bad)
    with pytest.raises(ChecklistError, match="no such word list"):
        load_words(tmp_path / "missing.yml")


def test_a_teachers_own_word_list_is_used(tmp_path):
    own = tmp_path / "mine.yml"
    own.write_text("charged:\n  - {word: splendid, why: praise}\nhedges: []\nunnamed_sources: [critics]\n"
                   "no_source: []\nattribution_verbs: [say]\n")
    r = check_text("A splendid and brutal plan, critics say.", load_words(own))
    assert [h.word for h in r.charged] == ["splendid"]
    assert [a.phrase for a in r.attributions] == ["critics say"]


# -- the CLI ---------------------------------------------------------------------------------------
def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "civicnb.cli", "checklist", *args], input=stdin,
                          capture_output=True, env=env_with_src(), cwd=ROOT)


def test_cli_checklist_file_and_stdin(tmp_path):
    f = tmp_path / "text.txt"
    f.write_text(FIXTURE, encoding="utf-8")
    r = _cli(str(f))
    out = r.stdout.decode()
    assert r.returncode == 0 and DISCLAIMER in out
    assert "Critics argue" in out and "Unnamed group: 4" in out and "brutal" in out
    r = _cli("-", stdin="Critics say it is brutal.".encode())
    assert r.returncode == 0 and "Critics say" in r.stdout.decode()


def test_cli_checklist_bad_input_gets_one_line(tmp_path):
    r = _cli(str(tmp_path / "nope.txt"))
    err = r.stderr.decode().strip()
    assert r.returncode == 2 and "nope.txt" in err and "\n" not in err and "Traceback" not in err
    bad = tmp_path / "w.yml"
    bad.write_text("charged: [")
    r = _cli("--words", str(bad), "-", stdin=b"text")
    err = r.stderr.decode().strip()
    assert r.returncode == 2 and "w.yml" in err and "Traceback" not in err
    f = tmp_path / "es.txt"
    f.write_bytes("La cárcel es una de las más grandes del mundo, según el gobierno y los críticos.".encode("latin-1"))
    r = _cli(str(f))  # not UTF-8: read with replacement characters, never a traceback
    assert r.returncode == 0 and "Traceback" not in r.stderr.decode()


def test_cli_help_lists_checklist():
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--help"], capture_output=True, text=True,
                       env=env_with_src())
    assert "checklist" in r.stdout


# -- the homicide chart and its data ---------------------------------------------------------------
def test_homicide_data_every_value_sourced_and_as_published(project):
    rows = list(csv.DictReader(open(ROOT / "lessons" / "data" / "elsalvador_homicides.csv", encoding="utf-8")))
    official = {r["date"][:4]: int(r["value"]) for r in rows if r["series"] == "official"}
    assert official == {"2015": 6656, "2016": 5280, "2017": 3962, "2018": 3346, "2019": 2398, "2020": 1341,
                        "2021": 1147, "2022": 495, "2023": 154, "2024": 114, "2025": 82}
    for r in rows:
        assert r["source"] in project.sources, r
        assert r["note"].strip(), r
    events = [r for r in rows if r["series"] == "event"]
    assert any("stops counting" in r["label"] for r in events), "the counting-rule change must be on the chart"
    assert {int(r["value"]) for r in rows if r["series"] == "other-count"} == {458, 569, 594}


def test_homicide_chart_is_black_and_white_with_alt_text(project):
    from civicnb.charts import figure_svg

    lesson = project.lesson("02")
    fig = lesson.figures["homicide-chart"]
    for n in ("6,656", "82", "458", "569", "594"):
        assert n in fig["alt"]
    svg = figure_svg(project, fig).decode()
    colours = set(re.findall(r"#([0-9a-fA-F]{6})\b", svg))
    assert colours, "the chart drew nothing"
    for c in colours:
        r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
        assert r == g == b, f"colour #{c} is not a grey: meaning must not rest on colour"


# -- the lesson's structure ------------------------------------------------------------------------
def test_periods_fit_and_core_period_stands_alone(project):
    meta = project.lesson("02").meta
    minutes = {}
    for s in meta["steps"]:
        minutes[s["period"]] = minutes.get(s["period"], 0) + s["minutes"]
    assert minutes == {1: 45, 2: 45, 3: 45}  # a core period and two optional ones, 45 of 50 minutes each
    titles = [s["title"] for s in meta["steps"] if s["period"] == 1]
    assert any("Exit ticket" in t for t in titles) and any("Debrief" in t for t in titles)
    assert all("optional" in s["title"] for s in meta["steps"] if s["period"] > 1 and "Recap" in s["title"])


def test_each_period_is_a_readable_load(project):
    """Grade 9-10 readers manage about 1,200 words in a period; the core period must fit on its own."""
    import json
    from civicnb.content.periods import WORD_LIMIT, words_per_period

    lesson = project.lesson("02")
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    load = words_per_period(lesson, nb)
    assert len(load) == 3 and all(w <= WORD_LIMIT for w in load), load


def test_boxes_declare_reveals_and_perspective(project):
    lesson = project.lesson("02")
    ids = set(lesson.exercises)
    for f in lesson.meta["facts"]:
        assert f.get("perspective"), f"fact {f['id']} needs a perspective"
        if re.search(r"debrief|where things stand", f["title"], re.I):
            assert f.get("reveals"), f"{f['id']} answers questions: it must declare reveals"
        assert set(f.get("reveals") or []) <= ids
    sides = {f["perspective"] for f in lesson.meta["facts"] if f.get("favours")}
    assert {"salvadoran-government", "research"} <= sides, "the government's case and the doubts, side by side"


def test_made_up_pages_are_labelled_everywhere(project):
    lesson = project.lesson("02")
    for name in ("Riverton", "Lakeside", "Valley Buzz"):
        for item_id, item in list(lesson.blocks.items()) + list(lesson.exercises.items()):
            text = " ".join(str(v) for v in [item.get("title"), item.get("text"), item.get("passage"),
                                            item.get("passage_source"), item.get("prompt"), *(item.get("list") or [])] if v)
            if name in text:
                assert "made up for practice" in text.lower(), f"{item_id} shows {name} without the label"
                assert "made up for practice" in (item.get("title") or "").lower() or item.get("kind") == "highlight"


def test_loaded_language_comes_from_both_sides(project):
    ex = project.lesson("02").exercises["charged-quotes"]
    lines = ex["passage"].splitlines()
    def line_of(t):
        return next(i for i, line in enumerate(lines, 1) if t in line)
    got = {line_of(t["text"]) for t in ex["key"]["targets"]}
    assert got & {4, 5, 6}, "charged words from officials"
    assert got & {7, 8}, "charged words from critics"
    assert got & {1, 2, 3}, "charged words in the article"


def test_article_body_is_not_copied(project):
    """Short quotes only: no run of 9+ words from the article's body appears in lesson 02's files."""
    seed = ROOT.parent / "shared" / "seeds" / "000_576f96631ff9cec7.txt"
    if not seed.exists():
        pytest.skip("the article copy is not on this machine")
    words_of = lambda s: re.findall(r"[a-z0-9’']+", s.lower())
    lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if len(line.split()) >= 12]
    body = words_of(" ".join(lines))  # the body's sentences; captions and headlines are short quotes
    grams = {tuple(body[i:i + 9]) for i in range(len(body) - 8)}
    mine = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "lessons" / LESSON).rglob("*") if p.is_file())
    ours = words_of(mine)
    hits = [" ".join(ours[i:i + 9]) for i in range(len(ours) - 8) if tuple(ours[i:i + 9]) in grams]
    assert not hits, hits[:3]


# -- handouts and notebook -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    from civicnb.build import build
    from civicnb.content.model import Project

    project = Project(ROOT)
    out = tmp_path_factory.mktemp("h02")
    build(project, out, lessons=[LESSON], quiet=True, build_root=out / "build")
    return project, squash(pdf_text(out / f"{LESSON}-student.pdf")), squash(pdf_text(out / f"{LESSON}-teacher.pdf"))


@pytest.mark.slow
def test_student_pdf_prints_no_key_no_reveal_box_no_teacher_notes(pdfs):
    project, student, teacher = pdfs
    lesson = project.lesson("02")
    probes = []
    for ex in lesson.exercise_list:
        key = ex.get("key") or {}
        probes += [key.get("why"), ex.get("teacher_note")] + list((key.get("exemplars") or {}).values())
        probes += [t["why"] for t in key.get("targets") or []] + [i["why"] for i in ex.get("items") or []]
    reveals = [f["text"] for f in lesson.meta["facts"] if f.get("reveals")]
    probes += reveals
    probes += [line for line in lesson.teacher_md.splitlines() if len(line) > 60 and "[" not in line][:10]
    for p in filter(None, probes):
        assert squash(p)[:40] not in student, f"student PDF shows: {p[:60]}"
    for p in reveals:
        assert squash(p)[:40] in teacher, "the teacher edition prints the reveal boxes"
    assert "madeupforpractice" in student.lower()
    assert squash("Each bar is an official count for one year") in student  # the chart and its caption


@pytest.mark.slow
def test_notebook_runs_and_checklist_box_works(tmp_path):
    import os

    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / f"{LESSON}.ipynb"
    nb = nbformat.read(path, as_version=4)
    os.environ["CIVICNB_WORK_DIR"] = str(tmp_path / "work")
    nb.cells.append(nbformat.v4.new_code_cell(
        "import civicnb.checklist as C\n"
        "box = C.checklist_box()\n"
        f"box.area.value = {FIXTURE!r}\n"
        "box.run()\n"
        "print('PROMPT' if 'prompt for thinking, not a verdict' in box.output.value else 'NO')\n"
        "print('CRITICS' if 'Critics argue' in box.output.value else 'NO')\n"
        "box.area.value = ''\nbox.run()\n"
        "print('EMPTY' if 'no text to check' in box.output.value else 'NO')"))
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    assert out.split() == ["PROMPT", "CRITICS", "EMPTY"]
    box_cell = next(c for c in nb.cells if c.cell_type == "code" and 'L.show("checklist")' in c.source)
    widgets = [o for o in box_cell.outputs if "application/vnd.jupyter.widget-view+json" in (o.get("data") or {})]
    assert len(widgets) == 1, "the checklist box must appear once, not twice"


def test_a_spanish_word_list_makes_spanish_text_checkable(tmp_path):
    """The note says a teacher can add a list for another language: that really works."""
    es = tmp_path / "es.yml"
    es.write_text("language: es\ncharged:\n  - {word: brutal, why: juicio}\n  - {word: infierno, why: imagen fuerte}\n"
                  "hedges:\n  - {word: podría, why: posibilidad}\nunnamed_sources: [críticos]\nno_source: [se dice]\n"
                  "attribution_verbs: [afirman, dijo]\n", encoding="utf-8")
    text = ("Los críticos afirman que la cárcel es un infierno brutal y que el plan podría fallar. "
            "Se dice que es una de las más grandes del mundo.")
    r = check_text(text, load_words(es))
    assert r.helped and {h.word for h in r.charged} == {"brutal", "infierno"}
    assert [h.word for h in r.hedges] == ["podría"]
    assert _kinds(r)["unnamed"] == ["críticos afirman"] and _kinds(r)["none"] == ["Se dice"]
    assert not check_text("The plan is brutal, critics said, and the prison is large.", load_words(es)).helped
