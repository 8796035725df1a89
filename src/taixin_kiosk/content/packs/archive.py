"""Copying a pack into staging: from a folder or a zip file, with limits and safe names.

A zip file is untrusted input: names that could lead outside the pack, links,
duplicates, and anything that unpacks to far more than it looks are refused
before a byte is written, and sizes are counted again while unpacking. A
folder is copied without following links. Either way every file is written
through to disk and checksummed; ``copy_in`` returns the pack's checksum.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from taixin_kiosk.content.deck import DECK_FILE
from taixin_kiosk.content.json_read import short_repr
from taixin_kiosk.content.limits import MAX_ENTRIES, MAX_TOTAL_BYTES
from taixin_kiosk.content.packs.refusal import Refusal, install_problem, reason
from taixin_kiosk.content.problems import Problem

if TYPE_CHECKING:
    import zipfile

# The zip and hashing modules are imported only by the functions that copy
# a pack (the app reads which pack is installed from state.py at every start).

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


class _DirectoryTooLarge(Exception):
    """zipfile asked for more of the table of contents than a pack's may be."""


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


def copy_in(source: Path, staging: Path, shown: str) -> str:
    """Copies or unpacks ``source`` into ``staging``; returns a checksum of what was written."""
    import hashlib

    try:
        mode = source.stat().st_mode
    except FileNotFoundError as error:
        raise Refusal([install_problem(shown, "source_missing")]) from error
    except OSError as error:
        raise Refusal([install_problem(shown, "read_failed", entry=shown,
                                       reason=reason(error))]) from error
    if stat.S_ISDIR(mode):
        if not (source / DECK_FILE).is_file():
            # Said before copying: a wrong folder may be a whole USB stick.
            raise Refusal([Problem(DECK_FILE, "", "deck_missing")])
        digests = _copy_folder(source, staging, shown)
    elif stat.S_ISREG(mode):
        digests = _extract_zip(source, staging, shown)
    else:
        raise Refusal([install_problem(shown, "source_kind")])
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
            raise Refusal([_too_large(self.shown)])


def _too_large(shown: str) -> Problem:
    return install_problem(shown, "too_large", limit=MAX_TOTAL_BYTES // (1024 * 1024))


def _too_many(shown: str) -> Problem:
    return install_problem(shown, "too_many", limit=MAX_ENTRIES)


def _too_many_entries(shown: str, count: int) -> Problem:
    return install_problem(shown, "too_many_entries", count=count, limit=MAX_ENTRIES)


# The end of central directory record: its signature, and where the total
# number of entries sits in it (and in the ZIP64 one).
_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64_SIGNATURE = b"PK\x06\x06"
_EOCD_SEARCH = 22 + 65535  # the record and its longest comment


def _declared_entries(source: Path) -> int | None:
    """How many entries the zip file says it has, from its end record alone; None if unreadable."""
    import struct

    try:
        with open(source, "rb") as stream:
            size = stream.seek(0, os.SEEK_END)
            start = max(0, size - _EOCD_SEARCH)
            stream.seek(start)
            tail = stream.read(size - start)
            at = tail.rfind(_EOCD_SIGNATURE)
            if at < 0 or len(tail) < at + 22:
                return None
            count = int(struct.unpack_from("<H", tail, at + 10)[0])
            locator = at - 20
            if count == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == _EOCD64_LOCATOR:
                offset = int(struct.unpack_from("<Q", tail, locator + 8)[0])
                stream.seek(offset)
                record = stream.read(56)
                if len(record) == 56 and record[:4] == _EOCD64_SIGNATURE:
                    count = int(struct.unpack_from("<Q", record, 32)[0])
            return count
    except (OSError, struct.error, ValueError):
        return None


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
                raise Refusal([on_mismatch()])
            budget.take(len(chunk))
            digest.update(chunk)
            out.write(chunk)
        if declared is not None and on_mismatch is not None and written != declared:
            raise Refusal([on_mismatch()])
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
            raise Refusal([problem(error)]) from error

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
            return install_problem(shown, "read_failed", entry=entry, reason=reason(error))

        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise Refusal([unreadable(error)]) from error
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
                    problems.append(install_problem(shown, "source_link", entry=short_repr(rel)))
                elif item.is_dir(follow_symlinks=False):
                    folders.append(rel)
                    stack.append((Path(item.path), rel + "/"))
                elif item.is_file(follow_symlinks=False):
                    files.append((rel, Path(item.path)))
                    total += item.stat(follow_symlinks=False).st_size
                else:
                    problems.append(install_problem(shown, "source_special", entry=short_repr(rel)))
                if len(folders) + len(files) > MAX_ENTRIES:
                    raise Refusal([_too_many(shown)])
                if total > MAX_TOTAL_BYTES:
                    raise Refusal([_too_large(shown)])
        except OSError as error:
            raise Refusal([install_problem(shown, "read_failed", entry=short_repr(prefix or "."),
                                           reason=reason(error))]) from error
    if problems:
        raise Refusal(problems)
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
        raise Refusal([install_problem(shown, "read_failed", entry=shown,
                                       reason=reason(error))]) from error
    with handle:
        try:
            archive = zipfile.ZipFile(handle)
        except _DirectoryTooLarge as error:
            # Most likely simply too many entries: say so, with the count the
            # zip's end record gives, rather than call the file forged.
            count = _declared_entries(source)
            if count is not None and count > MAX_ENTRIES:
                raise Refusal([_too_many_entries(shown, count)]) from error
            raise Refusal([install_problem(shown, "zip_directory_too_large",
                                           limit=MAX_DIRECTORY_BYTES)]) from error
        except _zip_errors() as error:
            raise Refusal([install_problem(shown, "not_zip", reason=reason(error))]) from error
        with archive:
            members = _check_zip(archive.infolist(), shown)
            return _unpack(archive, members, staging, shown)


def _check_zip(infos: list[zipfile.ZipInfo], shown: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """The entries to unpack, as (path inside the pack, entry); refuses a hostile zip."""
    import unicodedata

    if len(infos) > MAX_ENTRIES:
        raise Refusal([_too_many_entries(shown, len(infos))])
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise Refusal([_too_large(shown)])
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
            problems.append(install_problem(shown, code, entry=entry))
            continue
        found = _entry_problems(info, shown, entry)
        problems += found
        key = raw.rstrip("/")
        fold = unicodedata.normalize("NFC", key).casefold()
        if key in seen:
            problems.append(install_problem(shown, "zip_duplicate", entry=entry))
            continue
        if fold in folded:
            problems.append(install_problem(shown, "zip_case_collision", entry=entry,
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
            problems.append(install_problem(shown, "zip_file_folder", entry=short_repr(key)))
    if problems:
        raise Refusal(problems)
    return _pack_members(accepted, shown)


def _entry_problems(info: zipfile.ZipInfo, shown: str, entry: str) -> list[Problem]:
    problems: list[Problem] = []
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        problems.append(install_problem(shown, "zip_link", entry=entry))
    elif kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        problems.append(install_problem(shown, "zip_special", entry=entry))
    if info.flag_bits & 0x1:
        problems.append(install_problem(shown, "zip_encrypted", entry=entry))
    if info.compress_type not in _ZIP_METHODS:
        problems.append(install_problem(shown, "zip_method", entry=entry,
                                        method=info.compress_type))
    if not info.is_dir() and info.file_size > MAX_RATIO * info.compress_size:
        problems.append(install_problem(shown, "zip_ratio", entry=entry, limit=MAX_RATIO,
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
            raise Refusal([install_problem(shown, "zip_no_deck")])
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
            return install_problem(shown, "zip_entry_corrupt", entry=entry, reason=reason(error))

        def mismatch(entry: str = entry, size: int = info.file_size) -> Problem:
            return install_problem(shown, "zip_size_mismatch", entry=entry, size=size)

        try:
            stream = archive.open(info)
        except _zip_errors() as error:
            raise Refusal([damaged(error)]) from error
        with stream:
            read = _guarded(stream.read, _zip_errors(), damaged)
            digests[rel] = _pump(read, target, budget, info.file_size, mismatch)
    return digests
