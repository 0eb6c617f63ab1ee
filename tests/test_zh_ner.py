"""The statistical Chinese NER (kg.nlp.zh_ner) and its place among the entity families."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import spacy

from kg.extract.entities import find_mentions
from kg.models import Article, Mention
from kg.nlp import analyse, zh_ner
from kg.nlp.zh import segmenter, to_simplified
from kg.pipeline import process

MAX_MODEL_BYTES = 50 * 1024 * 1024


def article(text: str, script: str = "Hans") -> Article:
    return Article(id="ner-test", source="test", language="zh", script=script, text=text)


def found(text: str, script: str = "Hans") -> set[tuple[str, str]]:
    return {(m.text, m.type) for m in process(article(text, script)).mentions}


# Names neither the knowledge base nor any rule holds, with no title or class noun before them.
@pytest.mark.parametrize("text, name, type_", [
    ("华润万家今年关闭了三十家门店。", "华润万家", "Company"),
    ("董明珠在接受采访时表示，人工智能将重塑家电行业。", "董明珠", "Person"),
    ("该公司计划在吉隆坡开设东南亚总部。", "吉隆坡", "Place"),
])
def test_ner_finds_names_no_dictionary_or_cue_holds(text, name, type_):
    mentions = process(article(text)).mentions
    assert [(m.text, m.type, m.rule) for m in mentions if m.text == name] == [(name, type_, "ner")]


def test_traditional_input_gives_the_same_names_at_the_same_offsets():
    simplified = "董明珠在接受采访时表示，华润万家今年关闭了三十家门店。"
    traditional = "董明珠在接受採訪時表示，華潤萬家今年關閉了三十家門店。"
    assert to_simplified(traditional) == simplified
    ours = [(m.start, m.end, m.type) for m in analyse(article(traditional, "Hant")).ner]
    assert ours == [(m.start, m.end, m.type) for m in analyse(article(simplified)).ner] != []
    assert {("董明珠", "Person"), ("華潤萬家", "Company")} <= found(traditional, "Hant")


def test_knowledge_base_wins_where_the_ner_overlaps_it():
    doc = analyse(article("微软中国区总裁今天宣布了新的合作计划。"))
    overlapping = Mention(text="微软中国", start=0, end=4, type="Organization", rule="ner")
    mentions = find_mentions(doc.model_copy(update={"ner": [overlapping]}))
    assert [(m.text, m.rule) for m in mentions if m.start == 0] == [("微软", "kb")]


def test_ner_runs_only_around_name_candidates():
    text = "公司表示，今年的收入增长很快。周鸿祎的公司也在增长。"
    norm = to_simplified(text)
    doc = analyse(article(text))
    windows = zh_ner.windows(doc.sentences, doc.tokens)
    assert windows and all(w.start >= 15 for w in windows)  # the first sentence has no candidate
    assert all(any(s.start <= w.start and w.end <= s.end for s in doc.sentences) for w in windows)
    assert "周鸿祎" in "".join(norm[w.start:w.end] for w in windows)


def test_tokens_are_the_cut_of_spacys_jieba_tokenizer():
    spacy_zh = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    segmenter()  # the same added words for both
    for text in ("GPT  4o 模型\n\n 微软 A  B", "全角　空格与雅戈尔", "数据中心运营商华川数据"):
        ours = [(start, end) for word, start, end in segmenter().tokenize(text) if not word.isspace()]
        theirs = [(t.idx, t.idx + len(t)) for t in spacy_zh(text) if not t.is_space]
        assert ours == theirs


def test_model_loads_and_runs_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network access during NER")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    zh_ner.model.cache_clear()
    try:
        assert ("董明珠", "Person") in {(m.text, m.type) for m in analyse(article("董明珠表示将继续投资。")).ner}
    finally:
        zh_ner.model.cache_clear()


def test_model_is_small_enough_for_the_repository():
    files = [p for p in Path(zh_ner.MODEL_DIR).rglob("*") if p.is_file()]
    assert files and sum(p.stat().st_size for p in files) < MAX_MODEL_BYTES


def test_latin_names_stay_with_the_latin_name_rules():
    doc = analyse(article("分析师Joseph认为，华润万家今年将关闭更多门店。"))
    latin = Mention(text="Joseph", start=3, end=9, type="Person", rule="ner")
    mentions = find_mentions(doc.model_copy(update={"ner": [latin, *doc.ner]}))
    assert all(m.rule != "ner" for m in mentions if m.start == 3)
    assert ("华润万家", "ner") in {(m.text, m.rule) for m in mentions}


def test_only_name_shaped_ner_spans_become_mentions():
    text = "星河智造董事长周明远称，星河智造的订单已排到明年。"
    doc = analyse(article(text))
    shapes = [Mention(text=t, start=text.index(t), end=text.index(t) + len(t), type="Company", rule="ner")
              for t in ("星河智造董事长", "星河智造的", "明年。")]
    name = Mention(text="星河智造", start=0, end=4, type="Company", rule="ner")
    mentions = find_mentions(doc.model_copy(update={"ner": [*shapes, name]}))
    assert [(m.text, m.start) for m in mentions if m.rule == "ner"] == [("星河智造", 0)]


@pytest.mark.parametrize("word, candidate", [
    ("中石化", True), ("东航", True),  # jieba's abbreviations: often short company names
    ("雅戈尔", True), ("中国", False), ("公司", False), ("收购", False),
])
def test_name_candidates_include_jiebas_abbreviations(word, candidate):
    assert zh_ner.is_name_candidate(word) is candidate
