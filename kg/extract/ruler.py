"""English ticker mentions: "NASDAQ:MSFT", "(NYSE: ORCL)", "$MSFT" name the company whose
``nkg:ticker`` in the knowledge base is that symbol. The knowledge base's names, aliases and
model names are matched by the gazetteer (``gazetteer.py``); this adds the exchange-prefixed and
cashtag forms, whose span must cover the prefix so the exchange is not taken for a company.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kg.models import AnalysedArticle, Mention
from kg.ontology import KBEntity, load_kb

EXCHANGES = ("NASDAQ", "Nasdaq", "NYSE", "NYSEARCA", "AMEX", "LSE", "TSX", "HKEX", "SEHK", "TYO", "OTC")
# Exchange:SYMBOL (Yahoo/Google Finance style) or a cashtag (Twitter style).
TICKER = re.compile(rf"\b(?:{'|'.join(EXCHANGES)}):\s?(?P<listed>[A-Z][A-Z0-9.]{{0,5}})\b"
                    r"|(?<![\w$])\$(?P<cashtag>[A-Z]{1,5})\b")


@cache
def by_ticker() -> dict[str, KBEntity]:
    """KB entities by their bare symbol (a ticker may be written 'NASDAQ:MSFT' in the KB)."""
    return {e.ticker.rsplit(":", 1)[-1].strip().upper(): e for e in load_kb() if e.ticker}


def ticker_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    for match in TICKER.finditer(doc.article.text):
        entity = by_ticker().get(match["listed"] or match["cashtag"])
        if entity is not None:
            yield Mention(text=match.group(), start=match.start(), end=match.end(), type=entity.type,
                          rule="ticker", entity=entity.iri)
