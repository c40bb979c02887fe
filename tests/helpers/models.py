"""The tiny real translation models of tests/fixtures/models and the sentences each one knows
(it translates those exactly and nothing else)."""

from __future__ import annotations

import json
from pathlib import Path

MODELS = Path(__file__).parents[1] / "fixtures" / "models"


def pairs(name: str) -> list[dict]:
    return json.loads((MODELS / f"translate-{name}-1_0.pairs.json").read_text(encoding="utf-8"))


TR = pairs("tr_en")
SQ = pairs("sq_en")
AR = pairs("ar_en")
EN_DE = pairs("en_de")
