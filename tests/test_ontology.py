"""The ontology (ontologies/nkg.ttl) as the extractor reads it."""
from __future__ import annotations

import re

import pytest

from kg.extract.relations import compiled_patterns, with_passives
from kg.ontology import THING, load_kb, load_ontology

GOLD_PREDICATES = ["analystOf", "cancelledLeaseWith", "providesServiceTo", "worksFor", "develops",
                   "founderOf", "ceoOf", "reportedOn"]


def properties():
    return sorted(load_ontology().properties.values(), key=lambda p: p.name)


@pytest.mark.parametrize("name", GOLD_PREDICATES)
def test_gold_predicates_exist(name):
    assert name in load_ontology().properties


@pytest.mark.parametrize("prop", properties(), ids=lambda p: p.name)
def test_relation_property_is_fully_described(prop):
    onto = load_ontology()
    assert prop.labels.get("en"), "no @en label"
    assert prop.labels.get("zh"), "no @zh label"
    for end in (prop.domain, prop.range):
        assert end and (end == THING or onto.subclasses(end) & set(onto.kinds)), f"{end} has no entity class"
    assert prop.patterns.get("zh"), "no @zh pattern"
    assert prop.patterns.get("en"), "no @en pattern"


@pytest.mark.parametrize("prop", properties(), ids=lambda p: p.name)
def test_every_pattern_has_at_most_one_subject_and_object_slot(prop):
    for lang, patterns in prop.patterns.items():
        for pattern in patterns:
            assert pattern.count("{S}") <= 1 and pattern.count("{O}") <= 1, pattern
            assert "{S}" in pattern or "{O}" in pattern, pattern


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_pattern_compiles(lang):
    onto = load_ontology()
    compiled = compiled_patterns(lang)
    expected = sum(len(with_passives(p, lang)) for p in onto.properties.values())  # zh adds 被- forms
    assert len(compiled) == expected
    for c in compiled:
        assert isinstance(c.regex, re.Pattern)
        assert {"S", "O"} <= set(c.regex.groupindex), c.source
        assert 0.5 <= c.confidence <= 0.9


def test_zh_patterns_are_simplified():
    from kg.nlp.zh import to_simplified

    for prop in load_ontology().properties.values():
        for pattern in prop.patterns["zh"]:
            assert to_simplified(pattern) == pattern, pattern


def test_class_hierarchy():
    onto = load_ontology()
    assert onto.fits("Company", "Organization")
    assert onto.fits("NewsOutlet", "Organization")
    assert onto.fits("AIModel", "Product")
    assert onto.fits("Organization", "Company"), "an untyped organisation may fill a company slot"
    assert not onto.fits("Person", "Organization")
    assert not onto.fits("Place", "Product")
    assert onto.kinds["Company"] == onto.kinds["NewsOutlet"] == "org"
    assert onto.kinds["AIModel"] == "product"


def test_symmetric_properties():
    props = load_ontology().properties
    assert props["partnerOf"].symmetric and props["competesWith"].symmetric
    assert not props["acquired"].symmetric and not props["ceoOf"].symmetric


@pytest.mark.parametrize("name, domain, range_", [
    ("ceoOf", "Person", "Organization"),
    ("founderOf", "Person", "Organization"),
    ("worksFor", "Person", "Organization"),
    ("develops", "Organization", "Product"),
    ("reportedOn", "NewsOutlet", THING),
    ("analystOf", "Company", "Organization"),
])
def test_domains_and_ranges(name, domain, range_):
    prop = load_ontology().properties[name]
    assert (prop.domain, prop.range) == (domain, range_)


def test_event_kinds_have_a_measure_and_triggers_in_both_languages():
    events = load_ontology().events
    assert {"StockPriceChange", "CapitalExpenditurePlan"} <= set(events)
    for kind in events.values():
        assert set(kind.measures) <= {"money", "percent", "power"} and kind.measures, kind.name
        assert kind.triggers.get("zh") and kind.triggers.get("en"), kind.name


def test_kb_entities_have_known_classes_and_iris_matching_their_kind():
    onto = load_ontology()
    kb = load_kb()
    assert kb
    for entity in kb:
        assert entity.type in onto.kinds
        assert entity.kind == onto.kinds[entity.type], entity.iri
        assert entity.labels.get("en"), entity.iri
