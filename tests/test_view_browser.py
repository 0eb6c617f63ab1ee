"""The viewer in headless Chromium (Debian's chromium and chromedriver): it draws, holds the
expected nodes, opens the side panel on a real click, never runs an article's markup, and
finds a node by its Chinese name. Skipped without Chromium unless KG_REQUIRE_BROWSER=1."""
from __future__ import annotations

import base64
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from kg import view
from tests.view_store import (ACME, ANALYST_EVIDENCE, HOSTILE_EVIDENCE, HOSTILE_NAME, MICROSOFT, OPENAI, TD_COWEN,
                              view_store)

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
WINDOW = (1400, 1000)


def missing_browser() -> str | None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e .[test])"
    return None


def start_chromium(profile: Path):
    """Headless Chromium that talks to nothing but the page it is given."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def open_view(driver, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.kgReady === true"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = missing_browser()
    if reason:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    profile = tmp_path_factory.mktemp("chromium-profile")
    driver = start_chromium(profile)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    return view.render(view_store().db, tmp_path_factory.mktemp("view") / "graph.html")


@pytest.fixture
def viewer(browser, page_file):
    """The page, loaded once per module; the panel closed and nothing selected before each test."""
    if browser.current_url != page_file.as_uri():
        open_view(browser, page_file)
    browser.execute_script("document.getElementById('kg-panel').hidden = true; network.unselectAll();"
                           "network.fit({animation: false});")
    return browser


def click_at_canvas_point(driver, point: dict) -> None:
    """A real mouse click at a canvas point (from network.canvasToDOM)."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#mynetwork canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, round(point["x"] - size["width"] / 2), round(point["y"] - size["height"] / 2)).click().perform()


def click_node(driver, node: str) -> None:
    point = driver.execute_script("var id = arguments[0]; return network.canvasToDOM(network.getPositions([id])[id]);",
                                  node)
    click_at_canvas_point(driver, point)


def click_edge(driver, source: str, target: str) -> None:
    """Click a quarter of the way along the edge: off its label and its end nodes."""
    point = driver.execute_script("""
        var p = network.getPositions([arguments[0], arguments[1]]), a = p[arguments[0]], b = p[arguments[1]];
        return network.canvasToDOM({x: a.x + (b.x - a.x) * 0.35, y: a.y + (b.y - a.y) * 0.35});""", source, target)
    click_at_canvas_point(driver, point)


def panel_text(driver) -> str:
    panel = driver.find_element("id", "kg-panel")
    return panel.text if panel.is_displayed() else ""


def non_background_pixels(driver, png: bytes) -> int:
    """Pixels of the graph area of a screenshot that are not (nearly) white, counted by the browser."""
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1], area = document.getElementById("mynetwork").getBoundingClientRect();
        var image = new Image();
        image.onload = function () {
            var canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            var context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            var pixels = context.getImageData(area.left, area.top, area.width, area.height).data, count = 0;
            for (var i = 0; i < pixels.length; i += 4) {
                if (pixels[i] < 240 || pixels[i + 1] < 240 || pixels[i + 2] < 240) count++;
            }
            done(count);
        };
        image.src = "data:image/png;base64," + arguments[0];""", base64.b64encode(png).decode())


def test_screenshot_shows_the_graph(viewer, tmp_path):
    path = tmp_path / "graph.png"
    assert viewer.save_screenshot(str(path))
    png = path.read_bytes()
    assert png.startswith(b"\x89PNG")
    assert non_background_pixels(viewer, png) > 2000  # nodes, labels and edges, not a blank canvas


def test_page_holds_every_node(viewer):
    expected = len(view.read_graph(view_store().db).nodes)
    assert viewer.execute_script("return network.body.nodeIndices.length") == expected == 10


def test_clicking_a_node_opens_its_panel(viewer):
    click_node(viewer, TD_COWEN)
    text = panel_text(viewer)
    assert text.startswith("close\nTD Cowen\nCompany")
    assert TD_COWEN in text and "TD Cowen analystOf Microsoft" in text


def test_clicking_an_edge_shows_its_evidence(viewer):
    click_edge(viewer, TD_COWEN, MICROSOFT)
    text = panel_text(viewer)
    assert "TD Cowen analystOf Microsoft" in text and ANALYST_EVIDENCE in text
    for shown in ("微软回应大砍算力AI传闻", "outlet: 网易", "date: 2025-02-25", "status: Reported",
                  "asserted by: TD Cowen", "confidence: 0.8", "sources: 1"):
        assert shown in text
    link = viewer.find_element("css selector", "#kg-panel a")
    assert link.get_attribute("href") == "https://news.example/zh-microsoft"


def test_article_markup_shows_as_text_and_never_runs(viewer):
    assert viewer.execute_script("return typeof window.__kgPwned") == "undefined"
    click_edge(viewer, ACME, OPENAI)
    text = panel_text(viewer)
    assert HOSTILE_EVIDENCE.split("\u2028")[0].strip() in text
    assert 'Acme <b>wins</b> & "loses" <img src=x onerror="window.__kgPwned=2">' in text
    panel = viewer.find_element("id", "kg-panel")
    assert panel.find_elements("css selector", "script, img, b") == []
    assert panel.find_elements("css selector", "a") == []  # a javascript: URL is not made a link
    assert viewer.execute_script("return typeof window.__kgPwned") == "undefined"


def test_search_finds_a_node_by_its_chinese_name(viewer):
    from selenium.webdriver.common.keys import Keys

    box = viewer.find_element("id", "kg-search")
    box.clear()
    box.send_keys("微软")
    assert [b.text for b in viewer.find_elements("css selector", "#kg-matches button")] == ["Microsoft"]
    box.send_keys(Keys.ENTER)
    assert viewer.execute_script("return network.getSelectedNodes()") == [MICROSOFT]
    assert panel_text(viewer).startswith("close\nMicrosoft\nCompany")
    box.clear()


def test_a_name_with_markup_shows_as_text_in_search_and_panel(viewer):
    box = viewer.find_element("id", "kg-search")
    box.clear()
    box.send_keys("acme")
    assert [b.text for b in viewer.find_elements("css selector", "#kg-matches button")] == [HOSTILE_NAME]
    viewer.find_element("css selector", "#kg-matches button").click()
    assert panel_text(viewer).startswith(f"close\n{HOSTILE_NAME}\nCompany")
    assert "Acme <img" in panel_text(viewer) and HOSTILE_NAME + " supplierOf OpenAI" in panel_text(viewer)
    assert viewer.find_elements("css selector", "#kg-matches img, #kg-panel img") == []
    assert viewer.execute_script("return typeof window.__kgPwned") == "undefined"
    box.clear()


def test_a_graph_too_big_to_fit_legibly_opens_legible_on_its_hub(browser, tmp_path):
    from kg.models import Entity, Extraction
    from kg.store import build
    from tests.view_store import article, relation

    hub = "https://w3id.org/newskg/entity/org/hub-corp"
    partners = [f"https://w3id.org/newskg/entity/org/partner-{i}" for i in range(150)]
    star = article("star", "Hub Corp signs everyone", None, "en", "Latn")
    entities = [Entity(iri=iri, type="Company", labels={"en": [iri.rsplit("/", 1)[1]]}, resolution="exact")
                for iri in (hub, *partners)]
    relations = [relation(hub, "partnerOf", p, star.id, "Hub Corp partners with everyone.") for p in partners]
    page = view.render(build([Extraction(article=star, entities=entities, mentions=[], relations=relations,
                                         events=[])]).db, tmp_path / "star.html")
    open_view(browser, page)
    scale, hub_on_screen = browser.execute_script("""
        var p = network.canvasToDOM(network.getPositions([arguments[0]])[arguments[0]]);
        var area = document.getElementById("mynetwork").getBoundingClientRect();
        return [network.getScale(), p.x > 0 && p.y > 0 && p.x < area.width && p.y < area.height];""", hub)
    assert scale == pytest.approx(view.LEGIBLE_SCALE) and hub_on_screen
