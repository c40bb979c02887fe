"""Evaluate event grouping on the Wikinews set (../shared/eval/wikinews-events.jsonl).

    .venv/bin/python bench/eval_events.py [--data FILE] [--library DIR]

Adds the file to a fresh library with `event_id` removed (grouping sees only what a real
article has), then prints, against the `event_id` labels:
- pairwise precision, recall and F1 of `events` (every pair of articles put in one event);
- cross-language recall@1 of `related`: for each article with a partner in another language,
  is the first other-language result a partner?
The grouping's constants were tuned on this same set (see index/events/model.py), so its
figures are optimistic for other data; tests/fixtures/dated-events is an independent check.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "eval" / "wikinews-events.jsonl"


def evaluate(data: Path, library_dir: Path) -> dict:
    from newsreader.index import Library

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = {row["id"]: row.pop("event_id") for row in rows}
    unlabelled = library_dir.parent / "articles.jsonl"
    unlabelled.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    with Library(library_dir) as library:
        started = time.perf_counter()
        report = library.add([unlabelled])
        added = time.perf_counter() - started
        started = time.perf_counter()
        events = library.events(min_size=2)
        grouping = time.perf_counter() - started
        predicted = {tuple(sorted(pair)) for e in events for pair in itertools.combinations(e.members, 2)}
        by_event = defaultdict(list)
        for article_id, event_id in labels.items():
            by_event[event_id].append(article_id)
        gold = {tuple(sorted(pair)) for members in by_event.values() for pair in itertools.combinations(members, 2)}
        true = len(predicted & gold)
        precision = true / len(predicted) if predicted else 1.0
        recall = true / len(gold) if gold else 1.0
        lang = {row["id"]: row["lang"] for row in rows}
        hits = asked = 0
        for a, b in gold:
            for x, y in ((a, b), (b, a)):
                if lang[x] == lang[y]:
                    continue
                asked += 1
                others = [s.id for s, _ in library.related(x, limit=50) if lang[s.id] != lang[x]]
                hits += bool(others) and others[0] == y
    return {
        "articles": len(rows), "added": len(report.added), "problems": len(report.problems),
        "gold_pairs": len(gold), "predicted_pairs": len(predicted), "true_pairs": true,
        "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "cross_language_pairs_asked": asked, "related_recall_at_1": round(hits / asked, 4) if asked else None,
        "add_seconds": round(added, 1), "events_seconds": round(grouping, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"{args.data}: not found (the evaluation set lives in ../shared/eval)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        figures = evaluate(args.data, Path(tmp) / "library")
    for key, value in figures.items():
        print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
