"""How much two reports share (events/similarity.py): graded, a function of the two texts
alone, blind to page chrome, with names that are names."""

from __future__ import annotations

import pytest

from newsreader.index import Library
from newsreader.index.events.chrome import without_chrome
from newsreader.index.events.features import Features, extract
from newsreader.index.events.lexicon import lexicon
from newsreader.index.events.similarity import similarity

FERRY = ("Two ferries collided off the port of Piraeus on Tuesday morning, injuring 14 passengers. "
         "The coast guard said the Aegean Star struck the Blue Horizon while leaving the harbour in thick fog. "
         "Both vessels returned to Piraeus, where ambulances took the injured to hospital.")
REWRITE = ("The Aegean Star and the Blue Horizon ferries collided in thick fog off Piraeus on Tuesday, and 14 "
           "passengers were injured, the coast guard said. Ambulances met both vessels in the harbour.")
SIBLING = ("Investigators in Piraeus questioned the captain of the Aegean Star on Friday as ferry services resumed. "
           "Unions demanded new rules for sailing in fog after the collision earlier this week.")
OTHER = ("The central bank raised interest rates by a quarter point on Wednesday, citing stubborn inflation "
         "in services and a tight labour market.")
BANNER = ("We use cookies to improve your experience. By clicking Accept all you agree to our privacy policy. "
          "Sign up to our free daily newsletter.")


def profile(text: str, lang: str = "en", title: str = "") -> Features:
    return extract(title, [p for p in text.split("\n") if p], lang)


def test_similarity_is_graded_rewrite_above_sibling_above_another_story():
    ferry = profile(FERRY)
    scores = [similarity(ferry, profile(text)) for text in (FERRY, REWRITE, SIBLING, OTHER)]
    assert scores[0] == pytest.approx(1.0)
    assert scores[0] > scores[1] > scores[2] > scores[3] >= 0
    assert scores[1] > 0.6 and scores[3] < 0.35


def test_page_chrome_is_no_part_of_a_report():
    kept, found = without_chrome([FERRY, BANNER])
    assert found and kept == [FERRY]
    # two pages behind the same cookie wall share nothing but the wall
    assert similarity(profile(BANNER + "\n" + FERRY), profile(BANNER + "\n" + OTHER)) == \
        pytest.approx(similarity(profile(FERRY), profile(OTHER)), abs=1e-6)
    bot = "Access denied. Please verify you are a human.\nJeśli chcesz połączyć się z nami zaznacz \"NIE JESTEM ROBOTEM\"."
    assert without_chrome(bot.split("\n")) == ([], True)
    assert similarity(profile(bot), profile(bot)) == 0.0


@pytest.mark.parametrize("lang, word, caseless", [
    ("fr", "certains", False), ("de", "stunde", False), ("tr", "sizinle", False), ("ar", "إقليمية", True)])
def test_a_word_frequent_in_its_language_is_no_name(lang, word, caseless):
    assert lexicon(lang).ordinary(word, caseless=caseless)


@pytest.mark.parametrize("lang, word", [("de", "putin"), ("tr", "pezeşkiyan"), ("en", "oklahoma"), ("it", "berlusconi")])
def test_names_stay_names(lang, word):
    assert not lexicon(lang).ordinary(word, caseless=False)


def test_names_carry_similarity_across_scripts():
    turkish = profile("Putin ve Pezeşkiyan Aşkabat'ta bir araya geldi. Görüşmede 2024 yılı ele alındı.", "tr")
    arabic = profile("التقى بوتين وبزشكيان في عشق آباد. وناقشا عام 2024.", "ar")
    unrelated = profile("ارتفعت أسعار النفط في الأسواق العالمية اليوم.", "ar")
    assert similarity(turkish, arabic) > 0.5 > similarity(turkish, unrelated)


def test_similarity_does_not_move_when_unrelated_articles_are_added(tmp_path, seeded_library_template):
    import shutil

    folder = tmp_path / "library"
    shutil.copytree(seeded_library_template, folder)
    with Library(folder) as library:
        ids = sorted(s.id for s in library.articles())
        before = library.compare(ids[0], ids[1]).similarity
        unrelated = tmp_path / "unrelated"
        unrelated.mkdir()
        for k in range(30):
            (unrelated / f"{k}.txt").write_text(f"{OTHER} Report number {k} on the markets.\n\n{FERRY}" if k % 2 else
                                                  f"{OTHER} Another day of trading, {k}.", encoding="utf-8")
        library.add([unrelated])
        assert library.compare(ids[0], ids[1]).similarity == before
