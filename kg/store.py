"""The persistent store: an on-disk Oxigraph dataset that ``kg build`` adds to, article by article.

Layout:
- One named graph per article (``graph.quads``): everything that article contributes, with
  its IRIs as the link stage resolved them. Re-ingesting an article replaces its graph in one
  SPARQL update, which Oxigraph applies atomically: a crash never leaves half an article.
- The default graph is *derived*: a pure function of the article graphs and the merges file,
  so A then B, B then A and A+B give the same quads. After each article, only what it touched
  is recomputed (its entities, events and edges, and the bare surnames its people may claim).
- ``MERGE_LOG_GRAPH``: every link decision (surface form → IRI, rule, score) and every merge
  across articles (Altman → Sam Altman, user merges), which ``kg explain`` reads.
- ``CONTROL_GRAPH``: the work still to derive (written with the article, in the same
  transaction, and cleared when derived) and the digest of the merges file in force. A
  build killed between the two finishes the derivation when the store is next opened.

Cross-article resolution happens here, not in the link stage, because only here is it
order-independent: a bare person name (``person/altman``) maps to the one full-name person
in the store with that surname (``person/sam-altman``); two candidates, or a user split,
and it stays apart. The canonical map is recomputed from the store's content every time.

Corroboration: one edge per (subject, predicate, object) in the default graph and a
``nkg:Fact`` node pointing to every statement behind it, with ``nkg:sourceCount`` and a
confidence that grows with independent sources: noisy-OR over the articles, each article
counting once with its best confidence, 1 − Π(1 − cᵢ), rounded to 3 decimals. Denied
statements are evidence of the fact node but never add to its confidence or make an edge.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg import graph
from kg.models import Extraction
from kg.ontology import kb_by_iri, load_ontology, local_name, ontology_dir
from kg.vocab import BASE, ENTITY, EVENT, FACT, MERGE_LOG_GRAPH, NKG, ONTOLOGY_GRAPH, PREFIXES

STORE_DIR = "store"
# Bump when the derivation rules change: a store derived by older rules re-derives on opening.
DERIVATION_VERSION = "1"
CONTROL_GRAPH = ox.NamedNode(BASE + "store")
CONTROL = ox.NamedNode(BASE + "store#state")
MERGE_LOG = ox.NamedNode(MERGE_LOG_GRAPH)
DEFAULT = ox.DefaultGraph()

ENTITY_PREDICATES = tuple(str(p) for p in (RDF.type, RDFS.label, SKOS.altLabel, NKG.ticker, OWL.sameAs))
EVENT_PREDICATES = tuple(str(p) for p in (RDF.type, NKG.participant, NKG.amount, NKG.currency, NKG.unit,
                                           NKG.approximate, NKG.percentChange, NKG.date, RDFS.label))
TYPE, LABEL, ALT_LABEL = str(RDF.type), str(RDFS.label), str(SKOS.altLabel)
PENDING_ENTITY, PENDING_EVENT, PENDING_EDGE, PENDING_ADDITION = (
    str(NKG[n]) for n in ("pendingEntity", "pendingEvent", "pendingEdge", "pendingAddition"))


# ── terms ────────────────────────────────────────────────────────────────────

def to_ox(term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))


def to_quad(quad) -> ox.Quad:
    s, p, o, g = quad
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else DEFAULT)


def _triple_text(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} ."


def _data_block(quads: Iterable[ox.Quad]) -> str:
    """The body of INSERT DATA / DELETE DATA, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        by_graph.setdefault(name, []).append(_triple_text(quad))
    parts = []
    for name, lines in sorted(by_graph.items()):
        body = "\n".join(lines)
        parts.append(body if not name else f"GRAPH {name} {{\n{body}\n}}")
    return "\n".join(parts)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ── user merge decisions ─────────────────────────────────────────────────────

@dataclass(frozen=True)
class Merges:
    """``merge A B`` (B is A) and ``split A B`` (never merge them) lines from a plain file;
    the last line about a pair wins, so ``kg split`` undoes an earlier ``kg merge``."""

    merged_into: dict[str, str] = field(default_factory=dict)
    apart: frozenset[frozenset[str]] = frozenset()
    text: str = ""

    @classmethod
    def read(cls, path: Path | None) -> "Merges":
        text = path.read_text(encoding="utf-8") if path and path.exists() else ""
        decisions: dict[frozenset[str], tuple[str, str, str]] = {}
        for number, line in enumerate(text.splitlines(), 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) != 3 or words[0] not in ("merge", "split"):
                raise ValueError(f"{path}:{number}: expected 'merge A B' or 'split A B', got {line!r}")
            verb, a, b = words[0], expand(words[1]), expand(words[2])
            decisions[frozenset((a, b))] = (verb, a, b)
        merged = {b: a for verb, a, b in decisions.values() if verb == "merge"}
        apart = frozenset(pair for pair, (verb, _, _) in decisions.items() if verb == "split")
        return cls(merged, apart, "\n".join(f"{v} {a} {b}" for v, a, b in sorted(decisions.values())))


def expand(reference: str) -> str:
    """'org:microsoft' → the full IRI; full IRIs pass through."""
    prefix, _, rest = reference.partition(":")
    if prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return reference


def record(path: Path, verb: str, a: str, b: str) -> None:
    """Append a merge/split line to the user's file (created on first use)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else (
        "# kg merge/split decisions, honoured by the next `kg build`: merge A B (B is A), split A B\n")
    path.write_text(existing + f"{verb} {a} {b}\n", encoding="utf-8")


# ── the store ────────────────────────────────────────────────────────────────

class Store:
    def __init__(self, path: Path | None = None, merges: Merges | None = None):
        """An on-disk store at ``path`` (created if missing), or in memory without one."""
        if path:
            path.mkdir(parents=True, exist_ok=True)
        self.db = ox.Store(str(path)) if path else ox.Store()
        self.merges = merges or Merges()
        self._load_ontology()
        self._recover()

    # writing

    def add(self, extraction: Extraction) -> bool:
        """Put one article in (replacing an earlier version) and derive what it touched.
        False when the article was already there exactly as it is."""
        node = ox.NamedNode(str(graph.article_iri(extraction.article.id)))
        new = {to_quad(q) for q in graph.quads(extraction)}
        old = set(self.db.quads_for_pattern(None, None, None, node))
        if new == old:
            return False
        touched = [*_touched(old | new), *([(PENDING_ADDITION, node.value)] if not old else [])]
        pending = [ox.Quad(CONTROL, ox.NamedNode(p), ox.Literal(key), CONTROL_GRAPH) for p, key in touched]
        self.db.update(f"DROP SILENT GRAPH {node} ;\n"
                       f"INSERT DATA {{\n{_data_block([*new, *pending])}\n}}")
        self._derive_pending()
        return True

    def _load_ontology(self) -> None:
        graph_name = ox.NamedNode(ONTOLOGY_GRAPH)
        quads = {ox.Quad(q.subject, q.predicate, q.object, graph_name)
                 for q in ox.parse(path=str(ontology_dir() / "nkg.ttl"), format=ox.RdfFormat.TURTLE)}
        if quads != set(self.db.quads_for_pattern(None, None, None, graph_name)):
            self.db.update(f"DROP SILENT GRAPH {graph_name} ;\nINSERT DATA {{\n{_data_block(quads)}\n}}")

    def _recover(self) -> None:
        """Finish a derivation a crash interrupted; re-derive everything if the merges (or the
        derivation rules) changed since the store was last derived."""
        digest = ox.Literal(_digest(f"{DERIVATION_VERSION}\n{self.merges.text}"))
        recorded = {q.object for q in self.db.quads_for_pattern(CONTROL, ox.NamedNode(NKG.mergesDigest), None,
                                                                 CONTROL_GRAPH)}
        if recorded and recorded != {digest}:
            self._mark_everything_pending()
        if recorded != {digest}:
            self.db.update(f"DELETE WHERE {{ GRAPH {CONTROL_GRAPH} {{ {CONTROL} <{NKG.mergesDigest}> ?d }} }} ;\n"
                           f"INSERT DATA {{ GRAPH {CONTROL_GRAPH} {{ {CONTROL} <{NKG.mergesDigest}> {digest} . }} }}")
        self._derive_pending()

    def _mark_everything_pending(self) -> None:
        articles = [q for g in self.db.named_graphs() if g.value.startswith(str(graph.ARTICLE))
                    for q in self.db.quads_for_pattern(None, None, None, g)]
        pending = [ox.Quad(CONTROL, ox.NamedNode(p), ox.Literal(key), CONTROL_GRAPH) for p, key in _touched(articles)]
        self.db.update(f"DROP SILENT GRAPH {MERGE_LOG} ; CLEAR DEFAULT ;\n"
                       f"INSERT DATA {{\n{_data_block(pending)}\n}}")

    def _derive_pending(self) -> None:
        work = {p: set() for p in (PENDING_ENTITY, PENDING_EVENT, PENDING_EDGE, PENDING_ADDITION)}
        for quad in self.db.quads_for_pattern(CONTROL, None, None, CONTROL_GRAPH):
            if quad.predicate.value in work:
                work[quad.predicate.value].add(quad.object.value)
        if not any(work.values()):
            return
        derivation = Derivation(self.db, self.merges)
        additions = work[PENDING_ADDITION]
        removed, added = derivation.run(work[PENDING_ENTITY], work[PENDING_EVENT],
                                        {tuple(e.split(" ")) for e in work[PENDING_EDGE]},
                                        next(iter(additions)) if len(additions) == 1 else None)
        clear = "; ".join(f"DELETE WHERE {{ GRAPH {CONTROL_GRAPH} {{ {CONTROL} <{p}> ?k }} }}" for p in work)
        self.db.update(f"DELETE DATA {{\n{_data_block(removed - added)}\n}} ;\n"
                       f"INSERT DATA {{\n{_data_block(added - removed)}\n}} ;\n{clear}")

    # reading

    def query(self, sparql: str):
        return self.db.query(sparql, prefixes=PREFIXES)

    def quads(self) -> list[ox.Quad]:
        return list(provenance_quads(self.db))

    def canonical_nquads(self) -> str:
        """Sorted N-Quads: no blank nodes anywhere, so sorting is a canonical form."""
        return "".join(sorted(f"{q} .\n" for q in self.quads()))

    def flush(self) -> None:
        self.db.flush()


def provenance_quads(db: ox.Store) -> Iterator[ox.Quad]:
    """Every quad but the store's bookkeeping (what exports and validation see), graph by graph:
    the default graph first, then the named graphs by IRI."""
    named = sorted((g for g in db.named_graphs() if g != CONTROL_GRAPH), key=lambda g: g.value)
    for graph_name in [DEFAULT, *named]:
        yield from db.quads_for_pattern(None, None, None, graph_name)


def build(extractions: Iterable[Extraction]) -> Store:
    """An in-memory store holding the given articles (for tests, benchmarks and one-off graphs)."""
    store = Store()
    for extraction in extractions:
        store.add(extraction)
    return store


def _touched(quads: Iterable[ox.Quad]) -> Iterator[tuple[str, str]]:
    """What an article's quads touch: its entities, its events and its statements' edges."""
    statements: dict[str, dict[str, str]] = {}
    for q in quads:
        subject = q.subject.value
        if q.predicate.value == TYPE and subject.startswith(ENTITY):
            yield PENDING_ENTITY, subject
        elif q.predicate.value == TYPE and subject.startswith(str(EVENT)):
            yield PENDING_EVENT, subject
        elif q.predicate.value in (str(RDF.subject), str(RDF.predicate), str(RDF.object)):
            statements.setdefault(subject, {})[q.predicate.value] = q.object.value
    for parts in statements.values():
        yield PENDING_EDGE, " ".join(parts[str(p)] for p in (RDF.subject, RDF.predicate, RDF.object))



# ── derivation ───────────────────────────────────────────────────────────────

class Derivation:
    """One pass deriving the default graph and the merge log for the entities, events and
    edges that changed; every answer is read from the store's current article graphs."""

    def __init__(self, db: ox.Store, merges: Merges):
        self.db = db
        self.merges = merges
        self.kb = kb_by_iri()
        self.onto = load_ontology()
        self.removed: set[ox.Quad] = set()
        self.added: set[ox.Quad] = set()
        self._canonical: dict[str, tuple[str, str | None]] = {}
        self._keys: dict[str, set[str]] = {}

    def run(self, entities: set[str], events: set[str], edges: set[tuple[str, str, str]], addition: str | None):
        """``addition``: the one new article graph, when nothing was replaced. Then a node whose
        members did not change is derived from its derived triples plus that article's, which
        gives the same answer as reading every article (the merge is a function of the union)
        at a fraction of the cost for a hub named by thousands of articles."""
        keys = {k for e in entities for k in self._surname_keys(e)} | {local_name(e) for e in entities if _bare(e)}
        variable = {b for k in keys if self._exists(b := f"{ENTITY}person/{k}")}
        for x in variable:  # statements and events of a re-mapped bare name move with it
            edges |= self._edges_of(x)
            events |= {q.subject.value for q in self.db.quads_for_pattern(None, ox.NamedNode(NKG.participant),
                                                                         ox.NamedNode(x), None)}
        logged = entities | variable
        old = {x: self._old_canonical(x) for x in logged | {n for edge in edges for n in (edge[0], edge[2])}}
        for x in sorted(logged):
            self._log_merge(x)
        remapped = variable | {self.canonical(x) for x in variable} | {old[x] for x in variable}
        for x in sorted(entities):
            self._log_resolutions(x, addition)
        for w in sorted(logged | {self.canonical(x) for x in logged} | {old[x] for x in logged}):
            self._derive_entity(w, None if w in remapped else addition)
        canonical_edges = set()
        for s, p, o in edges:
            canonical_edges.add(self._edge(old[s], p, old[o]))
            canonical_edges.add(self._edge(self.canonical(s), p, self.canonical(o)))
        for edge in sorted(canonical_edges):
            self._derive_edge(*edge)
        for event in sorted(events):
            self._derive_event(event)
        return self.removed, self.added

    # the canonical map

    def canonical(self, x: str) -> str:
        return self._resolve(x)[0]

    def _resolve(self, x: str) -> tuple[str, str | None]:
        """(canonical IRI, the rule of the first step): user merges first, then bare surnames."""
        if x not in self._canonical:
            self._canonical[x] = (x, None)  # a cycle of merges stops where it started
            target, rule = self.merges.merged_into.get(x), "user-merge"
            if target is None:
                target, rule = self._surname_target(x), "person-name"
            self._canonical[x] = (self._resolve(target)[0], rule) if target else (x, None)
        return self._canonical[x]

    def _surname_target(self, x: str) -> str | None:
        if not _bare(x) or x in self.kb:
            return None
        family = {q.subject.value for q in self.db.quads_for_pattern(None, ox.NamedNode(NKG.surnameKey),
                                                                      ox.Literal(local_name(x)), None)}
        family = {f for f in family - {x} if frozenset((x, f)) not in self.merges.apart}
        return family.pop() if len(family) == 1 else None  # two Altmans: stay apart

    def members(self, w: str) -> set[str]:
        """Every IRI whose canonical IRI is ``w``, ``w`` included."""
        found, frontier = set(), [w]
        while frontier:
            x = frontier.pop()
            if x in found:
                continue
            found.add(x)
            frontier += [f"{ENTITY}person/{k}" for k in self._surname_keys(x)]
            frontier += [b for b, a in self.merges.merged_into.items() if a == x]
        return {x for x in found if self.canonical(x) == w}

    def _old_canonical(self, x: str) -> str:
        targets = [q.object.value for q in self.db.quads_for_pattern(_log_node(x), ox.NamedNode(NKG.canonical),
                                                                       None, MERGE_LOG)]
        return targets[0] if targets else x

    def _surname_keys(self, x: str) -> set[str]:
        if not x.startswith(f"{ENTITY}person/"):
            return set()
        if x not in self._keys:  # a famous person is in thousands of article graphs: read once
            self._keys[x] = {q.object.value for q in self.db.quads_for_pattern(
                ox.NamedNode(x), ox.NamedNode(NKG.surnameKey), None, None)}
        return self._keys[x]

    def _exists(self, x: str) -> bool:
        """Whether some article still names ``x`` (the derived graphs may lag behind)."""
        return bool(self.db.query(f"ASK {{ GRAPH ?g {{ <{x}> a ?t }} FILTER(STRSTARTS(STR(?g), \"{graph.ARTICLE}\")) }}"))

    # writing the derived quads

    def _replace(self, subject: str, predicates: Iterable[str], graph_name) -> None:
        for predicate in predicates:
            self.removed.update(self.db.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None,
                                                          graph_name))

    def _add(self, s: str, p: str, o, graph_name=DEFAULT) -> None:
        obj = o if isinstance(o, (ox.Literal, ox.NamedNode)) else ox.NamedNode(o)
        self.added.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, graph_name))

    def _article_values(self, subjects: Iterable[str], predicates: Iterable[str]) -> set[tuple[str, str, object]]:
        """(subject, predicate, object) for the given subjects in every article graph."""
        values = " ".join(f"<{s}>" for s in sorted(subjects))
        preds = " ".join(f"<{p}>" for p in predicates)
        rows = self.db.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {preds} }} "
                             f"GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{graph.ARTICLE}\")) }}")
        return {(row["s"].value, row["p"].value, row["o"]) for row in rows}

    def _log_merge(self, x: str) -> None:
        node = _log_node(x)
        self.removed.update(self.db.quads_for_pattern(node, None, None, MERGE_LOG))
        target, rule = self._resolve(x)
        if target != x and self._exists(x):
            for p, o in ((TYPE, str(NKG.Merge)), (str(NKG.member), x), (str(NKG.canonical), target),
                         (str(NKG.rule), ox.Literal(rule)), (str(NKG.score), _decimal(1.0))):
                self._add(node.value, p, o, MERGE_LOG)

    def _log_resolutions(self, x: str, addition: str | None) -> None:
        resolved_to = ox.NamedNode(NKG.resolvedTo)
        if addition:  # the log is a union of identical nodes: add the new article's
            for quad in self.db.quads_for_pattern(None, resolved_to, ox.NamedNode(x), ox.NamedNode(addition)):
                for q in self.db.quads_for_pattern(quad.subject, None, None, ox.NamedNode(addition)):
                    self._add(q.subject.value, q.predicate.value, q.object, MERGE_LOG)
            return
        for quad in self.db.quads_for_pattern(None, resolved_to, ox.NamedNode(x), MERGE_LOG):
            self.removed.update(self.db.quads_for_pattern(quad.subject, None, None, MERGE_LOG))
        rows = self.db.query(f"SELECT DISTINCT ?r ?p ?o WHERE {{ GRAPH ?g {{ ?r <{NKG.resolvedTo}> <{x}> ; ?p ?o }} "
                             f"FILTER(STRSTARTS(STR(?g), \"{graph.ARTICLE}\")) }}")
        for row in rows:
            self._add(row["r"].value, row["p"].value, row["o"], MERGE_LOG)

    def _derive_entity(self, w: str, addition: str | None) -> None:
        self._replace(w, ENTITY_PREDICATES, DEFAULT)
        if self.canonical(w) != w:
            return
        if addition:
            found = {(q.subject.value, q.predicate.value, q.object) for q in self.removed if q.subject.value == w
                     and q.graph_name == DEFAULT and q.predicate.value in ENTITY_PREDICATES}
            found |= {(m, q.predicate.value, q.object) for m in self.members(w) for p in ENTITY_PREDICATES
                      for q in self.db.quads_for_pattern(ox.NamedNode(m), ox.NamedNode(p), None, ox.NamedNode(addition))}
        else:
            found = self._article_values(self.members(w), ENTITY_PREDICATES)
        if not found:
            return
        known = self.kb.get(w)
        types = {o.value for _, p, o in found if p == TYPE}
        self._add(w, TYPE, f"{NKG}{known.type}" if known else max(types, key=self._depth))
        names: dict[str, set[str]] = {}
        for _, p, o in found:
            if p in (LABEL, ALT_LABEL):
                names.setdefault(o.language, set()).add(o.value)
            elif p != TYPE:
                self._add(w, p, o)
        for lang, texts in sorted(names.items()):  # a function of the set of names, so it merges incrementally
            kb_first = [t for t in (known.labels.get(lang, ()) if known else ()) if t in texts]
            preferred = kb_first[0] if kb_first else min(texts, key=lambda t: (-len(t), t))
            self._add(w, LABEL, ox.Literal(preferred, language=lang))
            for other in sorted(texts - {preferred}):
                self._add(w, ALT_LABEL, ox.Literal(other, language=lang))

    def _depth(self, type_iri: str) -> tuple[int, str]:
        """The deepest class wins: Company over Organization, AIModel over Product."""
        return len(self.onto.ancestors(local_name(type_iri))), type_iri

    def _symmetric(self, p: str) -> bool:
        prop = self.onto.properties.get(local_name(p))
        return bool(prop and prop.symmetric)

    def _edge(self, s: str, p: str, o: str) -> tuple[str, str, str]:
        if self._symmetric(p) and o < s:
            return o, p, s
        return s, p, o

    def _edges_of(self, x: str) -> set[tuple[str, str, str]]:
        rows = self.db.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?st a <{RDF.Statement}> ; "
                             f"<{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o "
                             f"FILTER(?s = <{x}> || ?o = <{x}>) }} }}")
        return {(r["s"].value, r["p"].value, r["o"].value) for r in rows}

    def _derive_edge(self, s: str, p: str, o: str) -> None:
        node = FACT[_digest(f"{s}|{p}|{o}")]
        self.removed.update(self.db.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), DEFAULT))
        self.removed.update(self.db.quads_for_pattern(ox.NamedNode(node), None, None, DEFAULT))
        if s == o:
            return
        pairs = {(a, b) for a in self.members(s) for b in self.members(o)}
        if self._symmetric(p):
            pairs |= {(b, a) for a, b in pairs}
        values = " ".join(f"(<{a}> <{b}>)" for a, b in sorted(pairs))
        rows = list(self.db.query(
            f"SELECT ?st ?g ?c ?status WHERE {{ VALUES (?s ?o) {{ {values} }} GRAPH ?g {{ ?st <{RDF.subject}> ?s ; "
            f"<{RDF.predicate}> <{p}> ; <{RDF.object}> ?o ; <{NKG.confidence}> ?c ; <{NKG.status}> ?status }} }}"))
        best: dict[str, float] = {}
        for row in rows:
            if row["status"].value != str(NKG.Denied):
                g = row["g"].value
                best[g] = max(best.get(g, 0.0), float(row["c"].value))
        if not best:
            return
        self._add(s, p, o)
        self._add(str(node), TYPE, str(NKG.Fact))
        for predicate, value in ((RDF.subject, s), (RDF.predicate, p), (RDF.object, o)):
            self._add(str(node), str(predicate), value)
        for row in rows:
            self._add(str(node), str(NKG.evidence), row["st"].value)
        self._add(str(node), str(NKG.sourceCount), ox.Literal(str(len(best)), datatype=ox.NamedNode(str(XSD.integer))))
        self._add(str(node), str(NKG.confidence), _decimal(corroborated(best.values())))

    def _derive_event(self, event: str) -> None:
        self._replace(event, EVENT_PREDICATES, DEFAULT)
        for _, p, o in self._article_values([event], EVENT_PREDICATES):
            if p == str(NKG.participant):
                o = ox.NamedNode(self.canonical(o.value))
            self._add(event, p, o)


def corroborated(confidences: Iterable[float]) -> float:
    """Noisy-OR: the chance that at least one independent source is right."""
    doubt = 1.0
    for confidence in confidences:
        doubt *= 1.0 - confidence
    return round(1.0 - doubt, 3)




def _decimal(value: float) -> ox.Literal:
    return to_ox(graph.decimal(value))


def _bare(iri: str) -> bool:
    """A one-word person name: person/altman, not person/sam-altman."""
    return iri.startswith(f"{ENTITY}person/") and "-" not in local_name(iri)


def _log_node(x: str) -> ox.NamedNode:
    return ox.NamedNode(f"{MERGE_LOG_GRAPH}/{_digest(x)}")


# ── explaining ───────────────────────────────────────────────────────────────

def find_entity(db: ox.Store, reference: str) -> str:
    """An IRI, a CURIE (org:microsoft) or a name any node is labelled with."""
    iri = expand(reference)
    if any(True for _ in db.quads_for_pattern(ox.NamedNode(iri), None, None, None)) if "://" in iri else False:
        return iri
    rows = db.query(f"SELECT DISTINCT ?e WHERE {{ ?e rdfs:label|skos:altLabel ?l "
                    f"FILTER(LCASE(STR(?l)) = LCASE({ox.Literal(reference)})) }}", prefixes=PREFIXES)
    found = sorted(row["e"].value for row in rows)
    if len(found) != 1:
        raise LookupError(f"{reference}: " + ("no such entity" if not found else "ambiguous: " + ", ".join(found)))
    return found[0]


def explain(db: ox.Store, reference: str) -> str:
    """The merge log for one node, as lines a person reads."""
    iri = find_entity(db, reference)
    merged = [row["m"].value for row in db.query(
        f"SELECT ?m WHERE {{ GRAPH {MERGE_LOG} {{ ?n <{NKG.member}> ?m ; <{NKG.canonical}> <{iri}> }} }} ORDER BY ?m")]
    into = [row for row in db.query(
        f"SELECT ?c ?rule WHERE {{ GRAPH {MERGE_LOG} {{ ?n <{NKG.member}> <{iri}> ; <{NKG.canonical}> ?c ; "
        f"<{NKG.rule}> ?rule }} }}")]
    lines = [iri]
    for row in into:
        lines.append(f"  merged into {row['c'].value} (rule {row['rule'].value})")
    for member in merged:
        rule = next(iter(db.quads_for_pattern(_log_node(member), ox.NamedNode(NKG.rule), None, MERGE_LOG))).object.value
        lines.append(f"  merges {member} (rule {rule})")
    rows = db.query(
        f"SELECT ?surface ?to ?rule ?score WHERE {{ GRAPH {MERGE_LOG} {{ ?r <{NKG.resolvedTo}> ?to ; "
        f"<{NKG.surfaceForm}> ?surface ; <{NKG.rule}> ?rule ; <{NKG.score}> ?score }} "
        f"VALUES ?to {{ {' '.join(f'<{m}>' for m in [iri, *merged])} }} }} ORDER BY ?to ?surface ?rule")
    for row in rows:
        lines.append(f"  {row['surface'].value!r} → {row['to'].value}  rule {row['rule'].value}, "
                     f"score {row['score'].value}")
    articles = {row["g"].value for row in db.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a <{graph.SCHEMA.mentions}> ?e }} "
        f"VALUES ?e {{ {' '.join(f'<{m}>' for m in [iri, *merged])} }} }}")}
    lines.append(f"  mentioned in {len(articles)} article(s)")
    return "\n".join(lines)
