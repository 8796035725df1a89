"""Warnings about charts that would say less than their data: a chart title
that repeats the slide's, and a line of two points drawn as a trend.

They are warnings, not errors: the pack still loads and every value is
still drawn truthfully, but a visitor reads a title twice or a straight
line between two figures as if the data in between were known.
"""

from __future__ import annotations

from collections.abc import Mapping

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.deck import DECK_FILE, Deck
from taixin_kiosk.content.json_read import index_path
from taixin_kiosk.content.problems import Problem


def same_words(a: str, b: str) -> bool:
    """Whether two display strings say the same (case, spacing and a final
    stop aside): a chart title that repeats its slide's is not shown."""
    def norm(text: str) -> str:
        return " ".join(text.casefold().split()).rstrip(_STOPS)
    return norm(a) == norm(b)


# A final full stop or colon, Latin or full-width (escaped: no CJK in code).
_STOPS = ".:\u3002\uff1a"


def check_charts(deck: Deck, catalogues: Mapping[str, Catalogue]) -> list[Problem]:
    """A warning for each chart title equal to its slide's title or lead in
    some language, and for each line chart with only two x values."""
    problems: list[Problem] = []
    for i, slide in enumerate(deck.slides):
        chart = slide.chart
        if chart is None:
            continue
        where = f"{index_path('slides', i)}.chart"
        if chart.title is not None:
            repeated = [locale for locale, cat in catalogues.items()
                        if any(key is not None and same_words(cat.text(chart.title), cat.text(key))
                               for key in (slide.title, slide.lead))]
            if repeated:
                problems.append(Problem(DECK_FILE, f"{where}.title", "chart_title_repeated",
                                        {"locales": ", ".join(repeated)}, severity="warning"))
        if chart.kind == "line" and len(chart.x) == 2:
            problems.append(Problem(DECK_FILE, f"{where}.x", "line_two_points", {},
                                    severity="warning"))
    return problems
