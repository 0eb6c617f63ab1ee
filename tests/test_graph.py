"""The graph stage: named graph per article, reified statements with provenance, merged facts."""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg import export, graph
from kg import store as kg_store
from kg.models import Article
from kg.pipeline import process
from tests.fixtures import as_dataset

TEXT = "小米CEO雷军表示，小米将与英伟达合作。\n英伟达股价周三上涨3.5%。"


def build(extractions) -> Dataset:
    return as_dataset(kg_store.build(extractions))


def _extraction(article_id="a1", text=TEXT):
    return process(Article(id=article_id, source="test", language="zh", script="Hans", text=text,
                           title="小米与英伟达合作", published=dt.date(2025, 3, 6), outlet="网易"))


def test_each_article_has_its_own_named_graph_with_metadata():
    dataset = build([_extraction("a1"), _extraction("a2", "英伟达股价周三上涨3.5%。")])
    node = graph.article_iri("a1")
    article_graph = dataset.graph(node)
    assert (node, RDF.type, graph.SCHEMA.NewsArticle) in article_graph
    assert (node, graph.SCHEMA.datePublished, Literal("2025-03-06", datatype=graph.XSD.date)) in article_graph
    assert (node, graph.SCHEMA.publisher, URIRef("https://w3id.org/newskg/entity/org/netease")) in article_graph
    assert len(list(dataset.graph(graph.article_iri("a2")).triples((None, graph.NKG.ceoOf, None)))) == 0


def test_every_relation_has_a_statement_with_evidence_offsets_and_confidence():
    extraction = _extraction()
    dataset = build([extraction])
    article_graph = dataset.graph(graph.article_iri("a1"))
    statements = list(article_graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == len(extraction.relations) >= 2
    for statement in statements:
        start = article_graph.value(statement, graph.NKG.evidenceStart).toPython()
        end = article_graph.value(statement, graph.NKG.evidenceEnd).toPython()
        assert str(article_graph.value(statement, graph.NKG.evidenceText)) == TEXT[start:end]
        assert 0 < article_graph.value(statement, graph.NKG.confidence).toPython() <= 1
        assert article_graph.value(statement, PROV.wasDerivedFrom) == graph.article_iri("a1")
        triple = (article_graph.value(statement, RDF.subject), article_graph.value(statement, RDF.predicate),
                  article_graph.value(statement, RDF.object))
        assert triple in dataset.default_graph and triple in article_graph


def test_merged_graph_has_labels_events_and_one_edge_per_fact():
    dataset = build([_extraction("a1"), _extraction("a2")])
    merged = dataset.default_graph
    xiaomi = URIRef("https://w3id.org/newskg/entity/org/xiaomi")
    assert (xiaomi, RDFS.label, Literal("Xiaomi", lang="en")) in merged
    ceo = list(merged.triples((None, graph.NKG.ceoOf, xiaomi)))
    assert len(ceo) == 1  # two articles, one merged edge
    move = next(merged.subjects(RDF.type, graph.NKG.StockPriceChange))
    assert merged.value(move, graph.NKG.percentChange).toPython() == 3.5
    assert merged.value(move, graph.NKG.date).toPython() == dt.date(2025, 3, 5)


def test_trig_round_trips_through_rdflib_and_oxigraph(tmp_path):
    store = kg_store.build([_extraction()])
    paths = export.build_files(store.db, tmp_path)
    reread = Dataset()
    reread.parse(paths["trig"], format="trig")
    loaded = ox.Store()
    loaded.load(path=str(paths["trig"]), format=ox.RdfFormat.TRIG)
    assert len(list(reread.quads())) == len(loaded) == len(store.quads())
