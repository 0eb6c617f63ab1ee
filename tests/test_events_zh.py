"""Chinese events end to end, in either script: amounts with 亿/億 and currencies, signed
percentages, dates resolved against the article's date (a Tuesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract
from kg.models import Article
from kg.nlp import analyse

TUESDAY = dt.date(2025, 2, 25)


def events(text: str, script: str):
    x = extract(analyse(Article(id="t", source="t", language="zh", script=script, text=text, published=TUESDAY)))
    return [(e.type, [x.mentions[i].text for i in e.participants], e.amount and (e.amount.value, e.amount.currency),
             e.percent, e.date) for e in x.events]


@pytest.mark.parametrize("text, script, expected", [
    ("恒銳集團股價上周五暴跌13%，創下今年以來最大跌幅。", "Hant",
     ("StockPriceChange", ["恒銳集團"], None, -13.0, dt.date(2025, 2, 21))),
    ("恒锐集团本周一宣布，本财年资本支出将达800多亿美元。", "Hans",
     ("CapitalExpenditurePlan", ["恒锐集团"], (8.0e10, "USD"), None, dt.date(2025, 2, 24))),
    ("恒銳集團宣布斥資12億港元收購星岩科技。", "Hant",
     ("Acquisition", ["恒銳集團", "星岩科技"], (1.2e9, "HKD"), None, TUESDAY)),
    ("星岩科技股价周二大涨百分之五。", "Hans",
     ("StockPriceChange", ["星岩科技"], None, 5.0, TUESDAY)),
    ("恒锐集团昨日宣布向星岩科技注资3千万元人民币。", "Hans",
     ("Investment", ["恒锐集团", "星岩科技"], (3.0e7, "CNY"), None, dt.date(2025, 2, 24))),
])
def test_chinese_event_normalised(text, script, expected):
    assert expected in events(text, script)


@pytest.mark.parametrize("script", ["Hans", "Hant"])
def test_a_market_index_move_is_not_the_company_before_it(script):
    text = {"Hans": "恒锐集团股价周二收跌8.5%，费城半导体指数大跌6%，大盘下跌2%。",
            "Hant": "恒銳集團股價周二收跌8.5%，費城半導體指數大跌6%，大盤下跌2%。"}[script]
    assert [(kind, percent) for kind, _, _, percent, _ in events(text, script)] == [("StockPriceChange", -8.5)]
