"""SPARQL over a built graph: load it into an in-memory Oxigraph store, run a query, format the answer.

Oxigraph answers in milliseconds where rdflib's SPARQL engine takes minutes on large data.
Queries may use the project prefixes (nkg:, org:, person:, schema:, …) without declaring them.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.vocab import PREFIXES


FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TRIPLE_VARIABLES = ["subject", "predicate", "object"]

OutputFormat = Literal["table", "json", "csv"]


@dataclass
class QueryResult:
    """One query's answer: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    ``terms`` keeps the Oxigraph terms so JSON and CSV can give full IRIs, datatypes and languages;
    ``rows`` is the same table as display strings (IRIs compacted, literals as lexical values).
    """

    variables: list[str] = field(default_factory=list)
    terms: list[list[object | None]] = field(default_factory=list)
    boolean: bool | None = None
    is_graph: bool = False

    @property
    def rows(self) -> list[list[str | None]]:
        return [[None if t is None else display(t) for t in row] for row in self.terms]

    @property
    def triples(self) -> list[tuple[object, object, object]]:
        return [tuple(row) for row in self.terms] if self.is_graph else []


def load(path: str | Path) -> ox.Store:
    """An in-memory store holding the file's quads; the format follows the file suffix."""
    path = Path(path)
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"{path}: unknown RDF format {path.suffix!r} (expected one of {known})")
    store = ox.Store()
    try:
        store.load(path=str(path), format=rdf_format)
    except (SyntaxError, OSError) as error:
        raise ValueError(f"{path}: {one_line(str(error))}") from error
    return store


def run(store: ox.Store, sparql: str, substitutions: dict | None = None) -> QueryResult:
    """Run a SPARQL query, with some variables bound to terms beforehand (``substitutions``,
    SEP-0007); syntax and evaluation errors become a one-line ValueError."""
    try:
        answer = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            terms = [[solution[name] for name in variables] for solution in answer]
            return QueryResult(variables=variables, terms=terms)
        terms = [[t.subject, t.predicate, t.object] for t in answer]
        return QueryResult(variables=list(TRIPLE_VARIABLES), terms=terms, is_graph=True)
    except (SyntaxError, OSError, RuntimeError) as error:  # RuntimeError: evaluation (an unbound SERVICE name)
        raise ValueError(one_line(str(error))) from error


def lexical_rows(store: ox.Store, sparql: str) -> Iterator[dict[str, str]]:
    """Each solution of a SELECT as {variable: lexical value}, unbound variables left out, streamed:
    for code that reads the store (the view, the exports) rather than for display."""
    solutions = store.query(sparql, prefixes=PREFIXES)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {name: term.value for name, term in zip(names, solution) if term is not None}


def format_result(result: QueryResult, fmt: OutputFormat = "table") -> str:
    """Render a result as an aligned text table, SPARQL 1.1 Results JSON, or SPARQL CSV.

    CONSTRUCT/DESCRIBE triples come out as solutions of the variables subject, predicate, object.
    """
    formatters = {"table": as_table, "json": as_json, "csv": as_csv}
    if fmt not in formatters:
        raise ValueError(f"unknown output format {fmt!r} (expected table, json or csv)")
    return formatters[fmt](result)


def one_line(message: str) -> str:
    return " ".join(message.split())


def compact(iri: str) -> str:
    """prefix:local for IRIs under a project prefix, <iri> otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def display(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)  # RDF-star quoted triple


def width(text: str) -> int:
    """Columns the text takes in a terminal: East-Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def as_table(result: QueryResult) -> str:
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    # Newlines and tabs inside values would break the columns.
    cells = [[one_line(cell or "") for cell in row] for row in result.rows]
    widths = [max([width(v)] + [width(row[i]) for row in cells]) for i, v in enumerate(result.variables)]
    lines = [
        "  ".join(pad(v, w) for v, w in zip(result.variables, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
        *("  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells),
    ]
    return "\n".join(lines)


def json_term(term) -> dict:
    """One RDF term in SPARQL 1.1 Query Results JSON."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {
        "subject": json_term(term.subject),
        "predicate": json_term(term.predicate),
        "object": json_term(term.object),
    }}


def as_json(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [
        {var: json_term(term) for var, term in zip(result.variables, row) if term is not None}
        for row in result.terms
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1)


def csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def as_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF line ends, as the SPARQL CSV format asks
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([csv_value(term) for term in row] for row in result.terms)
    return buffer.getvalue()
