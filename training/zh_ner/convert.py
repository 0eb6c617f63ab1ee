"""CLUENER2020 JSON lines → spaCy DocBin, one token per character.

    python training/zh_ner/convert.py CLUENER_DIR OUT_DIR

CLUENER_DIR holds train.json and dev.json of ``cluener_public.zip``
(https://storage.googleapis.com/cluebenchmark/tasks/cluener_public.zip). Characters, not jieba
words, are the tokens: a name's edge then never falls inside a token. Only the types kg maps
onto its ontology are kept; the others (book, game, movie, position, scene) become O.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

# CLUENER type → the model's label (kg.nlp.zh_ner maps labels onto ontology classes).
LABELS = {"company": "COMPANY", "organization": "ORGANIZATION", "government": "GOVERNMENT",
          "name": "PERSON", "address": "ADDRESS"}


def spans(record: dict) -> list[tuple[int, int, str]]:
    """CLUENER's inclusive [start, end] offsets as (start, end-exclusive, label)."""
    return sorted((start, end + 1, LABELS[kind])
                  for kind, names in record.get("label", {}).items() if kind in LABELS
                  for offsets in names.values() for start, end in offsets)


def convert(source: Path, target: Path, nlp: spacy.language.Language) -> int:
    docs = DocBin()
    for line in source.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = nlp.make_doc(record["text"])
        doc.ents = [doc.char_span(start, end, label) for start, end, label in spans(record)]
        docs.add(doc)
    docs.to_disk(target)
    return len(docs)


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("zh")  # the default zh segmenter is one token per character
    for split in ("train", "dev"):
        count = convert(source / f"{split}.json", target / f"{split}.spacy", nlp)
        print(f"{split}: {count} sentences → {target / split}.spacy")


if __name__ == "__main__":
    main()
