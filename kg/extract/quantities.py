"""Money, percentages with direction, and dates relative to the article's date, in
Chinese (Simplified-normalised text) and English."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import NamedTuple

from kg.ingest.dates import MONTHS, dates_in
from kg.models import Amount

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000, "兆": 1_000_000_000_000,
                 "萬": 10_000, "億": 100_000_000}  # Traditional forms, for text not yet normalised
LARGE_UNITS = "万亿兆萬億"
CURRENCIES_ZH = {"元人民币": "CNY", "美元": "USD", "美金": "USD", "人民币": "CNY", "元": "CNY", "港元": "HKD", "港币": "HKD",
                 "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "新台币": "TWD", "台币": "TWD", "韩元": "KRW"}
CURRENCIES_EN = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "€": "EUR",
                 "eur": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP", "¥": "JPY",
                 "yen": "JPY", "rmb": "CNY", "yuan": "CNY", "cny": "CNY", "hk$": "HKD"}
SCALES_EN = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
             "b": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12}

# Arabic digits (with thousands separators, and a small unit: 3千万) or Chinese numerals.
NUMBER_ZH = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?[十百千]?|\d+(?:\.\d+)?[十百千]?|[零〇一二两三四五六七八九十百千{LARGE_UNITS}]+"
MONEY_ZH = re.compile(
    rf"(?P<qualifier>超过|超|逾|近|约|将近|高达|达|至少)?(?P<number>{NUMBER_ZH})(?P<more>多|余)?"
    rf"(?P<units>[{LARGE_UNITS}]*)(?P<more2>多|余)?(?P<currency>{'|'.join(sorted(CURRENCIES_ZH, key=len, reverse=True))})")
MONEY_EN = re.compile(
    r"(?P<qualifier>more than|over|about|around|nearly|almost|roughly|up to|at least)?\s*"
    r"(?P<currency>US\$|HK\$|\$|€|£|¥)\s?(?P<number>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<scale>trillion|billion|million|thousand|bn|mn|tn|[bmkt])?\b"
    r"|(?P<number2>\d[\d,]*(?:\.\d+)?)\s(?P<scale2>trillion|billion|million|thousand)\s"
    r"(?P<currency2>dollars|euros|pounds|yuan|yen)\b", re.IGNORECASE)

DOWN_ZH = ("暴跌", "大跌", "下跌", "下挫", "重挫", "跳水", "下滑", "下降", "回落", "走低", "收跌", "跌", "降")
UP_ZH = ("暴涨", "大涨", "上涨", "飙升", "攀升", "走高", "收涨", "增长", "上升", "涨", "升")
PERCENT_ZH = re.compile(
    rf"(?P<direction>{'|'.join(DOWN_ZH + UP_ZH)})(?P<filler>了|近|约|逾|超过|超|达|幅度为|幅度|幅为|幅|为|高达){{0,2}}"
    r"(?:(?P<number>\d+(?:\.\d+)?)(?:%|％|个百分点)|百分之(?P<spelled>[\d.]+|[零〇一二两三四五六七八九十百点]+))")
DOWN_EN = ("fell", "fall", "falls", "falling", "dropped", "drop", "drops", "slid", "slide", "slipped", "slip",
           "plunged", "plunge", "tumbled", "tumble", "sank", "sink", "declined", "decline", "lost", "lose",
           "down", "shed", "sheds", "retreated", "lower", "decreased", "decrease", "shrank", "shrink",
           "contracted", "dipped", "dip", "slumped", "slump")
UP_EN = ("rose", "rise", "rises", "rising", "gained", "gain", "gains", "jumped", "jump", "jumps", "climbed",
         "climb", "surged", "surge", "soared", "soar", "added", "up", "higher", "rallied", "advanced",
         "grew", "grow", "grows", "increased", "increase", "increases", "expanded", "jumping", "spiked")
PERCENT_EN = re.compile(
    rf"\b(?P<direction>{'|'.join(DOWN_EN + UP_EN)})\b(?:\s+(?:by|as much as|nearly|almost|about|more than|over|some))*"
    r"\s+(?P<number>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)

WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Dates with their year (2025-02-25, 2025年2月25日, February 25, 2025) are found by
# kg.ingest.dates; these are the ones that need the publication date to resolve.
DATE_ZH = re.compile(
    r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"
    r"|(?P<week>本周|这周|上周|上个星期|上星期|本星期|下周|下个星期|下星期|周|星期|礼拜)(?P<wd>[一二三四五六日天])"
    r"|(?P<rel>今天|今日|昨天|昨日|前天)")
# Years named relative to the article's date; a fiscal year is labelled by the calendar year
# of publication, as nothing in the text says when the company's fiscal year ends.
YEAR_OFFSETS_ZH = {"今年": 0, "本年": 0, "本财年": 0, "本财政年度": 0, "去年": -1, "上年": -1, "上财年": -1,
                   "上一财年": -1, "前年": -2, "明年": 1, "下财年": 1, "下一财年": 1}
YEAR_ZH = re.compile("|".join(sorted(YEAR_OFFSETS_ZH, key=len, reverse=True)))
WEEKDAYS_EN = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
DATE_EN = re.compile(
    r"\b(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?P<week>last|this|next|on|)\s*(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<rel>today|yesterday)\b", re.IGNORECASE)


class Found(NamedTuple):
    start: int
    end: int
    value: object


def chinese_number(text: str) -> float:
    """'800' → 800; '一千二百' → 1200; '一万二千' → 12000; '两' → 2.

    万 and 亿 close a section (everything before them is multiplied); 十, 百 and 千
    multiply only the digit in front of them."""
    if (arabic := re.fullmatch(r"(?P<digits>[\d,]+(?:\.\d+)?)(?P<unit>[十百千]?)", text)) is not None:
        return float(arabic["digits"].replace(",", "")) * CHINESE_UNITS.get(arabic["unit"], 1)
    if "点" in text:  # 五点五 (in 百分之五点五) → 5.5
        whole, decimals = text.split("点", 1)
        return chinese_number(whole or "零") + float("0." + "".join(str(CHINESE_DIGITS[d]) for d in decimals))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif CHINESE_UNITS[ch] >= 10_000:
            total += (section + digit or 1) * CHINESE_UNITS[ch]
            section, digit = 0, 0
        else:
            section += (digit or 1) * CHINESE_UNITS[ch]
            digit = 0
    return float(total + section + digit)


def money(text: str, language: str) -> Iterator[Found]:
    if language == "zh":
        for m in MONEY_ZH.finditer(text):
            value = chinese_number(m["number"])
            for unit in m["units"]:
                value *= CHINESE_UNITS[unit]
            approximate = bool(m["more"] or m["more2"] or m["qualifier"] in ("近", "约", "将近"))
            yield Found(m.start(), m.end(), Amount(value=value, currency=CURRENCIES_ZH[m["currency"]],
                                                   text=m.group(), approximate=approximate))
        return
    for m in MONEY_EN.finditer(text):
        number = m["number"] or m["number2"]
        scale = (m["scale"] or m["scale2"] or "").lower()
        currency = (m["currency"] or m["currency2"]).lower()
        value = float(number.replace(",", "")) * SCALES_EN.get(scale, 1)
        start = m.start("currency") if m["currency"] else m.start()
        yield Found(start, m.end(), Amount(value=value, currency=CURRENCIES_EN[currency], text=m.group().strip(),
                                           approximate=bool(m["qualifier"])))


POWER_ZH = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<scale>万|亿)?(?P<unit>千瓦|兆瓦|吉瓦|GW|MW)")
# "a couple hundred MWs": a vague quantity counts at its usual reading, marked approximate.
VAGUE_EN = {"a couple hundred": 200, "a couple of hundred": 200, "a few hundred": 300, "several hundred": 300,
            "hundreds of": 200, "a couple": 2, "a few": 3, "several": 3}
POWER_EN = re.compile(r"(?:(?P<number>\d[\d,]*(?:\.\d+)?)|(?P<vague>" + "|".join(sorted(VAGUE_EN, key=len, reverse=True))
                      + r"))[\s-]?(?P<unit>MWs?|GWs?|kW|megawatts?|gigawatts?|kilowatts?)\b", re.IGNORECASE)
MEGAWATTS_PER = {"千瓦": 1e-3, "兆瓦": 1, "吉瓦": 1e3, "kw": 1e-3, "mw": 1, "mws": 1, "gw": 1e3, "gws": 1e3, "kilowatt": 1e-3,
                 "kilowatts": 1e-3, "megawatt": 1, "megawatts": 1, "gigawatt": 1e3, "gigawatts": 1e3}


def power(text: str, language: str) -> Iterator[Found]:
    """Power capacity in megawatts: 120万千瓦 → 1200 MW, '2 GW' → 2000 MW."""
    for m in (POWER_ZH if language == "zh" else POWER_EN).finditer(text):
        vague = m.groupdict().get("vague")
        number = VAGUE_EN[vague.lower()] if vague else float(m["number"].replace(",", ""))
        value = number * MEGAWATTS_PER[m["unit"].lower()]
        if m.groupdict().get("scale"):
            value *= CHINESE_UNITS[m["scale"]]
        yield Found(m.start(), m.end(), Amount(value=round(value, 6), unit="MW", text=m.group(), approximate=bool(vague)))


def percentages(text: str, language: str) -> Iterator[Found]:
    """Signed percentage moves: 股价跌1.9% → -1.9; 'rose 3%' → 3."""
    pattern, down = (PERCENT_ZH, DOWN_ZH) if language == "zh" else (PERCENT_EN, DOWN_EN)
    for m in pattern.finditer(text):
        sign = -1 if m["direction"].lower() in down else 1
        number = m["number"] if m["number"] is not None else m.groupdict().get("spelled")
        yield Found(m.start(), m.end(), sign * chinese_number(number))


def dates(text: str, language: str, published: dt.date | None) -> list[Found]:
    """Dates in text order: absolute ones, and those relative to the publication date
    (本周一, last Friday, 3月1日)."""
    found = [Found(m.start(), m.end(), date) for m, date in dates_in(text)]
    pattern = DATE_ZH if language == "zh" else DATE_EN
    for m in pattern.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue  # part of a date that carries its year
        resolved = _resolve(m, language, published)
        if resolved:
            found.append(Found(m.start(), m.end(), resolved))
    return sorted(found)


def years(text: str, published: dt.date | None) -> list[Found]:
    """Relative Chinese years as ISO 8601 years: 今年 in a 2025 article → '2025', 去年 → '2024'."""
    if published is None:
        return []
    return [Found(m.start(), m.end(), f"{published.year + YEAR_OFFSETS_ZH[m.group()]:04d}")
            for m in YEAR_ZH.finditer(text)]


def _nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """A date given without its year is the one closest to the publication date
    (12月30日 in an article of 3 January is last December)."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days), default=None)


def _resolve(m: re.Match, language: str, published: dt.date | None) -> dt.date | None:
    if m["d"]:
        month = int(m["m"]) if language == "zh" else MONTHS[m["mon"].lower()]
        return _nearest_year(month, int(m["d"]), published) if published else None
    if published is None:
        return None
    if m["rel"]:
        back = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "today": 0, "yesterday": 1}
        return published - dt.timedelta(days=back[m["rel"].lower()])
    weekday = WEEKDAYS_ZH[m["wd"]] if language == "zh" else WEEKDAYS_EN[m["wd"].lower()]
    week = (m["week"] or "").lower()
    if week in ("本周", "这周", "本星期", "this"):
        return published - dt.timedelta(days=published.weekday() - weekday)
    if week in ("上周", "上个星期", "上星期"):
        return published - dt.timedelta(days=published.weekday() - weekday + 7)
    if week in ("下周", "下个星期", "下星期"):
        return published + dt.timedelta(days=7 - published.weekday() + weekday)
    if week == "next":
        return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    # A bare weekday, or 'last Friday', means the most recent one: on or before the article's date.
    days_back = (published.weekday() - weekday) % 7
    if week == "last" and days_back == 0:
        days_back = 7
    return published - dt.timedelta(days=days_back)
