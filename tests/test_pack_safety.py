"""Safe mode for content packs: limits, the load's budget and heartbeat, the fall-back
after failed starts, the built-in content as a roll-back target, staging leftovers."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from taixin_kiosk.content import limits
from taixin_kiosk.content import media as media_module
from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.choice import choose, choose_for
from taixin_kiosk.content.packs import starts
from taixin_kiosk.content.packs.install import install_pack, rollback
from taixin_kiosk.content.packs.state import BUILTIN, PackState, read_state
from taixin_kiosk.content.packs.store import STAGING_PREFIX, clean_staging, staging_leftovers
from taixin_kiosk.content.validate import validate
from taixin_kiosk.system.paths import app_paths
from taixin_kiosk.system.supervisor import HEARTBEAT_ENV

EN = app_catalogue("en")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, as tests/test_cli.py runs it (TAIXIN_KIOSK_HOME is the test's)."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run([sys.executable, "-m", "taixin_kiosk", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=240, env=env)


def make_pack(folder: Path, version: str = "1.0.0", slides: int | None = None) -> Path:
    """The built-in deck as a pack; ``slides`` repeats its slides to that many."""
    shutil.copytree(ROOT / "assets", folder, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", folder / "i18n")
    deck = json.loads((folder / "deck.json").read_text(encoding="utf-8"))
    deck["version"] = version
    if slides is not None:
        base = deck["slides"]
        deck["slides"] = [dict(copy.deepcopy(base[i % len(base)]), id=f"s{i}")
                          for i in range(slides)]
        deck["tours"] = []
    (folder / "deck.json").write_text(json.dumps(deck, ensure_ascii=False), encoding="utf-8")
    return folder


def messages(problems: tuple[object, ...]) -> list[str]:
    return [p.format(EN.text) for p in problems]  # type: ignore[attr-defined]


# -- limits ---------------------------------------------------------------------------


def test_the_test_decks_are_far_under_every_limit() -> None:
    for deck_file in (ROOT / "assets" / "deck.json", ROOT / "tests/packs/grand-canal/deck.json"):
        deck = json.loads(deck_file.read_text(encoding="utf-8"))
        assert len(deck["slides"]) * 10 < limits.MAX_SLIDES
        assert deck_file.stat().st_size * 10 < limits.MAX_DECK_BYTES
        assert limits.deck_counts(deck) == []


def test_a_pack_at_the_slide_limit_passes_and_one_over_is_refused(tmp_path: Path) -> None:
    at = validate(make_pack(tmp_path / "at", slides=limits.MAX_SLIDES))
    assert at.ok, messages(at.problems)[:3]
    over = validate(make_pack(tmp_path / "over", slides=limits.MAX_SLIDES + 1))
    assert over.pack is None
    assert messages(over.problems) == [
        f"deck.json: slides: the deck has {limits.MAX_SLIDES + 1} slides; "
        f"at most {limits.MAX_SLIDES} are allowed"]


def test_validate_and_install_pack_name_the_limit(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", slides=limits.MAX_SLIDES + 1)
    checked = cli("validate", str(pack))
    assert checked.returncode == 1
    assert f"{limits.MAX_SLIDES + 1} slides; at most {limits.MAX_SLIDES}" in checked.stderr
    installed = cli("install-pack", str(pack))
    assert installed.returncode == 1
    assert f"at most {limits.MAX_SLIDES} are allowed" in installed.stderr
    assert "unchanged" in installed.stderr
    assert not (app_paths().packs_dir / "store").exists() or not any(
        (app_paths().packs_dir / "store").iterdir())


def test_a_huge_deck_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    with open(pack / "deck.json", "ab") as deck:
        deck.truncate(limits.MAX_DECK_BYTES + 1)  # sparse: cheap to make
    result = validate(pack)
    assert [p.code for p in result.problems] == ["limit_deck_bytes"]
    assert f"at most {limits.MAX_DECK_BYTES} bytes" in messages(result.problems)[0]


def test_a_huge_catalogue_is_refused(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    with open(pack / "i18n" / "en.json", "ab") as catalogue:
        catalogue.truncate(limits.MAX_CATALOGUE_BYTES + 1)
    result = validate(pack)
    assert [(p.file, p.code) for p in result.problems] == [("i18n/en.json",
                                                            "limit_catalogue_bytes")]


def test_too_many_pictures_and_too_many_pixels(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pack = make_pack(tmp_path / "pack")
    # The built-in deck names two pictures (cover and emblem, twice each).
    monkeypatch.setattr(limits, "MAX_IMAGES", 1)
    over = validate(pack)
    assert messages(over.problems) == [
        "deck.json: slides: the slides name 2 different pictures; at most 1 are allowed"]
    monkeypatch.setattr(limits, "MAX_IMAGES", 500)
    monkeypatch.setattr(media_module, "MAX_PIXELS", 1000)
    result = validate(pack)
    assert "limit_pixels" in {p.code for p in result.problems}
    text = next(m for m in messages(result.problems) if "pixels a picture" in m)
    assert "at most 1000 pixels a picture" in text


def test_a_zip_of_100000_entries_is_too_many_not_forged(tmp_path: Path) -> None:
    source = tmp_path / "many.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("deck.json", "{}")
        for i in range(99_999):
            archive.writestr(f"images/{i}.txt", b"")
    out = cli("install-pack", str(source))
    assert out.returncode == 1
    assert "100000 entries, too many" in out.stderr and "5000" in out.stderr, out.stderr
    assert "forged" not in out.stderr


# -- the load's budget and heartbeat --------------------------------------------------


def test_loading_beats_the_heartbeat_and_stops_over_its_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = make_pack(tmp_path / "pack")
    beat = tmp_path / "heartbeat"
    monkeypatch.setenv(HEARTBEAT_ENV, str(beat))
    monkeypatch.setattr(limits.LoadWatch, "BEAT_EVERY_S", 0.0)
    seen: list[str] = []
    real_tick = limits.LoadWatch.tick

    def tick(self: limits.LoadWatch) -> None:
        real_tick(self)
        seen.append(beat.read_text(encoding="ascii"))

    monkeypatch.setattr(limits.LoadWatch, "tick", tick)
    choice = choose(pack)
    assert not choice.problems and not choice.pack.builtin
    # A beat at every step of the load, each different (the supervisor watches for change).
    assert len(seen) >= 5 and len(set(seen)) == len(seen)
    assert all(text.startswith(f"{os.getpid()} load ") for text in seen)

    monkeypatch.setattr(limits, "LOAD_BUDGET_S", 0.0)
    slow = choose(pack)
    assert slow.pack.builtin and slow.requested == pack
    assert [p.code for p in slow.problems] == ["load_over_budget"]
    assert "took longer than the app allows" in messages(slow.problems)[0]


# -- failed starts and the fall-back ----------------------------------------------------


def install_two(tmp_path: Path) -> tuple[str, str]:
    packs_dir = app_paths().packs_dir
    first = install_pack(make_pack(tmp_path / "one", "1.0.0"), packs_dir)
    second = install_pack(make_pack(tmp_path / "two", "2.0.0"), packs_dir)
    assert first.ok and second.ok and first.name and second.name
    return first.name, second.name


def test_starts_that_never_show_a_slide_fall_back_to_the_previous_then_builtin(
        tmp_path: Path) -> None:
    first, second = install_two(tmp_path)
    for _ in range(starts.MAX_FAILED_STARTS):  # each start dies before its first slide
        choice = choose_for(None, starting=True)
        assert choice.pack.deck.version == "2.0.0" and not choice.problems
    fell = choose_for(None, starting=True)
    assert fell.pack.deck.version == "1.0.0"
    assert fell.requested is not None and fell.requested.name == second
    assert [p.code for p in fell.problems] == ["pack_failed_starts"]
    assert "did not reach the first slide of this pack in its last 2 starts" in \
        messages(fell.problems)[0]
    # The state is untouched: staff can still see and choose what was installed.
    assert read_state(app_paths().packs_dir) == PackState(second, first)
    for _ in range(starts.MAX_FAILED_STARTS - 1):
        assert choose_for(None, starting=True).pack.deck.version == "1.0.0"
    last = choose_for(None, starting=True)
    assert last.pack.builtin and last.requested is not None and last.requested.name == second
    # A reload from the staff panel counts nothing.
    assert choose_for(None).pack.deck.version == "2.0.0"


def test_a_start_that_shows_a_slide_clears_its_count(tmp_path: Path) -> None:
    _first, second = install_two(tmp_path)
    for _ in range(5):
        choice = choose_for(None, starting=True)
        assert choice.pack.deck.version == "2.0.0" and choice.counted is not None
        starts.shown(choice.counted)
    assert starts.read_starts(app_paths().packs_dir) == {}
    # Rolling back to a pack that failed gives it a fresh chance: staff asked for it.
    choose_for(None, starting=True)
    choose_for(None, starting=True)
    rollback(app_paths().packs_dir)
    rollback(app_paths().packs_dir)
    assert starts.read_starts(app_paths().packs_dir) == {}
    assert choose_for(None, starting=True).pack.deck.version == "2.0.0"
    assert read_state(app_paths().packs_dir).current == second


@pytest.mark.slow
def test_a_launch_while_the_kiosk_runs_counts_no_failed_start(tmp_path: Path) -> None:
    # A second supervisor, or a double click on the shortcut, while a kiosk
    # runs: each launch only brings that kiosk to the front. They used to
    # count as starts that showed no slide, and the next real start passed
    # the current pack over for the previous one.
    from taixin_kiosk.system.locks import release, take_instance_lock

    _first, second = install_two(tmp_path)
    running = take_instance_lock()  # what the running kiosk holds
    assert running is not None
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        for _ in range(starts.MAX_FAILED_STARTS + 1):
            done = subprocess.run([sys.executable, "-m", "taixin_kiosk", "--kiosk"], env=env,
                                  capture_output=True, text=True, timeout=240)
            assert done.returncode == 0, done.stderr
    finally:
        release(running)
    assert starts.read_starts(app_paths().packs_dir) == {}
    choice = choose_for(None, starting=True)
    assert choice.pack.deck.version == "2.0.0" and not choice.problems
    assert choice.counted is not None and choice.counted.name == second


def test_the_fall_back_ends_on_visible_slides_with_the_reason_for_staff(
        tmp_path: Path, make_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    install_two(tmp_path)
    for _ in range(starts.MAX_FAILED_STARTS):
        choose_for(None, starting=True)
    choice = choose_for(None, starting=True)
    built = make_app(choice=choice, kiosk=True, keep_awake=False, idle_seconds=600.0,
                     attract_seconds=600.0)
    view = built.window.stage.current_view
    assert built.content.pack.deck.version == "1.0.0"
    assert view.isVisible() and view.layout_items.texts
    # Painted, not a black screen: the cover's picture and words give many colours.
    image = view.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 24)
               for y in range(0, image.height(), 24)}
    assert len(colours) > 20
    lines = built.kiosk_mode.diagnostics.lines()
    # The failed starts are about the whole pack: the line says why in words,
    # without a file position ("NAME: $: ...") that would only repeat the pack.
    reason = choice.problems[0].message(built.kiosk_mode.text)
    assert built.kiosk_mode.text("staff.info.fallback", pack=choice.requested.name,
                                 problem=reason) in lines
    assert not any(": $:" in line for line in lines)


def test_a_kiosk_keeps_the_reason_for_a_fall_back_from_its_visitors(
        tmp_path: Path, make_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    # The red strip naming the pack's folder on disk was shown to visitors;
    # staff have the reason on the panel. A presentation still shows it.
    install_two(tmp_path)
    for _ in range(starts.MAX_FAILED_STARTS):
        choose_for(None, starting=True)
    choice = choose_for(None, starting=True)
    assert choice.problems
    kiosk = make_app(choice=choice, kiosk=True, keep_awake=False, idle_seconds=600.0,
                     attract_seconds=600.0)
    window = kiosk.window
    assert not window.notice.isVisible()
    assert window.stage.geometry().top() == 0  # the slide starts at the top edge
    text = kiosk.kiosk_mode.text
    reason = text("staff.info.fallback", pack=choice.requested.name,
                  problem=choice.problems[0].message(text))
    assert reason in kiosk.kiosk_mode.diagnostics.lines()  # staff still read why
    presentation = make_app(choice=choice)
    qtbot.waitUntil(presentation.window.notice.isVisible)
    assert str(choice.requested) in presentation.window.notice.text


# -- roll-back to the built-in content, the same pack again ----------------------------


def test_installing_the_same_pack_again_keeps_the_real_previous(tmp_path: Path) -> None:
    packs_dir = tmp_path / "packs"
    one = install_pack(make_pack(tmp_path / "one", "1.0.0"), packs_dir)
    two = make_pack(tmp_path / "two", "2.0.0")
    first = install_pack(two, packs_dir)
    again = install_pack(two, packs_dir)
    assert one.ok and first.ok and again.ok
    assert read_state(packs_dir) == PackState(again.name, one.name)
    assert one.folder is not None and one.folder.is_dir()
    back = rollback(packs_dir)
    assert back.current is not None and back.current.version == "1.0.0"


def test_rollback_reaches_the_built_in_content_and_returns(tmp_path: Path) -> None:
    packs_dir = app_paths().packs_dir
    only = install_pack(make_pack(tmp_path / "one"), packs_dir)
    assert only.ok
    back = rollback(packs_dir)
    assert back.ok and back.builtin and back.current is None
    assert read_state(packs_dir) == PackState(BUILTIN, only.name)
    assert choose_for(None, starting=True).pack.builtin
    listed = cli("list-packs")
    assert listed.stdout.splitlines()[0].startswith("current:  the built-in content")
    again = rollback(packs_dir)
    assert again.ok and again.current is not None and again.current.name == only.name
    assert choose_for(None).pack.root == (packs_dir / "store" / str(only.name)).resolve()


# -- leftovers of interrupted installs --------------------------------------------------


def test_staging_leftovers_are_listed_with_their_size_and_cleaned_at_start(
        tmp_path: Path) -> None:
    packs_dir = app_paths().packs_dir
    assert install_pack(make_pack(tmp_path / "one"), packs_dir).ok
    left = packs_dir / f"{STAGING_PREFIX}0123abcd"
    (left / "images").mkdir(parents=True)
    (left / "images" / "big.bin").write_bytes(b"x" * (3 * 1024 * 1024))
    assert staging_leftovers(packs_dir) == [(left.name, 3 * 1024 * 1024)]
    listed = cli("list-packs")
    assert listed.returncode == 0
    assert f"left by an interrupted install: {left.name}, 3.0 MB" in listed.stdout
    clean_staging(packs_dir)
    assert not left.exists() and staging_leftovers(packs_dir) == []
    assert "interrupted" not in cli("list-packs").stdout


def test_the_first_slide_clears_the_count_and_the_leftovers(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from taixin_kiosk.app.startup import content_shown

    install_two(tmp_path)
    packs_dir = app_paths().packs_dir
    left = packs_dir / f"{STAGING_PREFIX}feedface"
    left.mkdir()
    (left / "deck.json").write_text("{}", encoding="utf-8")
    choice = choose_for(None, starting=True)
    assert choice.counted is not None and starts.failed_starts(choice.counted) == 1
    content_shown(choice)
    assert starts.failed_starts(choice.counted) == 0
    # Removed off the GUI thread.
    qtbot.waitUntil(lambda: not left.exists(), timeout=10000)


def test_the_built_in_content_is_reached_with_two_packs_installed(tmp_path: Path) -> None:
    packs_dir = app_paths().packs_dir
    one = install_pack(make_pack(tmp_path / "one", "1.0.0"), packs_dir)
    two = install_pack(make_pack(tmp_path / "two", "2.0.0"), packs_dir)
    assert one.ok and two.ok
    # A plain roll-back toggles between the two packs; list-packs says how
    # to reach the built-in content all the same.
    listed = cli("list-packs").stdout
    assert "rollback-pack --builtin" in listed
    back = cli("rollback-pack", "--builtin")
    assert back.returncode == 0, back.stderr
    assert "built-in content is now the current content" in back.stdout
    assert read_state(packs_dir) == PackState(BUILTIN, two.name)
    assert choose_for(None, starting=True).pack.builtin
    listed = cli("list-packs").stdout
    assert listed.splitlines()[0].startswith("current:  the built-in content")
    assert "rollback-pack --builtin" not in listed
    # Asked again: nothing to do, and no error for a script that asks twice.
    again = cli("rollback-pack", "--builtin")
    assert again.returncode == 0 and "already" in again.stdout
    assert read_state(packs_dir) == PackState(BUILTIN, two.name)
    # A plain roll-back returns to the pack that was current.
    assert cli("rollback-pack").returncode == 0
    assert choose_for(None).pack.root == (packs_dir / "store" / str(two.name)).resolve()


def test_the_built_in_content_is_reached_when_nothing_was_installed() -> None:
    done = cli("rollback-pack", "--builtin")
    assert done.returncode == 0 and "already" in done.stdout
    assert choose_for(None, starting=True).pack.builtin
