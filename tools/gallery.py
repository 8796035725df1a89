"""Regenerates the contact sheets of docs/gallery.md in docs/gallery/ with the
export command (``taixin-kiosk export --contact-sheet``): the built-in deck in
every language, landscape and portrait, and in English with ``--print``.

Run from the repository: ``python tools/gallery.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "gallery"
SIZES = ("1920x1080", "1080x1920")
# The sheets are scaled to this width and to a 256-colour palette: about
# half a megabyte each, still sharp enough to read every slide's title.
WIDTH = 1800


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            subprocess.run([sys.executable, "-m", "taixin_kiosk", "export", "--out", tmp,
                            "--size", size, "--contact-sheet"], check=True)
        subprocess.run([sys.executable, "-m", "taixin_kiosk", "export", "--out", f"{tmp}/print",
                        "--size", SIZES[0], "--lang", "en", "--contact-sheet", "--print"],
                       check=True)
        for printed in Path(tmp, "print").glob("contact-*.png"):
            printed.rename(Path(tmp) / printed.name.replace(".png", "-print.png"))
        for sheet in sorted(Path(tmp).glob("contact-*.png")):
            with Image.open(sheet) as image:
                image = image.convert("RGB")
                height = round(image.height * WIDTH / image.width)
                image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
                image = image.quantize(256, method=Image.Quantize.MEDIANCUT,
                                       dither=Image.Dither.NONE)
                image.save(OUT / sheet.name, optimize=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
