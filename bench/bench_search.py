"""Search latency of the app's query through the public API, next to a naive Whoosh index of
the same articles searched in the same run.

    .venv/bin/python bench/bench_search.py [--docs 10000] [--repeat 5] [--library DIR]

The app's query: up to 200 hits for what the reader typed, the first page of results with
their snippets and highlights, and the terms to highlight inside an article
(`Library.find(q, limit=200)` then `.page(0, 25)`; on an engine without `find`, the old
`Library.search(q, limit=200)` plus `Library.query_terms(q)`). Also the command line's
query (`Library.search(q, limit=20)`). The naive baseline: MultifieldParser over title and
body, top 200 with Whoosh's own highlights for the first 25. Latencies are wall clock per
query (p50, p95 over every query x repeat) and CPU time per query of this process (the
search runs in-process). The library (synthetic multilingual corpus, bench/corpus.py, one
JSONL) is built once per size into --library and reused; the naive index is rebuilt each run.

--per-query prints, for each query, the median CPU of `find` and of `page` over 7 runs, warm
(as the rounds above: the engine keeps the postings, field lengths, phrase checks and date
filters it read, and each word's verdict for the query, until the index changes) and as a new query (those dropped before each
run; what a query typed for the first time costs). It reaches into the engine's internals to
drop them: for measuring only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_index import QUERIES, percentile  # noqa: E402
from corpus import documents  # noqa: E402

PAGE = 25
APP_LIMIT = 200


ARTICLES_PER_FILE = 5000  # files stay far below the 20 MB a file may hold


def build_library(folder: Path, docs: list[dict]):
    from newsreader.index import Library

    library = Library(folder)
    if len(library.articles()) != len(docs):
        source = folder.parent / f"{folder.name}-source"
        source.mkdir(parents=True, exist_ok=True)
        for first in range(0, len(docs), ARTICLES_PER_FILE):
            with open(source / f"articles-{first // ARTICLES_PER_FILE:03d}.jsonl", "w", encoding="utf-8") as out:
                for i, doc in enumerate(docs[first:first + ARTICLES_PER_FILE], first):
                    out.write(json.dumps({"id": doc["id"], "lang": doc["lang"], "title": doc["title"],
                                          "text": "\n\n".join(doc["paragraphs"]),
                                          "date": f"{2020 + i % 5}-{1 + i % 12:02d}"}, ensure_ascii=False) + "\n")
        print(f"building a {len(docs)}-article library in {folder} …", file=sys.stderr)
        report = library.add([source])
        if report.problems or len(library.articles()) != len(docs):
            raise SystemExit(f"building the library failed: {report.problems[:3]}")
    return library


def app_query(library):
    if hasattr(library, "find"):
        def run(query):
            hits = library.find(query, limit=APP_LIMIT)
            return hits.page(0, PAGE), hits.terms
    else:
        def run(query):
            return library.search(query, limit=APP_LIMIT), library.query_terms(query)
    return run


def naive_index(docs: list[dict], folder: Path):
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT(stored=True))
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(id=doc["id"], title=doc["title"], body="\n\n".join(doc["paragraphs"]))
    writer.commit()
    return ix


def timed(run, queries: list[str], repeat: int) -> tuple[list[float], float]:
    walls = []
    cpu = time.process_time()
    for _ in range(repeat):
        for query in queries:
            start = time.perf_counter()
            run(query)
            walls.append((time.perf_counter() - start) * 1000)
    return walls, (time.process_time() - cpu) * 1000 / (repeat * len(queries))


def forget_query_caches(library) -> None:
    """Drop what the engine keeps between queries (ranking.Ranker's postings, field lengths,
    phrases and date filters, highlight's verdicts), so the next query costs what a query typed for the first time does."""
    from newsreader.index import highlight

    if hasattr(highlight, "_verdicts"):
        highlight._verdicts.cache_clear()
    index = library._search._index
    if index is not None:
        index._ranker = None  # made again, empty, by the next search (same searcher)


def per_query(library, queries: list[str], runs: int = 7) -> None:
    print(f"per query: median CPU ms over {runs} runs (find = ids and scores, page = {PAGE} results with snippets)")
    print(f"  {'warm find':>9} {'page':>6} {'new find':>9} {'page':>6}  query")
    for query in queries:
        row = []
        for fresh in (False, True):
            finds, pages = [], []
            for _ in range(runs):
                if fresh:
                    forget_query_caches(library)
                start = time.process_time()
                hits = library.find(query, limit=APP_LIMIT)
                middle = time.process_time()
                hits.page(0, PAGE)
                finds.append((middle - start) * 1000)
                pages.append((time.process_time() - middle) * 1000)
            row += [statistics.median(finds), statistics.median(pages)]
        print(f"  {row[0]:9.2f} {row[1]:6.2f} {row[2]:9.2f} {row[3]:6.2f}  {query}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--library", type=Path, default=None)
    parser.add_argument("--per-query", action="store_true", help="also each query's CPU, warm and as a new query")
    args = parser.parse_args()
    docs = documents(args.docs)
    folder = args.library or Path(tempfile.gettempdir()) / "newsreader-bench" / f"search-{args.docs}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    library = build_library(folder, docs)
    app = app_query(library)
    cli = lambda q: library.search(q, limit=20)  # noqa: E731
    for query in QUERIES:  # warm up: parsers, searcher, caches
        app(query)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        from whoosh.highlight import HtmlFormatter
        from whoosh.qparser import MultifieldParser

        ix = naive_index(docs, Path(tmp))
        naive_parser = MultifieldParser(["title", "body"], ix.schema)
        with ix.searcher() as searcher:
            def naive(query):
                results = searcher.search(naive_parser.parse(query), limit=APP_LIMIT)
                results.formatter = HtmlFormatter()
                return [hit.highlights("body") for hit in results[:PAGE]]

            for query in QUERIES:
                naive(query)
            # Interleaved rounds, so each sees the same machine state.
            samples = {"app": ([], []), "cli": ([], []), "naive": ([], [])}
            for _ in range(args.repeat):
                for name, run in (("app", app), ("cli", cli), ("naive", naive)):
                    walls, cpu = timed(run, QUERIES, 1)
                    samples[name][0].extend(walls)
                    samples[name][1].append(cpu)
            for name, (walls, cpus) in samples.items():
                rows[name] = (percentile(walls, 0.5), percentile(walls, 0.95), statistics.median(cpus))
    if args.per_query:
        per_query(library, QUERIES)
    library.close()
    api = "find+page" if hasattr(library, "find") else "search(limit=200)+query_terms"
    print(f"{args.docs} articles, {len(QUERIES)} queries x {args.repeat}; app query via {api}")
    labels = {"app": f"app query (200 hits, page of {PAGE})", "cli": "command line (limit 20)",
              "naive": f"naive Whoosh (200 hits, {PAGE} highlighted)"}
    for name, (p50, p95, cpu) in rows.items():
        print(f"  {labels[name]:<40} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   cpu/query {cpu:6.2f} ms")
    print(f"  app p95 / naive p95: {rows['app'][1] / rows['naive'][1]:.2f}   "
          f"[targets: p95 <= 20 ms at 10k, <= 30 ms at 30k]")


if __name__ == "__main__":
    main()
