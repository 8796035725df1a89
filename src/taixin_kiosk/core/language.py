"""The current language: catalogue lookups and the ``language_changed`` signal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.deck import Chart, ContentPack
from taixin_kiosk.content.numbers import format_number, format_value, format_x

log = logging.getLogger("taixin_kiosk.i18n")

# A lookup of words by catalogue key, with its placeholders' values
# (``Localizer.text``, ``own_text`` ...), for parts given one to speak with.
Text = Callable[..., str]


class Localizer(QObject):
    """Views call ``text`` at paint/retranslate time, never at import time."""

    language_changed = Signal(str)
    # Subtitle mode: the other language as a smaller second line.
    subtitles_changed = Signal(bool)

    def __init__(self, pack: ContentPack, locale: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pack = pack
        self._locale = pack.deck.default_locale
        self._subtitles = False
        # The app's own catalogues (see own_text), read once per language.
        self._own: dict[str, Catalogue] = {}
        if locale:
            self.set_locale(locale)

    @property
    def locale(self) -> str:
        return self._locale

    @property
    def locales(self) -> tuple[str, ...]:
        return self._pack.locales

    @property
    def catalogue(self) -> Catalogue:
        return self._pack.catalogue(self._locale)

    @property
    def subtitles(self) -> bool:
        return self._subtitles

    @property
    def subtitle_locale(self) -> str | None:
        """The language of the second line, or None when there is none to show."""
        if not self._subtitles or len(self._pack.locales) < 2:
            return None
        return self.next_locale()

    def toggle_subtitles(self) -> bool:
        return self.set_subtitles(not self._subtitles)

    def set_subtitles(self, on: bool) -> bool:
        if on == self._subtitles:
            return False
        self._subtitles = on
        self.subtitles_changed.emit(on)
        return True

    def set_pack(self, pack: ContentPack) -> None:
        self._pack = pack
        if self._locale not in pack.locales:
            self._locale = pack.deck.default_locale
        self.language_changed.emit(self._locale)

    def set_locale(self, locale: str) -> bool:
        if locale not in self._pack.locales:
            log.warning("no catalogue for locale %s", locale)
            return False
        if locale == self._locale:
            return False
        self._locale = locale
        self.language_changed.emit(locale)
        return True

    def next_locale(self) -> str:
        locales = self._pack.locales
        return locales[(locales.index(self._locale) + 1) % len(locales)]

    def cycle(self) -> bool:
        return self.set_locale(self.next_locale())

    def text(self, key: str, /, **params: object) -> str:
        return self.catalogue.text(key, **params)

    def app_text(self, key: str, locale: str | None = None, /, **params: object) -> str:
        """One of the app's own words a visitor or presenter sees (``access.*``,
        ``presenter.*``, ``export.*``) in ``locale`` (default: the current
        language): the pack's when it translates the key, else the app's own
        (see ``content.keys``). A pack in a language the app does not speak
        must translate them all (the validator says so), so its visitors
        never read English; a pack in one it does may leave them out."""
        catalogue = self._pack.catalogue(locale or self._locale)
        if catalogue.has(key):
            return catalogue.text(key, **params)
        return self.own_text(key, locale, **params)

    def own_text(self, key: str, locale: str | None = None, /, **params: object) -> str:
        """One of the app's own strings for staff (the staff screens) in
        ``locale`` (default: the current language), never the pack's: from the
        app's catalogue, in English for a language the app itself was not
        translated into."""
        locale = locale or self._locale
        catalogue = self._own.get(locale)
        if catalogue is None:
            from taixin_kiosk.content.builtin import app_strings

            catalogue = self._own[locale] = app_strings(locale)
        return catalogue.text(key, **params)

    def text_in(self, locale: str, key: str, /, **params: object) -> str:
        return self._pack.catalogue(locale).text(key, **params)

    def number(self, value: float, decimals: int = 0) -> str:
        return format_number(value, decimals, self.catalogue)

    def value(self, value: float, decimals: int, unit_key: str) -> str:
        return format_value(value, decimals, unit_key, self.catalogue)

    def x_text(self, chart: Chart, x: float) -> str:
        """An x value of a line or a timeline with its unit; years never grouped."""
        return format_x(chart, x, self.catalogue)
