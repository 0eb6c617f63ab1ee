"""kg.query on the fixture dataset: loading, SELECT/ASK/GRAPH/CONSTRUCT, the three output formats, errors."""
import csv
import io
import json

import pytest

from kg import query
from tests.fixtures import write_dataset


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return query.load(write_dataset(tmp_path_factory.mktemp("graph")))


LABELS_OF_MICROSOFT = """
SELECT ?entity ?label WHERE { ?entity rdfs:label ?label . FILTER(?entity = org:microsoft) }
ORDER BY ?label
"""


def test_select_table_compacts_iris_and_aligns_chinese(store):
    result = query.run(store, "SELECT ?label ?entity WHERE { ?entity rdfs:label ?label } ORDER BY ?label")
    table = query.format_result(result, "table").splitlines()
    assert table[0].split() == ["label", "entity"]
    rows = [line.split("  ") for line in table[2:]]
    assert ["微軟", "org:microsoft"] in [[cell.strip() for cell in row if cell] for row in rows]
    # The entity column starts at the same display column on every line, CJK characters counting two.
    starts = {query.width(line[: line.rindex(" ") + 1]) for line in [table[0], *table[2:]]}
    assert len(starts) == 1
    assert any("纳德拉" in line for line in table)  # a zh-Hans label of an entity without an English one


def test_select_json_is_sparql_results_json_with_full_iris(store):
    document = json.loads(query.format_result(query.run(store, LABELS_OF_MICROSOFT), "json"))
    assert document["head"]["vars"] == ["entity", "label"]
    first = document["results"]["bindings"][0]
    assert first["entity"] == {"type": "uri", "value": "https://w3id.org/newskg/entity/org/microsoft"}
    assert first["label"] == {"type": "literal", "value": "Microsoft", "xml:lang": "en"}


def test_typed_literals_carry_their_datatype_in_json(store):
    result = query.run(store, "SELECT ?change WHERE { ?event nkg:percentChange ?change }")
    binding = json.loads(query.format_result(result, "json"))["results"]["bindings"][0]["change"]
    assert binding["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert float(binding["value"]) == -1.9


def test_select_csv_has_header_and_full_iris(store):
    rows = list(csv.reader(io.StringIO(query.format_result(query.run(store, LABELS_OF_MICROSOFT), "csv"))))
    assert rows[0] == ["entity", "label"]
    assert rows[1] == ["https://w3id.org/newskg/entity/org/microsoft", "Microsoft"]
    assert len(rows) == 4


def test_ask(store):
    assert query.run(store, "ASK { person:satya-nadella nkg:ceoOf org:microsoft }").boolean is True
    no = query.run(store, "ASK { org:microsoft nkg:ceoOf person:satya-nadella }")
    assert no.boolean is False
    assert query.format_result(no, "table") == "false"
    assert json.loads(query.format_result(no, "json")) == {"head": {}, "boolean": False}


def test_graph_query_reaches_article_graphs_and_evidence(store):
    result = query.run(store, """
        SELECT ?title ?evidence WHERE {
          GRAPH ?article { ?st rdf:predicate nkg:ceoOf ; nkg:evidenceText ?evidence ;
                               prov:wasDerivedFrom ?article . ?article dcterms:title ?title } }""")
    assert result.rows == [["微軟回應大砍算力AI傳聞", '微軟執行長納德拉說"算力過剩"<script>alert(1)</script>']]
    rows = list(csv.reader(io.StringIO(query.format_result(result, "csv"))))
    assert rows[1][1].endswith("<script>alert(1)</script>")  # the quote survives CSV quoting


def test_unbound_values_are_empty(store):
    result = query.run(store, """
        SELECT ?entity ?en WHERE { ?entity a nkg:Person OPTIONAL { ?entity rdfs:label ?en FILTER(lang(?en) = "en") } }""")
    assert result.rows == [["person:satya-nadella", None]]
    assert "en" not in json.loads(query.format_result(result, "json"))["results"]["bindings"][0]


def test_construct_returns_triples(store):
    result = query.run(store, "CONSTRUCT { ?s nkg:ceoOf ?o } WHERE { ?s nkg:ceoOf ?o }")
    assert len(result.triples) == 1
    assert result.rows == [["person:satya-nadella", "nkg:ceoOf", "org:microsoft"]]


def test_syntax_error_is_a_one_line_value_error(store):
    with pytest.raises(ValueError) as error:
        query.run(store, "SELECT ?x WHERE { ?x nkg:ceoOf }")
    assert "\n" not in str(error.value) and str(error.value)


def test_load_rejects_unknown_suffix_and_bad_syntax(tmp_path):
    unknown = tmp_path / "graph.xyz"
    unknown.write_text("")
    with pytest.raises(ValueError, match="graph.xyz"):
        query.load(unknown)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.ttl"):
        query.load(broken)


def test_load_turtle_into_default_graph(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text('<https://w3id.org/newskg/entity/org/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .')
    assert query.run(query.load(path), "ASK { org:x rdfs:label 'X' }").boolean is True
