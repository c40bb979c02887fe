"""Errors the engine raises on purpose: each carries one line a user can act on."""


class NewsreaderError(Exception):
    """A failure with a one-line, user-facing message (no traceback needed)."""


class LibraryError(NewsreaderError):
    """The library folder cannot be opened, created or written."""


class QueryError(NewsreaderError):
    """A search query that cannot be parsed."""


class NotFound(NewsreaderError):
    """No article, path or package by that name."""


class LibraryBusy(LibraryError):
    """Another process is changing the library (and this caller chose not to wait)."""


class LibraryDamaged(LibraryError):
    """The catalog (what sources and the reader said) is damaged or missing: never repaired silently."""
