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

from ..langcodes import is_code
from .errors import PackageError, TranslationError
from .packages import PackageInfo, install_package, package_name

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_INDEX_BYTES = 8 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024**3
TIMEOUT_S = 30.0
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")

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


def _client(timeout: float = TIMEOUT_S):
    import httpx

    from ..feeds.fetcher import user_agent

    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5,
                        headers={"User-Agent": user_agent()})


def _http_error(exc: Exception, url: str) -> str:
    from ..feeds.fetcher import describe

    return describe(exc, url)


def read_index(data: bytes, where: str) -> list[IndexedPackage]:
    try:
        items = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TranslationError(f"the package index {where} is not JSON ({exc}); check the URL") from None
    if not isinstance(items, list):
        raise TranslationError(f"the package index {where} is not a list of packages; check the URL")
    found: dict[tuple[str, str], IndexedPackage] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        from_code, to_code = str(item.get("from_code", "")), str(item.get("to_code", ""))
        links = tuple(str(u) for u in item.get("links") or () if str(u).startswith(("http://", "https://")))
        if not (is_code(from_code) and is_code(to_code) and links):
            continue  # an entry newsreader cannot use; the others still are
        size = item.get("size")
        digest = item.get("sha256") or item.get("checksum")
        package = IndexedPackage(
            package_name(from_code, to_code), from_code, to_code, str(item.get("package_version", "0")),
            f"{item.get('from_name', from_code)} → {item.get('to_name', to_code)}", links,
            size if isinstance(size, int) and size > 0 else None,
            digest.lower() if isinstance(digest, str) and _HEX64.match(digest) else None)
        old = found.get((from_code, to_code))
        if old is None or _version(package.version) > _version(old.version):
            found[(from_code, to_code)] = package
    return sorted(found.values(), key=lambda p: (p.from_code, p.to_code))


def _version(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r"[._-]", text))


def fetch_index(url: str) -> list[IndexedPackage]:
    """The index at `url` (http(s), or a local path for offline mirrors)."""
    import httpx

    if not url.startswith(("http://", "https://")):
        try:
            return read_index(Path(url).expanduser().read_bytes(), url)
        except OSError as exc:
            raise TranslationError(f"cannot read the package index {url} ({exc.strerror or exc})") from None
    try:
        with _client() as http, http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise TranslationError(f"cannot download the package index {url}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_INDEX_BYTES:
                    raise TranslationError(f"the package index {url} is larger than "
                                           f"{MAX_INDEX_BYTES // 1_048_576} MB; check the URL")
    except httpx.HTTPError as exc:
        raise TranslationError(f"cannot download the package index {url}: {_http_error(exc, url)}; "
                               "install a package file with `newsreader models install FILE.argosmodel`") from None
    return read_index(bytes(body), url)


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
    import httpx

    folder.mkdir(parents=True, exist_ok=True)
    part = folder / (package.file_name + ".part")
    url = package.links[0]
    have = part.stat().st_size if part.exists() else 0
    if package.size is not None and have > package.size:
        part.unlink()
        have = 0
    headers = {"Accept-Encoding": "identity"}  # the bytes as published: the checksum is of those
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        with _client() as http, http.stream("GET", url, headers=headers) as response:
            if response.status_code == 416:  # nothing left to send: the .part is (over)complete
                response.read()
            elif response.status_code >= 400:
                raise PackageError(f"cannot download {package.name} from {url}: HTTP {response.status_code}")
            else:
                resumed = response.status_code == 206
                if not resumed:
                    have = 0  # the server sends the whole file: start again cleanly
                total = package.size
                if total is None and response.headers.get("content-length", "").isdigit():
                    total = int(response.headers["content-length"]) + have
                if total is not None and total > MAX_PACKAGE_BYTES:
                    raise PackageError(f"{package.name} is larger than {MAX_PACKAGE_BYTES // 1024**3} GB; not downloaded")
                with open(part, "ab" if resumed else "wb") as out:
                    done = have
                    if progress:
                        progress(done, total)
                    for chunk in response.iter_raw():
                        out.write(chunk)
                        done += len(chunk)
                        if done > (package.size or MAX_PACKAGE_BYTES):
                            raise PackageError(f"{package.name}: the server sent more than the index says "
                                               f"({package.size or MAX_PACKAGE_BYTES} bytes); not installed")
                        if progress:
                            progress(done, total)
    except httpx.HTTPError as exc:
        raise PackageError(f"the download of {package.name} was interrupted ({_http_error(exc, url)}); "
                           "run the same command again to resume it") from None
    except OSError as exc:
        raise PackageError(f"cannot write {part}: {exc.strerror or exc}") from None
    size = part.stat().st_size
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
