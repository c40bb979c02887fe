"""Translation errors: each carries one line a user can act on (the CLI prints it, exit 2)."""

from __future__ import annotations

from ..errors import NewsreaderError

INSTALL_HINT = "`newsreader models install FILE.argosmodel`"
ARGOS_EXTRA_HINT = "pip install 'newsreader[argos]'"


class TranslationError(NewsreaderError):
    """Translation cannot go ahead: unknown language, unusable model, missing extra, ..."""


class UndeterminedLanguage(TranslationError):
    """The text's language is `und`: no model can be chosen. Says nothing of how to set it:
    the command line and the app each add their own way."""


class NoRoute(TranslationError):
    """No installed package (or pair of packages through English) translates from -> to."""


class PackageError(TranslationError):
    """An Argos package file or folder is unusable: not a zip, corrupt, wrong layout, unsafe."""


class ArgosMissing(TranslationError):
    """The optional argostranslate dependency is needed and not installed."""
