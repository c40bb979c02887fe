"""Indexing and search speed of the engine, next to a naive Whoosh baseline in the same run.

    python bench/bench_index.py [--docs 10000] [--runs 3]

Prints, for each run and as medians: ingest+index docs/s (newsreader `Library.add` on a
folder of text files, including reading, language detection and the catalog) against a naive
Whoosh index of the same documents (default analyzer, one writer, already-parsed text);
search p50/p95 latency through `Library.search` in this process against the baseline's
QueryParser; and the time to re-add the unchanged corpus (newsreader skips it; the naive
baseline re-indexes with update_document). Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import Counter
import sys
import tempfile
import time
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
    from whoosh.qparser import MultifieldParser

    from newsreader.index import Library

    base_seconds, ix = naive_baseline(docs, work / "naive")
    library = Library(work / "library")
    start = time.perf_counter()
    report = library.add([corpus_folder])
    ours_seconds = time.perf_counter() - start
    assert len(report.added) == len(docs), (len(report.added), report.problems[:3])

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
    return {
        "ours_dps": len(docs) / ours_seconds, "base_dps": len(docs) / base_seconds,
        "ours_p50": percentile(ours_lat, 0.5), "ours_p95": percentile(ours_lat, 0.95),
        "base_p50": percentile(base_lat, 0.5), "base_p95": percentile(base_lat, 0.95),
        "ours_readd": ours_readd, "base_readd": base_readd,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
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
            (work / "naive").mkdir(parents=True)
            figures = one_run(docs, corpus_folder, work)
            runs.append(figures)
            print(f"run {number + 1}: " + ", ".join(f"{k} {v:.1f}" if "dps" in k else f"{k} {v:.3f}"
                                                   for k, v in figures.items()))
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"\nmedians of {len(runs)} runs ({len(docs)} articles, 2-core target figures in brackets):")
    print(f"  ingest+index   newsreader {med['ours_dps']:7.0f} docs/s   naive Whoosh {med['base_dps']:7.0f} docs/s"
          f"   ratio {med['ours_dps'] / med['base_dps']:.2f}x   [>= 3x]")
    print(f"  search p50     newsreader {med['ours_p50']:7.2f} ms       naive Whoosh {med['base_p50']:7.2f} ms")
    print(f"  search p95     newsreader {med['ours_p95']:7.2f} ms       naive Whoosh {med['base_p95']:7.2f} ms   [<= 20 ms]")
    print(f"  re-add same    newsreader {med['ours_readd']:7.2f} s        naive Whoosh {med['base_readd']:7.2f} s    [<= 2 s]")


if __name__ == "__main__":
    main()
