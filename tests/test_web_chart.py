"""The per-day chart: one bar per day with articles, gaps kept, time right to left, bar links."""

from __future__ import annotations

from datetime import date

from web_support import days

from indexer.web.chart import HEIGHT, MAX_DAYS, WIDTH, day_chart, day_label


def link(day: date) -> str:
    return f"/?since={day}&until={day}"


def test_no_articles_no_chart() -> None:
    assert day_chart([], link) is None
    assert day_chart(days(("2026-11-01", 0)), link) is None


def test_bars_run_right_to_left_with_gaps_and_scale_to_the_peak() -> None:
    chart = day_chart(days(("2026-11-01", 2), ("2026-11-02", 0), ("2026-11-04", 4)), link)
    assert chart is not None
    assert chart.days == 4 and chart.peak == 4 and not chart.clipped
    first, last = chart.bars
    assert (first.day, last.day) == (date(2026, 11, 1), date(2026, 11, 4))
    assert first.x > last.x, "the oldest day is at the right"
    assert first.x + first.width <= WIDTH and last.x >= 0
    assert last.height == chart.plot_height and first.height == chart.plot_height / 2
    assert first.y + first.height == chart.plot_height <= HEIGHT
    assert first.href == "/?since=2026-11-01&until=2026-11-01"
    assert first.label == "1 نوفمبر 2026: 2"
    assert [tick.label for tick in chart.ticks] == ["1 نوفمبر", "4 نوفمبر"]


def test_one_day_is_one_full_width_slot() -> None:
    chart = day_chart(days(("2026-02-28", 1)), link)
    assert chart is not None and chart.days == 1 and len(chart.ticks) == 1
    assert chart.bars[0].label == f"{day_label(date(2026, 2, 28), year=True)}: 1" == "28 فبراير 2026: 1"


def test_empty_days_at_the_ends_keep_their_slots() -> None:
    chart = day_chart(days(("2026-11-01", 0), ("2026-11-02", 5), ("2026-11-03", 0), ("2026-11-04", 0)), link)
    assert chart is not None and chart.days == 4 and [bar.day for bar in chart.bars] == [date(2026, 11, 2)]
    assert [tick.label for tick in chart.ticks] == ["1 نوفمبر", "4 نوفمبر"]


def test_a_long_span_keeps_its_newest_days() -> None:
    chart = day_chart(days(("2019-01-01", 1), ("2026-11-04", 3)), link)
    assert chart is not None and chart.clipped and chart.days == MAX_DAYS
    assert [bar.day for bar in chart.bars] == [date(2026, 11, 4)]
