"""Unit tests of the parser building blocks: dates, the lines model, digest rules, decoding,
error typing, and the package's import hygiene."""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from crawler.items import Article
from crawler.parsers import (
    BadPayload,
    MissingField,
    PageNotFound,
    WrongKind,
    parse_8btc_listing,
    parse_foresight_listing,
    parse_page,
    to_output,
)
from crawler.parsers.dates import beijing_date, from_unix
from crawler.parsers.digest import attribution, is_digest, is_social, strip_book_title
from crawler.parsers.document import decode_bytes
from crawler.parsers.text import Line, content_lines, extract_lines

PARSERS_DIR = Path(__file__).resolve().parent.parent / "crawler" / "parsers"


# --- dates -----------------------------------------------------------------------------------

# The reader itself is tested case by case in tests/test_dates.py.

def test_from_unix_rejects_non_numbers():
    assert from_unix("16917x9304") is None
    assert from_unix(None) is None
    assert from_unix(1691749304.5) == "2023-08-11T10:21:44Z"



def test_beijing_date():
    assert beijing_date("2023-03-07T16:02:00Z") == date(2023, 3, 8)
    assert beijing_date(None) is None
    assert beijing_date("garbage") is None


# --- lines -----------------------------------------------------------------------------------

def lines_of(html: str) -> list[Line]:
    return extract_lines(lxml.html.fragment_fromstring(html, create_parent="div"))


def texts_of(html: str) -> list[str]:
    return [ln.text for ln in lines_of(html) if ln.text]


def test_whitespace_collapse_keeps_spaces_inside_chinese():
    assert texts_of("<p>  3 月 7 日消息，\n   近日\u3000美国\xa0专利 </p>") == [
        "3 月 7 日消息， 近日 美国 专利"]


def test_br_splits_lines_and_inline_adds_no_space():
    assert texts_of("<p>a<br>b<br/><br>c</p>") == ["a", "b", "c"]
    assert texts_of("<p>foo<strong>bar</strong><a href='x'>baz</a><em>!</em></p>") == [
        "foobarbaz!"]


def test_div_with_direct_text_and_nested_blocks():
    assert texts_of("<div>intro<p>para</p>tail <span>end</span></div>") == [
        "intro", "para", "tail end"]


def test_entities_scripts_and_comments():
    assert texts_of("<p>A&amp;B&nbsp;C<!-- hidden --><script>var x=1;</script>"
                    "<style>p{}</style>&lt;D&gt;</p>") == ["A&B C<D>"]


def test_line_flags():
    head, text, heading, link, image, caption = lines_of(
        "<p><strong>Head</strong> </p><p><strong>Head</strong>。</p><h3>Sub</h3>"
        "<p><a href='https://a.example.com/1'>阅读原文</a></p><p><img src='x.png'></p>"
        "<figure><img src='y.png'><figcaption>cap</figcaption></figure>")[:6]
    assert head.bold and not text.bold
    assert heading.heading == 3
    assert link.links == ("https://a.example.com/1",) and link.link_only
    assert image.image_only and image.text == ""
    assert caption.image_only  # the figure's image run
    assert lines_of("<figure><figcaption>cap</figcaption></figure>")[0].figcaption


def test_pre_is_one_collapsed_line():
    assert texts_of("<pre>a\n  b</pre>") == ["a b"]


def test_boilerplate_dropped():
    lines = lines_of(
        "<p>图片来源：由无界 AI 生成</p><p>原文:https://x.example.com</p><p>原文链接 https://y.example.com</p><p>正文</p>"
        "<figure><figcaption>图注</figcaption></figure><p>作者：z</p><p>本文由作者授权</p>"
        "<p>责任编辑：a</p><p>免责声明：b</p><p>风险提示：c</p><p>第二段</p>")
    assert content_lines(lines) == ["正文", "第二段"]


# --- digest rules ----------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("3 月 7 日，据新浪科技报道，微软公司将", "新浪科技"),
    ("据福布斯 3 月 7 日报道，美国证券交易委员会", "福布斯"),
    ("据 Thebigwhale 报道，电商巨头亚马逊", "Thebigwhale"),
    ("据报道，英伟达将于", None),
    ("据报道称，英伟达将于", None),
    ("据悉，据彭博社消息，多家银行", "彭博社"),
    ("据了解，该项目", None),
    ("3 月 7 日消息，近日。据新浪科技报道", None),      # not in the first sentence
    ("据 The Block 披露，以太坊", "The Block"),
    ("据外媒援引知情人士", "外媒"),
    ("据2023 年 12 月 29 日的 CoinDesk 称", "CoinDesk"),
    ("援引路透社报道，OpenAI 正在", "路透社"),
    ("彭博社援引知情人士称", None),
    ("美联储官员援引路透社的消息称", "路透社"),
    ("据路透社的报道，英伟达", "路透社"),
    ("3 月 7 日，OKX 宣布上线", None),
    ("OKX 宣布，据其公告", None),
    ("据彭博社消息，多家银行", "彭博社"),
    ("据新浪科技报道，微软", "新浪科技"),
])
def test_attribution(line, expected):
    assert attribution(line) == expected


def test_strip_book_title():
    assert strip_book_title("《姚前：ChatGPT》") == "姚前：ChatGPT"
    assert strip_book_title("《A》与《B》") == "《A》与《B》"
    assert strip_book_title("无书名号") == "无书名号"


def test_is_digest_needs_two_markers():
    def make(*texts: str) -> list[Line]:
        return [Line(text=t) for t in texts]
    assert is_digest(make("摘要：x", "热点资讯"))
    assert is_digest(make("热点资讯", "AI 荐读"))
    assert is_digest(make("摘要:x", "元宇宙荐读"))
    assert not is_digest(make("摘要：x"))
    assert not is_digest(make("摘要 x", "这是一个超过十二个字的很长的行资讯"))


def test_social_lines():
    assert is_social(Line(text="中文推特：https://twitter.com/8BTC_OFFICIAL"))
    assert is_social(Line(text="Discord", links=("https://discord.gg/defidao",)))
    assert is_social(Line(text="微信：8btc2014"))
    assert not is_social(Line(text="微信上线 AI 助手", bold=True))
    long_prose = ("3 月 7 日，据马斯克推特，特斯拉将在年内推出新的自动驾驶功能，"
                  "该功能将首先在北美地区上线，随后逐步推广至其他市场和地区。")
    assert not is_social(Line(text=long_prose, links=("https://twitter.com/elonmusk",)))


# --- whole pages: small cases ----------------------------------------------------------------

def test_empty_inputs_are_missing_field():
    for empty in ("", b"", "   \n", "<html></html>", "<html><body></body></html>"):
        with pytest.raises(MissingField):
            parse_page(empty, "https://www.8btc.com/article/1")


@pytest.mark.parametrize("body", [
    '{"code": 1, "data": "x"}', b'[{"id": 1}]', "just some text without markup",
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
    b"\x00\x01\x02binary\x00",
])
def test_not_html_is_wrong_kind(body):
    with pytest.raises(WrongKind):
        parse_page(body, "https://foresightnews.pro/article/detail/1")


def test_bytes_use_declared_charset():
    html = ('<html><head><meta charset="gbk"><title>标题</title></head>'
            "<body><p>中文正文</p></body></html>")
    article = parse_page(html.encode("gbk"), "https://news.example.com/a")
    assert (article.title, article.text) == ("标题", "中文正文")


def test_bytes_bom_undeclared_and_xml_declaration():
    body = ("<html><head><title>标题</title></head>"
            "<body><article><p>正文</p></article></body></html>")
    for data in (b"\xef\xbb\xbf" + body.encode(), body.encode(), body.encode("gb18030")):
        assert parse_page(data, "https://news.example.com/a").text == "正文"
    xml_decl = '<?xml version="1.0" encoding="utf-8"?>' + body
    assert parse_page(xml_decl, "https://news.example.com/a").text == "正文"


def test_undecodable_bytes_are_never_silent(caplog):
    body = ("<html><head><meta charset='utf-8'><title>标题</title></head><body><p>"
            + "正文" * 200 + "</p></body></html>").encode()
    broken = body.replace("正".encode(), b"\xff\xfe\xfd", 1)
    with caplog.at_level(logging.WARNING):
        text = decode_bytes(broken)
    assert "\ufffd" in text and "U+FFFD" in caplog.text
    with pytest.raises(WrongKind):
        decode_bytes(b"<p>" + bytes(range(128, 256)) * 20)


def test_404_in_article_text_is_not_not_found():
    html = ("<html><head><title>x</title></head><body>"
            "<div class='main__header'><h1>标题</h1></div><div class='bbt-html'>"
            "<p>比特币跌至 40400 美元，服务器返回 404 错误。</p></div></body></html>")
    assert parse_page(html, "https://www.8btc.com/article/5").text.startswith("比特币")


def test_generic_not_found_page():
    html = ("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
            "<p>The requested URL was not found on this server.</p></body></html>")
    with pytest.raises(PageNotFound):
        parse_page(html, "https://news.example.com/missing")


def test_generic_site_is_host_name():
    html = "<html><head><title>T</title></head><body><article><p>Body</p></article></body></html>"
    article = parse_page(html, "https://News.Example.com/a/1")
    assert article.site == "news.example.com" and article.site_id is None
    assert article.title == "T"


def test_title_suffix_removed_only_from_title_tag():
    html = ("<html><head><title>标题_巴比特_服务于区块链创新者</title></head>"
            "<body><div class='bbt-html'><p>正文</p></div></body></html>")
    assert parse_page(html, "https://www.8btc.com/article/7").title == "标题"


def test_digest_without_date_has_no_event_year():
    html = ("<html><head><title>日报</title></head><body><div class='detail-body'>"
            "<p>摘要：x</p><p>热点资讯</p><p><strong>标题</strong></p><p>3 月 7 日消息，正文。</p>"
            "</div></body></html>")
    digest = parse_page(html, "https://foresightnews.pro/article/detail/9")
    assert digest.published_at is None
    assert digest.items[0].event_date is None and digest.items[0].event_date_raw == "3 月 7 日"


def test_to_output_rejects_other_objects():
    with pytest.raises(TypeError):
        to_output({"kind": "article"})  # type: ignore[arg-type]


def test_to_output_article_absent_values():
    article = Article(url="u", canonical_url="u", site="s", site_id=None, title="t", author="",
                      published_raw=None, published_at=None, summary="", text="x")
    out = to_output(article)
    assert out["author"] is None and out["summary"] is None and out["tags"] == []


# --- listings: direct edge cases -------------------------------------------------------------

def test_listing_errors_carry_reasons():
    for body, parser in ((b"", parse_foresight_listing), ("[]", parse_foresight_listing),
                         ('{"code": 1}', parse_foresight_listing),
                         (b"\xff\xfe", parse_8btc_listing), ("[1, 2]", parse_8btc_listing)):
        with pytest.raises(BadPayload) as caught:
            parser(body, "https://example.invalid/list")
        assert str(caught.value).strip()


def test_foresight_listing_accepts_str_and_code_string():
    body = ('{"code": "1", "msg": "ok", '
            '"data": {"list": [{"id": 5, "title": "t", "published_at": 0}]}}')
    [entry] = parse_foresight_listing(body, "https://api.foresightnews.pro/v1/articles")
    assert entry.url == "https://foresightnews.pro/article/detail/5" and entry.published_at is None


# --- hygiene ---------------------------------------------------------------------------------

def test_parsers_import_neither_scrapy_nor_archive():
    code = ("import sys, crawler.parsers; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('scrapy', 'twisted', 'archive', 'pipelines') or m.startswith('mirror') "
            "or m.startswith('crawler.spiders')); print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"


FORBIDDEN_MODULES = ("scrapy", "twisted", "archive", "pipelines", "mirror",
                     "crawler.spiders", "requests", "urllib.request", "http", "socket", "time")


@pytest.mark.parametrize("path", sorted(PARSERS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_parser_sources_are_pure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            assert not name.startswith(FORBIDDEN_MODULES), f"{path.name} imports {name}"
        if isinstance(node, ast.ExceptHandler):
            assert node.type is not None, f"bare except in {path.name}"
            assert not (isinstance(node.type, ast.Name) and node.type.id in (
                "Exception", "BaseException")), f"catch-all except in {path.name}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("now", "today", "utcnow"), f"clock read in {path.name}"


# --- digest state machine on small pages -----------------------------------------------------

def digest_of(body: str, when: str = "2023-03-08 00:02"):
    html = (f"<html><head><title>日报 - Foresight News</title></head><body>"
            f"<div class='topic'>日报</div><div class='topic-time'>{when}</div>"
            f"<div class='detail-body'>{body}</div></body></html>")
    return parse_page(html, "https://foresightnews.pro/article/detail/77")


def test_recommendation_link_forms():
    digest = digest_of(
        "<p>摘要：</p><p>今日摘要在下一行。</p><p>元宇宙荐读</p>"
        "<p><strong>《甲》</strong></p><p>甲的简介。</p><p>阅读原文：https://www.8btc.com/article/1</p>"
        "<p><strong><a href='/article/2'>《乙》</a></strong></p><p>乙的简介。</p>"
        "<p><strong><a href='https://www.8btc.com/article/3'>《丙》</a></strong></p>"
        "<p><strong>《丁》</strong></p><p>丁的简介见<a href='https://m.8btc.com/article/4'>这里</a>。</p>"
        "<p><strong><a href='https://www.8btc.com/park'>巴比特园区开放合作啦！</a></strong></p>"
        "<p><img src='https://x/park.png'></p><p><img src='https://x/park2.png'></p>")
    assert digest.summary == "今日摘要在下一行。"
    recs = [(r.title, r.url, r.blurb, r.canonical_url) for r in digest.recommendations]
    assert recs == [
        ("甲", "https://www.8btc.com/article/1", "甲的简介。", "https://www.8btc.com/article/1"),
        ("乙", "https://foresightnews.pro/article/2", "乙的简介。",
         "https://foresightnews.pro/article/2"),
        ("丙", "https://www.8btc.com/article/3", None, "https://www.8btc.com/article/3"),
        ("丁", "https://m.8btc.com/article/4", "丁的简介见这里。", "https://www.8btc.com/article/4"),
    ]


@pytest.mark.parametrize("page_url, head, href, expected", [
    ("https://www.8btc.com/article/1", "", "/article/7182377",
     "https://www.8btc.com/article/7182377"),
    ("https://www.8btc.com/article/1", "", "7182377", "https://www.8btc.com/article/7182377"),
    ("https://www.8btc.com/a/b/1", "", "../c/2", "https://www.8btc.com/a/c/2"),
    ("https://www.8btc.com/article/1", "", "//m.8btc.com/article/5",
     "https://m.8btc.com/article/5"),
    ("https://www.8btc.com/article/1", "<base href='https://foresightnews.pro/x/'>", "y/9",
     "https://foresightnews.pro/x/y/9"),
    ("https://www.8btc.com/article/1", "<base href='javascript:void(0)'>", "/article/3",
     "https://www.8btc.com/article/3"),
])
def test_relative_links_resolve_against_the_page_url(page_url, head, href, expected):
    html = (f"<html><head>{head}<title>日报</title></head><body><h1>日报</h1>"
            "<div class='bbt-html'><p>摘要：x</p><p>元宇宙荐读</p>"
            f"<p><strong><a href='{href}'>《乙》</a></strong></p><p>乙的简介。</p>"
            f"<p><img src='{href}.png'></p></div></body></html>")
    rec = parse_page(html, page_url).recommendations[0]
    assert rec.url == expected
    article = parse_page(html.replace("元宇宙荐读", "正文" * 60), page_url)
    assert article.images == (expected + ".png",)


def test_news_footer_by_headline_and_prose_mentioning_wechat():
    wechat = ("3 月 7 日消息，腾讯宣布微信将接入大模型能力，用户可在聊天中直接调用 AI 助手，"
              "该功能将首先向部分用户开放测试，随后逐步推广。")
    digest = digest_of(
        "<p>摘要：x</p><p>热点资讯</p>"
        f"<p><strong>微信接入大模型</strong></p><p>{wechat}</p>"
        "<p><strong>第二条</strong></p><p>3 月 6 日，第二条正文。</p>"
        "<p><strong>扫码加入社群</strong></p><p><a href='https://x.example/join'>点击加入</a></p>"
        "<p><strong>不会被读到</strong></p><p>3 月 5 日，页脚之后的正文。</p>")
    assert [i.headline for i in digest.items] == ["微信接入大模型", "第二条"]
    assert [i.event_date for i in digest.items] == ["2023-03-07", "2023-03-06"]


def test_social_line_starts_the_footer():
    digest = digest_of(
        "<p>热点资讯</p><p><strong>一</strong></p><p>3 月 7 日，正文一。</p>"
        "<p>关注我们的推特与电报</p>"
        "<p><strong>二</strong></p><p>3 月 7 日，正文二。</p><p>AI 荐读</p>")
    assert [i.headline for i in digest.items] == ["一"]


def test_8btc_headerless_article_mentioning_404_in_title_is_an_article():
    html = ("<html><head><title>比特币连涨 404 天？_巴比特_服务于区块链创新者</title></head><body>"
            "<div class='bbt-html'><p>正文。</p></div></body></html>")
    assert parse_page(html, "https://www.8btc.com/article/8").title == "比特币连涨 404 天？"


def test_not_found_page_with_a_long_footer():
    footer = ("Foresight News 是一家专注于 Web3 与加密行业的资讯媒体，"
              "提供快讯、深度文章、专栏与活动日历等内容服务。")
    html = ("<html><head><title>Foresight News</title></head><body>"
            "<div class='el-header'><a href='/'>首页</a></div>"
            "<div class='empty'><h2>页面不存在</h2><a href='/'>返回首页</a></div>"
            f"<div class='site-footer'><p>{footer}</p></div></body></html>")
    with pytest.raises(PageNotFound):
        parse_page(html, "https://foresightnews.pro/article/detail/404404")


def test_credit_line_ending_in_zixun_is_not_a_section_label():
    page = ("<html><head><title>一篇文章</title></head><body><h1>一篇文章</h1><article>"
            "<p>摘要：这是文章的摘要。</p><p>来源：巴比特资讯</p>"
            "<p>正文第一段，讲的是比特币。</p></article></body></html>")
    record = parse_page(page, "https://news.example.com/a/2")
    assert isinstance(record, Article)
    assert record.text.splitlines()[-1] == "正文第一段，讲的是比特币。"


def test_traditional_script_boilerplate_is_dropped():
    lines = extract_lines(lxml.html.fromstring(
        "<div><p>正文。</p><p>圖片來源：pexels</p><p>免責聲明：本文不構成投資建議。</p></div>"))
    assert content_lines(lines) == ["正文。"]


def test_generic_article_header_footer_and_repeated_title_are_not_text():
    page = ("<html><head><title>标题 - Example</title></head><body><article>"
            "<header><h1>标题</h1><p class='byline'>记者 张三 2024-05-20</p></header>"
            "<h2>标题</h2><p>第一段。</p><p>第二段。</p>"
            "<footer><a href='/share'>分享到微博</a></footer></article></body></html>")
    record = parse_page(page, "https://news.example.com/a/3")
    assert record.title == "标题"
    assert record.text == "第一段。\n第二段。"
