"""Charts that say one thing each (issue 14): a single share is a hero figure
with a ring filled to it, counts of unlike things are figures with their own
units, no line of two points, no chart title that repeats the slide's, each
milestone named once; and validate warns of what a pack gets wrong."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF

from conftest import SIZES
from decks import BUILTIN, DECKS, deck_choice, deck_dir
from taixin_kiosk.content.chart_check import check_charts, same_words
from taixin_kiosk.content.loader import load_pack
from taixin_kiosk.ui.charts.figure import RING_HOLE, one_line_of

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
ROOT = Path(__file__).resolve().parents[1]
CANAL = ROOT / "tests" / "packs" / "grand-canal"


def _chart_on(built, index):
    built.navigator.go(index)
    built.app.processEvents()
    view = built.window.stage.current_view
    view.ensure_chart()
    built.app.processEvents()
    return view, view.chart


def _hero_slides(built):
    return [(i, s) for i, s in enumerate(built.content.pack.deck.slides)
            if s.chart is not None and s.chart.kind == "share" and len(s.chart.items) == 1]


def _close(colour, target, tolerance: int = 40) -> bool:
    return (abs(colour.red() - target.red()) + abs(colour.green() - target.green())
            + abs(colour.blue() - target.blue())) <= tolerance


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["1920x1080", "1080x1920"])
def test_one_share_is_a_hero_figure_with_its_ring_and_tag(make_app, size):
    built = make_app(size)
    built.window.setFixedSize(*size)
    heroes = _hero_slides(built)
    assert len(heroes) == 2  # location and industry: "nearly one third", "about half"
    for locale in ("zh-CN", "en"):
        built.localizer.set_locale(locale)
        t = built.localizer.text
        for index, slide in heroes:
            _, chart = _chart_on(built, index)
            share = slide.chart.items[0]
            where = f"{locale} {slide.id}"
            texts = dict(chart.text_boxes())
            # The value in words, large, and the part's name: no bar.
            value = texts[t(share.value_label)]
            label = texts[t(share.label)]
            sizes = {i.toPlainText(): i.textItem.font().pixelSize() for i in chart._texts}
            assert sizes[t(share.value_label)] >= 1.5 * sizes[t(share.label)], where
            assert not [i for i in chart.item.view_box.addedItems
                        if type(i).__name__ == "BarGraphItem"], where
            # The ring, filled to the share: counted around it on screen.
            (glyph,) = chart.glyphs
            assert glyph.fraction == pytest.approx(share.value), where
            image = chart.grab().toImage()
            ratio = image.devicePixelRatio()
            centre = chart._to_widget_point(
                chart.item.view_box.mapViewToScene(QPointF(glyph.pos())))
            radius = glyph.diameter / 2 * (1 + RING_HOLE) / 2
            part = built.window.look.palette.accent_2
            filled = 0
            for step in range(360):
                angle = math.radians(90 - step - 0.5)  # clockwise from the top
                x = (centre.x() + radius * math.cos(angle)) * ratio
                y = (centre.y() - radius * math.sin(angle)) * ratio
                filled += _close(image.pixelColor(round(x), round(y)), part)
            assert filled / 360 == pytest.approx(share.value, abs=0.02), (where, filled)
            # The "approximate" tag inside the figure, right under its name.
            tag = texts[t("ui.chart.approximate")]
            box = chart.figure_rect(0).adjusted(-2, -2, 2, 2)  # (text boxes are whole pixels)
            for name, rect in (("value", value), ("label", label), ("tag", tag)):
                assert box.contains(rect), (where, name, rect, box)
            assert value.bottom() <= label.top() + 1, where
            # Attached: on the name's line right after it, or right under it.
            gap = chart.gap()
            after = label.top() - 1 <= tag.center().y() <= label.bottom() + 1 and \
                0 <= tag.left() - label.right() <= 3 * gap + 2
            under = 0 <= tag.top() - label.bottom() + 1 <= 2 * gap + 2 and (
                abs(tag.left() - label.left()) <= 1
                or abs(tag.center().x() - label.center().x()) <= 1)
            assert after or under, (where, label, tag)
            bounds = QRectF(chart.rect()).adjusted(-1, -1, 1, 1)
            assert all(bounds.contains(r) for r in texts.values()), where


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_unlike_counts_are_figures_with_their_own_units(make_app, size):
    built = make_app(size)
    built.window.setFixedSize(*size)
    slides = {s.id: (i, s) for i, s in enumerate(built.content.pack.deck.slides)}
    for locale in ("zh-CN", "en"):
        built.localizer.set_locale(locale)
        loc = built.localizer
        for slide_id in ("transport", "startup-area"):
            index, slide = slides[slide_id]
            spec = slide.chart
            assert spec.kind == "figures"
            _, chart = _chart_on(built, index)
            # Each text item's box ("1" may be the value of two figures).
            boxes = {id(item): box for item, (_, box)
                     in zip(chart._texts, chart.text_boxes(), strict=False)}
            names = {i.toPlainText(): i for i in chart._texts}
            rects = [chart.figure_rect(i) for i in range(len(spec.figures))]
            for i, figure in enumerate(spec.figures):
                where = f"{locale} {slide_id} {i}"
                shown = loc.value(figure.value, spec.decimals if figure.decimals is None
                                  else figure.decimals, figure.unit or spec.unit)
                value, name = chart.big_values[i], names[loc.text(figure.label)]
                assert value.toPlainText() == shown, where
                # The number and its unit on one line, the largest text.
                line = value.textItem.document().documentLayout().blockBoundingRect(
                    value.textItem.document().begin()).height()
                assert one_line_of(value), where
                assert boxes[id(value)].height() <= line * 1.5, where
                assert value.textItem.font().pixelSize() > name.textItem.font().pixelSize()
                box = rects[i].adjusted(-2, -2, 2, 2)  # (text boxes are whole pixels)
                assert box.contains(boxes[id(value)]) and box.contains(boxes[id(name)]), where
                # The name under its number, or beside it on its right.
                assert boxes[id(value)].bottom() <= boxes[id(name)].top() + 1 or \
                    boxes[id(value)].right() <= boxes[id(name)].left() + 1, where
            for i, a in enumerate(rects):
                for b in rects[i + 1:]:
                    inter = a.intersected(b)
                    assert inter.width() <= 1 or inter.height() <= 1, (locale, slide_id, a, b)
            bounds = QRectF(chart.rect()).adjusted(-1, -1, 1, 1)
            assert all(bounds.contains(r) for r in boxes.values()), (locale, slide_id)
    # The article's figures, unchanged.
    transport = slides["transport"][1].chart
    assert [f.value for f in transport.figures] == [4, 1, 2, 1]
    startup = slides["startup-area"][1].chart
    assert sorted(f.value for f in startup.figures) == [60, 33017.67]


@pytest.mark.parametrize("deck", DECKS)
def test_every_deck_chart_says_one_thing(make_app, deck):
    """No line of two points, no one-part share drawn as a bar, no chart
    title that repeats the slide's, each milestone named once, and no
    warning from validate's chart checks."""
    built = make_app((1920, 1080), choice=deck_choice(deck))
    pack = built.content.pack
    assert not check_charts(pack.deck, pack.catalogues)
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        t = built.localizer.text
        for index, slide in enumerate(pack.deck.slides):
            spec = slide.chart
            if spec is None:
                continue
            where = f"{deck} {locale} {slide.id}"
            assert not (spec.kind == "line" and len(spec.x) <= 2), where
            view, chart = _chart_on(built, index)
            if spec.kind == "share" and len(spec.items) == 1:
                assert chart.glyphs, where
            items = view.layout_items.texts
            shown = [item.text for item in items]
            assert sum(same_words(text, t(slide.title)) for text in shown) == 1, where
            # "Approximate" where it is read: in each figure, or with the
            # chart's title; never floating in the plot.
            tag_text = t("ui.chart.approximate")
            in_chart = [text for text, _ in chart.text_boxes()].count(tag_text)
            tags = [item for item in items if item.text == tag_text]
            if spec.approximate and spec.drawn_as_figures:
                assert in_chart == max(len(spec.figures), len(spec.items)) and not tags, where
            elif spec.approximate:
                assert in_chart == 0 and len(tags) == 1, where
                title = next((item.rect for item in items if item.key == spec.title), None)
                tag, unit = tags[0].rect, view.width() / 1920
                if title is not None:
                    after = abs(tag.center().y() - title.center().y()) <= 2 and \
                        0 <= tag.left() - title.right() <= 24 * unit
                    under = 0 <= tag.top() - title.bottom() <= 8 * unit and \
                        abs(tag.left() - title.left()) <= 1
                    assert after or under, (where, title, tag)
            else:
                assert in_chart == 0 and not tags, where
            if spec.kind == "timeline":
                drawn = [text for text, _ in chart.text_boxes()]
                for point in spec.points:
                    assert drawn.count(t(point.label)) == 1, where
                    assert point.detail is None or not same_words(t(point.detail),
                                                                  t(point.label)), where


# -- validate ------------------------------------------------------------------

def _canal_copy(tmp_path: Path) -> tuple[Path, dict]:
    root = tmp_path / "pack"
    shutil.copytree(CANAL, root)
    return root, json.loads((root / "deck.json").read_text(encoding="utf-8"))


def _slide(doc: dict, slide_id: str) -> tuple[int, dict]:
    return next((i, s) for i, s in enumerate(doc["slides"]) if s["id"] == slide_id)


def _write(root: Path, doc: dict) -> None:
    (root / "deck.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _lines(result) -> list[str]:
    """The problems as ``validate`` prints them, in English."""
    from taixin_kiosk.content.catalogue import Catalogue, flatten

    data = json.loads((ROOT / "i18n" / "en.json").read_text(encoding="utf-8"))
    text = Catalogue("en", {k: str(v) for k, v in flatten(data).items()}).text
    return [p.format(text) for p in result.problems]


def test_validate_warns_of_a_two_point_line_and_a_repeated_title(tmp_path):
    root, doc = _canal_copy(tmp_path)
    i, levels = _slide(doc, "levels")
    levels["chart"]["x"] = levels["chart"]["x"][:2]
    for series in levels["chart"]["series"]:
        series["values"] = series["values"][:2]
    j, sections = _slide(doc, "sections")
    sections["chart"]["title"] = sections["title"]
    _write(root, doc)
    result = load_pack(root)
    assert result.pack is not None, _lines(result)
    found = {(p.code, p.path, p.severity) for p in result.problems}
    assert ("line_two_points", f"slides[{i}].chart.x", "warning") in found
    assert ("chart_title_repeated", f"slides[{j}].chart.title", "warning") in found
    lines = _lines(result)
    assert any(line.startswith(f"deck.json: slides[{i}].chart.x: ") and "two points" in line
               for line in lines), lines
    repeated = next(p for p in result.problems if p.code == "chart_title_repeated")
    assert repeated.params["locales"] == "en, zh-CN, zh-TW"


def test_a_repeated_chart_title_is_shown_once(make_app, tmp_path):
    from taixin_kiosk.content.choice import choose

    root, doc = _canal_copy(tmp_path)
    j, sections = _slide(doc, "sections")
    sections["chart"]["title"] = sections["title"]
    _write(root, doc)
    built = make_app((1920, 1080), choice=choose(root))
    view, _ = _chart_on(built, j)
    title = built.localizer.text(sections["title"])
    assert [item.text for item in view.layout_items.texts].count(title) == 1


def test_figures_and_untitled_charts_validate(tmp_path):
    """A figures chart, a chart without a title and a milestone without a
    detail load; a figure without a value, an empty list and a unit that is
    not a text key are refused, each named by file and JSON path."""
    root, doc = _canal_copy(tmp_path)
    i, sections = _slide(doc, "sections")
    sections["chart"] = {"kind": "figures", "unit": "deck.sections.chart.unit",
                         "items": [{"label": "deck.sections.chart.tonghui", "value": 20},
                                   {"label": "deck.sections.chart.north", "value": 180,
                                    "decimals": 1}]}
    k, history = _slide(doc, "history")
    del history["chart"]["title"]
    del history["chart"]["points"][0]["detail"]
    _write(root, doc)
    result = load_pack(root)
    assert result.pack is not None, _lines(result)
    chart = result.pack.deck.slides[i].chart
    assert chart.kind == "figures" and [f.value for f in chart.figures] == [20, 180]
    assert chart.figures[1].decimals == 1 and chart.figures[0].decimals is None
    assert result.pack.deck.slides[k].chart.title is None
    assert result.pack.deck.slides[k].chart.points[0].detail is None

    del sections["chart"]["items"][0]["value"]
    sections["chart"]["items"][1]["unit"] = "Not a key"
    _write(root, doc)
    lines = _lines(load_pack(root))
    assert any(line.startswith(f"deck.json: slides[{i}].chart.items[0]") and "value" in line
               for line in lines), lines
    assert any(line.startswith(f"deck.json: slides[{i}].chart.items[1].unit") for line in lines)
    sections["chart"]["items"] = []
    _write(root, doc)
    lines = _lines(load_pack(root))
    assert any(line.startswith(f"deck.json: slides[{i}].chart.items") for line in lines), lines


def test_builtin_and_test_pack_have_no_chart_warnings():
    for deck in DECKS:
        folder = deck_dir(deck)
        if deck == BUILTIN or folder is None:
            continue
        result = load_pack(folder)
        assert result.pack is not None
        assert not [p for p in result.problems
                    if p.code in ("line_two_points", "chart_title_repeated")], deck
