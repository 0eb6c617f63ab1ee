"""A statistical back-up to the Chinese lexicon patterns: a relation classifier for two
organisations of one sentence, trained on FinRE's train split (thunlp/Chinese_NRE, MIT).

Multinomial logistic regression over sparse lexical features of the pair in context (the
pipeline's jieba words and character bigrams between the two names, words around them,
their distance, a passive 被 or a clause break between them), trained with AdaGrad. Its labels are FinRE's,
read in text order: ``拥有>`` (the first name owns the second), ``拥有<`` (the second owns
the first), ``合作`` (symmetric), ``none``. The weights live in
``kg/extract/models/finre-relation/model.npz`` (model card beside it); without that file the
classifier is off. It only adds a relation where no pattern relates the pair, and never
between names only listed together.
"""
from __future__ import annotations

import random
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from kg.models import AnalysedArticle, Candidate, Mention, Span, Token
from kg.ontology import load_ontology

MODEL_PATH = Path(__file__).resolve().parent / "models" / "finre-relation" / "model.npz"
NONE = "none"
FORWARD, BACKWARD = ">", "<"
THRESHOLD = 0.5  # leans to precision: on a held-out fifth of train, F1 is flat from 0.3 to 0.5
# In FinRE any firm commenting on a company is its analyst (分析); in tech news a firm's view
# of a deal is not coverage. The patterns (分析师, 评级, 研报) find analysts precisely enough.
PATTERN_ONLY_LABELS = frozenset({"分析"})
MAX_GAP = 60  # characters between the two names, as the patterns' long gap
CONTEXT = 12  # characters of context read on either side of the pair
LISTING = ("、", "和", "与", "及", ",", "，")
LIST_SEPARATORS = ("、", ",", "，")
CLAUSE_BREAK = re.compile(r"[,，;；]")
# Training (AdaGrad on the log loss), compared on a held-out fifth of train.
MIN_FEATURE_COUNT = 2
LEARNING_RATE = 0.3
L2 = 1e-3
EPOCHS = 8


def _words(text: str, tokens: Sequence[Token], lo: int, hi: int) -> list[str]:
    """The pipeline's tokens within [lo, hi), cut at its edges (a token may run into a name)."""
    first = max(0, bisect_left(tokens, lo, key=lambda t: t.start) - 1)
    words = []
    for start, end, *_ in tokens[first:]:
        if start >= hi:
            break
        if end > lo and (word := text[max(start, lo):min(end, hi)]).strip():
            words.append(word)
    return words


def features(text: str, tokens: Sequence[Token], first: tuple[int, int], second: tuple[int, int]) -> list[str]:
    """Features of two names of ``text`` (Simplified, segmented into the pipeline's ``tokens``),
    ``first`` before ``second``."""
    mid = text[first[1]:second[0]]
    between = _words(text, tokens, first[1], second[0])
    before = _words(text, tokens, max(0, first[0] - CONTEXT), first[0])
    after = _words(text, tokens, second[1], second[1] + CONTEXT)
    out = ["BIAS", f"D:{min(len(mid) // 4, 12)}"]
    out += [f"M:{w}" for w in between] + [f"m2:{mid[i:i + 2]}" for i in range(len(mid) - 1)]
    out += [f"L:{w}" for w in before[-3:]] + [f"R:{w}" for w in after[:3]]
    out += [f"M1:{between[0]}", f"Mn:{between[-1]}"] if between else ["ADJ"]
    out += [f"L1:{before[-1]}"] if before else []
    out += [f"R1:{after[0]}"] if after else []
    out += [f"LIST:{mid.strip()}"] if mid.strip() in LISTING else []
    out += ["BEI"] if "被" in mid else []
    out += ["CLAUSE"] if CLAUSE_BREAK.search(mid) else []
    return out


@dataclass(frozen=True)
class Model:
    index: dict[str, int]  # feature → row of weights
    labels: tuple[str, ...]
    weights: np.ndarray  # features × labels

    def probabilities(self, feats: Iterable[str]) -> np.ndarray:
        rows = sorted({self.index[f] for f in feats if f in self.index})
        z = self.weights[rows].astype(np.float32).sum(axis=0)
        p = np.exp(z - z.max())
        return p / p.sum()

    def classify(self, text: str, tokens: Sequence[Token], first: tuple[int, int],
                 second: tuple[int, int]) -> tuple[str, float]:
        p = self.probabilities(features(text, tokens, first, second))
        best = int(p.argmax())
        return self.labels[best], float(p[best])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.index, key=self.index.get)
        np.savez_compressed(path, features=np.array(names), labels=np.array(self.labels),
                            weights=self.weights.astype(np.float16))


@cache
def load_model(path: Path = MODEL_PATH) -> Model | None:
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return Model(index={f: i for i, f in enumerate(data["features"].tolist())},
                     labels=tuple(data["labels"].tolist()), weights=data["weights"])


def train(examples: list[tuple[list[str], list[str]]], seed: int = 0) -> Model:
    """Fit on (features, labels) examples; an example with several labels counts once per label."""
    counts = Counter(f for feats, _ in examples for f in set(feats))
    index = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_FEATURE_COUNT))}
    labels = tuple(sorted({label for _, ls in examples for label in ls}))
    label_index = {label: i for i, label in enumerate(labels)}
    rows = [(np.array(sorted({index[f] for f in feats if f in index}), dtype=np.int64), label_index[label])
            for feats, ls in examples for label in ls]
    weights = np.zeros((len(index), len(labels)))
    squares = np.full_like(weights, 1e-8)
    shuffle = random.Random(seed).shuffle
    for _ in range(EPOCHS):
        shuffle(rows)
        for ids, y in rows:
            z = weights[ids].sum(axis=0)
            p = np.exp(z - z.max())
            p /= p.sum()
            p[y] -= 1
            gradient = p[None, :] + L2 * weights[ids]
            squares[ids] += gradient * gradient
            weights[ids] -= LEARNING_RATE * gradient / np.sqrt(squares[ids])
    return Model(index=index, labels=labels, weights=weights)


def _listed(text: str, first: Mention, second: Mention, group: list[int] | None, other: list[int] | None) -> bool:
    """Names only enumerated together (以A、B、C为例) state no relation between them."""
    return (text[first.end:second.start].strip() in LIST_SEPARATORS
            or (group is not None and group is other and len(group) > 2))


@cache
def _properties() -> dict[str, str]:
    """FinRE base label → the one property that carries it plainly (订单, carried by both
    supplierOf and customerOf, names no direction, so the classifier does not predict it;
    nor the labels left to the patterns)."""
    carriers: dict[str, list[str]] = {}
    for prop in load_ontology().properties.values():
        for label in prop.finre_labels:
            carriers.setdefault(label, []).append(prop.name)
    return {label: props[0] for label, props in carriers.items()
            if len(props) == 1 and label not in PATTERN_ONLY_LABELS}


def candidates(doc: AnalysedArticle, mentions: list[Mention], inside: list[tuple[int, Mention]], sentence: Span,
               related: set[frozenset[int]], groups: dict[int, list[int]]) -> Iterator[Candidate]:
    """Relations the classifier finds between organisations of one sentence that no pattern
    related and that are not members of one list."""
    model = load_model()
    if model is None:
        return
    onto = load_ontology()
    text, tokens = doc.norm_text, doc.tokens
    orgs = [(i, m) for i, m in inside if onto.fits(m.type, "Organization")]
    # A name between the pair may be the real argument (A旗下的B产品，C…): the classifier,
    # trained on sentences with only the pair marked, cannot tell, so it leaves such pairs.
    starts = [m.start for _, m in inside if not onto.fits(m.type, "Place")]
    for a, (i, first) in enumerate(orgs):
        for j, second in orgs[a + 1:]:
            if (second.start - first.end > MAX_GAP or first.end > second.start
                    or any(first.end <= start < second.start for start in starts)
                    or frozenset((i, j)) in related or _listed(text, first, second, groups.get(i), groups.get(j))):
                continue
            label, probability = model.classify(text, tokens, (first.start, first.end), (second.start, second.end))
            base = label.rstrip(FORWARD + BACKWARD)
            if label == NONE or probability < THRESHOLD or base not in _properties():
                continue
            subject, obj = (j, i) if label.endswith(BACKWARD) else (i, j)
            prop = onto.properties[_properties()[base]]
            if not (onto.fits(mentions[subject].type, prop.domain) and onto.fits(mentions[obj].type, prop.range)):
                continue
            yield Candidate(subject=subject, predicate=prop.name, object=obj,
                            confidence=round(min(probability, 0.7), 2), sentence=sentence,
                            pattern=f"finre-classifier:{label}")
