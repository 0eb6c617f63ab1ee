"""SHACL validation of a built graph (``ontologies/shapes.ttl``, run by pyshacl).

The data graph is the union of every graph but the store's bookkeeping (articles, merge log,
merged facts), so a fact's evidence and a statement's article are seen together; the ontology
is mixed in (pyshacl's ``ont_graph``), so ``sh:class`` follows ``rdfs:subClassOf`` and the
SPARQL constraints read each relation's domain and range from it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox
from pyshacl import Validator
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from kg.ontology import local_name, ontology_dir
from kg.query import compact
from kg.store import provenance_quads

IRI = re.compile(r"https?://[^\s,()<>]+")  # in pyshacl's messages, to be compacted


@dataclass(frozen=True)
class Violation:
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str


@dataclass
class Report:
    """Violations break conformance; warnings (sh:Warning, e.g. an undated article) do not."""

    conforms: bool
    nodes_checked: int
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def validate(db: ox.Store) -> Report:
    """Check the store's graphs (all but its bookkeeping) against the shapes."""
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in provenance_quads(db))
    data = _TruthyDataGraph.from_oxigraph_store(union)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ontology_dir() / "nkg.ttl", format="turtle")
    validator = Validator(data, shacl_graph=shapes, ont_graph=ontology,
                          options={"inplace": True, "allow_warnings": True})
    conforms, results, _ = validator.run()
    focus = {node for shape in validator.shacl_graph.shapes for node in shape.focus_nodes(data)}
    found = _by_severity(results, shapes)
    return Report(conforms, len(focus), found[SH.Violation], found[SH.Warning])


class _TruthyDataGraph(OxigraphDataGraph):
    """pyshacl 0.40 evaluates ``data_graph or shapes_graph`` for every result it reports, and an
    Oxigraph-backed graph answers that with a count of the whole graph: one full scan per
    violation (92 of 106 s on a 200-article store with 574 violations). Ours is never empty."""

    def __bool__(self) -> bool:
        return True


def _by_severity(results: Graph, shapes: Graph) -> dict:
    """The reported results by severity (sh:Violation, sh:Warning), each list in a stable order."""
    owner = {prop: shape for shape, prop in shapes.subject_objects(SH.property)}
    details = set(results.objects(None, SH.detail))  # why a nested sh:node failed: its parent reports it
    found: dict = defaultdict(list)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if result in details:
            continue
        source = results.value(result, SH.sourceShape)
        shape = owner.get(source, source) if isinstance(source, BNode) else source
        path, value = results.value(result, SH.resultPath), results.value(result, SH.value)
        found[results.value(result, SH.resultSeverity)].append(Violation(
            shape=local_name(str(shape)), focus=_show(results.value(result, SH.focusNode)),
            path=_show(path) if path is not None else None, value=_show(value) if value is not None else None,
            message=IRI.sub(lambda m: compact(m.group()), str(results.value(result, SH.resultMessage)))))
    for listed in found.values():
        listed.sort(key=lambda v: tuple(map(str, asdict(v).values())))
    return found


def _show(term) -> str:
    return repr(str(term)) if isinstance(term, Literal) else compact(str(term))


def format_report(report: Report) -> str:
    """One line when the graph conforms; then the violations, and the warnings, grouped by shape."""
    if report.conforms:
        head = f"conforms ({report.nodes_checked} nodes checked)"
    else:
        shapes = len({v.shape for v in report.violations})
        head = (f"does not conform: {len(report.violations)} violation(s) of {shapes} shape(s) "
                f"({report.nodes_checked} nodes checked)")
    lines = [head, *_grouped(report.violations)]
    if report.warnings:
        lines += [f"warning(s): {len(report.warnings)}", *_grouped(report.warnings)]
    return "\n".join(lines)


def _grouped(results: list[Violation]) -> list[str]:
    by_shape: dict[str, list[Violation]] = defaultdict(list)
    for violation in results:
        by_shape[violation.shape].append(violation)
    lines = []
    for shape, violations in sorted(by_shape.items()):
        lines.append(f"{shape} ({len(violations)})")
        for v in violations:
            where = f" {v.path}" if v.path else ""
            value = f" = {v.value}" if v.value is not None else ""
            lines.append(f"  {v.focus}{where}{value}: {v.message}")
    return lines
