"""Makes the Windows application icon (.ico) from the deck's emblem.

The picture is the emblem the cover slide shows (the first ``emblem`` in
``assets/deck.json``), so the taskbar, the installer and the first slide
carry the same mark. Run at build time by the spec; the .ico is a build
output and stays out of git.

    python packaging/make_icon.py [OUT.ico]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
DEFAULT_OUT = ROOT / "build" / "packaging" / "taixin-kiosk.ico"

# Every size Windows asks for somewhere: 16/20/24/32 for title bars, lists and
# the taskbar at 100-200 % scaling, 40/48/64 for Explorer's medium views,
# 256 for large icons and the Start menu tile (Windows scales it down itself
# for 96 and 128).
SIZES: tuple[int, ...] = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def emblem_path(assets: Path = ASSETS) -> Path:
    """The first emblem a slide of the built-in deck names."""
    deck = json.loads((assets / "deck.json").read_text(encoding="utf-8"))
    for slide in deck.get("slides", []):
        emblem = slide.get("emblem")
        if emblem:
            return assets / str(emblem)
    raise LookupError(f"no slide in {assets / 'deck.json'} has an emblem")


def make_icon(out: Path = DEFAULT_OUT, source: Path | None = None) -> Path:
    """Writes ``out`` with one frame per size in SIZES and returns it."""
    source = source or emblem_path()
    with Image.open(source) as opened:
        emblem = opened.convert("RGBA")
    # A square canvas keeps a non-square emblem from being stretched.
    side = max(emblem.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(emblem, ((side - emblem.width) // 2, (side - emblem.height) // 2))
    # Each frame is scaled straight from the full-size picture with LANCZOS:
    # halving step by step would blur the thin rings at 16 and 24 px.
    frames = [square.resize((size, size), Image.Resampling.LANCZOS) for size in SIZES]
    out.parent.mkdir(parents=True, exist_ok=True)
    frames[-1].save(out, format="ICO", sizes=[(s, s) for s in SIZES], append_images=frames[:-1])
    return out


if __name__ == "__main__":
    print(make_icon(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
