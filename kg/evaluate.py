"""Score a built graph against a gold annotation (YAML), by the rules written at the top of each gold file.

The numbers agree with ``shared/tools/score_gold.py``; this version indexes the graph (labels,
links in and out, relations by predicate local name) so it stays linear on large graphs.
All named graphs of all given files are read as one union of triples.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.graph import RDFLIB_FORMATS
from kg.ontology import local_name

LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
NOT_RELATIONS = {RDF.type, OWL.sameAs, *LABEL_PROPERTIES}
# Provenance, schema and metadata vocabularies: their links are not extracted relations.
NOT_RELATION_NAMESPACES = ("http://www.w3.org/ns/prov#", "http://www.w3.org/2000/01/rdf-schema#",
                           "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/")
FACT_TOLERANCE = 0.01



def read_triples(graph_paths) -> set[tuple]:
    dataset = Dataset()
    for path in graph_paths:
        rdf_format = RDFLIB_FORMATS.get(Path(path).suffix.lower())
        if rdf_format is None:
            raise ValueError(f"{path}: unknown RDF format {Path(path).suffix!r}")
        dataset.parse(str(path), format=rdf_format)
    return {(s, p, o) for s, p, o, _graph in dataset.quads((None, None, None, None))}


def is_relation(triple) -> bool:
    s, p, o = triple
    return (isinstance(s, URIRef) and isinstance(o, URIRef) and p not in NOT_RELATIONS
            and not str(p).startswith(NOT_RELATION_NAMESPACES))


def numeric_value(literal: Literal) -> float | None:
    """The literal's absolute numeric value, if it reads as a number (as the reference scorer reads it)."""
    try:
        return abs(float(literal.toPython()))
    except (TypeError, ValueError):
        return None


def unpack(item) -> tuple[str, str, str, dict]:
    """A gold item [subject, predicate, object, {options}] as a tuple with the options always present."""
    options = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
    return item[0], item[1], item[2], options


class GraphIndex:
    """The lookups scoring needs, each built in one pass over the triples."""

    def __init__(self, triples: set[tuple]):
        self.labels_of: dict = defaultdict(set)
        self.nodes_with_label: dict = defaultdict(set)
        self.linked_to: dict = defaultdict(set)  # node -> IRIs one link away, either direction
        self.numbers_of: dict = defaultdict(list)
        self.relations = [t for t in triples if is_relation(t)]
        self.relation_keys = {(s, local_name(p), o) for s, p, o in self.relations}
        for s, p, o in triples:
            if isinstance(o, Literal):
                if p in LABEL_PROPERTIES:
                    label = str(o).strip().lower()
                    self.labels_of[s].add(label)
                    self.nodes_with_label[label].add(s)
                number = numeric_value(o)
                if number is not None:
                    self.numbers_of[s].append(number)
            if isinstance(o, URIRef):
                self.linked_to[s].add(o)
            if isinstance(s, URIRef):
                self.linked_to[o].add(s)

    def nodes_named(self, labels: set[str]) -> set:
        return set().union(*(self.nodes_with_label.get(label, set()) for label in labels))

    def display_label(self, node) -> str:
        return sorted(self.labels_of.get(node, {"?"}))[0]


class GoldMatcher:
    """Which graph triples a gold relation item accepts, as (subject node, predicate name, object node) keys."""

    def __init__(self, node_of: dict[str, set]):
        self.node_of = node_of

    def keys(self, item) -> set[tuple]:
        subject, predicate, obj, options = unpack(item)
        names = {predicate, *options.get("alternatives", [])}
        subjects, objects = self.node_of.get(subject, set()), self.node_of.get(obj, set())
        keys = {(s, name, o) for s in subjects for name in names for o in objects}
        if options.get("symmetric"):
            keys |= {(o, name, s) for s in subjects for name in names for o in objects}
        return keys

    def found_in(self, item, index: GraphIndex) -> bool:
        return not self.keys(item).isdisjoint(index.relation_keys)


def fact_found(fact, node_of: dict[str, set], index: GraphIndex) -> bool:
    """A value within 1 % on the subject's node, or on any node one link away (e.g. an event)."""
    target = abs(float(fact[2]))
    for node in node_of.get(fact[0], set()):
        for near in {node} | index.linked_to.get(node, set()):
            if any(abs(v - target) <= FACT_TOLERANCE * target for v in index.numbers_of.get(near, ())):
                return True
    return False


def score(gold_path: str | Path, graph_paths) -> dict:
    """Score the union of the given graph files against the gold file."""
    if isinstance(graph_paths, (str, Path)):
        graph_paths = [graph_paths]
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8"))
    index = GraphIndex(read_triples(graph_paths))

    entities = gold["entities"]
    node_of = {name: index.nodes_named({label.lower() for label in entity["labels"]} | {name.lower()})
               for name, entity in entities.items()}
    matcher = GoldMatcher(node_of)

    relations = gold.get("relations") or {}
    required = [unpack(r) for r in relations.get("required") or []]
    optional = [unpack(r) for r in relations.get("optional") or []]
    required_found = [r for r in required if matcher.found_in(r, index)]

    gold_nodes = set().union(*node_of.values())
    judged = [t for t in index.relations if t[0] in gold_nodes and t[2] in gold_nodes]
    accepted = set().union(*(matcher.keys(r) for r in required + optional))
    wrong = [(s, p, o) for s, p, o in judged if (s, local_name(p), o) not in accepted]

    facts = (gold.get("facts") or {}).get("required") or []
    facts_found = [f for f in facts if fact_found(f, node_of, index)]

    return {
        "entities": f"{sum(1 for nodes in node_of.values() if nodes)}/{len(entities)}",
        "relation_recall": round(len(required_found) / max(1, len(required)), 3),
        "relation_precision": round((len(judged) - len(wrong)) / max(1, len(judged)), 3),
        "judged_relations": len(judged),
        "relation_triples_total": len(index.relations),
        "fact_recall": round(len(facts_found) / max(1, len(facts)), 3),
        "forbidden_present": forbidden_present(gold.get("forbidden") or [], node_of, matcher, index),
        "split_entities": {name: len(nodes) for name, nodes in node_of.items() if len(nodes) > 1},
        "missing_entities": [name for name, nodes in node_of.items() if not nodes],
        "missing_relations": [list(r[:3]) for r in required if r not in required_found],
        "missing_facts": [f for f in facts if f not in facts_found],
        "wrong_relations": [list(t) for t in sorted({(index.display_label(s), local_name(p),
                                                      index.display_label(o)) for s, p, o in wrong})],
    }


def forbidden_present(forbidden: list, node_of: dict, matcher: GoldMatcher, index: GraphIndex) -> list:
    """Forbidden labels some node carries, then forbidden relations the graph asserts."""
    labels = [item for item in forbidden
              if isinstance(item, str) and item.lower() in index.nodes_with_label]
    triples = [list(item[:3]) for item in forbidden
               if isinstance(item, list) and item[0] in node_of and item[2] in node_of
               and matcher.found_in(item, index)]
    return labels + triples


def format_score(result: dict) -> str:
    return "\n".join(f"{key}: {value}" for key, value in result.items())


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
