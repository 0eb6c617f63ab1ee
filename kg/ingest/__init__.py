"""The ingest stage: files, folders and URLs in; one ``Article`` or ``IngestError`` per document out.

Formats are chosen by extension: plain text (.txt .text .md), HTML (.html .htm .xhtml), JSON Lines
(.jsonl) and feeds (.rss .atom, or .xml whose root is rss/feed). Bad input never raises: it yields an
``IngestError`` naming the file (``file.jsonl:LINE`` for a JSONL line, ``feed.rss#N`` for a feed item).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from pathlib import Path

import trafilatura
from trafilatura.settings import DEFAULT_CONFIG

from kg.ingest.assemble import Draft, to_article
from kg.ingest.decoding import DecodeError, decode_markup, decode_text
from kg.ingest.feeds import NotAFeed, feed_drafts, is_feed, local_name, parse_xml
from kg.ingest.pages import NoArticleText, html_draft
from kg.ingest.records import record_drafts
from kg.models import Article, IngestError

__all__ = ["document_count", "read"]

# One article larger than this is not an article (a dump, a log, a hostile file).
MAX_DOCUMENT_BYTES = 20_000_000
URL_INPUT = re.compile(r"^https?://", re.IGNORECASE)
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl"}
FEED_SUFFIXES = {".rss", ".atom"}
XML_SUFFIXES = {".xml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | XML_SUFFIXES
# An .xml file with an <html> root is XHTML.
HTML_ROOT = "html"


def read(inputs: Iterable[str], *, allow_private_urls: bool = False) -> Iterator[Article | IngestError]:
    """Articles (or errors) from each input in turn: a file, a folder (recursed) or an http(s) URL.

    URLs on private or loopback addresses are refused unless ``allow_private_urls`` (trafilatura's
    SSRF protection: a list of URLs from elsewhere must not reach into the local network)."""
    for item in inputs:
        yield from _read_input(item, allow_private_urls)


def document_count(inputs: Iterable[str]) -> int | None:
    """How many results ``read`` will yield, when known without reading: one per URL (a page, even
    a feed's), file or missing path, one per supported file of a folder; None when a local JSONL
    file or feed (any number of documents) is among them."""
    total = 0
    for item in inputs:
        if URL_INPUT.match(item):
            total += 1
            continue
        path = Path(item)
        files = (_list_documents(path) or [path]) if path.is_dir() else [path]
        if any(f.suffix.lower() in JSONL_SUFFIXES | FEED_SUFFIXES | XML_SUFFIXES for f in files):
            return None
        total += len(files)
    return total


def _read_input(item: str, allow_private_urls: bool) -> Iterator[Article | IngestError]:
    if URL_INPUT.match(item):
        yield _read_url(item, allow_private_urls)
        return
    path = Path(item)
    if path.is_dir():
        yield from _read_folder(path)
    elif path.is_file():
        yield from _read_file(path)
    else:
        yield IngestError(source=item, message="file not found")


def _read_url(url: str, allow_private: bool) -> Article | IngestError:
    config = deepcopy(DEFAULT_CONFIG)
    config["DEFAULT"]["SSRF_PROTECTION"] = "off" if allow_private else "on"
    response = trafilatura.fetch_response(url, config=config, decode=True)
    if response is None:
        return IngestError(source=url, message="could not fetch URL (no connection, or a non-public address: "
                                               "see --allow-private-urls)")
    if response.status >= 400 or not response.html:
        return IngestError(source=url, message=f"could not fetch URL (HTTP {response.status})")
    html = response.html
    try:
        return to_article(html_draft(url, html, url=url))
    except NoArticleText as error:
        return IngestError(source=url, message=str(error))


def _read_folder(folder: Path) -> Iterator[Article | IngestError]:
    files = _list_documents(folder)
    if not files:
        yield IngestError(source=str(folder), message="folder holds no supported files")
    for path in files:
        yield from _read_file(path)


def _list_documents(folder: Path) -> list[Path]:
    """Supported files under ``folder``, sorted by path, skipping hidden files and folders."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _read_file(path: Path) -> Iterator[Article | IngestError]:
    source = str(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            drafts = record_drafts(source, _lines(path))  # streamed: a corpus file may be large
        elif path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise DecodeError(f"file too large for one article ({path.stat().st_size / 1e6:.0f} MB; "
                              f"the limit is {MAX_DOCUMENT_BYTES / 1e6:.0f} MB)")
        else:
            drafts = _drafts(source, path.suffix.lower(), path.read_bytes())
        for draft in drafts:
            yield to_article(draft) if isinstance(draft, Draft) else draft
    except OSError as error:
        yield IngestError(source=source, message=f"cannot read file ({error.strerror})")
    except (DecodeError, NotAFeed, NoArticleText) as error:
        yield IngestError(source=source, message=str(error))


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def _drafts(source: str, suffix: str, data: bytes) -> Iterator[Draft | IngestError]:
    """The drafts in one file's bytes, by format; raises for a file that is unusable as a whole."""
    if suffix in HTML_SUFFIXES:
        yield html_draft(source, decode_markup(data))
    elif suffix in FEED_SUFFIXES | XML_SUFFIXES:
        yield from _xml_drafts(source, data)
    else:
        # .txt/.text/.md, and any explicitly named file of another type, are read as plain text.
        yield Draft(source=source, text=decode_text(data))


def _xml_drafts(source: str, data: bytes) -> Iterator[Draft | IngestError]:
    decode_markup(data)  # the same empty/binary/encoding checks as HTML; lxml then decodes the bytes itself
    root = parse_xml(data)
    if is_feed(root):
        yield from feed_drafts(source, root)
    elif local_name(root) == HTML_ROOT:
        yield html_draft(source, decode_markup(data))
    else:
        raise NotAFeed(f"XML root <{local_name(root)}> is not an RSS or Atom feed")

