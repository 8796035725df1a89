"""Builds the deck model (``content.deck``) from a deck.json that passed every check.

These run only on a document the schema accepted, so the shapes are known:
a missing key here is a bug in the checks, which ``load_pack`` turns into an
``internal_error`` problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from taixin_kiosk.content.deck import (
    MEDIA_FIELDS,
    Card,
    Chart,
    Corridor,
    Deck,
    Ellipse,
    Figure,
    MapArea,
    MapPlace,
    MapSpec,
    Point,
    Series,
    ShareItem,
    Slide,
    TimelinePoint,
    Tour,
    TourStop,
)
from taixin_kiosk.content.json_read import index_path

Json = dict[str, Any]


def _opt(obj: Json, key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _series(items: list[Json]) -> tuple[Series, ...]:
    return tuple(Series(s["name"], tuple(float(v) for v in s["values"])) for s in items)


def _chart(obj: Json) -> Chart:
    return Chart(
        kind=obj["kind"],
        title=_opt(obj, "title"),
        unit=obj["unit"],
        decimals=int(obj.get("decimals", 0)),
        approximate=bool(obj.get("approximate", False)),
        note=_opt(obj, "note"),
        orientation=obj.get("orientation", "vertical"),
        categories=tuple(obj.get("categories", ())),
        series=_series(obj.get("series", [])),
        items=tuple(
            ShareItem(i["label"], float(i["value"]), i["value_label"])
            for i in obj.get("items", []) if obj["kind"] == "share"
        ),
        x=tuple(float(v) for v in obj.get("x", ())),
        x_unit=_opt(obj, "x_unit"),
        points=tuple(
            TimelinePoint(float(p["x"]), p["label"], _opt(p, "detail"))
            for p in obj.get("points", [])
        ),
        figures=tuple(
            Figure(i["label"], float(i["value"]), _opt(i, "unit"), i.get("decimals"))
            for i in obj.get("items", []) if obj["kind"] == "figures"
        ),
        x_kind=obj.get("x_kind"),
    )


def _map(obj: Json) -> MapSpec:
    county, corridor = obj["county"], obj.get("corridor")
    return MapSpec(
        caption=obj["caption"],
        hint=obj["hint"],
        seated_hint=_opt(obj, "seated_hint"),
        county=Ellipse(
            float(county["x"]), float(county["y"]), float(county["rx"]), float(county["ry"])
        ),
        places=tuple(
            MapPlace(p["id"], p["name"], float(p["x"]), float(p["y"]), p["kind"])
            for p in obj["places"]
        ),
        areas=tuple(
            MapArea(a["id"], a["name"], a["focus"], float(a["x"]), float(a["y"]))
            for a in obj["areas"]
        ),
        corridor=(
            Corridor(corridor["label"], float(corridor["x"]), float(corridor["y"]))
            if isinstance(corridor, dict)
            else None
        ),
    )


def _point(item: str | Json) -> Point:
    if isinstance(item, str):
        return Point(item)
    return Point(item["text"], _opt(item, "icon"))


def _slide(obj: Json, where: str, media: Mapping[str, Path]) -> Slide:
    return Slide(
        id=obj["id"],
        type=obj["type"],
        notes=obj["notes"],
        title=_opt(obj, "title"),
        subtitle=_opt(obj, "subtitle"),
        kicker=_opt(obj, "kicker"),
        source=_opt(obj, "source"),
        image=media.get(f"{where}.image"),
        emblem=media.get(f"{where}.emblem"),
        quote=_opt(obj, "quote"),
        attribution=_opt(obj, "attribution"),
        lead=_opt(obj, "lead"),
        footer=_opt(obj, "footer"),
        points=tuple(_point(p) for p in obj.get("points", ())),
        cards=tuple(
            Card(c["icon"], c["heading"], _opt(c, "body"), _opt(c, "stat"))
            for c in obj.get("cards", ())
        ),
        chart=_chart(obj["chart"]) if "chart" in obj else None,
        map=_map(obj["map"]) if "map" in obj else None,
    )


def build_deck(doc: Json, media: Mapping[str, Path]) -> Deck:
    """The deck of ``doc``; ``media`` maps a slide's JSON path (``slides[2].image``)
    to the checked file it names."""
    return Deck(
        format=int(doc["format"]),
        id=doc["id"],
        version=doc["version"],
        title=doc["title"],
        default_locale=doc["default_locale"],
        slides=tuple(
            _slide(s, index_path("slides", i), media) for i, s in enumerate(doc["slides"])
        ),
        tours=_tours(doc),
    )


def _tours(doc: Json) -> tuple[Tour, ...]:
    index = {s["id"]: i for i, s in enumerate(doc["slides"])}
    return tuple(
        Tour(t["id"], t["title"],
             tuple(TourStop(index[stop["slide"]], float(stop["seconds"])) for stop in t["stops"]))
        for t in doc.get("tours", ()))


def media_paths(root: Path, doc: object) -> dict[str, Path]:
    """Where the media named by a trusted deck are, without reading them."""
    base = root.resolve()
    slides = doc.get("slides") if isinstance(doc, dict) else None
    out: dict[str, Path] = {}
    for i, slide in enumerate(slides if isinstance(slides, list) else ()):
        for name in MEDIA_FIELDS:
            value = slide.get(name) if isinstance(slide, dict) else None
            if isinstance(value, str):
                out[f"{index_path('slides', i)}.{name}"] = (base / value).resolve()
    return out
