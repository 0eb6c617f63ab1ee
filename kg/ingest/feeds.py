"""RSS 2.0 / RSS 1.0 / Atom feeds: one draft per item or entry, parsed with lxml."""
from __future__ import annotations

from collections.abc import Iterator

import lxml.html
from lxml import etree

from kg.ingest.assemble import Draft
from kg.ingest.dates import find_date
from kg.models import IngestError

FEED_ROOTS = {"rss", "feed", "RDF"}
ITEM_TAGS = {"item", "entry"}
# Content fields, richest first: content:encoded, Atom content, then the summaries.
CONTENT_TAGS = ("encoded", "content", "description", "summary")
DATE_TAGS = ("pubDate", "published", "updated", "date")
# Elements after which the text of an HTML fragment breaks a line.
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
# No DTDs, entities or network: feeds are untrusted input.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)


class NotAFeed(ValueError):
    """The XML is malformed or is not RSS/Atom."""


def parse_xml(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise NotAFeed(f"not well-formed XML ({error.msg})") from None


def is_feed(root: etree._Element) -> bool:
    return etree.QName(root).localname in FEED_ROOTS


def feed_drafts(path: str, root: etree._Element) -> Iterator[Draft | IngestError]:
    """A draft per item/entry, its source ``path#N``; an item without text yields an IngestError."""
    items = [element for element in root.iter(etree.Element) if local_name(element) in ITEM_TAGS]
    if not items:
        yield IngestError(source=path, message="feed has no items or entries")
    for number, item in enumerate(items, start=1):
        source = f"{path}#{number}"
        text = _item_text(item)
        if not text.strip():
            yield IngestError(source=source, message="feed item has no content, description or summary")
            continue
        yield Draft(
            source=source,
            text=text,
            title=_child_text(item, "title"),
            published=find_date(_child_text(item, *DATE_TAGS) or ""),
            url=_item_link(item),
        )


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block element."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except etree.ParserError:
        return fragment
    for element in root.iter(etree.Element):
        if element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return root.text_content()


def _item_text(item: etree._Element) -> str:
    for tag in CONTENT_TAGS:
        child = _child(item, tag)
        if child is None:
            continue
        # Atom content may be inline XHTML; RSS carries escaped HTML as text.
        markup = (child.text or "") + "".join(etree.tostring(element, encoding="unicode") for element in child)
        if markup.strip():
            return html_fragment_text(markup)
    return ""


def _item_link(item: etree._Element) -> str | None:
    """RSS <link>text</link>, or the Atom <link href> that is the alternate (or has no rel)."""
    for link in _children(item, "link"):
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return link.get("href").strip()
        if link.text and link.text.strip():
            return link.text.strip()
    return None


def _child_text(item: etree._Element, *tags: str) -> str | None:
    for tag in tags:
        child = _child(item, tag)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return None


def _child(item: etree._Element, tag: str) -> etree._Element | None:
    return next(_children(item, tag), None)


def _children(item: etree._Element, tag: str) -> Iterator[etree._Element]:
    return (child for child in item.iterchildren(etree.Element) if local_name(child) == tag)


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
