"""The mirror's catalogue: every page it serves, with ids, dates and listing metadata.

Built eagerly from (seed, scale) and cheap: titles, summaries, ledes, authors, tags,
listing flags. Bodies are generated later, per page, by ``pages``.

Layout for scale N (N digests, the real one included):

- generated digests, one a day going back from ``NEWEST_DIGEST_DAY`` (2022-01-04, so a
  small scale already spans the 2021/2022 year boundary and both 8btc markup eras); about
  75% Foresight column posts (column 1154), 25% 8btc articles;
- per generated digest, three 8btc articles: two written the day or two before it
  (what it recommends) and one from the archive (2018-01 to 2025-06, recommended only when
  older than the digest); three more for the real digest's slot; plus the three real
  articles the real digest recommends;
- max(1, N//2) Foresight column posts in columns 1 and 894;
- about 3% of listed 8btc articles deleted (soft 404), some recommended ones unlisted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crawler import sites

from . import dupes, media, real_digest, textgen, vocab
from .digestgen import RecTarget
from .entry import Entry, bj_date, bj_ts

NEWEST_DIGEST_DAY = date(2022, 1, 4)
ARCHIVE_START = date(2018, 1, 1)
ARCHIVE_END = date(2025, 6, 30)
DIGEST_COLUMN = sites.FORESIGHT_DIGEST_COLUMN
REGULAR_COLUMNS = (1, 894)


def article_meta(seed: int, entry: Entry) -> textgen.Filled:
    """Fill an article's listing metadata; returns its story (bodies reuse it)."""
    rng = textgen.rng_for(seed, "meta", entry.key)
    filled = textgen.pick_story(rng, entry.day)
    entry.title, entry.lede = textgen.article_title(rng, filled)
    entry.story = dupes.story_key(filled.first if entry.title == filled.headline else entry.lede)
    entry.summary = entry.lede if rng.random() < 0.6 else entry.lede.split("。")[0] + "。"
    if entry.site == "8btc":
        entry.author = rng.choice(vocab.EIGHTBTC_AUTHORS)
        entry.cat_id = rng.choice(vocab.EIGHTBTC_CATEGORIES)[0]
    else:
        entry.author = rng.choice(vocab.FORESIGHT_AUTHORS)
    extra = rng.choice(("区块链", "元宇宙", "AI", "比特币", "NFT", "DeFi", "Web3", "AIGC"))
    tags = dict.fromkeys([filled.slots["theme"], extra, filled.subject][: rng.randint(1, 3)])
    entry.tags = tuple(t for t in tags if len(t) <= 16)
    entry.cover = media.site_image(rng, entry.site, entry.day)
    entry.views = rng.randint(300, 60000)
    entry.post_date_str = rng.random() < 0.1
    return filled


def digest_meta(seed: int, entry: Entry) -> None:
    """A generated digest's title and summary, from the article it recommends first."""
    rng = textgen.rng_for(seed, "digest-meta", entry.key)
    first = entry.targets[0]
    sentences = [s for s in first.lede.split("。") if s]
    entry.summary = "。".join(sentences[:2]) + f"。（{rng.choice(vocab.OUTLETS_CN)}）"
    styles = ("巴比特 | 元宇宙每日必读：{}", "元宇宙日报｜{}", "巴比特 | 元宇宙每日必读:{}")
    entry.title = rng.choices(styles, (6, 3, 1 if entry.site == "foresight" else 3))[0].format(
        first.title
    )
    entry.lede = entry.summary
    entry.author = (80027, "巴比特编辑部") if entry.site == "8btc" else (4, "巴比特")
    entry.cat_id = 6167
    entry.cover = media.site_image(rng, entry.site, entry.day)
    entry.views = rng.randint(1000, 20000)
    entry.post_date_str = rng.random() < 0.1


def rec_target(entry: Entry) -> RecTarget:
    """What a digest needs to recommend an 8btc article."""
    return RecTarget(entry.id, entry.title, entry.lede, entry.story)


class Catalogue:
    """All pages of one (seed, scale) mirror, with lookups and newest-first listings."""

    def __init__(self, seed: int, scale: int):
        if scale < 1:
            raise ValueError("scale must be >= 1")
        self.seed, self.scale = seed, scale
        self.digests: list[Entry] = []
        self.articles: list[Entry] = []
        self._build()
        self.eightbtc = {e.id: e for e in self.all_entries() if e.site == "8btc"}
        self.foresight = {e.id: e for e in self.all_entries() if e.site == "foresight"}
        self._index()

    def all_entries(self) -> list[Entry]:
        """Every page, digests first."""
        return self.digests + self.articles

    def _new(self, site: str, kind: str, key: str, ts: int, **kw: object) -> Entry:
        entry = Entry(site, kind, key, ts, **kw)
        (self.digests if kind == "digest" else self.articles).append(entry)
        return entry

    def _slot(self, i: int, day: date | None) -> list[Entry]:
        """Three 8btc articles for digest slot i (``day`` None: the real digest's slot)."""
        rng = textgen.rng_for(self.seed, "slot-articles", i)
        out = []
        start, end = bj_ts(ARCHIVE_START, 0), bj_ts(ARCHIVE_END, 0)
        for j in range(3):
            if day is None or j == 2:
                ts = rng.randrange(start, end)
            else:
                ts = bj_ts(
                    day - timedelta(days=rng.choice((1, 1, 2))), rng.randint(7 * 3600, 84600)
                )
            out.append(self._new("8btc", "article", f"a{i}.{j}", ts))
        return out

    def _build(self) -> None:
        days = [NEWEST_DIGEST_DAY - timedelta(days=i) for i in range(self.scale - 1)]
        slots = []
        for i, day in enumerate(days):
            rng = textgen.rng_for(self.seed, "slot", i)
            # The newest generated digest is on Foresight and the next on 8btc, so every
            # scale >= 3 has both; the rest are 3:1.
            site = (
                ("foresight", "8btc")[i] if i < 2 else rng.choices(("foresight", "8btc"), (3, 1))[0]
            )
            ts = bj_ts(day, rng.choice((1, 2, 2, 2, 3, 5)) * 60 + rng.randint(0, 59))
            digest = self._new(
                site,
                "digest",
                f"d{i}",
                ts,
                column=DIGEST_COLUMN if site == "foresight" else 0,
                force_dated=(day.month, day.day) == (1, 1),
            )
            slots.append((digest, self._slot(i, day)))
        self._slot(-1, None)[0].deleted = True
        self._add_foresight_regular(days or [real_digest.PUBLISHED.date()])
        self._add_real()
        for entry in self.articles:
            if not entry.real:
                article_meta(self.seed, entry)
                deleted = textgen.rng_for(self.seed, "del", entry.key).random() < 0.03
                entry.deleted = entry.deleted or (entry.site == "8btc" and deleted)
        self._assign_ids()
        self._pick_recommendations(slots)
        dupes.add(self, self._new)

    def _add_foresight_regular(self, days: list[date]) -> None:
        for k in range(max(1, self.scale // 2)):
            rng = textgen.rng_for(self.seed, "fpost", k)
            ts = bj_ts(rng.choice(days), rng.randint(8 * 3600, 22 * 3600))
            self._new("foresight", "article", f"f{k}", ts, column=rng.choice(REGULAR_COLUMNS))

    def _add_real(self) -> None:
        self._new(
            "foresight",
            "digest",
            "real",
            int(real_digest.PUBLISHED.timestamp()),
            id=real_digest.DIGEST_ID,
            column=DIGEST_COLUMN,
            real=True,
            title=real_digest.TITLE,
            summary=real_digest.summary(),
            author=(4, "巴比特"),
            cover=real_digest.COVER,
            views=8836,
        )
        for art_id, info in real_digest.REAL_ARTICLES.items():
            title, lede = real_digest.real_article_lede(art_id)
            ts = int(datetime.fromisoformat(info["published"]).timestamp())
            self._new(
                "8btc",
                "article",
                f"real{art_id}",
                ts,
                id=art_id,
                real=True,
                title=title,
                lede=lede,
                summary=lede,
                author=info["author"],
                tags=info["tags"],
                cat_id=6168,
                views=2000 + art_id % 5000,
                cover=media.eightbtc_new(textgen.rng_for(self.seed, "cover", art_id), bj_date(ts)),
            )

    def _assign_ids(self) -> None:
        """Ids grow with time, as on the real sites, around the real ids (never reused)."""
        rng = textgen.rng_for(self.seed, "ids")
        for site, next_id, gap in (("8btc", 150000, 25), ("foresight", 1000, 2)):
            real = sorted((e.ts, e.id) for e in self.all_entries() if e.site == site and e.real)
            for entry in sorted(
                (e for e in self.all_entries() if e.site == site and not e.real),
                key=lambda e: (e.ts, e.key),
            ):
                next_id = max([next_id] + [i for ts, i in real if ts <= entry.ts]) + rng.randint(
                    1, gap
                )
                while any(next_id == i for _, i in real):
                    next_id += 1
                entry.id = next_id

    def _pick_recommendations(self, slots: list[tuple[Entry, list[Entry]]]) -> None:
        real = next(e for e in self.digests if e.real)
        real.targets = [self.by_key(f"real{i}") for i in (6807648, 6807594, 6807678)]
        for i, (digest, mine) in enumerate(slots):
            rng = textgen.rng_for(self.seed, "recs", i)
            older = slots[i + 1][1][:2] if i + 1 < len(slots) else []
            pool = mine[:2] + older + [e for e in mine[2:] if e.ts < digest.ts]
            digest.targets = rng.sample(pool, rng.randint(1, min(4, len(pool))))
            for target in digest.targets:
                if (i == 0 and target is digest.targets[0]) or rng.random() < 0.05:
                    target.listed = False
            digest_meta(self.seed, digest)

    def by_key(self, key: str) -> Entry:
        """The entry with a given stable key."""
        return next(e for e in self.all_entries() if e.key == key)

    def _index(self) -> None:
        newest = sorted(self.all_entries(), key=lambda e: (e.ts, e.id), reverse=True)
        self.btc_list = [e for e in newest if e.site == "8btc" and e.listed]
        self.btc_by_cat: dict[int, list[Entry]] = {}
        for entry in self.btc_list:
            self.btc_by_cat.setdefault(entry.cat_id, []).append(entry)
        self.columns: dict[int, list[Entry]] = {c: [] for c in (DIGEST_COLUMN, *REGULAR_COLUMNS)}
        for entry in newest:
            if entry.site == "foresight":
                self.columns[entry.column].append(entry)

    def reachable(self) -> list[Entry]:
        """Every page a complete crawl reaches (listed, or linked from a digest), in id order."""
        linked = {id(t) for d in self.digests for t in d.targets}
        pages = [e for e in self.all_entries() if e.listed or id(e) in linked]
        return sorted(pages, key=lambda e: (e.site != "foresight", e.id))

    def counts(self) -> dict[str, int]:
        """Sizes for the /_mirror/ index."""
        btc = [e for e in self.all_entries() if e.site == "8btc"]
        return {
            "digests": len(self.digests),
            "digests_foresight": sum(d.site == "foresight" for d in self.digests),
            "digests_8btc": sum(d.site == "8btc" for d in self.digests),
            "articles_8btc": sum(e.kind == "article" for e in btc),
            "articles_foresight": sum(
                e.site == "foresight" and e.kind == "article" for e in self.articles
            ),
            "deleted_8btc": sum(e.deleted for e in btc),
            "unlisted_8btc": sum(not e.listed for e in btc),
            "pages": len(self.reachable()),
        }
