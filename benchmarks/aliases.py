"""Merge precision and recall of the resolution cascade on the hand-written alias set
(tests/data/aliases.tsv), plus names that only context can tell apart (小米 the company and
小米 the grain), and a sweep of the fuzzy threshold that chose ``kg.link.FUZZY_THRESHOLD``.

    .venv/bin/python benchmarks/aliases.py
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.link import FUZZY_THRESHOLD, resolve_name
from kg.models import Article
from kg.pipeline import process

ALIASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "aliases.tsv"

# (surface, text where it names the company, text where it does not): only context separates them.
CONTEXT_PAIRS = [
    ("小米", "zh", "小米周二发布了新款手机，雷军表示销量将创新高。", "这道小米粥的做法很简单：小米洗净后加水，小火慢煮四十分钟。"),
    ("苹果", "zh", "苹果公司周一发布财报，苹果的服务收入再创新高。", "秋天的苹果最甜，把苹果切块后和梨一起炖汤。"),
    ("Apple", "en", "Apple said on Monday that iPhone sales rose in China.", "Slice the apple thinly and bake the apple pie for 40 minutes."),
    ("Amazon", "en", "Amazon said on Tuesday it would invest in data centres in Ohio.",
     "Deforestation in the amazon rainforest rose last year, scientists said."),
]


@dataclass(frozen=True)
class Pair:
    same: bool
    a: tuple[str, str]  # (class, name)
    b: tuple[str, str]


def read_pairs(path: Path = ALIASES) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, class_a, a, class_b, b = line.split("\t")
            pairs.append(Pair(label == "same", (class_a, a), (class_b, b)))
    return pairs


def merged(pair: Pair, threshold: float = FUZZY_THRESHOLD) -> bool:
    first = resolve_name(pair.a[1], pair.a[0], threshold)
    second = resolve_name(pair.b[1], pair.b[0], threshold)
    return first.iri == second.iri


def context_merged(surface: str, language: str, company_text: str, other_text: str) -> bool:
    """Whether the surface in the other text is linked to the same IRI as in the company text."""
    def iri_in(text: str) -> set[str]:
        script = "Latn" if language == "en" else "Hans"
        x = process(Article(id="ctx", source="ctx", language=language, script=script, text=text))
        return {m.entity for m in x.mentions if m.text.lower() == surface.lower()}
    return bool(iri_in(company_text) & iri_in(other_text))


def score(threshold: float = FUZZY_THRESHOLD, with_context: bool = True) -> dict:
    pairs = read_pairs()
    predictions = [(p.same, merged(p, threshold)) for p in pairs]
    if with_context:
        predictions += [(False, context_merged(*c)) for c in CONTEXT_PAIRS]
    true_merges = sum(1 for same, merge in predictions if same and merge)
    predicted = sum(1 for _, merge in predictions if merge)
    positives = sum(1 for same, _ in predictions if same)
    return {"pairs": len(predictions), "same": positives, "apart": len(predictions) - positives,
            "precision": round(true_merges / max(1, predicted), 4), "recall": round(true_merges / max(1, positives), 4),
            "wrong_merges": [(p.a[1], p.b[1]) for p in pairs if not p.same and merged(p, threshold)],
            "missed": [(p.a[1], p.b[1]) for p in pairs if p.same and not merged(p, threshold)]}


def main() -> None:
    result = score()
    print(f"{result['pairs']} pairs ({result['same']} same, {result['apart']} apart, "
          f"{len(CONTEXT_PAIRS)} by context): precision {result['precision']}, recall {result['recall']}")
    print("wrong merges:", result["wrong_merges"])
    print("missed:", result["missed"])
    print("fuzzy threshold sweep (name pairs only):")
    for threshold in (70, 75, 80, 83, 85, 88, 90, 92, 95, 100):
        swept = score(threshold, with_context=False)
        print(f"  {threshold:>3}: precision {swept['precision']:.4f} recall {swept['recall']:.4f} "
              f"wrong merges {len(swept['wrong_merges'])}")


if __name__ == "__main__":
    main()
