"""Which articles a new or rebuilt article is scored against (index/events/model.py): features held
by too many articles find no candidates, by a share of the library and by an absolute cap, so each
article's candidate work stops growing with the library."""

from __future__ import annotations

import json
from pathlib import Path

from newsreader.index import Library
from newsreader.index.events import model

REPORT = ("Ferry Aegean Star hits Blue Horizon off Piraeus, 14 hurt",
          "The ferries Aegean Star and Blue Horizon collided in fog off Piraeus on Tuesday, injuring 14 passengers, "
          "the Hellenic Coast Guard said. The Aegean Star was bound for Aegina with 212 people aboard. Both vessels "
          "returned to port and ambulances took the injured to the Tzaneio hospital.")


def _file(folder: Path, k: int) -> Path:
    path = folder / f"report-{k}.jsonl"
    path.write_text(json.dumps({"id": f"report-{k}", "lang": "en", "source": f"outlet{k}", "title": REPORT[0],
                                "text": REPORT[1]}), encoding="utf-8")
    return path


def test_the_cap_holds_in_a_large_library_and_the_share_in_a_small_one():
    assert model.candidate_limit(500) == model.CANDIDATE_MIN_POSTINGS
    assert model.candidate_limit(10_000) == 10_000 * model.CANDIDATE_MAX_SHARE
    assert model.candidate_limit(100_000) == model.CANDIDATE_MAX_POSTINGS < 100_000 * model.CANDIDATE_MAX_SHARE
    assert model.candidate_limit(10_000_000) == model.CANDIDATE_MAX_POSTINGS


def test_features_held_by_more_than_the_cap_find_nothing_when_adding_or_rebuilding(tmp_path, monkeypatch):
    """Four copies of one report, added one by one: with a cap of three articles (the new one
    counted), the third is scored against the first two, the fourth, whose every feature four
    articles hold, against none; a rebuild then finds no pair at all."""
    monkeypatch.setattr(model, "CANDIDATE_MAX_POSTINGS", 3)
    with Library(tmp_path / "library") as library:
        for k in range(4):
            library.add([_file(tmp_path, k)])
        assert {s.id for s, _ in library.related("report-2")} == {"report-0", "report-1"}
        assert library.related("report-3") == []
        library.rebuild_events()
        assert all(library.related(f"report-{k}") == [] for k in range(4))
    monkeypatch.setattr(model, "CANDIDATE_MAX_POSTINGS", 1000)  # the same library, the cap out of reach
    with Library(tmp_path / "library") as library:
        library.rebuild_events()
        assert {s.id for s, _ in library.related("report-3")} == {"report-0", "report-1", "report-2"}
