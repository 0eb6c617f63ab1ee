"""Extraction of entities and relations (through the pipeline, so that subjects and
objects are compared as linked IRIs), in Simplified and Traditional Chinese and English."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.models import Article
from kg.pipeline import process

ENTITY = "https://w3id.org/newskg/entity/"


def article(text: str, language: str = "zh", script: str | None = None) -> Article:
    script = script or ("Latn" if language == "en" else "Hans")
    return Article(id="extract-test", source="test", language=language, script=script, text=text,
                   published=dt.date(2025, 2, 25))


def run(text: str, language: str = "zh", script: str | None = None):
    return process(article(text, language, script))


def short(iri: str) -> str:
    assert iri.startswith(ENTITY), iri
    return iri[len(ENTITY):]


def triples(text: str, language: str = "zh", script: str | None = None) -> set[tuple[str, str, str]]:
    """(subject, predicate, object) with subjects and objects as 'kind/slug'."""
    return {(short(r.subject), r.predicate, short(r.object)) for r in run(text, language, script).relations}


def mentions(text: str, language: str = "zh", script: str | None = None) -> list[tuple[str, str]]:
    return [(m.text, m.type) for m in run(text, language, script).mentions]


def has_symmetric(found, a, predicate, b) -> bool:
    return (a, predicate, b) in found or (b, predicate, a) in found


# ── one test per relation family ─────────────────────────────────────────────

NADELLA, MICROSOFT = "person/satya-nadella", "org/microsoft"


@pytest.mark.parametrize("text, language, script", [
    ("微软CEO纳德拉周二表示，公司将继续扩建数据中心。", "zh", "Hans"),
    ("微軟CEO納德拉週二表示，公司將繼續擴建數據中心。", "zh", "Hant"),
    ("微软首席执行官纳德拉认为，算力需求依然旺盛。", "zh", "Hans"),
    ("Microsoft CEO Satya Nadella said on Tuesday the company would keep building.", "en", "Latn"),
    ("Satya Nadella, chief executive of Microsoft, told investors demand was strong.", "en", "Latn"),
])
def test_ceo_of(text, language, script):
    found = triples(text, language, script)
    assert (NADELLA, "ceoOf", MICROSOFT) in found
    assert (MICROSOFT, "ceoOf", NADELLA) not in found


def test_ceo_of_unknown_chinese_name_after_title():
    found = triples("阿里巴巴CEO吴明远表示，云业务增长强劲。")
    assert ("person/吴明远", "ceoOf", "org/alibaba-group") in found


@pytest.mark.parametrize("text, language, script", [
    ("OpenAI联合创始人奥特曼表示，新模型将于下月发布。", "zh", "Hans"),
    ("OpenAI聯合創始人奧特曼表示，新模型將於下月發布。", "zh", "Hant"),
    ("OpenAI co-founder Sam Altman said the new model would ship next month.", "en", "Latn"),
])
def test_founder_of(text, language, script):
    found = triples(text, language, script)
    assert ("person/sam-altman", "founderOf", "org/openai") in found
    assert ("org/openai", "founderOf", "person/sam-altman") not in found


@pytest.mark.parametrize("text, script, person, org", [
    ("Halcyon管理公司管理合伙人兼首席投资官Maria Lopez表示，算力需求依然强劲。", "Hans",
     "person/maria-lopez", "org/halcyon-management"),
    ("Halcyon管理公司管理合夥人兼首席投資官Maria Lopez表示，算力需求依然強勁。", "Hant",
     "person/maria-lopez", "org/halcyon-management"),
])
def test_works_for_through_a_title_chain_zh(text, script, person, org):
    found = triples(text, "zh", script)
    assert (person, "worksFor", org) in found
    assert (org, "worksFor", person) not in found


def test_works_for_en():
    found = triples("Maria Lopez, managing partner of Halcyon Capital, said demand for chips remained strong.", "en")
    assert ("person/maria-lopez", "worksFor", "org/halcyon-capital") in found


@pytest.mark.parametrize("text, language, script", [
    ("谷歌的Gemini在多项测试中领先。", "zh", "Hans"),
    ("谷歌的Gemini在多項測試中領先。", "zh", "Hant"),
    ("Google's Gemini led in several benchmarks.", "en", "Latn"),
])
def test_develops(text, language, script):
    found = triples(text, language, script)
    assert ("org/google", "develops", "product/gemini") in found
    assert ("product/gemini", "develops", "org/google") not in found


@pytest.mark.parametrize("text, language, script", [
    ("摩根士丹利分析师在报告中下调了英伟达的目标价。", "zh", "Hans"),
    ("摩根士丹利分析師在報告中下調了輝達的目標價。", "zh", "Hant"),
    ("Analysts at Morgan Stanley said Nvidia's margins would recover.", "en", "Latn"),
])
def test_analyst_of(text, language, script):
    found = triples(text, language, script)
    assert ("org/morgan-stanley", "analystOf", "org/nvidia") in found
    assert ("org/nvidia", "analystOf", "org/morgan-stanley") not in found


@pytest.mark.parametrize("text, language, script, outlet", [
    ("据The Information报道，微软正在放缓数据中心建设。", "zh", "Hans", "org/the-information"),
    ("據彭博社報道，微軟正在放緩數據中心建設。", "zh", "Hant", "org/bloomberg"),
    ("The Information reported that Microsoft was slowing its data center buildout.", "en", "Latn",
     "org/the-information"),
])
def test_reported_on(text, language, script, outlet):
    found = triples(text, language, script)
    assert (outlet, "reportedOn", MICROSOFT) in found
    assert (MICROSOFT, "reportedOn", outlet) not in found


@pytest.mark.parametrize("text, language, script, group", [
    ("亚马逊取消了与多家私营数据中心运营商的租赁协议。", "zh", "Hans", "org/私营数据中心运营商"),
    ("亞馬遜取消了與多家私營數據中心運營商的租賃協議。", "zh", "Hant", "org/私营数据中心运营商"),
    ("Amazon cancelled leases with two private data center operators.", "en", "Latn",
     "org/private-data-center-operators"),
])
def test_cancelled_lease_with(text, language, script, group):
    found = triples(text, language, script)
    assert ("org/amazon", "cancelledLeaseWith", group) in found
    assert (group, "cancelledLeaseWith", "org/amazon") not in found


@pytest.mark.parametrize("text, language, script", [
    ("腾讯收购了Lumen Games。", "zh", "Hans"),
    ("游戏公司Lumen Games被腾讯收购。", "zh", "Hans"),
    ("遊戲公司Lumen Games被騰訊以12億美元收購。", "zh", "Hant"),
])
def test_acquired_zh_active_and_passive(text, language, script):
    found = triples(text, language, script)
    assert ("org/tencent", "acquired", "org/lumen-games") in found
    assert ("org/lumen-games", "acquired", "org/tencent") not in found


@pytest.mark.parametrize("text", [
    "GitHub was acquired by Microsoft in 2018.",
    "Microsoft acquired GitHub in 2018.",
])
def test_acquired_en_active_and_passive(text):
    found = triples(text, "en")
    assert ("org/microsoft", "acquired", "org/github") in found
    assert ("org/github", "acquired", "org/microsoft") not in found


@pytest.mark.parametrize("text, language, script", [
    ("微软与OpenAI在云计算领域展开合作。", "zh", "Hans"),
    ("微軟與OpenAI在雲端運算領域展開合作。", "zh", "Hant"),
    ("Microsoft partnered with OpenAI on cloud computing.", "en", "Latn"),
])
def test_partner_of(text, language, script):
    assert has_symmetric(triples(text, language, script), MICROSOFT, "partnerOf", "org/openai")


@pytest.mark.parametrize("text, language, script", [
    ("软银向OpenAI注资400亿美元。", "zh", "Hans"),
    ("軟銀向OpenAI注資400億美元。", "zh", "Hant"),
    ("SoftBank plans to invest in OpenAI this year.", "en", "Latn"),
])
def test_invests_in(text, language, script):
    found = triples(text, language, script)
    assert ("org/softbank-group", "investsIn", "org/openai") in found
    assert ("org/openai", "investsIn", "org/softbank-group") not in found


@pytest.mark.parametrize("text, language, script, a, b", [
    ("AMD与英伟达在AI芯片市场竞争。", "zh", "Hans", "org/amd", "org/nvidia"),
    ("AMD與輝達在AI晶片市場競爭。", "zh", "Hant", "org/amd", "org/nvidia"),
    ("AMD competes with Nvidia for data center customers.", "en", "Latn", "org/amd", "org/nvidia"),
    ("Gemini与GPT-4o在多模态领域竞争。", "zh", "Hans", "product/gemini", "product/gpt-4o"),
    ("OpenAI的竞争对手Anthropic获得新一轮融资。", "zh", "Hans", "org/anthropic", "org/openai"),
])
def test_competes_with(text, language, script, a, b):
    assert has_symmetric(triples(text, language, script), a, "competesWith", b)


def test_company_does_not_compete_with_a_product():
    found = triples("Anthropic的Claude正与OpenAI争夺企业客户。")
    assert not has_symmetric(found, "product/claude", "competesWith", "org/openai")


@pytest.mark.parametrize("text, language, script", [
    ("微软为OpenAI提供云计算服务。", "zh", "Hans"),
    ("微軟為OpenAI提供雲端運算服務。", "zh", "Hant"),
    ("Microsoft provides cloud computing capacity to OpenAI.", "en", "Latn"),
])
def test_provides_service_to(text, language, script):
    found = triples(text, language, script)
    assert (MICROSOFT, "providesServiceTo", "org/openai") in found
    assert ("org/openai", "providesServiceTo", MICROSOFT) not in found


@pytest.mark.parametrize("text, language, script", [
    ("Meta将在Iowa Ankeny建设新的数据中心。", "zh", "Hans"),
    ("Meta將在Iowa Ankeny建設新的數據中心。", "zh", "Hant"),
    ("Meta将在艾奥瓦州Ankeny建设新的数据中心。", "zh", "Hans"),
    ("Meta will build a new data center in Ankeny, Iowa.", "en", "Latn"),
])
def test_nested_places(text, language, script):
    found = triples(text, language, script)
    assert ("place/ankeny", "locatedIn", "place/iowa") in found
    assert ("place/iowa", "locatedIn", "place/ankeny") not in found


def test_headquartered_in():
    assert ("org/nvidia", "headquarteredIn", "place/santa-clara") in triples("英伟达总部位于圣克拉拉。")


# ── negatives ─────────────────────────────────────────────────────────────────

def test_listing_gives_no_relation():
    x = run("以宏远控股、金桥股份、雅戈尔为例，传统企业也在加码人工智能。")
    assert x.relations == []


@pytest.mark.parametrize("text, language", [
    ("周二市场整体平稳，投资者观望情绪浓厚。", "zh"),
    ("微软和谷歌周二均发布了季度财报。", "zh"),
    ("Markets were calm on Tuesday as investors waited for inflation data.", "en"),
    ("Microsoft and Google both reported quarterly earnings on Tuesday.", "en"),
])
def test_unrelated_sentences_give_no_relation(text, language):
    assert triples(text, language) == set()


def test_short_gap_does_not_cross_a_clause_zh():
    found = triples("微软股价下跌，亚马逊则与OpenAI展开合作。")
    assert has_symmetric(found, "org/amazon", "partnerOf", "org/openai")
    assert not has_symmetric(found, MICROSOFT, "partnerOf", "org/openai")


def test_short_gap_does_not_cross_a_clause_en():
    found = triples("Microsoft shares fell, and Amazon said it would partner with OpenAI.", "en")
    assert has_symmetric(found, "org/amazon", "partnerOf", "org/openai")
    assert not has_symmetric(found, MICROSOFT, "partnerOf", "org/openai")


def test_subject_slot_does_not_reach_across_a_clause_zh():
    assert triples("腾讯表示，收购Lumen Games的计划已经取消。") == set()


def test_relations_stay_inside_one_sentence():
    found = triples("微软发布了财报。OpenAI与谷歌展开合作。")
    assert has_symmetric(found, "org/google", "partnerOf", "org/openai")
    assert not any(MICROSOFT in (s, o) for s, _, o in found)


def test_coordinated_possessors_do_not_share_a_possession():
    found = triples("Alphabet's Google and Microsoft's Azure are fighting for cloud customers.", "en")
    assert (MICROSOFT, "develops", "product/azure") in found
    assert ("org/google", "develops", "product/azure") not in found


def test_coordinated_subjects_share_the_relation():
    found = triples("微软和谷歌为OpenAI提供云计算服务。")
    assert (MICROSOFT, "providesServiceTo", "org/openai") in found
    assert ("org/google", "providesServiceTo", "org/openai") in found


# ── entities ──────────────────────────────────────────────────────────────────

def test_class_noun_types_a_latin_name_as_company():
    assert ("Foo Bar Realty", "Company") in mentions("数据中心公司Foo Bar Realty计划扩张。")


def test_stock_price_follower_types_a_latin_name_as_company():
    assert ("Bazelon", "Company") in mentions("Bazelon股价周一下跌。")


def test_title_types_a_latin_name_as_person():
    assert ("John Smith", "Person") in mentions("首席投资官John Smith表示，算力需求强劲。")


def test_chinese_suffix_belongs_to_the_company_mention():
    found = run("Halcyon管理公司表示已出售部分股份。")
    assert [(m.text, m.type) for m in found.mentions] == [("Halcyon管理公司", "Company")]


def test_versioned_name_is_an_ai_model():
    assert ("Zorp-5", "AIModel") in mentions("新模型Zorp-5在多项测试中表现出色。")
    assert ("Zorp-5", "AIModel") in mentions("Startup Acme released Zorp-5 on Monday.", "en")


def test_outlet_before_report_is_a_news_outlet():
    assert ("Tech Ledger", "NewsOutlet") in mentions("据Tech Ledger报道，该公司计划扩张。")


def test_lone_first_name_joins_the_full_name():
    found = run("首席投资官John Smith表示，算力需求强劲。John认为，明年仍将增长。")
    people = [m for m in found.mentions if m.type == "Person"]
    assert [m.text for m in people] == ["John Smith", "John"]
    assert len({m.entity for m in people}) == 1
    assert [e.iri for e in found.entities if e.type == "Person"] == [ENTITY + "person/john-smith"]


@pytest.mark.parametrize("text", ["Channel Check显示，AI服务器需求强劲。", "AI热潮推高了GPU价格。"])
def test_untyped_latin_words_are_not_entities_zh(text):
    assert run(text).mentions == []


@pytest.mark.parametrize("text", ["Investors poured money into AI this year.", "The AI boom lifted Nvidia shares."])
def test_ai_is_not_an_entity_en(text):
    assert all(m.text != "AI" for m in run(text, "en").mentions)


def test_quantified_group_zh():
    assert mentions("多个私营数据中心运营商表示担忧。") == [("私营数据中心运营商", "Organization")]


def test_bare_quantified_noun_is_not_a_group_zh():
    assert mentions("多家公司表示担忧。") == []


def test_quantified_group_en():
    found = mentions("Two private data center operators expressed concern.", "en")
    assert ("private data center operators", "Organization") in found


def test_lower_case_apple_is_the_fruit():
    found = run("She ate an apple before the earnings call.", "en")
    assert all(m.entity != ENTITY + "org/apple" for m in found.mentions)
    found = run("Apple said iPhone sales were strong.", "en")
    assert ENTITY + "org/apple" in [m.entity for m in found.mentions]


def test_mention_offsets_point_into_the_original_traditional_text():
    text = "據彭博社報道，微軟CEO納德拉表示，輝達的晶片供不應求。"
    found = run(text, script="Hant")
    assert {m.text for m in found.mentions} >= {"彭博社", "微軟", "納德拉", "輝達"}
    for m in found.mentions:
        assert text[m.start:m.end] == m.text


def test_capitalised_label_words_must_be_capitalised_in_text():
    x = process(Article(id="case", source="t", language="en", script="Latn", text=(
        "The paper said suppliers would ship more apples, according to The Paper.")))
    outlets = [m for m in x.mentions if m.entity and m.entity.endswith("/the-paper")]
    assert [m.text for m in outlets] == ["The Paper"]


@pytest.mark.parametrize("text, names", [
    # invented names, so that no knowledge-base entry can be what finds them
    ("鼎峰控股宣布与禾川股份合作。", ["鼎峰控股", "禾川股份"]),
    ("近日，澜芯科技发布新一代GPU芯片。", ["澜芯科技"]),
    ("瀚渊集团和澄岳控股均有布局。", ["瀚渊集团", "澄岳控股"]),
    ("据悉，锐翎技术股份有限公司将在上海建厂。", ["锐翎技术股份有限公司"]),
    ("該集團表示將繼續投資。", []),
    ("持有该公司股份的投资者。", []),
    ("中国科技企业加速出海。", []),
    ("互联网科技公司纷纷跟进。", []),
])
def test_chinese_organisation_names_with_a_suffix(text, names):
    script = "Hant" if "該" in text else "Hans"
    x = process(Article(id="s", source="t", language="zh", script=script, text=text))
    assert [m.text for m in x.mentions if m.rule == "suffix"] == names


def _mentions(text, language="zh", script="Hans"):
    return process(Article(id="d", source="t", language=language, script=script, text=text)).mentions


def test_a_defined_short_name_stands_for_the_full_name_everywhere():
    text = ("鼎峰电力股份有限公司（以下简称“鼎峰电力”）周一公告。\n"
            "鼎峰电力首席执行官赵立明表示，鼎峰电力将扩大产能。")
    mentions = _mentions(text)
    shorts = [m for m in mentions if m.text == "鼎峰电力"]
    assert len(shorts) == 3  # the definition itself and both later uses
    assert {m.full_name for m in shorts} == {"鼎峰电力股份有限公司"}
    x = process(Article(id="d", source="t", language="zh", script="Hans", text=text))
    assert [(r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations
            if r.predicate == "ceoOf"] == [("赵立明", "ceoOf", "鼎峰电力")]  # new org IRIs drop the legal suffix


def test_a_company_short_name_is_typed_as_the_company_and_found_again():
    mentions = _mentions("Corvane Semiconductor agreed to buy a rival. Corvane chief executive Daniel Okafor "
                         "said Corvane would grow.", "en", "Latn")
    corvane = [m for m in mentions if m.text == "Corvane"]
    assert len(corvane) == 2 and {m.type for m in corvane} == {"Organization"}
    assert {m.full_name for m in corvane} == {"Corvane Semiconductor"}


def test_chinese_transliteration_with_its_latin_original_is_one_person():
    x = process(Article(id="d", source="t", language="zh", script="Hans",
                        text="摩根士丹利分析师约瑟夫·摩尔（Joseph Moore）认为，英伟达毛利率将回升。"))
    people = [e for e in x.entities if e.type == "Person"]
    assert [p.iri.rsplit("/", 1)[1] for p in people] == ["joseph-moore"]
    assert ("joseph-moore", "worksFor", "morgan-stanley") in {
        (r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations}


@pytest.mark.parametrize("text, name", [
    ("公司已取消与贵阳数据中心运营商澜川数据在贵州的部分机房租赁合同。", "澜川数据"),
    ("天枢云主要为大模型企业灵犀智能提供算力服务。", "灵犀智能"),
    ("工业机器人厂商博远机器人拟收购一家公司。", "博远机器人"),
])
def test_a_chinese_name_after_a_class_noun_is_a_company(text, name):
    assert name in [m.text for m in _mentions(text) if m.type == "Company"]


@pytest.mark.parametrize("text", ["该公司高管表示将继续投资。", "这家公司董事会决定分红。", "本财年资本支出将增加。"])
def test_role_nouns_and_compounds_are_not_names(text):
    assert _mentions(text) == []


def test_versioned_model_names_and_their_developers():
    x = process(Article(id="m", source="t", language="en", script="Latn", text=(
        "Anthropic said the model outperforms OpenAI's o3-mini and Google's Gemini 2.0 Flash on coding tasks.")))
    found = {(r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations}
    assert {("openai", "develops", "o3-mini"), ("google", "develops", "gemini-2-0-flash")} <= found
    windows = process(Article(id="w", source="t", language="en", script="Latn",
                              text="On March 3 Microsoft released Windows 11 updates.")).mentions
    assert [(m.text, m.type) for m in windows if "Windows" in m.text] == [("Windows 11", "Product")]
    assert not any(m.text.startswith("March") for m in windows)


def test_coordinated_names_in_one_ner_span_stay_two_entities():
    x = process(Article(id="f", source="t", language="en", script="Latn", text=(
        "Meta Platforms, the owner of Facebook and Instagram, raised its spending plan on Friday.")))
    iris = {e.iri.rsplit("/", 1)[1] for e in x.entities}
    assert {"facebook", "instagram"} <= iris and "facebook-and-instagram" not in iris


def test_a_multi_word_short_name_joins_the_full_name():
    """Whatever the NER calls the short form, it is the company the article named in full."""
    from kg.extract import entities
    from kg.models import Mention
    from kg.nlp import analyse

    text = ("Prairie Grid Energy agreed to supply power to a data center campus. "
            "Prairie Grid will build a gas plant next to the site, and Prairie Grid shares rose.")
    doc = analyse(Article(id="p", source="t", language="en", script="Latn", text=text))
    first, second = text.index("Prairie Grid will"), text.index("Prairie Grid shares")
    doc = doc.model_copy(update={"ner": [
        Mention(text="Prairie Grid Energy", start=0, end=19, type="Organization", rule="ner"),
        Mention(text="Prairie Grid", start=first, end=first + 12, type="Person", rule="ner")]})
    found = entities.find_mentions(doc)
    shorts = [m for m in found if m.text == "Prairie Grid"]
    assert [(m.start, m.type, m.full_name) for m in shorts] == [
        (first, "Organization", "Prairie Grid Energy"), (second, "Organization", "Prairie Grid Energy")]


def test_chinese_places_with_administrative_suffixes():
    x = process(Article(id="pl", source="t", language="zh", script="Hans",
                        text="天枢云位于呼和浩特市和林格尔新区的数据中心投运，公司还在江苏省昆山市建厂，开发区建设加快。"))
    places = {m.text: m.entity.rsplit("/", 1)[1] for m in x.mentions if m.type == "Place"}
    assert places == {"呼和浩特市": "hohhot", "和林格尔新区": "和林格尔新区", "江苏省": "jiangsu", "昆山市": "昆山市"}
    found = {(r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations}
    assert {("和林格尔新区", "locatedIn", "hohhot"), ("昆山市", "locatedIn", "jiangsu")} <= found


def test_a_lone_word_the_ner_calls_a_person_is_a_company_without_a_full_name():
    from kg.extract import entities
    from kg.models import Mention
    from kg.nlp import analyse

    text = "Corvane reported revenue of $14 billion. Maya Lindqvist, Corvane's chief executive, said demand held."
    doc = analyse(Article(id="c", source="t", language="en", script="Latn", text=text))
    second = text.index("Corvane's")
    doc = doc.model_copy(update={"ner": [
        Mention(text="Corvane", start=0, end=7, type="Person", rule="ner"),
        Mention(text="Maya Lindqvist", start=41, end=55, type="Person", rule="ner"),
        Mention(text="Corvane", start=second, end=second + 7, type="Person", rule="ner")]})
    types = {(m.text, m.type) for m in entities.find_mentions(doc)}
    assert types == {("Corvane", "Organization"), ("Maya Lindqvist", "Person")}


def test_a_bracketed_alias_does_not_break_a_pattern():
    x = process(Article(id="b", source="t", language="zh", script="Hans", text="台积电为辉达（NVIDIA）代工芯片。"))
    found = {(r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations}
    assert ("tsmc", "providesServiceTo", "nvidia") in found


def test_the_rare_first_word_of_a_chinese_company_name_is_its_short_form():
    x = process(Article(id="h", source="t", language="zh", script="Hant",
                        text="晶圓代工廠台晶微電子公布營收。台晶董事長林志明表示，台晶將擴產。"))
    shorts = [m for m in x.mentions if m.text == "台晶"]
    assert len(shorts) == 2 and {m.full_name for m in shorts} == {"台晶微電子"}
    found = {(r.subject.rsplit("/", 1)[1], r.predicate, r.object.rsplit("/", 1)[1]) for r in x.relations}
    assert ("林志明", "worksFor", "台晶微电子") in found


@pytest.mark.parametrize("text, name", [
    ("总部位于合肥的新能源车企极川汽车宣布扩产。", "极川汽车"),
    ("公司拟收购锐能材料。", "锐能材料"),
])
def test_industry_words_close_a_rare_name(text, name):
    assert name in [m.text for m in _mentions(text) if m.type == "Company"]


@pytest.mark.parametrize("text", ["中国汽车市场增长放缓。", "新材料行业迎来机遇。"])
def test_industry_words_after_vocabulary_are_no_name(text):
    assert [m for m in _mentions(text) if m.rule == "suffix"] == []


# ── Chinese names jieba keeps whole, and the longest name ────────────────────

@pytest.mark.parametrize("text, script, names", [
    ("浦发银行与东方航空签署战略合作协议。", "Hans", ["浦发银行", "东方航空"]),
    ("浦發銀行與東方航空簽署戰略合作協議。", "Hant", ["浦發銀行", "東方航空"]),
    ("中国建设银行向华润集团提供贷款。", "Hans", ["中国建设银行", "华润集团"]),
    ("商业银行纷纷下调存款利率。", "Hans", []),  # vocabulary, not a bank
    ("外贸公司的订单减少。", "Hans", []),
])
def test_chinese_company_names_jieba_keeps_as_one_word(text, script, names):
    found = process(Article(id="w", source="t", language="zh", script=script, text=text)).mentions
    assert [m.text for m in found if m.rule == "org-word"] == names


@pytest.mark.parametrize("text, script, name", [
    ("上海澜芯集团股份有限公司宣布收购禾川股份。", "Hans", "上海澜芯集团股份有限公司"),
    ("上海瀾芯集團股份有限公司宣佈收購禾川股份。", "Hant", "上海瀾芯集團股份有限公司"),
    ("中国建设银行向鼎峰控股提供贷款。", "Hans", "中国建设银行"),
])
def test_a_place_at_the_start_of_a_longer_name_is_part_of_it(text, script, name):
    found = process(Article(id="p", source="t", language="zh", script=script, text=text)).mentions
    assert (name, "Company") in [(m.text, m.type) for m in found]
    assert not any(m.type == "Place" for m in found)


@pytest.mark.parametrize("text, script, name", [
    ("其控股股东瀚渊集团有限公司累计减持公司股份。", "Hans", "瀚渊集团有限公司"),
    ("其控股股東瀚淵集團有限公司累計減持公司股份。", "Hant", "瀚淵集團有限公司"),
])
def test_a_role_noun_before_a_legal_name_is_not_part_of_it(text, script, name):
    found = process(Article(id="r", source="t", language="zh", script=script, text=text)).mentions
    assert name in [m.text for m in found if m.rule == "suffix"]
