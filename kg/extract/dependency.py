"""English relations from dependency paths: the ontology's ``nkg:dependencyPattern`` literals
compiled into spaCy ``DependencyMatcher``s, one per property (Semgrex-style operators, Chambers et al. 2007;
spaCy's ``DependencyMatcher``, v3).

The regex engine of ``relations.py`` reads the masked surface string; this layer reads the
parse, so it reaches arguments that words in between hide: "Robert Bernero, chief of waste
disposal for the NRC", "KAL attorney George Tompkins", "Pepperell, based in West Point".

Pattern language (documented in nkg.ttl beside ``nkg:dependencyPattern``): ``{S}`` then steps,
then ``{O}``; ``{S:Place|Facility}`` narrows a slot to those classes. A step ``>dep`` goes down to a child attached by ``dep``, ``<dep`` up to the head
of a token attached by ``dep``; ``dep`` may list alternatives (``compound,poss``) or be ``*``;
``:lemma|lemma`` constrains the token reached. ``{O}`` is the token the last step reached.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span

from kg.models import AnalysedArticle, Candidate, Mention
from kg.nlp.en import pipeline
from kg.ontology import load_ontology

CONFIDENCE = 0.75
SLOT = re.compile(r"\{(?P<name>[SO])(?::(?P<classes>[A-Za-z|]+))?\}")


class DependencyMatch(NamedTuple):
    subject: int  # mention indexes
    object: int
    predicate: str
    pattern: str


def _step(step: str, index: int, previous: dict) -> dict:
    """One pattern step as a DependencyMatcher node; ``<dep`` constrains the previous node."""
    op = ">>" if step.startswith(">>") else step[0]
    rest = step[len(op):]
    deps, _, lemmas = rest.partition(":")
    node: dict = {"LEFT_ID": previous["RIGHT_ID"], "REL_OP": op, "RIGHT_ID": f"n{index}", "RIGHT_ATTRS": {}}
    dep_set = {"IN": deps.split(",")} if deps != "*" else None
    if dep_set and op != "<":
        node["RIGHT_ATTRS"]["DEP"] = dep_set
    elif dep_set:
        previous["RIGHT_ATTRS"]["DEP"] = dep_set
    if lemmas.startswith("!"):
        node["RIGHT_ATTRS"]["LEMMA"] = {"NOT_IN": lemmas[1:].split("|")}
    elif lemmas:
        node["RIGHT_ATTRS"]["LEMMA"] = {"IN": lemmas.split("|")}
    return node


def compile_dependency_pattern(source: str, domain: frozenset[str], range_: frozenset[str]) -> list[dict]:
    steps = source.split()
    first, last = SLOT.fullmatch(steps[0]), SLOT.fullmatch(steps[-1])
    if not (first and last and first["name"] == "S" and last["name"] == "O") or len(steps) < 3:
        raise ValueError(f"dependency pattern must read '{{S}} step… {{O}}': {source!r}")
    nodes = [{"RIGHT_ID": "S", "RIGHT_ATTRS": {"ENT_TYPE": {"IN": _narrowed(domain, first)}}}]
    for index, step in enumerate(steps[1:-1]):
        nodes.append(_step(step, index, nodes[-1]))
    nodes[-1]["RIGHT_ATTRS"]["ENT_TYPE"] = {"IN": _narrowed(range_, last)}
    return nodes


def _narrowed(classes: frozenset[str], slot: re.Match) -> list[str]:
    """``{S:Place|Facility}`` narrows a slot to the named classes that fit the property."""
    return sorted(classes & set(slot["classes"].split("|")) if slot["classes"] else classes)


class PropertyMatcher(NamedTuple):
    """One property's patterns in one DependencyMatcher, and the (subject class, object class)
    pairs they accept: a sentence without such a pair is not scanned for them."""

    name: str
    matcher: DependencyMatcher
    sources: dict[str, str]  # match key → source pattern
    pairs: frozenset[tuple[str, str]]


@cache
def matchers() -> tuple[PropertyMatcher, ...]:
    onto = load_ontology()
    found = []
    for prop in onto.properties.values():
        if not prop.dependency_patterns:
            continue
        dm, sources, pairs = DependencyMatcher(pipeline().vocab), {}, set()
        for n, source in enumerate(prop.dependency_patterns):
            nodes = compile_dependency_pattern(source, onto.compatible(prop.domain), onto.compatible(prop.range))
            dm.add(f"{prop.name}#{n}", [nodes])
            sources[f"{prop.name}#{n}"] = source
            pairs.update((s, o) for s in nodes[0]["RIGHT_ATTRS"]["ENT_TYPE"]["IN"]
                         for o in nodes[-1]["RIGHT_ATTRS"]["ENT_TYPE"]["IN"])
        found.append(PropertyMatcher(prop.name, dm, sources, frozenset(pairs)))
    return tuple(found)


def parsed_doc(doc: AnalysedArticle, mentions: list[Mention], owner_of: list[int | None],
               kept: list[int]) -> tuple[Doc, list[int | None]]:
    """The parse of the kept tokens as a spaCy Doc (rebuilt from the nlp stage's tokens, no
    re-parsing; the matcher's cost grows with every token it scans), the mentions as entities
    labelled with their class, and each kept token's mention index."""
    position = {old: new for new, old in enumerate(kept)}
    tokens = [doc.tokens[i] for i in kept]
    spaces = [b.start > a.end for a, b in zip(tokens, tokens[1:])] + [False]
    parsed = Doc(pipeline().vocab, words=[t.text for t in tokens], spaces=spaces,
                 heads=[position.get(t.head, new) for new, t in enumerate(tokens)],  # a cut-off head: a root
                 deps=[t.dep or "dep" for t in tokens], pos=[t.pos or "X" for t in tokens],
                 lemmas=[t.lemma for t in tokens])
    owner = [owner_of[i] for i in kept]
    spans, start = [], 0
    for i in range(1, len(tokens) + 1):  # runs of tokens with one owner are its entity span
        if i == len(tokens) or owner[i] != owner[start]:
            if owner[start] is not None:
                spans.append(Span(parsed, start, i, label=mentions[owner[start]].type))
            start = i
    parsed.set_ents(spans)
    return parsed, owner


def _fits(types: Counter, pairs: frozenset[tuple[str, str]]) -> bool:
    """Whether two mentions of these classes could fill a pattern's slots."""
    return any(types[s] and types[o] and (s != o or types[s] > 1) for s, o in pairs)


def _owners(tokens, mentions: list[Mention]) -> list[int | None]:
    """Each token's mention index (mentions are sorted and do not overlap)."""
    owner: list[int | None] = [None] * len(tokens)
    m = 0
    for i, token in enumerate(tokens):
        while m < len(mentions) and mentions[m].end <= token.start:
            m += 1
        if m < len(mentions) and mentions[m].start <= token.start < mentions[m].end:
            owner[i] = m
    return owner


def _sentence_tokens(doc: AnalysedArticle, sentence) -> range:
    first = bisect_left(doc.tokens, sentence.start, key=lambda t: t.start)
    last = bisect_left(doc.tokens, sentence.end, key=lambda t: t.start)
    return range(first, last)


def dependency_relations(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[DependencyMatch]:
    """Every pattern match between two different mentions of fitting classes; each property's
    matcher scans only the sentences holding a pair of classes it accepts."""
    onto = load_ontology()
    owner_of = _owners(doc.tokens, mentions)
    sentences = []
    for sentence in doc.sentences:
        tokens = _sentence_tokens(doc, sentence)
        sentences.append((tokens, Counter(mentions[o].type for o in {owner_of[i] for i in tokens} - {None})))
    for pm in matchers():
        kept = [i for tokens, types in sentences if _fits(types, pm.pairs) for i in tokens]
        if not kept:
            continue
        parsed, owner = parsed_doc(doc, mentions, owner_of, kept)
        prop = onto.properties[pm.name]
        for key, token_ids in pm.matcher(parsed):
            subject, obj = owner[token_ids[0]], owner[token_ids[-1]]
            if subject is None or obj is None or subject == obj:
                continue
            if not prop.same_kind or onto.kinds.get(mentions[subject].type) == onto.kinds.get(mentions[obj].type):
                yield DependencyMatch(subject, obj, pm.name, pm.sources[parsed.vocab.strings[key]])


def dependency_candidates(doc: AnalysedArticle, mentions: list[Mention]) -> dict[int, list[Candidate]]:
    """The matches as relation candidates, keyed by the start of the sentence holding them."""
    starts = [s.start for s in doc.sentences]
    found: dict[int, list[Candidate]] = {}
    for match in dependency_relations(doc, mentions):
        first = min(mentions[match.subject].start, mentions[match.object].start)
        sentence = doc.sentences[max(0, bisect_right(starts, first) - 1)]
        found.setdefault(sentence.start, []).append(Candidate(
            subject=match.subject, predicate=match.predicate, object=match.object, confidence=CONFIDENCE,
            sentence=sentence, pattern=match.pattern))
    return found
