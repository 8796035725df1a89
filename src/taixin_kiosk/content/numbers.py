"""Locale-aware number formatting driven by the catalogue's ``meta.number``.

Quantities are grouped ("33,017.67"); calendar years and other ordinal
numbers never are ("2025", not "2,025"). A chart's x values say which they
are (``x_kind``), or are taken for years when every one is a whole number
from 1000 to 2999 (documented in docs/content-format.md, "Charts").
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.deck import Chart, XKind

# Whole numbers in this range on an x axis read as calendar years unless the
# chart declares another ``x_kind``.
YEAR_RANGE = (1000, 2999)
MAX_DECIMALS = 4


def format_number(value: float, decimals: int, catalogue: Catalogue, *,
                  grouped: bool = True) -> str:
    """``33017.67`` -> ``33,017.67`` with the catalogue's group and decimal marks;
    ``grouped=False`` leaves out the group mark (``2025``)."""
    if not math.isfinite(value):
        return str(value)
    group = catalogue.strings.get("meta.number.group", ",")
    decimal = catalogue.strings.get("meta.number.decimal", ".")
    text = f"{value:{',' if grouped else ''}.{decimals}f}"
    # Swap through a sentinel so a locale whose group mark is "." works.
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_value(value: float, decimals: int, unit_key: str, catalogue: Catalogue) -> str:
    """A value with its unit, e.g. ``33,017.67 mu``, from a ``{value}`` unit string."""
    return catalogue.text(unit_key, value=format_number(value, decimals, catalogue))


def chart_xs(chart: Chart) -> list[float]:
    """The x values of a line or a timeline, in the deck's order."""
    return list(chart.x) if chart.kind == "line" else [p.x for p in chart.points]


def is_whole(value: float) -> bool:
    return math.isfinite(value) and float(value).is_integer()


def default_x_kind(xs: Iterable[float], kind: str = "line") -> XKind:
    """Years when every x is a whole number from 1000 to 2999, or, on a
    timeline (whose points are dated events), any whole number: 605 and 1293
    are years there. Else quantities."""
    values = list(xs)
    lo, hi = YEAR_RANGE
    if values and all(is_whole(x) and (kind == "timeline" or lo <= x <= hi) for x in values):
        return "year"
    return "quantity"


def x_kind(chart: Chart) -> XKind:
    """What the chart's x values are: as declared, else ``default_x_kind``."""
    return chart.x_kind or default_x_kind(chart_xs(chart), chart.kind)


def x_decimals(xs: Iterable[float]) -> int:
    """The fewest decimals (at most 4) that write every x as it is: 0.5 is
    never shown as "0" or "1"."""
    values = list(xs)
    for decimals in range(MAX_DECIMALS + 1):
        if all(math.isclose(round(x, decimals), x, rel_tol=0, abs_tol=1e-9) for x in values):
            return decimals
    return MAX_DECIMALS


def format_x(chart: Chart, x: float, catalogue: Catalogue) -> str:
    """One x value of a line or a timeline as its axis, taps and screen
    readers read it, with ``x_unit``: ``2025``, ``Year 3``, ``1,500 m``."""
    grouped = x_kind(chart) == "quantity"
    number = format_number(x, x_decimals(chart_xs(chart)), catalogue, grouped=grouped)
    return catalogue.text(chart.x_unit, value=number) if chart.x_unit else number
