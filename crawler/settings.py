"""Scrapy settings for newsarchive: safe, polite defaults and the pipeline order. No logic."""

from crawler.sites import FORESIGHT_DEFAULT_COLUMNS

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- who we are and how politely we ask -------------------------------------------------
USER_AGENT = (
    "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive; "
    "archiver of Chinese crypto and AI news)"
)
ROBOTSTXT_OBEY = True
ROBOTSTXT_DOWNLOAD_TIMEOUT = 15
"""Seconds a robots.txt may take; past it the host is disallowed for the run (RFC 9309)."""
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_ITEMS = 8
"""Scrapy starts this many asyncio worker tasks for every callback's output (default 100).
Our pipelines are synchronous and a callback yields at most a listing page's 21 outputs,
so 100 tasks per response only cost scheduling: 0.6 M tasks in a 5,700-page crawl."""
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
SOURCE_SETTINGS = {
    "foresight": {"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    "8btc": {"DOWNLOAD_DELAY": 0.5, "CONCURRENT_REQUESTS_PER_DOMAIN": 4},
}
"""Per-source politeness, applied to that source's crawler (the mirror overrides it)."""
DOWNLOADER_MIDDLEWARES = {
    "crawler.budget.BudgetMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.StrictRobotsTxtMiddleware": 100,
    # After robots/offsite, before RedirectMiddleware (600) sees a 3xx: every hop is checked.
    "crawler.safety.SafetyMiddleware": 650,
    # Above HttpCompression (590) and Redirect (600): sees responses as received (WARC).
    "pipelines.warc.WarcCaptureMiddleware": 800,
    # The web archives' request limits, for spiders with archive_limits (backfill); above
    # Retry (550), so it sees a 429/503 first.
    "crawler.archive_limiter.ArchiveLimiterMiddleware": 960,
    # Last before the download handler: counts what is really sent, per site.
    "crawler.sent.SentPerSiteMiddleware": 990,
}
BUDGET_MAX_REQUESTS = 0
"""Requests a run may send across all its spiders; 0 means no limit."""
BUDGET_MAX_MINUTES = 0
"""Minutes a run may last; 0 means no limit."""
WAYBACK_CDX_PER_MINUTE = 24
"""Backfill: requests a minute to the Wayback CDX API, at most (crawler.archive_limiter)."""
WAYBACK_PLAYBACK_PER_SECOND = 1.0
"""Backfill: Wayback playback requests a second, at most."""
CC_INDEX_PER_MINUTE = 20
"""Backfill: requests a minute to Common Crawl's index server (collinfo and CDX), at most."""
CC_RECORDS_PER_SECOND = 1.0
"""Backfill: Range requests a second to Common Crawl's WARC files, at most."""
CC_LOOKUP_COLLECTIONS = 6
"""Backfill: collections searched for a digest's linked page, nearest to the digest first."""
ARCHIVE_PAUSE_429 = 60
"""Backfill: seconds an archive host is left alone after a 429 (or its Retry-After)."""
ARCHIVE_BACKOFF_5XX = 10
"""Backfill: seconds an archive host is left alone after a 503/504, doubled per repeat."""
BLOCKED_STOP_AFTER = 5
"""Stop crawling a source after this many block answers (403/429/567/challenge)."""

# --- limits (reference/reliability.md: settings to set explicitly) -----------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
REFERRER_POLICY = "same-origin"

# --- attack surface off ----------------------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Neither site needs cookies to serve pages. Off also keeps Scrapy's public-suffix
# lookup (tldextract, which downloads a list on first use) out of every crawl.
COOKIES_ENABLED = False
DOWNLOAD_HANDLERS = {
    "http": "crawler.hostmap.HostMapDownloadHandler",
    "https": "crawler.hostmap.HostMapDownloadHandler",
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
}

SAFETY_ENABLED = True
SAFETY_ALLOWED_HOSTS: list[str] = []
"""Hosts a request may go to; empty means the sites' hosts (crawler.sites.MIRRORED_HOSTS)."""
DOWNLOAD_FAIL_ON_DATALOSS = True
# TLS (catalogue 17). Scrapy verifies no certificate by default; we do. The archive is
# evidence of what the sites published: a page served by whoever sits between us and
# foresightnews.pro / www.8btc.com (a captive portal, a hostile proxy) must be a recorded
# `tls` failure, never an article. Both sites have publicly trusted certificates; the
# mirror is plain http on loopback, so no crawl of it is affected.
DOWNLOAD_VERIFY_CERTIFICATES = True
DOWNLOAD_TLS_MIN_VERSION = "TLSv1.2"

DUPEFILTER_CLASS = "crawler.dupefilter.RunDupeFilter"

# --- the evidence: every exchange as WARC (docs/warc.md) --------------------------------
# (the WARC middleware itself is in DOWNLOADER_MIDDLEWARES above)
WARC_ENABLED = True
WARC_DIR = ""
"""Folder of the WARC files; empty means beside the archive (data/archive-warc)."""
WARC_LABEL = ""
"""Added to the WARC file names: a distributed worker's id, so workers sharing a folder
never write the same file."""
WARC_MAX_BYTES = 256 * 1024 * 1024
"""A WARC file is closed and the next one opened past this size."""

# --- the archive -----------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.health.HealthPipeline": 250,
    "pipelines.store.StorePipeline": 300,
    "pipelines.validators.ValidatorsPipeline": 400,
}
ARCHIVE_WRITER = "process"
"""Who runs the item pipelines of `newsarchive crawl`: "process", a writer process fed by
the crawl through a pipe (pipelines.writer: parsing and storing use two cores); "inline",
the crawl's own reactor thread. A plain `scrapy crawl` always stores inline."""
ARCHIVE_DB = "data/archive.db"
"""Path of the SQLite archive the store pipeline writes."""
ARCHIVE_RUN_ID = None
"""Set by `newsarchive crawl` so that several spiders of one run share one runs row."""
ARCHIVE_BATCH_PAGES = 32
"""Pages the store pipeline writes per transaction at most (each page whole: a savepoint)."""
ARCHIVE_BATCH_SECONDS = 0.5
"""Seconds a batch of pages stays uncommitted at most (a kill -9 loses at most that)."""

# --- sources ---------------------------------------------------------------------------
MIRROR_URL = ""
"""Base URL of the offline mirror; empty crawls the live sites."""
FORESIGHT_COLUMNS = list(FORESIGHT_DEFAULT_COLUMNS)
LISTING_PAGE_SIZE = 20
LISTING_MAX_PAGES = 0
"""Stop each listing after this many pages; 0 walks it to its end."""

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
