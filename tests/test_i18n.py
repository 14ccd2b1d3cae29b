"""Translations: the file format and sync, freshness (missing or stale strings fail), lessons in
Spanish (same ids and numbers), the notebook's language switch, the Spanish student PDF."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, pdf_text, squash

SHIPPED = ["es"]


def _targets():
    from civicnb.content.model import Project
    from civicnb.i18n.sync import targets

    return [tg.name for tg in targets(Project(ROOT), "es")]


# -- format and sync ---------------------------------------------------------------------------------
def test_en_hash_is_sha256_of_collapsed_whitespace():
    from civicnb.i18n import en_hash

    text = "Which  norm\n is this?"
    assert en_hash(text) == hashlib.sha256(b"Which norm is this?").hexdigest()[:8]
    assert en_hash("Which norm is this?") == en_hash(text)  # reflowing YAML is not a change


def test_student_facing_fields_only():
    """Prompts, options, feedback and notebook Markdown are translated; teacher-only fields and the
    quoted English a highlight exercise analyses are not."""
    from civicnb.content.model import Project
    from civicnb.i18n.sync import english, targets

    tg = next(t for t in targets(Project(ROOT), "es", "00"))
    keys = english(tg)
    assert "exercises.yml:exercises/norms-check/prompt" in keys
    assert "exercises.yml:exercises/norms-check/options/b/feedback" in keys
    assert "exercises.yml:exercises/question-types/items/where-cecot/why" in keys  # shown after a wrong sort
    assert "notebook:cells/c07" in keys
    assert not any("teacher_note" in k or "exemplars" in k or "look_for" in k for k in keys)
    assert not any(k.endswith("/passage") or "/targets/0/text" in k for k in keys)
    assert not any(k.startswith("lesson.yml:steps") or k.startswith("lesson.yml:purpose") for k in keys)
    # code cells (L.show) are not text to translate
    assert not any(k == "notebook:cells/c01" for k in keys)


def test_sync_writes_skeleton_keeps_translations_and_reports_stale(real_copy):
    from civicnb.i18n.sync import read_translation, sync

    root = real_copy.root
    path = root / "lessons" / "00-before-we-begin" / "i18n" / "es.yml"
    path.unlink()
    [res] = sync(real_copy, "es", "00")
    assert res.added and res.missing == res.added and not res.stale
    entry = read_translation(path, "es")["strings"]["lesson.yml:title"]
    assert entry["en"] == "Before we begin" and entry["es"] == ""
    # a translator fills one string; the English then changes
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('en: "Before we begin"\n    en_hash: "e4cdbc62"\n    es: ""',
                                 'en: "Before we begin"\n    en_hash: "e4cdbc62"\n    es: "Antes de empezar"'),
                    encoding="utf-8")
    lf = root / "lessons" / "00-before-we-begin" / "lesson.yml"
    lf.write_text(lf.read_text(encoding="utf-8").replace("title: Before we begin", "title: Before we start", 1),
                  encoding="utf-8")
    from civicnb.content.model import Project

    [res] = sync(Project(root), "es", "00")
    assert res.stale == ["lesson.yml:title"]
    entry = read_translation(path, "es")["strings"]["lesson.yml:title"]
    assert entry["es"] == "Antes de empezar"  # never overwritten
    assert entry["en"] == "Before we start"  # the translator sees the new English
    assert entry["en_hash"] == "e4cdbc62"  # still stale until the translator confirms
    # the translator revises and deletes en_hash: the next sync records the current English
    text = path.read_text(encoding="utf-8").replace('en_hash: "e4cdbc62"\n    es: "Antes de empezar"',
                                                    'es: "Antes de comenzar"')
    path.write_text(text, encoding="utf-8")
    [res] = sync(Project(root), "es", "00")
    assert not res.stale
    from civicnb.i18n import en_hash

    assert read_translation(path, "es")["strings"]["lesson.yml:title"]["en_hash"] == en_hash("Before we start")


def test_sync_keeps_translations_of_removed_strings(real_copy):
    from civicnb.i18n.sync import read_translation, sync

    path = real_copy.root / "lessons" / "00-before-we-begin" / "i18n" / "es.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("strings:\n", 'strings:\n  "lesson.yml:blocks/gone/text":\n'
                                 '    en_hash: "00000000"\n    es: "Texto que ya no existe"\n', 1), encoding="utf-8")
    [res] = sync(real_copy, "es", "00")
    assert res.unused == ["lesson.yml:blocks/gone/text"]
    assert read_translation(path, "es")["unused"]["lesson.yml:blocks/gone/text"]["es"] == "Texto que ya no existe"


def test_sync_cli_bad_file_is_one_line(real_copy):
    path = real_copy.root / "lessons" / "00-before-we-begin" / "i18n" / "es.yml"
    path.write_text("lang: es\nstrings: [unclosed\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "i18n", "sync", "es", "00"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "i18n/es.yml" in r.stderr


# -- freshness: a shipped language never lags its English --------------------------------------------
@pytest.mark.parametrize("target", _targets())
@pytest.mark.parametrize("lang", SHIPPED)
def test_translation_is_complete_and_fresh(lang, target):
    """Every student-facing string of every lesson (and the article and the unit) is translated from
    the current English. Fails on an empty string or one whose English changed since."""
    from civicnb.content.model import Project
    from civicnb.i18n.sync import sync

    [res] = sync(Project(ROOT), lang, target, write=False)
    assert not res.changed, f"{res.path} is out of date: run `civicnb i18n sync {lang}`"
    assert not res.missing, f"{len(res.missing)} untranslated in {res.path}, e.g. {res.missing[:3]}"
    assert not res.stale, f"stale translations in {res.path}: {res.stale[:5]}"


def test_editing_english_makes_translation_stale_and_check_reports_it(real_copy):
    """The freshness check can fail: change one English string in a copy and it does."""
    from civicnb.content.model import Project
    from civicnb.i18n.check import translation_state

    root = real_copy.root
    assert not [s for s in translation_state(Project(root), "es") if s[1].startswith("lessons/00-")]
    ef = root / "lessons" / "00-before-we-begin" / "exercises.yml"
    text = ef.read_text(encoding="utf-8")
    assert "Write one question you hope this unit will help you answer." in text
    ef.write_text(text.replace("Write one question you hope this unit will help you answer.",
                               "Write two questions you hope this unit will help you answer."), encoding="utf-8")
    state = translation_state(Project(root), "es")
    assert ("stale", "lessons/00-before-we-begin/i18n/es.yml", "exercises.yml:exercises/exit-question/prompt") in \
        [s[:3] for s in state]
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(root), "check"], capture_output=True, text=True)
    assert "exercises.yml:exercises/exit-question/prompt is stale" in r.stdout


def test_check_fails_on_a_reference_that_names_nothing(real_copy):
    root = real_copy.root
    path = root / "lessons" / "00-before-we-begin" / "i18n" / "es.yml"
    text = path.read_text(encoding="utf-8")
    old = "Repetir primero muestra que escuchaste"
    assert old in text
    path.write_text(text.replace(old, "Como en [[no-such-item]], repetir primero muestra que escuchaste"),
                    encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(root), "check"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "no-such-item" in r.stdout and "i18n/es.yml" in r.stdout


# -- the overlay and the lesson in Spanish -------------------------------------------------------------
def test_overlay_module_imports_no_yaml():
    """The browser runtime (Pyodide, no PyYAML) imports civicnb.i18n and calls apply_overlay."""
    code = ("import sys; import civicnb.i18n as i; "
            "d = {'exercises': [{'id': 'q', 'kind': 'short_answer', 'prompt': 'Hi', 'teacher_note': 'x'}]}; "
            "i.apply_overlay(d, {'exercises.yml:exercises/q/prompt': {'en_hash': i.en_hash('Hi'), 'es': 'Hola'}, "
            "'exercises.yml:exercises/q/teacher_note': {'es': 'no'}}, 'exercises.yml'); "
            "print(d['exercises'][0]['prompt'], d['exercises'][0]['teacher_note'], 'yaml' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["Hola", "x", "False"]


def test_spanish_lesson_has_same_ids_numbers_and_spanish_labels(project):
    en = project.lesson("00")
    es = project.lesson("00", lang="es")
    assert es is project.lesson("00-before-we-begin", lang="es")
    assert [e["id"] for e in es.exercise_list] == [e["id"] for e in en.exercise_list]
    assert es.exercise_order == en.exercise_order
    assert {i: es.number_of(i) for i in en.exercise_order} == {i: en.number_of(i) for i in en.exercise_order}
    assert es.title == "Antes de empezar" and en.title == "Before we begin"
    assert es.label_of("norms-check") == "Pregunta 2".replace("2", str(en.number_of("norms-check")))
    assert es.labels_of(["norms-check", "question-types"]).startswith("Preguntas ")
    # keys (answers) are the English lesson's
    assert es.exercises["norms-check"]["key"]["answer"] == en.exercises["norms-check"]["key"]["answer"]
    assert project.lesson("00").title == "Before we begin"  # the English lesson is untouched


def test_label_words_in_spanish():
    from civicnb.i18n.lesson import tr_label

    assert tr_label("Questions 8–10", "es") == "Preguntas 8–10"
    assert tr_label("Question 12 (Claim 7)", "es") == "Pregunta 12 (Afirmación 7)"
    assert tr_label("Question 3, item D and ¶4", "es") == "Pregunta 3, elemento D y ¶4"
    assert tr_label("“Question and answer”", "es") == "“Question and answer”"  # a box title is left alone


def test_ui_words_complete_and_template_matches():
    """Every fixed word the code passes to t() has its Spanish; the template's own Spanish words
    match ui.yml; ui.json (for the browser) equals ui.yml."""
    sys.path.insert(0, str(ROOT / "tools"))
    from ui_keys import keys

    from civicnb.i18n import UI_FILE, load_ui_yaml
    from civicnb.i18n.sync import ui_json_text

    ui = load_ui_yaml(UI_FILE)
    missing = [k for k in keys() if not (ui.get(k) or {}).get("es")]
    assert not missing, f"ui.yml lacks Spanish for: {missing[:5]}"
    for k, v in ui.items():  # the {fields} the code fills are kept
        assert set(re.findall(r"\{(\w+)\}", k)) == set(re.findall(r"\{(\w+)\}", v["es"])), k
    tpl = (ROOT / "src" / "civicnb" / "handout" / "templates" / "civicnb.typ").read_text(encoding="utf-8")
    block = tpl[tpl.index("#let ui-es = ("):tpl.index("#let tr(")]
    pairs = dict(re.findall(r'^\s*"([^"]+)": "([^"]+)",$', block, re.M))
    assert len(pairs) > 15
    for en, es in pairs.items():
        assert ui.get(en, {}).get("es") == es, en
    assert (ROOT / "src" / "civicnb" / "i18n" / "ui.json").read_text(encoding="utf-8") == ui_json_text()


def test_t_falls_back_and_formats():
    from civicnb.i18n import t, using

    assert t("Check my answer", "es") == "Comprobar mi respuesta"
    assert t("Check my answer", "en") == "Check my answer"
    assert t("You found {hits} of {total}.", "es", hits=2, total=3) == "Encontraste 2 de 3."
    assert t("month3", "en") == "March" and t("month3", "es") == "marzo"
    # a {field} may be called "key" or "lang" (the verdict card's "The key says *{key}*")
    assert t("*{verdict}* can be defended here if your reason shows it. The key says *{key}*: {why}", "es",
             verdict="A", key="B", why="C").startswith("*A* se puede defender")
    with using("es"):
        assert t("Vocabulary") == "Vocabulario"
    assert t("Vocabulary") == "Vocabulary"


# -- the notebook: language setting ---------------------------------------------------------------------
def _session(tmp_path, **kw):
    from civicnb.notebook import open_lesson

    return open_lesson("00", work_dir=tmp_path / "work", root=ROOT, **kw)


def test_switching_language_mid_lesson_keeps_ids_and_answers(tmp_path):
    s = _session(tmp_path)
    assert s.lang == "en"
    header = s.render("header")
    s.widgets["header"] = header
    for item in ("norms-check", "question-types", "exit-question", "unit-about"):
        s.widgets[item] = s.render(item)
    radio = s.widgets["norms-check"].controls["choice"]
    radio.value = "b"
    s.widgets["exit-question"].controls["text"].value = "Who decides?"
    before = dict(s.saved)
    old_widget = s.widgets["norms-check"]
    assert "Check my answer" in old_widget.check_button.description

    header.controls["lang"].value = "es"  # the student clicks "Español"
    assert s.lang == "es"
    w = s.widgets["norms-check"]
    assert w is old_widget  # redrawn in place: same widget on the page
    assert w.check_button.description == "Comprobar mi respuesta"
    assert w.controls["choice"].value == "b"  # the answer stays
    assert s.widgets["exit-question"].controls["text"].value == "Who decides?"
    assert "Pregunta" in w.children[0].value  # the number label in Spanish
    assert "De qué trata esta unidad" in s.widgets["unit-about"].value
    # the English notebook's own Markdown stays English: the header says where the Spanish notebook is
    assert "notebooks/es/00-before-we-begin.ipynb" in _texts(header)
    assert s.saved == before  # same ids, same answers
    work = json.loads(s.store.path.read_text(encoding="utf-8"))
    assert work["lang"] == "es" and set(work["answers"]) == set(before)

    again = _session(tmp_path)  # reopened: the student's choice is remembered
    assert again.lang == "es" and again.saved == before
    again.set_lang("en")
    assert json.loads(s.store.path.read_text(encoding="utf-8"))["lang"] == "en"


def test_class_default_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVICNB_LANG", "es")
    s = _session(tmp_path)
    assert s.lang == "es" and s.lesson.title == "Antes de empezar"
    s.set_lang("en")  # the student's own choice wins over the class default
    assert _session(tmp_path).lang == "en"
    monkeypatch.setenv("CIVICNB_LANG", "xx")  # an unknown code: English, no error
    assert _session(tmp_path / "other").lang == "en"


def test_spanish_feedback_in_widgets(tmp_path):
    s = _session(tmp_path, lang="es")  # as the Spanish notebook opens it: no pointer to itself
    assert "notebooks/es/" not in _texts(s.render("header"))
    w = s.render("norms-check")
    w.controls["choice"].value = "a"
    w.check_button.click()
    assert "Todavía no. Una pista:" in w.feedback.value
    w.check_button.click()
    assert "No exactamente." in w.feedback.value


def test_work_file_lang_must_be_text(tmp_path):
    from civicnb.work.store import WorkFileError, read_work_file

    f = tmp_path / "w.json"
    f.write_text(json.dumps({"format": "civicnb-work/1", "lesson": "00-before-we-begin", "answers": {},
                             "lang": ["es"]}), encoding="utf-8")
    with pytest.raises(WorkFileError, match="'lang'"):
        read_work_file(f)


# -- the Spanish student PDF ------------------------------------------------------------------------------
def test_spanish_student_pdf_builds_with_lang_es(tmp_path):
    from civicnb.build import build, output_name
    from civicnb.content.model import Project

    out = tmp_path / "h"
    build(Project(ROOT), out, ["00-before-we-begin"], ("student-es",), quiet=True, build_root=tmp_path / "b")
    pdf = out / output_name("00-before-we-begin", "student-es", "letter")
    assert pdf.name == "00-before-we-begin-student-es.pdf"
    raw = pdf.read_bytes()
    assert b"/Lang(es)" in raw
    text = squash(pdf_text(raw))
    for word in ("Nombre:", "Periodo:", "Pregunta esencial", "Fuentes citadas en este material", "Antes de empezar",
                 "Marca una categoría para cada una.", "Boleto de salida", "Página1de"):
        assert squash(word) in text, word
    for word in ("Name:", "Sources cited on this handout", "Tick one category", "Before we begin"):
        assert squash(word) not in text, word
    # the headline students analyse stays in English (quoted), with its gloss
    assert squash("Brutal Mega Prison Could Become New Home for Convicts Under Trump Deal") in text
    # incremental: a second build does nothing
    t0 = pdf.stat().st_mtime_ns
    build(Project(ROOT), out, ["00-before-we-begin"], ("student-es",), quiet=True, build_root=tmp_path / "b")
    assert pdf.stat().st_mtime_ns == t0


def test_per_period_spanish_names():
    from civicnb.build import output_name

    assert output_name("03-rights-and-the-debate", "student-es", "letter", 2) == "03-rights-and-the-debate-student-es-p2.pdf"
    assert output_name("00-before-we-begin", "student-es", "a4") == "00-before-we-begin-student-es-a4.pdf"


# -- every kind in Spanish (fixed words; the mini fixture has no translation, so content stays English) --
ALL_KINDS = ["q-single", "q-multi", "q-sort", "q-highlight", "q-short", "q-long", "q-scale", "q-cer", "q-timeline",
             "q-verdict"]
ENGLISH_UI = (r"Check my", r"Not quite", r"A hint", r"You found", r"Your answer", r"Choose an", r"Statement \d",
              r"\bItem [A-Z]\b", r"\bEvent [A-Z]\b", r"Evidence notes", r"\bVerdict\b", r"— choose —")


def _texts(widget) -> str:
    out = []
    for c in getattr(widget, "children", ()) or ():
        out.append(_texts(c))
    for attr in ("value", "description", "placeholder", "tooltip"):
        v = getattr(widget, attr, None)
        if isinstance(v, str):
            out.append(v)
    for attr in ("options",):
        for o in getattr(widget, attr, None) or ():
            out.append(o[0] if isinstance(o, tuple) else str(o))
    return "\n".join(out)


@pytest.mark.parametrize("item", ALL_KINDS)
def test_every_kind_in_spanish(mini, tmp_path, item):
    """Each kind's widget, grading (wrong, then again), hint and paper view work in Spanish and show no
    English fixed words."""
    from civicnb.exercises import kind_of
    from civicnb.notebook import open_lesson

    s = open_lesson("00", work_dir=tmp_path / "work", root=mini.root, lang="es")
    w = s.render(item)
    ex = s.lesson.exercises[item]
    k = kind_of(ex)
    c = w.controls
    if item == "q-single":
        c["choice"].value = next(o["id"] for o in ex["options"] if o["id"] != ex["key"]["answer"])
    elif item == "q-multi":
        next(iter(c.values())).value = True
    elif item == "q-sort":
        for dd in c.values():
            dd.value = ex["categories"][0]["id"]
    elif item == "q-highlight":
        c[0].value = True
    elif item == "q-timeline":
        for n, dd in enumerate(c.values(), 1):
            dd.value = 1 if n < 3 else n  # two events share a number
    elif item == "q-verdict":
        c["verdict"].value = next(v for v in ("accurate", "unsupported") if v != ex["_claim"]["verdict"])
    elif item == "q-scale":
        next(iter(c.values())).value = 1
    elif item == "q-cer":
        c["claim"].value = "Sí"
    else:
        c["text"].value = "Una respuesta"
    if getattr(w, "check_button", None) is not None:
        w.check_button.click()
        w.check_button.click()
        assert w.feedback.value, "no feedback"
    shown = _texts(w)
    assert not [x for x in ENGLISH_UI if re.search(x, shown)], shown[:400]
    paper = k.paper(ex)
    for x in ("Choose one answer", "Tick every", "Tick one category", "Underline", "Circle how much", "Number the events",
              "Evidence notes", "My reason"):
        assert x not in paper


def test_spanish_worksheet_from_a_spanish_work_file(tmp_path):
    from civicnb.content.model import Project
    from civicnb.handout.worksheet import export_worksheet

    s = _session(tmp_path, lang="es")
    s.store.set_student("Ana")
    s.render("norms-check").controls["choice"].value = "b"
    s.set_lang("es")
    pdf = export_worksheet(Project(ROOT), s.store.path, tmp_path / "out")
    text = squash(pdf_text(Path(pdf)))
    assert squash("Hoja de trabajo completada") in text and squash("Repaso de las normas") in text


# -- the Spanish notebooks (Markdown in Spanish) -----------------------------------------------------------
def test_spanish_notebooks_are_current():
    from civicnb.content.model import Project
    from civicnb.i18n.notebooks import notebook_dir, notebook_text, translated_notebook

    project = Project(ROOT)
    for name in project.lesson_names:
        path = notebook_dir(ROOT, "es") / f"{name}.ipynb"
        assert path.read_text(encoding="utf-8") == notebook_text(translated_notebook(project, name, "es")), \
            f"{path} is out of date: run `civicnb i18n sync es`"
    nb = json.loads((notebook_dir(ROOT, "es") / "00-before-we-begin.ipynb").read_text(encoding="utf-8"))
    md = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "## Parte 1 · Cómo funcionan los cuadernos" in md and "How the notebooks work" not in md
    assert all(c["outputs"] == [] for c in nb["cells"] if c["cell_type"] == "code")
    # the Spanish start page: every lesson, linked, and a way back; the English start page links it
    index = (notebook_dir(ROOT, "es") / "index.ipynb").read_text(encoding="utf-8")
    assert index == notebook_text(__import__("civicnb.i18n.notebooks", fromlist=["x"]).index_notebook(project, "es"))
    for name in project.lesson_names:
        assert f"]({name}.ipynb)" in index and (notebook_dir(ROOT, "es") / f"{name}.ipynb").is_file()
    assert "Antes de empezar" in index and "](../index.ipynb)" in index
    assert "](es/index.ipynb)" in (ROOT / "notebooks" / "index.ipynb").read_text(encoding="utf-8")


@pytest.mark.slow
def test_spanish_notebook_executes_and_shares_the_work_folder(tmp_path, monkeypatch):
    """Run in a real kernel from notebooks/es/: the lesson opens in Spanish and saves to the same work
    folder as the English notebook (notebooks/my-work/ when CIVICNB_WORK_DIR is unset)."""
    import shutil

    import nbformat
    from nbclient import NotebookClient

    from tests.conftest import copy_project

    root = copy_project(ROOT, tmp_path / "real")
    monkeypatch.delenv("CIVICNB_WORK_DIR", raising=False)
    monkeypatch.setenv("CIVICNB_ROOT", str(root))
    path = root / "notebooks" / "es" / "00-before-we-begin.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = ("L.widgets['norms-check'].controls['choice'].value = 'b'\n"
            "print(L.lang, L.lesson.title, L.widgets['norms-check'].check_button.description)")
    nb.cells.append(nbformat.v4.new_code_cell(code))
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    assert out.strip() == "es Antes de empezar Comprobar mi respuesta"
    work = json.loads((root / "notebooks" / "my-work" / "00-before-we-begin.json").read_text(encoding="utf-8"))
    assert work["answers"]["norms-check"]["value"] == {"choice": "b"}
    shutil.rmtree(root / "notebooks" / "my-work")


def test_teacher_edition_prints_the_spanish_glossary(real_copy, tmp_path):
    from civicnb.content.model import Project
    from civicnb.handout.render import render

    gl = real_copy.root / "lessons" / "i18n" / "glossary-es.yml"
    gl.write_text("lang: es\nterms:\n"
                  "  - {en: due process, es: debido proceso, gloss_es: \"Los pasos legales justos.\", lessons: [\"00\"]}\n"
                  "  - {en: habeas corpus, es: hábeas corpus, gloss_es: \"Pedirle a un juez que revise.\", lessons: [\"03\"]}\n",
                  encoding="utf-8")
    project = Project(real_copy.root)
    lesson = project.lesson("00")
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    src = render(project, lesson, nb, "teacher").source
    assert "Spanish glossary" in src and "debido proceso" in src and "Los pasos legales justos." in src
    assert "hábeas corpus" not in src  # another lesson's term
    assert "Spanish glossary" not in render(project, lesson, nb, "student").source
    # a broken glossary is one clear problem in `civicnb check`
    gl.write_text("lang: es\nterms:\n  - {en: due process, es: debido proceso}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "check"],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "glossary-es.yml:3: term 'due process' needs gloss_es" in r.stdout


def test_sync_confirm_records_checked_stale_strings(real_copy):
    from civicnb.content.model import Project
    from civicnb.i18n.sync import sync

    ef = real_copy.root / "lessons" / "00-before-we-begin" / "exercises.yml"
    text = ef.read_text(encoding="utf-8")
    ef.write_text(text.replace("Write one question you hope", "Write one question that you hope")
                  .replace("Sort each question.", "Sort each of these questions."), encoding="utf-8")
    [res] = sync(Project(real_copy.root), "es", "00", write=False)
    assert len(res.stale) == 2
    key = "exercises.yml:exercises/exit-question/prompt"
    [res] = sync(Project(real_copy.root), "es", "00", confirm={key})
    assert res.confirmed == [key] and len(res.stale) == 1
    [res] = sync(Project(real_copy.root), "es", "00")
    assert len(res.stale) == 1 and key not in res.stale  # written: stays confirmed
    [res] = sync(Project(real_copy.root), "es", "00", confirm="all")
    assert not res.stale


def test_exporting_the_spanish_notebook_prints_the_spanish_student_edition():
    """File → Save and Export As → Student handout, from notebooks/es/: the Spanish student edition;
    the teacher edition from the same notebook stays English."""
    import nbformat

    from civicnb.handout.exporter import StudentHandoutExporter, TeacherHandoutExporter

    path = ROOT / "notebooks" / "es" / "00-before-we-begin.ipynb"
    nb = nbformat.read(path, as_version=4)
    res = {"metadata": {"path": str(path.parent), "name": path.stem}}
    student, _ = StudentHandoutExporter().from_notebook_node(nb, resources=dict(res))
    text = squash(pdf_text(student))
    assert squash("Antes de empezar") in text and squash("Nombre:") in text and b"/Lang(es)" in student
    teacher, _ = TeacherHandoutExporter().from_notebook_node(nbformat.read(path, as_version=4), resources=dict(res))
    ttext = squash(pdf_text(teacher))
    assert squash("Part 1 · How the notebooks work") in ttext and squash("Parte 1") not in ttext


def test_spanish_student_edition_passes_pdf_ua1(tmp_path):
    """Typst's PDF/UA-1 check on the Spanish student edition (the template's Spanish words must not
    leave a heading without a plain title)."""
    import typst

    from civicnb.content.model import Project
    from civicnb.handout.compile import fonts_dir, write_sources
    from civicnb.handout.render import render

    project = Project(ROOT)
    lesson = project.lesson("00", lang="es")
    nb = json.loads(project.lesson("00").notebook_path.read_text(encoding="utf-8"))
    r = render(lesson.project, lesson, nb, "student")
    main = write_sources(tmp_path / "w", r.source, r.assets)
    pdf = typst.compile(str(main), root=str(tmp_path / "w"), font_paths=[str(fonts_dir(tmp_path))],
                        ignore_system_fonts=True, pdf_standards=["ua-1"])
    assert b"/Lang(es)" in pdf
