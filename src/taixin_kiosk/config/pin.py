"""The staff PIN: a salted slow hash in the config file, and a pad that locks.

The PIN itself is never stored, printed or logged. What the config file holds
is ``scrypt$N$r$p$<salt>$<key>`` (standard base64), so a copy of the file
does not give the PIN away cheaply, and the cost parameters travel with the
hash: a later version may raise them and still verify PINs set today.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
PIN_RE = re.compile(r"[0-9]{4,12}")
# The config file is editable by hand, so a stored hash may carry any
# parameters: these bounds keep verification from failing inside OpenSSL or
# from taking minutes and gigabytes on a hand-made value.
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16
_MAX_MEMORY = 256 * 1024 * 1024
_SALT_RANGE, _KEY_RANGE = range(8, 65), range(16, 65)

# Wrong PINs before the pad locks, the first lock, and the longest one.
FREE_ATTEMPTS = 3
FIRST_LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0
# A lock-out record is a line of JSON: anything longer is not one.
MAX_LOCK_RECORD_BYTES = 4096

Outcome = Literal["ok", "wrong", "locked", "no_pin"]


class _Parsed(NamedTuple):
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def valid_pin(pin: str) -> bool:
    """4 to 12 ASCII digits (``str.isdigit`` would also take other scripts' digits)."""
    return PIN_RE.fullmatch(pin) is not None


def weak_pin(pin: str) -> bool:
    """A PIN anyone would try first: one digit (0000, 7777), a run up or down
    (1234, 4321, 123456, 7890, wrapping past 9), or two digits taking turns (1212).
    """
    from itertools import pairwise

    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    if steps <= {0} or steps == {1} or steps == {9}:
        return True
    return len(set(pin[0::2])) == 1 and len(set(pin[1::2])) == 1


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # Imported here: reading the config (is_pin_hash) at every start must not
    # load OpenSSL.
    import hashlib

    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=_MAX_MEMORY + 1024 * 1024, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str) -> str:
    """The value ``set-pin`` writes to the config file; a new salt every time."""
    salt = os.urandom(SALT_BYTES)
    key = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def _number(text: str) -> int | None:
    # int() would also take " 8", "+8", "8_0" and non-ASCII digits.
    return int(text) if re.fullmatch(r"[1-9][0-9]{0,9}", text) else None


def _parse(stored: str) -> _Parsed | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    n, r, p = (_number(part) for part in parts[1:4])
    if n is None or r is None or p is None:
        return None
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and r <= _MAX_R and p <= _MAX_P
            and 128 * n * r <= _MAX_MEMORY):
        return None
    try:
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(salt) not in _SALT_RANGE or len(key) not in _KEY_RANGE:
        return None
    return _Parsed(n, r, p, salt, key)


def is_pin_hash(stored: str) -> bool:
    """True for a value :func:`verify_pin` can check a PIN against."""
    return _parse(stored) is not None


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the PIN ``stored`` was made from; False for anything malformed."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    try:
        key = _derive(pin, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.key))
    except (ValueError, MemoryError):  # OpenSSL refusing parameters that passed _parse
        return False
    import hmac

    return hmac.compare_digest(key, parsed.key)


def lock_seconds(wrong: int) -> float:
    """How long the pad stays locked after ``wrong`` wrong PINs in a row."""
    if wrong < FREE_ATTEMPTS:
        return 0.0
    # The exponent is capped before the power so a long siege cannot overflow.
    doublings = min(wrong - FREE_ATTEMPTS, 16)
    return min(FIRST_LOCK_SECONDS * (1 << doublings), MAX_LOCK_SECONDS)


log = logging.getLogger("taixin_kiosk.staff")


class _Lock(NamedTuple):
    wrong: int
    until: float  # wall-clock time: a lock-out outlives the process


def _read_lock(path: Path) -> _Lock | None:
    from taixin_kiosk.system.files import read_small

    try:
        # A record swapped for a named pipe would block the pad for ever, one
        # linked to /dev/zero fill the memory: read_small refuses both (as
        # OSErrors), and such a record counts as a tampered one.
        data = json.loads(read_small(path, MAX_LOCK_RECORD_BYTES).decode("utf-8"))
        return _Lock(int(data["wrong"]), float(data["until"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError):
        # A damaged record is a tampered one: it locks rather than frees.
        return _Lock(FREE_ATTEMPTS, time.time() + FIRST_LOCK_SECONDS)


class PinGuard:
    """Checks PINs typed on the staff pad, locking it for growing delays.

    :data:`FREE_ATTEMPTS` wrong PINs in a row lock the pad for
    :data:`FIRST_LOCK_SECONDS`, and every further wrong PIN doubles the lock,
    up to :data:`MAX_LOCK_SECONDS`. While locked, a PIN is
    not even checked (and does not count). A right PIN resets the count. With
    no usable PIN stored, nothing ever opens.

    With ``records`` (files in the app's state), the count and the lock are
    kept across restarts: each file gets the same record, and the most
    locked of them counts, so deleting one does not lift a lock-out (a
    missing one is logged as a warning). A record that cannot be read locks.
    """

    def __init__(self, stored: str, *, clock: Callable[[], float] = time.monotonic,
                 records: Sequence[Path] = ()) -> None:
        self._stored = stored
        self._clock = clock
        self._records = tuple(records)
        self._wrong = 0
        self._locked_until = 0.0
        self._restore()

    def _restore(self) -> None:
        found = {path: _read_lock(path) for path in self._records}
        locks = [lock for lock in found.values() if lock is not None]
        if not locks:
            return
        missing = [str(path) for path, lock in found.items() if lock is None]
        if missing:
            log.warning("PIN lock-out record missing: %s; using the copy",
                        ", ".join(missing))
        wrong = max(lock.wrong for lock in locks)
        # A clock set back must not lengthen a lock past the longest one.
        left = min(max(lock.until for lock in locks) - time.time(), MAX_LOCK_SECONDS)
        self._wrong = wrong
        if left > 0:
            self._locked_until = self._clock() + left
        if missing:
            self._save()

    def _save(self) -> None:
        if not self._records:
            return
        from taixin_kiosk.system.files import write_atomic

        text = json.dumps({"wrong": self._wrong,
                           "until": time.time() + self.locked_for()})
        for path in self._records:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, text, private=True)
            except OSError as error:
                log.warning("could not keep the PIN lock-out in %s: %s", path, error)

    @property
    def stored(self) -> str:
        """The hash this guard checks against."""
        return self._stored

    @property
    def pin_set(self) -> bool:
        return is_pin_hash(self._stored)

    @property
    def wrong_attempts(self) -> int:
        """Wrong PINs since the last right one."""
        return self._wrong

    def locked_for(self) -> float:
        """Seconds until the pad takes a PIN again; 0.0 when it takes one now."""
        return max(0.0, self._locked_until - self._clock())

    def attempt(self, pin: str) -> Outcome:
        if not self.pin_set:
            return "no_pin"
        if self.locked_for() > 0:
            return "locked"
        if verify_pin(pin, self._stored):
            if self._wrong:
                self._wrong = 0
                self._locked_until = 0.0
                self._save()
            return "ok"
        self._wrong += 1
        delay = lock_seconds(self._wrong)
        if delay:
            self._locked_until = self._clock() + delay
        self._save()
        return "wrong"
