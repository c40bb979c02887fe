"""Offline translation with Argos Translate packages (CTranslate2 + SentencePiece).

Public API (used by the app and the command line):

    Translator, Route, ParagraphTranslation, PackageInfo
    TranslationError, NoRoute, PackageError, ArgosMissing, UndeterminedLanguage   (all NewsreaderError)
    install_package, remove_package, list_packages, read_package
    read_documents                                     (a file's articles, to translate)
    package_index                                      (Argos's package index: fetch, find, install)

Nothing here imports ctranslate2, sentencepiece or argostranslate until the first translation,
and the names load on first use (as in `newsreader.index`): the configuration reads `ENGINES`
from `.engines` at every start without paying for the rest.
"""

from importlib import import_module

_LAZY = {
    "ArgosMissing": ".errors", "NoRoute": ".errors", "PackageError": ".errors", "TranslationError": ".errors",
    "UndeterminedLanguage": ".errors",
    "PackageInfo": ".packages", "install_package": ".packages", "list_packages": ".packages",
    "read_package": ".packages", "remove_package": ".packages",
    "Route": ".routes", "find_route": ".routes", "normalize_lang": ".routes",
    "ENGINES": ".engines", "ParagraphTranslation": ".translator", "Translator": ".translator",
    "read_documents": ".documents",
}

__all__ = [
    "ENGINES", "ArgosMissing", "NoRoute", "PackageError", "PackageInfo", "ParagraphTranslation", "Route",
    "TranslationError", "Translator", "find_route", "install_package", "list_packages", "normalize_lang",
    "read_documents", "read_package", "remove_package", "UndeterminedLanguage",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
