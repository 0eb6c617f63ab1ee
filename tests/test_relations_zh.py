"""Chinese relation extraction: every property of the business-relation inventory, in
Simplified and in Traditional script, with company names no knowledge base holds (so the
rules, not the KB, are exercised); passive 被, 的-possessives, and lists that state nothing."""
from __future__ import annotations

import datetime as dt

import opencc
import pytest

from kg.extract import extract
from kg.models import Article
from kg.nlp import analyse

TO_TRADITIONAL = opencc.OpenCC("s2t")

# (property, sentence, subject, object) — 恒锐集团, 星岩科技 … are made-up names.
INVENTORY = [
    ("owns", "恒锐集团旗下的星岩科技今年营收大增。", "恒锐集团", "星岩科技"),
    ("subsidiaryOf", "星岩科技是恒锐集团的全资子公司。", "星岩科技", "恒锐集团"),
    ("holdsStakeIn", "恒锐集团持有星岩科技15%的股份。", "恒锐集团", "星岩科技"),
    ("increasedStakeIn", "恒锐集团上周增持星岩科技股份。", "恒锐集团", "星岩科技"),
    ("decreasedStakeIn", "恒锐集团本周减持星岩科技股份1000万股。", "恒锐集团", "星岩科技"),
    ("signedContractWith", "恒锐集团与星岩科技签署了长期供货合同。", "恒锐集团", "星岩科技"),
    ("supplierOf", "星岩科技获得恒锐集团的大额订单。", "星岩科技", "恒锐集团"),
    ("customerOf", "恒锐集团向星岩科技采购芯片。", "恒锐集团", "星岩科技"),
    ("inDisputeWith", "恒锐集团起诉星岩科技侵犯其专利。", "恒锐集团", "星岩科技"),
    ("mergedWith", "恒锐集团与星岩科技宣布合并。", "恒锐集团", "星岩科技"),
    ("jointVentureWith", "恒锐集团与星岩科技合资成立一家电池工厂。", "恒锐集团", "星岩科技"),
    ("founded", "恒锐集团出资设立云峰资本。", "恒锐集团", "云峰资本"),
    ("issued", "星岩科技拟向恒锐集团定向增发2亿股。", "星岩科技", "恒锐集团"),
    ("owesDebtTo", "星岩科技拖欠恒锐集团货款3亿元。", "星岩科技", "恒锐集团"),
    ("transferredStakeTo", "恒锐集团将所持股份转让给星岩科技。", "恒锐集团", "星岩科技"),
    ("backdoorListing", "恒锐集团拟借壳星岩股份上市。", "恒锐集团", "星岩股份"),
    ("restructuredWith", "恒锐集团与星岩科技进行资产重组。", "恒锐集团", "星岩科技"),
    ("negotiatesWith", "恒锐集团正与星岩科技商讨收购细节。", "恒锐集团", "星岩科技"),
    ("helps", "恒锐集团帮助星岩科技渡过难关。", "恒锐集团", "星岩科技"),
    ("boughtAssetsFrom", "恒锐集团收购星岩科技持有的矿业资产。", "恒锐集团", "星岩科技"),
    ("tradedWith", "恒锐集团与星岩科技之间的交易金额达5亿元。", "恒锐集团", "星岩科技"),
    ("acquired", "恒锐集团以5亿元收购星岩科技。", "恒锐集团", "星岩科技"),
    ("plansToAcquire", "恒锐集团拟收购星岩科技。", "恒锐集团", "星岩科技"),
    ("investsIn", "恒锐集团向星岩科技注资10亿元。", "恒锐集团", "星岩科技"),
    ("investsIn", "恒锐集团入股星岩科技。", "恒锐集团", "星岩科技"),
    ("partnerOf", "恒锐集团与星岩科技达成战略合作。", "恒锐集团", "星岩科技"),
    ("competesWith", "恒锐集团与星岩科技在云计算市场展开竞争。", "恒锐集团", "星岩科技"),
    ("analystOf", "鼎元证券分析师表示，星岩科技的订单增长强劲。", "鼎元证券", "星岩科技"),
]


def relations(text: str, script: str = "Hans") -> set[tuple[str, str, str]]:
    article = Article(id="t", source="t", language="zh", script=script, text=text, published=dt.date(2025, 2, 25))
    x = extract(analyse(article))
    return {(x.mentions[c.subject].text, c.predicate, x.mentions[c.object].text) for c in x.candidates}


@pytest.mark.parametrize("prop, sentence, subject, obj", INVENTORY)
def test_inventory_relation_in_simplified(prop, sentence, subject, obj):
    assert (subject, prop, obj) in relations(sentence)


@pytest.mark.parametrize("prop, sentence, subject, obj", INVENTORY)
def test_inventory_relation_in_traditional(prop, sentence, subject, obj):
    traditional = TO_TRADITIONAL.convert(sentence)
    assert traditional != sentence or prop == "plansToAcquire"
    expected = (TO_TRADITIONAL.convert(subject), prop, TO_TRADITIONAL.convert(obj))
    assert expected in relations(traditional, "Hant")


def test_passive_bei_puts_the_agent_first():
    assert ("恒锐集团", "acquired", "星岩科技") in relations("星岩科技被恒锐集团收购。")


def test_possessive_de_names_the_owner():
    assert ("恒锐集团", "owns", "星岩科技") in relations("恒锐集团的子公司星岩科技宣布扩产。")


def test_a_plan_to_acquire_is_not_an_acquisition():
    found = relations("恒锐集团拟收购星岩科技。")
    assert ("恒锐集团", "acquired", "星岩科技") not in found


def test_buying_assets_from_a_holder_is_not_acquiring_the_holder():
    found = relations("恒锐集团收购星岩科技持有的矿业资产。")
    assert ("恒锐集团", "acquired", "星岩科技") not in found


@pytest.mark.parametrize("sentence", [
    "以富邦控股、杉杉股份、雅戈尔为例，三家公司均发布了年报。",
    "包括鼎元证券、恒锐集团在内的多家机构参与了调研。",
    "恒锐集团、星岩科技和云峰资本今年营收均有增长。",
])
def test_entities_only_listed_together_get_no_relation(sentence):
    assert relations(sentence) == set()
    assert relations(TO_TRADITIONAL.convert(sentence), "Hant") == set()


@pytest.mark.parametrize("sentence, triple", [
    ("星岩科技上周被恒锐集团大举增持。", ("恒锐集团", "increasedStakeIn", "星岩科技")),
    ("星岩科技被恒锐集团减持。", ("恒锐集团", "decreasedStakeIn", "星岩科技")),
    ("星岩科技去年被恒锐集团入股。", ("恒锐集团", "investsIn", "星岩科技")),
])
def test_every_active_pattern_reads_in_the_passive_too(sentence, triple):
    assert triple in relations(sentence)


def test_the_subject_stated_once_carries_over_a_comma():
    assert ("恒锐集团", "plansToAcquire", "星岩科技") in relations("恒锐集团昨晚公告称，拟以现金收购星岩科技。")


def test_what_a_subject_says_is_not_what_it_does():
    assert relations("恒锐集团表示，收购星岩科技的计划已经取消。") == set()


def test_a_list_acting_together_relates_every_member():
    found = relations("恒锐集团、星岩科技和云峰资本共同出资组建合资公司。")
    pairs = {frozenset((s, o)) for s, p, o in found if p == "jointVentureWith"}
    assert pairs == {frozenset(p) for p in [("恒锐集团", "星岩科技"), ("恒锐集团", "云峰资本"), ("星岩科技", "云峰资本")]}


def test_a_list_sharing_an_action_shares_its_object():
    found = relations("恒锐集团和星岩科技联合收购云峰资本。")
    assert {("恒锐集团", "acquired", "云峰资本"), ("星岩科技", "acquired", "云峰资本")} <= found
