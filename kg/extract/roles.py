"""English names found by the role nouns around them, where the statistical NER missed them:
"ITAR-TASS correspondent Mikhail Shevtsov", "Vyacheslav Chornovil, leader of the Ukrainian
Popular Rukh". A proper-noun phrase with a role noun in apposition or as its modifier is a
person; one modifying a role noun, or the object of "of/at/for/with" after it, an organisation.

Technique: the appositive and premodifier patterns of Hearst (1992) read off the dependency
parse, as in role-based NE typing (Collins & Singer 1999 use the appositive's head as a
contextual rule for the same purpose).
"""
from __future__ import annotations

from collections.abc import Iterator

from kg.extract import cues
from kg.models import AnalysedArticle, Mention, Token

ROLE_NOUNS = cues.TITLES_EN | {
    "leader", "correspondent", "secretary", "official", "attorney", "lawyer", "director", "manager", "minister",
    "commander", "deputy", "head", "member", "professor", "economist", "editor", "publisher", "reporter",
    "engineer", "scientist", "researcher", "governor", "senator", "candidate", "ambassador", "adviser",
    "advisor", "officer", "owner", "partner", "employee", "spokesperson", "chancellor", "treasurer", "trustee",
    "columnist", "physicist", "chemist", "biologist", "strategist", "investor", "co-founder", "vice", "principal"}
ORG_PREPOSITIONS = {"of", "at", "for", "with"}
NAME_DEPS = {"compound", "flat"}


def role_mentions(doc: AnalysedArticle) -> Iterator[Mention]:
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.pos != "PROPN" or (token.dep in NAME_DEPS and tokens[token.head].pos == "PROPN"):
            continue  # not the last word of a name
        role_modifiers = [j for j in _children(tokens, i) if tokens[j].lemma in ROLE_NOUNS
                          and tokens[j].pos == "NOUN" and tokens[j].dep in ("compound", "appos")]
        if role_modifiers:
            start = _name_start(tokens, i, after=max((j for j in role_modifiers if j < i), default=-1))
            if start is not None:
                yield _mention(doc, start, i, "Person")
        head = tokens[token.head]
        if head.lemma in ROLE_NOUNS and head.pos == "NOUN" and token.dep in ("compound", "poss", "nmod"):
            start = _name_start(tokens, i, after=-1)
            if start is not None:
                yield _mention(doc, start, i, "Organization")
        elif token.dep == "pobj" and head.norm in ORG_PREPOSITIONS:
            role = tokens[head.head]
            if role.lemma in ROLE_NOUNS and role.pos == "NOUN" and role.dep == "appos":
                start = _name_start(tokens, i, after=-1)
                if start is not None:
                    yield _mention(doc, start, i, "Organization")


def _children(tokens: list[Token], i: int) -> list[int]:
    """Children of token ``i`` within a small window (names and their roles sit close)."""
    return [j for j in range(max(0, i - 6), min(len(tokens), i + 8)) if j != i and tokens[j].head == i]


def _name_start(tokens: list[Token], i: int, after: int) -> int | None:
    """The first token of the proper-noun run ending at ``i`` (after index ``after``), or None
    when the run is a single lower-case or title word."""
    start = i
    while start - 1 > after and tokens[start - 1].pos == "PROPN" and tokens[start - 1].head in (i, start):
        start -= 1
    words = [t.text for t in tokens[start:i + 1]]
    if not words[0][:1].isupper() or " ".join(words).lower() in cues.NOT_NAMES:
        return None
    return start


def _mention(doc: AnalysedArticle, first: int, last: int, type_: str) -> Mention:
    start, end = doc.tokens[first].start, doc.tokens[last].end
    return Mention(text=doc.article.text[start:end], start=start, end=end, type=type_, rule="role")
