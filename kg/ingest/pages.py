"""HTML pages: main text and metadata via trafilatura, ready for the same cleaning as plain text."""
from __future__ import annotations

import trafilatura

from kg.ingest.assemble import Draft
from kg.ingest.dates import find_date
from kg.ingest.metadata import extract_metadata


class NoArticleText(ValueError):
    """trafilatura found no main text in the page."""


def html_draft(source: str, html: str, url: str | None = None) -> Draft:
    """Main text and metadata (og:title, article:published_time, og:site_name, canonical link) of a page."""
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if document is None or not (document.text or "").strip():
        raise NoArticleText("no article text found in the HTML")
    title = _headline(document.title, extract_metadata(document.text).title)
    return Draft(
        source=source,
        text=_with_headline(document.text, title),
        title=title,
        published=find_date(document.date or ""),
        outlet=(document.sitename or "").strip() or None,
        url=document.url or url,
    )


def _headline(page_title: str | None, text_title: str | None) -> str | None:
    """The page's title, or the headline line of its text when the title is that plus a site name."""
    page_title = (page_title or "").strip() or None
    if page_title and text_title and text_title in page_title:
        return text_title
    return page_title or text_title


def _with_headline(text: str, title: str | None) -> str:
    # The headline is content (later stages extract from it); trafilatura keeps it only if it is in the body.
    if not title or title in (line.strip() for line in text.splitlines()):
        return text
    return f"{title}\n\n{text}"
