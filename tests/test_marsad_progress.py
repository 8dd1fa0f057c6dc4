"""Progress of `marsad run`: a bar on a terminal, plain lines in a log, nothing when quiet."""

from __future__ import annotations

import io

from marsad.commands import progress_mode
from marsad.progress import Progress, progress_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_mode_follows_stdout_and_quiet() -> None:
    assert progress_mode(False, Terminal()) == "bar"
    assert progress_mode(False, io.StringIO()) == "lines"
    assert progress_mode(True, Terminal()) == ""


def test_the_bar_counts_pages_against_a_growing_total() -> None:
    stream = io.StringIO()
    progress = Progress("bar", 60, stream)
    progress.spider_opened()
    for _ in range(3):
        progress.request_scheduled()
    progress.request_dropped()  # a duplicate the scheduler refused
    progress.response_received()
    assert progress.bar is not None and progress.bar.total == 2 and progress.bar.n == 1
    progress.bar.refresh()  # tqdm redraws at most every 0.1 s by itself
    assert "crawling" in stream.getvalue() and "1/2" in stream.getvalue()
    progress.spider_closed()


def test_a_plain_line_for_logs() -> None:
    assert progress_line(75.4, 40, 120, 12) == "progress: 1m15s: 40 of 120 page(s) fetched, 12 article(s) stored"
    stream = io.StringIO()
    progress = Progress("lines", 60, stream)
    progress.scheduled, progress.done, progress.stored = 3, 2, 1
    progress.print_line()
    assert stream.getvalue().startswith("progress: 0m") and stream.getvalue().endswith(
        "2 of 3 page(s) fetched, 1 article(s) stored\n")
