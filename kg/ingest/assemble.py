"""Turning a format-specific draft (raw text plus whatever metadata the format carried) into an Article."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from kg.ingest.boilerplate import clean_text, find_body_start
from kg.ingest.language import UnsupportedLanguage, detect
from kg.ingest.metadata import extract_metadata
from kg.models import Article, IngestError

CONTENT_ID_PREFIX = "sha256:"
CONTENT_ID_HEX_CHARS = 16


@dataclass(frozen=True)
class Draft:
    """One document as a reader found it: uncleaned text and the metadata its format supplied."""

    source: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    record_id: str | None = None
    language_hint: str | None = None


def to_article(draft: Draft) -> Article | IngestError:
    """Clean the draft's text, fill metadata gaps from its header lines, detect language and script."""
    text = clean_text(draft.text)
    if not text:
        return IngestError(source=draft.source, message="no article text left after removing boilerplate")
    header = extract_metadata(draft.text)
    title = draft.title or header.title
    text = start_at_headline(text, title)
    try:
        detected = detect(text, draft.language_hint)
    except UnsupportedLanguage as error:
        return IngestError(source=draft.source, message=str(error))
    return Article(
        id=draft.record_id or draft.url or content_id(text),
        source=draft.source,
        url=draft.url,
        title=title,
        published=draft.published or header.published,
        outlet=draft.outlet or header.outlet,
        language=detected.language,
        script=detected.script,
        text=text,
    )


def start_at_headline(text: str, title: str | None) -> str:
    """Drop header lines above the headline (stray navigation labels); the headline itself stays."""
    lines = text.split("\n")
    header = lines[: find_body_start(lines)]
    if title not in header:
        return text
    return "\n".join(lines[header.index(title):])


def content_id(text: str) -> str:
    """A stable id for content without one: re-ingesting the same text gives the same id."""
    return CONTENT_ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:CONTENT_ID_HEX_CHARS]
