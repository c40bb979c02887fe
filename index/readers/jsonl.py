"""JSON Lines: one article object a line; `text` required, id/lang/title/date/source/url optional."""

from __future__ import annotations

import json

from ..article import MAX_ID_CHARS, ArticleDraft, Problem, content_hash
from ..langcodes import LanguageCodeError, normalize
from ..small_files import number_problem
from ..text_cleanup import clean_line, paragraphs
from ..titles import split_title

OPTIONAL = ("id", "lang", "title", "date", "source", "url")


def _field(obj: dict, name: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f'"{name}" must be a string')
    value = clean_line(value)
    if name == "id" and len(value) > MAX_ID_CHARS:
        raise ValueError(f'"id" is {len(value)} characters long (at most {MAX_ID_CHARS}); give a shorter id')
    return value or None


def read(text: str, name: str) -> tuple[list[ArticleDraft], list[Problem]]:
    drafts: list[ArticleDraft] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    # Lines end at \n only: splitlines() would also split at U+2028/U+2029/U+0085, which JSON
    # strings may hold raw, cutting an article in two and misnumbering every later line.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, f"not valid JSON ({exc.msg}); fix or remove the line", number))
            continue
        except ValueError as exc:  # Python's limit on an integer's digits (4,300): not JSONDecodeError
            problems.append(Problem(name, f"not valid JSON ({number_problem(exc) or exc}); fix or remove the line",
                                    number))
            continue
        except RecursionError:
            problems.append(Problem(name, "nested too deeply to read; each line must be a flat {\"text\": ...}", number))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(name, "not a JSON object; each line must be {\"text\": ...}", number))
            continue
        try:
            body = obj.get("text")
            if not isinstance(body, str) or not body.strip():
                raise ValueError('"text" is missing or empty; every line needs the article text')
            values = {key: _field(obj, key) for key in OPTIONAL}
            if values["lang"] is not None:
                try:
                    values["lang"] = normalize(values["lang"])
                except LanguageCodeError as exc:
                    raise ValueError(f'"lang": {exc}') from None
        except ValueError as exc:
            problems.append(Problem(name, str(exc), number))
            continue
        key = values["id"] or content_hash(body)[:16]
        if key in seen:
            problems.append(Problem(name, f"repeats the article of line {seen[key]} (id {key!r}); skipped", number))
            continue
        seen[key] = number
        paras = paragraphs(body)
        title = values["title"]  # the draft bounds it (article.py)
        if not title:
            title, paras = split_title(paras)
        drafts.append(ArticleDraft(
            paragraphs=paras, title=title, lang=values["lang"], date=values["date"],
            source=values["source"] or "", url=values["url"], id=values["id"], key=key, line=number,
        ))
    return drafts, problems
