"""Charts for the CECOT lessons."""
from __future__ import annotations

import datetime as dt

from . import chart

# series id -> (legend label, line style, marker, face colour); black and grey only
STYLES = {
    "capacity-official": ("Capacity: government figure", "--", "s", "black"),
    "capacity-disputed": ("Capacity: other figures", ":", "D", "white"),
    "population-reported": ("Prisoners held: reported count", "-", "o", "black"),
    "population-estimate": ("Prisoners held: news estimate (arrow: more than)", "none", "^", "white"),
}
BOUND_ARROW = 4500  # people: how far the arrow of a "more than" (or "fewer than") figure reaches


@chart("capacity_population")
def capacity_population(rows, spec):
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=(6.8, 3.6), dpi=100)
    by_series: dict = {}
    for r in rows:
        by_series.setdefault(r["series"], []).append(
            (dt.date.fromisoformat(r["date"]), float(r["value"])))
    for series, (label, ls, marker, face) in STYLES.items():
        pts = sorted(by_series.pop(series, []))
        if not pts:
            continue
        xs, ys = zip(*pts)
        ax.plot(xs, ys, linestyle=ls, marker=marker, markerfacecolor=face, markeredgecolor="black",
                color="black" if series != "capacity-disputed" else "0.35", linewidth=1.4, markersize=6,
                label=label)
    for series, pts in sorted(by_series.items()):  # any other series: plain grey points
        xs, ys = zip(*sorted(pts))
        ax.plot(xs, ys, linestyle="none", marker="x", color="0.4", label=series)
    for r in rows:  # a bound ("well over 20,000") is not a point: an arrow shows which way the truth lies
        bound = (r.get("bound") or "").strip()
        if bound in ("lower", "upper"):
            x, y = dt.date.fromisoformat(r["date"]), float(r["value"])
            tip = y + BOUND_ARROW if bound == "lower" else y - BOUND_ARROW
            ax.annotate("", xy=(x, tip), xytext=(x, y), arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.4})
            ax.annotate(("more than " if bound == "lower" else "fewer than ") + f"{int(y):,}", xy=(x, tip),
                        xytext=(-4, 2), textcoords="offset points", ha="right", va="bottom", fontsize=8)
    ax.set_ylim(0, 45000)
    first = min(dt.date.fromisoformat(r["date"]) for r in rows)
    ax.set_xlim(left=dt.date(first.year, 1, 1))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):,}"))
    ax.set_ylabel("People")
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    ax.set_title(spec.get("title", ""), fontsize=11, loc="left")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator((1, 4, 7, 10)))
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2)
    return fig
