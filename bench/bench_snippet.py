"""Snippet time for one huge one-line article (issue 9, defect 9: a 5 MB line took 244 s).

    .venv/bin/python bench/bench_snippet.py [--sizes 0.5,5] [--runs 3]

For each size: the snippet of `economy` in an article of that many megabytes, with the query
word near the start and repeated all through (the worst case before: every match counted
against every other), and near the end only (the scan stops at its budget and shows the
start). Wall time per snippet, median over the runs; the engine's own `search.snippet`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from newsreader.index import highlight, search


def article(megabytes: float, where: str) -> str:
    filler = "growth of trade in the region and the economy of the country "
    count = int(megabytes * 1_048_576 / len(filler))
    if where == "all through":
        return "The economy grew. " + filler * count
    return "The report. " + filler.replace("economy", "markets") * count + " economy"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0.5,5")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    terms = highlight.QueryTerms(folded=frozenset({"economy"}))
    for size in (float(s) for s in args.sizes.split(",")):
        for where in ("all through", "at the end"):
            text = article(size, where)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                found, _ = search.snippet((text,), "en", terms)
                times.append(time.perf_counter() - start)
            print(f"{size:>5.1f} MB, match {where:<11}  {statistics.median(times) * 1000:8.1f} ms  "
                  f"snippet {len(found.text)} chars, {len(found.spans)} highlights")


if __name__ == "__main__":
    main()
