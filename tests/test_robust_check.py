"""Issue 8: `civicnb check` and the content model give one clear line on bad input, never a traceback."""
import json
import subprocess
import sys

import pytest

from .conftest import env_with_src


def run_check(project):
    return subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(project.root), "check"],
                          capture_output=True, text=True, env=env_with_src(), timeout=120)


def assert_clean_failure(r, *needles):
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    for n in needles:
        assert n in r.stdout + r.stderr, (n, r.stdout, r.stderr)






def _lesson_dir(project, n):
    return next(p for p in project.lessons_dir.iterdir() if p.name.startswith(n))


@pytest.mark.parametrize("fname", ["claims.yml", "exercises.yml", "timeline.yml", "sources.yml", "article.yml"])
def test_indentation_error_in_any_yaml_file(real_copy, fname):
    matches = sorted(real_copy.lessons_dir.rglob(fname))
    assert matches, fname
    path = matches[-1]
    path.write_text(path.read_text(encoding="utf-8") + "\n  bad:\n indent: x\n", encoding="utf-8")
    assert_clean_failure(run_check(real_copy), fname, "YAML syntax")


@pytest.mark.parametrize("fname", ["lesson.yml", "teacher.md"])
def test_non_utf8_text(real_copy, fname):
    path = _lesson_dir(real_copy, "00") / fname
    path.write_bytes(path.read_bytes() + "\ncaf\u00e9\n".encode("cp1252"))
    assert_clean_failure(run_check(real_copy), fname, "UTF-8")


def test_non_utf8_csv(real_copy):
    path = next(real_copy.lessons_dir.rglob("*.csv"))
    path.write_bytes(path.read_bytes() + "\n2020-01-01,1,x,caf\u00e9,src,2020-01-01\n".encode("cp1252"))
    assert_clean_failure(run_check(real_copy), path.name, "UTF-8")


@pytest.mark.parametrize("file,content,needle", [
    ("lesson.yml", "", "lesson.yml"),
    ("lesson.yml", "- a\n- b\n", "lesson.yml"),
    ("lesson.yml", "just words\n", "lesson.yml"),
    ("exercises.yml", "exercises: 5\n", "exercises.yml"),
])
def test_wrong_shape_lesson_files(real_copy, file, content, needle):
    (_lesson_dir(real_copy, "00") / file).write_text(content)
    assert_clean_failure(run_check(real_copy), needle)


def test_kind_as_a_list(real_copy):
    path = _lesson_dir(real_copy, "00") / "exercises.yml"
    path.write_text(path.read_text().replace("kind: scale", "kind: [scale]", 1))
    assert_clean_failure(run_check(real_copy), "exercises.yml", "kind")


@pytest.mark.parametrize("content", ["- a\n", "words\n", "title: x\nlessons: 00-before-we-begin\n"])
def test_wrong_shape_unit(real_copy, content):
    (real_copy.lessons_dir / "unit.yml").write_text(content)
    assert_clean_failure(run_check(real_copy), "unit.yml")


@pytest.mark.parametrize("content", ["[1, 2]", '{"cells": {"a": 1}}'])
def test_wrong_shape_notebook(real_copy, content):
    nb = next((real_copy.root / "notebooks").glob("00-*.ipynb"))
    nb.write_text(content)
    assert_clean_failure(run_check(real_copy), nb.name)


@pytest.mark.parametrize("text", ["Use `[@SID]` here.\n", "```\nunclosed fence [@SID]\n", "Text [@SID] and ``` open\n"])
def test_teacher_md_that_would_break_the_build(real_copy, text, tmp_path):
    import re

    path = _lesson_dir(real_copy, "00") / "teacher.md"
    sid = re.search(r"\[@([a-z0-9-]+)\]", path.read_text()).group(1)  # a source that exists
    path.write_text(path.read_text() + "\n" + text.replace("SID", sid))
    r = run_check(real_copy)
    if r.returncode == 0:  # check passes it: then the build must work too
        b = subprocess.run([sys.executable, "-m", "civicnb.cli", "--root", str(real_copy.root), "build",
                            "--lesson", "00", "--edition", "teacher", "--out", str(tmp_path)],
                           capture_output=True, text=True, env=env_with_src(), timeout=300)
        assert b.returncode == 0, b.stderr
    else:
        assert_clean_failure(r, "teacher.md")


BILLION = """id: "00"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
sources: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_does_not_hang_the_notebook(real_copy):
    (_lesson_dir(real_copy, "00") / "lesson.yml").write_text(BILLION)
    code = ("from civicnb.notebook import open_lesson\n"
            f"L = open_lesson('00', root={str(real_copy.root)!r})\n"
            "try:\n    L.render('sources')\nexcept Exception as e:\n    print('ERR', e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_with_src(), timeout=60)
    assert "Traceback" not in r.stderr
    assert_clean_failure(run_check(real_copy), "lesson.yml")


def test_fifo_lesson_file_does_not_hang_check(real_copy):
    import os

    path = _lesson_dir(real_copy, "00") / "claims.yml"
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    assert_clean_failure(run_check(real_copy), "claims.yml")
