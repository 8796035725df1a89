"""What a screen reader says about a slide: its name and a plain-text summary.

Built from the deck (not from the painted layout), so a slide has the same
description at any size, with large text or not, and before it is first
painted. Every piece is a whole sentence or a line of the deck's own text.
"""

from __future__ import annotations

from taixin_kiosk.content.deck import Chart, Slide
from taixin_kiosk.content.quotes import unquoted
from taixin_kiosk.core.language import Localizer


def slide_title(slide: Slide, index: int, loc: Localizer) -> str:
    """The slide's name: its title, or "Slide n" for one without."""
    if slide.title:
        return loc.text(slide.title)
    return loc.app_text("access.name.untitled", number=index + 1)


def slide_summary(slide: Slide, loc: Localizer) -> str:
    """Everything the slide says, one line per text, in reading order."""
    t = loc.text
    lines: list[str] = []

    def add(key: str | None) -> None:
        if key:
            lines.append(t(key))

    add(slide.kicker)
    add(slide.title)
    add(slide.subtitle)
    if slide.quote:
        # In the language's marks, once (the slide's decorative mark is a
        # picture, not read out): where the quotation starts and ends.
        lines.append(t("ui.quote.wrapped", quote=unquoted(t(slide.quote))))
    add(slide.attribution)
    add(slide.lead)
    for point in slide.points:
        add(point.text)
    for card in slide.cards:
        add(card.heading)
        add(card.stat)
        add(card.body)
    if slide.chart is not None:
        lines.extend(chart_lines(slide.chart, loc))
    if slide.map is not None:
        add(slide.map.caption)
        for area in slide.map.areas:
            lines.append(loc.app_text("access.slide.area", area=t(area.name),
                                      focus=t(area.focus)))
    add(slide.footer)
    add(slide.source)
    return "\n".join(line for line in lines if line.strip())


def chart_lines(chart: Chart, loc: Localizer) -> list[str]:
    """The chart's title and every value it shows, as text."""
    t = loc.text
    lines = [t(chart.title)] if chart.title else []

    def value(v: float) -> str:
        return loc.value(v, chart.decimals, chart.unit)

    def pair(label: str, shown: str, series: str | None = None) -> str:
        if series is not None:
            return loc.app_text("access.slide.series_value", series=series, label=label,
                                value=shown)
        return loc.app_text("access.slide.value", label=label, value=shown)

    def x_label(x: float) -> str:
        return loc.x_text(chart, x)

    if chart.kind in ("bar", "line"):
        # A bar's label is its category, a line point's its x value; the
        # series is named only when there are several.
        labels = [t(c) for c in chart.categories] if chart.kind == "bar" \
            else [x_label(x) for x in chart.x]
        several = len(chart.series) > 1
        for s in chart.series:
            for label, v in zip(labels, s.values, strict=False):
                lines.append(pair(label, value(v), t(s.name) if several else None))
    elif chart.kind == "share":
        for item in chart.items:
            lines.append(pair(t(item.label), t(item.value_label)))
    elif chart.kind == "timeline":
        for point in sorted(chart.points, key=lambda p: p.x):
            lines.append(pair(x_label(point.x), t(point.label)))
            if point.detail:
                lines.append(t(point.detail))
    elif chart.kind == "figures":
        for figure in chart.figures:
            shown = loc.value(figure.value, chart.decimals if figure.decimals is None
                              else figure.decimals, figure.unit or chart.unit)
            lines.append(pair(t(figure.label), shown))
    if chart.note:
        lines.append(t(chart.note))
    if chart.approximate:
        lines.append(loc.app_text("access.slide.approximate"))
    return lines
