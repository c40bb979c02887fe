"""The built-in translation backend: CTranslate2 + SentencePiece, no argostranslate needed.

It translates the way argostranslate does (SentencePiece pieces in, beam 4, length penalty
0.2, unknown words copied from the source, the leading space of the decoded text dropped), so
a package gives the same output here and under argostranslate. Each package's model is loaded
once, on first use, and kept. CTranslate2's threads are set explicitly: its default
(intra_threads=0) is 15-60x slower for single sentences on a 2-core machine.

ctranslate2 and sentencepiece are imported on first use only: `import newsreader.index`
stays fast.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from .errors import TranslationError
from .packages import MODEL_DIR, PackageInfo

BEAM_SIZE = 4  # argostranslate's default
UNKNOWN_SHARE = 0.5  # a sentence with more unknown pieces than this is in a script the model lacks
TRANSLATE_OPTIONS = dict(  # what argostranslate 1.9-1.11 passes to translate_batch
    beam_size=BEAM_SIZE, num_hypotheses=1, length_penalty=0.2, replace_unknowns=True,
    max_batch_size=32, batch_type="tokens",
)


def default_threads() -> tuple[int, int]:
    """(inter_threads, intra_threads): one replica per core up to 2, one thread each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(2, cores)), 1


@dataclass
class _Loaded:
    translator: Any  # ctranslate2.Translator
    processor: Any  # sentencepiece.SentencePieceProcessor
    unk_id: int
    stamp: int


class CTranslate2Backend:
    name = "ctranslate2"

    def __init__(self, inter_threads: int | None = None, intra_threads: int | None = None):
        inter, intra = default_threads()
        self.inter_threads = inter_threads or inter
        self.intra_threads = intra_threads or intra
        self._loaded: dict[str, _Loaded] = {}
        self._lock = threading.Lock()
        self.calls = 0  # translate_batch calls made, for tests and benchmarks

    @property
    def parallelism(self) -> int:
        return self.inter_threads

    def _load(self, package: PackageInfo) -> _Loaded:
        model = package.path / MODEL_DIR
        try:
            stamp = (model / "model.bin").stat().st_mtime_ns
        except OSError:
            raise TranslationError(f"the model files of {package.label} are missing from {package.path}; "
                                   f"reinstall it with `newsreader models install FILE.argosmodel`") from None
        key = str(package.path)
        with self._lock:
            loaded = self._loaded.get(key)
            if loaded is not None and loaded.stamp == stamp:
                return loaded
            if package.tokenizer != "sentencepiece.model":
                raise TranslationError(
                    f"{package.label} uses the older {package.tokenizer} tokenizer, which the built-in engine "
                    f"does not read; set engine = \"argos\" in the config (pip install 'newsreader[argos]')")
            import ctranslate2
            import sentencepiece

            try:
                translator = ctranslate2.Translator(
                    str(model), device="cpu", compute_type="default",
                    inter_threads=self.inter_threads, intra_threads=self.intra_threads)
                processor = sentencepiece.SentencePieceProcessor(model_file=str(package.path / package.tokenizer))
            except (RuntimeError, ValueError, OSError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise TranslationError(f"cannot load {package.label} from {package.path} ({reason}); "
                                       f"reinstall it with `newsreader models install FILE.argosmodel`") from None
            loaded = _Loaded(translator, processor, processor.unk_id(), stamp)
            self._loaded[key] = loaded
            return loaded

    def translate_sentences(self, package: PackageInfo, sentences: list[str]) -> list[str | None]:
        """Translate sentences in one translate_batch call; None for a sentence written in a
        script the model does not know (mostly unknown pieces: the output would be garbage)."""
        if not sentences:
            return []
        loaded = self._load(package)
        sp = loaded.processor
        batch, slots = [], []
        results: list[str | None] = [None] * len(sentences)
        for i, sentence in enumerate(sentences):
            pieces = sp.encode(sentence, out_type=str)  # as argostranslate: strings, not ids
            content = [p for p in pieces if p != "\u2581"]
            unknown = sum(1 for p in content if sp.piece_to_id(p) == loaded.unk_id)
            if content and unknown / len(content) > UNKNOWN_SHARE:
                continue
            batch.append(pieces)
            slots.append(i)
        if not batch:
            return results
        prefix = [[package.target_prefix]] * len(batch) if package.target_prefix else None
        try:
            outputs = loaded.translator.translate_batch(batch, target_prefix=prefix, **TRANSLATE_OPTIONS)
        except RuntimeError as exc:
            raise TranslationError(f"{package.label} failed to translate ({str(exc).splitlines()[0]})") from None
        self.calls += 1
        for slot, output in zip(slots, outputs, strict=True):
            results[slot] = decode(sp, output.hypotheses[0], package.target_prefix)
        return results

    def close(self) -> None:
        with self._lock:
            self._loaded.clear()


def decode(sp, pieces: list[str], target_prefix: str = "") -> str:
    """argostranslate's SentencePieceTokenizer.decode and clean-up, exactly."""
    value = sp.decode_pieces(pieces).replace("\u2581", " ").replace("_", " ")
    if target_prefix and value.startswith(target_prefix):
        value = value[len(target_prefix):]
    if value[:1] == " ":
        value = value[1:]
    return value
