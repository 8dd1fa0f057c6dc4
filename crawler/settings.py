"""Scrapy settings for Marsad's crawler. `marsad run` overrides the MARSAD_* ones from config/."""

from __future__ import annotations

BOT_NAME = "marsad"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt, AutoThrottle, a per-domain concurrency cap.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
COOKIES_ENABLED = False
DOWNLOAD_DELAY = 0.25
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # pages over 10 MB are refused, with a log line naming the URL
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
USER_AGENT = "Marsad/0.1 (Arabic ICT news monitor)"

EXTENSIONS = {
    "crawler.extensions.sourcestats.SourceStats": 500,  # per-source requests, responses, HTTP errors, bytes
}

ITEM_PIPELINES = {
    "crawler.pipelines.dedup.DedupPipeline": 100,
    "crawler.pipelines.index.IndexPipeline": 200,
    "crawler.pipelines.alerts.AlertsPipeline": 300,
}

# Marsad's own settings (see core/settings.py for the environment variables behind them).
MARSAD_ALERT_ENABLED = True  # False: index only, raise no alerts (`marsad crawl` drops the stage instead)
MARSAD_INDEX_FLUSH_SECONDS = 0.5  # a partly filled bulk batch is sent after this idle time
MARSAD_SETTINGS = None  # a resolved core.settings.Settings (None = load config/ and MARSAD_* env)
MARSAD_SOURCES: list[str] = []  # source names to crawl ([] = every enabled source)
