"""Dated events with amounts: an amount or a signed percentage, the event kind whose
trigger is nearest to it in its clause, the organisation it is about, and a date.

The organisation is the nearest organisation mention before the amount in the sentence
(Chinese and English news put the subject first); the date is the last date expression
earlier in the same paragraph, else the article's publication date.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract import quantities
from kg.models import AnalysedArticle, Mention, RawEvent, Span
from kg.ontology import load_ontology

CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
# Between a company and its move, only adverbs: 'Applied Digital一度暴跌13%' is a stock move.
STOCK_ADVERB_GAP = 8
# A market aggregate named in the move's clause takes the move ('英伟达收跌8.5%，费城半导体指数
# 大跌6%': the 6% is the index's), even when it is no entity of ours.
MARKET_AGGREGATES = ("指数", "板块", "大盘", " index", " indices")


def find_events(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[RawEvent]:
    language, text = doc.article.language, doc.norm_text
    date_marks = list(quantities.dates(text, language, doc.article.published))
    orgs = [(i, m) for i, m in enumerate(mentions) if load_ontology().fits(m.type, "Organization")]
    for sentence in doc.sentences:
        body = text[sentence.start:sentence.end]
        amounts = [("money", f) for f in quantities.money(body, language)]
        amounts += [("power", f) for f in quantities.power(body, language)]
        for measure, found in amounts:
            start = sentence.start + found.start
            kind = _nearest_trigger(doc, sentence, start, measure)
            subject = _subject(orgs, sentence, start)
            if kind and subject is not None:
                parties = [subject, *_in_clause(orgs, doc.norm_text, sentence, start)]
                yield RawEvent(type=kind, participants=sorted(set(parties)), amount=found.value, sentence=sentence,
                               date=_date(date_marks, text, sentence, start, doc), confidence=0.8,
                               trigger=found.value.text)
        for found in quantities.percentages(body, language):
            start = sentence.start + found.start
            subject = _subject(orgs, sentence, start)
            if subject is None or _aggregate_moves(text, sentence, mentions[subject].end, start):
                continue
            kind = _nearest_trigger(doc, sentence, start, "percent", since=mentions[subject].end)
            if kind is None and start - mentions[subject].end <= STOCK_ADVERB_GAP:
                kind = "StockPriceChange"
            if kind:
                yield RawEvent(type=kind, participants=[subject], percent=found.value, sentence=sentence,
                               date=_date(date_marks, text, sentence, start, doc), confidence=0.8,
                               trigger=body[found.start:found.end])


def _clause(text: str, sentence: Span, position: int) -> tuple[int, int]:
    start = max((m.end() for m in CLAUSE_BREAK.finditer(text, sentence.start, position)), default=sentence.start)
    end_match = CLAUSE_BREAK.search(text, position, sentence.end)
    return start, end_match.start() if end_match else sentence.end


def _aggregate_moves(text: str, sentence: Span, subject_end: int, position: int) -> bool:
    """A market aggregate stands between the subject and the percentage, in the percentage's clause."""
    lo, _ = _clause(text, sentence, position)
    between = text[max(lo, subject_end):position].lower()
    return any(word in between for word in MARKET_AGGREGATES)


def _nearest_trigger(doc: AnalysedArticle, sentence: Span, position: int, measure: str,
                     since: int | None = None) -> str | None:
    """The event kind measured this way whose trigger word is closest to ``position`` in its
    clause, or, given ``since`` (the subject's end), between the subject and the clause end:
    北疆绿能股价周二高开高走，收涨6.4% is a stock move."""
    lo, hi = _clause(doc.norm_text, sentence, position)
    if since is not None and since < position:
        lo = since
    window = doc.norm_text[lo:hi].lower()
    best: tuple[int, str] | None = None
    for kind in load_ontology().events.values():
        if measure not in kind.measures:
            continue
        for trigger in kind.triggers.get(doc.article.language, ()):
            for m in re.finditer(re.escape(trigger.lower()), window):
                distance = abs(lo + m.start() - position)
                if best is None or distance < best[0]:
                    best = (distance, kind.name)
    return best[1] if best else None


def _in_clause(orgs: list[tuple[int, Mention]], text: str, sentence: Span, position: int) -> list[int]:
    """Organisations in the amount's clause: both parties of 'A agreed to buy B for $1bn'."""
    lo, hi = _clause(text, sentence, position)
    return [i for i, m in orgs if lo <= m.start and m.end <= hi]


def _subject(orgs: list[tuple[int, Mention]], sentence: Span, position: int) -> int | None:
    before = [i for i, m in orgs if sentence.start <= m.start and m.end <= position]
    return before[-1] if before else None


def _date(marks: list[quantities.Found], text: str, sentence: Span, position: int, doc: AnalysedArticle):
    """The nearest date in the sentence ('fell 1.9% on Friday'), else the last one earlier in
    the paragraph (上周五，… 跌1.9%), else the publication date."""
    in_sentence = [f for f in marks if sentence.start <= f.start < sentence.end]
    if in_sentence:
        return min(in_sentence, key=lambda f: abs(f.start - position)).value
    paragraph_start = text.rfind("\n", 0, position) + 1
    earlier = [f.value for f in marks if paragraph_start <= f.start < position]
    return earlier[-1] if earlier else doc.article.published
