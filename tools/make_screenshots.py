"""Regenerates the README screenshots in docs/screenshots/ with the export command.

Run from the repository: ``python tools/make_screenshots.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
# (locale, slide file, size, name prefix)
SHOTS = [
    ("zh-CN", "01-cover.png", "1920x1080", "zh-CN"),
    ("en", "13-zones-map.png", "1920x1080", "en"),
    ("zh-CN", "08-transport.png", "1920x1080", "zh-CN"),
    ("en", "16-guarantees.png", "1920x1080", "en"),
    ("en", "18-goals.png", "1920x1080", "en"),
    ("zh-CN", "05-location.png", "1080x1920", "zh-CN-portrait"),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted({s[2] for s in SHOTS}):
            subprocess.run([sys.executable, "-m", "taixin_kiosk", "export", "--out",
                            f"{tmp}/{size}", "--size", size], check=True)
        for locale, name, size, prefix in SHOTS:
            with Image.open(Path(tmp) / size / locale / name) as image:
                image = image.convert("RGB")
                image.thumbnail((960, 960), Image.Resampling.LANCZOS)
                image.save(OUT / f"{prefix}-{name}", optimize=True)
        # The whole window, controls included: large text, high contrast and
        # the access strip open, on a portrait totem.
        subprocess.run([sys.executable, str(ROOT / "tools" / "window_shots.py"), f"{tmp}/access",
                        "--lang", "zh-CN", "--size", "1080x1920", "--slides", "7",
                        "--large-text", "--contrast", "--access-bar"], check=True)
        with Image.open(Path(tmp) / "access" / "zh-CN-1080x1920-08.png") as image:
            image = image.convert("RGB")
            image.thumbnail((960, 960), Image.Resampling.LANCZOS)
            image.save(OUT / "zh-CN-portrait-access.png", optimize=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
