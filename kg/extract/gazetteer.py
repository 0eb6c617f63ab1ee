"""Longest-match lookup of the knowledge base's labels and aliases in normalised text."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from kg.nlp.zh import to_simplified
from kg.ontology import KBEntity, load_kb

ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def fold(text: str) -> str:
    """Simplified, lower-cased text of the same length (the matching key space)."""
    return lower(to_simplified(text))


def lower(text: str) -> str:
    """Lower case that keeps every offset (a few letters, like 'İ', lower to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def label_key(label: str) -> str:
    return " ".join(fold(label).split())


class Gazetteer:
    def __init__(self, entries: Iterable[tuple[str, KBEntity]]):
        self.entity_of: dict[str, KBEntity] = {}
        self.label_of: dict[str, str] = {}
        for label, entity in entries:
            key = label_key(label)
            if len(key) >= 2 and key not in self.entity_of:
                self.entity_of[key] = entity
                self.label_of[key] = label
        # Per first character, the label lengths to try, longest first: a few dict look-ups
        # per position instead of a scan over every label that starts with that character.
        lengths: dict[str, set[int]] = {}
        for key in self.entity_of:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths_by_first = {first: sorted(found, reverse=True) for first, found in lengths.items()}

    def lookup(self, surface: str) -> KBEntity | None:
        return self.entity_of.get(label_key(surface))

    def find(self, text: str, folded: str) -> Iterator[tuple[int, int, KBEntity]]:
        """Non-overlapping longest matches, left to right, at word boundaries for Latin labels."""
        i = 0
        while i < len(folded):
            for length in self.lengths_by_first.get(folded[i], ()):
                key = folded[i:i + length]
                if key in self.entity_of and self._acceptable(text, i, i + length, key):
                    yield i, i + length, self.entity_of[key]
                    i += length
                    break
            else:
                i += 1

    def _acceptable(self, text: str, start: int, end: int, key: str) -> bool:
        if ASCII_ALNUM.match(key[0]) and start > 0 and ASCII_ALNUM.match(text[start - 1]):
            return False
        if ASCII_ALNUM.match(key[-1]) and end < len(text) and ASCII_ALNUM.match(text[end]):
            return False
        surface, label = text[start:end], self.label_of[key]
        if label.isupper() and len(label) <= 5:
            return surface == label  # tickers and acronyms only in their exact case
        # A capitalised word of the label must be capitalised in the text: "apple" the fruit
        # is not Apple, "the paper said" is not The Paper; inner case may differ (Deepseek).
        return all(not l[:1].isupper() or s[:1].isupper() for l, s in zip(label.split(), surface.split()))


@cache
def knowledge_base() -> Gazetteer:
    def entries():
        # Every label before any alias: a label is never shadowed by another entity's alias.
        for entity in load_kb():
            for label in entity.names():
                yield label, entity
        for entity in load_kb():
            for alias in entity.names(entity.aliases):
                yield alias, entity
    return Gazetteer(entries())
