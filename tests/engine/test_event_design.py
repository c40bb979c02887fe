"""What the event design (issue 18) promises, on articles written for it: one event of any size
in one language, story siblings kept apart by their dates, page chrome never an event, a score
that does not move when unrelated articles arrive, a language set by hand regrouped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.index import Library, bundled_seeds

FERRY_FACTS = [
    ("harbourwire", "Two ferries collide in fog off Piraeus, 14 hurt",
     "Two passenger ferries, the Aegean Star and the Blue Horizon, collided in thick fog off the port of Piraeus "
     "early on Tuesday, injuring 14 passengers, the Hellenic Coast Guard said. The Aegean Star was leaving for "
     "Aegina with 212 people aboard when it struck the Blue Horizon's stern. Both vessels returned to port under "
     "their own power and ambulances took the injured to the Tzaneio hospital."),
    ("athensdaily", "Piraeus ferry collision: 14 injured as Aegean Star hits Blue Horizon",
     "Fourteen people were hurt on Tuesday morning when the ferry Aegean Star hit the Blue Horizon in dense fog "
     "just outside Piraeus harbour. The coast guard said 212 passengers were on the Aegean Star, bound for "
     "Aegina. Both ships made it back to Piraeus, where the injured were taken to Tzaneio hospital."),
    ("portnews", "Fog blamed as ferries collide outside Piraeus",
     "The Hellenic Coast Guard is investigating a collision between the Aegean Star and the Blue Horizon off "
     "Piraeus on Tuesday in which 14 passengers were injured. Visibility was under 200 metres, officials said. "
     "The Aegean Star, carrying 212 people to Aegina, struck the other ferry's stern."),
    ("seatimes", "14 hurt in Piraeus ferry crash",
     "A collision between two ferries in fog off Piraeus injured 14 people early on Tuesday. The Aegean Star, "
     "with 212 passengers bound for Aegina, hit the Blue Horizon, the coast guard said. Ambulances met both "
     "vessels at the quay and took the wounded to Tzaneio hospital."),
    ("eurowire", "Greece: Aegean Star and Blue Horizon ferries collide, 14 injured",
     "Greek authorities said 14 passengers were injured when the ferries Aegean Star and Blue Horizon collided "
     "in heavy fog near Piraeus on Tuesday morning. The Aegean Star was sailing to Aegina with 212 people on "
     "board. The coast guard opened an inquiry into the crash."),
]
SIBLINGS = [
    ("harbourwire", "2025-03-18", "Aegean Star captain charged over Piraeus ferry collision",
     "A Piraeus prosecutor charged the captain of the Aegean Star with negligence over last week's collision "
     "with the Blue Horizon in fog, in which 14 passengers were injured. The coast guard said the ferry had "
     "left port despite a visibility warning."),
    ("athensdaily", "2025-04-22", "Ferry operator fined after Piraeus collision",
     "The merchant marine ministry fined the operator of the Aegean Star 300,000 euros over the March collision "
     "with the Blue Horizon off Piraeus, after an inquiry found the ferry sailed in fog without radar watch."),
]
UNRELATED = [
    ("athensdaily", "Athens stock exchange closes higher on bank shares",
     "The Athens stock exchange general index rose 1.2 percent on Tuesday, led by bank shares, after the "
     "central bank said lending grew for a third month."),
    ("eurowire", "EU ministers agree on farm subsidy reform",
     "Agriculture ministers of the European Union agreed in Brussels on Tuesday to simplify farm subsidies and "
     "cut reporting rules for small farms, after two days of talks."),
    ("portnews", "Container traffic at Thessaloniki port hits record",
     "The port of Thessaloniki handled a record 52,000 containers in February, its operator said on Tuesday, "
     "citing new rail links to the Balkans."),
]


def _write(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_five_reports_in_one_language_are_one_event_and_its_siblings_stay_apart(tmp_path):
    rows = [{"id": f"ferry-{k}", "lang": "en", "date": "2025-03-11", "source": source, "title": title, "text": text}
            for k, (source, title, text) in enumerate(FERRY_FACTS)]
    rows += [{"id": f"sibling-{k}", "lang": "en", "date": date, "source": source, "title": title, "text": text}
             for k, (source, date, title, text) in enumerate(SIBLINGS)]
    rows += [{"id": f"other-{k}", "lang": "en", "date": "2025-03-11", "source": source, "title": title, "text": text}
             for k, (source, title, text) in enumerate(UNRELATED)]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        event = library.event_of("ferry-0")
        assert sorted(event.members) == [f"ferry-{k}" for k in range(5)]
        assert all(library.event_of(r["id"]).size == 1 for r in rows[5:])
        assert "Piraeus" in event.label or "Aegean" in event.label


BANNER = ("We use cookies to give you the best experience. By clicking Accept all you agree to our privacy "
          "policy and the use of cookies.")
PROMPT = "Sign up to our free daily newsletter and get the news in your inbox every morning."
STORIES = [
    "The city council approved a new budget for public transport on Monday, adding 40 buses to the fleet.",
    "A local bakery won the national bread competition with a sourdough made from ancient grains.",
    "Heavy rain flooded three streets in the old town overnight; firefighters pumped out cellars.",
    "The football club signed a 19-year-old striker from the second division on a three-year contract.",
    "A new exhibition of medieval maps opens at the city museum on Friday and runs until June.",
    "Police are looking for witnesses after a cyclist was injured in a hit-and-run on the ring road.",
]


def test_a_source_banner_and_newsletter_prompt_make_no_event(tmp_path):
    rows = [{"id": f"page-{k}", "lang": "en", "date": "2025-03-11", "source": "towncrier", "title": story[:40],
             "text": f"{BANNER}\n\n{story}\n\n{PROMPT}"} for k, story in enumerate(STORIES)]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        assert library.events(min_size=2) == []
        comparison = library.compare("page-0", "page-1")
        shared = set(comparison.only_first.sentences) | set(comparison.only_second.sentences)
        everything = " ".join(shared)
        assert "cookies" not in everything and "newsletter" not in everything


def test_paragraphs_a_source_repeats_are_chrome_for_it(tmp_path):
    """A banner no pattern knows: repeated across a source's articles, it is left out of them all."""
    sign_off = "Read more local stories every day at the Town Crier, your voice in the valley since 1887."
    rows = [{"id": f"page-{k}", "lang": "en", "date": "2025-03-11", "source": "towncrier", "title": story[:40],
             "text": f"{story}\n\n{sign_off}"} for k, story in enumerate(STORIES)]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        assert library.events(min_size=2) == []
        related = library.related("page-0")
        assert all(r.similarity is None or r.similarity < 0.5 for _, r in related)


def test_features_without_a_sources_repeated_lines_are_computed_once(tmp_path, monkeypatch):
    """Once an article's features leave out its source's repeated lines, later builds read them:
    computing them again at every build was a tenth of a 30,000-article build."""
    sign_off = "Read more local stories every day at the Town Crier, your voice in the valley since 1887."
    rows = [{"id": f"page-{k}", "lang": "en", "date": "2025-03-11", "source": "towncrier", "title": story[:40],
             "text": f"{story}\n\n{sign_off}"} for k, story in enumerate(STORIES)]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        library.rebuild_events()
        computed = []
        from newsreader.index.events import view

        real = view.extract
        monkeypatch.setattr(view, "extract", lambda *args, **kwargs: computed.append(args[0]) or real(*args, **kwargs))
        library.rebuild_events()
        assert computed == []
        assert library.events(min_size=2) == []


def test_features_a_build_computes_are_stored_whole(tmp_path):
    """Features computed again by a build (their source's repeated lines left out) are stored
    with their n-grams: two reports of one story from that source stay alike for `compare`
    (they were stored after the build had moved the n-grams into its matrix: similarity 0)."""
    sign_off = "Read more local stories every day at the Town Crier, your voice in the valley since 1887."
    twin = STORIES[0].replace("on Monday", "at its Monday meeting")
    rows = [{"id": f"page-{k}", "lang": "en", "date": "2025-03-11", "source": "towncrier", "title": story[:40],
             "text": f"{story}\n\n{sign_off}"} for k, story in enumerate([*STORIES, twin])]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        library.rebuild_events()
        assert library.compare("page-0", f"page-{len(STORIES)}").similarity > 0.8


BOT_PAGES = ["Access denied. Please verify you are a human to continue to this page.\n\nYour IP address: 203.0.113.7",
             "Jeśli chcesz połączyć się z nami zaznacz \"NIE JESTEM ROBOTEM\".\n\nTwój adres IP: 203.0.113.7"]


def test_bot_check_pages_are_listed_never_grouped_nor_flagged(tmp_path):
    rows = [{"id": f"bot-{k}", "lang": "en", "source": f"site{k}", "title": "", "text": BOT_PAGES[k % 2]}
            for k in range(4)]
    with Library(tmp_path / "library") as library:
        library.add([_write(tmp_path / "news", rows)])
        assert len(library.articles()) == 4
        assert library.events(min_size=2) == []
        assert all(not library.event_of(r["id"]).roles for r in rows)


WIKINEWS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "wikinews-events.jsonl"


@pytest.mark.skipif(not WIKINEWS.exists(), reason="../shared/eval is not beside the checkout")
def test_unrelated_articles_do_not_split_weaken_or_relabel_an_event(tmp_path):
    with Library(tmp_path / "library") as library:
        library.add([bundled_seeds()])
        ids = {s.id[:3]: s.id for s in library.articles()}
        before = library.event_of(ids["000"])
        score = library.compare(ids["000"], ids["001"]).score
        library.add([WIKINEWS])
        after = library.event_of(ids["000"])
        assert (after.id, after.members, after.label) == (before.id, before.members, before.label)
        assert sorted(m[:3] for m in after.members) == ["000", "001", "003", "004"]
        assert ids["002"] not in after.members
        assert library.compare(ids["000"], ids["001"]).score == pytest.approx(score, abs=0.02)
        assert library.compare(ids["000"], ids["001"]).score >= 0.9


def test_a_language_the_library_lacks_is_set_and_the_article_regrouped(tmp_path):
    with Library(tmp_path / "library") as library:
        library.add([bundled_seeds()])
        ids = {s.id[:3]: s.id for s in library.articles()}
        assert library.set_language([ids["003"]], "de") == [ids["003"]]
        assert library.get(ids["003"]).lang == "de"
        assert library.event_of(ids["003"]).members  # regrouped without an error
        assert library.set_language([ids["003"]], None) == [ids["003"]]
        assert sorted(m[:3] for m in library.event_of(ids["000"]).members) == ["000", "001", "003", "004"]
