"""kg.view: an offline, escaped, deterministic pyvis page of the fixture dataset."""
import json
import re

import pytest

from kg import view
from tests.fixtures import ENTITIES, STOCK_EVENT, all_labels, build_dataset, write_dataset

ALT_LABEL = "Satya Nadella"


def data_set(page: str, name: str) -> list[dict]:
    """The JSON array passed to ``<name> = new vis.DataSet(...)`` in the page."""
    marker = f"{name} = new vis.DataSet("
    start = page.index(marker) + len(marker)
    items, _ = json.JSONDecoder().raw_decode(page, start)
    return items


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    directory = tmp_path_factory.mktemp("view")
    out = view.render(write_dataset(directory), directory / "view" / "graph.html", title="Fixture <graph>")
    assert out.exists()
    return out.read_text(encoding="utf-8")


def test_one_node_per_entity_and_event(page):
    nodes = data_set(page, "nodes")
    assert sorted(n["id"] for n in nodes) == sorted([str(e) for e in ENTITIES] + [str(STOCK_EVENT)])


def test_every_label_is_shown(page):
    nodes = data_set(page, "nodes")
    shown = " ".join(n["label"] + " " + n["title"] for n in nodes)
    for label in all_labels() | {ALT_LABEL}:
        assert label in shown
    by_id = {n["id"]: n for n in nodes}
    assert by_id["https://w3id.org/newskg/entity/org/microsoft"]["label"] == "Microsoft"  # English preferred
    assert by_id["https://w3id.org/newskg/entity/person/satya-nadella"]["label"] == "纳德拉"  # then zh-Hans
    assert by_id[str(STOCK_EVENT)]["label"] == "-1.9% · 2025-02-21"  # short; the summary is in the hover
    assert "Microsoft shares fell 1.9%" in by_id[str(STOCK_EVENT)]["title"]


def test_nodes_coloured_by_class(page):
    colours = {n["id"].rsplit("/", 1)[-1]: n["color"] for n in data_set(page, "nodes")}
    assert colours["microsoft"] == colours["openai"] == view.PALETTE["Company"]
    assert colours["gpt-4"] == view.PALETTE["AIModel"]
    assert colours["netease"] == view.PALETTE["NewsOutlet"]
    assert colours["e1"] == view.PALETTE["Event"]


def test_edges_carry_relation_names_and_evidence(page):
    edges = data_set(page, "edges")
    labels = sorted(e["label"] for e in edges)
    assert labels == ["StockPriceChange", "analystOf", "ceoOf", "develops", "providesServiceTo"]
    ceo = next(e for e in edges if e["label"] == "ceoOf")
    assert "微軟回應大砍算力AI傳聞" in ceo["title"] and "2025-02-25" in ceo["title"] and "0.9" in ceo["title"]


def test_article_text_is_escaped(page):
    assert "<script>alert(1)</script>" not in page
    ceo = next(e for e in data_set(page, "edges") if e["label"] == "ceoOf")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ceo["title"]
    assert "&quot;算力過剩&quot;" in ceo["title"]
    partner = next(e for e in data_set(page, "edges") if e["label"] == "providesServiceTo")
    assert "&lt;b&gt;partnership&lt;/b&gt;" in partner["title"]  # an article title with markup
    assert "<title>Fixture &lt;graph&gt;</title>" in page


def test_page_loads_nothing_over_the_network(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.IGNORECASE)
    assert "//cdn" not in page
    assert "vis.Network" in page and "<style>" in page  # vis-network is inlined, not linked


def test_layout_is_fixed(page):
    nodes = data_set(page, "nodes")
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert '"enabled": false' in page  # physics off


def test_legend_lists_present_classes(page):
    legend = re.search(r'<div class="kg-legend">(.*?)</div>', page).group(1)
    assert "Company (3)" in legend and "Event (1)" in legend and "Facility" not in legend


def test_same_input_same_file(tmp_path):
    first = view.render(build_dataset(), tmp_path / "a.html").read_text(encoding="utf-8")
    second = view.render(build_dataset(), tmp_path / "b.html").read_text(encoding="utf-8")
    assert first == second
