"""The checks of a pack's catalogues (``i18n/<locale>.json``) and of deck.json's text keys.

``CatalogueCheck`` reads each catalogue, flattens it to dotted keys and
compares every locale with the default one: the same keys, the same
placeholders, braces that parse. It also finds the text keys deck.json and
the app need but a catalogue lacks. ``check_font`` warns about characters
no font of the app or of the pack can draw.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

from taixin_kiosk.content.catalogue import LOCALE_RE
from taixin_kiosk.content.deck import DECK_FILE
from taixin_kiosk.content.json_read import (
    child_path,
    duplicate_keys,
    index_path,
    json_type,
    read_json,
    short_repr,
    walk,
)
from taixin_kiosk.content.problems import Problem

# deck.json fields whose string value is a text key, and lists of text keys.
TEXT_FIELDS = frozenset({
    "title", "subtitle", "kicker", "source", "quote", "attribution", "lead", "footer",
    "notes", "heading", "body", "stat", "text", "name", "focus", "label", "value_label",
    "detail", "caption", "hint", "seated_hint", "unit", "x_unit", "note",
})  # fmt: skip
TEXT_LIST_FIELDS = frozenset({"categories", "points"})
UNIT_FIELDS = frozenset({"unit", "x_unit"})
# The same rule as the schema's text_key pattern; only keys of this form are
# looked up, the schema reports the others.
TEXT_KEY_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)+\Z")
_NONE = "—"  # how an empty placeholder set shows in a message
_FORMATTER = string.Formatter()
_CONVERSIONS = frozenset({None, "r", "s", "a"})


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


class CatalogueFile:
    """One catalogue file as read: its locale, its name in the pack, its strings."""

    # Plain classes here: a dataclass costs start-up time to define.
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


def default_entry(found: Mapping[str, CatalogueFile], default: str | None) -> CatalogueFile | None:
    """The default locale's catalogue when it was read and usable, else None."""
    base = found.get(default) if default is not None else None
    if base is not None and base.strings is None:
        base = None
    return base


class CatalogueCheck:
    """Reads and checks the catalogues in ``i18n_dir``, adding what is wrong to ``problems``.

    ``problems`` is shared with the rest of the load, so every problem keeps
    its place in the one list a pack's check reports.
    """

    def __init__(self, root: Path, i18n_dir: Path, problems: list[Problem]) -> None:
        self.root = root
        self.i18n_dir = i18n_dir
        self.problems = problems
        # The app's own words a pack may translate (content.keys.language_keys):
        # a language the app does not speak needs them when the default
        # locale, which the app speaks, has none, so they are never "extra".
        self.app_words: frozenset[str] = frozenset()

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

    # -- reading -------------------------------------------------------------

    def load_catalogues(self) -> dict[str, CatalogueFile]:
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
        found: dict[str, CatalogueFile] = {}
        for path in paths:
            file = self.rel(path)
            locale = path.name[: -len(".json")]
            if not LOCALE_RE.fullmatch(locale):
                self.add(file, "", "catalogue_name", name=path.name)
                continue
            entry = found[locale] = CatalogueFile(locale, file)
            read = read_json(path, file, missing="file_unreadable")
            if isinstance(read, Problem):
                self.problems.append(read)
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
            for key in duplicate_keys(node):
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

    # -- checking ------------------------------------------------------------

    def check_catalogues(
        self, found: Mapping[str, CatalogueFile], default: str | None, doc: object
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
        base = default_entry(found, default)
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
        entry: CatalogueFile,
        base: CatalogueFile,
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
                if key not in self.app_words:
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
        self, found: Mapping[str, CatalogueFile], base: CatalogueFile | None, key: str
    ) -> Iterator[CatalogueFile]:
        """The usable catalogues without ``key`` that no other problem names already."""
        for entry in found.values():
            if entry.strings is None or entry.has(key):
                continue
            if base is not None and entry is not base and base.has(key):
                continue  # key_missing says it
            yield entry

    def check_text_keys(
        self,
        found: Mapping[str, CatalogueFile],
        base: CatalogueFile | None,
        doc: dict[str, object],
    ) -> None:
        unit_checked: set[tuple[str, str]] = set()
        for path, key, name in text_refs(doc):
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
        self, found: Mapping[str, CatalogueFile], default: str | None, keys: Iterable[str]
    ) -> None:
        base = default_entry(found, default)
        for key in dict.fromkeys(keys):
            for entry in self.lacking(found, base, key):
                self.add(entry.file, key, "required_key_missing")

    def check_language(
        self,
        found: Mapping[str, CatalogueFile],
        default: str | None,
        words: Mapping[str, str],
        app_locales: Collection[str],
    ) -> None:
        """Every key of ``words`` (the app's words a visitor or presenter sees,
        with its English text) in each catalogue of a language the app does
        not speak itself, where the app has no words of its own to show
        instead; where the default locale leaves a key to the app, its
        placeholders are checked against the app's."""
        base = default_entry(found, default)
        sections = ", ".join(sorted({key.split(".", 1)[0] for key in words}))
        own = ", ".join(sorted(app_locales)) or _NONE
        for key, english in words.items():
            for entry in self.lacking(found, base, key):
                if entry.locale not in app_locales:
                    self.add(entry.file, key, "language_key_missing", locale=entry.locale,
                             app_locales=own, sections=sections)
            expected = _placeholders(english)
            for entry in found.values():
                text = (entry.strings or {}).get(key)
                if text is None or expected is None:
                    continue
                if base is not None and entry is not base and base.has(key):
                    continue  # compare() held it to the default locale's
                mine = _placeholders(text)
                if mine is not None and mine != expected:
                    self.add(entry.file, key, "app_placeholders_differ",
                             placeholders=_show_set(mine), expected=_show_set(expected))


def text_refs(doc: dict[str, object]) -> Iterator[tuple[str, str, str]]:
    """``(json path, text key, field name)`` for every text key deck.json names."""
    for path, node in walk(doc, child_path):
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


# -- the fonts ----------------------------------------------------------


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


# How many of the characters no font draws a warning shows.
FONT_LIST_MAX = 12


def check_font(
    catalogues: Mapping[str, CatalogueFile], coverage: Collection[int] | None
) -> list[Problem]:
    """A warning for each catalogue with characters no font draws
    (``coverage``: the code points the bundled fonts and the pack's own fonts
    draw; None: no check): on a computer without another font for them they
    show as empty boxes. It gives the full count and the first few."""
    if coverage is None:
        return []
    out = []
    for locale, cat in sorted(catalogues.items()):
        lacking = sorted({ch for text in (cat.strings or {}).values() for ch in text
                          if ord(ch) not in coverage and not _invisible(ch)})
        if lacking:
            code = "font_missing_chars" if len(lacking) <= FONT_LIST_MAX \
                else "font_missing_chars_first"
            out.append(Problem(cat.file, "", code,
                               {"count": str(len(lacking)), "shown": str(FONT_LIST_MAX),
                                "chars": " ".join(lacking[:FONT_LIST_MAX]),
                                "locale": locale}, severity="warning"))
    return out
