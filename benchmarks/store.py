"""The store at scale (not a test): build an on-disk store of about 1 M quads of realistic
shape, then time adding one article, 1-hop and 2-hop SPARQL queries, and measure its size.

    .venv/bin/python benchmarks/store.py [--quads 1000000] [--dir /tmp/kg-store-bench]

Shape: synthetic articles made by the real graph stage (``kg.graph.quads``): 8–14 entities
each drawn Zipf-like from the knowledge base plus 3,000 made-up organisations and people (a
few hubs such as Microsoft appear in many articles), 3–6 relations with statements and
evidence, 1–2 events, link decisions. About 250 quads per article.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from kg import graph
from kg.models import Amount, Article, Entity, Event, Evidence, Extraction, Relation, Resolution
from kg.ontology import load_kb
from kg.store import Store, to_quad

E = "https://w3id.org/newskg/entity/"
PREDICATES = [("ceoOf", "person", "org"), ("partnerOf", "org", "org"), ("competesWith", "org", "org"),
              ("investsIn", "org", "org"), ("acquired", "org", "org"), ("providesServiceTo", "org", "org"),
              ("worksFor", "person", "org"), ("analystOf", "org", "org")]


HUBS = {"microsoft", "nvidia", "openai", "apple", "alphabet", "amazon", "meta-platforms", "tesla", "tsmc", "oracle"}


def entity_pool(rng: random.Random) -> dict[str, list[Entity]]:
    pool: dict[str, list[Entity]] = {"org": [], "person": []}
    for known in load_kb():
        if known.kind in pool:
            labels = {lang: list(names) for lang, names in known.labels.items()}
            pool[known.kind].append(Entity(iri=known.iri, type=known.type, labels=labels, resolution="kb"))
    for i in range(2000):
        pool["org"].append(Entity(iri=f"{E}org/synthetic-{i}", type="Company",
                                  labels={"en": [f"Synthetic {i} Holdings"]}, resolution="new"))
    for i in range(1000):
        pool["person"].append(Entity(iri=f"{E}person/pat-doe-{i}", type="Person",
                                     labels={"en": [f"Pat Doe{i}"]}, resolution="new"))
    for kind in pool:
        rng.shuffle(pool[kind])
    # The hubs news names most, first: the Zipf draw picks them most often.
    pool["org"].sort(key=lambda e: e.iri.rsplit("/", 1)[-1] not in HUBS)
    return pool


def zipf_pick(rng: random.Random, items: list, k: int) -> list:
    """k distinct items, the first ones far more often (news keeps naming the same firms)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    chosen: dict[int, None] = {}
    while len(chosen) < k:
        chosen[rng.choices(range(len(items)), weights)[0]] = None
    return [items[i] for i in chosen]


def synthetic_article(n: int, rng: random.Random, pool: dict[str, list[Entity]]) -> Extraction:
    text = f"Synthetic article {n}. " + "Lorem ipsum dolor sit amet. " * 40
    article = Article(id=f"https://news.example/{n}", source=f"https://news.example/{n}", url=f"https://news.example/{n}",
                      title=f"Article {n}", language="en", script="Latn", text=text)
    people = zipf_pick(rng, pool["person"], rng.randint(2, 4))
    orgs = zipf_pick(rng, pool["org"], rng.randint(6, 10))
    by_kind = {"person": people, "org": orgs}
    relations = {}
    for _ in range(rng.randint(3, 6)):
        predicate, s_kind, o_kind = rng.choice(PREDICATES)
        s, o = rng.choice(by_kind[s_kind]).iri, rng.choice(by_kind[o_kind]).iri
        if s != o:
            start = rng.randrange(0, len(text) - 80)
            relations[(s, predicate, o)] = Relation(
                subject=min(s, o) if predicate in ("partnerOf", "competesWith") else s, predicate=predicate,
                object=max(s, o) if predicate in ("partnerOf", "competesWith") else o,
                confidence=rng.choice([0.6, 0.7, 0.8, 0.9]), pattern="{S} x {O}",
                status=rng.choice(["reported"] * 8 + ["denied", "rumoured"]),
                evidence=Evidence(article=article.id, text=text[start:start + 80], start=start, end=start + 80))
    events = [Event(iri=f"https://w3id.org/newskg/event/{n}-{i}", type="StockPriceChange",
                    participants=[rng.choice(orgs).iri], percent=round(rng.uniform(-9, 9), 1), confidence=0.8,
                    amount=Amount(value=1e9, currency="USD", text="$1bn") if i else None,
                    evidence=Evidence(article=article.id, text=text[:60], start=0, end=60))
              for i in range(rng.randint(1, 2))]
    entities = sorted(people + orgs, key=lambda e: e.iri)
    resolutions = [Resolution(surface=e.labels[sorted(e.labels)[0]][0], iri=e.iri, rule=e.resolution) for e in entities]
    return Extraction(article=article, entities=entities, mentions=[], relations=list(relations.values()),
                      events=events, resolutions=resolutions)


def timed(function, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-store-bench"))
    args = parser.parse_args()
    rng = random.Random(7)
    pool = entity_pool(rng)
    shutil.rmtree(args.dir, ignore_errors=True)
    store = Store(args.dir)

    started = time.perf_counter()
    articles, quads = 0, 0
    batch: list = []
    while quads < args.quads:
        extraction = synthetic_article(articles, rng, pool)
        article_quads = [to_quad(q) for q in graph.quads(extraction)]
        batch += article_quads
        quads += len(article_quads)
        articles += 1
        if len(batch) > 200_000:
            store.db.bulk_extend(batch)
            batch = []
    store.db.bulk_extend(batch)
    print(f"generated and bulk-loaded {articles} articles, {quads} article quads in "
          f"{time.perf_counter() - started:.0f} s")

    derive_time, _ = timed(lambda: (store._mark_everything_pending(), store._derive_pending()))
    total = len(store.db)
    print(f"derived the merged default graph and merge log from scratch in {derive_time:.0f} s; "
          f"store holds {total} quads")

    fresh = [synthetic_article(articles + i, rng, pool) for i in range(20)]
    add_times = [timed(lambda x=x: store.add(x))[0] for x in fresh]
    readd_time, _ = timed(lambda: store.add(fresh[0]), repeat=5)
    print(f"add one new article (atomic write + incremental derivation): median {statistics.median(add_times) * 1000:.0f} ms, "
          f"max {max(add_times) * 1000:.0f} ms over {len(add_times)}; re-adding an unchanged one {readd_time * 1000:.1f} ms")
    changed = [x.model_copy(update={"relations": x.relations[1:]}) for x in fresh[:5]]
    replace_times = [timed(lambda x=x: store.add(x))[0] for x in changed]
    print(f"replace a changed article (everything it touched re-read from every article): median "
          f"{statistics.median(replace_times) * 1000:.0f} ms, max {max(replace_times) * 1000:.0f} ms over {len(changed)}")

    queries = {
        "1-hop: Microsoft's outgoing edges": "SELECT ?p ?o WHERE { org:microsoft ?p ?o }",
        "1-hop: who partners with Nvidia": "SELECT ?x WHERE { ?x nkg:partnerOf org:nvidia }",
        "1-hop with evidence (named graphs)": "SELECT ?st ?text WHERE { GRAPH ?g { ?st rdf:subject org:microsoft ; "
                                              "nkg:evidenceText ?text } } LIMIT 100",
        "2-hop: partners of Microsoft's partners": "SELECT DISTINCT ?z WHERE { org:microsoft nkg:partnerOf ?y . "
                                                   "?y nkg:partnerOf ?z }",
        "2-hop: CEOs of firms Microsoft competes with": "SELECT DISTINCT ?ceo ?firm WHERE { org:microsoft "
                                                       "nkg:competesWith ?firm . ?ceo nkg:ceoOf ?firm }",
    }
    for name, sparql in queries.items():
        latency, rows = timed(lambda s=sparql: list(store.query(s)), repeat=5)
        print(f"{name}: {latency * 1000:.1f} ms ({len(rows)} rows)")

    store.flush()
    size = subprocess.run(["du", "-sm", str(args.dir)], capture_output=True, text=True).stdout.split()[0]
    print(f"size on disk: {size} MB for {len(store.db)} quads")


if __name__ == "__main__":
    main()
