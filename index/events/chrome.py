"""Page chrome: the text of a news page that is not the report.

Consent banners, paywall and newsletter prompts, log-in boxes, bot checks and share bars made
most of the wrong merges on real pages: two articles behind the same cookie wall "share" its
wording. Two ways to find it, both before any feature or duplicate fingerprint is taken:

- sentences that say what chrome says, in the languages newsreader meets (`CHROME`): cookies,
  privacy notices, subscribing, signing in, ad blockers, "verify you are a human";
- paragraphs that one source repeats across its articles (a banner, a sign-off): each
  paragraph's hash is kept (`line_hashes`), and one seen in LINE_REPEATS or more articles of a
  source is chrome for all of them (events/view.py counts them).

A page that had chrome and is left with almost no words holds no report (a bot check, a
consent wall): it is listed and searchable, never grouped.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

LINE_REPEATS = 3  # articles of one source that share a paragraph before it counts as chrome
LINE_MIN_CHARS = 20  # shorter paragraphs ("OK", a dateline) are too common to mean anything

_CHROME_WORDS = [
    # cookies and consent
    r"cookies?\b", r"\bcookie-", r"ciasteczk", r"çerez", r"privacy (notice|policy|settings)",
    r"datenschutz(erklärung|richtlinie|hinweis|einstellung)", r"politique de confidentialité",
    r"política de (privacidad|cookies)", r"polityk\w* prywatności", r"gizlilik politikas",
    r"\bakzeptier\w* (diese|alle)\b", r"\ball(e)? akzeptieren\b", r"\baccept (all|cookies)\b",
    # subscribing, newsletters, free trials, signing in
    r"\bsign (up|in)\b", r"\blog ?in\b", r"\bsubscrib(e|ing|er)\b", r"\bnewsletter", r"\bfree trial\b",
    r"\bjetzt (abonnieren|anmelden|registrieren)\b", r"\babonn(ez|ieren|ement)\b", r"\bsuscr[ií]b",
    r"\bzaloguj\b", r"\bzapisz się\b", r"\babone ol\b", r"\bpassword\b", r"\bpasswort\b",
    # bot checks and blocks
    r"\b(not|nie) (a |jestem )?robot", r"jestem robotem", r"verify (that )?you are (a )?human",
    r"\baccess (denied|to this page has been denied)", r"\bcaptcha\b", r"unusual traffic",
    r"\byour ip( address)?\b", r"\btwój adres ip\b", r"\bad ?block", r"enable javascript", r"javascript (is )?(disabled|required)",
    # share and follow bars
    r"\bfollow (us|[\w.]+) on (twitter|facebook|instagram|telegram)", r"\bshare (on|this|via) (facebook|twitter|whatsapp)",
]
CHROME = re.compile("|".join(f"(?:{w})" for w in _CHROME_WORDS), re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+|\s*\n\s*")
_NOT_WORD = re.compile(r"[\W\d_]+")


def line_key(paragraph: str) -> str:
    """A paragraph reduced to its letters, lower-cased: the same banner with another date or
    spacing is the same line."""
    return _NOT_WORD.sub(" ", paragraph.lower()).strip()


def line_hashes(paragraphs) -> bytes:
    """Sorted distinct uint32 hashes of the paragraphs long enough to be a banner or prompt."""
    keys = {line_key(p) for p in paragraphs}
    hashes = np.array(sorted({zlib.crc32(k.encode("utf-8")) for k in keys if len(k) >= LINE_MIN_CHARS}),
                      dtype=np.uint32)
    return hashes.tobytes()


def line_hash(paragraph: str) -> int | None:
    key = line_key(paragraph)
    return zlib.crc32(key.encode("utf-8")) if len(key) >= LINE_MIN_CHARS else None


def without_chrome(paragraphs: list[str], repeated: frozenset[int] = frozenset()) -> tuple[list[str], bool]:
    """(the paragraphs with chrome sentences and the source's repeated lines left out,
    whether any chrome was found)."""
    kept, found = [], False
    for paragraph in paragraphs:
        if repeated and line_hash(paragraph) in repeated:
            found = True
            continue
        if not CHROME.search(paragraph):
            kept.append(paragraph)
            continue
        found = True
        sentences = [s for s in _SENTENCE.split(paragraph) if s and not CHROME.search(s)]
        if sentences:
            kept.append(" ".join(sentences))
    return kept, found
