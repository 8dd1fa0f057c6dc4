"""How a rule's alerts travel: its channels and, per channel, the mode.

```yaml
  - name: azerbaijan
    query: 'أذربيجان'
    channels: [team-mail, {name: ops-chat, mode: digest, every: 1d, at: "08:00"}]
    mode: immediate          # default for the rule's channels: immediate | digest
    every: 1h                # digest period (m, h, d); default 1d
    at: "08:00"              # when a daily digest goes out, in the reader's zone
    quiet_hours: "22:00-07:00"   # held, then sent together when they end
    max_per_hour: 10         # more immediate messages than this go into the next hourly digest
```

These are the knobs ElastAlert2 users know as ``realert``/``aggregation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Mode = Literal["immediate", "digest"]
_EVERY = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
LOG_CHANNEL = "log"


@dataclass(frozen=True)
class Route:
    """One channel of a rule and how alerts reach it."""

    channel: str = LOG_CHANNEL
    mode: Mode = "immediate"
    every: timedelta = timedelta(days=1)
    at: time = time(8, 0)
    quiet_hours: tuple[time, time] | None = None
    max_per_hour: int | None = None


def parse_every(value: str) -> timedelta:
    match = _EVERY.match(value)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected a period like 30m, 1h or 1d, got {value!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_clock(value: str) -> time:
    match = _CLOCK.match(value.strip())
    if not match:
        raise ValueError(f"expected a time of day HH:MM, got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def parse_quiet_hours(value: str) -> tuple[time, time]:
    start, sep, end = value.partition("-")
    if not sep:
        raise ValueError(f"expected HH:MM-HH:MM, got {value!r}")
    first, last = parse_clock(start), parse_clock(end)
    if first == last:
        raise ValueError(f"quiet hours start and end at the same time: {value!r}")
    return first, last


class RouteSettings(BaseModel):
    """Mode settings, given on a rule (defaults for its channels) or on one of its channels."""

    model_config = ConfigDict(extra="forbid")
    mode: Mode | None = None
    every: str | None = None
    at: str | None = None
    quiet_hours: str | None = None
    max_per_hour: int | None = Field(default=None, ge=1)

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_every(value)
        return value

    @field_validator("at")
    @classmethod
    def _at(cls, value: str | None) -> str | None:
        if value is not None:
            parse_clock(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str | None) -> str | None:
        if value is not None:
            parse_quiet_hours(value)
        return value


class ChannelRef(RouteSettings):
    name: str = Field(min_length=1)


def build_routes(channels: list[str | ChannelRef], defaults: RouteSettings) -> tuple[Route, ...]:
    """The rule's routes; a rule that names no channel goes to the ``log`` channel."""
    refs = [ChannelRef(name=item) if isinstance(item, str) else item for item in channels]
    return tuple(_route(ref, defaults) for ref in refs or [ChannelRef(name=LOG_CHANNEL)])


def _route(ref: ChannelRef, defaults: RouteSettings) -> Route:
    def pick(name: str) -> Any:
        own = getattr(ref, name)
        return own if own is not None else getattr(defaults, name)

    every, at, quiet = pick("every"), pick("at"), pick("quiet_hours")
    return Route(
        channel=ref.name,
        mode=pick("mode") or "immediate",
        every=parse_every(every) if every else Route.every,
        at=parse_clock(at) if at else Route.at,
        quiet_hours=parse_quiet_hours(quiet) if quiet else None,
        max_per_hour=pick("max_per_hour"),
    )
