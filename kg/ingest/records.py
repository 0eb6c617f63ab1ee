"""JSON Lines input: one record per line, {"id", "text"[, "title", "date", "url", "lang"]}."""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator

from kg.ingest.assemble import Draft
from kg.ingest.dates import find_date
from kg.ingest.decoding import DecodeError, decode_text
from kg.models import IngestError

REQUIRED_FIELDS = ("id", "text")
MAX_RECORD_BYTES = 20_000_000


class BadRecord(ValueError):
    """A JSONL line that cannot become a draft; the message says why."""


def record_drafts(path: str, lines: Iterable[bytes]) -> Iterator[Draft | IngestError]:
    """A draft per record line; a bad line yields an IngestError naming ``path:LINE`` and reading goes on."""
    seen_any = False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        seen_any = True
        source = f"{path}:{number}"
        try:
            if len(raw) > MAX_RECORD_BYTES:
                raise BadRecord(f"record too large ({len(raw) / 1e6:.0f} MB; the limit is "
                                f"{MAX_RECORD_BYTES / 1e6:.0f} MB)")
            yield record_draft(source, decode_text(raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw))
        except (BadRecord, DecodeError) as error:
            yield IngestError(source=source, message=str(error))
    if not seen_any:
        raise DecodeError("empty file")


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
