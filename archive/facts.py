"""The facts a news text states: its figures with units and the named things it is about.

Pure functions on folded text (archive.fold). Two texts in different words about the same
event (a retelling at another outlet) share few shingles but the same facts: the same
companies, projects, people and tickers, the same amounts and percentages. Two price
flashes that differ only in a figure share every name but not the figure.

- A **figure** is a number with a unit (万/亿 magnitudes, 美元/USDT/BTC/%, ...), its value
  normalised (``1.2 亿美元`` and ``12000 万美元`` are both ``120000000 美元``), so another
  outlet's way of writing the amount still matches.
- A **name** is a Latin-script word that is not common vocabulary (project, company,
  ticker: ``arbitrum``, ``a16z``), a canonical name from the alias table (``百度``), or a
  title in corner or book quotes (「…」《…》; “…” marks emphasis as often as a
  name, so it is not read).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from archive.fold import canonical_names

_MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3,
              "billion": 1e9, "million": 1e6, "bn": 1e9, "b": 1e9, "m": 1e6, "k": 1e3}
_UNIT = {"美元": "usd", "美金": "usd", "usd": "usd", "$": "usd", "泰达币": "usdt",
         "usdc": "usdc", "比特币": "btc", "以太坊": "eth", "元": "cny", "人民币": "cny",
         "港元": "hkd", "%": "%", "个百分点": "pt", "亿元": "cny"}
"""Units written several ways, to one spelling; any other unit (条, 天, 名, 枚...) is kept."""
_NUMBER = r"(\d+(?:\.\d+)?)"
_FIGURE = re.compile(
    r"(\$)?\s*" + _NUMBER + r"\s*(万亿|千万|百万|亿|万|千|billion|million|bn|b|m|k)?(?![a-z])\s*"
    r"(美元|美金|usdc|usd|泰达币|比特币|以太坊|人民币|港元|亿元|元|%|个百分点|个交易日|个月|"
    r"名用户|万名|倍|枚|名|人|家|台|笔|个|条|天|次|款|项|份|期|轮|位|座|张|届|小时|分钟|秒)?")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})\s*年(?!\s*\d)")
_ORG = re.compile(r"[\u4e00-\u9fff]{2}(?:委员会|交易所|基金会|证监会|管理局|监管局|银行|集团|资本|"
                  r"实验室|研究院|协会)")
_WORD = r"[a-z][a-z0-9]*(?:[.\-][a-z0-9]+)*"
_LATIN = re.compile(rf"(?<![a-z0-9]){_WORD}(?:[ ·]{_WORD})*(?![a-z0-9])")
_QUOTED = re.compile(r"[「《]([^」》]{2,16})[」》]")


def common_words() -> frozenset[str]:
    """Latin-script words that are not names, from ``archive/data/common_words.txt``."""
    return _words("common_words.txt")


def figures(text: str) -> frozenset[str]:
    """The figures of a folded text that carry a unit or a magnitude, values normalised,
    and its dates (``3 月 1 日`` is ``d3-1``, a year alone ``y2026``)."""
    out = set()
    text = text.replace(",", "")
    for _year, month, day, alone in _DATE.findall(text):
        out.add(f"y{alone}" if alone else f"d{int(month)}-{int(day)}")
    for dollar, number, magnitude, unit in _FIGURE.findall(_DATE.sub(" ", text)):
        if not (dollar or magnitude or unit):
            continue
        value = float(number) * _MAGNITUDE.get(magnitude or "", 1.0)
        if unit == "亿元":
            value, unit = value * 1e8, "元"
        name = "usd" if dollar and not unit else _UNIT.get(unit, unit)
        out.add(f"{value:.6g}{name}")
    return frozenset(out)


def names(text: str, quoted: bool = True) -> tuple[str, ...]:
    """The named things of a folded text, in order of first mention: Latin-script names
    (runs of words such as ``multicoin capital``, common words trimmed), known names,
    and (``quoted``) titles in corner or book quotes."""
    found: dict[str, int] = {}
    for m in _LATIN.finditer(text):
        name = _trim(m.group(0).split(" "))
        if len(name) >= 2 and name not in common_words():
            found.setdefault(name, m.start())
    for m in _known_pattern().finditer(text):
        found.setdefault(m.group(0), m.start())
    for m in _ORG.finditer(text):
        found.setdefault(m.group(0), m.start())
    for m in _QUOTED.finditer(text) if quoted else ():
        found.setdefault(m.group(1).strip(), m.start())
    return tuple(sorted(found, key=lambda n: (found[n], n)))


def subject(found: tuple[str, ...]) -> str | None:
    """The first of a text's names that is not a place (who the news is about)."""
    places = _words("places.txt")
    return next((n for n in found if n not in places), None)


def _trim(words: list[str]) -> str:
    while words and words[0] in common_words():
        words = words[1:]
    while words and words[-1] in common_words():
        words = words[:-1]
    return " ".join(words)


@functools.cache
def _known_cjk() -> tuple[str, ...]:
    """The CJK names of the alias table, ``archive/data/names.txt`` and the places of
    ``archive/data/places.txt``."""
    listed = _words("places.txt") | _words("names.txt")
    return tuple(sorted(listed | {n for n in canonical_names() if not n.isascii()}))


@functools.cache
def _known_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_known_cjk(), key=len, reverse=True))))


@functools.cache
def _words(name: str) -> frozenset[str]:
    text = resources.files("archive").joinpath("data", name).read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())
