"""Charts draw any data truthfully: every value label on its own mark, none
over another label, a mark or the plot's edge; years never grouped; bars
across in data order. Checked on synthetic charts (dense, negative, long
names in three scripts) and on every chart of every deck, at the four sizes
with and without large text, from what the chart drew."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsView

from conftest import ROOT, SIZES
from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.deck import Chart, ContentPack, Series
from taixin_kiosk.core.language import Localizer

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]

# The words of the synthetic charts, in three languages and scripts.
WORDS = {
    "en": {
        "t.title": "Output by year", "t.unit": "{value} thousand t", "t.x_unit": "{value}",
        "t.year_unit": "Year {value}", "t.plain": "{value}",
        "t.s0": "Yangqu County", "t.s1": "Taiyuan", "t.s2": "Xinzhou",
        "t.long0": "Comprehensive bonded logistics and cross-border trade zone",
        "t.long1": "Agricultural products processing park", "t.long2": "High-speed railways",
        "t.long3": "Datong–Puzhou Railway", "t.long4": "Taiyuan–Xinzhou Expressway",
        "t.e0": "Founded", "t.e1": "Zone planned", "t.e2": "Opened",
        "t.d": "The corridor's first section",
    },
    "zh-CN": {
        "t.title": "历年产量", "t.unit": "{value}千吨", "t.x_unit": "{value}年",
        "t.year_unit": "第{value}年", "t.plain": "{value}",
        "t.s0": "阳曲县", "t.s1": "太原市", "t.s2": "忻州市",
        "t.long0": "综合保税物流与跨境电子商务产业园区",
        "t.long1": "农产品加工园区", "t.long2": "高速铁路",
        "t.long3": "大同至蒲州铁路", "t.long4": "太原至忻州高速公路",
        "t.e0": "建立", "t.e1": "规划园区", "t.e2": "开通",
        "t.d": "走廊的第一段",
    },
    "zh-TW": {
        "t.title": "歷年產量", "t.unit": "{value}千噸", "t.x_unit": "{value}年",
        "t.year_unit": "第{value}年", "t.plain": "{value}",
        "t.s0": "陽曲縣", "t.s1": "太原市", "t.s2": "忻州市",
        "t.long0": "綜合保稅物流與跨境電子商務產業園區",
        "t.long1": "農產品加工園區", "t.long2": "高速鐵路",
        "t.long3": "大同至蒲州鐵路", "t.long4": "太原至忻州高速公路",
        "t.e0": "建立", "t.e1": "規劃園區", "t.e2": "開通",
        "t.d": "走廊的第一段",
    },
}
LOCALES = tuple(WORDS)
NAMES = ("t.s0", "t.s1", "t.s2")
LONG = ("t.long0", "t.long1", "t.long2", "t.long3", "t.long4")


def _walk(seed: int, count: int, start: float, step: float) -> tuple[float, ...]:
    rng = np.random.default_rng(seed)
    return tuple(float(round(v, 1)) for v in start + np.cumsum(rng.normal(0, step, count)))


def line(xs, *values, decimals: int = 1, x_unit: str = "t.x_unit", **extra) -> Chart:
    return Chart(kind="line", title="t.title", unit="t.unit", decimals=decimals,
                 x=tuple(float(x) for x in xs), x_unit=x_unit,
                 series=tuple(Series(NAMES[k], tuple(v)) for k, v in enumerate(values)),
                 **extra)


def bar(categories, *values, orientation: str = "vertical") -> Chart:
    return Chart(kind="bar", title="t.title", unit="t.unit", decimals=1,
                 orientation=orientation, categories=tuple(categories),
                 series=tuple(Series(NAMES[k], tuple(v)) for k, v in enumerate(values)))


SYNTHETIC = {
    # The issue's case: seven years, two series, values close together.
    "years_7x2": line(range(2019, 2026), (21.5, 23.0, 25.8, 27.1, 29.6, 31.2, 34.0),
                      (12.0, 12.8, 14.1, 15.0, 16.9, 18.2, 20.5)),
    # Two series on top of each other: no label can tell them apart.
    "years_alike": line(range(2019, 2026), (31.2, 32.0, 32.9, 33.4, 34.0, 33.8, 34.0),
                        (30.9, 31.8, 33.0, 33.2, 33.9, 34.0, 33.7)),
    "years_24x3": line(range(2001, 2025), _walk(1, 24, 50, 4), _walk(2, 24, 48, 4),
                       _walk(3, 24, 52, 4)),
    "zeros_negatives": line(range(1, 8), (-3.5, 0, 2.5, -1.0, 0, 4.0, -2.0),
                            (0, 0, 0, 1.5, -4.0, 0, 3.0), x_unit="t.plain"),
    "bars_long_names": bar(LONG, (4.0, 0.0, 12.5, -3.0, 7.5), (3.5, 2.0, 0.0, 6.0, -1.5)),
    "bars_across": bar(LONG, (4.0, 1.0, 12.5, 3.0, 7.5), (3.5, 2.0, 9.0, 6.0, 1.5),
                       (1.0, 8.0, 2.0, 0.0, 5.0), orientation="horizontal"),
    "bars_24x3": bar([LONG[i % 5] for i in range(24)], _walk(4, 24, 30, 5),
                     _walk(5, 24, 30, 5), _walk(6, 24, 30, 5)),
}


@pytest.fixture
def pack_of(built):
    """A localizer whose catalogues hold the built-in deck's words and the
    synthetic charts' words, in zh-CN, en and zh-TW."""
    pack = built.content.pack
    base = {"zh-TW": pack.catalogue("zh-CN").strings}
    catalogues = {
        locale: Catalogue(locale, {**base.get(locale, pack.catalogue(locale).strings),
                                   **WORDS[locale]})
        for locale in LOCALES}
    return ContentPack(pack.root, pack.deck, catalogues, locales=("zh-CN", "en", "zh-TW"))


# -- what a chart drew ---------------------------------------------------------

def _widget_rect(chart, x0: float, y0: float, x1: float, y1: float) -> QRectF:
    vb = chart.item.view_box
    a = chart._to_widget_point(vb.mapViewToScene(QPointF(x0, y0)))
    b = chart._to_widget_point(vb.mapViewToScene(QPointF(x1, y1)))
    return QRectF(a, b).normalized()


def drawn_marks(chart) -> list[tuple[QRectF, float]]:
    """Every bar and point drawn (the legend's samples aside): its box in
    widget pixels and the value it stands for."""
    out = []
    for item in chart.item.view_box.addedItems:
        if isinstance(item, pg.BarGraphItem):
            horizontal = item.opts.get("width") is not None and item.opts.get("x0") is not None
            x0, y0, x1, y1 = np.broadcast_arrays(*item._getNormalizedCoords())
            lengths = item.opts["width"] if horizontal else item.opts["height"]
            for a, b, c, d, v in zip(x0.ravel(), y0.ravel(), x1.ravel(), y1.ravel(),
                                     np.broadcast_to(lengths, x0.shape).ravel(), strict=True):
                out.append((_widget_rect(chart, a, b, c, d), float(v)))
        elif isinstance(item, pg.PlotDataItem) and item.opts["symbol"] is not None:
            xs, ys = item.getData()
            side = item.opts["symbolSize"]
            for x, y in zip(xs, ys, strict=True):
                centre = chart._to_widget_point(item.getViewBox().mapViewToScene(QPointF(x, y)))
                out.append((QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side),
                            float(y)))
    return out


def _box(chart, item) -> QRectF:
    scene = item.mapRectToScene(item.boundingRect())
    view = QGraphicsView.mapFromScene(chart.plot, scene).boundingRect()
    top_left = chart.plot.mapTo(chart, view.topLeft())
    return QRectF(top_left.x(), top_left.y(), view.width(), view.height())


def _gap(a: QRectF, b: QRectF) -> float:
    dx = max(0.0, max(a.left(), b.left()) - min(a.right(), b.right()))
    dy = max(0.0, max(a.top(), b.top()) - min(a.bottom(), b.bottom()))
    return math.hypot(dx, dy)


def _overlap(a: QRectF, b: QRectF) -> bool:
    inter = a.intersected(b)
    return inter.width() > 1 and inter.height() > 1


def label_problems(chart, where: str) -> list[str]:
    """What a visitor would misread: a value label outside the plot, on
    another label or a mark, or nearer to a mark of another value than to
    its own; tick labels on each other or grouped years."""
    problems = []
    vb = chart.item.view_box
    plot = chart._to_widget(vb.mapRectToScene(vb.boundingRect())).adjusted(-1, -1, 1, 1)
    marks = [(box, chart.value_text(v)) for box, v in drawn_marks(chart)]
    texts = [(item.toPlainText(), _box(chart, item), item) for item in chart._texts]
    for text, box, item in texts:
        if not plot.contains(box):
            problems.append(f"{where}: {text!r} {box} is not inside the plot {plot}")
        for other, other_box, other_item in texts:
            if other_item is not item and _overlap(box, other_box) and id(item) < id(other_item):
                problems.append(f"{where}: {text!r} overlaps {other!r}")
    for item in chart.value_labels:
        text, box = item.toPlainText(), _box(chart, item)
        for mark, _ in marks:
            if _overlap(box, mark):
                problems.append(f"{where}: value {text!r} lies on a mark")
        nearest = min(marks, key=lambda m: _gap(box, m[0]))
        mine = min(_gap(box, m) for m, shown in marks if shown == text) \
            if any(shown == text for _, shown in marks) else math.inf
        others = [_gap(box, m) for m, shown in marks if shown != text]
        if nearest[1] != text or (others and min(others) <= mine):
            problems.append(f"{where}: value {text!r} is nearest to a mark of {nearest[1]!r}")
    for name in ("left", "bottom"):
        axis = chart.item.axis(name)
        if not axis.isVisible() or not axis._tickLevels:
            continue
        shown = [(x, t) for x, t in axis._tickLevels[0] if t]
        fm = QFontMetricsF(axis.style["tickFont"])
        if name == "bottom":
            spans = sorted((chart._to_widget_point(vb.mapViewToScene(QPointF(x, 0))).x(),
                            fm.horizontalAdvance(t), t) for x, t in shown)
            for (xa, wa, ta), (xb, wb, tb) in itertools.pairwise(spans):
                if xa + wa / 2 > xb - wb / 2:
                    problems.append(f"{where}: tick labels {ta!r} and {tb!r} overlap")
        else:
            rows = sorted((chart._to_widget_point(vb.mapViewToScene(QPointF(0, y))).y(), t)
                          for y, t in shown)
            for (ya, ta), (yb, tb) in itertools.pairwise(rows):
                if yb - ya < fm.height() - 1:
                    problems.append(f"{where}: tick labels {ta!r} and {tb!r} overlap")
    return problems


def year_problems(chart, loc, where: str) -> list[str]:
    """Years (and the x of a chart that declares them ordinal) written whole,
    never grouped, on the axis, in taps and in value labels."""
    from taixin_kiosk.content.numbers import chart_xs, x_kind

    spec = chart.spec
    if spec.kind not in ("line", "timeline") or x_kind(spec) == "quantity":
        return []
    problems = []
    axis = chart.item.axis("bottom")
    for x, tick in [pair for level in axis._tickLevels or [] for pair in level if pair[1]]:
        whole = loc.text(spec.x_unit, value=str(int(x))) if spec.x_unit else str(int(x))
        if tick != whole:
            problems.append(f"{where}: axis tick {tick!r} for {x}, not {whole!r}")
    for x in chart_xs(spec):
        text = loc.x_text(spec, x)
        if str(int(x)) not in text:
            problems.append(f"{where}: {x} reads {text!r}")
    for i in range(chart.mark_count()):
        if any(str(int(x)) in chart.mark_text(i) for x in chart_xs(spec)):
            continue
        problems.append(f"{where}: a tap reads {chart.mark_text(i)!r}, without its year")
    return problems


def chart_rects(make_app, size):
    """Where the start-up area's chart sits at ``size`` (the deck's line
    chart until issue 14 made its two points figures), without and with
    large text: its box, type unit and text scale, as the slide gives them."""
    built = make_app(size)
    built.window.setFixedSize(*size)
    index = next(i for i, s in enumerate(built.content.pack.deck.slides)
                 if s.id == "startup-area")
    out = []
    for large in (False, True):
        built.access.set(built.access.current._replace(large_text=large))
        built.navigator.go(index)
        built.app.processEvents()
        chart = built.window.stage.current_view.chart
        out.append((large, chart.geometry(), chart.unit, chart.text_scale))
    return built, out


def build_view(built, spec, loc, rect, unit, scale):
    from taixin_kiosk.ui.charts.view import ChartView

    chart = ChartView(spec, loc, built.window.stage.family, built.window)
    chart.text_scale = scale
    chart.place(rect, unit)
    chart.show()
    built.app.processEvents()
    return chart


# -- synthetic charts ----------------------------------------------------------

@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_synthetic_charts_label_every_value_truthfully(make_app, pack_of, size):
    built, rects = chart_rects(make_app, size)
    problems = []
    drawn = 0
    for locale in LOCALES:
        loc = Localizer(pack_of, locale)
        for name, spec in SYNTHETIC.items():
            for large, rect, unit, scale in rects:
                chart = build_view(built, spec, loc, rect, unit, scale)
                where = f"{locale} {name} large={large}"
                problems += label_problems(chart, where)
                problems += year_problems(chart, loc, where)
                drawn += len(chart.value_labels)
                chart.deleteLater()
    assert not problems, "\n".join(problems)
    assert drawn > 0


def test_the_issue_line_chart_reads_years_and_every_value(built, pack_of):
    """Seven years, two series in a short box in English: the years read
    2019 to 2025, the values beside their own points."""
    loc = Localizer(pack_of, "en")
    chart = build_view(built, SYNTHETIC["years_7x2"], loc,
                       built.window.rect().adjusted(0, 0, 0, -300), 1.08, 1.0)
    ticks = [t for _, t in chart.item.axis("bottom")._tickLevels[0]]
    assert ticks[0] == "2019" and ticks[-1] == "2025", ticks
    assert all("," not in t for t in ticks)
    assert chart.handle_tap(chart.mark_position(6))
    assert "2025" in chart.callout_text() and "2,025" not in chart.callout_text()
    assert "34.0 thousand t" in chart.callout_text()
    assert not label_problems(chart, "years_7x2")
    shown = {t.toPlainText() for t in chart.value_labels}
    # Too many for the box to hold all: the first and the last year of each
    # series are labelled, the rest where they fit, and a tap gives any.
    ends = {chart.value_text(s.values[i]) for s in chart.spec.series for i in (0, -1)}
    assert ends <= shown, ends - shown
    assert len(shown) >= 6


def test_timeline_years_are_not_grouped(built, pack_of):
    spec = Chart(kind="timeline", title="t.title", unit="t.unit", x_unit="t.x_unit",
                 points=tuple(_point(x, k) for k, x in enumerate((2009, 2015, 2024))))
    for locale in LOCALES:
        loc = Localizer(pack_of, locale)
        chart = build_view(built, spec, loc, built.window.rect(), 1.0, 1.0)
        ticks = [t for _, t in chart.item.axis("bottom")._tickLevels[0]]
        assert ticks == [loc.text("t.x_unit", value=y) for y in ("2009", "2015", "2024")]
        assert not year_problems(chart, loc, locale)
        assert "2009" in chart.mark_text(0)


def _point(x: float, k: int):
    from taixin_kiosk.content.deck import TimelinePoint

    return TimelinePoint(float(x), f"t.e{k}", "t.d")


def test_declared_kinds_decide_grouping(built, pack_of):
    loc = Localizer(pack_of, "en")
    quantity = line((1500, 2000, 2500), (1, 2, 3), x_unit="t.plain", x_kind="quantity")
    ordinal = line((10000, 10001), (1, 2), x_unit="t.year_unit", x_kind="ordinal")
    plain = line((500, 1500), (1, 2), x_unit="t.plain")
    assert [loc.x_text(quantity, x) for x in quantity.x] == ["1,500", "2,000", "2,500"]
    assert [loc.x_text(ordinal, x) for x in ordinal.x] == ["Year 10000", "Year 10001"]
    # 500 is no year: the axis is of quantities, grouped.
    assert [loc.x_text(plain, x) for x in plain.x] == ["500", "1,500"]
    halves = line((0, 0.5, 1.5), (1, 2, 3), x_unit="t.plain")
    assert [loc.x_text(halves, x) for x in halves.x] == ["0.0", "0.5", "1.5"]


@pytest.mark.parametrize("locale", LOCALES)
def test_bars_across_read_top_to_bottom_in_data_order(built, pack_of, locale):
    loc = Localizer(pack_of, locale)
    spec = SYNTHETIC["bars_across"]
    chart = build_view(built, spec, loc, built.window.rect(), 1.0, 1.0)
    assert chart.horizontal
    bars = drawn_marks(chart)
    count, n = len(spec.series), len(spec.categories)
    assert len(bars) == count * n
    # Bars are drawn series by series, category by category.
    tops = [[bars[k * n + i][0].center().y() for i in range(n)] for k in range(count)]
    for k in range(count):
        assert tops[k] == sorted(tops[k]), "the first category is not on top"
    for i in range(n):
        assert [tops[k][i] for k in range(count)] == sorted(tops[k][i] for k in range(count)),\
            "series are not in the legend's order from the top"
    legend = [x for x, t in sorted((box.left(), text) for text, box in chart.text_boxes())
              if t in {loc.text(s.name) for s in spec.series}]
    assert len(legend) == count
    names = [loc.text(s.name) for s in spec.series]
    legend_order = sorted(names, key=lambda t: dict((t2, b.left())
                                                    for t2, b in chart.text_boxes())[t])
    assert legend_order == names
    categories = [loc.text(c) for c in spec.categories]
    names = sorted((box.top(), text) for text, box in chart.text_boxes() if text in categories)
    assert [text for _, text in names] == categories


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(2, 30), series=st.integers(1, 3), seed=st.integers(0, 10_000),
       scale=st.sampled_from([1.0, 1000.0, 0.01]), large=st.booleans())
# Found by CI: values 0.0 and -0.01 put the top at 0, which had its tick twice.
@example(count=2, series=1, seed=2, scale=0.01, large=False)
def test_random_line_charts_never_mislabel(built, pack_of, count, series, seed, scale, large):
    rng = np.random.default_rng(seed)
    values = [tuple(float(round(v, 2)) for v in rng.normal(0, 1, count) * scale)
              for _ in range(series)]
    spec = line(range(2000, 2000 + count), *values, decimals=2)
    loc = Localizer(pack_of, "en")
    chart = build_view(built, spec, loc, built.window.rect().adjusted(0, 0, -400, -300),
                       1.0, 2.0 if large else 1.0)
    problems = label_problems(chart, f"{count}x{series} seed {seed}")
    chart.deleteLater()
    assert not problems, "\n".join(problems)


# -- every deck ------------------------------------------------------------

def decks() -> list[Path | None]:
    """The built-in deck (None) and every test pack (tests/packs/*/deck.json)."""
    return [None, *sorted(p.parent for p in (ROOT / "tests" / "packs").glob("*/deck.json"))]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("deck", decks(), ids=lambda d: "builtin" if d is None else d.name)
def test_every_deck_chart_labels_truthfully(make_app, size, deck):
    from taixin_kiosk.content.choice import choose

    built = make_app(size, choice=None if deck is None else choose(deck))
    built.window.setFixedSize(*size)
    slides = [(i, s) for i, s in enumerate(built.content.pack.deck.slides) if s.chart]
    problems = []
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for large in (False, True):
            built.access.set(built.access.current._replace(large_text=large))
            for index, slide in slides:
                built.navigator.go(index)
                built.app.processEvents()
                chart = built.window.stage.current_view.chart
                where = f"{locale} {slide.id} large={large}"
                problems += label_problems(chart, where)
                problems += year_problems(chart, built.localizer, where)
    assert not problems, "\n".join(problems)
