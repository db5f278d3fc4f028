"""The hard-case set: article pages whose story truth defeats naive clustering.

``build(seed, size)`` returns ``size`` page dicts (url, site, title, text, published_at,
story, cls, plus source, names, figures, column) in publication order. Pages with the
same ``story`` are one news event; ``cls`` says which hard case the page is (see
``PROPORTIONS`` and docs/mirror.md): ordinary distinct stories, with or without footers,
column items behind a fixed introduction, retellings by another outlet, reprints with a
rewritten lead or an edited headline, Traditional-script copies (some in full-width
forms), copies writing names the other way, price-flash pairs and template siblings
(two stories each). ``python -m mirror.hardcases --warc PATH --truth PATH`` writes the
set as a WARC file (``mirror.hardcases_warc``) and its truth as JSON.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from . import hardboiler as hb
from . import hardcases_warc, hardfacts, hardtext, textgen
from .entry import UTC8

PROPORTIONS = {
    "plain": 0.22, "footer": 0.14, "column": 0.18, "retell": 0.10, "reprint_lead": 0.06,
    "reprint_title": 0.05, "traditional": 0.05, "fullwidth": 0.02, "alias": 0.04,
    "flash": 0.08, "sibling": 0.06,
}
"""Share of the pages of each class. The first three are originals (one story each
unless copied); the next six are copies of an original (its story); flash and sibling
pages come in pairs of two stories."""
ORIGINALS = ("plain", "footer", "column")
COPIES = ("retell", "reprint_lead", "reprint_title", "traditional", "fullwidth", "alias")
PAIRS = ("flash", "sibling")
START = date(2024, 3, 1)
OUTLET_WEIGHTS = {"8btc": 50, "foresight": 25, "chaincatcher": 25}


def counts(size: int) -> dict[str, int]:
    """Pages per class for a set of ``size`` pages (pairs even; plain takes the rest)."""
    out = {c: round(p * size) for c, p in PROPORTIONS.items()}
    for c in PAIRS:
        out[c] -= out[c] % 2
    out["plain"] += size - sum(out.values())
    return out


class _Builder:
    def __init__(self, seed: int):
        self.rng = textgen.rng_for(seed, "hardcases")
        self.pages: list[dict] = []
        self.originals: list[dict] = []
        self.ids = {name: set() for name in hb.OUTLETS}
        self.stories = 0
        self.events: set[tuple[str, ...]] = set()  # no two stories are one event

    def story(self) -> str:
        self.stories += 1
        return f"h{self.stories:04d}"

    def page(self, outlet: str, title: str, paragraphs: list[str], when: datetime,
             story: str, cls: str, **extra) -> dict:
        """Add one page with a fresh id at ``outlet``."""
        low, high = {"8btc": (6_000_000, 7_000_000), "foresight": (40_000, 90_000),
                     "chaincatcher": (100_000, 200_000)}[outlet]
        while (page_id := self.rng.randrange(low, high)) in self.ids[outlet]:
            pass
        self.ids[outlet].add(page_id)
        page = {"url": hb.OUTLETS[outlet].url(page_id), "site": outlet, "title": title,
                "text": "\n".join(paragraphs), "published_at": when.isoformat(),
                "story": story, "cls": cls, "source": None, "names": [], "figures": [],
                "column": None, "twin": None, **extra}
        if cls not in ("traditional", "fullwidth"):  # a script copy names what its source does
            told = page["title"] + "\n" + page["text"]
            page["names"] = _mentioned(page["names"], told)
            page["figures"] = _mentioned(page["figures"], told)
        self.pages.append(page)
        return page

    def when(self) -> datetime:
        day = START + timedelta(days=self.rng.randrange(150))
        return datetime.combine(day, time(), UTC8) + timedelta(
            seconds=self.rng.randrange(7 * 3600, 23 * 3600))

    def length(self) -> int:
        return self.rng.choices((self.rng.randint(150, 300), self.rng.randint(300, 700),
                                 self.rng.randint(650, 1250)), (30, 45, 25))[0]

    def facts(self, kind: str | None = None) -> tuple[datetime, hardfacts.Facts]:
        """A new event, unlike any so far, and when it is published (another day when
        that day already has every event of the kind, such as both ETF reports)."""
        while True:
            when = self.when()
            for _ in range(20):
                facts = hardfacts.draw(self.rng, when.date(), kind)
                facts.slots.update(hardtext.background_slots(self.rng))
                if self.fresh(hardfacts.identity(facts)):
                    return when, facts

    def siblings(self) -> tuple[datetime, hardfacts.Facts, hardfacts.Facts]:
        """Two new events on one day: one template told of two companies (drawn again
        when every other subject of the kind is taken that day)."""
        while True:
            when, first = self.facts()
            for _ in range(20):
                second = hardfacts.sibling(self.rng, first)
                if self.fresh(hardfacts.identity(second)):
                    return when, first, second

    def fresh(self, event: tuple[str, ...]) -> bool:
        """Claim an event's identity; False when another story already has it."""
        if event in self.events:
            return False
        self.events.add(event)
        return True

    def original(self, cls: str) -> None:
        rng = self.rng
        column = None
        if cls == "column":
            outlet, column = rng.choice(hb.COLUMNS)
        else:
            outlet = hb.OUTLETS[rng.choices(list(OUTLET_WEIGHTS), OUTLET_WEIGHTS.values())[0]]
        when, facts = self.facts(rng.choice(column.kinds) if column else None)
        voice = rng.choice("ab")
        short = column is not None and rng.random() < 0.5
        title, body = hardtext.compose(rng, facts, voice, rng.randint(60, 160) if short
                                       else self.length())
        if rng.random() < (0.5 if cls == "footer" else 0.25):
            body[0] = hb.lead_in(rng, outlet, body[0])
        paragraphs = list(body)
        if column:
            paragraphs.insert(0, column.intro)
            title = f"{column.name}｜{title}" if rng.random() < 0.5 else title
        if cls == "footer":
            paragraphs = ([hb.header(rng)] if rng.random() < 0.3 else []) + paragraphs
            paragraphs += hb.footers(rng, outlet, rng.randint(2, 4))
        elif column and rng.random() < 0.3:
            paragraphs += hb.footers(rng, outlet, 1)
        page = self.page(outlet.name, title, paragraphs, when, self.story(), cls,
                         names=facts.names, figures=facts.figures,
                         column=column.name if column else None)
        self.originals.append({"page": page, "facts": facts, "voice": voice, "body": body,
                               "outlet": outlet, "alias": hb.has_alias(page["text"])})

    def later(self, page: dict) -> datetime:
        return datetime.fromisoformat(page["published_at"]) + timedelta(
            minutes=self.rng.randint(20, 36 * 60))

    def other_outlet(self, name: str) -> hb.Outlet:
        return hb.OUTLETS[self.rng.choice([n for n in hb.OUTLETS if n != name])]

    def with_footers(self, outlet: hb.Outlet, paragraphs: list[str]) -> list[str]:
        if self.rng.random() < 0.5:
            return paragraphs + hb.footers(self.rng, outlet, self.rng.randint(1, 3))
        return paragraphs

    def copy(self, cls: str) -> None:
        rng = self.rng
        pool = [o for o in self.originals if _eligible(cls, o)]
        src = rng.choice(pool)
        page, facts = src["page"], src["facts"]
        outlet = self.other_outlet(page["site"])
        extra = {"source": page["url"], "names": facts.names, "figures": facts.figures}
        if cls in ("traditional", "fullwidth"):
            extra.update(names=page["names"], figures=page["figures"])
            title, paragraphs = _traditional(page["title"], page["text"].split("\n"),
                                             cls == "fullwidth")
        elif cls == "retell":
            title, paragraphs = hardtext.compose(rng, facts, _other(src["voice"]),
                                                 self.length())
            if rng.random() < 0.3:
                title, paragraphs = hb.swap_names(title), [hb.swap_names(p) for p in paragraphs]
            paragraphs = self.with_footers(outlet, paragraphs)
        else:
            title, paragraphs = self.reprint(cls, src, outlet)
        self.page(outlet.name, title, paragraphs, self.later(page), page["story"], cls, **extra)

    def reprint(self, cls: str, src: dict, outlet: hb.Outlet) -> tuple[str, list[str]]:
        """A reprint: lead rewritten, headline edited, or names written the other way."""
        rng, body, title = self.rng, list(src["body"]), src["page"]["title"]
        if cls == "reprint_lead":
            leads = hardtext.TEMPLATES[src["facts"].kind][_other(src["voice"])]["lead"]
            lead = hardtext.fill(rng.choice(leads), src["facts"].slots)
            body[0] = hb.lead_in(rng, outlet, lead) if rng.random() < 0.5 else lead
            if len(body) > 3 and rng.random() < 0.5:
                body = body[:-1]
            if len(body) > 1 and rng.random() < 0.5:
                body = [body[0], *hb.light_edit(rng, body[1:])]
            title = hb.edit_headline(rng, title) if rng.random() < 0.3 else title
        elif cls == "reprint_title":
            t = hardtext.TEMPLATES[src["facts"].kind][src["voice"]]["title"]
            fresh = [hardtext.fill(x, src["facts"].slots) for x in t]
            others = [x for x in fresh if x != title]
            title = hb.edit_headline(rng, title) if rng.random() < 0.5 else rng.choice(others)
        else:
            title, body = hb.swap_names(title), [hb.swap_names(p) for p in body]
        return title, self.with_footers(outlet, body)

    def flash_pair(self) -> None:
        rng = self.rng
        outlet = hb.OUTLETS[rng.choices(list(OUTLET_WEIGHTS), OUTLET_WEIGHTS.values())[0]]
        coin, form, tail = rng.choice(list(hardtext.COINS)), rng.randrange(4), rng.randrange(3)
        lead, foot = rng.random() < 0.5, hb.footers(rng, outlet, rng.choice((0, 1)))
        first = self.when()
        second = first + timedelta(hours=rng.randint(1, 20 * 24))
        pair: list[dict] = []
        for when in (first, second):
            while True:
                slots = hardtext.flash_slots(rng, coin, when.date())
                other = pair and slots["level"] == pair[0]["figures"][0]
                if not other and self.fresh(("flash", coin, slots["level"], slots["date"])):
                    break
            slots["time"] = f"{when.hour}:{when.minute:02d}"
            title, body = hardtext.flash(form, tail, slots)
            if lead:
                body[0] = outlet.lead_ins[0] + body[0]
            pair.append(self.page(outlet.name, title, body + foot, when, self.story(), "flash",
                                  names=[coin], figures=[slots["level"], slots["price"]]))
        _twins(*pair)

    def sibling_pair(self) -> None:
        rng = self.rng
        outlet = hb.OUTLETS[rng.choices(list(OUTLET_WEIGHTS), OUTLET_WEIGHTS.values())[0]]
        when, *events = self.siblings()
        voice, length, fork = rng.choice("ab"), self.length(), rng.random()
        foot = hb.footers(rng, outlet, rng.choice((0, 2)))
        pair = []
        for n, facts in enumerate(events):
            title, body = hardtext.compose(random.Random(fork), facts, voice, length)
            pair.append(self.page(outlet.name, title, body + foot, when + timedelta(minutes=37 * n),
                                  self.story(), "sibling", names=facts.names,
                                  figures=facts.figures))
        _twins(*pair)


def _twins(first: dict, second: dict) -> None:
    """Point the two pages of a flash or sibling pair at each other (``twin``)."""
    first["twin"], second["twin"] = second["url"], first["url"]


def _other(voice: str) -> str:
    """The voice a retelling of a text in ``voice`` is written in."""
    return "b" if voice == "a" else "a"


def _mentioned(things: list[str], text: str) -> list[str]:
    """The facts a page states (names compared in either spelling)."""
    text = hb.swap_names(text)
    return [t for t in things if hb.swap_names(t) in text]


def _eligible(cls: str, original: dict) -> bool:
    if cls in ("reprint_lead", "reprint_title"):
        return original["page"]["cls"] != "column"
    if cls == "alias":
        return original["page"]["cls"] != "column" and original["alias"]
    return True


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(title: str, paragraphs: list[str], wide: bool) -> tuple[str, list[str]]:
    convert = _s2t().convert
    title, paragraphs = convert(title), [convert(p) for p in paragraphs]
    if wide:
        title, paragraphs = hb.full_width(title), [hb.full_width(p) for p in paragraphs]
    return title, paragraphs


def build(seed: int = 1, size: int = 600) -> list[dict]:
    """``size`` pages with their truth, in publication order (deterministic for a seed)."""
    want = counts(size)
    b = _Builder(seed)
    for cls in ORIGINALS:
        for _ in range(want[cls]):
            b.original(cls)
    for cls in COPIES:
        for _ in range(want[cls]):
            b.copy(cls)
    for _ in range(want["flash"] // 2):
        b.flash_pair()
    for _ in range(want["sibling"] // 2):
        b.sibling_pair()
    return sorted(b.pages, key=lambda p: (p["published_at"], p["url"]))


def main(argv: list[str] | None = None) -> int:
    """``python -m mirror.hardcases``: write the set's WARC file and its truth (JSON)."""
    parser = argparse.ArgumentParser(prog="python -m mirror.hardcases",
                                     description="Write the hard-case set as a WARC file "
                                     "and its story truth as JSON.")
    parser.add_argument("--warc", type=Path, required=True, help="WARC file to write")
    parser.add_argument("--truth", type=Path, required=True, help="truth JSON file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=600, help="pages (at least 100)")
    args = parser.parse_args(argv)
    if args.size < 100:
        print(f"error: --size {args.size} is too small; every class needs pages (>= 100)",
              file=sys.stderr)
        return 2
    built = build(args.seed, args.size)
    parts = [args.warc.with_name(args.warc.name + ".part"),
             args.truth.with_name(args.truth.name + ".part")]
    try:  # both files or neither
        hardcases_warc.write_warc(built, parts[0])
        parts[1].write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        parts[0].replace(args.warc)
        parts[1].replace(args.truth)
    except OSError as exc:
        for part in parts:
            part.unlink(missing_ok=True)
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    stories = len({p["story"] for p in built})
    print(f"wrote {len(built)} pages ({stories} stories) to {args.warc}, truth to {args.truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
