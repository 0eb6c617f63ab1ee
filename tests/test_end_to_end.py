"""The whole path, from the command line: build, score, query, extract, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg import evaluate
from kg import query as q
from tests.conftest import ENGLISH, GOLD, ROOT, run_cli

NKG = "https://w3id.org/newskg/ontology#"


def test_example_meets_its_gold(example_build):
    score = evaluate.score(GOLD, example_build / "graph.trig")
    assert score["relation_recall"] == 1.0, score["missing_relations"]
    assert score["relation_precision"] >= 0.9, score["wrong_relations"]
    assert score["fact_recall"] == 1.0, score["missing_facts"]
    assert score["forbidden_present"] == []
    assert score["split_entities"] == {}


def test_own_scorer_agrees_with_the_shared_one(example_build):
    shared = subprocess.run([sys.executable, str(GOLD.parents[1] / "tools" / "score_gold.py"), str(GOLD),
                             str(example_build / "graph.trig"), "--json"], capture_output=True, text=True, check=True)
    ours = evaluate.score(GOLD, example_build / "graph.trig")
    assert ours == json.loads(shared.stdout)


def test_build_writes_turtle_trig_and_an_offline_view(example_build):
    for name in ("graph.ttl", "graph.trig", "graph.html"):
        assert (example_build / name).stat().st_size > 0
    html = (example_build / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in html
    for remote in ('src="http', "src='http", 'href="http', "href='http", "//cdn", "@import url(http"):
        assert remote not in html
    assert "米奇777色狠狠8888影视" not in html


def test_turtle_is_readable_and_holds_merged_facts_only(example_build):
    text = (example_build / "graph.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix")
    assert "org:td-cowen" in text and "nkg:analystOf org:microsoft" in text
    assert "GRAPH" not in text and "evidenceText" not in text


def test_english_article_end_to_end(tmp_path):
    assert run_cli("build", ENGLISH, "-o", tmp_path).exit_code == 0
    store = q.load(tmp_path / "graph.trig")
    rows = q.run(store, """
        SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?p), STR(nkg:)) && isIRI(?o)
                                               && ?p != nkg:participant) }""").rows
    facts = {(s, p.split(":")[1], o) for s, p, o in rows}
    assert {
        ("person:satya-nadella", "ceoOf", "org:microsoft"),
        ("person:sam-altman", "founderOf", "org:openai"),
        ("person:gavin-baker", "worksFor", "org:atreides-management"),
        ("org:google", "develops", "product:gemini"),
        ("org:xai", "develops", "product:grok-3"),
        ("org:microsoft", "cancelledLeaseWith", "org:private-data-center-operators"),
        ("org:microsoft", "providesServiceTo", "org:openai"),
        ("org:the-information", "reportedOn", "org:microsoft"),
        ("org:td-cowen", "analystOf", "org:microsoft"),
    } <= facts
    moves = q.run(store, """
        SELECT ?who ?pct ?date WHERE { ?e a nkg:StockPriceChange ; nkg:participant ?who ;
                                          nkg:percentChange ?pct ; nkg:date ?date }""").rows
    # 'fell 1.9% on Friday' in an article of Monday 2025-02-24
    assert ["org:microsoft", "-1.9", "2025-02-21"] in moves
    assert ["org:applied-digital", "-13", "2025-02-24"] in moves


def test_one_node_per_company_across_languages(bilingual_build):
    store = q.load(bilingual_build / "graph.trig")
    for label in ("Microsoft", "OpenAI", "TD Cowen", "Google", "xAI", "Applied Digital", "Gavin Baker",
                  "Atreides Management", "Satya Nadella", "The Information"):
        nodes = q.run(store, f"""SELECT DISTINCT ?n WHERE {{ ?n rdfs:label|skos:altLabel ?l
                                   FILTER(LCASE(STR(?l)) = LCASE("{label}")) }}""").rows
        assert len(nodes) == 1, (label, nodes)
    articles = q.run(store, "SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }").rows
    assert len(articles) == 2
    both = q.run(store, """SELECT ?a WHERE { GRAPH ?a { ?a schema:mentions org:microsoft } }""").rows
    assert len(both) == 2


def test_rebuild_is_byte_identical_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", str(ENGLISH), "-o", str(out), "--no-html"],
                       env=env, check=True, capture_output=True, cwd=ROOT)
        outputs.append(((out / "graph.ttl").read_bytes(), (out / "graph.trig").read_bytes()))
    assert outputs[0] == outputs[1]


def test_bad_inputs_are_named_and_the_build_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café société, déjà vu à Montréal.".encode("latin-1"))
    result = run_cli("build", empty, binary, latin1, ENGLISH, "-o", tmp_path / "out", "--no-html")
    assert result.exit_code == 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for path, line in zip((empty, binary, latin1), errors):
        assert str(path) in line
    assert "1 articles" in result.stdout


def test_nothing_buildable_exits_non_zero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run_cli("build", empty, "-o", tmp_path / "out")
    assert result.exit_code != 0
    assert str(empty) in result.stderr
    assert not (tmp_path / "out" / "graph.trig").exists()


def test_extract_jsonl_keeps_input_order_and_ids(tmp_path):
    records = tmp_path / "in.jsonl"
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "zh-1", "text": "小米CEO雷军表示，小米将与英伟达合作。", "date": "2025-03-01"},
        {"id": "en-1", "text": "Microsoft CEO Satya Nadella said Microsoft shares rose 2% on Monday.",
         "date": "2025-03-04", "lang": "en"},
    ]), encoding="utf-8")
    result = run_cli("extract", records, "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["zh-1", "en-1"]
    zh, en = lines
    triples = {(r["subject"].rsplit("/", 1)[1], r["predicate"], r["object"].rsplit("/", 1)[1])
               for r in zh["relations"]}
    assert ("lei-jun", "ceoOf", "xiaomi") in triples
    assert ("nvidia", "partnerOf", "xiaomi") in triples  # symmetric: stored in IRI order
    nadella = next(e for e in en["entities"] if e["iri"].endswith("satya-nadella"))
    assert nadella["type"] == "Person" and nadella["mentions"][0]["text"] == "Satya Nadella"
    text = records.read_text(encoding="utf-8")
    evidence = en["relations"][0]["evidence"]
    assert evidence["text"] in text
    event = en["events"][0]
    assert event["type"] == "StockPriceChange" and event["percent"] == 2.0 and event["date"] == "2025-03-03"


def test_query_formats(example_build):
    sparql = "SELECT ?o WHERE { org:td-cowen nkg:analystOf ?o }"
    table = run_cli("query", "-g", example_build / "graph.trig", sparql).stdout
    assert "org:microsoft" in table
    as_json = json.loads(run_cli("query", "-g", example_build / "graph.trig", "--format", "json", sparql).stdout)
    assert as_json["results"]["bindings"][0]["o"]["value"] == "https://w3id.org/newskg/entity/org/microsoft"
    as_csv = run_cli("query", "-g", example_build / "graph.trig", "--format", "csv", sparql).stdout
    assert as_csv.strip().splitlines() == ["o", "https://w3id.org/newskg/entity/org/microsoft"]


def test_saved_demo_query_runs(example_build):
    result = run_cli("query", "-g", example_build / "graph.trig", "-f",
                     ROOT / "kg" / "queries" / "relations-with-evidence.rq", "--format", "json")
    rows = json.loads(result.stdout)["results"]["bindings"]
    relations = {(r["subject"]["value"], r["relation"]["value"], r["object"]["value"]) for r in rows}
    assert ("TD Cowen", "analystOf", "Microsoft") in relations
    assert ("Microsoft", "cancelledLeaseWith", "私营数据中心运营商") in relations


@pytest.mark.parametrize("sparql", ["SELEC nonsense", "SELECT * WHERE { SERVICE ?unbound { ?s ?p ?o } }"])
def test_query_errors_are_one_line(example_build, sparql):
    result = run_cli("query", "-g", example_build / "graph.trig", sparql)
    assert result.exit_code == 1  # a ClickException, not a traceback
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [("build",), ("query",)])
def test_usage_errors(args):
    assert run_cli(*args).exit_code != 0
