"""The deck: slides and their data, as loaded from deck.json (format 1).

Every text field is a catalogue key, never display text. The loader builds
these only from a document the validator accepted, so views may trust them.

The records are immutable NamedTuples rather than frozen dataclasses: a
dataclass costs about half a millisecond to define (it compiles its methods
at import), and these are all defined on the way to the first slide.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from taixin_kiosk.content.catalogue import Catalogue

TextKey = str
SlideType = Literal["cover", "quote", "cards", "chart", "map"]
ChartKind = Literal["bar", "share", "line", "timeline", "figures"]
# What a line's or a timeline's x values are: years and ordinals are never
# grouped ("2025", not "2,025"); quantities follow the language's format.
XKind = Literal["year", "ordinal", "quantity"]

SLIDE_TYPES: tuple[SlideType, ...] = ("cover", "quote", "cards", "chart", "map")

ICONS: tuple[str, ...] = (
    "location", "link", "corridor", "agriculture", "factory", "services", "road",
    "rail", "power", "flag", "target", "people", "plan", "shield", "star", "leaf",
    "city", "handshake", "chart", "clock", "book", "mountain", "map", "speed",
)  # fmt: skip


# The deck's own file in a pack's folder, and the slide fields that name media.
DECK_FILE = "deck.json"
MEDIA_FIELDS: tuple[str, ...] = ("image", "emblem")

class Point(NamedTuple):
    text: TextKey
    icon: str | None = None


class Card(NamedTuple):
    icon: str
    heading: TextKey
    body: TextKey | None = None
    stat: TextKey | None = None


class Series(NamedTuple):
    name: TextKey
    values: tuple[float, ...]


class ShareItem(NamedTuple):
    label: TextKey
    value: float
    value_label: TextKey


class TimelinePoint(NamedTuple):
    x: float
    label: TextKey
    # None: the milestone is named once, by its label (and its date).
    detail: TextKey | None = None


class Figure(NamedTuple):
    """One big number of a ``figures`` chart, with its own unit and name:
    counts of unlike things are never bars on one axis."""

    label: TextKey
    value: float
    # None: the chart's unit and decimals.
    unit: TextKey | None = None
    decimals: int | None = None


class Chart(NamedTuple):
    kind: ChartKind
    # None: the chart has no title of its own (the slide's says it).
    title: TextKey | None
    unit: TextKey
    decimals: int = 0
    approximate: bool = False
    note: TextKey | None = None
    orientation: Literal["vertical", "horizontal"] = "vertical"
    categories: tuple[TextKey, ...] = ()
    series: tuple[Series, ...] = ()
    items: tuple[ShareItem, ...] = ()
    x: tuple[float, ...] = ()
    x_unit: TextKey | None = None
    points: tuple[TimelinePoint, ...] = ()
    figures: tuple[Figure, ...] = ()
    # As declared in deck.json; None: worked out from the values (numbers.x_kind).
    x_kind: XKind | None = None

    @property
    def drawn_as_figures(self) -> bool:
        """Whether the chart is drawn as figures, each with its own
        "approximate" tag: a ``figures`` chart, or a share of one part (a
        hero figure)."""
        return self.kind == "figures" or (self.kind == "share" and len(self.items) == 1)


class MapPlace(NamedTuple):
    id: str
    name: TextKey
    x: float
    y: float
    kind: Literal["city", "county"]


class MapArea(NamedTuple):
    id: str
    name: TextKey
    focus: TextKey
    x: float
    y: float


class Corridor(NamedTuple):
    label: TextKey
    x: float
    y: float


class Ellipse(NamedTuple):
    x: float
    y: float
    rx: float
    ry: float


class MapSpec(NamedTuple):
    caption: TextKey
    hint: TextKey
    county: Ellipse
    places: tuple[MapPlace, ...] = ()
    areas: tuple[MapArea, ...] = ()
    corridor: Corridor | None = None
    # Said instead of ``hint`` to a seated audience (an export, the
    # presenter's audience window), who cannot tap; None: nothing is said.
    seated_hint: TextKey | None = None


class Slide(NamedTuple):
    """One slide. Which optional fields are set depends on ``type``."""

    id: str
    type: SlideType
    notes: TextKey
    title: TextKey | None = None
    subtitle: TextKey | None = None
    kicker: TextKey | None = None
    source: TextKey | None = None
    image: Path | None = None
    emblem: Path | None = None
    quote: TextKey | None = None
    attribution: TextKey | None = None
    lead: TextKey | None = None
    footer: TextKey | None = None
    points: tuple[Point, ...] = ()
    cards: tuple[Card, ...] = ()
    chart: Chart | None = None
    map: MapSpec | None = None


class TourStop(NamedTuple):
    slide: int  # index into Deck.slides
    seconds: float  # the target time on it


class Tour(NamedTuple):
    """A named route through the deck for a talk, with a target time per stop."""

    id: str
    title: TextKey
    stops: tuple[TourStop, ...]

    @property
    def seconds(self) -> float:
        return sum(stop.seconds for stop in self.stops)


class Deck(NamedTuple):
    format: int
    id: str
    version: str
    title: TextKey
    default_locale: str
    slides: tuple[Slide, ...]
    tours: tuple[Tour, ...] = ()

    def tour(self, tour_id: str) -> Tour | None:
        return next((t for t in self.tours if t.id == tour_id), None)


class ContentPack:
    """A validated deck with its catalogues; media paths are already absolute.

    Treated as immutable once the loader has made it.
    """

    def __init__(self, root: Path, deck: Deck, catalogues: Mapping[str, Catalogue], *,
                 builtin: bool = False, locales: tuple[str, ...] = (),
                 sources: tuple[tuple[str, Path], ...] = (),
                 fonts: tuple[Path, ...] = ()) -> None:
        self.root = root
        self.deck = deck
        self.catalogues = catalogues
        self.builtin = builtin
        self.locales = locales
        # The files the pack is made of, by their names in the pack, for checksum.
        self.sources = sources
        # Its own font files (fonts/*.otf, *.ttf), registered when it is shown.
        self.fonts = fonts

    def __repr__(self) -> str:
        return f"ContentPack({str(self.root)!r}, {self.deck.id!r}, locales={self.locales})"

    def catalogue(self, locale: str) -> Catalogue:
        return self.catalogues.get(locale) or self.catalogues[self.deck.default_locale]

    @functools.cached_property
    def checksum(self) -> str:
        """sha256 over every file of the pack, read when first asked for.

        Only diagnostics need it, so start-up neither loads the hashing library
        nor reads the files twice. Names and lengths frame each part, so moving
        bytes from one file to the next changes the sum.
        """
        import hashlib

        digest = hashlib.sha256()
        for name, path in self.sources:
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()
