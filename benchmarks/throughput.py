"""Throughput of the extraction pipeline next to its bare NLP baseline, same text, same run.

    .venv/bin/python benchmarks/throughput.py [--repeat N] [--rounds N]

Chinese: kg.pipeline.process on the bundled example's article vs plain ``jieba.cut`` on the
same text. English: process on tests/data/en-microsoft-leases.html vs bare ``nlp.pipe`` with
the same spaCy model. Prints chars/s for each and the ratio (pipeline / baseline), each side
the best of ``--rounds`` interleaved timings.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import jieba

from kg.ingest import read
from kg.models import Article
from kg.nlp import en
from kg.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
CHINESE = ROOT.parent / "shared" / "examples" / "zh-microsoft-capex-2025-02-25.txt"
ENGLISH = ROOT / "tests" / "data" / "en-microsoft-leases.html"


def chars_per_second(texts: list[str], run) -> float:
    started = time.perf_counter()
    run(texts)
    return sum(map(len, texts)) / (time.perf_counter() - started)


def articles(path: Path, repeat: int) -> list[Article]:
    article = next(a for a in read([str(path)]) if isinstance(a, Article))
    return [article.model_copy(update={"id": f"{article.id}-{i}"}) for i in range(repeat)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="copies of each article")
    parser.add_argument("--rounds", type=int, default=3,
                        help="timings of each side, interleaved; the best counts (a shared machine's load only slows)")
    args = parser.parse_args()
    for name, path, baseline in (
        ("zh", CHINESE, lambda texts: [list(jieba.cut(t)) for t in texts]),
        ("en", ENGLISH, lambda texts: list(en.pipeline().pipe(texts))),
    ):
        batch = articles(path, args.repeat)
        texts = [a.text for a in batch]
        process(batch[0]), baseline(texts[:1])  # load models outside the timing
        ours = bare = 0.0
        for _ in range(args.rounds):
            ours = max(ours, chars_per_second(texts, lambda _: [process(a) for a in batch]))
            bare = max(bare, chars_per_second(texts, baseline))
        print(f"{name}: pipeline {ours:,.0f} chars/s, baseline {bare:,.0f} chars/s, ratio {ours / bare:.2f} "
              f"({len(texts)} articles, {sum(map(len, texts)):,} chars)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
