"""The scored pairs a grouping keeps (index/events/pairs.py): arrays, not a dict of tuples."""

import math

import numpy as np

from newsreader.index.events.pairs import Pairs


def test_pairs_are_found_rescored_and_listed_in_order():
    pairs = Pairs()
    pairs.update(np.array([3, 0, 1]), np.array([7, 2, 5]), np.array([0.5, -1.0, 2.0]))
    assert list(pairs) == [(0, 2, -1.0), (1, 5, 2.0), (3, 7, 0.5)]
    pairs.update(np.array([1, 0]), np.array([5, 9]), np.array([4.0, 1.5]))  # (1, 5) scored again, (0, 9) new
    assert list(pairs) == [(0, 2, -1.0), (0, 9, 1.5), (1, 5, 4.0), (3, 7, 0.5)]
    assert pairs.get(1, 5) == 4.0 and pairs.get(5, 1) is None and pairs.get(2, 3) is None
    assert (0, 9) in pairs and (9, 0) not in pairs and len(pairs) == 4
    found = pairs.lookup(np.array([3, 4, 0]), np.array([7, 8, 2]))
    assert found[0] == 0.5 and math.isnan(found[1]) and found[2] == -1.0


def test_no_pairs_answer_missing():
    pairs = Pairs()
    assert len(pairs) == 0 and pairs.get(0, 1) is None and list(pairs) == []
    assert math.isnan(pairs.lookup(np.array([0]), np.array([1]))[0])
