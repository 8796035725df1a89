"""The content-pack validator: schema, interpreter, media checks and loader.

Plain Python: no Qt. Every test starts from a small valid pack built here and
breaks one thing in it, so each problem code is shown to fire on its own.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from taixin_kiosk.content import catalogue_check as catalogue_check_module
from taixin_kiosk.content import deck_check as deck_check_module
from taixin_kiosk.content import loader as loader_module
from taixin_kiosk.content import media as media_module
from taixin_kiosk.content import schema as schema_module
from taixin_kiosk.content.catalogue import Catalogue, flatten, placeholders
from taixin_kiosk.content.catalogue_check import TEXT_KEY_RE
from taixin_kiosk.content.deck import ICONS, SLIDE_TYPES
from taixin_kiosk.content.loader import LoadResult, load_pack
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.content.schema import Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "assets" / "deck.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
PARTS = ROOT / "i18n-parts"
ALL_CODES = (*loader_module.CODES, *media_module.CODES, *schema_module.CODES)


def _parts(locale: str) -> Catalogue:
    """The ``problem`` messages: from i18n-parts/, or from i18n/ once they are merged there."""
    part = PARTS / f"problem.{locale}.json"
    source = part if part.exists() else ROOT / "i18n" / f"{locale}.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    return Catalogue(locale, {k: str(v) for k, v in flatten({"problem": data["problem"]}).items()})


EN = _parts("en")
ZH = _parts("zh-CN")


# -- a minimal valid pack ----------------------------------------------------


def png_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def fake_png(width: int, height: int) -> bytes:
    """A structurally sound PNG header of any claimed size, without pixels to match."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        media_module.PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\0"))
        + png_chunk(b"IEND", b"")
    )


def fake_jpeg(width: int, height: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + sof + sos + b"\x12\x34" + b"\xff\xd9"


def minimal_deck() -> dict[str, Any]:
    def chart_slide(sid: str, chart: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": sid,
            "type": "chart",
            "notes": f"deck.{sid}.notes",
            "title": f"deck.{sid}.title",
            "lead": f"deck.{sid}.lead",
            "points": [{"icon": "chart", "text": f"deck.{sid}.point"}],
            "chart": {"title": f"deck.{sid}.chart_title", "unit": f"deck.{sid}.unit", **chart},
        }

    return {
        "$schema": "deck.schema.json",
        "format": 1,
        "id": "mini-pack",
        "version": "1.0.0",
        "title": "deck.title",
        "default_locale": "zh-CN",
        "slides": [
            {
                "id": "cover",
                "type": "cover",
                "notes": "deck.cover.notes",
                "title": "deck.cover.title",
                "subtitle": "deck.cover.subtitle",
                "kicker": "deck.cover.kicker",
                "source": "deck.cover.source",
                "image": "images/cover.png",
                "emblem": "images/emblem.jpg",
            },
            {
                "id": "quote",
                "type": "quote",
                "notes": "deck.quote.notes",
                "title": "deck.quote.title",
                "quote": "deck.quote.quote",
                "attribution": "deck.quote.attribution",
                "points": ["deck.quote.p1"],
            },
            {
                "id": "cards",
                "type": "cards",
                "notes": "deck.cards.notes",
                "title": "deck.cards.title",
                "lead": "deck.cards.lead",
                "cards": [
                    {
                        "icon": "star",
                        "heading": "deck.cards.h1",
                        "body": "deck.cards.b1",
                        "stat": "deck.cards.s1",
                    },
                    {"icon": "leaf", "heading": "deck.cards.h2"},
                ],
                "footer": "deck.cards.footer",
            },
            chart_slide(
                "bar",
                {
                    "kind": "bar",
                    "decimals": 1,
                    "approximate": True,
                    "note": "deck.bar.note",
                    "orientation": "horizontal",
                    "categories": ["deck.bar.c1", "deck.bar.c2"],
                    "series": [{"name": "deck.bar.s1", "values": [1, 2.5]}],
                },
            ),
            chart_slide(
                "share",
                {
                    "kind": "share",
                    "items": [
                        {"label": "deck.share.l1", "value": 0.3, "value_label": "deck.share.v1"}
                    ],
                },
            ),
            chart_slide(
                "line",
                {
                    "kind": "line",
                    "x": [2020, 2021, 2022],
                    "x_unit": "deck.line.x_unit",
                    "series": [{"name": "deck.line.s1", "values": [1, 2, 3.25]}],
                },
            ),
            chart_slide(
                "timeline",
                {
                    "kind": "timeline",
                    "x_unit": "deck.timeline.x_unit",
                    "points": [{"x": 1, "label": "deck.timeline.l1", "detail": "deck.timeline.d1"}],
                },
            ),
            {
                "id": "map",
                "type": "map",
                "notes": "deck.map.notes",
                "title": "deck.map.title",
                "lead": "deck.map.lead",
                "map": {
                    "caption": "deck.map.caption",
                    "hint": "deck.map.hint",
                    "places": [
                        {
                            "id": "taiyuan",
                            "name": "deck.map.taiyuan",
                            "x": 0.2,
                            "y": 0.8,
                            "kind": "city",
                        },
                    ],
                    "areas": [
                        {
                            "id": "north",
                            "name": "deck.map.north",
                            "focus": "deck.map.north_focus",
                            "x": 0.5,
                            "y": 0.3,
                        },
                    ],
                    "corridor": {"label": "deck.map.corridor", "x": 0.1, "y": 0.9},
                    "county": {"x": 0.5, "y": 0.5, "rx": 0.3, "ry": 0.25},
                },
            },
        ],
    }


TEXT_FIELDS = catalogue_check_module.TEXT_FIELDS


def text_keys(node: object) -> Iterator[tuple[str, str]]:
    """(field, key) for every text key in a deck document."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name in TEXT_FIELDS and isinstance(value, str):
                yield name, value
            elif name in ("categories", "points") and isinstance(value, list):
                yield from ((name, v) for v in value if isinstance(v, str))
            yield from text_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from text_keys(item)


def nest(flat: dict[str, object]) -> dict[str, object]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def catalogue_for(deck: dict[str, Any], locale: str) -> dict[str, str]:
    zh = locale == "zh-CN"
    strings = {
        "meta.language_name": "中文" if zh else "English",
        "meta.number.group": ",",
        "meta.number.decimal": ".",
    }
    for name, key in text_keys(deck):
        if name in ("unit", "x_unit"):
            strings[key] = "{value} 亩" if zh else "{value} mu"
        else:
            strings[key] = f"{'文字' if zh else 'text'} {key}"
    return strings


class Pack:
    """A pack folder on disk and the documents it was written from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.deck = minimal_deck()
        self.strings = {loc: catalogue_for(self.deck, loc) for loc in ("zh-CN", "en")}
        (root / "images").mkdir(parents=True, exist_ok=True)
        (root / "images" / "cover.png").write_bytes(PNG)
        (root / "images" / "emblem.jpg").write_bytes(JPEG)
        self.write()

    @property
    def deck_file(self) -> Path:
        return self.root / "deck.json"

    def catalogue_file(self, locale: str) -> Path:
        return self.root / "i18n" / f"{locale}.json"

    def write(self) -> None:
        self.write_deck()
        for locale in self.strings:
            self.write_catalogue(locale)

    def write_deck(self) -> None:
        self.deck_file.write_text(json.dumps(self.deck, ensure_ascii=False, indent=2), "utf-8")

    def write_catalogue(self, locale: str) -> None:
        self.catalogue_file(locale).parent.mkdir(exist_ok=True)
        text = json.dumps(nest(dict(self.strings[locale])), ensure_ascii=False, indent=2)
        self.catalogue_file(locale).write_text(text, "utf-8")

    def load(self, **kwargs: Any) -> LoadResult:
        return load_pack(self.root, **kwargs)


PNG = png_bytes()
JPEG = jpeg_bytes()


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return Pack(tmp_path / "pack")


def described(problems: tuple[Problem, ...]) -> str:
    return "\n".join(p.format(EN.text) for p in problems)


# -- the valid pack ----------------------------------------------------------


def test_minimal_pack_loads(pack: Pack) -> None:
    result = pack.load()
    assert result.problems == (), described(result.problems)
    assert result.ok and result.pack is not None
    built = result.pack
    assert built.locales == ("zh-CN", "en")
    assert list(built.catalogues) == ["zh-CN", "en"]
    assert {s.type for s in built.deck.slides} == set(SLIDE_TYPES)
    kinds = [s.chart.kind for s in built.deck.slides if s.chart is not None]
    assert kinds == ["bar", "share", "line", "timeline"]
    cover = built.deck.slides[0]
    assert cover.image == (pack.root / "images" / "cover.png").resolve()
    assert cover.image.is_absolute() and cover.emblem is not None
    bar = built.deck.slides[3].chart
    assert bar is not None and bar.series[0].values == (1.0, 2.5) and bar.decimals == 1
    assert bar.orientation == "horizontal" and bar.approximate
    assert built.deck.slides[1].points[0].text == "deck.quote.p1"
    assert built.deck.slides[3].points[0].icon == "chart"
    map_spec = built.deck.slides[7].map
    assert map_spec is not None and map_spec.corridor is not None
    assert map_spec.places[0].kind == "city" and map_spec.areas[0].focus == "deck.map.north_focus"
    assert built.catalogue("en").text("deck.line.unit", value="3") == "3 mu"
    assert len(built.checksum) == 64


@pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero")
def test_a_pipe_or_a_device_in_a_pack_is_named_not_read(pack: Pack) -> None:
    # validate (and a kiosk started with --content on such a folder) blocked
    # for ever on a catalogue that was a named pipe, and filled the memory
    # on a deck.json linked to /dev/zero.
    import subprocess
    import sys

    extra = pack.root / "i18n" / "fr.json"
    os.mkfifo(extra)
    pack.deck_file.unlink()
    pack.deck_file.symlink_to("/dev/zero")
    env = {**os.environ, "LANG": "C"}
    done = subprocess.run([sys.executable, "-m", "taixin_kiosk", "validate", str(pack.root)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, env=env)
    assert done.returncode == 1
    refused = EN.text("problem.file_not_regular")
    assert f"deck.json: $: {refused}" in done.stdout + done.stderr
    result = load_pack(pack.root)
    assert result.pack is None
    assert [(p.code, p.file) for p in result.problems] == [
        ("file_not_regular", "deck.json"), ("file_not_regular", "i18n/fr.json")]


def test_checksum_is_stable_and_covers_every_file(pack: Pack, tmp_path: Path) -> None:
    first = pack.load().pack
    assert first is not None
    assert pack.load().pack.checksum == first.checksum  # type: ignore[union-attr]
    copy = tmp_path / "copy"
    shutil.copytree(pack.root, copy)
    assert load_pack(copy).pack.checksum == first.checksum  # type: ignore[union-attr]
    for changed in ("deck.json", "i18n/en.json", "images/emblem.jpg"):
        other = tmp_path / f"changed-{changed.replace('/', '-')}"
        shutil.copytree(pack.root, other)
        path = other / changed
        if changed.endswith(".json"):
            path.write_text(path.read_text("utf-8") + "\n", "utf-8")
        else:
            path.write_bytes(jpeg_bytes((5, 3)))
        result = load_pack(other)
        assert result.ok, described(result.problems)
        assert result.pack.checksum != first.checksum  # type: ignore[union-attr]


def test_separate_i18n_dir_and_builtin_flag(pack: Pack, tmp_path: Path) -> None:
    elsewhere = tmp_path / "strings"
    shutil.move(pack.root / "i18n", elsewhere)
    result = load_pack(pack.root, elsewhere, builtin=True)
    assert result.ok and result.pack is not None and result.pack.builtin
    (elsewhere / "en.json").write_text("{", "utf-8")
    problem = load_pack(pack.root, elsewhere).problems[0]
    # Outside the pack root the file is named as given.
    assert problem.file == str(elsewhere / "en.json")


# -- one broken thing at a time ----------------------------------------------

Mutation = Callable[[Pack], None]


def slide(p: Pack, index: int) -> dict[str, Any]:
    return p.deck["slides"][index]  # type: ignore[no-any-return]


def edit_deck(change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(p: Pack) -> None:
        change(p.deck)
        p.write_deck()

    return mutate


def edit_strings(locale: str, change: Callable[[dict[str, object]], None]) -> Mutation:
    def mutate(p: Pack) -> None:
        change(p.strings[locale])
        p.write_catalogue(locale)

    return mutate


def raw_deck(change: Callable[[str], str]) -> Mutation:
    def mutate(p: Pack) -> None:
        p.deck_file.write_text(change(p.deck_file.read_text("utf-8")), "utf-8")

    return mutate


def set_media(value: str) -> Mutation:
    return edit_deck(lambda d: d["slides"][0].__setitem__("image", value))


def media_file(data: bytes, name: str = "images/cover.png") -> Mutation:
    def mutate(p: Pack) -> None:
        (p.root / name).write_bytes(data)

    return mutate


def setter(path: str, value: object) -> Mutation:
    """Sets a value in deck.json by a dotted path with [i] indexes."""

    def change(doc: dict[str, Any]) -> None:
        parts = path.replace("[", ".").replace("]", "").split(".")
        node: Any = doc
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        node[int(last) if last.isdigit() else last] = value

    return edit_deck(change)


def remover(path: str) -> Mutation:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return edit_deck(change)


def both(*mutations: Mutation) -> Mutation:
    def mutate(p: Pack) -> None:
        for m in mutations:
            m(p)

    return mutate


def symlink_outside(p: Pack) -> None:
    outside = p.root.parent / "outside.png"
    outside.write_bytes(PNG)
    os.symlink(outside, p.root / "images" / "link.png")
    set_media("images/link.png")(p)


def symlink_loop(p: Pack) -> None:
    os.symlink(p.root / "images" / "loop.png", p.root / "images" / "loop.png")
    set_media("images/loop.png")(p)


def huge_file(p: Pack) -> None:
    with open(p.root / "images" / "cover.png", "wb") as f:
        f.write(PNG)
        f.truncate(media_module.MAX_BYTES + 1)  # sparse: cheap to make


def png_with_bad_pixels() -> bytes:
    """A PNG whose chunks and checksums are all valid but whose pixel data is noise."""
    header = struct.pack(">IIBBBBB", 32, 32, 8, 6, 0, 0, 0)
    noise = bytes((i * 37 + 11) % 256 for i in range(400))
    return (media_module.PNG_SIGNATURE + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", noise) + png_chunk(b"IEND", b""))


def corrupt_png(data: bytes) -> bytes:
    broken = bytearray(data)
    broken[40] ^= 0xFF  # inside IHDR/IDAT: the chunk's CRC no longer matches
    return bytes(broken)


DECK, ZH_FILE, EN_FILE = "deck.json", "i18n/zh-CN.json", "i18n/en.json"
S = "slides"

Case = tuple[str, Mutation, list[tuple[str, str, str]], dict[str, str]]


def media_case(name: str, mutate: Mutation, code: str, field: str = "image", **params: str) -> Case:
    return (name, mutate, [(code, DECK, f"slides[0].{field}")], params)


# (id, mutation, [(code, file, path), ...] exactly, params expected on the first)
CASES: list[Case] = [
    ("deck_missing", lambda p: p.deck_file.unlink(), [("deck_missing", DECK, "")], {}),
    (
        "deck_unreadable",
        lambda p: (p.deck_file.unlink(), p.deck_file.mkdir()),
        [("file_unreadable", DECK, "")],
        {},
    ),
    (
        "deck_not_utf8",
        lambda p: p.deck_file.write_bytes(b'{\n  "id": "\xff"}'),
        [("not_utf8", DECK, "")],
        {"offset": "11"},
    ),
    (
        "deck_json_syntax",
        lambda p: p.deck_file.write_text('{\n  "format": 1\n  "id": "x"\n}', "utf-8"),
        [("json_syntax", DECK, "")],
        {"reason": "Expecting ',' delimiter"},
    ),
    (
        "deck_too_deep",
        lambda p: p.deck_file.write_text("[" * 100_000 + "]" * 100_000, "utf-8"),
        [("json_too_deep", DECK, "")],
        {},
    ),
    (
        "nan_literal",
        setter("slides[3].chart.series[0].values[1]", math.nan),
        [("json_constant", DECK, "slides[3].chart.series[0].values[1]")],
        {"literal": "NaN"},
    ),
    (
        "infinity_literal",
        setter("slides[5].chart.x[0]", -math.inf),
        [("json_constant", DECK, "slides[5].chart.x[0]")],
        {"literal": "-Infinity"},
    ),
    (
        "nan_where_an_integer_goes",
        setter("slides[3].chart.decimals", math.nan),
        [("json_constant", DECK, "slides[3].chart.decimals")],
        {},
    ),
    (
        "number_overflow",
        raw_deck(lambda t: t.replace("3.25", "1e999")),
        [("number_not_finite", DECK, "slides[5].chart.series[0].values[2]")],
        {"value": "1e999"},
    ),
    (
        "huge_integer",
        raw_deck(lambda t: t.replace("3.25", "1" + "0" * 400)),
        [("number_not_finite", DECK, "slides[5].chart.series[0].values[2]")],
        {},
    ),
    (
        "duplicate_key",
        raw_deck(lambda t: t.replace('"version": "1.0.0"', '"version": "1", "version": "2"')),
        [("json_duplicate_key", DECK, "version")],
        {"key": "version"},
    ),
    (
        "format_unsupported",
        setter("format", 2),
        [("format_unsupported", DECK, "format")],
        {"format": "2", "supported": "1"},
    ),
    (
        "unknown_key_suggest",
        setter("slides[0].titel", "deck.cover.title"),
        [("schema_unknown_key_suggest", DECK, "slides[0].titel")],
        {"key": "titel", "suggestion": "title"},
    ),
    (
        "unknown_key",
        setter("slides[0].zzz", 1),
        [("schema_unknown_key", DECK, "slides[0].zzz")],
        {"key": "zzz"},
    ),
    (
        "unknown_top_key",
        setter("slidez", []),
        [("schema_unknown_key_suggest", DECK, "slidez")],
        {"suggestion": "slides"},
    ),
    (
        "bool_is_not_a_number",
        setter("slides[3].chart.series[0].values[1]", True),
        [("schema_type", DECK, "slides[3].chart.series[0].values[1]")],
        {"expected": "number", "got_type": "boolean", "got_value": "true"},
    ),
    (
        "float_is_not_an_integer",
        setter("slides[3].chart.decimals", 1.5),
        [("schema_type", DECK, "slides[3].chart.decimals")],
        {"expected": "integer", "got_type": "number", "got_value": "1.5"},
    ),
    (
        "string_expected",
        setter("slides[0].title", ["deck.cover.title"]),
        [("schema_type", DECK, "slides[0].title")],
        {"expected": "string", "got_type": "array", "got_value": '["deck.cover.title"]'},
    ),
    (
        "required",
        remover("slides[1].notes"),
        [("schema_required", DECK, "slides[1]")],
        {"key": "notes"},
    ),
    (
        "slide_type_invalid_reported_once",
        setter("slides[0].type", "poster"),
        [("schema_enum", DECK, "slides[0].type")],
        {"value": '"poster"'},
    ),
    (
        "slide_type_missing",
        remover("slides[2].type"),
        [("schema_required", DECK, "slides[2]")],
        {"key": "type"},
    ),
    (
        "chart_kind_invalid",
        setter("slides[4].chart.kind", "pie"),
        [("schema_enum", DECK, "slides[4].chart.kind")],
        {},
    ),
    (
        "key_of_other_slide_type",
        setter("slides[1].image", "images/cover.png"),
        [("schema_unknown_key", DECK, "slides[1].image")],
        {},
    ),
    (
        "icon",
        setter("slides[2].cards[0].icon", "unicorn"),
        [("schema_enum", DECK, "slides[2].cards[0].icon")],
        {},
    ),
    (
        "share_value_below_0",
        setter("slides[4].chart.items[0].value", -0.1),
        [("schema_minimum", DECK, "slides[4].chart.items[0].value")],
        {"value": "-0.1", "limit": "0"},
    ),
    (
        "coordinate_above_1",
        setter("slides[7].map.places[0].x", 1.5),
        [("schema_maximum", DECK, "slides[7].map.places[0].x")],
        {"limit": "1"},
    ),
    (
        "decimals_above_4",
        setter("slides[3].chart.decimals", 5),
        [("schema_maximum", DECK, "slides[3].chart.decimals")],
        {},
    ),
    (
        "no_cards",
        setter("slides[2].cards", []),
        [("schema_min_items", DECK, "slides[2].cards")],
        {"count": "0", "limit": "1"},
    ),
    (
        "nine_cards",
        setter("slides[2].cards", [{"icon": "star", "heading": "deck.cards.h2"}] * 9),
        [("schema_max_items", DECK, "slides[2].cards")],
        {"count": "9", "limit": "8"},
    ),
    (
        "seven_points",
        setter("slides[1].points", ["deck.quote.p1"] * 7),
        [("schema_max_items", DECK, "slides[1].points")],
        {},
    ),
    (
        "slide_id_pattern",
        setter("slides[0].id", "Cover"),
        [("schema_pattern", DECK, "slides[0].id")],
        {"value": '"Cover"'},
    ),
    (
        "text_key_pattern",
        setter("slides[0].subtitle", "A real sentence."),
        [("schema_pattern", DECK, "slides[0].subtitle")],
        {},
    ),
    (
        "locale_pattern",
        setter("default_locale", "zh-CN\n"),
        [("schema_pattern", DECK, "default_locale")],
        {},
    ),
    (
        "duplicate_slide_id",
        setter("slides[2].id", "cover"),
        [("duplicate_slide_id", DECK, "slides[2].id")],
        {"id": "cover", "first": "slides[0].id"},
    ),
    (
        "duplicate_map_id",
        setter("slides[7].map.areas[0].id", "taiyuan"),
        [("duplicate_map_id", DECK, "slides[7].map.areas[0].id")],
        {"first": "slides[7].map.places[0].id"},
    ),
    (
        "line_duplicate_x",
        setter("slides[5].chart.x[2]", 2020),
        [("duplicate_x", DECK, "slides[5].chart.x[2]")],
        {"first": "slides[5].chart.x[0]"},
    ),
    (
        "line_x_not_increasing",
        setter("slides[5].chart.x", [2020, 2022, 2021]),
        [("x_not_increasing", DECK, "slides[5].chart.x[2]")],
        {"value": "2021", "before": "2022"},
    ),
    (
        "line_year_not_whole",
        edit_deck(lambda d: d["slides"][5]["chart"].update(x_kind="year",
                                                           x=[2020, 2020.5, 2021])),
        [("x_not_whole", DECK, "slides[5].chart.x[1]")],
        {"value": "2020.5", "kind": "year"},
    ),
    (
        "timeline_ordinal_not_whole",
        edit_deck(lambda d: d["slides"][6]["chart"].update(
            x_kind="ordinal", points=[{"x": 1.5, "label": "deck.timeline.l1",
                                       "detail": "deck.timeline.d1"}])),
        [("x_not_whole", DECK, "slides[6].chart.points[0].x")],
        {"value": "1.5", "kind": "ordinal"},
    ),
    (
        "shares_over_the_whole",
        setter("slides[4].chart.items", [
            {"label": "deck.share.l1", "value": 0.6, "value_label": "deck.share.v1"},
            {"label": "deck.share.l1", "value": 0.5, "value_label": "deck.share.v1"}]),
        [("share_over_whole", DECK, "slides[4].chart.items")],
        {"total": "1.1"},
    ),
    (
        "map_without_areas",
        setter("slides[7].map.areas", []),
        [("schema_min_items", DECK, "slides[7].map.areas")],
        {},
    ),
    (
        "bar_series_length",
        setter("slides[3].chart.series[0].values", [1]),
        [("series_length_categories", DECK, "slides[3].chart.series[0].values")],
        {"count": "1", "expected": "2"},
    ),
    (
        "line_series_length",
        setter("slides[5].chart.series[0].values", [1, 2, 3, 4]),
        [("series_length_x", DECK, "slides[5].chart.series[0].values")],
        {"count": "4", "expected": "3"},
    ),
    (
        "default_locale_without_catalogue",
        setter("default_locale", "fr"),
        [("default_locale_missing", DECK, "default_locale")],
        {"locale": "fr", "available": "en, zh-CN"},
    ),
    ("i18n_missing", lambda p: shutil.rmtree(p.root / "i18n"), [("i18n_missing", "i18n", "")], {}),
    (
        "i18n_empty",
        lambda p: [f.unlink() for f in (p.root / "i18n").iterdir()],
        [("i18n_empty", "i18n", "")],
        {},
    ),
    (
        "catalogue_name",
        lambda p: (p.root / "i18n" / "english.json").write_text("{}", "utf-8"),
        [("catalogue_name", "i18n/english.json", "")],
        {"name": "english.json"},
    ),
    (
        "catalogue_json_syntax",
        lambda p: p.catalogue_file("en").write_text('{"meta": {"x": 1 "y": 2}}', "utf-8"),
        [("json_syntax", EN_FILE, "")],
        {},
    ),
    (
        "catalogue_trailing_comma",
        lambda p: p.catalogue_file("en").write_text('{"meta": {"x": 1,}}', "utf-8"),
        [("json_trailing_comma", EN_FILE, "")],
        {},
    ),
    (
        "catalogue_not_object",
        lambda p: p.catalogue_file("en").write_text("[]", "utf-8"),
        [("catalogue_not_object", EN_FILE, "")],
        {"got_type": "array"},
    ),
    (
        "catalogue_leaf_not_string",
        edit_strings("en", lambda s: s.__setitem__("deck.cover.title", 5)),
        [("catalogue_not_string", EN_FILE, "deck.cover.title")],
        {"got_type": "number", "got_value": "5"},
    ),
    (
        "catalogue_leaf_empty",
        edit_strings("en", lambda s: s.__setitem__("deck.cover.kicker", "")),
        [("catalogue_empty_string", EN_FILE, "deck.cover.kicker")],
        {},
    ),
    (
        "catalogue_key_empty",
        lambda p: p.catalogue_file("en").write_text(
            json.dumps({**nest(dict(p.strings["en"])), "": "x"}), "utf-8"
        ),
        [("catalogue_key_invalid", EN_FILE, "")],
        {"key": '""'},
    ),
    (
        "catalogue_duplicate_key",
        lambda p: p.catalogue_file("en").write_text(
            p.catalogue_file("en")
            .read_text("utf-8")
            .replace(
                '"language_name": "English"', '"language_name": "English", "language_name": "E"'
            ),
            "utf-8",
        ),
        [("json_duplicate_key", EN_FILE, "meta.language_name")],
        {"key": "language_name"},
    ),
    (
        "catalogue_flat_and_nested_same_key",
        lambda p: p.catalogue_file("en").write_text(
            json.dumps({**nest(dict(p.strings["en"])), "deck.title": "again"}), "utf-8"
        ),
        [("json_duplicate_key", EN_FILE, "deck.title")],
        {},
    ),
    (
        "key_missing_in_locale",
        edit_strings("en", lambda s: s.pop("deck.cover.subtitle")),
        [("key_missing", EN_FILE, "deck.cover.subtitle")],
        {"default_locale": "zh-CN"},
    ),
    (
        "key_extra_in_locale",
        edit_strings("en", lambda s: s.__setitem__("deck.extra", "more")),
        [("key_extra", EN_FILE, "deck.extra")],
        {"default_locale": "zh-CN"},
    ),
    (
        "placeholders_differ",
        edit_strings("en", lambda s: s.__setitem__("deck.cover.title", "Title {count}")),
        [("placeholders_differ", EN_FILE, "deck.cover.title")],
        {"placeholders": "{count}", "expected": "—", "default_locale": "zh-CN"},
    ),
    (
        "braces_malformed",
        edit_strings("en", lambda s: s.__setitem__("deck.cover.title", "Title {")),
        [("braces_malformed", EN_FILE, "deck.cover.title")],
        {},
    ),
    (
        "placeholder_positional",
        both(
            edit_strings("zh-CN", lambda s: s.__setitem__("deck.cover.title", "标题 {0}")),
            edit_strings("en", lambda s: s.__setitem__("deck.cover.title", "Title {0}")),
        ),
        [
            ("placeholder_invalid", EN_FILE, "deck.cover.title"),
            ("placeholder_invalid", ZH_FILE, "deck.cover.title"),
        ],
        {"placeholder": "{0}"},
    ),
    (
        "text_key_missing_everywhere",
        setter("slides[0].subtitle", "deck.nowhere"),
        [
            ("text_key_missing", DECK, "slides[0].subtitle"),
            ("text_key_missing", DECK, "slides[0].subtitle"),
        ],
        {"key": "deck.nowhere", "locale": "en", "catalogue": EN_FILE},
    ),
    (
        "text_key_missing_in_list",
        setter("slides[3].chart.categories[1]", "deck.nowhere"),
        [
            ("text_key_missing", DECK, "slides[3].chart.categories[1]"),
            ("text_key_missing", DECK, "slides[3].chart.categories[1]"),
        ],
        {},
    ),
    (
        "meta_key_missing_everywhere",
        both(
            edit_strings("zh-CN", lambda s: s.pop("meta.number.group")),
            edit_strings("en", lambda s: s.pop("meta.number.group")),
        ),
        [
            ("required_key_missing", EN_FILE, "meta.number.group"),
            ("required_key_missing", ZH_FILE, "meta.number.group"),
        ],
        {},
    ),
    (
        "unit_without_value",
        both(
            edit_strings("zh-CN", lambda s: s.__setitem__("deck.line.x_unit", "年")),
            edit_strings("en", lambda s: s.__setitem__("deck.line.x_unit", "year")),
        ),
        [
            ("unit_placeholder", EN_FILE, "deck.line.x_unit"),
            ("unit_placeholder", ZH_FILE, "deck.line.x_unit"),
        ],
        {"where": "slides[5].chart.x_unit"},
    ),
    media_case(
        "media_absolute_posix", set_media("/etc/hosts"), "media_absolute", value="/etc/hosts"
    ),
    media_case("media_absolute_drive", set_media("C:\\img\\a.png"), "media_absolute"),
    media_case("media_absolute_drive_slash", set_media("c:/img/a.png"), "media_absolute"),
    media_case("media_absolute_unc", set_media("\\\\server\\share\\a.png"), "media_absolute"),
    media_case("media_absolute_backslash", set_media("\\images\\a.png"), "media_absolute"),
    media_case("media_backslash", set_media("images\\cover.png"), "media_backslash"),
    media_case("media_parent", set_media("../outside.png"), "media_parent"),
    media_case("media_letter_case", set_media("Images/Cover.PNG"), "media_case",
               actual="images/cover.png"),
    media_case("media_parent_inside", set_media("images/../images/cover.png"), "media_parent"),
    media_case("media_symlink_outside", symlink_outside, "media_outside"),
    media_case("media_symlink_loop", symlink_loop, "media_unreadable"),
    media_case(
        "media_missing", set_media("images/none.png"), "media_missing", value="images/none.png"
    ),
    media_case("media_missing_under_file", set_media("images/cover.png/x.png"), "media_missing"),
    media_case("media_folder", set_media("images"), "media_not_file"),
    media_case("media_pack_root", set_media(""), "media_not_file"),
    media_case("media_too_large", huge_file, "media_too_large", limit=str(10 * 1024 * 1024)),
    media_case("media_gif", media_file(b"GIF89a\x01\x00\x01\x00"), "media_format"),
    media_case("media_empty_file", media_file(b""), "media_format"),
    media_case(
        "media_png_too_wide",
        media_file(fake_png(8193, 10)),
        "media_dimensions",
        width="8193",
        height="10",
        limit="8192",
    ),
    media_case(
        "media_jpeg_too_tall",
        media_file(fake_jpeg(10, 9000), "images/emblem.jpg"),
        "media_dimensions",
        "emblem",
        height="9000",
    ),
    media_case("media_png_bad_crc", media_file(corrupt_png(PNG)), "media_corrupt", format="PNG"),
    media_case("media_png_truncated", media_file(PNG[:-12]), "media_corrupt", format="PNG"),
    media_case("media_png_bad_pixels", media_file(png_with_bad_pixels()), "media_corrupt",
               format="PNG"),
    media_case("media_png_signature_only", media_file(media_module.PNG_SIGNATURE), "media_corrupt"),
    media_case(
        "media_jpeg_truncated",
        media_file(JPEG[:-2], "images/emblem.jpg"),
        "media_corrupt",
        "emblem",
        format="JPEG",
    ),
    media_case(
        "media_jpeg_no_sof",
        media_file(b"\xff\xd8\xff\xd9", "images/emblem.jpg"),
        "media_corrupt",
        "emblem",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected", "params"),
    [pytest.param(m, e, p, id=i) for i, m, e, p in CASES],
)
def test_one_problem_kind(
    pack: Pack,
    mutate: Mutation,
    expected: list[tuple[str, str, str]],
    params: dict[str, str],
) -> None:
    mutate(pack)
    result = pack.load()
    assert result.pack is None and not result.ok
    got = sorted((p.code, p.file, p.path) for p in result.problems)
    assert got == sorted(expected), described(result.problems)
    first = next(p for p in result.problems if (p.code, p.file, p.path) == expected[0])
    for name, value in params.items():
        assert first.params.get(name) == value, (name, first.params)
    for problem in result.problems:
        # Every parameter is used by the message, in both languages, and nothing is left over.
        for catalogue in (EN, ZH):
            template = catalogue.strings[f"problem.{problem.code}"]
            assert placeholders(template) == set(problem.params), problem


def test_media_unreadable(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(media_module, "open", refuse, raising=False)
    problems = pack.load().problems
    assert [(p.code, p.path) for p in problems] == [
        ("media_unreadable", "slides[0].image"),
        ("media_unreadable", "slides[0].emblem"),
    ]
    assert problems[0].params["reason"] == "Permission denied"


def test_required_keys_from_the_caller(pack: Pack) -> None:
    result = pack.load(required_keys=iter(["ui.next", "meta.language_name"]))
    assert sorted((p.code, p.file, p.path) for p in result.problems) == [
        ("required_key_missing", EN_FILE, "ui.next"),
        ("required_key_missing", ZH_FILE, "ui.next"),
    ]
    pack.strings["zh-CN"]["ui.next"] = "下一页"
    pack.write_catalogue("zh-CN")
    # Only the default locale has it now: the other one hears it as key_missing, once.
    assert [(p.code, p.file) for p in pack.load(required_keys=["ui.next"]).problems] == [
        ("key_missing", EN_FILE)
    ]


@pytest.mark.parametrize("closing", ["}", "]"])
@pytest.mark.parametrize("target", ["deck", "catalogue"])
def test_a_trailing_comma_is_named_on_its_own_line(pack: Pack, target: str,
                                                   closing: str) -> None:
    """Python's parser stops at the bracket, often on the next line; the
    editor is told where the comma is, and that it is a trailing comma."""
    path = pack.deck_file if target == "deck" else pack.catalogue_file("en")
    text = path.read_text("utf-8")
    if closing == "}":
        # The last key of the file's top-level object, then a spare comma.
        cut = text.rindex("\n}")
        broken = text[:cut] + ",\n}" + text[cut + 2:]
    else:
        # After the last slide, or the last item of a catalogue's list.
        cut = text.rindex("\n  ]") if target == "deck" else None
        broken = text[:cut] + "," + text[cut:] if cut is not None \
            else '{"a": [\n  "x",\n  "y",\n  ]\n}'
    assert broken != text
    path.write_text(broken, "utf-8")
    comma = broken.rindex(",\n  ]") if closing == "]" else broken.rindex(",\n}")
    line = broken.count("\n", 0, comma) + 1
    column = comma - broken.rfind("\n", 0, comma)
    (problem,) = pack.load().problems
    assert problem.code == "json_trailing_comma"
    assert (problem.line, problem.column) == (line, column)
    assert broken.splitlines()[line - 1][column - 1] == ","
    file = DECK if target == "deck" else EN_FILE
    assert problem.format(EN.text) == (
        f"{file}: line {line}, column {column}: not valid JSON: trailing comma after the last "
        "item of an object or a list; remove this comma")
    assert "trailing comma" in problem.format(ZH.text)


def test_bom_is_accepted_and_not_utf8_has_a_position(pack: Pack) -> None:
    pack.deck_file.write_bytes(b"\xef\xbb\xbf" + pack.deck_file.read_bytes())
    assert pack.load().ok
    pack.deck_file.write_bytes(b'{\n  "id": "\xff"\n}')
    (problem,) = pack.load().problems
    assert (problem.line, problem.column) == (2, 10)


def test_format_unsupported_stops_before_the_schema(pack: Pack) -> None:
    pack.deck = {"format": 3, "anything": "else"}
    pack.write_deck()
    assert [p.code for p in pack.load().problems] == ["format_unsupported"]


def test_schema_unavailable(pack: Pack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(deck_check_module, "schema_path", lambda: tmp_path / "nowhere.json")
    deck_check_module.deck_validator.cache_clear()
    try:
        result = pack.load()
    finally:
        deck_check_module.deck_validator.cache_clear()
    assert [p.code for p in result.problems] == ["schema_unavailable"]


def test_an_internal_error_becomes_a_problem(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(loader_module, "build_deck", broken)
    result = pack.load()
    assert not result.ok and [p.code for p in result.problems] == ["internal_error"]


def test_a_picture_named_twice_is_reported_at_both_places(pack: Pack) -> None:
    slide(pack, 0)["image"] = "images/none.png"
    slide(pack, 0)["emblem"] = "images/none.png"
    pack.write()
    problems = pack.load().problems
    assert [(p.code, p.path) for p in problems] == [
        ("media_missing", "slides[0].image"),
        ("media_missing", "slides[0].emblem"),
    ]


def test_several_problems_are_all_reported(pack: Pack) -> None:
    slide(pack, 0)["titel"] = "x"
    slide(pack, 2)["id"] = "cover"
    pack.strings["en"].pop("deck.cover.kicker")
    pack.write()
    codes = {p.code for p in pack.load().problems}
    assert codes == {"schema_unknown_key_suggest", "duplicate_slide_id", "key_missing"}


# -- messages ----------------------------------------------------------------


def test_every_code_has_a_message_in_both_languages() -> None:
    for catalogue in (EN, ZH):
        codes = {k.removeprefix("problem.") for k in catalogue.strings} - {
            "where.line",
            "where.line_column",
        }
        assert codes == set(ALL_CODES)
    # The loader names the font checks' codes itself (it imports them lazily).
    from taixin_kiosk.content import pack_fonts

    assert set(pack_fonts.CODES) <= set(loader_module.CODES)
    for key, text in EN.strings.items():
        assert placeholders(text) == placeholders(ZH.strings[key]), key
    assert EN.strings["problem.where.line"] == ZH.strings["problem.where.line"]


def test_format_matches_the_documented_lines() -> None:
    line = Problem(
        DECK,
        "slides[0].titel",
        "schema_unknown_key_suggest",
        {"key": "titel", "suggestion": "title"},
    )
    assert line.format(EN.text) == (
        "deck.json: slides[0].titel: unknown key 'titel'; did you mean 'title'?"
    )
    missing = Problem(EN_FILE, "deck.cover.title", "key_missing", {"default_locale": "zh-CN"})
    assert missing.format(EN.text) == (
        "i18n/en.json: deck.cover.title: missing: the default locale zh-CN has this key"
    )
    syntax = Problem(DECK, "", "json_syntax", {"reason": "Expecting ',' delimiter"}, 12, 5)
    assert syntax.format(EN.text) == (
        "deck.json: line 12, column 5: not valid JSON: Expecting ',' delimiter"
    )
    assert syntax.format(ZH.text).startswith("deck.json: 第 12 行，第 5 列: ")
    whole = Problem("i18n", "", "i18n_missing")
    assert whole.format(EN.text).startswith("i18n: $: ")


def test_literal_braces_in_messages_render(pack: Pack) -> None:
    pack.strings["en"]["deck.cover.title"] = "Title {"
    pack.write_catalogue("en")
    (problem,) = pack.load().problems
    text = problem.message(EN.text)
    assert "{name}" in text and "{{" in text


# -- the schema file ---------------------------------------------------------


def _schemas(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_lists_what_the_model_knows() -> None:
    defs = SCHEMA["$defs"]
    assert tuple(defs["icon"]["enum"]) == ICONS
    assert tuple(defs["slide_type"]["enum"]) == SLIDE_TYPES
    assert defs["text_key"]["pattern"].replace("$", r"\Z") == TEXT_KEY_RE.pattern
    for kind in defs["chart_kind"]["enum"]:
        assert f"chart_{kind}" in defs
    for slide_type in SLIDE_TYPES:
        assert {"id", "type", "notes"} <= set(defs[f"slide_{slide_type}"]["required"])


def test_every_property_is_described_and_every_object_closed() -> None:
    dispatchers = {id(SCHEMA["$defs"]["slide"]), id(SCHEMA["$defs"]["chart"])}
    for node in _schemas(SCHEMA):
        for name, sub in node.get("properties", {}).items():
            assert "description" in sub, name
        is_condition = "properties" in node and "type" not in node
        if node.get("type") == "object" and id(node) not in dispatchers and not is_condition:
            assert node.get("additionalProperties") is False, node.get("description")


def test_repo_deck_matches_the_schema() -> None:
    deck_path = ROOT / "assets" / "deck.json"
    if not deck_path.exists():
        pytest.skip("assets/deck.json is not written yet")
    doc = json.loads(deck_path.read_text("utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert Validator(SCHEMA).validate(doc) == []


@pytest.mark.skipif(
    not (ROOT / "assets" / "deck.json").exists(), reason="assets/deck.json is not written yet"
)
def test_builtin_pack_loads() -> None:
    result = load_pack(ROOT / "assets", ROOT / "i18n", builtin=True)
    assert result.problems == (), described(result.problems)
    assert result.pack is not None and result.pack.builtin


def _broken_documents() -> Iterator[tuple[str, dict[str, Any]]]:
    def variant(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        doc = minimal_deck()
        change(doc)
        return doc

    yield (
        "bool value",
        variant(lambda d: d["slides"][3]["chart"]["series"][0].update(values=[True, 1])),
    )
    yield "unknown key", variant(lambda d: d["slides"][0].update(titel="deck.x.y"))
    yield "key of another type", variant(lambda d: d["slides"][2].update(quote="deck.x.y"))
    yield "slide type", variant(lambda d: d["slides"][0].update(type="poster"))
    yield "chart kind", variant(lambda d: d["slides"][3]["chart"].update(kind="pie"))
    yield "missing notes", variant(lambda d: d["slides"][1].pop("notes"))
    yield "share above 1", variant(lambda d: d["slides"][4]["chart"]["items"][0].update(value=2))
    yield "decimals float", variant(lambda d: d["slides"][3]["chart"].update(decimals=1.5))
    yield "cards 9", variant(lambda d: d["slides"][2].update(cards=d["slides"][2]["cards"] * 5))
    yield "id pattern", variant(lambda d: d["slides"][0].update(id="-x"))
    yield "locale pattern", variant(lambda d: d.update(default_locale="Chinese"))
    yield "format 2", variant(lambda d: d.update(format=2))
    yield "format true", variant(lambda d: d.update(format=True))
    yield "$schema number", variant(lambda d: d.update({"$schema": 5}))
    yield "no slides", variant(lambda d: d.update(slides=[]))
    yield "not an object", [minimal_deck()]  # type: ignore[misc]


def test_library_and_interpreter_agree() -> None:
    library = jsonschema.Draft202012Validator(SCHEMA)
    ours = Validator(SCHEMA)
    assert library.is_valid(minimal_deck()) and ours.is_valid(minimal_deck())
    for name, doc in _broken_documents():
        assert not library.is_valid(doc), name
        assert not ours.is_valid(doc), name


def test_interpreter_refuses_unknown_keywords_and_checks_const() -> None:
    with pytest.raises(ValueError):
        Validator({"type": "string", "minLength": 1})
    checker = Validator({"type": "object", "properties": {"v": {"const": 1}}})
    assert checker.validate({"v": 1}) == []
    assert checker.validate({"v": 1.0}) == []
    (problem,) = checker.validate({"v": True})
    assert (problem.code, problem.path, problem.params["expected"]) == ("schema_const", "v", "1")
    (odd,) = Validator({"type": "object", "additionalProperties": False}).validate({"a b": 1})
    assert odd.path == '["a b"]'


# -- whatever is on disk, a LoadResult ---------------------------------------

_KEYS = st.sampled_from(
    [
        "format",
        "id",
        "slides",
        "type",
        "chart",
        "kind",
        "series",
        "values",
        "title",
        "notes",
        "default_locale",
        "map",
        "places",
        "image",
        "meta",
        "deck",
        "x",
        "y",
    ]
) | st.text(max_size=6)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["cover", "chart", "bar", "zh-CN", "deck.cover.title", "images/a.png"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=25,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A copy of the minimal pack per property test; each example overwrites one file."""
    base = tmp_path_factory.mktemp("property")
    template = base / "template"
    Pack(template)

    def root(name: str) -> Path:
        target = base / name
        if not target.exists():
            shutil.copytree(template, target)
        return target

    return root


def _check(result: object) -> None:
    assert isinstance(result, LoadResult)
    assert all(isinstance(p, Problem) for p in result.problems)
    assert "internal_error" not in {p.code for p in result.problems}
    if result.ok:
        assert result.pack is not None
    if result.pack is None:
        assert result.problems


_FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(_JSON)
def test_any_json_deck_gives_a_result(scratch: Callable[[str], Path], value: object) -> None:
    root = scratch("deck")
    (root / "deck.json").write_text(json.dumps(value), "utf-8")
    _check(load_pack(root))


@_FAST
@given(_JSON)
def test_any_json_catalogue_gives_a_result(scratch: Callable[[str], Path], value: object) -> None:
    root = scratch("catalogue")
    (root / "i18n" / "en.json").write_text(json.dumps(value), "utf-8")
    _check(load_pack(root))


@_FAST
@given(st.binary(max_size=200))
def test_any_bytes_deck_gives_a_result(scratch: Callable[[str], Path], data: bytes) -> None:
    root = scratch("bytes")
    (root / "deck.json").write_bytes(data)
    _check(load_pack(root))


@_FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_media_give_a_result(scratch: Callable[[str], Path], data: bytes) -> None:
    root = scratch("media")
    (root / "images" / "cover.png").write_bytes(media_module.PNG_SIGNATURE + data)
    (root / "images" / "emblem.jpg").write_bytes(b"\xff\xd8\xff" + data)
    _check(load_pack(root))


def _paths(node: object, prefix: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


_DECK_PATHS = [p for p in _paths(minimal_deck()) if p]


@_FAST
@given(st.sampled_from(_DECK_PATHS), _JSON | st.integers(0, 4) | st.floats(0, 1))
def test_any_part_of_a_valid_deck_replaced_gives_a_result(
    scratch: Callable[[str], Path], where: tuple[object, ...], value: object
) -> None:
    # Deep changes reach the checks after the schema and, when still valid, the model.
    doc: Any = minimal_deck()
    node = doc
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    root = scratch("replaced")
    (root / "deck.json").write_text(json.dumps(doc), "utf-8")
    result = load_pack(root)
    _check(result)
    if result.ok:
        assert result.pack is not None and len(result.pack.deck.slides) == len(doc["slides"])


_LIBRARY = jsonschema.Draft202012Validator(SCHEMA)
_OURS = Validator(SCHEMA)


@_FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(_DECK_PATHS), _JSON | st.integers(-1, 9) | st.floats(-1, 2)),
        max_size=3,
    )
)
def test_library_and_interpreter_agree_on_random_changes(
    changes: list[tuple[tuple[object, ...], object]],
) -> None:
    doc: Any = minimal_deck()
    for where, value in changes:
        node = doc
        try:
            for step in where[:-1]:
                node = node[step]
            node[where[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change removed the place this one points to
    assert _LIBRARY.is_valid(doc) == _OURS.is_valid(doc)


# -- tours -------------------------------------------------------------------


def add_tour(pack: Pack, tour_id: str, stops: list[tuple[str, float]]) -> None:
    pack.deck.setdefault("tours", []).append({
        "id": tour_id, "title": "deck.title",
        "stops": [{"slide": s, "seconds": t} for s, t in stops],
    })


def test_tours_load_with_their_slides_and_times(pack: Pack) -> None:
    add_tour(pack, "short", [("cover", 30), ("quote", 45.5)])
    pack.write()
    result = pack.load()
    assert result.ok, described(result.problems)
    assert result.pack is not None
    tour = result.pack.deck.tour("short")
    assert tour is not None and tour.title == "deck.title"
    assert [(s.slide, s.seconds) for s in tour.stops] == [(0, 30.0), (1, 45.5)]
    assert tour.seconds == 75.5 and result.pack.deck.tour("nope") is None


def test_a_tour_stop_must_name_a_slide(pack: Pack) -> None:
    add_tour(pack, "short", [("cover", 30), ("covr", 30)])
    pack.write()
    problems = pack.load().problems
    assert [(p.code, p.path) for p in problems] == [
        ("tour_unknown_slide", "tours[0].stops[1].slide")]
    assert "cover" in problems[0].params["ids"]


def test_tour_ids_are_unique_and_tours_not_empty(pack: Pack) -> None:
    add_tour(pack, "short", [("cover", 30)])
    add_tour(pack, "short", [("quote", 30)])
    add_tour(pack, "empty", [])
    add_tour(pack, "zero", [("cover", 0)])
    pack.write()
    found = {(p.code, p.path) for p in pack.load().problems}
    assert ("duplicate_tour_id", "tours[1].id") in found
    assert ("schema_min_items", "tours[2].stops") in found
    assert ("schema_minimum", "tours[3].stops[0].seconds") in found


def test_the_built_in_tours_fit_their_names() -> None:
    from taixin_kiosk.content.validate import validate

    result = validate(None)
    assert result.pack is not None
    deck = result.pack.deck
    briefing = deck.tour("briefing-10")
    assert briefing is not None and briefing.seconds == 600  # ten minutes
    full = deck.tour("full")
    assert full is not None and [s.slide for s in full.stops] == list(range(len(deck.slides)))
