"""Charts for the CECOT lessons."""
from __future__ import annotations

import datetime as dt

from . import chart, sizes, words

# series id -> (direct label, line style, marker, face colour); black and grey only. Each series is
# told apart by its line style and marker shape, and named by a label on the chart itself.
STYLES = {
    "capacity-official": ("Capacity the government gives: 40,000", "--", "s", "black"),
    "capacity-disputed": ("Capacity: other figures", ":", "D", "white"),
    "population-reported": ("Prisoners held: reported counts", "-", "o", "black"),
    "population-estimate": ("Prisoners held: news estimate", "none", "^", "white"),
}
BOUND_ARROW = 4500  # people: how far the arrow of a "more than" (or "fewer than") figure reaches
# The disputed capacity figures, labelled where they sit: (short label, offset in points)
DISPUTED = {
    "2022-04-05": ("20,000: the first order (April 2022)", "above"),
    "2023-07-23": ("20,480: a newspaper's count of bunks (July 2023)", "below"),
}


@chart("capacity_population")
def capacity_population(rows, spec):
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    width, k = sizes(spec)
    tr = words(spec)
    fig, ax = plt.subplots(figsize=(width, 3.6 if k == 1 else 4.4), dpi=100)
    by_series: dict = {}
    for r in rows:
        by_series.setdefault(r["series"], []).append(
            (dt.date.fromisoformat(r["date"]), float(r["value"])))
    last: dict = {}
    for series, (label, ls, marker, face) in STYLES.items():
        pts = sorted(by_series.pop(series, []))
        if not pts:
            continue
        xs, ys = zip(*pts)
        ax.plot(xs, ys, linestyle=ls, marker=marker, markerfacecolor=face, markeredgecolor="black",
                color="black" if series != "capacity-disputed" else "0.35", linewidth=1.4, markersize=6 * k ** 0.5,
                label=tr(label))
        last[series] = pts
    for series, pts in sorted(by_series.items()):  # any other series: plain grey points
        xs, ys = zip(*sorted(pts))
        ax.plot(xs, ys, linestyle="none", marker="x", color="0.4", label=series)
    small = 7.5 * k
    label_box = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"}
    # direct labels: each series named where it is drawn, each disputed figure where it sits
    if "capacity-official" in last:
        x, y = last["capacity-official"][0]
        ax.annotate(tr(STYLES["capacity-official"][0]), xy=(x, y), xytext=(0, 7), textcoords="offset points",
                    ha="left", va="bottom", fontsize=small, fontweight="bold", bbox=label_box)
    for r in rows:
        if r["series"] == "capacity-disputed":
            text, where = DISPUTED.get(r["date"], (f"{int(float(r['value'])):,}: {r['label']}", "below"))
            text = tr(text)
            x, y = dt.date.fromisoformat(r["date"]), float(r["value"])
            up = where == "above"
            if k > 1:  # large print: two short lines instead of one long one
                text = text.replace(": ", ":\n", 1)
            ax.annotate(text, xy=(x, y), xytext=(-4 if up else 4, (8 if up else -9) * k ** 0.5),
                        textcoords="offset points", ha="left" if up else ("right" if k == 1 else "center"),
                        va="bottom" if up else "top",
                        fontsize=small, bbox=label_box)
    if "population-reported" in last:
        pts = last["population-reported"]
        x, y = pts[len(pts) // 2]
        ax.annotate(tr(STYLES["population-reported"][0]), xy=(x, y), xytext=(8, -6), textcoords="offset points",
                    ha="left", va="top", fontsize=small, fontweight="bold", bbox=label_box)
    for r in rows:  # a bound ("well over 20,000") is not a point: an arrow shows which way the truth lies
        bound = (r.get("bound") or "").strip()
        if bound in ("lower", "upper"):
            x, y = dt.date.fromisoformat(r["date"]), float(r["value"])
            tip = y + BOUND_ARROW if bound == "lower" else y - BOUND_ARROW
            ax.annotate("", xy=(x, tip), xytext=(x, y), arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.4})
            ax.annotate(tr("more than {n}" if bound == "lower" else "fewer than {n}", n=f"{int(y):,}"), xy=(x, tip),
                        xytext=(-4, 2), textcoords="offset points", ha="right", va="bottom", fontsize=8 * k,
                        bbox=label_box)
            ax.annotate(tr("news estimate"), xy=(x, y), xytext=(-6, -3), textcoords="offset points",
                        ha="right", va="top", fontsize=small, bbox=label_box)
    ax.set_ylim(0, 47000)
    first = min(dt.date.fromisoformat(r["date"]) for r in rows)
    ax.set_xlim(left=dt.date(first.year, 1, 1))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):,}"))
    ax.set_ylabel(tr("People"))
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.set_title(spec.get("title", ""), fontsize=11 * k, loc="left", wrap=True)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator((1, 4, 7, 10)))
    return fig
