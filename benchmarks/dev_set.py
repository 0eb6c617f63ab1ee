"""Score the pipeline on annotated pages: tests/data/dev (pages the extractor was developed
against) or tests/data/holdout (pages only ever measured, never tuned on — keep it that way).
Both were written and annotated independently of the extractor, in the shared gold format.

    .venv/bin/python benchmarks/dev_set.py [tests/data/holdout]

Prints, per article, what ``kg eval`` reports, then the mean relation recall and precision.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kg import evaluate, export, store
from kg.pipeline import run

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "dev"


def score_article(gold: Path, out: Path) -> dict:
    source = next(p for p in sorted(gold.parent.glob(gold.stem + ".*")) if p.suffix != ".yaml")
    [extraction] = list(run([str(source)]))
    export.build_files(store.build([extraction]).db, out)
    return evaluate.score(gold, out / "graph.trig")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold in sorted(folder.glob("*.yaml")):
            scores[gold.stem] = s = score_article(gold, Path(tmp) / gold.stem)
            print(f"{gold.stem:30} entities {s['entities']:>6}  relations R {s['relation_recall']:.2f} "
                  f"P {s['relation_precision']:.2f} ({s['judged_relations']} judged)  facts {s['fact_recall']:.2f}  "
                  f"forbidden {len(s['forbidden_present'])}  split {len(s['split_entities'])}")
    n = len(scores)
    print(f"mean relation recall {sum(s['relation_recall'] for s in scores.values()) / n:.3f}, "
          f"precision {sum(s['relation_precision'] for s in scores.values()) / n:.3f}, "
          f"fact recall {sum(s['fact_recall'] for s in scores.values()) / n:.3f} over {n} articles")


if __name__ == "__main__":
    main()
