"""The viewer at scale (not a test): a 5,000-node graph, its Python render time and page
size, then headless Chromium: from navigation start until the graph is drawn and a real
click on a node has opened the side panel (median of 3); and a ~300-node focus view,
screenshotted for a reader to judge.

    .venv/bin/python benchmarks/viewer.py [--nodes 5000] [--focus-size 300] [--out /tmp/kg-viewer-bench]

Shape: synthetic articles from benchmarks/store.py, made by the real graph stage and derived
by the real store (knowledge-base entities drawn Zipf-like, so hubs such as Microsoft name
hundreds of relations; 3–6 relations and 1–2 events per article), added until the merged
graph holds the asked number of entities and events.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
from collections import Counter
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.store import entity_pool, synthetic_article  # noqa: E402
from kg import graph  # noqa: E402
from kg import view  # noqa: E402
from kg.store import Store, to_quad  # noqa: E402
from tests.test_view_browser import click_node, open_view, start_chromium  # noqa: E402

RUNS = 3


def synthetic_store(nodes: int) -> Store:
    rng = random.Random(7)
    pool = entity_pool(rng)
    store = Store()
    entities, events, articles = set(), set(), 0
    while len(entities) + len(events) < nodes:
        extraction = synthetic_article(articles, rng, pool)
        entities |= {e.iri for e in extraction.entities}
        events |= {e.iri for e in extraction.events}
        store.db.bulk_extend([to_quad(q) for q in graph.quads(extraction)])
        articles += 1
    store._mark_everything_pending()
    store._derive_pending()
    print(f"store: {articles} synthetic articles, {len(store.db)} quads")
    return store


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def interactive_ms(driver, path: Path, node: str, label: str) -> tuple[float, float]:
    """(ms from navigation start until drawn, until a click on ``node`` has opened its panel)."""
    from selenium.webdriver.support.ui import WebDriverWait

    open_view(driver, path)
    drawn = driver.execute_script("return performance.now()")
    click_node(driver, node)
    WebDriverWait(driver, 30, poll_frequency=0.01).until(
        lambda d: d.execute_script("return !document.getElementById('kg-panel').hidden"))
    opened = driver.execute_script("return performance.now()")
    heading = driver.find_element("css selector", "#kg-panel h3").text
    if heading != label:
        raise AssertionError(f"the click opened {heading!r}, not {label!r}")
    return drawn, opened


def degrees(graph: view.Graph) -> Counter:
    return Counter(end for edge in graph.edges for end in (edge.source, edge.target))


def focus_near(whole: view.Graph, size: int) -> tuple[str, int]:
    """The entity and hop count whose neighbourhood is closest to ``size`` nodes."""
    degree = degrees(whole)
    candidates = sorted((n for n in degree if whole.nodes[n].cls != "Event"), key=lambda n: (-degree[n], n))
    best = None
    for node in candidates[::max(1, len(candidates) // 200)]:
        for hops in (1, 2):
            count = len(view.select(whole, view.ViewOptions(focus=node, hops=hops), node).nodes)
            if best is None or abs(count - size) < abs(best[2] - size):
                best = (node, hops, count)
    return best[0], best[1]


def label_overlaps(page: str) -> tuple[int, int]:
    """(nodes whose label box, estimated at the page's font size, overlaps another's, nodes)."""
    marker = "nodes = new vis.DataSet("
    nodes, _ = json.JSONDecoder().raw_decode(page, page.index(marker) + len(marker))
    boxes = []
    for n in nodes:
        width = sum(16 if ord(c) > 0x2E80 else 8.5 for c in n["label"])  # CJK glyphs are about twice as wide
        top = n["y"] + n["size"] + 2
        boxes.append((n["x"] - width / 2, top, n["x"] + width / 2, top + 20))
    overlapping = {i for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i != j
                   and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]}
    return len(overlapping), len(nodes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--focus-size", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("/tmp/kg-viewer-bench"))
    parser.add_argument("--screenshot", type=Path, default=Path("outputs/view-focus-300.png"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store = synthetic_store(args.nodes)

    render_time, path = timed(lambda: view.render(store.db, args.out / "graph.html"))
    whole = view.read_graph(store.db)
    events = sum(n.cls == "Event" for n in whole.nodes.values())
    claims = sum(len(e.claims) for e in whole.edges)
    read_time, _ = timed(lambda: view.read_graph(store.db))
    print(f"graph: {len(whole.nodes)} nodes ({len(whole.nodes) - events} entities, {events} events), "
          f"{len(whole.edges)} edges, {claims} evidence statements")
    print(f"python: render {render_time:.1f} s (of which reading the store {read_time:.1f} s), "
          f"page {path.stat().st_size / 1e6:.1f} MB")

    degree = degrees(whole)
    hub = min(whole.nodes, key=lambda n: (-degree[n], n))
    driver = start_chromium(Path(tempfile.mkdtemp(prefix="kg-chromium-")))
    try:
        runs = [interactive_ms(driver, path, hub, whole.nodes[hub].label) for _ in range(RUNS)]
        print(f"chromium, {len(whole.nodes)} nodes: drawn after " + ", ".join(f"{d:.0f}" for d, _ in runs)
              + " ms; click on a node → panel open after " + ", ".join(f"{o:.0f}" for _, o in runs)
              + f" ms (median {statistics.median(o for _, o in runs) / 1000:.2f} s) from navigation start")

        focus, hops = focus_near(whole, args.focus_size)
        options = view.ViewOptions(focus=focus, hops=hops, title=f"{whole.nodes[focus].label}, {hops} hop(s)")
        focus_time, focus_path = timed(lambda: view.render(store.db, args.out / "focus.html", options))
        overlapping, count = label_overlaps(focus_path.read_text(encoding="utf-8"))
        print(f"focus view: {whole.nodes[focus].label} ({focus}), {hops} hop(s): {count} nodes, render "
              f"{focus_time:.1f} s; estimated label boxes overlapping another: {overlapping} of {count}")
        driver.set_window_size(1600, 1200)
        open_view(driver, focus_path)
        driver.save_screenshot(str(args.screenshot))
        print(f"screenshot: {args.screenshot}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
