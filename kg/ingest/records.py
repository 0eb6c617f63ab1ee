"""JSON Lines input: one record per line, {"id", "text"[, "title", "date", "url", "lang"]}."""
from __future__ import annotations

import json
from collections.abc import Iterator

from kg.ingest.assemble import Draft
from kg.ingest.dates import find_date
from kg.models import IngestError

REQUIRED_FIELDS = ("id", "text")


class BadRecord(ValueError):
    """A JSONL line that cannot become a draft; the message says why."""


def record_drafts(path: str, text: str) -> Iterator[Draft | IngestError]:
    """A draft per record line; a bad line yields an IngestError naming ``path:LINE`` and reading goes on."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            yield record_draft(source, line)
        except BadRecord as error:
            yield IngestError(source=source, message=str(error))


def record_draft(source: str, line: str) -> Draft:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadRecord(f"line is not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise BadRecord(f"line is a JSON {type(record).__name__}, not an object")
    for field in REQUIRED_FIELDS:
        if record.get(field) in (None, ""):
            raise BadRecord(f"record lacks {field!r}")
    if not isinstance(record["text"], str):
        raise BadRecord("record 'text' is not a string")
    return Draft(
        source=source,
        text=record["text"],
        title=_optional_string(record, "title"),
        published=find_date(_optional_string(record, "date") or ""),
        url=_optional_string(record, "url"),
        record_id=str(record["id"]),
        language_hint=_optional_string(record, "lang"),
    )


def _optional_string(record: dict, field: str) -> str | None:
    value = record.get(field)
    return (value.strip() or None) if isinstance(value, str) else None
