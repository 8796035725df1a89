"""How the audience window looks, as one value: its theme (and so its
palette), the text size, low reach and motion.

The window works its ``Look`` out from the session's accessibility settings
and its own shape (``look_for``) and hands it down with one call,
``restyle(look)``, to the views that depend on it; each keeps the look it was
given and paints from ``look.palette``. A change of language is another call,
``retranslate()``: the two never stand in for each other.
"""

from __future__ import annotations

from typing import NamedTuple

from taixin_kiosk.core.access import LARGE_TEXT, Access
from taixin_kiosk.ui.theme import PALETTES, Palette


class Look(NamedTuple):
    """The theme, large text's multiplier of body text, low reach (what is
    touched in the lower part of the screen), whether slides move, and
    whether they are seen by a seated audience (an export, the presenter's
    audience window), who cannot tap: no touch hints on the slides."""

    theme: str = "standard"
    text_scale: float = 1.0
    low_reach: bool = False
    motion: bool = True
    seated: bool = False

    @property
    def palette(self) -> Palette:
        return PALETTES[self.theme]

    def lays_out_like(self, other: Look) -> bool:
        """Whether slides laid out for ``other`` look the same in this look
        (only motion differs, or nothing)."""
        return (self.theme, self.text_scale, self.low_reach, self.seated) == \
            (other.theme, other.text_scale, other.low_reach, other.seated)


# Before any accessibility setting is applied: the standard theme, the usual
# text size, no low reach, slides that move.
DEFAULT_LOOK = Look()


def look_for(access: Access, low_reach: bool = False) -> Look:
    """The look ``access`` asks for; ``low_reach`` is whether it is in effect
    (``Access.reach_for`` settles an automatic one by the window's shape)."""
    return Look("high-contrast" if access.high_contrast else "standard",
                LARGE_TEXT if access.large_text else 1.0, low_reach,
                not access.reduced_motion)


def look_of(widget: object) -> Look:
    """The look a widget keeps (a part paints in its container's look), or
    the standard look for one that keeps none."""
    look = getattr(widget, "look", None)
    return look if isinstance(look, Look) else DEFAULT_LOOK
