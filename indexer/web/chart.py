"""The per-day chart of the current query, drawn on the server as SVG (no script, no library).

The backend's histogram runs from its first to its last day, days without articles included;
they are drawn as empty slots, so gaps show. Time runs right to left, as the
page reads: the oldest day is at the right edge. Each bar links to the search narrowed to its day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from babel import Locale

WIDTH, HEIGHT, AXIS = 640, 130, 2  # the drawing's units; CSS scales it to the page
MAX_DAYS = 731  # a longer span keeps its newest two years (the caption says so)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int
    label: str  # «23 نوفمبر 2026: 4»
    href: str


@dataclass(frozen=True)
class Tick:
    """A day named under the chart (HTML, so it stays legible at any width): the first, the last."""

    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_height: int
    bars: list[Bar]
    ticks: list[Tick]
    peak: int
    days: int
    clipped: bool  # older days left out (MAX_DAYS)


def day_chart(histogram: list[tuple[date, int]], link: Callable[[date], str]) -> Chart | None:
    counts = {day: count for day, count in histogram if count > 0}
    if not counts:
        return None
    last = max(day for day, _ in histogram)
    first = max(min(day for day, _ in histogram), last - timedelta(days=MAX_DAYS - 1))
    days = (last - first).days + 1
    step = WIDTH / days
    gap = step * 0.15 if step >= 4 else 0.0
    plot = HEIGHT - AXIS
    peak = max(counts.values())
    bars: list[Bar] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        count = counts.get(day, 0)
        if not count:
            continue
        height = max(2.0, plot * count / peak)
        x = WIDTH - (offset + 1) * step + gap / 2  # right to left
        bars.append(Bar(round(x, 2), round(plot - height, 2), round(step - gap, 2), round(height, 2), day, count,
                        f"{day_label(day, year=True)}: {count}", link(day)))
    ticks = [Tick(WIDTH - step / 2, day_label(first))]
    if days > 1:
        ticks.append(Tick(step / 2, day_label(last)))
    return Chart(WIDTH, HEIGHT, plot, bars, ticks, peak, days, clipped=min(day for day, _ in histogram) < first)


def day_label(day: date, year: bool = False) -> str:
    text = f"{day.day} {arabic_months()[day.month]}"
    return f"{text} {day.year}" if year else text


@cache
def arabic_months() -> dict[int, str]:
    return dict(Locale("ar").months["format"]["wide"].items())
