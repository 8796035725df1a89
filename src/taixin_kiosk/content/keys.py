"""The catalogue keys the app itself needs (beside the deck's own keys), by section.

A catalogue's keys fall in sections (the first word of the key). Which a
content pack must bring:

* ``meta`` and ``ui`` (``UI_KEYS``): in every language of every pack;
* ``deck``: the keys deck.json names, in every language;
* ``access``, ``presenter``, ``export`` (``LANGUAGE_SECTIONS``): the words of
  the controls, the screen reader, the presenter's console and the handouts.
  The app has its own in the languages it was translated into (``app_locales``),
  shown when a pack leaves a key out; for any other language the pack must
  give every key of these sections (``language_keys``), or a visitor or a
  presenter would read English;
* ``lines`` (``OPTIONAL_SECTIONS``): how the pack's text breaks into lines
  (``lines.words``, the names and words a line never breaks inside); a
  pack may leave it out, and if one language has it, every language must;
* ``staff``, ``cli``, ``problem``, ``config``, ``starter`` (``APP_SECTIONS``):
  the staff screens' and the command line's (``starter``: the placeholders
  ``new-pack`` writes), always the app's own, in English for a
  language the app was not translated into; a pack's copy is not read.

The keys of ``LANGUAGE_SECTIONS`` are not listed here: they are whatever the
app's English catalogue holds in those sections, so adding a string to the
app adds it to what a new language needs, with no second list to keep.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

UI_KEYS: tuple[str, ...] = (
    "meta.language_name",
    "meta.number.group",
    "meta.number.decimal",
    "ui.window.title",
    "ui.control.previous",
    "ui.control.next",
    "ui.control.home",
    "ui.control.overview",
    "ui.control.counter",
    "ui.control.jump",
    "ui.quote.wrapped",
    "ui.chart.tap_value",
    "ui.chart.approximate",
    "ui.notice.pack_invalid",
    "ui.notice.more",
    "ui.notice.dismiss",
)

# Required of every pack in every language (UI_KEYS lists them).
EVERY_LANGUAGE_SECTIONS: tuple[str, ...] = ("meta", "ui")
# The pack's own words, named from deck.json.
DECK_SECTION = "deck"
# What a visitor or presenter sees of the app's own words: required of a pack
# only in a language the app itself does not speak.
LANGUAGE_SECTIONS: tuple[str, ...] = ("access", "presenter", "export")
# The pack's own, optional: lines.words (ui.layout.breaks).
OPTIONAL_SECTIONS: tuple[str, ...] = ("lines",)
# The staff's and the command line's: never read from a pack.
APP_SECTIONS: tuple[str, ...] = ("staff", "cli", "problem", "config", "starter")


@functools.cache
def app_locales() -> frozenset[str]:
    """The languages the app itself was translated into (its ``i18n/`` files)."""
    from taixin_kiosk.content.builtin import find_builtin

    try:
        return frozenset(p.stem for p in find_builtin().i18n.glob("*.json"))
    except OSError:
        return frozenset()


@functools.cache
def language_words() -> Mapping[str, str]:
    """Every key of ``LANGUAGE_SECTIONS`` in the app's English catalogue, with
    its text: what a pack must translate for a language outside
    ``app_locales()``, with the placeholders each translation must keep."""
    from taixin_kiosk.content.builtin import FALLBACK_LOCALE, app_catalogue

    strings = app_catalogue(FALLBACK_LOCALE).strings
    return MappingProxyType({key: strings[key] for key in sorted(strings)
                             if key.split(".", 1)[0] in LANGUAGE_SECTIONS})


def language_keys() -> tuple[str, ...]:
    """The keys of ``language_words()``, sorted."""
    return tuple(language_words())
