"""English relations from dependency paths: the ontology's ``nkg:dependencyPattern`` literals,
compiled into spaCy ``DependencyMatcher`` patterns (Semgrex-style operators, Chambers et al.
2007; spaCy v3 ``DependencyMatcher``).

The regex engine of ``relations.py`` reads the masked surface string; this layer reads the
parse, so it reaches arguments that words in between hide: "Robert Bernero, chief of waste
disposal for the NRC", "KAL attorney George Tompkins", "Pepperell, based in West Point".

Pattern language (documented in nkg.ttl beside ``nkg:dependencyPattern``): ``{S}`` then steps,
then ``{O}``; ``{S:Place|Facility}`` narrows a slot to those classes. A step ``>dep`` goes down
to a child attached by ``dep``, ``<dep`` up to the head of a token attached by ``dep``, ``>>dep``
down to a descendant; ``dep`` may list alternatives (``compound,poss``) or be ``*``;
``:lemma|lemma`` constrains the token reached, ``:!lemma|lemma`` excludes lemmas. ``{O}`` is the
token the last step reached.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from kg.models import AnalysedArticle, Candidate, Mention
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


class CompiledPath(NamedTuple):
    prop: str
    source: str
    nodes: tuple[dict, ...]  # DependencyMatcher nodes, S first, O last


@cache
def compiled_paths() -> tuple[CompiledPath, ...]:
    onto = load_ontology()
    return tuple(CompiledPath(prop.name, source, tuple(compile_dependency_pattern(
        source, onto.compatible(prop.domain), onto.compatible(prop.range))))
        for prop in onto.properties.values() for source in prop.dependency_patterns)


def dependency_relations(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[DependencyMatch]:
    """Every pattern match between two different mentions of fitting classes.

    The patterns are spaCy DependencyMatcher patterns (a test checks that ``DependencyMatcher``
    finds the same); they run here straight over the nlp stage's tokens from the tokens of
    mentions, because every pattern is a chain anchored on the subject: DependencyMatcher scans
    every token for every node and cost a third of English extraction time."""
    onto = load_ontology()
    tokens = doc.tokens
    owner = _owners(tokens, mentions)
    children: list[list[int]] = [[] for _ in tokens]
    for i, token in enumerate(tokens):
        if token.head != i:
            children[token.head].append(i)
    anchors = [(i, mentions[o].type) for i, o in enumerate(owner) if o is not None]
    for path in compiled_paths():
        prop = onto.properties[path.prop]
        subject_types = path.nodes[0]["RIGHT_ATTRS"]["ENT_TYPE"]["IN"]
        for start, type_ in anchors:
            # the class first: a set lookup rules out most anchors before the node's other tests
            if type_ not in subject_types or not _fits_node(tokens, owner, mentions, start, path.nodes[0]):
                continue
            for end in _walk(tokens, owner, mentions, children, start, path.nodes[1:]):
                subject, obj = owner[start], owner[end]
                if obj is None or subject == obj:
                    continue
                if not prop.same_kind or onto.kinds.get(mentions[subject].type) == onto.kinds.get(mentions[obj].type):
                    yield DependencyMatch(subject, obj, path.prop, path.source)


def _walk(tokens, owner, mentions, children, current: int, nodes) -> Iterator[int]:
    """The tokens the remaining nodes reach from ``current`` (DependencyMatcher's ``>``, ``<``,
    ``>>`` operators)."""
    if not nodes:
        yield current
        return
    node = nodes[0]
    if node["REL_OP"] == ">":
        reached = children[current]
    elif node["REL_OP"] == "<":
        reached = [tokens[current].head] if tokens[current].head != current else []
    else:
        reached = list(_descendants(children, current))
    for i in reached:
        if _fits_node(tokens, owner, mentions, i, node):
            yield from _walk(tokens, owner, mentions, children, i, nodes[1:])


def _descendants(children, i: int) -> Iterator[int]:
    for child in children[i]:
        yield child
        yield from _descendants(children, child)


def _fits_node(tokens, owner, mentions, i: int, node: dict) -> bool:
    token = tokens[i]
    for attr, test in node["RIGHT_ATTRS"].items():
        # the token's value read only for the attributes the node tests (this runs per token and path)
        value = (token.dep if attr == "DEP" else token.lemma if attr == "LEMMA"
                 else mentions[owner[i]].type if owner[i] is not None else "")
        if "IN" in test and value not in test["IN"]:
            return False
        if "NOT_IN" in test and value in test["NOT_IN"]:
            return False
    return True


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
