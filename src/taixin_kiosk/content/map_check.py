"""Whether each map's labels can be placed clear of its dots, its arrow and
each other (content.map_fit), checked for ``validate`` without measuring
text: names are sized from their characters at a reference screen.

The reference (in stage units, a thousandth of the screen's shorter side)
is what a 1920x1080 screen gives a map under a two-line title, and a
1080x1920 one: the map's drawing, and its names at their sizes there. A
map that passes here is labelled clean on every supported screen unless
its slide's title is longer; tests/test_map_labels.py holds these figures
to the real layout.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.deck import DECK_FILE, Deck, MapSpec
from taixin_kiosk.content.json_read import index_path
from taixin_kiosk.content.map_fit import (
    CORRIDOR_WIDTHS,
    GAP,
    LABEL_WIDTH,
    LabelBox,
    Side,
    fit_labels,
    map_shapes,
)
from taixin_kiosk.content.problems import Problem

# Name of a reference screen: the map's drawing (width, height) there.
REFERENCES: dict[str, tuple[float, float]] = {
    "1920x1080": (970.0, 455.0),
    "1080x1920": (860.0, 695.0),
}
# Letter heights (em) of the labels there: a city's, the county's, an
# area's and the corridor's; a line is LINE times as tall; a plate reaches
# PLATE em past its text sideways and 0.4 of that up and down.
EM_CITY, EM_COUNTY, EM_AREA, EM_CORRIDOR = 29.0, 29.0, 29.9, 28.1
LINE = 1.46
PLATE = 0.25
# The map's key (ui.layout.map): its mark and the gap after it, in ems of a
# caption, and the room between its lines and around it, in stage units.
KEY_MARK = 1.5 + 12.0 / EM_CORRIDOR
KEY_GAP = 8.0
# How much wider than this estimate a name may be set: estimates err wide.
MARGIN = 1.02
BOLD = 1.06

def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` in ems of the app's sans-serif face, roughly:
    wide (CJK) characters one em, Latin letters by their shapes (wider in
    bold, as cities are named)."""
    total = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 1.0
        elif ch in "ijlt.,:;'|!’‘ ":
            total += 0.28
        elif ch in "mwMW":
            total += 0.86
        elif ch.isupper() or ch in "–—":
            total += 0.66
        else:
            total += 0.55
    return total * MARGIN * (BOLD if bold else 1.0)


def label_size(text: str, em: float, max_width: float, bold: bool = False
               ) -> tuple[float, float]:
    """The plate a label of ``text`` needs at ``em``, wrapped at ``max_width``
    as the layout wraps it: between words, after dashes and between any two
    wide characters."""
    words: list[str] = []
    for part in text.split(" "):
        # Wide characters break anywhere: each is a word of its own.
        run = ""
        for ch in part:
            if unicodedata.east_asian_width(ch) in ("W", "F"):
                words += [run] if run else []
                words.append(ch)
                run = ""
            else:
                run += ch
                # Lines also break after a dash, as in "Beijing–Tianjin".
                if ch in "-–—/":
                    words.append(run)
                    run = ""
        words += [run] if run else []
        words.append(" ")
    lines, line, widest = 1, 0.0, 0.0
    for word in words[:-1]:
        w = text_width(word, bold) * em
        if line + w > max_width and line > 0 and word != " ":
            lines += 1
            widest = max(widest, line)
            line = 0.0
        if not (word == " " and line == 0):
            line += w
    widest = min(max_width, max(widest, line))
    pad = PLATE * em
    return widest + 2 * pad, lines * LINE * em + 0.8 * pad


def _fits(spec: MapSpec, texts: Sequence[str], box: tuple[float, float]) -> int | None:
    """None when every label of ``spec`` (their ``texts`` in the layout's
    order: places, areas, corridor) fits a drawing of ``box``, on the map or
    with the corridor, then the county too, in the key under it as
    ui.layout.map sets it; else the index of one that does not fit on the
    map."""
    blocked = _fits_on_map(spec, texts, box, frozenset())
    if blocked is None:
        return None
    width, height = box
    county = next((i for i, p in enumerate(spec.places) if p.kind == "county"), None)
    left_out: set[int] = set()
    # A key's lines: a caption each (wrapped beside the key's mark), KEY_GAP
    # apart, the last KEY_GAP over the caption; the drawing ends the usual
    # gap above the first.
    room = height - KEY_GAP
    for index in (len(texts) - 1 if spec.corridor is not None else None, county):
        if index is None:
            continue
        left_out.add(index)
        _, tall = label_size(texts[index], EM_CORRIDOR, width - KEY_MARK * EM_CORRIDOR)
        room -= tall - 0.8 * PLATE * EM_CORRIDOR + KEY_GAP
        if room > 0 and _fits_on_map(spec, texts, (width, room), frozenset(left_out)) is None:
            return None
    return blocked


def _fits_on_map(spec: MapSpec, texts: Sequence[str], box: tuple[float, float],
                 left_out: frozenset[int]) -> int | None:
    """None when the labels of ``spec`` but those ``left_out`` (indexes in
    ``texts``) all have a clean place in a drawing of ``box``; else the
    index of one that does not."""
    width, height = box
    shapes = map_shapes(spec, 0.0, 0.0, width, height, 1.0)
    boxes: list[LabelBox] = []
    cities = len(spec.areas)
    for j, (place, text) in enumerate(zip(spec.places, texts, strict=False)):
        if j in left_out:
            continue
        em = EM_CITY if place.kind == "city" else EM_COUNTY
        side: Side = "above" if place.kind == "city" and place.y <= 0.5 else "below"
        boxes.append(LabelBox(*label_size(text, em, width * LABEL_WIDTH, place.kind == "city"),
                              (place.x * width, place.y * height),
                              cities if place.kind == "city" else None, side))
        cities += place.kind == "city"
    for k, area in enumerate(spec.areas):
        text = texts[len(spec.places) + k]
        boxes.append(LabelBox(*label_size(text, EM_AREA, width * LABEL_WIDTH),
                              (area.x * width, area.y * height), k, "below"))
    # The room of ui.layout.map_labels: 12 units past the drawing; its
    # corridor label in each of the shapes it tries.
    room = (-12.0, -12.0, width + 12.0, height + 12.0)
    if spec.corridor is None or len(texts) - 1 in left_out:
        fit = fit_labels(boxes, shapes, room, GAP)
        return None if fit.clean else _index(spec, left_out, fit.blocked)
    blocked: int | None = None
    for share in CORRIDOR_WIDTHS:
        corridor = LabelBox(*label_size(texts[-1], EM_CORRIDOR, width * share),
                            (spec.corridor.x * width, spec.corridor.y * height), None,
                            "corridor")
        fit = fit_labels([*boxes, corridor], shapes, room, GAP)
        if fit.clean:
            return None
        blocked = _index(spec, left_out, fit.blocked) if blocked is None else blocked
    return blocked


def _index(spec: MapSpec, left_out: frozenset[int], blocked: int | None) -> int | None:
    """The index in the texts of the ``blocked``-th label placed (the places
    ``left_out`` were skipped)."""
    if blocked is None:
        return None
    placed = [i for i in range(len(spec.places) + len(spec.areas) + 1) if i not in left_out]
    return placed[blocked]


def check_maps(deck: Deck, catalogues: Mapping[str, Catalogue]) -> list[Problem]:
    """A warning for each map whose labels cannot all be placed clean in
    some language at a reference screen, naming one label that is left
    without a free place."""
    problems: list[Problem] = []
    for i, slide in enumerate(deck.slides):
        spec = slide.map
        if spec is None:
            continue
        keys = [p.name for p in spec.places] + [a.name for a in spec.areas]
        paths = [f"places[{j}]" for j in range(len(spec.places))]
        paths += [f"areas[{j}]" for j in range(len(spec.areas))]
        if spec.corridor is not None:
            keys.append(spec.corridor.label)
            paths.append("corridor")
        failed: list[tuple[str, str, int]] = []
        for locale, catalogue in catalogues.items():
            texts = [catalogue.text(key) for key in keys]
            for screen, box in REFERENCES.items():
                blocked = _fits(spec, texts, box)
                if blocked is not None:
                    failed.append((locale, screen, blocked))
        if not failed:
            continue
        locale, _, blocked = failed[0]
        problems.append(Problem(
            DECK_FILE, f"{index_path('slides', i)}.map.{paths[blocked]}", "map_unlabelled",
            {"name": catalogues[locale].text(keys[blocked]),
             "locales": ", ".join(dict.fromkeys(f[0] for f in failed)),
             "screens": ", ".join(dict.fromkeys(f[1] for f in failed))},
            severity="warning"))
    return problems
