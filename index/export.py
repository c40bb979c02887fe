"""Markdown documents of what the library holds: one article beside its translation, or a
whole event's coverage (every report with its source, language, date, translation, and what
it adds that the other reports do not say).

Text from articles is data: Markdown's special characters are escaped, so a title holding
`[link](...)`, `<script>` or `# heading` shows as written in any Markdown viewer. The
translating is the caller's (`Translate`), so this module needs no model runtime.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .article import Article
from .errors import NotFound

# (paragraphs, from language) -> the translated paragraphs, or a reason there are none.
Translate = Callable[[Sequence[str], str], "list[str] | str"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_LIST_START = re.compile(r"^([-=])|^(\d+)\.")  # "- x", "= x", "1. x" would start a list or heading
MAX_PAIRWISE = 12  # above this many reports, what each adds is measured against the first report only


def md(text: str | None) -> str:
    """Article text as literal Markdown (inline: no line breaks)."""
    text = " ".join((text or "").split())
    text = _SPECIAL.sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\.", text)


@dataclass
class Document:
    text: str
    problems: list[str]  # e.g. a translation that was not possible


def _meta(article: Article) -> list[str]:
    lines = [f"- id: `{article.id}`", f"- language: {article.lang}"]
    if article.source:
        lines.append(f"- source: {md(article.source)}")
    if article.date:
        lines.append(f"- date: {article.date}")
    if article.url:
        lines.append(f"- url: <{article.url.replace('>', '%3E').replace(' ', '%20')}>")
    return lines


def _translated(article: Article, target: str | None, translate: Translate | None,
                problems: list[str]) -> list[str] | None:
    """The translated title + paragraphs, or None (no target, same language, or not possible)."""
    if not target or translate is None or article.lang == target:
        return None
    result = translate([article.title, *article.paragraphs], article.lang)
    if isinstance(result, str):
        problems.append(f"{article.id}: no translation to {target}: {result}")
        return None
    return list(result)


def _side_by_side(article: Article, translated: list[str] | None, target: str | None, level: str) -> list[str]:
    lines = []
    if translated is None:
        for paragraph in article.paragraphs:
            lines += [md(paragraph), ""]
        return lines
    lines += [f"{level} {md(translated[0])}", "",
              f"| {article.lang} | {target} |", "| --- | --- |"]
    for paragraph, translation in zip(article.paragraphs, translated[1:], strict=False):  # a short answer: rows end
        lines.append(f"| {md(paragraph)} | {md(translation)} |")
    lines.append("")
    return lines


def article_markdown(article: Article, *, target: str | None = None,
                     translate: Translate | None = None) -> Document:
    """An article, with its translation into `target` side by side (one table row a paragraph)."""
    problems: list[str] = []
    translated = _translated(article, target, translate, problems)
    lines = [f"# {md(article.title)}", "", *_meta(article), ""]
    lines += _side_by_side(article, translated, target, "##")
    return Document("\n".join(lines).rstrip() + "\n", problems)


def event_markdown(library, event_id: str, *, target: str | None = None,
                   translate: Translate | None = None) -> Document:
    """Every report of an event, earliest first, each with its translation and what it adds."""
    event = library.event(event_id)
    articles = [library.get(i) for i in event.members]
    problems: list[str] = []
    dates = "–".join(sorted({d for d in (event.first_date, event.last_date) if d})) or "undated"
    lines = [f"# {md(event.label)}", "",
             f"{len(articles)} reports · {', '.join(event.languages)} · {dates} · event `{event.id}`", ""]
    lines += [f"{n}. {md(a.title)} — {md(a.source) or '-'}, {a.lang}, {a.date or 'undated'} (`{a.id}`)"
              for n, a in enumerate(articles, 1)]
    lines.append("")
    adds = _what_each_adds(library, [a.id for a in articles])
    for n, article in enumerate(articles, 1):
        lines += [f"## {n}. {md(article.title)}", "", *_meta(article), ""]
        role = event.roles.get(article.id)
        if role:
            lines += [f"*A {role[0]} of `{role[1]}`.*", ""]
        translated = _translated(article, target, translate, problems)
        lines += _side_by_side(article, translated, target, "###")
        lines += _adds_block(adds.get(article.id))
    return Document("\n".join(lines).rstrip() + "\n", problems)


def _what_each_adds(library, ids: list[str]) -> dict[str, dict[str, list[str]]]:
    """For each report, what it says that no other report of the event says (by
    `Library.compare`, the same analysis as `newsreader compare`)."""
    if len(ids) < 2:
        return {}
    kinds = ("names", "numbers", "dates", "quotes", "sentences")
    adds: dict[str, dict[str, list[str]]] = {}
    for i, article_id in enumerate(ids):
        others = [o for o in ids if o != article_id]
        if len(ids) > MAX_PAIRWISE:
            others = [ids[0]] if i else [ids[1]]
        found: dict[str, list[str]] | None = None
        for other in others:
            side = library.compare(article_id, other).only_first
            values = {kind: list(getattr(side, kind)) for kind in kinds}
            found = values if found is None else {k: [v for v in found[k] if v in values[k]] for k in kinds}
        adds[article_id] = found or {}
    return adds


def _adds_block(adds: dict[str, list[str]] | None) -> list[str]:
    if adds is None:
        return []
    lines = ["### What it adds", ""]
    labels = {"names": "Names", "numbers": "Numbers", "dates": "Dates"}
    for kind, label in labels.items():
        if adds.get(kind):
            lines.append(f"- {label}: {', '.join(md(v) for v in adds[kind][:20])}")
    for quote in adds.get("quotes", []):
        lines.append(f"- Quote: “{md(quote)}”")
    for sentence in adds.get("sentences", []):
        lines.append(f"- {md(sentence)}")
    if len(lines) == 2:
        lines.append("- Nothing the other reports do not say.")
    return lines + [""]


def export(library, target_id: str, *, target: str | None = None, translate: Translate | None = None) -> Document:
    """An article (by id) or an event (by event id) as Markdown."""
    try:
        article = library.get(target_id)
    except NotFound:
        try:
            return event_markdown(library, target_id, target=target, translate=translate)
        except NotFound:
            raise NotFound(f"no article or event with id {target_id!r}; `newsreader list` and "
                           "`newsreader events` show them") from None
    return article_markdown(article, target=target, translate=translate)
