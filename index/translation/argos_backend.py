"""The optional path through argostranslate itself (`pip install 'newsreader[argos]'`).

With engine = "argos", packages are loaded and applied by argostranslate (its tokenizers,
including the older `bpe.model` ones, its target-prefix handling and its decoding). Sentences
still come from newsreader's splitter: argostranslate's default splitter (MiniSBD) downloads a
model on first use of a package without one, which fails offline.

The extra also gives `newsreader models available` and `newsreader models install NAME`, from
argostranslate's online package index.

argostranslate (which pulls stanza and torch) is imported inside functions only, never when
newsreader starts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import default_threads
from .errors import ARGOS_EXTRA_HINT, ArgosMissing, TranslationError
from .packages import MODEL_DIR, PackageInfo, package_name


def require_argos(purpose: str = "this"):
    """Import argostranslate or say exactly how to get it."""
    try:
        import argostranslate  # noqa: F401
        import argostranslate.package
    except ImportError:
        raise ArgosMissing(f"{purpose} needs argostranslate, which is not installed: {ARGOS_EXTRA_HINT}") from None
    return argostranslate


class _GivenSentences:
    """A sentencizer for argostranslate that returns the sentences newsreader already split."""

    def __init__(self, sentence: str):
        self.sentence = sentence

    def split_sentences(self, text: str) -> list[str]:
        return [self.sentence]


class ArgosBackend:
    name = "argos"

    def __init__(self):
        require_argos("engine = \"argos\"")
        self.inter_threads, self.intra_threads = default_threads()
        self._loaded: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def parallelism(self) -> int:
        return self.inter_threads

    def _load(self, package: PackageInfo):
        key = str(package.path)
        with self._lock:
            if key in self._loaded:
                return self._loaded[key]
            import ctranslate2
            from argostranslate import package as argos_package
            from argostranslate import settings

            try:
                pkg = argos_package.Package(package.path)
                translator = ctranslate2.Translator(
                    str(package.path / MODEL_DIR), device=settings.device, compute_type=settings.compute_type,
                    inter_threads=self.inter_threads, intra_threads=self.intra_threads)
            except Exception as exc:  # argostranslate raises bare Exceptions
                raise TranslationError(f"argostranslate cannot load {package.label} ({exc})") from None
            self._loaded[key] = (pkg, translator)
            return pkg, translator

    def translate_sentences(self, package: PackageInfo, sentences: list[str]) -> list[str | None]:
        if not sentences:
            return []
        from argostranslate.translate import apply_packaged_translation

        pkg, translator = self._load(package)
        results: list[str | None] = []
        for sentence in sentences:
            if _mostly_unknown(pkg, sentence):
                results.append(None)
                continue
            try:
                hypotheses = apply_packaged_translation(pkg, sentence, translator, _GivenSentences(sentence), 1)
            except Exception as exc:
                raise TranslationError(f"argostranslate failed to translate with {package.label} ({exc})") from None
            self.calls += 1
            results.append(hypotheses[0].value)
        return results

    def close(self) -> None:
        with self._lock:
            self._loaded.clear()


def _mostly_unknown(pkg, sentence: str) -> bool:
    from .engine import UNKNOWN_SHARE

    tokenizer = getattr(pkg, "tokenizer", None)
    lazy = getattr(tokenizer, "lazy_processor", None)
    if lazy is None:  # BPE packages: no cheap way to tell, let the model try
        return False
    sp = lazy()
    pieces = [p for p in sp.encode(sentence, out_type=str) if p != "\u2581"]
    unknown = sum(1 for p in pieces if sp.piece_to_id(p) == sp.unk_id())
    return bool(pieces) and unknown / len(pieces) > UNKNOWN_SHARE


# -- the online package index ----------------------------------------------------------------

@dataclass(frozen=True)
class AvailablePackage:
    name: str  # "translate-tr_en"
    from_code: str
    to_code: str
    version: str
    title: str
    handle: Any = None  # argostranslate.package.AvailablePackage

    def to_json(self) -> dict:
        return {"name": self.name, "from": self.from_code, "to": self.to_code, "version": self.version,
                "title": self.title}


def available_packages(update: bool = True, purpose: str = "`newsreader models available`") -> list[AvailablePackage]:
    """Packages in argostranslate's online index (downloads the index when `update`)."""
    require_argos(purpose)
    from argostranslate import package as argos_package
    from argostranslate import settings

    if update:
        argos_package.update_package_index()  # logs and returns on network errors
    index_file = Path(settings.local_package_index)
    if not index_file.exists():  # get_available_packages() would retry forever offline
        raise TranslationError(f"cannot download the Argos package index from {settings.remote_package_index} "
                               f"(offline?); install a package file with `newsreader models install FILE.argosmodel`")
    try:
        found = argos_package.get_available_packages()
    except Exception as exc:
        raise TranslationError(f"cannot read the Argos package index {index_file} ({exc})") from None
    result = []
    for item in found:
        if getattr(item, "type", "translate") != "translate" or not item.from_code or not item.to_code:
            continue
        result.append(AvailablePackage(package_name(item.from_code, item.to_code), item.from_code, item.to_code,
                                       str(item.package_version), f"{item.from_name} → {item.to_name}", item))
    result.sort(key=lambda p: (p.from_code, p.to_code))
    return result


def download_package(name: str) -> Path:
    """Download a package named like "translate-tr_en" or "tr-en" from the index; returns the file."""
    wanted = name.strip().lower().replace("_", "-")
    if wanted.startswith("translate-"):
        wanted = wanted[len("translate-"):]
    packages = available_packages(purpose=f"`newsreader models install {name}` (a package name, not a file)")
    matches = [p for p in packages if f"{p.from_code}-{p.to_code}" == wanted]
    if not matches:
        raise TranslationError(f"no package {name!r} in the Argos package index; "
                               f"see `newsreader models available`")
    try:
        return Path(matches[0].handle.download())
    except Exception as exc:
        raise TranslationError(f"cannot download {matches[0].name} ({exc})") from None


__all__ = ["ArgosBackend", "AvailablePackage", "available_packages", "download_package", "require_argos"]
