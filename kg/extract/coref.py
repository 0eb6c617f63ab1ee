"""Light English coreference inside a paragraph: "the company", "the tech giant", "it", "its",
"he", "she", "his", "her" stand for the nearest earlier mention of a compatible class.

Technique: salience by recency with agreement filters, the rule-based core of Lappin & Leass
(1994) and Hobbs (1978) reduced to class agreement (organisation nouns and "it" take
organisations; "he"/"she" take people) and paragraph scope. Pleonastic "it" ("it is expected
that") is skipped by its verb (Lappin & Leass's pleonastic filter, abridged).

The anaphors are mentions only while relations and events are read: ``extract`` maps every
candidate and event that uses one back to its antecedent, so an anaphor never becomes a name
of the entity.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from kg.models import AnalysedArticle, Mention
from kg.ontology import load_ontology

# Head nouns of definite descriptions that refer back to an organisation.
ORG_NOUNS = {"company", "firm", "group", "giant", "chipmaker", "startup", "start-up", "lab", "operator",
             "retailer", "bank", "carrier", "automaker", "insurer", "maker", "developer", "provider",
             "conglomerate", "corporation", "outlet", "publication", "utility", "supplier", "manufacturer"}
ORG_PRONOUNS = {"it", "its"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "him"}
# "it" as the subject of these is usually pleonastic: "it is expected that", "it seems".
PLEONASTIC_HEADS = {"be", "seem", "appear", "remain", "take", "rain"}
REPORTING_VERBS = {"say", "tell", "report", "note", "write", "add", "estimate", "predict", "expect"}
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "pobj"}
MAX_MODIFIERS = 2  # "the tech giant", "the Redmond-based software company"


class Anaphor(NamedTuple):
    start: int
    end: int
    antecedent: int  # index into the mentions
    text: str


def anaphors(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[Anaphor]:
    if doc.article.language != "en":
        return
    onto = load_ontology()
    text, tokens = doc.article.text, doc.tokens
    starts = [m.start for m in mentions]
    taken = [(m.start, m.end) for m in mentions]
    sentence_starts = [s.start for s in doc.sentences]
    for i, token in enumerate(tokens):
        wants, start = _anaphor_at(tokens, i)
        if wants is None or _inside(taken, start):
            continue
        sentence_start = doc.sentences[bisect_right(sentence_starts, start) - 1].start
        antecedent = _nearest(mentions, starts, text, start,
                              lambda m: onto.fits(m.type, wants) and m.rule != "group"
                              and not (m.end < sentence_start and _source(doc, m)))
        # A possessive inside its antecedent's sentence is the lexicon's: "against Broadcom, its rival"
        if antecedent is not None and not (token.dep == "poss" and mentions[antecedent].start >= sentence_start):
            yield Anaphor(start, token.end, antecedent, text[start:token.end])


def _anaphor_at(tokens, i: int) -> tuple[str | None, int]:
    """The class token ``i`` refers to, and where its phrase starts; None if it is no anaphor."""
    token = tokens[i]
    if token.norm in ORG_PRONOUNS and token.dep in ARGUMENT_DEPS:
        head = token.head
        pleonastic = token.norm == "it" and (tokens[head].lemma in PLEONASTIC_HEADS or (
            token.dep == "nsubjpass" and head + 1 < len(tokens) and tokens[head + 1].norm in ("that", "to")))
        return (None if pleonastic else "Organization"), token.start
    if token.norm in PERSON_PRONOUNS and token.dep in ARGUMENT_DEPS:
        return "Person", token.start
    if token.lemma in ORG_NOUNS and token.norm == token.lemma and token.pos == "NOUN":
        for j in range(i - 1, max(-1, i - MAX_MODIFIERS - 2), -1):
            if tokens[j].norm == "the":
                return "Organization", tokens[j].start
            if tokens[j].pos not in ("ADJ", "NOUN", "PROPN") and tokens[j].text != "-":
                break
    return None, token.start


def _source(doc: AnalysedArticle, m: Mention) -> bool:
    """A mention quoted as a source ("TD Cowen said", "according to Reuters") is no antecedent
    after its sentence: the story is about what it reports (Lappin & Leass's salience, abridged).
    Inside its sentence it is: "Amazon said it would partner with OpenAI"."""
    index = bisect_left(doc.tokens, m.end, key=lambda t: t.end)
    if index >= len(doc.tokens):
        return False
    token = doc.tokens[index]
    governor = doc.tokens[token.head]
    speaks = governor.lemma in REPORTING_VERBS and not any(  # "Amazon reported sales" reports no news
        t.head == token.head and t.dep == "dobj" for t in doc.tokens[token.head:token.head + 12])
    return ((token.dep == "nsubj" and speaks)
            or (token.dep == "pobj" and governor.norm == "to" and doc.tokens[governor.head].norm == "according"))


def _nearest(mentions: list[Mention], starts: list[int], text: str, position: int, fits) -> int | None:
    """The closest earlier fitting mention in the same paragraph."""
    paragraph = text.rfind("\n", 0, position) + 1
    for index in range(bisect_left(starts, position) - 1, -1, -1):
        m = mentions[index]
        if m.start < paragraph:
            return None
        if fits(m):
            return index
    return None


def _inside(taken: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in taken)


def with_anaphors(doc: AnalysedArticle, mentions: list[Mention]) -> tuple[list[Mention], list[int]]:
    """The mentions with every anaphor added as a mention of its antecedent's class, and for
    each, the index of the real mention it stands for."""
    found = [(a.start, a.end, a.antecedent, a.text) for a in anaphors(doc, mentions)]
    items = [(m, i) for i, m in enumerate(mentions)]
    items += [(Mention(text=t, start=s, end=e, type=mentions[a].type, rule="coref", entity=mentions[a].entity),
               a) for s, e, a, t in found]
    items.sort(key=lambda item: item[0].start)
    return [m for m, _ in items], [i for _, i in items]
