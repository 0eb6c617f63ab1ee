"""A floor under extraction quality on pages the extractor was not written for (tests/data/dev,
annotated independently). The numbers it guards are in benchmarks/dev_set.py's output."""
from __future__ import annotations

import pytest

from benchmarks.dev_set import DEV, score_article

GOLD = sorted(DEV.glob("*.yaml"))


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("dev")
    return {gold.stem: score_article(gold, out / gold.stem) for gold in GOLD}


def test_dev_set_is_there_in_both_languages():
    assert {g.stem[:2] for g in GOLD} == {"en", "zh"} and len(GOLD) >= 8


def test_no_chrome_becomes_an_entity(scores):
    assert {name: s["forbidden_present"] for name, s in scores.items() if s["forbidden_present"]} == {}


def test_relations_are_precise_and_most_are_found(scores):
    mean = lambda key: sum(s[key] for s in scores.values()) / len(scores)  # noqa: E731
    assert mean("relation_precision") >= 0.95
    assert mean("relation_recall") >= 0.8
    assert all(s["relation_precision"] >= 0.85 for s in scores.values())
