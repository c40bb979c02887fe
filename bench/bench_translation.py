#!/usr/bin/env python3
"""Benchmark the translation engine (not a test; prints figures).

1. Throughput: paragraphs/s of `Translator.translate` (cache empty) against calling
   `ctranslate2.Translator.translate_batch` directly on the same model and the same sentences
   in the same run (same threads: inter_threads=min(2, cores), intra_threads=1; same options:
   beam 4, length penalty 0.2). Two direct baselines:
     - per paragraph: one translate_batch call per paragraph, in order (what streaming needs);
     - whole article: every sentence of the article in one call (the best batching can do).
   The direct baselines get their sentences already split and pay no cache writes.
2. Cached re-display: the time to show an already translated article again (route lookup +
   reading every paragraph from the SQLite cache), also with a freshly opened Translator
   (as after a restart).

Uses the tiny fixture models in tests/fixtures/models: their absolute speeds are meaningless
(a real Argos model is ~100x larger); only the ratios and the cached re-display time matter.

    .venv/bin/python bench/bench_translation.py [--runs 7] [--paragraphs 20]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "tests" / "fixtures" / "models"


def article_pool() -> list[str]:
    """Distinct paragraphs of 1-4 fixture sentences each (so the model output is exact)."""
    data = json.loads((MODELS / "translate-tr_en-1_0.pairs.json").read_text(encoding="utf-8"))
    sentences = [item["source"] for item in data]
    result = []
    for size in (3, 2, 4, 1):  # all sequences (repeats allowed) of 1-4 sentences, mixed lengths
        result += [" ".join(combo) for combo in itertools.product(sentences, repeat=size)]
    random.Random(0).shuffle(result)  # articles mix short and long paragraphs
    return result
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--paragraphs", type=int, default=20, help="paragraphs per article")
    parser.add_argument("--articles", type=int, default=4, help="articles per throughput run")
    args = parser.parse_args()

    import ctranslate2
    import sentencepiece

    from newsreader.index.translation import Translator, install_package
    from newsreader.index.translation.engine import TRANSLATE_OPTIONS, decode, default_threads
    from newsreader.index.translation.sentences import join_sentences, split_sentences

    work = Path(tempfile.mkdtemp(prefix="bench-translation-"))
    packages_dir = work / "packages"
    for file in sorted(MODELS.glob("*.argosmodel")):
        install_package(file, packages_dir)
    pool = article_pool()
    per_run = args.paragraphs * args.articles
    if len(pool) < per_run:
        print(f"not enough distinct paragraphs ({len(pool)}); lower --articles", file=sys.stderr)
        return 2

    translator = Translator(packages_dir, work / "cache")
    route = translator.route("tr", "en")
    package = route.steps[0]
    inter, intra = default_threads()
    direct = ctranslate2.Translator(str(package.path / "model"), device="cpu", compute_type="default",
                                    inter_threads=inter, intra_threads=intra)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))

    size = args.paragraphs

    def run_engine(paragraphs):  # one translate() per article, as the app does
        start = time.perf_counter()
        out = []
        for first in range(0, len(paragraphs), size):
            out += [item.translation for item in translator.translate(paragraphs[first:first + size], route)]
        return time.perf_counter() - start, out

    def run_direct_per_paragraph(split):
        start = time.perf_counter()
        out = []
        for sentences in split:
            results = direct.translate_batch([sp.encode(s, out_type=str) for s in sentences], **TRANSLATE_OPTIONS)
            out.append(join_sentences([decode(sp, r.hypotheses[0]) for r in results], "en"))
        return time.perf_counter() - start, out

    def run_direct_whole(split):  # one translate_batch call per article
        start = time.perf_counter()
        out = []
        for first in range(0, len(split), size):
            article_split = split[first:first + size]
            flat = [s for sentences in article_split for s in sentences]
            results = direct.translate_batch([sp.encode(s, out_type=str) for s in flat], **TRANSLATE_OPTIONS)
            decoded = iter(decode(sp, r.hypotheses[0]) for r in results)
            out += [join_sentences([next(decoded) for _ in sentences], "en") for sentences in article_split]
        return time.perf_counter() - start, out

    # warm up: load both models, fill CPU caches (then forget the engine's cached output)
    warm = pool[:per_run]
    run_engine(warm)
    run_direct_per_paragraph([split_sentences(p, "tr") for p in warm])
    translator.clear_cache()

    engine_t, per_par_t, whole_t = [], [], []
    for run in range(args.runs):
        texts = pool[:per_run]
        translator.clear_cache()  # (outside the timing) every run starts with nothing cached
        split = [split_sentences(p, "tr") for p in texts]
        order = [("engine", texts), ("per", split), ("whole", split)]
        if run % 2:
            order.reverse()
        outputs = {}
        for name, data in order:
            if name == "engine":
                seconds, outputs[name] = run_engine(data)
                engine_t.append(seconds)
            elif name == "per":
                seconds, outputs[name] = run_direct_per_paragraph(data)
                per_par_t.append(seconds)
            else:
                seconds, outputs[name] = run_direct_whole(data)
                whole_t.append(seconds)
        if not outputs["engine"] == outputs["per"] == outputs["whole"]:
            print("warning: engine and direct outputs differ", file=sys.stderr)

    def rate(times):
        return per_run / statistics.median(times)

    engine_rate, per_rate, whole_rate = rate(engine_t), rate(per_par_t), rate(whole_t)
    sentences_per_paragraph = statistics.mean(len(split_sentences(p, "tr")) for p in pool[:per_run])

    # cached re-display of one article (already translated above)
    shown = pool[:args.paragraphs]
    redisplay, reopened = [], []
    for _ in range(max(args.runs, 5) * 3):
        start = time.perf_counter()
        r = translator.route("tr", "en")
        items = list(translator.translate(shown, r))
        redisplay.append((time.perf_counter() - start) * 1000)
        assert all(item.cached for item in items)
    translator.close()
    for _ in range(max(args.runs, 5)):
        start = time.perf_counter()
        with Translator(packages_dir, work / "cache") as fresh:
            r = fresh.route("tr", "en")
            items = list(fresh.translate(shown, r))
            reopened.append((time.perf_counter() - start) * 1000)
        assert all(item.cached for item in items)

    print(f"newsreader translation benchmark: {args.runs} runs of {args.articles} articles x {size} paragraphs "
          f"({sentences_per_paragraph:.1f} sentences each), inter_threads={inter}, intra_threads={intra}")
    print("NOTE: tiny fixture models (1+1 layers, d=64): absolute speeds are meaningless; only ratios matter.")
    print(f"  engine Translator.translate              {engine_rate:9.1f} paragraphs/s (median)")
    print(f"  direct translate_batch, per paragraph    {per_rate:9.1f} paragraphs/s (median)")
    print(f"  direct translate_batch, whole article    {whole_rate:9.1f} paragraphs/s (median)")
    print(f"  ratio engine / direct per paragraph      {engine_rate / per_rate:9.2f}   (target >= 0.9)")
    print(f"  ratio engine / direct whole article      {engine_rate / whole_rate:9.2f}")
    print(f"  cached re-display, {args.paragraphs} paragraphs          "
          f"{statistics.median(redisplay):9.2f} ms per article (median; target <= 20)")
    print(f"  same, freshly opened Translator          {statistics.median(reopened):9.2f} ms per article (median)")
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
