"""Image URLs in each site's real shapes (sites.md §1 and §3), from a seeded generator.

- 8btc until 2021: ``https://cdn.8btc.com/wp-content/uploads/YYYY/MM/{14 digits}.jpg``
- 8btc from 2022: ``https://appserversrc.8btc.cn/...`` (two shapes seen in the 2024 sample)
- Foresight: ``https://img.foresightnews.pro/YYYYMM/{name}.{ext}?x-oss-process=style/{style}``
"""

from __future__ import annotations

import random
import string
from datetime import date

_B64ISH = string.ascii_letters + string.digits + "-_"


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def eightbtc_old(rng: random.Random, day: date) -> str:
    """A WordPress-era upload (2019 markup)."""
    stamp = f"{day:%Y%m%d}{rng.randint(0, 235959):06d}{rng.randint(1000, 9999)}"
    return f"https://cdn.8btc.com/wp-content/uploads/{day:%Y/%m}/{stamp}.jpg"


def eightbtc_new(rng: random.Random, day: date) -> str:
    """An ``appserversrc.8btc.cn`` image (2024 markup)."""
    token = "F" + "".join(rng.choice(_B64ISH) for _ in range(27))
    if rng.random() < 0.5:
        return f"https://appserversrc.8btc.cn/{token}"
    folder = _hex(rng, 32).upper()
    stamp = rng.randint(10**12, 2 * 10**12)
    return f"https://appserversrc.8btc.cn/upload/{folder}/{stamp}/{token}.png"


def eightbtc_image(rng: random.Random, day: date) -> str:
    """The image shape 8btc used on a given day."""
    return eightbtc_old(rng, day) if day.year < 2022 else eightbtc_new(rng, day)


def foresight_image(rng: random.Random, day: date, style: str = "scale70", ext: str = "") -> str:
    """An ``img.foresightnews.pro`` URL with its OSS style query."""
    ext = ext or rng.choice(("png", "png", "jpeg", "gif"))
    name = (
        _hex(rng, 32)
        if rng.random() < 0.6
        else f"{rng.randint(1, 99)}-{rng.randint(10**12, 2 * 10**12)}"
    )
    return f"https://img.foresightnews.pro/{day:%Y%m}/{name}.{ext}?x-oss-process=style/{style}"


def site_image(rng: random.Random, site: str, day: date) -> str:
    """A body image for a page of ``site`` ('8btc' or 'foresight') published on ``day``."""
    return eightbtc_image(rng, day) if site == "8btc" else foresight_image(rng, day)
