"""Which articles report the same event: scored candidate pairs over a whole library.

Each pair's evidence is a function of the two articles alone (similarity.py: weighted
character n-grams within a script, names, numbers and dates across scripts, trusted
publication dates). Two things are relative, and both are local:
- a *hub* correction: an article whose HUB_K-th best match is already likely (a wire text
  republished by many outlets, a story covered every day) has its scores lowered by that much.
  Only matches above even odds count (HUB_FLOOR), so articles on other subjects, which never
  reach it, cannot move a hub: measured, a floor below even odds let the 1,557 Wikinews
  articles split the seeds' event;
- links are made only between articles that are among each other's best few in the other's
  language (mutual top-k: MUTUAL_K in one language, where one event has many reports, the best
  one in another): reports of one event pick each other; a story's siblings lose to them.

Candidates come from an inverted index of each article's rarest features (its heaviest
n-grams and its names) in blocks of rows, never an article-by-article matrix: the cost grows
with the library, not its square. Grouping (grouping.py) takes the links strongest first and
merges two groups only when they agree on average, so a chain through a long story stops.
"""

from __future__ import annotations

from array import array

import numpy as np
import scipy.sparse as sp

from . import similarity as scoring
from .features import Features, distinct
from .pairs import Pairs

CANDIDATE_FEATURES = 48  # per article: its heaviest n-grams (rare words) and names index it
# A feature held by more than CANDIDATE_MAX_SHARE of the library (at least CANDIDATE_MIN_POSTINGS
# articles) finds no candidates, nor one held by more than CANDIDATE_MAX_POSTINGS: a share alone
# let each article's candidate work grow with the library (a third of a 100,000-article build).
# Reports of one event share rarer features; measured, capping at 1% of the Wikinews and
# SemEval libraries (15 articles) changes none of their figures (bench/eval_events.py).
CANDIDATE_MAX_SHARE = 0.05
CANDIDATE_MIN_POSTINGS = 40
CANDIDATE_MAX_POSTINGS = 1000
CANDIDATES = 30  # pairs scored per article
BLOCK = 256  # rows whose candidates are found at once (the product of a block is its peak memory)
HUB_K = 5
HUB_FLOOR = 0.0  # logit: even odds
MUTUAL_K = 3  # links in one language: among each other's best three
MUTUAL_K_OTHER = 1  # in another language: each other's best
LINK = 0.5  # probability from which a pair is a link


def candidate_limit(library_size: int) -> float:
    """How many articles may hold a feature that still finds candidates."""
    return min(CANDIDATE_MAX_POSTINGS, max(CANDIDATE_MIN_POSTINGS, CANDIDATE_MAX_SHARE * library_size))


class EventModel:
    """Scores for a set of articles (rows): candidate pairs, hubs, links."""

    def __init__(self, features: list[Features], dates: list[str | None], rows: ArticleRows | None = None):
        """`dates`: the articles' publication dates as the catalog keeps them; `rows`: what the
        model reads of each article, gathered while a whole library's features were read one
        by one (view.py), their n-grams, names, numbers and dates dropped from `features`."""
        if rows is None:  # a few articles (an add, compare): their index keys are kept by view.py
            rows = ArticleRows(with_keys=False)
            for f, date in zip(features, dates, strict=True):
                rows.add(f, date, release=False)
        self.features = features
        self._rows: ArticleRows | None = rows
        self.days = rows.days
        self.langs = np.array([f.lang for f in features], dtype=object)
        self.latin = np.array([f.latin for f in features], dtype=bool)
        self.groupable = np.array([not f.no_report for f in features], dtype=bool)
        self.pairs = Pairs()  # (a < b) -> evidence (logit, before hubs)
        self.hubs = np.zeros(len(features), dtype=np.float32)
        self.keys: list[np.ndarray] = rows.keys
        self._matrix_cache: tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix] | None = None
        self._outline_parts: tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix] | None = None
        self._date_parts: tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix] | None = None

    @property
    def n(self) -> int:
        return len(self.features)

    # -- building -------------------------------------------------------------------------
    def build(self) -> None:
        """Score a whole library."""
        if self.n < 2:
            return
        grams, names, outlines = self._matrices()
        left, right = self._candidates(grams, sp.hstack([names, outlines], format="csr"))
        values = self._evidence(grams, names, outlines, left, right)
        self.pairs.update(left, right, values)
        self.hubs = self._hubs(left, right, values)

    def release_matrices(self) -> None:
        """Drop what scoring needs once the grouping is done: writing reads pairs, hubs and keys."""
        self._matrix_cache = self._outline_parts = self._date_parts = None

    def _matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        self._made()
        assert self._matrix_cache is not None
        return self._matrix_cache

    def _made(self) -> None:
        """The matrices made from the rows gathered (once: the rows give way to them)."""
        if self._rows is not None:
            rows, self._rows = self._rows, None
            self._matrix_cache = (rows.grams.matrix(), rows.names.matrix(normalise=True),
                                  rows.outlines.matrix(normalise=True))
            days = np.array([np.nan if d is None else d for d in rows.days], dtype=np.float64)
            self._date_parts = (days, rows.named_days.matrix(), rows.years.matrix())

    def score(self, pairs: list[tuple[int, int]]) -> None:
        """Score the given (a < b) pairs (an incremental update: the rest are known already)."""
        if not pairs:
            return
        left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
        values = self._evidence(*self._matrices(), left, right)
        self.pairs.update(left, right, values)

    def set_hubs(self) -> None:
        """Each row's hub from the pairs it is in."""
        if len(self.pairs):
            self.hubs = self._hubs(self.pairs.left, self.pairs.right, self.pairs.values)

    def _candidates(self, grams: sp.csr_matrix, names: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) with a < b: each article's best CANDIDATES by the weight of the rare features
        they share."""
        index = sp.hstack([_heaviest(grams, CANDIDATE_FEATURES), names], format="csr")
        present = index.copy()
        present.data[:] = 1
        postings = np.asarray(present.sum(0)).ravel()
        limit = candidate_limit(self.n)
        index = index @ sp.diags((postings <= limit).astype(np.float32))
        index.eliminate_zeros()
        transposed = index.T.tocsr()
        found_a, found_b = [], []
        for start in range(0, self.n, BLOCK):
            block = (index[start:start + BLOCK] @ transposed).tocsr()
            for k in range(block.shape[0]):
                row = start + k
                cols, vals = block.indices[block.indptr[k]:block.indptr[k + 1]], block.data[block.indptr[k]:block.indptr[k + 1]]
                keep = cols != row
                cols, vals = cols[keep], vals[keep]
                if len(cols) > CANDIDATES:
                    top = np.argpartition(-vals, CANDIDATES - 1)[:CANDIDATES]
                    cols = cols[top]
                found_a.append(np.minimum(cols, row))
                found_b.append(np.maximum(cols, row))
        if not found_a:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        codes = distinct((np.concatenate(found_a).astype(np.int64) << 32) | np.concatenate(found_b).astype(np.int64))
        return codes >> 32, codes & 0xFFFFFFFF

    def _evidence(self, grams, names, outlines, left, right) -> np.ndarray:
        """The logit of each pair before hubs (similarity.logit), dates included."""
        g = _dots(grams, left, right)
        script = self.latin[left] == self.latin[right]
        nm = np.where(script, _dots(names, left, right), self._containment(outlines, left, right))
        same_lang = self.langs[left] == self.langs[right]
        g = np.where(script, g, 0.0)
        sim = np.sqrt(np.maximum(np.where(same_lang, g, np.maximum(g, nm)), 0))
        credit = np.where(same_lang, 0.0, np.where(script, scoring.OTHER_LANGUAGE, scoring.OTHER_SCRIPT))
        dates = self._date_logits(left, right)
        value = (scoring.SLOPE * (sim + credit - scoring.CENTER)
                 + scoring.NAMES_WEIGHT * (np.sqrt(np.maximum(nm, 0)) - scoring.NAMES_CENTER) + dates)
        return value.astype(np.float32)

    def _date_logits(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """similarity.date_logit + named_dates_logit for many pairs at once."""
        self._made()
        assert self._date_parts is not None
        days, named_days, years = self._date_parts
        value = scoring.date_logits(np.abs(days[left] - days[right]))
        for keys in (named_days, years):  # similarity.named_dates_logit: both name some, none in common
            counts = np.diff(keys.indptr)
            conflict = (counts[left] > 0) & (counts[right] > 0) & (_dots(keys, left, right) == 0)
            value = value - scoring.NAMED_CONFLICT * conflict
        return value

    def _containment(self, outlines: sp.csr_matrix, left, right) -> np.ndarray:
        """similarity.names_cosine across scripts: the geometric mean of the share of each
        article's (squared, normalised) name weight present in the other."""
        if not len(left):
            return np.zeros(0, np.float32)
        if self._outline_parts is None or self._outline_parts[0] is not outlines:
            # Made once per matrix: the grouping asks for pairs one at a time, and squaring the
            # whole matrix for each was 70% of a 30,000-article build (bench/bench_events.py).
            present = outlines.copy()
            present.data[:] = 1
            self._outline_parts = (outlines, sp.csr_matrix(outlines.multiply(outlines)), present)
        _, squared, present = self._outline_parts
        return np.sqrt(_dots_between(squared, left, present, right) * _dots_between(squared, right, present, left))

    def _hubs(self, left, right, values) -> np.ndarray:
        """Each article's HUB_K-th best logit (missing ones, and lower ones, count as
        HUB_FLOOR): how crowded its neighbourhood is beyond the few reports of its own event."""
        rows = np.concatenate([left, right])
        scores = np.concatenate([values, values]).astype(np.float32)
        order = np.lexsort((-scores, rows))  # each row's scores, best first
        rows, scores = rows[order], scores[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        hubs = np.full(self.n, HUB_FLOOR, dtype=np.float32)
        kth = rank == HUB_K - 1
        hubs[rows[kth]] = np.maximum(scores[kth], HUB_FLOOR)
        return hubs

    # -- reading --------------------------------------------------------------------------
    def csls(self, a: int, b: int, value: float) -> float:
        """The pair's evidence less the two articles' hubs (above the floor)."""
        return value - 0.5 * (float(self.hubs[a]) - HUB_FLOOR) - 0.5 * (float(self.hubs[b]) - HUB_FLOOR)

    def probability(self, a: int, b: int) -> float:
        value = self.pairs.get(min(a, b), max(a, b))
        if value is None:
            value = self.evidence(a, b)
        return scoring.probability(self.csls(a, b, value))

    def agreement(self, left: list[int], right: list[int]) -> float:
        """The mean probability over every pair across two groups (grouping.py): the kept pairs
        read, the others scored together in one batch (one at a time, they were half of a
        30,000-article build)."""
        a = np.repeat(np.array(left, dtype=np.int64), len(right))
        b = np.tile(np.array(right, dtype=np.int64), len(left))
        low, high = np.minimum(a, b), np.maximum(a, b)
        values = self.pairs.lookup(low, high)
        missing = np.flatnonzero(np.isnan(values))
        if len(missing):
            values[missing] = self._evidence(*self._matrices(), low[missing], high[missing])
        csls = values - 0.5 * (self.hubs[low] - HUB_FLOOR) - 0.5 * (self.hubs[high] - HUB_FLOOR)
        return float(np.mean(scoring.probabilities(csls)))

    def evidence(self, a: int, b: int) -> float:
        """The evidence for a pair no candidate list held (agreement between two groups)."""
        a, b = min(a, b), max(a, b)
        return float(self._evidence(*self._matrices(), np.array([a]), np.array([b]))[0])

    def links(self) -> list[tuple[int, int, float]]:
        """(a, b, probability): pairs likely enough, each among the other's best MUTUAL_K in
        its language, between articles that hold a report; strongest first."""
        if not len(self.pairs):
            return []
        left, right, values = self.pairs.left, self.pairs.right, self.pairs.values
        keep = self.groupable[left] & self.groupable[right]
        left, right, values = left[keep], right[keep], values[keep]
        p = scoring.probabilities(values - 0.5 * (self.hubs[left] - HUB_FLOOR) - 0.5 * (self.hubs[right] - HUB_FLOOR))
        _, lang = np.unique(self.langs.astype(str), return_inverse=True)
        among = self._among_best(np.concatenate([left, right]), np.concatenate([right, left]),
                                 np.concatenate([p, p]), lang)
        m = len(left)
        chosen = np.flatnonzero((p >= LINK) & among[:m] & among[m:])
        chosen = chosen[np.lexsort((right[chosen], left[chosen], -p[chosen]))]
        return [(int(left[k]), int(right[k]), float(p[k])) for k in chosen]

    @staticmethod
    def _among_best(rows: np.ndarray, others: np.ndarray, p: np.ndarray, lang: np.ndarray) -> np.ndarray:
        """Whether each (row, other) is among row's best MUTUAL_K in other's language (the best
        MUTUAL_K_OTHER in a language not row's): ties go to the higher row number."""
        order = np.lexsort((-others, -p, lang[others], rows))
        key = rows[order] * (int(lang.max()) + 1) + lang[others][order]
        rank = np.arange(len(order)) - np.searchsorted(key, key, side="left")
        limit = np.where(lang[others][order] == lang[rows][order], MUTUAL_K, MUTUAL_K_OTHER)
        among = np.zeros(len(order), dtype=bool)
        among[order] = rank < limit
        return among


NAME_KEY_BASE = 1 << 32  # index keys of names sit above the n-grams' (uint32)


def index_keys(features: Features) -> np.ndarray:
    """The keys an article is found by (candidates for a new article): its heaviest n-grams
    (rare words) and its names, numbers and dates, in both keyings (within and across scripts)."""
    import zlib

    keys, weights = scoring.gram_vector(features)
    if len(keys) > CANDIDATE_FEATURES:
        keys = keys[np.argpartition(-weights, CANDIDATE_FEATURES - 1)[:CANDIDATE_FEATURES]]
    names = set(scoring.name_items(features)) | set(scoring.name_items(features, True))
    named = [NAME_KEY_BASE + zlib.crc32(name.encode("utf-8")) for name in sorted(names)]
    return np.concatenate([keys.astype(np.int64), np.array(named, dtype=np.int64)])


GRAM_CHUNK = 2048  # articles whose n-grams are gathered at once


class GramRows:
    """Articles' weighted n-grams gathered row by row into one matrix (L2-normalised rows,
    columns the distinct keys), a chunk of rows kept compact at a time: a whole library's
    n-grams are never held twice, nor in an index array as long as all of them together."""

    def __init__(self) -> None:
        self._lengths: list[int] = []
        self._keys: list[np.ndarray] = []  # one compact array per chunk of GRAM_CHUNK rows
        self._weights: list[np.ndarray] = []
        self._open: list[tuple[np.ndarray, np.ndarray]] = []  # the rows of the chunk being filled

    def add(self, f: Features, release: bool = False) -> None:
        """The next row. `release`: the n-grams move out of `f` (its largest part)."""
        keys, weights = scoring.gram_vector(f)
        self._open.append((keys, weights))
        self._lengths.append(len(keys))
        if release:
            f.grams = f.gram_weights = b""
        if len(self._open) == GRAM_CHUNK:
            self._close()

    def _close(self) -> None:
        if self._open:  # copies: the articles' own buffers are let go
            self._keys.append(np.concatenate([k for k, _ in self._open]).astype(np.uint32))
            self._weights.append(np.concatenate([w for _, w in self._open]).astype(np.float32))
            self._open = []

    def matrix(self) -> sp.csr_matrix:
        self._close()
        # Sorting, not np.unique: numpy 2.4's np.unique hashes, 100 times slower on millions of
        # distinct keys (making the matrices at 30,000 articles: 8.7 -> 2.7 s of CPU).
        vocabulary = distinct(np.concatenate([distinct(k) for k in self._keys])) if self._keys \
            else np.zeros(0, np.uint32)
        indices = []
        while self._keys:  # each chunk's keys give way to its column numbers
            indices.append(np.searchsorted(vocabulary, self._keys.pop(0)).astype(np.int32))
        indptr = np.concatenate([[0], np.cumsum(np.array(self._lengths, dtype=np.int64))])
        data = np.concatenate(self._weights) if self._weights else np.zeros(0, np.float32)
        self._weights = []
        matrix = sp.csr_matrix((data, np.concatenate(indices) if indices else np.zeros(0, np.int32), indptr),
                               shape=(len(self._lengths), len(vocabulary)))
        _normalise(matrix)
        return matrix


def _normalise(matrix: sp.csr_matrix) -> None:
    """L2-normalise each row in place, a chunk of rows at a time (no temporary as long as the
    whole matrix)."""
    for start in range(0, matrix.shape[0], GRAM_CHUNK):
        end = min(start + GRAM_CHUNK, matrix.shape[0])
        first, last = matrix.indptr[start], matrix.indptr[end]
        if first == last:
            continue
        lengths = np.diff(matrix.indptr[start:end + 1])
        filled = lengths > 0
        data = matrix.data[first:last]
        norms = np.ones(end - start, dtype=np.float64)
        # reduceat over the filled rows' starts: each sum ends where the next filled row starts
        norms[filled] = np.sqrt(np.add.reduceat(data.astype(np.float64) ** 2, (matrix.indptr[start:end] - first)[filled]))
        norms[norms == 0] = 1
        data /= np.repeat(norms, lengths).astype(np.float32)


class SparseRows:
    """Rows of weighted string keys gathered one by one into a CSR matrix (columns: the
    distinct keys, in the order first seen)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._vocab: dict[str, int] = {}
        self._indices = array("i")
        self._data = array("f")
        self._indptr = array("q", [0])

    def add(self, items: dict[str, float]) -> None:
        vocab = self._vocab
        for key, weight in items.items():
            self._indices.append(vocab.setdefault(key, len(vocab)))
            self._data.append(weight)
        self._indptr.append(len(self._indices))

    def matrix(self, normalise: bool = False) -> sp.csr_matrix:
        matrix = sp.csr_matrix((np.frombuffer(self._data, dtype=np.float32).copy(),
                                np.frombuffer(self._indices, dtype=np.int32).copy(),
                                np.frombuffer(self._indptr, dtype=np.int64).copy()),
                               shape=(len(self._indptr) - 1, max(1, len(self._vocab))))
        self._reset()  # the rows give way to the matrix
        if normalise:
            _normalise(matrix)
        return matrix


class ArticleRows:
    """What the model reads of each article (n-grams, names in both keyings, named days and
    years, trusted day, index keys), gathered article by article: a whole library is read one
    article at a time and only each article's shingles and language stay in its features (its
    names dicts held through a build were a third of a 100,000-article build's memory)."""

    def __init__(self, with_keys: bool = True) -> None:
        """`with_keys`: each article's index keys too (a whole library's, written with its events)."""
        self._with_keys = with_keys
        self.grams = GramRows()
        self.names = SparseRows()  # within a script
        self.outlines = SparseRows()  # across scripts
        self.named_days = SparseRows()
        self.years = SparseRows()
        self.days: list[int | None] = []
        self.keys: list[np.ndarray] = []

    def add(self, f: Features, date: str | None, release: bool = True) -> None:
        """The next article. `release`: what the rows hold is dropped from `f`."""
        if self._with_keys:
            self.keys.append(index_keys(f))
        self.days.append(trusted_day(date, f))
        self.names.add(scoring.name_items(f))
        self.outlines.add(scoring.name_items(f, across_scripts=True))
        self.named_days.add({d: 1.0 for d in sorted(f.dates) if not d.startswith("y")})
        self.years.add({d: 1.0 for d in sorted(f.dates) if d.startswith("y")})
        self.grams.add(f, release)
        if release:
            f.names, f.shown_names, f.name_weights, f.spellings, f.numbers, f.dates = {}, {}, {}, {}, {}, set()


def _heaviest(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's k largest entries (the n-grams of its rarest words), without copying the
    whole matrix."""
    indices, data, indptr = [], [], [0]
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        cols, values = matrix.indices[start:end], matrix.data[start:end]
        if end - start > k:
            top = values >= np.partition(values, end - start - k)[end - start - k]  # ties at the cut stay
            cols, values = cols[top], values[top]
        indices.append(cols)
        data.append(values)
        indptr.append(indptr[-1] + len(cols))
    if not indices:
        return sp.csr_matrix(matrix.shape, dtype=np.float32)
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr, dtype=np.int64)),
                         shape=matrix.shape)


DOT_CHUNK = 8192


def _dots(matrix: sp.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    out = np.zeros(len(left), dtype=np.float32)
    for start in range(0, len(left), DOT_CHUNK):
        a, b = left[start:start + DOT_CHUNK], right[start:start + DOT_CHUNK]
        out[start:start + len(a)] = np.asarray(matrix[a].multiply(matrix[b]).sum(1)).ravel()
    return out


def _dots_between(a: sp.csr_matrix, rows_a: np.ndarray, b: sp.csr_matrix, rows_b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(rows_a), dtype=np.float32)
    for start in range(0, len(rows_a), DOT_CHUNK):
        x, y = rows_a[start:start + DOT_CHUNK], rows_b[start:start + DOT_CHUNK]
        out[start:start + len(x)] = np.asarray(a[x].multiply(b[y]).sum(1)).ravel()
    return out


def trusted_day(date: str | None, features: Features) -> int | None:
    """The publication day, unless the article's own text contradicts it: a text that names
    days of the year, none of them within a week of its publication date, was republished or
    mis-dated (its date is then no evidence)."""
    import datetime as dt

    day = day_number(date)
    if day is None:
        return None
    named = []
    for key in features.dates:
        if not key.startswith("y"):
            try:
                named.append(dt.date(2000, int(key[:2]), int(key[3:])).timetuple().tm_yday)
            except ValueError:
                continue
    if not named:
        return day
    of_year = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).timetuple().tm_yday
    near = min(min(abs(n - of_year), 366 - abs(n - of_year)) for n in named)
    return day if near <= 7 else None


def day_number(date: str | None) -> int | None:
    """Days since 1970 of a trusted publication date: a full YYYY-MM-DD (a month alone is a
    hint, not evidence: the seeds carry months that are wrong by most of a year)."""
    import datetime as dt

    if not date or len(date) < 10:
        return None
    try:
        return (dt.date(int(date[:4]), int(date[5:7]), int(date[8:10])) - dt.date(1970, 1, 1)).days
    except ValueError:
        return None
