"""Saved analyst queries: the ``.rq`` files of ``kg/queries/``, listed and run with parameters.

Each file is plain SPARQL that any SPARQL tool runs as it is. Its leading comments are its
header: the first line a title, the next lines a description, then one line per parameter:

    # @param company entity  The company: a name in any language, org:… or an IRI.

A parameter is a variable of the query (``?company``), projected by its SELECT. Its default, if
it has one, is written in the query as ``OPTIONAL { BIND(org:microsoft AS ?company) }``; one
without a default leaves the variable free, so it matches everything. A value given at run time
becomes an RDF term bound to the variable through Oxigraph's substitutions (SEP-0007), never
text pasted into the query: a value full of SPARQL syntax is only an odd name or string.

Writing one: Oxigraph refuses to substitute a variable its SELECT does not project, and (0.5.13)
reads ``BOUND(?since)`` as false when no pattern binds ``?since``, substituted or not; so a filter
on a parameter without a default is written ``FILTER(COALESCE(?date >= ?since, true))``.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from pydantic import BaseModel

from kg import query
from kg.store import find_entity
from kg.vocab import NKG, XSD

QUERY_DIR = Path(__file__).resolve().parent / "queries"

Kind = Literal["entity", "date", "status", "integer", "string"]
STATUSES = ("reported", "rumoured", "denied", "planned", "predicted")

PARAM_LINE = re.compile(r"@param\s+(?P<name>[A-Za-z_]\w*)\s+(?P<kind>\w+)\s+(?P<help>.+)")


class Param(BaseModel):
    name: str
    kind: Kind
    help: str
    default: str | None = None  # as written in the query; None: the variable stays free


class SavedQuery(BaseModel):
    name: str
    title: str
    description: str
    params: list[Param]
    text: str


def parse(name: str, text: str) -> SavedQuery:
    """A saved query from its file text; a malformed header is a ValueError naming the file."""
    header = [line[1:].strip() for line in text.splitlines()[: _header_length(text)]]
    if not header or not header[0]:
        raise ValueError(f"{name}.rq: the first line must be a '# title' comment")
    params, description = [], []
    for line in header[1:]:
        if not line.startswith("@param"):
            description.append(line)
            continue
        match = PARAM_LINE.fullmatch(line)
        if not match or match["kind"] not in Kind.__args__:
            raise ValueError(f"{name}.rq: expected '@param NAME KIND HELP' with KIND one of "
                             f"{', '.join(Kind.__args__)}, got {line!r}")
        params.append(Param(**match.groupdict(), default=_default(text, match["name"])))
    return SavedQuery(name=name, title=header[0], description=" ".join(description), params=params, text=text)


def _header_length(text: str) -> int:
    lines = text.splitlines()
    return next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))


def _default(text: str, variable: str) -> str | None:
    match = re.search(r"OPTIONAL\s*\{\s*BIND\s*\((.+?)\s+AS\s+\?" + variable + r"\s*\)\s*\}", text)
    return match[1] if match else None


class UnknownQuery(ValueError):
    """No saved query has this name."""


@cache
def saved_queries() -> tuple[SavedQuery, ...]:
    """Every saved query, by name (the files ship with the package: read once per process)."""
    return tuple(parse(path.stem, path.read_text(encoding="utf-8")) for path in sorted(QUERY_DIR.glob("*.rq")))


def saved_query(name: str) -> SavedQuery:
    by_name = {q.name: q for q in saved_queries()}
    if name not in by_name:
        close = difflib.get_close_matches(name, list(by_name), n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else "kg query --list shows them"
        raise UnknownQuery(f"{name}: no such saved query ({hint})")
    return by_name[name]


def run_saved(db: ox.Store, name: str, params: dict[str, str]) -> query.QueryResult:
    """Run a saved query over a store, its parameters given as text (``{"company": "微软"}``)."""
    return query.run(db, *prepare(db, name, params))


def prepare(db: ox.Store, name: str, params: dict[str, str]) -> tuple[str, dict[ox.Variable, ox.NamedNode | ox.Literal]]:
    """A saved query's text and the terms its parameters stand for, ready for ``Store.query``."""
    saved = saved_query(name)
    declared = {p.name: p for p in saved.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise ValueError(f"{name}: no parameter {', '.join(unknown)} (its parameters: {known})")
    return saved.text, {ox.Variable(key): term(db, declared[key], value) for key, value in params.items()}


def term(db: ox.Store, param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter's text stands for; a value that does not fit its kind is a ValueError."""
    given = f"{param.name}={value}"
    if param.kind == "entity":
        try:
            return ox.NamedNode(find_entity(db, value))
        except LookupError as error:
            raise ValueError(f"{given}: {str(error).removeprefix(f'{value}: ')}") from error
    if param.kind == "date":
        if not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _is_date(value)):
            raise ValueError(f"{given}: expected a date YYYY-MM-DD")
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.date)))
    if param.kind == "status":
        if value.lower() not in STATUSES:
            raise ValueError(f"{given}: expected one of {', '.join(STATUSES)}")
        return ox.NamedNode(str(NKG[value.capitalize()]))
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise ValueError(f"{given}: expected a whole number")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
    return ox.Literal(value)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def format_list(queries: Iterable[SavedQuery]) -> str:
    """What ``kg query --list`` prints: each query's name and title, then its parameters."""
    lines = []
    for saved in queries:
        lines.append(f"{saved.name}  {saved.title}")
        for p in saved.params:
            default = f"default {p.default}" if p.default else "optional"
            lines.append(f"    --param {p.name}=…  {p.kind}, {default}: {p.help}")
    return "\n".join(lines)
