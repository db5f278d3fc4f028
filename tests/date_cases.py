"""The table of date texts our sources write, with the value each must read to.

Shared by tests/test_dates.py (the reader must get every case right) and bench/dates.py
(the reader against dateparser on the same table). A case is
``(text, anchor, zone, value, precision)``; ``value`` None means the text must give no value.
Expected values are written out, or computed here by plain arithmetic (an anchor minus N
minutes; a Beijing wall time minus eight hours), never by the reader under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple


class Case(NamedTuple):
    text: str | int | float
    anchor: str | None
    zone: str
    value: str | None
    precision: str | None


BJ = "Asia/Shanghai"
ANCHOR = "2023-03-08T02:00:00Z"  # 2023-03-08 10:00 in Beijing
ANCHOR_DAY = "2023-03-08"


def _utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, offset: int = 8) -> str:
    moment = datetime(y, mo, d, h, mi, s) - timedelta(hours=offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _minus(anchor: str, **delta: int) -> str:
    moment = datetime.fromisoformat(anchor.replace("Z", "+00:00")) - timedelta(**delta)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_FULL = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}
"""ASCII to full width (``２０２３－０３－０７``): how some pages write dates."""
_MOMENTS = [(2023, 3, 7, 10, 34), (2019, 3, 19, 11, 8), (2024, 1, 1, 0, 2),
            (2023, 12, 31, 23, 59), (2024, 2, 29, 7, 0), (2020, 6, 15, 3, 5),
            (2023, 7, 1, 8, 0), (2023, 11, 5, 1, 30)]  # around US DST changes: no shift here


def _absolute() -> list[Case]:
    cases = []
    for y, mo, d, h, mi in _MOMENTS:
        for sep in "-/.":
            cases.append(Case(f"{y}{sep}{mo:02d}{sep}{d:02d} {h:02d}:{mi:02d}", None, BJ,
                              _utc(y, mo, d, h, mi), "minute"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:17", None, BJ,
                          _utc(y, mo, d, h, mi, 17), "second"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d}", None, BJ, f"{y}-{mo:02d}-{d:02d}", "day"))
        cases.append(Case(f"{y}.{mo:02d}.{d:02d}", None, BJ, f"{y}-{mo:02d}-{d:02d}", "day"))
        cases.append(Case(f"{y}年{mo}月{d}日", None, BJ, f"{y}-{mo:02d}-{d:02d}", "day"))
        cases.append(Case(f"{y} 年 {mo} 月 {d} 日 {h}:{mi:02d}", None, BJ,
                          _utc(y, mo, d, h, mi), "minute"))
        cases.append(Case(f"{y}年{mo}月{d}日{h:02d}:{mi:02d}", None, BJ,
                          _utc(y, mo, d, h, mi), "minute"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00+08:00", None, BJ,
                          _utc(y, mo, d, h, mi), "second"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z", None, BJ,
                          _utc(y, mo, d, h, mi, offset=0), "second"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00.000-05:00", None, BJ,
                          _utc(y, mo, d, h, mi, offset=-5), "second"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}", None, "UTC",
                          _utc(y, mo, d, h, mi, offset=0), "minute"))
        cases.append(Case(f"据报道，{y}年{mo}月{d}日 {h}:{mi:02d} 发布", None, BJ,
                          _utc(y, mo, d, h, mi), "minute"))
        full = f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}".translate(_FULL)
        cases.append(Case(full, None, BJ, _utc(y, mo, d, h, mi), "minute"))
        next_day = (datetime(y, mo, d) + timedelta(days=1)).strftime("%Y-%m-%d")
        cases.append(Case(f"{mo} 月 {d} 日 {h}:{mi:02d}", next_day, BJ,
                          _utc(y, mo, d, h, mi), "minute"))
        cases.append(Case(f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}", None, "Asia/Tokyo",
                          _utc(y, mo, d, h, mi, offset=9), "minute"))
    return cases


def _fixed() -> list[Case]:
    """Written out one by one: the issue's forms, full width, sentences, unix, English."""
    rows = [
        ("3月7日", ANCHOR, "2023-03-07", "day"), ("3 月 7 日", ANCHOR, "2023-03-07", "day"),
        ("3 月 7 日 14:00", ANCHOR, _utc(2023, 3, 7, 14), "minute"),
        ("3月7日 14:00", ANCHOR, _utc(2023, 3, 7, 14), "minute"),
        ("03-07 10:34", ANCHOR, _utc(2023, 3, 7, 10, 34), "minute"),
        ("12-31 23:10", "2024-01-01T04:00:00Z", _utc(2023, 12, 31, 23, 10), "minute"),
        ("01-02 08:00", "2023-12-30T04:00:00Z", _utc(2024, 1, 2, 8), "minute"),
        # a bare time lands on the day that puts it closest to the anchor (issue 17)
        ("10:34", ANCHOR, _utc(2023, 3, 8, 10, 34), "minute"),
        ("10:34", "2023-03-07T16:30:00Z", _utc(2023, 3, 8, 10, 34), "minute"),  # 00:30 there
        ("23:50", "2023-03-07T16:10:00Z", _utc(2023, 3, 7, 23, 50), "minute"),
        ("00:10", "2023-03-08T15:50:00Z", _utc(2023, 3, 9, 0, 10), "minute"),
        ("09:15", ANCHOR, _utc(2023, 3, 8, 9, 15), "minute"),
        ("00:00", ANCHOR, _utc(2023, 3, 8, 0, 0), "minute"),
        ("刚刚", ANCHOR, ANCHOR, "minute"),
        ("昨天 10:20", ANCHOR, _utc(2023, 3, 7, 10, 20), "minute"),
        ("昨天", ANCHOR, "2023-03-07", "day"), ("前天", ANCHOR, "2023-03-06", "day"),
        ("今天 08:00", ANCHOR, _utc(2023, 3, 8, 8), "minute"),
        ("今天", ANCHOR, "2023-03-08", "day"),
        ("前天 23:59", ANCHOR, _utc(2023, 3, 6, 23, 59), "minute"),
        ("昨天 10:00", "2024-05-19T20:00:00Z", _utc(2024, 5, 19, 10), "minute"),  # Beijing day
        ("昨天", "2024-03-01T03:00:00Z", "2024-02-29", "day"),
        ("昨天", "2023-03-01T03:00:00Z", "2023-02-28", "day"),
        ("昨天", "2023-01-01T03:00:00Z", "2022-12-31", "day"),
        ("1天前", "2023-01-01T03:00:00Z", "2022-12-31", "day"),
        ("3天前", ANCHOR, "2023-03-05", "day"), ("2周前", ANCHOR, "2023-02-22", "day"),
        ("3个月前", ANCHOR, "2022-12", "month"), ("2023年3月", None, "2023-03", "month"),
        ("昨天", ANCHOR_DAY, "2023-03-07", "day"),
        ("２０２３年３月７日", None, "2023-03-07", "day"),
        ("２０２３－０３－０７ １０：３４", None, _utc(2023, 3, 7, 10, 34), "minute"),
        ("３ 月 ７ 日", ANCHOR, "2023-03-07", "day"), ("３小时前", ANCHOR, _minus(ANCHOR, hours=3),
                                                     "hour"),
        ("１０：３４", ANCHOR, _utc(2023, 3, 8, 10, 34), "minute"),
        ("据福布斯 3 月 7 日报道", ANCHOR, "2023-03-07", "day"),
        ("据新浪科技 3月6日消息，OKX 宣布", ANCHOR, "2023-03-06", "day"),
        ("当地时间 3 月 6 日，美国证监会", ANCHOR, "2023-03-06", "day"),
        ("kyle 2018-01-19 11:32发布在 比特币 13721", None, _utc(2018, 1, 19, 11, 32), "minute"),
        ("kyle 3小时前 发布在 比特币 1234", ANCHOR, _minus(ANCHOR, hours=3), "hour"),
        ("发布于 2024年5月20日 10:00", None, _utc(2024, 5, 20, 10), "minute"),
        ("该协议将于 2023 年 4 月 1 日上线主网", None, "2023-04-01", "day"),
        ("Foresight News 消息，2023-03-07 10:34 起暂停充值", None, _utc(2023, 3, 7, 10, 34),
         "minute"),
        ("下午 3:30", "2023-03-08T09:00:00Z", _utc(2023, 3, 8, 15, 30), "minute"),
        ("2023年3月7日 下午3:30", None, _utc(2023, 3, 7, 15, 30), "minute"),
        ("2023年3月7日 上午10:30", None, _utc(2023, 3, 7, 10, 30), "minute"),
        ("2023年3月7号", None, "2023-03-07", "day"),
        (1678156440, None, _utc(2023, 3, 7, 10, 34), "second"),
        ("1678156440", None, _utc(2023, 3, 7, 10, 34), "second"),
        (1678156440000, None, _utc(2023, 3, 7, 10, 34), "second"),
        ("1678156440000", None, _utc(2023, 3, 7, 10, 34), "second"),
        (1678156440.5, None, _utc(2023, 3, 7, 10, 34), "second"),
        ("1691749304171", None, "2023-08-11T10:21:44Z", "second"),
        ("2024-03-01T12:30:00.123456Z", None, "2024-03-01T12:30:00Z", "second"),
        ("2024-11-13T10:00:00+0800", None, "2024-11-13T02:00:00Z", "second"),
        ("2024-11-13T10:00:00", None, "2024-11-13T02:00:00Z", "second"),
        ("  2024-11-13 10:00  ", None, "2024-11-13T02:00:00Z", "minute"),
        ("2024-11-13 10:00 UTC", None, "2024-11-13T10:00:00Z", "minute"),
        ("March 7, 2023 10:34 AM", None, _utc(2023, 3, 7, 10, 34), "minute"),
        ("March 7, 2023", None, "2023-03-07", "day"), ("7 Mar 2023", None, "2023-03-07", "day"),
        ("Tue, 07 Mar 2023 02:34:00 GMT", None, "2023-03-07T02:34:00Z", "second"),
        ("Mar 7, 2023 2:34 PM EST", None, "2023-03-07T19:34:00Z", "minute"),
        ("Mar 7", ANCHOR, "2023-03-07", "day"), ("Dec 30", "2023-01-02", "2022-12-30", "day"),
        ("March 2023", None, "2023-03", "month"),
        ("Feb 29, 2024", None, "2024-02-29", "day"),
        ("2099-01-01 00:00", None, _utc(2099, 1, 1), "minute"),  # the future reads; judged later
        ("昨日", ANCHOR, "2023-03-07", "day"),
        ("今日 09:00", ANCHOR, _utc(2023, 3, 8, 9), "minute"),
    ]
    return [Case(text, anchor, BJ, value, precision) for text, anchor, value, precision in rows]


def _clock_words() -> list[Case]:
    """Issue 17: the clock vocabulary in both scripts, day names, half units, compound and
    Traditional relative forms, English dates inside a sentence."""
    rows = [
        ("2016年06月30日09时30分", None, _utc(2016, 6, 30, 9, 30), "minute"),
        ("2016年3月20日 21時40分", None, _utc(2016, 3, 20, 21, 40), "minute"),
        ("2016年3月20日(日) 21時40分", None, _utc(2016, 3, 20, 21, 40), "minute"),
        ("2023年3月7日（星期二）10:34", None, _utc(2023, 3, 7, 10, 34), "minute"),
        ("2023年3月7日 星期二 10:34", None, _utc(2023, 3, 7, 10, 34), "minute"),
        ("2023年3月7日 週二", None, "2023-03-07", "day"),
        ("2015年04月08日10点05", None, _utc(2015, 4, 8, 10, 5), "minute"),
        ("2015年04月08日10點05分", None, _utc(2015, 4, 8, 10, 5), "minute"),
        ("2023年3月7日 10点半", None, _utc(2023, 3, 7, 10, 30), "minute"),
        ("2023年3月7日晚8:00", None, _utc(2023, 3, 7, 20), "minute"),
        ("2023年3月7日 晚上8点", None, _utc(2023, 3, 7, 20), "hour"),
        ("2023年3月7日 凌晨1點", None, _utc(2023, 3, 7, 1), "hour"),
        ("2023年3月7日 中午12:30", None, _utc(2023, 3, 7, 12, 30), "minute"),
        ("2023年3月7日 中午1点", None, _utc(2023, 3, 7, 13), "hour"),
        ("2023年3月7日 早上7:05", None, _utc(2023, 3, 7, 7, 5), "minute"),
        ("2023年3月7日 下午3時15分20秒", None, _utc(2023, 3, 7, 15, 15, 20), "second"),
        ("2023年3月7號 下午3點15分", None, _utc(2023, 3, 7, 15, 15), "minute"),
        ("3月7日 晚上9點", ANCHOR, _utc(2023, 3, 7, 21), "hour"),
        ("昨天 下午3点", ANCHOR, _utc(2023, 3, 7, 15), "hour"),
        ("2016年6月29", None, "2016-06-29", "day"),
        ("下午3:30", "2023-03-07T04:00:00Z", _utc(2023, 3, 7, 15, 30), "minute"),
        ("凌晨3:30", "2023-03-07T04:00:00Z", _utc(2023, 3, 7, 3, 30), "minute"),
        ("5 分鐘前", ANCHOR, _minus(ANCHOR, minutes=5), "minute"),
        ("5分前", ANCHOR, _minus(ANCHOR, minutes=5), "minute"),
        ("3小時前", ANCHOR, _minus(ANCHOR, hours=3), "hour"),
        ("3個小時前", ANCHOR, _minus(ANCHOR, hours=3), "hour"),
        ("20秒鐘前", ANCHOR, _minus(ANCHOR, seconds=20), "second"),
        ("半小时前", ANCHOR, _minus(ANCHOR, minutes=30), "minute"),
        ("半個小時前", ANCHOR, _minus(ANCHOR, minutes=30), "minute"),
        ("1个半小时前", ANCHOR, _minus(ANCHOR, minutes=90), "minute"),
        ("半天前", ANCHOR, _minus(ANCHOR, hours=12), "hour"),
        ("约23小时前", ANCHOR, _minus(ANCHOR, hours=23), "hour"),
        ("12 個月前", ANCHOR, "2022-03", "month"), ("上個月", ANCHOR, "2023-02", "month"),
        ("上个月", "2023-01-15", "2022-12", "month"), ("1年2个月前", ANCHOR, "2022-01", "month"),
        ("2年前", ANCHOR, "2021-03-08", "day"), ("2 年前", "2024-02-29", "2022-02-28", "day"),
        ("3週前", ANCHOR, "2023-02-15", "day"), ("2個星期前", ANCHOR, "2023-02-22", "day"),
        ("1年，1月，1周，1天，1小时，1分钟前", ANCHOR, _utc(2022, 1, 31, 8, 59), "minute"),
        ("剛剛", ANCHOR, ANCHOR, "minute"),
        ("Published on March 7, 2023", None, "2023-03-07", "day"),
        ("Updated Tue, 7 Mar 2023 10:34 AM CST by staff", None, _utc(2023, 3, 7, 10, 34),
         "minute"),
        ("first seen on the 7th of March 2023", None, "2023-03-07", "day"),
        ("3月前完成", ANCHOR, None, None), ("1年2个月", ANCHOR, None, None),
        ("7天后", ANCHOR, None, None), ("中午", ANCHOR, None, None), ("2016年6月2911:30", None,
                                                                     None, None),
    ]
    return [Case(text, anchor, BJ, value, precision) for text, anchor, value, precision in rows]


def _rollover() -> list[Case]:
    """A date without a year takes the year nearest its anchor, across year ends both ways."""
    rows = [
        ("12 月 30 日", "2023-01-02", "2022-12-30"), ("12 月 31 日", "2024-01-01", "2023-12-31"),
        ("1 月 2 日", "2023-12-30", "2024-01-02"), ("1 月 1 日", "2023-12-31", "2024-01-01"),
        ("3 月 7 日", "2024-01-01", "2024-03-07"), ("7 月 2 日", "2024-01-01", "2023-07-02"),
        ("7 月 3 日", "2024-01-01", "2023-07-03"), ("6 月 30 日", "2024-01-01", "2024-06-30"),
        ("7 月 1 日", "2024-01-01", "2024-07-01"),
        ("2 月 29 日", "2024-03-01", "2024-02-29"), ("12 月 25 日", "2024-01-10", "2023-12-25"),
        ("1 月 5 日", "2022-12-20", "2023-01-05"), ("11 月 30 日", "2023-02-01", "2022-11-30"),
    ]
    cases = [Case(t, a, BJ, v, "day") for t, a, v in rows]
    cases += [Case(t.replace(" ", ""), a, BJ, v, "day") for t, a, v in rows]
    # the anchor is an instant: its Beijing day decides (2023-12-31T17:00Z is 01-01 there)
    cases.append(Case("12 月 31 日", "2023-12-31T17:00:00Z", BJ, "2023-12-31", "day"))
    cases.append(Case("1 月 1 日", "2023-12-31T17:00:00Z", BJ, "2024-01-01", "day"))
    return cases


def _relative() -> list[Case]:
    cases = []
    for n in (1, 2, 5, 10, 30, 59, 90, 600):
        cases.append(Case(f"{n}秒前", ANCHOR, BJ, _minus(ANCHOR, seconds=n), "second"))
        cases.append(Case(f"{n}分钟前", ANCHOR, BJ, _minus(ANCHOR, minutes=n), "minute"))
        cases.append(Case(f"{n} 小时前", ANCHOR, BJ, _minus(ANCHOR, hours=n), "hour"))
    for n in (1, 2, 3, 7, 8, 31, 365, 366):
        day = (datetime(2023, 3, 8) - timedelta(days=n)).strftime("%Y-%m-%d")
        cases.append(Case(f"{n}天前", ANCHOR, BJ, day, "day"))
    return cases


_JUNK = [
    "2023-02-29", "2023-02-29 10:00", "2023-13-01", "2024-01-01 25:00", "2024-01-01 10:61",
    "2023年2月29日", "2023年2月30日 10:00", "2 月 30 日", "13 月 1 日", "", "   ", "abc",
    "12345", "20230307", "N分钟前", "阅读 6588", "hello world", "未知时间", "3 月", "明天见",
    "2024-01-01T10:00:00+25:00", "Mayday", "00:61", "24:00", "99:99", "0", "-5", "2023",
    "据 Thebigwhale 报道", "价格上涨 24 小时", "第 3 天", "2023年13月1日",
    "2023-00-10", "2023-04-31", "0000-01-01", "2023/02/29 08:00", "１２：９９",
]


def _junk() -> list[Case]:
    cases = [Case(t, ANCHOR, BJ, None, None) for t in _JUNK]
    cases += [Case(t, None, BJ, None, None) for t in ("刚刚", "3小时前", "昨天", "3 月 7 日",
                                                      "10:34", "2天前", "Mar 7")]
    cases.append(Case("2 月 29 日", "2023-03-01", BJ, None, None))  # nearest year not leap
    return cases


CASES: list[Case] = _absolute() + _fixed() + _clock_words() + _rollover() + _relative() + _junk()
