"""The resolution cascade: each rule on its own, never across kinds, and merge precision and
recall on the hand-written alias set (tests/data/aliases.tsv)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.link import resolve_name
from kg.models import Article
from kg.pipeline import process

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import aliases  # noqa: E402

E = "https://w3id.org/newskg/entity/"


@pytest.mark.parametrize("name, cls, iri, rule", [
    ("Microsoft", "Company", "org/microsoft", "exact"),
    ("微軟", "Company", "org/microsoft", "exact"),
    ("MICROSOFT CORPORATION", "Company", "org/microsoft", "normalised"),
    ("The Microsoft Corp.", "Company", "org/microsoft", "normalised"),
    ("ＭＩＣＲＯＳＯＦＴ", "Company", "org/microsoft", "normalised"),
    ("微软公司", "Company", "org/microsoft", "normalised"),
    ("阿里巴巴集團", "Company", "org/alibaba-group", "exact"),
    ("阿里巴巴集团控股有限公司", "Company", "org/alibaba-group", "normalised"),
    ("NASDAQ:MSFT", "Company", "org/microsoft", "kb-alias"),
    ("MSFT", "Company", "org/microsoft", "kb-alias"),
    ("0700.HK", "Company", "org/tencent", "kb-alias"),
    ("Facebook Inc.", "Company", "org/meta-platforms", "kb-alias"),
    ("納德拉", "Person", "person/satya-nadella", "kb-alias"),
    ("Broadcomm", "Company", "org/broadcom", "fuzzy"),
    ("Corvane Semiconductor Inc.", "Company", "org/corvane-semiconductor", "new"),
])
def test_each_rule_of_the_cascade(name, cls, iri, rule):
    decision = resolve_name(name, cls)
    assert (decision.iri, decision.rule) == (E + iri, rule)
    assert decision.score == 1.0 or rule == "fuzzy" and 0.88 <= decision.score < 1.0


def test_never_across_kinds():
    assert resolve_name("Tesla", "Person").iri != resolve_name("Tesla", "Company").iri
    assert resolve_name("Microsoft Teams", "Product").iri != resolve_name("Microsoft", "Company").iri


def test_people_are_never_fuzzy_matched():
    assert resolve_name("Tim Cooke", "Person").rule == "new"


def test_short_forms_and_surnames_in_an_article_record_their_rule():
    x = process(Article(id="r", source="t", language="en", script="Latn",
                        text="Daniel Okafor, chief executive of Corvane Semiconductor, said Corvane would grow."))
    rules = {(r.surface, r.rule) for r in x.resolutions}
    assert ("Corvane", "short-form") in rules and ("Daniel Okafor", "new") in rules


def test_the_grain_is_not_the_company():
    food = process(Article(id="f", source="t", language="zh", script="Hans",
                           text="这道小米粥的做法很简单：小米洗净后加水，小火慢煮四十分钟。"))
    phone = process(Article(id="p", source="t", language="zh", script="Hans",
                            text="小米周二发布了新款手机，雷军表示销量将创新高。"))
    assert E + "org/xiaomi" not in {e.iri for e in food.entities}
    assert E + "org/xiaomi" in {e.iri for e in phone.entities}


def test_alias_set_precision_and_recall():
    result = aliases.score()
    assert result["same"] >= 150 and result["apart"] >= 50
    assert result["precision"] >= 0.98, result["wrong_merges"]
    assert result["recall"] >= 0.90, result["missed"]
