"""Each chart is built from its deck.json data, locked, and follows the language."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView


def chart_slides(kiosk):
    return [(i, s) for i, s in enumerate(kiosk.content.pack.deck.slides) if s.chart is not None]


def test_at_least_four_charts_of_several_kinds(kiosk):
    charts = chart_slides(kiosk)
    assert len(charts) >= 4
    assert len({s.chart.kind for _, s in charts}) >= 3


def test_each_chart_built_from_its_data(kiosk):
    for index, slide in chart_slides(kiosk):
        kiosk.navigator.go(index)
        view = kiosk.window.stage.current_view
        chart = view.chart
        assert chart is not None, slide.id
        spec = slide.chart
        expected = {
            "bar": sum(len(s.values) for s in spec.series),
            "share": len(spec.items),
            "line": sum(len(s.values) for s in spec.series),
            "timeline": len(spec.points),
        }[spec.kind]
        assert len(chart._marks) == expected, slide.id
        vb = chart.item.view_box
        assert not any(vb.state["mouseEnabled"]), "charts must not pan or zoom"
        assert vb.menu is None, "no context menu"
        buttons = [i for i in chart.plot.scene().items() if isinstance(i, pg.ButtonItem)]
        assert not buttons, "no auto-range button"
        labels = [text for text, _ in chart.text_boxes()]
        assert labels, slide.id
        if spec.kind == "bar":
            for s in spec.series:
                for v in s.values:
                    assert kiosk.localizer.value(v, spec.decimals, spec.unit) in labels


def test_chart_labels_follow_language(kiosk):
    for index, slide in chart_slides(kiosk):
        kiosk.navigator.go(index)
        chart = kiosk.window.stage.current_view.chart
        zh = sorted(t for t, _ in chart.text_boxes())
        kiosk.localizer.set_locale("en")
        en = sorted(t for t, _ in chart.text_boxes())
        assert zh != en, slide.id
        kiosk.localizer.set_locale("zh-CN")


def test_number_format_follows_catalogue(kiosk):
    assert kiosk.localizer.number(33017.67, 2) == "33,017.67"
    kiosk.localizer.set_locale("en")
    line = next(s for _, s in chart_slides(kiosk) if s.chart.kind == "line")
    text = kiosk.localizer.value(33017.67, line.chart.decimals, line.chart.unit)
    assert text == "33,017.67 mu"


@pytest.mark.parametrize("kind", ["bar", "share", "line", "timeline"])
def test_tap_on_each_kind_selects_a_mark(kiosk, kind):

    found = [(i, s) for i, s in chart_slides(kiosk) if s.chart.kind == kind]
    if not found:
        pytest.skip(f"the deck has no {kind} chart")
    index, _ = found[0]
    kiosk.navigator.go(index)
    chart = kiosk.window.stage.current_view.chart
    mark = chart._marks[-1]
    assert chart.handle_tap(chart.mark_position(len(chart._marks) - 1))
    assert mark.value in chart.callout_text()


def test_right_click_and_drag_on_a_chart_do_nothing(kiosk):
    index = next(i for i, s in chart_slides(kiosk) if s.chart.kind == "bar")
    kiosk.navigator.go(index)
    kiosk.app.processEvents()
    chart = kiosk.window.stage.current_view.chart
    vb = chart.item.view_box
    before = vb.viewRange()
    centre = chart.plot.rect().center()
    QTest.mouseClick(chart.plot.viewport(), Qt.MouseButton.RightButton, pos=centre)
    assert QApplication.activePopupWidget() is None
    QTest.mousePress(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseMove(chart.plot.viewport(), centre + QPoint(0, 120))
    QTest.mouseRelease(chart.plot.viewport(), Qt.MouseButton.LeftButton,
                       pos=centre + QPoint(0, 120))
    assert vb.viewRange() == before
    assert kiosk.navigator.index == index


def test_tapped_values_stay_inside_the_chart(kiosk):
    """A mark at an edge opens its value towards the middle, never off the plot."""
    problems = []
    for index, slide in chart_slides(kiosk):
        kiosk.navigator.go(index)
        kiosk.app.processEvents()
        chart = kiosk.window.stage.current_view.chart
        bounds = QRectF(chart.rect()).adjusted(-1, -1, 1, 1)
        for i in range(len(chart._marks)):
            chart.select(i)
            kiosk.app.processEvents()
            box = dict(chart.text_boxes())[chart.callout_text()]
            if not bounds.contains(box):
                problems.append(f"{slide.id} mark {i}: {chart.callout_text()!r} {box}")
    assert not problems, "\n".join(problems)


def test_tap_beside_the_marks_puts_the_value_away(kiosk):
    index = next(i for i, s in chart_slides(kiosk) if s.chart.kind == "bar")
    kiosk.navigator.go(index)
    kiosk.app.processEvents()
    chart = kiosk.window.stage.current_view.chart
    assert chart.handle_tap(chart.mark_position(0))
    assert chart.callout_text() is not None
    vb_rect = chart.item.view_box.sceneBoundingRect()
    corner = chart.plot.mapTo(chart, QGraphicsView.mapFromScene(chart.plot,
                                                                vb_rect.topLeft()) + QPoint(3, 3))
    assert chart.handle_tap(QPointF(corner))
    assert chart.callout_text() is None
