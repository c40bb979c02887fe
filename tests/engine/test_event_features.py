"""Event features: the vectorised n-grams, shingles and script share say what their plain
definitions say, names keep their sentence-start rule, and what the catalog keeps of them
round-trips."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from dataclasses import replace

import numpy as np
import pytest

from newsreader.index.events.features import (
    Features,
    char_grams,
    extract,
    gram_arrays,
    gram_keys,
    latin_script,
    pack,
    shingle_array,
    shingle_keys,
    unpack,
)


def _expected_grams(lead: str) -> dict[int, int]:
    """The plain definition: each word padded with spaces, its 4- and 5-grams; a 4-gram keyed
    by its four bytes, a 5-gram by a multiplicative hash with the top bit set."""
    found: dict[int, int] = {}
    for gram in char_grams(lead, (4, 5)):
        value = int.from_bytes(gram.encode(), "big")
        key = value if len(gram) == 4 else ((value * 0x9E3779B97F4A7C15) % 2**64 >> 33) | 0x80000000
        found[key] = found.get(key, 0) + 1
    return found


def _as_dict(packed: tuple[bytes, bytes]) -> dict[int, int]:
    keys, counts = np.frombuffer(packed[0], np.uint32), np.frombuffer(packed[1], np.uint16)
    assert (np.diff(keys.astype(np.int64)) > 0).all()  # sorted, distinct
    return dict(zip(keys.tolist(), counts.tolist(), strict=True))


def test_gram_keys_are_the_padded_words_grams():
    for lead in ["", "a", "ab", "a b", "abc", "abcd", "ab cd", "president putin met president pezeshkian",
                 "the the the", "x y zz", "ends with a cut wo"]:
        assert _as_dict(gram_keys(lead)) == _expected_grams(lead), lead
    keys = _as_dict(gram_keys("putin"))
    assert int.from_bytes(b" put", "big") in keys and int.from_bytes(b"tin ", "big") in keys
    assert _as_dict(gram_keys("aaaa aaaa"))[int.from_bytes(b"aaaa", "big")] == 2  # counted, not just listed


def test_extract_weighs_the_grams_of_each_stem_by_its_word():
    """Each word's stem (Snowball) gives its padded 4- and 5-grams, every occurrence weighing
    as much as the word is rare in its language (lexicon.py)."""
    from newsreader.index.events.lexicon import lexicon

    title, text = "Président Poutine", "Le président a rencontré Pezeshkian à Achgabat."
    features = extract(title, [text], "fr")
    expected: dict[int, float] = {}
    for word in (title + " " + text).replace(".", "").split():
        weight, stem = lexicon("fr").word(word.lower())
        for key, count in _expected_grams(fold_word(stem)).items():
            expected[key] = expected.get(key, 0.0) + weight * count
    keys, weights = gram_arrays(features)
    assert keys.tolist() == sorted(expected)
    assert np.allclose(weights, [expected[k] for k in keys.tolist()], rtol=1e-5)
    # "le" weighs almost nothing; "pezeshkian", unknown to French, the most
    assert lexicon("fr").word("le")[0] < 0.5 < 5 <= lexicon("fr").word("pezeshkian")[0]


def fold_word(stem: str) -> str:
    from newsreader.index.names import fold

    return fold(stem)


def test_shingles_are_the_distinct_four_word_windows():
    words = "The cat sat on the mat and the cat sat on the mat again".split()
    keys = np.frombuffer(shingle_keys(words), np.uint32)
    windows = {" ".join(w.lower() for w in words[i:i + 4]) for i in range(len(words) - 3)}
    assert len(keys) == len(windows) == 8 and (np.diff(keys.astype(np.int64)) > 0).all()
    assert shingle_keys(words[:3]) == b""
    # case does not matter; a different word does
    assert shingle_keys([w.upper() for w in words]) == shingle_keys(words)
    assert shingle_keys(words[:-1] + ["once"]) != shingle_keys(words)
    # the same windows in another text share their keys: a republication is found
    first = extract("A title", ["One two three four five six seven eight nine ten."], "en")
    second = extract("Other words", ["Zero one two three four five six seven eight."], "en")
    assert len(np.intersect1d(shingle_array(first), shingle_array(second))) == 5


def test_latin_script_counts_letters_not_characters():
    assert latin_script("") and latin_script("123 !!") and latin_script("Erdoğan ve Putin")
    assert not latin_script("التقى بوتين وبيزشكيان في عشق آباد")
    assert latin_script("Putin met Pezeshkian in Ashgabat (بوتين)")  # mostly Latin letters
    assert not latin_script("بوتين وبيزشكيان abc")
    assert not latin_script("Путин встретился с Пезешкианом")


def test_short_capitalised_words_are_names_except_at_a_sentence_start():
    features = extract("Talks", ["The EDF deal. EDF said so: Its plan. «EDF» agreed, and EDF paid."], "en")
    assert features.names["Vtf"] == 2  # mid-sentence twice; after `. ` and `. «` not
    assert features.shown_names["Vtf"] == "EDF"
    assert "tts" not in features.names  # `Its` opens a sentence (after `: `)
    long_first = extract("Talks", ["Pezeshkian arrived. Pezeshkian left."], "en")
    assert long_first.names["bskn"] == 2  # longer than three letters: a name anywhere


def test_numbers_and_days_next_to_months():
    features = extract("Talks", ["On 11 October 2024 some 1,500 people (1.500) met; 3.5 more on ottobre 12.",
                                 "x1 and ² and 031 and 12345 and 1 million."], "en")
    assert features.numbers == {"11": 1, "2024": 1, "1500": 2, "3.5": 1, "12": 1, "031": 1, "12345": 1}
    assert features.dates == {"10-11", "10-12", "y2024"} and features.year == 2024


def test_features_do_not_depend_on_the_process():
    """Keys are stored and compared between processes: nothing may come from Python's
    per-process string hashing."""
    code = ("from newsreader.index.events.features import extract;"
            "f = extract('Putin and Pezeshkian', ['They met in Ashgabat on Friday, the agency said.'], 'en');"
            "print((f.grams + f.gram_weights + f.shingles).hex())")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1 and len(outputs.pop()) > 100


# -- what the catalog keeps --------------------------------------------------------------------

GLOSS = "Putin and Pezeshkian met in Ashgabat.\n\nThe two leaders discussed regional developments."
ARTICLES = [("Putin ve Pezeşkiyan Aşkabat'ta görüştü.", ["İki lider bölgesel gelişmeleri ele aldı."], "tr"),
            ("التقى بوتين وبيزشكيان في عشق آباد.", ["ناقش الزعيمان التطورات الإقليمية."], "ar"),
            ("Putin and Pezeshkian met in Ashgabat", ["The two leaders discussed trade. " * 40], "en")]


def test_packed_features_round_trip_with_half_precision_weights():
    for title, paragraphs, lang in ARTICLES:
        for gloss in (None, GLOSS):
            features = extract(title, paragraphs, lang, gloss)
            assert features.grams and features.shingles
            kept = unpack(pack(features))
            weights = np.frombuffer(features.gram_weights, np.float32)
            assert np.allclose(np.frombuffer(kept.gram_weights, np.float32), weights, rtol=1e-3)
            assert replace(kept, gram_weights=features.gram_weights) == features
    empty = Features("und")
    assert unpack(pack(empty)) == empty


def test_damaged_packed_features_raise_value_error():
    blob = pack(extract(*ARTICLES[0]))
    for damaged in (blob[:-5], b"not zlib", zlib.compress(b"\x93not msgpack")):
        with pytest.raises(ValueError, match="damaged event features"):
            unpack(damaged)
