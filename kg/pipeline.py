"""ingest → nlp → extract → link: one article in, one Extraction out.

``process`` is a pure function of its Article (all models load once per process), so it
maps over a distributed collection (a Dask bag, a process pool) as it is.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.extract import extract
from kg.ingest import read
from kg.link import link
from kg.models import Article, Extraction, IngestError
from kg.nlp import analyse


def process(article: Article) -> Extraction:
    return link(extract(analyse(article)))


def run(inputs: Iterable[str], *, allow_private_urls: bool = False) -> Iterator[Extraction | IngestError]:
    """Every input's Extraction, or an IngestError naming the input; never stops at a bad one."""
    for item in read(inputs, allow_private_urls=allow_private_urls):
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            yield process(item)
        except Exception as error:  # one bad article must not sink the run
            yield IngestError(source=item.source, message=f"extraction failed: {type(error).__name__}: {error}")
