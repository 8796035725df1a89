"""``taixin-kiosk new-pack DIR``: a starter content pack to edit.

The pack uses every slide type and chart kind, so an editor sees each one
working before changing it. Its words are placeholders that say what to
write; they come from the app's catalogues (the ``starter`` section), and
the app's own words (controls, access, presenter, staff screens) are copied
from the built-in catalogues, so the new pack validates as it is.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from taixin_kiosk.content.builtin import find_builtin
from taixin_kiosk.content.catalogue import LOCALE_RE, Catalogue
from taixin_kiosk.content.deck import DECK_FILE

# The sections of the app's own words a pack's catalogue must bring (see
# docs/content-format.md); ``cli`` and ``problem`` stay with the app.
APP_SECTIONS = ("meta", "ui", "access", "presenter", "export", "staff", "config")
STARTER_SECTION = "starter"
FALLBACK_LOCALE = "en"
DEFAULT_LANGS = "en,zh-CN"


def _k(key: str) -> str:
    return f"deck.{key}"


def _series(prefix: str, names: Sequence[str], values: Sequence[Sequence[float]]
            ) -> list[dict[str, Any]]:
    return [{"name": _k(f"{prefix}.{name}"), "values": list(v)}
            for name, v in zip(names, values, strict=True)]


def _chart_slide(slide_id: str, chart: dict[str, Any], *, points: bool = False
                 ) -> dict[str, Any]:
    slide: dict[str, Any] = {"id": slide_id, "type": "chart", "title": _k(f"{slide_id}.title"),
                             "lead": _k(f"{slide_id}.lead"), "notes": _k(f"{slide_id}.notes")}
    if points:
        slide["points"] = [{"icon": "chart", "text": _k(f"{slide_id}.points.one")},
                           {"text": _k(f"{slide_id}.points.two")}]
    slide["chart"] = {"title": _k(f"{slide_id}.chart.title"),
                      "unit": _k(f"{slide_id}.chart.unit"), **chart}
    return slide


def starter_deck(pack_id: str, default_locale: str) -> dict[str, Any]:
    """deck.json of the starter pack: one slide of each type and chart kind."""
    cards = [{"icon": icon, "heading": _k(f"cards.{n}.heading"), "body": _k(f"cards.{n}.body"),
              "stat": _k(f"cards.{n}.stat")}
             for n, icon in (("one", "star"), ("two", "people"), ("three", "chart"))]
    slides: list[dict[str, Any]] = [
        {"id": "cover", "type": "cover", "kicker": _k("cover.kicker"), "title": _k("cover.title"),
         "subtitle": _k("cover.subtitle"), "source": _k("cover.source"),
         "notes": _k("cover.notes")},
        {"id": "quote", "type": "quote", "title": _k("quote.title"), "quote": _k("quote.quote"),
         "attribution": _k("quote.attribution"),
         "points": [_k("quote.points.one"), _k("quote.points.two")], "notes": _k("quote.notes")},
        {"id": "cards", "type": "cards", "title": _k("cards.title"), "lead": _k("cards.lead"),
         "cards": cards, "footer": _k("cards.footer"), "notes": _k("cards.notes")},
        _chart_slide("bars", {
            "kind": "bar", "decimals": 1,
            "categories": [_k(f"bars.chart.{c}") for c in ("first", "second", "third")],
            "series": _series("bars.chart", ("this_year", "last_year"),
                              ((12.5, 8.0, 15.0), (10.0, 9.5, 11.0))),
        }, points=True),
        _chart_slide("ranking", {
            "kind": "bar", "orientation": "horizontal", "note": _k("ranking.chart.note"),
            "categories": [_k(f"ranking.chart.{c}") for c in ("first", "second", "third")],
            "series": _series("ranking.chart", ("amount",), ((30, 20, 10),)),
        }),
        _chart_slide("shares", {
            "kind": "share", "approximate": True,
            "items": [{"label": _k(f"shares.chart.{n}.label"), "value": value,
                       "value_label": _k(f"shares.chart.{n}.value")}
                      for n, value in (("first", 0.5), ("second", 0.3))],
        }),
        _chart_slide("figures", {
            "kind": "figures", "note": _k("figures.chart.note"),
            "items": [{"label": _k(f"figures.chart.{n}.label"), "value": value,
                       **({"unit": _k(f"figures.chart.{n}.unit")} if own else {})}
                      for n, value, own in (("first", 4, False), ("second", 60, True))],
        }),
        _chart_slide("trend", {
            "kind": "line", "x": [2021, 2022, 2023, 2024], "x_unit": _k("trend.chart.x_unit"),
            "series": _series("trend.chart", ("first", "second"),
                              ((5, 7, 8, 11), (3, 4, 6, 6))),
        }, points=True),
        _chart_slide("history", {
            "kind": "timeline", "x_unit": _k("history.chart.x_unit"),
            "points": [{"x": year, "label": _k(f"history.chart.{n}.label"),
                        "detail": _k(f"history.chart.{n}.detail")}
                       for n, year in (("first", 2000), ("second", 2010), ("third", 2020))],
        }),
        {"id": "map", "type": "map", "title": _k("map.title"), "lead": _k("map.lead"),
         "map": {
             "caption": _k("map.caption"), "hint": _k("map.hint"),
             "seated_hint": _k("map.seated_hint"),
             "places": [{"id": "city", "name": _k("map.places.city"), "x": 0.5, "y": 0.08,
                         "kind": "city"},
                        {"id": "town", "name": _k("map.places.town"), "x": 0.5, "y": 0.5,
                         "kind": "county"}],
             "areas": [{"id": f"area-{n}", "name": _k(f"map.areas.{n}.name"),
                        "focus": _k(f"map.areas.{n}.focus"), "x": x, "y": y}
                       for n, x, y in (("west", 0.3, 0.55), ("east", 0.7, 0.55))],
             "corridor": {"label": _k("map.corridor"), "x": 0.92, "y": 0.85},
             "county": {"x": 0.5, "y": 0.55, "rx": 0.32, "ry": 0.3},
         }, "notes": _k("map.notes")},
        {"id": "closing", "type": "cover", "title": _k("closing.title"),
         "subtitle": _k("closing.subtitle"), "notes": _k("closing.notes")},
    ]
    return {
        "format": 1, "id": pack_id, "version": "0.1.0", "title": _k("title"),
        "default_locale": default_locale, "slides": slides,
        "tours": [{"id": "short", "title": _k("tours.short.title"),
                   "stops": [{"slide": "cover", "seconds": 30}, {"slide": "bars", "seconds": 90},
                             {"slide": "closing", "seconds": 20}]}],
    }


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def starter_catalogue(app: Mapping[str, Any], english: Mapping[str, Any], locale: str
                      ) -> dict[str, Any]:
    """The new pack's catalogue for ``locale``: the app's own sections and the
    starter's placeholders from ``app`` (the built-in catalogue of that
    language, or English's when the app has none)."""
    out: dict[str, Any] = {section: json.loads(json.dumps(app[section]))
                           for section in APP_SECTIONS}
    starter = app[STARTER_SECTION]
    out["ui"]["window"]["title"] = starter["window_title"]
    if app is english and locale != FALLBACK_LOCALE:
        # Until it is translated, the language button still tells it apart.
        out["meta"]["language_name"] = locale
    out["deck"] = json.loads(json.dumps(starter["deck"]))
    return out


def pack_id_for(folder: Path) -> str:
    """A pack id (``[a-z0-9-]+``) from the folder's name."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name or "new-pack"


def write_starter(folder: Path, locales: Sequence[str]) -> list[str]:
    """Writes the starter pack into ``folder`` (new or empty); returns the
    locales the app has no words for (their text is English's)."""
    i18n = find_builtin().i18n
    english = _read(i18n / f"{FALLBACK_LOCALE}.json")
    untranslated = []
    catalogues = {}
    for locale in locales:
        path = i18n / f"{locale}.json"
        if locale != FALLBACK_LOCALE and path.is_file():
            app = _read(path)
        else:
            app = english
            if locale != FALLBACK_LOCALE:
                untranslated.append(locale)
        catalogues[locale] = starter_catalogue(app, english, locale)
    (folder / "i18n").mkdir(parents=True, exist_ok=True)
    deck = starter_deck(pack_id_for(folder), locales[0])
    _write_json(folder / DECK_FILE, deck)
    for locale, catalogue in catalogues.items():
        _write_json(folder / "i18n" / f"{locale}.json", catalogue)
    return untranslated


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def cmd_new_pack(cat: Catalogue, folder: Path, langs: str) -> int:
    """``taixin-kiosk new-pack DIR [--langs en,zh-CN]``: 0 when written, 1 when
    DIR is not empty or a language code is not one."""
    locales = list(dict.fromkeys(code.strip() for code in langs.split(",") if code.strip()))
    bad = [code for code in locales if not LOCALE_RE.match(code)]
    if not locales or bad:
        print(cat.text("cli.new_pack.bad_langs", langs=langs), file=sys.stderr)
        return 1
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(cat.text("cli.new_pack.not_empty", folder=str(folder)), file=sys.stderr)
        return 1
    try:
        untranslated = write_starter(folder, locales)
    except OSError as error:
        print(cat.text("cli.new_pack.failed", folder=str(folder), reason=str(error)),
              file=sys.stderr)
        return 1
    for locale in untranslated:
        print(cat.text("cli.new_pack.untranslated", locale=locale,
                       file=f"i18n/{locale}.json"), file=sys.stderr)
    print(cat.text("cli.new_pack.done", folder=str(folder), locales=", ".join(locales)))
    return 0
