"""An interactive, self-contained HTML view of the store's merged graph (pyvis / vis-network).

Read: a few SPARQL queries over Oxigraph fill a small model (entities and events as nodes,
facts and event participations as edges, each with the statements behind it). Filter: the
relations asked for, evidence from a date on, the neighbourhood of a focus entity. Lay out:
in Python (rings around the focus or a hub, relaxed by a bounded numpy force layout), so the
page opens with physics off, is readable and is the same bytes for the same store. Render: pyvis's page with
vis-network inlined and every remote reference stripped, a legend, a search box and a side
panel that shows the evidence of what was clicked.

Safety: article strings reach the page only as JSON with ``<``, ``>``, ``&``, U+2028/2029
escaped (pyvis's ``tojson`` for the vis datasets, ``script_json`` for the panel data), and the
panel builds its DOM with ``textContent``, so markup in an article is shown, never run.
"""
from __future__ import annotations

import difflib
import functools
import html
import json
import math
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict
from pyvis.network import Network

from kg.graph import atomic_write
from kg.ontology import load_ontology, local_name
from kg.query import lexical_rows
from kg.store import find_entity
from kg.vocab import ENTITY, EVENT, PREFIXES

# Most specific first: a node typed both Company and Organization is drawn as a Company.
PALETTE = {
    "AIModel": "#b07aa1",
    "NewsOutlet": "#9c755f",
    "Company": "#4e79a7",
    "Organization": "#59a14f",
    "Person": "#e15759",
    "Product": "#f28e2b",
    "Facility": "#edc948",
    "Place": "#76b7b2",
    "Event": "#bab0ac",
    "Other": "#d3d3d3",
}
LABEL_LANGUAGES = ("en", "zh-hans", "zh-hant")  # Oxigraph gives language tags in lower case
PARTICIPANT = "participant"  # the edge from an event to an entity taking part in it
LABEL_WIDTH = 220  # pixels a typical 16 px name takes ("Synthetic 1141 Holdings", "Atreides Management")
NODE_SPACING = 120  # pixels a node needs around it for its label to stay readable
PAIR_BUDGET = 5e8  # node pairs the force layout may visit in all: bounds its time on big graphs
EDGE_LABEL_LIMIT = 500  # edges above which only a focus's relations are named on the canvas: more clutter it
LABEL_SIZE = 16  # px: the names of nodes, and of a focus's relations
LEGIBLE_SCALE = 0.7  # the zoom below which 16 px labels blur into each other: the page opens no smaller
BIG_GRAPH = 1000  # nodes from which edges hide while dragging (drawing 10,000 edges per frame is slow)


class ViewOptions(BaseModel):
    """What part of the graph to show (the whole merged graph by default)."""

    focus: str | None = None  # an entity: IRI, org:… or a name in any language
    hops: int = 2
    since: date | None = None  # only relations and events with evidence from this date on
    relations: list[str] = []  # relation local names (analystOf); empty = all
    physics: bool = False
    title: str = "News knowledge graph"


# ── the model ────────────────────────────────────────────────────────────────

class Article(BaseModel):
    title: str = ""
    outlet: str = ""
    url: str = ""
    date: str = ""


class Claim(BaseModel):
    """One piece of evidence: a statement behind a fact, or an event as one article reports it."""

    model_config = ConfigDict(frozen=True)  # hashable: a fact's evidence is a set
    text: str
    article: str  # IRI, a key of Graph.articles
    date: str
    status: str  # Reported, Denied, …
    asserted_by: str = ""  # who the sentence says asserts it, by name
    confidence: str


class Node(BaseModel):
    iri: str
    cls: str  # a PALETTE key
    labels: dict[str, list[str]]  # language → names, the preferred label first
    details: dict[str, str] = {}  # an event's amount, currency, percentChange, date; an entity's ticker
    claims: list[Claim] = []  # an event's evidence

    @property
    def label(self) -> str:
        """The English label, else Simplified, else Traditional Chinese, else any."""
        for language in (*LABEL_LANGUAGES, *sorted(self.labels)):
            if self.labels.get(language):
                return self.labels[language][0]
        return local_name(self.iri)


class Edge(BaseModel):
    source: str
    target: str
    relation: str  # local name: analystOf, or PARTICIPANT
    confidence: str = ""
    sources: int = 0
    claims: list[Claim] = []

    @property
    def id(self) -> str:
        return f"{self.source} {self.relation} {self.target}"


class Graph(BaseModel):
    nodes: dict[str, Node]
    edges: list[Edge]
    articles: dict[str, Article]


# ── reading the store ────────────────────────────────────────────────────────

NODE_QUERY = f"""
SELECT ?node ?p ?o WHERE {{
  VALUES ?p {{ rdf:type rdfs:label skos:altLabel nkg:ticker nkg:participant nkg:amount nkg:currency nkg:unit
              nkg:percentChange nkg:date }}
  ?node ?p ?o .
  FILTER(STRSTARTS(STR(?node), "{ENTITY}") || STRSTARTS(STR(?node), "{EVENT}"))
}}"""
FACT_QUERY = """
SELECT ?s ?p ?o ?confidence ?sources ?statement WHERE {
  ?fact a nkg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nkg:confidence ?confidence ;
        nkg:sourceCount ?sources ; nkg:evidence ?statement .
}"""
CLAIM_QUERY = """
SELECT ?claim ?text ?article ?status ?confidence ?date ?by WHERE {
  GRAPH ?g { ?claim nkg:evidenceText ?text ; prov:wasDerivedFrom ?article ; nkg:status ?status ;
                    nkg:confidence ?confidence .
             OPTIONAL { ?claim dcterms:date ?date } OPTIONAL { ?claim nkg:assertedBy ?by } }
}"""
ARTICLE_QUERY = """
SELECT ?article ?title ?outlet ?url ?published WHERE {
  GRAPH ?article { ?article a schema:NewsArticle .
    OPTIONAL { ?article dcterms:title ?title } OPTIONAL { ?article dcterms:publisher ?outlet }
    OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article schema:datePublished ?published } }
}"""


def read_graph(db: ox.Store) -> Graph:
    articles = {r["article"]: Article(title=r.get("title", ""), outlet=r.get("outlet", ""), url=r.get("url", ""),
                                      date=r.get("published", "")) for r in lexical_rows(db, ARTICLE_QUERY)}
    nodes, participations = read_nodes(db)
    claims = read_claims(db, articles, nodes)
    for node in nodes.values():
        node.claims = claims.get(node.iri, [])
    edges = [*read_facts(db, claims, nodes), *participations]
    return Graph(nodes=nodes, edges=sorted(edges, key=lambda e: e.id), articles=articles)


def read_nodes(db: ox.Store) -> tuple[dict[str, Node], list[Edge]]:
    values: dict[str, dict[str, list[ox.Literal | str]]] = defaultdict(lambda: defaultdict(list))
    solutions = db.query(NODE_QUERY, prefixes=PREFIXES)
    for solution in solutions:
        values[solution["node"].value][local_name(solution["p"].value)].append(solution["o"])
    nodes, participations = {}, []
    for iri, properties in sorted(values.items()):
        if not properties["type"]:
            continue
        is_event = iri.startswith(str(EVENT))
        labels: dict[str, list[str]] = defaultdict(list)
        for prop in ("label", "altLabel"):
            for literal in sorted(properties[prop], key=lambda lit: lit.value):
                labels[literal.language or ""].append(literal.value)
        details = {name: ", ".join(sorted(term.value for term in properties[name]))
                   for name in ("ticker", "amount", "currency", "unit", "percentChange", "date") if properties[name]}
        types = {local_name(t.value) for t in properties["type"]}
        nodes[iri] = Node(iri=iri, cls="Event" if is_event else node_class(types), labels=dict(labels),
                          details=details | ({"type": ", ".join(sorted(types))} if is_event else {}))
        participations += [Edge(source=iri, target=p.value, relation=PARTICIPANT) for p in properties["participant"]]
    return nodes, [e for e in participations if e.target in nodes]


def node_class(types: set[str]) -> str:
    return next((cls for cls in PALETTE if cls in types), "Other")


def read_claims(db: ox.Store, articles: dict[str, Article], nodes: dict[str, Node]) -> dict[str, list[Claim]]:
    """Claims by the statement or event they support; the date is the article's, else the statement's."""
    claims: dict[str, set[Claim]] = defaultdict(set)
    for r in lexical_rows(db, CLAIM_QUERY):
        article = articles.get(r["article"], Article())
        asserted_by = nodes[r["by"]].label if r.get("by") in nodes else local_name(r.get("by", ""))
        claims[r["claim"]].add(Claim(text=r["text"], article=r["article"], date=article.date or r.get("date", ""),
                                     status=local_name(r["status"]), asserted_by=asserted_by,
                                     confidence=r["confidence"]))
    return {key: chronological(found) for key, found in claims.items()}


def chronological(claims: set[Claim]) -> list[Claim]:
    """By date, then by every other field: a total order, so a set's order never reaches the page."""
    return sorted(claims, key=lambda c: (c.date, c.article, c.text, c.status, c.asserted_by, c.confidence))


def read_facts(db: ox.Store, claims: dict[str, list[Claim]], nodes: dict[str, Node]) -> list[Edge]:
    edges: dict[tuple[str, str, str], Edge] = {}
    evidence: dict[tuple[str, str, str], set[Claim]] = defaultdict(set)
    for r in lexical_rows(db, FACT_QUERY):
        if r["s"] not in nodes or r["o"] not in nodes:
            continue
        key = (r["s"], local_name(r["p"]), r["o"])
        edges.setdefault(key, Edge(source=key[0], relation=key[1], target=key[2], confidence=r["confidence"],
                                   sources=int(r["sources"])))
        evidence[key].update(claims.get(r["statement"], []))
    return [edge.model_copy(update={"claims": chronological(evidence[key])}) for key, edge in edges.items()]


# ── filtering ────────────────────────────────────────────────────────────────

def check(options: ViewOptions) -> None:
    if options.hops < 0:
        raise ValueError(f"hops: must be 0 or more (got {options.hops})")
    known = sorted(load_ontology().properties)
    for name in options.relations:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5) or [
                k for k in known if k.lower() == name.lower()]
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known relations: {', '.join(known)}"
            raise ValueError(f"{name}: no such relation{hint}")


def select(graph: Graph, options: ViewOptions, focus: str | None) -> Graph:
    """The part of ``graph`` the options ask for. With a relation or date filter, entities
    without a remaining edge are left out; the focus entity always stays."""
    nodes, edges = graph.nodes, graph.edges
    if options.relations:
        edges = [e for e in edges if e.relation in options.relations]
    if options.since:  # relations and events keep their evidence from then on, and go without any
        nodes = {iri: n for iri, n in ((iri, n if n.cls != "Event" else dated(n, options.since))
                                       for iri, n in nodes.items()) if n is not None}
        edges = [e for e in (e if e.relation == PARTICIPANT else dated(e, options.since) for e in edges)
                 if e is not None]
    if options.relations or options.since:
        touched = {n for e in edges for n in (e.source, e.target)} | {focus}
        nodes = {iri: n for iri, n in nodes.items() if iri in touched}
    edges = [e for e in edges if e.source in nodes and e.target in nodes]
    if focus is not None:
        within = neighbourhood(nodes, edges, focus, options.hops)
        nodes = {iri: n for iri, n in nodes.items() if iri in within}
        edges = [e for e in edges if e.source in within and e.target in within]
    return Graph(nodes=nodes, edges=edges, articles=graph.articles)


def dated(item: Node | Edge, since: date) -> Node | Edge | None:
    """An event or a relation with only its claims from ``since`` on; None when no asserted one is left."""
    claims = [c for c in item.claims if c.date >= str(since)]
    return item.model_copy(update={"claims": claims}) if any(c.status != "Denied" for c in claims) else None


def neighbourhood(nodes: dict[str, Node], edges: list[Edge], focus: str, hops: int) -> set[str]:
    """Nodes within ``hops`` of ``focus``, whichever way the edges point."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((e.source, e.target) for e in edges)
    return set(nx.ego_graph(graph, focus, radius=hops))


def focus_entity(db: ox.Store, graph: Graph, reference: str) -> str:
    iri = find_entity(db, reference)
    if iri not in graph.nodes or graph.nodes[iri].cls == "Event":
        raise LookupError(f"{reference}: not an entity of the graph")
    return iri


# ── layout ───────────────────────────────────────────────────────────────────

def layout(nodes: list[str], edges: list[tuple[str, str]], centre: str | None = None) -> dict[str, tuple[int, int]]:
    """Each connected component laid out around its best-connected node (the centre's
    component around the centre, pinned), then packed in rows, largest first."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    components = sorted((sorted(c) for c in nx.connected_components(graph)),
                        key=lambda c: (centre not in c, -len(c), c[0]))
    placed = []
    for component in components:
        sub = graph.subgraph(component)
        root = centre if centre in sub else min(component, key=lambda n: (-sub.degree(n), n))
        start, rings = radial(sub, root)
        placed.append(relax(sub, start, root, rings if root == centre else None))
    return pack(placed)


def radial(graph: nx.Graph, root: str) -> tuple[dict[str, np.ndarray], dict[str, tuple[float, float]]]:
    """Rings of equal distance from ``root``; on each ring, nodes in the order of their
    parents, so a node starts beside the node that brought it in. Also each node's ring, as
    the inner and outer radius of its annulus."""
    depth, rings = {root: 0}, defaultdict(list)
    # breadth-first, neighbours in name order: siblings stay together, in their parents' order
    for parent, child in nx.bfs_edges(graph, root, sort_neighbors=sorted):
        depth[child] = depth[parent] + 1
        rings[depth[child]].append(child)
    positions, annulus, inner, placed = {root: np.zeros(2)}, {root: (0.0, 0.0)}, 0.0, 1
    for ring in rings.values():  # nearest first: breadth-first order adds them so
        placed += len(ring)
        # the disc out to this ring holds every node placed so far at about one per NODE_SPACING²
        outer = max(inner + NODE_SPACING, NODE_SPACING * 1.2 * math.sqrt(placed / math.pi))
        for i, node in enumerate(ring):
            angle = 2 * math.pi * (i + 0.5) / len(ring)
            radius = inner + (outer - inner) * (0.5 + ((i * 0.618) % 1.0)) / 1.5  # spread across the annulus
            positions[node] = radius * np.array([math.cos(angle), math.sin(angle)])
            low = max(inner, LABEL_WIDTH)  # a label's width from the root: never on top of it or its label
            annulus[node] = (low, max(outer, low + NODE_SPACING))
        inner = outer
    # the outermost ring may spread outwards: held to its annulus, it would pile up on the rim
    annulus.update({node: (low, math.inf) for node, (low, high) in annulus.items() if high == inner})
    return positions, annulus


def relax(graph: nx.Graph, start: dict[str, np.ndarray], pinned: str,
          rings: dict[str, tuple[float, float]] | None = None) -> dict[str, np.ndarray]:
    """Fruchterman–Reingold from ``start`` in numpy, the ideal edge length NODE_SPACING: exact
    repulsion between all pairs (in row blocks, to bound memory), weighted by degree as in
    ForceAtlas2 so a hub's leaves get room for their labels; iterations bounded by PAIR_BUDGET
    (scipy, which networkx wants above 500 nodes, is not a dependency); ``pinned`` stays at the origin.
    With ``rings`` (a focus view) each node stays in its ring, a radial layout with constraints
    (Brandes, Kenis & Wagner 2003): the focus's neighbours close, each further hop further out,
    where unconstrained forces would fling a hub's hundreds of leaves, and the focus's own
    neighbours with them, thousands of pixels away."""
    names = list(start)
    n = len(names)
    if n < 2:
        return start
    index = {name: i for i, name in enumerate(names)}
    x, y = (np.array([start[name][axis] for name in names], dtype=np.float32) for axis in (0, 1))
    # sorted: a small subgraph view lists its edges in hash order, and float sums in another order differ
    pairs = sorted(sorted((index[a], index[b])) for a, b in graph.edges())
    src, dst = (np.array([pair[end] for pair in pairs], dtype=int) for end in (0, 1))
    k2 = np.float32(NODE_SPACING ** 2)
    mass = np.array([1 + graph.degree(name) for name in names], dtype=np.float32)
    iterations = int(min(100, max(10, PAIR_BUDGET / n ** 2)))
    block = max(1, 2_000_000 // n)
    if rings:
        low, high = (np.array([rings[name][end] for name in names], dtype=np.float32) for end in (0, 1))
    for step in range(iterations):
        temperature = NODE_SPACING * 2 * (1 - step / iterations) + 1
        push_x, push_y = np.empty_like(x), np.empty_like(y)
        for first in range(0, n, block):
            dx = x[first:first + block, None] - x[None, :]
            dy = y[first:first + block, None] - y[None, :]
            force = k2 * mass[first:first + block, None] * mass[None, :] / np.maximum(dx * dx + dy * dy, 1.0)
            push_x[first:first + block] = (dx * force).sum(1)
            push_y[first:first + block] = (dy * force).sum(1)
        dx, dy = x[src] - x[dst], y[src] - y[dst]
        pull = np.sqrt(dx * dx + dy * dy) / NODE_SPACING  # attraction d²/k along the unit vector
        for push, delta in ((push_x, dx * pull), (push_y, dy * pull)):
            np.add.at(push, src, -delta)
            np.add.at(push, dst, delta)
        length = np.maximum(np.sqrt(push_x * push_x + push_y * push_y), 1e-6)
        scale = np.minimum(length, temperature) / length
        x += push_x * scale
        y += push_y * scale
        if rings:
            radius = np.maximum(np.sqrt(x * x + y * y), 1e-6)
            kept = np.clip(radius, low, high) / radius
            x, y = x * kept, y * kept
        x[index[pinned]] = y[index[pinned]] = 0.0
    return {name: np.array([x[i], y[i]], dtype=float) for name, i in index.items()}


def pack(components: list[dict[str, np.ndarray]]) -> dict[str, tuple[int, int]]:
    """Components side by side in rows about as wide as the largest, in the given order; the
    first keeps its coordinates, so a pinned focus stays at the origin."""
    boxes = [(np.array(list(c.values())).min(0), np.array(list(c.values())).max(0)) for c in components]
    origin = boxes[0][0]
    row_width = max(float((high - low)[0]) for low, high in boxes) + NODE_SPACING
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for component, (low, high) in zip(components, boxes):
        width, height = (high - low) + NODE_SPACING
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for name, p in component.items():
            q = p - low + origin + (x, y)
            positions[name] = (round(float(q[0])), round(float(q[1])))
        x, row_height = x + width, max(row_height, height)
    return positions


# ── the page ─────────────────────────────────────────────────────────────────

def page(db: ox.Store, options: ViewOptions = ViewOptions()) -> str:
    """The self-contained HTML page for ``options`` over the store ``db``. An unknown focus
    raises LookupError, a negative hop count or an unknown relation ValueError."""
    check(options)
    graph = read_graph(db)
    focus = focus_entity(db, graph, options.focus) if options.focus else None
    shown = select(graph, options, focus)
    positions = layout(sorted(shown.nodes), [(e.source, e.target) for e in shown.edges], focus)
    return html_page(shown, positions, options, focus)


def render(db: ox.Store, out_path: str | Path, options: ViewOptions = ViewOptions()) -> Path:
    """Write the page for ``options`` to ``out_path`` atomically."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_path, page(db, options))
    return out_path


def html_page(graph: Graph, positions: dict[str, tuple[int, int]], options: ViewOptions, focus: str | None) -> str:
    require_offline()
    network = new_network()
    # pyvis's add_node/add_edge scan every node per call (quadratic at 5,000 nodes): fill its lists directly
    network.nodes = [vis_node(node, positions[iri], iri == focus) for iri, node in sorted(graph.nodes.items())]
    labelled = labelled_edges(graph, focus)
    network.edges = [vis_edge(edge, edge.id in labelled, focus) for edge in graph.edges]
    network.options = vis_options(options.physics, len(graph.nodes))
    return finish_page(network.generate_html(), options.title, graph, focus)


def new_network() -> Network:
    return Network(height="100%", width="100%", directed=True, cdn_resources="in_line")


@functools.cache
def require_offline() -> None:
    """Raise if the page's own markup (pyvis's template, stripped, and ours) would fetch anything.
    Checked on an empty page: article text, escaped into the data, may name any URL."""
    empty = finish_page(new_network().generate_html(), "", Graph(nodes={}, edges=[], articles={}), None)
    remote = REMOTE_REFERENCE.findall(empty)
    if remote:
        raise RuntimeError(f"the view would load resources over the network: {remote}")


def vis_node(node: Node, position: tuple[int, int], is_focus: bool) -> dict:
    event = node.cls == "Event"
    return {"id": node.iri, "label": event_label(node) if event else node.label, "color": PALETTE[node.cls],
            "shape": "diamond" if event else "dot", "size": 26 if is_focus else 10 if event else 14,
            "borderWidth": 4 if is_focus else 1, "x": position[0], "y": position[1]}


def event_label(node: Node) -> str:
    """'-1.9% · 2025-02-21' or '80 bn USD · 2025-02-24': the rest is in the side panel."""
    details = node.details
    if "percentChange" in details:
        what = f"{float(details['percentChange'].split(',')[0]):+g}%"
    elif "amount" in details:
        what = f"{float(details['amount'].split(',')[0]) / 1e9:,.3g} bn {details.get('currency', '')}".strip()
    else:
        what = node.details["type"]
    return f"{what} · {details['date']}" if "date" in details else what


def labelled_edges(graph: Graph, focus: str | None) -> set[str]:
    """The edges whose relation is drawn: all up to EDGE_LABEL_LIMIT, else the focus's own (up to the limit
    too), as a focus view is read outward from the focus; the panel names every relation."""
    own = [e for e in graph.edges if focus in (e.source, e.target)]
    for edges in (graph.edges, own):
        if len(edges) <= EDGE_LABEL_LIMIT:
            return {e.id for e in edges}
    return set()


def vis_edge(edge: Edge, labelled: bool, focus: str | None) -> dict:
    # in a focus view the focus's own edges stand out, their names as legible as the nodes'; the rest
    # recede so the neighbourhood reads
    own = focus in (edge.source, edge.target)
    faded = {"color": {"opacity": 0.25}} if focus and not own else {}
    if edge.relation == PARTICIPANT:
        return {"id": edge.id, "from": edge.source, "to": edge.target, "dashes": True, "arrows": "to", **faded}
    width = 1 + 2 * float(edge.confidence or 0)  # surer facts draw thicker
    return {"id": edge.id, "from": edge.source, "to": edge.target, "arrows": "to", "width": round(width, 2),
            **({"label": edge.relation} if labelled else {}), **({"font": {"size": LABEL_SIZE}} if own else {}),
            **faded}


def vis_options(physics: bool, node_count: int) -> dict:
    big = node_count >= BIG_GRAPH
    return {
        "physics": {"enabled": physics, "solver": "barnesHut", "stabilization": {"iterations": 200}},
        "layout": {"improvedLayout": False},  # positions come from Python
        "nodes": {"font": {"size": LABEL_SIZE, "face": "Noto Sans CJK SC, Noto Sans, sans-serif"}},
        "edges": {"smooth": False, "color": {"color": "#9aa3ad", "highlight": "#1f2d3d"},
                  "font": {"size": 11, "color": "#4a5561"}},  # align "middle" misplaces level edges' labels
        "interaction": {"hover": False, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
    }


def panel_data(graph: Graph, focus: str | None) -> dict:
    """What the side panel and the search read: every string as data, never as markup."""
    cited = {c.article for item in (*graph.nodes.values(), *graph.edges) for c in item.claims}
    degree = Counter(end for e in graph.edges for end in (e.source, e.target))
    return {
        "focus": focus,
        "hub": min(graph.nodes, key=lambda iri: (-degree[iri], iri), default=None),
        "legibleScale": LEGIBLE_SCALE,
        "nodes": {iri: {"label": n.label, "class": n.cls, "labels": n.labels, "details": n.details,
                        "claims": [c.model_dump() for c in n.claims]} for iri, n in sorted(graph.nodes.items())},
        "edges": {e.id: {"from": e.source, "to": e.target, "relation": e.relation, "confidence": e.confidence,
                         "sources": e.sources, "claims": [c.model_dump() for c in e.claims]} for e in graph.edges},
        "articles": {iri: graph.articles[iri].model_dump() for iri in sorted(cited & graph.articles.keys())},
    }


def script_json(value) -> str:
    """JSON that cannot end its <script> element or be read as markup: <, >, & and the two JS
    line separators as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def legend_html(graph: Graph) -> str:
    counts = Counter(node.cls for node in graph.nodes.values())
    items = "".join(f'<span class="kg-swatch" style="background:{PALETTE[cls]}"></span>{cls} ({counts[cls]})'
                    for cls in PALETTE if counts[cls])
    return f'<div class="kg-legend">{items}</div>'


PAGE_STYLE = """<style>
  html, body { height: 100%; margin: 0; }
  body { font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; display: flex; flex-direction: column; }
  .kg-header { padding: 0.4em 0.8em; border-bottom: 1px solid #ddd; }
  .kg-header h2 { display: inline; font-size: 1.2em; margin-right: 1em; }
  #kg-search { width: 18em; }
  #kg-matches button { margin: 0.2em 0.3em 0 0; }
  .kg-legend { display: inline-block; margin-top: 0.3em; font-size: 0.9em; }
  .kg-swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%;
               margin: 0 0.3em 0 1em; vertical-align: middle; }
  .card { flex: 1 1 auto; min-height: 0; position: relative; }
  #mynetwork { float: none !important; border: none !important; }
  #kg-panel { position: absolute; top: 0; right: 0; bottom: 0; width: 30em; max-width: 90vw; overflow: auto;
              background: #fff; border-left: 1px solid #ccc; padding: 0.6em 1em; z-index: 20;
              box-shadow: -3px 0 8px rgba(0,0,0,.12); box-sizing: border-box; }
  #kg-panel[hidden] { display: none; }
  #kg-close { float: right; }
  .kg-class { color: #666; }
  .kg-field { margin: 0.15em 0; overflow-wrap: anywhere; }
  .kg-name { color: #666; }
  .kg-claim { border-top: 1px solid #eee; padding: 0.4em 0; }
  .kg-claim blockquote { margin: 0.2em 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .kg-denied blockquote { text-decoration: line-through; color: #888; }
  .kg-link { border: none; background: none; color: #1a55a8; cursor: pointer; padding: 0; text-align: left; }
</style>"""
VIEWER_SCRIPT = """<script>
function kgViewer(network) {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var panel = document.getElementById("kg-panel"), body = document.getElementById("kg-panel-body");
  var edgesOf = {};
  Object.keys(data.edges).forEach(function (id) {
    [data.edges[id].from, data.edges[id].to].forEach(function (node) { (edgesOf[node] = edgesOf[node] || []).push(id); });
  });
  // Article strings only ever go through textContent: markup in them shows as text.
  function add(parent, tag, text, className) {
    var element = document.createElement(tag);
    if (text) element.textContent = text;
    if (className) element.className = className;
    parent.appendChild(element);
    return element;
  }
  function field(parent, name, value) {
    if (value === undefined || value === null || value === "") return;
    var row = add(parent, "div", "", "kg-field");
    add(row, "span", name + ": ", "kg-name");
    add(row, "span", String(value));
  }
  function button(parent, text, onClick) {
    var element = add(parent, "button", text, "kg-link");
    element.type = "button";
    element.addEventListener("click", onClick);
  }
  function open(heading, subtitle) {
    body.replaceChildren();
    add(body, "h3", heading);
    add(body, "div", subtitle, "kg-class");
    panel.hidden = false;
  }
  function describe(edge) {
    return data.nodes[edge.from].label + " " + edge.relation + " " + data.nodes[edge.to].label;
  }
  function showClaims(claims) {
    if (!claims.length) return;
    add(body, "h4", "Evidence (" + claims.length + ")");
    claims.forEach(function (claim) {
      var article = data.articles[claim.article] || {};
      var box = add(body, "div", "", "kg-claim kg-" + claim.status.toLowerCase());
      add(box, "blockquote", "\\u201c" + claim.text + "\\u201d");
      var source = add(box, "div", "", "kg-field");
      if (/^https?:\\/\\//i.test(article.url || "")) {
        var link = add(source, "a", article.title || article.url);
        link.href = article.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        add(source, "span", article.title || claim.article);
      }
      field(box, "outlet", article.outlet);
      field(box, "date", claim.date);
      field(box, "status", claim.status);
      field(box, "asserted by", claim.asserted_by);
      field(box, "confidence", claim.confidence);
    });
  }
  function showNode(id) {
    var node = data.nodes[id];
    open(node.label, node["class"]);
    Object.keys(node.labels).sort().forEach(function (lang) {
      field(body, "names (" + (lang || "no language") + ")", node.labels[lang].join(" \\u00b7 "));
    });
    Object.keys(node.details).sort().forEach(function (name) { field(body, name, node.details[name]); });
    field(body, "IRI", id);
    var edges = edgesOf[id] || [];
    if (edges.length) {
      add(body, "h4", "Relations (" + edges.length + ")");
      var list = add(body, "ul");
      edges.forEach(function (edgeId) {
        button(add(list, "li"), describe(data.edges[edgeId]), function () {
          network.selectEdges([edgeId]);
          showEdge(edgeId);
        });
      });
    }
    showClaims(node.claims);
  }
  function showEdge(id) {
    var edge = data.edges[id];
    if (edge.relation === "participant") return showNode(edge.from);  // an event's evidence is the event's
    open(describe(edge), "relation");
    field(body, "confidence", edge.confidence);
    field(body, "sources", edge.sources);
    showClaims(edge.claims);
  }
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    showNode(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else panel.hidden = true;
  });
  document.getElementById("kg-close").addEventListener("click", function () { panel.hidden = true; });
  var search = document.getElementById("kg-search"), matches = document.getElementById("kg-matches");
  var names = Object.keys(data.nodes).map(function (id) {
    var labels = data.nodes[id].labels;
    return [id, Object.keys(labels).map(function (lang) { return labels[lang].join("\\n"); }).join("\\n").toLowerCase()];
  });
  function find() {
    var query = search.value.trim().toLowerCase();
    return query ? names.filter(function (n) { return n[1].indexOf(query) >= 0; }).map(function (n) { return n[0]; }) : [];
  }
  search.addEventListener("input", function () {
    matches.replaceChildren();
    find().slice(0, 12).forEach(function (id) { button(matches, data.nodes[id].label, function () { select(id); }); });
  });
  search.addEventListener("keydown", function (event) {
    var found = find();
    if (event.key === "Enter" && found.length) select(found[0]);
  });
  // Start on the whole graph if it fits at a legible size, else legible around the focus (or the
  // best-connected node): a 5,000-node overview of dots tells less than a readable neighbourhood.
  network.fit({animation: false});
  if (network.getScale() < data.legibleScale) {
    var centre = data.focus || data.hub;
    network.moveTo({position: network.getPositions([centre])[centre], scale: data.legibleScale, animation: false});
  }
  network.once("afterDrawing", function () { window.kgReady = true; });
}
</script>"""
REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE,
)
REMOTE_REFERENCE = re.compile(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//|//cdn", re.IGNORECASE)
EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
NETWORK_CREATION = "network = new vis.Network(container, data, options);"


def finish_page(page: str, title: str, graph: Graph, focus: str | None) -> str:
    """Make pyvis's page offline-only and add the title, legend, search box, side panel and data."""
    page = EMPTY_HEADING.sub("", REMOTE_TAG.sub("", page))
    title = html.escape(title)
    page = page.replace('<meta charset="utf-8">',
                        f'<meta charset="utf-8">\n<title>{title}</title>\n{PAGE_STYLE}\n{VIEWER_SCRIPT}', 1)
    header = (f'<header class="kg-header"><h2>{title}</h2>'
              f'<input id="kg-search" type="search" placeholder="Find a name (any language)" autocomplete="off">'
              f' <span class="kg-count">{len(graph.nodes)} nodes, {len(graph.edges)} edges</span>'
              f'<div id="kg-matches"></div>{legend_html(graph)}</header>\n'
              f'<aside id="kg-panel" hidden><button id="kg-close" type="button">close</button>'
              f'<div id="kg-panel-body"></div></aside>\n'
              f'<script type="application/json" id="kg-data">{script_json(panel_data(graph, focus))}</script>')
    # pyvis's data comes before its script's network creation, and ours is not in yet: an article may quote that line
    before, creation, after = page.rpartition(NETWORK_CREATION)
    if not creation:
        raise RuntimeError("pyvis template changed: cannot find where the network is created")
    page = f"{before}{creation}\n                  kgViewer(network);{after}"
    return page.replace("<body>", f"<body>\n{header}", 1)
