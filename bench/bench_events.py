"""Event grouping at library scale: grouping from scratch, and one article added.

    .venv/bin/python bench/bench_events.py --docs 10000 --runs 3

Builds a library of synthetic articles (bench/corpus.py: real Wikinews and seed sentences
recombined, in six languages, with dates), then measures in this process:
- grouping from scratch (`Library.rebuild_events()`: the features kept in the catalog since
  ingest, scoring, grouping, writing the event tables), in a process of its own: wall time,
  CPU time, and that process's peak RSS;
- adding one article to the open library (its model warm): the whole `add` (parse, detect,
  index, group) and the part of it that updates the events, median of --runs;
- adding one article from a new process (open the library, load the saved model, add).
Figures vary with the machine: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve, so
    a child started by a large parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rebuild(folder: str) -> None:
    """One grouping from scratch in this fresh process; prints wall, CPU and peak RSS as JSON."""
    from newsreader.index import Library

    with Library(folder) as library:
        wall, cpu = time.perf_counter(), time.process_time()
        library.rebuild_events()
        print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "rss": rss_mb()}))


def add_one(folder: str, path: str) -> None:
    """`newsreader add FILE` as a new process does it: open, add, group; prints the wall time."""
    from newsreader.index import Library

    started = time.perf_counter()
    with Library(folder) as library:
        report = library.add([path])
        library.event_of(report.added[0])
    print(json.dumps({"wall": time.perf_counter() - started}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", metavar="LIBRARY", help=argparse.SUPPRESS)
    parser.add_argument("--add-one", nargs=2, metavar=("LIBRARY", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rebuild:
        rebuild(args.rebuild)
        return 0
    if args.add_one:
        add_one(*args.add_one)
        return 0
    from newsreader.index import Library

    with tempfile.TemporaryDirectory() as tmp:
        folder = corpus.write_folder(corpus.documents(args.docs), Path(tmp) / "corpus")
        with Library(Path(tmp) / "library") as library:
            started = time.perf_counter()
            library.add([folder])
            print(f"add {args.docs} articles (index, features, events): {time.perf_counter() - started:.1f} s wall")
        rebuilds = [json.loads(subprocess.run([sys.executable, __file__, "--rebuild", str(Path(tmp) / "library")],
                                              capture_output=True, text=True, check=True).stdout)
                    for _ in range(args.runs)]
        print(f"group from scratch: median {statistics.median(r['wall'] for r in rebuilds):.1f} s wall, "
              f"{statistics.median(r['cpu'] for r in rebuilds):.1f} s CPU (runs: "
              + ", ".join(f"{r['wall']:.1f}" for r in rebuilds)
              + "); peak RSS (MB) " + ", ".join(f"{r['rss']:.0f}" for r in rebuilds))
        with Library(Path(tmp) / "library") as library:
            library.rebuild_events()  # the model in memory, as in an app that has been open a while
            extra = corpus.documents(args.docs + args.runs, seed=11)[-args.runs:]
            adds, events = [], []
            from newsreader.index.events.view import EventsView

            spent = []
            original = EventsView.apply

            def timed(self, change, changes):
                started = time.perf_counter()
                original(self, change, changes)
                spent.append(time.perf_counter() - started)

            EventsView.apply = timed
            for number, doc in enumerate(extra):
                path = Path(tmp) / f"extra{number}.txt"
                path.write_text(f" date 2024-10\n{doc['title']}\n\n" + "\n\n".join(doc["paragraphs"]) + "\n",
                                encoding="utf-8")
                started = time.perf_counter()
                report = library.add([path])
                adds.append(time.perf_counter() - started)
                events.append(spent[-1])
                assert library.event_of(report.added[0])
            print(f"one article added to {args.docs}: median {1000 * statistics.median(adds):.0f} ms for the whole add "
                  f"(runs: " + ", ".join(f"{1000 * a:.0f}" for a in adds) + "), of which updating the events "
                  f"{1000 * statistics.median(events):.0f} ms (runs: " + ", ".join(f"{1000 * e:.0f}" for e in events) + ")")
            print(f"peak RSS of this process: {rss_mb():.0f} MB")
        cold = []
        for number, doc in enumerate(corpus.documents(args.docs + 2 * args.runs, seed=13)[-args.runs:]):
            path = Path(tmp) / f"cold{number}.txt"
            path.write_text(f" date 2024-11\n{doc['title']}\n\n" + "\n\n".join(doc["paragraphs"]) + "\n", encoding="utf-8")
            cold.append(json.loads(subprocess.run([sys.executable, __file__, "--add-one", str(Path(tmp) / "library"),
                                                   str(path)], capture_output=True, text=True, check=True).stdout)["wall"])
        print(f"one article added by a new process (open, load the saved model, add, group): median "
              f"{statistics.median(cold):.2f} s (runs: " + ", ".join(f"{c:.2f}" for c in cold) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
