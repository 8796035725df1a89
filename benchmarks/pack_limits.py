"""How long a content pack at the limits takes to check, install and start, and its memory.

    python benchmarks/pack_limits.py [--keep DIR]

Generates a pack at every count limit of ``content.limits`` at once (the
built-in deck's slides repeated to ``MAX_SLIDES``, ``MAX_IMAGES`` distinct
pictures on cover slides, one of them at ``MAX_IMAGE_PIXELS``), then, each in
a fresh process (offscreen Qt, a home folder of its own):

* ``validate``: the full check ``install-pack`` runs (every picture inflated);
* ``install-pack``: copy, check, switch;
* start: choosing the installed content as the app's start does, building
  the app and showing the first slide (what the supervisor waits for);

and prints seconds and peak resident memory for each, beside the limits.
Also checks that a pack one slide over the limit is refused by ``validate``
with a message naming the limit. Exits 1 if any step failed.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taixin_kiosk.content import limits  # noqa: E402

START_SCRIPT = """
import sys, time, resource
t0 = time.perf_counter()
from taixin_kiosk.app.root import build, ensure_app
from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.choice import choose_for
app = ensure_app()
choice = choose_for(None, starting=True)
t1 = time.perf_counter()
built = build(Settings(kiosk=True, windowed=True, motion=False, keep_awake=False), choice, app)
shown = []
built.after_first.append(lambda: shown.append(time.perf_counter()))
built.window.resize(1920, 1080)
built.window.show()
while not shown and time.perf_counter() - t0 < 120:
    app.processEvents()
ok = bool(shown) and not choice.pack.builtin and len(choice.pack.deck.slides) == int(sys.argv[1])
first_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
# Every picture is decoded ahead (scaled to its box on this screen) and kept.
images = built.window.stage.images
while images.busy and time.perf_counter() - t0 < 300:
    app.processEvents()
screen = app.primaryScreen().size()
print(f"{t1 - t0:.2f} {(shown[0] if shown else time.perf_counter()) - t0:.2f} "
      f"{first_mb} {int(ok)} {time.perf_counter() - t0:.2f} "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} "
      f"{screen.width()}x{screen.height()}")
"""


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(data, zlib.crc32(kind)))


def png_maker(width: int, height: int):  # type: ignore[no-untyped-def]
    """PNG files of one size; each call gives different bytes (a text chunk) over the
    same pixels, so the pack has distinct files without compressing each one again."""
    row = b"\x00" + bytes((x * 7 + y) % 256 for x in range(width) for y in range(3))
    idat = _chunk(b"IDAT", zlib.compress(row * height, 6))
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))

    def make(tag: str) -> bytes:
        text = _chunk(b"tEXt", b"Comment\x00" + tag.encode())
        return b"\x89PNG\r\n\x1a\n" + ihdr + text + idat + _chunk(b"IEND", b"")

    return make


def make_pack(folder: Path, slides: int = limits.MAX_SLIDES,
              pictures: int = limits.MAX_IMAGES) -> Path:
    """The built-in deck grown to ``slides`` slides and ``pictures`` distinct pictures."""
    shutil.copytree(ROOT / "assets", folder, ignore=shutil.ignore_patterns("fonts", "images"))
    shutil.copytree(ROOT / "i18n", folder / "i18n")
    (folder / "images").mkdir()
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    base = deck["slides"]
    cover = next(s for s in base if s["type"] == "cover")
    others = [s for s in base if s["type"] != "cover"]
    small = png_maker(1920, 1080)
    side = int(limits.MAX_IMAGE_PIXELS ** 0.5) - 1
    out: list[dict[str, object]] = []
    for i in range(pictures // 2):
        slide = copy.deepcopy(cover)
        slide["id"] = f"cover-{i}"
        for field in ("image", "emblem"):
            name = f"images/{field}-{i}.png"
            make = small if (i, field) != (0, "image") else png_maker(side, side)
            (folder / name).write_bytes(make(f"{field} {i}"))
            slide[field] = name
        out.append(slide)
    i = 0
    while len(out) < slides:
        slide = copy.deepcopy(others[i % len(others)])
        slide["id"] = f"{slide['id']}-{i}"
        out.append(slide)
        i += 1
    deck["slides"] = out[:slides]
    deck["tours"] = []
    (folder / "deck.json").write_text(json.dumps(deck, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return folder


def run(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float,
                                                         int]:
    """A command in a fresh process: its result, seconds, and peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: report it
    # only when this child raised it (the steps run from cheapest up).
    return done, seconds, max(peak, before) // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the pack here and keep it")
    options = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pack-limits-"))
    try:
        pack = make_pack(options.keep or work / "pack")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
               "TAIXIN_KIOSK_HOME": str(work / "home")}
        size = sum(p.stat().st_size for p in pack.rglob("*") if p.is_file())
        print("limits:")
        for row in limits.TABLE:
            print(f"  {row.name:38} {row.value:>12,}")
        print(f"  {'load budget (s)':38} {limits.LOAD_BUDGET_S:>12}")
        deck_bytes = (pack / "deck.json").stat().st_size
        print(f"pack: {limits.MAX_SLIDES} slides, {limits.MAX_IMAGES} pictures, deck.json "
              f"{deck_bytes:,} bytes, {size / 2**20:.1f} MB in all")
        python = [sys.executable, "-m", "taixin_kiosk"]
        failed = False
        rows: list[tuple[str, str, str]] = []
        done, seconds, peak = run([*python, "validate", str(pack)], env)
        failed |= done.returncode != 0
        rows.append(("validate (full check)", f"{seconds:.2f}", f"{peak}"))
        done, seconds, peak = run([*python, "install-pack", str(pack)], env)
        failed |= done.returncode != 0
        rows.append(("install-pack", f"{seconds:.2f}", f"{peak}"))
        # A 1920x1080 screen: pictures are decoded at the size they are drawn.
        screen = work / "screen.json"
        screen.write_text(json.dumps({"screens": [
            {"name": "hall", "x": 0, "y": 0, "width": 1920, "height": 1080,
             "physicalWidth": 520, "physicalHeight": 290, "logicalDpi": 96, "dpr": 1}]}))
        start_env = {**env, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
        done, seconds, _ = run([sys.executable, "-c", START_SCRIPT, str(limits.MAX_SLIDES)],
                               start_env)
        parts = done.stdout.split()
        if done.returncode != 0 or len(parts) != 7 or parts[3] != "1":
            print(done.stdout, done.stderr, file=sys.stderr)
            failed = True
        else:
            rows.append(("start: content chosen", parts[0], ""))
            rows.append(("start: first slide shown", parts[1], parts[2]))
            rows.append((f"every picture decoded ({parts[6]})", parts[4], parts[5]))
        print(f"{'step':28} {'seconds':>8} {'peak MB':>8}")
        for name, secs, mb in rows:
            print(f"{name:28} {secs:>8} {mb:>8}")
        # One slide more: refused, naming the limit.
        over = json.loads((pack / "deck.json").read_text(encoding="utf-8"))
        extra = copy.deepcopy(over["slides"][-1])
        extra["id"] = "one-too-many"
        over["slides"].append(extra)
        (pack / "deck.json").write_text(json.dumps(over, ensure_ascii=False), encoding="utf-8")
        done, seconds, _ = run([*python, "validate", str(pack)], env)
        refused = done.returncode == 1 and str(limits.MAX_SLIDES) in done.stderr
        print(f"one slide over: refused in {seconds:.2f} s: {'yes' if refused else 'NO'}")
        failed |= not refused
        if failed:
            print(done.stdout, done.stderr, file=sys.stderr)
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
