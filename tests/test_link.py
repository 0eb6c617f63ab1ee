"""The link stage: one canonical IRI per entity across scripts, languages and runs;
relations and events expressed over IRIs."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.extract import extract
from kg.link import link, slug
from kg.models import Article
from kg.nlp import analyse
from kg.pipeline import process

ENTITY = "https://w3id.org/newskg/entity/"
TUESDAY = dt.date(2025, 2, 25)


def article(text: str, language: str = "zh", script: str | None = None, id: str = "link-test") -> Article:
    script = script or ("Latn" if language == "en" else "Hans")
    return Article(id=id, source="test", language=language, script=script, text=text, published=TUESDAY)


def run(text: str, language: str = "zh", script: str | None = None):
    return process(article(text, language, script))


def short(iri: str) -> str:
    return iri[len(ENTITY):] if iri.startswith(ENTITY) else iri


def triples(x) -> set[tuple[str, str, str]]:
    return {(short(r.subject), r.predicate, short(r.object)) for r in x.relations}


def iri_of(x, surface: str) -> str:
    [iri] = {m.entity for m in x.mentions if m.text == surface}
    return iri


# ── one IRI per entity across scripts and languages ──────────────────────────

def test_microsoft_in_three_scripts_gets_one_iri():
    hant = run("微軟週一表示將繼續投資。", script="Hant")
    hans = run("微软周一表示将继续投资。")
    en = run("Microsoft said on Monday it would keep investing.", "en")
    iris = {iri_of(hant, "微軟"), iri_of(hans, "微软"), iri_of(en, "Microsoft")}
    assert iris == {ENTITY + "org/microsoft"}


def test_nvidia_names_get_one_iri():
    en = run("NVIDIA shares rose on Monday.", "en")
    hans = run("英伟达股价周一上涨。")
    hant = run("輝達股價週一上漲。", script="Hant")
    assert iri_of(en, "NVIDIA") == iri_of(hans, "英伟达") == iri_of(hant, "輝達") == ENTITY + "org/nvidia"


def test_kb_entity_keeps_labels_in_the_article_script():
    x = run("微軟週一表示將繼續投資。", script="Hant")
    [entity] = [e for e in x.entities if e.iri == ENTITY + "org/microsoft"]
    assert entity.type == "Company"
    assert "微軟" in entity.labels["zh-Hant"]
    assert "微软" in entity.labels["zh-Hans"]
    assert entity.resolution == "exact"


def test_latin_name_with_chinese_suffix_matches_english_name():
    zh = run("Halcyon管理公司表示已出售部分股份。")
    en = run("Halcyon Management said it had sold part of its stake.", "en")
    assert iri_of(zh, "Halcyon管理公司") == ENTITY + "org/halcyon-management"
    assert iri_of(en, "Halcyon Management") == ENTITY + "org/halcyon-management"


def test_bare_latin_name_joins_its_suffixed_form():
    x = run("Halcyon管理公司表示已出售部分股份。Halcyon此前持有大量该公司股票。")
    assert iri_of(x, "Halcyon") == iri_of(x, "Halcyon管理公司")
    assert len([e for e in x.entities if e.iri.startswith(ENTITY + "org/")]) == 1


def test_bare_latin_name_does_not_join_a_longer_different_name():
    x = run("Vista股价上涨3%。Vistara资本管理表示将增持。")
    assert iri_of(x, "Vista") != iri_of(x, "Vistara资本管理")


def test_iris_are_deterministic_across_runs():
    text = "首席投资官Maria Lopez表示，Halcyon管理公司将与OpenAI合作，多家私营数据中心运营商受益。"
    first, second = run(text), run(text)
    assert [m.entity for m in first.mentions] == [m.entity for m in second.mentions]
    assert [e.iri for e in first.entities] == [e.iri for e in second.entities]
    assert [(r.subject, r.predicate, r.object) for r in first.relations] == \
           [(r.subject, r.predicate, r.object) for r in second.relations]


def test_new_names_get_the_same_iri_in_different_articles():
    one = process(article("首席投资官Maria Lopez表示，需求强劲。", id="a1"))
    two = process(article("Maria Lopez, a partner at Halcyon Capital, said demand was strong.", "en", id="a2"))
    assert iri_of(one, "Maria Lopez") == iri_of(two, "Maria Lopez") == ENTITY + "person/maria-lopez"


def test_person_and_company_with_the_same_name_never_share_an_iri():
    person = run("首席执行官Jordan Fields表示，需求强劲。")
    company = run("Jordan Fields股价周一上涨5%。")
    p, c = iri_of(person, "Jordan Fields"), iri_of(company, "Jordan Fields")
    assert p != c
    assert p.startswith(ENTITY + "person/") and c.startswith(ENTITY + "org/")


def test_every_mention_is_linked_and_every_entity_is_used():
    x = run("据彭博社报道，微软CEO纳德拉表示，Halcyon管理公司正与英伟达合作。")
    assert all(m.entity for m in x.mentions)
    assert {e.iri for e in x.entities} == {m.entity for m in x.mentions}
    assert len({e.iri for e in x.entities}) == len(x.entities)


def test_link_can_be_called_on_the_extract_output():
    raw = extract(analyse(article("微软与OpenAI展开合作。")))
    assert all(m.entity is None or m.entity.startswith(ENTITY) for m in raw.mentions)
    linked = link(raw)
    assert all(m.entity and m.entity.startswith(ENTITY) for m in linked.mentions)


# ── slug ──────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("name, expected", [
    ("TD Cowen", "td-cowen"),
    ("私營數據中心運營商", "私营数据中心运营商"),
    ("GPT-4o", "gpt-4o"),
    ("Washington, D.C.", "washington-d-c"),
    ("ＡＢＣ Corp", "abc-corp"),
    ("  Halcyon   Management  ", "halcyon-management"),
    ("", "unnamed"),
    (" -- ", "unnamed"),
])
def test_slug(name, expected):
    assert slug(name) == expected


# ── relations ─────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, script", [
    ("微软与Microsoft Corporation在云业务上合作。", "Hans"),
    ("輝達與英偉達在AI晶片市場競爭。", "Hant"),
])
def test_relations_never_link_an_entity_to_itself(text, script):
    x = run(text, script=script)
    assert len({m.entity for m in x.mentions}) == 1
    assert x.relations == []


def test_relation_evidence_is_the_sentence_in_the_original_script():
    text = "市場震盪。微軟CEO納德拉週二表示，公司將繼續投資。"
    x = run(text, script="Hant")
    [relation] = [r for r in x.relations if r.predicate == "ceoOf"]
    assert relation.evidence.article == "link-test"
    assert relation.evidence.text == "微軟CEO納德拉週二表示，公司將繼續投資。"
    assert text[relation.evidence.start:relation.evidence.end] == relation.evidence.text
    assert 0 < relation.confidence <= 1


def test_symmetric_relation_is_stored_once():
    x = run("微软与OpenAI展开合作。OpenAI与微软的合作继续深化。")
    partner = [r for r in x.relations if r.predicate == "partnerOf"]
    assert len(partner) == 1


# ── events ────────────────────────────────────────────────────────────────────

def events_of(x, type_: str):
    return [e for e in x.events if e.type == type_]


def test_stock_price_change_zh_signed_with_company_and_relative_date():
    x = run("上周五，Zentrix股价一度暴跌13%。")
    [event] = events_of(x, "StockPriceChange")
    assert event.percent == pytest.approx(-13.0)
    assert event.participants == [ENTITY + "org/zentrix"]
    assert event.date == dt.date(2025, 2, 21)


def test_stock_price_change_hant():
    x = run("輝達股價週一上漲3.5%。", script="Hant")
    [event] = events_of(x, "StockPriceChange")
    assert event.percent == pytest.approx(3.5)
    assert event.participants == [ENTITY + "org/nvidia"]
    assert event.date == dt.date(2025, 2, 24)


def test_stock_price_change_en():
    x = run("NVIDIA shares rose 2.5 percent on Monday.", "en")
    [event] = events_of(x, "StockPriceChange")
    assert event.percent == pytest.approx(2.5)
    assert event.participants == [ENTITY + "org/nvidia"]
    assert event.date == dt.date(2025, 2, 24)


def test_capex_plan_dated_by_earlier_sentence_of_the_same_paragraph():
    x = run("本周一，微软召开投资者会议。微软表示，本财年资本支出将达800多亿美元。")
    [event] = events_of(x, "CapitalExpenditurePlan")
    assert event.amount.value == pytest.approx(8.0e10)
    assert event.amount.currency == "USD"
    assert event.amount.approximate is True
    assert event.participants == [ENTITY + "org/microsoft"]
    assert event.date == dt.date(2025, 2, 24)


def test_date_of_another_paragraph_does_not_apply():
    x = run("本周一，微软召开投资者会议。\n微软表示，本财年资本支出将达800多亿美元。")
    [event] = events_of(x, "CapitalExpenditurePlan")
    assert event.date == TUESDAY


def test_capex_plan_en():
    x = run("Last Friday, Microsoft said its capital expenditure would reach $80 billion this year.", "en")
    [event] = events_of(x, "CapitalExpenditurePlan")
    assert event.amount.value == pytest.approx(8.0e10)
    assert event.amount.currency == "USD"
    assert event.participants == [ENTITY + "org/microsoft"]
    assert event.date == dt.date(2025, 2, 21)


def test_percent_without_a_company_is_no_event():
    assert run("大盘指数周一下跌1.9%。").events == []


def test_event_iris_are_deterministic_and_distinct():
    text = "周一，微软股价跌1.9%，英伟达股价上涨3.5%。"
    one, two = run(text), run(text)
    assert [e.iri for e in one.events] == [e.iri for e in two.events]
    assert len({e.iri for e in one.events}) == len(one.events) == 2
    by_company = {short(e.participants[0]): e.percent for e in one.events}
    assert by_company == {"org/microsoft": pytest.approx(-1.9), "org/nvidia": pytest.approx(3.5)}


def test_stock_move_en_dated_by_the_weekday_not_by_the_verb():
    x = run("Intel shares declined 5% on Monday.", "en")
    [event] = events_of(x, "StockPriceChange")
    assert event.date == dt.date(2025, 2, 24)


def test_a_surname_follows_the_full_name_the_article_uses():
    """A knowledge-base surname alias ('Powell') yields to the person the article names."""
    def iris(text):
        x = process(Article(id="p", source="t", language="en", script="Latn", text=text))
        return {m.text: m.entity.rsplit("/", 1)[1] for m in x.mentions if "/person/" in m.entity}
    assert iris("Former secretary of state Colin Powell spoke on Monday. Powell said the deal was good.") == {
        "Colin Powell": "colin-powell", "Powell": "colin-powell"}
    assert iris("Fed Chair Jerome Powell said rates would hold. Powell added that inflation was easing.") == {
        "Jerome Powell": "jerome-powell", "Powell": "jerome-powell"}


def test_supply_agreement_and_stock_move_across_clauses():
    x = process(Article(id="s", source="t", language="zh", script="Hans", published=dt.date(2025, 3, 11), text=(
        "鼎峰电力股份有限公司（以下简称“鼎峰电力”）与天河云计算有限公司签署45亿元供电协议，最高供电能力达120万千瓦。\n"
        "受此消息提振，鼎峰电力股价周二高开高走，收涨6.4%。")))
    events = {(e.type, e.amount.value if e.amount else e.percent) for e in x.events}
    assert ("SupplyAgreement", 4.5e9) in events and ("SupplyAgreement", 1200.0) in events
    assert ("StockPriceChange", 6.4) in events
