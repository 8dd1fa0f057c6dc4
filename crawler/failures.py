"""What a failed request means for the crawl: which counter it goes to, whether it may pass."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from crawler.downloadermiddlewares.redirect import RedirectRefused

TRANSIENT_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Verdict:
    """``counter``: the per-source counter it adds to (None: counted where it happened);
    ``transient``: a later run may succeed (so what listed the URL is read again next run);
    ``logged``: a middleware already logged it with both URLs."""

    problem: str
    counter: str | None = None
    transient: bool = True
    logged: bool = False


def judge(failure: Failure) -> Verdict:
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return Verdict(f"HTTP {status}", transient=status >= 500 or status in TRANSIENT_STATUSES)
    if isinstance(error, RedirectRefused):
        return Verdict(str(error), transient=False, logged=True)
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "DOWNLOAD_MAXSIZE" in message:
            return Verdict("larger than max_page_bytes once decompressed (a gzip bomb?)", "too_large", False)
        return Verdict(message, transient=False, logged="robots.txt" in message)
    if isinstance(error, DownloadCancelledError) and "max size" in str(error):
        return Verdict("larger than max_page_bytes", "too_large", transient=False)
    if isinstance(error, DownloadTimeoutError | TwistedTimeoutError):
        return Verdict(f"timed out ({error})")
    return Verdict(failure.getErrorMessage() or type(error).__name__)
