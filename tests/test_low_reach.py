"""Low reach on the slides themselves: what a visitor touches on a slide (the
chart's marks, the map's areas and the list of them) is in the lower half of
the window, a tap there works, and every slide still fits (issue 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtTest import QTest

from conftest import SIZES
from test_fit import _problems

REACH_CASES = [((1080, 1920), "auto"), ((1920, 1080), "on")]


def _window_rect(view, rect: QRectF) -> QRectF:  # type: ignore[no-untyped-def]
    top_left = view.mapTo(view.window(), QPoint(0, 0))
    return rect.translated(top_left.x(), top_left.y())


def _targets(built):  # type: ignore[no-untyped-def]
    """(slide index, what, rect in the slide view, rect in the window) of every
    tap target and keyboard stand-in on every chart and map slide."""
    out = []
    for index, slide in enumerate(built.content.pack.deck.slides):
        if slide.map is None and slide.chart is None:
            continue
        built.navigator.go(index)
        built.app.processEvents()
        built.app.processEvents()  # the stand-ins are placed on a zero timer
        view = built.window.stage.current_view
        layout = view.layout_items
        rects: list[tuple[str, QRectF]] = []
        for area_id, rect in layout.hotspots.items():
            rects.append((f"map area {area_id}", rect))
        for area_id, rect in layout.panel_rows.items():
            rects.append((f"list row {area_id}", rect))
        chart = view.chart
        if chart is not None:
            for i in range(chart.mark_count()):
                rects.append((f"mark {i}", chart.mark_rect(i).translated(QPointF(chart.pos()))))
        for proxy in [*view.access.areas.values(), *view.access.marks]:
            rects.append((f"stand-in {proxy.objectName()}", QRectF(proxy.geometry())))
        assert rects, slide.id
        out.extend((index, slide, what, rect, _window_rect(view, rect)) for what, rect in rects)
    return out


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize(("size", "reach"), REACH_CASES, ids=["portrait-auto", "landscape-on"])
def test_every_touch_target_on_a_slide_is_in_the_lower_half(make_app, size, reach, large):
    built = make_app(size, low_reach=reach, large_text=large)
    built.window.setFixedSize(*size)
    assert built.window.low_reach and built.window.stage.look.low_reach
    half = built.window.height() / 2
    problems = []
    seen = 0
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for _, slide, what, _, rect in _targets(built):
            seen += 1
            if rect.top() < half - 0.5:
                problems.append(f"{locale} {slide.id} {what}: top {rect.top():.0f} < {half:.0f}")
    # Five charts (marks and their stand-ins) and the map (areas, rows, stand-ins).
    assert seen > 50
    assert not problems, "\n".join(problems)


def test_without_low_reach_the_map_is_as_before(make_app):
    """The same landscape window without low reach keeps its usual layout
    (map areas in the upper half): the option really moves them."""
    built = make_app((1920, 1080), low_reach="off")
    half = built.window.height() / 2
    tops = [rect.top() for _, slide, what, _, rect in _targets(built) if slide.map is not None]
    assert min(tops) < half


@pytest.mark.parametrize(("size", "reach"), REACH_CASES, ids=["portrait-auto", "landscape-on"])
def test_a_tap_on_a_low_target_chooses_it(make_app, size, reach):
    built = make_app(size, low_reach=reach)
    built.window.setFixedSize(*size)
    stage = built.window.stage
    chosen = 0
    for index, slide, what, view_rect, _ in _targets(built):
        built.navigator.go(index)
        built.app.processEvents()
        view = stage.current_view
        centre = view_rect.center().toPoint()
        if what.startswith(("map area", "list row")):
            area_id = what.split()[-1]
            view.select_area(None)
            QTest.mouseClick(stage, Qt.MouseButton.LeftButton, pos=view.mapTo(stage, centre))
            assert view.selected_area == area_id, f"{slide.id} {what}"
            chosen += 1
        elif what.startswith("mark"):
            chart = view.chart
            assert chart is not None
            mark = int(what.split()[-1])
            chart.select(None)
            QTest.mouseClick(stage, Qt.MouseButton.LeftButton, pos=view.mapTo(stage, centre))
            assert chart.selected == mark and chart.callout_text() == chart.mark_text(mark),\
                f"{slide.id} {what}"
            chosen += 1
    assert chosen >= 20


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_text_fits_with_low_reach(make_app, size, large):
    """The checks of tests/test_fit.py with low reach on at every size."""
    built = make_app(size, low_reach="on", large_text=large)
    built.window.setFixedSize(*size)
    assert built.window.stage.look.low_reach
    problems = _problems(built, False)
    assert not problems, "\n".join(problems)
