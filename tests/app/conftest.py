"""Fixtures for the app tests: a fixed library in a tmp dir whose paragraphs are the test
models' known sentences, and the tiny real Argos packages installed in a tmp dir."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.models import AR, MODELS, SQ, TR

# file name -> (lang, text). Titles are the first paragraph ("a short first line" rule of the
# plain-text reader); the bodies are the models' known sentences, so translations are exact.
ARTICLES = {
    "tr_meeting.txt": ("tr", " date 2024-10 https://example.org/tr/aşkabat\n\nPutin ve Pezeşkiyan Aşkabat'ta\n\n"
                       + "\n\n".join(p["source"] for p in TR[:4])),
    "sq_meeting.txt": ("sq", " date 2024-10 https://example.org/sq/ashgabat\n\nTakimi në Ashgabat\n\n"
                       + "\n\n".join(p["source"] for p in SQ[:3])),
    "ar_meeting.txt": ("ar", " date 2024-09\n\nلقاء في عشق آباد\n\n" + "\n\n".join(p["source"] for p in AR[:3])),
    "en_report.txt": ("en", " date 2023-12\n\nAn English report about Moscow\n\n"
                      "Putin and Raisi met in Moscow in December.\n\nThey talked about energy and trade."),
    "evil.txt": ("en", " date 2023-01\n\nEvil [bold]x[/bold] title\n\n"
                 "Markup [bold]x[/bold] and [link=http://evil]y[/link] stays literal.\n\n"
                 "Escapes \x1b]0;pwned\x07 and \x1b[31mred\x1b[0m and bell \x07 never reach the terminal."),
}


@pytest.fixture(scope="session")
def library_dir(tmp_path_factory) -> Path:
    """A library built once per session; tests get a fresh copy (see `library`)."""
    from newsreader.index import Library

    root = tmp_path_factory.mktemp("corpus")
    folder = root / "library"
    with Library(folder, workers=1) as library:
        for name, (lang, text) in ARTICLES.items():
            path = root / "files" / name
            path.parent.mkdir(exist_ok=True)
            # Raw bytes: the engine must see the control characters to strip them itself.
            path.write_bytes(text.encode("utf-8"))
            report = library.add([path], lang=lang)
            assert not report.problems, report.problems
    return folder


@pytest.fixture
def library(library_dir, tmp_path):
    from newsreader.index import Library

    folder = tmp_path / "library"
    shutil.copytree(library_dir, folder)
    lib = Library(folder, workers=1)
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory) -> Path:
    from newsreader.index.translation import install_package

    folder = tmp_path_factory.mktemp("argos-packages")
    for model in sorted(MODELS.glob("*.argosmodel")):
        install_package(model, folder)
    return folder


@pytest.fixture
def translator_factory(packages_dir, tmp_path):
    from newsreader.index.translation import Translator

    made = []

    def factory():
        translator = Translator(packages_dir, tmp_path / "cache", cache_mb=8)
        made.append(translator)
        return translator

    yield factory
    for translator in made:
        translator.close()


@pytest.fixture
def no_models_factory(tmp_path):
    from newsreader.index.translation import Translator

    def factory():
        return Translator(tmp_path / "no-packages", tmp_path / "cache", cache_mb=8)

    return factory


@pytest.fixture
def make_app(library, translator_factory):
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings, UiSection

    def make(factory=None, *, rtl="visual", keys=None):
        settings = Settings(ui=UiSection(rtl=rtl), keys=keys or {}).with_library(library.folder)
        return NewsreaderApp(settings, library=library, translator_factory=factory or translator_factory,
                             environ={})

    return make


# A news feed with long headlines and day-precision dates, and undated articles from two
# sources (as the Wikinews set has): what a reader's list really looks like.
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Haber Ajansı</title><link>https://www.haberajansi.com.tr/</link>
<language>tr</language>
<item><title>İran Cumhurbaşkanı Mesud Pezeşkiyan ile Rusya Devlet Başkanı Vladimir Putin Aşkabat'ta bir araya geldi</title>
<link>https://www.haberajansi.com.tr/dunya/iran-rusya-askabat-gorusmesi-2024-ekim-ayinda-yapilan-zirve</link>
<pubDate>Sat, 12 Oct 2024 10:00:00 GMT</pubDate>
<description>Putin ve Pezeşkiyan Aşkabat'ta görüştü. İki lider ekonomik iş birliğini ele aldı.</description></item>
<item><title>İran Cumhurbaşkanı Mesud Pezeşkiyan Türkmenistan'daki uluslararası forumda barış çağrısı yaptı</title>
<link>https://www.haberajansi.com.tr/dunya/pezeskiyan-forum</link><pubDate>Fri, 11 Oct 2024 09:00:00 GMT</pubDate>
<description>Pezeşkiyan forumda konuştu. Bölgesel barış çağrısı yaptı.</description></item>
<item><title>Erdoğan, Putin ile telefonda görüştü: Orta Doğu'daki son gelişmeler ve tahıl koridoru ele alındı</title>
<link>https://www.haberajansi.com.tr/dunya/erdogan-putin</link><pubDate>Thu, 10 Oct 2024 08:00:00 GMT</pubDate>
<description>Erdoğan Putin ile görüştü. Görüşmede tahıl koridoru ele alındı.</description></item>
</channel></rss>
"""
UNDATED = [
    {"id": "wn:en:2", "lang": "en", "source": "en.wikinews.org", "title": "Zambian president dies in Paris hospital",
     "text": "The president of Zambia died in a hospital in Paris on Tuesday. He was 59."},
    {"id": "wn:en:1", "lang": "en", "source": "en.wikinews.org", "title": "Astronomers find a new moon orbiting Neptune",
     "text": "Astronomers announced a new moon of Neptune. It is very small."},
    {"id": "wn:fr:1", "lang": "fr", "source": "fr.wikinews.org", "title": "Élection présidentielle : le second tour aura lieu dimanche",
     "text": "Le second tour de l'élection présidentielle aura lieu dimanche. Les bureaux ouvriront à huit heures."},
]


@pytest.fixture
def news_library(tmp_path):
    from newsreader.index import Library

    (tmp_path / "haber.rss").write_text(FEED, encoding="utf-8")
    (tmp_path / "wikinews.jsonl").write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in UNDATED),
                                             encoding="utf-8")
    lib = Library(tmp_path / "library", workers=1)
    report = lib.add([tmp_path / "haber.rss", tmp_path / "wikinews.jsonl"])
    assert len(report.added) == 6 and not report.problems, report
    yield lib
    lib.close()


@pytest.fixture
def make_news_app(news_library, translator_factory):
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings, UiSection

    def make():
        settings = Settings(ui=UiSection(rtl="visual")).with_library(news_library.folder)
        return NewsreaderApp(settings, library=news_library, translator_factory=translator_factory, environ={})

    return make
