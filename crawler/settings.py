"""Scrapy settings for Marsad's crawler. `marsad run` overrides the MARSAD_* ones from config/."""

from __future__ import annotations

BOT_NAME = "marsad"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt (RFC 9309, with its crawl-delay), AutoThrottle, 1–2 requests at a time
# per host, retries that back off (and honour Retry-After), bounded timeouts, sizes and redirects.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
COOKIES_ENABLED = False
DOWNLOAD_DELAY = 0.25
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # pages over 10 MB are refused, with a log line naming the URL
DOWNLOAD_TIMEOUT = 30  # connect and the whole response
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "Marsad"  # the product token robots.txt groups are matched against
TELNETCONSOLE_ENABLED = False
USER_AGENT = "Marsad/0.1 (Arabic ICT news monitor)"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.downloadermiddlewares.retry.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.downloadermiddlewares.redirect.MetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.downloadermiddlewares.redirect.RedirectMiddleware": 600,
}
EXTENSIONS = {
    "crawler.extensions.sourcestats.SourceStats": 500,
}
ITEM_PIPELINES = {
    "crawler.pipelines.dedup.DedupPipeline": 100,
    "crawler.pipelines.index.IndexPipeline": 200,
    "crawler.pipelines.alerts.AlertsPipeline": 300,
}

# Marsad's own settings (see core/settings.py for the environment variables behind them).
MARSAD_ALERT_ENABLED = True  # False: index only, raise no alerts (`marsad crawl` drops the stage instead)
MARSAD_CONDITIONAL_GET = True  # send the validators saved for feeds, sitemaps and listings
MARSAD_INDEX_FLUSH_SECONDS = 0.5  # a partly filled bulk batch is sent after this idle time
MARSAD_RETRY_BACKOFF_SECONDS = 2.0  # the first retry waits this long; each next one twice as long
MARSAD_RETRY_MAX_WAIT_SECONDS = 120.0  # a Retry-After (or backoff) longer than this is left for the next run
MARSAD_ROBOTS_CACHE_HOURS = 24.0  # a robots.txt read this recently (by an earlier run) is not fetched again
MARSAD_ROBOTS_MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay is honoured up to this many seconds
MARSAD_SHARED_CLAIM_HOURS = 24.0  # shared crawl: a claim on a request lapses after this (crawler/shared/)
MARSAD_SHARED_HEARTBEAT_SECONDS = 3.0  # shared crawl: each process refreshes its heartbeat this often
MARSAD_SHARED_HEARTBEAT_TTL = 15  # shared crawl: a killed process's claims are free this many seconds after
MARSAD_SETTINGS = None  # a resolved core.settings.Settings (None = load config/ and MARSAD_* env)
MARSAD_SOURCES: list[str] = []  # source names to crawl ([] = every enabled source)
