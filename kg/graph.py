"""The graph stage: an Extraction → the quads of the article's own named graph.

One named graph per article, named by the article's IRI, holds everything that came from it:
its view of the entities it mentions (type, labels per language, aliases, tickers), the
relations it asserts, its events, its metadata (schema.org NewsArticle, Dublin Core), per
relation a reified ``rdf:Statement`` with the evidence sentence, its offsets, the
confidence, the status, who asserts it, the pattern that fired and ``prov:wasDerivedFrom``
the article, and its link decisions (surface form → IRI, rule, score). The merged default
graph is derived from these graphs by the store (``kg.store``).

Why reification, not RDF-star: every statement must survive a round trip through Turtle,
TriG, N-Quads and JSON-LD and be readable by rdflib (which cannot parse RDF-star TriG) as
well as Oxigraph; a statement node also lets several evidences point at one merged edge.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.extract.gazetteer import knowledge_base
from kg.link import slug
from kg.models import Entity, Event, Extraction, Relation
from kg.ontology import kb_by_iri
from kg.vocab import ARTICLE, ENTITY, NKG, RESOLUTION, SCHEMA, STATEMENT



# File suffix → rdflib parser name, for every reader of built graphs.
RDFLIB_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt",
                  ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
Triple = tuple[URIRef, URIRef, URIRef | Literal]
Quad = tuple[URIRef, URIRef, URIRef | Literal, URIRef | None]


def article_iri(article_id: str) -> URIRef:
    """Readable for file and record ids; a hash for URLs, which make poor IRI segments."""
    if "://" in article_id:
        return ARTICLE[hashlib.sha256(article_id.encode()).hexdigest()[:16]]
    return ARTICLE[slug(article_id)[:80]]


def statement_iri(*parts: str) -> URIRef:
    return STATEMENT[hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]]


def decimal(value: float) -> Literal:
    return Literal(Decimal(repr(value)).normalize().to_eng_string() if value % 1 else str(int(value)),
                   datatype=XSD.decimal)


def quads(extraction: Extraction) -> Iterator[Quad]:
    """Every quad one article contributes, all in the article's own named graph: its facts
    (entities with their labels, relations, events), its metadata, a statement per relation
    and its link decisions. A pure function of the extraction, so re-ingesting an article
    rewrites the same graph; the store derives the merged default graph from these graphs."""
    node = article_iri(extraction.article.id)
    outlet = knowledge_base().lookup(extraction.article.outlet) if extraction.article.outlet else None
    for triple in (*_facts(extraction, outlet), *_provenance(extraction, node, outlet), *_resolutions(extraction)):
        yield (*triple, node)


def _facts(extraction: Extraction, outlet) -> Iterator[Triple]:
    kb = kb_by_iri()
    for entity in extraction.entities:
        subject = URIRef(entity.iri)
        yield subject, RDF.type, NKG[entity.type]
        for lang, labels in entity.labels.items():
            yield subject, RDFS.label, Literal(labels[0], lang=lang)
            for alias in labels[1:]:
                yield subject, SKOS.altLabel, Literal(alias, lang=lang)
        known = kb.get(entity.iri)
        if known and known.ticker:
            yield subject, NKG.ticker, Literal(known.ticker)
        if known and known.same_as:
            yield subject, OWL.sameAs, URIRef(known.same_as)
        if surname := surname_key(entity):
            yield subject, NKG.surnameKey, Literal(surname)
    if outlet:
        yield URIRef(outlet.iri), RDF.type, NKG[outlet.type]
        for tag, labels in outlet.labels.items():
            yield URIRef(outlet.iri), RDFS.label, Literal(labels[0], lang=tag)
    for relation in asserted(extraction.relations):
        yield URIRef(relation.subject), NKG[relation.predicate], URIRef(relation.object)
    for event in extraction.events:
        node = URIRef(event.iri)
        yield node, RDF.type, NKG[event.type]
        for participant in event.participants:
            yield node, NKG.participant, URIRef(participant)
        if event.amount:
            yield node, NKG.amount, decimal(event.amount.value)
            if event.amount.currency:
                yield node, NKG.currency, Literal(event.amount.currency)
            if event.amount.unit:
                yield node, NKG.unit, Literal(event.amount.unit)
            if event.amount.approximate:
                yield node, NKG.approximate, Literal(True)
        if event.percent is not None:
            yield node, NKG.percentChange, decimal(event.percent)
        if event.date:
            yield node, NKG.date, Literal(event.date.isoformat(), datatype=XSD.date)
        yield node, RDFS.label, Literal(_event_label(event))


def _provenance(extraction: Extraction, node: URIRef, outlet) -> Iterator[Triple]:
    """The article's metadata, the relations it asserts, and a statement per relation."""
    article = extraction.article
    lang = _language_tag(article)
    yield node, RDF.type, SCHEMA.NewsArticle
    yield node, DCTERMS.identifier, Literal(article.id)
    yield node, DCTERMS.source, Literal(article.source)
    yield node, DCTERMS.language, Literal(lang)
    if article.title:
        yield node, DCTERMS.title, Literal(article.title, lang=lang)
        yield node, SCHEMA.headline, Literal(article.title, lang=lang)
    if article.published:
        yield node, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)
    if article.url:
        yield node, SCHEMA.url, URIRef(article.url)
    if article.outlet:
        yield node, DCTERMS.publisher, Literal(article.outlet)
        if outlet:
            yield node, SCHEMA.publisher, URIRef(outlet.iri)
    for entity in extraction.entities:
        yield node, SCHEMA.mentions, URIRef(entity.iri)
    for relation in extraction.relations:
        triple = (URIRef(relation.subject), NKG[relation.predicate], URIRef(relation.object))
        statement = statement_iri(article.id, relation.subject, relation.predicate, relation.object, relation.status)
        yield statement, RDF.type, RDF.Statement
        yield statement, RDF.subject, triple[0]
        yield statement, RDF.predicate, triple[1]
        yield statement, RDF.object, triple[2]
        yield statement, NKG.extractedBy, Literal(relation.pattern)
        yield from _evidence(statement, node, relation, article)
    for event in extraction.events:
        yield from _evidence(URIRef(event.iri), node, event, article)


def _resolutions(extraction: Extraction) -> Iterator[Triple]:
    """The link decisions, one node per (surface form, IRI, rule): the same in every article."""
    for decision in extraction.resolutions:
        node = resolution_iri(decision.surface, decision.iri, decision.rule)
        yield node, RDF.type, NKG.Resolution
        yield node, NKG.surfaceForm, Literal(decision.surface)
        yield node, NKG.resolvedTo, URIRef(decision.iri)
        yield node, NKG.rule, Literal(decision.rule)
        yield node, NKG.score, decimal(decision.score)


def resolution_iri(*parts: str) -> URIRef:
    return RESOLUTION[hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]]


def surname_key(entity: Entity) -> str | None:
    """A person's family name as a key ('altman' for Sam Altman): the store lets a bare
    'Altman' from any article join the one full name in the graph that ends with it."""
    if entity.type != "Person" or not entity.iri.startswith(f"{ENTITY}person/"):
        return None
    names = entity.labels.get("en", [])
    full = [n.split() for n in names if len(n.split()) >= 2]
    return slug(full[0][-1]) if full else None


def asserted(relations: Iterable[Relation]) -> Iterator[Relation]:
    """Relations that enter the graph as facts: a denied one lives only as its statement."""
    return (r for r in relations if r.status != "denied")


def _evidence(subject: URIRef, article_node: URIRef, claim: Relation | Event, article) -> Iterator[Triple]:
    evidence = claim.evidence
    yield subject, NKG.evidenceText, Literal(evidence.text, lang=_language_tag(article))
    yield subject, NKG.evidenceStart, Literal(evidence.start)
    yield subject, NKG.evidenceEnd, Literal(evidence.end)
    yield subject, NKG.confidence, decimal(claim.confidence)
    yield subject, NKG.status, NKG[claim.status.capitalize()]
    if claim.asserted_by:
        yield subject, NKG.assertedBy, URIRef(claim.asserted_by)
    yield subject, PROV.wasDerivedFrom, article_node
    if article.published:
        yield subject, DCTERMS.date, Literal(article.published.isoformat(), datatype=XSD.date)


def _language_tag(article) -> str:
    return "en" if article.language == "en" else f"zh-{article.script}"


def _event_label(event: Event) -> str:
    who = ", ".join(p.rsplit("/", 1)[-1] for p in event.participants)
    what = (f"{event.amount.value:,.0f} {event.amount.currency or event.amount.unit or ''}".strip() if event.amount
            else f"{event.percent:+g}%")
    when = f" on {event.date.isoformat()}" if event.date else ""
    return f"{event.type} {who}: {what}{when}"


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file written beside the target, then renamed over it: a crash or an error never
    leaves a half-written file, nor replaces a good one. The temporary file's name is this
    writer's own: two writers of one file (a build and a view) must not write into each other's."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("xb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())  # else a crash soon after the rename may leave an empty file
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, text: str) -> None:
    with atomic_file(path) as stream:
        stream.write(text.encode("utf-8"))
