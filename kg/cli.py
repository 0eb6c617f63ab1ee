"""The command line: a thin layer over the pipeline, the graph and the query modules."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from kg.models import Extraction, IngestError

DEFAULT_OUT = Path("outputs")


@click.group()
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph from tech and business news (English and Chinese)."""


def _merges_option(function):
    return click.option("--merges", "merges_path", type=click.Path(path_type=Path), default=None,
                        help="The merge/split decisions file [default: OUT/merges.txt].")(function)


def _out_option(function):
    return click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                        show_default=True, help="The output folder, which holds the store.")(function)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for the store (store/), graph.ttl, graph.trig and graph.html.")
@_merges_option
@click.option("--no-html", is_flag=True, help="Skip the interactive graph view.")
@click.option("--no-export", is_flag=True, help="Only update the store (exporting a large store takes a while).")
@click.option("--allow-private-urls", is_flag=True, help="Fetch URLs on loopback or private networks too.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object at the end (counts, errors, outputs).")
def build(inputs: tuple[str, ...], out_dir: Path, merges_path: Path | None, no_html: bool, no_export: bool,
          allow_private_urls: bool, quiet: bool, as_json: bool) -> None:
    """Add articles (files, folders, URLs, feeds, JSONL) to the store and export the graph.
    A progress bar shows on stderr when it is a terminal."""
    from kg import pipeline
    from kg.console import BuildProgress, shown_on
    from kg.ingest import document_count
    from kg.store import STORE_DIR, Store

    started = time.perf_counter()
    try:
        store = Store(out_dir / STORE_DIR, _merges(out_dir, merges_path))
    except OSError as error:  # RocksDB's lock: another build, or `kg serve --writable`, holds the store
        raise click.ClickException(f"{out_dir / STORE_DIR}: cannot open the store for writing ({error}); "
                                   "is another `kg build` or a `kg serve --writable` using it?") from error
    counts = BuildCounts()
    shown = shown_on(quiet, as_json)
    with BuildProgress(document_count(inputs) if shown else None, shown) as progress:
        for result in pipeline.run(inputs, allow_private_urls=allow_private_urls):
            if isinstance(result, IngestError):
                progress.error(f"error: {result}")
                counts.errors.append({"input": result.source, "message": result.message})
            else:
                counts.add(result, store.add(result))
            progress.advance(result.source if isinstance(result, IngestError) else result.article.source,
                             isinstance(result, IngestError))
    paths = {"store": out_dir / STORE_DIR}
    if counts.articles:
        store.flush()
        if not no_export:
            paths |= _write_files(store.db, out_dir, html=not no_html)
    summary = counts.summary(paths if counts.articles else {}, time.perf_counter() - started)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    if not counts.articles:
        if as_json:
            sys.exit(1)
        raise click.ClickException("nothing could be built from the inputs")
    if not (quiet or as_json):
        skipped = f" ({len(counts.errors)} skipped, see errors above)" if counts.errors else ""
        click.echo(f"{counts.articles} articles ({counts.changed} new or changed){skipped}, {summary['entities']} "
                   f"entities, {summary['relations']} relations, {summary['events']} events in "
                   f"{summary['seconds']:.1f} s → " + ", ".join(summary["outputs"].values()))


def _write_files(db, out_dir: Path, html: bool) -> dict[str, Path]:
    """graph.ttl, graph.trig and graph.html beside the store."""
    from kg import export

    try:
        paths = export.build_files(db, out_dir)
        if html:
            from kg import view

            paths["html"] = view.render(db, out_dir / "graph.html")
    except OSError as error:
        raise click.ClickException(f"{out_dir}: cannot write the graph files ({error}); the store is updated, "
                                   "so `kg export` can write them once the problem is fixed") from error
    return paths


class BuildCounts:
    """What a build did, gathered article by article (the articles themselves are not kept)."""

    def __init__(self):
        self.articles, self.changed, self.errors = 0, 0, []
        self.entities, self.relations, self.events = set(), set(), set()

    def add(self, x: Extraction, changed: bool) -> None:
        self.articles += 1
        self.changed += changed
        self.entities |= {e.iri for e in x.entities}
        self.relations |= {(r.subject, r.predicate, r.object) for r in x.relations}
        self.events |= {e.iri for e in x.events}

    def summary(self, outputs: dict[str, Path], seconds: float) -> dict:
        """The --json object."""
        return {"articles": self.articles, "new_or_changed": self.changed, "entities": len(self.entities),
                "relations": len(self.relations), "events": len(self.events), "errors": self.errors,
                "outputs": {name: str(path) for name, path in outputs.items()}, "seconds": round(seconds, 2)}


def _merges(out_dir: Path, merges_path: Path | None):
    from kg.store import Merges

    try:
        return Merges.read(merges_path or out_dir / "merges.txt")
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@main.command(name="export")
@click.option("-s", "--store", "store_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="The output folder whose store to export.")
@click.option("--format", "fmt", required=True, type=click.Choice(["ttl", "nt", "trig", "nq", "jsonld", "graphml", "csv"]),
              help="ttl, nt: the merged facts; trig, nq, jsonld: every graph with provenance; graphml: for "
                   "Gephi and Cytoscape; csv: an edge list for spreadsheets.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (atomically) [default: stdout].")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def export_command(store_dir: Path, fmt: str, output: Path | None, quiet: bool) -> None:
    """Stream the store in one format to a file or stdout (the store's bookkeeping graph never)."""
    from kg.export import export

    started, db = time.perf_counter(), _read_only_store(store_dir)
    if output is None:
        export(db, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        export(db, fmt, output)
    except OSError as error:
        raise click.ClickException(f"{output}: {error.strerror or error}") from error
    if not quiet:
        click.echo(f"{fmt} → {output} ({output.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f} s",
                   err=True)


@main.command(name="validate")
@click.argument("graph_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-s", "--store", "store_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="The output folder whose store to check (unless GRAPH_FILE is given).")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
@click.option("-q", "--quiet", is_flag=True, help="Print only violations; the exit status says whether it conforms.")
def validate_command(graph_file: Path | None, store_dir: Path, as_json: bool, quiet: bool) -> None:
    """Check the built graph (the store, or a .trig/.nq/.ttl/… GRAPH_FILE) against the SHACL shapes of
    ontologies/shapes.ttl; exit 1 when it does not conform, 2 when it cannot be read."""
    from kg import query as q
    from kg import validate

    try:
        db = q.load(graph_file) if graph_file else _read_only_store(store_dir)
    except (ValueError, click.ClickException) as error:
        raise NotValidated(str(error)) from error
    report = validate.validate(db)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    elif not (quiet and report.conforms):
        click.echo(validate.format_report(report))
    sys.exit(0 if report.conforms else 1)


class NotValidated(click.ClickException):
    """The graph could not be read: exit 2, as for a missing GRAPH_FILE, since 1 means "does not conform"."""

    exit_code = 2


@main.command()
@click.argument("entity")
@_out_option
def explain(entity: str, out_dir: Path) -> None:
    """How ENTITY (an IRI, org:… / person:…, or a name) came to be one node: every surface
    form resolved to it, by which rule and score, and the nodes merged into it."""
    from kg.store import explain as explain_entity

    try:
        click.echo(explain_entity(_read_only_store(out_dir), entity))
    except LookupError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.argument("a")
@click.argument("b")
@_out_option
@_merges_option
def merge(a: str, b: str, out_dir: Path, merges_path: Path | None) -> None:
    """Force B to be the same node as A from the next build on."""
    _record("merge", a, b, out_dir, merges_path)


@main.command()
@click.argument("a")
@click.argument("b")
@_out_option
@_merges_option
def split(a: str, b: str, out_dir: Path, merges_path: Path | None) -> None:
    """Keep A and B apart from the next build on (undoes a merge of the two)."""
    _record("split", a, b, out_dir, merges_path)


def _record(verb: str, a: str, b: str, out_dir: Path, merges_path: Path | None) -> None:
    from kg.store import expand, record

    path, a, b = merges_path or out_dir / "merges.txt", expand(a), expand(b)
    record(path, verb, a, b)
    click.echo(f"{verb} {a} {b} → {path} (the next `kg build` applies it)")


def _read_only_store(out_dir: Path):
    import pyoxigraph as ox

    from kg.store import STORE_DIR

    path = out_dir / STORE_DIR
    if not path.exists():
        raise click.ClickException(f"{path}: no store (run `kg build` first)")
    return ox.Store.read_only(str(path))


@main.command()
@click.option("-s", "--store", "store_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="The output folder whose store to view.")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The page to write [default: STORE/graph.html, or STORE/view.html with any filter].")
@click.option("--focus", help="Only this entity's neighbourhood (an IRI, org:… or a name in any language).")
@click.option("--hops", type=click.IntRange(min=0), default=None, help="With --focus: how far out [default: 2].")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only relations and events with evidence from this date (YYYY-MM-DD) on.")
@click.option("--relation", "relations", multiple=True, help="Only this relation (analystOf); repeatable.")
@click.option("--physics", is_flag=True, help="Let vis-network's physics move the nodes (slow on big graphs).")
@click.option("--title", default="News knowledge graph", show_default=True)
def view(store_dir: Path, out_path: Path | None, focus: str | None, hops: int | None, since,
         relations: tuple[str, ...], physics: bool, title: str) -> None:
    """Write an interactive, offline HTML view of the store: the whole graph or a filtered part."""
    from kg import view as viewer

    if hops is not None and focus is None:
        raise click.UsageError("--hops counts from a --focus entity: give one")
    given_hops = {} if hops is None else {"hops": hops}  # ViewOptions holds the default
    options = viewer.ViewOptions(focus=focus, **given_hops, since=since.date() if since else None,
                                 relations=list(relations), physics=physics, title=title)
    filtered = focus is not None or since is not None or bool(relations)
    out_path = out_path or store_dir / ("view.html" if filtered else "graph.html")
    try:
        click.echo(viewer.render(_read_only_store(store_dir), out_path, options))
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from error


@main.command(name="extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--allow-private-urls", is_flag=True, help="Fetch URLs on loopback or private networks too.")
def extract_command(inputs: tuple[str, ...], fmt: str, allow_private_urls: bool) -> None:
    """One JSON object per document on stdout, in input order (schema in README)."""
    from kg import pipeline

    extracted = 0
    for result in pipeline.run(inputs, allow_private_urls=allow_private_urls):
        if isinstance(result, IngestError):
            click.echo(f"error: {result}", err=True)
            click.echo(json.dumps({"id": result.source, "error": result.message}, ensure_ascii=False))
        else:
            extracted += 1
            click.echo(json.dumps(extraction_record(result), ensure_ascii=False))
    if not extracted:
        sys.exit(1)  # as build: non-zero only when nothing could be read


def extraction_record(x: Extraction) -> dict:
    article = x.article
    mentions: dict[str, list[dict]] = {}
    for m in x.mentions:
        mentions.setdefault(m.entity, []).append({"text": m.text, "start": m.start, "end": m.end, "rule": m.rule})
    return {
        "id": article.id, "source": article.source, "url": article.url, "title": article.title,
        "published": article.published.isoformat() if article.published else None, "outlet": article.outlet,
        "language": article.language, "script": article.script,
        "entities": [{"iri": e.iri, "label": _label(e.labels), "type": e.type, "labels": e.labels,
                      "resolution": e.resolution, "mentions": mentions.get(e.iri, [])} for e in x.entities],
        "relations": [{"subject": r.subject, "predicate": r.predicate, "object": r.object,
                       "confidence": r.confidence, "pattern": r.pattern, "status": r.status,
                       "asserted_by": r.asserted_by, "evidence": r.evidence.model_dump(exclude={"article"})} for r in x.relations],
        "events": [{"iri": e.iri, "type": e.type, "participants": e.participants,
                    "amount": e.amount.model_dump() if e.amount else None, "percent": e.percent,
                    "date": e.date.isoformat() if e.date else None, "confidence": e.confidence,
                    "status": e.status, "asserted_by": e.asserted_by, "evidence": e.evidence.model_dump(exclude={"article"})} for e in x.events],
    }


def _label(labels: dict[str, list[str]]) -> str:
    for lang in ("en", "zh-Hans", "zh-Hant"):
        if labels.get(lang):
            return labels[lang][0]
    return next(iter(labels.values()))[0]


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, path_type=Path), help="Read the query from a file.")
@click.option("--saved", "saved_name", metavar="NAME", help="Run a saved query (see --list).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the saved query; repeat for several.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and their parameters.")
@click.option("-g", "--graph", "graph_path", type=click.Path(path_type=Path), default=None,
              help="A graph file to query instead of the store.")
@click.option("-s", "--store", "store_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="The output folder whose store to query (falls back to its graph.trig).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def query(sparql: str | None, query_file: Path | None, saved_name: str | None, params: tuple[str, ...],
          list_saved: bool, graph_path: Path | None, store_dir: Path, fmt: str) -> None:
    """Run a SPARQL query over the store (the merged default graph, article named graphs,
    the merge log) or over a graph file; or a saved analyst query with --saved NAME."""
    from kg import query as q
    from kg import saved

    if list_saved:
        click.echo(saved.format_list(saved.saved_queries()))
        return
    if query_file:
        sparql = query_file.read_text(encoding="utf-8")
    if bool(sparql) == bool(saved_name):
        raise click.UsageError("give a SPARQL query, -f FILE or --saved NAME (one of them)")
    if params and not saved_name:
        raise click.UsageError("--param goes with --saved NAME")
    try:
        source = _query_source(graph_path, store_dir)
        if saved_name:
            result = saved.run_saved(source, saved_name, _parameters(params))
        else:
            result = q.run(source, sparql)
        click.echo(q.format_result(result, fmt))
    except ValueError as error:
        raise click.ClickException(str(error)) from error


def _parameters(pairs: tuple[str, ...]) -> dict[str, str]:
    """NAME=VALUE pairs as a dict; the value may hold '=' itself."""
    parameters = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise click.ClickException(f"--param {pair!r}: expected NAME=VALUE")
        parameters[name.strip()] = value
    return parameters


def _query_source(graph_path: Path | None, store_dir: Path):
    """The store of the output folder, or the graph file (by default its graph.trig) loaded in memory."""
    from kg import query as q
    from kg.store import STORE_DIR

    if graph_path is None and (store_dir / STORE_DIR).exists():
        return _read_only_store(store_dir)
    graph_path = graph_path or store_dir / "graph.trig"
    if not graph_path.exists():
        raise click.ClickException(f"{graph_path}: no built graph (run `kg build` first)")
    return q.load(graph_path)


@main.command(name="eval")
@click.argument("gold", required=False, type=click.Path(exists=True, path_type=Path))
@click.argument("graphs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--finre", "finre_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Instead: extract from every sentence of a FinRE file and score its relations.")
@click.option("--limit", type=click.IntRange(min=1), help="With --finre: only the first N instances.")
@click.option("--gold-entities", is_flag=True,
              help="With --finre: hand the annotated entities to relation extraction (measures it alone).")
@click.option("--conll04", "conll04", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Instead: extract from a CoNLL04 JSON file (SpERT format) and score its relations.")
def eval_command(gold: Path | None, graphs: tuple[Path, ...], as_json: bool, finre_file: Path | None,
                 limit: int | None, gold_entities: bool, conll04: Path | None) -> None:
    """Score built graphs against a gold annotation (rules at the top of the gold file);
    or, with --finre FILE or --conll04 FILE, end-to-end relation extraction on that corpus."""
    if finre_file is not None:
        _eval_finre(finre_file, limit, gold_entities)
        return
    if conll04 is not None:
        from kg import evaluate_conll04

        result = evaluate_conll04.score(conll04)
        click.echo(json.dumps(result, indent=1) if as_json else evaluate_conll04.format_score(result))
        return
    if gold is None or not graphs:
        raise click.UsageError("give GOLD and GRAPH..., or --finre FILE, or --conll04 FILE")
    from kg import evaluate

    result = evaluate.score(gold, list(graphs))
    click.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else evaluate.format_score(result))


def _eval_finre(path: Path, limit: int | None, gold_entities: bool) -> None:
    from kg import evaluate_finre

    try:
        instances = evaluate_finre.read_finre(path, limit)
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from error
    extractor = evaluate_finre.extract_with_gold_entities if gold_entities else evaluate_finre.extract_sentence
    for line in evaluate_finre.report(evaluate_finre.evaluate(instances, extractor)):
        click.echo(line)


@main.command()
@click.option("-s", "--store", "store_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="The output folder whose store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every interface, reachable from the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0: a free port.")
@click.option("--writable", is_flag=True,
              help="Apply SPARQL updates (POST /update); the server then holds the store, so `kg build` must wait.")
@click.option("--allow-service", is_flag=True,
              help="Run queries with SERVICE: the server then fetches any URL a query names, for any web page that asks.")
@click.option("--quiet", is_flag=True, help="No request log on stderr.")
def serve(store_dir: Path, host: str, port: int, writable: bool, allow_service: bool, quiet: bool) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (/sparql, /update) with the graph viewer (/view)."""
    from kg.serve import make_server

    try:
        server = make_server(store_dir, host, port, writable, quiet, allow_service)
    except OSError as error:
        raise click.ClickException(f"{host}:{port}: {error}" if error.errno else str(error)) from error
    mode = "writable" if writable else "read-only"
    click.echo(f"serving {store_dir / 'store'} ({mode}) at {server.url} — SPARQL at {server.url}sparql; Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
