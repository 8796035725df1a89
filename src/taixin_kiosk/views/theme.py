"""One palette, one type scale and one layout grid for every slide and control."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont

from taixin_kiosk.fonts import LATIN_FAMILY


class Palette:
    """The deck's colours; one instance, read everywhere."""

    background_top: QColor = QColor("#0E2A47")
    background_bottom: QColor = QColor("#143A63")
    panel: QColor = QColor(255, 255, 255, 18)
    panel_edge: QColor = QColor(255, 255, 255, 40)
    text: QColor = QColor("#FFFFFF")
    text_muted: QColor = QColor("#C9D6E3")
    accent: QColor = QColor("#E0B552")
    accent_2: QColor = QColor("#3FB8AF")
    accent_3: QColor = QColor("#6FA8DC")
    danger: QColor = QColor("#E57373")
    control_bar: QColor = QColor("#0A1F36")
    control: QColor = QColor(255, 255, 255, 22)
    control_pressed: QColor = QColor(255, 255, 255, 60)
    notice: QColor = QColor("#7A2E2E")
    map_label: QColor = QColor(14, 42, 71, 200)


PALETTE = Palette()

# The themes, as the colours that differ from Palette's (the standard theme).
# A theme is applied to PALETTE in place, so every view reads it at paint time.
THEMES: dict[str, dict[str, QColor]] = {
    "standard": {},
    # WCAG 2.2 AA (tests/test_contrast.py): black ground, white text, and
    # marks in yellow, cyan and light blue that keep 3:1 against it.
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
        "danger": QColor("#FF9A9A"),
        "control_bar": QColor("#000000"),
        "control": QColor(255, 255, 255, 0),
        "control_pressed": QColor(255, 255, 255, 90),
        "notice": QColor("#5C0000"),
        "map_label": QColor(0, 0, 0, 235),
    },
}
_theme = "standard"


def apply_theme(name: str) -> bool:
    """Makes ``name`` the theme of every view; True when it changed."""
    global _theme
    if name not in THEMES:
        raise KeyError(name)
    if name == _theme:
        return False
    for attribute in vars(Palette):
        if not attribute.startswith("_"):
            setattr(PALETTE, attribute, QColor(THEMES[name].get(attribute,
                                                                getattr(Palette, attribute))))
    _theme = name
    return True


def current_theme() -> str:
    return _theme

# Type scale in design pixels at a 1080-pixel short side (see Grid.unit).
TYPE_SCALE: dict[str, tuple[float, int]] = {
    # role: (size, weight)
    "display": (84.0, QFont.Weight.Bold.value),
    "title": (58.0, QFont.Weight.Bold.value),
    "kicker": (30.0, QFont.Weight.Normal.value),
    "subtitle": (38.0, QFont.Weight.Normal.value),
    "lead": (32.0, QFont.Weight.Normal.value),
    "quote": (44.0, QFont.Weight.Normal.value),
    "heading": (34.0, QFont.Weight.Bold.value),
    "body": (27.0, QFont.Weight.Normal.value),
    "stat": (50.0, QFont.Weight.Bold.value),
    "small": (24.0, QFont.Weight.Normal.value),
    "control": (24.0, QFont.Weight.Bold.value),
}

# Auto-fit may shrink a text box down to this fraction of its role's size
# before the layout counts as overflowing.
MIN_SHRINK = 0.62


# Languages written with full-width CJK punctuation. Every other language is
# set in the Latin companion font first, whose quotes and apostrophes are
# proportional (the CJK font's are as wide as a Chinese character).
CJK_LANGUAGES = ("zh", "ja", "ko")
_proportional = False


def set_text_locale(locale: str) -> None:
    """Chooses punctuation widths for the language about to be shown."""
    global _proportional
    _proportional = locale.split("-")[0].lower() not in CJK_LANGUAGES


def base_font(family: str, pixel_size: float, bold: bool = False, *,
              locale: str | None = None) -> QFont:
    """The app's font at a size; ``locale`` sets its punctuation widths for
    text in that language (default: the language on the slides)."""
    font = QFont(family) if family else QFont()
    font.setPixelSize(max(8, round(pixel_size)))
    if bold:
        font.setWeight(QFont.Weight.Bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    proportional = _proportional if locale is None \
        else locale.split("-")[0].lower() not in CJK_LANGUAGES
    if proportional:
        font.setFamilies([LATIN_FAMILY, font.family()])
    return font


def font_for(family: str, role: str, unit: float, scale: float = 1.0) -> QFont:
    size, weight = TYPE_SCALE[role]
    font = base_font(family, size * unit * scale)
    font.setWeight(QFont.Weight(weight))
    return font


class Grid(NamedTuple):
    """The layout grid of a stage: margins, gutter and a size unit.

    ``unit`` is 1.0 on a 1920x1080 stage and scales with the short side, so a
    4K screen gets twice the type and a portrait totem keeps readable sizes.
    """

    width: float
    height: float

    @property
    def portrait(self) -> bool:
        return self.height > self.width * 1.1

    @property
    def unit(self) -> float:
        short = min(self.width, self.height)
        long_ = max(self.width, self.height)
        # A very wide or tall stage is limited by its long side too.
        return max(0.3, min(short / 1000.0, long_ / 1780.0))

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
