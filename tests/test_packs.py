"""Installed content packs: install, switch, roll back, and hostile zip files refused.

Plain Python: no Qt. Every install goes into a packs folder under the test's
own tmp folder, and each test checks what is on disk afterwards, not only
what the functions return.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.catalogue import flatten, placeholders
from taixin_kiosk.content.json_read import short_repr
from taixin_kiosk.content.packs import archive as pack_archive
from taixin_kiosk.content.packs import install as packs
from taixin_kiosk.content.packs import refusal
from taixin_kiosk.content.packs import store as pack_store
from taixin_kiosk.content.packs.commands import (
    cmd_install_pack,
    cmd_list_packs,
    cmd_rollback_pack,
)
from taixin_kiosk.content.packs.install import InstallResult, install_pack, rollback
from taixin_kiosk.content.packs.state import (
    BUILTIN,
    STATE_FILE,
    PackState,
    installed_candidates,
    read_state,
)
from taixin_kiosk.content.packs.store import installed_packs
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import temp_prefix

EN = app_catalogue("en")
ZH = app_catalogue("zh-CN")


# -- packs to install ----------------------------------------------------------


def full_pack(folder: Path) -> Path:
    """The built-in pack as a separate pack folder (as test_app.py makes one)."""
    shutil.copytree(ROOT / "assets", folder, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", folder / "i18n")
    return folder


def small_files() -> dict[str, bytes]:
    """A valid pack without pictures: quick to zip and check in property tests."""
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    for slide in deck["slides"]:
        slide.pop("image", None)
        slide.pop("emblem", None)
    files = {"deck.json": json.dumps(deck, ensure_ascii=False).encode()}
    for path in sorted((ROOT / "i18n").glob("*.json")):
        files[f"i18n/{path.name}"] = path.read_bytes()
    return files


SMALL = small_files()


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def zip_bytes(members: Iterable[tuple[str | zipfile.ZipInfo, bytes]],
              method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose
        with zipfile.ZipFile(out, "w", method) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return out.getvalue()


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    members = [(prefix + p.relative_to(folder).as_posix(), p.read_bytes())
               for p in sorted(folder.rglob("*")) if p.is_file()]
    target.write_bytes(zip_bytes(members))
    return target


def small_zip(tmp_path: Path, *extra: tuple[str | zipfile.ZipInfo, bytes],
              name: str = "pack.zip", method: int = zipfile.ZIP_DEFLATED) -> Path:
    target = tmp_path / name
    target.write_bytes(zip_bytes([*SMALL.items(), *extra], method))
    return target


def broken_deck_pack(folder: Path) -> Path:
    full_pack(folder)
    deck = json.loads((folder / "deck.json").read_text(encoding="utf-8"))
    deck["slides"][2]["cards"][0]["icon"] = "unicorn"
    (folder / "deck.json").write_text(json.dumps(deck), encoding="utf-8")
    return folder


# -- zip forging -----------------------------------------------------------------


def _find_header(data: bytes, signature: bytes, name_len_at: int, name_at: int,
                 name: str) -> int:
    pos = 0
    while (pos := data.find(signature, pos)) >= 0:
        (length,) = struct.unpack_from("<H", data, pos + name_len_at)
        if data[pos + name_at:pos + name_at + length] == name.encode():
            return pos
        pos += 4
    raise AssertionError(f"no header for {name}")


def patch_central(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrites one field of ``name``'s central directory record."""
    buf = bytearray(data)
    struct.pack_into(fmt, buf, _find_header(data, b"PK\x01\x02", 28, 46, name) + offset, value)
    return bytes(buf)


def patch_local(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into(fmt, buf, _find_header(data, b"PK\x03\x04", 26, 30, name) + offset, value)
    return bytes(buf)


CENTRAL_FLAGS, CENTRAL_METHOD, CENTRAL_SIZE = 8, 10, 24
LOCAL_SIZE = 22


# -- looking at the disk ---------------------------------------------------------


def snapshot(packs_dir: Path) -> dict[str, bytes]:
    """Every file under the packs folder with its bytes (the lock file aside)."""
    if not packs_dir.exists():
        return {}
    return {p.relative_to(packs_dir).as_posix(): p.read_bytes()
            for p in sorted(packs_dir.rglob("*"))
            if p.is_file() and p.name != packs.LOCK_FILE}


# What the atomic write of state.json names its temporary files.
STATE_TEMP = temp_prefix(Path(STATE_FILE))

def leftovers(packs_dir: Path) -> list[str]:
    if not packs_dir.exists():
        return []
    return sorted(p.name for p in packs_dir.iterdir()
                  if p.name.startswith((pack_store.STAGING_PREFIX, STATE_TEMP)))


def codes(result: InstallResult) -> set[str]:
    return {p.code for p in result.problems}


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "packs"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return full_pack(tmp_path / "pack")


# -- installing --------------------------------------------------------------------


def test_install_from_folder(pack: Path, packs_dir: Path) -> None:
    result = install_pack(pack, packs_dir)
    assert result.ok, [p.format(EN.text) for p in result.problems]
    assert result.deck_id == "taixin-yangqu" and result.version
    assert result.slides == len(json.loads((pack / "deck.json").read_bytes())["slides"])
    assert set(result.locales) == {"en", "zh-CN"}
    assert result.name and result.folder == packs_dir / "store" / result.name
    assert result.name.startswith(f"taixin-yangqu-{result.version}-")
    # The copy is the pack, file for file, and it is what the app will try first.
    for source in pack.rglob("*"):
        if source.is_file():
            copied = result.folder / source.relative_to(pack)
            assert copied.read_bytes() == source.read_bytes(), copied
    # What it replaced, the built-in content, is kept as the previous content.
    assert read_state(packs_dir) == PackState(result.name, BUILTIN)
    assert json.loads((packs_dir / "state.json").read_text(encoding="utf-8")) == {
        "current": result.name, "previous": BUILTIN}
    assert installed_candidates(packs_dir) == [result.folder]
    assert leftovers(packs_dir) == []


@pytest.mark.parametrize("prefix", ["", "my-pack/"])
def test_install_from_zip(pack: Path, packs_dir: Path, tmp_path: Path, prefix: str) -> None:
    archive = zip_folder(pack, tmp_path / "pack.zip", prefix)
    result = install_pack(archive, packs_dir)
    assert result.ok, [p.format(EN.text) for p in result.problems]
    assert result.folder is not None
    # deck.json lands at the top of the installed pack whichever layout the zip had.
    assert (result.folder / "deck.json").read_bytes() == (pack / "deck.json").read_bytes()
    assert (result.folder / "images" / "cover.png").read_bytes() == (
        pack / "images" / "cover.png").read_bytes()
    assert not (result.folder / "my-pack").exists()
    assert read_state(packs_dir).current == result.name


def test_zip_from_macos_keeps_only_the_pack(packs_dir: Path, tmp_path: Path) -> None:
    members = [(f"pack/{name}", data) for name, data in SMALL.items()]
    members += [("__MACOSX/pack/._deck.json", b"\x00\x05\x16\x07"), ("pack/", b"")]
    archive = tmp_path / "mac.zip"
    archive.write_bytes(zip_bytes(members))
    result = install_pack(archive, packs_dir)
    assert result.ok, result.problems
    assert result.folder is not None
    assert sorted(p.relative_to(result.folder).as_posix() for p in result.folder.rglob("*")
                  if p.is_file()) == sorted(SMALL)


def test_same_content_same_checksum_from_folder_and_zip(packs_dir: Path, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "small", SMALL)
    first = install_pack(folder, packs_dir)
    second = install_pack(small_zip(tmp_path), packs_dir)
    assert first.ok and second.ok and first.name and second.name
    assert first.name != second.name  # a later time, or a counter within the same second
    checksum = re.compile(r"-\d{8}T\d{6}Z-([0-9a-f]{8})(?:-\d+)?$")
    found = [checksum.search(name) for name in (first.name, second.name)]
    assert found[0] and found[1] and found[0].group(1) == found[1].group(1)


def test_second_install_keeps_previous_and_third_drops_oldest(
        pack: Path, packs_dir: Path, tmp_path: Path) -> None:
    small = write_folder(tmp_path / "small", SMALL)
    first = install_pack(pack, packs_dir)
    second = install_pack(small, packs_dir)
    assert first.ok and second.ok
    assert read_state(packs_dir) == PackState(second.name, first.name)
    assert installed_candidates(packs_dir) == [second.folder, first.folder]
    listed = installed_packs(packs_dir)
    assert [(p.name, p.current) for p in listed] == [(second.name, True), (first.name, False)]
    assert all(p.deck_id == "taixin-yangqu" and p.installed is not None for p in listed)

    # A different pack (the same one again is test_pack_safety's case).
    other = {**SMALL, "notes.txt": b"a third pack"}
    third = install_pack(small_zip(tmp_path, *[("notes.txt", other["notes.txt"])]), packs_dir)
    assert third.ok
    assert read_state(packs_dir) == PackState(third.name, second.name)
    store = sorted(p.name for p in (packs_dir / "store").iterdir())
    assert store == sorted([str(third.name), str(second.name)])
    assert first.folder is not None and not first.folder.exists()


def test_rollback_swaps_current_and_previous(pack: Path, packs_dir: Path, tmp_path: Path) -> None:
    first = install_pack(pack, packs_dir)
    second = install_pack(write_folder(tmp_path / "small", SMALL), packs_dir)
    back = rollback(packs_dir)
    assert back.ok and back.current is not None and back.previous is not None
    assert (back.current.name, back.previous.name) == (first.name, second.name)
    assert back.current.current and not back.previous.current
    assert read_state(packs_dir) == PackState(first.name, second.name)
    assert installed_candidates(packs_dir) == [first.folder, second.folder]
    # Rolling back again returns to the newer pack; nothing was deleted either way.
    again = rollback(packs_dir)
    assert again.ok and again.current is not None and again.current.name == second.name
    assert read_state(packs_dir) == PackState(second.name, first.name)
    assert first.folder and first.folder.is_dir() and second.folder and second.folder.is_dir()


def test_install_after_rollback_keeps_the_pack_rolled_back_to(
        pack: Path, packs_dir: Path, tmp_path: Path) -> None:
    first = install_pack(pack, packs_dir)
    second = install_pack(write_folder(tmp_path / "small", SMALL), packs_dir)
    rollback(packs_dir)
    third = install_pack(small_zip(tmp_path, ("notes.txt", b"a third pack")), packs_dir)
    assert read_state(packs_dir) == PackState(third.name, first.name)
    assert second.folder is not None and not second.folder.exists()


def test_rollback_with_nothing_to_roll_back_is_refused(pack: Path, packs_dir: Path) -> None:
    nothing = rollback(packs_dir)
    assert not nothing.ok and [p.code for p in nothing.problems] == ["no_previous"]
    assert not packs_dir.exists()  # refusing wrote nothing
    assert "previous" in nothing.problems[0].format(EN.text)
    # On the built-in content with no pack to return to, nothing changes either.
    packs_dir.mkdir(parents=True)
    (packs_dir / STATE_FILE).write_text(f'{{"current": "{BUILTIN}", "previous": null}}',
                                        encoding="utf-8")
    before = snapshot(packs_dir)
    refused = rollback(packs_dir)
    assert not refused.ok and [p.code for p in refused.problems] == ["no_previous"]
    assert snapshot(packs_dir) == before
    assert install_pack(pack, packs_dir).ok


def test_invalid_pack_leaves_everything_as_it_was(
        pack: Path, packs_dir: Path, tmp_path: Path) -> None:
    assert install_pack(pack, packs_dir).ok
    before = snapshot(packs_dir)
    broken = broken_deck_pack(tmp_path / "broken")
    for source in (broken, zip_folder(broken, tmp_path / "broken.zip", "top/")):
        result = install_pack(source, packs_dir)
        assert not result.ok and result.folder is None
        # The loader's own problem, naming the file and JSON path of the copy.
        where = [(p.file, p.path) for p in result.errors]
        assert ("deck.json", "slides[2].cards[0].icon") in where, where
        assert snapshot(packs_dir) == before
        assert leftovers(packs_dir) == []


def test_folder_without_deck_is_refused_before_copying(packs_dir: Path, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "usb", {"photos/a.jpg": b"x", "notes.txt": b"y"})
    result = install_pack(folder, packs_dir)
    assert [(p.file, p.code) for p in result.problems] == [("deck.json", "deck_missing")]
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []


def test_missing_source_and_not_a_zip(packs_dir: Path, tmp_path: Path) -> None:
    missing = install_pack(tmp_path / "nowhere.zip", packs_dir)
    assert codes(missing) == {"source_missing"}
    assert missing.problems[0].file == str(tmp_path / "nowhere.zip")
    text = tmp_path / "notes.zip"
    text.write_text("not a zip at all", encoding="utf-8")
    assert codes(install_pack(text, packs_dir)) == {"not_zip"}
    whole = small_zip(tmp_path).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    assert codes(install_pack(cut, packs_dir)) == {"not_zip"}
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs symlinks")
def test_links_in_a_pack_folder_are_refused(packs_dir: Path, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "small", SMALL)
    secret = tmp_path / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    (folder / "images").mkdir()
    (folder / "images" / "a.png").symlink_to(secret)
    result = install_pack(folder, packs_dir)
    assert codes(result) == {"source_link"}
    assert result.problems[0].params["entry"] == '"images/a.png"'
    assert snapshot(packs_dir) == {}


def test_a_second_install_at_the_same_time_is_refused_as_busy(
        pack: Path, packs_dir: Path) -> None:
    with packs._locked(packs_dir, "other"):
        busy = install_pack(pack, packs_dir)
        refused = rollback(packs_dir)
    assert codes(busy) == {"busy"} and [p.code for p in refused.problems] == ["busy"]
    assert read_state(packs_dir) == PackState()
    assert install_pack(pack, packs_dir).ok  # the lock is free again


def test_unusable_state_file_means_no_installed_pack(pack: Path, packs_dir: Path) -> None:
    first = install_pack(pack, packs_dir)
    state = packs_dir / "state.json"
    state.write_text('{"current": "../../etc", "previous": "/tmp"}', encoding="utf-8")
    assert installed_candidates(packs_dir) == [] and installed_packs(packs_dir) == []
    state.write_text("{not json", encoding="utf-8")
    assert read_state(packs_dir) == PackState()
    # A new install still works and drops the unreachable folder.
    again = install_pack(pack, packs_dir)
    assert again.ok and read_state(packs_dir) == PackState(again.name, BUILTIN)
    assert first.folder is not None and not first.folder.exists()


# -- failures and interruptions ----------------------------------------------------


def _fail_on_third_file(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> list[Path]:
    """Makes the copy stop midway, after two files are written; returns the targets seen."""
    real = pack_archive._pump
    seen: list[Path] = []

    def pump(read: Callable[[int], bytes], target: Path, *args: object) -> str:
        seen.append(target)
        if len(seen) == 3:
            target.write_bytes(b"half a fi")
            raise error
        return real(read, target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pack_archive, "_pump", pump)
    return seen


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_disk_full_midway_leaves_everything_as_it_was(
        pack: Path, packs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str) -> None:
    assert install_pack(pack, packs_dir).ok
    before = snapshot(packs_dir)
    source = pack if kind == "folder" else zip_folder(pack, tmp_path / "p.zip")
    seen = _fail_on_third_file(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = install_pack(source, packs_dir)
    assert len(seen) == 3
    assert [(p.code, p.params["reason"]) for p in result.problems] == [
        ("write_failed", os.strerror(errno.ENOSPC))]
    assert "unchanged" in result.problems[0].format(EN.text)
    assert snapshot(packs_dir) == before and leftovers(packs_dir) == []


def test_interrupted_install_changes_nothing_and_its_leftovers_go_next_time(
        pack: Path, packs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = install_pack(pack, packs_dir)
    before = snapshot(packs_dir)
    real_pump, real_remove = pack_archive._pump, pack_store.remove
    # A power cut: the process stops midway and nothing of it cleans up.
    _fail_on_third_file(monkeypatch, KeyboardInterrupt())
    monkeypatch.setattr(pack_store, "remove", lambda path: None)
    with pytest.raises(KeyboardInterrupt):
        install_pack(zip_folder(pack, tmp_path / "p.zip"), packs_dir)
    assert snapshot(packs_dir) != before  # the half-made copy is there ...
    left = leftovers(packs_dir)
    assert len(left) == 1 and left[0].startswith(pack_store.STAGING_PREFIX)
    assert read_state(packs_dir) == PackState(first.name, BUILTIN)  # ... but not in use
    assert installed_candidates(packs_dir) == [first.folder]
    (packs_dir / f"{STATE_TEMP}dead.tmp").write_text("{", encoding="utf-8")

    monkeypatch.setattr(pack_archive, "_pump", real_pump)
    monkeypatch.setattr(pack_store, "remove", real_remove)
    second = install_pack(write_folder(tmp_path / "small", SMALL), packs_dir)
    assert second.ok and leftovers(packs_dir) == []
    assert read_state(packs_dir) == PackState(second.name, first.name)


def test_failed_switch_keeps_the_old_state_and_drops_the_copy(
        pack: Path, packs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert install_pack(pack, packs_dir).ok
    before = snapshot(packs_dir)

    def no_space(packs_dir: Path, state: PackState) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(packs, "_write_state", no_space)
    result = install_pack(write_folder(tmp_path / "small", SMALL), packs_dir)
    assert codes(result) == {"write_failed"}
    assert snapshot(packs_dir) == before and leftovers(packs_dir) == []


def test_unexpected_bug_becomes_a_problem(
        pack: Path, packs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> object:
        raise TypeError("a bug")

    monkeypatch.setattr(pack_store, "unique_name", broken)
    result = install_pack(pack, packs_dir)
    assert [(p.code, dict(p.params)) for p in result.problems] == [
        ("internal_error", {"error": "TypeError"})]
    assert read_state(packs_dir) == PackState() and leftovers(packs_dir) == []


# -- hostile zip files -------------------------------------------------------------


def _info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize(("name", "code"), [
    ("/etc/evil.json", "name_absolute"),
    ("//server/share/x", "name_absolute"),
    ("C:/Windows/evil.dll", "name_drive"),
    ("c:evil", "name_drive"),
    ("..\\..\\evil.txt", "name_backslash"),
    ("images\\a.png", "name_backslash"),
    ("../evil.txt", "name_parent"),
    ("images/../../evil.txt", "name_parent"),
    ("images/..", "name_parent"),
    ("images//a.png", "name_invalid"),
    ("./deck2.json", "name_invalid"),
    ("images/con.png", "name_invalid"),
    ("images/a.png:stream", "name_invalid"),
    ("images/a\x01.png", "name_invalid"),
    ("images/trailing.", "name_invalid"),
    ("x" * 256, "name_invalid"),
])
def test_unsafe_entry_names_are_refused(packs_dir: Path, tmp_path: Path, name: str,
                                        code: str) -> None:
    result = install_pack(small_zip(tmp_path, (name, b"data")), packs_dir)
    assert [(p.code, p.params["entry"]) for p in result.problems] == [(code, short_repr(name))]
    assert all(p.file == str(tmp_path / "pack.zip") for p in result.problems)
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize(("extra", "code"), [
    ([(_info("images/a.png", stat.S_IFLNK | 0o777), b"/etc/passwd")], "zip_link"),
    ([(_info("images/fifo", stat.S_IFIFO | 0o644), b"")], "zip_special"),
    ([("notes.txt", b"one"), ("notes.txt", b"two")], "zip_duplicate"),
    ([("notes.txt", b"one"), ("NOTES.txt", b"two")], "zip_case_collision"),
    ([("images", b"a file"), ("images/a.png", b"x")], "zip_file_folder"),
])
def test_zip_entry_kinds_are_refused(packs_dir: Path, tmp_path: Path,
                                     extra: list[tuple[str | zipfile.ZipInfo, bytes]],
                                     code: str) -> None:
    result = install_pack(small_zip(tmp_path, *extra), packs_dir)
    assert codes(result) == {code}
    entry = result.problems[0].params["entry"]
    assert entry.strip('"') in {e.filename if isinstance(e, zipfile.ZipInfo) else e
                                for e, _data in extra}
    message = result.problems[0].format(EN.text)
    assert message.startswith(f"{tmp_path / 'pack.zip'}: ") and entry in message
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []
    assert not (packs_dir.parent.parent / "etc").exists()


def test_encrypted_and_unknown_methods_are_refused(packs_dir: Path, tmp_path: Path) -> None:
    data = zip_bytes([*SMALL.items(), ("secret.txt", b"x" * 100), ("odd.bin", b"y" * 100)],
                     zipfile.ZIP_STORED)
    data = patch_central(data, "secret.txt", CENTRAL_FLAGS, "<H", 0x1)
    data = patch_central(data, "odd.bin", CENTRAL_METHOD, "<H", 98)  # PPMd
    archive = tmp_path / "pack.zip"
    archive.write_bytes(data)
    result = install_pack(archive, packs_dir)
    assert [(p.code, p.params["entry"]) for p in result.problems] == [
        ("zip_encrypted", '"secret.txt"'), ("zip_method", '"odd.bin"')]
    assert result.problems[1].params["method"] == "98"
    assert snapshot(packs_dir) == {}


def test_too_many_entries_are_refused(packs_dir: Path, tmp_path: Path) -> None:
    extra = [(f"images/{i}.txt", b"") for i in range(pack_archive.MAX_ENTRIES)]
    result = install_pack(small_zip(tmp_path, *extra, method=zipfile.ZIP_STORED), packs_dir)
    assert codes(result) == {"too_many_entries"}
    count = len(SMALL) + pack_archive.MAX_ENTRIES
    message = result.problems[0].format(EN.text)
    assert f"{count} entries, too many" in message and "5000" in message, message
    assert snapshot(packs_dir) == {}


def test_a_large_declared_total_is_refused(packs_dir: Path, tmp_path: Path) -> None:
    data = zip_bytes([*SMALL.items(), ("big.bin", b"z" * 1000)], zipfile.ZIP_STORED)
    data = patch_central(data, "big.bin", CENTRAL_SIZE, "<I", pack_archive.MAX_TOTAL_BYTES)
    archive = tmp_path / "pack.zip"
    archive.write_bytes(data)
    result = install_pack(archive, packs_dir)
    assert codes(result) == {"too_large"} and result.problems[0].params["limit"] == "512"
    assert snapshot(packs_dir) == {}


def test_a_zip_bomb_entry_is_refused_before_unpacking(packs_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    real = pack_archive._pump
    monkeypatch.setattr(pack_archive, "_pump",
                        lambda read, target, *a: (written.append(target),
                                                  real(read, target, *a))[1])
    result = install_pack(small_zip(tmp_path, ("bomb.bin", bytes(8 * 1024 * 1024))), packs_dir)
    assert [(p.code, p.params["entry"]) for p in result.problems] == [("zip_ratio", '"bomb.bin"')]
    problem = result.problems[0]
    assert int(problem.params["size"]) > 200 * int(problem.params["compressed"])
    assert written == []  # refused from the table of contents: not one byte unpacked
    assert snapshot(packs_dir) == {}


def test_a_lying_size_header_stops_at_the_declared_size(packs_dir: Path,
                                                        tmp_path: Path) -> None:
    # 4 MB of zeros declared as 1,000 bytes: the ratio looks harmless.
    data = zip_bytes([*SMALL.items(), ("liar.bin", bytes(4 * 1024 * 1024))])
    data = patch_central(data, "liar.bin", CENTRAL_SIZE, "<I", 1000)
    data = patch_local(data, "liar.bin", LOCAL_SIZE, "<I", 1000)
    archive = tmp_path / "pack.zip"
    archive.write_bytes(data)
    result = install_pack(archive, packs_dir)
    assert len(result.problems) == 1
    assert result.problems[0].code in {"zip_entry_corrupt", "zip_size_mismatch"}
    assert result.problems[0].params["entry"] == '"liar.bin"'
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []


def test_a_reader_giving_more_than_declared_is_cut_off(
        packs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Should a decompressor ever return more than the header says, the copy
    # itself stops: the header is never what bounds the bytes written.
    archive = small_zip(tmp_path, ("more.bin", b"m" * 1000))
    real_open = zipfile.ZipFile.open
    sizes: list[int] = []

    def open_more(self: zipfile.ZipFile, info: zipfile.ZipInfo, *args: object,
                  **kwargs: object) -> object:
        if info.filename == "more.bin":
            return io.BytesIO(b"m" * (64 * 1024 * 1024))
        return real_open(self, info)

    real_pump = pack_archive._pump

    def pump(read: Callable[[int], bytes], target: Path, *args: object) -> str:
        try:
            return real_pump(read, target, *args)  # type: ignore[arg-type]
        finally:
            if target.name == "more.bin" and target.exists():
                sizes.append(target.stat().st_size)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_more)
    monkeypatch.setattr(pack_archive, "_pump", pump)
    result = install_pack(archive, packs_dir)
    assert [(p.code, p.params["entry"]) for p in result.problems] == [
        ("zip_size_mismatch", '"more.bin"')]
    assert sizes and max(sizes) <= 1000
    assert snapshot(packs_dir) == {}


def test_the_unpacked_total_is_counted_while_writing(
        packs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_archive, "MAX_TOTAL_BYTES", sum(len(d) for d in SMALL.values()) + 10)
    # Declared sizes pass the check before unpacking; the count while writing
    # does not trust them and stops at the limit.
    monkeypatch.setattr(pack_archive, "_check_zip",
                        lambda infos, shown: pack_archive._pack_members(
                            [(i.filename.rstrip("/"), i) for i in infos], shown))
    result = install_pack(small_zip(tmp_path, ("extra.bin", b"e" * 100)), packs_dir)
    assert codes(result) == {"too_large"}
    assert snapshot(packs_dir) == {} and leftovers(packs_dir) == []


def test_a_huge_table_of_contents_is_refused_before_reading_it(
        packs_dir: Path, tmp_path: Path) -> None:
    data = zip_bytes([*SMALL.items(), ("noise.bin", os.urandom(3 * 1024 * 1024))],
                     zipfile.ZIP_STORED)
    buf = bytearray(data)
    struct.pack_into("<I", buf, data.rfind(b"PK\x05\x06") + 12, 2_500_000)
    archive = tmp_path / "pack.zip"
    archive.write_bytes(bytes(buf))
    result = install_pack(archive, packs_dir)
    assert codes(result) == {"zip_directory_too_large"}
    assert snapshot(packs_dir) == {}


@pytest.mark.parametrize("layout", ["none", "two-tops", "deep"])
def test_a_zip_without_deck_at_its_top_is_refused(packs_dir: Path, tmp_path: Path,
                                                   layout: str) -> None:
    members = {
        "none": [("i18n/en.json", SMALL["i18n/en.json"])],
        "two-tops": [(f"a/{n}", d) for n, d in SMALL.items()] + [("b/readme.txt", b"x")],
        "deep": [(f"a/b/{n}", d) for n, d in SMALL.items()],
    }[layout]
    archive = tmp_path / "pack.zip"
    archive.write_bytes(zip_bytes(members))
    assert codes(install_pack(archive, packs_dir)) == {"zip_no_deck"}
    assert snapshot(packs_dir) == {}


# -- the command line ----------------------------------------------------------------


def test_commands_print_results(pack: Path, packs_dir: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_list_packs(EN, packs_dir) == 0
    assert "built-in" in capsys.readouterr().out

    assert cmd_install_pack(EN, pack, packs_dir) == 0
    out = capsys.readouterr().out
    slides = len(json.loads((pack / "deck.json").read_bytes())["slides"])
    assert out.startswith("OK") and "taixin-yangqu" in out and f"slides: {slides}" in out
    assert "zh-CN" in out and str(packs_dir) in out

    broken = broken_deck_pack(tmp_path / "broken")
    assert cmd_install_pack(EN, broken, packs_dir) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("deck.json: slides[2].cards[0].icon: ") for line in err), err
    assert "unchanged" in err[-1]

    assert cmd_install_pack(EN, small_zip(tmp_path, ("../x", b"")), packs_dir) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'pack.zip'}: " in err and '"../x"' in err

    # One pack installed: rolling back goes to the built-in content, and back.
    assert cmd_list_packs(EN, packs_dir) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("current:") and lines[1].startswith("previous: the built-in")
    assert cmd_rollback_pack(EN, packs_dir) == 0
    assert "built-in content is now the current content" in capsys.readouterr().out
    assert cmd_list_packs(EN, packs_dir) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("current:  the built-in") and lines[1].startswith("previous:")
    assert cmd_rollback_pack(EN, packs_dir) == 0
    assert "taixin-yangqu" in capsys.readouterr().out
    assert cmd_install_pack(EN, write_folder(tmp_path / "small", SMALL), packs_dir) == 0
    capsys.readouterr()
    assert cmd_rollback_pack(ZH, packs_dir) == 0
    assert "taixin-yangqu" in capsys.readouterr().out
    assert cmd_list_packs(EN, packs_dir) == 0
    lines = capsys.readouterr().out.splitlines()
    state = read_state(packs_dir)
    assert lines[0].startswith("current:") and str(state.current) in lines[0]
    assert lines[1].startswith("previous:") and str(state.previous) in lines[1]
    assert str(packs_dir) in lines[2]


def _catalogue(locale: str) -> dict[str, object]:
    return flatten(json.loads((ROOT / "i18n" / f"{locale}.json").read_text(encoding="utf-8")))


def test_every_problem_code_has_a_message_in_every_language() -> None:
    en, zh = _catalogue("en"), _catalogue("zh-CN")
    for code in refusal.CODES:
        key = f"cli.pack.problem.{code}"
        assert isinstance(en.get(key), str) and isinstance(zh.get(key), str), key
        assert placeholders(str(en[key])) == placeholders(str(zh[key])), key
        problem = refusal.install_problem("x.zip", code)
        assert problem.message(EN.text) != key
    # Problems of the install itself and of the content print alike.
    assert refusal.install_problem("x.zip", "zip_duplicate", entry='"a"').format(EN.text) == (
        'x.zip: the zip entry "a" appears more than once')


# -- property tests ------------------------------------------------------------------

_PROPERTY = settings(max_examples=80, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_TRICKY_NAMES = [
    "deck.json", "i18n/en.json", "i18n/zh-CN.json", "images/a.png", "DECK.JSON", "top/",
    "top/deck.json", "../deck.json", "../../../escape.txt", "/abs.txt", "C:\\x", "C:x",
    "a\\..\\..\\b", "a/./b", "a//b", "con", "aux.json", "x:y", "dir/", "dir/file", "dir",
    "__MACOSX/._deck.json", "\u00e9", "e\u0301", "\u00c9", "\u4e2d\u6587.txt", "a\x00b",
    " ", ".", "..", "trailing ",
]
_NAME = st.sampled_from(_TRICKY_NAMES) | st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=12)
_MODE = st.sampled_from([0, stat.S_IFREG | 0o644, stat.S_IFDIR | 0o755,
                         stat.S_IFLNK | 0o777, stat.S_IFIFO | 0o644])
_METHOD = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                           zipfile.ZIP_LZMA])
_MEMBER = st.tuples(_NAME, st.binary(max_size=200) | st.just(bytes(50_000)), _MODE, _METHOD)


def _check_install(source_bytes: bytes) -> InstallResult:
    """Installs ``source_bytes`` as a zip in a fresh tree; checks what was written where."""
    with tempfile.TemporaryDirectory() as base_name:
        base = Path(base_name)
        work = base / "a" / "b" / "c"
        packs_dir = work / "packs"
        work.mkdir(parents=True)
        source = work / "in.zip"
        source.write_bytes(source_bytes)
        result = install_pack(source, packs_dir)
        assert isinstance(result, InstallResult)
        assert all(isinstance(p, Problem) for p in result.problems)
        assert "internal_error" not in codes(result), result.problems
        for problem in result.problems:
            assert problem.format(EN.text) and problem.format(ZH.text)
        if result.ok:
            assert result.folder is not None and result.folder.is_dir()
            assert read_state(packs_dir).current == result.name
        else:
            assert result.errors and not (packs_dir / "state.json").exists()
            assert not (packs_dir / "store").exists() or not any(
                (packs_dir / "store").iterdir())
        # Nothing anywhere but the source and the packs folder, and no leftovers.
        for path in base.rglob("*"):
            if path.is_file() or path.is_symlink():
                assert path == source or packs_dir in path.parents, path
            assert not path.is_symlink(), path
        assert leftovers(packs_dir) == []
        return result


@_PROPERTY
@given(st.binary(max_size=3000) | st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b))
def test_any_bytes_as_a_zip_give_a_result(data: bytes) -> None:
    assert not _check_install(data).ok


def _build(members: list[tuple[str, bytes, int, int]], with_pack: bool, top: str) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out, "w") as archive:
            if with_pack:
                for name, data in SMALL.items():
                    archive.writestr(top + name, data, zipfile.ZIP_DEFLATED)
            for name, data, mode, method in members:
                info = zipfile.ZipInfo(name)
                info.external_attr = mode << 16
                info.compress_type = method
                archive.writestr(info, data)
    return out.getvalue()


@_PROPERTY
@given(st.lists(_MEMBER, max_size=5), st.booleans(), st.sampled_from(["", "top/", "a b/"]))
def test_any_zip_members_give_a_result(members: list[tuple[str, bytes, int, int]],
                                       with_pack: bool, top: str) -> None:
    result = _check_install(_build(members, with_pack, top))
    if not members and with_pack:
        assert result.ok, result.problems


_VALID_ZIP = zip_bytes(SMALL.items())


@_PROPERTY
@given(st.lists(st.tuples(st.integers(0, len(_VALID_ZIP) - 1), st.integers(0, 255)),
                min_size=1, max_size=6))
def test_a_damaged_valid_zip_gives_a_result(changes: list[tuple[int, int]]) -> None:
    data = bytearray(_VALID_ZIP)
    for at, value in changes:
        data[at] = value
    _check_install(bytes(data))
