"""Offline translation with Argos Translate packages (CTranslate2 + SentencePiece).

Public API (used by the app and the command line):

    Translator, Route, ParagraphTranslation, PackageInfo
    TranslationError, NoRoute, PackageError, ArgosMissing   (all NewsreaderError)
    install_package, remove_package, list_packages, read_package

Nothing here imports ctranslate2, sentencepiece or argostranslate until the first translation.
"""

from .errors import ArgosMissing, NoRoute, PackageError, TranslationError
from .packages import PackageInfo, install_package, list_packages, read_package, remove_package
from .routes import Route, find_route, normalize_lang
from .translator import ENGINES, ParagraphTranslation, Translator

__all__ = [
    "ENGINES", "ArgosMissing", "NoRoute", "PackageError", "PackageInfo", "ParagraphTranslation", "Route",
    "TranslationError", "Translator", "find_route", "install_package", "list_packages", "normalize_lang",
    "read_package", "remove_package",
]
