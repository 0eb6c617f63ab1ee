"""kg serve: a real SPARQL client (SPARQLWrapper) against the server on a free local port."""
import csv
import http.client
import http.server
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from contextlib import contextmanager
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg import serve, view
from tests.conftest import ENGLISH, ROOT, run_cli

MICROSOFT = "https://w3id.org/newskg/entity/org/microsoft"
COMPANIES = "SELECT ?company ?label WHERE { ?company a nkg:Company ; rdfs:label ?label } ORDER BY ?company ?label"
ARTICLES = ("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER(STRSTARTS(STR(?g), STR(article:))) }")
REMOTE_RESOURCE = re.compile(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//|url\(\s*[\"']?(?:https?:)?//", re.I)


@contextmanager
def running(out_dir, **options):
    server = serve.make_server(out_dir, port=0, quiet=True, **options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def server(example_build):
    with running(example_build) as server:
        yield server


def client(server, query: str, return_format=JSON) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    return sparql


def select(server, query: str) -> list[dict[str, str]]:
    result = client(server, query).queryAndConvert()
    return [{name: cell["value"] for name, cell in row.items()} for row in result["results"]["bindings"]]


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) without raising on an error status."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def copy_of(build, tmp_path):
    shutil.copytree(build / "store", tmp_path / "store")
    return tmp_path


# ── queries through SPARQLWrapper ────────────────────────────────────────────

def test_select_json_with_predeclared_prefixes(server):
    rows = select(server, COMPANIES)
    assert {"company": MICROSOFT, "label": "Microsoft"} in rows
    assert {"company": MICROSOFT, "label": "微软"} in rows


def test_select_xml(server):
    document = client(server, COMPANIES, XML).queryAndConvert()
    uris = {node.firstChild.data for node in document.getElementsByTagName("uri")}
    assert MICROSOFT in uris


def test_select_csv_and_tsv(server):
    expected = len(select(server, COMPANIES)) + 1
    rows = list(csv.reader(io.StringIO(client(server, COMPANIES, CSV).queryAndConvert().decode("utf-8"))))
    assert len(rows) == expected and rows[0] == ["company", "label"] and [MICROSOFT, "微软"] in rows
    # TSV writes terms in Turtle syntax
    rows = [line.split("\t") for line in client(server, COMPANIES, TSV).queryAndConvert().decode("utf-8").splitlines()]
    assert len(rows) == expected and rows[0] == ["?company", "?label"] and [f"<{MICROSOFT}>", '"微软"@zh-hans'] in rows


def test_ask(server):
    assert client(server, f"ASK {{ <{MICROSOFT}> a nkg:Company }}").queryAndConvert()["boolean"] is True
    assert client(server, "ASK { org:nobody ?p ?o }").queryAndConvert()["boolean"] is False


def test_construct_as_turtle_and_n_triples(server):
    query = f"CONSTRUCT {{ <{MICROSOFT}> ?p ?o }} WHERE {{ <{MICROSOFT}> ?p ?o }}"
    expected = len(select(server, f"SELECT * WHERE {{ <{MICROSOFT}> ?p ?o }}"))
    turtle = client(server, query, TURTLE).queryAndConvert()
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == expected > 3

    n_triples = client(server, query, N3)
    n_triples.addCustomHttpHeader("Accept", "application/n-triples")
    response = n_triples.query()
    assert response.response.headers["Content-Type"].startswith("application/n-triples")
    lines = response.convert().decode("utf-8").splitlines()
    assert len(lines) == expected and all(line.startswith(f"<{MICROSOFT}> <") and line.endswith(" .") for line in lines)


@pytest.mark.parametrize("request_method", ["urlencoded", POSTDIRECTLY])
def test_post(server, request_method):
    sparql = client(server, COMPANIES)
    sparql.setMethod(POST)
    sparql.setRequestMethod(request_method)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert len(rows) == len(select(server, COMPANIES))


def test_default_graph_uri_selects_the_dataset(server):
    article = select(server, "SELECT ?g WHERE { GRAPH ?g { ?a a schema:NewsArticle } }")[0]["g"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_article = select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}")[0]["n"]
    sparql = client(server, count)
    sparql.addDefaultGraph(article)
    assert sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == in_article
    assert select(server, count)[0]["n"] != in_article  # without it: the store's merged default graph


def test_named_graph_uri_selects_the_named_graphs(server):
    article = select(server, "SELECT ?g WHERE { GRAPH ?g { ?a a schema:NewsArticle } }")[0]["g"]
    graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert len(select(server, graphs)) > 1
    sparql = client(server, graphs)
    sparql.addNamedGraph(article)
    [row] = sparql.queryAndConvert()["results"]["bindings"]
    assert row["g"]["value"] == article
    # only named graphs given: the default graph is empty
    sparql = client(server, "ASK { ?s ?p ?o }")
    sparql.addNamedGraph(article)
    assert sparql.queryAndConvert()["boolean"] is False


def test_malformed_query_is_400_with_the_parser_message(server):
    with pytest.raises(QueryBadFormed) as error:
        client(server, "SELECT ?x WHERE { ?x ").queryAndConvert()
    assert "malformed query: error at 1:" in str(error.value)


def test_update_is_refused_read_only(server):
    sparql = SPARQLWrapper(server.url + "sparql", updateEndpoint=server.url + "update")
    sparql.setMethod(POST)
    sparql.setQuery("CLEAR ALL")
    with pytest.raises(HTTPError) as error:
        sparql.query()
    assert error.value.code == 403 and "read-only" in error.value.read().decode()
    assert select(server, COMPANIES)


def test_writable_applies_updates_and_holds_the_store(example_build, tmp_path):
    out = copy_of(example_build, tmp_path)
    with running(out, writable=True) as server:
        sparql = SPARQLWrapper(server.url + "sparql", updateEndpoint=server.url + "update")
        sparql.setMethod(POST)
        sparql.setQuery('INSERT DATA { org:acme a nkg:Company ; rdfs:label "Acme"@en }')
        sparql.query()
        assert {"company": "https://w3id.org/newskg/entity/org/acme", "label": "Acme"} in select(server, COMPANIES)

        status, _, message = fetch(server.url + "update", urlencode({"update": "CLEAR ALL"}).encode(),
                                   {"Origin": "http://example.org"})
        assert status == 403 and "another site" in message

        delete = "DELETE WHERE { ?s ?p ?o }"
        status, _, message = fetch(server.url + "update?" + urlencode({"using-graph-uri": "http://example.org/none"}),
                                   delete.encode(), {"Content-Type": "application/sparql-update"})
        assert status == 400 and message.startswith("using-graph-uri: not supported")
        assert {"company": "https://w3id.org/newskg/entity/org/acme", "label": "Acme"} in select(server, COMPANIES)

        build = run_cli("build", ENGLISH, "-o", out, "--no-export")
        assert build.exit_code == 1 and "cannot open the store for writing" in build.output


# ── HTTP details ─────────────────────────────────────────────────────────────

def test_binds_loopback_by_default(example_build):
    server = serve.make_server(example_build, port=0)
    server.server_close()
    assert server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("host, status", [("attacker.example", 403), ("localhost", 200), ("127.0.0.1", 200),
                                          ("[::1]", 200)])
def test_a_local_server_answers_only_to_loopback_names(server, host, status):
    # DNS rebinding: another site's name pointed at 127.0.0.1 makes its page same-origin with us
    port = server.server_address[1]
    got, _, _ = fetch(server.url + "sparql?" + urlencode({"query": "ASK {}"}), headers={"Host": f"{host}:{port}"})
    assert got == status


@pytest.mark.parametrize("accept, expected", [
    (None, "JSON"),
    ("*/*", "JSON"),
    ("text/*", "CSV"),
    ("text/csv;q=0.5, application/sparql-results+xml", "XML"),
    ("application/sparql-results+json;q=0, application/json;q=0, */*;q=0.1", "XML"),
    ("text/tab-separated-values;q=0.9, text/*;q=0.2", "TSV"),
    ("application/sparql-results+json;q=nan, text/csv;q=0.5", "CSV"),
    ("application/sparql-results+xml;q=2, text/csv;q=0.5", "CSV"),
])
def test_negotiation(accept, expected):
    assert serve.negotiate(accept, serve.RESULT_FORMATS) == getattr(ox.QueryResultsFormat, expected)


@pytest.mark.parametrize("query, got", [("", "0"), ("query=", "an empty one"), ("query=ASK{}&query=ASK{}", "2")])
def test_the_query_parameter_is_one_non_empty_value(server, query, got):
    status, _, message = fetch(server.url + "sparql?" + query)
    assert (status, message.strip()) == (400, f"give exactly one non-empty query parameter (got {got})")


def test_nothing_acceptable_is_406(server):
    status, _, message = fetch(server.url + "sparql?" + urlencode({"query": "ASK {}"}), headers={"Accept": "image/png"})
    assert status == 406 and "text/csv" in message


@pytest.mark.parametrize("method, path, body, headers, status", [
    ("GET", "/nope", None, {}, 404),
    ("GET", "/update", None, {}, 405),
    ("PUT", "/sparql", None, {}, 405),
    ("GET", "/sparql", None, {}, 400),  # no query
    ("POST", "/sparql", b"<q/>", {"Content-Type": "application/xml"}, 415),
    ("POST", "/sparql", None, {"Content-Type": "application/sparql-query", "Content-Length": str(10**9)}, 413),
    ("POST", "/sparql", b"ASK {}", {"Content-Type": "application/sparql-query", "Content-Length": "-1"}, 400),
])
def test_errors(server, method, path, body, headers, status):
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    message = response.read().decode()
    assert response.status == status and response.headers["Content-Type"].startswith("text/plain")
    assert len(message.strip().splitlines()) == 1


def test_a_silent_client_is_disconnected(example_build, monkeypatch):
    assert 0 < serve.Handler.timeout <= 600  # by default, after minutes; here after 0.2 s
    monkeypatch.setattr(serve.Handler, "timeout", 0.2)
    with running(example_build) as server, socket.create_connection(server.server_address[:2]) as silent:
        silent.settimeout(5)
        assert silent.recv(100) == b""  # the server closed the connection


def test_large_answers_stream_in_chunks_small_ones_have_a_length(server):
    everything = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    count = int(select(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    status, headers, body = fetch(server.url + "sparql?" + urlencode({"query": everything}))
    assert status == 200 and headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in headers
    assert headers["Vary"] == "Accept"  # negotiated: a cache must not hand this JSON to a CSV client
    assert len(json.loads(body)["results"]["bindings"]) == count > 1000
    status, headers, _ = fetch(server.url + "sparql?" + urlencode({"query": "ASK {}"}))
    assert headers["Content-Length"] and "Transfer-Encoding" not in headers and headers["Vary"] == "Accept"


@contextmanager
def endpoint_that_records_requests():
    """A stand-in for an internal address: records each request, answers an empty result."""
    paths = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            paths.append(self.path)
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=recorder.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{recorder.server_address[1]}/", paths
    finally:
        recorder.shutdown()
        recorder.server_close()


def test_service_is_refused_unless_allowed_the_server_fetches_nothing(example_build):
    with endpoint_that_records_requests() as (internal, fetched), running(example_build) as server:
        for query in (f"SELECT * WHERE {{ SERVICE <{internal}admin> {{ ?s ?p ?o }} }}",
                      f"select * where {{ ?s ?p 1service silent <{internal}b> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ \\u0053ERVICE <{internal}c> {{ ?s ?p ?o }} }}"):
            status, _, message = fetch(server.url + "sparql", urlencode({"query": query}).encode())
            assert status == 403 and "--allow-service" in message, query
        assert fetched == []
    with endpoint_that_records_requests() as (internal, fetched), running(example_build, allow_service=True) as server:
        select(server, f"SELECT * WHERE {{ SERVICE <{internal}admin> {{ ?s ?p ?o }} }}")
        assert fetched == ["/admin"]


@pytest.mark.parametrize("query, refused", [
    ("SELECT * WHERE { ?s nkg:providesServiceTo ?o ; schema:service ?x ; ?service ?y }", False),
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?o { 1 }\nsErViCe", True),
    ('SELECT * WHERE { ?s rdfs:label "customer service" }', True),  # refused: a string is not told apart
])
def test_what_counts_as_naming_service(query, refused):
    assert serve.may_name_service(query) is refused


class FailingAnswer:
    """Writes ``size`` bytes of an answer, then fails as an evaluation error would."""

    def __init__(self, size: int):
        self.size = size

    def query(self, *args, **kwargs):
        return self

    def serialize(self, output, fmt):
        for _ in range(self.size // 1000):
            output.write(b"x" * 1000)
        raise RuntimeError("evaluation failed")


@pytest.mark.parametrize("size", [1000, 10 * serve.FIRST_CHUNK])
def test_an_error_while_answering_is_a_500_or_a_cut_off_stream(example_build, size):
    with running(example_build) as server:
        server.store = lambda: FailingAnswer(size)
        connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
        connection.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
        response = connection.getresponse()
        if size < serve.FIRST_CHUNK:  # nothing sent yet: a proper error status
            assert (response.status, response.read()) == (500, b"RuntimeError: evaluation failed\n")
        else:  # headers went out: the client must be able to tell the answer is incomplete
            assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
            with pytest.raises(http.client.IncompleteRead):
                response.read()


def test_no_cors_a_page_from_another_site_cannot_read_answers(server):
    # the server fetches whatever a SERVICE clause names: a cross-site page must not read the results
    status, headers, _ = fetch(server.url + "sparql?" + urlencode({"query": "ASK {}"}),
                               headers={"Origin": "http://example.org"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


# ── the viewer ───────────────────────────────────────────────────────────────

def test_index_links_the_viewer_and_the_endpoint(server):
    status, headers, page = fetch(server.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'href="view"' in page and 'action="sparql"' in page
    # the form's answer follows a browser's Accept, which ranks XML over */*
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"
    _, headers, _ = fetch(server.url + "sparql?" + urlencode({"query": "ASK {}"}), headers={"Accept": browser})
    assert headers["Content-Type"].startswith("application/sparql-results+xml") and "SPARQL XML" in page


def test_view_is_a_self_contained_page(server):
    status, headers, page = fetch(server.url + "view?hops=1")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "vis.Network" in page and not REMOTE_RESOURCE.search(page)


@pytest.mark.parametrize("query, name", [("hops=x", "hops"), ("since=2025-02-30", "since"),
                                         ("relation=analystof", "analystof"), ("hops=-1", "hops")])
def test_view_with_a_bad_parameter_is_400_naming_it(server, query, name):
    status, _, message = fetch(server.url + "view?" + query)
    assert status == 400 and message.startswith(f"{name}:")


def test_view_of_an_unknown_entity_is_404(server, monkeypatch):
    def page(db, options):
        assert options.focus == "Nobody" and options.relations == ["ceoOf", "analystOf"]
        raise LookupError("Nobody: no such entity")

    monkeypatch.setattr(view, "page", page)
    status, _, message = fetch(server.url + "view?focus=Nobody&relation=ceoOf&relation=analystOf")
    assert (status, message.strip()) == (404, "Nobody: no such entity")


def test_saved_queries_are_listed_and_run_with_parameters_in_any_language(server):
    status, headers, listing = fetch(server.url + "queries")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    by_name = {q["name"]: q for q in json.loads(listing)}
    assert [p["name"] for p in by_name["analysts-of"]["params"]] == ["company"]
    query = urlencode({"company": "微軟"})
    status, headers, body = fetch(f"{server.url}queries/analysts-of?{query}",
                                  headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    analysts = {row["analyst"]["value"] for row in json.loads(body)["results"]["bindings"]}
    assert analysts == {"TD Cowen"}
    status, headers, body = fetch(f"{server.url}queries/stock-moves", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and "-1.9" in body


@pytest.mark.parametrize("path, status, message", [
    ("queries/analyst-of", 404, "analyst-of: no such saved query"),
    ("queries/analysts-of?firm=x", 400, "analysts-of: no parameter firm"),
    ("queries/analysts-of?company=Nobody%20Inc", 400, "company=Nobody Inc: no such entity"),
    ("queries/stock-moves?since=2025-13-01", 400, "since=2025-13-01: expected a date"),
])
def test_saved_query_errors_name_the_input(server, path, status, message):
    got, _, body = fetch(server.url + path)
    assert got == status and body.startswith(message), body


# ── freshness and the command ────────────────────────────────────────────────

def test_a_build_while_serving_is_seen_by_the_next_request(example_build, tmp_path):
    out = copy_of(example_build, tmp_path)
    with running(out) as server:
        assert select(server, ARTICLES) == [{"n": "1"}]
        build = run_cli("build", ENGLISH, "-o", out, "--no-export")
        assert build.exit_code == 0, build.output
        assert select(server, ARTICLES) == [{"n": "2"}]


def test_a_store_that_cannot_be_reopened_keeps_its_last_snapshot(example_build, tmp_path):
    store = serve.FreshReadOnlyStore(copy_of(example_build, tmp_path) / "store")
    first = store.current()
    assert store.current() is first  # unchanged on disk: no reopening
    os.utime(store.path / "IDENTITY", ns=(0, 0))  # the store changed...
    current = store.path / "CURRENT"
    current.rename(tmp_path / "CURRENT")  # ...and cannot be opened, as when a build deletes a file as we open
    assert store.current() is first
    (tmp_path / "CURRENT").rename(current)
    assert store.current() is not first


def test_the_command_prints_its_url_and_stops_cleanly_on_ctrl_c(example_build):
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "-s", str(example_build), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://[\d.]+:\d+/", process.stdout.readline()).group(0)
        assert urlsplit(url).hostname == "127.0.0.1"
        sparql = SPARQLWrapper(url + "sparql")
        sparql.setQuery(f"ASK {{ <{MICROSOFT}> ?p ?o }}")
        sparql.setReturnFormat(JSON)
        assert sparql.queryAndConvert()["boolean"] is True
        assert re.search(r"GET /sparql 200 \d+ ms$", process.stderr.readline())  # logged once answered
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "stopped" in out and "Traceback" not in err
