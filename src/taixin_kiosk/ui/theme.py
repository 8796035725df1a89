"""The palettes (one per theme), one type scale and one layout grid for every
slide and control."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont

from taixin_kiosk.ui.fonts import families_for


class Palette(NamedTuple):
    """The deck's colours in one theme: a value, never changed in place (a
    theme is another value, see PALETTES). The defaults are the standard theme."""

    background_top: QColor = QColor("#0E2A47")
    background_bottom: QColor = QColor("#143A63")
    panel: QColor = QColor(255, 255, 255, 18)
    panel_edge: QColor = QColor(255, 255, 255, 40)
    text: QColor = QColor("#FFFFFF")
    text_muted: QColor = QColor("#C9D6E3")
    accent: QColor = QColor("#EDC463")
    accent_2: QColor = QColor("#3FB8AF")
    accent_3: QColor = QColor("#6FA8DC")
    control_bar: QColor = QColor("#0A1F36")
    control: QColor = QColor(255, 255, 255, 22)
    control_pressed: QColor = QColor(255, 255, 255, 60)
    # A control's outline: what shows where a button is (3:1, WCAG 1.4.11).
    control_edge: QColor = QColor(255, 255, 255, 150)
    notice: QColor = QColor("#7A2E2E")
    map_label: QColor = QColor(14, 42, 71, 200)
    # The county's area on the schematic map, under its places and labels.
    map_area: QColor = QColor(63, 184, 175, 41)
    # Subtitles' second language: quieter than text_muted, still 4.5:1.
    text_second: QColor = QColor(201, 214, 227, 205)
    # Chart axis lines and ticks, and the outlined, hatched "rest" of a share.
    axis: QColor = QColor(255, 255, 255, 115)
    chart_rest: QColor = QColor(255, 255, 255, 115)


# The themes, as the colours that differ from Palette's defaults (the
# standard theme); PALETTES holds each as a whole Palette.
THEMES: dict[str, dict[str, QColor]] = {
    "standard": {},
    # WCAG 2.2 AA (tests/test_contrast.py): black ground, white text, and
    # marks in yellow, cyan and light blue that keep 3:1 against it; no
    # translucent panels, and every edge drawn solid.
    "high-contrast": {
        "background_top": QColor("#000000"),
        "background_bottom": QColor("#000000"),
        "panel": QColor(255, 255, 255, 0),
        "panel_edge": QColor("#FFFFFF"),
        "text": QColor("#FFFFFF"),
        "text_muted": QColor("#E6E6E6"),
        "accent": QColor("#FFD60A"),
        "accent_2": QColor("#3DF5FF"),
        "accent_3": QColor("#A8C8FF"),
        "control_bar": QColor("#000000"),
        "control": QColor(255, 255, 255, 0),
        "control_pressed": QColor(255, 255, 255, 70),
        "control_edge": QColor("#FFFFFF"),
        "notice": QColor("#5C0000"),
        "map_label": QColor(0, 0, 0, 235),
        "map_area": QColor(61, 245, 255, 36),
        "text_second": QColor("#CCCCCC"),
        "axis": QColor("#BFBFBF"),
        "chart_rest": QColor("#BFBFBF"),
    },
    # Export's --print: slides on white paper, no toner spent on a dark
    # ground. The deck's navy becomes the text, its gold a darker gold that
    # keeps 4.5:1 on white (and white text on it), teal and blue likewise
    # darkened; panels a faint tint with a visible edge; WCAG AA as above.
    "print": {
        "background_top": QColor("#FFFFFF"),
        "background_bottom": QColor("#FFFFFF"),
        "panel": QColor(14, 42, 71, 12),
        "panel_edge": QColor(14, 42, 71, 70),
        "text": QColor("#0E2A47"),
        "text_muted": QColor("#44566B"),
        "accent": QColor("#8A5D00"),
        "accent_2": QColor("#1B7A73"),
        "accent_3": QColor("#2F62A6"),
        "control_bar": QColor("#E9EDF2"),
        "control": QColor(14, 42, 71, 14),
        "control_pressed": QColor(14, 42, 71, 40),
        "control_edge": QColor(14, 42, 71, 170),
        "notice": QColor("#F6DADA"),
        "map_label": QColor(255, 255, 255, 220),
        "map_area": QColor(27, 122, 115, 36),
        "text_second": QColor(68, 86, 107, 225),
        "axis": QColor(14, 42, 71, 150),
        "chart_rest": QColor(14, 42, 71, 150),
    },
}

# Every theme's palette, by the theme's name.
PALETTES: dict[str, Palette] = {name: Palette()._replace(**colours)
                                for name, colours in THEMES.items()}


# WCAG 2.2 AA, as tests/test_contrast.py checks it for every theme: what each
# colour is drawn on, and what it must reach against that.
#
# Large text is 24 px regular or 18.66 px bold (18 pt / 14 pt). At the type
# scale for a hall every role is that large (TYPE_MIN), but reading text
# (sentences, leads, quotes, captions, labels) keeps body text's 4.5:1 all
# the same: it is read from metres away and at an angle. Only bold display
# text at least as large as reading text's least size counts as large
# (LARGE_ROLES: display, title, heading, stat); everything else, chart
# labels included, is body text (4.5:1).
LARGE_PX, LARGE_BOLD_PX = 24.0, 18.66
CONTRAST_MINIMUM: dict[str, float] = {
    "text": 4.5,
    "large": 3.0,
    # Chart marks, map lines and dots, icons, control outlines, focus and
    # checked frames (WCAG 1.4.11 non-text contrast).
    "mark": 3.0,
    # Edges that only group what is inside them (cards, panels, previews):
    # 1.4.11 asks nothing of decoration, so the standard theme keeps them
    # faint; the high-contrast theme gives them 3:1 like marks.
    "decor": 1.3,
}
HIGH_CONTRAST_DECOR = 3.0


def _over_slide(*layers: str) -> tuple[tuple[str, ...], ...]:
    # The slide's gradient runs from background_top to background_bottom:
    # every channel moves one way, so its two ends bound what lies between.
    return tuple((end, *layers) for end in ("background_top", "background_bottom"))


# Where colours are drawn: each ground is one or more stacks of Palette
# colours, bottom first; a translucent layer is composited over the one below.
GROUNDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "slide": _over_slide(),
    "panel": _over_slide("panel"),
    # The chosen area's row in a map's side panel: a panel inside a panel.
    "panel_row": _over_slide("panel", "panel"),
    "map": _over_slide("panel") + _over_slide("panel", "map_area"),
    "map_plate": tuple((*s, "map_label") for s in
                       _over_slide("panel") + _over_slide("panel", "map_area")),
    "city_dot": (("background_top",),),
    "control_bar": (("control_bar",),),
    "control": (("control_bar", "control"), ("control_bar", "control_pressed")),
    "staff": (("background_bottom",),),
    "staff_button": (("background_bottom", "control"), ("background_bottom", "control_pressed")),
    "accent": (("accent",),),
    "notice": (("notice",),),
}


class ContrastPair(NamedTuple):
    colour: str  # a Palette attribute, drawn...
    grounds: tuple[str, ...]  # ...on each of these GROUNDS
    kind: str  # a CONTRAST_MINIMUM key
    what: str  # where it is seen, for a failing check's message


CONTRAST_PAIRS: tuple[ContrastPair, ...] = (
    ContrastPair("text", ("slide", "panel", "panel_row", "map_plate", "control", "control_bar",
                          "staff", "staff_button", "notice"), "text",
                 "titles, headings, body, chart values, map cities, labels of controls"),
    ContrastPair("text_muted", ("slide", "panel", "map_plate"), "text",
                 "leads, card bodies, notes, captions, chart axes and categories, map places"),
    ContrastPair("text_second", ("slide", "panel"), "text",
                 "the other language under titles and key sentences"),
    ContrastPair("accent", ("slide", "panel", "panel_row", "map_plate", "staff"), "text",
                 "kickers, stats, footers, attributions, chart and timeline labels, chosen "
                 "area, corridor label"),
    ContrastPair("background_top", ("accent",), "text",
                 "a chart's tapped value, the overview's chosen number, staff's main button"),
    ContrastPair("accent", ("slide", "panel", "map", "city_dot", "control", "control_bar"),
                 "mark", "title bars, icons, bars, points, corridor, cities, checked and "
                 "chosen frames, progress line"),
    ContrastPair("accent_2", ("slide", "panel", "map"), "mark",
                 "icons, bars, the line, the county outline, map areas"),
    ContrastPair("accent_3", ("panel",), "mark", "a third bar series"),
    ContrastPair("text", ("slide", "panel", "map"), "mark",
                 "the current slide's frame, outlines of points and map areas"),
    ContrastPair("text_muted", ("panel", "map"), "mark", "the timeline's line, map links"),
    ContrastPair("axis", ("panel",), "mark", "chart axis lines and ticks"),
    ContrastPair("chart_rest", ("panel",), "mark", "the hatched rest of a share bar"),
    ContrastPair("control_edge", ("control", "staff_button"), "mark",
                 "outlines of buttons"),
    ContrastPair("panel_edge", ("slide", "panel"), "decor",
                 "edges of cards, chart and map panels, previews"),
)


def large_roles() -> frozenset[str]:
    """The TYPE_SCALE roles that count as large text: bold, and at their
    smallest at least as large as reading text's least size."""
    return frozenset(role for role, (_, weight) in TYPE_SCALE.items()
                     if weight >= QFont.Weight.Bold.value
                     and TYPE_MIN[role] >= max(LARGE_BOLD_PX, TYPE_MIN["body"]))


# Type scale for a hall, in pixels on a screen of 1080 lines (see Grid.unit):
# what a visitor reads from a few metres. TYPE_MIN is the least each role is
# ever set at, auto-fit's shrinking included: titles 64, reading text 36,
# captions and map names 28, and nothing on a slide under 24 (SLIDE_MIN).
# A slide whose text does not fit at these sizes reflows (fewer card
# columns, the side text under the chart or map) rather than shrink further.
#
# One scale for both scripts. A Chinese character fills its em square where
# Latin lowercase fills about half of it, so at one pixel size Chinese reads
# larger; but its strokes are denser, and below these sizes they close up
# from a distance sooner than Latin letters do. So Chinese is not set
# smaller; nor is Latin set larger, as an English sentence already takes
# about 1.6 times the width of its Chinese one. Where the scripts do differ
# is in how lines break (ui.layout.breaks) and in the second language's
# size under subtitles (builder.SECOND_SCALE_CJK).
TYPE_SCALE: dict[str, tuple[float, int]] = {
    # role: (size, weight)
    "display": (84.0, QFont.Weight.Bold.value),
    "title": (64.0, QFont.Weight.Bold.value),
    "kicker": (30.0, QFont.Weight.Normal.value),
    "subtitle": (40.0, QFont.Weight.Normal.value),
    # A slide's lead, and its key sentence (a cards slide's footer).
    "lead": (40.0, QFont.Weight.Normal.value),
    "quote": (44.0, QFont.Weight.Normal.value),
    "heading": (38.0, QFont.Weight.Bold.value),
    "body": (36.0, QFont.Weight.Normal.value),
    "stat": (52.0, QFont.Weight.Bold.value),
    "small": (28.0, QFont.Weight.Normal.value),
    "control": (24.0, QFont.Weight.Bold.value),
}
# The least pixel size of each role at 1080 lines (map names, set from the
# body and heading roles, are held to "small"'s).
TYPE_MIN: dict[str, float] = {
    "display": 64.0, "title": 64.0, "kicker": 28.0, "subtitle": 36.0, "lead": 36.0,
    "quote": 36.0, "heading": 36.0, "body": 36.0, "stat": 36.0, "small": 28.0,
    "control": 24.0,
}
# Nothing on a slide is smaller (a chart's tick labels and legend included).
SLIDE_MIN = 24.0
# A chart's own text on the same scale, in the same pixels: values, names
# and notes at a caption's size, tick labels and legends at the smallest
# label's (ui.charts.canvas scales them with the chart's height).
CHART_TEXT = TYPE_MIN["small"]
CHART_LABEL = SLIDE_MIN

# Auto-fit may shrink a text box down to this fraction of its role's size
# before the layout counts as overflowing. Reading text is set at its least
# size (TYPE_MIN) and never shrinks: a slide short of room reflows instead
# (ui.layout.build). Roles set larger than their least (titles, leads,
# headings, figures) shrink to it where their group allows (Builder.floor).
MIN_SHRINK = 1.0

# Large text (issue 6): the share of the large-text multiplier each role
# takes, so at 2.0 a share of 1 doubles it and 0.3 makes it 1.3 times as large.
# The reading text (sentences, lists, captions, labels) doubles. Headings grow
# until they are as large as the doubled body text under them, so a card's
# heading still reads as its heading. Titles, the cover's display line and
# the stat figures are already two to three times the body size: grown as far,
# a title would take two lines where it took one and push the body text it
# introduces off a small screen, for no gain in legibility.
LARGE_TEXT_SCALE: dict[str, float] = {
    "display": 0.15,
    "title": 0.3,
    "kicker": 0.6,
    "subtitle": 0.5,
    "lead": 1.0,
    "quote": 0.5,
    "heading": 0.65,
    "body": 1.0,
    "stat": 0.3,
    "small": 1.0,
    "control": 0.0,
}
# Under large text auto-fit shrinks reading text no further than this fraction
# of its large size (1.4 times its normal size at 2.0) before it first reflows
# the slide, then falls back to MIN_SHRINK rather than clip...
LARGE_MIN_SHRINK = 0.7
# ...and never under this many pixels at 1080 lines (captions included):
# about 1.9 times the 26 px body text the deck had before this type scale,
# so WCAG 1.4.4's 200 % of that still holds.
LARGE_MIN_PX = 50.0
# Large text's floor as a text_scale (core.access.LARGE_TEXT, 2.0, times
# LARGE_MIN_SHRINK): where LARGE_MIN_PX holds in full.
LARGE_TEXT_FLOOR = 2.0 * LARGE_MIN_SHRINK


def large_least(role: str, text_scale: float) -> float:
    """The least factor of a reading ``role``'s size under large text at
    ``text_scale``: LARGE_MIN_PX at 1080 lines once large text is at least
    its floor (LARGE_TEXT * LARGE_MIN_SHRINK), and a share of the way there
    below that, where a slide short of room sets its large text smaller,
    so a caption grows with the body text beside it."""
    size = TYPE_SCALE[role][0]
    floor = LARGE_TEXT_FLOOR
    way = min(1.0, max(0.0, (text_scale - 1.0) / (floor - 1.0)))
    return (size + (max(size, LARGE_MIN_PX) - size) * way) / size


def large_factor(role: str, text_scale: float) -> float:
    """How much larger ``role`` is set when body text is ``text_scale`` times its size."""
    return 1.0 + (text_scale - 1.0) * LARGE_TEXT_SCALE[role]


# Languages written with full-width CJK punctuation. Every other language is
# set in the Latin companion font first, whose quotes and apostrophes are
# proportional (the CJK font's are as wide as a Chinese character).
CJK_LANGUAGES = ("zh", "ja", "ko")


def cjk(locale: str) -> bool:
    """Whether ``locale`` is written with full-width CJK punctuation."""
    return locale.split("-")[0].lower() in CJK_LANGUAGES


def base_font(family: str, pixel_size: float, bold: bool = False, *, locale: str) -> QFont:
    """The app's font at a size, for text in ``locale``: its punctuation
    widths and its families (the Latin companion first, or the Traditional
    Chinese one, then the pack's fonts) follow that language."""
    font = QFont(family) if family else QFont()
    font.setPixelSize(max(8, round(pixel_size)))
    if bold:
        font.setWeight(QFont.Weight.Bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setFamilies(families_for(locale, font.family(), cjk=cjk(locale)))
    return font


def font_for(family: str, role: str, unit: float, scale: float = 1.0, *,
             locale: str) -> QFont:
    size, weight = TYPE_SCALE[role]
    font = base_font(family, size * unit * scale, locale=locale)
    font.setWeight(QFont.Weight(weight))
    return font


# The stage's height on a screen of 1080 lines (its control bar takes the rest).
STAGE_LINES = 950.0


class Grid(NamedTuple):
    """The layout grid of a stage: margins, gutter and a size unit.

    ``unit`` is about 1.0 on the stage of a 1920x1080 screen and scales with
    its height (a portrait one's width), so a 4K screen gets twice the type.
    """

    width: float
    height: float

    @property
    def portrait(self) -> bool:
        return self.height > self.width * 1.1

    @property
    def unit(self) -> float:
        # The kiosk's stage is the screen less its control bar: about
        # STAGE_LINES of a 1080-line screen's lines. A portrait totem (the
        # same panel turned) is scaled by its width, its 1080 lines, not its
        # height: type 1.8 times as large would leave a few words a line.
        return max(0.3, min(self.height / STAGE_LINES, self.width / 1080.0))

    @property
    def margin_x(self) -> float:
        return max(self.width * (0.05 if self.portrait else 0.055), 24 * self.unit)

    @property
    def margin_y(self) -> float:
        return max(self.height * (0.04 if self.portrait else 0.06), 20 * self.unit)

    @property
    def gutter(self) -> float:
        return 32 * self.unit

    def content(self) -> QRectF:
        return QRectF(
            self.margin_x,
            self.margin_y,
            self.width - 2 * self.margin_x,
            self.height - 2 * self.margin_y,
        )
