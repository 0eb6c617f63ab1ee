"""Export speed and memory at scale (not a test): every format of ``kg export`` from an on-disk
store, each in a fresh process so its peak RSS is its own.

    .venv/bin/python benchmarks/store.py --dir /tmp/kg-store-bench     # builds the ~1.2 M-quad store
    .venv/bin/python benchmarks/export.py [--dir /tmp/kg-store-bench] [--formats trig,graphml,csv]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.export import FORMATS, export
from kg.store import STORE_DIR


def measure(store_dir: Path, fmt: str, out: Path) -> dict:
    """One export into ``out``: seconds, bytes written, peak RSS of this process."""
    db = ox.Store.read_only(str(store_dir))
    started = time.perf_counter()
    export(db, fmt, out)
    return {"format": fmt, "seconds": round(time.perf_counter() - started, 1), "mb": round(out.stat().st_size / 1e6, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "quads": len(db)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-store-bench"),
                        help="An output folder holding store/, or a store folder itself.")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one format in this process
    args = parser.parse_args()
    store_dir = args.dir / STORE_DIR if (args.dir / STORE_DIR).exists() else args.dir
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(measure(store_dir, args.one, Path(tmp) / f"export.{args.one}")))
        return
    for fmt in args.formats.split(","):
        line = subprocess.run([sys.executable, __file__, "--dir", str(args.dir), "--one", fmt],
                              capture_output=True, text=True, check=True).stdout
        result = json.loads(line)
        print(f"{fmt:8} {result['seconds']:6.1f} s  {result['mb']:7.1f} MB  peak RSS {result['peak_rss_mb']} MB "
              f"({result['quads']} quads in the store)")


if __name__ == "__main__":
    main()
