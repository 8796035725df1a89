"""Loads a content pack (deck.json, its catalogues and media) and validates all of it.

``load_pack`` never raises: whatever is on disk, it returns a :class:`LoadResult`
that lists every problem found, so ``validate`` can print them all at once and
the app can fall back to the built-in pack with a notice. The model is built
only from a pack without a single problem, which is why views may trust it.
"""

from __future__ import annotations

import codecs
import functools
import json
import math
import re
import string
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from taixin_kiosk.content.catalogue import LOCALE_RE, Catalogue
from taixin_kiosk.content.deck import (
    Card,
    Chart,
    ContentPack,
    Corridor,
    Deck,
    Ellipse,
    MapArea,
    MapPlace,
    MapSpec,
    Point,
    Series,
    ShareItem,
    Slide,
    TimelinePoint,
    Tour,
    TourStop,
)
from taixin_kiosk.content.media import Media, check_media
from taixin_kiosk.content.problems import Problem, errors_in, warnings_in
from taixin_kiosk.content.schema import (
    Validator,
    child_path,
    index_path,
    json_type,
    short_repr,
)

CODES: tuple[str, ...] = (
    "font_missing_chars",
    "pack_missing",
    "pack_not_folder",
    "deck_missing",
    "file_unreadable",
    "not_utf8",
    "json_syntax",
    "json_too_deep",
    "json_constant",
    "json_duplicate_key",
    "number_not_finite",
    "format_unsupported",
    "schema_unavailable",
    "duplicate_slide_id",
    "duplicate_tour_id",
    "tour_unknown_slide",
    "duplicate_map_id",
    "duplicate_x",
    "series_length_categories",
    "series_length_x",
    "default_locale_missing",
    "i18n_missing",
    "i18n_empty",
    "catalogue_name",
    "catalogue_not_object",
    "catalogue_not_string",
    "catalogue_empty_string",
    "catalogue_key_invalid",
    "key_missing",
    "key_extra",
    "placeholders_differ",
    "braces_malformed",
    "placeholder_invalid",
    "text_key_missing",
    "required_key_missing",
    "unit_placeholder",
    "internal_error",
)

SUPPORTED_FORMATS: tuple[int, ...] = (1,)
DECK_FILE = "deck.json"
SCHEMA_FILE = "deck.schema.json"
# Keys the app reads from every catalogue whatever the caller asks for.
ALWAYS_REQUIRED: tuple[str, ...] = (
    "meta.language_name",
    "meta.number.group",
    "meta.number.decimal",
)
# deck.json fields whose string value is a text key, and lists of text keys.
TEXT_FIELDS = frozenset({
    "title", "subtitle", "kicker", "source", "quote", "attribution", "lead", "footer",
    "notes", "heading", "body", "stat", "text", "name", "focus", "label", "value_label",
    "detail", "caption", "hint", "unit", "x_unit", "note",
})  # fmt: skip
TEXT_LIST_FIELDS = frozenset({"categories", "points"})
UNIT_FIELDS = frozenset({"unit", "x_unit"})
MEDIA_FIELDS: tuple[str, ...] = ("image", "emblem")
# The same rule as the schema's text_key pattern; only keys of this form are
# looked up, the schema reports the others.
TEXT_KEY_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)+\Z")
_NONE = "—"  # how an empty placeholder set shows in a message
_FORMATTER = string.Formatter()
_CONVERSIONS = frozenset({None, "r", "s", "a"})


class LoadResult(NamedTuple):
    """A pack, or why there is none. ``pack`` is set only when no problem is an
    error; warnings may come with a pack."""

    pack: ContentPack | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.pack is not None and not self.errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings_in(self.problems)


def load_pack(
    root: Path,
    i18n_dir: Path | None = None,
    *,
    builtin: bool = False,
    required_keys: Iterable[str] = (),
    deep_media: bool = True,
    font_coverage: Collection[int] | None = None,
    trusted: bool = False,
) -> LoadResult:
    """Validate the pack at ``root`` (catalogues in ``i18n_dir``, default ``root/i18n``).

    ``required_keys`` are catalogue keys the caller needs in every locale (the
    app passes its UI keys); the ``meta`` keys are always required.
    ``deep_media`` checks PNG checksums and pixel data too (see ``media.check_media``).
    ``font_coverage`` (code points the app's font draws) adds a warning per
    catalogue whose text the font cannot draw.
    ``trusted``: these very files passed every check before (the caller knows
    how); only what building the model needs is read, no check is repeated.
    """
    try:
        loader = _Loader(
            Path(root), Path(i18n_dir) if i18n_dir is not None else Path(root) / "i18n"
        )
        loader.deep_media = deep_media
        loader.font_coverage = font_coverage
        loader.trusted = trusted
        return loader.run(builtin=builtin, required_keys=tuple(required_keys))
    except Exception as exc:
        # A kiosk must keep running: any bug left in the checks becomes one
        # more problem, and the app shows the built-in pack instead.
        error = type(exc).__name__
        return LoadResult(None, (Problem(DECK_FILE, "", "internal_error", {"error": error}),))


def schema_path() -> Path:
    """Where ``deck.schema.json`` is, for every layout ``content.builtin`` knows."""
    from taixin_kiosk.content.builtin import PACKAGE_DIR, candidate_roots

    for candidate in candidate_roots(PACKAGE_DIR):
        path = candidate / "assets" / SCHEMA_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(SCHEMA_FILE)


@functools.cache
def deck_validator() -> Validator:
    """The validator for deck.json, from the schema file shipped with the app."""
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    if not isinstance(schema, dict):
        raise ValueError(SCHEMA_FILE)
    return Validator(schema, file=DECK_FILE)


# -- JSON reading ------------------------------------------------------------


class _Object(dict[str, object]):
    """A parsed JSON object that remembers the keys it held more than once."""

    duplicates: tuple[str, ...] = ()


class _Literal(float):
    """``NaN``, ``Infinity`` or ``-Infinity`` as written: Python accepts them, JSON does not."""


class _Overflow(float):
    """A number literal too large for a float (``1e999``), with its text."""

    text: str = ""


def _object_pairs(pairs: list[tuple[str, object]]) -> _Object:
    obj = _Object()
    duplicates: list[str] = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicates = tuple(duplicates)
    return obj


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isfinite(value):
        return value
    overflow = _Overflow(value)
    overflow.text = text
    return overflow


def _literal_name(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _walk(value: object, join: Callable[[str, str], str]) -> Iterator[tuple[str, object]]:
    """Every node with its path, in document order; iterative, so depth costs no stack."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend((join(path, str(k)), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((index_path(path, i), v) for i, v in reversed(list(enumerate(node))))


def _fits_float(value: float) -> bool:
    # An integer literal is exact in Python but becomes a float on the way to
    # the charts; past float's range that is infinity.
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return math.isfinite(value)


def _dotted(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _placeholders(text: str) -> frozenset[str] | None:
    """Placeholder names of a message, or None when its braces do not parse."""
    names: set[str] = set()
    try:
        for _literal, name, _spec, conversion in _FORMATTER.parse(text):
            if name is not None:
                if conversion not in _CONVERSIONS:
                    return None
                names.add(name)
    except ValueError:
        return None
    return frozenset(names)


def _show_set(names: Iterable[str]) -> str:
    shown = ", ".join("{" + n + "}" for n in sorted(names))
    return shown or _NONE


class _CatalogueFile:
    # Plain classes here and below: a dataclass costs start-up time to define.
    def __init__(self, locale: str, file: str) -> None:
        self.locale = locale
        self.file = file
        self.data = b""
        self.strings: dict[str, str] | None = None  # None: the file could not be used
        # Keys present with an unusable value: already reported, so not "missing" too.
        self.broken: set[str] = set()

    def all_keys(self) -> set[str]:
        return set(self.strings or ()) | self.broken

    def has(self, key: str) -> bool:
        return key in (self.strings or ()) or key in self.broken


class _Loader:
    def __init__(self, root: Path, i18n_dir: Path) -> None:
        self.root = root
        self.i18n_dir = i18n_dir
        self.problems: list[Problem] = []
        self.deep_media = True
        self.font_coverage: Collection[int] | None = None
        self.trusted = False

    def add(self, file: str, path: str, code: str, **params: str) -> None:
        self.problems.append(Problem(file, path, code, params))

    def rel(self, path: Path) -> str:
        """``path`` relative to the pack root with ``/``, or as given when outside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            return str(path)

    # -- the whole pack ------------------------------------------------------

    def run(self, *, builtin: bool, required_keys: tuple[str, ...]) -> LoadResult:
        # One plain sentence beats a list of everything missing inside it.
        if not self.root.exists():
            return LoadResult(None, (Problem(str(self.root), "", "pack_missing"),))
        if not self.root.is_dir():
            return LoadResult(None, (Problem(str(self.root), "", "pack_not_folder"),))
        read = self.read_json(self.root / DECK_FILE, DECK_FILE, missing="deck_missing")
        _, doc = read if read is not None else (b"", None)
        if read is not None and not self.trusted:
            self.scan_deck(doc)
            if self.format_unsupported(doc):
                return LoadResult(None, tuple(self.problems))
            self.check_schema(doc)
            self.check_deck(doc)
        catalogues = self.load_catalogues()
        default = doc.get("default_locale") if isinstance(doc, dict) else None
        if not (isinstance(default, str) and LOCALE_RE.fullmatch(default)):
            default = None
        if not self.trusted:
            self.check_catalogues(catalogues, default, doc)
        self.check_required(catalogues, default, (*ALWAYS_REQUIRED, *required_keys))
        if self.trusted:
            media = self.media_paths(doc)
        else:
            media = {p: m.path for p, m in self.check_media(doc).items()}
        if any(p.is_error for p in self.problems) or not isinstance(doc, dict) \
                or default is None:
            return LoadResult(None, tuple(self.problems))
        warnings = self.check_font(catalogues)
        order = [default, *sorted(c for c in catalogues if c != default)]
        strings = {loc: catalogues[loc].strings or {} for loc in order}
        pack = ContentPack(
            root=self.root.resolve(),
            deck=_build_deck(doc, media),
            catalogues={loc: Catalogue(loc, strings[loc]) for loc in order},
            sources=_sources(self.root.resolve(), self.i18n_dir, catalogues, media),
            builtin=builtin,
            locales=tuple(order),
        )
        return LoadResult(pack, tuple(warnings))

    def check_font(self, catalogues: Mapping[str, _CatalogueFile]) -> list[Problem]:
        """A warning for each catalogue with characters the bundled font lacks:
        on a computer without another font for them they show as empty boxes."""
        if self.font_coverage is None:
            return []
        out = []
        for locale, cat in sorted(catalogues.items()):
            lacking = sorted({ch for text in (cat.strings or {}).values() for ch in text
                              if ord(ch) not in self.font_coverage and not _invisible(ch)})
            if lacking:
                out.append(Problem(cat.file, "", "font_missing_chars",
                                   {"count": str(len(lacking)), "chars": " ".join(lacking[:12]),
                                    "locale": locale}, severity="warning"))
        return out

    def read_json(self, path: Path, file: str, *, missing: str) -> tuple[bytes, object] | None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.add(file, "", missing)
            return None
        except OSError as exc:
            self.add(file, "", "file_unreadable", reason=exc.strerror or type(exc).__name__)
            return None
        # RFC 8259 lets a parser ignore a byte order mark; Windows editors add one.
        skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = exc.start + skip
            line_start = data.rfind(b"\n", 0, offset) + 1
            self.problems.append(
                Problem(
                    file,
                    "",
                    "not_utf8",
                    {"offset": str(offset)},
                    line=data.count(b"\n", 0, offset) + 1,
                    column=offset - line_start + 1,
                )
            )
            return None
        try:
            value = json.loads(
                text,
                object_pairs_hook=_object_pairs,
                parse_constant=_Literal,
                parse_float=_parse_float,
            )
        except json.JSONDecodeError as exc:
            self.problems.append(
                Problem(file, "", "json_syntax", {"reason": exc.msg}, exc.lineno, exc.colno)
            )
            return None
        except RecursionError:
            self.add(file, "", "json_too_deep")
            return None
        except ValueError as exc:  # e.g. an integer longer than Python converts
            self.add(file, "", "json_syntax", reason=str(exc))
            return None
        return data, value

    # -- deck.json -----------------------------------------------------------

    def scan_deck(self, doc: object) -> None:
        """What the parser let through but JSON forbids: repeated keys, non-finite numbers."""
        for path, node in _walk(doc, child_path):
            if isinstance(node, _Object):
                for key in node.duplicates:
                    self.add(DECK_FILE, child_path(path, key), "json_duplicate_key", key=key)
            elif isinstance(node, _Literal):
                self.add(DECK_FILE, path, "json_constant", literal=_literal_name(node))
            elif isinstance(node, _Overflow):
                self.add(DECK_FILE, path, "number_not_finite", value=node.text[:40])
            elif isinstance(node, int | float) and not _fits_float(node):
                self.add(DECK_FILE, path, "number_not_finite", value=short_repr(node))

    def format_unsupported(self, doc: object) -> bool:
        # Checked before the schema: a newer format would otherwise drown in
        # schema problems that only say this app is too old.
        fmt = doc.get("format") if isinstance(doc, dict) else None
        if isinstance(fmt, float) and math.isfinite(fmt) and fmt.is_integer():
            number = int(fmt)
        elif isinstance(fmt, int) and not isinstance(fmt, bool):
            number = fmt
        else:
            return False  # not a whole number: the schema says what is wrong
        if number in SUPPORTED_FORMATS:
            return False
        supported = ", ".join(str(f) for f in SUPPORTED_FORMATS)
        self.add(
            DECK_FILE, "format", "format_unsupported", format=short_repr(fmt), supported=supported
        )
        return True

    def check_schema(self, doc: object) -> None:
        try:
            validator = deck_validator()
        except (OSError, ValueError, RecursionError) as exc:
            self.add(SCHEMA_FILE, "", "schema_unavailable", reason=type(exc).__name__)
            return
        self.problems.extend(validator.validate(doc))

    def check_deck(self, doc: object) -> None:
        """Rules the schema cannot say: unique ids, series as long as their axis."""
        slides = doc.get("slides") if isinstance(doc, dict) else None
        if not isinstance(slides, list):
            return
        first_id: dict[str, str] = {}
        for i, slide in enumerate(slides):
            if not isinstance(slide, dict):
                continue
            where = index_path("slides", i)
            self.unique(slide.get("id"), f"{where}.id", first_id, "duplicate_slide_id")
            spec = slide.get("map")
            if isinstance(spec, dict):
                # Places and areas share one namespace: an id names one thing on the map.
                first_map_id: dict[str, str] = {}
                for group in ("places", "areas"):
                    items = spec.get(group)
                    for j, item in enumerate(items if isinstance(items, list) else ()):
                        if isinstance(item, dict):
                            path = f"{where}.map.{group}[{j}].id"
                            self.unique(item.get("id"), path, first_map_id, "duplicate_map_id")
            chart = slide.get("chart")
            if isinstance(chart, dict):
                self.check_series(chart, f"{where}.chart")
                self.check_distinct_x(chart, f"{where}.chart")
        self.check_tours(doc, set(first_id))

    def check_tours(self, doc: object, slide_ids: set[str]) -> None:
        """Every tour has its own id, and every stop names a slide of the deck."""
        tours = doc.get("tours") if isinstance(doc, dict) else None
        first_tour: dict[str, str] = {}
        for i, tour in enumerate(tours if isinstance(tours, list) else ()):
            if not isinstance(tour, dict):
                continue
            where = index_path("tours", i)
            self.unique(tour.get("id"), f"{where}.id", first_tour, "duplicate_tour_id")
            stops = tour.get("stops")
            for j, stop in enumerate(stops if isinstance(stops, list) else ()):
                slide = stop.get("slide") if isinstance(stop, dict) else None
                if isinstance(slide, str) and slide not in slide_ids:
                    self.add(DECK_FILE, f"{where}.stops[{j}].slide", "tour_unknown_slide",
                             id=slide, ids=", ".join(sorted(slide_ids)))

    def check_distinct_x(self, chart: dict[str, object], where: str) -> None:
        """Two points at one x of a line or timeline would be drawn on top of each other."""
        kind = chart.get("kind")
        if kind == "line":
            values = chart.get("x")
            xs = [(f"{where}.x[{i}]", v) for i, v in
                  enumerate(values if isinstance(values, list) else ())]
        elif kind == "timeline":
            points = chart.get("points")
            xs = [(f"{where}.points[{i}].x", p.get("x")) for i, p in
                  enumerate(points if isinstance(points, list) else ()) if isinstance(p, dict)]
        else:
            return
        first: dict[str, str] = {}
        for path, value in xs:
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.unique(repr(float(value)), path, first, "duplicate_x")

    def unique(self, value: object, path: str, first: dict[str, str], code: str) -> None:
        if not isinstance(value, str):
            return
        if value in first:
            self.add(DECK_FILE, path, code, id=value, first=first[value])
        else:
            first[value] = path

    def check_series(self, chart: dict[str, object], where: str) -> None:
        kind = chart.get("kind")
        axis_key, code = {
            "bar": ("categories", "series_length_categories"),
            "line": ("x", "series_length_x"),
        }.get(kind if isinstance(kind, str) else "", ("", ""))
        axis, series = chart.get(axis_key), chart.get("series")
        if not (axis_key and isinstance(axis, list) and isinstance(series, list)):
            return
        for j, item in enumerate(series):
            values = item.get("values") if isinstance(item, dict) else None
            if isinstance(values, list) and len(values) != len(axis):
                self.add(
                    DECK_FILE,
                    f"{where}.series[{j}].values",
                    code,
                    count=str(len(values)),
                    expected=str(len(axis)),
                )

    # -- catalogues ----------------------------------------------------------

    def load_catalogues(self) -> dict[str, _CatalogueFile]:
        folder = self.rel(self.i18n_dir)
        try:
            if not self.i18n_dir.is_dir():
                self.add(folder, "", "i18n_missing")
                return {}
            paths = sorted(p for p in self.i18n_dir.iterdir() if p.name.endswith(".json"))
        except OSError as exc:
            self.add(folder, "", "file_unreadable", reason=exc.strerror or type(exc).__name__)
            return {}
        if not paths:
            self.add(folder, "", "i18n_empty")
            return {}
        found: dict[str, _CatalogueFile] = {}
        for path in paths:
            file = self.rel(path)
            locale = path.name[: -len(".json")]
            if not LOCALE_RE.fullmatch(locale):
                self.add(file, "", "catalogue_name", name=path.name)
                continue
            entry = found[locale] = _CatalogueFile(locale, file)
            read = self.read_json(path, file, missing="file_unreadable")
            if read is None:
                continue
            entry.data, tree = read
            if not isinstance(tree, dict):
                self.add(file, "", "catalogue_not_object", got_type=json_type(tree))
                continue
            entry.strings = self.flatten(tree, file, entry.broken)
        return found

    def flatten(self, tree: dict[str, object], file: str, broken: set[str]) -> dict[str, str]:
        """Nested objects to dotted keys, reporting every leaf that is not a usable string."""
        strings: dict[str, str] = {}
        stack: list[tuple[str, dict[str, object]]] = [("", tree)]
        while stack:
            prefix, node = stack.pop()
            for key in getattr(node, "duplicates", ()):
                self.add(file, _dotted(prefix, key), "json_duplicate_key", key=key)
            nested: list[tuple[str, dict[str, object]]] = []
            for key, value in node.items():
                dotted = _dotted(prefix, key)
                if not key or key.startswith(".") or key.endswith(".") or ".." in key:
                    self.add(file, dotted, "catalogue_key_invalid", key=short_repr(key))
                elif isinstance(value, dict):
                    nested.append((dotted, value))
                elif not isinstance(value, str):
                    broken.add(dotted)
                    self.add(
                        file,
                        dotted,
                        "catalogue_not_string",
                        got_type=json_type(value),
                        got_value=short_repr(value),
                    )
                elif not value:
                    broken.add(dotted)
                    self.add(file, dotted, "catalogue_empty_string")
                elif dotted in strings:
                    # {"a": {"b": ..}} and {"a.b": ..} name the same key.
                    self.add(file, dotted, "json_duplicate_key", key=dotted)
                else:
                    strings[dotted] = value
            stack.extend(reversed(nested))
        return strings

    def check_catalogues(
        self, found: Mapping[str, _CatalogueFile], default: str | None, doc: object
    ) -> None:
        if default is not None and found and default not in found:
            available = ", ".join(sorted(found)) or _NONE
            self.add(
                DECK_FILE,
                "default_locale",
                "default_locale_missing",
                locale=default,
                available=available,
            )
        parsed: dict[str, dict[str, frozenset[str] | None]] = {}
        for entry in found.values():
            if entry.strings is not None:
                parsed[entry.locale] = self.check_messages(entry.file, entry.strings)
        base = found.get(default) if default is not None else None
        if base is not None and base.strings is None:
            base = None
        if default is not None and base is not None:
            for entry in found.values():
                if entry.locale != default and entry.strings is not None:
                    self.compare(entry, base, parsed[default], parsed[entry.locale])
        if isinstance(doc, dict):
            self.check_text_keys(found, base, doc)

    def check_messages(
        self, file: str, strings: Mapping[str, str]
    ) -> dict[str, frozenset[str] | None]:
        names: dict[str, frozenset[str] | None] = {}
        for key, text in strings.items():
            names[key] = found = _placeholders(text)
            if found is None:
                self.add(file, key, "braces_malformed")
                continue
            for name in sorted(found):
                # Positional ({}, {0}) and attribute ({a.b}) fields cannot be
                # filled from named parameters.
                if not name.isidentifier():
                    self.add(file, key, "placeholder_invalid", placeholder="{" + name + "}")
        return names

    def compare(
        self,
        entry: _CatalogueFile,
        base: _CatalogueFile,
        base_names: Mapping[str, frozenset[str] | None],
        names: Mapping[str, frozenset[str] | None],
    ) -> None:
        default = base.locale
        mine_keys, base_keys = entry.all_keys(), base.all_keys()
        for key in base.strings or {}:
            if key not in mine_keys:
                self.add(entry.file, key, "key_missing", default_locale=default)
        for key in base.broken - mine_keys:
            self.add(entry.file, key, "key_missing", default_locale=default)
        for key in entry.strings or {}:
            if key not in base_keys:
                self.add(entry.file, key, "key_extra", default_locale=default)
                continue
            mine, theirs = names.get(key), base_names.get(key)
            if mine is not None and theirs is not None and mine != theirs:
                self.add(
                    entry.file,
                    key,
                    "placeholders_differ",
                    placeholders=_show_set(mine),
                    expected=_show_set(theirs),
                    default_locale=default,
                )

    def lacking(
        self, found: Mapping[str, _CatalogueFile], base: _CatalogueFile | None, key: str
    ) -> Iterator[_CatalogueFile]:
        """The usable catalogues without ``key`` that no other problem names already."""
        for entry in found.values():
            if entry.strings is None or entry.has(key):
                continue
            if base is not None and entry is not base and base.has(key):
                continue  # key_missing says it
            yield entry

    def check_text_keys(
        self,
        found: Mapping[str, _CatalogueFile],
        base: _CatalogueFile | None,
        doc: dict[str, object],
    ) -> None:
        unit_checked: set[tuple[str, str]] = set()
        for path, key, name in _text_refs(doc):
            for entry in self.lacking(found, base, key):
                self.add(
                    DECK_FILE,
                    path,
                    "text_key_missing",
                    key=key,
                    locale=entry.locale,
                    catalogue=entry.file,
                )
            if name not in UNIT_FIELDS:
                continue
            for entry in found.values():
                text = (entry.strings or {}).get(key)
                if text is None or (entry.locale, key) in unit_checked:
                    continue
                unit_checked.add((entry.locale, key))
                names = _placeholders(text)
                if names is not None and "value" not in names:
                    self.add(entry.file, key, "unit_placeholder", where=path)

    def check_required(
        self, found: Mapping[str, _CatalogueFile], default: str | None, keys: Iterable[str]
    ) -> None:
        base = found.get(default) if default is not None else None
        if base is not None and base.strings is None:
            base = None
        for key in dict.fromkeys(keys):
            for entry in self.lacking(found, base, key):
                self.add(entry.file, key, "required_key_missing")

    # -- media ---------------------------------------------------------------

    def media_paths(self, doc: object) -> dict[str, Path]:
        """Where the media named by a trusted deck are, without reading them."""
        base = self.root.resolve()
        slides = doc.get("slides") if isinstance(doc, dict) else None
        out: dict[str, Path] = {}
        for i, slide in enumerate(slides if isinstance(slides, list) else ()):
            for name in MEDIA_FIELDS:
                value = slide.get(name) if isinstance(slide, dict) else None
                if isinstance(value, str):
                    out[f"{index_path('slides', i)}.{name}"] = (base / value).resolve()
        return out

    def check_media(self, doc: object) -> dict[str, Media]:
        """Every media file the slides name, by the JSON path that names it."""
        slides = doc.get("slides") if isinstance(doc, dict) else None
        media: dict[str, Media] = {}
        # A picture named on several slides is read once; its problem, if it
        # has one, is reported at each place that names it.
        seen: dict[str, Media | Problem] = {}
        for i, slide in enumerate(slides if isinstance(slides, list) else ()):
            if not isinstance(slide, dict):
                continue
            for name in MEDIA_FIELDS:
                value = slide.get(name)
                if not isinstance(value, str):
                    continue
                path = f"{index_path('slides', i)}.{name}"
                if value not in seen:
                    seen[value] = check_media(self.root, value, file=DECK_FILE, path=path,
                                              deep=self.deep_media)
                checked = seen[value]
                if isinstance(checked, Problem):
                    self.problems.append(checked._replace(path=path))
                else:
                    media[path] = checked
        return media


def _text_refs(doc: dict[str, object]) -> Iterator[tuple[str, str, str]]:
    """``(json path, text key, field name)`` for every text key deck.json names."""
    for path, node in _walk(doc, child_path):
        if not isinstance(node, dict):
            continue
        for name, value in node.items():
            where = child_path(path, name)
            if name in TEXT_FIELDS and isinstance(value, str) and TEXT_KEY_RE.match(value):
                yield where, value, name
            elif name in TEXT_LIST_FIELDS and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str) and TEXT_KEY_RE.match(item):
                        yield index_path(where, i), item, name


def _invisible(ch: str) -> bool:
    """Whitespace, controls and format marks: nothing a font has to draw."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def read_coverage(path: Path) -> frozenset[int] | None:
    """Code points listed as ``XXXX`` or ``XXXX-YYYY`` lines (``#`` comments)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    points: set[int] = set()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        first, _, last = line.partition("-")
        try:
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        except ValueError:
            return None
    return frozenset(points)


def _sources(root: Path, i18n_dir: Path, catalogues: Mapping[str, _CatalogueFile],
             media: Mapping[str, Path]) -> tuple[tuple[str, Path], ...]:
    """Every file of the pack, named as in the pack, in a stable order."""
    out = [(DECK_FILE, root / DECK_FILE)]
    out += [(f"i18n/{locale}.json", i18n_dir / f"{locale}.json") for locale in sorted(catalogues)]
    seen: set[Path] = set()
    for path in media.values():
        if path not in seen:
            seen.add(path)
            out.append((path.relative_to(root).as_posix(), path))
    return tuple(out)


# -- the model ---------------------------------------------------------------
# These run only on a document the schema accepted, so the shapes are known.

Json = dict[str, Any]


def _opt(obj: Json, key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _series(items: list[Json]) -> tuple[Series, ...]:
    return tuple(Series(s["name"], tuple(float(v) for v in s["values"])) for s in items)


def _chart(obj: Json) -> Chart:
    return Chart(
        kind=obj["kind"],
        title=obj["title"],
        unit=obj["unit"],
        decimals=int(obj.get("decimals", 0)),
        approximate=bool(obj.get("approximate", False)),
        note=_opt(obj, "note"),
        orientation=obj.get("orientation", "vertical"),
        categories=tuple(obj.get("categories", ())),
        series=_series(obj.get("series", [])),
        items=tuple(
            ShareItem(i["label"], float(i["value"]), i["value_label"]) for i in obj.get("items", [])
        ),
        x=tuple(float(v) for v in obj.get("x", ())),
        x_unit=_opt(obj, "x_unit"),
        points=tuple(
            TimelinePoint(float(p["x"]), p["label"], p["detail"]) for p in obj.get("points", [])
        ),
    )


def _map(obj: Json) -> MapSpec:
    county, corridor = obj["county"], obj.get("corridor")
    return MapSpec(
        caption=obj["caption"],
        hint=obj["hint"],
        county=Ellipse(
            float(county["x"]), float(county["y"]), float(county["rx"]), float(county["ry"])
        ),
        places=tuple(
            MapPlace(p["id"], p["name"], float(p["x"]), float(p["y"]), p["kind"])
            for p in obj["places"]
        ),
        areas=tuple(
            MapArea(a["id"], a["name"], a["focus"], float(a["x"]), float(a["y"]))
            for a in obj["areas"]
        ),
        corridor=(
            Corridor(corridor["label"], float(corridor["x"]), float(corridor["y"]))
            if isinstance(corridor, dict)
            else None
        ),
    )


def _point(item: str | Json) -> Point:
    if isinstance(item, str):
        return Point(item)
    return Point(item["text"], _opt(item, "icon"))


def _slide(obj: Json, where: str, media: Mapping[str, Path]) -> Slide:
    return Slide(
        id=obj["id"],
        type=obj["type"],
        notes=obj["notes"],
        title=_opt(obj, "title"),
        subtitle=_opt(obj, "subtitle"),
        kicker=_opt(obj, "kicker"),
        source=_opt(obj, "source"),
        image=media.get(f"{where}.image"),
        emblem=media.get(f"{where}.emblem"),
        quote=_opt(obj, "quote"),
        attribution=_opt(obj, "attribution"),
        lead=_opt(obj, "lead"),
        footer=_opt(obj, "footer"),
        points=tuple(_point(p) for p in obj.get("points", ())),
        cards=tuple(
            Card(c["icon"], c["heading"], _opt(c, "body"), _opt(c, "stat"))
            for c in obj.get("cards", ())
        ),
        chart=_chart(obj["chart"]) if "chart" in obj else None,
        map=_map(obj["map"]) if "map" in obj else None,
    )


def _build_deck(doc: Json, media: Mapping[str, Path]) -> Deck:
    return Deck(
        format=int(doc["format"]),
        id=doc["id"],
        version=doc["version"],
        title=doc["title"],
        default_locale=doc["default_locale"],
        slides=tuple(
            _slide(s, index_path("slides", i), media) for i, s in enumerate(doc["slides"])
        ),
        tours=_tours(doc),
    )


def _tours(doc: Json) -> tuple[Tour, ...]:
    index = {s["id"]: i for i, s in enumerate(doc["slides"])}
    return tuple(
        Tour(t["id"], t["title"],
             tuple(TourStop(index[stop["slide"]], float(stop["seconds"])) for stop in t["stops"]))
        for t in doc.get("tours", ()))
