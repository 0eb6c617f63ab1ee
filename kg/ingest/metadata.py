"""Title, publication date and outlet read from the header lines of a scraped page's text."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.ingest.boilerplate import (
    MAX_TITLE_LENGTH,
    SENTENCE_END,
    find_body_start,
    is_boilerplate,
    is_metadata_line,
    is_site_name_line,
)
from kg.ingest.dates import find_date, is_date_only
from kg.ingest.language import HAN_CHAR

MIN_TITLE_LENGTH = 4
# Latin-only headlines have a few words; one or two words are navigation labels ("Home", "Tech News").
MIN_LATIN_TITLE_WORDS = 3
# The outlet is the value after a source label, up to a space or a bar: "來源:網易" → "網易".
OUTLET = re.compile(r"(?:来源|來源|出处|出處|Source)\s*[:：]\s*(?P<outlet>[^\s|｜]+)", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderMetadata:
    title: str | None
    published: dt.date | None
    outlet: str | None


def extract_metadata(text: str) -> HeaderMetadata:
    """Metadata from the lines before the body; date and outlet may also come from later metadata lines."""
    lines = [line.strip() for line in text.splitlines()]
    header = lines[: find_body_start(lines)]
    metadata_lines = header + [line for line in lines[len(header):] if is_metadata_line(line)]
    return HeaderMetadata(
        title=next((line for line in header if is_title_line(line)), None),
        published=_first(find_date, header) or _first(find_date, metadata_lines),
        outlet=_first(_outlet, metadata_lines),
    )


def is_title_line(line: str) -> bool:
    """A headline: not chrome, a date or a site name; short; not ending like a sentence."""
    if not MIN_TITLE_LENGTH <= len(line) <= MAX_TITLE_LENGTH or SENTENCE_END.search(line):
        return False
    if not HAN_CHAR.search(line) and len(line.split()) < MIN_LATIN_TITLE_WORDS:
        return False
    return not (is_boilerplate(line, in_header=True) or is_date_only(line) or is_site_name_line(line))


def _outlet(line: str) -> str | None:
    match = OUTLET.search(line)
    return match.group("outlet") if match else None


def _first(extract, lines: list[str]):
    """The first non-empty result of ``extract`` over ``lines``."""
    return next((value for value in map(extract, lines) if value), None)
