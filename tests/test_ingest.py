"""Behavioural tests for the ingest stage: formats, metadata, boilerplate removal and bad input."""
from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from kg.ingest import read
from kg.models import Article, IngestError

EXAMPLE = Path("/work/shared/examples/zh-microsoft-capex-2025-02-25.txt")

ENGLISH_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Nvidia unveils new AI chip | Example Tech News</title>
<meta property="og:title" content="Nvidia unveils Blackwell Ultra AI chip">
<meta property="og:site_name" content="Example Tech News">
<meta property="article:published_time" content="2025-03-18T09:30:00Z">
<link rel="canonical" href="https://news.example.com/2025/03/18/nvidia-blackwell-ultra">
</head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies</p></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Tech</a></li><li><a href="/login">Log in</a></li></ul></nav>
<main><article>
<h1>Nvidia unveils Blackwell Ultra AI chip</h1>
<p class="byline">By Jane Doe</p>
<p>Nvidia on Tuesday unveiled its Blackwell Ultra chip at its annual developer conference in San Jose,
California, promising faster training for large language models.</p>
<p>Chief executive Jensen Huang said the company expects demand from cloud providers such as Microsoft,
Amazon and Google to remain strong through next year.</p>
<p>Shares of Nvidia fell 3.4% after the announcement, as investors weighed the cost of the new systems.</p>
</article>
<aside><h2>Related articles</h2><ul>
<li><a href="/a">AMD launches new GPU for data centres</a></li>
<li><a href="/b">Intel names new chief executive</a></li>
</ul></aside>
</main>
<footer><p>Copyright © 2025 Example Tech News. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a> | <a href="/contact">Contact</a> | <a href="/about">About</a></p>
</footer></body></html>
"""

SIMPLIFIED_TEXT = """首页 > 科技 > 正文
阿里巴巴发布新一代通义千问大模型
2025年3月6日 10:30 来源:新浪科技
阿里巴巴周四发布了新一代通义千问大模型，称其推理能力已经接近国际领先水平。
公司表示，新模型将通过阿里云向企业客户开放，并计划在今年内推出更多开源版本。
分享到：微信 微博
"""

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example feed</title>
<item>
  <title>Apple opens new research centre in Shanghai</title>
  <link>https://example.com/apple-shanghai</link>
  <pubDate>Tue, 25 Feb 2025 08:00:00 GMT</pubDate>
  <description>&lt;p&gt;Apple said on Tuesday it would open a new research centre in Shanghai, its largest in Asia.&lt;/p&gt;</description>
</item>
<item>
  <title>三星电子公布季度业绩</title>
  <link>https://example.com/samsung-q4</link>
  <pubDate>Wed, 26 Feb 2025 08:00:00 GMT</pubDate>
  <content:encoded><![CDATA[<p>三星电子周三公布季度业绩，营业利润同比增长百分之十二。</p><p>公司表示，存储芯片需求强劲。</p>]]></content:encoded>
</item>
</channel></rss>
"""


def read_all(*inputs) -> list[Article | IngestError]:
    return list(read(str(item) for item in inputs))


def read_one_article(path: Path) -> Article:
    [result] = read_all(path)
    assert isinstance(result, Article), result
    return result


@pytest.fixture(scope="module")
def example() -> Article:
    return read_one_article(EXAMPLE)


def test_example_metadata(example):
    assert example.title == "微軟回應大砍算力AI傳聞"
    assert example.published == dt.date(2025, 2, 25)
    assert example.outlet == "網易"
    assert (example.language, example.script) == ("zh", "Hant")
    assert example.id.startswith("sha256:") and len(example.id) == len("sha256:") + 16


def test_example_text_starts_with_headline_and_dek_and_keeps_body(example):
    lines = example.text.split("\n")
    assert lines[0] == "微軟回應大砍算力AI傳聞"
    assert lines[2] == "堅持超800億美元資本支出,但某些領域可能調整"
    assert lines[4].startswith("本周一,微軟重申")
    assert example.text.endswith("而中小玩家聚焦差異化部署和成本優化。")
    assert "微軟砍掉兩大數據中心,AI資本狂潮退潮?" in lines
    for kept in ("微軟也承認可能會進行策略性調整。公司發言人表示:", "周一,微軟股價一度跌1%。", "Digital Realty Trust"):
        assert kept in example.text


def test_short_article_lines_survive_the_filter(tmp_path):
    path = tmp_path / "short-lines.txt"
    lines = [
        "微軟回應大砍算力AI傳聞",
        "微軟周一重申將堅持其800多億美元的資本支出計劃,但可能在某些領域調整基礎設施建設。",
        "公司發言人表示:",
        "“我們將繼續以創紀錄的速度增長以滿足客戶需求。”",
        "微軟砍掉兩大數據中心,AI資本狂潮退潮?",
        "埃隆·馬斯克、傑夫·貝索斯與馬克·祖克柏均未置評,市場分析師則認為這是一次策略調整。",
        "Apple gains market share",
        "蘋果市佔率回升,三星則面臨更大壓力。",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_one_article(path).text.split("\n") == lines


@pytest.mark.parametrize(
    "chrome",
    ["米奇777色狠狠8888影视", "久草网在线", "主站蜘蛛池模板", "首頁", "電子技術應用", "您所在的位置",
     "來源", "關鍵詞", "Magazine.Subscription.jpg", "本站內容", "版權", "010-82306118", "2025-02-25"],
)
def test_example_chrome_is_gone(example, chrome):
    assert chrome not in example.text
    assert chrome not in example.title


def test_english_html_page(tmp_path):
    page = tmp_path / "nvidia.html"
    page.write_text(ENGLISH_PAGE, encoding="utf-8")
    article = read_one_article(page)
    assert article.title == "Nvidia unveils Blackwell Ultra AI chip"
    assert article.published == dt.date(2025, 3, 18)
    assert article.url == article.id == "https://news.example.com/2025/03/18/nvidia-blackwell-ultra"
    assert article.outlet == "Example Tech News"
    assert (article.language, article.script) == ("en", "Latn")
    assert article.text.startswith("Nvidia unveils Blackwell Ultra AI chip\n")
    assert "Jensen Huang said the company expects demand" in article.text
    for chrome in ("cookies", "Log in", "Related articles", "AMD launches", "Copyright", "Privacy", "By Jane Doe"):
        assert chrome not in article.text


def test_chinese_html_page_gets_the_same_cleaning_as_text(tmp_path, example):
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in EXAMPLE.read_text().splitlines() if line.strip())
    page = tmp_path / "capex.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>微軟回應大砍算力AI傳聞-電子技術應用</title></head>'
        f'<body><div class="content">{paragraphs}</div></body></html>',
        encoding="utf-8",
    )
    article = read_one_article(page)
    assert (article.title, article.published, article.outlet) == (example.title, example.published, example.outlet)
    assert article.text.split("\n")[:2] == ["微軟回應大砍算力AI傳聞", "堅持超800億美元資本支出,但某些領域可能調整"]
    assert article.text.endswith("而中小玩家聚焦差異化部署和成本優化。")
    for chrome in ("電子技術應用", "首頁", "久草网在线", "本站內容"):
        assert chrome not in article.text


def test_gb18030_html_with_declared_charset(tmp_path):
    page = tmp_path / "gbk.html"
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>百度发布文心大模型4.5</title></head><body><article><h1>百度发布文心大模型4.5</h1>"
        "<p>百度周日发布了文心大模型4.5，并宣布将在六月底前开源该系列模型，这一决定引发了业界的广泛关注。</p>"
        "<p>分析人士认为，此举将加剧国内大模型市场的价格竞争，并推动更多企业采用开源方案。</p>"
        "</article></body></html>"
    )
    page.write_bytes(html.encode("gb18030"))
    article = read_one_article(page)
    assert article.title == "百度发布文心大模型4.5"
    assert "并宣布将在六月底前开源该系列模型" in article.text
    assert (article.language, article.script) == ("zh", "Hans")


def test_simplified_chinese_text(tmp_path):
    path = tmp_path / "alibaba.txt"
    path.write_text(SIMPLIFIED_TEXT, encoding="utf-8")
    article = read_one_article(path)
    assert (article.language, article.script) == ("zh", "Hans")
    assert article.title == "阿里巴巴发布新一代通义千问大模型"
    assert article.published == dt.date(2025, 3, 6)
    assert article.outlet == "新浪科技"
    assert article.text.split("\n")[0] == article.title
    assert "并计划在今年内推出更多开源版本。" in article.text
    for chrome in ("首页", "来源", "分享到"):
        assert chrome not in article.text


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SIMPLIFIED_TEXT.encode("utf-8"))
    assert read_one_article(path).text.startswith("阿里巴巴发布")


def test_jsonl_records_bad_line_and_language_override(tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"id": "a1", "text": "Microsoft said on Monday it would keep spending on data centres this year.",
         "title": "Microsoft keeps spending", "date": "2025-02-24T18:00:00Z", "url": "https://example.com/a1"},
        "not json at all",
        {"id": "a3", "text": "微软周一表示将继续投资数据中心。", "lang": "zh-TW"},
    ]
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records))
    first, error, third = read_all(path)
    assert isinstance(first, Article) and first.id == "a1" and first.source == f"{path}:1"
    assert first.published == dt.date(2025, 2, 24) and first.url == "https://example.com/a1"
    assert isinstance(error, IngestError) and error.source == f"{path}:2"
    assert isinstance(third, Article) and third.id == "a3"
    assert (third.language, third.script) == ("zh", "Hant")  # the record's lang wins over detection


def test_jsonl_record_without_text_is_an_error(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "x"}\n[1, 2]\n')
    missing_text, not_object = read_all(path)
    assert missing_text == IngestError(source=f"{path}:1", message="record lacks 'text'")
    assert isinstance(not_object, IngestError) and "not an object" in not_object.message


def test_rss_feed_gives_one_article_per_item(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS_FEED, encoding="utf-8")
    apple, samsung = read_all(path)
    assert apple.title == "Apple opens new research centre in Shanghai"
    assert apple.url == apple.id == "https://example.com/apple-shanghai"
    assert apple.published == dt.date(2025, 2, 25)
    assert apple.text.startswith("Apple said on Tuesday") and "<p>" not in apple.text
    assert samsung.published == dt.date(2025, 2, 26)
    assert (samsung.language, samsung.script) == ("zh", "Hans")
    assert samsung.text == "三星电子周三公布季度业绩，营业利润同比增长百分之十二。\n公司表示，存储芯片需求强劲。"


def test_atom_feed_in_xml_file(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Google buys Wiz</title>'
        '<link rel="alternate" href="https://example.com/wiz"/><updated>2025-03-18T12:00:00Z</updated>'
        "<summary>Google agreed to buy the cloud security start-up Wiz for 32 billion dollars.</summary>"
        "</entry></feed>"
    )
    [article] = read_all(path)
    assert (article.url, article.published) == ("https://example.com/wiz", dt.date(2025, 3, 18))


def test_bad_inputs_give_one_error_each_and_others_still_come_through(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SIMPLIFIED_TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Le café est ouvert.".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    results = read_all(empty, good, binary, latin1, missing)
    assert [type(result) for result in results] == [IngestError, Article, IngestError, IngestError, IngestError]
    assert results[0] == IngestError(source=str(empty), message="empty file")
    assert results[2] == IngestError(source=str(binary), message="binary file, not text")
    assert results[3] == IngestError(source=str(latin1), message="not valid UTF-8 (byte 0xe9 at offset 6)")
    assert results[4] == IngestError(source=str(missing), message="file not found")


def test_unsupported_language_and_chrome_only_text(tmp_path):
    french = tmp_path / "fr.txt"
    french.write_text(
        "Le gouvernement français a annoncé mardi un nouveau plan d'investissement dans l'intelligence "
        "artificielle, avec plusieurs milliards d'euros consacrés aux centres de données et à la recherche."
    )
    chrome = tmp_path / "chrome.txt"
    chrome.write_text("首页 > 科技 > 正文\n2025-02-25\n来源:网易\nCopyright © 2025 Example\n")
    assert read_all(french, chrome) == [
        IngestError(source=str(french), message="unsupported language 'fr'"),
        IngestError(source=str(chrome), message="no article text left after removing boilerplate"),
    ]


def test_folder_is_recursed_in_path_order_skipping_hidden_and_unsupported_files(tmp_path):
    body = "Apple said on Tuesday that sales of its new phone were stronger than expected in {}."
    for relative in ("b/z.txt", "a.md", "b/a.txt", ".hidden.txt", ".git/x.txt", "c/notes.pdf"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.format(relative))
    sources = [result.source for result in read_all(tmp_path)]
    assert sources == [str(tmp_path / name) for name in ("a.md", "b/a.txt", "b/z.txt")]


def test_same_content_gives_same_id(tmp_path):
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text(SIMPLIFIED_TEXT, encoding="utf-8")
    second.write_text("\n\n" + SIMPLIFIED_TEXT.replace("\n", "  \n"), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(SIMPLIFIED_TEXT.replace("周四", "周五"), encoding="utf-8")
    ids = [article.id for article in read_all(first, second, other)]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith("sha256:")


def test_url_input_is_fetched_and_extracted():
    """A page served on loopback comes in like a file, with its canonical URL."""
    import functools
    import http.server
    import threading

    data = Path(__file__).resolve().parent / "data"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(data))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/en-microsoft-leases.html"
        [refused] = list(read([url]))
        [article] = list(read([url], allow_private_urls=True))
        [missing] = list(read([url.replace(".html", "-missing.html")], allow_private_urls=True))
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(refused, IngestError) and "non-public" in refused.message
    assert isinstance(missing, IngestError) and "HTTP 404" in missing.message
    assert isinstance(article, Article), article
    assert article.source == url
    assert article.title == "Microsoft walks back data center leases, analysts say"
    assert "Satya Nadella" in article.text and "Related stories" not in article.text


def test_oversized_article_file_is_refused_by_name(tmp_path):
    huge = tmp_path / "dump.txt"
    with huge.open("wb") as handle:
        handle.truncate(21_000_000)  # sparse: costs no disk
    [error] = list(read([str(huge)]))
    assert isinstance(error, IngestError) and error.source == str(huge)
    assert "too large" in error.message


def test_jsonl_is_read_line_by_line_and_a_bad_line_stays_alone(tmp_path):
    records = tmp_path / "corpus.jsonl"
    good = json.dumps({"id": "a", "text": "Microsoft CEO Satya Nadella spoke on Monday.", "lang": "en"})
    records.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\n" + b'{"id": "b", "text": "caf\xe9"}\n'
                        + good.replace('"a"', '"c"').encode() + b"\n")
    results = list(read([str(records)]))
    assert [r.id if isinstance(r, Article) else r.source for r in results] == ["a", f"{records}:2", "c"]
    assert "not valid UTF-8" in results[1].message


def test_english_related_links_with_long_headlines_are_dropped(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Utility signs power deal with data center developer\n"
        "The utility will supply 1,200 MW to the campus, the companies said on Monday. The deal runs ten years.\n"
        "Copyright © 2025 Example News. All rights reserved.\n"
        "Related: Utilities brace for AI load growth | Nuclear restarts: who is next | "
        "Gas turbine backlog stretches to 2030 | Five charts on US power prices\n"
        "Partner links: Lucky Star Casino free spins | Vegas88 bonus code 2025 | cheap replica watches online | "
        "Golden Dragon Slots jackpot\n", encoding="utf-8")
    [article] = list(read([str(page)]))
    assert "1,200 MW" in article.text
    assert "Golden Dragon" not in article.text and "Related" not in article.text
