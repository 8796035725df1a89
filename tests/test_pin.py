"""The staff PIN: its stored hash, the lock-out of the pad, and ``set-pin``."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from taixin_kiosk.config.commands import cmd_set_pin
from taixin_kiosk.config.load import load_config
from taixin_kiosk.config.pin import (
    PinGuard,
    hash_pin,
    is_pin_hash,
    lock_seconds,
    valid_pin,
    verify_pin,
)
from taixin_kiosk.content.builtin import app_catalogue

HASH_RE = re.compile(r"scrypt\$16384\$8\$1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin("2468")


def test_hash_format(stored):
    match = HASH_RE.fullmatch(stored)
    assert match, stored
    assert len(base64.b64decode(match.group(1))) == 16
    assert len(base64.b64decode(match.group(2))) == 32
    assert "2468" not in stored


def test_the_format_is_plain_scrypt():
    # A hash made outside the app with the documented parameters verifies:
    # the format is what the docstring says, not just self-consistent.
    salt = bytes(range(16))
    key = hashlib.scrypt(b"13579", salt=salt, n=2**14, r=8, p=1, dklen=32)
    made = f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert verify_pin("13579", made)
    assert not verify_pin("13578", made)


def test_verify_right_and_wrong(stored):
    assert verify_pin("2468", stored)
    for wrong in ("2469", "246", "24680", "", " 2468"):
        assert not verify_pin(wrong, stored), wrong


def test_same_pin_gets_a_new_salt_each_time():
    first, second = hash_pin("1111"), hash_pin("1111")
    assert first != second
    assert HASH_RE.fullmatch(first).group(1) != HASH_RE.fullmatch(second).group(1)
    assert verify_pin("1111", first) and verify_pin("1111", second)


def _with(stored: str, index: int, value: str) -> str:
    parts = stored.split("$")
    parts[index] = value
    return "$".join(parts)


def test_malformed_stored_values_verify_nothing(stored):
    malformed = [
        "", "2468", "scrypt", "scrypt$$$$$", stored + "$", stored[:-3],
        "pbkdf2" + stored[len("scrypt"):],
        _with(stored, 1, "1000"),          # n not a power of two
        _with(stored, 1, str(2**30)),      # n far too costly
        _with(stored, 1, "0"),
        _with(stored, 2, "0"),
        _with(stored, 2, "+8"),
        _with(stored, 3, "99"),
        _with(stored, 2, "\u0668"),        # a digit, but not an ASCII one
        _with(stored, 4, "not base64!"),
        _with(stored, 4, ""),
        _with(stored, 5, "AAAA"),          # a key too short to mean anything
        stored.upper(),
    ]
    for value in malformed:
        assert not is_pin_hash(value), value
        assert not verify_pin("2468", value), value
    assert is_pin_hash(stored)


def test_valid_pin():
    for pin in ("1234", "000000", "123456789012"):
        assert valid_pin(pin), pin
    for pin in ("", "123", "1234567890123", "12a4", " 1234", "1234\n", "12 34",
                "\u0661\u0662\u0663\u0664", "\uff11\uff12\uff13\uff14"):
        assert not valid_pin(pin), pin


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lock_grows_and_is_capped():
    assert [lock_seconds(n) for n in range(10)] == [
        0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert lock_seconds(10**6) == 900


def test_guard_without_pin_opens_nothing(stored):
    for empty in ("", "not a hash", stored[:-2]):
        guard = PinGuard(empty, clock=FakeClock())
        assert not guard.pin_set
        assert guard.attempt("2468") == "no_pin"
        assert guard.attempt("0000") == "no_pin"
        assert guard.locked_for() == 0


def test_guard_locks_for_growing_delays(stored):
    clock = FakeClock()
    guard = PinGuard(stored, clock=clock)
    assert guard.pin_set
    assert guard.attempt("1111") == "wrong"
    assert guard.attempt("1111") == "wrong"
    assert guard.locked_for() == 0
    assert guard.attempt("1111") == "wrong"
    assert guard.locked_for() == 30
    # While locked, even the right PIN is not checked, and nothing counts.
    assert guard.attempt("2468") == "locked"
    assert guard.wrong_attempts == 3
    clock.now += 12
    assert guard.locked_for() == 18
    clock.now += 18
    assert guard.locked_for() == 0
    for expected in (60, 120, 240, 480, 900, 900):
        assert guard.attempt("0000") == "wrong"
        assert guard.locked_for() == expected
        assert guard.attempt("0000") == "locked"
        clock.now += expected
    assert guard.attempt("2468") == "ok"
    assert guard.wrong_attempts == 0
    # The count starts again from nothing after a right PIN.
    assert guard.attempt("0000") == "wrong"
    assert guard.attempt("0000") == "wrong"
    assert guard.locked_for() == 0
    assert guard.attempt("2468") == "ok"


def asker(*answers: str):
    prompts: list[str] = []
    queue = list(answers)

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    ask.prompts = prompts  # type: ignore[attr-defined]
    return ask


@pytest.fixture
def cat():
    return app_catalogue("en")


def test_set_pin_writes_a_hash_that_verifies_and_keeps_the_file(tmp_path, cat, capsys):
    file = tmp_path / "config.toml"
    file.write_text("# hall 3, east wall\nkiosk = true  # locked down\n\nidle_seconds = 120\n",
                    encoding="utf-8")
    ask = asker("97531", "97531")
    assert cmd_set_pin(cat, file, clear=False, ask=ask) == 0
    assert ask.prompts == [cat.text("cli.pin.prompt"), cat.text("cli.pin.prompt_again")]
    text = file.read_text(encoding="utf-8")
    assert text.startswith(
        "# hall 3, east wall\nkiosk = true  # locked down\n\nidle_seconds = 120\n")
    assert "97531" not in text
    out = capsys.readouterr()
    assert "97531" not in out.out + out.err
    assert str(file) in out.out
    config = load_config(file)
    assert config.problems == ()
    assert config.settings.kiosk is True and config.settings.idle_seconds == 120
    assert HASH_RE.fullmatch(config.settings.pin)
    assert verify_pin("97531", config.settings.pin)
    assert PinGuard(config.settings.pin).attempt("97531") == "ok"


def test_set_pin_creates_the_file_and_its_folder(tmp_path, cat):
    file = tmp_path / "new" / "folder" / "config.toml"
    assert cmd_set_pin(cat, file, clear=False, ask=asker(" 4731 ", "4731")) == 0
    assert verify_pin("4731", load_config(file).settings.pin)


@pytest.mark.parametrize(("answers", "key"), [
    (("123", "123"), "cli.pin.invalid"),
    (("12ab", "12ab"), "cli.pin.invalid"),
    (("1234567890123", "1234567890123"), "cli.pin.invalid"),
    (("1739", "1793"), "cli.pin.mismatch"),
    (("1739",), "cli.pin.cancelled"),
    # Weak PINs (issue 15): one digit, runs up or down, two digits taking turns.
    (("1234", "1234"), "cli.pin.weak"),
    (("0000", "0000"), "cli.pin.weak"),
    (("7777", "7777"), "cli.pin.weak"),
    (("4321", "4321"), "cli.pin.weak"),
    (("123456", "123456"), "cli.pin.weak"),
    (("7890", "7890"), "cli.pin.weak"),
    (("1212", "1212"), "cli.pin.weak"),
    ((), "cli.pin.cancelled"),
])
def test_set_pin_refuses_and_changes_nothing(tmp_path, cat, capsys, answers, key):
    file = tmp_path / "config.toml"
    before = f'# ours\npin = "{hash_pin("5555")}"\n'
    file.write_text(before, encoding="utf-8")
    ask = asker(*answers)
    assert cmd_set_pin(cat, file, clear=False, ask=ask) == 1
    out = capsys.readouterr()
    assert cat.text(key) in out.err
    assert out.out == ""
    assert file.read_text(encoding="utf-8") == before
    if key in ("cli.pin.invalid", "cli.pin.weak"):
        assert len(ask.prompts) == 1  # an invalid PIN is refused before asking again
    for answer in answers:
        assert answer not in out.err


def test_set_pin_clear_removes_only_the_pin(tmp_path, cat, capsys):
    file = tmp_path / "config.toml"
    file.write_text(f'# ours\nmotion = false\npin = "{hash_pin("5555")}"  # staff\nkiosk = true\n',
                    encoding="utf-8")
    assert cmd_set_pin(cat, file, clear=True, ask=asker()) == 0
    assert file.read_text(encoding="utf-8") == "# ours\nmotion = false\nkiosk = true\n"
    assert str(file) in capsys.readouterr().out
    assert not load_config(file).pin_set


def test_set_pin_leaves_a_broken_file_alone(tmp_path, cat, capsys):
    file = tmp_path / "config.toml"
    broken = "kiosk = tru\n"
    file.write_text(broken, encoding="utf-8")
    assert cmd_set_pin(cat, file, clear=False, ask=asker("2739", "2739")) == 1
    err = capsys.readouterr().err
    assert str(file) in err and "line 1" in err
    assert file.read_text(encoding="utf-8") == broken


def test_set_pin_reports_a_folder_it_cannot_write(tmp_path, cat, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    file = blocker / "config.toml"
    assert cmd_set_pin(cat, file, clear=False, ask=asker("2739", "2739")) == 1
    err = capsys.readouterr().err
    assert str(file) in err and "2222" not in err


def test_weak_pins():
    from taixin_kiosk.config.pin import weak_pin

    for pin in ("0000", "7777", "1234", "4321", "123456", "987654", "7890", "8901", "3210",
                "1212", "909090", "000000000000"):
        assert weak_pin(pin), pin
    for pin in ("2468", "1357", "9753", "4731", "1235", "2580", "1122", "97531"):
        assert not weak_pin(pin), pin


def test_set_pin_makes_the_new_pin_the_last_good_one(tmp_path, cat):
    from taixin_kiosk.config.last_good import last_good_path

    file = tmp_path / "config.toml"
    assert cmd_set_pin(cat, file, clear=False, ask=asker("4731", "4731")) == 0
    # Staff break the file before the kiosk ever started: the PIN still opens.
    file.write_text(file.read_text("utf-8") + "kiosk = tru\n", encoding="utf-8")
    assert last_good_path(file).exists()
    assert PinGuard(load_config(file).settings.pin).attempt("4731") == "ok"


def test_the_lock_out_outlives_a_restart_and_a_deleted_record(tmp_path, stored, caplog):
    records = [tmp_path / "state" / "pin-lock.json", tmp_path / "config" / ".pin-lock.json"]
    guard = PinGuard(stored, records=records)
    for _ in range(3):
        assert guard.attempt("1111") == "wrong"
    assert guard.locked_for() > 25
    # A restart: a new guard reads the records.
    again = PinGuard(stored, records=records)
    assert 25 < again.locked_for() <= 30 and again.wrong_attempts == 3
    assert again.attempt("2468") == "locked"
    # One record deleted: the other keeps the lock, and says so.
    records[0].unlink()
    with caplog.at_level("WARNING", logger="taixin_kiosk.staff"):
        third = PinGuard(stored, records=records)
    assert third.locked_for() > 25 and records[0].exists()
    assert "pin-lock.json" in caplog.text
    # A damaged record locks rather than frees.
    for record in records:
        record.write_text("{", encoding="utf-8")
    assert PinGuard(stored, records=records).locked_for() > 25


def test_a_right_pin_clears_the_kept_count(tmp_path, stored):
    records = [tmp_path / "pin-lock.json"]
    guard = PinGuard(stored, records=records)
    guard.attempt("1111")
    guard.attempt("1111")
    assert PinGuard(stored, records=records).wrong_attempts == 2
    assert guard.attempt("2468") == "ok"
    assert PinGuard(stored, records=records).wrong_attempts == 0


# -- records and files that are not files ---------------------------------------

_READ_GUARD = """
import sys
from pathlib import Path
from taixin_kiosk.config.pin import PinGuard, hash_pin
guard = PinGuard(hash_pin("2468"), records=[Path(p) for p in sys.argv[1:]])
print(guard.wrong_attempts, guard.locked_for() > 0)
"""


def _run_python(code: str, *args: str, stdin: str = "", home=None):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    command = [sys.executable, "-c", code, *args] if code else [
        sys.executable, "-m", "taixin_kiosk", "--home", str(home), *args]
    # The timeout is the hang's proof: a read that blocks never returns.
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX named pipes")
def test_lock_out_records_that_are_a_pipe_or_dev_zero_lock_and_never_hang(tmp_path):
    import os

    pipe = tmp_path / "state" / "pin-lock.json"
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    zero = tmp_path / "config" / ".pin-lock.json"
    zero.parent.mkdir()
    zero.symlink_to("/dev/zero")
    done = _run_python(_READ_GUARD, str(pipe), str(zero))
    assert done.returncode == 0, done.stderr
    # Tampered records lock the pad rather than free it.
    assert done.stdout.split() == ["3", "True"]
    done = _run_python(_READ_GUARD, str(zero))
    assert done.stdout.split() == ["3", "True"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX named pipes")
@pytest.mark.parametrize("kind", ["pipe", "dev_zero", "link_to_pipe", "last_good_pipe"])
def test_set_pin_on_a_config_that_is_a_pipe_or_a_device_never_hangs(tmp_path, kind):
    import os

    from taixin_kiosk.config.last_good import last_good_path

    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    if kind == "pipe":
        os.mkfifo(config)
    elif kind == "dev_zero":
        config.symlink_to("/dev/zero")
    elif kind == "link_to_pipe":
        os.mkfifo(tmp_path / "pipe")
        config.symlink_to(tmp_path / "pipe")
    else:
        os.mkfifo(last_good_path(config))
    done = _run_python("", "set-pin", stdin="4731\n4731\n", home=tmp_path)
    if kind == "last_good_pipe":
        # The config file itself is fine: the PIN is set, the pipe never read.
        assert done.returncode == 0, done.stderr
        assert verify_pin("4731", load_config(config).settings.pin)
        # The pipe is replaced by the last good file it stood in for.
        assert last_good_path(config).is_file()
        assert "pin = " in last_good_path(config).read_text(encoding="utf-8")
    else:
        assert done.returncode == 1
        assert "pipe or a device" in done.stderr
        assert not config.is_file() or kind == "dev_zero"
