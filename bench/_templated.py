"""Many distinct templated news texts, as the mirror writes them, for placement benchmarks.

``templated(n, seed)`` yields ``n`` distinct ``(headline, text, site, published_at)`` tuples,
the same for the same seed: what a story index meets on the mirror, in any number (issue
15's placement benchmark stores 10,000 to 1,000,000 of them). Texts are written as the
parsers store them (paragraphs joined by newlines, mirror.truth), from the mirror's own
templates and slots (mirror.stories, mirror.vocab, mirror.textgen):

- **digest items** (57%, a mirror crawl's share of placed texts): as
  ``mirror.digestgen.item`` writes them, a filled story template behind a lead phrase
  (``3 月 7 日，据新浪科技报道，``), sometimes a sentence citing an earlier report, then
  0-2 follow-up sentences;
- **articles** (43%): as ``mirror.articlegen.body`` writes them, the story's lede or a
  feature introduction (``textgen.article_title``), then 3-7 blocks of sub-headings,
  quotes, lists and paragraphs (the story's own follow-ups and filler sentences, or
  commentary), and the boilerplate the stored text keeps: ``撰文：...，Foresight News``,
  risk notices; 7% of them short price flashes (``mirror.dupes``: a lead-in, one
  sentence of figures, the risk footer);
- shared text as the sites have it: a third of Foresight articles are column posts that
  open with their column's fixed introduction (``COLUMN_INTROS``, 80-95 characters that
  unrelated posts share).

Speed (template filling only, nothing signed): the story parts of every text are filled
fresh; an article's commentary paragraphs are drawn from a pool of ``POOL`` paragraphs
filled once by ``textgen.Commentary`` (the mirror fills them per article from a handful of
slots, so they recur across its articles as well). Distinct: a text drawn twice is
skipped (an 8-byte blake2b digest of each text is kept).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta

from mirror import dupes, textgen, vocab
from mirror.articlegen import _LIST_ITEMS
from mirror.catalogue import ARCHIVE_END, ARCHIVE_START

Templated = tuple[str, str, str, str]
"""(headline, text, site, published_at: ``YYYY-MM-DDTHH:MM:SSZ``)."""

ARTICLE_SHARE = 0.43
"""Articles among the texts; the rest are digest items (a scale-1200 mirror crawl places
5,460 articles and 7,176 digest items)."""
COLUMN_SHARE = 0.3
"""Foresight articles that are column posts opening with their column's introduction."""
FLASH_SHARE = 0.07
"""Articles that are short price flashes (mirror.dupes: 399 of 5,460 crawled articles)."""
POOL = 4096
"""Commentary paragraphs filled once per generator, drawn by articles."""
COLUMN_INTROS = tuple(
    f"编者按：「{title}」栏目{brief}，每期精选{theme}领域值得关注的项目动态、融资消息与"
    "行业观点，帮助读者快速了解赛道进展。以下内容仅供参考，不构成任何投资建议。"
    for title, brief, _ in vocab.FORESIGHT_COLUMNS.values() for theme in vocab.THEMES[:4]
)
"""Fixed column introductions, from the mirror's Foresight columns (title, brief)."""
FOOTERS = (
    "风险提示：根据央行等部门发布的相关通知，请广大公众理性看待区块链。",
    "免责声明：本文内容仅供参考，不构成任何投资建议，请读者理性看待区块链与 AI 相关投资。",
    "风险提示：本文仅代表作者观点，不构成任何投资建议。",
)
"""The disclaimers the mirror's pages end with (articlegen, digestgen.footer, dupes)."""
QUOTE = "“{theme}不是一个短期风口，而是一次基础设施的迁移。”"
_DAYS = (ARCHIVE_END - ARCHIVE_START).days
_FOLLOW_UPS = ((0, 1, 2), (35, 45, 20))


def templated(n: int, seed: int = 0) -> Iterator[Templated]:
    """``n`` distinct templated texts, deterministic for ``seed``."""
    rng = random.Random(seed)
    pool = commentary_pool(random.Random(f"{seed}|pool"))
    seen: set[bytes] = set()
    made = 0
    while made < n:
        day = ARCHIVE_START + timedelta(days=rng.randrange(_DAYS))
        site = "foresight" if rng.random() < 0.6 else "8btc"
        if rng.random() < ARTICLE_SHARE:
            headline, text = article(rng, day, site, pool)
        else:
            headline, text = digest_item(rng, day)
        key = hashlib.blake2b(text.encode(), digest_size=8).digest()
        if key in seen:
            continue
        seen.add(key)
        made += 1
        yield headline, text, site, _moment(rng, day)


def commentary_pool(rng: random.Random) -> list[str]:
    """``POOL`` commentary paragraphs of 2-3 sentences, each filled for a random story."""
    pool = []
    while len(pool) < POOL:
        slots = textgen.pick_story(rng, ARCHIVE_START + timedelta(days=rng.randrange(_DAYS)))
        commentary = textgen.Commentary(rng, slots.slots)
        pool += [commentary.paragraph(rng.randint(2, 3)) for _ in range(8)]
    return pool


def digest_item(rng: random.Random, day: date) -> tuple[str, str]:
    """A news item of a digest published on ``day``: headline and text."""
    event = day - timedelta(days=1 if rng.random() < 0.85 else 2)
    story = textgen.pick_story(rng, event)
    first = textgen.lead_phrase(rng, event).prefix + story.first
    if rng.random() < 0.15:
        first += textgen.earlier_report(rng, story.subject)
    follow = [*story.more, textgen.filler(rng, story.slots)]
    lines = [first]
    for _ in range(rng.choices(*_FOLLOW_UPS)[0]):
        lines.append(follow.pop(0) if len(follow) > 1 else follow[0])
    return story.headline, "\n".join(lines)


def article(rng: random.Random, day: date, site: str, pool: list[str]) -> tuple[str, str]:
    """An article published on ``day``: its title and body text as stored."""
    if site == "foresight" and rng.random() < FLASH_SHARE / 0.6:
        return price_flash(rng)
    filled = textgen.pick_story(rng, day)
    title, lede = textgen.article_title(rng, filled)
    lines = []
    if site == "foresight" and rng.random() < COLUMN_SHARE:
        lines.append(rng.choice(COLUMN_INTROS))
    if site == "foresight" and rng.random() < 0.3:
        lines.append(f"撰文：{rng.choice(vocab.FORESIGHT_AUTHORS)[1]}，Foresight News")
    if rng.random() < 0.05:
        lines.append("摘要：" + filled.first)
    lines.append(lede)
    lines += _middle(rng, filled, pool)
    if rng.random() < (0.1 if site == "8btc" else 0.25):
        lines.append(FOOTERS[2] if site == "8btc" else FOOTERS[0])
    return title, "\n".join(lines)


def price_flash(rng: random.Random) -> tuple[str, str]:
    """A Foresight price flash as mirror.dupes writes it: a lead-in, one sentence, a footer."""
    coin = rng.choice(("BTC", "ETH"))
    a = (60000 if coin == "BTC" else 3000) - rng.randint(1, 300) * 10 - rng.randint(0, 9) * 10
    text = textgen.tidy(dupes.FLASH.format(coin=coin, a=f"{a:,}", b=f"{a - rng.randint(1, 9):,}",
                                           c=f"{rng.randint(10, 90) / 10}"))
    return text.split("，")[0], f"{dupes.LEAD_INS[2]}{text}\n{dupes.FOOTER}"


def _middle(rng: random.Random, filled: textgen.Filled, pool: list[str]) -> list[str]:
    """Sub-headings, quotes, lists and paragraphs after the lede (articlegen._middle)."""
    out: list[str] = []
    own = [textgen.filler(rng, filled.slots) for _ in range(2)] + list(filled.more[1:])
    for _ in range(rng.randint(3, 7)):
        roll = rng.random()
        if roll < 0.15:
            out.append(rng.choice(vocab.SUBHEADS))
        elif roll < 0.22:
            out.append(textgen.fill(QUOTE, filled.slots))
        elif roll < 0.28:
            out += [textgen.fill(t, filled.slots) for t in rng.sample(_LIST_ITEMS, 3)]
        elif roll < 0.34:
            out += [rng.choice(pool).split("。")[0] + "。" for _ in range(2)]
        out.append(own.pop() if own and rng.random() < 0.4 else rng.choice(pool))
    return out


def _moment(rng: random.Random, day: date) -> str:
    """A publication time on ``day`` between 08:00 and 22:00 Beijing time, in UTC (the
    same day, 00:00 to 14:00)."""
    minute = rng.randrange(840)
    return f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00Z"
