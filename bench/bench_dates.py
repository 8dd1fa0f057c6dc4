"""Benchmark: Marsad's Arabic date parser against plain dateparser on regional date strings.

Run: .venv/bin/python bench/bench_dates.py

Three parsers read the same ~60 strings, one or more per regional convention:
  * marsad      crawler.parsers.dates.parse_date(text, now=NOW, tz=<source zone>)
  * dp-ar       dateparser.parse(text, languages=["ar"])
  * dp-default  dateparser.parse(text) (language auto-detection, no htmldate in front)
Both dateparser runs get RELATIVE_BASE=NOW (local wall time) so relative strings can be judged.
"correct" compares wall-clock values at the expected precision (the date for day-level strings,
the minute otherwise), so dateparser is not penalised for returning naive datetimes; marsad must
in addition return the exact ISO value with its UTC offset ("exact" column).
Throughput is strings per second over the whole list, median of 5 runs.
Finally the visible dates of the shared corpus (../shared/corpus/manifest.tsv, read in place) are
checked against the ground-truth «published» column.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crawler.parsers.dates import parse_date

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifest.tsv"
RUNS = 5

EG, SA, JO, SY, LB, IQ = "Africa/Cairo", "Asia/Riyadh", "Asia/Amman", "Asia/Damascus", "Asia/Beirut", "Asia/Baghdad"
TN, DZ, MA = "Africa/Tunis", "Africa/Algiers", "Africa/Casablanca"

# (text, source zone, expected ISO value, precision: "day" compares dates, "minute" wall-clock minutes)
STRINGS: list[tuple[str, str, str, str]] = [
    ("الإثنين، 24 أغسطس 2020 09:23 ص", EG, "2020-08-24T09:23:00+02:00", "minute"),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", EG, "2020-10-07T12:09:00+02:00", "minute"),
    ("الخميس 12 مارس 2020 08:15 مساءً", SA, "2020-03-12T20:15:00+03:00", "minute"),
    ("الجمعة 13 مارس 2020 12:30 ظهراً", SA, "2020-03-13T12:30:00+03:00", "minute"),
    ("3 فبراير 2022 الساعة 14:30", SA, "2022-02-03T14:30:00+03:00", "minute"),
    ("1 يونيه 2021", EG, "2021-06-01T00:00:00+02:00", "day"),
    ("10 يوليه 2019", EG, "2019-07-10T00:00:00+02:00", "day"),
    ("5 إبريل 2022", EG, "2022-04-05T00:00:00+02:00", "day"),
    ("7 اغسطس 2018", SA, "2018-08-07T00:00:00+03:00", "day"),
    ("2 نوڤمبر 2020", SA, "2020-11-02T00:00:00+03:00", "day"),
    ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", JO, "2020-04-24T21:22:00+03:00", "minute"),
    ("بروكسل، 9 تشرين الأول 2009", "Europe/Brussels", "2009-10-09T00:00:00+02:00", "day"),
    ("1 كانون الثاني 2021", SY, "2021-01-01T00:00:00+02:00", "day"),
    ("14 شباط 2019", LB, "2019-02-14T00:00:00+02:00", "day"),
    ("21 آذار 2023", SY, "2023-03-21T00:00:00+03:00", "day"),
    ("5 أيار 2017", LB, "2017-05-05T00:00:00+03:00", "day"),
    ("30 حزيران 2015", IQ, "2015-06-30T00:00:00+03:00", "day"),
    ("4 تموز 2016", IQ, "2016-07-04T00:00:00+03:00", "day"),
    ("12 آب/أغسطس 2020", JO, "2020-08-12T00:00:00+03:00", "day"),
    ("3 أيلول 2024", LB, "2024-09-03T00:00:00+03:00", "day"),
    ("25 تشرين الثاني 2021", LB, "2021-11-25T00:00:00+02:00", "day"),
    ("31 كانون الأول 2022", SY, "2022-12-31T00:00:00+03:00", "day"),
    ("الجمعة 8 فيفري 2019", TN, "2019-02-08T00:00:00+01:00", "day"),
    ("12 جانفي 2020", DZ, "2020-01-12T00:00:00+01:00", "day"),
    ("3 أفريل 2021", TN, "2021-04-03T00:00:00+01:00", "day"),
    ("1 ماي 2022", DZ, "2022-05-01T00:00:00+01:00", "day"),
    ("20 جوان 2018", TN, "2018-06-20T00:00:00+01:00", "day"),
    ("5 جويلية 2023", DZ, "2023-07-05T00:00:00+01:00", "day"),
    ("15 أوت 2017", TN, "2017-08-15T00:00:00+01:00", "day"),
    ("9 يوليوز 2021", MA, "2021-07-09T00:00:00+01:00", "day"),
    ("20 غشت 2022", MA, "2022-08-20T00:00:00+01:00", "day"),
    ("1 شتنبر 2020", MA, "2020-09-01T00:00:00+01:00", "day"),
    ("11 نونبر 2019", MA, "2019-11-11T00:00:00+01:00", "day"),
    ("25 دجنبر 2023", MA, "2023-12-25T00:00:00+01:00", "day"),
    ("23 نوفمبر 2026م", EG, "2026-11-23T00:00:00+02:00", "day"),
    ("١٥ مارس ٢٠٢٤", SA, "2024-03-15T00:00:00+03:00", "day"),
    ("۱۵ مارس ۲۰۲۴", SA, "2024-03-15T00:00:00+03:00", "day"),
    ("٢٤/٠٨/٢٠٢٠", EG, "2020-08-24T00:00:00+02:00", "day"),
    ("الخميس 12 مارس 2020 الساعة 10:30 صباحاً بتوقيت مكة المكرمة", EG, "2020-03-12T10:30:00+03:00", "minute"),
    ("5 مايو 2020 14:00 بتوقيت غرينتش", SA, "2020-05-05T14:00:00+00:00", "minute"),
    ("5 مايو 2020 14:00 GMT+3", EG, "2020-05-05T14:00:00+03:00", "minute"),
    ("November 9, 2020", LB, "2020-11-09T00:00:00+02:00", "day"),
    ("2020-08-24T09:23:13+03:00", EG, "2020-08-24T09:23:13+03:00", "minute"),
    ("2020-08-24T09:23:13", EG, "2020-08-24T09:23:13+02:00", "minute"),
    ("5 جمادى الأولى 1447 هـ", SA, "2025-10-27T00:00:00+03:00", "day"),
    ("1447/05/05هـ", SA, "2025-10-27T00:00:00+03:00", "day"),
    ("5 رمضان 1445هـ", SA, "2024-03-15T00:00:00+03:00", "day"),
    ("24/08/2020", EG, "2020-08-24T00:00:00+02:00", "day"),
    ("24-08-2020", EG, "2020-08-24T00:00:00+02:00", "day"),
    ("24.08.2020", EG, "2020-08-24T00:00:00+02:00", "day"),
    ("5/3/2021", EG, "2021-03-05T00:00:00+02:00", "day"),
    ("2020/08/24", EG, "2020-08-24T00:00:00+02:00", "day"),
    ("منذ 5 دقائق", EG, "2026-03-15T13:55:00+02:00", "minute"),
    ("منذ ساعتين", EG, "2026-03-15T12:00:00+02:00", "minute"),
    ("منذ 3 ساعات", EG, "2026-03-15T11:00:00+02:00", "minute"),
    ("منذ يومين", EG, "2026-03-13T14:00:00+02:00", "minute"),
    ("منذ أسبوع", EG, "2026-03-08T14:00:00+02:00", "minute"),
    ("قبل 3 أيام", EG, "2026-03-12T14:00:00+02:00", "minute"),
    ("أمس", EG, "2026-03-14T00:00:00+02:00", "day"),
    ("أول أمس", EG, "2026-03-13T00:00:00+02:00", "day"),
]

# Source zone of each publisher in the shared corpus.
MANIFEST_ZONES = {
    "assabah.com.tn": TN, "youm7.com": EG, "akhbarelyom.com": EG, "almadenahnews.com": JO,
    "beirutobserver.com": LB, "europa.eu": "Europe/Brussels",
}

Parser = Callable[[str, str], datetime | None]


def _marsad(text: str, tz: str) -> datetime | None:
    return parse_date(text, now=NOW, tz=tz)


def _dateparser(languages: list[str] | None) -> Parser:
    def parse(text: str, tz: str) -> datetime | None:
        base = NOW.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        result: datetime | None = dateparser.parse(text, languages=languages, settings={"RELATIVE_BASE": base})
        return result

    return parse


PARSERS: dict[str, Parser] = {
    "marsad": _marsad,
    "dp-ar": _dateparser(["ar"]),
    "dp-default": _dateparser(None),
}


def _wall_correct(result: datetime | None, expected: str, precision: str) -> bool:
    if result is None:
        return False
    want = datetime.fromisoformat(expected)
    if precision == "day":
        return result.date() == want.date()
    return result.replace(tzinfo=None, second=0, microsecond=0) == want.replace(tzinfo=None, second=0)


def _throughput(parser: Parser) -> float:
    rates = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for text, tz, _, _ in STRINGS:
            parser(text, tz)
        rates.append(len(STRINGS) / (time.perf_counter() - start))
    return statistics.median(rates)


def bench_strings() -> None:
    print(f"## Regional date strings ({len(STRINGS)} strings, now = {NOW.isoformat()})\n")
    print("| parser | parsed % | correct % | exact ISO % | strings/s (median of 5) |")
    print("|---|---:|---:|---:|---:|")
    misses: dict[str, list[str]] = {}
    for name, parser in PARSERS.items():
        parser(STRINGS[0][0], STRINGS[0][1])  # warm-up: dateparser loads its language data lazily
        results = [(parser(text, tz), text, expected, precision) for text, tz, expected, precision in STRINGS]
        parsed = sum(r is not None for r, *_ in results)
        correct = sum(_wall_correct(r, e, p) for r, _, e, p in results)
        exact = sum(r is not None and r.tzinfo is not None and r.isoformat() == e for r, _, e, _ in results)
        misses[name] = [t for r, t, e, p in results if not _wall_correct(r, e, p)]
        n = len(STRINGS)
        print(f"| {name} | {100 * parsed / n:.0f} | {100 * correct / n:.0f} | {100 * exact / n:.0f} "
              f"| {_throughput(parser):,.0f} |")
    for name, texts in misses.items():
        print(f"\n{name} wrong or unparsed ({len(texts)}): " + " · ".join(texts))


def bench_manifest() -> None:
    print(f"\n## Visible dates in {MANIFEST} (read in place)\n")
    print("| file | visible_date_text | parsed | published (truth) | match |")
    print("|---|---|---|---|---|")
    notes: list[str] = []
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            tz = MANIFEST_ZONES.get(row["publisher_domain"], "UTC")
            result = parse_date(row["visible_date_text"], now=NOW, tz=tz)
            truth = row["published"]
            naive_truth = datetime.fromisoformat(truth).replace(tzinfo=None)
            if result is None:
                verdict = "NO"
            elif "T" not in truth or "+" in truth:  # a date, or an instant: compare the day
                verdict = "yes" if result.date() == naive_truth.date() else "NO"
            else:  # local wall time (to the minute; the visible text has no seconds)
                local = result.replace(tzinfo=None)
                verdict = "yes" if local == naive_truth.replace(second=0) else "NO"
            shown = result.isoformat() if result else "None"
            print(f"| {row['file']} | {row['visible_date_text']} | {shown} | {truth} | {verdict} |")
            if verdict == "NO":
                notes.append(f"{row['file']}: truth taken from {row['published_source']}")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    bench_strings()
    bench_manifest()
