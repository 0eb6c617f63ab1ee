"""A line filter that drops page chrome (navigation, metadata, notices, link spam) from article text.

The rules describe kinds of lines, not any one site's strings, and are tuned to keep an
article's own short lines (headline, dek, subheadings, "公司發言人表示:").
"""
from __future__ import annotations

import re

from kg.ingest.dates import find_date, is_date_only

MAX_TITLE_LENGTH = 120
SHORT_SEGMENT = 20
SHORT_SEGMENT_WORDS = 9  # the same for Latin-script segments, in words
SHORT_LINE = 30
MIN_SEPARATED_SEGMENTS = 4
MIN_PROSE_LENGTH = 10
# A list line is "mostly" short segments; a link-dense line keeps under this share of its text without links.
MOSTLY = 0.75
LINK_DENSE_TEXT_SHARE = 0.4

# A prose sentence ends in sentence-final punctuation, perhaps inside closing quotes/brackets.
SENTENCE_END = re.compile(r"[。！？!?.…][」』”’\"'）)\]]*$")

URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email\s*protected\]", re.IGNORECASE)
NON_TEXT = re.compile(r"[\W_]+")
BLANK_LINE_RUN = re.compile(r"\n{3,}")

BREADCRUMB_START = re.compile(
    r"^\s*(?:您所在的位置|您的位置|你的位置|当前位置|當前位置|所在位置|位置\s*[:：]|You are here"
    r"|(?:首页|首頁|主页|主頁|Home)\s*[>»›＞/|→])",
    re.IGNORECASE,
)
# "/" and "|" only count as breadcrumb separators with spaces around them ("AI/ML" is a word).
BREADCRUMB_SEPARATOR = re.compile(r"\s*[>»›＞→]\s*|\s+[/|｜]\s+")
# Separators of link lists and spam blocks: bars, middle dots, slashes, runs of spaces.
# A middle dot only with spaces around it: unspaced it joins the parts of a name (埃隆·马斯克).
LIST_SEPARATOR = re.compile(r"\s*[|｜/]\s*|\s+·\s+|\s{2,}")
LEADING_LABEL = re.compile(r"^[^:：]{1,20}[:：]")

IMAGE_FILE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|svg|bmp)$", re.IGNORECASE)
SITE_NAME_LINE = re.compile(r"^[《【][^《》【】]{1,30}[》】]$")

# Notices: one strong marker suffices; a contact label must open the line; weaker words need company.
STRONG_NOTICE = re.compile(
    r"©|Copyright\s*(?:©|\(c\)|\d{4})|All rights reserved|版[权權]所有|ICP[备備证證]|公[网網]安[备備]"
    r"|免[责責][声聲]明|[转轉][载載][请請須须]注明|Disclaimer\s*[:：]",
    re.IGNORECASE,
)
CONTACT_LABEL = re.compile(
    r"[联聯][系繫](?:[电電][话話]|方式|我[们們])|[邮郵]箱\s*[:：]|E-?mail\s*[:：]|Tel\s*[:：]|[电電][话話]\s*[:：]"
    r"|版[权權][声聲]明|Contact us",
    re.IGNORECASE,
)
NOTICE_WORD = re.compile(r"版[权權]|[转轉][载載]|[联聯][系繫]|[邮郵]箱|E-?mail|本站|本[网網]站", re.IGNORECASE)

METADATA_LABEL = re.compile(
    r"(?:来源|來源|出处|出處|Source|作者|Authors?|记者|記者|关键词|關鍵詞|关键字|關鍵字|Keywords?|Tags?|标签|標籤"
    r"|责任编辑|責任編輯|编辑|編輯|Editor|发布时间|發佈時間|發布時間|发表时间|發表時間|时间|時間|日期"
    r"|Published|Updated|Posted|Date|阅读|閱讀|浏览|瀏覽|点击|點擊)\s*[:：]",
    re.IGNORECASE,
)
# Labels that may precede a date without a colon: "Published February 25, 2025".
TIMESTAMP_LABEL = re.compile(r"^(?:Published|Updated|Posted|发布于|發佈於|發布於|发表于|發表於)", re.IGNORECASE)
LEADING_DATE_TIME = re.compile(r"^[\d\s\-/.:年月日]+")
BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,5}\s*(?:[,|].*)?$")
MAX_METADATA_LINE = 100

# Share/login/read-more widgets: they open the line ("分享到:", "Sign up for our newsletter").
CHROME_START = re.compile(
    r"(?:share|subscribe|log\s*in|sign\s*(?:in|up)|read more|follow us|print|back to top|comments?)\b"
    r"|分享|订阅|訂閱|登录|登錄|登入|注册|註冊|阅读全文|閱讀全文|查看更多|更多\s*>|返回顶部|返回頂部|打印|字号|字號"
    r"|扫一扫|掃一掃|扫描二维码|掃描二維碼|评论|評論|(?:advertisement|广告|廣告)$",
    re.IGNORECASE,
)
# Headings that open a trailing block of links to other articles.
RELATED_HEADING = re.compile(
    r"相[关關](?:阅读|閱讀|文章|新[闻聞]|推荐|推薦)|[热熱][门門]推[荐薦]|推[荐薦][阅閱][读讀]|延伸[阅閱][读讀]"
    r"|上一篇|下一篇|related (?:articles|stories|news|posts|content)|recommended|more (?:stories|news) from"
    r"|you may also like|read next",
    re.IGNORECASE,
)
COOKIE_NOTICE = re.compile(
    r"we use cookies|uses cookies|accept (?:all )?cookies|cookie (?:settings|policy|preferences)", re.IGNORECASE
)


def clean_text(text: str) -> str:
    """The article text with chrome lines and any trailing footer removed."""
    lines = [line.strip() for line in text.splitlines()]
    body_start = find_body_start(lines)
    kept = []
    for index, line in enumerate(lines):
        in_body = index > body_start
        if in_body and is_footer_start(line) and not any(map(is_body_line, lines[index + 1:])):
            break
        if not is_boilerplate(line, in_header=index < body_start):
            kept.append(line)
    return join_paragraphs(kept)


def find_body_start(lines: list[str]) -> int:
    """Index of the first prose line; the lines before it are the header (len(lines) if none)."""
    return next((index for index, line in enumerate(lines) if is_body_line(line)), len(lines))


def is_body_line(line: str) -> bool:
    """A prose line that is not chrome: the first one ends the header."""
    return is_prose(line) and not is_boilerplate(line)


def is_prose(line: str) -> bool:
    """A sentence-like line: ends like a sentence, or is too long to be a headline."""
    return len(line) > MAX_TITLE_LENGTH or (len(line) >= MIN_PROSE_LENGTH and bool(SENTENCE_END.search(line)))


def is_boilerplate(line: str, in_header: bool = False) -> bool:
    """True for chrome lines; blank lines are not boilerplate (they separate paragraphs)."""
    if not line:
        return False
    return (
        is_breadcrumb(line)
        or is_separated_list(line)
        or is_link_dense(line)
        or is_notice(line)
        or bool(IMAGE_FILE_NAME.match(line))
        or (in_header and is_site_name_line(line))
        or is_date_only(line)
        or is_metadata_line(line)
        or is_chrome_line(line)
    )


def is_footer_start(line: str) -> bool:
    """A line that typically opens the page footer: a notice, or a "related articles" heading."""
    return is_notice(line) or (len(line) <= SHORT_LINE and bool(RELATED_HEADING.search(line)))


def is_breadcrumb(line: str) -> bool:
    """"您所在的位置:首頁 > …", "Home > Tech > AI": short segments between path separators."""
    if BREADCRUMB_START.match(line):
        return True
    segments = BREADCRUMB_SEPARATOR.split(line)
    return len(segments) >= 3 and all(len(segment) <= SHORT_LINE for segment in segments) and not is_prose(line)


def is_separated_list(line: str) -> bool:
    """A run of short titles split by bars, dots, slashes or wide spaces (link lists, spam)."""
    if SENTENCE_END.search(line):
        return False
    unlabelled = LEADING_LABEL.sub("", URL.sub("URL", line), count=1)
    segments = [segment for segment in LIST_SEPARATOR.split(unlabelled) if segment.strip()]
    if len(segments) < MIN_SEPARATED_SEGMENTS:
        return False
    short = [segment for segment in segments if is_short_segment(segment) and not SENTENCE_END.search(segment)]
    return len(short) >= MOSTLY * len(segments)


def is_short_segment(segment: str) -> bool:
    """A title-length piece: characters for Chinese, words for Latin text (English headlines
    in a "Related:" list run to 40 characters)."""
    if segment.isascii():
        return len(segment.split()) <= SHORT_SEGMENT_WORDS
    return len(segment) <= SHORT_SEGMENT


def is_link_dense(line: str) -> bool:
    """Mostly URLs or e-mail addresses."""
    text_left = NON_TEXT.sub("", EMAIL.sub("", URL.sub("", line)))
    return len(text_left) < LINK_DENSE_TEXT_SHARE * len(NON_TEXT.sub("", line))


def is_notice(line: str) -> bool:
    """Copyright, disclaimer, reprint and contact notices."""
    if STRONG_NOTICE.search(line) or CONTACT_LABEL.match(line):
        return True
    return len({match.group().lower() for match in NOTICE_WORD.finditer(line)}) >= 2


def is_site_name_line(line: str) -> bool:
    """A publication name alone in 《》 or 【】, as sites print above the headline."""
    return bool(SITE_NAME_LINE.match(line))


def is_metadata_line(line: str) -> bool:
    """Source, author, keyword, editor, time lines, possibly led by a date: "2025-02-25 来源:网易"."""
    if len(line) > MAX_METADATA_LINE:
        return False
    if BYLINE.match(line) and not SENTENCE_END.search(line):
        return True
    if TIMESTAMP_LABEL.match(line) and find_date(line):
        return True
    return bool(METADATA_LABEL.match(LEADING_DATE_TIME.sub("", line)))


def is_chrome_line(line: str) -> bool:
    """Short share/login/read-more/related lines and cookie banners."""
    if COOKIE_NOTICE.search(line):
        return True
    short = len(line) <= SHORT_LINE and not SENTENCE_END.search(line)
    return short and bool(CHROME_START.match(line) or RELATED_HEADING.search(line))


def join_paragraphs(lines: list[str]) -> str:
    """Lines joined by newlines, with runs of blank lines collapsed to one and none at the ends."""
    return BLANK_LINE_RUN.sub("\n\n", "\n".join(lines)).strip()
