"""Loads a content pack (deck.json, its catalogues and media) and validates all of it.

``load_pack`` never raises: whatever is on disk, it returns a :class:`LoadResult`
that lists every problem found, so ``validate`` can print them all at once and
the app can fall back to the built-in pack with a notice. The model is built
only from a pack without a single problem, which is why views may trust it.

This module runs the load in order; the work is done by ``json_read`` (strict
JSON), ``deck_check`` (deck.json and its media), ``catalogue_check`` (the
catalogues, text keys and font coverage) and ``deck_build`` (the model).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from taixin_kiosk.content.catalogue import LOCALE_RE, Catalogue
from taixin_kiosk.content.catalogue_check import CatalogueCheck, check_font
from taixin_kiosk.content.chart_check import check_charts
from taixin_kiosk.content.deck import DECK_FILE, ContentPack
from taixin_kiosk.content.deck_build import build_deck, media_paths
from taixin_kiosk.content.json_read import read_json, scan
from taixin_kiosk.content.limits import (
    MAX_DECK_BYTES,
    LoadWatch,
    OverBudget,
    catalogue_sizes,
    deck_counts,
    file_too_large,
)
from taixin_kiosk.content.problems import Problem, errors_in, warnings_in

if TYPE_CHECKING:
    from taixin_kiosk.content.deck_check import DeckCheck

# Every problem code a load reports, from this module and the checks it runs
# (json_read, deck_check, catalogue_check); media.CODES and schema.CODES add theirs.
CODES: tuple[str, ...] = (
    "font_missing_chars",
    "font_missing_chars_first",
    # content.pack_fonts (imported only for a pack with a fonts/ folder).
    "pack_font_licence_missing",
    "pack_font_unreadable",
    "pack_font_invalid",
    "pack_missing",
    "pack_not_folder",
    "deck_missing",
    "file_unreadable",
    "file_not_regular",
    "file_too_large_to_read",
    "not_utf8",
    "json_syntax",
    "json_trailing_comma",
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
    "map_unlabelled",
    # content.chart_check (warnings).
    "chart_title_repeated",
    "line_two_points",
    "series_length_categories",
    "series_length_x",
    "x_not_increasing",
    "x_not_whole",
    "share_over_whole",
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
    "language_key_missing",
    "app_placeholders_differ",
    "unit_placeholder",
    "internal_error",
    # content.limits (limit_pixels is media's).
    "limit_slides",
    "limit_deck_bytes",
    "limit_catalogue_bytes",
    "limit_images",
    "load_over_budget",
    # content.choice: an installed pack passed over at start.
    "pack_failed_starts",
)

# Keys the app reads from every catalogue whatever the caller asks for.
ALWAYS_REQUIRED: tuple[str, ...] = (
    "meta.language_name",
    "meta.number.group",
    "meta.number.decimal",
)


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
    app_words: Mapping[str, str] | None = None,
    app_locales: Collection[str] = (),
    deep_media: bool = True,
    font_coverage: Collection[int] | None = None,
    trusted: bool = False,
    watch: LoadWatch | None = None,
) -> LoadResult:
    """Validate the pack at ``root`` (catalogues in ``i18n_dir``, default ``root/i18n``).

    ``required_keys`` are catalogue keys the caller needs in every locale (the
    app passes its UI keys); the ``meta`` keys are always required.
    ``app_words`` (key -> the app's own English text) are needed only in a
    language outside ``app_locales`` (the languages the app speaks itself,
    whose words stand in for a key a pack leaves out), with the same
    placeholders; see ``content.keys``.
    ``deep_media`` checks PNG checksums and pixel data too (see ``media.check_media``).
    ``font_coverage`` (code points the app's fonts draw) adds a warning per
    catalogue whose text neither they nor the pack's own fonts (``fonts/``)
    can draw.
    ``trusted``: these very files passed every check before (the caller knows
    how); only what building the model needs is read, no check is repeated.
    ``watch`` is told between the steps: it keeps a heartbeat going and ends
    a load over its time budget (a ``load_over_budget`` problem).
    """
    try:
        loader = _Loader(
            Path(root),
            Path(i18n_dir) if i18n_dir is not None else Path(root) / "i18n",
            deep_media=deep_media,
            font_coverage=font_coverage,
            trusted=trusted,
            watch=watch,
        )
        return loader.run(builtin=builtin, required_keys=tuple(required_keys),
                          app_words=dict(app_words or {}), app_locales=frozenset(app_locales))
    except OverBudget as over:
        return LoadResult(None, (Problem(DECK_FILE, "", "load_over_budget",
                                         {"seconds": f"{over.seconds:.1f}"}),))
    except Exception as exc:
        # A kiosk must keep running: any bug left in the checks becomes one
        # more problem, and the app shows the built-in pack instead.
        error = type(exc).__name__
        return LoadResult(None, (Problem(DECK_FILE, "", "internal_error", {"error": error}),))


class _Loader:
    """One load of one pack: the checks in order, all adding to one list of problems."""

    def __init__(self, root: Path, i18n_dir: Path, *, deep_media: bool,
                 font_coverage: Collection[int] | None, trusted: bool,
                 watch: LoadWatch | None = None) -> None:
        self.root = root
        self.tick = watch.tick if watch is not None else _no_tick
        self.i18n_dir = i18n_dir
        self.problems: list[Problem] = []
        self.font_coverage = font_coverage
        self.trusted = trusted
        # The checks share the list, so problems come out in the order found.
        # Files that passed every check before (the built-in pack at start-up)
        # are not checked again, so the checking code is not even loaded.
        self.deck: DeckCheck | None = None
        if not trusted:
            from taixin_kiosk.content.deck_check import DeckCheck

            self.deck = DeckCheck(root, self.problems, deep_media=deep_media, tick=self.tick)
        self.catalogues = CatalogueCheck(root, i18n_dir, self.problems)

    def run(self, *, builtin: bool, required_keys: tuple[str, ...],
            app_words: Mapping[str, str], app_locales: frozenset[str]) -> LoadResult:
        # One plain sentence beats a list of everything missing inside it.
        if not self.root.exists():
            return LoadResult(None, (Problem(str(self.root), "", "pack_missing"),))
        if not self.root.is_dir():
            return LoadResult(None, (Problem(str(self.root), "", "pack_not_folder"),))
        # Sizes and counts first: a pack over them is refused before the
        # slow checks (or the model) could take minutes and gigabytes.
        too_large = [p for p in (file_too_large(self.root / DECK_FILE, DECK_FILE,
                                                MAX_DECK_BYTES, "limit_deck_bytes"),)
                     if p is not None] + catalogue_sizes(self.i18n_dir)
        if too_large:
            return LoadResult(None, tuple(too_large))
        self.tick()
        read = read_json(self.root / DECK_FILE, DECK_FILE, missing="deck_missing")
        if isinstance(read, Problem):
            self.problems.append(read)
            doc = None
        else:
            _, doc = read
            self.tick()
            over = deck_counts(doc)
            if over:
                return LoadResult(None, tuple(over))
            if self.deck is not None:
                self.problems.extend(scan(doc, DECK_FILE))
                if self.deck.format_unsupported(doc):
                    return LoadResult(None, tuple(self.problems))
                self.deck.check_schema(doc)
                self.tick()
                self.deck.check_deck(doc)
        self.tick()
        catalogues = self.catalogues.load_catalogues()
        self.tick()
        default = doc.get("default_locale") if isinstance(doc, dict) else None
        if not (isinstance(default, str) and LOCALE_RE.fullmatch(default)):
            default = None
        self.catalogues.app_words = frozenset(app_words)
        if not self.trusted:
            self.catalogues.check_catalogues(catalogues, default, doc)
        self.catalogues.check_required(catalogues, default, (*ALWAYS_REQUIRED, *required_keys))
        if app_words:
            self.catalogues.check_language(catalogues, default, app_words, app_locales)
        if self.deck is None:
            media = media_paths(self.root, doc)
        else:
            media = {p: m.path for p, m in self.deck.check_media(doc).items()}
        self.tick()
        # The built-in pack's fonts/ holds the bundled fonts, registered anyway.
        fonts: tuple[Path, ...] = ()
        pack_drawn: frozenset[int] = frozenset()
        if not builtin and (self.root / "fonts").is_dir():
            from taixin_kiosk.content.pack_fonts import check_pack_fonts, font_files

            fonts = tuple(font_files(self.root))
            if fonts and not self.trusted:
                pack_drawn = check_pack_fonts(self.root, self.problems)
        if any(p.is_error for p in self.problems) or not isinstance(doc, dict) \
                or default is None:
            return LoadResult(None, tuple(self.problems))
        self.tick()
        coverage = self.font_coverage
        warnings = check_font(catalogues, None if coverage is None else {*coverage, *pack_drawn})
        order = [default, *sorted(c for c in catalogues if c != default)]
        strings = {loc: catalogues[loc].strings or {} for loc in order}
        pack = ContentPack(
            root=self.root.resolve(),
            deck=build_deck(doc, media),
            catalogues={loc: Catalogue(loc, strings[loc]) for loc in order},
            sources=_sources(self.root.resolve(), self.i18n_dir, catalogues, media,
                             fonts),
            builtin=builtin,
            fonts=tuple(path.resolve() for path in fonts),
            locales=tuple(order),
        )
        # Cheap (a few string comparisons), so checked for every pack.
        warnings.extend(check_charts(pack.deck, pack.catalogues))
        if not self.trusted:
            from taixin_kiosk.content.map_check import check_maps

            warnings.extend(check_maps(pack.deck, pack.catalogues))
        return LoadResult(pack, tuple(warnings))


def _no_tick() -> None:
    pass


def _sources(root: Path, i18n_dir: Path, catalogues: Collection[str],
             media: Mapping[str, Path], fonts: tuple[Path, ...] = ()
             ) -> tuple[tuple[str, Path], ...]:
    """Every file of the pack, named as in the pack, in a stable order."""
    out = [(DECK_FILE, root / DECK_FILE)]
    if fonts:
        from taixin_kiosk.content.pack_fonts import licence_files

        out += [(f"fonts/{p.name}", root / "fonts" / p.name)
                for p in sorted({*fonts, *licence_files(root)})]
    out += [(f"i18n/{locale}.json", i18n_dir / f"{locale}.json") for locale in sorted(catalogues)]
    seen: set[Path] = set()
    for path in media.values():
        if path not in seen:
            seen.add(path)
            out.append((path.relative_to(root).as_posix(), path))
    return tuple(out)
