"""kg.extract.quantities: money, signed percentages, dates relative to the article's date."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import quantities

TUESDAY = dt.date(2025, 2, 25)
assert TUESDAY.weekday() == 1


def amounts(text: str, language: str):
    return [f.value for f in quantities.money(text, language)]


def percents(text: str, language: str):
    return [f.value for f in quantities.percentages(text, language)]


def dates(text: str, language: str, published=TUESDAY):
    return [f.value for f in quantities.dates(text, language, published)]


# ── money ─────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, value, currency, approximate", [
    ("800多亿美元", 8.0e10, "USD", True),
    ("160亿美元", 1.6e10, "USD", False),
    ("3.5万元", 35000, "CNY", False),
    ("两千万美元", 2.0e7, "USD", False),
    ("约5亿港元", 5.0e8, "HKD", True),
    ("1.5万亿美元", 1.5e12, "USD", False),
    ("一千二百万欧元", 1.2e7, "EUR", False),
    ("近30亿日元", 3.0e9, "JPY", True),
])
def test_chinese_money(text, value, currency, approximate):
    sentence = f"该公司计划投入{text}扩建数据中心。"
    [amount] = amounts(sentence, "zh")
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency
    assert amount.approximate is approximate
    assert amount.text in sentence and text.lstrip("约近") in amount.text


@pytest.mark.parametrize("text, value, currency", [
    ("$80 billion", 8.0e10, "USD"),
    ("$3.3bn", 3.3e9, "USD"),
    ("US$1.7 billion", 1.7e9, "USD"),
    ("80 billion dollars", 8.0e10, "USD"),
    ("€500 million", 5.0e8, "EUR"),
    ("HK$2 billion", 2.0e9, "HKD"),
    ("$1,200 million", 1.2e9, "USD"),
    ("£40m", 4.0e7, "GBP"),
])
def test_english_money(text, value, currency):
    [amount] = amounts(f"The company plans to spend {text} on new data centers.", "en")
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency
    assert amount.approximate is False


def test_english_qualifier_makes_amount_approximate():
    [amount] = amounts("Microsoft will spend about $80 billion this year.", "en")
    assert amount.value == pytest.approx(8.0e10)
    assert amount.approximate is True


def test_money_span_points_at_the_amount():
    text = "微软本财年将投入800多亿美元。"
    [found] = list(quantities.money(text, "zh"))
    assert text[found.start:found.end] == "800多亿美元"


def test_no_money_without_currency():
    assert amounts("公司员工人数达到3.5万人，门店超过800家。", "zh") == []
    assert amounts("The company employs 80 thousand people across 30 countries.", "en") == []


def test_chinese_money_with_compound_number():
    [amount] = amounts("该设备售价一万二千元。", "zh")
    assert amount.value == pytest.approx(12000)


# ── percentages ───────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, value", [
    ("微软股价跌1.9%", -1.9),
    ("该公司股价一度暴跌13%", -13.0),
    ("英伟达股价上涨3.5%", 3.5),
    ("营收同比增长了12%", 12.0),
    ("股价跌幅达4.2%", -4.2),
    ("毛利率下降0.5个百分点", -0.5),
])
def test_chinese_signed_percentages(text, value):
    assert percents(text, "zh") == [pytest.approx(value)]


@pytest.mark.parametrize("text", ["该基金持股占5%", "毛利率为45%", "股价升至历史新高，市占率5%"])
def test_chinese_percent_without_direction_is_not_a_move(text):
    assert percents(text, "zh") == []


@pytest.mark.parametrize("text, value", [
    ("Shares fell 13% in early trading.", -13.0),
    ("The stock rose 2.5 percent on the news.", 2.5),
    ("Intel was down 4.1% at the close.", -4.1),
    ("The shares jumped as much as 8% after the report.", 8.0),
    ("Sales gained 3 per cent in Europe.", 3.0),
])
def test_english_signed_percentages(text, value):
    assert percents(text, "en") == [pytest.approx(value)]


@pytest.mark.parametrize("text", ["SoftBank holds a 5% stake.", "Its market share rose to 12% last year."])
def test_english_percent_without_a_move(text):
    assert percents(text, "en") == []


def test_english_grew_is_an_upward_move():
    assert percents("Azure revenue grew 12% in the quarter.", "en") == [pytest.approx(12.0)]


# ── dates ─────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("本周一", dt.date(2025, 2, 24)),
    ("上周五", dt.date(2025, 2, 21)),
    ("周一", dt.date(2025, 2, 24)),
    ("星期一", dt.date(2025, 2, 24)),
    ("昨天", dt.date(2025, 2, 24)),
    ("今天", dt.date(2025, 2, 25)),
    ("前天", dt.date(2025, 2, 23)),
    ("上周二", dt.date(2025, 2, 18)),
    ("3月1日", dt.date(2025, 3, 1)),
    ("2024年12月31日", dt.date(2024, 12, 31)),
    ("2025-01-05", dt.date(2025, 1, 5)),
])
def test_chinese_dates_relative_to_a_tuesday(text, expected):
    assert dates(f"微软{text}发表声明。", "zh") == [expected]


@pytest.mark.parametrize("text, expected", [
    ("last Friday", dt.date(2025, 2, 21)),
    ("on Monday", dt.date(2025, 2, 24)),
    ("Feb. 20", dt.date(2025, 2, 20)),
    ("today", dt.date(2025, 2, 25)),
    ("yesterday", dt.date(2025, 2, 24)),
    ("last Tuesday", dt.date(2025, 2, 18)),
    ("March 3, 2024", dt.date(2024, 3, 3)),
])
def test_english_dates_relative_to_a_tuesday(text, expected):
    assert dates(f"Microsoft issued a statement {text}.", "en") == [expected]


def test_relative_dates_need_a_publication_date_absolute_ones_do_not():
    assert dates("本周一，微软发表声明。", "zh", published=None) == []
    assert dates("2024年12月31日，微软发表声明。", "zh", published=None) == [dt.date(2024, 12, 31)]
    assert dates("Microsoft said on Monday it would keep spending.", "en", published=None) == []


def test_impossible_date_is_dropped():
    assert dates("公司于2月30日发布公告。", "zh") == []


def test_english_verb_starting_like_a_month_is_not_a_date():
    assert dates("Intel shares declined 5% on Monday.", "en") == [dt.date(2025, 2, 24)]


def test_chinese_next_week_is_never_in_the_past():
    assert all(d > TUESDAY for d in dates("微软将于下周一公布财报。", "zh"))


def test_english_next_weekday_is_never_in_the_past():
    assert all(d > TUESDAY for d in dates("Microsoft will report results next Monday.", "en"))


def test_month_day_early_in_year_refers_to_last_december():
    assert dates("微软12月30日宣布裁员。", "zh", published=dt.date(2025, 1, 3)) == [dt.date(2024, 12, 30)]


@pytest.mark.parametrize("text, language, megawatts", [
    ("最高供电能力达120万千瓦", "zh", 1200.0),
    ("涉及电力容量约150兆瓦", "zh", 150.0),
    ("a campus of more than 2 GW", "en", 2000.0),
    ("a 1,200 MW deal", "en", 1200.0),
    ("about 300 megawatts of capacity", "en", 300.0),
])
def test_power_capacity_in_megawatts(text, language, megawatts):
    [found] = list(quantities.power(text, language))
    assert found.value.value == megawatts and found.value.unit == "MW" and found.value.currency is None


# ── Chinese gaps: small units after digits, separators, Traditional units, spelled percents, years ──

@pytest.mark.parametrize("text, value, currency", [
    ("3千万美元", 3.0e7, "USD"),
    ("5百万元", 5.0e6, "CNY"),
    ("3,000万美元", 3.0e7, "USD"),
    ("2兆日元", 2.0e12, "JPY"),
    ("12亿港元", 1.2e9, "HKD"),
    ("1.5億美元", 1.5e8, "USD"),  # Traditional units, should a caller skip normalisation
    ("三千萬元", 3.0e7, "CNY"),
    ("10亿元人民币", 1.0e9, "CNY"),
])
def test_chinese_money_units_and_currencies(text, value, currency):
    [amount] = amounts(f"该公司拟斥资{text}扩建工厂。", "zh")
    assert (amount.value, amount.currency) == (pytest.approx(value), currency)


@pytest.mark.parametrize("text, value", [
    ("股价暴跌13%", -13.0),
    ("涨幅为2%", 2.0),
    ("大涨百分之五", 5.0),
    ("下跌百分之五点五", -5.5),
])
def test_chinese_percent_moves_spelled_or_with_filler(text, value):
    assert percents(f"恒锐科技{text}。", "zh") == [value]


@pytest.mark.parametrize("text, year", [
    ("今年", "2025"), ("本财年", "2025"), ("去年", "2024"), ("明年", "2026"), ("上一财年", "2024"),
])
def test_chinese_relative_years_as_iso_years(text, year):
    assert [f.value for f in quantities.years(f"恒锐科技{text}资本支出将达80亿元。", TUESDAY)] == [year]


def test_relative_years_need_a_publication_date():
    assert quantities.years("恒锐科技今年资本支出将达80亿元。", None) == []
