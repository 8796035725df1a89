"""Installed content packs: install from a folder or a zip file, switch, roll back.

Everything lives in one packs folder (``paths.app_paths().packs_dir``; every
function takes it as a parameter, so tests and the staff panel choose it)::

    state.json       {"current": NAME | null, "previous": NAME | null}
    store/NAME/      one installed pack each: deck.json, i18n/, media
    .staging-XXXX/   a pack being copied and checked; the app never reads it
    .lock            held while an install or a roll-back runs

An install copies (or unpacks) the source into a staging folder beside
``store/``, on the same file system, validates that copy in full (never the
source: a USB stick may change or vanish while it is read), moves it into
``store/`` with one rename and then replaces ``state.json``. That replace is
the switch: a failure or an interruption at any point before it leaves the
running content exactly as it was, and the next install removes what an
interrupted one left behind. Only the current and the previous pack are kept.

A zip file is untrusted input: names that could lead outside the pack, links,
duplicates, and anything that unpacks to far more than it looks are refused
before a byte is written, and sizes are counted again while unpacking.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.commands import print_problems
from taixin_kiosk.content.packs.state import (
    NAME_RE,
    STATE_FILE,
    STORE_DIR,
    PackState,
    installed_candidates,
    read_state,
)
from taixin_kiosk.content.problems import (
    INSTALL,
    Problem,
    errors_in,
    problem,
    warnings_in,
)
from taixin_kiosk.content.schema import short_repr
from taixin_kiosk.system.files import fsync_folder, remove_leftovers, write_atomic
from taixin_kiosk.system.locks import held

if TYPE_CHECKING:
    import zipfile
    from datetime import datetime

# The zip, hashing and date modules are imported only by the functions that
# install or list packs (the app reads which pack is installed from
# packstate.py at every start).

log = logging.getLogger("taixin_kiosk.packs")

CODES: tuple[str, ...] = (
    "source_missing",
    "source_kind",
    "source_link",
    "source_special",
    "read_failed",
    "not_zip",
    "zip_directory_too_large",
    "zip_entry_corrupt",
    "zip_encrypted",
    "zip_method",
    "zip_link",
    "zip_special",
    "zip_duplicate",
    "zip_case_collision",
    "zip_file_folder",
    "zip_ratio",
    "zip_size_mismatch",
    "zip_no_deck",
    "name_absolute",
    "name_drive",
    "name_backslash",
    "name_parent",
    "name_invalid",
    "too_many",
    "too_large",
    "write_failed",
    "check_failed",
    "busy",
    "no_previous",
    "internal_error",
)

LOCK_FILE = ".lock"
STAGING_PREFIX = ".staging-"
DECK_FILE = "deck.json"

MAX_ENTRIES = 5000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
# A zip's table of contents is read whole into memory before any entry can be
# counted; a content pack's is a few hundred kilobytes at most.
MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
MAX_NAME_BYTES = 255  # one part of a path, on every common file system
MAX_PATH_CHARS = 1024
CHUNK = 64 * 1024

# Made by macOS's "Compress": resource forks beside the real files, never content.
MACOS_JUNK = "__MACOSX"
# Stored, deflate, bzip2, LZMA: the methods zipfile can unpack.
_ZIP_METHODS = frozenset({0, 8, 12, 14})
_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
)
_FORBIDDEN_CHARS = frozenset('<>:"|?*')
_NAME_RE = NAME_RE
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_STAMP_RE = re.compile(r"-(\d{8}T\d{6}Z)-[0-9a-f]{8}(?:-\d+)?\Z")
_UNKNOWN = "—"  # how a missing value shows in a message, as in the loader


def _problem(file: str, code: str, **params: object) -> Problem:
    """A problem with the install itself (the source, the zip file, the disk)
    rather than with the pack's content: ``cli.pack.problem.<code>``, printed
    as ``FILE: message``; ``file`` is the source or the packs folder."""
    return problem(INSTALL, file, code, **params)


class InstallResult(NamedTuple):
    """What an install did. ``folder`` is set only when the pack was installed
    and is now current; ``problems`` then holds only warnings."""

    name: str | None = None
    folder: Path | None = None
    deck_id: str = ""
    version: str = ""
    slides: int = 0
    locales: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.folder is not None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings_in(self.problems)


class InstalledPack(NamedTuple):
    """One pack in ``store/``, as the staff panel lists it."""

    name: str
    folder: Path
    deck_id: str
    version: str
    installed: datetime | None  # UTC, from the folder's name
    current: bool


class RollbackResult(NamedTuple):
    """The current and previous pack after a roll-back, or why there was none."""

    current: InstalledPack | None = None
    previous: InstalledPack | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.current is not None and not self.problems


class _Refusal(Exception):
    """Stops an install; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(len(problems))
        self.problems = problems


class _DirectoryTooLarge(Exception):
    pass


@functools.cache
def _zip_errors() -> tuple[type[BaseException], ...]:
    """Everything zipfile and its decompressors raise on a damaged or hostile file."""
    import lzma
    import struct
    import zipfile
    import zlib

    return (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, OverflowError, IndexError, KeyError,
            struct.error, zlib.error, lzma.LZMAError)


# -- public API ----------------------------------------------------------------


def install_pack(source: Path, packs_dir: Path) -> InstallResult:
    """Installs the pack at ``source`` (a folder, or a zip file of one) and makes it current.

    Never raises for anything on disk: a refused, invalid or failed install
    returns the problems and leaves ``packs_dir`` as it was.
    """
    source, packs_dir = Path(source), Path(packs_dir)
    shown = str(source)
    try:
        with _locked(packs_dir, shown):
            return _install(source, packs_dir, shown)
    except _Refusal as refusal:
        return InstallResult(problems=tuple(refusal.problems))
    except OSError as error:
        return InstallResult(problems=(_write_problem(shown, packs_dir, error),))
    except Exception as error:
        # The kiosk must keep running on its current content: any bug left
        # here becomes one more problem, as in the loader.
        log.exception("install of %s failed", source)
        return InstallResult(problems=(_problem(shown, "internal_error",
                                                error=type(error).__name__),))


def rollback(packs_dir: Path) -> RollbackResult:
    """Makes the previous pack current again, and the current one previous."""
    packs_dir = Path(packs_dir)
    shown = str(packs_dir)
    store = packs_dir / STORE_DIR
    if not packs_dir.is_dir():
        return RollbackResult(problems=(_problem(shown, "no_previous"),))
    try:
        with _locked(packs_dir, shown):
            state = read_state(packs_dir)
            back_to = state.previous
            if back_to is None or not (store / back_to).is_dir():
                raise _Refusal([_problem(shown, "no_previous")])
            current = state.current if state.current and (store / state.current).is_dir() else None
            _write_state(packs_dir, PackState(back_to, current))
    except _Refusal as refusal:
        return RollbackResult(problems=tuple(refusal.problems))
    except OSError as error:
        return RollbackResult(problems=(_write_problem(shown, packs_dir, error),))
    return RollbackResult(
        _describe(store / back_to, True),
        _describe(store / current, False) if current else None,
    )


def installed_packs(packs_dir: Path) -> list[InstalledPack]:
    """The current pack, then the previous one (those that exist); never raises."""
    state = read_state(packs_dir)
    return [
        _describe(folder, folder.name == state.current)
        for folder in installed_candidates(packs_dir)
    ]


# -- command line --------------------------------------------------------------


def cmd_install_pack(cat: Catalogue, source: Path, packs_dir: Path) -> int:
    result = install_pack(source, packs_dir)
    if not result.ok:
        print_problems(cat.text, result.problems)
        print(cat.text("cli.pack.unchanged"), file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning.format(cat.text), file=sys.stderr)
    print(cat.text("cli.pack.installed", pack=result.deck_id, version=result.version,
                   slides=result.slides, locales=", ".join(result.locales),
                   folder=str(result.folder)))
    return 0


def cmd_rollback_pack(cat: Catalogue, packs_dir: Path) -> int:
    result = rollback(packs_dir)
    if not result.ok or result.current is None:
        print_problems(cat.text, result.problems)
        return 1
    pack = result.current
    print(cat.text("cli.pack.rolled_back", pack=pack.deck_id or _UNKNOWN,
                   version=pack.version or _UNKNOWN, installed=_show_time(pack.installed)))
    return 0


def cmd_list_packs(cat: Catalogue, packs_dir: Path) -> int:
    packs = installed_packs(packs_dir)
    if not packs:
        print(cat.text("cli.pack.list.none"))
        return 0
    for pack in packs:
        key = "cli.pack.list.current" if pack.current else "cli.pack.list.previous"
        print(cat.text(key, pack=pack.deck_id or _UNKNOWN, version=pack.version or _UNKNOWN,
                       installed=_show_time(pack.installed), name=pack.name))
    print(cat.text("cli.pack.list.folder", folder=str(packs_dir)))
    return 0


def _show_time(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when is not None else _UNKNOWN


# -- the install ---------------------------------------------------------------


def _install(source: Path, packs_dir: Path, shown: str) -> InstallResult:
    # The loader's imports are not needed to list packs.
    from taixin_kiosk.content.validate import validate

    store = packs_dir / STORE_DIR
    store.mkdir(exist_ok=True)
    _clean_leftovers(packs_dir)
    staging = packs_dir / f"{STAGING_PREFIX}{os.urandom(8).hex()}"
    staging.mkdir()
    try:
        digest = _copy_in(source, staging, shown)
        try:
            result = validate(staging)
        except OSError as error:
            raise _Refusal([_problem(shown, "check_failed", reason=_reason(error))]) from error
        if result.pack is None:
            raise _Refusal(list(result.problems))
        deck = result.pack.deck
        name = _unique_name(store, deck.id, deck.version, digest)
        target = store / name
        os.replace(staging, target)
    except BaseException:
        _remove(staging)
        raise
    fsync_folder(store)
    old = read_state(packs_dir)
    previous = next((n for n in (old.current, old.previous)
                     if n is not None and n != name and (store / n).is_dir()), None)
    try:
        _write_state(packs_dir, PackState(name, previous))
    except BaseException:
        if read_state(packs_dir).current != name:
            _remove(target)
        raise
    _prune(store, {name, previous})
    return InstallResult(name, target, deck.id, deck.version, len(deck.slides),
                         tuple(result.pack.locales), result.warnings)


def _copy_in(source: Path, staging: Path, shown: str) -> str:
    """Copies or unpacks ``source`` into ``staging``; returns a checksum of what was written."""
    import hashlib

    try:
        mode = source.stat().st_mode
    except FileNotFoundError as error:
        raise _Refusal([_problem(shown, "source_missing")]) from error
    except OSError as error:
        raise _Refusal([_problem(shown, "read_failed", entry=shown,
                                 reason=_reason(error))]) from error
    if stat.S_ISDIR(mode):
        if not (source / DECK_FILE).is_file():
            # Said before copying: a wrong folder may be a whole USB stick.
            raise _Refusal([Problem(DECK_FILE, "", "deck_missing")])
        digests = _copy_folder(source, staging, shown)
    elif stat.S_ISREG(mode):
        digests = _extract_zip(source, staging, shown)
    else:
        raise _Refusal([_problem(shown, "source_kind")])
    whole = hashlib.sha256()
    for rel in sorted(digests):
        whole.update(f"{rel}\0{digests[rel]}\n".encode())
    return whole.hexdigest()


class _Budget:
    """Bytes written so far against the limit, counted as they are written."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.used = 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > MAX_TOTAL_BYTES:
            raise _Refusal([_too_large(self.shown)])


def _too_large(shown: str) -> Problem:
    return _problem(shown, "too_large", limit=MAX_TOTAL_BYTES // (1024 * 1024))


def _too_many(shown: str) -> Problem:
    return _problem(shown, "too_many", limit=MAX_ENTRIES)


def _pump(read: Callable[[int], bytes], target: Path, budget: _Budget,
          declared: int | None = None, on_mismatch: Callable[[], Problem] | None = None) -> str:
    """Copies ``read`` into a new file ``target`` chunk by chunk; returns its SHA-256.

    ``declared`` is the size the source claims: more (or less) data than that
    stops the copy, whatever the reader does.
    """
    import hashlib

    digest = hashlib.sha256()
    written = 0
    with open(target, "xb") as out:
        while chunk := read(CHUNK):
            written += len(chunk)
            if declared is not None and on_mismatch is not None and written > declared:
                raise _Refusal([on_mismatch()])
            budget.take(len(chunk))
            digest.update(chunk)
            out.write(chunk)
        if declared is not None and on_mismatch is not None and written != declared:
            raise _Refusal([on_mismatch()])
        out.flush()
        # Written through before the switch: after a power cut the new
        # current pack must not be half on disk.
        os.fsync(out.fileno())
    return digest.hexdigest()


def _guarded(read: Callable[[int], bytes], errors: tuple[type[BaseException], ...],
             problem: Callable[[BaseException], Problem]) -> Callable[[int], bytes]:
    """``read`` with its errors turned into a refusal (errors writing stay OSErrors)."""

    def guarded(size: int) -> bytes:
        try:
            return read(size)
        except errors as error:
            raise _Refusal([problem(error)]) from error

    return guarded


# -- from a folder -------------------------------------------------------------


def _copy_folder(source: Path, staging: Path, shown: str) -> dict[str, str]:
    folders, files = _scan_folder(source, shown)
    for rel in folders:
        staging.joinpath(*rel.split("/")).mkdir(parents=True, exist_ok=True)
    budget = _Budget(shown)
    digests: dict[str, str] = {}
    for rel, path in files:
        entry = short_repr(rel)

        def unreadable(error: BaseException, entry: str = entry) -> Problem:
            return _problem(shown, "read_failed", entry=entry, reason=_reason(error))

        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise _Refusal([unreadable(error)]) from error
        with stream:
            read = _guarded(stream.read, (OSError,), unreadable)
            digests[rel] = _pump(read, staging.joinpath(*rel.split("/")), budget)
    return digests


def _scan_folder(source: Path, shown: str) -> tuple[list[str], list[tuple[str, Path]]]:
    """Every folder and file under ``source`` (relative, with ``/``), links refused."""
    folders: list[str] = []
    files: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    total = 0
    stack: list[tuple[Path, str]] = [(source, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
            for item in entries:
                rel = prefix + item.name
                if item.is_symlink():
                    problems.append(_problem(shown, "source_link", entry=short_repr(rel)))
                elif item.is_dir(follow_symlinks=False):
                    folders.append(rel)
                    stack.append((Path(item.path), rel + "/"))
                elif item.is_file(follow_symlinks=False):
                    files.append((rel, Path(item.path)))
                    total += item.stat(follow_symlinks=False).st_size
                else:
                    problems.append(_problem(shown, "source_special", entry=short_repr(rel)))
                if len(folders) + len(files) > MAX_ENTRIES:
                    raise _Refusal([_too_many(shown)])
                if total > MAX_TOTAL_BYTES:
                    raise _Refusal([_too_large(shown)])
        except OSError as error:
            raise _Refusal([_problem(shown, "read_failed", entry=short_repr(prefix or "."),
                                     reason=_reason(error))]) from error
    if problems:
        raise _Refusal(problems)
    return folders, files


# -- from a zip file -----------------------------------------------------------


class _GuardedFile(io.FileIO):
    """A file that refuses single reads larger than a zip's table of contents may be.

    zipfile reads the whole table in one ``read`` before anything can be
    counted; this stops a forged size there, before the memory is taken.
    """

    def read(self, size: int | None = -1, /) -> bytes:
        wanted = size if size is not None and size >= 0 else self._left()
        if wanted > MAX_DIRECTORY_BYTES:
            raise _DirectoryTooLarge
        return super().read(size)

    def _left(self) -> int:
        return max(0, os.fstat(self.fileno()).st_size - self.tell())


def _extract_zip(source: Path, staging: Path, shown: str) -> dict[str, str]:
    import zipfile

    try:
        handle = _GuardedFile(source, "r")
    except OSError as error:
        raise _Refusal([_problem(shown, "read_failed", entry=shown,
                                 reason=_reason(error))]) from error
    with handle:
        try:
            archive = zipfile.ZipFile(handle)
        except _DirectoryTooLarge as error:
            raise _Refusal([_problem(shown, "zip_directory_too_large",
                                     limit=MAX_DIRECTORY_BYTES)]) from error
        except _zip_errors() as error:
            raise _Refusal([_problem(shown, "not_zip", reason=_reason(error))]) from error
        with archive:
            members = _check_zip(archive.infolist(), shown)
            return _unpack(archive, members, staging, shown)


def _check_zip(infos: list[zipfile.ZipInfo], shown: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """The entries to unpack, as (path inside the pack, entry); refuses a hostile zip."""
    import unicodedata

    if len(infos) > MAX_ENTRIES:
        raise _Refusal([_too_many(shown)])
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise _Refusal([_too_large(shown)])
    problems: list[Problem] = []
    seen: set[str] = set()
    folded: dict[str, str] = {}
    files: dict[str, str] = {}  # folded -> as written
    folders: set[str] = set()  # folded, including every parent of an entry
    accepted: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        raw = info.orig_filename
        entry = short_repr(raw)
        code = _name_problem(raw)
        if code is not None:
            problems.append(_problem(shown, code, entry=entry))
            continue
        found = _entry_problems(info, shown, entry)
        problems += found
        key = raw.rstrip("/")
        fold = unicodedata.normalize("NFC", key).casefold()
        if key in seen:
            problems.append(_problem(shown, "zip_duplicate", entry=entry))
            continue
        if fold in folded:
            problems.append(_problem(shown, "zip_case_collision", entry=entry,
                                     other=short_repr(folded[fold])))
            continue
        seen.add(key)
        folded[fold] = key
        parts = fold.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if info.is_dir():
            folders.add(fold)
        else:
            files[fold] = key
        if not found:
            accepted.append((key, info))
    for fold, key in files.items():
        if fold in folders:
            problems.append(_problem(shown, "zip_file_folder", entry=short_repr(key)))
    if problems:
        raise _Refusal(problems)
    return _pack_members(accepted, shown)


def _entry_problems(info: zipfile.ZipInfo, shown: str, entry: str) -> list[Problem]:
    problems: list[Problem] = []
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        problems.append(_problem(shown, "zip_link", entry=entry))
    elif kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        problems.append(_problem(shown, "zip_special", entry=entry))
    if info.flag_bits & 0x1:
        problems.append(_problem(shown, "zip_encrypted", entry=entry))
    if info.compress_type not in _ZIP_METHODS:
        problems.append(_problem(shown, "zip_method", entry=entry, method=info.compress_type))
    if not info.is_dir() and info.file_size > MAX_RATIO * info.compress_size:
        problems.append(_problem(shown, "zip_ratio", entry=entry, limit=MAX_RATIO,
                                 size=info.file_size, compressed=info.compress_size))
    return problems


def _name_problem(name: str) -> str | None:
    """Why ``name`` (a zip entry's name as stored) cannot be unpacked safely, or None."""
    if not name or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "name_invalid"
    if name.startswith("/"):
        return "name_absolute"
    if _DRIVE.match(name):
        return "name_drive"
    if "\\" in name:
        return "name_backslash"
    parts = (name[:-1] if name.endswith("/") else name).split("/")
    if ".." in parts:
        return "name_parent"
    if len(name) > MAX_PATH_CHARS or not all(_portable_part(part) for part in parts):
        return "name_invalid"
    return None


def _portable_part(part: str) -> bool:
    """A file or folder name every file system the kiosk runs on can hold as written."""
    if part in ("", ".") or len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return False
    if _FORBIDDEN_CHARS.intersection(part) or part.endswith((" ", ".")):
        return False
    return part.split(".")[0].upper() not in _WINDOWS_RESERVED


def _pack_members(accepted: list[tuple[str, zipfile.ZipInfo]],
                  shown: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """The entries under the pack's top: the zip's own top, or its one top folder."""
    members = [(key, info) for key, info in accepted if key.split("/")[0] != MACOS_JUNK]
    keys = {key for key, info in members if not info.is_dir()}
    if DECK_FILE in keys:
        prefix = ""
    else:
        tops = {key.split("/")[0] for key, _info in members}
        top = next(iter(tops)) if len(tops) == 1 else ""
        if not top or f"{top}/{DECK_FILE}" not in keys:
            raise _Refusal([_problem(shown, "zip_no_deck")])
        prefix = top + "/"
    return [(key[len(prefix):], info) for key, info in members
            if key.startswith(prefix) and key != prefix.rstrip("/")]


def _unpack(archive: zipfile.ZipFile, members: list[tuple[str, zipfile.ZipInfo]],
            staging: Path, shown: str) -> dict[str, str]:
    budget = _Budget(shown)
    digests: dict[str, str] = {}
    for rel, info in members:
        target = staging.joinpath(*rel.split("/"))
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = short_repr(info.orig_filename)

        def damaged(error: BaseException, entry: str = entry) -> Problem:
            return _problem(shown, "zip_entry_corrupt", entry=entry, reason=_reason(error))

        def mismatch(entry: str = entry, size: int = info.file_size) -> Problem:
            return _problem(shown, "zip_size_mismatch", entry=entry, size=size)

        try:
            stream = archive.open(info)
        except _zip_errors() as error:
            raise _Refusal([damaged(error)]) from error
        with stream:
            read = _guarded(stream.read, _zip_errors(), damaged)
            digests[rel] = _pump(read, target, budget, info.file_size, mismatch)
    return digests


# -- the packs folder ----------------------------------------------------------


@contextlib.contextmanager
def _locked(packs_dir: Path, shown: str) -> Iterator[None]:
    """One install or roll-back at a time (the staff panel and a terminal may both try)."""
    packs_dir.mkdir(parents=True, exist_ok=True)
    with held(packs_dir / LOCK_FILE) as taken:
        if not taken:
            raise _Refusal([_problem(shown, "busy")])
        yield


def _write_state(packs_dir: Path, state: PackState) -> None:
    """Replaces state.json in one step: readers see the old state or the new, never half."""
    data = json.dumps({"current": state.current, "previous": state.previous}, indent=2) + "\n"
    write_atomic(packs_dir / STATE_FILE, data)


def _clean_leftovers(packs_dir: Path) -> None:
    """Removes what an interrupted install left; only ever called under the lock."""
    for item in packs_dir.iterdir():
        if item.name.startswith(STAGING_PREFIX):
            _remove(item)
    remove_leftovers(packs_dir / STATE_FILE)


def _prune(store: Path, keep: set[str | None]) -> None:
    # After the switch: a pack that cannot be removed now (a file in use on
    # Windows) is removed by a later install.
    try:
        items = list(store.iterdir())
    except OSError:
        return
    for item in items:
        if item.name not in keep:
            _remove(item)


def _remove(path: Path) -> None:
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not remove %s: %s", path, error)


def _unique_name(store: Path, deck_id: str, version: str, digest: str) -> str:
    """``<deck id>-<version>-<UTC time>-<checksum>``, safe as a folder name everywhere."""
    from datetime import UTC, datetime

    safe_id = _UNSAFE_NAME_CHARS.sub("_", deck_id)[:64].strip("._-") or "pack"
    safe_version = _UNSAFE_NAME_CHARS.sub("_", version)[:32].strip("._-") or "0"
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    base = f"{safe_id}-{safe_version}-{stamp}-{digest[:8]}"
    name, number = base, 1
    while (store / name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def _describe(folder: Path, current: bool) -> InstalledPack:
    from datetime import UTC, datetime

    deck: Mapping[str, object] = {}
    with contextlib.suppress(OSError, ValueError, RecursionError):
        data = json.loads((folder / DECK_FILE).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            deck = data
    deck_id, version = deck.get("id"), deck.get("version")
    match = _STAMP_RE.search(folder.name)
    installed: datetime | None = None
    if match:
        with contextlib.suppress(ValueError):
            installed = datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)
    return InstalledPack(folder.name, folder,
                         deck_id if isinstance(deck_id, str) else "",
                         version if isinstance(version, str) else "",
                         installed, current)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = " ".join(str(error).split())
    return text[:200] if text else type(error).__name__


def _write_problem(shown: str, packs_dir: Path, error: OSError) -> Problem:
    return _problem(shown, "write_failed", folder=str(packs_dir), reason=_reason(error))

