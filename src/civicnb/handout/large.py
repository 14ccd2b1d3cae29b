"""The large-print student edition (``NN-slug-student-large.pdf``).

The same packet as the student edition, laid out for low-vision readers: 18 pt Atkinson Hyperlegible
body text, no text smaller than 16 pt (footers, captions, table heads and citation marks included),
generous line and paragraph spacing, one column throughout (the source list too), answer space scaled
with the text (answer lines are spaced in em, so 18 pt text gets 18 pt-sized lines), charts drawn with
larger lettering, and no page header strip (the verdict scale is printed once, in full, on the page that
introduces it). Nothing carries meaning by colour or position alone: every mark has a letter or a label.

How: the template takes ``large: true``; every explicit type size in the handout's Typst source and in
the template is scaled by 18/11.5 with a 16 pt floor (:func:`scale_sizes`), so a size added later grows
with the rest without anyone remembering this edition.
"""
from __future__ import annotations

import re

from .compile import TEMPLATE

BODY_PT = 11.5      # the regular edition's body size
LARGE_PT = 18.0     # the large-print body size
MIN_PT = 16.0       # nothing smaller in the large-print edition
_SIZE = re.compile(r"\bsize: ([0-9]+(?:\.[0-9]+)?)pt\b")


def scale_pt(pt: float) -> float:
    return round(max(pt * LARGE_PT / BODY_PT, MIN_PT), 1)


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def scale_sizes(source: str) -> str:
    """Every ``size: N pt`` in Typst code, scaled to large print. Text inside string literals (where
    all lesson and student text is) is left exactly as it is."""
    out, pos = [], 0
    for m in _STRING.finditer(source):
        out.append(_SIZE.sub(lambda s: f"size: {scale_pt(float(s.group(1))):g}pt", source[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_SIZE.sub(lambda s: f"size: {scale_pt(float(s.group(1))):g}pt", source[pos:]))
    return "".join(out)


def large_print(source: str) -> tuple[str, bytes]:
    """(the handout's source, the template) for the large-print edition."""
    return scale_sizes(source), scale_sizes(TEMPLATE.read_text(encoding="utf-8")).encode("utf-8")
