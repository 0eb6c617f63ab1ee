"""Exports of the store, streamed: nothing holds the whole graph in Python.

- ``ttl``, ``nt``: the merged default graph (the facts), dumped by Oxigraph.
- ``trig``, ``nq``, ``jsonld``: every graph with its provenance (the default graph, then the
  ontology, the article graphs and the merge log in IRI order), serialized by Oxigraph from
  the store's iterators. The store's bookkeeping graph (``CONTROL_GRAPH``) is never written.
  The ontology graph is: a file then carries the labels, domains and ranges of its relations.
- ``graphml`` (Gephi, Cytoscape, networkx): nodes are entities and events, edges the relations
  (one per fact) and event participation.
- ``csv``: one row per relation with labels, confidence, source count and the dates of the
  first and last article stating it; UTF-8 with a BOM, so Excel reads the Chinese labels
  (Python's ``utf-8-sig``, pandas and LibreOffice skip it); a label a spreadsheet would take for
  a formula starts with an apostrophe.

Determinism: GraphML and CSV rows come from ``ORDER BY`` queries. The RDF formats follow the
store's indexes, which on disk are keyed by the terms' encoding (a content hash), so the same
content gives the same bytes whatever order it was added in; an in-memory store iterates in
insertion order, so only on-disk stores give reproducible RDF files.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.graph import atomic_file
from kg.ontology import local_name
from kg.query import lexical_rows
from kg.store import provenance_quads
from kg.vocab import ENTITY, EVENT, PREFIXES

DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
DEFAULT_GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
FORMATS = (*DEFAULT_GRAPH_FORMATS, *DATASET_FORMATS, "graphml", "csv")
BUILD_FILES = {"ttl": "graph.ttl", "trig": "graph.trig"}  # what `kg build` writes beside the store
CSV_COLUMNS = ("source", "source_label", "relation", "target", "target_label", "confidence", "source_count",
               "first_seen", "last_seen")


def export(db: ox.Store, fmt: str, out: Path | BinaryIO) -> None:
    """Write the store in ``fmt`` to a file (atomically: a temporary file, then a rename) or a
    binary stream."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if not isinstance(out, Path):
        WRITERS[fmt](db, out)
        return
    with atomic_file(out) as stream:
        WRITERS[fmt](db, stream)


def build_files(db: ox.Store, out_dir: Path) -> dict[str, Path]:
    """graph.ttl and graph.trig, as ``kg build`` leaves them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {fmt: out_dir / name for fmt, name in BUILD_FILES.items()}
    for fmt, path in paths.items():
        export(db, fmt, path)
    return paths


# ── RDF ──────────────────────────────────────────────────────────────────────

def _write_default_graph(fmt: str) -> Callable[[ox.Store, BinaryIO], None]:
    rdf_format = DEFAULT_GRAPH_FORMATS[fmt]
    prefixes = PREFIXES if fmt == "ttl" else None
    return lambda db, stream: db.dump(stream, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def _write_dataset(fmt: str) -> Callable[[ox.Store, BinaryIO], None]:
    rdf_format = DATASET_FORMATS[fmt]
    prefixes = PREFIXES if fmt == "trig" else None
    return lambda db, stream: ox.serialize(provenance_quads(db), stream, rdf_format, prefixes=prefixes)


# ── rows for GraphML and CSV ─────────────────────────────────────────────────

LABEL_LANGUAGES = {"en": "en", "hans": "zh-hans", "hant": "zh-hant"}  # preference order


def _best_label(var: str) -> str:
    """A SPARQL pattern binding ``?{var}_label`` to ``?{var}``'s English label, else a Chinese one."""
    optionals = " ".join(f'OPTIONAL {{ ?{var} rdfs:label ?{var}_{tag} FILTER(LANG(?{var}_{tag}) = "{lang}") }}'
                         for tag, lang in LABEL_LANGUAGES.items())
    return f"{optionals} BIND(COALESCE({', '.join(f'?{var}_{tag}' for tag in LABEL_LANGUAGES)}) AS ?{var}_label)"

# Grouped by node (and by fact), every value through MIN: one row per node and per fact, whatever
# the data holds (two articles may describe one event with different units, so two labels).
NODES = f"""
SELECT ?node ?kind (MIN(?type) AS ?class) (MIN(COALESCE(?node_label, ?plain)) AS ?label) (MIN(?node_en) AS ?en)
       (MIN(?node_hans) AS ?hans) (MIN(?node_hant) AS ?hant) (MIN(?d) AS ?date) (MIN(?a) AS ?amount)
       (MIN(?c) AS ?currency) (MIN(?pc) AS ?percent) WHERE {{
  ?node a ?type .
  BIND(IF(STRSTARTS(STR(?node), "{EVENT}"), "event", "entity") AS ?kind)
  FILTER(STRSTARTS(STR(?node), "{ENTITY}") || ?kind = "event")
  {_best_label("node")}
  OPTIONAL {{ ?node rdfs:label ?plain FILTER(LANG(?plain) = "") }}
  OPTIONAL {{ ?node nkg:date ?d }} OPTIONAL {{ ?node nkg:amount ?a }}
  OPTIONAL {{ ?node nkg:currency ?c }} OPTIONAL {{ ?node nkg:percentChange ?pc }}
}} GROUP BY ?node ?kind ORDER BY ?node"""

RELATIONS = f"""
SELECT ?s ?p ?o (MIN(?s_label) AS ?source_label) (MIN(?o_label) AS ?target_label) (MIN(?c) AS ?confidence)
       (MIN(?n) AS ?count) (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{
  ?fact a nkg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nkg:confidence ?c ; nkg:sourceCount ?n .
  OPTIONAL {{ ?fact nkg:evidence ?statement .
             GRAPH ?article {{ ?statement dcterms:date ?d ; nkg:status ?status }} FILTER(?status != nkg:Denied) }}
  {_best_label("s")} {_best_label("o")}
}} GROUP BY ?s ?p ?o ORDER BY ?s ?p ?o"""

PARTICIPATIONS = "SELECT ?event ?node WHERE { ?event nkg:participant ?node } ORDER BY ?event ?node"


# ── GraphML ──────────────────────────────────────────────────────────────────

# (key id, GraphML type, node or edge[, attribute name when not the id]): declared up front, as
# Gephi and Cytoscape expect. Gephi draws an edge's "label" and sizes it by its "weight".
GRAPHML_KEYS = (
    ("label", "string", "node"), ("class", "string", "node"), ("kind", "string", "node"),
    ("label_en", "string", "node"), ("label_zh_hans", "string", "node"), ("label_zh_hant", "string", "node"),
    ("date", "string", "node"), ("amount", "double", "node"), ("currency", "string", "node"),
    ("percent_change", "double", "node"),
    ("relation", "string", "edge"), ("confidence", "double", "edge"), ("source_count", "int", "edge"),
    ("first_seen", "string", "edge"), ("last_seen", "string", "edge"),
    ("edge_label", "string", "edge", "label"), ("weight", "double", "edge"),
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _write_graphml(db: ox.Store, stream: BinaryIO) -> None:
    with _text(stream) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                  'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for key, kind, domain, *shown_as in GRAPHML_KEYS:
            out.write(f'  <key id="{key}" for="{domain}" attr.name="{shown_as[0] if shown_as else key}" '
                      f'attr.type="{kind}"/>\n')
        out.write('  <graph id="kg" edgedefault="directed">\n')
        for row in lexical_rows(db, NODES):
            _element(out, "node", {"id": row["node"]}, {
                "label": row.get("label"), "class": local_name(row["class"]), "kind": row["kind"],
                "label_en": row.get("en"), "label_zh_hans": row.get("hans"), "label_zh_hant": row.get("hant"),
                "date": row.get("date"), "amount": row.get("amount"),
                "currency": row.get("currency"), "percent_change": row.get("percent")})
        # one edge per fact, symmetric relations included: networkx refuses a directed="false"
        # edge in a directed graph, and the fact holds one direction
        for row in lexical_rows(db, RELATIONS):
            relation = local_name(row["p"])
            _element(out, "edge", {"source": row["s"], "target": row["o"]}, {
                "relation": relation, "confidence": row["confidence"], "source_count": row["count"],
                "first_seen": row.get("first"), "last_seen": row.get("last"),
                "edge_label": relation, "weight": row["confidence"]})
        for row in lexical_rows(db, PARTICIPATIONS):
            _element(out, "edge", {"source": row["event"], "target": row["node"]}, {"relation": "participant"})
        out.write("  </graph>\n</graphml>\n")


def _element(out: TextIO, tag: str, attributes: dict[str, str], data: dict[str, str | None]) -> None:
    attrs = " ".join(f"{name}={quoteattr(_xml_text(value))}" for name, value in attributes.items())
    out.write(f"    <{tag} {attrs}>")
    out.write("".join(f'<data key="{key}">{escape(_xml_text(value))}</data>'
                      for key, value in data.items() if value is not None))
    out.write(f"</{tag}>\n")


def _xml_text(value: str) -> str:
    """XML 1.0 cannot carry control characters at all, even escaped."""
    return _NOT_XML.sub("", value)


# ── CSV ──────────────────────────────────────────────────────────────────────

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _write_csv(db: ox.Store, stream: BinaryIO) -> None:
    with _text(stream, encoding="utf-8-sig") as out:
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
        writer.writerow(CSV_COLUMNS)
        for row in lexical_rows(db, RELATIONS):
            writer.writerow((row["s"], _cell(row.get("source_label", "")), local_name(row["p"]), row["o"],
                             _cell(row.get("target_label", "")), row["confidence"], row["count"],
                             row.get("first", ""), row.get("last", "")))


def _cell(label: str) -> str:
    """A label from an article that a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @)
    is kept as text by a leading apostrophe (OWASP's advice on CSV injection)."""
    return f"'{label}" if label.startswith(FORMULA_STARTS) else label


@contextmanager
def _text(stream: BinaryIO, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text view of a binary stream, flushed and let go of (not closed) at the end."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=False)
    try:
        yield text
    finally:
        text.flush()
        text.detach()


WRITERS: dict[str, Callable[[ox.Store, BinaryIO], None]] = {
    **{fmt: _write_default_graph(fmt) for fmt in DEFAULT_GRAPH_FORMATS},
    **{fmt: _write_dataset(fmt) for fmt in DATASET_FORMATS},
    "graphml": _write_graphml, "csv": _write_csv,
}
