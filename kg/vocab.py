"""Every IRI namespace of the project, in one place."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/newskg/"
NKG = Namespace(BASE + "ontology#")
ONTOLOGY_GRAPH = BASE + "ontology"
ENTITY = BASE + "entity/"  # + "{kind}/{slug}"
ARTICLE = Namespace(BASE + "article/")
STATEMENT = Namespace(BASE + "statement/")
EVENT = Namespace(BASE + "event/")
RESOLUTION = Namespace(BASE + "resolution/")
FACT = Namespace(BASE + "fact/")
MERGE_LOG_GRAPH = BASE + "merge-log"
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
KINDS = ("org", "person", "product", "place", "facility")

# Used when writing Turtle and predeclared for SPARQL queries.
PREFIXES: dict[str, str] = {prefix: str(namespace) for prefix, namespace in {
    "nkg": NKG, "schema": SCHEMA, "article": ARTICLE, "statement": STATEMENT, "event": EVENT,
    **{kind: f"{ENTITY}{kind}/" for kind in KINDS},
    "prov": PROV, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "owl": OWL, "xsd": XSD,
    "wd": WIKIDATA,
}.items()}
