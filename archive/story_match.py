"""Whether two texts are one story: three routes, each with the vetoes its errors need.

Pure functions. A ``Side`` is what the story index knows of one text at placement time:
its content units (boilerplate the archive learned is already dropped), its lead, its
figures and names (archive.facts) and its publication time. ``decide`` scores a pair
(0.0: not one story); the story index joins the best-scoring candidate's story.

1. **Lead** (score 2 + Jaccard): the leads' shingles agree at ``LEAD`` or more, with the
   same figures and no replaced name (archive.lead_compare). Reprints, edited headlines,
   digest items summarising an article.
2. **Body** (score 1 + containment): the shorter content's shingles lie in the longer
   one's at ``BODY`` or more (a reprint whose first paragraph was rewritten), when the
   first paragraphs are related (alike leads, or a shared name or figure), unless the
   figures or names disagree or the shorter text is quoted inside the longer one.
3. **Facts** (score 0.5): different words, the same facts: the same named things and
   figures (amounts with units), published within ``DAYS`` of each other. A retelling
   at another outlet.

Vetoes (for the lead route, on the first paragraphs' facts; for the body route, on the
whole texts'; the facts route has its own): figures **disagree** when both texts state
figures and fewer than two thirds of the smaller set are in the other (two price
flashes that differ only in the price); names disagree when each text's subject (its
first name that is not a place) is missing from the other, or each names something the
other does not and they share less than three quarters of the smaller set (template news
told of another company).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from archive.facts import figures as fact_figures
from archive.facts import names as fact_names
from archive.facts import subject
from archive.lead_compare import compare, lead_jaccard, names_differ, shingle_set

LEAD = 0.9
"""Lead Jaccard at or above which two leads are one story (docs/benchmarks.md curve)."""
BODY = 0.6
"""Share of the shorter content's shingles found in the longer one."""
SIBLING = 0.3
"""Leads this alike that differ in a name are one template told of two subjects."""
CORE = 300
"""Characters of content whose facts a retelling must restate."""
DAYS = 2.0
"""A retelling is published within this many days of the text it retells."""
MIN_BODY = 80
"""Contents with fewer shingles than this are too short for the body route (a short item
is all lead: the lead route decides it)."""
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT = re.compile(r"^[dy]?[\d.e+\-]+")
"""What a figure string starts with before its unit (archive.facts: ``1.2e+08usd``)."""
_SPANS = ("小时", "分钟", "秒", "天", "个月", "个交易日", "期", "轮", "届", "次")
"""Units of a span of time or a count of rounds: "24 小时" is said of every market move, it
identifies no event."""


@dataclass(frozen=True)
class Side:
    """One text as the story index compares it."""

    content: str
    """Content units joined (learned boilerplate dropped)."""
    lead: str
    cut: bool
    figures: frozenset[str]
    names: frozenset[str]
    published: datetime | None
    subject: str | None = None
    """The first name the text mentions that is not a place."""
    first: str | None = None
    """The first paragraph of the content (None: the Side is one already)."""

    @property
    def opening(self) -> Side:
        """The first paragraph's facts, as a Side (they veto the lead route: the rest of
        a text may be commentary another copy does not carry)."""
        return self if self.first is None else facts_side(self.first)

    @property
    def core(self) -> Side:
        """The facts of the first ``CORE`` characters of the content (the facts route)."""
        return self if self.first is None else facts_side(self.content[:CORE])


@functools.lru_cache(maxsize=65536)
def facts_side(text: str) -> Side:
    """The facts of a stretch of compact text as a Side (a title in quotes is left out: a
    column's introduction names the column)."""
    names = fact_names(text, quoted=False)
    return Side(text, "", False, fact_figures(text), frozenset(names), None, subject(names))


def decide(a: Side, b: Side) -> float:
    """How surely ``a`` and ``b`` are one story: 2+ lead, 1+ body, 0.5 facts, 0 not."""
    # Each route's cheap measure first, its vetoes only when the measure is reached.
    if a.lead and b.lead and lead_jaccard(a.lead, b.lead) >= LEAD \
            and not _vetoed(a.opening, b.opening):
        value = compare(a.lead, b.lead, a.cut, b.cut, floor=LEAD)
        if value >= LEAD:
            return 2.0 + value
    value = containment(a.content, b.content)
    if value >= BODY and not _vetoed(a, b) and openings_related(a, b) \
            and not template_sibling(a, b) and not numbers_disagree(a.content, b.content) \
            and not embedded(a, b):
        return 1.0 + value
    return 0.5 if retelling(a, b) else 0.0


def _vetoed(a: Side, b: Side) -> bool:
    return figures_disagree(a, b) or names_disagree(a, b)


def containment(a: str, b: str) -> float:
    """Share of the smaller shingle set found in the other (0.0 for short contents)."""
    sa, sb = shingle_set(a), shingle_set(b)
    small = min(len(sa), len(sb))
    if small < MIN_BODY:
        return 0.0
    return len(sa & sb) / small


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / min(|a|, |b|) (1.0 when either is empty)."""
    if not a or not b:
        return 1.0
    return len(a & b) / min(len(a), len(b))


def figures_disagree(a: Side, b: Side) -> bool:
    """Both state figures and fewer than two thirds of the smaller set are in the other."""
    return overlap(a.figures, b.figures) < 2 / 3


def shared_names(a: Side, b: Side) -> set[str]:
    """The names of either text that the other one's content states too (names read from
    compact text may run into the next word: ``novafinanceb``)."""
    return {n for n in a.names if n in b.content} | {n for n in b.names if n in a.content}


def _subjects_differ(a: Side, b: Side) -> bool:
    return bool(a.subject and b.subject and a.subject not in b.content
                and b.subject not in a.content)


def names_disagree(a: Side, b: Side) -> bool:
    """Each names what the other does not (sharing less than three quarters of the
    smaller set), or each one's subject is missing from the other."""
    if _subjects_differ(a, b):
        return True
    return bool(a.names - b.names and b.names - a.names) and overlap(a.names, b.names) < 0.75


def numbers_disagree(a: str, b: str) -> bool:
    """Whether fewer than half of the numbers of the text with fewer are in the other."""
    return overlap(frozenset(_NUMBER.findall(a)), frozenset(_NUMBER.findall(b))) < 0.5


def openings_related(a: Side, b: Side) -> bool:
    """Whether the first paragraphs are about the same thing: alike leads, or a name or a
    figure in common (two commentaries on one topic share their body and neither)."""
    if a.lead and b.lead and lead_jaccard(a.lead, b.lead) >= SIBLING:
        return True
    oa, ob = a.opening, b.opening
    return bool(oa.names & ob.names or oa.figures & ob.figures)


def embedded(a: Side, b: Side) -> bool:
    """Whether the shorter text's lead is inside the longer one but not its opening: the
    longer text tells another story and quotes this one (a copy whose first paragraph
    was rewritten carries neither lead)."""
    short, long = (a, b) if len(a.content) <= len(b.content) else (b, a)
    return bool(short.lead) and long.content.find(short.lead) > 0


def template_sibling(a: Side, b: Side) -> bool:
    """Alike leads that differ in a name: one template told of two subjects. Whole leads
    are compared unless the window cut one (then both are cut to the shorter)."""
    if not a.lead or not b.lead or lead_jaccard(a.lead, b.lead) < SIBLING:
        return False
    if not (a.cut or b.cut):
        return names_differ(a.lead, b.lead)
    n = min(len(a.lead), len(b.lead))
    return names_differ(a.lead[:n], b.lead[:n], True)


def retelling(a: Side, b: Side) -> bool:
    """The same facts in other words, close in time: the facts of the texts' cores (their
    first ``CORE`` characters of content: what a retelling restates; background and
    commentary further down differ) share an amount and a name, and another figure or
    name; half the smaller set of figures and of names; no unit where they disagree; the
    subject."""
    if not _close(a.published, b.published) or not (a.figures & b.figures):
        return False  # a core's figures are some of its text's
    ca, cb = a.core, b.core
    figures, names = ca.figures & cb.figures, shared_names(ca, cb)
    amounts = {f for f in figures if not f.startswith(("d", "y")) and not f.endswith(_SPANS)}
    if not amounts or not names or (len(figures) < 2 and len(names) < 2):
        return False
    if overlap(ca.figures, cb.figures) < 0.5 or len(names) < 0.5 * min(len(ca.names),
                                                                        len(cb.names)):
        return False
    return not (units_conflict(ca.figures, cb.figures) or _subjects_differ(ca, cb)
                or _subjects_differ(a.opening, b.opening))


def units_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether both state figures in one unit (美元, 枚, a date) and none of them agree: two
    price flashes, or one event's figures on two days. Percentages do not count: a text's
    commentary quotes some of its own."""
    by_unit: dict[str, list[set[str]]] = {}
    for side, figures in ((0, a), (1, b)):
        for figure in figures:
            by_unit.setdefault(_UNIT.sub("", figure), [set(), set()])[side].add(figure)
    return any(x and y and not x & y for unit, (x, y) in by_unit.items() if unit != "%")


def _close(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return True
    return abs((a - b).total_seconds()) <= DAYS * 86400
