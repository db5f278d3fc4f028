"""One page of the mirror's catalogue (``Entry``) and the Beijing-time helpers it uses.

Its own module so that the hard-case generators (``dupes``) can name a page without
importing the catalogue that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from crawler import sites

UTC8 = timezone(timedelta(hours=8))
"""Beijing time as the contract defines it (fixed UTC+8, no historical DST)."""

def bj_ts(day: date, seconds: int) -> int:
    """Unix time of ``day`` 00:00 Beijing plus ``seconds``."""
    return int(datetime.combine(day, time(), UTC8).timestamp()) + seconds


def bj_date(ts: int) -> date:
    """The Beijing calendar day of a unix time."""
    return datetime.fromtimestamp(ts, UTC8).date()


@dataclass(slots=True, eq=False)
class Entry:
    """One detail page (8btc article or Foresight column post) and its listing metadata."""

    site: str
    kind: str
    key: str
    ts: int
    id: int = 0
    column: int = 0
    cat_id: int = 0
    listed: bool = True
    deleted: bool = False
    real: bool = False
    title: str = ""
    summary: str | None = None
    lede: str = ""
    author: tuple[int, str] = (0, "")
    tags: tuple[str, ...] = ()
    cover: str = ""
    views: int = 0
    post_date_str: bool = False
    force_dated: bool = False
    targets: list[Entry] = field(default_factory=list)
    story: str = ""
    """The story label of the page (dupes.story_key), empty for real pages."""
    dup_of: Entry | None = None
    dup_kind: str = ""
    """'' for a regular page, else the hard case it is: reprint, retell or flash."""

    @property
    def url(self) -> str:
        """The canonical URL the spiders request for this page."""
        if self.site == "8btc":
            return sites.eightbtc_article_url(self.id)
        return sites.foresight_detail_url(self.id)

    @property
    def day(self) -> date:
        """The Beijing day of publication."""
        return bj_date(self.ts)

    @property
    def era(self) -> str:
        """8btc markup era: '2019' before 2022, else '2024'."""
        return "2019" if self.day.year < 2022 else "2024"
