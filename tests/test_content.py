"""Content validation: the real lessons pass; each kind of mistake fails with file:line and a fix."""
import json
import re
import subprocess
import sys

import pytest

from civicnb.content.check import check_project
from civicnb.content.yamlload import ContentError, load_yaml

from .conftest import ROOT, env_with_src


def test_real_lessons_validate(project):
    problems = check_project(project)
    assert problems == [], "\n".join(map(str, problems))


def test_fixture_project_validates(mini):
    assert check_project(mini) == []


def test_cli_check_exit_codes(real_copy):
    ok = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "check"],
                        capture_output=True, text=True, env=env_with_src())
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK" in ok.stdout
    ex = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    ex.write_text(ex.read_text().replace("kind: single_choice", "kind: pick_one", 1))
    bad = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "check"],
                         capture_output=True, text=True, env=env_with_src())
    assert bad.returncode == 1
    assert "lessons/00-before-we-begin/exercises.yml:" in bad.stdout
    assert "unknown exercise kind 'pick_one'" in bad.stdout


def _edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count))


def _line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _problems(project):
    from civicnb.content.model import Project

    return [str(p) for p in check_project(Project(project.root))]


def test_unknown_source_id_names_file_and_line(real_copy):
    lf = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    _edit(lf, "sources: [gpo-constitution-amendment-8]", "sources: [gpo-constitution-amendment-80]")
    line = _line_of(lf, "gpo-constitution-amendment-80")
    probs = _problems(real_copy)
    assert any(p.startswith(f"lessons/00-before-we-begin/lesson.yml:{line}:") and
               "unknown source id 'gpo-constitution-amendment-80'" in p and "sources.yml" in p for p in probs), probs


def test_duplicate_ids(real_copy):
    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    _edit(ef, "- id: norms-check", "- id: poll-pre")
    probs = _problems(real_copy)
    assert any("exercises.yml:" in p and "duplicate id 'poll-pre'" in p for p in probs), probs
    sf = real_copy.lessons_dir / "sources.yml"
    _edit(sf, "- id: dig-lateral-reading", "- id: ap-2023-10-12-cecot-filling")
    line = _line_of(sf, "- id: ap-2023-10-12-cecot-filling") + 0
    probs = _problems(real_copy)
    assert any(p.startswith("lessons/sources.yml:") and "duplicate source id" in p for p in probs), probs
    assert line > 0


def test_missing_key(real_copy):
    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    text = ef.read_text()
    start = text.index("    key:\n      answer: b")
    end = text.index("\n\n", start)
    ef.write_text(text[:start] + text[end + 1:])
    line = _line_of(ef, "- id: norms-check")
    probs = _problems(real_copy)
    assert f"lessons/00-before-we-begin/exercises.yml:{line}: exercise 'norms-check': missing 'key'" in " ".join(probs), probs


def test_key_answer_must_be_an_option(real_copy):
    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    _edit(ef, "answer: b\n      why: >-\n        Restating", "answer: z\n      why: >-\n        Restating")
    probs = _problems(real_copy)
    assert any("key.answer 'z' is not one of the option ids" in p for p in probs), probs


def test_unknown_kind_lists_the_kinds(real_copy):
    ef = real_copy.lessons_dir / "00-before-we-begin" / "exercises.yml"
    _edit(ef, "kind: highlight", "kind: highlighter")
    line = _line_of(ef, "kind: highlighter")
    probs = _problems(real_copy)
    match = [p for p in probs if "unknown exercise kind 'highlighter'" in p]
    assert match and match[0].startswith(f"lessons/00-before-we-begin/exercises.yml:{line}:"), probs
    assert "single_choice" in match[0] and "timeline" in match[0]


def test_fact_without_as_of(real_copy):
    lf = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    text = lf.read_text()
    facts_at = text.index("facts:")
    tail = re.sub(r"    as_of: \d{4}-\d{2}-\d{2}\n", "", text[facts_at:], count=1)
    lf.write_text(text[:facts_at] + tail)
    probs = _problems(real_copy)
    assert any("lesson.yml:" in p and "as_of" in p for p in probs), probs


def test_fact_newer_than_lesson(real_copy):
    lf = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    text = lf.read_text()
    facts_at = text.index("facts:")
    lf.write_text(text[:facts_at] + re.sub(r"as_of: \d{4}-\d{2}-\d{2}", "as_of: 2027-01-01", text[facts_at:], count=1))
    probs = _problems(real_copy)
    assert any("newer than the lesson's as_of" in p for p in probs), probs


def test_unknown_field_and_bad_date(real_copy):
    sf = real_copy.lessons_dir / "sources.yml"
    _edit(sf, "    accessed: 2026-11-27\n    kind: research", "    accessed: 27/11/2026\n    kind: research\n    colour: red")
    probs = _problems(real_copy)
    assert any("lessons/sources.yml:" in p and "YYYY-MM-DD" in p or "unknown field 'colour'" in p for p in probs), probs


def test_minutes_must_add_up(real_copy):
    lf = real_copy.lessons_dir / "00-before-we-begin" / "lesson.yml"
    _edit(lf, "minutes: 45\n", "minutes: 40\n")
    line = _line_of(lf, "minutes: 40")
    probs = _problems(real_copy)
    assert f"lessons/00-before-we-begin/lesson.yml:{line}: minutes is 40 but the steps add up to 45" in " ".join(probs)


def test_notebook_shows_unknown_item_and_unshown_exercise(real_copy):
    nbp = real_copy.root / "notebooks" / "00-before-we-begin.ipynb"
    nb = json.loads(nbp.read_text())
    for cell in nb["cells"]:
        if (cell["metadata"].get("civicnb") or {}).get("show") == "norms-check":
            cell["metadata"]["civicnb"]["show"] = "norms-chek"
            cell["source"] = ['L.show("norms-chek")']
    nbp.write_text(json.dumps(nb))
    probs = _problems(real_copy)
    assert any("notebooks/00-before-we-begin.ipynb:" in p and "'norms-chek'" in p for p in probs), probs
    assert any("exercise 'norms-check' is not shown" in p for p in probs), probs


def test_metadata_must_match_the_call(real_copy):
    nbp = real_copy.root / "notebooks" / "00-before-we-begin.ipynb"
    nb = json.loads(nbp.read_text())
    for cell in nb["cells"]:
        if (cell["metadata"].get("civicnb") or {}).get("show") == "poll-pre":
            cell["source"] = ['L.show("norms-check")']
    nbp.write_text(json.dumps(nb))
    probs = _problems(real_copy)
    assert any("calls show('norms-check') but its metadata says civicnb.show = 'poll-pre'" in p for p in probs), probs


def test_teacher_cells_are_refused(real_copy):
    """Students see every cell of a notebook, so facilitation notes belong in teacher.md."""
    nbp = real_copy.root / "notebooks" / "00-before-we-begin.ipynb"
    nb = json.loads(nbp.read_text())
    nb["cells"].insert(3, {"cell_type": "markdown", "id": "t1", "metadata": {"tags": ["teacher"]},
                           "source": "Tell the class the answer is B."})
    nbp.write_text(json.dumps(nb))
    probs = _problems(real_copy)
    assert any("notebooks/00-before-we-begin.ipynb:4:" in p and "tagged 'teacher'" in p and "teacher.md" in p
               for p in probs), probs


def test_figure_without_alt_text(real_copy):
    nbp = real_copy.root / "notebooks" / "00-before-we-begin.ipynb"
    nb = json.loads(nbp.read_text())
    nb["cells"].append({"cell_type": "code", "id": "fig", "metadata": {}, "execution_count": 1, "source": "plot()",
                        "outputs": [{"output_type": "display_data", "metadata": {},
                                     "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}}]})
    nbp.write_text(json.dumps(nb))
    probs = _problems(real_copy)
    assert any("figure" in p and "alt" in p and "notebooks/00-before-we-begin.ipynb:" in p for p in probs), probs


def test_yaml_syntax_error_has_line(tmp_path):
    p = tmp_path / "bad.yml"
    p.write_text("a: 1\nb: [unclosed\nc: 3\n")
    with pytest.raises(ContentError) as e:
        load_yaml(p, "bad.yml")
    assert e.value.file == "bad.yml" and e.value.line >= 2


def test_loading_never_runs_code(tmp_path):
    """Only safe YAML: a Python tag is an error, not an object."""
    marker = tmp_path / "pwned"
    p = tmp_path / "evil.yml"
    p.write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ContentError):
        load_yaml(p)
    assert not marker.exists()


def test_duplicate_yaml_key_is_an_error(tmp_path):
    p = tmp_path / "dup.yml"
    p.write_text("id: a\ntitle: x\nid: b\n")
    with pytest.raises(ContentError) as e:
        load_yaml(p, "dup.yml")
    assert e.value.line == 3 and "duplicate key" in e.value.message


def test_every_fact_cites_a_known_source_with_as_of(project):
    """The real lessons: every block listed under facts has sources and an as_of date."""
    for lesson in project.lessons():
        for fact in lesson.meta.get("facts") or []:
            assert fact["sources"] and all(s in project.sources for s in fact["sources"])
            assert fact["as_of"] <= lesson.meta["as_of"]


def test_source_registry_complete(project):
    for s in project.source_list:
        assert s["url"].startswith(("http://", "https://")) and s["accessed"]
    cited = {sid for lesson in project.lessons() for sid in lesson.cited_source_ids()}
    assert cited <= set(project.sources), cited - set(project.sources)


def test_import_is_light():
    """The CLI and the package import no jsonschema, nbformat, widgets or Typst at start-up."""
    code = ("import sys, civicnb, civicnb.cli, civicnb.build; "
            "heavy = [m for m in ('jsonschema', 'nbformat', 'ipywidgets', 'typst', 'nbconvert', 'matplotlib', "
            "'rfc3987_syntax') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_with_src(), cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
