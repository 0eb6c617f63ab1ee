"""Attribution and status: who asserts a statement and how, in both languages, carried to
the graph and to `kg extract`."""
from __future__ import annotations

import pytest
from rdflib import Dataset, URIRef

from kg.store import build
from kg.vocab import NKG
from kg.pipeline import process
from tests.fixtures import as_dataset
from tests.test_extract import article, run, short

ZH_REPORT = "据The Information报道，微软已与OpenAI达成合作。"


def statuses(text: str, language: str = "zh", script: str | None = None) -> dict[tuple[str, str, str], str]:
    return {(short(r.subject), r.predicate, short(r.object)): r.status for r in run(text, language, script).relations}


def asserters(text: str, language: str = "zh") -> dict[tuple[str, str, str], str | None]:
    return {(short(r.subject), r.predicate, short(r.object)): r.asserted_by and short(r.asserted_by)
            for r in run(text, language).relations}


@pytest.mark.parametrize("text, language, script, status", [
    ("微软收购了GitHub。", "zh", "Hans", "reported"),
    ("市场传闻微软将收购GitHub。", "zh", "Hans", "rumoured"),
    ("市場傳聞微軟將收購GitHub。", "zh", "Hant", "rumoured"),
    ("微软否认收购GitHub。", "zh", "Hans", "denied"),
    ("微软计划收购GitHub。", "zh", "Hans", "planned"),
    ("分析人士预计微软将收购GitHub。", "zh", "Hans", "predicted"),
    ("Microsoft acquired GitHub.", "en", None, "reported"),
    ("Microsoft reportedly acquired GitHub.", "en", None, "rumoured"),
    ("Microsoft did not acquire GitHub.", "en", None, "denied"),
    ("Microsoft denied that it had acquired GitHub.", "en", None, "denied"),
    ("Microsoft is expected to acquire GitHub.", "en", None, "predicted"),
])
def test_status_from_cues(text, language, script, status):
    found = statuses(text, language, script)
    assert any(p in ("acquired", "plansToAcquire") for (_, p, _) in found), found
    assert set(found.values()) == {status}


def test_a_cue_in_another_clause_after_a_contrast_does_not_reach_the_statement():
    found = statuses("微软收购了GitHub，但否认将裁员。")
    assert found[("org/microsoft", "acquired", "org/github")] == "reported"


@pytest.mark.parametrize("text, language, relation, status", [
    ("Microsoft CEO Satya Nadella has argued that the company will keep spending.", "en",
     ("person/satya-nadella", "ceoOf", "org/microsoft"), "reported"),
    ("微软CEO纳德拉表示将继续投资。", "zh", ("person/satya-nadella", "ceoOf", "org/microsoft"), "reported"),
    ("微软收购GitHub的计划已经公布。", "zh", ("org/microsoft", "acquired", "org/github"), "planned"),
])
def test_a_cue_after_a_relation_governs_what_follows_unless_joined_by_de(text, language, relation, status):
    found = statuses(text, language)
    assert found[relation] == status, found


def test_a_reporting_frame_reaches_the_next_clause():
    found = statuses("知情人士透露，微软将收购GitHub。")
    assert set(found.values()) == {"rumoured"}


@pytest.mark.parametrize("text, language, expected", [
    (ZH_REPORT, "zh", ("org/microsoft", "partnerOf", "org/openai", "org/the-information")),
    ("TD Cowen认为，微软已取消与多个私营数据中心运营商的租约。", "zh", None),
    ("TD Cowen分析师近日发布报告指出，微软已取消与多个私营数据中心运营商的租约。", "zh", None),
    ("According to The Information, Microsoft partnered with OpenAI.", "en",
     ("org/microsoft", "partnerOf", "org/openai", "org/the-information")),
    ("Microsoft partnered with OpenAI, Reuters reported.", "en",
     ("org/microsoft", "partnerOf", "org/openai", "org/reuters")),
])
def test_asserter(text, language, expected):
    found = asserters(text, language)
    if expected is None:  # TD Cowen asserts the cancellation
        assert found[("org/microsoft", "cancelledLeaseWith", "org/私营数据中心运营商")] == "org/td-cowen", found
        return
    *triple, source = expected
    symmetric = {(s, p, o) for (s, p, o) in found} | {(o, p, s) for (s, p, o) in found}
    assert tuple(triple) in symmetric, found
    assert source in found.values(), found


def test_a_title_is_not_the_speakers_claim():
    found = asserters("Atreides管理公司合伙人Gavin Baker表示，谷歌的Gemini表现出色。")
    assert found[("person/gavin-baker", "worksFor", "org/atreides-management")] is None
    assert found[("org/google", "develops", "product/gemini")] == "person/gavin-baker"


def test_status_and_asserter_reach_the_graph_and_a_denial_is_no_fact():
    denied = process(article("微软否认收购GitHub。").model_copy(update={"id": "denial"}))
    reported = process(article(ZH_REPORT).model_copy(update={"id": "report"}))
    dataset: Dataset = as_dataset(build([denied, reported]))
    default = dataset.default_graph
    assert (URIRef(denied.relations[0].subject), NKG.acquired, URIRef(denied.relations[0].object)) not in default
    statuses_in_graph = {o for _, _, o, _ in dataset.quads((None, NKG.status, None, None))}
    assert {NKG.Denied, NKG.Reported} <= statuses_in_graph
    the_information = URIRef("https://w3id.org/newskg/entity/org/the-information")
    assert any(dataset.quads((None, NKG.assertedBy, the_information, None)))


def test_events_carry_status():
    x = run("微软计划本财年投入800亿美元资本支出。")
    assert [e.status for e in x.events] == ["planned"]
