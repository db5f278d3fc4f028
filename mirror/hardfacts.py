"""The facts of one hard-case news event: who, what figures, which day (pure data draws).

A ``Facts`` holds the slot values its templates (``mirror.hardtext``) fill, and says which
of them are named things (companies, projects, people, tickers) and which are figures
with units: a retelling by another outlet must keep both. Funding rounds, exploits and
unlocks are told of invented projects (``textgen.project_name``); real companies appear
only in neutral roles (launches, partnerships, listings, fund flows). ``ALIASES`` pairs a
name with its other spelling (百度/Baidu, 比特币/BTC), which copies of a story swap.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date

from . import textgen, vocab

ALIASES = {
    "百度": "Baidu", "英伟达": "Nvidia", "阿里巴巴": "Alibaba", "腾讯": "Tencent",
    "微软": "Microsoft", "谷歌": "Google", "亚马逊": "Amazon", "华为": "Huawei",
    "小米": "Xiaomi", "比特币": "BTC", "以太坊": "ETH", "币安": "Binance", "火币": "Huobi",
    "贝莱德": "BlackRock", "富达": "Fidelity", "灰度": "Grayscale",
}
"""Chinese name -> the Latin name the same company or coin also goes by."""

KINDS = ("financing", "listing", "hack", "unlock", "model", "regulation", "etf", "partnership")
WEIGHTS = (20, 14, 10, 8, 16, 10, 10, 12)

USES = ("扩充研发团队", "推进主网上线", "拓展亚太市场", "完善合规体系", "建设开发者生态",
        "升级零知识证明基础设施", "扩大节点网络规模")
ZONES = ("创新区", "主板区", "现货专区", "种子区")
VECTORS = ("价格预言机被操纵", "管理员私钥泄露", "合约存在重入漏洞", "跨链桥签名验证存在缺陷",
           "闪电贷配合治理攻击", "前端域名遭劫持")
TOPICS = ("稳定币发行", "虚拟资产交易平台牌照", "数字资产托管", "加密货币广告推广",
          "代币化证券试点", "链上反洗钱报告")
SCOPES = ("跨境支付结算", "AI 算力租赁", "链上身份认证", "数字藏品发行", "企业级钱包服务",
          "开发者云服务")
AI_MAKERS = ("百度", "阿里巴巴", "腾讯", "华为", "小米", "微软", "谷歌", "亚马逊", "英伟达",
             "智谱 AI", "百川智能", "月之暗面", "MiniMax", "零一万物")
PARTNER_MAKERS = ("百度", "阿里巴巴", "腾讯", "微软", "谷歌", "亚马逊", "华为", "英伟达",
                  "Visa", "PayPal", "万事达卡", "Stripe")
LIST_EXCHANGES = ("币安", "OKX", "Coinbase", "Kraken", "Bitget", "Bybit", "火币", "Gate.io",
                  "KuCoin", "Upbit")
ISSUERS = ("贝莱德", "富达", "灰度", "方舟投资", "景顺", "富兰克林邓普顿")


@dataclass
class Facts:
    """One event: its kind, day, slot values, and which slots are names and figures."""

    kind: str
    day: date  # the event's day
    slots: dict[str, str]
    name_keys: tuple[str, ...] = ()
    figure_keys: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        """The named things the event is about (companies, projects, tickers...)."""
        return [self.slots[k] for k in self.name_keys]

    @property
    def figures(self) -> list[str]:
        """Its figures with their units, and its date."""
        return [self.slots[k] for k in self.figure_keys]


def _wan(rng: random.Random, low: int, high: int, step: int = 50) -> str:
    """A round amount in 万 (``1,250 万``) or, above 10,000 万, in 亿 (``2.5 亿``)."""
    value = rng.randrange(low, high, step)
    if value >= 10000:
        return f"{value / 10000:g} 亿"
    return f"{value:,} 万"


def _ticker(rng: random.Random) -> str:
    """An invented ticker of three or four capitals (never one of the real ones)."""
    while True:
        ticker = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice((3, 4))))
        if ticker not in vocab.TOKENS:
            return ticker


def _pct(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.1f}%"


def _financing(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    vcs = rng.sample(vocab.VCS, 3)
    s = {"proj": textgen.project_name(rng), "round": rng.choice(vocab.ROUNDS),
         "amt": _wan(rng, 300, 30000) + "美元", "lead_vc": vcs[0], "co1": vcs[1], "co2": vcs[2],
         "val": _wan(rng, 20000, 200000, 1000) + "美元", "sector": rng.choice(vocab.SECTORS),
         "use": rng.choice(USES), "staff": str(rng.randint(12, 180))}
    return s, ["proj", "lead_vc", "co1", "co2"], ["amt", "val"]


def _listing(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    token = _ticker(rng)
    s = {"ex": rng.choice(LIST_EXCHANGES), "token": token, "proj": textgen.project_name(rng),
         "pair": f"{token}/USDT", "time": f"{rng.randint(10, 22)}:00",
         "zone": rng.choice(ZONES), "supply": _wan(rng, 50000, 500000, 5000) + "枚",
         "pct": _pct(rng, 1, 15), "chain": rng.choice(vocab.CHAINS)}
    return s, ["proj", "token", "ex"], ["time", "supply", "pct"]


def _hack(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    s = {"proj": textgen.project_name(rng), "chain": rng.choice(vocab.CHAINS),
         "loss": _wan(rng, 80, 12000, 10) + "美元", "firm": rng.choice(vocab.SECURITY_FIRMS),
         "vector": rng.choice(VECTORS), "pct": _pct(rng, 5, 60),
         "eth": f"{rng.randint(120, 9000):,} 枚 ETH", "bounty": f"{rng.choice((5, 10, 15, 20))}%"}
    return s, ["proj", "firm"], ["loss", "eth", "bounty"]


def _unlock(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    s = {"proj": textgen.project_name(rng), "token": _ticker(rng),
         "units": _wan(rng, 500, 90000, 100) + "枚", "pct": _pct(rng, 0.5, 12),
         "value": _wan(rng, 100, 40000, 10) + "美元", "who": rng.choice(
             ("早期投资者", "核心团队", "生态基金", "社区激励池"))}
    return s, ["proj", "token"], ["units", "pct", "value"]


def _model(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    s = {"co": rng.choice(AI_MAKERS),
         "model": rng.choice(vocab.MODEL_HEADS) + rng.choice(vocab.MODEL_TAILS),
         "params": f"{rng.choice((70, 130, 340, 720, 1750, 3000))} 亿",
         "ctx": f"{rng.choice((3.2, 6.4, 12.8, 20, 100))} 万 token", "score": _pct(rng, 70, 95),
         "cut": f"{rng.choice((30, 50, 60, 75, 80, 90))}%", "gpu": rng.choice(vocab.CHIPMAKERS)}
    return s, ["co", "model"], ["params", "ctx", "score", "cut"]


def _regulation(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    s = {"reg": rng.choice(vocab.REGULATORS), "topic": rng.choice(TOPICS),
         "n": f"{rng.randint(8, 46)} 条", "days": f"{rng.choice((30, 45, 60, 90))} 天",
         "cap": _wan(rng, 500, 50000, 500) + "美元", "city": rng.choice(vocab.GLOBAL_CITIES)}
    return s, ["reg", "city"], ["n", "days", "cap"]


def _etf(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    issuers = rng.sample(ISSUERS, 2)
    s = {"asset": rng.choice(("比特币", "比特币", "以太坊")), "flow": _wan(rng, 2000, 90000, 100)
         + "美元", "dir": rng.choice(("净流入", "净流出")), "issuer": issuers[0],
         "issuer2": issuers[1], "iflow": _wan(rng, 500, 30000, 100) + "美元",
         "aum": f"{rng.randint(80, 1100)} 亿美元", "streak": f"{rng.randint(2, 12)} 个交易日"}
    return s, ["asset", "issuer", "issuer2"], ["flow", "iflow", "aum", "streak"]


def _partnership(rng: random.Random) -> tuple[dict[str, str], list[str], list[str]]:
    s = {"co": rng.choice(PARTNER_MAKERS), "partner": textgen.project_name(rng),
         "scope": rng.choice(SCOPES), "region": rng.choice(vocab.GLOBAL_CITIES),
         "users": _wan(rng, 50, 5000, 10) + "名用户", "year": f"{rng.choice((2025, 2026))} 年"}
    return s, ["partner", "co", "region"], ["users", "year"]


_DRAWS = {"financing": _financing, "listing": _listing, "hack": _hack, "unlock": _unlock,
          "model": _model, "regulation": _regulation, "etf": _etf, "partnership": _partnership}


def draw(rng: random.Random, day: date, kind: str | None = None) -> Facts:
    """The facts of a new event on ``day`` (of ``kind``, or one drawn by weight)."""
    kind = kind or rng.choices(KINDS, WEIGHTS)[0]
    slots, names, figures = _DRAWS[kind](rng)
    slots["date"] = f"{day.month} 月 {day.day} 日"
    return Facts(kind, day, slots, tuple(names), (*figures, "date"))


IDENTITY = {"financing": ("proj", "round"), "listing": ("ex", "token"), "hack": ("proj", "date"),
            "unlock": ("proj", "date"), "model": ("co", "model"),
            "regulation": ("reg", "topic", "date"), "etf": ("asset", "date"),
            "partnership": ("co", "partner")}
"""What makes an event itself: two events that agree on these would be one event."""


def identity(facts: Facts) -> tuple[str, ...]:
    """The event's identity (its kind and ``IDENTITY`` slots)."""
    return (facts.kind, *(facts.slots[k] for k in IDENTITY[facts.kind]))


SUBJECT = {"financing": ("proj",), "listing": ("proj", "token", "pair"), "hack": ("proj",),
           "unlock": ("proj", "token"), "model": ("co", "model"), "regulation": ("reg",),
           "etf": ("asset", "issuer", "issuer2"), "partnership": ("partner",)}
"""The slots a template sibling changes: who the event is about (its figures change too)."""


def sibling(rng: random.Random, facts: Facts) -> Facts:
    """The same kind of event on the same day told of another company or project, with
    its own figures; every other slot (investors, exchange, sector...) kept."""
    subject = SUBJECT[facts.kind]
    while True:
        other = draw(rng, facts.day, facts.kind)
        if other.slots[subject[0]] != facts.slots[subject[0]]:
            break
    keep = {k: v for k, v in facts.slots.items()
            if k not in subject and k not in facts.figure_keys}
    return Facts(facts.kind, facts.day, {**other.slots, **keep}, facts.name_keys,
                 facts.figure_keys)
