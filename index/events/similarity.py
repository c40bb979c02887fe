"""How alike two reports are, and how likely they report the same event: a function of the
two articles alone.

Nothing here depends on the rest of the library: word weights come from each language's
ordinary text (lexicon.py), not from the articles around, so a pair scores the same in a
library of five articles and of a hundred thousand, and adding unrelated articles can never
split or weaken an event.

- `similarity`: how much two reports share, graded in [0, 1], meant to track a person's
  rating of how similar two news reports are. Two texts in one script: the square root of the
  cosine of their weighted character n-grams (the root spreads the low cosines of unrelated
  texts and tracks ratings more linearly: Pearson 0.66 -> 0.68 on SemEval). Two scripts: the
  same on their names, numbers and dates, which are all that carries across without a model.
- `same_event`: the probability that both report one event: a logistic of the similarity
  (offset for a pair of languages, whose n-grams share less), the names and numbers both
  give, and the gap between trusted publication dates.
"""

from __future__ import annotations

import math

import numpy as np

from .features import Features

# The probability's constants, set by hand from the distributions of similarity on the
# development sets (Wikinews and SemEval's training split: README, Events, says which figures
# are therefore training figures): even odds at a similarity of CENTER, shared names count on
# top; two languages of one script share fewer n-grams for the same content (OTHER_LANGUAGE).
CENTER = 0.72
SLOPE = 12.0  # logit per unit of similarity
NAMES_WEIGHT = 3.0
NAMES_CENTER = 0.5  # sqrt of the names cosine at which names are neutral
OTHER_LANGUAGE = 0.05
OTHER_SCRIPT = 0.2
# Publication dates (trusted ones only: a day, not a month): reports of one event are days
# apart; a gap of weeks separates two events of one story.
DATE_GRACE_DAYS = 3
DATE_SLOPE = 2.5  # logit per doubling of the gap beyond the grace period
DATE_CLOSE = 2.0  # logit for two reports within the grace period
DATE_LIMIT = 12.0
NUMBER_WEIGHT = 2.0  # a number shared (beyond single digits) weighs like a fairly rare name
DATE_KEY_WEIGHT = 2.0
YEAR_WEIGHT = 0.5  # years are named in background too: little weight


def _cosine(keys_a: np.ndarray, weights_a: np.ndarray, keys_b: np.ndarray, weights_b: np.ndarray) -> float:
    if not len(keys_a) or not len(keys_b):
        return 0.0
    _, ia, ib = np.intersect1d(keys_a, keys_b, assume_unique=True, return_indices=True)
    if not len(ia):
        return 0.0
    dot = float(np.dot(weights_a[ia].astype(np.float64), weights_b[ib]))
    return dot / (float(np.linalg.norm(weights_a)) * float(np.linalg.norm(weights_b)))


def gram_vector(f: Features) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(f.grams, dtype=np.uint32), np.frombuffer(f.gram_weights, dtype=np.float32)


def name_items(f: Features, across_scripts: bool = False) -> dict[str, float]:
    """Names, numbers and named dates with their weights: rarer names weigh more, a name
    named again and again a little more (1 + log of its count). Names written in Latin script
    are keyed by their spelling (`Putin` = `Poutine`, `Gliese` != `Galles`), except
    `across_scripts`, where only the consonant outline carries over (`Putin` = `بوتين`)."""
    items: dict[str, float] = {}
    for key, count in f.names.items():
        fine = None if across_scripts else f.spellings.get(key)
        name = "s:" + fine if fine else "o:" + key
        items[name] = items.get(name, 0.0) + f.name_weights.get(key, 1.0) * (1.0 + math.log(count))
    for key, count in f.numbers.items():
        if not (len(key) == 4 and key.isdigit()):  # years are dates, below
            items["#" + key] = NUMBER_WEIGHT * (1.0 + math.log(count))
    for key in f.dates:
        items["@" + key] = YEAR_WEIGHT if key.startswith("y") else DATE_KEY_WEIGHT
    return items


def _contained(items: dict[str, float], shared) -> float:
    return sum(items[k] ** 2 for k in shared) / sum(v * v for v in items.values())


def names_cosine(a: Features, b: Features) -> float:
    """The cosine of the two name vectors; across scripts, the geometric mean of the share of
    each article's name weight that the other contains (a text in a script without capitals has
    many words that pass for names, which would otherwise dilute what both name)."""
    across = not same_script(a, b)
    ia, ib = name_items(a, across), name_items(b, across)
    shared = ia.keys() & ib.keys()
    if not shared:
        return 0.0
    if across:
        return math.sqrt(_contained(ia, shared) * _contained(ib, shared))
    dot = sum(ia[k] * ib[k] for k in shared)
    return dot / (math.sqrt(sum(v * v for v in ia.values())) * math.sqrt(sum(v * v for v in ib.values())))


def same_script(a: Features, b: Features) -> bool:
    return a.latin == b.latin


def similarity_from(grams: float, names: float, same_language: bool) -> float:
    """One language: the n-grams say it all. Two: whichever of n-grams (cognates) and names
    says more (two scripts share no n-grams; related languages share many)."""
    return math.sqrt(max(grams if same_language else max(grams, names), 0.0))


def similarity(a: Features, b: Features) -> float:
    grams = gram_cosine(a, b) if same_script(a, b) else 0.0
    return similarity_from(grams, names_cosine(a, b) if a.lang != b.lang else 0.0, a.lang == b.lang)


NAMED_CONFLICT = 2.0  # logit: both texts name days (or years) and none in common


def named_dates_logit(a: Features, b: Features) -> float:
    """Dates the texts name, as a weak hint: two texts that both name days of the year, or
    years, and share none are likely about different events (a text that names several years
    shares one with a report of the same event, so this is no penalty on naming many)."""
    value = 0.0
    for keep in (lambda d: not d.startswith("y"), lambda d: d.startswith("y")):
        da, db = {d for d in a.dates if keep(d)}, {d for d in b.dates if keep(d)}
        if da and db and not da & db:
            value -= NAMED_CONFLICT
    return value


def date_logit(day_a: int | None, day_b: int | None) -> float:
    """Evidence from two trusted publication days (None: not known or not trusted)."""
    if day_a is None or day_b is None:
        return 0.0
    return float(date_logits(np.array([abs(day_a - day_b)], dtype=np.float64))[0])


def date_logits(gaps: np.ndarray) -> np.ndarray:
    """`date_logit` of many pairs, from the days between them (NaN: a date not known)."""
    known = ~np.isnan(gaps)
    far = np.log2(np.maximum(np.where(known, gaps, 0.0), 1e-9) / DATE_GRACE_DAYS)
    return np.where(~known, 0.0, np.where(gaps <= DATE_GRACE_DAYS, DATE_CLOSE,
                                          -np.minimum(DATE_SLOPE * far, DATE_LIMIT)))


def logit(similarity_value: float, names: float, same_language: bool, same_script_pair: bool, dates: float) -> float:
    credit = 0.0 if same_language else OTHER_LANGUAGE if same_script_pair else OTHER_SCRIPT
    return (SLOPE * (similarity_value + credit - CENTER) + NAMES_WEIGHT * (math.sqrt(max(names, 0.0)) - NAMES_CENTER)
            + dates)


def probability(value: float) -> float:
    return float(probabilities(np.array([value]))[0])


def probabilities(values: np.ndarray) -> np.ndarray:
    """`probability` of many logits."""
    return 1.0 / (1.0 + np.exp(-np.clip(values.astype(np.float64), -50.0, 50.0)))


def same_event(a: Features, b: Features, day_a: int | None = None, day_b: int | None = None) -> float:
    script = same_script(a, b)
    names = names_cosine(a, b)
    grams = _cosine(*gram_vector(a), *gram_vector(b)) if script else 0.0
    return probability(logit(similarity_from(grams, names, a.lang == b.lang), names, a.lang == b.lang, script,
                             date_logit(day_a, day_b) + named_dates_logit(a, b)))


def gram_cosine(a: Features, b: Features) -> float:
    return _cosine(*gram_vector(a), *gram_vector(b))
