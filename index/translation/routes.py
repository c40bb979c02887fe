"""Routes: which installed package(s) translate from one language to another.

A direct package wins; otherwise two packages pivot through English (tr -> en -> de), as
Argos Translate does. With no route, the message names the packages to install.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..langcodes import PIVOT, LanguageCodeError, is_undetermined, normalize
from .errors import INSTALL_HINT, NoRoute, TranslationError, UndeterminedLanguage
from .packages import PackageInfo, package_name, version_key


@dataclass(frozen=True)
class Route:
    from_code: str
    to_code: str
    steps: tuple[PackageInfo, ...]  # empty: the text is already in the target language

    @property
    def description(self) -> str:
        if not self.steps:
            return f"{self.from_code} (already {self.to_code}; nothing to translate)"
        codes = [self.steps[0].from_code] + [step.to_code for step in self.steps]
        labels = ", ".join(step.label for step in self.steps)
        via = f" via {', '.join(codes[1:-1])}" if len(codes) > 2 else ""
        return f"{'→'.join(codes)}{via} ({labels})"

    @property
    def key(self) -> str:
        """What the cache keys translations by: every package's name and version, in order."""
        return ">".join(step.key for step in self.steps) or f"identity:{self.from_code}"

    def to_json(self) -> dict:
        return {"from": self.from_code, "to": self.to_code, "description": self.description,
                "steps": [{"name": s.name, "version": s.version, "from": s.from_code, "to": s.to_code}
                          for s in self.steps]}


def normalize_lang(code: str | None, role: str = "language") -> str:
    """'TR', 'tr_TR', 'pt-BR' -> 'tr', 'tr', 'pt'; raises TranslationError for und/unknown codes."""
    try:
        return normalize(code, allow_und=False)
    except LanguageCodeError as exc:
        if is_undetermined(code):
            raise UndeterminedLanguage(
                f"the {role} is undetermined ({(code or '').strip() or 'und'}): newsreader could not tell which "
                f"language the text is in, so no model can be chosen") from None
        raise TranslationError(f"unknown language ({role}): {exc}") from None


def find_route(packages: Sequence[PackageInfo], from_lang: str, to_lang: str) -> Route:
    source = normalize_lang(from_lang, "source language")
    target = normalize_lang(to_lang, "target language")
    if source == target:
        return Route(source, target, ())
    best: dict[tuple[str, str], PackageInfo] = {}
    for package in packages:  # the newest version of each pair
        pair = (package.from_code, package.to_code)
        if pair not in best or version_key(package.version) > version_key(best[pair].version):
            best[pair] = package
    direct = best.get((source, target))
    if direct is not None:
        return Route(source, target, (direct,))
    first, second = best.get((source, PIVOT)), best.get((PIVOT, target))
    if first is not None and second is not None:
        return Route(source, target, (first, second))
    raise NoRoute(_no_route_message(source, target, first, second, bool(packages)))


def _no_route_message(source: str, target: str, first, second, any_installed: bool) -> str:
    direct = package_name(source, target)
    if PIVOT in (source, target):
        need = direct
    elif first is not None:
        need = f"{direct}, or {package_name(PIVOT, target)} to pivot through {PIVOT} ({first.name} is installed)"
    elif second is not None:
        need = f"{direct}, or {package_name(source, PIVOT)} to pivot through {PIVOT} ({second.name} is installed)"
    else:
        need = f"{direct} or {package_name(source, PIVOT)} + {package_name(PIVOT, target)}"
    head = f"no {source}→{target} model installed" if any_installed else "no translation models installed"
    return f"{head}; install {need} with {INSTALL_HINT}"
