"""kg.evaluate: scoring by the gold-file rules, checked against shared/tools/score_gold.py."""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg import evaluate
from tests.fixtures import write_dataset

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = SHARED / "tools" / "score_gold.py"
REAL_GOLD = SHARED / "gold" / "zh-microsoft-capex-2025-02-25.yaml"

NKG = Namespace("https://w3id.org/newskg/ontology#")
SCHEMA = Namespace("https://schema.org/")
E = Namespace("https://w3id.org/newskg/entity/")
ARTICLE = URIRef("https://w3id.org/newskg/article/a1")

GOLD = """
entities:
  Microsoft:     {type: Company, labels: [Microsoft, 微軟, 微软]}
  OpenAI:        {type: Company, labels: [OpenAI]}
  Satya Nadella: {type: Person, labels: [Satya Nadella, 納德拉]}
  Google:        {type: Company, labels: [Google, 谷歌]}
  Gemini:        {type: Product, labels: [Gemini]}
  GPT-4:         {type: Product, labels: [GPT-4]}
relations:
  required:
    - [Satya Nadella, ceoOf, Microsoft, {alternatives: [chiefExecutiveOf]}]
    - [Microsoft, providesServiceTo, OpenAI, {alternatives: [partnerOf]}]
    - [Google, develops, Gemini]
  optional:
    - [Gemini, competesWith, GPT-4, {symmetric: true}]
facts:
  required:
    - [Microsoft, capitalExpenditure, 80000000000]
    - [Microsoft, stockChangePercent, 1.9]
forbidden:
  - 熱門推薦
  - [OpenAI, acquired, Microsoft]
"""

LABELS = {
    E["org/microsoft"]: [Literal("Microsoft", lang="en"), Literal("微軟", lang="zh-Hant")],
    E["org/openai"]: [Literal("OpenAI", lang="en")],
    E["person/nadella"]: [Literal("納德拉", lang="zh-Hant")],
    E["org/google"]: [Literal("谷歌", lang="zh-Hans")],
    E["product/gemini"]: [Literal("Gemini", lang="en")],
    E["product/gpt-4"]: [Literal("GPT-4", lang="en")],
}
RELATIONS = [
    (E["person/nadella"], NKG.chiefExecutiveOf, E["org/microsoft"]),
    (E["org/microsoft"], NKG.partnerOf, E["org/openai"]),
    (E["org/google"], NKG.develops, E["product/gemini"]),
    (E["product/gpt-4"], NKG.competesWith, E["product/gemini"]),  # optional, stated the other way round
]


def build(labels=LABELS, relations=RELATIONS, percent="-1.9", capex="80000000000") -> Dataset:
    ds = Dataset()
    default, article = ds.default_graph, ds.graph(ARTICLE)
    for node, node_labels in labels.items():
        for label in node_labels:
            default.add((node, RDFS.label, label))
    for number, triple in enumerate(relations):
        default.add(triple)
        statement = URIRef(f"https://w3id.org/newskg/statement/s{number}")
        for prop, value in zip((RDF.subject, RDF.predicate, RDF.object), triple):
            article.add((statement, prop, value))
        article.add((statement, NKG.confidence, Literal(Decimal("0.9"))))
    article.add((ARTICLE, SCHEMA.mentions, E["org/microsoft"]))
    for name, prop, value in (("stock", NKG.percentChange, percent), ("capex", NKG.amount, capex)):
        event = URIRef(f"https://w3id.org/newskg/event/{name}")
        default.add((event, NKG.participant, E["org/microsoft"]))
        default.add((event, prop, Literal(value, datatype=XSD.decimal)))
        article.add((event, PROV.wasDerivedFrom, ARTICLE))
    return ds


def variants() -> dict[str, Dataset]:
    wrong = build(relations=RELATIONS[:1] + RELATIONS[2:] + [
        (E["org/openai"], NKG.acquired, E["org/microsoft"]),
        (E["person/nadella"], NKG.founderOf, E["org/openai"]),
    ])
    split = build(labels={**LABELS, E["org/microsoft-zh"]: [Literal("微软", lang="zh-Hans")]})
    forbidden = build(labels={**LABELS, E["org/spam"]: [Literal("熱門推薦", lang="zh-Hant")]})
    forbidden.default_graph.add((E["org/spam"], SKOS.altLabel, Literal(" Casino ")))
    off = build(percent="-1.93", capex="80500000000")  # 1.6 % off, 0.6 % off
    return {"perfect": build(), "wrong": wrong, "split": split, "forbidden": forbidden, "off": off}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("gold")
    gold = directory / "gold.yaml"
    gold.write_text(GOLD, encoding="utf-8")
    graphs = {}
    for name, ds in variants().items():
        graphs[name] = directory / f"{name}.trig"
        ds.serialize(destination=str(graphs[name]), format="trig")
    return gold, graphs


def reference_score(gold: Path, graphs: list[Path]) -> dict:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent")
    out = subprocess.run([sys.executable, str(REFERENCE), str(gold), *map(str, graphs), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_perfect_graph(files):
    gold, graphs = files
    result = evaluate.score(gold, graphs["perfect"])
    assert result["entities"] == "6/6"
    assert result["relation_recall"] == result["relation_precision"] == result["fact_recall"] == 1.0
    assert result["judged_relations"] == 4
    assert not (result["forbidden_present"] or result["split_entities"] or result["wrong_relations"])


def test_wrong_relation(files):
    gold, graphs = files
    result = evaluate.score(gold, [graphs["wrong"]])
    assert result["missing_relations"] == [["Microsoft", "providesServiceTo", "OpenAI"]]
    assert result["wrong_relations"] == [["openai", "acquired", "microsoft"], ["納德拉", "founderOf", "openai"]]
    assert result["relation_precision"] == round(3 / 5, 3)
    assert result["forbidden_present"] == [["OpenAI", "acquired", "Microsoft"]]


def test_split_entity_and_forbidden_label(files):
    gold, graphs = files
    assert evaluate.score(gold, [graphs["split"]])["split_entities"] == {"Microsoft": 2}
    assert evaluate.score(gold, [graphs["forbidden"]])["forbidden_present"] == ["熱門推薦"]


def test_facts_within_one_percent(files):
    gold, graphs = files
    result = evaluate.score(gold, [graphs["off"]])
    assert result["missing_facts"] == [["Microsoft", "stockChangePercent", 1.9]]
    assert result["fact_recall"] == 0.5


def test_format_score_prints_key_value_lines(files):
    gold, graphs = files
    lines = evaluate.format_score(evaluate.score(gold, [graphs["perfect"]])).splitlines()
    assert lines[0] == "entities: 6/6"
    assert "relation_recall: 1.0" in lines


@pytest.mark.parametrize("name", ["perfect", "wrong", "split", "forbidden", "off"])
def test_agrees_with_reference_scorer(files, name):
    gold, graphs = files
    ours = json.loads(json.dumps(evaluate.score(gold, [graphs[name]])))
    assert ours == reference_score(gold, [graphs[name]])


def test_agrees_with_reference_on_several_files_and_the_real_gold(files, tmp_path):
    if not REAL_GOLD.exists():
        pytest.skip(f"{REAL_GOLD} is absent")
    _, graphs = files
    turtle = tmp_path / "extra.ttl"
    variants()["wrong"].default_graph.serialize(destination=str(turtle), format="turtle")
    paths = [write_dataset(tmp_path), graphs["split"], turtle]
    ours = json.loads(json.dumps(evaluate.score(REAL_GOLD, paths)))
    assert ours == reference_score(REAL_GOLD, paths)
    assert ours["relation_recall"] > 0  # the fixture's Nadella ceoOf Microsoft and TD Cowen analystOf Microsoft


def test_unknown_graph_format(files, tmp_path):
    gold, _ = files
    with pytest.raises(ValueError, match="graph.xyz"):
        evaluate.score(gold, [tmp_path / "graph.xyz"])
