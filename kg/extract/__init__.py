"""The extract stage: AnalysedArticle → RawExtraction (mentions, relation candidates, events)."""
from __future__ import annotations

from kg.extract.attribution import attribute
from kg.extract.coref import implied_employers, with_anaphors
from kg.extract.entities import find_mentions
from kg.extract.events import find_events
from kg.extract.relations import find_candidates
from kg.models import AnalysedArticle, RawExtraction


def extract(doc: AnalysedArticle) -> RawExtraction:
    mentions = find_mentions(doc)
    # Relations and events are read with anaphors as mentions, then pointed at their antecedents.
    reading, real = with_anaphors(doc, mentions)
    candidates, events = attribute(doc, reading, find_candidates(doc, reading), find_events(doc, reading))
    if len(reading) > len(mentions):
        candidates = _unique([c.model_copy(update={"subject": real[c.subject], "object": real[c.object],
                                                   "asserter": None if c.asserter is None else real[c.asserter]})
                              for c in candidates if real[c.subject] != real[c.object]])
        events = [e.model_copy(update={"participants": sorted({real[p] for p in e.participants}),
                                       "asserter": None if e.asserter is None else real[e.asserter]})
                  for e in events]
    candidates += implied_employers(doc, mentions)
    return RawExtraction(article=doc.article, mentions=mentions, candidates=candidates, events=events)


def _unique(candidates: list) -> list:
    """One candidate per (subject, predicate, object, sentence): an anaphor may repeat a name's."""
    seen: dict[tuple, object] = {}
    for c in candidates:
        seen.setdefault((c.subject, c.predicate, c.object, c.sentence.start), c)
    return list(seen.values())
