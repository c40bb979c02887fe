"""An event as a story: its timeline (time order, the first report, what each later report
adds, what is new since the reader last looked), its coverage (languages, sources, countries
from the reader's sources.toml, and the subscribed feeds and library languages with no report
in it), and where its reports disagree (42 injured vs 45, 1 October vs 2 October)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.index import Library, NewsreaderError, bundled_seeds, read_outlets

from local_http import Route

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EN_REPORT = ("Putin and Pezeshkian meet in Ashgabat",
             "Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Ashgabat, Turkmenistan, "
             "on 11 October 2024, their first meeting since Pezeshkian took office. Pezeshkian told him: "
             "\"We want to finalise the comprehensive strategic partnership treaty at the Kazan summit.\" "
             "The treaty covers 20 years of cooperation.")


def feed(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f"<item><guid>urn:{key}</guid><title>{title}</title><link>https://news.example/{key}</link>"
                      f"<pubDate>Sat, 12 Oct 2024 09:00:00 GMT</pubDate><description>{text}</description></item>"
                      for key, title, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{entries}</channel></rss>').encode()


def test_timeline_and_coverage_of_the_seeds_event_with_an_english_report(tmp_path, server):
    server.routes["/world.rss"] = Route(feed([("ashgabat", *EN_REPORT)]))
    server.routes["/sport.rss"] = Route(feed([("derby", "Derby ends in a draw", "The derby ended 1-1 after a late "
                                               "penalty in front of a full stadium on Saturday night.")]))
    with Library(tmp_path / "lib") as lib:
        lib.add([bundled_seeds()])
        lib.subscribe(server.url("/world.rss"), name="world")
        lib.subscribe(server.url("/sport.rss"), name="sport")
        lib.fetch()
        event = lib.event_of("000_11a42b1f17f82f3e")
        english = next(m for m in event.members if m.startswith("world-"))
        outlets = read_outlets(_write(tmp_path / "sources.toml", '["world"]\ncountry = "GB"\nowner = "Desk Ltd"\n'
                                                                 'labels = ["wire"]\n'))
        timeline = lib.timeline(event.id, outlets)
        ids = [e.article.id for e in timeline.entries]
        # time order: 000 (2024-10), the English report (2024-10-12), 003 (2025-06), then the undated
        assert ids[:3] == ["000_11a42b1f17f82f3e", english, "003_05c43b9f904fa8bf"]
        assert set(ids[3:]) == {"001_ef5f1fe0d8c336d9", "004_6783b83894bc3dea"}
        assert [e.first for e in timeline.entries] == [True, False, False, False, False]
        first, en = timeline.entries[0], timeline.entries[1]
        assert "Pezeşkiyan" in first.adds.names
        assert "Pezeshkian" not in en.adds.names and "Pezeşkiyan" not in en.adds.names  # said before
        assert "Kazan" in en.adds.names and "20" in en.adds.numbers and "--10-11" in en.adds.dates
        assert any("Kazan summit" in q for q in en.adds.quotes)
        assert all(e.new for e in timeline.entries)
        c = timeline.coverage
        assert c.languages == {"tr": 2, "ar": 1, "en": 1, "sq": 1}
        assert c.missing_feeds == ["sport"] and c.missing_languages == []
        world = next(s for s in c.sources if s.facts is not None)
        assert (world.facts.country, world.facts.owner, world.facts.labels) == ("GB", "Desk Ltd", ["wire"])
        assert c.countries == {"GB": 1} and c.first == "2024-10" and c.last == "2025-06"
        # the reader looked: nothing is new until a report comes or one is marked unread
        lib.mark(["004_6783b83894bc3dea"], read=True)
        assert lib.looked_at(event.id) == sorted(ids)
        assert not any(e.new for e in lib.timeline(event.id).entries)


def test_disagreements_list_each_value_with_its_outlets(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add([FIXTURES / "izmir-quake.jsonl"])
        event = lib.event_of("quake-a")
        found = {(d.kind, d.about): [(v.value, v.sources) for v in d.values] for d in lib.disagreements(event.id)}
        assert found == {
            ("number", "injured / people"): [("42", ("Daily Post",)), ("45", ("Evening Herald",))],
            ("date", ""): [("--10-01", ("Daily Post",)), ("--10-02", ("Evening Herald",))],
            ("quote", "Elban"): [("We have no reports of deaths so far,", ("Daily Post",)),
                                 ("Two buildings collapsed but everyone got out,", ("Evening Herald",))],
        }
        assert "5.8" not in json.dumps([d.to_json() for d in lib.disagreements(event.id)])  # both give it


def test_the_seeds_event_has_no_made_up_disagreements(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add([bundled_seeds()])
        event = lib.event_of("000_11a42b1f17f82f3e")
        assert [d for d in lib.disagreements(event.id) if d.kind == "quote"] == []


@pytest.mark.parametrize("text, message", [
    ('["world"]\ncontry = "GB"\n', "['world']: Object contains unknown field `contry`; the keys an outlet"),
    ('["world"]\nlabels = "wire"\n', "['world'].labels: Expected `array`, got `str`"),
    ('world = "GB"\n', "'world' is not a table"),
    ('["world"\n', "not valid TOML"),
])
def test_a_bad_sources_file_is_one_line_naming_it(tmp_path, text, message):
    path = _write(tmp_path / "sources.toml", text)
    with pytest.raises(NewsreaderError) as caught:
        read_outlets(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert read_outlets(tmp_path / "none.toml") == {}


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
