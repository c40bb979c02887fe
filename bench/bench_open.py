"""What a new process pays to open a library and answer one search: wall, CPU and peak RSS.

    .venv/bin/python bench/bench_open.py --library DIR [--runs 5] [--query Putin]

Each run is a fresh `python` process (imports included) that opens the library, searches once
and prints its figures; the medians of --runs are printed, with every run's. The library is
any library folder (bench_search.py --library or bench_events.py --keep make large ones).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def child(folder: str, query: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    from newsreader.index import Library

    with Library(folder) as library:
        hits = library.search(query, limit=20)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                      "rss": usage.ru_maxrss / 1024, "hits": len(hits)}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="Putin")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.library, args.query)
        return 0
    runs = []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run([sys.executable, __file__, "--child", "--library", args.library, "--query", args.query],
                             capture_output=True, text=True, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = json.loads(out)
        run["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append(run)
    for key, label in (("wall", "open + one search, wall (s)"), ("cpu", "open + one search, CPU (s)"),
                       ("process_cpu", "whole process CPU incl. start-up (s)"), ("rss", "peak RSS (MB)")):
        values = [r[key] for r in runs]
        print(f"{label}: median {statistics.median(values):.3f} (runs: {', '.join(f'{v:.3f}' for v in values)})")
    print(f"hits: {runs[0]['hits']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
