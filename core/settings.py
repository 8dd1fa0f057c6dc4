"""Resolved settings: `config/settings.yaml`, overridden by MARSAD_* environment variables.

Environment variables (all optional):
  MARSAD_CONFIG_DIR       folder with settings.yaml, sources.yaml and alerts.yaml
  MARSAD_DATA_DIR         data folder (SQLite index, state store, alerts log, lock)
  MARSAD_STORAGE_BACKEND  sqlite | elasticsearch
  MARSAD_ES_URL           Elasticsearch URL; setting it selects the elasticsearch backend
  MARSAD_ES_INDEX         Elasticsearch index name
  MARSAD_ES_USER, MARSAD_ES_PASSWORD   Elasticsearch basic authentication (the password only from here)
  MARSAD_ES_API_KEY       Elasticsearch API key (the encoded "id:key" form); used instead of user/password
  MARSAD_REDIS_URL        Redis shared by several crawler hosts (redis://[:password@]host:port/db): the
                          crawl frontier, the duplicate filter and the state store live there instead of
                          data/state.sqlite (see README, Beyond one machine)
  MARSAD_REDIS_PREFIX     prefix of every Marsad key in that Redis (default "marsad")
  MARSAD_ALERT_WEB_URL    Marsad's web page as readers reach it (links in alert messages)
  MARSAD_ALERT_RETRY_SECONDS, MARSAD_ALERT_RETRY_PAUSE_SECONDS, MARSAD_ALERT_TRIES_PER_RUN,
  MARSAD_ALERT_MAX_ATTEMPTS   alert delivery retries (see AlertsSection)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import SplitResult, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.configfile import describe_validation_error, load_model
from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
Backend = Literal["sqlite", "elasticsearch"]


class ElasticsearchSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(default="http://127.0.0.1:9200", pattern=r"^https?://")
    index: str = Field(default="marsad-articles", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    timeout: float = Field(default=30.0, gt=0)
    user: str | None = Field(default=None, min_length=1)
    # Secrets never come from a file: these keys exist only to say so.
    password: None = None
    api_key: None = None

    @field_validator("password", "api_key", mode="before")
    @classmethod
    def _secret_in_file(cls, value: object) -> None:
        raise ValueError("secrets are read from the environment only (MARSAD_ES_PASSWORD, MARSAD_ES_API_KEY)")


class StorageSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Backend = "sqlite"
    batch_size: int = Field(default=100, ge=1, le=5000)
    elasticsearch: ElasticsearchSection = Field(default_factory=ElasticsearchSection)


class SharedSection(BaseModel):
    """Several crawler hosts sharing one Redis (frontier, duplicate filter, state store)."""

    model_config = ConfigDict(extra="forbid")

    redis_url: str | None = None  # no password here: give it in MARSAD_REDIS_URL
    prefix: str = Field(default="marsad", pattern=r"^[A-Za-z0-9_.-]{1,64}$")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        check_redis_url(value)
        if urlsplit(value).password is not None:
            raise ValueError("a password in the URL: give the whole URL in MARSAD_REDIS_URL instead")
        return value


def check_redis_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise ValueError(f"expected a redis://host:port/db URL, got {redact_url(url)!r}")


def redact_url(url: str) -> str:
    """The URL with its password (if any) replaced by ***: safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.netloc.rsplit('@', 1)[1]}"
    return parts._replace(netloc=netloc).geturl()


class CrawlSection(BaseModel):
    """Crawl politeness and limits (per-source limits live in sources.yaml)."""

    model_config = ConfigDict(extra="forbid")

    autothrottle: bool = True
    concurrent_requests_per_domain: int = Field(default=2, ge=1, le=64)
    conditional_get: bool = True  # feeds, sitemaps, listings: If-None-Match / If-Modified-Since
    contact_url: str | None = Field(default=None, pattern=r"^(https?://|mailto:)\S+$")  # in the User-Agent
    download_delay: float = Field(default=0.25, ge=0)
    download_timeout: int = Field(default=30, ge=1)  # seconds to connect and receive a whole response
    max_crawl_delay: float = Field(default=30.0, ge=0)  # a robots.txt Crawl-delay is honoured up to this
    max_page_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)  # also after decompression
    max_redirects: int = Field(default=5, ge=0, le=20)
    retry_backoff_seconds: float = Field(default=2.0, ge=0)  # first retry after this; doubles each time
    retry_max_wait_seconds: float = Field(default=120.0, ge=0)  # a longer Retry-After: left for the next run
    retry_times: int = Field(default=3, ge=0, le=10)
    robots_cache_hours: float = Field(default=24.0, ge=0, le=24)  # RFC 9309: a robots.txt is kept ≤ 24 h
    user_agent: str = "Marsad/0.1 (Arabic ICT news monitor)"

    def full_user_agent(self) -> str:
        """The User-Agent header: ``user_agent`` with ``+contact_url`` inside its comment."""
        if not self.contact_url:
            return self.user_agent
        if self.user_agent.endswith(")"):
            return f"{self.user_agent[:-1]}; +{self.contact_url})"
        return f"{self.user_agent} (+{self.contact_url})"


class AlertsSection(BaseModel):
    """Alert delivery. Channels and rules live in alerts.yaml; these are the machinery's knobs."""

    model_config = ConfigDict(extra="forbid")

    feed_entries: int = Field(default=50, ge=1, le=1000)  # stories per rule in data/feeds/<rule>.atom
    max_attempts: int = Field(default=8, ge=1, le=100)  # then the alert is marked failed
    retry_pause_seconds: float = Field(default=1.0, ge=0)  # between tries within one run
    retry_seconds: float = Field(default=60.0, ge=0)  # first delay before a later run retries; doubles
    tries_per_run: int = Field(default=2, ge=1, le=10)
    web_url: str | None = Field(default=None, pattern=r"^https?://")  # Marsad's web page, for links


class HealthSection(BaseModel):
    """Source health: when `marsad run` flags a source (and exits 1), and what `marsad sources` shows."""

    model_config = ConfigDict(extra="forbid")

    cadence_days: int = Field(default=30, ge=1, le=365)  # history a source's usual gap between new articles comes from
    cadence_min_gaps: int = Field(default=5, ge=1, le=10000)  # gaps needed before a silence is judged
    failure_baseline_days: int = Field(default=7, ge=1, le=365)  # history the usual failure share comes from
    failure_counters: list[str] = Field(default=["extraction_failed", "not_article"], min_length=1)  # pages that failed
    failure_jump: float = Field(default=0.3, gt=0, le=1)  # flag when the run's failure share exceeds the usual by this
    failure_min_pages: int = Field(default=5, ge=1)  # article pages a run (and the baseline) must have read to judge
    keep_days: int = Field(default=90, ge=1, le=3650)  # runs older than this are forgotten
    min_silence_hours: float = Field(default=24.0, gt=0)  # a silence shorter than this is never flagged
    silence_factor: float = Field(default=3.0, ge=1)  # flag a silence longer than this many usual gaps
    trend_days: int = Field(default=7, ge=1, le=60)  # the trend `marsad sources` draws, per day

    @model_validator(mode="after")
    def _keep_enough(self) -> HealthSection:
        longest = max(self.cadence_days, self.failure_baseline_days, self.trend_days)
        if self.keep_days < longest:
            raise ValueError(f"keep_days ({self.keep_days}) must cover the longest history used ({longest} days)")
        return self


class SettingsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: str = "data"
    storage: StorageSection = Field(default_factory=StorageSection)
    crawl: CrawlSection = Field(default_factory=CrawlSection)
    alerts: AlertsSection = Field(default_factory=AlertsSection)
    health: HealthSection = Field(default_factory=HealthSection)
    shared: SharedSection = Field(default_factory=SharedSection)


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    data_dir: Path
    backend: Backend = "sqlite"
    es_url: str = "http://127.0.0.1:9200"
    es_index: str = "marsad-articles"
    es_timeout: float = 30.0
    es_user: str | None = None
    es_password: str | None = field(default=None, repr=False)
    es_api_key: str | None = field(default=None, repr=False)
    batch_size: int = 100
    crawl: CrawlSection = field(default_factory=CrawlSection)
    alerts: AlertsSection = field(default_factory=AlertsSection)
    health: HealthSection = field(default_factory=HealthSection)
    redis_url: str | None = field(default=None, repr=False)  # set: several hosts share state through Redis
    redis_prefix: str = "marsad"

    @property
    def shared(self) -> bool:
        """True when the crawl and its state are shared with other hosts through Redis."""
        return self.redis_url is not None

    @property
    def sources_path(self) -> Path:
        return self.config_dir / "sources.yaml"

    @property
    def alerts_path(self) -> Path:
        return self.config_dir / "alerts.yaml"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "articles.sqlite"

    @property
    def state_path(self) -> Path:
        return self.data_dir / "state.sqlite"

    @property
    def alerts_log_path(self) -> Path:
        return self.data_dir / "alerts.jsonl"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def feeds_dir(self) -> Path:
        return self.data_dir / "feeds"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "marsad.lock"


def load_settings(env: Mapping[str, str] | None = None, config_dir: Path | None = None) -> Settings:
    env = os.environ if env is None else env
    config_dir = config_dir or Path(env.get("MARSAD_CONFIG_DIR") or default_config_dir())
    settings_path = config_dir / "settings.yaml"
    parsed = load_model(settings_path, SettingsFile) if settings_path.exists() else SettingsFile()
    data_dir = Path(env.get("MARSAD_DATA_DIR") or parsed.data_dir)
    if not data_dir.is_absolute():
        data_dir = (config_dir.parent / data_dir).resolve()
    es_url, url_user, url_password = split_credentials(parsed.storage.elasticsearch.url)
    if url_password is not None:
        raise ConfigError(f"{settings_path}: storage.elasticsearch.url: a password in the URL; "
                          "give it in MARSAD_ES_PASSWORD instead")
    settings = Settings(
        config_dir=config_dir,
        data_dir=data_dir,
        backend=parsed.storage.backend,
        es_url=es_url,
        es_index=parsed.storage.elasticsearch.index,
        es_timeout=parsed.storage.elasticsearch.timeout,
        es_user=parsed.storage.elasticsearch.user or url_user,
        batch_size=parsed.storage.batch_size,
        crawl=parsed.crawl,
        alerts=parsed.alerts,
        health=parsed.health,
        redis_url=parsed.shared.redis_url,
        redis_prefix=parsed.shared.prefix,
    )
    return apply_env(settings, env)


ALERT_ENV = {
    "web_url": "MARSAD_ALERT_WEB_URL",
    "retry_seconds": "MARSAD_ALERT_RETRY_SECONDS",
    "retry_pause_seconds": "MARSAD_ALERT_RETRY_PAUSE_SECONDS",
    "tries_per_run": "MARSAD_ALERT_TRIES_PER_RUN",
    "max_attempts": "MARSAD_ALERT_MAX_ATTEMPTS",
}


def apply_env(settings: Settings, env: Mapping[str, str]) -> Settings:
    settings = apply_es_env(settings, env)
    settings = apply_redis_env(settings, env)
    alert_overrides = {key: env[var] for key, var in ALERT_ENV.items() if env.get(var)}
    if alert_overrides:
        try:
            alerts = AlertsSection.model_validate({**settings.alerts.model_dump(), **alert_overrides})
        except ValidationError as exc:
            raise ConfigError(describe_validation_error(Path("environment (MARSAD_ALERT_*)"), exc)) from None
        settings = replace(settings, alerts=alerts)
    backend = env.get("MARSAD_STORAGE_BACKEND")
    if backend == "sqlite":
        settings = replace(settings, backend="sqlite")
    elif backend == "elasticsearch":
        settings = replace(settings, backend="elasticsearch")
    elif backend:
        raise ConfigError(f"MARSAD_STORAGE_BACKEND: expected sqlite or elasticsearch, got {backend!r}")
    if settings.backend == "elasticsearch" and not settings.es_api_key:
        if settings.es_user and not settings.es_password:
            raise ConfigError(f"Elasticsearch user {settings.es_user!r} is set but MARSAD_ES_PASSWORD is not")
        if settings.es_password and not settings.es_user:
            raise ConfigError("MARSAD_ES_PASSWORD is set but no Elasticsearch user (MARSAD_ES_USER)")
    return settings


def apply_redis_env(settings: Settings, env: Mapping[str, str]) -> Settings:
    if env.get("MARSAD_REDIS_URL"):
        try:
            check_redis_url(env["MARSAD_REDIS_URL"])
        except ValueError as exc:
            raise ConfigError(f"MARSAD_REDIS_URL: {exc}") from None
        settings = replace(settings, redis_url=env["MARSAD_REDIS_URL"])
    if env.get("MARSAD_REDIS_PREFIX"):
        try:
            prefix = SharedSection(prefix=env["MARSAD_REDIS_PREFIX"]).prefix
        except ValidationError:
            raise ConfigError("MARSAD_REDIS_PREFIX: 1 to 64 letters, digits, '_', '.' or '-'") from None
        settings = replace(settings, redis_prefix=prefix)
    return settings


def apply_es_env(settings: Settings, env: Mapping[str, str]) -> Settings:
    """MARSAD_ES_*: the URL (user and password in it are taken out), index and credentials."""
    if env.get("MARSAD_ES_URL"):
        url, user, password = split_credentials(env["MARSAD_ES_URL"])
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"MARSAD_ES_URL: expected an http(s):// URL, got {url!r}")
        settings = replace(settings, backend="elasticsearch", es_url=url)
        if user is not None:
            settings = replace(settings, es_user=user, es_password=password)
    if env.get("MARSAD_ES_INDEX"):
        settings = replace(settings, es_index=env["MARSAD_ES_INDEX"])
    if env.get("MARSAD_ES_USER"):
        settings = replace(settings, es_user=env["MARSAD_ES_USER"])
    if env.get("MARSAD_ES_PASSWORD"):
        settings = replace(settings, es_password=env["MARSAD_ES_PASSWORD"])
    if env.get("MARSAD_ES_API_KEY"):
        settings = replace(settings, es_api_key=env["MARSAD_ES_API_KEY"])
    return settings


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``http://user:pass@host:9200`` -> (``http://host:9200``, user, pass): URLs are shown, secrets are not."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.netloc.rsplit("@", 1)[1]
    clean = SplitResult(parts.scheme, host, parts.path, parts.query, parts.fragment).geturl()
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return clean, user, password


def default_config_dir() -> Path:
    local = Path.cwd() / "config"
    return local if (local / "sources.yaml").exists() else PROJECT_ROOT / "config"



def from_crawler_settings(values: Mapping[str, object]) -> Settings:
    """The resolved settings `marsad run` put into the crawler, or the defaults for `scrapy crawl`."""
    settings = values.get("MARSAD_SETTINGS")
    return settings if isinstance(settings, Settings) else load_settings()
