"""Argos Translate packages on disk: read, validate, list, install (safely) and remove.

A package file (`.argosmodel`) is a zip archive with one top folder holding `metadata.json`
(from_code, to_code, package_version, ...), `model/` (a CTranslate2 model) and
`sentencepiece.model` (older packages: `bpe.model`). Installed, that folder lives directly in
the packages directory argostranslate uses (`ARGOS_PACKAGES_DIR`, else
`$XDG_DATA_HOME/argos-translate/packages`), under the zip's own top-folder name, so packages
installed by `argospm` and by newsreader are the same packages.

Installing never leaves a half-installed package: every member path is checked first (no
absolute paths, no `..`, no links or devices), the archive is extracted into a staging folder
inside the packages directory (same file system), the layout and metadata are validated there,
and only then is the folder renamed into place in one step.

A staging folder is recognisable beyond doubt, so that cleaning up after a killed install can
never delete anything else: its name is `.newsreader-staging-PID-RANDOM` and it holds a marker
file recording that very name. Only such folders, directly inside the packages directory,
are ever deleted; a folder that merely looks alike (no marker, a marker naming another folder,
a link) is left alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..article import MAX_TITLE_CHARS, field_text
from ..errors import NotFound
from ..langcodes import is_code
from ..small_files import SmallFileError, parse_json, read_small
from .errors import PackageError

METADATA = "metadata.json"
MAX_METADATA_BYTES = 1024 * 1024  # published ones are under 2 KB; 300 MB of whitespace costs nothing to refuse
MODEL_DIR = "model"
MODEL_FILE = "model.bin"  # what every CTranslate2 model folder holds
TOKENIZERS = ("sentencepiece.model", "bpe.model")  # preferred first, like argostranslate
MAX_UNPACKED_BYTES = 4 * 1024**3  # published Argos models are < 500 MB; refuse zip bombs
# Models barely compress (a CTranslate2 model.bin about 1.1x, a tokenizer 2-3x): an archive
# that unpacks to more than this many times its size is a zip bomb, whatever its total.
MAX_RATIO = 20
RATIO_FREE_BYTES = 16 * 1024**2  # small archives may expand more: their total stays small
MAX_MEMBERS = 10_000
_SAFE_FOLDER = re.compile(r"^[\w][\w.+-]{0,127}$")
# Staging folders carry the installing process's id, so the next install can tell the
# leftovers of a killed one (its process is gone) from another install still running.
_STAGING_PREFIX = ".newsreader-staging-"
_STAGING = re.compile(r"^\.newsreader-staging-(\d+)-[A-Za-z0-9_]+$")
STAGING_MARKER = ".newsreader-staging"  # inside it: {"folder": its own name, "pid": ..., "created": ...}
STALE_SECONDS = 3600  # a staging folder this old is a leftover, whatever its process
_PAIR_FOLDER = re.compile(r"^(?:translate-)?([a-z]{2,3})_([a-z]{2,3})(?:[-_.]|$)")


@dataclass(frozen=True)
class PackageInfo:
    """An installed translation package (one direction, e.g. tr -> en)."""

    name: str  # the argospm name: "translate-tr_en"
    from_code: str
    to_code: str
    version: str  # package_version from metadata.json, e.g. "1.0"
    path: Path  # the installed folder
    title: str = ""  # metadata "name", e.g. "Turkish - English"
    tokenizer: str = "sentencepiece.model"  # or "bpe.model" (older packages)
    target_prefix: str = ""  # metadata "target_prefix" (multilingual models), usually empty

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def key(self) -> str:
        """Identity of the model for the translation cache: name and version."""
        return f"{self.name}@{self.version}"

    def to_json(self) -> dict:
        return {"name": self.name, "from": self.from_code, "to": self.to_code, "version": self.version,
                "path": str(self.path), "title": self.title, "tokenizer": self.tokenizer}


def package_name(from_code: str, to_code: str) -> str:
    return f"translate-{from_code}_{to_code}"


def version_key(version: str) -> tuple:
    """Order "1.0" < "1.9" < "1.10"; unparsable versions sort first."""
    parts = re.findall(r"\d+", version)
    return (1, tuple(int(p) for p in parts)) if parts else (0, (version,))


def read_metadata(data: bytes | str, where: str) -> dict:
    try:
        meta = parse_json(data, "metadata.json")
    except SmallFileError as exc:  # bad JSON, nested too deeply, a 5,000-digit number
        raise PackageError(f"{where}: {exc}; this is a damaged package") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{where}: metadata.json must hold a JSON object")
    kind = meta.get("type", meta.get("package_type", "translate"))
    if kind != "translate":
        raise PackageError(f"{where}: this is a {str(kind)[:40]!r} package, not a translation package")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not is_code(value):
            raise PackageError(f"{where}: metadata.json has no valid {key} (a language code such as \"tr\")")
    version = meta.get("package_version", "")
    if not isinstance(version, str) or not version.strip():
        raise PackageError(f"{where}: metadata.json has no package_version")
    return meta


def read_package(folder: Path) -> PackageInfo:
    """Validate an unpacked package folder and describe it; PackageError says what is wrong."""
    folder = Path(folder)
    where = folder.name
    try:
        raw = read_small(folder / METADATA, MAX_METADATA_BYTES, "metadata.json")
    except FileNotFoundError:
        raise PackageError(f"{where}: no metadata.json (not an Argos Translate package)") from None
    except SmallFileError as exc:  # a link to /dev/zero, a FIFO, 300 MB: one line, no memory spent
        raise PackageError(f"{where}: {str(exc).split(': ', 1)[-1]}") from None
    meta = read_metadata(raw, where)
    if not (folder / MODEL_DIR / MODEL_FILE).is_file():
        raise PackageError(f"{where}: no model/{MODEL_FILE} (the CTranslate2 model is missing)")
    tokenizer = next((name for name in TOKENIZERS if (folder / name).is_file()), None)
    if tokenizer is None:
        raise PackageError(f"{where}: no sentencepiece.model or bpe.model (the tokenizer is missing)")
    from_code, to_code = meta["from_code"].strip().lower(), meta["to_code"].strip().lower()
    prefix = meta.get("target_prefix", "")
    return PackageInfo(
        name=package_name(from_code, to_code), from_code=from_code, to_code=to_code,
        version=field_text(meta["package_version"], 40, shorten=False), path=folder,
        title=field_text(str(meta.get("name", "")), MAX_TITLE_CHARS),
        tokenizer=tokenizer, target_prefix=prefix if isinstance(prefix, str) else "",
    )


def list_packages(packages_dir: Path, problems: list[str] | None = None) -> list[PackageInfo]:
    """Installed translation packages, sorted by pair then newest version first.

    Folders that are not usable packages are skipped; their one-line reasons are appended
    to `problems` when given.
    """
    packages_dir = Path(packages_dir)
    found: list[PackageInfo] = []
    try:
        entries = sorted(packages_dir.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise PackageError(f"cannot read the packages folder {packages_dir}: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            found.append(read_package(entry))
        except PackageError as exc:
            if problems is not None:
                problems.append(str(exc))
    found.sort(key=lambda p: (p.from_code, p.to_code, _neg(version_key(p.version)), p.path.name))
    return found


def _neg(key: tuple) -> tuple:
    kind, parts = key
    return (-kind, tuple(-p if isinstance(p, int) else p for p in parts))


# -- install -----------------------------------------------------------------------------------

def _check_members(archive: zipfile.ZipFile, where: str) -> str:
    """Refuse unsafe or malformed member lists; return the single top folder's name."""
    infos = archive.infolist()
    if not infos:
        raise PackageError(f"{where}: the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"{where}: the archive has {len(infos)} entries; refusing (at most {MAX_MEMBERS})")
    tops: set[str] = set()
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name.rstrip("/") in names:
            raise PackageError(f"{where}: damaged package: {name!r} appears twice in the archive")
        names.add(name.rstrip("/"))
        if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise PackageError(f"{where}: refusing unsafe path {name!r} in the archive")
        parts = PurePosixPath(name).parts
        if not parts or any(part in ("..", ".", "") for part in parts):
            raise PackageError(f"{where}: refusing unsafe path {name!r} in the archive")
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            what = "link" if kind == stat.S_IFLNK else "special file"
            raise PackageError(f"{where}: refusing {what} {name!r} in the archive")
        if info.flag_bits & 0x1:
            raise PackageError(f"{where}: {name!r} is encrypted; refusing")
        tops.add(parts[0])
        if len(parts) == 1 and not info.is_dir():
            raise PackageError(f"{where}: wrong layout: file {name!r} is not inside the package folder")
        if len(parts) == 2 and parts[1] == METADATA and info.file_size > MAX_METADATA_BYTES:
            raise PackageError(f"{where}: its metadata.json unpacks to {info.file_size / 1024**2:.0f} MB "
                               f"(at most {MAX_METADATA_BYTES // 1024} KB); refusing")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackageError(f"{where}: unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GB; refusing")
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FREE_BYTES and total > MAX_RATIO * max(packed, 1):
        raise PackageError(f"{where}: unpacks to {total / 1024**2:.0f} MB, {total // max(packed, 1)} times its "
                           f"size; refusing (a zip bomb?)")
    if len(tops) != 1:
        raise PackageError(f"{where}: wrong layout: expected one top folder, found {len(tops)} "
                           f"({', '.join(sorted(tops)[:4])})")
    top = tops.pop()
    if not _SAFE_FOLDER.match(top):
        raise PackageError(f"{where}: refusing package folder name {top!r}")
    return top


def _extract(archive: zipfile.ZipFile, dest: Path, where: str) -> None:
    root = dest.resolve()
    for info in archive.infolist():
        target = (root / info.filename).resolve()
        if target != root and root not in target.parents:  # belt and braces after _check_members
            raise PackageError(f"{where}: refusing unsafe path {info.filename!r} in the archive")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Reading the whole member makes zipfile check its CRC: corrupt data raises BadZipFile.
        with archive.open(info) as src, open(target, "xb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)


def _staging_dir(packages_dir: Path) -> Path:
    """A private folder inside packages_dir (same file system: the final rename is atomic), with
    the marker that makes it recognisable as newsreader's (see the module's docstring). Its name
    starts with a dot: newsreader's own listing skips it."""
    import time

    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=packages_dir))
        marker = {"folder": staging.name, "pid": os.getpid(), "created": time.time()}
        with open(staging / STAGING_MARKER, "x", encoding="utf-8") as out:
            json.dump(marker, out)
    except OSError as exc:
        raise PackageError(f"cannot write to the packages folder {packages_dir}: {exc.strerror or exc}") from None
    return staging


def _is_staging(entry: Path) -> bool:
    """Whether `entry` is a staging folder newsreader made: the name, a real folder (not a
    link), and a marker file inside that records this very name."""
    if not _STAGING.match(entry.name) or entry.is_symlink() or not entry.is_dir():
        return False
    marker = entry / STAGING_MARKER
    try:
        if marker.is_symlink() or not marker.is_file() or marker.stat().st_size > 4096:
            return False
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded.get("folder") == entry.name


def clean_stale_staging(packages_dir: Path) -> list[Path]:
    """Delete the staging folders killed installs left inside packages_dir (their process is
    gone, or they are older than STALE_SECONDS); those of installs still running stay, and so
    does everything that is not provably a staging folder. Returns what went."""
    import time

    gone: list[Path] = []
    try:
        entries = list(Path(packages_dir).iterdir())
    except OSError:
        return gone
    for entry in entries:
        named = _STAGING.match(entry.name)
        if named is None or not _is_staging(entry):
            continue
        try:
            age = time.time() - entry.stat().st_mtime
        except OSError:
            continue
        if _alive(int(named.group(1))) and age < STALE_SECONDS:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        gone.append(entry)
    return gone


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    return True


def _free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def _check_pair(top: str, info: "PackageInfo", final: Path, packages_dir: Path, where: str) -> None:
    """Refuse a package that would silently replace a different pair: its folder names one
    pair and its metadata another, or the folder it goes to holds another pair's package."""
    named = _PAIR_FOLDER.match(top.lower())
    if named and (named.group(1), named.group(2)) != (info.from_code, info.to_code):
        raise PackageError(f"{where}: damaged package: its folder {top} names {named.group(1)}→{named.group(2)} "
                           f"but its metadata.json says {info.from_code}→{info.to_code}; refusing")
    if final.is_dir():
        try:
            there = read_package(final)
        except PackageError:
            return  # a broken folder of the same name: replacing it repairs it
        if (there.from_code, there.to_code) != (info.from_code, info.to_code):
            raise PackageError(f"{where}: would replace the installed {there.from_code}→{there.to_code} package "
                               f"in {final.name} with {info.from_code}→{info.to_code}; refusing (remove it "
                               f"first with `newsreader models remove {there.pair}`)")


def install_package(file: str | os.PathLike, packages_dir: str | os.PathLike) -> PackageInfo:
    """Install an `.argosmodel` file; replaces an installed package of the same language pair.

    Raises PackageError (nothing is left behind) for a missing, non-zip, corrupt, unsafe or
    wrongly laid out file.
    """
    file, packages_dir = Path(file), Path(packages_dir).expanduser()
    where = file.name
    if not file.is_file():
        raise PackageError(f"{file}: no such package file")
    if not zipfile.is_zipfile(file):
        raise PackageError(f"{where}: not an Argos Translate package (not a zip archive)")
    try:
        packages_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"cannot create the packages folder {packages_dir}: {exc.strerror or exc}") from None
    clean_stale_staging(packages_dir)
    staging = _staging_dir(packages_dir)
    try:
        try:
            with zipfile.ZipFile(file) as archive:
                top = _check_members(archive, where)
                needed = sum(i.file_size for i in archive.infolist())
                free = _free_bytes(staging)
                if needed > free:
                    raise PackageError(f"{where}: unpacking needs {needed / 1024**2:.0f} MB free; only "
                                       f"{free / 1024**2:.0f} MB free in {packages_dir}")
                _extract(archive, staging, where)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise PackageError(f"{where}: the archive is corrupt ({exc})") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageError(f"{where}: the archive is corrupt ({exc})") from None
        except OSError as exc:
            raise PackageError(f"{where}: cannot unpack into {packages_dir}: {exc.strerror or exc}") from None
        unpacked = staging / top
        if not unpacked.is_dir():
            raise PackageError(f"{where}: wrong layout: {top!r} is not a folder")
        info = read_package(unpacked)
        _validate_model(unpacked, where)
        final = packages_dir / top
        _check_pair(top, info, final, packages_dir, where)
        replaced = [p for p in list_packages(packages_dir)
                    if p.from_code == info.from_code and p.to_code == info.to_code and p.path != final]
        _move_into_place(unpacked, final, staging)
        for old in replaced:  # another folder (an older version) served the same pair
            _discard(old.path, staging)
        return read_package(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _validate_model(folder: Path, where: str) -> None:
    config = folder / MODEL_DIR / "config.json"
    if config.exists():
        try:
            data = read_small(config, MAX_METADATA_BYTES, "model/config.json")
        except SmallFileError as exc:  # its message starts with the staging folder's path
            raise PackageError(f"{where}: {str(exc).split(': ', 1)[-1]}") from None
        try:
            parse_json(data, "model/config.json")
        except SmallFileError as exc:
            raise PackageError(f"{where}: {exc}") from None
    if (folder / MODEL_DIR / MODEL_FILE).stat().st_size == 0:
        raise PackageError(f"{where}: model/{MODEL_FILE} is empty")


def _move_into_place(unpacked: Path, final: Path, staging: Path) -> None:
    """Rename the validated folder into place; an existing folder is swapped out, not merged."""
    old = None
    if final.exists() or final.is_symlink():
        old = staging / ".previous"  # dot names never collide with a package's folder (_SAFE_FOLDER)
        os.rename(final, old)
    try:
        os.rename(unpacked, final)
    except OSError as exc:
        if old is not None:
            os.rename(old, final)  # put the previous version back
        raise PackageError(f"cannot install into {final.parent}: {exc.strerror or exc}") from None


def _discard(folder: Path, staging: Path) -> None:
    """Remove a package folder: renamed away first (atomic), then deleted."""
    trash = staging / f".discard-{folder.name}"
    try:
        os.rename(folder, trash)
    except OSError:
        trash = folder
    shutil.rmtree(trash, ignore_errors=True)


def find_package(packages_dir: Path, spec: str) -> list[PackageInfo]:
    """Installed packages matching "tr-en", "tr_en", "translate-tr_en" or a folder name."""
    spec = spec.strip()
    wanted = spec.lower()
    if wanted.startswith("translate-"):
        wanted = wanted[len("translate-"):]
    pair = re.fullmatch(r"([a-z]{2,3}(?:-[a-z0-9]+)?)[-_>]([a-z]{2,3}(?:-[a-z0-9]+)?)", wanted)
    matches = []
    for package in list_packages(packages_dir):
        if package.path.name == spec:
            matches.append(package)
        elif pair and (package.from_code, package.to_code) == pair.groups():
            matches.append(package)
    return matches


def remove_package(packages_dir: str | os.PathLike, spec: str) -> list[PackageInfo]:
    """Remove the installed package(s) for a pair ("tr-en") or a folder name; NotFound if none."""
    packages_dir = Path(packages_dir).expanduser()
    matches = find_package(packages_dir, spec)
    if not matches:
        installed = ", ".join(sorted({p.pair for p in list_packages(packages_dir)})) or "none"
        raise NotFound(f"no installed translation package {spec!r} (installed: {installed}); "
                       f"give a pair such as tr-en")
    staging = _staging_dir(packages_dir)
    try:
        for package in matches:
            _discard(package.path, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return matches

