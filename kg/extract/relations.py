"""Relations from the ontology's lexicon patterns (the pattern language is documented at
the top of ``ontologies/nkg.ttl``).

Technique: entity masking, as in classic pattern-based relation extraction (Hearst 1992;
Brin 1998, DIPRE): each sentence is rewritten with every mention replaced by a
placeholder carrying its class code, ``⟨C:3⟩``, and each pattern becomes a regular
expression over that masked sentence whose slots only accept the codes of classes that
fit the property's domain or range. Chinese patterns match characters of the Simplified
text; English patterns match tokens by lower-cased form or lemma.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kg.extract import relation_classifier
from kg.extract.dependency import dependency_candidates
from kg.models import AnalysedArticle, Candidate, Mention, Span
from kg.ontology import Ontology, Property, load_ontology

SLOT = re.compile(r"(\{S\}|\{O\}|……|…|\$)")
FIELD = "\x1f"  # separates a token's form from its lemma in the masked English sentence
# A name right after a name, in brackets, is its alias (辉达（NVIDIA）): the pair reads as one.
BRACKETED_ALIAS = re.compile(r"⟩\s*[（(]⟨[A-Z]:\d+⟩[）)]", re.IGNORECASE)
CONJUNCTIONS = {"和", "与", "及", "以及", "、", "and", ", and", "or", ", or", "&"}
JOINED_SLOTS = re.compile(r"\{S\}(?:和|与|及|、)\{O\}")
# A comma joins list members only when a conjunction closes the list: "A, B and C".
LIST_COMMA = ","
# A mention followed by a possessive belongs to the next noun, not to a coordination before it.
POSSESSIVES = ("'s", "’s", "的")
MAX_GAP = {"zh": (12, 60), "en": (5, 40)}  # (short …, long ……)
TOPIC_GAP = 40  # zh: characters from a leading {S} to its verb, across commas
# Speech verbs; a company's own announcement (公告称) reports what it does.
SPEECH_VERBS_ZH = "表示|认为|指出|(?<!公告)称|说|透露|强调|介绍|坦言|预计|预期|分析"


@cache
def class_codes() -> dict[str, str]:
    """One letter per entity class, stable across runs (sorted class names)."""
    return {name: chr(ord("A") + i) for i, name in enumerate(sorted(load_ontology().kinds))}


@dataclass(frozen=True)
class CompiledPattern:
    prop: Property
    source: str
    regex: re.Pattern
    anchor: str  # a literal that must occur in the masked sentence, to skip patterns cheaply
    confidence: float
    joins_slots: bool = False  # {S} and {O} joined by a conjunction only: {S}、{O}…合资


def _codes(onto: Ontology, cls: str) -> str:
    codes = class_codes()
    return "".join(sorted(codes[c] for c in onto.compatible(cls) if c in codes))


def compile_pattern(prop: Property, source: str, lang: str, onto: Ontology,
                    cue: bool = False) -> CompiledPattern:
    """A relation pattern; or, with ``cue``, a source cue of attribution (据{S}…报道), which
    has no implicit slots and whose gap stays in its clause."""
    short, long = MAX_GAP[lang]
    slot_codes = {"{S}": _codes(onto, prop.domain), "{O}": _codes(onto, prop.range)}
    # A short gap may pass over mentions of other kinds (a place, a product), never over one
    # that could fill a slot: the slots bind the nearest fitting mentions.
    rivals = "".join(sorted(set(slot_codes["{S}"] + slot_codes["{O}"])))
    pieces = [p for p in SLOT.split(source.strip()) if p.strip()]
    parts, literals, penalty = [], [], 0.0
    for position, piece in enumerate(pieces):
        if piece in slot_codes:
            name = piece[1]
            # Chinese text often puts a space between a Latin title and a name: 兼CEO Daniel Hartmann
            parts.append(f"⟨[{slot_codes[piece]}]:(?P<{name}>\\d+)⟩ " if lang == "en"
                         else f"\\s?⟨[{slot_codes[piece]}]:(?P<{name}>\\d+)⟩\\s?")
        elif piece == "$":
            parts.append("(?=[，,；;。！？!?]|$)" if lang == "zh" else f"(?=[,;.!?:]{FIELD}|$)")
        elif piece == "…":
            penalty += 0.1
            # Chinese news states its subject once and goes on after a comma (A公告称，拟收购B):
            # after a leading {S} the gap may cross commas, still over no rival mention.
            # What follows a speech verb is what the subject says, not what it does (腾讯表示，…).
            topic = lang == "zh" and position == 1 and pieces[0] == "{S}" and not cue
            breaks = "；;。！？!?" if topic else "，,；;。！？!?"
            said = f"(?!{SPEECH_VERBS_ZH})" if topic else ""
            # …and over the rest of a list the slot's mention opens (与腾讯、字节跳动展开竞争)
            parts.append(f"(?:{said}[^{breaks}⟨]|⟨[^{rivals}⟩]:\\d+⟩|(?<=[、和及])⟨[A-Z]:\\d+⟩)"
                         f"{{0,{TOPIC_GAP if topic else short}}}?"
                         if lang == "zh"
                         else f"(?:(?![,;:]{FIELD})(?!⟨[{rivals}]:)[^ ]+ ){{0,{short}}}?")
        elif piece == "……":
            penalty += 0.2
            parts.append(f"[^。！？!?]{{0,{long}}}?" if lang == "zh" else f"(?:[^ ]+ ){{0,{long}}}?")
        elif lang == "zh":
            literals.append(piece.strip().lower())
            parts.append(re.escape(piece.strip().lower()))
        else:
            words = piece.lower().split()
            literals.extend(words)
            parts.append("".join(f"(?:{re.escape(w)}{FIELD}[^ ]+|[^ ]+{FIELD}{re.escape(w)}) " for w in words))
    if not cue and "{S}" not in pieces:  # the nearest fitting mention before the pattern, same sentence
        penalty += 0.1
        s = slot_codes["{S}"]
        parts.insert(0, f"⟨[{s}]:(?P<S>\\d+)⟩(?:(?!⟨[{s}]:)[^。！？!?]){{0,40}}?" if lang == "zh"
                     else f"⟨[{s}]:(?P<S>\\d+)⟩ (?:(?!⟨[{s}]:)[^ ]+ ){{0,15}}?")
    if not cue and "{O}" not in pieces:  # the nearest fitting mention after it, same clause
        penalty += 0.1
        o = slot_codes["{O}"]
        parts.append(f"[^，,；;。！？!?]{{0,20}}?⟨[{o}]:(?P<O>\\d+)⟩" if lang == "zh"
                     else f"(?:(?![,;:]{FIELD})[^ ]+ ){{0,8}}?⟨[{o}]:(?P<O>\\d+)⟩ ")
    prefix = "" if lang == "zh" else "(?:(?<= )|^)"
    return CompiledPattern(
        prop=prop, source=source, regex=re.compile(prefix + "".join(parts), re.IGNORECASE),
        anchor=max(literals, key=len) if literals else "", confidence=round(max(0.5, 0.9 - penalty), 2),
        joins_slots=bool(JOINED_SLOTS.search(source)))


# An active Chinese pattern, subject … verb object (恒锐集团…增持{O}), read in the passive voice.
ACTIVE_ZH = re.compile(r"^\{S\}…(?P<verb>[^{}…$与和向为对从同跟把将被]+)\{O\}$")


def with_passives(prop: Property, lang: str) -> list[str]:
    """The property's patterns, and for each active Chinese one its passive with 被
    (B被A增持 = A增持B); a symmetric relation or a verb in 于 (任职于) has none."""
    out = list(prop.patterns.get(lang, ()))
    if lang == "zh" and not prop.symmetric:
        for source in tuple(out):
            active = ACTIVE_ZH.match(source)
            if active and not active["verb"].endswith("于"):
                passive = f"{{O}}…被{{S}}…{active['verb']}"
                out += [passive] if passive not in out else []
    return out


@cache
def compiled_patterns(lang: str) -> tuple[CompiledPattern, ...]:
    onto = load_ontology()
    return tuple(compile_pattern(prop, source, lang, onto)
                 for prop in onto.properties.values() for source in with_passives(prop, lang))


def mask_sentence(doc: AnalysedArticle, sentence: Span, mentions: list[tuple[int, Mention]]) -> str:
    """The sentence with every mention replaced by ``⟨code:index⟩``."""
    codes = class_codes()
    if doc.article.language == "zh":
        out, pos = [], sentence.start
        for index, m in mentions:
            out += [doc.norm_text[pos:m.start], f"⟨{codes[m.type]}:{index}⟩"]
            pos = m.end
        out.append(doc.norm_text[pos:sentence.end])
        return BRACKETED_ALIAS.sub("⟩", "".join(out).lower())
    out, spans = [], iter(mentions)
    current = next(spans, None)
    first = bisect_left(doc.tokens, sentence.start, key=lambda t: t.start)
    for token in doc.tokens[first:]:
        if token.start >= sentence.end:
            break
        if token.end > sentence.end or not token.text.strip():
            continue
        while current and token.start >= current[1].end:
            current = next(spans, None)
        if current and token.start >= current[1].start:
            if token.start == current[1].start or not out or not out[-1].startswith("⟨"):
                out.append(f"⟨{codes[current[1].type]}:{current[0]}⟩")
            continue
        out.append(f"{token.norm}{FIELD}{token.lemma}")
    return " ".join(out) + " "


def nested_places(doc: AnalysedArticle, mentions: list[tuple[int, Mention]]) -> dict[int, int]:
    """Adjacent places name one place inside another: 'Wisconsin Kenosha' (Chinese order,
    larger first) and 'Kenosha, Wisconsin' (English order). Maps the larger to the smaller."""
    onto = load_ontology()
    larger_of: dict[int, int] = {}
    for k, ((i, a), (j, b)) in enumerate(zip(mentions, mentions[1:])):
        between = doc.article.text[a.end:b.start]
        if doc.article.language == "en" and _in_place_list(doc.article.text, mentions, k, onto):
            continue
        if onto.fits(a.type, "Place") and onto.fits(b.type, "Place") and between.strip() in ("", ","):
            specific, general = (j, i) if doc.article.language == "zh" else (i, j)
            larger_of[general] = specific
    return larger_of


def _in_place_list(text: str, mentions: list[tuple[int, Mention]], k: int, onto: Ontology) -> bool:
    """'Japan, Poland and the U.S.': places in a list are siblings, not one inside the other."""
    def joined(left: int, right: int) -> bool:
        return (0 <= left and right < len(mentions) and onto.fits(mentions[left][1].type, "Place")
                and onto.fits(mentions[right][1].type, "Place")
                and text[mentions[left][1].end:mentions[right][1].start].strip() in (",", "and", ", and", "or"))
    return joined(k - 1, k) or (joined(k + 1, k + 2) and text[mentions[k + 1][1].end:
                                                             mentions[k + 2][1].start].strip() != ",")


def conjunct_groups(doc: AnalysedArticle, mentions: list[tuple[int, Mention]],
                    absorbed: list[Mention]) -> dict[int, list[int]]:
    """Mentions joined only by a conjunction (A和B, A、B, A and B) form one group."""
    chains: list[list[tuple[str, int]]] = []  # (joining word before it, mention index)
    previous: Mention | None = None
    for index, m in mentions:
        between = _text_without(doc.article.text, previous.end, m.start, absorbed).lower() if previous else ""
        possessor = doc.article.text.startswith(POSSESSIVES, m.end)  # "… and Microsoft's Azure"
        if previous is not None and not possessor and (between in CONJUNCTIONS or between == LIST_COMMA):
            chains[-1].append((between, index))
        else:
            chains.append([("", index)])
        previous = m
    groups: dict[int, list[int]] = {}
    for chain in chains:
        for part in _close_lists(chain):
            for _, index in part:
                groups[index] = [i for _, i in part]
    return groups


def _close_lists(chain: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Split a chain at commas that no later conjunction closes ('acquire A, B reported')."""
    closed = any(word != LIST_COMMA and word for word, _ in chain)
    if closed or len(chain) == 1:
        return [chain]
    return [[item] for item in chain]


def _text_without(text: str, start: int, end: int, absorbed: list[Mention]) -> str:
    parts, pos = [], start
    for m in absorbed:
        if start <= m.start and m.end <= end:
            parts.append(text[pos:m.start])
            pos = m.end
    parts.append(text[pos:end])
    return "".join(parts).strip()


def mentions_in(sentence: Span, mentions: list[Mention], starts: list[int]) -> list[tuple[int, Mention]]:
    """(index, mention) of the mentions inside the sentence; ``starts`` are the mentions'
    start offsets (mentions come sorted by start)."""
    lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
    return [(i, mentions[i]) for i in range(lo, hi) if mentions[i].end <= sentence.end]


def find_candidates(doc: AnalysedArticle, mentions: list[Mention]) -> Iterator[Candidate]:
    onto = load_ontology()
    starts = [m.start for m in mentions]
    parsed = dependency_candidates(doc, mentions) if doc.article.language == "en" else {}
    for sentence in doc.sentences:
        inside = mentions_in(sentence, mentions, starts)
        if len(inside) < 2:
            continue
        found: dict[tuple[int, str, int], Candidate] = {}
        for c in [*_sentence_candidates(doc, mentions, inside, sentence), *parsed.get(sentence.start, ())]:
            found.setdefault((c.subject, c.predicate, c.object), c)
        overridden = {(s, name, o) for (s, p, o) in found
                      for name in (onto.properties[p].overrides if p in onto.properties else ())}
        yield from (c for key, c in found.items() if key not in overridden)


def _sentence_candidates(doc: AnalysedArticle, mentions: list[Mention], inside: list[tuple[int, Mention]],
                         sentence: Span) -> Iterator[Candidate]:
    """Every candidate of one sentence; the first pattern to find a triple keeps it."""
    onto = load_ontology()
    larger_of = nested_places(doc, inside)
    for general, specific in larger_of.items():
        yield Candidate(subject=specific, predicate="locatedIn", object=general, confidence=0.8,
                        sentence=sentence, pattern="adjacent places")
    absorbed = [mentions[i] for i in larger_of]
    inside = [(i, m) for i, m in inside if i not in larger_of]
    masked = mask_sentence(doc, sentence, inside)
    groups = conjunct_groups(doc, inside, absorbed)
    related: set[frozenset[int]] = set()
    for pattern in compiled_patterns(doc.article.language):
        if pattern.anchor not in masked:
            continue
        prop = pattern.prop
        for s, o in _matches(pattern.regex, masked):
            whole_group = pattern.joins_slots and prop.symmetric and groups[s] is groups[o]
            for subject, obj in _pairs(s, o, groups, whole_group):
                if (subject != obj and onto.fits(mentions[subject].type, prop.domain)
                        and onto.fits(mentions[obj].type, prop.range)
                        and (not prop.same_kind or onto.kinds.get(mentions[subject].type)
                             == onto.kinds.get(mentions[obj].type))):
                    related.add(frozenset((subject, obj)))
                    yield Candidate(subject=subject, predicate=prop.name, object=obj,
                                    confidence=pattern.confidence, sentence=sentence, pattern=pattern.source)
    if doc.article.language == "zh":  # pairs no pattern relates: FinRE's classifier
        yield from relation_classifier.candidates(doc, mentions, inside, sentence, related, groups)


def _pairs(s: int, o: int, groups: dict[int, list[int]], whole_group: bool) -> Iterator[tuple[int, int]]:
    """The (subject, object) pairs a match stands for. Coordinated mentions share the relation
    (A和B收购C); a symmetric pattern whose slots are themselves conjoined (A、B和C合资) relates
    every member of the list with every other; otherwise two members of one list are just the
    pair ('A与B签署…': the 与 is 'with')."""
    if whole_group:
        yield from ((a, b) for a in groups[s] for b in groups[s] if a < b)
    elif groups[s] is groups[o]:
        yield s, o
    else:
        yield from ((a, b) for a in groups[s] for b in groups[o])


def _matches(regex: re.Pattern, masked: str) -> Iterator[tuple[int, int]]:
    """Every match; the next search starts at the match's last mention, so one mention can
    close one match and open the next (A收购B，B收购C)."""
    pos = 0
    while (match := regex.search(masked, pos)) is not None:
        yield int(match.group("S")), int(match.group("O"))
        pos = masked.rfind("⟨", 0, max(match.start("S"), match.start("O")) + 1)
