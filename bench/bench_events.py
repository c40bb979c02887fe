"""Event grouping at library scale: grouping from scratch, and one article added.

    .venv/bin/python bench/bench_events.py --docs 10000 --runs 3

Builds a library of synthetic articles (bench/corpus.py: real Wikinews and seed sentences
recombined, in six languages, with dates), then measures in this process:
- grouping from scratch (`Library.rebuild()` of the events: features read from the catalog,
  scoring, grouping, writing the event tables): wall time, CPU time, peak RSS;
- adding one article to the open library: the whole `add` (parse, detect, index, group) and
  how long its event takes to be right, median of --runs.
Figures vary with the machine: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from newsreader.index import Library

    with tempfile.TemporaryDirectory() as tmp:
        folder = corpus.write_folder(corpus.documents(args.docs), Path(tmp) / "corpus")
        with Library(Path(tmp) / "library") as library:
            started = time.perf_counter()
            library.add([folder])
            print(f"add {args.docs} articles (index, features, events): {time.perf_counter() - started:.1f} s wall")
            rebuilds = []
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                library.rebuild_events()
                rebuilds.append((time.perf_counter() - wall, time.process_time() - cpu))
            print(f"group from scratch: median {statistics.median(w for w, _ in rebuilds):.1f} s wall, "
                  f"{statistics.median(c for _, c in rebuilds):.1f} s CPU (runs: "
                  + ", ".join(f"{w:.1f}" for w, _ in rebuilds) + f"); peak RSS so far {rss_mb():.0f} MB")
            extra = corpus.documents(args.docs + args.runs, seed=11)[-args.runs:]
            adds, events = [], []
            for number, doc in enumerate(extra):
                path = Path(tmp) / f"extra{number}.txt"
                path.write_text(f" date 2024-10\n{doc['title']}\n\n" + "\n\n".join(doc["paragraphs"]) + "\n",
                                encoding="utf-8")
                started = time.perf_counter()
                report = library.add([path])
                adds.append(time.perf_counter() - started)
                started = time.perf_counter()
                library.event_of(report.added[0])
                events.append(time.perf_counter() - started)
            print(f"one article added to {args.docs}: median {1000 * statistics.median(adds):.0f} ms for the whole add "
                  f"(runs: " + ", ".join(f"{1000 * a:.0f}" for a in adds) + f"); its event read back in "
                  f"{1000 * statistics.median(events):.1f} ms")
            print(f"peak RSS of this process: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
