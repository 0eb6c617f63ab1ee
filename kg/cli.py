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


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for graph.ttl, graph.trig and graph.html.")
@click.option("--no-html", is_flag=True, help="Skip the interactive graph view.")
@click.option("--allow-private-urls", is_flag=True, help="Fetch URLs on loopback or private networks too.")
def build(inputs: tuple[str, ...], out_dir: Path, no_html: bool, allow_private_urls: bool) -> None:
    """Build the graph from files, folders, URLs, feeds or JSONL."""
    from kg import graph, pipeline

    started = time.perf_counter()
    dataset = graph.new_dataset()
    built, failed = [], 0
    for result in pipeline.run(inputs, allow_private_urls=allow_private_urls):
        if isinstance(result, IngestError):
            click.echo(f"error: {result}", err=True)
            failed += 1
            continue
        graph.add(dataset, result)
        built.append(result)
    if not built:
        raise click.ClickException("nothing could be built from the inputs")
    paths = graph.write(dataset, out_dir)
    if not no_html:
        from kg import view

        paths["html"] = view.render(dataset, out_dir / "graph.html")
    entities = {e.iri for x in built for e in x.entities}
    relations = {(r.subject, r.predicate, r.object) for x in built for r in x.relations}
    events = {e.iri for x in built for e in x.events}
    skipped = f" ({failed} skipped, see errors above)" if failed else ""
    click.echo(f"{len(built)} articles{skipped}, {len(entities)} entities, {len(relations)} relations, "
               f"{len(events)} events in {time.perf_counter() - started:.1f} s → "
               + ", ".join(str(p) for p in paths.values()))


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
                       "confidence": r.confidence, "pattern": r.pattern,
                       "evidence": r.evidence.model_dump(exclude={"article"})} for r in x.relations],
        "events": [{"iri": e.iri, "type": e.type, "participants": e.participants,
                    "amount": e.amount.model_dump() if e.amount else None, "percent": e.percent,
                    "date": e.date.isoformat() if e.date else None, "confidence": e.confidence,
                    "evidence": e.evidence.model_dump(exclude={"article"})} for e in x.events],
    }


def _label(labels: dict[str, list[str]]) -> str:
    for lang in ("en", "zh-Hans", "zh-Hant"):
        if labels.get(lang):
            return labels[lang][0]
    return next(iter(labels.values()))[0]


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, path_type=Path), help="Read the query from a file.")
@click.option("-g", "--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_OUT / "graph.trig",
              show_default=True, help="The built graph to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def query(sparql: str | None, query_file: Path | None, graph_path: Path, fmt: str) -> None:
    """Run a SPARQL query over the built graph."""
    from kg import query as q

    if query_file:
        sparql = query_file.read_text(encoding="utf-8")
    if not sparql:
        raise click.UsageError("give a SPARQL query or -f FILE")
    if not graph_path.exists():
        raise click.ClickException(f"{graph_path}: no built graph (run `kg build` first)")
    try:
        click.echo(q.format_result(q.run(q.load(graph_path), sparql), fmt))
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@main.command(name="eval")
@click.argument("gold", required=False, type=click.Path(exists=True, path_type=Path))
@click.argument("graphs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--conll04", "conll04", type=click.Path(exists=True, path_type=Path),
              help="Instead: extract from a CoNLL04 JSON file (SpERT format) and score its relations.")
def eval_command(gold: Path | None, graphs: tuple[Path, ...], as_json: bool, conll04: Path | None) -> None:
    """Score built graphs against a gold annotation (rules at the top of the gold file)."""
    if conll04 is not None:
        from kg import evaluate_conll04

        result = evaluate_conll04.score(conll04)
        click.echo(json.dumps(result, indent=1) if as_json else evaluate_conll04.format_score(result))
        return
    if gold is None or not graphs:
        raise click.UsageError("give GOLD and GRAPH..., or --conll04 FILE")
    from kg import evaluate

    result = evaluate.score(gold, list(graphs))
    click.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else evaluate.format_score(result))
