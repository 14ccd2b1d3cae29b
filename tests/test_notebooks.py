"""Every notebook executes top to bottom in a real kernel; answers survive a kernel restart."""
import json
import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.util import run_sync

from .conftest import FIXTURES, ROOT, pdf_text

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _client(nb, cwd, work, env_root=None):
    os.environ["CIVICNB_WORK_DIR"] = str(work)
    if env_root:
        os.environ["CIVICNB_ROOT"] = str(env_root)
    return NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    _client(nb, path.parent, tmp_path / "work").execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.metadata.get("civicnb") or {}).get("show"):
            mimes = {k for o in cell.outputs for k in (o.get("data") or {})}
            assert WIDGET_MIME in mimes, f"cell showing {cell.metadata['civicnb']['show']} displayed no widget"
            plain = [o["data"]["text/plain"] for o in cell.outputs if WIDGET_MIME in (o.get("data") or {})]
            assert plain == ["Press ▶▶ (Restart the kernel and run all cells) to start the lesson."], plain


def test_committed_notebooks_have_no_outputs():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name} has outputs"
        assert "widgets" not in nb["metadata"], f"{path.name} has saved widget state"


def _run(client, code):
    """Run code in the live kernel; return its stdout."""
    cell = nbformat.v4.new_code_cell(code)
    client.nb.cells.append(cell)
    client.execute_cell(cell, len(client.nb.cells) - 1)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert not errors, errors[0].get("traceback")
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _run_all(client):
    for index, cell in enumerate(list(client.nb.cells)):
        client.execute_cell(cell, index)


MINI_NB = FIXTURES / "mini" / "notebooks" / "00-all-kinds.ipynb"


def test_answers_survive_kernel_restart(tmp_path):
    """Answer in a running kernel, restart it, run the notebook again: every answer is back."""
    work = tmp_path / "work"
    client = _client(nbformat.read(MINI_NB, as_version=4), MINI_NB.parent, work)
    with client.setup_kernel():
        _run_all(client)
        _run(client, "\n".join([
            'L.widgets["q-single"].controls["choice"].value = "b"',
            'L.widgets["q-sort"].controls["i2"].value = "opinion"',
            'L.widgets["q-short"].controls["text"].value = "Saved before the restart ]#"',
            'L.widgets["q-scale"].controls["s2"].value = 1',
            'L.widgets["q-timeline"].controls["e3"].value = 3',
            'L.widgets["header"].controls["name"].value = "Ana R."',
            '_alive_before_restart = True',
        ]))
        run_sync(client.km.restart_kernel)(now=True)
        run_sync(client.kc.wait_for_ready)(timeout=60)
        assert _run(client, 'print("_alive_before_restart" in globals())').strip() == "False"
        client.nb.cells = nbformat.read(MINI_NB, as_version=4).cells
        _run_all(client)
        out = _run(client, "\n".join([
            'print(L.widgets["q-single"].controls["choice"].value)',
            'print(L.widgets["q-sort"].controls["i2"].value)',
            'print(L.widgets["q-short"].controls["text"].value)',
            'print(L.widgets["q-scale"].controls["s2"].value)',
            'print(L.widgets["q-timeline"].controls["e3"].value)',
            'print(L.widgets["header"].controls["name"].value)',
            'print("Correct" in L.widgets["q-single"].feedback.value)',
        ]))
    assert out.splitlines() == ["b", "opinion", "Saved before the restart ]#", "1", "3", "Ana R.", "True"]
    saved = json.loads((work / "00-all-kinds.json").read_text())
    assert saved["student"] == "Ana R."


def test_export_button_before_any_answer(mini, tmp_path):
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path / "fresh", root=mini.root)
    header, panel = L.render("header"), L.render("save-panel")
    header.controls["name"].value = "Ana R."
    panel.export()
    assert "Done" in panel.children[2].value, panel.children[2].value
    assert os.path.exists(L.last_pdf)


@pytest.mark.parametrize("name", ["", "   "])
def test_worksheet_needs_a_name(mini, tmp_path, name):
    """A blank name blocks the worksheet with a message, and no PDF is made."""
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path / "w", root=mini.root)
    header, panel = L.render("header"), L.render("save-panel")
    header.controls["name"].value = name
    panel.export()
    assert "Type your name" in panel.children[2].value and "role='alert'" in panel.children[2].value
    assert not hasattr(L, "last_pdf") and not list((tmp_path / "w").glob("*.pdf"))


def test_name_saves_as_typed(mini, tmp_path):
    """No Enter, no leaving the box: each change of the name is saved (outside a kernel: at once)."""
    from civicnb.notebook import open_lesson
    from civicnb.work.store import read_work_file

    L = open_lesson("00", work_dir=tmp_path / "w", root=mini.root)
    field = L.render("header").controls["name"]
    assert field.continuous_update
    for typed in ("A", "An", "Ana"):
        field.value = typed
    assert read_work_file(L.store.path)["student"] == "Ana"


def test_name_debounce_on_a_running_loop(mini, tmp_path):
    """In a kernel (a running event loop) fast typing is written once typing pauses, and at the latest
    when the loop ends its wait; the first key is written at once."""
    import asyncio

    from civicnb.notebook import open_lesson
    from civicnb.work.store import read_work_file

    L = open_lesson("00", work_dir=tmp_path / "w", root=mini.root)
    L.NAME_DELAY = 0.2
    field = L.render("header").controls["name"]

    async def typing():
        field.value = "A"
        first = read_work_file(L.store.path)["student"]
        field.value, field.value = "An", "Ana"
        middle = read_work_file(L.store.path)["student"]
        await asyncio.sleep(0.5)
        return first, middle, read_work_file(L.store.path)["student"]

    assert asyncio.run(typing()) == ("A", "A", "Ana")
    field.value = "Ana R"  # no loop now: written at once
    L.flush()
    assert read_work_file(L.store.path)["student"] == "Ana R"


def test_export_button_in_the_notebook(tmp_path):
    client = _client(nbformat.read(MINI_NB, as_version=4), MINI_NB.parent, tmp_path / "work")
    with client.setup_kernel():
        _run_all(client)
        out = _run(client, "\n".join([
            'L.widgets["header"].controls["name"].value = "Ana R."',
            'L.widgets["q-short"].controls["text"].value = "An answer to export"',
            'L.widgets["save-panel"].controls["button"].click()',
            'print(L.last_pdf)',
        ]))
    pdf = out.strip().splitlines()[-1]
    assert pdf.endswith("-worksheet.pdf") and os.path.exists(pdf)
    assert "An answer to export" in pdf_text(pdf)


def test_chart_draws_a_lower_bound_as_an_arrow(project):
    """CNN's "well over 20,000" is a lower bound: the chart says "more than 20,000" with an arrow up, not a
    point at exactly 20,000 alone."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    from civicnb.charts import CHARTS, _style

    spec = project.lesson("01").figures["capacity-chart"]
    rows = project.data_csv(spec["data"])
    assert [r["value"] for r in rows if (r.get("bound") or "") == "lower"] == ["20000"]
    with rc_context(_style()):
        fig = CHARTS["capacity_population"](rows, spec)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "more than 20,000" in texts
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert any(t.xy[1] > 20000 and t.xyann[1] == 20000 for t in arrows)
    import matplotlib.pyplot as plt

    plt.close(fig)


def _set_reveals(mini, block_id, ids):
    import yaml

    path = mini.root / "lessons" / "00-all-kinds" / "lesson.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for b in data.get("facts", []) + data.get("blocks", []):
        if b.get("id") == block_id:
            b["reveals"] = ids
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_reveal_box_opens_when_its_questions_are_answered(mini, tmp_path, monkeypatch):
    from civicnb.content.model import Project
    from civicnb.notebook import open_lesson

    monkeypatch.delenv("CIVICNB_REVEAL", raising=False)
    _set_reveals(mini, "fact-one", ["q-single", "q-short"])
    L = open_lesson("00", work_dir=tmp_path / "w", root=Project(mini.root).root)
    box = L.render("fact-one")
    assert "A fact about something" not in box.value and "opens when you have answered" in box.value
    assert L.label_of("q-single") in box.value and L.label_of("q-short") in box.value
    L.render("q-single").controls["choice"].value = "a"  # answered (right or wrong does not matter)
    assert "A fact about something" not in box.value and L.label_of("q-single") not in box.value
    L.render("q-short").controls["text"].value = "   "  # blank is not an answer
    assert "A fact about something" not in box.value
    L.widgets["x"] = L.render("q-short")
    L.widgets["x"].controls["text"].value = "My answer."
    assert "A fact about something" in box.value
    # reopened later: open at once
    assert "A fact about something" in open_lesson("00", work_dir=tmp_path / "w", root=mini.root).render("fact-one").value


def test_teacher_switch_opens_every_reveal_box(mini, tmp_path, monkeypatch):
    from civicnb.notebook import open_lesson

    _set_reveals(mini, "fact-one", ["q-single"])
    monkeypatch.setenv("CIVICNB_REVEAL", "all")
    L = open_lesson("00", work_dir=tmp_path / "w", root=mini.root)
    assert "A fact about something" in L.render("fact-one").value


def test_question_labels_follow_the_notebook_order(mini, tmp_path):
    """Each exercise shows "Question N" (lesson.label_of, or the notebook's order of exercise cells)."""
    from civicnb.notebook import open_lesson

    L = open_lesson("00", work_dir=tmp_path / "w", root=mini.root)
    nb = json.loads(L.lesson.notebook_path.read_text())
    order = [c["metadata"]["civicnb"]["show"] for c in nb["cells"]
             if (c["metadata"].get("civicnb") or {}).get("show") in L.lesson.exercises]
    for n, item in enumerate(order, 1):
        assert L.label_of(item) == f"Question {n}"
        assert f">Question {n}<" in L.render(item).children[0].value


def _upload(widget, name, body: bytes):
    import datetime

    widget.value = ({"name": name, "type": "text/plain", "size": len(body), "content": memoryview(body),
                     "last_modified": datetime.datetime(2026, 1, 1)},)


def test_article_upload_box(tmp_path, monkeypatch):
    """A teacher uploads their copy of the article in the notebook; it is checked against the paragraph
    map and saved where the lessons look for it. A wrong file is refused and nothing is saved."""
    from .conftest import copy_project
    from .test_article import SEED

    if not SEED.exists():
        pytest.skip("the shared seed copy of the article is not here")
    from civicnb.notebook import open_lesson

    monkeypatch.delenv("CIVICNB_ARTICLE", raising=False)
    root = copy_project(ROOT, tmp_path / "p")
    L = open_lesson("01", work_dir=tmp_path / "w", root=root)
    box = L.render("article-text")
    assert "No copy of the full article" in box.value
    _upload(box.controls["upload"], "notes.txt", "just some notes\n".encode())
    assert "Nothing was saved" in box.children[-1].value
    assert not (root / "lessons" / "article" / "copy.txt").exists()
    _upload(box.controls["upload"], "bad.bin", b"\xff\xfe\x00bad")
    assert "not a UTF-8 text file" in box.children[-1].value
    _upload(box.controls["upload"], "article.txt", SEED.read_bytes())
    assert (root / "lessons" / "article" / "copy.txt").read_bytes() == SEED.read_bytes().decode("utf-8-sig").encode()
    assert "supplied by your teacher" in box.value and "¶24" in box.value
    assert "supplied by your teacher" in open_lesson("01", work_dir=tmp_path / "w", root=root).render("article-text").value
