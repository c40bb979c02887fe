"""Language detection: the engine's detector against the former one (langdetect, 600
characters, 3 seeded trials, `und` below 0.70) on the Wikinews set and the seeds.

    .venv/bin/python bench/eval_language.py [--runs 3]

Prints the agreement between the two (target >= 99%), each one's agreement with the given
language, how many `und` each says, and the CPU time per article of each (median of --runs
passes, in this process). Not a test: figures vary with the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WIKINEWS = REPO.parent / "shared" / "eval" / "wikinews-events.jsonl"


def former_detect(text: str) -> str:
    """The 0.1.0 detector, kept here to compare against."""
    from langdetect.lang_detect_exception import LangDetectException

    from newsreader.index.language import detector_factory

    sample = text[:600]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    detector = detector_factory().create()
    detector.n_trial = 3
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und"
    return "und" if best.prob < 0.70 else best.lang.split("-")[0]


def main() -> None:
    from newsreader.index.language import detect

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    texts = [f"{row['title']}\n{row['text']}" for row in rows]
    gold = [row["lang"] for row in rows]
    detect(texts[0]), former_detect(texts[0])  # load the profiles outside the clock
    timings: dict[str, list[float]] = {"new": [], "former": []}
    answers: dict[str, list[str]] = {}
    for _ in range(args.runs):
        for name, run in (("new", lambda t: detect(t).lang), ("former", former_detect)):
            start = time.process_time()
            answers[name] = [run(text) for text in texts]
            timings[name].append((time.process_time() - start) * 1000 / len(texts))
    new, former = answers["new"], answers["former"]
    agree = sum(a == b for a, b in zip(new, former, strict=True)) / len(texts)
    print(f"Wikinews: {len(texts)} articles ({', '.join(sorted(set(gold)))})")
    print(f"  agreement new vs former detector: {agree:.2%}   [>= 99%]")
    for name in ("new", "former"):
        right = sum(a == g for a, g in zip(answers[name], gold, strict=True)) / len(texts)
        cpu = statistics.median(timings[name])
        print(f"  {name:<7} agrees with the given language {right:.2%}, und {answers[name].count('und')}, "
              f"CPU {cpu:.2f} ms/article (median of {args.runs})")
    print(f"  speed-up: {statistics.median(timings['former']) / statistics.median(timings['new']):.2f}x")
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    print("seeds: " + " ".join(f"{p.name[:3]}={detect(p.read_text(encoding='utf-8')).lang}/"
                               f"{former_detect(p.read_text(encoding='utf-8'))}" for p in seeds))
    mixed = "Le président a déclaré mardi que la réunion était reportée. " + "الرئيس قال إن الاجتماع تأجل " * 2
    print(f"mixed scripts {detect(mixed)}; short {detect('Putin met Raisi')}")


if __name__ == "__main__":
    main()
