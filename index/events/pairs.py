"""Scored pairs of articles (rows a < b) and their evidence, as sorted arrays.

A library's candidate pairs number thirty or so per article; kept as a dict of tuples they
cost about 250 bytes each (150 MB at 30,000 articles), as arrays 12.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


class Pairs:
    def __init__(self) -> None:
        self._codes = np.zeros(0, dtype=np.int64)  # a << 32 | b, sorted
        self.values = np.zeros(0, dtype=np.float32)

    @staticmethod
    def _encode(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return (np.asarray(left, dtype=np.int64) << 32) | np.asarray(right, dtype=np.int64)

    def update(self, left: np.ndarray, right: np.ndarray, values: np.ndarray) -> None:
        """Add pairs (a < b), or score again ones already here."""
        codes = self._encode(left, right)
        kept = ~np.isin(self._codes, codes)
        codes, first = np.unique(codes, return_index=True)
        merged = np.concatenate([self._codes[kept], codes])
        order = np.argsort(merged, kind="stable")
        self._codes = merged[order]
        self.values = np.concatenate([self.values[kept], np.asarray(values, dtype=np.float32)[first]])[order]

    def lookup(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The evidence of each (a, b), NaN for a pair not here."""
        codes = self._encode(left, right)
        at = np.minimum(np.searchsorted(self._codes, codes), max(len(self._codes) - 1, 0))
        found = self._codes[at] == codes if len(self._codes) else np.zeros(len(codes), dtype=bool)
        return np.where(found, self.values[at] if len(self._codes) else 0.0, np.nan).astype(np.float32)

    def get(self, a: int, b: int) -> float | None:
        value = float(self.lookup(np.array([a]), np.array([b]))[0])
        return None if np.isnan(value) else value

    @property
    def left(self) -> np.ndarray:
        return self._codes >> 32

    @property
    def right(self) -> np.ndarray:
        return self._codes & 0xFFFFFFFF

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, pair: tuple[int, int]) -> bool:
        return self.get(*pair) is not None

    def __iter__(self) -> Iterator[tuple[int, int, float]]:
        """(a, b, evidence), in order."""
        return zip(self.left.tolist(), self.right.tolist(), self.values.tolist(), strict=True)
