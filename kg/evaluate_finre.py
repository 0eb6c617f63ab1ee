"""Score end-to-end relation extraction on FinRE (thunlp/Chinese_NRE, MIT).

FinRE lines are ``head \\t tail \\t label \\t sentence``; one annotated entity pair per line.
Each sentence is run through the real pipeline as a Chinese article (nlp → extract), the
head and tail are looked up among the extracted mentions (a mention equal to or containing
the entity string), and the relations predicted between them are compared with the gold.

Scoring rules:
- Only FinRE labels that some ontology property maps (``nkg:finreLabel``) are scored;
  ``unknown`` is "no relation" and 自己 (the same entity) is a merge, not a relation.
- ``被X`` on (head, tail) is X on (tail, head). Labels FinRE annotates in both directions
  (合作, 签约, 订单 …) compare as unordered pairs. FinRE lists every directed pair twice
  (A收购B and B被收购A); each fact counts once.
- A property standing for several labels (investsIn: 注资, 入股) predicts the one the gold
  has, else its first.
- A predicted mapped relation that the gold of that pair lacks is a false positive (on an
  ``unknown`` pair too); a gold relation not predicted, including one whose entities were
  not found, is a false negative.
- Predictions between other pairs of the same sentence are not scored: FinRE annotates
  only some pairs of each sentence.

With ``--gold-entities`` the annotated names are handed to relation extraction as mentions,
which measures relation extraction apart from entity finding.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.evaluate import prf
from kg.models import Article, Mention, RawExtraction

PASSIVE = "被"
GOLD_RULE = "finre-gold"
# FinRE labels without a 被- form: the dataset annotates both directions with the same label.
SYMMETRIC_LABELS = frozenset({"合作", "竞争", "签约", "纠纷", "交易", "重组", "订单", "合并", "合资", "商讨"})

Fact = tuple[str, tuple[str, ...]]  # (base label, entity pair: ordered, or sorted when symmetric)


@dataclass(frozen=True)
class Instance:
    head: str
    tail: str
    label: str
    sentence: str


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    pairs: int = 0
    pairs_found: int = 0
    gold_reachable: int = 0  # gold facts on pairs whose entities were found: the recall ceiling
    sentences: int = 0
    seconds: float = 0.0


def read_finre(path: Path, limit: int | None = None) -> list[Instance]:
    """The file's instances (blank lines skipped); with ``limit``, the first ``limit`` of them."""
    instances = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                raise ValueError(f"{path}:{number}: expected head, tail, relation, sentence separated by tabs")
            instances.append(Instance(*fields))
            if limit is not None and len(instances) >= limit:
                break
    return instances


def label_map() -> dict[str, str]:
    """FinRE label (maybe 被-) → ontology property, from the ontology's annotations."""
    from kg.ontology import load_ontology

    return {label: prop.name for prop in load_ontology().properties.values() for label in prop.finre_labels}


def fact(label: str, head: str, tail: str) -> Fact:
    """The canonical fact a label states about (head, tail)."""
    if label.startswith(PASSIVE) and len(label) > 1:
        label, head, tail = label[1:], tail, head
    pair = tuple(sorted((head, tail))) if label in SYMMETRIC_LABELS else (head, tail)
    return label, pair


def scored_labels(mapping: dict[str, str]) -> frozenset[str]:
    """The base labels the ontology maps, the only ones scored."""
    return frozenset(fact(label, "", "")[0] for label in mapping)


def gold_by_sentence(instances: Iterable[Instance], scored: frozenset[str]) -> dict[str, dict[frozenset, set[Fact]]]:
    """sentence → annotated unordered pair → its gold facts (empty for unknown/自己 only)."""
    gold: dict[str, dict[frozenset, set[Fact]]] = defaultdict(dict)
    for item in instances:
        facts = gold[item.sentence].setdefault(frozenset((item.head, item.tail)), set())
        canonical = fact(item.label, item.head, item.tail)
        if canonical[0] in scored:
            facts.add(canonical)
    return gold


def extract_sentence(sentence: str, names: Iterable[str] = ()) -> RawExtraction:
    """The pipeline's extraction of the sentence as a Chinese article; ``names`` unused."""
    from kg.extract import extract
    from kg.nlp import analyse

    return extract(analyse(chinese_article(sentence)))


def extract_with_gold_entities(sentence: str, names: Iterable[str]) -> RawExtraction:
    """As the pipeline, but every occurrence of the annotated names is a Company mention
    (overruling overlapping extracted ones): relation extraction measured on its own."""
    from kg.extract.entities import find_mentions
    from kg.extract.relations import find_candidates
    from kg.nlp import analyse

    doc = analyse(chinese_article(sentence))
    gold: list[Mention] = []
    for name in sorted(set(names), key=len, reverse=True):
        start = sentence.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(m.start < end and start < m.end for m in gold):
                gold.append(Mention(text=name, start=start, end=end, type="Company", rule=GOLD_RULE))
            start = sentence.find(name, end)
    kept = [m for m in find_mentions(doc) if not any(g.start < m.end and m.start < g.end for g in gold)]
    mentions = sorted(kept + gold, key=lambda m: (m.start, m.end))
    return RawExtraction(article=doc.article, mentions=mentions,
                         candidates=list(find_candidates(doc, mentions)), events=[])


def chinese_article(sentence: str) -> Article:
    return Article(id="finre", source="finre", language="zh", script="Hans", text=sentence)


def mentions_of(entity: str, extraction: RawExtraction) -> set[int]:
    """Indexes of the mentions that are or contain the entity's name."""
    return {i for i, m in enumerate(extraction.mentions) if entity in m.text}


def predicted_facts(pair: frozenset, extraction: RawExtraction, to_label: dict[str, list[str]],
                    expected: set[Fact]) -> tuple[bool, set[Fact]]:
    """Whether both entities of the pair were found, and the facts predicted between them.
    A property that stands for several labels (investsIn: 注资, 入股) predicts the one the
    gold has, else its first."""
    names = sorted(pair) if len(pair) == 2 else [next(iter(pair))] * 2
    found = {name: mentions_of(name, extraction) for name in names}
    if not all(found.values()):
        return False, set()
    facts = set()
    for c in extraction.candidates:
        for head, tail in ((names[0], names[1]), (names[1], names[0])):
            if c.subject in found[head] and c.object in found[tail] and c.subject != c.object:
                options = [fact(label, head, tail) for label in to_label.get(c.predicate, ())]
                facts.update([f for f in options if f in expected] or options[:1])
    return True, facts


def evaluate(instances: list[Instance], extractor=extract_sentence) -> Tally:
    mapping = label_map()
    to_label: dict[str, list[str]] = defaultdict(list)
    for label, prop in sorted(mapping.items()):
        to_label[prop].append(label)
    gold = gold_by_sentence(instances, scored_labels(mapping))
    tally = Tally(sentences=len(gold))
    started = time.perf_counter()
    for sentence, pairs in gold.items():
        extraction = extractor(sentence, {name for pair in pairs for name in pair})
        for pair, expected in pairs.items():
            found, predicted = predicted_facts(pair, extraction, to_label, expected)
            tally.pairs += 1
            tally.pairs_found += found
            tally.gold_reachable += len(expected) if found else 0
            for label, _ in predicted & expected:
                tally.tp[label] += 1
            for label, _ in predicted - expected:
                tally.fp[label] += 1
            for label, _ in expected - predicted:
                tally.fn[label] += 1
    tally.seconds = time.perf_counter() - started
    return tally


def report(tally: Tally) -> Iterator[str]:
    labels = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn),
                    key=lambda label: (-(tally.tp[label] + tally.fn[label]), label))
    yield f"{'relation':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
    for label in labels:
        p, r, f = prf(tally.tp[label], tally.fp[label], tally.fn[label])
        yield f"{label:<8} {p:6.3f} {r:6.3f} {f:6.3f} {tally.tp[label]:5d} {tally.fp[label]:5d} {tally.fn[label]:5d}"
    tp, fp, fn = (sum(c.values()) for c in (tally.tp, tally.fp, tally.fn))
    p, r, f = prf(tp, fp, fn)
    yield f"{'micro':<8} {p:6.3f} {r:6.3f} {f:6.3f} {tp:5d} {fp:5d} {fn:5d}"
    share = tally.pairs_found / tally.pairs if tally.pairs else 0.0
    ceiling = tally.gold_reachable / (tp + fn) if tp + fn else 0.0
    yield (f"entity pairs with both entities found: {tally.pairs_found}/{tally.pairs} ({share:.1%}); "
           f"gold relations on them: {tally.gold_reachable}/{tp + fn} (recall ceiling {ceiling:.3f}); "
           f"{tally.sentences} sentences in {tally.seconds:.1f} s")
    yield ("Only the annotated pair of each line is scored (FinRE annotates one pair per line); "
           "each directed fact counts once (A收购B = B被收购A).")
