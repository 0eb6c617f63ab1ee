"""kg.view: the model read from the store, the filters, and an offline, escaped, deterministic page."""
import json
import re
from datetime import date

import networkx as nx
import pytest

from kg import store, view
from kg.models import Event, Evidence, Extraction
from kg.view import ViewOptions
from tests.conftest import run_cli
from tests.view_store import (ACME, ANALYST_EVIDENCE, ATLANTA, DENIAL, GPT4, HOSTILE_EVIDENCE, HOSTILE_NAME,
                              HOSTILE_TITLE, MICROSOFT, NADELLA, OPENAI, STOCK_EVENT, TD_COWEN, article, entity,
                              relation, view_store)


def data_set(page: str, name: str) -> list[dict]:
    """The JSON array passed to ``<name> = new vis.DataSet(...)`` in the page."""
    marker = f"{name} = new vis.DataSet("
    items, _ = json.JSONDecoder().raw_decode(page, page.index(marker) + len(marker))
    return items


def panel_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))


@pytest.fixture(scope="module")
def db():
    return view_store().db


@pytest.fixture(scope="module")
def page(db):
    return view.page(db, ViewOptions(title="Fixture <graph>"))


def shown(db, **options) -> tuple[set[str], set[str]]:
    """(node IRIs, edge ids) of the view with these options."""
    graph = view.read_graph(db)
    focus = view.focus_entity(db, graph, options["focus"]) if options.get("focus") else None
    selected = view.select(graph, ViewOptions(**options), focus)
    return set(selected.nodes), {e.id for e in selected.edges}


def edge_id(s, p, o) -> str:
    return f"{s} {p} {o}"


def test_nodes_are_entities_and_events_edges_are_facts(page):
    nodes = {n["id"] for n in data_set(page, "nodes")}
    assert {MICROSOFT, OPENAI, TD_COWEN, NADELLA, GPT4, ATLANTA, ACME, STOCK_EVENT} <= nodes
    edges = {e["id"] for e in data_set(page, "edges")}
    assert edges == {edge_id(TD_COWEN, "analystOf", MICROSOFT), edge_id(NADELLA, "ceoOf", MICROSOFT),
                     edge_id(MICROSOFT, "providesServiceTo", OPENAI), edge_id(OPENAI, "develops", GPT4),
                     edge_id(ACME, "supplierOf", OPENAI), edge_id(STOCK_EVENT, "participant", MICROSOFT)}


def test_a_denied_statement_is_evidence_never_an_edge(page):
    edges = panel_data(page)["edges"]
    assert not any(e["relation"] == "cancelledDataCenterIn" for e in edges.values())
    service = edges[edge_id(MICROSOFT, "providesServiceTo", OPENAI)]
    assert [(c["status"], c["text"]) for c in service["claims"]] == [
        ("Denied", DENIAL), ("Reported", "Microsoft provides Azure compute to OpenAI.")]
    assert service["sources"] == 1  # the denial does not corroborate


def test_labels_prefer_english_then_simplified_chinese(page):
    labels = {n["id"]: n["label"] for n in data_set(page, "nodes")}
    assert labels[MICROSOFT] == "Microsoft" and labels[ATLANTA] == "亚特兰大"
    assert labels[STOCK_EVENT] == "-1.9% · 2025-02-21"
    assert panel_data(page)["nodes"][MICROSOFT]["labels"] == {"en": ["Microsoft"], "zh-hans": ["微软"],
                                                              "zh-hant": ["微軟"]}


def test_panel_data_carries_evidence_sources_dates_and_status(page):
    data = panel_data(page)
    analyst = data["edges"][edge_id(TD_COWEN, "analystOf", MICROSOFT)]
    assert analyst["confidence"] == "0.8" and analyst["sources"] == 1
    (claim,) = analyst["claims"]
    assert claim["text"] == ANALYST_EVIDENCE and claim["date"] == "2025-02-25"
    assert claim["status"] == "Reported" and claim["asserted_by"] == "TD Cowen"
    article = data["articles"][claim["article"]]
    assert article == {"title": "微软回应大砍算力AI传闻", "outlet": "网易", "url": "https://news.example/zh-microsoft",
                       "date": "2025-02-25"}
    assert data["nodes"][STOCK_EVENT]["claims"][0]["text"] == "微软股价周五下跌1.9%。"


def test_claims_are_in_one_order_whatever_order_they_come_in():
    same = {"text": "Microsoft provides Azure to OpenAI.", "article": "a", "date": "2025-03-01", "status": "Reported"}
    claims = [view.Claim(**same, asserted_by=by, confidence=c) for by in ("", "TD Cowen") for c in ("0.6", "0.9")]
    assert view.chronological(set(claims)) == view.chronological(set(reversed(claims))) == claims


def test_nodes_coloured_by_class_with_a_legend(page):
    colours = {n["id"]: n["color"] for n in data_set(page, "nodes")}
    assert colours[MICROSOFT] == colours[OPENAI] == view.PALETTE["Company"]
    assert colours[GPT4] == view.PALETTE["AIModel"] and colours[STOCK_EVENT] == view.PALETTE["Event"]
    legend = re.search(r'<div class="kg-legend">(.*?)</div>', page).group(1)
    assert "AIModel (1)" in legend and "Event (1)" in legend and "Facility" not in legend


def test_article_strings_cannot_become_markup(page):
    for markup in ("<script>window", "<img src=x", "<b>wins", "</script><!--"):
        assert markup not in page
    assert "\u2028" not in page
    data = panel_data(page)  # and the data still holds them, intact, as text
    (claim,) = data["edges"][edge_id(ACME, "supplierOf", OPENAI)]["claims"]
    assert claim["text"] == HOSTILE_EVIDENCE
    assert data["articles"][claim["article"]]["title"] == HOSTILE_TITLE
    assert next(n["label"] for n in data_set(page, "nodes") if n["id"] == ACME) == HOSTILE_NAME
    assert "<title>Fixture &lt;graph&gt;</title>" in page and "<h2>Fixture &lt;graph&gt;</h2>" in page


def test_panel_never_uses_inner_html(page):
    script = re.search(r"function kgViewer.*?</script>", page, re.S).group(0)
    assert "innerHTML" not in script and "textContent" in script


def test_page_loads_nothing_over_the_network(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.IGNORECASE)
    assert "//cdn" not in page
    assert "vis.Network" in page and "<style>" in page  # vis-network is inlined, not linked


def test_an_article_may_name_any_url(db):
    """Article text is escaped data, not markup: naming a CDN or a remote image is no reason to fail."""
    cdn = article("cdn", "Served from //cdn.example", date(2025, 3, 3), "en", "Latn",
                  url="https://cdn.example/story")
    text = 'Microsoft partners with OpenAI <img src=https://x.example/a.png> (see //cdn.example).'
    built = store.build([Extraction(article=cdn, entities=[entity(MICROSOFT), entity(OPENAI)], mentions=[],
                                    relations=[relation(MICROSOFT, "partnerOf", OPENAI, cdn.id, text)], events=[])])
    (claim,) = panel_data(view.page(built.db))["edges"][edge_id(MICROSOFT, "partnerOf", OPENAI)]["claims"]
    assert claim["text"] == text


def test_an_article_quoting_the_pages_own_code_leaves_it_intact():
    """The viewer hooks into the line of pyvis's script that creates the network; an article may quote it."""
    quoting = article("code", "How pyvis works", date(2025, 3, 3), "en", "Latn")
    text = "Microsoft's demo partners with OpenAI: " + view.NETWORK_CREATION
    built = store.build([Extraction(article=quoting, entities=[entity(MICROSOFT), entity(OPENAI)], mentions=[],
                                    relations=[relation(MICROSOFT, "partnerOf", OPENAI, quoting.id, text)], events=[])])
    page = view.page(built.db)
    (claim,) = panel_data(page)["edges"][edge_id(MICROSOFT, "partnerOf", OPENAI)]["claims"]
    assert claim["text"] == text and page.count("kgViewer(network);") == 1


def test_a_remote_reference_in_the_template_is_refused(monkeypatch):
    monkeypatch.setattr(view, "REMOTE_TAG", re.compile("(?!)"))  # pyvis's CDN links no longer stripped
    view.require_offline.cache_clear()
    with pytest.raises(RuntimeError, match="over the network"):
        view.require_offline()
    view.require_offline.cache_clear()


def test_positions_fixed_and_physics_off(page):
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data_set(page, "nodes"))
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))
    assert options["physics"]["enabled"] is False
    assert '"enabled": true' in view.page(view_store().db, ViewOptions(physics=True))


def test_a_focus_view_fades_the_edges_that_do_not_touch_the_focus(db):
    edges = data_set(view.page(db, ViewOptions(focus="OpenAI")), "edges")
    faded = {e["id"] for e in edges if e.get("color", {}).get("opacity", 1) < 1}
    assert faded == {e["id"] for e in edges if OPENAI not in (e["from"], e["to"])} != set()
    assert len(faded) < len(edges)
    assert not any("color" in e for e in data_set(view.page(db), "edges"))


def test_a_focus_view_too_big_for_edge_labels_still_names_the_focus_relations(db, monkeypatch):
    monkeypatch.setattr(view, "EDGE_LABEL_LIMIT", 4)  # the two-hop view of Microsoft has 6 edges, 4 its own
    edges = data_set(view.page(db, ViewOptions(focus="Microsoft")), "edges")
    assert {e["label"] for e in edges if "label" in e} == {"analystOf", "ceoOf", "providesServiceTo"}
    # drawn as large as the names, so legible at the zoom the page opens at
    assert {e.get("font", {}).get("size") for e in edges if "label" in e} == {view.LABEL_SIZE}
    assert not any("label" in e for e in data_set(view.page(db), "edges"))  # no focus: no labels above the limit


def test_same_store_same_bytes(db):
    assert view.page(db) == view.page(view_store().db)


def test_render_writes_the_page(db, tmp_path):
    out = view.render(db, tmp_path / "deep" / "view.html", ViewOptions(focus="TD Cowen", hops=1))
    assert out.read_text(encoding="utf-8") == view.page(db, ViewOptions(focus="TD Cowen", hops=1))


def test_focus_takes_the_neighbourhood_either_way_round(db):
    nodes, _ = shown(db, focus="微软", hops=1)  # a Chinese name, and edges into Microsoft count
    assert nodes == {MICROSOFT, TD_COWEN, NADELLA, OPENAI, STOCK_EVENT}
    assert shown(db, focus="org:microsoft", hops=2)[0] == nodes | {GPT4, ACME}
    assert shown(db, focus=MICROSOFT, hops=0) == ({MICROSOFT}, set())


def test_focus_node_is_central_and_largest(db):
    nodes = {n["id"]: n for n in data_set(view.page(db, ViewOptions(focus="OpenAI")), "nodes")}
    assert (nodes[OPENAI]["x"], nodes[OPENAI]["y"]) == (0, 0)
    assert nodes[OPENAI]["size"] > max(n["size"] for iri, n in nodes.items() if iri != OPENAI)


def test_relation_filter(db):
    nodes, edges = shown(db, relations=["analystOf", "ceoOf"])
    assert edges == {edge_id(TD_COWEN, "analystOf", MICROSOFT), edge_id(NADELLA, "ceoOf", MICROSOFT)}
    assert nodes == {TD_COWEN, NADELLA, MICROSOFT}


def test_since_keeps_relations_and_events_with_evidence_from_that_date(db):
    nodes, edges = shown(db, since=date(2025, 3, 1))
    assert edges == {edge_id(MICROSOFT, "providesServiceTo", OPENAI), edge_id(OPENAI, "develops", GPT4),
                     edge_id(ACME, "supplierOf", OPENAI)}
    assert STOCK_EVENT not in nodes and TD_COWEN not in nodes
    graph = view.select(view.read_graph(db), ViewOptions(since=date(2025, 3, 1)), None)
    service = next(e for e in graph.edges if e.relation == "providesServiceTo")
    assert [c.status for c in service.claims] == ["Reported"]  # the earlier denial is left out
    assert STOCK_EVENT in shown(db, since=date(2025, 2, 25))[0]


def test_since_leaves_an_events_older_evidence_out_too():
    older = article("older", "Microsoft falls", date(2025, 2, 21), "en", "Latn")
    newer = article("newer", "Microsoft fell", date(2025, 3, 5), "en", "Latn")
    built = store.build([Extraction(article=a, entities=[entity(MICROSOFT)], mentions=[], relations=[], events=[
        Event(iri=STOCK_EVENT, type="StockPriceChange", participants=[MICROSOFT], percent=-1.9,
              date=date(2025, 2, 21), confidence=0.8, evidence=Evidence(article=a.id, text=text, start=0, end=5))])
        for a, text in ((older, "Microsoft fell 1.9% on Friday."), (newer, "Last week Microsoft fell 1.9%."))])
    graph = view.read_graph(built.db)
    assert len(graph.nodes[STOCK_EVENT].claims) == 2
    event = view.select(graph, ViewOptions(since=date(2025, 3, 1)), None).nodes[STOCK_EVENT]
    assert [c.text for c in event.claims] == ["Last week Microsoft fell 1.9%."]


def test_filters_combine(db):
    nodes, edges = shown(db, focus="Microsoft", hops=2, since=date(2025, 1, 1), relations=["providesServiceTo"])
    assert nodes == {MICROSOFT, OPENAI} and len(edges) == 1


def test_unknown_focus_is_a_lookup_error_naming_it(db):
    with pytest.raises(LookupError, match="Nobody Corp"):
        view.page(db, ViewOptions(focus="Nobody Corp"))


def test_bad_options_are_value_errors(db):
    with pytest.raises(ValueError, match="analystof: no such relation; did you mean analystOf"):
        view.page(db, ViewOptions(relations=["analystof"]))
    with pytest.raises(ValueError, match="hops: must be 0 or more"):
        view.page(db, ViewOptions(hops=-1))


def test_layout_keeps_nodes_apart_and_is_deterministic():
    nodes = [f"n{i}" for i in range(60)]
    edges = [(f"n{i}", f"n{(i * 7) % 60}") for i in range(60)] + [("n0", f"n{i}") for i in range(1, 20)]
    positions = view.layout(nodes, edges, centre="n0")
    assert positions == view.layout(nodes, edges, centre="n0") and positions["n0"] == (0, 0)
    points = sorted(positions.values())
    closest = min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(points) for b in points[i + 1:])
    assert closest > view.NODE_SPACING / 4


def test_a_focus_view_keeps_each_hop_in_its_ring_even_around_a_hub():
    """The focus's few neighbours stay near it though one of them is a hub whose hundreds of
    leaves, weighted by degree, would push everything apart."""
    neighbours = [f"near{i}" for i in range(4)]
    leaves = [f"leaf{i}" for i in range(250)]
    edges = [("focus", n) for n in neighbours] + [("near0", leaf) for leaf in leaves]
    positions = view.layout(["focus", *neighbours, *leaves], edges, centre="focus")
    distance = {name: (x * x + y * y) ** 0.5 for name, (x, y) in positions.items()}
    assert max(distance[n] for n in neighbours) < min(distance[leaf] for leaf in leaves)
    assert max(distance[n] for n in neighbours) < 3 * view.NODE_SPACING


def test_layout_does_not_depend_on_the_order_edges_come_in():
    """networkx lists a small subgraph's edges in hash order, which changes from one process to the next."""
    edges = [(f"n{i}", f"n{j}") for i in range(8) for j in range(i + 1, 8) if (i * j) % 3 != 1]
    one, other = nx.Graph(edges), nx.Graph([(b, a) for a, b in reversed(edges)])
    start, _ = view.radial(one, "n0")
    relaxed = [{name: tuple(p) for name, p in view.relax(g, start, "n0").items()} for g in (one, other)]
    assert relaxed[0] == relaxed[1]


def test_kg_view_writes_a_filtered_view_beside_the_graph(bilingual_build):
    result = run_cli("view", "-s", bilingual_build, "--focus", "微软", "--hops", "1", "--relation", "analystOf",
                     "--since", "2025-01-01", "--title", "Analysts")
    out = bilingual_build / "view.html"
    assert result.exit_code == 0 and result.output.strip() == str(out)
    page = out.read_text(encoding="utf-8")
    assert {n["id"] for n in data_set(page, "nodes")} == {MICROSOFT, TD_COWEN}
    assert "<title>Analysts</title>" in page and (bilingual_build / "graph.html").exists()


@pytest.mark.parametrize("args, message", [
    (["--focus", "Nobody Corp"], "Nobody Corp: no such entity"),
    (["--relation", "analystof"], "analystof: no such relation; did you mean analystOf?"),
])
def test_kg_view_errors_name_the_input(bilingual_build, tmp_path, args, message):
    result = run_cli("view", "-s", bilingual_build, "-o", tmp_path / "view.html", *args)
    assert result.exit_code == 1 and f"Error: {message}" in result.output
    assert not (tmp_path / "view.html").exists()


def test_kg_view_hops_without_a_focus_is_a_usage_error(bilingual_build, tmp_path):
    result = run_cli("view", "-s", bilingual_build, "-o", tmp_path / "view.html", "--hops", "1")
    assert result.exit_code == 2 and "--hops counts from a --focus entity" in result.output
