"""El Salvador's homicides by year (lesson 02): official counts as bars, other counts for the same
year as open markers, and the dates when the policy or the counting rules changed as numbered
vertical lines. Black, white and grey only; meaning never rests on colour."""
from __future__ import annotations

import datetime as dt

from . import chart, sizes, words


@chart("homicides_by_year")
def homicides_by_year(rows, spec):
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    official = sorted((dt.date.fromisoformat(r["date"]).year, float(r["value"]))
                      for r in rows if r["series"] == "official")
    other = [(dt.date.fromisoformat(r["date"]), float(r["value"])) for r in rows if r["series"] == "other-count"]
    events = sorted((dt.date.fromisoformat(r["date"]), r["label"]) for r in rows if r["series"] == "event")

    def x_of(d: dt.date) -> float:
        """A date as a fractional year, so that year bars and event lines share one axis."""
        start = dt.date(d.year, 1, 1)
        return d.year + (d - start).days / ((dt.date(d.year + 1, 1, 1) - start).days)

    width, k = sizes(spec)
    tr = words(spec)
    fig, ax = plt.subplots(figsize=(width, 3.9 if k == 1 else 4.8), dpi=100)
    years = [y for y, _ in official]
    values = [v for _, v in official]
    ax.bar([y + 0.5 for y in years], values, width=0.72, color="0.78", edgecolor="black", linewidth=0.8,
           zorder=2)
    for y, v in official:
        ax.text(y + 0.5, v + 90, f"{int(v):,}", ha="center", va="bottom", fontsize=7.5 * k, zorder=7,
                rotation=0 if k == 1 else 90,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    if other:
        # the disputed year: each other count is an open diamond just right of that year's bar, labelled
        # directly (its number and who counted it) in the empty space above the later, lower bars
        labels = {(r["date"], float(r["value"])): r.get("label") or "" for r in rows if r["series"] == "other-count"}
        ranked = sorted(other, key=lambda p: p[1])
        d0 = min(d for d, _ in other)
        lines = [tr("Other counts for {year}:", year=d0.year)]
        for d, v in sorted(ranked, key=lambda p: -p[1]):
            x = d.year + 0.5 + 0.42
            ax.plot(x, v, marker="D", markerfacecolor="white", markeredgecolor="black",
                    markersize=5 * k ** 0.5, linestyle="none", zorder=5)
            lines.append(textwrap.fill(tr(labels.get((d.isoformat(), v)) or f"{int(v):,}"), 36 if k == 1 else 24,
                                       subsequent_indent="   "))
        # one label block beside the disputed year: each count with who counted it, and one leader line
        ax.annotate("\n".join(lines), xy=(d0.year + 0.92, max(v for _, v in ranked)),
                    xytext=(d0.year + 1.05, max(values) * (0.28 if k == 1 else 0.3)), fontsize=7.5 * k,
                    ha="left", va="bottom", zorder=7, linespacing=1.25,
                    bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none"},
                    arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.7, "shrinkB": 3})
    top = max(values) * 1.12
    for n, (d, _label) in enumerate(events, 1):
        x = x_of(d)
        ax.axvline(x, color="black", linestyle=(0, (2, 2)), linewidth=0.9, zorder=3)
        ax.text(x, top * (0.97 - 0.09 * ((n - 1) % 2)), str(n), ha="center", va="center", fontsize=8 * k,
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "black",
                      "linewidth": 0.8}, zorder=6)
    ax.set_ylim(0, top)
    ax.set_xlim(min(years) - 0.1, max(years) + 1.1)
    ax.set_xticks([y + 0.5 for y in years])
    ax.set_xticklabels([str(y) for y in years], fontsize=8 * k, rotation=0 if k == 1 else 90)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):,}"))
    ax.set_ylabel(tr("Homicides in the year"))
    ax.grid(axis="y", color="0.88", linewidth=0.6, zorder=0)
    ax.set_title(spec.get("title", ""), fontsize=11 * k, loc="left", wrap=True)
    # the key below the chart: what a bar is, what a diamond is, and what each numbered line marks (the
    # lines are numbered on the chart itself; the numbers, not the line style, tell them apart)
    handles = [Patch(facecolor="0.78", edgecolor="black", label=tr("Official count (police or government)"))]
    if other:
        handles.append(Line2D([], [], marker="D", markerfacecolor="white", markeredgecolor="black",
                              linestyle="none", label=tr("Another count for the same year")))
    handles += [Line2D([], [], color="black", linestyle=(0, (2, 2)), label=f"{n}: {tr(label)}")
                for n, (_d, label) in enumerate(events, 1)]
    for h in handles[-len(events):] if events and k > 1 else []:
        h.set_label(textwrap.fill(h.get_label(), 48))
    ax.legend(handles=handles, fontsize=7.5 * k, frameon=False, loc="upper left",
              bbox_to_anchor=(0, -0.1 if k == 1 else -0.18), ncol=1)
    return fig
