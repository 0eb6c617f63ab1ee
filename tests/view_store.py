"""A small store for the viewer, built through the real graph and store stages: a Chinese
and an English article about Microsoft, and a hostile one whose title, evidence and entity name carry
markup and scripts that must show as text."""
from __future__ import annotations

import datetime as dt

from kg import store
from kg.models import Article, Entity, Event, Evidence, Extraction, Relation

E = "https://w3id.org/newskg/entity/"
MICROSOFT, OPENAI, TD_COWEN = E + "org/microsoft", E + "org/openai", E + "org/td-cowen"
NADELLA, GPT4, ATLANTA = E + "person/satya-nadella", E + "product/gpt-4", E + "place/atlanta"
ACME = E + "org/acme-cloud"
STOCK_EVENT = "https://w3id.org/newskg/event/zh-stock"
HOSTILE_TITLE = 'Acme <b>wins</b> & "loses" <img src=x onerror="window.__kgPwned=2">'
HOSTILE_EVIDENCE = ("Acme Cloud supplies OpenAI.<script>window.__kgPwned=1</script>"
                    '<img src=x onerror="window.__kgPwned=2"></script><!-- \u2028')
HOSTILE_NAME = 'Acme <img src=x onerror="window.__kgPwned=4">Cloud'  # a name is article text too
DENIAL = "微软否认停止向OpenAI提供服务。"
ANALYST_EVIDENCE = "TD Cowen分析师指出，微软取消了部分数据中心租约。"

ENTITIES = {
    MICROSOFT: ("Company", {"en": ["Microsoft"], "zh-Hans": ["微软"], "zh-Hant": ["微軟"]}),
    OPENAI: ("Company", {"en": ["OpenAI"]}),
    TD_COWEN: ("Company", {"en": ["TD Cowen"]}),
    NADELLA: ("Person", {"zh-Hans": ["纳德拉"], "en": ["Satya Nadella"]}),
    GPT4: ("AIModel", {"en": ["GPT-4"]}),
    ATLANTA: ("Place", {"zh-Hans": ["亚特兰大"]}),
    ACME: ("Company", {"en": [HOSTILE_NAME]}),
}


def entity(iri: str) -> Entity:
    cls, labels = ENTITIES[iri]
    return Entity(iri=iri, type=cls, labels=labels, resolution="exact")


def relation(s, p, o, article, text, status="reported", asserted_by=None, confidence=0.8) -> Relation:
    return Relation(subject=s, predicate=p, object=o, confidence=confidence, pattern="{S} … {O}", status=status,
                    asserted_by=asserted_by, evidence=Evidence(article=article, text=text, start=0, end=len(text)))


def article(id_, title, published, language, script, url=None, outlet=None) -> Article:
    return Article(id=id_, source=id_, url=url, title=title, published=published, outlet=outlet,
                   language=language, script=script, text="…")


def extractions() -> list[Extraction]:
    zh = article("zh-microsoft", "微软回应大砍算力AI传闻", dt.date(2025, 2, 25), "zh", "Hans",
                 url="https://news.example/zh-microsoft", outlet="网易")
    en = article("en-openai", "Microsoft and OpenAI", dt.date(2025, 3, 1), "en", "Latn",
                 url="https://news.example/en-openai", outlet="Reuters")
    hostile = article("hostile", HOSTILE_TITLE, dt.date(2025, 3, 2), "en", "Latn",
                      url="javascript:window.__kgPwned=3")
    return [
        Extraction(article=zh, entities=[entity(x) for x in (MICROSOFT, NADELLA, TD_COWEN, ATLANTA)], mentions=[],
                   relations=[relation(TD_COWEN, "analystOf", MICROSOFT, zh.id, ANALYST_EVIDENCE, asserted_by=TD_COWEN),
                              relation(NADELLA, "ceoOf", MICROSOFT, zh.id, "微软首席执行官纳德拉表示。"),
                              relation(MICROSOFT, "providesServiceTo", OPENAI, zh.id, DENIAL, status="denied"),
                              relation(MICROSOFT, "cancelledDataCenterIn", ATLANTA, zh.id,
                                       "微软否认取消亚特兰大的数据中心。", status="denied")],
                   events=[Event(iri=STOCK_EVENT, type="StockPriceChange", participants=[MICROSOFT], percent=-1.9,
                                 date=dt.date(2025, 2, 21), confidence=0.8,
                                 evidence=Evidence(article=zh.id, text="微软股价周五下跌1.9%。", start=0, end=12))]),
        Extraction(article=en, entities=[entity(x) for x in (MICROSOFT, OPENAI, GPT4)], mentions=[],
                   relations=[relation(MICROSOFT, "providesServiceTo", OPENAI, en.id,
                                       "Microsoft provides Azure compute to OpenAI."),
                              relation(OPENAI, "develops", GPT4, en.id, "OpenAI develops GPT-4.")],
                   events=[]),
        Extraction(article=hostile, entities=[entity(x) for x in (ACME, OPENAI)], mentions=[],
                   relations=[relation(ACME, "supplierOf", OPENAI, hostile.id, HOSTILE_EVIDENCE)], events=[]),
    ]


def view_store() -> store.Store:
    return store.build(extractions())
