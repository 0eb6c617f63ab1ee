"""An interactive, self-contained HTML view of the merged graph (pyvis / vis-network).

Nodes are entities (coloured by class) and events; edges are the nkg relations of the default graph,
with the evidence sentences of the reified statements in their hover text. The page works offline:
vis-network is inlined and the CDN links pyvis's template always adds are stripped. Positions come
from a seeded networkx layout with physics off, so the page is stable, fast on big graphs, and the
same input always gives the same file.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import networkx as nx
from pyvis.network import Network
import pyoxigraph as ox
from pydantic import BaseModel
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.graph import RDFLIB_FORMATS
from kg.ontology import local_name
from kg.vocab import ENTITY as ENTITY_BASE
from kg.vocab import EVENT as EVENT_BASE
from kg.vocab import NKG, SCHEMA


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
LABEL_LANGUAGES = ("en", "zh-hans", "zh-hant")
NODE_SPACING = 110  # pixels a node needs around it for its label to stay readable
LAYOUT_SEED = 42

# vis-network shows a string title as plain text; turning it into an element lets our <br>/<b> markup
# render. Every string that came from an article was html.escape'd in Python before it got here.
TITLES_AS_HTML = """
                  [nodes, edges].forEach(function (dataset) {
                      var withTitles = dataset.get({filter: function (item) { return typeof item.title === "string"; }});
                      dataset.update(withTitles.map(function (item) {
                          var element = document.createElement("div");
                          element.innerHTML = item.title;
                          return {id: item.id, title: element};
                      }));
                  });
                  network = new vis.Network(container, data, options);"""
NETWORK_CREATION = "network = new vis.Network(container, data, options);"
PAGE_STYLE = """<style>
  body { font-family: sans-serif; margin: 0.5em; }
  .kg-legend span.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%;
                           margin: 0 0.3em 0 1em; vertical-align: middle; }
  div.vis-tooltip { white-space: normal; max-width: 36em; }
</style>"""
REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE,
)
REMOTE_REFERENCE = re.compile(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//|//cdn", re.IGNORECASE)
EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")


class ViewOptions(BaseModel):
    """What part of the graph to show (the whole merged graph by default)."""

    focus: str | None = None  # an entity: IRI, org:… or a name
    hops: int = 2
    since: date | None = None  # only relations and events with evidence from this date on
    relations: list[str] = []  # relation local names (analystOf); empty = all
    physics: bool = False
    title: str = "News knowledge graph"


def page(db: ox.Store, options: ViewOptions = ViewOptions()) -> str:
    """The self-contained HTML page for ``options`` over the store ``db``.
    TODO(step 5 viewer): filters; this skeleton renders the whole graph."""
    import tempfile

    dataset = Dataset()
    dataset.parse(data="".join(f"{q} .\n" for q in db), format="nquads")
    with tempfile.TemporaryDirectory() as folder:
        return render(dataset, Path(folder) / "graph.html", title=options.title).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Evidence:
    text: str
    article_title: str
    article_date: str
    confidence: str

    def as_html(self) -> str:
        source = " · ".join(part for part in (self.article_title, self.article_date) if part)
        confidence = f" (confidence {html.escape(self.confidence)})" if self.confidence else ""
        return f"“{html.escape(self.text)}”<br><i>{html.escape(source)}</i>{confidence}"


def render(dataset: str | Path | Dataset, out_path: str | Path, *, title: str = "News knowledge graph") -> Path:
    """Write the interactive HTML view of ``dataset`` (a file or an rdflib Dataset) to ``out_path``."""
    ds = dataset if isinstance(dataset, Dataset) else load_dataset(Path(dataset))
    default = ds.default_graph
    entity_set = entity_nodes(default)
    entities = sorted(entity_set)
    events = sorted(event_nodes(default) - entity_set)
    relations = sorted((s, p, o) for s, p, o in default
                       if str(p).startswith(str(NKG)) and p != NKG.participant
                       and s in entity_set and o in entity_set)
    participations = sorted((ev, e) for ev in events for e in default.objects(ev, NKG.participant)
                            if e in entity_set)
    positions = layout(entities + events, [(s, o) for s, _, o in relations] + participations)

    network = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    network.toggle_physics(False)
    for node in entities:
        cls = entity_class(default, node)
        network.add_node(str(node), label=best_label(default, node), title=entity_title(default, node, cls),
                         color=PALETTE[cls], shape="dot", size=14, **positions[node])
    for node in events:
        network.add_node(str(node), label=short_event_label(default, node),
                         title=event_title(ds, node), color=PALETTE["Event"], shape="diamond", size=10,
                         **positions[node])
    evidence = evidence_by_triple(ds)
    for s, p, o in relations:
        network.add_edge(str(s), str(o), label=local_name(p), title=relation_title(s, p, o, default, evidence))
    for ev, entity in participations:
        network.add_edge(str(ev), str(entity), label=event_class(default, ev), dashes=True)

    classes = [entity_class(default, node) for node in entities] + ["Event"] * len(events)
    page = finish_page(network.generate_html(), title, classes)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return out_path


def load_dataset(path: Path) -> Dataset:
    rdf_format = RDFLIB_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise ValueError(f"{path}: unknown RDF format {path.suffix!r}")
    dataset = Dataset()
    dataset.parse(str(path), format=rdf_format)
    return dataset



def nkg_types(graph, node) -> list[str]:
    return sorted(local_name(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(NKG)))


def entity_nodes(graph) -> set:
    """Nodes typed with an entity class, plus any node named under the entity namespace."""
    typed = {s for s, t in graph.subject_objects(RDF.type)
             if local_name(t) in PALETTE and t != NKG.Event and str(t).startswith(str(NKG))}
    named = {n for triple in graph for n in (triple[0], triple[2])
             if isinstance(n, URIRef) and str(n).startswith(ENTITY_BASE)}
    return typed | named


def event_nodes(graph) -> set:
    with_participants = set(graph.subjects(NKG.participant, None))
    named = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(EVENT_BASE)}
    return with_participants | named


def entity_class(graph, node) -> str:
    types = set(nkg_types(graph, node))
    return next((cls for cls in PALETTE if cls in types and cls != "Event"), "Other")


def event_class(graph, node) -> str:
    specific = [t for t in nkg_types(graph, node) if t != "Event"]
    return specific[0] if specific else "Event"


def labels(graph, node, prop=RDFS.label) -> list[Literal]:
    return sorted((o for o in graph.objects(node, prop) if isinstance(o, Literal)),
                  key=lambda lit: ((lit.language or "").lower(), str(lit)))


def best_label(graph, node) -> str:
    """The English label, else Simplified, else Traditional Chinese, else any label."""
    candidates = labels(graph, node)
    for language in LABEL_LANGUAGES:
        for label in candidates:
            if (label.language or "").lower() == language:
                return str(label)
    return str(candidates[0]) if candidates else ""


def describe_labels(graph, node) -> list[str]:
    every = labels(graph, node) + labels(graph, node, SKOS.altLabel)
    return [f"{html.escape(str(lit))} <small>({html.escape(lit.language or '-')})</small>" for lit in every]


def entity_title(graph, node, cls: str) -> str:
    return "<br>".join([f"<b>{html.escape(best_label(graph, node) or local_name(node))}</b> · {cls}",
                        *describe_labels(graph, node), f"<small>{html.escape(str(node))}</small>"])


def first_value(ds: Dataset, subject, prop) -> str:
    """One value of ``prop`` in any graph of the dataset (the smallest, so the choice is stable)."""
    values = sorted(str(o) for _, _, o, _ in ds.quads((subject, prop, None, None)))
    return values[0] if values else ""


def article_evidence(ds: Dataset, node) -> list[Evidence]:
    """Evidence for a statement or event: its sentence and the article it was derived from."""
    out = []
    for article in sorted({o for _, _, o, _ in ds.quads((node, PROV.wasDerivedFrom, None, None))}):
        out.append(Evidence(text=first_value(ds, node, NKG.evidenceText),
                            article_title=first_value(ds, article, DCTERMS.title),
                            article_date=first_value(ds, article, SCHEMA.datePublished),
                            confidence=first_value(ds, node, NKG.confidence)))
    return out


def evidence_by_triple(ds: Dataset) -> dict[tuple, list[Evidence]]:
    by_triple: dict[tuple, list[Evidence]] = {}
    statements = sorted({s for s, _, _, _ in ds.quads((None, RDF.type, RDF.Statement, None))})
    for statement in statements:
        triple = tuple(URIRef(first_value(ds, statement, prop))
                       for prop in (RDF.subject, RDF.predicate, RDF.object))
        by_triple.setdefault(triple, []).extend(article_evidence(ds, statement))
    return by_triple


def relation_title(s, p, o, graph, evidence: dict) -> str:
    heading = " ".join(html.escape(part) for part in
                       (best_label(graph, s) or local_name(s), local_name(p), best_label(graph, o) or local_name(o)))
    sentences = [e.as_html() for e in sorted(set(evidence.get((s, p, o), [])), key=repr)]
    return "<br><br>".join([f"<b>{heading}</b>", *sentences])


def short_event_label(graph, node) -> str:
    """'-1.9% · 2025-02-21' or '80 bn USD · 2025-02-24': the details are in the hover."""
    value = graph.value(node, NKG.percentChange)
    if value is not None:
        what = f"{float(value):+g}%"
    elif (amount := graph.value(node, NKG.amount)) is not None:
        what = f"{float(amount) / 1e9:,.3g} bn {graph.value(node, NKG.currency) or ''}".strip()
    else:
        what = event_class(graph, node)
    when = graph.value(node, NKG.date)
    return f"{what} · {when}" if when else what


def event_title(ds: Dataset, node) -> str:
    graph = ds.default_graph
    facts = [(local_name(p), str(o)) for p, o in sorted(graph.predicate_objects(node))
             if isinstance(o, Literal) and p in (NKG.amount, NKG.currency, NKG.percentChange, NKG.date)]
    lines = [f"<b>{html.escape(best_label(graph, node) or local_name(node))}</b> · {event_class(graph, node)}",
             *(f"{name}: {html.escape(value)}" for name, value in facts)]
    lines += [e.as_html() for e in article_evidence(ds, node)]
    return "<br>".join(lines)


def layout(nodes: list, edges: list[tuple]) -> dict:
    """Each connected component gets its own seeded spring layout in a box that grows with
    it; boxes are packed in rows, largest first, so a hub's neighbourhood fills the screen
    instead of being squeezed by the repulsion of unrelated islands."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    components = sorted((sorted(c, key=str) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), str(c[0])))
    row_width = NODE_SPACING * 2 * math.sqrt(max(len(nodes), 1))
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for component in components:
        size = NODE_SPACING * math.sqrt(len(component)) * (1.8 if len(component) > 1 else 1.0)
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        # networkx's default optimal distance (1/sqrt(n)) packs a hub's neighbours; twice that reads better
        spread = 2 / math.sqrt(len(component))
        local = (nx.spring_layout(graph.subgraph(component), seed=LAYOUT_SEED, scale=size / 2, k=spread,
                                  iterations=200)
                 if len(component) > 1 else {component[0]: (0.0, 0.0)})
        for node, (nx_, ny_) in local.items():
            positions[node] = {"x": round(x + size / 2 + float(nx_)), "y": round(y + size / 2 + float(ny_))}
        x, row_height = x + size, max(row_height, size)
    return positions


def legend_html(classes: list[str]) -> str:
    counts = {cls: classes.count(cls) for cls in PALETTE if cls in classes}
    items = "".join(f'<span class="swatch" style="background:{PALETTE[cls]}"></span>{cls} ({n})'
                    for cls, n in counts.items())
    return f'<div class="kg-legend">{items}</div>'


def finish_page(page: str, title: str, classes: list[str]) -> str:
    """Make pyvis's page offline-only, titled, legended, and able to show HTML hover text."""
    page = REMOTE_TAG.sub("", page)
    page = EMPTY_HEADING.sub("", page)
    page = page.replace('<meta charset="utf-8">',
                        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n{PAGE_STYLE}', 1)
    page = page.replace("<body>", f"<body>\n<h2>{html.escape(title)}</h2>\n{legend_html(classes)}", 1)
    if NETWORK_CREATION not in page:
        raise RuntimeError("pyvis template changed: cannot find where the network is created")
    page = page.replace(NETWORK_CREATION, TITLES_AS_HTML.strip(), 1)
    remote = REMOTE_REFERENCE.findall(page)
    if remote:
        raise RuntimeError(f"the view would load resources over the network: {remote}")
    return page
