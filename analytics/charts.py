"""Charts for the dashboard: the geometry of simple SVG charts, drawn on the
server by templates (analytics/includes/*_chart.html).

pygal would need its scripts stripped (one loads tooltips from a CDN, another
is inline, which a strict Content-Security-Policy blocks); the charts needed
here are columns and bars, which a template draws in a few lines of SVG with
no script and no inline style. Colours come from classes in
analytics/dashboard.css. Every chart stands beside a table of its figures,
which is what screen readers read; the SVG is labelled as an image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
COLUMN_HEIGHT = 220
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
VALUE_WIDTH = 70
TOP = 12
BOTTOM = 36
LEFT = 48
MAX_LABEL_CHARACTERS = 16


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above value (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _short(label: str) -> str:
    return (
        label
        if len(label) <= MAX_LABEL_CHARACTERS
        else label[: MAX_LABEL_CHARACTERS - 1] + "…"
    )


def _format(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    show_label: bool

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class ColumnChart:
    title: str
    width: int
    height: int
    baseline: float
    left: int
    columns: list[Column]
    ticks: list[Tick]

    @property
    def label_y(self) -> float:
        return self.baseline + 18

    @property
    def tick_x(self) -> int:
        return self.left - 6


def column_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    percent: bool = False,
    height: int = COLUMN_HEIGHT,
    max_labels: int = 12,
) -> ColumnChart:
    """Vertical columns, one per point, on a scale from 0 with three ticks."""
    top = _nice_ceiling(max((value for _, value in points), default=0))
    if percent:
        top = 1
    plot_height = height - TOP - BOTTOM
    plot_width = WIDTH - LEFT - 8
    slot = plot_width / max(len(points), 1)
    every = max(1, math.ceil(len(points) / max_labels))
    columns = [
        Column(
            x=round(LEFT + index * slot + slot * 0.1, 2),
            y=round(TOP + plot_height * (1 - value / top), 2),
            width=round(max(slot * 0.8, 1), 2),
            height=round(plot_height * value / top, 2),
            label=_short(label),
            value_text=_format(value, percent),
            show_label=index % every == 0,
        )
        for index, (label, value) in enumerate(points)
    ]
    ticks = [
        Tick(
            y=round(TOP + plot_height * (1 - share), 2),
            text=_format(top * share, percent),
        )
        for share in (0, 0.5, 1)
    ]
    return ColumnChart(
        title=title,
        width=WIDTH,
        height=height,
        baseline=TOP + plot_height,
        left=LEFT,
        columns=columns,
        ticks=ticks,
    )


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    value_text: str
    value_x: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def bar_chart(
    points: Sequence[tuple[str, float]], *, title: str, percent: bool = False
) -> BarChart:
    """Horizontal bars, one per point, labelled on the left, value on the right."""
    top = (
        1 if percent else _nice_ceiling(max((value for _, value in points), default=0))
    )
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            y=TOP + index * (BAR_HEIGHT + BAR_GAP),
            width=round(max(plot_width * value / top, 0), 2),
            label=_short(label),
            value_text=_format(value, percent),
            value_x=round(LABEL_WIDTH + max(plot_width * value / top, 0) + 6, 2),
        )
        for index, (label, value) in enumerate(points)
    ]
    return BarChart(
        title=title,
        width=WIDTH,
        height=TOP * 2 + len(points) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
