"""Indexing and search speed of the engine, next to a naive Whoosh baseline in the same run.

    python bench/bench_index.py [--docs 10000] [--runs 3]

Prints, for each run and as medians: add throughput in docs/s of wall time (newsreader
`Library.add` on a folder of text files, including reading, language detection and the catalog;
a large add groups the events once after its commit, inside the add's time; the first events
read after it is timed apart) against a naive Whoosh index of the same documents (default analyzer, one
writer, already-parsed text), each add in a fresh process of its own; CPU per article of all
processes (the add's own and its worker processes', counted with RUSAGE_CHILDREN after they
are reaped); the peak RSS of the add's main process and of its largest worker; the size on
disk against the text's; search p50/p95 latency through `Library.search` in this process against the baseline's
QueryParser; and the time to re-add the unchanged corpus (newsreader skips it; the naive
baseline re-indexes with update_document). Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import documents, write_folder  # noqa: E402

QUERIES = ["president", "Putin", "Pezeshkian", '"prime minister"', "election lang:en", "gouvernement",
           "governo italiano", "Iran AND Russia", "police NOT fire", "date:[2022-01 to 2022-06] war",
           "économie", "Türkmenistan", "بوتين", "minister OR ministre OR ministro", "storm -rain"]


def naive_baseline(docs: list[dict], folder: Path) -> tuple[float, object]:
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT, lang=ID(stored=True))
    ix = index.create_in(str(folder), schema)
    start = time.perf_counter()
    writer = ix.writer()
    for doc in docs:
        writer.add_document(id=doc["id"], title=doc["title"], body="\n\n".join(doc["paragraphs"]), lang=doc["lang"])
    writer.commit()
    return time.perf_counter() - start, ix


def peak_rss_mb() -> float:
    """This process's peak RSS. On Linux from VmHWM: ru_maxrss survives exec, so a child
    started by a large parent would report the parent's size (the naive runs did)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def usage_after(start_wall: float, before_self, before_children) -> dict:
    """Wall time, CPU of this process and of its reaped children, peak RSS of each (MB)."""
    now_self = resource.getrusage(resource.RUSAGE_SELF)
    now_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - start_wall,
        "cpu_main": (now_self.ru_utime + now_self.ru_stime) - (before_self.ru_utime + before_self.ru_stime),
        "cpu_workers": (now_children.ru_utime + now_children.ru_stime)
        - (before_children.ru_utime + before_children.ru_stime),
        "rss_main": peak_rss_mb(), "rss_workers": now_children.ru_maxrss / 1024,
    }


def child_main(kind: str, count: int, corpus_folder: Path, target: Path) -> None:
    """One measured add in a fresh process: prints its figures as JSON on the last line."""
    if kind == "naive":
        docs = documents(count)
    else:
        from newsreader.index import Library

        library = Library(target)
    before_self, before_children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    if kind == "naive":
        target.mkdir(parents=True, exist_ok=True)
        naive_baseline(docs, target)
    else:
        report = library.add([corpus_folder])
        assert len(report.added) == count, (len(report.added), report.problems[:3])
    figures = usage_after(start, before_self, before_children)
    if kind != "naive":
        # The add grouped the events after its commit (inside its time above); what the first
        # events command still pays is ensure_events (nothing, unless the grouping was cut short)
        # and one read.
        start = time.perf_counter()
        cpu = time.process_time()
        library.ensure_events()
        library.events()
        figures["events_wall"] = time.perf_counter() - start
        figures["events_cpu"] = time.process_time() - cpu
        figures["rss_after_events"] = peak_rss_mb()
        library.close()
    print(json.dumps(figures))


def measured(kind: str, count: int, corpus_folder: Path, target: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--docs", str(count), str(corpus_folder),
                          str(target)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} add failed: {out.stderr[-2000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["disk"] = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return figures


def naive_readd(docs: list[dict], ix) -> float:
    start = time.perf_counter()
    writer = ix.writer()
    for doc in docs:
        writer.update_document(id=doc["id"], title=doc["title"], body="\n\n".join(doc["paragraphs"]), lang=doc["lang"])
    writer.commit()
    return time.perf_counter() - start


def latencies(search, queries: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            search(query)
            times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def one_run(docs, corpus_folder: Path, work: Path) -> dict:
    from whoosh import index
    from whoosh.qparser import MultifieldParser

    from newsreader.index import Library

    base = measured("naive", len(docs), corpus_folder, work / "naive")
    ours = measured("ours", len(docs), corpus_folder, work / "library")
    ix = index.open_dir(str(work / "naive"))
    library = Library(work / "library")
    queries = QUERIES * 1
    library.search("warm up")
    ours_lat = latencies(lambda q: library.search(q, limit=20), queries, 5)
    parser = MultifieldParser(["title", "body"], ix.schema)
    with ix.searcher() as searcher:
        base_lat = latencies(lambda q: list(searcher.search(parser.parse(q), limit=20)), queries, 5)

    start = time.perf_counter()
    again = library.add([corpus_folder])
    ours_readd = time.perf_counter() - start
    assert not again.added and not again.updated
    base_readd = naive_readd(docs, ix)
    library.close()
    n = len(docs)
    return {
        "ours_dps": n / ours["wall"], "base_dps": n / base["wall"],
        "ours_cpu_ms": 1000 * (ours["cpu_main"] + ours["cpu_workers"]) / n,
        "ours_main_cpu_ms": 1000 * ours["cpu_main"] / n,
        "base_cpu_ms": 1000 * (base["cpu_main"] + base["cpu_workers"]) / n,
        "ours_rss_main": ours["rss_main"], "ours_rss_workers": ours["rss_workers"], "base_rss": base["rss_main"],
        "events_first_need_s": ours.get("events_wall", 0.0), "events_cpu_ms": 1000 * ours.get("events_cpu", 0.0) / n,
        "rss_after_events": ours.get("rss_after_events", 0.0),
        "ours_disk_mb": ours["disk"] / 1e6, "base_disk_mb": base["disk"] / 1e6,
        "ours_p50": percentile(ours_lat, 0.5), "ours_p95": percentile(ours_lat, 0.95),
        "base_p50": percentile(base_lat, 0.5), "base_p95": percentile(base_lat, 0.95),
        "ours_readd": ours_readd, "base_readd": base_readd,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["naive", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.docs, *args.paths)
        return
    docs = documents(args.docs)
    random.Random(1).shuffle(QUERIES)
    with tempfile.TemporaryDirectory() as tmp:
        corpus_folder = write_folder(docs, Path(tmp) / "corpus")
        size = sum(p.stat().st_size for p in corpus_folder.rglob("*.txt"))
        languages = dict(sorted(Counter(d["lang"] for d in docs).items()))
        print(f"corpus: {len(docs)} articles, {size / 1e6:.1f} MB, languages {languages}")
        runs = []
        for number in range(args.runs):
            work = Path(tmp) / f"run{number}"
            work.mkdir(parents=True)
            figures = one_run(docs, corpus_folder, work)
            runs.append(figures)
            print(f"run {number + 1}: " + ", ".join(f"{k} {v:.1f}" if "dps" in k else f"{k} {v:.3f}"
                                                   for k, v in figures.items()), flush=True)
            shutil.rmtree(work)
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    text_mb = size / 1e6
    print(f"\nmedians of {len(runs)} runs ({len(docs)} articles, {text_mb:.1f} MB of text; targets in brackets):")
    print(f"  add (wall)       newsreader {med['ours_dps']:7.0f} docs/s   naive Whoosh {med['base_dps']:7.0f} docs/s"
          f"   ratio {med['ours_dps'] / med['base_dps']:.2f}x   [>= 1.5x]")
    print(f"  CPU per article  newsreader {med['ours_cpu_ms']:7.2f} ms (main {med['ours_main_cpu_ms']:.2f})"
          f"   naive Whoosh {med['base_cpu_ms']:7.2f} ms   ratio {med['ours_cpu_ms'] / med['base_cpu_ms']:.2f}"
          f"   [<= 1.0, all processes]")
    print(f"  peak RSS         newsreader main {med['ours_rss_main']:6.0f} MB, largest worker "
          f"{med['ours_rss_workers']:5.0f} MB   naive Whoosh {med['base_rss']:6.0f} MB   [main <= 300 MB at 30k]")
    print(f"  events (after)   first read {med['events_first_need_s']:.1f} s"
          f" ({med['events_cpu_ms']:.2f} ms CPU per article; peak RSS then {med['rss_after_events']:.0f} MB):"
          " the grouping itself is inside the add")
    print(f"  disk             newsreader {med['ours_disk_mb']:7.1f} MB ({med['ours_disk_mb'] / text_mb:.1f}x text)"
          f"   naive Whoosh {med['base_disk_mb']:7.1f} MB   [<= 4x text]")
    print(f"  search p50       newsreader {med['ours_p50']:7.2f} ms       naive Whoosh {med['base_p50']:7.2f} ms")
    print(f"  search p95       newsreader {med['ours_p95']:7.2f} ms       naive Whoosh {med['base_p95']:7.2f} ms")
    print(f"  re-add same      newsreader {med['ours_readd']:7.2f} s        naive Whoosh {med['base_readd']:7.2f} s")


if __name__ == "__main__":
    main()
