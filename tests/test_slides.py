"""Slides: a 16:9 deck per lesson, built by `civicnb build`, with the lesson's questions numbered as in
the notebook, every chart, a timer slide per step in period order, and nothing that answers a question
before its question's slide and an "After you answer" slide."""
import io
import json
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from civicnb.build import build

from .conftest import ROOT, env_with_src, squash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    from civicnb.content.model import Project

    project = Project(ROOT)
    out = tmp_path_factory.mktemp("slides")
    build(project, out, editions=("slides",), quiet=True, build_root=out / "build")
    pages = {}
    for lesson in project.lessons():
        reader = PdfReader(out / f"{lesson.name}-slides.pdf")
        pages[lesson.name] = (reader, [squash(p.extract_text() or "") for p in reader.pages])
    return project, out, pages


def _probe(text) -> str:
    """A stretch of text long enough to be unique, compared without whitespace or Markdown marks."""
    return squash(str(text).replace("*", "").replace("`", ""))[:40]


def _first(pages, probe) -> int | None:
    return next((i for i, t in enumerate(pages) if probe in t), None)


def _question_page(texts, n) -> int | None:
    """The first slide of question n: titled "Question n · its title" (or "Question n: ...")."""
    return next((i for i, t in enumerate(texts) if re.search(rf"Question{n}(·|:)", t)), None)


def _notebook_numbers(lesson) -> dict:
    """{exercise id: number} counted straight from the notebook's cells (not from the package's helper)."""
    nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
    ids = {e["id"] for e in lesson.exercise_list}
    out = {}
    for cell in nb["cells"]:
        show = ((cell.get("metadata") or {}).get("civicnb") or {}).get("show")
        if show in ids and show not in out:
            out[show] = len(out) + 1
    return out


def answer_texts(lesson):
    """Everything that answers a question: key text, each option's feedback, each item's why, the
    claims' verdict reasons, and the boxes that answer questions (reveals)."""
    out = []
    for ex in lesson.exercise_list:
        key = ex.get("key") or {}
        out += [key.get("why"), ex.get("teacher_note")]
        out += list((key.get("exemplars") or {}).values()) + list(key.get("look_for") or [])
        out += [t.get("why") for t in key.get("targets") or []]
        out += [it.get("why") for it in ex.get("items") or []]
        out += [o.get("feedback") for o in ex.get("options") or []]
        out += list((key.get("exemplar") or {}).values())
        if ex.get("_claim"):
            out.append(ex["_claim"].get("verdict_why"))
    for b in lesson.blocks.values():
        if b.get("reveals"):
            out += [s for s in re.split(r"(?<=[.!?])\s+", b.get("text") or "") if len(s) > 30]
            out += list(b.get("list") or [])
    return [t for t in out if t and len(_probe(t)) >= 25]


def test_every_lesson_has_a_16_9_tagged_deck(decks):
    project, out, pages = decks
    for lesson in project.lessons():
        reader, texts = pages[lesson.name]
        assert len(texts) >= 20, lesson.name
        for page in reader.pages:
            box = page.mediabox
            assert round(float(box.width) / float(box.height), 3) == round(16 / 9, 3)
            assert round(float(box.width)) == 960  # 13.333 in: 28 pt body means 28 pt on a usual 16:9 slide
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, f"{lesson.name}: not a tagged PDF"
        assert lesson.title in (reader.metadata.title or "")
        # one slide, one page: the footer's count matches the pages (no slide ran over)
        assert f"Slide{len(texts)}of{len(texts)}" in texts[-1]
        # fonts come from the package (Atkinson Hyperlegible), embedded
        fonts = {str(f.get_object().get("/BaseFont")) for p in reader.pages[:3]
                 for f in (p["/Resources"].get("/Font") or {}).values()}
        assert any("Atkinson" in f for f in fonts), fonts
        # the opening: the essential question and the targets
        assert _probe(lesson.meta["essential_question"]) in "".join(texts[:4])
        for target in lesson.meta["i_can"]:
            assert _probe(target) in "".join(texts[:6]), target


def test_nothing_answers_a_question_before_its_slide_and_an_after_you_answer_slide(decks):
    project, out, pages = decks
    checked = 0
    for lesson in project.lessons():
        _, texts = pages[lesson.name]
        numbers = _notebook_numbers(lesson)
        after = [i for i, t in enumerate(texts) if "Afteryouanswer" in t]
        for text in answer_texts(lesson):
            at = _first(texts, _probe(text))
            if at is None:
                continue  # not on the slides at all (most keys)
            checked += 1
            before = [i for i in after if i < at]
            assert before, f"{lesson.name}: answer text on slide {at + 1} with no 'After you answer' before it: {text[:60]}"
            stop = before[-1]
            # between the stop slide and the answer: only answers (no new step, question or period)
            for t in texts[stop + 1:at]:
                assert "STEP" not in t and not re.search(r"Question\d+·", t), t[:80]
            # the questions the stop slide names all have their slide before it
            named = re.findall(r"Questions?(\d+(?:(?:–|,|and)\d+)*)first", texts[stop])
            assert named, texts[stop]
            for part in re.split(r",|and", named[0]):
                lo, _, hi = part.partition("–")
                for n in range(int(lo), int(hi or lo) + 1):
                    q = _question_page(texts, n)
                    assert q is not None and q < stop, f"{lesson.name}: Question {n} has no slide before its answers"
        # every reveal box the notebook shows is on the slides, after a stop slide
        nb = json.loads(lesson.notebook_path.read_text(encoding="utf-8"))
        shown = {((c.get("metadata") or {}).get("civicnb") or {}).get("show") for c in nb["cells"]}
        for b in lesson.blocks.values():
            if b.get("reveals") and b["id"] in shown:
                at = _first(texts, _probe(b["title"]))
                assert at is not None and any(i < at for i in after), b["id"]
                for eid in b["reveals"]:
                    q = _question_page(texts, numbers[eid])
                    assert q is not None and q < at, (lesson.name, eid)
    assert checked >= 10  # the probes really found answer text on the slides


def test_the_modelled_check_it_card_and_its_verdict_after_you_answer(decks):
    project, out, pages = decks
    lesson = project.lesson("01")
    _, texts = pages[lesson.name]
    card = next(e for e in lesson.exercise_list if e["kind"] == "verdict"
                and not any(e["id"] in a["items"] for a in lesson.meta["alternatives"]))
    n = _notebook_numbers(lesson)[card["id"]]
    q = _first(texts, squash(f"Question {n} · {card['title']}"))
    assert q is not None
    claim = card["_claim"]
    for ev in claim["evidence"]:  # every evidence note is on the slides, after the card
        assert (_first(texts, _probe(ev["note"])) or -1) > q, ev["note"]
    scale = _first(texts, "Thefiveverdicts")
    assert scale is not None and scale < q
    for label in ("Accurate", "Unsupported", "Outdatedsincepublication"):
        assert label in texts[scale] + texts[scale + 1]
    why = _first(texts, _probe(claim["verdict_why"]))
    stop = max(i for i, t in enumerate(texts[:why]) if "Afteryouanswer" in t)
    assert q < stop < why


def test_question_labels_match_the_notebook_numbering(decks):
    project, out, pages = decks
    for lesson in project.lessons():
        _, texts = pages[lesson.name]
        numbers = _notebook_numbers(lesson)
        found = []
        for eid, n in numbers.items():
            ex = lesson.exercises[eid]
            head = squash(f"Question {n} · {ex['title']}") if ex.get("title") else squash(f"Question {n}")
            at = _first(texts, head)
            assert at is not None, f"{lesson.name}: no slide titled {head}"
            assert lesson.label_of(eid) == f"Question {n}"
            found.append(at)
        assert found == sorted(found), f"{lesson.name}: questions out of the notebook's order"


def test_every_chart_appears_large(decks):
    project, out, pages = decks
    charts = 0
    for lesson in project.lessons():
        reader, texts = pages[lesson.name]
        for fig in lesson.figures.values():
            at = next(i for i, t in enumerate(texts) if "CHART" in t[:40] and _probe(fig["title"]) in t)
            # the chart is a tagged figure with the lesson's alt text, on that slide
            figures = _figures(reader.trailer["/Root"]["/StructTreeRoot"])
            pages_of = [pg for alt, pg in figures if alt == fig["alt"]]
            assert pages_of, f"{fig['id']}: no tagged figure with its alt text"
            assert reader.pages[at].indirect_reference in pages_of, f"{fig['id']}: its figure is on another slide"
            charts += 1
    assert charts >= 2  # lesson 01's capacity chart and lesson 02's homicide chart


def _figures(node, depth=0, out=None):
    """(alt text, page) of every tagged figure in a PDF's structure tree."""
    out = [] if out is None else out
    if depth > 80:
        return out
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            pg = node.get("/Pg")
            out.append((str(node["/Alt"]), getattr(pg, "indirect_reference", None) or pg))
        if node.get("/K") is not None:
            _figures(node["/K"], depth + 1, out)
    elif isinstance(node, list):
        for x in node:
            _figures(x, depth + 1, out)
    return out


def test_a_slide_per_step_with_its_minutes_in_period_order(decks):
    from civicnb.content.periods import step_periods
    from civicnb.slides import step_title

    project, out, pages = decks
    for lesson in project.lessons():
        _, texts = pages[lesson.name]
        periods = step_periods(lesson.meta)
        last = -1
        for p, steps in periods.items():
            if len(periods) > 1:
                start = _first(texts, f"PERIOD{p}OF{len(periods)}")
                assert start is not None and start > last, (lesson.name, p)
                last = start
            for n, st in enumerate(steps, 1):
                at = next((i for i, t in enumerate(texts) if i > last and f"STEP{n}OF{len(steps)}" in t), None)
                assert at is not None, (lesson.name, p, n)
                assert squash(step_title(st)) in texts[at] and f"{st['minutes']}min" in texts[at]
                last = at


def test_norms_four_kinds_and_question_map_are_on_the_slides(decks):
    project, out, pages = decks
    deck00 = "".join(pages["00-before-we-begin"][1])
    for norm in project.lesson("00").blocks["norms"]["list"]:
        assert _probe(norm) in deck00
    for cat in ("Factual", "Settledinlaw", "Contestedinlaw", "Policyandvalues"):
        assert cat in deck00
    deck01 = "".join(pages["01-claims"][1])
    for kind in ("Verifiablefact", "Attributedclaim", "Opinion", "Prediction"):
        assert kind in deck01
    deck03 = pages["03-rights-and-the-debate"][1]
    qmap = project.lesson("03").exercises["question-map"]
    for item in qmap["items"]:
        assert _probe(item["text"]) in "".join(deck03), item["id"]
    # lesson 03 practises the norms on Day 2: the unit's norms are on its slides too
    assert _probe(project.lesson("00").blocks["norms"]["list"][0]) in "".join(deck03)


def test_long_text_is_split_over_slides_never_shrunk(mini, tmp_path):
    """A box far too long for one slide fills several, every sentence whole, at the same type size."""
    path = mini.lessons_dir / "00-all-kinds" / "lesson.yml"
    sentences = [f"Sentence number {n} of a very long box is here to fill a slide with words." for n in range(1, 41)]
    text = path.read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    target = next(b for b in data.get("blocks") or data.get("facts") if not b.get("reveals"))
    target["text"] = " ".join(sentences)
    item = [f"Item sentence {n} is one of many in a single list item far too long for a slide." for n in range(1, 26)]
    target["list"] = [" ".join(item)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(type(mini)(mini.root), tmp_path, editions=("slides",), quiet=True, build_root=tmp_path / "b")
    reader = PdfReader(tmp_path / "00-all-kinds-slides.pdf")
    texts = [squash(p.extract_text() or "") for p in reader.pages]
    flat = "".join(texts)
    for s in sentences + item:
        assert squash(s) in flat, s
    holding = [i for i, t in enumerate(texts) if "Sentencenumber" in t]
    assert len(holding) >= 4  # split over several slides
    assert f"Slide{len(texts)}of{len(texts)}" in texts[-1]  # and none ran over its page
    sizes = set()

    def visit(text, cm, tm, font, size):
        if "Sentence number" in text:
            sizes.add(round(size * abs(tm[0]) if tm[0] else size, 1))

    for i in holding:
        reader.pages[i].extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 28, sizes  # never shrunk below the body size


def test_injection_strings_print_literally_on_slides(mini, tmp_path):
    from .test_handouts import INJECTIONS
    from .conftest import pdf_text

    build(mini, tmp_path, editions=("slides",), quiet=True, build_root=tmp_path / "b")
    text = pdf_text(tmp_path / "00-all-kinds-slides.pdf")
    flat = squash(text)
    for s in INJECTIONS:
        if s in ("$1",):  # not in the slides' fields of the fixture
            continue
        assert squash(s) in flat, s
    assert "root:x:0:0" not in text


def test_cli_edition_slides_is_incremental_and_its_no_op_loads_no_lesson_yaml(mini, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(mini.root), "build", "--edition", "slides",
                        "--out", str(out)], capture_output=True, text=True, env=env_with_src())
    assert r.returncode == 0, r.stderr
    assert (out / "00-all-kinds-slides.pdf").is_file()
    assert not list(out.glob("*-student*.pdf"))  # only the slides
    import civicnb.content.model as model
    import civicnb.content.yamlload as yamlload

    real = yamlload.load_yaml

    def no_yaml(path, *a, **k):  # the unit's list of lessons (unit.yml) is all it may read, as for every edition
        if getattr(path, "name", "") != "unit.yml":
            raise AssertionError(f"the no-op rebuild loaded {path}")
        return real(path, *a, **k)

    monkeypatch.setattr(yamlload, "load_yaml", no_yaml)
    monkeypatch.setattr(model, "load_yaml", no_yaml)
    build(type(mini)(mini.root), out, editions=("slides",), build_root=tmp_path / "b")
    assert "up to date" in capsys.readouterr().err
    # --paper a4 does not make a second deck: slides are 16:9 whatever the paper
    build(type(mini)(mini.root), out, editions=("slides",), papers=("a4",), build_root=tmp_path / "b")
    assert sorted(p.name for p in out.glob("*.pdf")) == ["00-all-kinds-slides.pdf"]


def test_pack_shares_text_evenly():
    from civicnb.slides import pack

    pieces = [(2, ("li", str(n))) for n in range(7)]
    groups = pack(pieces, capacity=11, max_items=5)
    assert [len(g) for g in groups] in ([4, 3], [3, 4])  # not 4 and a lonely 3rd... never 5 + 2
    assert [p for g in groups for p in g] == [p for _, p in pieces]  # order kept


def test_body_text_is_at_least_28_pt(decks):
    """Everything smaller than 28 pt is the furniture: the footer, the kicker line above a title (capitals)
    and the source line (15 pt). Body text, options, items and titles are 28 pt or larger."""
    project, out, pages = decks
    for lesson in project.lessons():
        reader, _ = pages[lesson.name]
        small = []
        for n, page in enumerate(reader.pages, 1):
            def visit(text, cm, tm, font, size):
                size = round(size * (abs(tm[0]) or 1), 1)
                t = text.strip()
                if not t or size >= 27.9:
                    return
                if t == t.upper() or re.match(r"(Lesson \d+ ·|Slide \d+ of \d+)", t) or size == 15:
                    return
                small.append((n, size, t[:50]))

            page.extract_text(visitor_text=visit)
        assert not small, f"{lesson.name}: body text below 28 pt: {small[:5]}"


# -- review fixes (fresh-teacher review, session 3) -------------------------------------------------
def test_every_debrief_is_inside_its_questions_step(decks):
    """Debriefs for Q15, 16 and 18 came after the Q19 exit ticket, in no step: an "After you answer"
    slide and its debrief now come before the next step's slide, and after every question they answer."""
    from civicnb.content.periods import step_periods

    project, out, pages = decks
    for lesson in project.lessons():
        _, texts = pages[lesson.name]
        numbers = _notebook_numbers(lesson)
        for p, steps in step_periods(lesson.meta).items():
            for b in lesson.blocks.values():
                if not b.get("reveals") or not b.get("title"):
                    continue
                at = _first(texts, _probe(b["title"]))
                if at is None:
                    continue
                step_at = max((i for i, t in enumerate(texts[:at]) if re.search(r"STEP\d+OF\d+", t)), default=None)
                qs = [numbers[q] for q in b["reveals"] if q in numbers]
                asked = [_question_page(texts, n) for n in qs]
                assert all(a is not None and a < at for a in asked), (lesson.name, b["id"])
                # every question it answers is asked after the step slide before it... or in an earlier step,
                # but no later step's slide sits between the last question and the debrief
                last_q = max(asked)
                between = [i for i in range(last_q, at) if re.search(r"STEP\d+OF\d+", texts[i])]
                debrief_step = bool(between) and "DEBRIEF" in texts[between[-1]].upper()
                assert not between or debrief_step, (lesson.name, b["id"], between)
    # lesson 01: the debriefs of Q15, 16 and 18 come before the exit ticket's step
    _, texts = pages["01-claims"]
    exit_step = next(i for i, t in enumerate(texts) if re.search(r"STEP4OF4", t) and "Exitticket" in t)
    for title in ("Debrief: where the article is accurate", "Debrief: when was the article written?"):
        assert _first(texts, _probe(title)) < exit_step, title


def test_the_controversy_set_up_step_has_a_slide_of_sides_and_reading(decks):
    from civicnb.content.cards import perspective_cards

    project, out, pages = decks
    lesson = project.lesson("03-rights-and-the-debate")
    _, texts = pages[lesson.name]
    step = next(i for i, t in enumerate(texts) if "Setupthecontroversy" in t and "STEP" in t)
    nxt = texts[step + 1]
    assert "sidesandreading" in nxt
    for c in perspective_cards(lesson):
        if c["id"] != "persp-judge":  # the judge is a law card in set D, not a side's card
            assert squash(c["role"]) in squash("".join(texts[step + 1:step + 3])), c["role"]
    assert "Readbeforeperiod2" in nxt


def test_slide_charts_fill_the_slide_with_18_pt_labels_and_no_title(decks):
    """Lesson 02's homicide chart had ~7 pt legend text and overlapping event marks; lesson 01's chart
    filled half the slide and repeated its title."""
    from matplotlib.text import Text

    from civicnb import slides

    project, out, pages = decks
    seen = 0
    for lesson in project.lessons():
        for fig in lesson.figures.values():
            captured = {}
            import civicnb.charts as charts_mod

            real = charts_mod.render_svg
            charts_mod.render_svg = lambda f, _c=captured: (_c.setdefault("fig", f), real(f))[1]
            try:
                svg = slides.chart_svg(project, fig)
            finally:
                charts_mod.render_svg = real
            f = captured["fig"]
            w, h = f.get_size_inches()
            assert (w, h) == slides.SLIDE_CHART_IN
            sizes = [t.get_fontsize() for t in f.findobj(Text) if t.get_text().strip() and t.get_visible()]
            assert min(sizes) >= 18, (fig["id"], min(sizes))
            for ax in f.axes:
                assert not any(ax.get_title(loc=l) for l in ("left", "center", "right")), fig["id"]
                tick = [lab.get_fontsize() for lab in ax.get_xticklabels() + ax.get_yticklabels()]
                assert min(tick) >= 18
                marks = sorted((t for t in ax.texts if t.get_text().strip().isdigit() and t.get_bbox_patch()
                                and "Circle" in str(t.get_bbox_patch().get_boxstyle())),
                               key=lambda t: t.get_position()[0])
                from matplotlib.backends.backend_agg import FigureCanvasAgg

                FigureCanvasAgg(f).draw()
                boxes = [t.get_bbox_patch().get_window_extent() for t in marks]
                for a, b in zip(boxes, boxes[1:]):
                    assert not a.overlaps(b), fig["id"]
            assert svg.startswith(b"<?xml")
            seen += 1
    assert seen >= 2
