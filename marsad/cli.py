"""`marsad`: a thin command line over the library. Exit codes: 0 ok, 1 partial failure / no match,
2 usage or configuration error."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import ConfigError, MarsadError, UsageError
from marsad import alert_commands, commands

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Monitor Arabic ICT news: crawl, index, alert, search.")
    parser.add_argument("--config-dir", type=Path, help="folder with settings.yaml, sources.yaml, alerts.yaml")
    parser.add_argument("-v", "--verbose", action="store_true", help="log crawler progress")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="one full cycle: crawl enabled sources, index new articles, raise alerts")
    add_cycle_arguments(run)
    run.set_defaults(handler=commands.run)
    crawl = sub.add_parser("crawl", help="crawl and index only, raise no alerts")
    add_cycle_arguments(crawl)
    crawl.set_defaults(handler=commands.crawl)

    search = sub.add_parser(
        "search", help='search the index with the rule language (terms, "phrases", OR, -x, NEAR/n)'
    )
    add_search_arguments(search)
    search.set_defaults(handler=commands.search)

    reindex = sub.add_parser(
        "reindex", help="rebuild the Elasticsearch index in the current layout and swap the alias to it (searches "
                        "keep working meanwhile)"
    )
    reindex.add_argument("--keep-old", action="store_true", help="keep the previous index instead of deleting it")
    reindex.set_defaults(handler=commands.reindex)

    extract = sub.add_parser("extract", help="extract one page and print the Article as JSON")
    extract.add_argument("target", help="an HTML file or an http(s) URL")
    extract.add_argument("--url", help="the page's address, when reading a file")
    extract.add_argument("--source", help="configured source whose time zone and parser apply")
    extract.add_argument("--tz", help="time zone for dates without an offset (default: the source's, else UTC)")
    extract.add_argument("--explain", action="store_true", help="add which metadata layer supplied each field")
    extract.set_defaults(handler=commands.extract)

    date = sub.add_parser("date", help="parse an Arabic (or other) date expression; prints ISO 8601 last")
    date.add_argument("text")
    date.add_argument("--now", help="the reference time for relative dates (ISO 8601)")
    date.add_argument("--tz", help="time zone when the text names none (default: the zone of --now, "
                                   "else this machine's zone)")
    date.set_defaults(handler=commands.date)

    alerts = sub.add_parser("alerts", help="alert rules")
    alerts_sub = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    try_ = alerts_sub.add_parser("try", help="test a query against a text; exit 0 on match, 1 on none")
    try_.add_argument("query")
    try_.add_argument("--text", required=True, help="the text to match")
    try_.add_argument("--exact", action="store_true", help="match surface forms, not inflected ones")
    try_.set_defaults(handler=commands.alerts_try)
    list_ = alerts_sub.add_parser("list", help="list the configured rules and their channels")
    list_.set_defaults(handler=commands.alerts_list)
    add_alert_commands(alerts_sub)

    serve = sub.add_parser("serve", help="serve the web page (search, articles, alerts, feeds) and the JSON API")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1; any other address requires a token)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--token", help="the token readers must give (default: MARSAD_WEB_TOKEN; beyond "
                                       "loopback without either, one is generated and printed once)")
    serve.set_defaults(handler=commands.serve)

    sources = sub.add_parser("sources", help="each source's last run, 7-day trend of new articles and health flags")
    sources.add_argument("--json", action="store_true", help="print the sources' health as JSON")
    sources.set_defaults(handler=commands.sources)

    cron = sub.add_parser("cron", help="print a ready crontab line for `marsad run` (absolute paths, a log file)")
    cron.add_argument("--every", required=True, help="the period: 5m to 24h that cron keeps evenly (15m, 30m, 1h, 6h…)")
    cron.add_argument("--log", type=Path, help="the log file the runs append to (default: DATA_DIR/cron.log)")
    cron.set_defaults(handler=commands.cron)

    demo = sub.add_parser("demo", help="crawl the built-in portal world offline and show alerts and a search")
    demo.set_defaults(handler=commands.demo)
    return parser


def add_alert_commands(alerts_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = alerts_sub.add_parser("status", help="alerts pending, sent and failed per channel")
    status.add_argument("--json", action="store_true", help="print the counts and failed alerts as JSON")
    status.set_defaults(handler=alert_commands.status)
    deliver = alerts_sub.add_parser("deliver", help="send the alerts that are due now, without crawling")
    deliver.set_defaults(handler=alert_commands.deliver)
    retry = alerts_sub.add_parser("retry", help="queue alerts that failed (or wait for a retry) again, due now")
    retry.add_argument("--channel", help="only this channel")
    retry.set_defaults(handler=alert_commands.retry)
    test = alerts_sub.add_parser("test-channel", help="send one test message to a channel; exit 1 if it fails")
    test.add_argument("name", help="a channel name from alerts.yaml (or log)")
    test.set_defaults(handler=alert_commands.test_channel)
    backtest = alerts_sub.add_parser(
        "backtest", help="what a rule (or a query) would have matched in the index: per day, per source, top stories"
    )
    backtest.add_argument("rule", metavar="RULE_OR_QUERY", help="a rule name from alerts.yaml, or a query")
    backtest.add_argument("--since", default="30d", help="how far back: 30d (default), 24h, 2w or an ISO date")
    backtest.add_argument("--top", type=positive_int, default=10, help="how many top stories to show (default 10)")
    backtest.add_argument("--json", action="store_true", help="print the result as JSON")
    backtest.set_defaults(handler=alert_commands.backtest)


def add_search_arguments(search: argparse.ArgumentParser) -> None:
    search.add_argument("query", nargs="?", default="",
                        help="e.g. 'أذربيجان' or '\"الذكاء الاصطناعي\" -ChatGPT'; none: every article")
    search.add_argument("--json", action="store_true", help="print hits, highlights, total and counts as JSON")
    search.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    search.add_argument("--section", action="append", default=[], help="only this section (repeatable)")
    search.add_argument("--language", action="append", default=[], help="only this language, e.g. ar (repeatable)")
    search.add_argument("--entity", action="append", default=[],
                        help="only articles naming this person, organization or place (repeatable)")
    search.add_argument("--since", help="only articles from then on: 7d, 24h, 30m, 2w or an ISO date")
    search.add_argument("--until", help="only articles before then: 7d, 24h or an ISO date (a date counts whole)")
    search.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                        help="relevance (default) or date, newest first")
    search.add_argument("--collapse", action=argparse.BooleanOptionalAction, default=True,
                        help="one result per story, its other sources named (default: on)")
    search.add_argument("--limit", type=positive_int, default=20, help="results per page (default 20, at most 100)")
    where = search.add_mutually_exclusive_group()
    where.add_argument("--page", type=positive_int, default=1, help="page number (default 1)")
    where.add_argument("--offset", type=non_negative_int, help="skip this many results instead of --page")
    search.add_argument("--facets", action="store_true", help="count matches per source, section, language, entity")
    search.add_argument("--histogram", action="store_true", help="count matches per day")
    search.add_argument("--tz", help="time zone for dates shown and per-day counts (default: this machine's)")


def add_cycle_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", action="append", default=[], help="crawl only this source (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the cycle report as JSON")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing unless something failed (for cron; the exit code still tells)")
    parser.add_argument("--max-minutes", type=positive_float, metavar="N",
                        help="stop scheduling new requests after N minutes and finish cleanly (exit 0); "
                             "the rest is crawled next run")


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for handler_ in logging.root.handlers:
        handler_.setLevel(level)  # Scrapy sets its own loggers to DEBUG; the handler decides
    handler: Handler = args.handler
    try:
        return handler(args)
    except MarsadError as exc:
        prefix = "configuration error: " if isinstance(exc, ConfigError) else ""
        print(f"marsad: {prefix}{exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError | UsageError) else 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
