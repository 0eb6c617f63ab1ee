"""Train the Chinese relation classifier on a FinRE file:

    .venv/bin/python -m kg.train_finre ../shared/data/finre/train.txt [-o kg/extract/models/finre-relation/model.npz]

Each annotated pair whose two names occur in the sentence, one before the other, is an
example; its labels are the FinRE labels read in text order (see kg.extract.relation_classifier).
Deterministic: the same file gives the same weights.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from kg import evaluate_finre as finre
from kg.extract import relation_classifier as classifier
from kg.nlp import analyse


def examples(path: Path) -> list[tuple[list[str], list[str]]]:
    gold = finre.gold_by_sentence(finre.read_finre(path), finre.scored_labels(finre.label_map()))
    out = []
    for sentence, pairs in gold.items():
        doc = analyse(finre.chinese_article(sentence))
        for pair, facts in pairs.items():
            spans = sorted((sentence.find(name), sentence.find(name) + len(name), name) for name in pair)
            if len(spans) < 2 or spans[0][0] < 0 or spans[0][1] > spans[1][0]:
                continue  # a name missing from the sentence, or one name inside the other
            first = spans[0][2]
            labels = [label if label in finre.SYMMETRIC_LABELS
                      else label + (classifier.FORWARD if head == first else classifier.BACKWARD)
                      for label, (head, _tail) in sorted(facts)]
            out.append((classifier.features(doc.norm_text, doc.tokens, spans[0][:2], spans[1][:2]),
                        labels or [classifier.NONE]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=classifier.MODEL_PATH)
    args = parser.parse_args()
    data = examples(args.train)
    model = classifier.train(data)
    model.save(args.out)
    print(f"{len(data)} examples, {len(model.index)} features, {len(model.labels)} labels → {args.out}")


if __name__ == "__main__":
    main()
