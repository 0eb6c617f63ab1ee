"""`kg validate` at scale (not a test): time and peak RSS of validating an on-disk store.

    .venv/bin/python benchmarks/store.py --quads 175000 --dir /tmp/kg-bench-1k   # ~1,000 synthetic articles
    .venv/bin/python benchmarks/validate.py --dir /tmp/kg-bench-1k

The synthetic articles of benchmarks/store.py have no publication or event dates (warnings), relate
random organisations (domain violations) and now and then state one symmetric relation twice in an
article, both ways round, which the link stage never does (statement violations): this also measures
the reporting path.
"""
from __future__ import annotations

import argparse
import resource
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from kg.store import STORE_DIR
from kg.validate import validate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-store-bench"),
                        help="An output folder holding store/, or a store folder itself.")
    args = parser.parse_args()
    store_dir = args.dir / STORE_DIR if (args.dir / STORE_DIR).exists() else args.dir
    db = ox.Store.read_only(str(store_dir))
    started = time.perf_counter()
    report = validate(db)
    seconds = time.perf_counter() - started
    articles = sum(1 for g in db.named_graphs() if "/article/" in g.value)
    print(f"{articles} articles, {len(db)} quads: {report.nodes_checked} nodes checked in {seconds:.1f} s, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB; "
          f"{len(report.violations)} violations {dict(Counter(v.shape for v in report.violations))}")


if __name__ == "__main__":
    main()
