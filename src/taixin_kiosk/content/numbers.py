"""Locale-aware number formatting driven by the catalogue's ``meta.number``."""

from __future__ import annotations

import math

from taixin_kiosk.content.catalogue import Catalogue


def format_number(value: float, decimals: int, catalogue: Catalogue) -> str:
    """``33017.67`` -> ``33,017.67`` with the catalogue's group and decimal marks."""
    if not math.isfinite(value):
        return str(value)
    group = catalogue.strings.get("meta.number.group", ",")
    decimal = catalogue.strings.get("meta.number.decimal", ".")
    text = f"{value:,.{decimals}f}"
    # Swap through a sentinel so a locale whose group mark is "." works.
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_value(value: float, decimals: int, unit_key: str, catalogue: Catalogue) -> str:
    """A value with its unit, e.g. ``33,017.67 mu``, from a ``{value}`` unit string."""
    return catalogue.text(unit_key, value=format_number(value, decimals, catalogue))
