"""Fixes from the teacher's review of the lesson 00 and 01 handouts (review-teacher-00-01)."""
import json
import re

import pytest

from civicnb.exercises import kind_of
from civicnb.handout.render import render

from .conftest import ROOT, pdf_text, squash


def _nb(lesson):
    return json.loads(lesson.notebook_path.read_text(encoding="utf-8"))


def _card(project):
    lesson = project.lesson("01")
    return lesson, next(ex for ex in lesson.exercise_list if ex["kind"] == "verdict")


# -- #22 verdict tick boxes use the full verdict names ----------------------------------------------

def test_verdict_tick_row_uses_full_names(project):
    _, ex = _card(project)
    row = kind_of(ex).paper(ex).split("verdictrow", 1)[1]
    for name in ("Accurate but missing context", "Exaggerated or misleading", "Outdated since publication"):
        assert name in row
    assert '"C Misleading"' not in row
