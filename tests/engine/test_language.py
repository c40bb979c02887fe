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


# -- hints: a feed's or page's declared language (issue 12, item 14) --------------------------------

SHORT_EN = ("Putin meets Erdoğan", "Putin met Erdoğan in Sochi. They discussed Syria.")
LONG_DE = ("Haushalt beschlossen", "Der Bundestag hat am Dienstag nach einer langen Debatte über Schulen, "
           "Straßen und die neue Bahnstrecke den Haushalt für das kommende Jahr beschlossen.")


def _feed(items, language: str | None) -> bytes:
    declared = f"<language>{language}</language>" if language else ""
    entries = "".join(f"<item><guid>urn:{i}</guid><title>{title}</title><description>{text}</description></item>"
                      for i, (title, text) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>{declared}'
            f"{entries}</channel></rss>").encode()


def _languages(tmp_path, name: str, data: bytes) -> dict[str, str]:
    from newsreader.index import Library

    path = tmp_path / name
    path.write_bytes(data)
    with Library(tmp_path / f"lib-{name}") as library:
        library.add([path])
        return {s.title: s.lang for s in library.articles()}


def test_short_english_feed_item_gets_en_from_the_feed_language(tmp_path):
    assert detect(" ".join(SHORT_EN)).lang != "en"  # alone, one trial of langdetect says Dutch
    assert _languages(tmp_path, "plain.rss", _feed([SHORT_EN], None))[SHORT_EN[0]] != "en"
    assert _languages(tmp_path, "declared.rss", _feed([SHORT_EN], "en-us"))[SHORT_EN[0]] == "en"
    # Atom: xml:lang on the feed, or on the entry's content
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>W</title>'
            f'<entry><id>urn:1</id><title>{SHORT_EN[0]}</title><content type="text" xml:lang="en">{SHORT_EN[1]}'
            "</content></entry></feed>").encode()
    assert _languages(tmp_path, "entry.atom", atom)[SHORT_EN[0]] == "en"


def test_a_hint_never_overrides_a_longer_text_in_another_language(tmp_path):
    found = _languages(tmp_path, "wrong.rss", _feed([LONG_DE, SHORT_EN], "fr"))
    assert found[LONG_DE[0]] == "de"  # the feed says French; the text is plainly German
    assert detect(" ".join(LONG_DE), hint="en").lang == "de"
    assert detect("Le président a rencontré les ministres hier soir à Paris.", hint="en").lang == "fr"


def test_a_hint_in_another_script_than_the_text_is_ignored():
    assert detect("التقى الرئيس", hint="en").lang == "und"
    assert detect("التقى الرئيس", hint="ar").lang == "ar"
    assert detect("Obama visits Berlin", hint="en").lang == "en"  # too few letters alone: the hint decides
    assert detect("Obama visits Berlin").lang == "und"
    assert detect("Ο πρωθυπουργός συναντήθηκε σήμερα με τον πρόεδρο", hint="en").lang == "el"


def test_an_html_page_declares_its_language(tmp_path):
    from newsreader.index.readers.html import declared_language

    page = (f'<!doctype html><html lang="en-GB"><head><title>{SHORT_EN[0]}</title></head><body><article>'
            f"<h1>{SHORT_EN[0]}</h1><p>{SHORT_EN[1]}</p></article></body></html>")
    assert _languages(tmp_path, "page.html", page.encode())[SHORT_EN[0]] == "en"
    assert _languages(tmp_path, "bare.html", page.replace(' lang="en-GB"', "").encode())[SHORT_EN[0]] != "en"
    assert declared_language('<html><head><meta http-equiv="Content-Language" content="tr">') == "tr"
    assert declared_language('<html><head><meta property="og:locale" content="de_DE"/>') == "de"
    assert declared_language('<html lang="">') is None and declared_language('<html lang="1x">') is None


# -- the fast paths give langdetect's own answers ------------------------------------------

CRAFTED = [
    "NATO and the EU: McDONALD'S opened in İstanbul, Şişli; ÇOK GÜZEL dedi.",
    "Președintele României și Ţara; ştiri din Timișoara.",  # Romanian comma and cedilla
    "Việt Nam: Thủ tướng Phạm Minh Chính phát biểu tại Hà Nội.",
    "東京で記者会見、プーチン大統領が発言した。北京与莫斯科。",
    "Путин и Пезешкиан встретились в Ашхабаде.  Двойной  пробел.",
    "بوتين وبيزشكيان في عشق آباد، وقال الرئيس: «نعم».",
    "Ελλάδα και Κύπρος — שלום עולם — 서울에서 — ภาษาไทย",
    "see https://example.com/a?b=c and mail@example.org; 123 456,7 ‰ … “quotes” A",
    "x", "", "   ", "ALL CAPS TEXT WITH NO LOWER CASE AT ALL ",
]


def texts_to_compare() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = list(CRAFTED) + [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    wikinews = root.parent / "shared" / "eval" / "wikinews-multilingual.jsonl"
    if wikinews.exists():
        import json

        with wikinews.open(encoding="utf-8") as lines:
            found += [json.loads(line)["text"] for _, line in zip(range(300), lines, strict=False)]
    return found


def test_script_counts_are_the_letter_by_letter_counts():
    from bisect import bisect_right

    from newsreader.index import language

    def letter_by_letter(text):
        counts = {}
        for ch in text:
            if ch.isalpha():
                script = language._SCRIPTS[bisect_right(language._STARTS, ord(ch)) - 1] if ord(ch) >= 0x41 else "other"
                counts[script] = counts.get(script, 0) + 1
        if counts.get("kana") and counts.get("han"):
            counts["kana"] += counts.pop("han")
        return counts

    for text in texts_to_compare():
        assert scripts(text) == letter_by_letter(text), text[:60]
