"""Language detection: a script prefilter before langdetect, `und` when in doubt (issue 11)."""

from __future__ import annotations

from newsreader.index.language import detect, scripts


def test_short_text_is_und():
    assert detect("Putin met Raisi").lang == "und"


def test_text_in_two_scripts_is_und():
    mixed = "Le président a déclaré mardi que la réunion était reportée. " + "الرئيس قال إن الاجتماع تأجل " * 2
    found = detect(mixed)
    assert found.lang == "und" and 0 < found.confidence < 0.6


def test_scripts_one_language_owns_decide_without_langdetect():
    assert detect("Ο πρωθυπουργός συναντήθηκε σήμερα με τον πρόεδρο της χώρας").lang == "el"
    assert detect("ראש הממשלה נפגש היום עם נשיא המדינה בירושלים").lang == "he"
    assert detect("東京で首相が記者会見を行い、新しい経済対策を発表しました。").lang == "ja"
    assert scripts("Путин и Erdoğan") == {"cyrillic": 6, "latin": 7}


def test_latin_and_arabic_text_still_go_to_langdetect():
    assert detect("Il presidente russo e il presidente iraniano si sono incontrati ad Ashgabat.").lang == "it"
    assert detect("التقى الرئيس الروسي بالرئيس الإيراني في عشق آباد لبحث التعاون في مجال الطاقة").lang == "ar"
    text = "Le président russe et le président iranien se sont rencontrés à Achgabat mardi."
    assert detect(text) == detect(text)  # deterministic
