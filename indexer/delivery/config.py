"""`config/alerts.yaml` as the delivery side reads it: rules, named channels, the reader's zone.

```yaml
timezone: Asia/Riyadh                 # the readers' zone for times in messages (default UTC)
channels:
  team-mail: "mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.org?to=analysts@example.org"
  ops-hook: {url: "json://hooks.example.org/marsad", timezone: UTC, throttle: 0}
  admin: "mailto://…"                 # gets one summary when a run fails
rules: [...]
```

Every channel is an Apprise URL (https://appriseit.com/services/). ``${NAME}`` is replaced by
the environment variable NAME, so secrets live in the environment; neither the URL nor the
values ever appear in logs or error messages (errors name the channel). ``log`` is built in:
a JSON line per alert in ``data/alerts.jsonl`` and a line on stdout.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.configfile import read_yaml
from core.errors import ConfigError
from indexer.alerts.policy import LOG_CHANNEL
from indexer.alerts.rules import Rule, RuleConfigError, parse_rules
from indexer.delivery.secrets import url_secrets

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = r"^[^\W_][\w.-]*$"
ADMIN_CHANNEL = "admin"


@dataclass(frozen=True)
class Channel:
    """A named destination. ``url`` carries secrets: never log it or put it in an error."""

    name: str
    url: str = field(repr=False)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    throttle: float | None = None  # seconds between messages; None = Apprise's pace for the service
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def is_log(self) -> bool:
        return self.name == LOG_CHANNEL


@dataclass(frozen=True)
class AlertConfig:
    rules: list[Rule]
    channels: dict[str, Channel]
    timezone: ZoneInfo
    origin: str = "<alerts>"

    def rule(self, name: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.name == name), None)

    @property
    def admin(self) -> Channel | None:
        return self.channels.get(ADMIN_CHANNEL)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(secret for channel in self.channels.values() for secret in channel.secrets)


class _ChannelModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1)
    timezone: str | None = None
    throttle: float | None = Field(default=None, ge=0)


def load_alert_config(path: Path, env: Mapping[str, str] | None = None) -> AlertConfig:
    """Read and validate ``alerts.yaml``: rules, channels and the channel names rules use."""
    try:
        data = read_yaml(path)
    except ConfigError as exc:
        raise RuleConfigError(str(exc)) from None
    return parse_alert_config(data, str(path), os.environ if env is None else env)


def parse_alert_config(data: Any, origin: str, env: Mapping[str, str]) -> AlertConfig:
    rules = parse_rules(data, origin)
    zone = _zone(data.get("timezone"), f"{origin}: key 'timezone'")
    raw = data.get("channels") or {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{origin}: key 'channels': expected a mapping of channel names to Apprise URLs")
    channels = {LOG_CHANNEL: Channel(LOG_CHANNEL, "", zone)}
    for name, value in raw.items():
        channels[str(name)] = _channel(str(name), value, zone, origin, env)
    for index, rule in enumerate(rules):
        for position, route in enumerate(rule.routes):
            if route.channel not in channels:
                known = ", ".join(sorted(channels))
                raise RuleConfigError(
                    f"{origin}: rule {rule.name!r} (#{index + 1}): key 'channels.{position}': "
                    f"unknown channel {route.channel!r} (defined: {known})"
                )
    return AlertConfig(rules=rules, channels=channels, timezone=zone, origin=origin)


def _channel(name: str, value: Any, default_zone: ZoneInfo, origin: str, env: Mapping[str, str]) -> Channel:
    where = f"{origin}: channel {name!r}"
    if name == LOG_CHANNEL:
        raise ConfigError(f"{where}: 'log' is built in (data/alerts.jsonl and stdout); choose another name")
    if not re.match(_NAME, name):
        raise ConfigError(f"{where}: use letters, digits, '.', '-' and '_' in channel names")
    try:
        model = _ChannelModel.model_validate({"url": value} if isinstance(value, str) else value)
    except ValidationError as exc:
        problems = "; ".join(f"key {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{where}: {problems}") from None
    url, substituted = substitute_env(model.url, env, where)
    check_apprise_url(url, where)
    zone = _zone(model.timezone, f"{where}: key 'timezone'") if model.timezone else default_zone
    return Channel(name, url, zone, model.throttle, tuple(substituted) + url_secrets(url))


def substitute_env(url: str, env: Mapping[str, str], where: str) -> tuple[str, list[str]]:
    """Replace each ``${NAME}``; the values are returned so logs can be scrubbed of them."""
    values: list[str] = []

    def replace(match: re.Match[str]) -> str:
        variable = match.group(1)
        if variable not in env or env[variable] == "":
            raise ConfigError(f"{where}: key 'url': environment variable {variable} is not set")
        values.append(env[variable])
        return env[variable]

    return _VARIABLE.sub(replace, url), values


def check_apprise_url(url: str, where: str) -> None:
    from indexer.delivery.apprise_channel import instantiate

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if not scheme or instantiate(url) is None:
        shown = f"'{scheme}://…'" if scheme and len(scheme) < 20 else "the value"
        raise ConfigError(
            f"{where}: key 'url': {shown} is not an Apprise URL Marsad can use "
            "(see https://appriseit.com/services/ for the forms each service takes)"
        )


def _zone(value: Any, where: str) -> ZoneInfo:
    if value is None:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown time zone {value!r} (expected an IANA name like Asia/Riyadh)") from None
