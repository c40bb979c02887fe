"""Evaluate event grouping on the development sets.

    .venv/bin/python bench/eval_events.py [--wikinews FILE] [--semeval DIR]

Wikinews (../shared/eval/wikinews-events.jsonl): the file is added to a fresh library with
`event_id` removed, then pairwise precision and recall of `events` (cross-language and
same-language apart, with 95% intervals), B-cubed, cross-language recall@1 of `related`, and
how far `same_event` alone could go (every pair `related` lists and every gold pair ranked by
it: the precision where it first reaches a cross-language recall of 0.40 and 0.60).
SemEval-2022 Task 8 training split (a folder made by ../shared/eval/semeval_train.py, kept
outside the repository): the articles are added to a fresh library, then, over the rated
pairs, precision and recall of `events` against pairs rated <= 1.5 (the same story), and the
Pearson and Spearman correlation of `similarity` with the ratings per language pair, beside a
word TF-IDF cosine baseline computed in the same run.
Grouping (index/events/model.py) was tuned on Wikinews: its Wikinews figures are training
figures. `similarity` (index/events/similarity.py) has no fitted constant: the square root and
the word weights were chosen on SemEval's training split, so its SemEval figures are
development figures too; the SemEval testing split is held out and never used here.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import math
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
WIKINEWS = REPO.parent / "shared" / "eval" / "wikinews-events.jsonl"


def interval(hits: int, total: int) -> str:
    """A proportion with its 95% Wilson interval."""
    if not total:
        return "n/a"
    p, z = hits / total, 1.96
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return f"{p:.3f} ({hits}/{total}; {centre - half:.2f}-{centre + half:.2f})"


def _library_with(rows: list[dict], folder: Path):
    from newsreader.index import Library

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "articles.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    library = Library(folder / "library")
    started = time.perf_counter()
    library.add([source])
    return library, time.perf_counter() - started


def evaluate(path: Path, library_dir: Path) -> dict:
    """The Wikinews figures as numbers (tests/engine/test_events.py checks them)."""
    figures = wikinews(path, library_dir.parent, seeds=False, ceiling=False)
    return {key: float(value.split()[0]) if isinstance(value, str) and value[:1].isdigit() else value
            for key, value in figures.items()}


def seeds_check(library) -> str:
    """The seeds added to a set's library (after its figures are taken): their event (000, 001,
    003, 004 one event, 002 apart, no article of the set in it) and compare 000 001."""
    from newsreader.index import bundled_seeds

    report = library.add([bundled_seeds()])
    seeds = {article_id[:3]: article_id for article_id in report.added}
    event = library.event_of(seeds["000"])
    members = {m[:3] if m in seeds.values() else "other" for m in event.members} if event else set()
    whole = members == {"000", "001", "003", "004"}
    same_event = library.compare(seeds["000"], seeds["001"]).score
    return (f"{'yes' if whole else 'NO'}: the event of 000 holds {sorted(members)}; "
            f"compare 000 001 same_event {same_event:.3f}")


def wikinews(path: Path, folder: Path, seeds: bool = True, ceiling: bool = True) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = {r["id"]: r.pop("event_id") for r in rows}
    lang = {r["id"]: r["lang"] for r in rows}
    library, seconds = _library_with(rows, folder)
    with library:
        predicted = {tuple(sorted(p)) for e in library.events(min_size=2) for p in itertools.combinations(e.members, 2)}
        by_event = collections.defaultdict(list)
        for article_id, event_id in labels.items():
            by_event[event_id].append(article_id)
        gold = {tuple(sorted(p)) for m in by_event.values() for p in itertools.combinations(m, 2)}
        cross = {p for p in gold if lang[p[0]] != lang[p[1]]}
        predicted_cross = {p for p in predicted if lang[p[0]] != lang[p[1]]}
        hits = asked = 0
        for a, b in cross:
            for x, y in ((a, b), (b, a)):
                asked += 1
                others = [s.id for s, _ in library.related(x, limit=50) if lang[s.id] != lang[x]]
                hits += bool(others) and others[0] == y
        mine = {a: e for e in library.events() for a in e.members}
        ranked = ranking_ceiling(library, rows, gold, cross) if ceiling else {}
        seeds_event = seeds_check(library) if seeds else None
    b3p = b3r = 0.0
    for a in labels:
        ours = {m for m, e in mine.items() if e == mine[a]}
        theirs = set(by_event[labels[a]])
        b3p += len(ours & theirs) / len(ours)
        b3r += len(ours & theirs) / len(theirs)
    return {"articles": len(rows), "add_seconds": round(seconds, 1),
            "precision": interval(len(predicted & gold), len(predicted)),
            "recall": interval(len(predicted & gold), len(gold)),
            "precision_cross_language": interval(len(predicted_cross & cross), len(predicted_cross)),
            "recall_cross_language": interval(len(predicted & cross), len(cross)),
            "recall_same_language": interval(len(predicted & (gold - cross)), len(gold - cross)),
            "bcubed_precision": round(b3p / len(labels), 4), "bcubed_recall": round(b3r / len(labels), 4),
            "related_recall_at_1": interval(hits, asked), **ranked,
            **({"seeds_added": seeds_event} if seeds else {})}


def ranking_ceiling(library, rows: list[dict], gold: set, cross: set) -> dict:
    """How far `same_event` alone can go, whatever the grouping: every pair `related` lists
    (20 an article) and every gold pair, ranked by same_event; the precision where the ranking
    first reaches a cross-language recall of 0.40 and of 0.60."""
    scores = {}
    for r in rows:
        for summary, found in library.related(r["id"], limit=20):
            scores[tuple(sorted((r["id"], summary.id)))] = found.score
    for pair in gold - scores.keys():
        scores[pair] = library.compare(*pair).score
    out, hits, crossed = {}, 0, 0
    for rank, (pair, _) in enumerate(sorted(scores.items(), key=lambda kv: -kv[1]), 1):
        hits += pair in gold
        crossed += pair in cross
        for target in (0.4, 0.6):
            key = f"ranking_precision_at_cross_recall_{target:.2f}"
            if key not in out and crossed >= target * len(cross):
                out[key] = interval(hits, rank)
    return out


def semeval(folder_in: Path, folder: Path) -> dict:
    from scipy.stats import pearsonr, spearmanr

    rows = [json.loads(line) for line in (folder_in / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [json.loads(line) for line in (folder_in / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    library, seconds = _library_with(rows, folder)
    with library:
        event_of = library.event_ids()
        similarity = [library.compare(p["id1"], p["id2"]).similarity for p in pairs]
        seeds_event = seeds_check(library)
    rating = np.array([p["overall"] for p in pairs])
    grouped = np.array([event_of.get(p["id1"]) == event_of.get(p["id2"]) for p in pairs])
    same_story = rating <= 1.5
    baseline = _tfidf_cosines(rows, pairs)
    out = {"articles": len(rows), "rated_pairs": len(pairs), "add_seconds": round(seconds, 1),
           "events_precision": interval(int((grouped & same_story).sum()), int(grouped.sum())),
           "events_precision_rated_2_or_less": interval(int((grouped & (rating <= 2)).sum()), int(grouped.sum())),
           "events_recall": interval(int((grouped & same_story).sum()), int(same_story.sum())),
           "seeds_added": seeds_event}
    sim = np.array(similarity, dtype=float)
    out["pearson_similarity"] = round(pearsonr(sim, -rating)[0], 3)
    out["pearson_tfidf_baseline"] = round(pearsonr(baseline, -rating)[0], 3)
    out["spearman_similarity"] = round(spearmanr(sim, -rating)[0], 3)
    out["spearman_tfidf_baseline"] = round(spearmanr(baseline, -rating)[0], 3)
    for key in sorted({(p["lang1"], p["lang2"]) for p in pairs}):
        k = np.array([(p["lang1"], p["lang2"]) == key for p in pairs])
        out[f"pearson {key[0]}-{key[1]} (n={k.sum()})"] = \
            f"{pearsonr(sim[k], -rating[k])[0]:.2f} (tf-idf {pearsonr(baseline[k], -rating[k])[0]:.2f})"
    return out


def _tfidf_cosines(rows, pairs) -> np.ndarray:
    """A plain word TF-IDF cosine (IDF over these articles, 1 + log tf): the baseline."""
    words = {r["id"]: collections.Counter(w.lower() for w in re.findall(r"\w+", (r.get("title") or "") + " " + r["text"]))
             for r in rows}
    df = collections.Counter(w for c in words.values() for w in c)
    n = len(words)

    def vector(c):
        v = {w: (1 + math.log(k)) * math.log((n + 1) / (df[w] + 1)) for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1
        return {w: x / norm for w, x in v.items()}

    vectors = {i: vector(c) for i, c in words.items()}
    return np.array([sum(x * vectors[p["id2"]].get(w, 0.0) for w, x in vectors[p["id1"]].items()) for p in pairs])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikinews", type=Path, default=WIKINEWS)
    parser.add_argument("--semeval", type=Path, help="folder made by semeval_train.py (articles.jsonl, pairs.jsonl)")
    args = parser.parse_args()
    sets = [("wikinews", wikinews, args.wikinews)] + ([("semeval", semeval, args.semeval)] if args.semeval else [])
    for name, run, path in sets:
        if not path.exists():
            print(f"{path}: not found", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            figures = run(path, Path(tmp))
        print(f"== {name}")
        for key, value in figures.items():
            print(f"{key:36} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
