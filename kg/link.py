"""The link stage: RawExtraction → Extraction. Every mention resolves to one canonical IRI.

The cascade, first match wins; each decision is kept as a ``Resolution`` (surface form →
IRI, rule, score) and ends up in the store's merge log:
1. ``exact``: the mention is a knowledge-base label (any language).
2. ``normalised``: it matches a KB label once case, full/half width, Traditional/Simplified,
   punctuation, a leading "The" and legal suffixes (Inc., Corp., 有限公司, 集团…) are set aside.
3. ``kb-alias``: it matches a KB alias the same way: a name in another language, a former
   name, a ticker (MSFT, NASDAQ:MSFT, 0700.HK), a transliteration (納德拉 → Satya Nadella).
4. ``person-name`` / ``short-form``: the extractor saw the full name it stands for in the
   article (Gavin → Gavin Baker, 北疆绿能 → 北疆绿能电力股份有限公司); the full name goes
   through the cascade. Bare surnames across articles (Altman → Sam Altman) are the store's
   business, so that the answer never depends on the order articles arrive in.
5. ``fuzzy``: a rapidfuzz ratio of at least ``FUZZY_THRESHOLD`` against KB names of the same
   kind only (a person never merges with a company), for Latin names long enough to be safe.
6. ``new``: a fresh IRI from the kind and the normalised name, so the same name of the same
   kind gets the same IRI in every article and every run.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

from rapidfuzz import fuzz, process

from kg.extract.cues import ORG_SUFFIXES_ZH
from kg.extract.gazetteer import fold
from kg.nlp.zh import to_simplified
from kg.models import Entity, Event, Evidence, Extraction, Mention, RawExtraction, Relation, Resolution
from kg.ontology import KBEntity, kb_by_iri, load_kb, load_ontology
from kg.vocab import ENTITY, EVENT

# A Latin suffix is a word of its own (Armco is not Arm Co.); a Chinese one ends the name.
LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:inc|corp|corporation|co|company|ltd|limited|llc|plc|holdings|group|ag|sa|nv|se"
    r"|pbc|gmbh|kk|pte|bv|spa|oyj|asa)\.?|股份有限公司|有限责任公司|有限公司|集团|控股|公司)$", re.IGNORECASE)
TICKER = re.compile(r"[a-z0-9]+(?:\.[a-z])?")
PUNCTUATION = re.compile(r"[\s\W_]+")
# Measured on tests/data/aliases.tsv (benchmarks/aliases.py): a false merge appears below 83;
# 85–92 give the same precision; 88 keeps a margin above the first false merge.
FUZZY_THRESHOLD = 88
FUZZY_MIN_LENGTH = 6
# People whose names differ by a letter are usually different people (Tim Cook / Tim Cooke),
# and places are few and spelt consistently: fuzzy matching is for organisations and products.
FUZZY_KINDS = ("org", "product")
CASCADE = ("exact", "normalised", "kb-alias", "person-name", "short-form", "fuzzy", "new")
LATIN_HEAD = re.compile(r"^[\x00-\x7f]+")
ADMINISTRATIVE_SUFFIX = re.compile(r"(?<=..)(?:特别行政区|自治区|省|市|县)$")
HAN = re.compile(r"[\u3400-\u9fff]")
# Words soon after 小米 / 苹果 that make it the company rather than the grain or the fruit.
COMPANY_CUE = re.compile(r"^.{0,4}?(?:公司|集团|集團|手机|手機|股价|股價|股份|发布|發布|财报|財報|科技|汽车|汽車|首席|"
                         r"创始人|創始人|CEO|宣布|市值|旗下|芯片|门店|門店|用户|用戶|产品|產品|系统|系統|业务|業務|云|雲)")


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


def match_key(name: str) -> str:
    """core_name without punctuation or spaces: 'Open-AI' = 'OpenAI', 'T.S.M.C.' = 'TSMC'."""
    return PUNCTUATION.sub("", core_name(name)) or core_name(name)


def ticker_keys(name: str) -> list[str]:
    """'NASDAQ:MSFT' → msft; '0700.HK' and 'HKEX:0700' → 700; 'BRK.B' → brk.b (or brk)."""
    text = re.sub(r"^[a-z]+:", "", fold(name).strip())
    keys = [text, re.sub(r"\.[a-z]{1,2}$", "", text)]
    return [k.lstrip("0") if k.isdigit() else k for k in dict.fromkeys(keys) if TICKER.fullmatch(k)]


@cache
def kb_index() -> dict[str, dict[tuple[str, str], KBEntity]]:
    """Per cascade rule, (kind, key) → KB entity; the first entity (by IRI) wins a shared key."""
    index: dict[str, dict[tuple[str, str], KBEntity]] = {"exact": {}, "normalised": {}, "kb-alias": {}}
    for entity in load_kb():
        for label in entity.names():
            index["exact"].setdefault((entity.kind, label), entity)
            index["normalised"].setdefault((entity.kind, match_key(label)), entity)
        aliases = entity.names(entity.aliases)
        for alias in aliases:
            index["kb-alias"].setdefault((entity.kind, match_key(alias)), entity)
        for key in ticker_keys(entity.ticker or "")[:1]:
            index["kb-alias"].setdefault((entity.kind, "$" + key), entity)
    return index


@cache
def fuzzy_choices(kind: str) -> tuple[list[str], list[KBEntity]]:
    """Latin KB names of one kind, by key, for fuzzy matching (sorted: ties break the same way)."""
    names: dict[str, KBEntity] = {}
    for (k, key), entity in sorted({**kb_index()["normalised"], **kb_index()["kb-alias"]}.items()):
        if k == kind and not key.startswith("$") and len(key) >= FUZZY_MIN_LENGTH and key.isascii():
            names.setdefault(key, entity)
    return list(names), list(names.values())


def resolve_name(name: str, cls: str, fuzzy_threshold: float = FUZZY_THRESHOLD) -> Resolution:
    """The cascade for one name of one class, against the knowledge base."""
    kind = kind_of(cls)
    index = kb_index()
    candidates = [name, ADMINISTRATIVE_SUFFIX.sub("", fold(name))] if kind == "place" else [name]
    for candidate in candidates:
        if known := index["exact"].get((kind, candidate)):
            return Resolution(surface=name, iri=known.iri, rule="exact")
        if known := index["normalised"].get((kind, match_key(candidate))):
            return Resolution(surface=name, iri=known.iri, rule="normalised")
        if known := index["kb-alias"].get((kind, match_key(candidate))):
            return Resolution(surface=name, iri=known.iri, rule="kb-alias")
    if name.strip().upper() == name.strip():  # tickers are written in capitals
        for key in ticker_keys(name):
            if known := index["kb-alias"].get((kind, "$" + key)):
                return Resolution(surface=name, iri=known.iri, rule="kb-alias")
    if fuzzy := _fuzzy(name, kind, fuzzy_threshold):
        return fuzzy
    return Resolution(surface=name, iri=new_iri(kind, name), rule="new")


def _fuzzy(name: str, kind: str, threshold: float) -> Resolution | None:
    key = match_key(name)
    if kind not in FUZZY_KINDS or len(key) < FUZZY_MIN_LENGTH or not key.isascii():
        return None
    keys, entities = fuzzy_choices(kind)
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=threshold)
    if best is None:
        return None
    return Resolution(surface=name, iri=entities[best[2]].iri, rule="fuzzy", score=round(best[1] / 100, 3))


def new_iri(kind: str, name: str) -> str:
    """Organisations drop their legal suffix, so 'Applied Digital Corp.' = 'Applied Digital'."""
    english = english_name(name)
    return f"{ENTITY}{kind}/{slug(core_name(english) if kind == 'org' else english)}"


def kind_of(cls: str) -> str:
    return load_ontology().kinds.get(cls, "org")


def link(raw: RawExtraction) -> Extraction:
    raw = _without_unsupported(raw)
    article = raw.article
    decisions = [_resolve(m) for m in raw.mentions]
    iris = [d.iri for d in decisions]
    mentions = [m.model_copy(update={"entity": iri}) for m, iri in zip(raw.mentions, iris)]
    entities = _entities(article, mentions, decisions)
    relations = _relations(raw, iris)
    events = [_event(raw, e, iris) for e in raw.events]
    resolutions = sorted(set(decisions), key=lambda d: (d.iri, d.surface, d.rule))
    return Extraction(article=article, entities=entities, mentions=mentions, relations=relations,
                      events=sorted({e.iri: e for e in events}.values(), key=lambda e: e.iri),
                      resolutions=resolutions)


def _without_unsupported(raw: RawExtraction) -> RawExtraction:
    """Drop KB mentions whose text is also a common word (小米 the grain) when nothing in the
    article supports the entity: no unambiguous name of it, no relation or event, no cue."""
    kb = kb_by_iri()
    involved = {i for c in raw.candidates for i in (c.subject, c.object)} | {
        i for e in raw.events for i in e.participants}
    unambiguous = {m.entity for m in raw.mentions if m.entity and m.text not in kb[m.entity].ambiguous}
    keep = [not (m.entity and m.text in kb[m.entity].ambiguous) or i in involved or m.entity in unambiguous
            or bool(COMPANY_CUE.match(raw.article.text[m.end:m.end + 12])) for i, m in enumerate(raw.mentions)]
    if all(keep):
        return raw
    new_index = {old: new for new, old in enumerate(i for i, k in enumerate(keep) if k)}
    mentions = [m for m, k in zip(raw.mentions, keep) if k]
    candidates = [c.model_copy(update={"subject": new_index[c.subject], "object": new_index[c.object],
                                       "asserter": new_index.get(c.asserter)}) for c in raw.candidates]
    events = [e.model_copy(update={"participants": [new_index[i] for i in e.participants],
                                   "asserter": new_index.get(e.asserter)}) for e in raw.events]
    return raw.model_copy(update={"mentions": mentions, "candidates": candidates, "events": events})


def _resolve(mention: Mention) -> Resolution:
    if mention.entity:  # the gazetteer found a KB label or alias in the text
        known = kb_by_iri()[mention.entity]
        rule = ("exact" if mention.text in known.names() else
                "normalised" if match_key(mention.text) in {match_key(n) for n in known.names()} else "kb-alias")
        return Resolution(surface=mention.text, iri=mention.entity, rule=rule)
    if mention.full_name and mention.full_name != mention.text:
        full = resolve_name(mention.full_name, mention.type)
        rule = "person-name" if kind_of(mention.type) == "person" else "short-form"
        return Resolution(surface=mention.text, iri=full.iri, rule=rule, score=full.score)
    return resolve_name(mention.text, mention.type)


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


def _entities(article, mentions: list[Mention], decisions: list[Resolution]) -> list[Entity]:
    """One Entity per IRI; its resolution is the strongest rule any of its mentions took."""
    strongest: dict[str, str] = {}
    for d in decisions:
        strongest[d.iri] = min(strongest.get(d.iri, d.rule), d.rule, key=CASCADE.index)
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
        ordered = _ordered_labels(preferred, labels)
        entities.append(Entity(
            iri=iri, type=known.type if known else _most_specific(group), labels=ordered,
            resolution=strongest[iri]))
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
