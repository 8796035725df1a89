"""The catalogue keys the app itself needs (beside the deck's own keys).

Every content pack's catalogues must provide these; the validator checks it
and a test keeps this list in step with the code and the built-in catalogues.
"""

from __future__ import annotations

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
