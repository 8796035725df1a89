"""Checks of the media files a deck names: where they are, and that they are sound images.

Everything is decided from the bytes, without an image library: ``content``
stays plain Python, and a file that would make Qt's decoders stall or
misbehave on the kiosk is refused before anything tries to draw it.
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal, NamedTuple

from taixin_kiosk.content.limits import MAX_IMAGE_BYTES as MAX_BYTES
from taixin_kiosk.content.limits import MAX_IMAGE_PIXELS as MAX_PIXELS
from taixin_kiosk.content.limits import MAX_IMAGE_SIDE as MAX_SIDE
from taixin_kiosk.content.problems import Problem

CODES: tuple[str, ...] = (
    "media_absolute",
    "media_backslash",
    "media_parent",
    "media_outside",
    "media_missing",
    "media_not_file",
    "media_unreadable",
    "media_too_large",
    "media_format",
    "media_dimensions",
    "media_corrupt",
    "media_case",
    "limit_pixels",
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
_DRIVE = re.compile(r"^[A-Za-z]:")
# SOF0..SOF15 less DHT (C4), JPG (C8) and DAC (CC), which share the range.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM and RST0..RST7.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_JPEG_SOS, _JPEG_EOI = 0xDA, 0xD9

ImageKind = Literal["png", "jpeg"]


class Media(NamedTuple):
    """A media file that passed every check. ``path`` is absolute and resolved."""

    path: Path
    data: bytes
    kind: ImageKind
    width: int
    height: int


class ImageInfo(NamedTuple):
    kind: ImageKind
    width: int
    height: int


class CorruptImage(ValueError):
    """A PNG or JPEG whose structure is broken; ``offset`` is where it breaks."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def check_media(
    root: Path, value: str, *, file: str = "deck.json", path: str = "", deep: bool = True
) -> Media | Problem:
    """``value`` (a media path from deck.json) checked against the pack at ``root``.

    Returns the file's bytes with its size, or the first problem found; the
    problem carries ``file`` and ``path`` (the deck.json field) for the report.
    ``deep`` also checks a PNG's chunk checksums and inflates its pixel data,
    which catches damage inside the picture, at the cost of a few milliseconds
    per megapixel; without it only the structure (framing, header, size) is
    walked, which is what start-up needs for the tested built-in pictures.
    """

    def problem(code: str, **params: str) -> Problem:
        return Problem(file, path, code, {"value": value, **params})

    refusal = _refuse_path(value)
    if refusal is not None:
        return problem(refusal)
    try:
        base = root.resolve()
        target = (base / value).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        # RuntimeError: a symlink loop (Python < 3.13); ValueError: a NUL byte.
        return problem("media_unreadable", reason=_reason(exc))
    if not target.is_relative_to(base):
        return problem("media_outside")
    try:
        info = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        actual = _spelled_on_disk(base, value)
        if actual is not None and actual != value and (base / actual).is_file():
            return problem("media_case", actual=actual)
        return problem("media_missing")
    except (OSError, ValueError) as exc:
        return problem("media_unreadable", reason=_reason(exc))
    # Checked before opening: opening a FIFO or a device could block forever.
    if not stat.S_ISREG(info.st_mode):
        return problem("media_not_file")
    actual = _spelled_on_disk(base, value)
    if actual is not None and actual != value:
        # Windows and macOS find "Images/Cover.PNG" for "images/cover.png";
        # Linux does not, so a pack made on one would break on the other.
        return problem("media_case", actual=actual)
    if info.st_size > MAX_BYTES:
        return problem("media_too_large", size=str(info.st_size), limit=str(MAX_BYTES))
    try:
        with open(target, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        return problem("media_unreadable", reason=_reason(exc))
    if len(data) > MAX_BYTES:  # it grew since stat()
        return problem("media_too_large", size=str(len(data)), limit=str(MAX_BYTES))
    if not (data.startswith(PNG_SIGNATURE) or data.startswith(JPEG_SIGNATURE)):
        return problem("media_format")
    try:
        image = inspect_image(data, deep=deep, checksums=deep)
    except CorruptImage as exc:
        kind = "PNG" if data.startswith(PNG_SIGNATURE) else "JPEG"
        return problem("media_corrupt", format=kind, offset=str(exc.offset))
    if image.width > MAX_SIDE or image.height > MAX_SIDE:
        return problem(
            "media_dimensions",
            width=str(image.width),
            height=str(image.height),
            limit=str(MAX_SIDE),
        )
    if image.width * image.height > MAX_PIXELS:
        # Qt holds a picture decoded, four bytes a pixel.
        return problem("limit_pixels", width=str(image.width), height=str(image.height),
                       pixels=str(image.width * image.height), limit=str(MAX_PIXELS))
    return Media(target, data, image.kind, image.width, image.height)


def _refuse_path(value: str) -> str | None:
    """The problem code for a path refused on its spelling alone, if any."""
    if (
        value.startswith(("/", "\\"))
        or _DRIVE.match(value)
        or PurePosixPath(value).is_absolute()
        or PureWindowsPath(value).is_absolute()
    ):
        return "media_absolute"
    if "\\" in value:
        return "media_backslash"
    if ".." in value.split("/"):
        return "media_parent"
    return None


def _spelled_on_disk(base: Path, value: str) -> str | None:
    """``value`` with each part spelled as the folder listing spells it, or
    None if a listing cannot be read."""
    parts = []
    folder = base
    for part in value.split("/"):
        if part in ("", "."):
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        match = part if part in names else next(
            (n for n in names if n.casefold() == part.casefold()), part)
        parts.append(match)
        folder = folder / match
    return "/".join(parts)


def _reason(exc: BaseException) -> str:
    # The OS's own words ("Permission denied") are the most precise reason.
    strerror = getattr(exc, "strerror", None)
    return strerror if isinstance(strerror, str) else type(exc).__name__


def inspect_image(data: bytes, *, deep: bool = False, checksums: bool = True) -> ImageInfo:
    """Kind and size of a PNG or JPEG after walking its structure.

    Raises :class:`CorruptImage` (with the byte offset) for a damaged or truncated file
    and ValueError for bytes that are neither format. ``deep`` inflates a PNG's
    pixel data; ``checksums`` checks its chunks' CRCs.
    """
    if data.startswith(PNG_SIGNATURE):
        return _inspect_png(data, deep, checksums)
    if data.startswith(JPEG_SIGNATURE):
        return _inspect_jpeg(data)
    raise ValueError(data[:8].hex())


def _u16(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 2], "big")


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


# Samples per pixel by PNG colour type.
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _inspect_png(data: bytes, deep: bool = False, checksums: bool = True) -> ImageInfo:
    view = memoryview(data)
    pos = len(PNG_SIGNATURE)
    width = height = 0
    first = True
    inflater = zlib.decompressobj() if deep else None
    inflated = 0
    expected: int | None = None
    while True:
        if pos + 8 > len(data):
            raise CorruptImage(pos)
        length = _u32(data, pos)
        chunk_type = data[pos + 4 : pos + 8]
        end = pos + 8 + length
        if length > 0x7FFFFFFF or end + 4 > len(data):
            raise CorruptImage(pos)
        if checksums and zlib.crc32(view[pos + 8 : end], zlib.crc32(chunk_type)) \
                != _u32(data, end):
            raise CorruptImage(pos)
        if first:
            if chunk_type != b"IHDR" or length != 13:
                raise CorruptImage(pos)
            width, height = _u32(data, pos + 8), _u32(data, pos + 12)
            if width == 0 or height == 0:
                raise CorruptImage(pos + 8)
            depth, colour, interlace = data[pos + 16], data[pos + 17], data[pos + 20]
            channels = _PNG_CHANNELS.get(colour)
            if channels is None:
                raise CorruptImage(pos + 17)
            if interlace == 0:  # Adam7's pass sizes are not worth computing here
                expected = height * (1 + (width * channels * depth + 7) // 8)
            if width > MAX_SIDE or height > MAX_SIDE:
                inflater = None  # refused for its size anyway; do not inflate it
            first = False
        if inflater is not None and chunk_type == b"IDAT":
            try:
                # Bounded: a small file must not inflate into gigabytes.
                limit = (expected or MAX_SIDE * MAX_SIDE * 8) - inflated + 1
                inflated += len(inflater.decompress(view[pos + 8 : end], max(1, limit)))
            except zlib.error:
                raise CorruptImage(pos + 8) from None
            if expected is not None and inflated > expected:
                raise CorruptImage(pos + 8)
        if chunk_type == b"IEND":
            if inflater is not None and (not inflater.eof
                                         or (expected is not None and inflated != expected)):
                raise CorruptImage(pos)
            return ImageInfo("png", width, height)
        pos = end + 4


def _inspect_jpeg(data: bytes) -> ImageInfo:
    size: tuple[int, int] | None = None
    pos = 2
    while True:
        if pos >= len(data) or data[pos] != 0xFF:
            raise CorruptImage(pos)
        while pos < len(data) and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= len(data):
            raise CorruptImage(pos)
        marker = data[pos]
        pos += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker == _JPEG_EOI or marker == 0x00:
            raise CorruptImage(pos - 1)  # the image ends (or breaks) before any scan
        length = _u16(data, pos)
        if pos + 2 > len(data) or length < 2 or pos + length > len(data):
            raise CorruptImage(pos)
        if marker in _JPEG_SOF:
            if length < 8:
                raise CorruptImage(pos)
            height, width = _u16(data, pos + 3), _u16(data, pos + 5)
            if width == 0 or height == 0:
                raise CorruptImage(pos + 3)
            size = (width, height)
        if marker == _JPEG_SOS:
            if size is None:
                raise CorruptImage(pos - 2)
            break
        pos += length
    # The entropy-coded scans need a decoder to walk; a truncated download is
    # what goes wrong in practice, and that loses the final EOI.
    if not data.endswith(b"\xff\xd9"):
        raise CorruptImage(len(data))
    return ImageInfo("jpeg", size[0], size[1])
