"""The link stage: RawExtraction → Extraction. Every mention resolves to one canonical IRI.

Resolution, in order (the rule is recorded on each Entity):
1. ``kb``: the gazetteer matched a knowledge-base label or alias.
2. ``kb-normalised``: the mention matches a KB label once case, width, script, a leading
   "The" and legal suffixes (Inc., Corp., 有限公司, 集团…) are set aside.
3. ``in-article``: a short form resolves through the full name it stands for in the
   article (``Mention.full_name``, set by the extractor: Gavin → Gavin Baker, 北疆绿能 →
   北疆绿能电力股份有限公司, Atreides → Atreides管理公司).
4. ``new``: a fresh IRI from the entity's kind and its name, so the same name of the same
   kind gets the same IRI in every article and every run.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

from kg.extract.cues import ORG_SUFFIXES_ZH
from kg.extract.gazetteer import fold
from kg.nlp.zh import to_simplified
from kg.models import Entity, Event, Evidence, Extraction, Mention, RawExtraction, Relation
from kg.ontology import KBEntity, kb_by_iri, load_kb, load_ontology
from kg.vocab import ENTITY, EVENT

LEGAL_SUFFIX = re.compile(
    r"[\s,]*(?:inc|corp|corporation|co|company|ltd|limited|llc|plc|holdings|group|ag|sa|nv|se"
    r"|股份有限公司|有限责任公司|有限公司|集团|控股)\.?$", re.IGNORECASE)
LATIN_HEAD = re.compile(r"^[\x00-\x7f]+")
ADMINISTRATIVE_SUFFIX = re.compile(r"(?<=..)(?:特别行政区|自治区|省|市|县)$")
HAN = re.compile(r"[\u3400-\u9fff]")


def slug(name: str) -> str:
    """IRI-safe, stable name: 'TD Cowen' → 'td-cowen', '私營數據中心運營商' → '私营数据中心运营商'."""
    text = fold(unicodedata.normalize("NFKC", name))
    return re.sub(r"[^\w]+", "-", text).strip("-") or "unnamed"


def core_name(name: str) -> str:
    """The name without a leading 'The' and legal suffixes, folded."""
    text = re.sub(r"^the\s+", "", fold(unicodedata.normalize("NFKC", name)).strip())
    while (stripped := LEGAL_SUFFIX.sub("", text)) != text and stripped:
        text = stripped
    return " ".join(text.split())


@cache
def kb_by_core() -> dict[tuple[str, str], KBEntity]:
    index: dict[tuple[str, str], KBEntity] = {}
    for entity in load_kb():
        for label in [*entity.names(), *entity.names(entity.aliases)]:
            index.setdefault((entity.kind, core_name(label)), entity)
    return index


def kind_of(cls: str) -> str:
    return load_ontology().kinds.get(cls, "org")


def link(raw: RawExtraction) -> Extraction:
    article = raw.article
    iris = _resolve(raw.mentions)
    mentions = [m.model_copy(update={"entity": iri}) for m, iri in zip(raw.mentions, iris)]
    entities = _entities(article, mentions)
    relations = _relations(raw, iris)
    events = [_event(raw, e, iris) for e in raw.events]
    return Extraction(article=article, entities=entities, mentions=mentions, relations=relations,
                      events=sorted({e.iri: e for e in events}.values(), key=lambda e: e.iri))


def _resolve(mentions: list[Mention]) -> list[str]:
    """One IRI per mention; a short form resolves through the full name it stands for."""
    return [m.entity or _iri_for(m.type, m.full_name or m.text) for m in mentions]


def _iri_for(cls: str, name: str) -> str:
    kind = kind_of(cls)
    known = kb_by_core().get((kind, core_name(name)))
    if known is None and kind == "place":  # 北京市 is 北京
        known = kb_by_core().get((kind, core_name(ADMINISTRATIVE_SUFFIX.sub("", name))))
    if known:
        return known.iri
    return f"{ENTITY}{kind}/{slug(english_name(name))}"


def english_name(name: str) -> str:
    """A Latin name with a Chinese legal suffix, in English: Atreides管理公司 → Atreides management."""
    latin = LATIN_HEAD.match(name)
    if latin and name[latin.end():] in ORG_SUFFIXES_ZH:
        return f"{latin.group().strip()} {ORG_SUFFIXES_ZH[name[latin.end():]]}".strip()
    return name


def _label_language(text: str, article) -> str:
    """Names without Chinese characters are tagged @en (Latin names in Chinese text too)."""
    if article.language == "en" or not HAN.search(text):
        return "en"
    return f"zh-{article.script}"


def _entities(article, mentions: list[Mention]) -> list[Entity]:
    kb = kb_by_iri()
    by_iri: dict[str, list[Mention]] = {}
    for m in mentions:
        by_iri.setdefault(m.entity, []).append(m)
    entities = []
    for iri, group in sorted(by_iri.items()):
        labels: dict[str, set[str]] = {}
        known = kb.get(iri)
        for m in group:
            text = m.text.strip()
            lang = _label_language(text, article)
            labels.setdefault(lang, set()).add(text)
            if lang == "zh-Hant":
                labels.setdefault("zh-Hans", set()).add(to_simplified(text))
        preferred = {lang: list(values) for lang, values in known.labels.items()} if known else {}
        for lang, values in (known.aliases.items() if known else ()):
            labels.setdefault(lang, set()).update(values)
        resolution = "kb" if known and any(m.entity for m in group) else ("kb-normalised" if known else
                     ("in-article" if len({m.text for m in group}) > 1 else "new"))
        ordered = _ordered_labels(preferred, labels)
        entities.append(Entity(
            iri=iri, type=known.type if known else _most_specific(group), labels=ordered,
            aliases=sorted({name for names in ordered.values() for name in names[1:]}), resolution=resolution))
    return entities


def _ordered_labels(preferred: dict[str, list[str]], surface: dict[str, set[str]]) -> dict[str, list[str]]:
    """Per language, the preferred label first (the KB's, else the longest surface form)."""
    out = {}
    for lang in sorted(set(preferred) | set(surface)):
        first = preferred.get(lang, [])
        rest = sorted(surface.get(lang, set()) - set(first), key=lambda t: (-len(t), t))
        out[lang] = first + rest
    return out


def _most_specific(group: list[Mention]) -> str:
    """The deepest class any mention was given: Company over Organization, AIModel over Product."""
    onto = load_ontology()
    return max({m.type for m in group}, key=lambda t: (len(onto.ancestors(t)), t))


def _evidence(raw: RawExtraction, span) -> Evidence:
    return Evidence(article=raw.article.id, text=raw.article.text[span.start:span.end],
                    start=span.start, end=span.end)


def _relations(raw: RawExtraction, iris: list[str]) -> list[Relation]:
    onto = load_ontology()
    best: dict[tuple[str, str, str], Relation] = {}
    for c in raw.candidates:
        subject, obj = iris[c.subject], iris[c.object]
        if subject == obj:
            continue
        if onto.properties[c.predicate].symmetric and obj < subject:
            subject, obj = obj, subject
        key = (subject, c.predicate, obj, c.status)  # a denial is kept beside the report it denies
        if key not in best or c.confidence > best[key].confidence:
            best[key] = Relation(subject=subject, predicate=c.predicate, object=obj, confidence=c.confidence,
                                 evidence=_evidence(raw, c.sentence), pattern=c.pattern, status=c.status,
                                 asserted_by=_asserter(c.asserter, iris))
    return [best[k] for k in sorted(best)]


def _event(raw: RawExtraction, event, iris: list[str]) -> Event:
    participants = sorted({iris[i] for i in event.participants})
    key = "|".join([event.type, *participants, str(event.amount.value if event.amount else ""),
                    str(event.amount.currency if event.amount else ""), str(event.percent), str(event.date)])
    return Event(iri=EVENT + hashlib.sha256(key.encode()).hexdigest()[:16], type=event.type,
                 participants=participants, amount=event.amount, percent=event.percent, date=event.date,
                 confidence=event.confidence, evidence=_evidence(raw, event.sentence), status=event.status,
                 asserted_by=_asserter(event.asserter, iris))


def _asserter(index: int | None, iris: list[str]) -> str | None:
    return None if index is None else iris[index]
