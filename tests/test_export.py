"""Exports: every format round-trips with the store's counts, the bookkeeping graph never leaves
the store, the bytes do not depend on the order articles were added, stdout streams."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset
from rdflib.namespace import RDFS

from kg import export as kg_export
from kg.graph import atomic_file
from kg.store import CONTROL_GRAPH, STORE_DIR, Store
from tests.conftest import ROOT, run_cli
from tests.test_store import A, B, C, D

COUNTS = """SELECT
  (SUM(IF(?kind = "node", 1, 0)) AS ?nodes) (SUM(IF(?kind = "fact", 1, 0)) AS ?facts)
  (SUM(IF(?kind = "participation", 1, 0)) AS ?participations) WHERE {
  { ?n a ?t FILTER(STRSTARTS(STR(?n), "https://w3id.org/newskg/entity/")
                   || STRSTARTS(STR(?n), "https://w3id.org/newskg/event/")) BIND("node" AS ?kind) }
  UNION { ?f a nkg:Fact BIND("fact" AS ?kind) }
  UNION { ?e nkg:participant ?x BIND("participation" AS ?kind) } }"""


@pytest.fixture(scope="module")
def db(bilingual_build) -> ox.Store:
    return ox.Store.read_only(str(bilingual_build / STORE_DIR))


def exported(db: ox.Store, fmt: str) -> bytes:
    stream = io.BytesIO()
    kg_export.export(db, fmt, stream)
    return stream.getvalue()


def counts(db: ox.Store) -> dict[str, int]:
    [row] = db.query(COUNTS, prefixes=kg_export.PREFIXES)
    return {name: int(row[name].value) for name in ("nodes", "facts", "participations")}


def provenance_size(db: ox.Store) -> int:
    return sum(1 for q in db if q.graph_name != CONTROL_GRAPH)


def default_size(db: ox.Store) -> int:
    return sum(1 for _ in db.quads_for_pattern(None, None, None, ox.DefaultGraph()))


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)])
def test_facts_formats_hold_exactly_the_merged_default_graph(db, fmt, rdf_format):
    triples = set(ox.parse(exported(db, fmt), rdf_format))
    assert triples == set(db.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert len(triples) == default_size(db) > 0


@pytest.mark.parametrize("fmt, rdf_format", [("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS),
                                             ("jsonld", ox.RdfFormat.JSON_LD)])
def test_provenance_formats_hold_every_graph_but_the_store_bookkeeping(db, fmt, rdf_format):
    quads = set(ox.parse(exported(db, fmt), rdf_format))
    assert quads == {q for q in db if q.graph_name != CONTROL_GRAPH}
    assert any(True for _ in db.quads_for_pattern(None, None, None, CONTROL_GRAPH))  # it is there to leave out
    assert CONTROL_GRAPH.value.encode() not in exported(db, fmt)


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_rdflib_reads_the_provenance_formats(db, fmt, rdflib_format):
    dataset = Dataset()
    dataset.parse(data=exported(db, fmt), format=rdflib_format)
    assert len(list(dataset.quads())) == provenance_size(db)


def test_turtle_uses_the_project_prefixes(db):
    text = exported(db, "ttl").decode()
    assert "@prefix nkg: <https://w3id.org/newskg/ontology#> ." in text
    assert "org:td-cowen" in text and "nkg:analystOf org:microsoft" in text


def test_graphml_has_typed_keys_and_every_node_and_edge(db):
    text = exported(db, "graphml").decode()
    assert '<key id="confidence" for="edge" attr.name="confidence" attr.type="double"/>' in text
    graph = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
    expected = counts(db)
    assert graph.number_of_nodes() == expected["nodes"]
    assert graph.number_of_edges() == expected["facts"] + expected["participations"]
    microsoft = graph.nodes["https://w3id.org/newskg/entity/org/microsoft"]
    assert (microsoft["label"], microsoft["class"], microsoft["label_zh_hans"]) == ("Microsoft", "Company", "微软")
    analyst = [d for _, target, d in graph.out_edges("https://w3id.org/newskg/entity/org/td-cowen", data=True)
               if target.endswith("/org/microsoft")]
    assert analyst[0]["relation"] == "analystOf" and 0 < analyst[0]["confidence"] <= 1
    assert analyst[0]["source_count"] >= 1
    # what Gephi draws on an edge and sizes it by
    assert (analyst[0]["label"], analyst[0]["weight"]) == ("analystOf", analyst[0]["confidence"])


def test_csv_is_one_rfc4180_row_per_relation_with_labels_and_dates(db):
    data = exported(db, "csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(kg_export.CSV_COLUMNS)
    assert len(rows) == counts(db)["facts"]
    analyst = next(r for r in rows if r["source_label"] == "TD Cowen" and r["relation"] == "analystOf")
    assert analyst["target_label"] == "Microsoft" and analyst["first_seen"] <= analyst["last_seen"]
    assert all(0 < float(r["confidence"]) <= 1 and int(r["source_count"]) >= 1 for r in rows)


def test_the_same_content_gives_the_same_bytes_whatever_the_order_of_adding(tmp_path):
    outputs = []
    for name, order in (("forward", [A, B, C, D]), ("backward", [D, C, B, A])):
        store = Store(tmp_path / name)
        for extraction in order:
            store.add(extraction)
        outputs.append({fmt: exported(store.db, fmt) for fmt in kg_export.FORMATS})
    assert outputs[0] == outputs[1]


def test_a_failed_export_leaves_no_file(tmp_path, monkeypatch, db):
    def broken(_db, stream):
        stream.write(b"half")
        raise OSError("disk full")

    monkeypatch.setitem(kg_export.WRITERS, "csv", broken)
    target = tmp_path / "edges.csv"
    with pytest.raises(OSError):
        kg_export.export(db, "csv", target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_the_file_it_would_have_replaced(tmp_path, monkeypatch, db):
    target = tmp_path / "edges.csv"
    kg_export.export(db, "csv", target)
    good = target.read_bytes()
    monkeypatch.setitem(kg_export.WRITERS, "csv", lambda _db, stream: stream.write(b"half") and 1 / 0)
    with pytest.raises(ZeroDivisionError):
        kg_export.export(db, "csv", target)
    assert target.read_bytes() == good and list(tmp_path.iterdir()) == [target]


def test_the_file_reaches_the_disk_before_it_replaces_the_old_one(tmp_path, monkeypatch, db):
    """Without fsync a crash just after the rename can leave an empty file (ext4, XFS)."""
    events = []
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync"))
    monkeypatch.setattr(Path, "replace", lambda self, target: events.append("rename") or os.rename(self, target))
    kg_export.export(db, "nt", tmp_path / "graph.nt")
    assert events == ["fsync", "rename"]


def test_unknown_format_is_refused(db):
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        kg_export.export(db, "xlsx", io.BytesIO())


def test_cli_offers_exactly_the_export_formats():
    from kg.cli import export_command

    [fmt] = [p for p in export_command.params if p.name == "fmt"]
    assert tuple(fmt.type.choices) == kg_export.FORMATS


def test_cli_streams_to_stdout_and_writes_the_same_bytes_to_a_file(bilingual_build, tmp_path):
    target = tmp_path / "graph.nq"
    assert run_cli("export", "-s", bilingual_build, "--format", "nq", "-o", target, "--quiet").stdout == ""
    streamed = subprocess.run([sys.executable, "-m", "kg", "export", "-s", str(bilingual_build), "--format", "nq"],
                              cwd=ROOT, capture_output=True, check=True).stdout
    assert streamed == target.read_bytes()


def test_cli_errors_name_the_problem(tmp_path):
    missing = run_cli("export", "-s", tmp_path / "nowhere", "--format", "ttl")
    assert missing.exit_code != 0 and str(tmp_path / "nowhere" / STORE_DIR) in missing.stderr
    bad = run_cli("export", "-s", tmp_path, "--format", "xlsx")
    assert bad.exit_code == 2 and "xlsx" in bad.stderr


def test_build_writes_its_files_with_the_export(bilingual_build, db):
    assert (bilingual_build / "graph.trig").read_bytes() == exported(db, "trig")
    assert (bilingual_build / "graph.ttl").read_bytes() == exported(db, "ttl")
    assert not list(Path(bilingual_build).glob("*.tmp"))


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def graphml_problems(data: bytes) -> list[str]:
    """What Gephi and Cytoscape would trip on: duplicate node ids, edges to undeclared nodes,
    data under an undeclared key or a key declared for the other kind of element."""
    root = ElementTree.fromstring(data)
    keys = {k.get("id"): k.get("for") for k in root.iter(f"{GRAPHML}key")}
    nodes = [n.get("id") for n in root.iter(f"{GRAPHML}node")]
    problems = [f"duplicate node {n}" for n in sorted({n for n in nodes if nodes.count(n) > 1})]
    problems += [f"edge to undeclared {e.get(end)}" for e in root.iter(f"{GRAPHML}edge")
                 for end in ("source", "target") if e.get(end) not in nodes]
    for kind in ("node", "edge"):
        problems += [f"{kind} data under key {d.get('key')}" for element in root.iter(f"{GRAPHML}{kind}")
                     for d in element.iter(f"{GRAPHML}data") if keys.get(d.get("key")) != kind]
    return problems


def test_graphml_declares_each_node_once_and_every_key_it_uses(db):
    assert graphml_problems(exported(db, "graphml")) == []


def test_graphml_has_one_node_element_even_for_a_node_with_two_values(db):
    """An event two articles describe with different units has two labels: still one <node>."""
    copy = ox.Store()
    copy.bulk_extend(db)
    copy.update("INSERT { ?e rdfs:label 'another label' ; nkg:amount 7 } "
                "WHERE { { SELECT ?e WHERE { ?e nkg:participant ?x } ORDER BY ?e LIMIT 1 } }",
                prefixes=kg_export.PREFIXES)
    assert graphml_problems(exported(copy, "graphml")) == []


HOSTILE_LABEL = 'AT&T "<b>Labs</b>", ltd.\n\x01\x0b\ufffe'


def with_microsoft_named(db: ox.Store, name: str) -> ox.Store:
    """A copy of the store in which Microsoft's English label is ``name``."""
    copy = ox.Store()
    copy.bulk_extend(db)
    microsoft, label = ox.NamedNode(kg_export.PREFIXES["org"] + "microsoft"), ox.NamedNode(str(RDFS.label))
    [english] = [q for q in copy.quads_for_pattern(microsoft, label, None, ox.DefaultGraph()) if q.object.language == "en"]
    copy.remove(english)
    copy.add(ox.Quad(microsoft, label, ox.Literal(name, language="en"), ox.DefaultGraph()))
    return copy


def test_hostile_labels_stay_well_formed_graphml_and_round_trip_through_csv(db):
    copy = with_microsoft_named(db, HOSTILE_LABEL)
    root = ElementTree.fromstring(exported(copy, "graphml"))  # a strict XML 1.0 parser
    [node] = [n for n in root.iter(f"{GRAPHML}node") if n.get("id").endswith("/org/microsoft")]
    labels = {d.get("key"): d.text for d in node.iter(f"{GRAPHML}data")}
    assert labels["label"] == labels["label_en"] == 'AT&T "<b>Labs</b>", ltd.\n'  # control characters dropped
    rows = list(csv.DictReader(io.StringIO(exported(copy, "csv").decode("utf-8-sig"), newline="")))
    assert HOSTILE_LABEL in {r["source_label"] for r in rows} | {r["target_label"] for r in rows}


def test_two_writers_of_one_file_do_not_share_a_temporary_file(tmp_path):
    """`kg view` while `kg build` writes graph.html, or two exports to one file: each writes its own
    temporary file, and the last rename wins with a whole file."""
    target = tmp_path / "graph.nt"
    with atomic_file(target) as first:
        first.write(b"first\n")
        with atomic_file(target) as second:
            second.write(b"second\n")
        first.write(b"first again\n")
    assert target.read_bytes() == b"first\nfirst again\n" and list(tmp_path.iterdir()) == [target]


def test_a_label_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(db):
    formula = '=HYPERLINK("https://evil.example","Microsoft")'
    copy = with_microsoft_named(db, formula)
    rows = list(csv.DictReader(io.StringIO(exported(copy, "csv").decode("utf-8-sig"), newline="")))
    shown = {r["source_label"] for r in rows} | {r["target_label"] for r in rows}
    assert "'" + formula in shown and formula not in shown
    assert "OpenAI" in shown  # ordinary labels untouched
