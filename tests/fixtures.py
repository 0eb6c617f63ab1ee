"""A small dataset shaped like the builder's output: merged facts in the default graph,
one named graph per article (a Chinese and an English one) with reified, evidenced statements."""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

NKG = Namespace("https://w3id.org/newskg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ENTITY = "https://w3id.org/newskg/entity/"
ARTICLE = Namespace("https://w3id.org/newskg/article/")
STATEMENT = Namespace("https://w3id.org/newskg/statement/")
EVENT = Namespace("https://w3id.org/newskg/event/")

MICROSOFT = URIRef(ENTITY + "org/microsoft")
OPENAI = URIRef(ENTITY + "org/openai")
TD_COWEN = URIRef(ENTITY + "org/td-cowen")
NETEASE = URIRef(ENTITY + "org/netease")
NADELLA = URIRef(ENTITY + "person/satya-nadella")
GPT4 = URIRef(ENTITY + "product/gpt-4")
ATLANTA = URIRef(ENTITY + "place/atlanta")
ZH_ARTICLE = ARTICLE["zh-microsoft-capex"]
EN_ARTICLE = ARTICLE["en-openai-partnership"]
STOCK_EVENT = EVENT["e1"]

HOSTILE_EVIDENCE = '微軟執行長納德拉說"算力過剩"<script>alert(1)</script>'

ENTITIES = {  # node -> (class, labels)
    MICROSOFT: (NKG.Company, [Literal("Microsoft", lang="en"), Literal("微軟", lang="zh-Hant"),
                              Literal("微软", lang="zh-Hans")]),
    OPENAI: (NKG.Company, [Literal("OpenAI", lang="en")]),
    TD_COWEN: (NKG.Company, [Literal("TD Cowen", lang="en")]),
    NETEASE: (NKG.NewsOutlet, [Literal("網易", lang="zh-Hant")]),
    NADELLA: (NKG.Person, [Literal("納德拉", lang="zh-Hant"), Literal("纳德拉", lang="zh-Hans")]),
    GPT4: (NKG.AIModel, [Literal("GPT-4", lang="en")]),
    ATLANTA: (NKG.Place, [Literal("亞特蘭大", lang="zh-Hant")]),
}

# (subject, property, object, article, evidence, start, end)
RELATIONS = [
    (NADELLA, NKG.ceoOf, MICROSOFT, ZH_ARTICLE, HOSTILE_EVIDENCE, 120, 150),
    (TD_COWEN, NKG.analystOf, MICROSOFT, ZH_ARTICLE, "TD Cowen分析師指出微軟取消了租約。", 10, 28),
    (MICROSOFT, NKG.providesServiceTo, OPENAI, EN_ARTICLE, "Microsoft provides Azure compute to OpenAI.", 0, 43),
    (OPENAI, NKG.develops, GPT4, EN_ARTICLE, "OpenAI develops GPT-4.", 44, 66),
]


def build_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in (("nkg", NKG), ("schema", SCHEMA)):
        ds.bind(prefix, ns)
    default = ds.default_graph
    for node, (cls, labels) in ENTITIES.items():
        default.add((node, RDF.type, cls))
        for label in labels:
            default.add((node, RDFS.label, label))
    default.add((NADELLA, SKOS.altLabel, Literal("Satya Nadella", lang="en")))
    default.add((STOCK_EVENT, RDF.type, NKG.StockPriceChange))
    default.add((STOCK_EVENT, NKG.participant, MICROSOFT))
    default.add((STOCK_EVENT, NKG.percentChange, Literal("-1.9", datatype=XSD.decimal)))
    default.add((STOCK_EVENT, NKG.date, Literal("2025-02-21", datatype=XSD.date)))
    default.add((STOCK_EVENT, RDFS.label, Literal("Microsoft shares fell 1.9%", lang="en")))

    zh = ds.graph(ZH_ARTICLE)
    add_article(zh, ZH_ARTICLE, "微軟回應大砍算力AI傳聞", "2025-02-25", "zh-Hant", [MICROSOFT, NADELLA, TD_COWEN])
    zh.add((ZH_ARTICLE, SCHEMA.publisher, NETEASE))
    zh.add((STOCK_EVENT, PROV.wasDerivedFrom, ZH_ARTICLE))
    zh.add((STOCK_EVENT, NKG.evidenceText, Literal("微軟股價週五下跌1.9%", lang="zh-Hant")))

    en = ds.graph(EN_ARTICLE)
    add_article(en, EN_ARTICLE, "Microsoft & OpenAI extend <b>partnership</b>", "2025-03-01", "en",
                [MICROSOFT, OPENAI, GPT4])
    en.add((EN_ARTICLE, DCTERMS.publisher, Literal("Reuters")))

    graphs = {ZH_ARTICLE: zh, EN_ARTICLE: en}
    for number, (s, p, o, article, evidence, start, end) in enumerate(RELATIONS):
        default.add((s, p, o))
        add_statement(graphs[article], STATEMENT[f"st{number}"], (s, p, o), article, evidence, start, end)
    return ds


def add_article(graph, article, title, date, language, mentions) -> None:
    graph.add((article, RDF.type, SCHEMA.NewsArticle))
    graph.add((article, DCTERMS.title, Literal(title)))
    graph.add((article, SCHEMA.datePublished, Literal(date, datatype=XSD.date)))
    graph.add((article, DCTERMS.language, Literal(language)))
    graph.add((article, SCHEMA.url, Literal(f"https://news.example/{article.rsplit('/', 1)[-1]}")))
    for entity in mentions:
        graph.add((article, SCHEMA.mentions, entity))


def add_statement(graph, statement, triple, article, evidence, start, end) -> None:
    s, p, o = triple
    language = "en" if evidence.isascii() else "zh-Hant"
    graph.add(triple)
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, s))
    graph.add((statement, RDF.predicate, p))
    graph.add((statement, RDF.object, o))
    graph.add((statement, NKG.confidence, Literal("0.9", datatype=XSD.decimal)))
    graph.add((statement, NKG.evidenceText, Literal(evidence, lang=language)))
    graph.add((statement, NKG.evidenceStart, Literal(start)))
    graph.add((statement, NKG.evidenceEnd, Literal(end)))
    graph.add((statement, PROV.wasDerivedFrom, article))


def as_dataset(store) -> Dataset:
    """A ``kg.store.Store``'s graphs (not its bookkeeping) as an rdflib Dataset, for tests that read with rdflib."""
    dataset = Dataset()
    dataset.parse(data=store.canonical_nquads(), format="nquads")
    return dataset


def write_dataset(directory: Path, name: str = "graph.trig") -> Path:
    path = Path(directory) / name
    build_dataset().serialize(destination=str(path), format="trig")
    return path


def all_labels() -> set[str]:
    return {str(label) for _, labels in ENTITIES.values() for label in labels}

