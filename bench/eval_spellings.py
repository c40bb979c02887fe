"""How well search finds a name written another way, on the Wikinews set.

    .venv/bin/python bench/eval_spellings.py [--data FILE] [--names FILE] [--show N]

The names are tests/fixtures/name-spellings.json: groups of spellings of one name that occur in
the set (`Putin`/`Poutine`, `Gorbachev`/`Gorbatchev`/`Gorbaciov`/`Gorbačëv`, ...), gathered from
the set itself. Every spelling of every group is a query, typed as a user would, through the
library's own parser and matcher:

- words: each distinct word of the set that the query highlights as "other spelling" is a
  true match when it is another spelling of the query's group, a false one otherwise
  (`Putin` -> `Bodin`). Precision = true / all "other spelling" words; recall = the group's other
  spellings that the query finds at all (any view) / all of them.
- articles: `search` with no limit. Recall = articles that write the name only in another
  spelling (never as typed) that the search finds; precision = of the results found only
  through another spelling, those that hold one of the group's spellings.

Both are printed for the transliterated names (Russian, Arabic, Persian, Chinese... names in
Latin letters) and the adapted ones (`Libya`/`Libye`/`Libia`) separately and together.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "wikinews-events.jsonl"
DEFAULT_NAMES = REPO / "tests" / "fixtures" / "name-spellings.json"
WORD = re.compile(r"\w+")


def load_names(path: Path) -> dict[str, list[list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {kind: data[kind] for kind in ("transliterated", "adapted")}


def evaluate(data: Path, names: dict[str, list[list[str]]], library_dir: Path) -> dict:
    from newsreader.index import Library, highlight
    from newsreader.index.names import fold

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    article_words = {row["id"]: set(WORD.findall(row["title"] + " " + row["text"])) for row in rows}
    by_lang: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_lang[row["lang"]] |= article_words[row["id"]]
    rank = {highlight.EXACT: 0, highlight.STEM: 1, highlight.SPELLING: 2, highlight.SCRIPT: 3}
    stripped = library_dir.parent / "articles.jsonl"  # the labels play no part here; keep what an article has
    stripped.write_text("\n".join(json.dumps({k: v for k, v in row.items() if k != "event_id"}, ensure_ascii=False)
                                  for row in rows), encoding="utf-8")
    out: dict = {}
    with Library(library_dir) as library:
        library.add([stripped])
        started = time.perf_counter()
        for kind, groups in names.items():
            words = {"true": 0, "false": 0, "gold": 0, "found": 0}
            articles = {"gold": 0, "found": 0, "only_other": 0, "only_other_right": 0}
            false_words: list[tuple[str, str]] = []
            missed: list[tuple[str, str]] = []
            for group in groups:
                for query in group:
                    terms = library.query_terms(query)
                    # How each distinct word of the set matches the query (its most literal way
                    # over the languages it occurs in).
                    how: dict[str, str] = {}
                    for lang, vocabulary in by_lang.items():
                        text = " ".join(sorted(vocabulary))
                        for (start, end), way in highlight.matches_how(text, terms, lang):
                            word = text[start:end]
                            if word not in how or rank[way] < rank[how[word]]:
                                how[word] = way
                    others = {w for w in group if fold(w) != fold(query)}
                    for word, way in how.items():
                        if way != highlight.SPELLING:
                            continue
                        if word in others:
                            words["true"] += 1
                        else:
                            words["false"] += 1
                            false_words.append((query, word))
                    for word in others:
                        words["gold"] += 1
                        if word in how:
                            words["found"] += 1
                        else:
                            missed.append((query, word))
                    # Articles, through the real search.
                    results = library.search(query, limit=None)
                    found = {r.article.id for r in results}
                    own = fold(query)
                    for article_id, present in article_words.items():
                        if present & others and not any(fold(w) == own for w in present):
                            articles["gold"] += 1
                            articles["found"] += article_id in found
                    for result in results:
                        if highlight.SPELLING in result.matched and highlight.EXACT not in result.matched \
                                and highlight.STEM not in result.matched:
                            articles["only_other"] += 1
                            articles["only_other_right"] += bool(article_words[result.article.id] & set(group))
            out[kind] = {"words": words, "articles": articles, "false_words": false_words, "missed": missed}
        out["seconds"] = time.perf_counter() - started
    return out


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def report(result: dict, show: int) -> None:
    total_w = defaultdict(int)
    total_a = defaultdict(int)
    for kind in ("transliterated", "adapted"):
        words, articles = result[kind]["words"], result[kind]["articles"]
        for key, value in words.items():
            total_w[key] += value
        for key, value in articles.items():
            total_a[key] += value
        _print(kind, words, articles)
    _print("all", total_w, total_a)
    for kind in ("transliterated", "adapted"):
        false_words, missed = result[kind]["false_words"], result[kind]["missed"]
        if show and false_words:
            print(f"{kind}: false 'other spelling' words (query -> word), first {show}:")
            print("  " + ", ".join(f"{q}->{w}" for q, w in false_words[:show]))
        if show and missed:
            print(f"{kind}: other spellings not found (query -> spelling), first {show}:")
            print("  " + ", ".join(f"{q}->{w}" for q, w in missed[:show]))
    print(f"({result['seconds']:.1f} s)")


def _print(kind: str, words: dict, articles: dict) -> None:
    print(f"{kind:15} words: precision {_ratio(words['true'], words['true'] + words['false'])} "
          f"({words['true']} true, {words['false']} false), recall {_ratio(words['found'], words['gold'])} "
          f"({words['found']}/{words['gold']})")
    print(f"{'':15} articles: recall {_ratio(articles['found'], articles['gold'])} "
          f"({articles['found']}/{articles['gold']} that write the name only another way), "
          f"precision {_ratio(articles['only_other_right'], articles['only_other'])} "
          f"({articles['only_other_right']}/{articles['only_other']} found only through another spelling)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--names", type=Path, default=DEFAULT_NAMES)
    parser.add_argument("--show", type=int, default=30, help="list this many false matches and misses")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"eval_spellings: {args.data} not found (the Wikinews set; see --data)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nr-spellings-") as tmp:
        result = evaluate(args.data, load_names(args.names), Path(tmp) / "library")
    report(result, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
