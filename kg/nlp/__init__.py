"""The nlp stage: Article → AnalysedArticle (normalised text, sentences, tokens, NER)."""
from __future__ import annotations

from kg.models import AnalysedArticle, Article


def analyse(article: Article) -> AnalysedArticle:
    if article.language == "zh":
        from kg.nlp import zh

        return zh.analyse(article)
    from kg.nlp import en

    return en.analyse(article)
