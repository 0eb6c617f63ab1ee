"""Light English coreference inside a paragraph: "the company", "the tech giant", "it", "its",
"he", "she", "his", "her" stand for the nearest earlier mention of a compatible class.

Technique: the rule-based core of Lappin & Leass (1994) and Hobbs (1978): candidates by
recency within the paragraph, filtered by class agreement (organisation nouns and "it" take
organisations; "he"/"she" take people), by binding (a name that is the subject or object of the
anaphor's own clause is not its referent, Principle C), and by salience (subjects rank first; a
source quoted on someone else's news is skipped outside its own clause). Pleonastic "it" ("it is
expected that") is skipped by its verb. Bridging (Clark 1975): "Chief Executive Mark Zuckerberg"
with no company in the sentence is the chief executive of the paragraph's company.

The anaphors are mentions only while relations and events are read: ``extract`` maps every
candidate and event that uses one back to its antecedent, so an anaphor never becomes a name
of the entity.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from kg.models import AnalysedArticle, Candidate, Mention
from kg.ontology import load_ontology

# Head nouns of definite descriptions that refer back to an organisation.
ORG_NOUNS = {"company", "firm", "group", "giant", "chipmaker", "startup", "start-up", "lab", "operator",
             "retailer", "bank", "carrier", "automaker", "insurer", "maker", "developer", "provider",
             "conglomerate", "corporation", "outlet", "publication", "utility", "supplier", "manufacturer", "producer",
             "vendor", "designer", "hyperscaler", "agency", "regulator", "newspaper", "university", "institute",
             "ministry"}
ORG_PRONOUNS = {"it", "its"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "him"}
# "it" as the subject of these is usually pleonastic: "it is expected that", "it seems".
PLEONASTIC_HEADS = {"be", "seem", "appear", "remain", "take", "rain"}
REPORTING_VERBS = {"say", "tell", "report", "note", "write", "add", "estimate", "predict", "expect"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl", "csubj", "pcomp"}
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "pobj"}
IMPLIED_CONFIDENCE = 0.6
# Only a company's own officers go without its name ("President Biden", "analyst Jane Doe" do not).
OFFICER_TITLE = re.compile(r"chief( \w+)+|c[efot]o|(co - )?founder|cofounder")
MAX_MODIFIERS = 5  # "the tech giant", "the Houston-based power producer"


class Anaphor(NamedTuple):
    start: int
    end: int
    antecedent: int  # index into the mentions
    text: str  # the pronoun, or the head noun of a definite description


def anaphors(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[Anaphor]:
    if doc.article.language != "en":
        return
    onto = load_ontology()
    tokens = doc.tokens
    starts = [m.start for m in mentions]
    taken = [(m.start, m.end) for m in mentions]
    sentence_starts = [s.start for s in doc.sentences]
    sources = {id(m): quoting for m in mentions if (quoting := _source_of(doc, mentions, m)) is not None}
    for i, token in enumerate(tokens):
        wants = _anaphor_at(tokens, i)
        if wants is None or _inside(taken, token.start):
            continue
        sentence = doc.sentences[bisect_right(sentence_starts, token.start) - 1]
        governors = set(_heads(tokens, i, 50))
        clause = _clause_verbs(tokens, i)
        antecedent = _nearest(doc, mentions, starts, token.start,
                              lambda m: onto.fits(m.type, wants) and m.rule != "group"
                              and sources.get(id(m), -1) in governors | {-1}
                              and not _co_argument(doc, m, clause))
        # A possessive inside its antecedent's sentence is the lexicon's: "against Broadcom, its rival"
        if antecedent is not None and not (token.dep == "poss" and mentions[antecedent].start >= sentence.start):
            yield Anaphor(token.start, token.end, antecedent, token.text)


def _anaphor_at(tokens, i: int) -> str | None:
    """The class token ``i`` refers to, if it is an anaphor: a pronoun, or the head noun of a
    definite description ("the tech giant", "the Houston-based power producer"); the head
    alone stands for the phrase, so a name among its modifiers keeps its own mention."""
    token = tokens[i]
    if token.norm in ORG_PRONOUNS and token.dep in ARGUMENT_DEPS:
        head = token.head
        pleonastic = token.norm == "it" and (tokens[head].lemma in PLEONASTIC_HEADS or (
            token.dep == "nsubjpass" and head + 1 < len(tokens) and tokens[head + 1].norm in ("that", "to")))
        return None if pleonastic else "Organization"
    if token.norm in PERSON_PRONOUNS and token.dep in ARGUMENT_DEPS:
        return "Person"
    if token.lemma in ORG_NOUNS and token.norm == token.lemma and token.pos == "NOUN":
        for j in range(i - 1, max(-1, i - MAX_MODIFIERS - 2), -1):
            if tokens[j].norm == "the":
                return "Organization"
            if tokens[j].head not in range(j, i + 1) or tokens[j].pos in ("VERB", "AUX", "ADP", "PUNCT") and \
                    tokens[j].text != "-" and tokens[j].dep != "amod":
                break  # left the noun phrase
    return None


def _source_of(doc: AnalysedArticle, mentions: list[Mention], m: Mention) -> int | None:
    """If ``m`` is quoted as the source of another's news ("The company walked away…, TD Cowen
    said"; "according to a report from TD Cowen"), the token index of the verb or phrase that
    quotes it: an anaphor outside that verb's clause does not take it (the story is about what
    the source reports; Lappin & Leass's salience, abridged). A speaker alone in its sentence
    ("Corvane said the deal…") is the topic, not a source."""
    index = bisect_left(doc.tokens, m.end, key=lambda t: t.end)
    if index >= len(doc.tokens):
        return None
    token = doc.tokens[index]
    governor = doc.tokens[token.head]
    quoting = None
    if token.dep == "nsubj" and governor.lemma in REPORTING_VERBS and not any(  # "Amazon reported sales"
            t.head == token.head and t.dep == "dobj" for t in doc.tokens[token.head:token.head + 12]):
        quoting = token.head
    elif token.dep == "pobj":
        chain = _heads(doc.tokens, index, 4)
        quoting = next((j for j in chain if doc.tokens[j].norm == "according"), None)
    sentence = next(s for s in doc.sentences if s.start <= m.start < s.end)
    alone = not any(o is not m and sentence.start <= o.start < sentence.end and o.type != "Place" for o in mentions)
    return None if alone else quoting


def _clause_verbs(tokens, i: int) -> set[int]:
    """Token ``i``'s heads up to the head of its clause."""
    found = set()
    while tokens[i].head != i and tokens[i].dep not in CLAUSE_DEPS:
        i = tokens[i].head
        found.add(i)
    return found


def _co_argument(doc: AnalysedArticle, m: Mention, clause: set[int]) -> bool:
    """A name that is the subject or object of the anaphor's own clause is not what the anaphor
    names ("Amazon invested $8 billion in the company": binding theory, Principle C)."""
    token = _head_token(doc, m)
    return token.dep in (*SUBJECT_DEPS, "dobj") and token.head in clause


def _heads(tokens, i: int, limit: int) -> list[int]:
    """Token ``i``'s heads, nearest first, up to ``limit`` (or the root)."""
    chain = []
    while len(chain) < limit and tokens[i].head != i:
        i = tokens[i].head
        chain.append(i)
    return chain


def _nearest(doc: AnalysedArticle, mentions: list[Mention], starts: list[int], position: int,
             fits) -> int | None:
    """The closest earlier fitting subject in the same paragraph, else the closest earlier fitting
    mention (Lappin & Leass rank subjects above objects and obliques)."""
    paragraph = doc.article.text.rfind("\n", 0, position) + 1
    nearest = None
    for index in range(bisect_left(starts, position) - 1, -1, -1):
        m = mentions[index]
        if m.start < paragraph:
            break
        if fits(m):
            if _head_token(doc, m).dep in SUBJECT_DEPS:
                return index
            nearest = index if nearest is None else nearest
    return nearest


def _head_token(doc: AnalysedArticle, m: Mention):
    """The mention's last token, the head of an English name."""
    index = bisect_left(doc.tokens, m.end, key=lambda t: t.end)
    return doc.tokens[min(index, len(doc.tokens) - 1)]


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


def implied_employers(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[Candidate]:
    """A title with no organisation in its sentence is a title at the organisation the paragraph
    is about: "Chief Executive Mark Zuckerberg said…" in a story on Meta (bridging anaphora,
    Clark 1975). The titles are the lexicon's "{O} title {S}" patterns of person → organisation
    properties; the organisation is the paragraph's nearest subject, else the article's most
    named organisation so far."""
    if doc.article.language != "en":
        return
    onto = load_ontology()
    starts = [m.start for m in mentions]
    orgs = [m for m in mentions if onto.fits(m.type, "Organization") and m.rule != "group"]
    for index, person in enumerate(mentions):
        if person.type != "Person":
            continue
        found = _title_before(doc.article.text, person.start)
        sentence = next((s for s in doc.sentences if s.start <= person.start < s.end), None)
        if found is None or sentence is None or any(sentence.start <= o.start < sentence.end for o in orgs):
            continue
        predicate, title = found
        employer = _nearest(doc, mentions, starts, person.start, lambda m: m in orgs)
        if employer is None:
            named = Counter(m.entity or m.text for m in orgs if m.end <= person.start)
            top = named.most_common(1)
            employer = next((mentions.index(m) for m in orgs if top and (m.entity or m.text) == top[0][0]), None)
        if employer is not None:
            yield Candidate(subject=index, predicate=predicate, object=employer, confidence=IMPLIED_CONFIDENCE,
                            sentence=sentence, pattern=f"{title} {{S}} (implied employer)")


def _title_before(text: str, position: int) -> tuple[str, str] | None:
    """The (property, title) whose title ends right before ``position``, longest title first."""
    before = " ".join(text[max(0, position - 40):position].lower().replace("-", " - ").split())
    for title, predicate in _titles():
        if before.endswith(title) and (len(before) == len(title) or not before[-len(title) - 1].isalnum()):
            return predicate, title
    return None


@cache
def _titles() -> tuple[tuple[str, str], ...]:
    """Titles from the lexicon's "{O} title {S}" patterns of person → organisation properties."""
    onto = load_ontology()
    found = {}
    for prop in onto.properties.values():
        if prop.domain != "Person" or not onto.fits(prop.range, "Organization"):
            continue
        for pattern in prop.patterns.get("en", ()):
            words = pattern.split()
            title = " ".join(words[1:-1])
            if words[0] == "{O}" and words[-1] == "{S}" and OFFICER_TITLE.fullmatch(title):
                found.setdefault(title, prop.name)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))
