"""Decks nobody wrote: hypothesis makes small packs by the format's rules
(docs/content-format.md, assets/deck.schema.json), and each one validates and
shows every slide without an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taixin_kiosk.content.starter import APP_SECTIONS

ROOT = Path(__file__).resolve().parents[1]
ICONS = ["location", "link", "corridor", "agriculture", "factory", "services", "road", "rail",
         "power", "flag", "target", "people", "plan", "shield", "star", "leaf", "city",
         "handshake", "chart", "clock", "book", "mountain", "map", "speed"]
# Words the bundled font draws: English, and Chinese from the built-in deck's own text.
WORDS = ["canal", "river", "city", "growth", "2024", "zone", "industrial park", "–", "%",
         "运河", "城市", "发展", "经济区", "产业", "交通", "一体化", "（", "）"]

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
numbers = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False, allow_infinity=False)
fraction = st.floats(min_value=0.05, max_value=0.95)


class Words:
    """Collects the deck's text keys and their strings while a deck is drawn."""

    def __init__(self, draw: st.DrawFn, slide: int) -> None:
        self.draw, self.slide, self.strings = draw, slide, {}  # type: dict[str, str]

    def key(self, field: str, unit: bool = False) -> str:
        key = f"deck.s{self.slide}.{field}"
        text = self.draw(texts)
        self.strings[key] = f"{{value}} {text}" if unit else text
        return key


@st.composite
def charts(draw: st.DrawFn, w: Words) -> dict[str, Any]:
    kind = draw(st.sampled_from(["bar", "share", "line", "timeline"]))
    chart: dict[str, Any] = {"kind": kind, "title": w.key("chart.title"),
                             "unit": w.key("chart.unit", unit=True),
                             "decimals": draw(st.integers(0, 2))}
    if kind == "bar":
        count = draw(st.integers(1, 6))
        chart["orientation"] = draw(st.sampled_from(["vertical", "horizontal"]))
        chart["categories"] = [w.key(f"chart.c{i}") for i in range(count)]
        chart["series"] = [{"name": w.key(f"chart.s{j}"),
                            "values": draw(st.lists(numbers, min_size=count, max_size=count))}
                           for j in range(draw(st.integers(1, 3)))]
    elif kind == "share":
        parts = draw(st.lists(st.integers(0, 100), min_size=1, max_size=4))
        whole = max(100, sum(parts))
        chart["items"] = [{"label": w.key(f"chart.i{i}"), "value": part / whole,
                           "value_label": w.key(f"chart.v{i}")} for i, part in enumerate(parts)]
    elif kind == "line":
        xs = sorted(draw(st.sets(st.integers(1990, 2040), min_size=2, max_size=30)))
        chart["x"] = xs
        chart["x_unit"] = w.key("chart.x_unit", unit=True)
        chart["series"] = [{"name": w.key(f"chart.s{j}"),
                            "values": draw(st.lists(numbers, min_size=len(xs), max_size=len(xs)))}
                           for j in range(draw(st.integers(1, 3)))]
    else:
        xs = sorted(draw(st.sets(st.integers(1900, 2050), min_size=1, max_size=6)))
        chart["x_unit"] = w.key("chart.x_unit", unit=True)
        chart["points"] = [{"x": x, "label": w.key(f"chart.p{i}"),
                            "detail": w.key(f"chart.d{i}")} for i, x in enumerate(xs)]
    return chart


@st.composite
def slides(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], dict[str, str]]:
    w = Words(draw, index)
    kind = draw(st.sampled_from(["cover", "quote", "cards", "chart", "map"]))
    slide: dict[str, Any] = {"id": f"s{index}", "type": kind, "notes": w.key("notes"),
                             "title": w.key("title")}
    if kind == "cover":
        if draw(st.booleans()):
            slide["subtitle"] = w.key("subtitle")
    elif kind == "quote":
        slide["quote"] = w.key("quote")
        slide["attribution"] = w.key("attribution")
        slide["points"] = [w.key(f"points.p{i}") for i in range(draw(st.integers(0, 6)))]
    elif kind == "cards":
        slide["cards"] = [{"icon": draw(st.sampled_from(ICONS)), "heading": w.key(f"c{i}.h"),
                           "body": w.key(f"c{i}.b")} for i in range(draw(st.integers(1, 8)))]
    elif kind == "chart":
        slide["chart"] = draw(charts(w))
    else:
        places = draw(st.integers(1, 3))
        areas = draw(st.integers(1, 3))
        spec: dict[str, Any] = {
            "caption": w.key("map.caption"), "hint": w.key("map.hint"),
            "places": [{"id": f"p{i}", "name": w.key(f"map.p{i}"), "x": draw(fraction),
                        "y": draw(fraction), "kind": draw(st.sampled_from(["city", "county"]))}
                       for i in range(places)],
            "areas": [{"id": f"a{i}", "name": w.key(f"map.a{i}"), "focus": w.key(f"map.f{i}"),
                       "x": draw(fraction), "y": draw(fraction)} for i in range(areas)],
            "county": {"x": 0.5, "y": 0.5, "rx": 0.3, "ry": 0.3},
        }
        if draw(st.booleans()):
            spec["corridor"] = {"label": w.key("map.corridor"), "x": draw(fraction),
                                "y": draw(fraction)}
        slide["map"] = spec
    return slide, w.strings


@st.composite
def packs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    drawn = [draw(slides(i)) for i in range(draw(st.integers(1, 4)))]
    strings = {"deck.title": "random deck"}
    for _, words in drawn:
        strings.update(words)
    deck = {"format": 1, "id": "random", "version": "1", "title": "deck.title",
            "default_locale": "en", "slides": [slide for slide, _ in drawn]}
    return deck, strings


def _write(folder: Path, deck: dict[str, Any], strings: dict[str, str]) -> None:
    english = json.loads((ROOT / "i18n" / "en.json").read_text(encoding="utf-8"))
    catalogue: dict[str, Any] = {section: english[section] for section in APP_SECTIONS}
    for key, text in strings.items():
        *parents, leaf = key.split(".")
        node = catalogue
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = text
    (folder / "i18n").mkdir(parents=True)
    (folder / "deck.json").write_text(json.dumps(deck), encoding="utf-8")
    (folder / "i18n" / "en.json").write_text(json.dumps(catalogue, ensure_ascii=False),
                                             encoding="utf-8")


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pack=packs())
def test_random_packs_validate_and_render(make_app, pack):
    from taixin_kiosk.content.choice import choose
    from taixin_kiosk.content.validate import validate

    deck, strings = pack
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pack"
        _write(folder, deck, strings)
        result = validate(folder)
        assert result.ok, [p.format(lambda key, **_: key) for p in result.errors]
        built = make_app((1280, 800), choice=choose(folder))
        assert [s.id for s in built.content.pack.deck.slides] == [s["id"] for s in deck["slides"]]
        for index in range(len(deck["slides"])):
            built.navigator.go(index)
            built.app.processEvents()
            view = built.window.stage.current_view
            assert view.slide.id == deck["slides"][index]["id"]
            assert view.layout_items.texts, f"slide {index} shows no text"
            assert not view.grab().isNull()
        built.unbind_input()
