"""Charts for the HTML report, drawn by matplotlib and inlined as SVG.

Why matplotlib: it is the most widely used and best-maintained Python plotting library, installs
from PyPI as a wheel (also packaged by Debian), needs no browser, JavaScript runtime or network,
and its SVG backend gives vector charts that stay sharp on screen and in print. We draw with the
object API (:class:`~matplotlib.figure.Figure`, no global pyplot state) and keep text as SVG
``<text>`` (``svg.fonttype = none``) so charts are small, searchable and use the page's font.
The alternative considered, Vega-Lite through ``vl-convert-python``, also works offline but ships
a 33 MB wheel with an embedded JavaScript engine for the same result.

Each function returns one ``<svg>`` element as text, or ``None`` when there is nothing to draw.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from planner.report.model import Bar, HeatMap, Share, Span
from planner.units import format_size

matplotlib.use("svg")

PALETTE = [
    "#3b6ea8",
    "#e07b39",
    "#5a9e4b",
    "#c44e52",
    "#8172b2",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
]
CLASS_COLORMAPS = {"portable": "Greens", "compatible": "Oranges", "proprietary": "Reds"}
WIDTH_INCHES = 10.0  # shown about 1,000 px wide: 100 px per inch, fonts at their nominal size
NARROW_INCHES = 7.0  # charts shown at most 720 px wide (see report.css)
RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}
_SVG_START = re.compile(r"<svg\b[^>]*>", re.S)


@contextmanager
def _style(name: str) -> Iterator[None]:
    with matplotlib.rc_context(RC | {"svg.hashsalt": name}):  # type: ignore[arg-type]
        yield


def _svg(fig: Figure, label: str) -> str:
    """Serialise ``fig`` and make the root ``<svg>`` responsive and labelled."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    root = _SVG_START.search(text)
    assert root is not None
    tag = re.sub(r'\s(width|height)="[^"]*"', "", root.group(0))
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    tag = tag.replace("<svg", f'<svg class="chart" role="img" aria-label="{safe}"', 1)
    return text[: root.start()] + tag + f"<title>{safe}</title>" + text[root.end() :]


def _time_unit(seconds: float) -> tuple[float, str]:
    if seconds >= 3 * 86_400:
        return 86_400.0, "days"
    if seconds >= 2 * 3600:
        return 3600.0, "hours"
    if seconds >= 120:
        return 60.0, "minutes"
    return 1.0, "seconds"


def colors_for(groups: Sequence[str]) -> dict[str, str]:
    """A stable colour per group name (the same group has the same colour in every chart)."""
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(sorted(set(groups)))}


def _mark_times(ax: Axes, deadline: float | None, lower: float | None, unit: float) -> None:
    if deadline is not None:
        ax.axvline(
            deadline / unit,
            color="#c0392b",
            linestyle="--",
            linewidth=1.4,
            label="deadline",
        )
    if lower is not None:
        ax.axvline(
            lower / unit,
            color="#555555",
            linestyle=":",
            linewidth=1.2,
            label="lower bound",
        )


def gantt(
    bars: Sequence[Bar],
    deadline: float | None,
    lower: float | None,
    title: str,
    colors: dict[str, str] | None = None,
    legend_title: str | None = "limited by",
) -> str | None:
    """Horizontal bars from start to end, one row per host (first row on top).

    Very short copies get a minimum visible width so they do not vanish next to long ones.
    """
    if not bars:
        return None
    horizon = max([b.end_seconds for b in bars] + [deadline or 0.0, 1.0])
    unit, unit_name = _time_unit(horizon)
    colors = colors or colors_for([b.group for b in bars])
    visible = horizon / unit / 250
    with _style("gantt" + title):
        fig = Figure(figsize=(WIDTH_INCHES, 1.5 + 0.2 * len(bars)), layout="constrained")
        ax = fig.subplots()
        rows = np.arange(len(bars))[::-1]
        for group in sorted({b.group for b in bars}):
            idx = [i for i, b in enumerate(bars) if b.group == group]
            ax.barh(
                rows[idx],
                [max((bars[i].end_seconds - bars[i].start_seconds) / unit, visible) for i in idx],
                left=[bars[i].start_seconds / unit for i in idx],
                height=0.7,
                color=colors.get(group, PALETTE[-1]),
                label=group,
            )
        _mark_times(ax, deadline, lower, unit)
        ax.set_yticks(rows, [b.label for b in bars], fontsize=8)
        ax.set_ylim(-0.7, len(bars) - 0.3)
        ax.set_xlim(0, horizon / unit * 1.03)
        ax.set_xlabel(f"time from start ({unit_name})")
        ax.set_title(title, loc="left")
        ax.grid(axis="y", visible=False)
        if legend_title:
            fig.legend(
                title=legend_title, loc="outside lower center", ncol=4, frameon=False, fontsize=8
            )
        return _svg(fig, title)


def progress(spans: Sequence[Span], deadline: float | None, lower: float | None) -> str | None:
    """Share of all data moved and hosts copying at once, over time, for the whole fleet."""
    if not spans:
        return None
    start = np.array([s.start_seconds for s in spans])
    end = np.array([s.end_seconds for s in spans])
    size = np.array([s.bytes for s in spans])
    horizon = max(float(end.max()), deadline or 0.0, 1.0)
    unit, unit_name = _time_unit(horizon)
    t = np.linspace(0.0, horizon, 400)
    length = np.maximum(end - start, 1e-9)
    done = np.clip((t[:, None] - start[None, :]) / length[None, :], 0.0, 1.0)
    moved = 100 * (done * size[None, :]).sum(axis=1) / max(float(size.sum()), 1.0)
    active = ((t[:, None] >= start[None, :]) & (t[:, None] < end[None, :])).sum(axis=1)
    with _style("progress"):
        fig = Figure(figsize=(WIDTH_INCHES, 4.2), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        top.plot(t / unit, moved, color=PALETTE[0], linewidth=2)
        top.set_ylim(0, 101)
        top.set_ylabel("% of data moved")
        top.set_title(
            f"Whole fleet ({len(spans)} hosts): progress and hosts copying at once", loc="left"
        )
        _mark_times(top, deadline, lower, unit)
        top.legend(loc="lower right", frameon=False, fontsize=8)
        bottom.fill_between(t / unit, active, step="post", color="#8a9bb0", alpha=0.8)
        bottom.set_ylabel("hosts copying")
        bottom.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        bottom.set_xlabel(f"time from start ({unit_name})")
        bottom.set_xlim(0, horizon / unit * 1.03)
        _mark_times(bottom, deadline, lower, unit)
        return _svg(fig, "Progress of the whole fleet over time")


def shares(
    items: Sequence[Share], title: str, value: str = "bytes", colors: dict[str, str] | None = None
) -> str | None:
    """Horizontal bars of ``bytes`` (in TB) or ``host_seconds`` (in hours), labelled with hosts.

    Without ``colors`` every bar has the same colour (one variable, no legend needed).
    """
    if not items:
        return None
    values = [s.bytes / 1e12 if value == "bytes" else s.host_seconds / 3600 for s in items]
    axis = "data (TB)" if value == "bytes" else "host-hours copying"
    colors = colors or {s.name: PALETTE[0] for s in items}
    with _style("shares" + title):
        fig = Figure(figsize=(WIDTH_INCHES, 1.0 + 0.34 * len(items)), layout="constrained")
        ax = fig.subplots()
        rows = np.arange(len(items))[::-1]
        ax.barh(rows, values, color=[colors[s.name] for s in items], height=0.65)
        for row, v, s in zip(rows, values, items, strict=True):
            hosts = f"{s.hosts} host" + ("" if s.hosts == 1 else "s")
            ax.annotate(f" {hosts}, {format_size(s.bytes, 1)}", (v, row), va="center", fontsize=8)
        ax.set_yticks(rows, [s.name for s in items])
        ax.set_xlim(0, max(values) * 1.3 or 1)
        ax.set_xlabel(axis)
        ax.set_title(title, loc="left")
        ax.grid(axis="y", visible=False)
        return _svg(fig, title)


def rounds(items: Sequence[tuple[str, float, float | None]]) -> str | None:
    """Duration of each pre-copy round (log scale: each round is much shorter than the last)."""
    if not items:
        return None
    unit, unit_name = _time_unit(max(s for _, s, _ in items))
    with _style("rounds"):
        fig = Figure(figsize=(NARROW_INCHES, 2.8), layout="constrained")
        ax = fig.subplots()
        x = np.arange(len(items))
        heights = [max(s / unit, 1e-6) for _, s, _ in items]
        ax.bar(x, heights, color=PALETTE[0], width=0.6)
        for i, (_, _, size) in enumerate(items):
            if size is not None:
                ax.annotate(
                    format_size(size, 1), (i, heights[i]), ha="center", va="bottom", fontsize=8
                )
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xticks(x, [f"round {label}" for label, _, _ in items])
        ax.set_ylabel(f"duration ({unit_name}, log)")
        ax.set_title(
            "Pre-copy rounds: each copies what changed during the previous one", loc="left"
        )
        return _svg(fig, "Pre-copy rounds")


def heat_map(heat: HeatMap | None) -> str | None:
    """Workloads × lock-in class; colour by class, darker = more services."""
    if heat is None or not heat.rows:
        return None
    counts = np.array(heat.counts, dtype=float)
    top = max(float(counts.max()), 1.0)
    with _style("heat"):
        fig = Figure(
            figsize=(min(NARROW_INCHES, 2.6 + 1.2 * len(heat.columns)), 1.2 + 0.3 * len(heat.rows)),
            layout="constrained",
        )
        ax = fig.subplots()
        rows = np.arange(len(heat.rows) + 1) - 0.5
        for j, column in enumerate(heat.columns):  # one vector mesh per class, own colour map
            ax.pcolormesh(
                [j - 0.5, j + 0.5],
                rows,
                counts[:, j : j + 1],
                cmap=CLASS_COLORMAPS.get(column, "Greys"),
                vmin=-0.1 * top,
                vmax=1.15 * top,
                edgecolors="white",
                linewidth=1.5,
            )
        ax.set_ylim(len(heat.rows) - 0.5, -0.5)
        for (i, j), n in np.ndenumerate(counts):
            ax.text(
                j,
                i,
                f"{n:.0f}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if n / top > 0.6 else "#222222",
            )
        ax.set_xticks(range(len(heat.columns)), heat.columns)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(heat.rows)), heat.rows, fontsize=8.5)
        ax.grid(False)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_title("Services per workload and lock-in class", loc="left", pad=22)
        return _svg(fig, "Lock-in heat map: services per workload and class")
