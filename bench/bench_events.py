"""Event grouping at library scale: grouping from scratch, incremental adds, a new process.

    .venv/bin/python bench/bench_events.py --docs 10000 --runs 3
    .venv/bin/python bench/bench_events.py --docs 30000 --runs 1 --keep /tmp/lib30k   # build once
    .venv/bin/python bench/bench_events.py --library /tmp/lib30k --runs 3          # measure a copy

Builds a library of synthetic articles (bench/corpus.py: real Wikinews and seed sentences
recombined, in six languages, with dates), then measures:
- grouping from scratch (`Library.rebuild_events()`: the features kept in the catalog since
  ingest, candidates, scoring, grouping, writing the event tables), in a process of its own:
  wall time, CPU time, and that process's peak RSS;
- --incremental N articles added a few at a time (each add updates the events inside its
  change: no rebuild, nothing replayed later);
- then, from a new process each (median of --runs): adding one article (open, add, group),
  and `related` for an article (open, read).
Figures vary with the machine: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
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


def child(args: list[str]) -> dict:
    """Run this script in a new process; its JSON line, plus the CPU (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = json.loads(subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                                    check=True).stdout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["child_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", metavar="LIBRARY", help=argparse.SUPPRESS)
    parser.add_argument("--incremental", type=int, default=500)
    parser.add_argument("--add-one", nargs=2, metavar=("LIBRARY", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--related", nargs=2, metavar=("LIBRARY", "ID"), help=argparse.SUPPRESS)
    parser.add_argument("--library", metavar="FOLDER",
                        help="measure a copy of this library (one --keep made) instead of building one")
    parser.add_argument("--keep", metavar="FOLDER", help="keep the library built here (for --library later)")
    args = parser.parse_args()
    if args.related:
        started = time.perf_counter()
        from newsreader.index import Library

        with Library(args.related[0]) as library:
            library.related(args.related[1])
        print(json.dumps({"wall": time.perf_counter() - started}))
        return 0
    if args.rebuild:
        rebuild(args.rebuild)
        return 0
    if args.add_one:
        add_one(*args.add_one)
        return 0
    from newsreader.index import Library
    from newsreader.index.events.view import EVENTS_VERSION

    with tempfile.TemporaryDirectory() as tmp:
        if args.library:  # a copy: the incremental adds below change it
            shutil.copytree(args.library, Path(tmp) / "library")
            with Library(Path(tmp) / "library") as library:
                args.docs = library.stats().articles
            print(f"library: a copy of {args.library} ({args.docs} articles)")
        else:
            folder = corpus.write_folder(corpus.documents(args.docs), Path(tmp) / "corpus")
            with Library(Path(tmp) / "library") as library:
                started = time.perf_counter()
                library.add([folder])
                print(f"add {args.docs} articles (index, features, events): {time.perf_counter() - started:.1f} s wall")
            if args.keep:
                shutil.copytree(Path(tmp) / "library", args.keep)
        rebuilds = [child(["--rebuild", str(Path(tmp) / "library")]) for _ in range(args.runs)]
        print(f"group from scratch: median {statistics.median(r['wall'] for r in rebuilds):.1f} s wall, "
              f"{statistics.median(r['cpu'] for r in rebuilds):.1f} s CPU (runs: "
              + ", ".join(f"{r['wall']:.1f}" for r in rebuilds)
              + "); peak RSS (MB) " + ", ".join(f"{r['rss']:.0f}" for r in rebuilds)
              + f"; CPU of the whole process incl. start-up: {statistics.median(r['child_cpu'] for r in rebuilds):.1f} s")
        extra = corpus.documents(args.docs + args.incremental, seed=11)[-args.incremental:]
        with Library(Path(tmp) / "library") as library:
            started, cpu = time.perf_counter(), time.process_time()
            for start in range(0, len(extra), 5):
                paths = []
                for number, doc in enumerate(extra[start:start + 5], start):
                    path = Path(tmp) / "extra" / f"{number}.txt"
                    path.parent.mkdir(exist_ok=True)
                    path.write_text(f" date 2024-10\n{doc['title']}\n\n" + "\n\n".join(doc["paragraphs"]) + "\n",
                                    encoding="utf-8")
                    paths.append(path)
                library.add(paths)
            spent = time.perf_counter() - started
            print(f"{len(extra)} articles added 5 at a time: {spent:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
                  f"({1000 * spent / max(1, len(extra) / 5):.0f} ms an add); events stale: "
                  f"{library._catalog.get_meta('events_version') != EVENTS_VERSION}")
            some = next(iter(library.articles(limit=1))).id
        cold, related = [], []
        for number, doc in enumerate(corpus.documents(args.docs + args.incremental + args.runs, seed=13)[-args.runs:]):
            path = Path(tmp) / f"cold{number}.txt"
            path.write_text(f" date 2024-11\n{doc['title']}\n\n" + "\n\n".join(doc["paragraphs"]) + "\n", encoding="utf-8")
            cold.append(child(["--add-one", str(Path(tmp) / "library"), str(path)]))
            related.append(child(["--related", str(Path(tmp) / "library"), some]))
        for what, runs in (("one article added by a new process (open, add, group)", cold),
                           ("related in a new process (open, read)", related)):
            print(f"{what}: median {statistics.median(r['wall'] for r in runs):.2f} s wall, "
                  f"{statistics.median(r['child_cpu'] for r in runs):.2f} s CPU of the process (runs, wall: "
                  + ", ".join(f"{r['wall']:.2f}" for r in runs) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
