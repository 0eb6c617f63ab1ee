"""The FinRE relation classifier: loads offline, reads labels in text order, trains
deterministically, and backs up the patterns only where they are silent."""
from __future__ import annotations

import datetime as dt

import numpy as np

from kg.extract import relation_classifier as classifier
from kg.extract import extract
from kg.models import Article
from kg.nlp import analyse


def analysed(text: str):
    return analyse(Article(id="t", source="t", language="zh", script="Hans", text=text,
                           published=dt.date(2025, 2, 25)))


def classify(text: str, first: str, second: str) -> tuple[str, float]:
    doc = analysed(text)
    a, b = text.find(first), text.find(second)
    return classifier.load_model().classify(doc.norm_text, doc.tokens, (a, a + len(first)), (b, b + len(second)))


def test_committed_model_loads_offline_and_is_small():
    model = classifier.load_model()
    assert model is not None and classifier.MODEL_PATH.stat().st_size < 3_000_000
    assert classifier.NONE in model.labels and "拥有>" in model.labels and "拥有<" in model.labels


def test_labels_read_in_text_order():
    assert classify("星岩科技第一大股东恒锐集团本周表示将继续支持公司发展。", "星岩科技", "恒锐集团")[0] == "持股<"
    assert classify("恒锐集团昨日宣布出售星岩科技全部股权。", "恒锐集团", "星岩科技")[0] == "减持>"


def test_training_is_deterministic_and_learns_its_examples():
    examples = [(["M:旗下", "BIAS"], ["拥有>"]), (["M:竞争", "BIAS"], ["竞争"]), (["LIST:、", "BIAS"], ["none"])] * 5
    first, second = classifier.train(examples), classifier.train(examples)
    assert np.array_equal(first.weights, second.weights)
    assert first.labels[int(first.probabilities(["M:旗下", "BIAS"]).argmax())] == "拥有>"


def test_classifier_fills_a_pair_the_patterns_miss_and_marks_itself():
    x = extract(analysed("恒锐集团通过二级市场买入星岩科技。"))
    found = {(x.mentions[c.subject].text, c.predicate, x.mentions[c.object].text, c.pattern) for c in x.candidates}
    assert found == {("恒锐集团", "increasedStakeIn", "星岩科技", "finre-classifier:增持>")}


def test_classifier_reads_traditional_text_as_simplified():
    doc = analyse(Article(id="t", source="t", language="zh", script="Hant", text="恒銳集團通過二級市場買入星岩科技。",
                          published=dt.date(2025, 2, 25)))
    x = extract(doc)
    assert [(x.mentions[c.subject].text, c.predicate, c.pattern) for c in x.candidates] == [
        ("恒銳集團", "increasedStakeIn", "finre-classifier:增持>")]


def test_patterns_take_precedence_over_the_classifier():
    x = extract(analysed("星岩科技第一大股东恒锐集团本周表示将继续支持公司发展。"))
    assert [c.pattern for c in x.candidates] == ["{O}…大股东{S}"]


def test_classifier_leaves_listed_names_alone():
    x = extract(analysed("以富邦控股、杉杉股份、恒锐集团为例，三家公司均披露了年报。"))
    assert x.candidates == []
