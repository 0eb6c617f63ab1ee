"""SHACL shapes: the built example conforms; a graph broken in each key way does not, and says why."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg import validate
from kg.store import PREFIXES, STORE_DIR
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def built(bilingual_build) -> ox.Store:
    return ox.Store.read_only(str(bilingual_build / STORE_DIR))


def broken(built: ox.Store, update: str) -> ox.Store:
    """A copy of the built store with one SPARQL update applied."""
    copy = ox.Store()
    copy.bulk_extend(built)
    copy.update(update, prefixes=PREFIXES)
    return copy


def test_the_built_chinese_and_english_articles_conform(built):
    report = validate.validate(built)
    assert report.conforms, validate.format_report(report)
    assert report.nodes_checked > 50
    assert validate.format_report(report) == f"conforms ({report.nodes_checked} nodes checked)"


FIRST_STATEMENT = "{ SELECT ?st WHERE { GRAPH ?g { ?st a rdf:Statement } } ORDER BY ?st LIMIT 1 }"
FIRST_EVENT = "{ SELECT ?e WHERE { ?e nkg:participant ?x } ORDER BY ?e LIMIT 1 }"


@pytest.mark.parametrize("update, shape, message", [
    (f"DELETE {{ GRAPH ?g {{ ?st nkg:status ?s }} }} INSERT {{ GRAPH ?g {{ ?st nkg:status nkg:Confirmed }} }} "
     f"WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st nkg:status ?s }} }}",
     "ClaimShape", "one of the ontology's statuses"),
    (f"DELETE {{ GRAPH ?g {{ ?st nkg:confidence ?c }} }} INSERT {{ GRAPH ?g {{ ?st nkg:confidence 1.7 }} }} "
     f"WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st nkg:confidence ?c }} }}",
     "ConfidenceShape", "nkg:confidence must be an xsd:decimal in [0, 1]"),
    (f"DELETE {{ GRAPH ?g {{ ?st nkg:evidenceText ?t }} }} WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st nkg:evidenceText ?t }} }}",
     "ClaimShape", "evidence sentence"),
    ("INSERT DATA { org:microsoft nkg:ceoOf org:openai }",
     "EntityShape", "is the subject of nkg:ceoOf but is not a nkg:Person"),
    ("INSERT DATA { person:satya-nadella nkg:develops org:openai }",
     "EntityShape", "the object of nkg:develops, is not a nkg:Product"),
    ('INSERT { GRAPH ?g { ?a schema:datePublished "2025-02-26"^^xsd:date } } '
     "WHERE { GRAPH ?g { ?a a schema:NewsArticle } }",
     "ArticleShape", "at most one schema:datePublished"),
    (f"DELETE {{ GRAPH ?g {{ ?st rdf:predicate ?p }} }} INSERT {{ GRAPH ?g {{ ?st rdf:predicate nkg:likes }} }} "
     f"WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st rdf:predicate ?p }} }}",
     "StatementShape", "nkg:likes is not a relation of the ontology"),
    ("DELETE WHERE { ?f nkg:sourceCount ?n }", "FactShape", "nkg:sourceCount"),
    (f"DELETE {{ GRAPH ?g {{ ?st nkg:evidenceStart ?s }} }} INSERT {{ GRAPH ?g {{ ?st nkg:evidenceStart 99999 }} }} "
     f"WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st nkg:evidenceStart ?s }} }}",
     "StatementShape", "before its nkg:evidenceEnd"),
    (f"INSERT {{ GRAPH ?g {{ ?st nkg:status nkg:Denied, nkg:Reported }} }} WHERE {{ {FIRST_STATEMENT} GRAPH ?g {{ ?st a rdf:Statement }} }}",
     "StatementShape", "a statement has one nkg:status"),
    ("DELETE WHERE { GRAPH ?g { ?st nkg:extractedBy ?x } }", "StatementShape", "nkg:extractedBy"),
    ("DELETE WHERE { GRAPH ?g { ?a dcterms:identifier ?id } }", "ArticleShape", "dcterms:identifier"),
    ("INSERT { GRAPH ?g { ?a schema:url 'not an IRI' } } WHERE { GRAPH ?g { ?a a schema:NewsArticle } }",
     "ArticleShape", "schema:url, an IRI"),
    ("DELETE { GRAPH ?g { org:microsoft a ?t } } INSERT { GRAPH ?g { org:microsoft a nkg:Status } } "
     "WHERE { GRAPH ?g { org:microsoft a ?t } } ; "
     "DELETE { org:microsoft a ?t } INSERT { org:microsoft a nkg:Status } WHERE { org:microsoft a ?t }",
     "EntityShape", "an instance of an entity class"),
    (f"DELETE {{ GRAPH ?g {{ ?e a ?t }} }} INSERT {{ GRAPH ?g {{ ?e a nkg:Fact }} }} WHERE {{ {FIRST_EVENT} GRAPH ?g {{ ?e a ?t }} }} ; "
     f"DELETE {{ ?e a ?t }} INSERT {{ ?e a nkg:Fact }} WHERE {{ {FIRST_EVENT} ?e a ?t }}",
     "EventShape", "an instance of an event class"),
    (f"INSERT {{ ?e nkg:participant ?a }} WHERE {{ {FIRST_EVENT} GRAPH ?g {{ ?a a schema:NewsArticle }} }}",
     "EventShape", "each an entity"),
    (f"INSERT {{ ?e a nkg:Rumour }} WHERE {{ {FIRST_EVENT} }}", "EventShape", "an event's types are classes of the ontology"),
])
def test_a_broken_graph_fails_its_shape_with_a_message(built, update, shape, message):
    report = validate.validate(broken(built, update))
    assert not report.conforms
    assert any(v.shape == shape and message in v.message for v in report.violations), validate.format_report(report)


def test_a_nested_shape_is_reported_once_by_the_shape_that_uses_it(built):
    """pyshacl adds sh:node's inner results as details of the outer one: not violations of their own."""
    report = validate.validate(broken(built, f"INSERT {{ ?e nkg:participant article:none }} WHERE {{ {FIRST_EVENT} }}"))
    assert [(v.shape, v.value) for v in report.violations] == [("EventShape", "article:none")]


def test_an_undated_untitled_article_conforms_with_warnings(built):
    report = validate.validate(broken(built, "DELETE WHERE { GRAPH ?g { ?a schema:datePublished ?d ; dcterms:title ?t } }"))
    assert report.conforms and not report.violations
    assert {(w.shape, w.message) for w in report.warnings} == {
        ("ArticleShape", "an article without a schema:datePublished: its facts cannot be dated"),
        ("ArticleShape", "an article without a dcterms:title")}
    assert "warning(s): 4" in validate.format_report(report)  # two articles, two warnings each


def test_the_report_groups_violations_by_shape_with_focus_nodes(built):
    report = validate.validate(broken(built, "INSERT DATA { org:microsoft nkg:ceoOf org:openai }"))
    lines = validate.format_report(report).splitlines()
    assert lines[0].startswith("does not conform: 1 violation(s) of 1 shape(s)")
    assert lines[1] == "EntityShape (1)"
    assert lines[2].startswith("  org:microsoft nkg:ceoOf = org:openai: org:microsoft is the subject of nkg:ceoOf")


def test_cli_exit_status_json_and_quiet(bilingual_build, tmp_path):
    ok = run_cli("validate", "-s", bilingual_build)
    assert ok.exit_code == 0 and ok.stdout.startswith("conforms (")
    assert run_cli("validate", "-s", bilingual_build, "--quiet").stdout == ""
    as_json = json.loads(run_cli("validate", bilingual_build / "graph.trig", "--json").stdout)
    assert as_json["conforms"] is True and as_json["violations"] == []
    facts_only = run_cli("validate", bilingual_build / "graph.ttl", "--json")  # no statements behind the facts
    assert facts_only.exit_code == 1
    assert {v["shape"] for v in json.loads(facts_only.stdout)["violations"]} >= {"FactShape"}



def test_cli_exit_status_2_when_there_is_nothing_to_validate(tmp_path):
    """1 means "does not conform": a script must tell it from a graph that could not be read."""
    missing = run_cli("validate", "-s", tmp_path)
    assert missing.exit_code == 2 and str(tmp_path / STORE_DIR) in missing.stderr and missing.stdout == ""
    garbled = tmp_path / "graph.ttl"
    garbled.write_text("not turtle")
    unreadable = run_cli("validate", garbled, "--json")
    assert unreadable.exit_code == 2 and str(garbled) in unreadable.stderr and unreadable.stdout == ""
    assert run_cli("validate", tmp_path / "nowhere.trig").exit_code == 2


def test_reporting_violations_never_counts_the_whole_data_graph(built, monkeypatch):
    """pyshacl asks the data graph for its truth value per result; for an Oxigraph graph that is
    a full count (92 of 106 s on 200 articles), which validate() must keep it from doing."""
    from pyshacl.graph_abstraction import OxigraphDataGraph

    def full_count(self):
        raise AssertionError("len() of the data graph")

    monkeypatch.setattr(OxigraphDataGraph, "__len__", full_count)
    report = validate.validate(broken(built, "INSERT DATA { org:microsoft nkg:ceoOf org:openai }"))
    assert len(report.violations) == 1
