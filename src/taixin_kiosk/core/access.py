"""Accessibility preferences of the audience window.

Large text, high contrast, reduced motion and low reach: one small state that
the on-screen buttons and keys change, that the views follow, and that an
idle reset puts back to the kiosk's configured defaults, so one visitor's
large text does not stay for the next unless staff configured it.

The defaults come from the configuration (``large_text``, ``contrast``,
``motion``, ``low_reach``) and, where the configuration says "auto", from
the system: its high-contrast setting (Qt's accessibility hints) and its
"show animations" setting (Windows).
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

from taixin_kiosk.system.preferences import SystemPreferences

log = logging.getLogger("taixin_kiosk.access")

# Large text multiplies the type scale of body text by this (titles grow less:
# see ui.theme.LARGE_TEXT_SCALE).
LARGE_TEXT = 2.0


class Access(NamedTuple):
    """What the audience window shows; ``low_reach`` None means automatic
    (on for a window taller than wide)."""

    large_text: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False
    low_reach: bool | None = None

    def reach_for(self, width: int, height: int) -> bool:
        """Low reach in effect for a window of this size."""
        return self.low_reach if self.low_reach is not None else height > width


def defaults_for(large_text: bool, contrast: str, motion: bool, low_reach: str,
                 system: SystemPreferences | None = None) -> Access:
    """The configured defaults, with "auto" settled by the system's preferences."""
    system = system or SystemPreferences()
    high = contrast == "high" or (contrast == "auto" and system.high_contrast)
    reduced = not motion or system.reduced_motion
    reach = {"on": True, "off": False}.get(low_reach)
    return Access(large_text=large_text, high_contrast=high, reduced_motion=reduced,
                  low_reach=reach)


class AccessState(QObject):
    """The preferences in effect, their defaults, and one ``changed`` signal."""

    changed = Signal(object)  # the new Access

    def __init__(self, defaults: Access, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._defaults = defaults
        self._current = defaults
        # The settings a visitor changed since the last reset.
        self._chosen: set[str] = set()

    @property
    def current(self) -> Access:
        return self._current

    @property
    def defaults(self) -> Access:
        return self._defaults

    def set(self, access: Access) -> None:
        """A visitor's (or a test's) choice: what differs from now is theirs
        until the next reset, whatever the system's preferences do meanwhile."""
        self._chosen |= {name for name, now, new in zip(Access._fields, self._current, access,
                                                        strict=True) if now != new}
        self._apply(access)

    def _apply(self, access: Access) -> None:
        if access != self._current:
            self._current = access
            log.info("accessibility: %s", access)
            self.changed.emit(access)

    def toggle_large_text(self) -> None:
        self.set(self._current._replace(large_text=not self._current.large_text))

    def toggle_contrast(self) -> None:
        self.set(self._current._replace(high_contrast=not self._current.high_contrast))

    def toggle_motion(self) -> None:
        self.set(self._current._replace(reduced_motion=not self._current.reduced_motion))

    def toggle_reach(self, in_effect: bool) -> None:
        """Low reach on or off, from what is ``in_effect`` now (it may be automatic)."""
        self.set(self._current._replace(low_reach=not in_effect))

    def reset(self) -> None:
        """Back to the configured defaults (the kiosk's idle reset)."""
        self._chosen = set()
        self._apply(self._defaults)

    def set_defaults(self, defaults: Access) -> None:
        """New defaults (the system's preference changed): each setting still
        at its old default follows; one a visitor changed stays as they chose."""
        self._defaults = defaults
        self._apply(defaults._replace(**{name: getattr(self._current, name)
                                         for name in self._chosen}))
