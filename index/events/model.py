"""Which articles report the same event: scores between articles.

Two signals per pair of articles, both TF-IDF cosines:
- names, numbers and dates (`features.py`), with *story-local* weighting: a name that the
  article's whole neighbourhood shares (Pinochet in every Pinochet article) says little
  about which event of the story it reports, so it is discounted;
- character n-grams of the folded lead (cognates carry across Latin-script languages).
IDF uses the largest document frequency over the languages: a feature common in any one
language is weak everywhere.

Raw cosines are far higher within one language than across two, so each signal becomes a
z-score against the background of its language pair (en-fr, tr-ar...), blended with a prior
while a library is small. The combined score is then scaled by each article's neighbourhood
(CSLS: minus the mean of its best scores in the other language), which removes "hub" articles
and the same-language bias. A logistic maps it to a probability in [0, 1] that means the same
for any pair of languages. Time counts softly against a pair: publication dates far apart,
or texts about different years; strong content still wins over a wrong date.

Everything is computed in blocks of rows against candidate lists (the best matches of each
article), never as a full article-by-article matrix, so 10,000 articles fit in memory; a new
article is scored against the model as it stands (`add`), and the model is rebuilt when many
articles have come and gone since it was built.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .features import Features, gram_arrays, shingle_overlap

# Tuned on the Wikinews evaluation set and the seeds (bench/eval_events.py prints the figures).
NAMES_WEIGHT = 0.7  # the names signal; the character n-grams get the rest
LOCAL_NEIGHBOURS = 10  # the neighbourhood whose shared names are discounted
LOCAL_STRENGTH = 1.0  # 1: a name every neighbour shares counts for nothing
LOCAL_SKIP = 1  # the closest matches are likely the same event: the neighbourhood starts after them
CSLS_K = 10
GRAM_MAX_SHARE = 0.10  # n-grams in more than this share of a language's articles are dropped
CANDIDATES = 24  # per article: its best matches overall, plus its best few in each language
PER_LANGUAGE = 12
BLOCK = 512  # rows scored at once
SAMPLE_PAIRS = 4000  # random pairs per language pair that measure its background
SCORE_CENTER = 44.0  # the CSLS score at which the probability is one half (measured libraries)
SMALL_CENTER = 10.0  # ... in a library too small to measure (LOCAL_MIN_LIBRARY): scores rest on priors
SCORE_SCALE = 6.0
DATE_GRACE_DAYS = 7
DATE_PENALTY = 12.0  # CSLS points per doubling of the gap beyond the grace period
DATE_PENALTY_MAX = 30.0
YEAR_CONFLICT = 15.0  # the texts are about different years (the year each mentions most)
DUPLICATE = 0.8  # Jaccard of word shingles: the same text republished
REWRITE = 0.15  # shingle containment: one report rewritten from the other
# Background priors (cosine mean, std) of each signal for a small library, by whether the
# two languages are the same; a library's own figures take over as it grows.
PRIORS = {("names", True): (0.015, 0.03), ("names", False): (0.01, 0.02),
          ("grams", True): (0.018, 0.022), ("grams", False): (0.007, 0.01)}
HUB_PRIOR = 3.0  # a typical neighbourhood score, for languages with too few articles to measure
LOCAL_MIN_LIBRARY = 200  # below this many articles a neighbourhood is mostly the event itself
PRIOR_PAIRS = 200
SHARE_PRIOR, SHARE_PRIOR_WEIGHT = 0.02, 20  # a feature's share of a language's articles, before counting


@dataclass
class Match:
    """How likely two articles (rows) report the same event."""

    a: int
    b: int
    score: float  # calibrated probability in [0, 1]
    csls: float
    duplicate: bool = False
    rewrite: bool = False


def center(articles: int) -> float:
    """Where the probability is one half. A small library cannot measure its background or
    its neighbourhoods, so the same evidence scores lower there: the bar rises with the
    number of articles until the library is large enough to calibrate itself."""
    return SMALL_CENTER + (SCORE_CENTER - SMALL_CENTER) * min(1.0, articles / LOCAL_MIN_LIBRARY)


def probability(csls: float, articles: int = LOCAL_MIN_LIBRARY) -> float:
    return 1.0 / (1.0 + math.exp(-(csls - center(articles)) / SCORE_SCALE))


def day_number(date: str | None) -> int | None:
    """Days since 1970 of YYYY-MM-DD (YYYY-MM counts as its 15th); a year alone is too vague."""
    if not date or len(date) < 7:
        return None
    try:
        day = int(date[8:10]) if len(date) >= 10 else 15
        return (dt.date(int(date[:4]), int(date[5:7]), day) - dt.date(1970, 1, 1)).days
    except ValueError:
        return None


def date_penalty(a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return 0.0
    gap = abs(a - b)
    if gap <= DATE_GRACE_DAYS:
        return 0.0
    return min(DATE_PENALTY * math.log2(gap / DATE_GRACE_DAYS), DATE_PENALTY_MAX)


def name_row(f: Features) -> dict[str, int]:
    row = dict(f.names)
    row.update({"#" + k: v for k, v in f.numbers.items()})
    row.update({"@" + k: 1 for k in f.dates})
    return row


def _normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags((1 / norms).astype(np.float32)) @ matrix, dtype=np.float32)


def _counts(rows: list[dict[str, int]], vocab: dict[str, int], grow: bool) -> sp.csr_matrix:
    """Rows of 1 + log(count), columns from `vocab` (grown with new keys when `grow`)."""
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for row in rows:
        if grow:
            indices.extend([vocab.setdefault(key, len(vocab)) for key in row])
            counts.extend(row.values())
        else:
            known = [(vocab[key], count) for key, count in row.items() if key in vocab]
            indices.extend(k for k, _ in known)
            counts.extend(c for _, c in known)
        indptr.append(len(indices))
    data = (1.0 + np.log(np.array(counts, dtype=np.float32))) if counts else np.zeros(0, np.float32)
    return sp.csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
                         shape=(len(rows), len(vocab)))


def _share(df, size: int):
    """A feature's share of a language's articles, smoothed: in a language with one article,
    every feature would otherwise be "in all of them"."""
    return (df + SHARE_PRIOR_WEIGHT * SHARE_PRIOR) / (size + SHARE_PRIOR_WEIGHT)


def _idf(share, articles: int):
    return np.log((articles + 1) / (share * articles + 1))


def _tf_idf(counts: sp.csr_matrix, langs: np.ndarray, max_share: float | None) -> tuple[np.ndarray, sp.csr_matrix]:
    """(IDF, weighted rows L2-normalised). The IDF takes a feature's largest share over the
    languages; with `max_share`, features more common than that are dropped (given enough articles)."""
    present = counts.copy()
    present.data[:] = 1
    share = np.zeros(counts.shape[1])
    for lang in np.unique(langs):
        members = np.flatnonzero(langs == lang)
        share = np.maximum(share, _share(np.asarray(present[members].sum(0)).ravel(), len(members)))
    idf = _idf(share, counts.shape[0]).astype(np.float32)
    if max_share is not None and counts.shape[0] >= 50:  # with fewer articles nothing is known to be common
        idf[share > max_share] = 0
    return idf, _normalise(counts @ sp.diags(idf))


class Signal:
    """One kind of feature as a TF-IDF matrix (rows L2-normalised) with its background."""

    def __init__(self, name: str, rows: list[dict[str, int]], langs: np.ndarray, max_share: float | None):
        self.name = name
        self.vocab: dict[str, int] = {}
        self.idf, self.matrix = _tf_idf(_counts(rows, self.vocab, grow=True), langs, max_share)

    def encode(self, rows: list[dict[str, int]]) -> sp.csr_matrix:
        """New articles in this signal's vocabulary and IDF (features it never saw are dropped
        until the next rebuild)."""
        return _normalise(_counts(rows, self.vocab, grow=False) @ sp.diags(self.idf))


class GramSignal(Signal):
    """Character n-grams, hashed: built from each article's packed arrays, no string keys."""

    def __init__(self, features: list[Features], langs: np.ndarray, max_share: float | None):
        self.name = "grams"
        arrays = [gram_arrays(f) for f in features]
        lengths = np.array([len(keys) for keys, _ in arrays], dtype=np.int64)
        keys = np.concatenate([k for k, _ in arrays]) if arrays else np.zeros(0, np.uint32)
        counts = np.concatenate([c for _, c in arrays]) if arrays else np.zeros(0, np.uint16)
        self.keys, columns = np.unique(keys, return_inverse=True)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        matrix = sp.csr_matrix((1.0 + np.log(counts.astype(np.float32)), columns.astype(np.int32), indptr),
                               shape=(len(features), len(self.keys)))
        self.idf, self.matrix = _tf_idf(matrix, langs, max_share)

    def encode_features(self, features: Features) -> sp.csr_matrix:
        keys, counts = gram_arrays(features)
        position = np.searchsorted(self.keys, keys)
        known = (position < len(self.keys)) & (self.keys[np.minimum(position, len(self.keys) - 1)] == keys)
        row = sp.csr_matrix((1.0 + np.log(counts[known].astype(np.float32)),
                             (np.zeros(known.sum(), dtype=np.int32), position[known].astype(np.int32))),
                            shape=(1, len(self.keys)))
        return _normalise(row @ sp.diags(self.idf))


class Background:
    """Mean and spread of a signal's cosine for each pair of languages, from sampled pairs."""

    def __init__(self, signal: str):
        self.signal = signal
        self.stats: dict[tuple[str, str], tuple[float, float]] = {}

    def measure(self, similarity, langs: np.ndarray, rng: np.random.Generator) -> None:
        """`similarity(rows_a, rows_b)` gives the signal for row pairs."""
        for a in np.unique(langs):
            ia = np.flatnonzero(langs == a)
            for b in np.unique(langs):
                if (str(b), str(a)) in self.stats:
                    self.stats[(str(a), str(b))] = self.stats[(str(b), str(a))]
                    continue
                ib = np.flatnonzero(langs == b)
                pairs = len(ia) * len(ib) - (len(ia) if a == b else 0)
                if pairs <= 0:
                    values = np.zeros(0)
                else:
                    x = ia[rng.integers(0, len(ia), min(SAMPLE_PAIRS, pairs))]
                    y = ib[rng.integers(0, len(ib), len(x))]
                    keep = x != y
                    values = similarity(x[keep], y[keep])
                self.stats[(str(a), str(b))] = _shrunk(values, PRIORS[(self.signal, a == b)])

    def get(self, a: str, b: str) -> tuple[float, float]:
        return self.stats.get((a, b)) or PRIORS[(self.signal, a == b)]

    def arrays(self, langs_a: np.ndarray, langs_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Means and spreads for every (a, b) in a block: two arrays of shape (len(a), len(b))."""
        codes = sorted(set(map(str, langs_a)) | set(map(str, langs_b)))
        index = {c: i for i, c in enumerate(codes)}
        mean = np.zeros((len(codes), len(codes)), dtype=np.float32)
        std = np.ones_like(mean)
        for a in codes:
            for b in codes:
                mean[index[a], index[b]], std[index[a], index[b]] = self.get(a, b)
        ia = np.array([index[str(c)] for c in langs_a])
        ib = np.array([index[str(c)] for c in langs_b])
        return mean[np.ix_(ia, ib)], std[np.ix_(ia, ib)]


def _shrunk(values: np.ndarray, prior: tuple[float, float]) -> tuple[float, float]:
    """Shrink toward the prior when a language pair has few articles; values far above the
    prior are clipped, so that in a small library the event's own pairs are not its background."""
    prior_mean, prior_std = prior
    if values.size < 10 * PRIOR_PAIRS:  # a large sample speaks for itself, tail included
        values = np.minimum(values, prior_mean + 4 * prior_std)
    count = values.size
    mean = (float(values.sum()) + PRIOR_PAIRS * prior_mean) / (count + PRIOR_PAIRS)
    var = (float(((values - mean) ** 2).sum()) + PRIOR_PAIRS * prior_std ** 2) / (count + PRIOR_PAIRS)
    return mean, max(math.sqrt(var), 1e-4)


DOT_CHUNK = 4096  # row pairs at once: each pair copies both rows


def dots(left: sp.csr_matrix, rows_a, right: sp.csr_matrix, rows_b) -> np.ndarray:
    """Row-by-row dot products left[a_k] . right[b_k]."""
    out = np.zeros(len(rows_a), dtype=np.float32)
    for start in range(0, len(rows_a), DOT_CHUNK):
        a, b = rows_a[start:start + DOT_CHUNK], rows_b[start:start + DOT_CHUNK]
        out[start:start + len(a)] = np.asarray(left[a].multiply(right[b]).sum(1)).ravel()
    return out


class EventModel:
    """Scores for a set of articles (rows): candidates, neighbourhoods, best matches.

    Pair scores are kept for each row's candidates (`pairs`: row -> {row: combined z}); the
    best match of each row in each language (`best`) decides which pairs may link.
    """

    def __init__(self, features: list[Features], days: list[int | None]):
        self.features = list(features)
        self.langs = np.array([f.lang for f in features], dtype=object)
        self.days = list(days)
        self.active = np.ones(len(features), dtype=bool)
        self.best: dict[tuple[int, str], tuple[int, float]] = {}  # (row, language) -> (row, csls)
        self.hub_matrix = np.zeros((0, 0), np.float32)  # row x language: see _hubs_for
        self.pairs: dict[int, dict[int, float]] = {}
        self.changed_since_build = 0

    @property
    def n(self) -> int:
        return len(self.features)

    def _count_languages(self) -> None:
        self._latin = np.array([f.latin for f in self.features], dtype=bool)
        self._codes = sorted(set(map(str, self.langs)))
        self._code_index = {c: k for k, c in enumerate(self._codes)}
        self._row_lang = np.array([self._code_index[str(code)] for code in self.langs], dtype=np.int64)
        self._sizes = {c: int(((self.langs == c) & self.active).sum()) for c in self._codes}
        self._articles = int(self.active.sum())

    # -- building -------------------------------------------------------------------------
    def build(self) -> None:
        rng = np.random.default_rng(0)
        self._count_languages()
        self._time()
        self.names = Signal("names", [name_row(f) for f in self.features], self.langs, None)
        self.grams = GramSignal(self.features, self.langs, GRAM_MAX_SHARE)
        for f in self.features:  # in the matrix now; an article's n-grams are most of its features' size
            f.grams = f.gram_counts = b""
        self.names_bg = Background("names")
        self.names_bg.measure(lambda x, y: self._names_similarity(self.names.matrix, x, y), self.langs, rng)
        self.grams_bg = Background("grams")
        self.grams_bg.measure(lambda x, y: dots(self.grams.matrix, x, self.grams.matrix, y), self.langs, rng)
        rows = np.arange(self.n)
        left, right, plain = self._candidates(rows)
        self.local = self._local(rows, left, right, plain)
        self.local_bg = Background("names")
        self.local_bg.measure(lambda x, y: self._names_similarity(self.local, x, y), self.langs, rng)
        combined = self._combined(left, right)
        self.pairs = {}
        for i, j, value in zip(left.tolist(), right.tolist(), combined.tolist()):
            self.pairs.setdefault(i, {})[j] = value
        self._hubs_for(left, right, combined)
        # Each row's best match per language, over all its candidates at once.
        lang_right = self._lang_index(right)
        csls = (2 * combined - self.hub_matrix[left, lang_right] - self.hub_matrix[right, self._lang_index(left)]
                - self._penalties(left, right))
        order = np.lexsort((-csls, lang_right, left))
        first = np.r_[True, (left[order][1:] != left[order][:-1]) | (lang_right[order][1:] != lang_right[order][:-1])]
        self.best = {(int(left[k]), self._codes[lang_right[k]]): (int(right[k]), float(csls[k]))
                     for k in order[first[:len(order)]]}
        self.changed_since_build = 0

    def _hubs_for(self, left: np.ndarray, right: np.ndarray, combined: np.ndarray) -> None:
        """hub_matrix[row, language]: the mean of the row's CSLS_K best scores in that language."""
        codes = len(self._codes)
        lang_right = self._lang_index(right)
        order = np.lexsort((-combined, lang_right, left))
        group = left[order] * codes + lang_right[order]
        starts = np.r_[True, group[1:] != group[:-1]]
        begin = np.maximum.accumulate(np.where(starts, np.arange(len(group)), 0))
        top = (np.arange(len(group)) - begin) < CSLS_K
        sums = np.bincount(group[top], weights=combined[order][top], minlength=self.n * codes)
        counts = np.bincount(group[top], minlength=self.n * codes)
        hub = np.where(counts > 0, sums / np.maximum(counts, 1), HUB_PRIOR).reshape(self.n, codes)
        small = [k for k, code in enumerate(self._codes) if self._sizes.get(code, 0) <= CSLS_K]
        hub[:, small] = HUB_PRIOR  # too few articles: the pair would be its own background
        self.hub_matrix = hub.astype(np.float32)

    def _penalties(self, left: np.ndarray, right: np.ndarray, *, years: bool = True) -> np.ndarray:
        """`penalty` for many pairs at once (the rare mixed cases one by one)."""
        trusted = self._trusted_days
        ta, tb = trusted[left], trusted[right]
        both = ~np.isnan(ta) & ~np.isnan(tb)
        gap = np.abs(np.nan_to_num(ta) - np.nan_to_num(tb))
        out = np.where(both & (gap > DATE_GRACE_DAYS),
                       np.minimum(DATE_PENALTY * np.log2(np.maximum(gap, 1) / DATE_GRACE_DAYS), DATE_PENALTY_MAX), 0.0)
        mixed = np.flatnonzero(np.isnan(ta) != np.isnan(tb))
        if len(mixed):  # one date trusted: the other text's named days stand in for its date
            trusted = np.where(np.isnan(ta[mixed]), tb[mixed], ta[mixed])
            other = np.where(np.isnan(ta[mixed]), left[mixed], right[mixed])
            day_of_year = (np.datetime64("1970-01-01") + trusted.astype("timedelta64[D]")).astype("datetime64[D]")
            day_of_year = (day_of_year - day_of_year.astype("datetime64[Y]")).astype(np.int64) + 1
            gap = np.abs(self._named_matrix[other] - day_of_year[:, None])
            gap = np.minimum(gap, 366 - gap).min(axis=1)
            named = gap < 9000
            out[mixed[named]] = np.minimum(
                DATE_PENALTY * np.log2(np.maximum(gap[named], DATE_GRACE_DAYS) / DATE_GRACE_DAYS), DATE_PENALTY_MAX)
        if years:
            ya, yb = self._years[left], self._years[right]
            undated = self._undated[left] & self._undated[right]
            conflict = undated & (ya > 0) & (yb > 0) & (ya != yb)
            out = np.where(conflict, out + YEAR_CONFLICT, out)
        return out.astype(np.float32)

    def _time(self) -> None:
        """Per row, once: the trusted publication day (NaN if none), the text's year, undated."""
        self._named = [self._named_of(r) for r in range(self.n)]
        self._named_matrix = _padded(self._named)
        self._trusted_days = np.array([np.nan if (d := self._trusted_day(r)) is None else d for r in range(self.n)],
                                      dtype=np.float64)
        self._years = np.array([f.year or 0 for f in self.features], dtype=np.int64)
        self._undated = np.array([d is None for d in self.days], dtype=bool)

    def _lang_index(self, rows) -> np.ndarray:
        return self._row_lang[np.asarray(rows, dtype=np.int64)]

    def _stats(self, bg: Background) -> tuple[np.ndarray, np.ndarray]:
        size = len(self._codes)
        mean, std = np.zeros((size, size), np.float32), np.ones((size, size), np.float32)
        for a, ca in enumerate(self._codes):
            for b, cb in enumerate(self._codes):
                mean[a, b], std[a, b] = bg.get(ca, cb)
        return mean, std

    def _candidates(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, candidate, plain combined z) for each row's best matches, best first per row."""
        nm, ns = self._stats(self.names_bg)
        gm, gs = self._stats(self.grams_bg)
        all_lang = self._row_lang
        left, right, plain = [], [], []
        for start in range(0, len(rows), BLOCK):
            block = rows[start:start + BLOCK]
            bl = self._lang_index(block)
            weight = np.where(self._latin[block][:, None] & self._latin[None, :], NAMES_WEIGHT, 1.0)
            z = ((self._names_block(block) - nm[np.ix_(bl, all_lang)]) / ns[np.ix_(bl, all_lang)]) * weight
            z += (((self.grams.matrix[block] @ self.grams.matrix.T).toarray() - gm[np.ix_(bl, all_lang)])
                  / gs[np.ix_(bl, all_lang)]) * (1 - weight)
            z[:, ~self.active] = -np.inf
            z[np.arange(len(block)), block] = -np.inf
            chosen = self._top_per_language(z, all_lang)
            for k, row in enumerate(block):
                picked = chosen[k]
                picked = picked[np.isfinite(z[k, picked])]
                picked = picked[np.argsort(-z[k, picked], kind="stable")]
                left.append(np.full(len(picked), row))
                right.append(picked)
                plain.append(z[k, picked])
        if not left:
            return np.zeros(0, int), np.zeros(0, int), np.zeros(0, np.float32)
        return np.concatenate(left), np.concatenate(right), np.concatenate(plain)

    def _top_per_language(self, scores: np.ndarray, langs: np.ndarray) -> list[np.ndarray]:
        """Per row of a block: its best matches overall and its best few in each language."""
        picked = [_top_rows(scores, CANDIDATES)]
        for code in range(len(self._codes)):
            members = np.flatnonzero(langs == code)
            if len(members):
                picked.append(members[_top_rows(scores[:, members], PER_LANGUAGE)])
        together = np.concatenate(picked, axis=1)
        return [np.unique(row) for row in together]

    # Names across scripts: a text in a script without capitals (Arabic) has every word taken
    # as a possible name, so its names vector is mostly noise; across scripts the similarity
    # is how much of the Latin-script article's name weight the other article contains.
    def _parts(self, matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        cached = getattr(self, "_parts_cache", None)
        if cached is None or cached[0] is not matrix:
            squared = sp.csr_matrix(matrix.multiply(matrix))
            present = matrix.copy()
            present.data[:] = 1
            cached = self._parts_cache = (matrix, squared, present)
        return cached[1], cached[2]

    def _names_similarity(self, matrix: sp.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        values = dots(matrix, left, matrix, right)
        latin_l, latin_r = self._latin[left], self._latin[right]
        cross = latin_l != latin_r
        if cross.any():
            squared, present = self._parts(matrix)
            from_left = cross & latin_l
            from_right = cross & latin_r
            values[from_left] = dots(squared, left[from_left], present, right[from_left])
            values[from_right] = dots(present, left[from_right], squared, right[from_right])
        return values

    def _names_block(self, block: np.ndarray) -> np.ndarray:
        matrix = self.names.matrix
        values = (matrix[block] @ matrix.T).toarray()
        latin_b = self._latin[block][:, None]
        latin_all = self._latin[None, : values.shape[1]]
        cross = latin_b != latin_all
        if cross.any():
            squared, present = self._parts(matrix)
            from_block = (squared[block] @ present.T).toarray()
            from_other = (present[block] @ squared.T).toarray()
            values = np.where(cross & latin_b, from_block, np.where(cross, from_other, values))
        return values

    def _local(self, rows: np.ndarray, left: np.ndarray, right: np.ndarray, plain: np.ndarray) -> sp.csr_matrix:
        """Names weighted down by the share of the article's neighbours that have them too."""
        position = {int(r): k for k, r in enumerate(rows)}
        order = np.lexsort((-plain, left))  # by row, best first
        left, right = left[order], right[order]
        starts = np.flatnonzero(np.r_[True, left[1:] != left[:-1]]) if len(left) else np.zeros(0, int)
        rank = np.arange(len(left)) - np.repeat(starts, np.diff(np.r_[starts, len(left)]))
        keep = (rank >= LOCAL_SKIP) & (rank < LOCAL_SKIP + LOCAL_NEIGHBOURS)
        nl, nr = left[keep], right[keep]
        counts = np.bincount([position[int(r)] for r in nl], minlength=len(rows)).astype(np.float32)
        spread = sp.csr_matrix((1.0 / counts[[position[int(r)] for r in nl]], ([position[int(r)] for r in nl], nr)),
                               shape=(len(rows), self.n))
        present = self.names.matrix.copy()
        present.data[:] = 1
        own = self.names.matrix[rows]
        own_present = own.copy()
        own_present.data[:] = 1
        share = sp.csr_matrix((spread @ present).multiply(own_present))
        strength = LOCAL_STRENGTH * min(1.0, int(self.active.sum()) / LOCAL_MIN_LIBRARY)
        keep_weight = own_present - share * strength
        return _normalise(sp.csr_matrix(own.multiply(keep_weight)))

    def _combined(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Combined z-scores (local names and n-grams) of row pairs."""
        if not len(left):
            return np.zeros(0, np.float32)
        lm, ls = self._stats(self.local_bg)
        gm, gs = self._stats(self.grams_bg)
        a, b = self._lang_index(left), self._lang_index(right)
        local = (self._names_similarity(self.local, left, right) - lm[a, b]) / ls[a, b]
        grams = (dots(self.grams.matrix, left, self.grams.matrix, right) - gm[a, b]) / gs[a, b]
        weight = np.where(self._latin[left] & self._latin[right], NAMES_WEIGHT, 1.0)  # n-grams mean nothing across scripts
        return weight * local + (1 - weight) * grams

    def _hub(self, scores: dict[int, float]) -> dict[str, float]:
        """Mean of a row's best scores in each language (0 where a language has few articles)."""
        by_lang: dict[str, list[float]] = {}
        for j, value in scores.items():
            by_lang.setdefault(str(self.langs[j]), []).append(value)
        return {lang: (HUB_PRIOR if self._sizes.get(lang, 0) <= CSLS_K  # the pair would be its own background
                       else float(np.mean(sorted(values, reverse=True)[:CSLS_K])))
                for lang, values in by_lang.items()}

    def _csls_from(self, i: int, j: int, combined: float, *, years: bool = True) -> float:
        index = self._code_index
        toward_j = float(self.hub_matrix[i, index[str(self.langs[j])]])
        toward_i = float(self.hub_matrix[j, index[str(self.langs[i])]])
        return 2 * combined - toward_j - toward_i - self.penalty(i, j, years=years)

    def _offer(self, i: int, j: int, value: float) -> None:
        key = (i, str(self.langs[j]))
        current = self.best.get(key)
        if current is None or value > current[1] or current[0] == j:
            self.best[key] = (j, value)

    # -- asking ---------------------------------------------------------------------------
    def penalty(self, a: int, b: int, *, years: bool = True) -> float:
        """What time says against two articles being one event.

        Publication dates far apart count against them, unless both texts name the same day
        ("14 May", "14 Mayıs", "14 أيار"): what the reports say beats a page's metadata, which
        is often wrong (republished pages, archive dates). Without publication dates, texts
        about different years (the year each mentions most) count against them (for grouping;
        `related` ranks without it).
        """
        da, db = self._trusted_days[a], self._trusted_days[b]
        if not np.isnan(da) and not np.isnan(db):
            return date_penalty(int(da), int(db))
        if np.isnan(da) != np.isnan(db):  # one date is trusted: the other text's own dates stand in
            trusted, other = (da, b) if not np.isnan(da) else (db, a)
            named = self._named[other]
            if len(named):
                return date_penalty(0, int(_circular_gap(named, _day_of_year(int(trusted))).min()))
        if years and self._undated[a] and self._undated[b] and self._years[a] and self._years[b] \
                and self._years[a] != self._years[b]:
            return YEAR_CONFLICT
        return 0.0

    def _trusted_day(self, row: int) -> int | None:
        """The publication day, unless the article's own text contradicts it: a text that names
        dates, none of them near its publication date, was republished or mis-dated."""
        day = self.days[row]
        if day is None:
            return None
        named = self._named_of(row)
        if not len(named) or _circular_gap(named, _day_of_year(day)).min() <= DATE_GRACE_DAYS:
            return day
        return None

    def _named_of(self, row: int) -> np.ndarray:
        """Days of the year (1-366) of the dates the text names ("14 May": 135)."""
        days = []
        for key in self.features[row].dates:
            if not key.startswith("y"):
                try:
                    days.append(dt.date(2000, int(key[:2]), int(key[3:])).timetuple().tm_yday)
                except ValueError:
                    continue
        return np.array(days, dtype=np.int64)

    def combined(self, a: int, b: int) -> float:
        known = self.pairs.get(a, {}).get(b)
        if known is None:
            known = float(self._combined(np.array([a]), np.array([b]))[0])
        return known

    def csls(self, a: int, b: int, *, years: bool = True) -> float:
        return self._csls_from(a, b, self.combined(a, b), years=years)

    def match(self, a: int, b: int) -> Match:
        value = self.csls(a, b)
        match = Match(min(a, b), max(a, b), probability(value, self._articles), value)
        if self.langs[a] == self.langs[b]:
            jaccard, containment = shingle_overlap(self.features[a], self.features[b])
            match.duplicate = jaccard >= DUPLICATE
            match.rewrite = not match.duplicate and containment >= REWRITE
        return match

    def mutual(self, a: int, b: int) -> bool:
        return (self.best.get((a, str(self.langs[b])), (None,))[0] == b
                and self.best.get((b, str(self.langs[a])), (None,))[0] == a)

    def related(self, row: int, limit: int) -> list[tuple[int, float]]:
        """Other rows by how likely they report the same event, best first. Ranked by content
        and publication dates; the years the texts mention only keep apart groups."""
        scored = [(j, probability(self._csls_from(row, j, value, years=False), self._articles))
                  for j, value in self.pairs.get(row, {}).items() if self.active[j]]
        scored.sort(key=lambda item: -item[1])
        return scored[:limit]

    def links(self, rows: set[int] | None = None) -> list[tuple[int, int]]:
        """Mutual best pairs (the pairs grouping considers), and republications; with `rows`,
        only the pairs within them."""
        found = set()
        items = self.best.items() if rows is None else \
            [((i, lang), self.best[(i, lang)]) for i in rows for lang in self._codes if (i, lang) in self.best]
        for (i, _), (j, _) in items:
            if self.active[i] and self.active[j] and (rows is None or j in rows) and self.mutual(i, j):
                found.add((min(i, j), max(i, j)))
        for i in (self.pairs if rows is None else rows):  # the same text republished, whatever else matched
            scores = self.pairs.get(i, {})
            if not self.active[i]:
                continue
            same = sorted((j for j in scores if self.langs[j] == self.langs[i] and self.active[j]
                           and (rows is None or j in rows)), key=lambda j: -scores[j])[:3]
            for j in same:
                if shingle_overlap(self.features[i], self.features[j])[0] >= DUPLICATE:
                    found.add((min(i, j), max(i, j)))
        return sorted(found)

    # -- changing -------------------------------------------------------------------------
    def add(self, features: Features, day: int | None) -> int:
        """Score one new article against the model as it stands; returns its row."""
        row = self.n
        self.features.append(features)
        self.langs = np.append(self.langs, np.array([features.lang], dtype=object))
        self.days.append(day)
        self.active = np.append(self.active, True)
        self._count_languages()
        self._named.append(self._named_of(row))
        self._named_matrix = np.vstack([self._named_matrix, _padded(self._named[-1:])])
        trusted = self._trusted_day(row)
        self._trusted_days = np.append(self._trusted_days, np.nan if trusted is None else trusted)
        self._years = np.append(self._years, features.year or 0)
        self._undated = np.append(self._undated, day is None)
        self._learn_names(name_row(features), str(features.lang))
        self.names.matrix = sp.vstack([self.names.matrix, self.names.encode([name_row(features)])], format="csr")
        self.grams.matrix = sp.vstack([self.grams.matrix, self.grams.encode_features(features)], format="csr")
        features.grams = features.gram_counts = b""
        rows = np.array([row])
        left, right, plain = self._candidates(rows)
        self.local = sp.vstack([self.local, self._local(rows, left, right, plain)], format="csr")
        combined = self._combined(left, right)
        scores = dict(zip(right.tolist(), combined.tolist()))
        self.pairs[row] = scores
        hub = self._hub(scores)
        if self.hub_matrix.shape[1] < len(self._codes):  # a language the model had not seen
            self.hub_matrix = np.hstack([self.hub_matrix, np.full((self.hub_matrix.shape[0],
                                         len(self._codes) - self.hub_matrix.shape[1]), HUB_PRIOR, np.float32)])
        self.hub_matrix = np.vstack([self.hub_matrix, np.array([[hub.get(c, HUB_PRIOR) for c in self._codes]],
                                                                 dtype=np.float32)])
        for j, value in scores.items():
            self.pairs.setdefault(j, {})[row] = value
            self._offer(row, j, self._csls_from(row, j, value))
            self._offer(j, row, self._csls_from(j, row, value))
        self.changed_since_build += 1
        return row

    def _learn_names(self, row: dict[str, int], lang: str) -> None:
        """Names (and numbers, dates) the model has not seen join its vocabulary, weighted as
        rare as they are: a new event is mostly new names."""
        new = [key for key in row if key not in self.names.vocab]
        if not new:
            return
        for key in new:
            self.names.vocab[key] = len(self.names.vocab)
        weight = float(_idf(_share(1, self._sizes.get(lang, 0)), int(self.active.sum())))
        self.names.idf = np.append(self.names.idf, np.full(len(new), weight, dtype=np.float32))
        width = len(self.names.vocab)
        matrix = self.names.matrix
        self.names.matrix = sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))
        local = self.local
        self.local = sp.csr_matrix((local.data, local.indices, local.indptr), shape=(local.shape[0], width))

    def remove(self, row: int) -> None:
        """Take a row out; the rows whose best match it was look again among their candidates."""
        self.active[row] = False
        self._count_languages()
        self.changed_since_build += 1
        orphans = set()
        for key, (j, _) in list(self.best.items()):
            if key[0] == row:
                del self.best[key]
            elif j == row:
                del self.best[key]
                orphans.add(key[0])
        for i in orphans:
            for j, value in self.pairs.get(i, {}).items():
                if self.active[j]:
                    self._offer(i, j, self._csls_from(i, j, value))


NAMED_DAYS = 8  # dates a text names that count (the first few)


def _padded(named: list[np.ndarray]) -> np.ndarray:
    """Rows of named days of the year, padded with a day no date is near."""
    matrix = np.full((len(named), NAMED_DAYS), 99999, dtype=np.int64)
    for row, days in enumerate(named):
        matrix[row, :min(len(days), NAMED_DAYS)] = days[:NAMED_DAYS]
    return matrix


def _day_of_year(day: int) -> int:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).timetuple().tm_yday


def _circular_gap(days_of_year: np.ndarray, day_of_year: int) -> np.ndarray:
    """Days between dates named without a year and a day of the year, the short way round."""
    gap = np.abs(days_of_year - day_of_year)
    return np.minimum(gap, 366 - gap)


def _top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest scores of each row (unordered)."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=int)
    return np.argpartition(-scores, k - 1, axis=1)[:, :k]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=int)
    return np.argpartition(-scores, k - 1)[:k]


# -- keeping a model between processes (no pickle: arrays in .npz, the rest in JSON) ------------

def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {f"{prefix}_data": matrix.data, f"{prefix}_indptr": matrix.indptr,
            f"{prefix}_shape": np.array(matrix.shape, dtype=np.int64), **_indices_arrays(prefix, matrix.indices)}


def _csr_from(prefix: str, arrays) -> sp.csr_matrix:
    return sp.csr_matrix((arrays[f"{prefix}_data"], _indices_from(prefix, arrays), arrays[f"{prefix}_indptr"]),
                         shape=tuple(arrays[f"{prefix}_shape"]))


def _indices_arrays(prefix: str, indices: np.ndarray) -> dict[str, np.ndarray]:
    """The n-gram matrix's column indices (its largest array) as the gaps between them (small:
    each row's columns are sorted), their bytes grouped by position so that the mostly-zero
    high bytes compress to almost nothing: about half the size on disk."""
    if prefix != "grams":
        return {f"{prefix}_indices": indices}
    gaps = np.diff(indices.astype(np.int64), prepend=0).astype("<i4")
    return {"grams_index_gaps": np.ascontiguousarray(gaps.view(np.uint8).reshape(-1, 4).T)}


def _indices_from(prefix: str, arrays) -> np.ndarray:
    if f"{prefix}_indices" in getattr(arrays, "files", arrays):  # the other matrices; models saved before the gaps
        return arrays[f"{prefix}_indices"]
    grouped = arrays[f"{prefix}_index_gaps"]
    if grouped.dtype != np.uint8 or grouped.ndim != 2 or grouped.shape[0] != 4:
        raise ValueError("the saved model's n-gram indices are damaged")
    gaps = np.ascontiguousarray(grouped.T).view("<i4").ravel()
    return np.cumsum(gaps, dtype=np.int64).astype(np.int32)


def save(model: EventModel, folder, extra: dict) -> None:
    """Write the model's arrays and settings into `folder` (replacing what was there at once)."""
    import json
    import os
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    left, right, values = [], [], []
    for i, scores in model.pairs.items():
        left.extend([i] * len(scores))
        right.extend(scores)
        values.extend(scores.values())
    best_keys = list(model.best)
    arrays = {
        **_csr_arrays("names", model.names.matrix), **_csr_arrays("grams", model.grams.matrix),
        **_csr_arrays("local", model.local),
        "names_idf": model.names.idf, "names_vocab": np.array(list(model.names.vocab), dtype=str),
        "grams_idf": model.grams.idf, "grams_keys": model.grams.keys,
        "hub_matrix": model.hub_matrix, "active": model.active,
        "days": np.array([-1 if d is None else d for d in model.days], dtype=np.int64),
        "pairs": np.array([left, right], dtype=np.int64).reshape(2, -1), "pair_values": np.array(values, np.float32),
        "best_rows": np.array([k[0] for k in best_keys], dtype=np.int64),
        "best_langs": np.array([k[1] for k in best_keys], dtype=str),
        "best_to": np.array([model.best[k][0] for k in best_keys], dtype=np.int64),
        "best_values": np.array([model.best[k][1] for k in best_keys], dtype=np.float64),
    }
    settings = {
        "backgrounds": {bg.signal + ":" + name: [[a, b, m, s] for (a, b), (m, s) in bg.stats.items()]
                        for name, bg in (("names", model.names_bg), ("grams", model.grams_bg), ("local", model.local_bg))},
        "changed_since_build": model.changed_since_build, **extra,
    }
    temporary = folder / "model.tmp.npz"
    np.savez_compressed(temporary, **arrays)  # 2-3x smaller on disk; written once per rebuild
    (folder / "model.tmp.json").write_text(json.dumps(settings), encoding="utf-8")
    os.replace(folder / "model.tmp.npz", folder / "model.npz")
    os.replace(folder / "model.tmp.json", folder / "model.json")


def load(folder, features: list[Features]) -> tuple[EventModel, dict]:
    """A model saved by `save`, with the rows' features (from the catalog); raises on anything amiss."""
    import json
    from pathlib import Path

    folder = Path(folder)
    settings = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "model.npz", allow_pickle=False) as arrays:
        days = [None if d < 0 else int(d) for d in arrays["days"]]
        if len(days) != len(features):
            raise ValueError("the saved model has another number of articles")
        model = EventModel(features, days)
        model.active = arrays["active"].astype(bool)
        model._count_languages()
        model._time()
        names = Signal.__new__(Signal)
        names.name, names.idf, names.matrix = "names", arrays["names_idf"], _csr_from("names", arrays)
        names.vocab = {key: column for column, key in enumerate(arrays["names_vocab"].tolist())}
        grams = GramSignal.__new__(GramSignal)
        grams.name, grams.idf, grams.keys = "grams", arrays["grams_idf"], arrays["grams_keys"]
        grams.matrix = _csr_from("grams", arrays)
        model.names, model.grams, model.local = names, grams, _csr_from("local", arrays)
        model.hub_matrix = arrays["hub_matrix"]
        left, right = arrays["pairs"]
        for i, j, value in zip(left.tolist(), right.tolist(), arrays["pair_values"].tolist()):
            model.pairs.setdefault(i, {})[j] = value
        model.best = {(int(r), str(lang)): (int(j), float(v)) for r, lang, j, v in zip(
            arrays["best_rows"], arrays["best_langs"], arrays["best_to"], arrays["best_values"])}
    for signal, key in (("names", "names:names"), ("grams", "grams:grams"), ("names", "names:local")):
        bg = Background(signal)
        bg.stats = {(a, b): (m, s) for a, b, m, s in settings["backgrounds"][key]}
        setattr(model, {"names:names": "names_bg", "grams:grams": "grams_bg", "names:local": "local_bg"}[key], bg)
    model.changed_since_build = settings["changed_since_build"]
    for f in features:  # the n-grams are in the matrix
        f.grams = f.gram_counts = b""
    return model, settings
