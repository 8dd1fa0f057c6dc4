"""One function per CLI command: call the library, print, return the exit code."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ConfigError, UsageError
from core.settings import Settings, load_settings
from indexer.alerts.policy import Route

if TYPE_CHECKING:
    from indexer.storage.base import SearchRequest
    from marsad.cycle import CycleReport

SINCE_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def settings_for(args: argparse.Namespace) -> Settings:
    return load_settings(config_dir=args.config_dir)


def run(args: argparse.Namespace) -> int:
    return _cycle(args, alerts=True)


def crawl(args: argparse.Namespace) -> int:
    return _cycle(args, alerts=False)


def _cycle(args: argparse.Namespace, *, alerts: bool) -> int:
    from core.errors import LockedError
    from marsad.cycle import CycleOptions, run_cycle

    quiet = bool(args.quiet)
    if quiet and not args.verbose:
        for handler in logging.root.handlers:
            handler.setLevel(logging.ERROR)  # --quiet: nothing unless something failed
    options = CycleOptions(alerts=alerts, source_names=args.source or None,
                           log_level="INFO" if args.verbose else "ERROR" if quiet else "WARNING",
                           max_minutes=args.max_minutes, progress=progress_mode(quiet, sys.stdout),
                           stream=io.StringIO() if quiet else None)
    try:
        report = run_cycle(settings_for(args), options)
    except LockedError as exc:  # cron fired while the last run is still going: not a failure
        if not quiet:
            print(f"marsad: skipped: {exc}")
        return 0
    if not quiet or not report.ok:
        print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else summary_line(report))
    return 0 if report.ok else 1


def progress_mode(quiet: bool, stdout: TextIO) -> str:
    """A bar when a person watches (stdout is a terminal), plain lines for a log, nothing when quiet."""
    if quiet:
        return ""
    return "bar" if stdout.isatty() else "lines"


def summary_line(report: CycleReport) -> str:
    """The one line a cron log gets per run."""
    if report.state_error:
        return f"STATE STORE UNUSABLE: {report.state_error}; nothing was crawled"
    return (
        f"sources: {len(report.sources)} ({len(report.failed_sources)} failed"
        f"{': ' + ', '.join(report.failed_sources) if report.failed_sources else ''}"
        f"{'; ' + str(len({f['source'] for f in report.flags})) + ' flagged' if report.flags else ''}); "
        f"pages fetched: {report.pages_fetched}; articles parsed: {report.articles_parsed}; "
        f"new: {report.created}; updated: {report.updated}; already seen: {report.skipped_seen}; "
        f"alerts: {report.alerts}; messages sent: {report.messages_sent}"
        + (f"; pages skipped: {report.extraction_failed + report.fetch_failed}"
           if report.extraction_failed or report.fetch_failed else "")
        + (f"; not articles: {report.not_article} ({_per_source(report.not_article_by_source)})"
           if report.not_article else "")
        + (f"; low confidence: {report.low_confidence} ({_per_source(report.low_confidence_by_source)})"
           if report.low_confidence else "")
        + (f"; NOT STORED: {report.storage_failed}" if report.storage_failed else "")
        + (f"; spooled articles indexed: {report.unspooled}" if report.unspooled else "")
        + (f"; INDEX DOWN: {report.storage_error}" if report.storage_error else "")
        + (f"; KEPT IN SPOOL: {report.spooled} (indexed next run)" if report.spooled else "")
        + (f"; CRAWL FAILED: {report.crawl_error}" if report.crawl_error else "")
        + (f"; INTERNAL ERRORS: {report.internal_errors} (see the log; fetched again next run)"
           if report.internal_errors else "")
        + (f"; DELIVERY FAILED: {report.delivery_failed} message(s), kept for the next run"
           if report.delivery_failed else "")
        + "".join(f"; FLAGGED {flag['source']}: {flag['detail']}" for flag in report.flags)
        + ("; stopped at the time budget (the rest is crawled next run)" if report.time_budget else "")
        + (f"; INTERRUPTED by {report.interrupted}: in-flight work finished, alerts not delivered "
           "(the next run crawls the rest and delivers)" if report.interrupted else "")
    )


def _per_source(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


def reindex(args: argparse.Namespace) -> int:
    from indexer.storage.elastic import ElasticsearchStorage
    from marsad.lock import run_lock

    settings = settings_for(args)
    if settings.backend != "elasticsearch":
        raise UsageError("marsad reindex rebuilds the Elasticsearch index (set MARSAD_ES_URL or storage.backend); "
                         "the SQLite index needs no rebuild")
    with run_lock(settings.lock_path):  # no crawl writes into the old index while it is copied
        storage = ElasticsearchStorage.from_settings(settings)
        try:
            report = storage.reindex(keep_old=args.keep_old,
                                     progress=lambda n: print(f"  {n:,} documents copied…", file=sys.stderr))
        finally:
            storage.close()
    print(f"{report.documents:,} documents copied from {report.source} to {report.target} in {report.seconds:.1f}s; "
          f"{settings.es_index} now points to {report.target}"
          + (f" ({report.source} kept)" if args.keep_old and report.source != settings.es_index else ""))
    return 0


def search(args: argparse.Namespace) -> int:
    from indexer.storage.factory import open_storage
    from marsad.search_output import to_json, to_table

    zone = reader_zone(args.tz) or local_zone()
    request = search_request(args, zone)
    storage = open_storage(settings_for(args))
    try:
        result = storage.search(request)
    finally:
        storage.close()
    print(to_json(request, result) if args.json else "\n".join(to_table(request, result, zone)))
    return 0


def search_request(args: argparse.Namespace, zone: tzinfo) -> SearchRequest:
    """The SearchRequest of `marsad search`'s arguments; dates without a time are days in ``zone``
    (``--until 2026-11-24`` takes in the whole 24th)."""
    from indexer.storage.base import SearchRequest

    offset = args.offset if args.offset is not None else (args.page - 1) * args.limit
    return SearchRequest(
        query=args.query, sources=tuple(args.source), sections=tuple(args.section),
        languages=tuple(args.language), entities=tuple(args.entity),
        since=parse_since(args.since, zone=zone, option="--since"),
        until=parse_since(args.until, zone=zone, option="--until", end_of_day=True),
        sort=args.sort, collapse=args.collapse, limit=args.limit, offset=offset, facets=args.facets,
        histogram=args.histogram, timezone=zone_name(zone),
    )


def zone_name(zone: tzinfo) -> str:
    """The zone as a SearchRequest takes it: its IANA name, else its offset now (``+03:00``)."""
    name = getattr(zone, "key", None)
    if name:
        return str(name)
    minutes = int((datetime.now(zone).utcoffset() or timedelta(0)).total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_since(value: str | None, now: datetime | None = None, zone: tzinfo = UTC, option: str = "--since",
                end_of_day: bool = False) -> datetime | None:
    """``7d``, ``24h``, ``30m``, ``2w`` (before ``now``) or an ISO date or datetime (in ``zone`` when
    it names none); a date alone is that day's start, or with ``end_of_day`` the next day's."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if match:
        return now - timedelta(**{SINCE_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: expected 7d, 24h, 30m, 2w or an ISO date, got {value!r}") from None
    if end_of_day and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        parsed += timedelta(days=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def extract(args: argparse.Namespace) -> int:
    from marsad.extract import extract_target

    article, provenance = extract_target(args.target, url=args.url, source_name=args.source, tz=args.tz,
                                         config_dir=args.config_dir)
    data = article.to_dict()
    if args.explain:
        data["provenance"] = provenance
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def date(args: argparse.Namespace) -> int:
    from crawler.parsers.dates import parse_date

    tz = reader_zone(args.tz)
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            raise ConfigError(f"--now: not an ISO 8601 datetime: {args.now!r}") from None
        if now.tzinfo is None:
            now = now.replace(tzinfo=tz or local_zone())
        elif tz is None:
            tz = now.tzinfo  # «--now 2026-11-25T01:00:00+02:00»: the reader's zone is +02:00
    parsed = parse_date(args.text, now=now, tz=tz or local_zone())
    if parsed is None:
        print(f"no date found in {args.text!r}", file=sys.stderr)
        return 1
    print(parsed.isoformat())
    return 0


def reader_zone(name: str | None) -> tzinfo | None:
    """The ``--tz`` zone, or ``None`` when the option is absent; an unknown name is a usage error."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz: unknown time zone {name!r} (expected an IANA name like Africa/Cairo)") from None


def local_zone() -> tzinfo:
    """This machine's zone: ``$TZ`` when it names an IANA zone, else the system's current offset."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # a POSIX TZ string («EST5EDT»): the system offset below already reflects it
    return datetime.now().astimezone().tzinfo or UTC


def alerts_try(args: argparse.Namespace) -> int:
    from indexer.alerts.matcher import try_query
    from indexer.alerts.query import QuerySyntaxError

    try:
        spans = try_query(args.query, args.text, match="exact" if args.exact else "inflected")
    except QuerySyntaxError as exc:
        raise UsageError(f"query {args.query!r}: {exc}") from exc
    if not spans:
        print("no match")
        return 1
    for start, end, _field in spans:
        print(f"{start}-{end}\t{args.text[start:end]}")
    return 0


def alerts_list(args: argparse.Namespace) -> int:
    from indexer.delivery.config import load_alert_config

    settings = settings_for(args)
    rules = load_alert_config(settings.alerts_path).rules
    for rule in rules:
        filters = [f"{key}={sorted(value)}" for key, value in (("sources", rule.sources), ("sections", rule.sections))
                   if value]
        filters += [f"{kind}={sorted(names)}" for kind, names in rule.entities.items() if names]
        filters += [f"language={rule.language}"] if rule.language else []
        filters += [f"match={rule.match}"] if rule.match != "inflected" else []
        routes = ", ".join(route_text(route) for route in rule.routes)
        print(f"{rule.name}\t{rule.query_text}\t→ {routes}" + (f"\t[{', '.join(filters)}]" if filters else ""))
    print(f"{len(rules)} rule(s) in {settings.alerts_path}", file=sys.stderr)
    return 0


def route_text(route: Route) -> str:
    parts = [route.mode if route.mode == "immediate" else f"digest every {_period(route.every)}"]
    parts += [f"quiet {route.quiet_hours[0]:%H:%M}-{route.quiet_hours[1]:%H:%M}"] if route.quiet_hours else []
    parts += [f"max {route.max_per_hour}/h"] if route.max_per_hour else []
    return f"{route.channel} ({', '.join(parts)})"


def _period(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def serve(args: argparse.Namespace) -> int:
    from indexer.web import serve

    serve(settings_for(args), host=args.host, port=args.port, token=args.token, verbose=args.verbose,
          announce=lambda line: print(line, flush=True))
    return 0


def demo(args: argparse.Namespace) -> int:
    from marsad.demo import run_demo

    return run_demo(Path.cwd())


def sources(args: argparse.Namespace) -> int:
    from crawler.sources import load_sources
    from indexer.state.factory import open_state
    from marsad.sources_report import source_health, table

    settings = settings_for(args)
    names = [source.name for source in load_sources(settings.sources_path)]
    zone = local_zone()
    now = datetime.now(UTC)
    state = open_state(settings)
    try:
        entries, unfinished = source_health(state.health, names, now, settings.health, zone)
    finally:
        state.close()
    if args.json:
        print(json.dumps([entry.to_dict() for entry in entries], ensure_ascii=False, indent=2))
    else:
        print(table(entries, now, zone, settings.health, unfinished))
    return 0


def cron(args: argparse.Namespace) -> int:
    from core.settings import PROJECT_ROOT
    from marsad.crontab import crontab_entry

    settings = settings_for(args)
    marsad = Path(os.path.abspath(sys.executable)).with_name("marsad")
    if not marsad.exists():
        raise UsageError(f"no marsad command beside {sys.executable}; install Marsad in this environment (./setup.sh)")
    print(crontab_entry(args.every, settings, marsad, PROJECT_ROOT, args.log, os.environ))
    return 0
