"""Who asserts each statement, and how: its status (reported, rumoured, denied, planned,
predicted) and its source (据The Information报道 → The Information; TD Cowen认为 → TD Cowen).

Technique: cue lexicons scoped to clauses, after event-factuality work (Saurí &
Pustejovsky 2009, FactBank): a statement's status comes from polarity and modality cues
in its own clauses or in a reporting frame of its sentence (传闻称，… / people familiar with
the matter said …); its source is the mention that fills the {S} of a source cue in the
same sentence, nearest to the statement. The cues are data: ontologies/lexicon-attribution.ttl.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from kg.extract.gazetteer import lower
from kg.extract.relations import SLOT, compile_pattern, mask_sentence, mentions_in
from kg.models import AnalysedArticle, Candidate, Mention, RawEvent, Span
from kg.ontology import Property, load_ontology

STRENGTH = ("denied", "rumoured", "predicted", "planned")  # the strongest cue in scope wins
# A clause opened by a contrast says something else: 微软收购了X，但否认将裁员.
CONTRAST = {"zh": ("但", "但是", "而", "却", "不过", "然而"), "en": ("but", "however", "while", "whereas", "although", "yet")}
CLAUSE_END = {"zh": re.compile(r"[，,；;：:。！？!?\n]"), "en": re.compile(r"[,;:]\s|\n")}
# A source is a person or an organisation (an outlet, a firm); what it talks about is anything.
SOURCE = Property(name="assertedBy", labels={}, domain="Agent", range="Thing", symmetric=False, patterns={})


class Cue(NamedTuple):
    start: int
    end: int
    status: str


@cache
def _source_patterns(lang: str):
    onto = load_ontology()
    return tuple(compile_pattern(SOURCE, source, lang, onto, cue=True)
                 for source in onto.source_cues.get(lang, ()))


@cache
def _frame_words(lang: str) -> frozenset[str]:
    """The literal words of the source cues (报道, 认为, say, according): a clause holding
    one is a reporting frame whose status cues reach the whole sentence."""
    words = {piece.strip().lower() for source in load_ontology().source_cues.get(lang, ())
             for piece in SLOT.split(source) if piece.strip() and not SLOT.fullmatch(piece.strip())}
    return frozenset(w for piece in words for w in (piece.split() if lang == "en" else [piece]))


@cache
def _status_cues(lang: str) -> tuple[tuple[str, str], ...]:
    """(status, cue) pairs."""
    return tuple((status, cue.lower()) for status, cues in load_ontology().status_cues.items()
                 for cue in cues.get(lang, ()))


@cache
def _english_cues_by_first_word() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """English cues are word sequences, looked up by their first word."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for status, cue in _status_cues("en"):
        words = tuple(cue.split())
        index.setdefault(words[0], []).append((status, words))
    return index


def attribute(doc: AnalysedArticle, mentions: list[Mention], candidates: Iterable[Candidate],
              events: Iterable[RawEvent]) -> tuple[list[Candidate], list[RawEvent]]:
    """The candidates and events with their status and asserter set."""
    analysis = _SentenceCache(doc, mentions)
    return ([_attributed(analysis, c, (c.subject, c.object), _mention_span(mentions, (c.subject, c.object)),
                         relation=True) for c in candidates],
            [_attributed(analysis, e, e.participants, _event_span(doc, mentions, e), relation=False) for e in events])


def _attributed(analysis: "_SentenceCache", claim, parties: Iterable[int], span: tuple[int, int], relation: bool):
    status, asserter = analysis.judge(claim.sentence, span, set(parties), relation)
    if status == claim.status and asserter == claim.asserter:
        return claim
    return claim.model_copy(update={"status": status, "asserter": asserter})


def _mention_span(mentions: list[Mention], indexes: Iterable[int]) -> tuple[int, int]:
    chosen = [mentions[i] for i in indexes]
    return min(m.start for m in chosen), max(m.end for m in chosen)


def _event_span(doc: AnalysedArticle, mentions: list[Mention], event: RawEvent) -> tuple[int, int]:
    """From the first participant to the amount the event was read from."""
    start, end = _mention_span(mentions, event.participants)
    found = doc.norm_text.find(event.trigger, event.sentence.start, event.sentence.end)
    return min(start, found) if found >= 0 else start, max(end, found + len(event.trigger))


class _SentenceCache:
    """Cues and sources of each sentence, found once however many claims it holds."""

    def __init__(self, doc: AnalysedArticle, mentions: list[Mention]):
        self.doc, self.mentions = doc, mentions
        self.lang = doc.article.language
        self.lower_text = lower(doc.norm_text)
        self.starts = [m.start for m in mentions]
        self._cues: dict[Span, tuple[list[Cue], list[tuple[int, int]], list[int]]] = {}

    def judge(self, sentence: Span, span: tuple[int, int], parties: set[int],
              relation: bool) -> tuple[str, int | None]:
        if sentence not in self._cues:
            self._cues[sentence] = (list(self._find_cues(sentence)), self._clauses(sentence),
                                    list(self._sources(sentence)))
        cues, clauses, sources = self._cues[sentence]
        scope = self._scope(clauses, span, sentence)
        found = {cue.status for cue in cues if any(lo <= cue.start and cue.end <= hi for lo, hi in scope)
                 and not (relation and self._trails(cue, span, scope[0]))}
        status = next((s for s in STRENGTH if s in found), "reported")
        return status, self._source(sources, clauses, span, parties)

    def _trails(self, cue: Cue, span: tuple[int, int], own: tuple[int, int]) -> bool:
        """A cue after a relation in its own clause governs something later, not the relation:
        in 'Microsoft CEO Satya Nadella argued that the company will keep spending' the title
        is no plan. Chinese puts a plan or rumour noun after its claim, joined by 的 at most
        (微软收购X的计划). An event's span ends at its trigger, so its own plan noun
        (800亿美元的资本支出计划) may trail it."""
        if not (span[1] <= cue.start and cue.end <= own[1]):
            return False
        return self.lang == "en" or self.doc.norm_text[span[1]:cue.start].strip() not in ("", "的")

    def _clauses(self, sentence: Span) -> list[tuple[int, int]]:
        text = self.doc.norm_text
        bounds, start = [], sentence.start
        for mark in CLAUSE_END[self.lang].finditer(text, sentence.start, sentence.end):
            bounds.append((start, mark.start()))
            start = mark.end()
        bounds.append((start, sentence.end))
        return [b for b in bounds if b[1] > b[0]]

    def _scope(self, clauses: list[tuple[int, int]], span: tuple[int, int], sentence: Span) -> list[tuple[int, int]]:
        """The clauses the claim spans, and the sentence's reporting frames."""
        text = self.lower_text
        own = [c for c in clauses if c[0] < span[1] and span[0] < c[1]] or [(sentence.start, sentence.end)]
        lo, hi = own[0][0], own[-1][1]
        frames = [c for c in clauses if (c[1] <= lo or c[0] >= hi) and self._is_frame(text[c[0]:c[1]])]
        return [(lo, hi), *frames]

    def _is_frame(self, clause: str) -> bool:
        if self.lang == "zh":
            return not clause.lstrip().startswith(CONTRAST["zh"]) and any(w in clause for w in _frame_words("zh"))
        words = re.findall(r"[a-z']+", clause)
        return bool(words) and words[0] not in CONTRAST["en"] and not _frame_words("en").isdisjoint(words)

    def _find_cues(self, sentence: Span) -> Iterator[Cue]:
        if self.lang == "zh":
            text = self.doc.norm_text
            for status, word in _status_cues("zh"):
                pos = text.find(word, sentence.start, sentence.end)
                while pos >= 0:
                    yield Cue(pos, pos + len(word), status)
                    pos = text.find(word, pos + 1, sentence.end)
            return
        tokens = self.doc.tokens
        first = bisect_left(tokens, sentence.start, key=lambda t: t.start)
        last = bisect_left(tokens, sentence.end, key=lambda t: t.start)
        inside = [t for t in tokens[first:last] if t.end <= sentence.end]
        index = _english_cues_by_first_word()
        for i, token in enumerate(inside):
            for status, words in (cue for key in {token.norm, token.lemma.lower()} for cue in index.get(key, ())):
                window = inside[i:i + len(words)]
                if len(window) == len(words) and all(w in (t.norm, t.lemma.lower()) for w, t in zip(words, window)):
                    yield Cue(window[0].start, window[-1].end, status)

    def _sources(self, sentence: Span) -> Iterator[int]:
        """Indexes of mentions a source cue names as asserting something in this sentence."""
        inside = mentions_in(sentence, self.mentions, self.starts)
        if not inside:
            return
        masked = mask_sentence(self.doc, sentence, inside)
        for pattern in _source_patterns(self.lang):
            if pattern.anchor in masked:
                for match in pattern.regex.finditer(masked):
                    yield int(match.group("S"))

    def _source(self, sources: list[int], clauses: list[tuple[int, int]], span: tuple[int, int],
                parties: set[int]) -> int | None:
        """The source nearest before the claim (TD Cowen认为，微软…); in English also one in a
        later clause (…, the analysts said). Never a party of the claim: in 'Atreides合伙人Gavin
        Baker表示' the title is the article's description of Baker, not Baker's claim."""
        before = [i for i in sources if i not in parties and self.mentions[i].end <= span[0]]
        if before:
            return max(before, key=lambda i: (self.mentions[i].start, -i))
        if self.lang == "en":
            claim_clause_end = next((hi for lo, hi in clauses if lo <= span[1] <= hi), span[1])
            after = [i for i in sources if i not in parties and self.mentions[i].start >= claim_clause_end]
            return min(after, key=lambda i: (self.mentions[i].start, i), default=None)
        return None
