"""A synthetic multilingual corpus for the benchmarks, written as plain text files.

Articles are recombined from real sentences: Wikinews (en, fr, it; ../shared/eval) and the
bundled seeds (tr, sq, ar), so term statistics and language detection behave as on news.
Deterministic for a given size and seed.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WIKINEWS = REPO.parent / "shared" / "eval" / "wikinews-multilingual.jsonl"
SEEDS = REPO / "seeds"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sentences_by_language() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    if WIKINEWS.exists():
        for line in WIKINEWS.open(encoding="utf-8"):
            row = json.loads(line)
            pool.setdefault(row["lang"], []).extend(s for s in _SENTENCE.split(row["text"]) if len(s) > 30)
    seed_langs = {"000": "tr", "001": "tr", "002": "tr", "003": "sq", "004": "ar"}
    for path in sorted(SEEDS.glob("*.txt")):
        lang = seed_langs[path.name[:3]]
        text = path.read_text(encoding="utf-8")
        pool.setdefault(lang, []).extend(s for s in _SENTENCE.split(text) if len(s) > 30)
    return pool


def documents(count: int, seed: int = 7) -> list[dict]:
    """`count` articles: {"id", "lang", "title", "paragraphs"}; about 2 KB each."""
    rng = random.Random(seed)
    pool = _sentences_by_language()
    langs = sorted(pool)
    share = {"en": 30, "fr": 20, "it": 20, "tr": 15, "sq": 8, "ar": 7}  # news in six languages
    weights = [share.get(lang, 5) for lang in langs]
    docs = []
    for i in range(count):
        lang = rng.choices(langs, weights)[0]
        sentences = pool[lang]
        paragraphs = [" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
                      for _ in range(rng.randint(2, 5))]
        title = rng.choice(sentences)[:80].rsplit(" ", 1)[0]
        docs.append({"id": f"doc{i:05d}", "lang": lang, "title": title, "paragraphs": paragraphs})
    return docs


def write_folder(docs: list[dict], folder: Path) -> Path:
    """One seed-format text file per article, 1,000 to a subfolder."""
    for doc in docs:
        sub = folder / doc["id"][:-3]
        sub.mkdir(parents=True, exist_ok=True)
        year, month = 2020 + int(doc["id"][3:]) % 5, 1 + int(doc["id"][3:]) % 12
        body = "\n\n".join(doc["paragraphs"])
        (sub / f"{doc['id']}.txt").write_text(f" date {year}-{month:02d}\n{doc['title']}\n\n{body}\n", encoding="utf-8")
    return folder
