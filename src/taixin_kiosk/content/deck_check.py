"""The checks of deck.json: its format, the schema, and what the schema cannot say.

The schema gives the shapes; ``DeckCheck`` adds the rules between parts of
the document (unique ids, tours naming real slides, series as long as their
axis, distinct and rising x values, shares within their whole, years that
are whole numbers) and finds the media files the slides name.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path

from taixin_kiosk.content.deck import DECK_FILE, MEDIA_FIELDS
from taixin_kiosk.content.json_read import index_path, short_repr
from taixin_kiosk.content.media import Media, check_media
from taixin_kiosk.content.numbers import default_x_kind, is_whole
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.content.schema import Validator

SUPPORTED_FORMATS: tuple[int, ...] = (1,)
# The parts of a share chart may add up to the whole (1.0) give or take
# this much, for fractions written to a few decimals (0.3333 * 3).
SHARE_TOLERANCE = 1e-3
SCHEMA_FILE = "deck.schema.json"


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


class DeckCheck:
    """Checks a parsed deck.json, adding what is wrong to ``problems``.

    ``problems`` is shared with the rest of the load, so every problem keeps
    its place in the one list a pack's check reports.
    """

    def __init__(self, root: Path, problems: list[Problem], *, deep_media: bool = True,
                 tick: Callable[[], None] | None = None) -> None:
        self.root = root
        # Told after each picture: the load's heartbeat and time budget.
        self.tick = tick
        self.problems = problems
        # PNG checksums and pixel data too (see ``media.check_media``).
        self.deep_media = deep_media

    def add(self, path: str, code: str, **params: str) -> None:
        self.problems.append(Problem(DECK_FILE, path, code, params))

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
        self.add("format", "format_unsupported", format=short_repr(fmt), supported=supported)
        return True

    def check_schema(self, doc: object) -> None:
        try:
            validator = deck_validator()
        except (OSError, ValueError, RecursionError) as exc:
            self.problems.append(Problem(SCHEMA_FILE, "", "schema_unavailable",
                                         {"reason": type(exc).__name__}))
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
                self.check_x_order(chart, f"{where}.chart")
                self.check_shares(chart, f"{where}.chart")
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
                    self.add(f"{where}.stops[{j}].slide", "tour_unknown_slide",
                             id=slide, ids=", ".join(sorted(slide_ids)))

    def check_distinct_x(self, chart: dict[str, object], where: str) -> None:
        """Two points at one x of a line or timeline would be drawn on top of each other."""
        first: dict[str, str] = {}
        xs = chart_x_paths(chart, where)
        for path, value in xs:
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.unique(repr(float(value)), path, first, "duplicate_x")

    def check_x_order(self, chart: dict[str, object], where: str) -> None:
        """A line's x values rise from left to right (a line drawn back on
        itself reads as other data), and years and ordinals are whole numbers."""
        kind = chart.get("kind")
        xs = chart_x_paths(chart, where)
        numbers = [(path, v) for path, v in xs
                   if isinstance(v, int | float) and not isinstance(v, bool)]
        if kind == "line":
            seen: set[float] = set()
            for (_, a), (path, b) in itertools.pairwise(numbers):
                seen.add(float(a))
                # A value used before is a duplicate_x, said once.
                if b < a and float(b) not in seen:
                    self.add(path, "x_not_increasing", value=short_repr(b), before=short_repr(a))
        declared = chart.get("x_kind")
        kind_of_x = declared if isinstance(declared, str) else \
            default_x_kind((float(v) for _, v in numbers), str(kind))
        if kind_of_x in ("year", "ordinal"):
            for path, value in numbers:
                if not is_whole(float(value)):
                    self.add(path, "x_not_whole", value=short_repr(value), kind=kind_of_x)

    def check_shares(self, chart: dict[str, object], where: str) -> None:
        """The parts of a whole add up to at most the whole (1.0): more would
        draw bars that read as more than all there is."""
        items = chart.get("items")
        if chart.get("kind") != "share" or not isinstance(items, list):
            return
        values = [item.get("value") for item in items if isinstance(item, dict)]
        numbers = [float(v) for v in values
                   if isinstance(v, int | float) and not isinstance(v, bool)]
        total = math.fsum(numbers)
        if total > 1.0 + SHARE_TOLERANCE:
            self.add(f"{where}.items", "share_over_whole", total=f"{total:g}")

    def unique(self, value: object, path: str, first: dict[str, str], code: str) -> None:
        if not isinstance(value, str):
            return
        if value in first:
            self.add(path, code, id=value, first=first[value])
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
                    f"{where}.series[{j}].values",
                    code,
                    count=str(len(values)),
                    expected=str(len(axis)),
                )

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
                    if self.tick is not None:
                        self.tick()
                checked = seen[value]
                if isinstance(checked, Problem):
                    self.problems.append(checked._replace(path=path))
                else:
                    media[path] = checked
        return media


def chart_x_paths(chart: dict[str, object], where: str) -> list[tuple[str, object]]:
    """Each x value of a line or a timeline with its JSON path (none for
    other kinds)."""
    kind = chart.get("kind")
    if kind == "line":
        values = chart.get("x")
        return [(f"{where}.x[{i}]", v) for i, v in
                enumerate(values if isinstance(values, list) else ())]
    if kind == "timeline":
        points = chart.get("points")
        return [(f"{where}.points[{i}].x", p.get("x")) for i, p in
                enumerate(points if isinstance(points, list) else ()) if isinstance(p, dict)]
    return []
