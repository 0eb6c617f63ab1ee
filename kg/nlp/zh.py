"""Chinese: Traditional → Simplified normalisation that keeps offsets, jieba segmentation,
sentence splitting and the statistical NER (kg.nlp.zh_ner)."""
from __future__ import annotations

import logging
import re
from functools import cache, lru_cache

import jieba
import opencc

from kg.models import AnalysedArticle, Article, Token
from kg.nlp import zh_ner
from kg.nlp.sentences import split_sentences

logging.getLogger("jieba").setLevel(logging.WARNING)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)  # names and labels recur across articles
def to_simplified(text: str) -> str:
    """Simplified text of exactly the same length, so offsets carry over unchanged.

    OpenCC converts phrase by phrase; where a phrase conversion changes a line's
    length, that line is converted character by character instead.
    """
    convert = _converter().convert
    lines = []
    for line in text.split("\n"):
        converted = convert(line)
        if len(converted) != len(line):
            converted = "".join(ch if len(c := convert(ch)) != 1 else c for ch in line)
        lines.append(converted)
    return "\n".join(lines)


# Words of business news jieba's dictionary lacks, so it cuts names next to them wrongly
# (新能源车企极川汽车 → 车 / 企极川 / 汽车). Class nouns the extractor also reads as cues.
CLASS_NOUNS = ("运营商", "营运商", "企业", "厂商", "制造商", "公司", "服务商", "供应商", "开发商", "业者",
               "代工厂", "晶圆厂", "芯片厂", "电池厂", "车企", "云服务商", "芯片商")
SEGMENTATION_WORDS = (*CLASS_NOUNS, "首席执行官", "首席财务官", "首席技术官", "首席运营官", "首席投资官",
                      "管理合伙人", "联合创始人", "数据中心")


@cache
def segmenter() -> jieba.Tokenizer:
    """jieba with kg's added words. Called directly rather than through spaCy's ``zh``
    tokenizer: the same cut (a test checks it), without building a Doc nobody reads."""
    jieba.setLogLevel(logging.WARNING)
    for word in SEGMENTATION_WORDS:
        jieba.add_word(word)
    jieba.initialize()
    return jieba.dt


HAN = "\u4e00-\u9fff"  # CJK unified ideographs, for character classes
HAN_WORD = re.compile(f"[{HAN}]+")


def word_frequency(word: str) -> int:
    """How often jieba's dictionary (with kg's added words) counts ``word``; 0 when it lacks it."""
    return segmenter().FREQ.get(word, 0)


def dictionary_tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of ``word`` (ns place, nt organisation, …)."""
    return _dictionary_tags().get(word)


@cache
def _dictionary_tags() -> dict[str, str]:
    import jieba.posseg

    segmenter()
    return jieba.posseg.dt.word_tag_tab


def analyse(article: Article) -> AnalysedArticle:
    norm = to_simplified(article.text)
    tokens = [Token(start, end, article.text[start:end], word.lower(), word)
              for word, start, end in segmenter().tokenize(norm) if not word.isspace()]
    sentences = split_sentences(article.text)
    ner = zh_ner.find(article.text, norm, sentences, tokens)
    # Built here from typed jieba and model output, so not validated again (that was another sixth).
    return AnalysedArticle.model_construct(article=article, norm_text=norm, sentences=sentences,
                                           tokens=tokens, ner=ner)
