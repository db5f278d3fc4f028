"""The generic rules on small pages written for each rule (crawler/parsers/generic_*.py)."""

from __future__ import annotations

import pytest

from crawler.parsers import parse_page
from crawler.parsers.generic_date import byline_reading
from crawler.parsers.generic_title import strip_site_suffix
from crawler.sites import BEIJING

URL = "https://news.example.cn/a/1.html"
PROSE = "正文第一句话讲的是一件事情的来龙去脉，" * 8


@pytest.mark.parametrize("title, expected", [
    ("法国全国大罢工再次严重影响交通-新华网", "法国全国大罢工再次严重影响交通"),
    ("交通运输部：打造综合立体交通网络-股票频道-和讯网", "交通运输部：打造综合立体交通网络"),
    ("中国人习以为常的地方 为何老外却说“了不得”？|公园_新浪新闻",
     "中国人习以为常的地方 为何老外却说“了不得”？"),
    ("共享充电宝涨价告别1元时代_10%公司_澎湃新闻-The Paper", "共享充电宝涨价告别1元时代"),
    ("山西品牌丝路行正式启动 - 山西省人民政府门户网站", "山西品牌丝路行正式启动"),
    ("标题 - Example", "标题"),
    ("1-10月德清县固定资产投资结构趋稳趋优", "1-10月德清县固定资产投资结构趋稳趋优"),
    ("独家|某某公司今日上市", "独家|某某公司今日上市"),
    ("棱镜|数据业大整顿：爬虫与现金贷共生共荣", "棱镜|数据业大整顿：爬虫与现金贷共生共荣"),
    ("_只有后缀", "_只有后缀"),
])
def test_site_suffix_learnt_from_the_title_pattern(title, expected):
    assert strip_site_suffix(title) == expected


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_a_logo_h1_never_wins_over_the_headline_the_title_holds():
    html = _page("<title>新政落地 市场回暖_财经_新浪网</title>",
                 "<div class='logo'><h1>新闻中心</h1></div><div class='main'>"
                 f"<h1>新政落地 市场回暖</h1><p>{PROSE}</p></div>")
    record = parse_page(html, URL)
    assert (record.title, record.title_source) == ("新政落地 市场回暖", "h1")


def test_a_truncated_og_title_loses_to_the_full_h1():
    html = _page('<title>龙湖集团"暗伤"曝露？_网易财经</title>'
                 "<meta property='og:title' content='龙湖集团'>",
                 f'<h1>龙湖集团"暗伤"曝露？</h1><p>{PROSE}</p>')
    assert parse_page(html, URL).title == '龙湖集团"暗伤"曝露？'


def test_without_a_matching_element_the_title_less_its_suffix():
    html = _page("<title>一则没有标题元素的新闻-某某网</title>", f"<div><p>{PROSE}</p></div>")
    record = parse_page(html, URL)
    assert (record.title, record.title_source) == ("一则没有标题元素的新闻", "title")


def test_text_broken_by_br_is_the_article_not_a_widget():
    lines = "<br>".join(f"第{n}段，{PROSE}" for n in range(3))
    html = _page("<title>标题_澎湃新闻</title>",
                 "<div class='news_about'><p>澎湃新闻记者 张三</p><p>2020-06-06 10:08</p></div>"
                 f"<div class='news_txt'>{lines}</div>"
                 "<div class='footer'><p>Copyright 2014-2020 上海东方报业有限公司</p></div>")
    record = parse_page(html, URL)
    assert record.text.startswith("第0段，") and len(record.text.splitlines()) == 3
    assert record.text_source == "generic"


def test_hidden_keyword_stuffing_is_not_the_article():
    stuffing = "关键词 " * 400
    html = _page("<title>标题-某网</title>",
                 f"<div style='display:none'>{stuffing}</div><div><p>{PROSE}</p></div>")
    assert parse_page(html, URL).text == PROSE


def test_the_byline_under_the_headline_gives_the_date_not_a_comment():
    lines = ["首页 > 新闻", "某某新闻标题", "2019-09-07 13:43:45 来源: 新京报", PROSE[:90],
             "网友甲 2019-09-08 10:00:00"]
    reading = byline_reading(lines, "某某新闻标题", BEIJING)
    assert (reading.value, reading.source) == ("2019-09-07T05:43:45Z", "byline")


def test_a_labelled_date_anywhere_when_no_headline_line_is_found():
    lines = ["导航", PROSE, "发布日期：2016-11-22 浏览次数："]
    assert byline_reading(lines, "不在页面上的标题", BEIJING).value == "2016-11-22"


def test_a_relative_byline_waits_for_the_capture_time():
    reading = byline_reading(["标题", "3小时前 来源：某报"], "标题", BEIJING)
    assert reading.value is None and reading.needs_anchor


def test_a_date_inside_prose_is_not_the_byline():
    assert byline_reading(["标题", "2014年8月22日，" + PROSE], "标题", BEIJING) is None


def test_htmldate_answers_when_our_rules_find_none():
    html = _page("<title>标题-某网</title><meta itemprop='dateUpdate' "
                 "content='2019-10-08 12:00:57'>", f"<h1>标题</h1><div><p>{PROSE}</p></div>")
    record = parse_page(html, URL)
    assert (record.published_at, record.published_source) == ("2019-10-08T04:00:57Z",
                                                              "htmldate")
