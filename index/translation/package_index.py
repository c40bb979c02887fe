"""The Argos package index without argostranslate: its JSON read over HTTP (httpx), and
packages downloaded with a progress callback, size and checksum checks where the index gives
them, and a clean retry after an interrupted download, then installed by the same safe
install as a file (`packages.install_package`).

The index is a JSON list of packages: `from_code`, `to_code`, `package_version`, `links`
(download URLs), optional `from_name`, `to_name`, `type` (only "translate" is used) and,
where given, `size` (bytes) and `sha256` (or `checksum`).

An interrupted download leaves `NAME.part` in the download folder; the next try asks for
the rest (an HTTP Range request) and starts again from zero when the server does not resume.
Only a complete file whose size and checksum match is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import http_download
from ..http_download import BadURL, Limits, check_url, printable
from ..langcodes import is_code, normalize
from .errors import PackageError, TranslationError
from .packages import PackageInfo, install_package, package_name

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_INDEX_BYTES = 8 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024**3
TIMEOUT_S = 30.0  # the index's whole download; a package's longest wait for a byte
MIN_BYTES_PER_S = 4096  # a package arriving slower than this over TIMEOUT_S is cut off
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}\Z")
_VERSION = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}\Z")

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


@dataclass(frozen=True)
class IndexedPackage:
    name: str  # translate-tr_en
    from_code: str
    to_code: str
    version: str
    title: str
    links: tuple[str, ...]
    size: int | None = None
    sha256: str | None = None

    @property
    def file_name(self) -> str:
        return f"{self.name}-{self.version.replace('.', '_')}.argosmodel"

    def to_json(self) -> dict:
        return {"name": self.name, "from": self.from_code, "to": self.to_code, "version": self.version,
                "title": self.title, "size": self.size, "sha256": self.sha256, "links": list(self.links)}


def _limits() -> Limits:
    return Limits(timeout_s=TIMEOUT_S, max_bytes=MAX_INDEX_BYTES)


def read_index(data: bytes, where: str) -> list[IndexedPackage]:
    """The usable packages an index lists. A broken entry (a field of the wrong type, a version
    that is not numbers and dots, a link that is not an http(s) URL) is skipped, the others
    still count; an index with entries but none usable is one line naming the first problem."""
    try:
        items = json.loads(data)
    except RecursionError:
        raise TranslationError(f"the package index {where} is nested too deeply to be one; check the URL") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise TranslationError(f"the package index {where} is not JSON ({printable(exc, 100)}); "
                               "check the URL") from None
    if not isinstance(items, list):
        raise TranslationError(f"the package index {where} is not a list of packages; check the URL")
    found: dict[tuple[str, str], IndexedPackage] = {}
    skipped: list[str] = []
    for number, item in enumerate(items, 1):
        try:
            package = _entry(item)
        except ValueError as exc:
            skipped.append(f"entry {number}: {exc}")
            continue
        if package is None:
            continue
        old = found.get((package.from_code, package.to_code))
        if old is None or _version(package.version) > _version(old.version):
            found[(package.from_code, package.to_code)] = package
    if not found and skipped:
        raise TranslationError(f"the package index {where} lists no package newsreader can use "
                               f"({skipped[0]}; {len(skipped)} broken entries); check the URL")
    return sorted(found.values(), key=lambda p: (p.from_code, p.to_code))


def _entry(item) -> IndexedPackage | None:
    """One entry of the index; None for one of another type; ValueError saying what is wrong."""
    if not isinstance(item, dict):
        raise ValueError("not an object")
    if item.get("type", "translate") != "translate":
        return None
    codes = []
    for field_name in ("from_code", "to_code"):
        value = item.get(field_name)
        if not isinstance(value, str) or not is_code(value[:40]):
            raise ValueError(f"{field_name} is not a language code")
        codes.append(normalize(value[:40]))
    from_code, to_code = codes
    links = item.get("links")
    if not isinstance(links, list):
        raise ValueError("links is not a list")
    usable: list[str] = []
    for link in links[:20]:
        try:
            if isinstance(link, str):
                usable.append(check_url(link))
        except BadURL:
            continue
    if not usable:
        raise ValueError("no http(s) link")
    version = item.get("package_version", "0")
    if isinstance(version, bool) or not isinstance(version, (str, int, float)):
        raise ValueError("package_version is not a version")
    version = str(version)
    if not _VERSION.match(version):  # it becomes part of a file name
        raise ValueError(f"package_version {printable(version, 20)!r} is not numbers and dots")
    size = item.get("size")
    size = size if type(size) is int and 0 < size <= MAX_PACKAGE_BYTES else None  # bool is an int too
    digest = item.get("sha256") or item.get("checksum")
    return IndexedPackage(
        package_name(from_code, to_code), from_code, to_code, version,
        f"{_label(item.get('from_name'), from_code)} → {_label(item.get('to_name'), to_code)}", tuple(usable),
        size, digest.lower() if isinstance(digest, str) and _HEX64.match(digest) else None)


def _label(name, code: str) -> str:
    """A language's name as the index gives it, fit to show; its code when there is none."""
    if not isinstance(name, str):
        return code
    name = "".join(c for c in name if c.isprintable())[:40].strip()
    return name or code


def _version(text: str) -> tuple:
    return tuple(int(part) for part in text.split("."))


def fetch_index(url: str) -> list[IndexedPackage]:
    """The index at `url` (http(s), or a local path for offline mirrors)."""
    if not url.startswith(("http://", "https://")):
        try:
            return read_index(Path(url).expanduser().read_bytes(), url)
        except OSError as exc:
            raise TranslationError(f"cannot read the package index {url} ({exc.strerror or exc})") from None
    try:
        got = http_download.get(url, _limits(), {"Accept": "application/json"})
    except http_download.TooLarge:
        raise TranslationError(f"the package index {printable(url)} is larger than "
                               f"{MAX_INDEX_BYTES // 1_048_576} MB; check the URL") from None
    except http_download.DownloadError as exc:
        raise TranslationError(f"cannot download the package index {printable(url)}: {exc}; "
                               "install a package file with `newsreader models install FILE.argosmodel`") from None
    if got.status >= 300:
        raise TranslationError(f"cannot download the package index {printable(url)}: HTTP {got.reason}")
    return read_index(got.body, printable(url))


def find(packages: list[IndexedPackage], spec: str) -> IndexedPackage:
    """By name ("translate-tr_en") or pair ("tr-en", "tr_en")."""
    wanted = spec.strip().lower().replace("_", "-").removeprefix("translate-")
    for package in packages:
        if f"{package.from_code}-{package.to_code}" == wanted:
            return package
    raise TranslationError(f"no package {spec!r} in the package index; see `newsreader models available`")


def download(package: IndexedPackage, folder: Path, progress: Progress | None = None) -> Path:
    """Download into `folder` (resuming a `.part` left by an interrupted try); returns the
    complete, checked file. Raises PackageError with one line on any failure; a partial file
    stays for the next try, a file that fails its checks is deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / (package.file_name + ".part")
    url = package.links[0]
    have = part.stat().st_size if part.exists() else 0
    if package.size is not None and have > package.size:
        part.unlink()
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    bound = package.size or MAX_PACKAGE_BYTES
    done = have

    def sink(answer: http_download.Response):
        """Where the body goes, once the answer says whether it resumes."""
        nonlocal done
        if answer.status == 206:
            mode = "ab"
        else:
            mode, done = "wb", 0  # the server sends the whole file: start again cleanly
        declared = answer.headers.get("content-length", "")
        total = package.size
        if total is None and re.fullmatch(r"[0-9]{1,19}", declared):
            total = int(declared) + done
        if total is not None and total > MAX_PACKAGE_BYTES:
            raise PackageError(f"{package.name} is larger than {MAX_PACKAGE_BYTES // 1024**3} GB; not downloaded")
        out = open(part, mode)
        files.append(out)
        if progress:
            progress(done, total)

        def write(piece: bytes) -> None:
            nonlocal done
            done += len(piece)
            if done > bound:
                raise PackageError(too_much)
            out.write(piece)
            if progress:
                progress(done, total)
        return write

    files: list = []
    # A whole deadline in proportion to the size, and a floor on the speed: a server that drips
    # a byte a second is cut off after a minute, not when the size would be reached.
    too_much = f"{package.name}: the server sent more than the index says ({bound} bytes); not installed"
    limits = Limits(timeout_s=TIMEOUT_S + bound / MIN_BYTES_PER_S, max_bytes=bound,
                    stall_s=TIMEOUT_S, min_bytes_per_s=MIN_BYTES_PER_S)
    try:
        got = http_download.get(url, limits, headers, sink=sink, raw=True)
        if got.status >= 300 and got.status != 416:  # 416: nothing left to send, the .part is (over)complete
            raise PackageError(f"cannot download {package.name} from {printable(url)}: HTTP {got.reason}")
    except http_download.TooLarge:
        raise PackageError(too_much) from None
    except http_download.DownloadError as exc:
        raise PackageError(f"the download of {package.name} was interrupted ({exc}); "
                           "run the same command again to resume it") from None
    except OSError as exc:
        raise PackageError(f"cannot write {part}: {exc.strerror or exc}") from None
    finally:
        for out in files:
            out.close()
    try:
        size = part.stat().st_size
    except OSError:
        raise PackageError(f"the download of {package.name} came back empty; run the same command again") from None
    if package.size is not None and size != package.size:
        if size > package.size:
            part.unlink()
        raise PackageError(f"the download of {package.name} is incomplete ({size} of {package.size} bytes); "
                           "run the same command again to resume it")
    if package.sha256 is not None:
        digest = hashlib.sha256()
        with open(part, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != package.sha256:
            part.unlink()
            raise PackageError(f"the download of {package.name} does not match the index's checksum; "
                               "it was deleted: run the command again")
    done_file = folder / package.file_name
    os.replace(part, done_file)
    return done_file


def install(package: IndexedPackage, packages_dir: Path, downloads: Path,
            progress: Progress | None = None) -> PackageInfo:
    """Download (or resume) then install safely; the downloaded file is removed once installed."""
    file = download(package, downloads, progress)
    try:
        return install_package(file, packages_dir)
    finally:
        file.unlink(missing_ok=True)
