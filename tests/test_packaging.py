"""What the build generates: the Windows icon and the file version resource.

Fast checks of packaging/make_icon.py and packaging/make_version.py; the
build itself is tests/test_frozen.py (slow).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image

from conftest import ROOT


def _load(name: str) -> ModuleType:
    # By path and under a name of its own: packaging/ is no package, and a
    # plain "import build" could find PyPA's build instead.
    spec = importlib.util.spec_from_file_location(f"packaging_{name}",
                                                  ROOT / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load("build")
make_icon = _load("make_icon")
make_version = _load("make_version")


def test_icon_comes_from_the_cover_emblem_in_every_size(tmp_path):
    assert make_icon.emblem_path() == ROOT / "assets" / "images" / "emblem.png"
    ico = make_icon.make_icon(tmp_path / "app.ico")
    with Image.open(ico) as image:
        assert sorted(image.info["sizes"]) == [(s, s) for s in make_icon.SIZES]
        for size in (16, 32, 256):
            image.size = (size, size)
            image.load()
            frame = image.convert("RGBA")
            # The round emblem leaves the corners transparent and the middle solid.
            assert frame.getpixel((0, 0))[3] == 0
            assert frame.getpixel((size // 2, size // 2))[3] == 255


def test_icon_of_a_wide_picture_is_not_stretched(tmp_path):
    wide = tmp_path / "wide.png"
    Image.new("RGBA", (200, 100), (200, 30, 30, 255)).save(wide)
    ico = make_icon.make_icon(tmp_path / "wide.ico", source=wide)
    with Image.open(ico) as image:
        image.size = (64, 64)
        image.load()
        frame = image.convert("RGBA")
    assert frame.getpixel((32, 2))[3] == 0 and frame.getpixel((32, 32))[3] == 255


@pytest.mark.parametrize(("text", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)),
    ("2", (2, 0, 0, 0)),
    ("1.2.0rc1", (1, 2, 0, 0)),
    ("1.2.3.dev4", (1, 2, 3, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_windows_version_numbers(text, numbers):
    assert make_version.numeric_version(text) == numbers


@pytest.mark.parametrize("text", ["", "abc", "1.70000"])
def test_versions_windows_cannot_hold(text):
    with pytest.raises(ValueError):
        make_version.numeric_version(text)


def _evaluate(text: str) -> dict[str, Any]:
    """Runs the version file the way PyInstaller does (``eval``), with each
    structure recorded as a dict, so it is checked without pefile."""

    def record(kind: str):
        def make(*args: Any, **kwargs: Any) -> dict[str, Any]:
            return {"kind": kind, "args": args, **kwargs}
        return make

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct"]
    return eval(text, {name: record(name) for name in names})


def test_version_resource_carries_the_package_version(tmp_path):
    from taixin_kiosk import __version__

    out = make_version.write_version_file(tmp_path / "version.txt")
    info = _evaluate(out.read_text(encoding="utf-8"))
    assert info["kind"] == "VSVersionInfo"
    numbers = make_version.numeric_version(__version__)
    assert info["ffi"]["filevers"] == numbers and info["ffi"]["prodvers"] == numbers
    string_info, var_info = info["kids"]
    (table,) = string_info["args"][0]
    strings = dict(s["args"] for s in table["args"][1])
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["CompanyName"] == "Taixin Kiosk project"
    assert strings["ProductName"] and strings["FileDescription"]
    assert strings["OriginalFilename"] == "taixin-kiosk.exe"
    # The string table's key is the language and code page that VarFileInfo lists.
    language, codepage = var_info["args"][0][0]["args"][1]
    assert table["args"][0] == f"{language:04X}{codepage:04X}"


def test_version_is_read_without_importing(tmp_path):
    init = tmp_path / "__init__.py"
    init.write_text('"""Doc."""\nimport sys\n__version__ = "3.4.5rc2"\n', encoding="utf-8")
    assert make_version.read_version(init) == "3.4.5rc2"
    init.write_text("VERSION = '1'\n", encoding="utf-8")
    with pytest.raises(LookupError):
        make_version.read_version(init)


def test_build_pins_the_pyinstaller_it_installs():
    requirement = build.pinned_pyinstaller()
    assert requirement.lower().startswith("pyinstaller==")


def test_build_outputs_stay_out_of_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored
    assert not list(Path(ROOT / "packaging").glob("*.ico"))
