"""The ontology and the knowledge base, read from the Turtle files in ``ontologies/``.

Everything the extractor knows about relation types, their trigger lexicons, event
kinds and canonical entities comes from here, so adding a relation type is a data edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.vocab import ENTITY, NKG

THING = "Thing"  # owl:Thing as a domain/range: any entity class fits


def ontology_dir() -> Path:
    """``ontologies/`` beside the package in a source tree, or inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "ontologies", here.parent / "ontologies"):
        if (candidate / "nkg.ttl").exists():
            return candidate
    raise FileNotFoundError("ontologies/nkg.ttl not found beside the kg package")


def local_name(iri) -> str:
    """The part after the last '#' or '/': nkg:ceoOf → 'ceoOf'."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Property:
    name: str
    labels: dict[str, str]
    domain: str
    range: str
    symmetric: bool
    patterns: dict[str, tuple[str, ...]]  # language → patterns
    finre_labels: tuple[str, ...] = ()  # FinRE relation labels it stands for (被- forms are inverses)
    overrides: tuple[str, ...] = ()
    same_kind: bool = False
    dependency_patterns: tuple[str, ...] = ()  # English dependency paths (kg/extract/dependency.py)


@dataclass(frozen=True)
class EventKind:
    name: str
    measures: tuple[str, ...]  # what amounts it takes: "money", "percent", "power"
    triggers: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class KBEntity:
    iri: str
    type: str
    labels: dict[str, tuple[str, ...]]  # language tag → labels
    aliases: dict[str, tuple[str, ...]]  # language tag → other names (short forms, tickers)
    ticker: str | None = None
    same_as: str | None = None
    ambiguous: frozenset[str] = frozenset()  # labels that are also common words (小米 the grain)

    def names(self, of: dict[str, tuple[str, ...]] | None = None) -> list[str]:
        """Every label (or, given ``self.aliases``, every alias), all languages."""
        return [name for values in (self.labels if of is None else of).values() for name in values]

    @property
    def kind(self) -> str:
        return self.iri[len(ENTITY):].split("/", 1)[0]


@dataclass(eq=False)  # identity hash: the loaded ontology is one object, so its queries can be cached
class Ontology:
    classes: dict[str, str | None] = field(default_factory=dict)  # class → superclass
    kinds: dict[str, str] = field(default_factory=dict)  # class → coarse kind
    properties: dict[str, Property] = field(default_factory=dict)
    events: dict[str, EventKind] = field(default_factory=dict)
    status_cues: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # status → language → cues
    source_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language → patterns with {S}

    @cache
    def subclasses(self, name: str) -> frozenset[str]:
        """``name`` and every class below it; owl:Thing means every entity class."""
        if name == THING:
            return frozenset(self.kinds)
        found = {name}
        while True:
            more = {c for c, parent in self.classes.items() if parent in found} - found
            if not more:
                return frozenset(found)
            found |= more

    @cache
    def ancestors(self, name: str) -> frozenset[str]:
        found = set()
        while (name := self.classes.get(name)) is not None:
            found.add(name)
        return frozenset(found)

    @cache
    def compatible(self, expected: str) -> frozenset[str]:
        """Classes a mention may have to fill a slot of class ``expected``: its subclasses,
        and its superclasses, since a mention typed only 'Organization' may be a company."""
        if expected == THING:
            return frozenset(self.kinds)
        return self.subclasses(expected) | (self.ancestors(expected) & set(self.kinds))

    def fits(self, cls: str, expected: str) -> bool:
        return cls in self.compatible(expected)


def _by_language(graph: Graph, subject, predicate) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for value in sorted(graph.objects(subject, predicate)):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", []).append(str(value))
    return {lang: tuple(values) for lang, values in out.items()}


@cache
def load_ontology(directory: Path | None = None) -> Ontology:
    """The schema in ``nkg.ttl`` together with the lexicons of every ``lexicon-*.ttl`` beside it."""
    directory = directory or ontology_dir()
    graph = Graph().parse(directory / "nkg.ttl")
    for lexicon in sorted(directory.glob("lexicon-*.ttl")):
        graph.parse(lexicon)
    onto = Ontology()
    nkg_kind = URIRef(NKG + "kind")
    for cls in graph.subjects(RDF.type, OWL.Class):
        name = local_name(cls)
        parent = graph.value(cls, RDFS.subClassOf)
        onto.classes[name] = local_name(parent) if parent else None
        kind = graph.value(cls, nkg_kind)
        if kind:
            onto.kinds[name] = str(kind)
    for cls, parent in list(onto.classes.items()):
        if parent == "Event":
            node = URIRef(NKG + cls)
            onto.events[cls] = EventKind(
                name=cls,
                measures=tuple(sorted(str(m) for m in graph.objects(node, URIRef(NKG + "measure")))),
                triggers=_by_language(graph, node, URIRef(NKG + "trigger")),
            )
    cue = URIRef(NKG + "cue")
    for status in graph.subjects(RDF.type, URIRef(NKG + "Status")):
        onto.status_cues[local_name(status).lower()] = _by_language(graph, status, cue)
    onto.source_cues = _by_language(graph, URIRef(NKG + "assertedBy"), cue)
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        patterns = _by_language(graph, prop, URIRef(NKG + "pattern"))
        dependency = _by_language(graph, prop, URIRef(NKG + "dependencyPattern")).get("en", ())
        if not patterns and not dependency:
            continue  # structural properties such as nkg:participant
        onto.properties[local_name(prop)] = Property(
            name=local_name(prop),
            labels={lang: labels[0] for lang, labels in _by_language(graph, prop, RDFS.label).items()},
            domain=local_name(graph.value(prop, RDFS.domain)),
            range=local_name(graph.value(prop, RDFS.range)),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            patterns=patterns,
            finre_labels=tuple(sorted(str(label) for label in graph.objects(prop, URIRef(NKG + "finreLabel")))),
            same_kind=bool(graph.value(prop, URIRef(NKG + "sameKind"))),
            overrides=tuple(sorted(local_name(o) for o in graph.objects(prop, URIRef(NKG + "overrides")))),
            dependency_patterns=dependency,
        )
    return onto


@cache
def kb_by_iri() -> dict[str, KBEntity]:
    return {entity.iri: entity for entity in load_kb()}


@cache
def load_kb(path: Path | None = None) -> tuple[KBEntity, ...]:
    """The canonical entities of ``ontologies/entities.ttl``, sorted by IRI."""
    path = path or ontology_dir() / "entities.ttl"
    if not path.exists():
        return ()
    graph = Graph().parse(path)
    known = set(load_ontology().kinds)
    entities = []
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        cls = local_name(graph.value(subject, RDF.type))
        if cls not in known:
            continue
        ticker = graph.value(subject, URIRef(NKG + "ticker"))
        same_as = graph.value(subject, OWL.sameAs)
        entities.append(KBEntity(
            iri=str(subject),
            type=cls,
            labels=_by_language(graph, subject, RDFS.label),
            aliases=_by_language(graph, subject, SKOS.altLabel),
            ticker=str(ticker) if ticker else None,
            same_as=str(same_as) if same_as else None,
            ambiguous=frozenset(str(o) for o in graph.objects(subject, URIRef(NKG + "ambiguousLabel"))),
        ))
    return tuple(entities)
