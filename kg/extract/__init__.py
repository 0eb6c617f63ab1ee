"""The extract stage: AnalysedArticle → RawExtraction (mentions, relation candidates, events)."""
from __future__ import annotations

from kg.extract.attribution import attribute
from kg.extract.entities import find_mentions
from kg.extract.events import find_events
from kg.extract.relations import find_candidates
from kg.models import AnalysedArticle, RawExtraction


def extract(doc: AnalysedArticle) -> RawExtraction:
    mentions = find_mentions(doc)
    candidates, events = attribute(doc, mentions, find_candidates(doc, mentions), find_events(doc, mentions))
    return RawExtraction(article=doc.article, mentions=mentions, candidates=candidates, events=events)
