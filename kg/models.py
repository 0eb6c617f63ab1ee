"""The contracts every stage passes: ingest → nlp → extract → link → graph.

Offsets are always character offsets into ``Article.text`` (the cleaned text, in its
original script), half-open ``[start, end)``.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "zh"]
Script = Literal["Latn", "Hans", "Hant"]
Status = Literal["reported", "rumoured", "denied", "planned", "predicted"]


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Contract):
    id: str = Field(description="Stable id: the record's own id, the canonical URL, or a content hash")
    source: str = Field(description="Path or URL the article was read from")
    url: str | None = None
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = Field(None, description="The outlet as the page names it, e.g. 網易")
    language: Language
    script: Script
    text: str = Field(description="Cleaned article text; every offset points into it")


class IngestError(Contract):
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class Span(Contract):
    start: int
    end: int


class Token(NamedTuple):
    """One token. A named tuple rather than a model: an article has thousands, and building
    them as models took most of the nlp stage's time; pydantic still checks their types."""

    start: int
    end: int
    text: str
    norm: str  # Simplified-Chinese / lower-cased form used for matching
    lemma: str
    pos: str = ""
    dep: str = ""
    head: int = -1  # index of the syntactic head in the article's token list


class AnalysedArticle(Contract):
    """The nlp stage's output: the article plus its normalised text, sentences and tokens."""

    article: Article
    norm_text: str = Field(description="Same length as article.text: Simplified Chinese, so offsets carry over")
    sentences: list[Span]
    tokens: list[Token]
    ner: list["Mention"] = Field(default_factory=list, description="Statistical NER output, if any")


class Mention(Contract):
    text: str
    start: int
    end: int
    type: str = Field(description="Ontology class local name, e.g. Company, Person, AIModel")
    rule: str = Field(description="Which extractor found it, e.g. kb, ner, latin-run, title")
    entity: str | None = Field(None, description="Canonical entity IRI, set by the link stage")
    full_name: str | None = Field(None, description="The name this mention stands for in the article: "
                                                    "北疆绿能 for 北疆绿能电力股份有限公司, Gavin for Gavin Baker")


class Candidate(Contract):
    """A relation between two mentions of one sentence, before linking."""

    subject: int = Field(description="Index into RawExtraction.mentions")
    predicate: str = Field(description="Ontology property local name")
    object: int
    confidence: float
    sentence: Span
    pattern: str = Field(description="The lexicon pattern that fired")
    status: Status = "reported"
    asserter: int | None = Field(None, description="Index of the mention who asserts it: 据The Information报道")


class Amount(Contract):
    value: float = Field(description="Normalised value, e.g. 8.0e10 for 800多亿美元")
    currency: str | None = Field(None, description="ISO 4217 code, for money")
    unit: str | None = Field(None, description="Unit of a non-money amount, e.g. MW")
    text: str
    approximate: bool = False


class RawEvent(Contract):
    type: str = Field(description="Ontology event class local name, e.g. StockPriceChange")
    participants: list[int] = Field(description="Indexes into RawExtraction.mentions")
    amount: Amount | None = None
    percent: float | None = Field(None, description="Signed: -1.9 for 跌1.9%")
    date: dt.date | None = None
    sentence: Span
    confidence: float
    trigger: str
    status: Status = "reported"
    asserter: int | None = Field(None, description="Index of the mention who asserts it")


class RawExtraction(Contract):
    """The extract stage's output: mentions and candidates that still point at text."""

    article: Article
    mentions: list[Mention]
    candidates: list[Candidate]
    events: list[RawEvent]


class Entity(Contract):
    iri: str
    type: str
    labels: dict[str, list[str]] = Field(description="Language tag → labels, e.g. {'zh-Hant': ['微軟']}")
    resolution: str = Field(description="The strongest cascade rule its mentions took (see Resolution.rule)")


class Evidence(Contract):
    article: str = Field(description="Article id")
    text: str = Field(description="The evidence sentence")
    start: int
    end: int


class Relation(Contract):
    subject: str
    predicate: str
    object: str
    confidence: float
    evidence: Evidence
    pattern: str
    status: Status = "reported"
    asserted_by: str | None = Field(None, description="IRI of who asserts it (an outlet, an analyst firm)")


class Event(Contract):
    iri: str
    type: str
    participants: list[str] = Field(description="Entity IRIs")
    amount: Amount | None = None
    percent: float | None = None
    date: dt.date | None = None
    confidence: float
    evidence: Evidence
    status: Status = "reported"
    asserted_by: str | None = None


class Resolution(Contract):
    """One link decision: a surface form of one kind resolved to an IRI by a cascade rule."""

    surface: str
    iri: str
    rule: str = Field(description="exact, normalised, kb-alias, person-name, short-form, fuzzy or new")
    score: float = Field(1.0, description="1.0 except for fuzzy matches (the rapidfuzz ratio / 100)")


class Extraction(Contract):
    """One article's linked results: what the graph stage turns into RDF."""

    article: Article
    entities: list[Entity]
    mentions: list[Mention]
    relations: list[Relation]
    events: list[Event]
    resolutions: list[Resolution] = Field(default_factory=list, description="Distinct decisions, sorted")


AnalysedArticle.model_rebuild()
