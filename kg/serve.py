"""`kg serve`: a SPARQL 1.1 Protocol endpoint over the store, and the graph viewer, from one process.

Why a thin server on the standard library (``http.server``) over pyoxigraph rather than wrapping
``oxigraph serve``: that binary ships in a separate PyPI package (``oxigraph``) that is not in our
lock; in-process, the viewer is served from the same store handle, read-only is enforced by our
code (an update is refused before it reaches the store), queries get the project prefixes
predeclared as in ``kg query``, and the store is reopened when ``kg build`` changes it. The cost is
ours: the protocol subset below, and threads (pyoxigraph releases the GIL while evaluating).

- ``GET /sparql?query=…``, ``POST /sparql`` (form ``query=`` or an ``application/sparql-query``
  body); ``default-graph-uri`` / ``named-graph-uri`` honoured. Results by content negotiation:
  SPARQL JSON (default), XML, CSV, TSV; graphs as Turtle (default), N-Triples, JSON-LD, RDF/XML.
- ``POST /update`` (``application/sparql-update`` or form ``update=``): 403 unless ``writable``;
  ``using-graph-uri`` / ``using-named-graph-uri`` are a 400 (pyoxigraph's update takes no dataset).
- ``GET /view?focus=…&hops=…&since=…&relation=…`` the viewer page; ``GET /`` an index.
- ``GET /queries`` the saved queries (JSON); ``GET /queries/NAME?param=value`` runs one, answered
  as ``/sparql`` answers.
- Answers stream to the socket in chunks; the first ``FIRST_CHUNK`` bytes are held back so an
  error while they are produced still gets a proper status. pyoxigraph has no query timeout: a
  runaway query holds one thread and a CPU until it ends (or the server stops); it does not hold
  up the others (the GIL is released while it evaluates: an ASK took 0 ms beside a 10 s query).
- pyoxigraph evaluates ``SERVICE`` clauses itself, POSTing to any URL a query names; any web page
  can make a browser submit a form here, so a query that may name ``SERVICE`` is refused (403)
  unless ``allow_service``: otherwise the server would fetch internal addresses for whoever asks.
  No CORS headers either (a page from another site may send a query but cannot read the answer;
  the index and the viewer are same-origin), updates refused from another site's ``Origin``,
  127.0.0.1 unless told otherwise, and there only requests naming a loopback host (DNS rebinding).
"""
from __future__ import annotations

import html
import ipaddress
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
from pydantic import ValidationError

from kg import saved, view
from kg.query import one_line
from kg.store import STORE_DIR
from kg.vocab import PREFIXES

# Server preference first; each format with the media types a client may ask for it by.
RESULT_FORMATS = [
    (ox.QueryResultsFormat.JSON, ("application/sparql-results+json", "application/json")),
    (ox.QueryResultsFormat.XML, ("application/sparql-results+xml", "application/xml")),
    (ox.QueryResultsFormat.CSV, ("text/csv",)),
    (ox.QueryResultsFormat.TSV, ("text/tab-separated-values",)),
]
GRAPH_FORMATS = [
    (ox.RdfFormat.TURTLE, ("text/turtle", "application/turtle")),
    (ox.RdfFormat.N_TRIPLES, ("application/n-triples",)),
    (ox.RdfFormat.JSON_LD, ("application/ld+json",)),
    (ox.RdfFormat.RDF_XML, ("application/rdf+xml",)),
]
MAX_BODY = 16 * 1024 * 1024  # an INSERT DATA of a couple of hundred articles; more belongs in `kg build`
FIRST_CHUNK = 64 * 1024
# "service" anywhere but inside a prefixed name (nkg:providesServiceTo) or a variable; Oxigraph
# needs no space before the keyword (``?s ?p 1SERVICE <…>`` parses), so a word may lead into it.
SERVICE_KEYWORD = re.compile(r"(?<![\w:?$])\w*?service", re.IGNORECASE)
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
VIEW_PARAMETERS = {"focus": "focus", "hops": "hops", "since": "since", "relation": "relations"}


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


# ── the store ────────────────────────────────────────────────────────────────

class FreshReadOnlyStore:
    """The store opened read-only, reopened when its files change on disk.

    A read-only RocksDB handle is a snapshot: it never sees what ``kg build`` writes later. Listing
    the store folder costs about 0.1 ms (see ``files_signature``), so every request checks it and a
    changed store is reopened (about 20 ms) before answering.
    Opening while a build compacts can fail (a file named by the manifest was just deleted: 1 in
    10,000 queries during a build, measured); the request then gets the last snapshot.
    """

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._signature: list[tuple] | None = None
        self._db: ox.Store | None = None

    def current(self) -> ox.Store:
        with self._lock:
            try:
                signature = files_signature(self.path)  # taken before opening: a change during it reopens again
                if signature != self._signature:
                    self._db, self._signature = ox.Store.read_only(str(self.path)), signature
            except (OSError, RuntimeError):  # RuntimeError: RocksDB's "Corruption" when a file just went
                if self._db is None:
                    raise
                # a build compacted files away as we opened: keep the last snapshot, look again next request
            return self._db


def files_signature(folder: Path) -> list[tuple]:
    """Table files (.sst) never change once written, so their names suffice; the write-ahead logs
    and the manifest grow in place, so their sizes and times count too."""
    return sorted((e.name,) if e.name.endswith(".sst") else (e.name, (s := e.stat()).st_size, s.st_mtime_ns)
                  for e in os.scandir(folder))


def open_store(out_dir: Path, writable: bool) -> Callable[[], ox.Store]:
    """What each request calls for the store to use."""
    path = out_dir / STORE_DIR
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no store (run `kg build` first)")
    if not writable:
        store = FreshReadOnlyStore(path)
        store.current()  # an unreadable store fails now, not on the first request
        return store.current
    try:
        db = ox.Store(str(path))  # holds RocksDB's lock: `kg build` cannot open the store until we stop
    except OSError as error:
        raise OSError(f"{path}: cannot open for writing ({one_line(str(error))}); is `kg build` running?") from error
    return lambda: db


# ── content negotiation ──────────────────────────────────────────────────────

def parse_accept(header: str) -> list[tuple[str, float]]:
    """(media range, q) pairs of an Accept header; a malformed q (not a number from 0 to 1) counts as 0."""
    ranges = []
    for part in header.split(","):
        media_range, *parameters = (p.strip() for p in part.split(";"))
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                if not 0 <= q <= 1:  # also NaN, which no comparison would rank
                    q = 0.0
        if media_range:
            ranges.append((media_range.lower(), q))
    return ranges


def quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``media_type`` (type/sub over type/* over */*)."""
    kind = media_type.split("/")[0]
    for candidate in (media_type, f"{kind}/*", "*/*"):
        matches = [q for media_range, q in ranges if media_range == candidate]
        if matches:
            return max(matches)
    return 0.0


def negotiate(accept: str | None, offers: list[tuple[object, tuple[str, ...]]]):
    """The acceptable format the client prefers most (ties: the server's order); 406 when none is."""
    ranges = parse_accept(accept or "*/*")
    scored = [(max(quality(t, ranges) for t in types), -rank, fmt) for rank, (fmt, types) in enumerate(offers)]
    best_q, _, best = max(scored, key=lambda s: s[:2])
    if best_q <= 0:
        offered = ", ".join(t for _, types in offers for t in types)
        raise HttpError(406, f"none of the accepted types ({accept}) is available; offered: {offered}")
    return best


# ── requests ─────────────────────────────────────────────────────────────────

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked streaming, so a client can tell a cut-off answer
    disable_nagle_algorithm = True  # headers and body are separate writes: Nagle would add 40 ms on keep-alive
    timeout = 300  # seconds a silent client (or an idle kept-alive connection) may hold a thread
    server: Server
    routes = {"/": {"GET": "index"}, "/sparql": {"GET": "sparql", "POST": "sparql"},
              "/update": {"POST": "update"}, "/view": {"GET": "view"},
              "/queries": {"GET": "saved_list"}, "/queries/": {"GET": "saved_query"}}

    def dispatch(self) -> None:
        started = time.perf_counter()
        self.status = 0
        url = urlsplit(self.path)
        try:
            self.refuse_another_sites_name()
            methods = self.routes.get("/queries/" if url.path.startswith("/queries/") else url.path)
            if methods is None:
                raise HttpError(404, f"{url.path}: not found (try /, /sparql, /update, /view or /queries)")
            if self.command not in methods:
                raise HttpError(405, f"{self.command} {url.path}: method not allowed (use {', '.join(methods)})",
                                {"Allow": ", ".join(methods)})
            getattr(self, methods[self.command])(parse_qs(url.query, keep_blank_values=True))
        except HttpError as error:
            self.send_text(error.status, str(error), error.headers)
        except ConnectionError:
            self.close_connection = True  # the client went away
        except Exception as error:  # the client gets a 500 rather than a dropped connection
            self.send_text(500, f"{type(error).__name__}: {one_line(str(error))}")
        finally:
            self.log(f"{self.command} {url.path} {self.status} {(time.perf_counter() - started) * 1000:.0f} ms")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = dispatch

    # routes

    def index(self, _: dict[str, list[str]]) -> None:
        self.send_bytes(200, "text/html; charset=utf-8", index_page(self.server.writable).encode())

    def sparql(self, url_parameters: dict[str, list[str]]) -> None:
        parameters = self.merged_parameters(url_parameters, "application/sparql-query", "query")
        sparql = single(parameters, "query")
        if not self.server.allow_service and may_name_service(sparql):
            raise HttpError(403, "queries with SERVICE are refused: the server would fetch any URL they name "
                                 "(start it with `kg serve --allow-service` to allow them)")
        try:
            answer = self.server.store().query(sparql, prefixes=PREFIXES, **dataset(parameters))
        except SyntaxError as error:
            raise HttpError(400, f"malformed query: {one_line(str(error))}") from error
        self.send_answer(answer)

    def saved_list(self, _: dict[str, list[str]]) -> None:
        listing = [q.model_dump(exclude={"text"}) for q in saved.saved_queries()]
        self.send_bytes(200, "application/json", json.dumps(listing, ensure_ascii=False, indent=1).encode())

    def saved_query(self, parameters: dict[str, list[str]]) -> None:
        """A saved query by name, its parameters from the URL: /queries/analysts-of?company=微软."""
        name = urlsplit(self.path).path.removeprefix("/queries/")
        db = self.server.store()
        try:
            text, substitutions = saved.prepare(db, name, {k: single(parameters, k) for k in parameters})
        except saved.UnknownQuery as error:
            raise HttpError(404, str(error)) from error
        except ValueError as error:
            raise HttpError(400, str(error)) from error
        self.send_answer(db.query(text, substitutions=substitutions))

    def send_answer(self, answer) -> None:
        """Solutions, a boolean or triples, in the format the client prefers, streamed."""
        if isinstance(answer, ox.QueryTriples):
            fmt = negotiate(self.headers.get("Accept"), GRAPH_FORMATS)
        else:
            fmt = negotiate(self.headers.get("Accept"), RESULT_FORMATS)
        with ChunkedBody(self, with_charset(fmt.media_type)) as body:
            answer.serialize(body, fmt)

    def update(self, url_parameters: dict[str, list[str]]) -> None:
        if not self.server.writable:
            raise HttpError(403, "updates are refused: the server is read-only (start it with `kg serve --writable`)")
        origin = self.headers.get("Origin")
        if origin and origin.rstrip("/") != self.server.url.rstrip("/"):
            raise HttpError(403, f"updates from another site ({origin}) are refused")
        parameters = self.merged_parameters(url_parameters, "application/sparql-update", "update")
        if dataset_given := [name for name in ("using-graph-uri", "using-named-graph-uri") if name in parameters]:
            # pyoxigraph's update takes no dataset: running it over the whole store instead would
            # change graphs the client did not name
            raise HttpError(400, f"{', '.join(dataset_given)}: not supported (write USING in the update instead)")
        try:
            self.server.store().update(single(parameters, "update"), prefixes=PREFIXES)
        except SyntaxError as error:
            raise HttpError(400, f"malformed update: {one_line(str(error))}") from error
        self.send_bytes(204, "text/plain; charset=utf-8", b"")

    def view(self, parameters: dict[str, list[str]]) -> None:
        given = {field: values if field == "relations" else values[0]
                 for name, field in VIEW_PARAMETERS.items() if (values := parameters.get(name))}
        try:
            options = view.ViewOptions(**given)
        except ValidationError as error:
            problem = error.errors()[0]
            name = next(n for n, f in VIEW_PARAMETERS.items() if f == problem["loc"][0])
            raise HttpError(400, f"{name}: {problem['msg']} (got {problem['input']!r})") from error
        try:
            page = view.page(self.server.store(), options)
        except LookupError as error:
            raise HttpError(404, str(error)) from error
        except ValueError as error:  # hops < 0, an unknown relation
            raise HttpError(400, str(error)) from error
        self.send_bytes(200, "text/html; charset=utf-8", page.encode())

    def refuse_another_sites_name(self) -> None:
        """DNS rebinding: a page whose site name its owner re-points at 127.0.0.1 is same-origin for
        the browser, so it could read every answer; its requests carry that name as Host."""
        if not self.server.is_local:
            return
        host = urlsplit(f"//{self.headers.get('Host', '')}").hostname  # absent: not a browser
        if host and not is_loopback(host):
            raise HttpError(403, f"Host {host}: this server answers only to a loopback name, as localhost")

    # reading

    def merged_parameters(self, url_parameters: dict[str, list[str]], direct_type: str, name: str):
        """The URL's parameters plus the body's: a form's fields, or the operation itself."""
        if self.command == "GET":
            return url_parameters
        content_type = self.headers.get_content_type()
        body = self.read_body()
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            return {k: url_parameters.get(k, []) + form.get(k, []) for k in {*url_parameters, *form}}
        if content_type == direct_type:
            return url_parameters | {name: [*url_parameters.get(name, []), body]}
        raise HttpError(415, f"unsupported content type {content_type} "
                             f"(use application/x-www-form-urlencoded or {direct_type})")

    def read_body(self) -> str:
        given = self.headers.get("Content-Length", "0")
        if not re.fullmatch("[0-9]+", given):  # a negative length would read until the client hangs up, unbounded
            raise HttpError(400, f"bad Content-Length {given!r}")
        length = int(given)
        if length > MAX_BODY:
            raise HttpError(413, f"request body of {length} bytes is over the limit of {MAX_BODY}")
        try:
            return self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError as error:
            raise HttpError(400, f"request body is not UTF-8: {error}") from error

    # writing

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status = code
        super().send_response(code, message)

    def send_bytes(self, status: int, content_type: str, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": content_type, "Content-Length": str(len(data)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.close_connection = True  # the request body may be unread, or a streamed answer cut short
        if self.status:  # the answer had started streaming: all we can do is cut it off
            return
        self.send_bytes(status, "text/plain; charset=utf-8", f"{message}\n".encode(),
                        {**(headers or {}), "Connection": "close"})

    def log_request(self, code="-", size="-") -> None:
        pass  # dispatch logs one line per request, with its time

    def log_message(self, format: str, *args) -> None:
        self.log(format % args)

    def log(self, line: str) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {line}\n")


def single(parameters: dict[str, list[str]], name: str) -> str:
    values = parameters.get(name, [])
    if len(values) != 1 or not values[0].strip():
        got = "an empty one" if len(values) == 1 else len(values)
        raise HttpError(400, f"give exactly one non-empty {name} parameter (got {got})")
    return values[0]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")


def may_name_service(sparql: str) -> bool:
    """Whether the query may hold the SERVICE keyword (SPARQL's \\u escapes undone first). A string or
    an IRI holding the word counts too: refusing a rare harmless query is safer than a lexer that
    must agree with Oxigraph's on every input."""
    unescaped = CODEPOINT_ESCAPE.sub(lambda m: chr(min(int(m[1] or m[2], 16), sys.maxunicode)), sparql)
    return "service" in unescaped.lower() and SERVICE_KEYWORD.search(unescaped) is not None  # the first: 10x faster


def with_charset(media_type: str) -> str:
    """Every format we write is UTF-8; saying so lets a browser show Chinese CSV right."""
    return media_type if "charset=" in media_type else f"{media_type}; charset=utf-8"


def dataset(parameters: dict[str, list[str]]) -> dict:
    """The protocol's RDF dataset: given either graph parameter, it replaces the store's (and FROM)."""
    default, named = parameters.get("default-graph-uri", []), parameters.get("named-graph-uri", [])
    if not default and not named:
        return {}
    try:
        return {"default_graph": [ox.NamedNode(iri) for iri in default],
                "named_graphs": [ox.NamedNode(iri) for iri in named]}
    except ValueError as error:
        raise HttpError(400, f"bad graph IRI: {one_line(str(error))}") from error


class ChunkedBody:
    """A file-like answer body: the first FIRST_CHUNK bytes are held so that a failure while they
    are produced still becomes an error status; past that, headers go out and chunks stream.
    The format was negotiated, so a cache must key the answer on Accept too (Vary)."""

    def __init__(self, handler: Handler, content_type: str):
        self.handler = handler
        self.content_type = content_type
        self.held = bytearray()
        self.streaming = False

    def __enter__(self) -> "ChunkedBody":
        return self

    def write(self, data: bytes) -> int:
        if self.streaming:
            self.send_chunk(data)
        else:
            self.held += data
            if len(self.held) > FIRST_CHUNK:
                self.start_streaming()
        return len(data)

    def flush(self) -> None:
        pass  # chunks already go out as they are written

    def start_streaming(self) -> None:
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", self.content_type)
        self.handler.send_header("Vary", "Accept")
        self.handler.send_header("Transfer-Encoding", "chunked")
        self.handler.end_headers()
        self.streaming = True
        self.send_chunk(bytes(self.held))

    def send_chunk(self, data: bytes) -> None:
        if data:
            self.handler.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is not None:
            return  # the handler answers with an error status, or cuts a started stream off
        if self.streaming:
            self.handler.wfile.write(b"0\r\n\r\n")
        else:
            self.handler.send_bytes(200, self.content_type, bytes(self.held), {"Vary": "Accept"})


# ── the server ───────────────────────────────────────────────────────────────

class Server(ThreadingHTTPServer):
    daemon_threads = True  # Ctrl-C does not wait for a long query to finish

    def __init__(self, address: tuple[str, int], store: Callable[[], ox.Store], writable: bool, quiet: bool,
                 allow_service: bool):
        super().__init__(address, Handler)
        self.store = store
        self.writable = writable
        self.quiet = quiet
        self.allow_service = allow_service
        self.is_local = is_loopback(address[0])

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is not our error
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def make_server(out_dir: Path, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
                quiet: bool = False, allow_service: bool = False) -> Server:
    """A server over ``out_dir``'s store, listening (port 0: a free one) but not yet serving."""
    return Server((host, port), open_store(out_dir, writable), writable, quiet, allow_service)


def index_page(writable: bool) -> str:
    example = html.escape("SELECT ?company ?label WHERE {\n  ?company a nkg:Company ; rdfs:label ?label\n} LIMIT 20")
    prefixes = html.escape(" ".join(sorted(PREFIXES)))
    mode = "writable (POST /update applies updates)" if writable else "read-only"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>kg serve</title></head>
<body style="font-family: sans-serif; max-width: 50em; margin: 1em auto">
<h1>News knowledge graph</h1>
<ul>
<li><a href="view">The graph viewer</a> (<code>/view?focus=Microsoft&amp;hops=1&amp;since=2025-01-01&amp;relation=…</code>)</li>
<li><a href="queries">Saved queries</a> (<code>/queries/analysts-of?company=Microsoft</code>)</li>
<li>SPARQL 1.1 endpoint: <code>/sparql</code> (GET or POST; JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD,
RDF/XML), {mode}</li>
</ul>
<form action="sparql" method="get">
<p>Prefixes predeclared: {prefixes}</p>
<textarea name="query" rows="8" cols="80">{example}</textarea><br>
<button type="submit">Run</button> (a browser asks for XML first: it gets SPARQL XML)
</form>
</body></html>
"""
