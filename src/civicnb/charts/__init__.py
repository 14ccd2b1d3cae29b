"""Charts drawn from lesson data files: print-safe (black, grey, line styles and marker shapes, never
colour alone), colour-blind safe, each series and every disputed point labelled directly on the chart
(a reader never has to match a colour or a position to a legend), with alt text from the lesson. Output is SVG with text as paths and
no dates in it, so the same data always gives the same bytes.

A chart is a function ``(rows, figure_spec) -> matplotlib Figure`` registered in ``CHARTS``; ``rows`` are
the CSV rows (dicts of strings).
"""
from __future__ import annotations

import io
import os
from functools import lru_cache

CHARTS: dict = {}


def chart(name):
    def register(fn):
        CHARTS[name] = fn
        return fn
    return register


@lru_cache(maxsize=1)
def _style() -> dict:
    """Register the handout font with matplotlib (once) and return the chart style.

    The style is applied with ``rc_context`` only while a chart is drawn, so a notebook's own
    matplotlib settings are never changed."""
    from matplotlib import font_manager

    family = ["DejaVu Sans"]
    try:
        from pathlib import Path

        import fontpkg_atkinson_hyperlegible as atk

        for f in sorted((Path(atk.ROOT) / "files").glob("*.ttf")):
            font_manager.fontManager.addfont(str(f))
        family = ["Atkinson Hyperlegible", "DejaVu Sans"]
    except Exception:  # pragma: no cover - the font is a dependency; fall back quietly
        pass
    return {
        "font.family": family, "font.size": 10, "svg.hashsalt": "civicnb", "svg.fonttype": "path",
        "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "black",
        "axes.labelcolor": "black", "xtick.color": "black", "ytick.color": "black",
    }


def render_svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)  # never left open to be shown a second time by the inline backend
    return buf.getvalue()


_MEMO: dict = {}


def _cache_key(project, spec) -> str:
    import hashlib
    import json
    from pathlib import Path

    h = hashlib.sha256(json.dumps(dict(spec), sort_keys=True, default=str).encode())
    h.update((project.lessons_dir / spec["data"]).read_bytes())
    for code in sorted(Path(__file__).parent.glob("*.py")):  # a change to any chart redraws it
        h.update(code.read_bytes())
    return h.hexdigest()[:32]


# The large-print edition prints a chart at the same 7 in width but drawn on a narrower canvas, with
# larger lettering: (canvas width in inches, font scale). 7.5 pt labels print at about 16 pt.
LARGE = (4.6, 1.45)


def words(spec):
    """The chart's words in the language it is drawn for (``spec["_lang"]``; English when absent):
    ``tr(text, **fields)`` looks ``text`` up in the UI strings (src/civicnb/i18n/ui.yml)."""
    lang = spec.get("_lang") or "en"
    if lang == "en":
        return lambda text, **fmt: text.format(**fmt) if fmt else text
    from ..i18n import t

    return lambda text, **fmt: t(text, lang, **fmt)


def sizes(spec) -> tuple[float, float]:
    """(canvas width in inches, font scale) for a chart: regular, or large print (``spec["_large"]``)."""
    return LARGE if spec.get("_large") else (6.8, 1.0)


def figure_svg(project, spec, large: bool = False, lang: str | None = None) -> bytes:
    """The SVG for one figure entry of a lesson (``figures:`` in lesson.yml); ``large``: drawn for the
    large-print edition (bigger lettering; see :data:`LARGE`); ``lang``: the language of the chart's own
    words (axis, direct labels, key); English (the spec unchanged, same bytes) when None or "en".

    Drawing a chart costs a matplotlib import and a few hundred milliseconds, so the SVG is cached
    by the hash of its data, its spec and the chart code: in memory, and in build/cache/charts/
    under the project (skipped quietly where that folder cannot be written)."""
    if large:
        spec = dict(spec, _large=True)
    if lang and lang != "en":
        spec = dict(spec, _lang=lang)
    key = _cache_key(project, spec)
    if key in _MEMO:
        return _MEMO[key]
    disk = project.root / "build" / "cache" / "charts" / f"{key}.svg"
    try:
        svg = disk.read_bytes()
    except OSError:
        import matplotlib

        style = dict(_style())
        if large:
            style["font.size"] = style["font.size"] * LARGE[1]
        rows = project.data_csv(spec["data"])
        with matplotlib.rc_context(style):
            svg = render_svg(CHARTS[spec["chart"]](rows, spec))
        try:
            disk.parent.mkdir(parents=True, exist_ok=True)
            tmp = disk.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(svg)
            os.replace(tmp, disk)
        except OSError:
            pass
    _MEMO[key] = svg
    return svg


# Import the chart modules so that CHARTS is complete for `civicnb check`, without importing matplotlib.
from . import cecot, homicides  # noqa: E402,F401
