"""The nlp stage: Traditional→Simplified normalisation that keeps offsets, tokens and
sentences that point into the original text, English lemmas."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.models import Article
from kg.nlp import analyse
from kg.nlp.sentences import split_sentences
from kg.nlp.zh import to_simplified


def article(text: str, language: str = "zh", script: str = "Hans") -> Article:
    return Article(id="nlp-test", source="test", language=language, script=script, text=text,
                   published=dt.date(2025, 2, 25))


def sentence_texts(text: str, spans) -> list[str]:
    return [text[s.start:s.end] for s in spans]


HANT = "微軟宣佈，輝達的新晶片將於明年出貨。\n「我們對需求很樂觀。」黃仁勳說！這是真的嗎？"


# ── to_simplified ─────────────────────────────────────────────────────────────

@pytest.mark.parametrize("traditional, simplified", [
    ("微軟", "微软"),
    ("輝達", "辉达"),
    ("臺積電擴產", "台积电扩产"),
    ("雲端運算服務", "云端运算服务"),
])
def test_to_simplified_converts_company_names(traditional, simplified):
    assert to_simplified(traditional) == simplified


def test_to_simplified_keeps_length_of_every_line():
    out = to_simplified(HANT)
    assert len(out) == len(HANT)
    assert out.count("\n") == HANT.count("\n")
    assert [len(line) for line in out.split("\n")] == [len(line) for line in HANT.split("\n")]
    assert "微软" in out and "辉达" in out and "黄仁勋" in out


def test_to_simplified_leaves_simplified_and_latin_text_alone():
    text = "微软CEO纳德拉说，Azure营收增长了31%。"
    assert to_simplified(text) == text


# ── Chinese analyse ───────────────────────────────────────────────────────────

def test_traditional_tokens_point_into_the_original_text():
    doc = analyse(article(HANT, script="Hant"))
    assert doc.tokens, "no tokens"
    for token in doc.tokens:
        assert HANT[token.start:token.end] == token.text
    # the surface keeps the Traditional script, the norm is Simplified
    by_text = {t.text: t for t in doc.tokens}
    assert "微軟" in by_text and by_text["微軟"].norm == "微软"
    assert "輝達" in by_text and by_text["輝達"].norm == "辉达"


def test_chinese_norm_text_is_simplified_and_same_length():
    doc = analyse(article(HANT, script="Hant"))
    assert doc.article.text == HANT
    assert len(doc.norm_text) == len(HANT)
    assert doc.norm_text.startswith("微软宣布")


def test_traditional_sentence_offsets_point_into_the_original_text():
    doc = analyse(article(HANT, script="Hant"))
    assert sentence_texts(HANT, doc.sentences) == [
        "微軟宣佈，輝達的新晶片將於明年出貨。",
        "「我們對需求很樂觀。」",
        "黃仁勳說！",
        "這是真的嗎？",
    ]


def test_chinese_sentences_split_on_full_stops_exclamations_questions_and_line_breaks():
    text = "英伟达股价上涨。投资者欢呼！泡沫会破裂吗？\n市场观点分歧"
    assert sentence_texts(text, split_sentences(text)) == [
        "英伟达股价上涨。", "投资者欢呼！", "泡沫会破裂吗？", "市场观点分歧"]


def test_closing_quotes_stay_with_their_sentence():
    text = "他说：“我们会继续投资。”随后离开了会场。"
    assert sentence_texts(text, split_sentences(text)) == ["他说：“我们会继续投资。”", "随后离开了会场。"]


def test_headline_line_break_ends_a_sentence_without_punctuation():
    text = "微软回应削减算力传闻\n\n微软表示将继续投资"
    assert sentence_texts(text, split_sentences(text)) == ["微软回应削减算力传闻", "微软表示将继续投资"]


def test_sentences_are_trimmed_and_never_empty():
    text = "  第一句。  \n\n   \n第二句！  "
    spans = split_sentences(text)
    assert sentence_texts(text, spans) == ["第一句。", "第二句！"]


# ── English analyse ───────────────────────────────────────────────────────────

EN = ("Microsoft cancelled two leases with data center operators. The company was building new sites.\n"
      "Shares fell on Monday")


def test_english_lemmas():
    doc = analyse(article(EN, language="en", script="Latn"))
    lemmas = {t.text: t.lemma for t in doc.tokens}
    assert lemmas["cancelled"] == "cancel"
    assert lemmas["leases"] == "lease"
    assert lemmas["was"] == "be"
    assert lemmas["fell"] == "fall"


def test_english_tokens_point_into_text_and_norm_is_lower_case():
    doc = analyse(article(EN, language="en", script="Latn"))
    for token in doc.tokens:
        assert EN[token.start:token.end] == token.text
        assert token.norm == token.text.lower()


def test_english_sentences_include_line_breaks():
    doc = analyse(article(EN, language="en", script="Latn"))
    assert sentence_texts(EN, doc.sentences) == [
        "Microsoft cancelled two leases with data center operators.",
        "The company was building new sites.",
        "Shares fell on Monday",
    ]
    assert doc.norm_text == EN


def test_english_ner_mentions_point_into_text():
    doc = analyse(article(EN, language="en", script="Latn"))
    assert doc.ner
    for m in doc.ner:
        assert EN[m.start:m.end] == m.text
        assert m.rule == "ner"
