"""Every setting, declared once: what the config file, the command line and a
running session all read.

Each field of :class:`Settings` is one setting: its type, its default, and in
its ``Annotated`` metadata (an :class:`Option`) how a value is checked and
where it may be given (the config file, a command-line option). The config file's
options (:data:`OPTIONS`), the command line's (``cli.parser``), the
effective configuration (``config.load.Config``) and the session all come
from here, so nothing is kept in step by hand. Each setting's one-line
description is ``config.option.<name>`` in the catalogues, and
``docs/configuration.md`` lists them (a test compares the two).

No ``from __future__ import annotations`` here: the annotations are read at
import, as objects, without evaluating strings at every start.
"""

import types
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, TypeAlias, get_args, get_origin

from taixin_kiosk.config.hours import OpeningHours

Kind = Literal["bool", "int", "float", "str", "choice", "path", "hours"]
# Extra checks on a str setting's form.
Form = Literal["locale", "pin_hash", "address", "clock"]
Value: TypeAlias = bool | int | float | str | Path | OpeningHours | None


class Option(NamedTuple):
    """One setting as the config file and the command line see it.

    In :class:`Settings` a field's ``Annotated`` metadata gives only what its
    type and default do not say (limits, choices, form, where it may be
    given); the name, kind, default and whether it may be unset (``optional``:
    absent, or ``""`` in the file) are filled in from the field itself.
    """

    name: str = ""
    kind: Kind = "str"
    default: Value = None
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    form: Form | None = None
    # False: only for one run (given on the command line, never in the file).
    in_file: bool = True
    # The command line's option for it, if it has one. A bool option takes no
    # value: given, it sets the setting to ``flag_value``.
    flag: str | None = None
    flag_value: bool = True
    metavar: str | None = None
    # What a wrong value in the file means, when not the default: the locked
    # choice (a kiosk that gets `kiosk = "yes"` stays a kiosk).
    locked: bool | None = None

    @property
    def description_key(self) -> str:
        return f"config.option.{self.name}"

    @property
    def help_key(self) -> str:
        """The command-line help of its option: ``cli.help.<flag>``."""
        flag = (self.flag or self.name).lstrip("-").replace("-", "_")
        return f"cli.help.{flag}"

    @property
    def secret(self) -> bool:
        """Never shown: not its value, not even a wrong one (it may be a plain PIN)."""
        return self.form == "pin_hash"

    @property
    def type_code(self) -> str:
        """The problem code for a value of the wrong type."""
        return f"type_{self.kind}_optional" if self.optional else f"type_{self.kind}"



class Settings(NamedTuple):
    kiosk: Annotated[bool, Option(flag="--kiosk", locked=True)] = False
    windowed: Annotated[bool, Option(flag="--windowed")] = False
    locale: Annotated[str | None, Option(form="locale", flag="--lang", metavar="LOCALE")] = None
    content: Annotated[Path | None, Option(flag="--content", metavar="DIR")] = None
    screen: Annotated[int | None, Option(minimum=0, flag="--screen", metavar="N")] = None
    motion: Annotated[bool, Option(flag="--no-motion", flag_value=False)] = True
    # Transition length; capped at 300 ms.
    transition_ms: Annotated[int, Option(minimum=0, maximum=300)] = 220
    # A swipe must travel this far (converted with the screen's DPI).
    swipe_mm: Annotated[float, Option(minimum=3.0, maximum=60.0)] = 12.0
    # Kiosk mode: idle reset and the attract loop.
    idle_seconds: Annotated[int, Option(minimum=10, maximum=86400)] = 90
    attract_seconds: Annotated[int, Option(minimum=5, maximum=86400)] = 60
    attract_advance_seconds: Annotated[int, Option(minimum=3, maximum=600)] = 8
    attract_alternate_languages: bool = True
    # Kiosk mode: the hidden staff gesture.
    staff_corner: Annotated[str, Option(choices=("top-left", "top-right", "bottom-left",
                                              "bottom-right"))] = "top-left"
    staff_hold_seconds: Annotated[float, Option(minimum=1.0, maximum=30.0)] = 3.0
    # The staff PIN's salted hash ("" = no PIN set); never the PIN itself.
    pin: Annotated[str, Option(form="pin_hash")] = ""
    keep_awake: bool = True
    # Kiosk mode: when the hall is open (config.hours; not set: always), and
    # a time of day for a planned restart ("04:00"; not set: none).
    opening_hours: OpeningHours | None = None
    daily_restart: Annotated[str | None, Option(form="clock")] = None
    stats_retention_days: Annotated[int, Option(minimum=1, maximum=3650)] = 365
    # The signed content channel (docs/fleet.md): the repository's address
    # (https://, http:// or file://), which of its channels, and how often a
    # running kiosk looks for a new publication.
    channel_url: str | None = None
    channel: str = "stable"
    channel_poll_minutes: Annotated[int, Option(minimum=1, maximum=1440)] = 15
    # Monitoring (docs/fleet.md): the Prometheus metrics endpoint, off unless
    # set; `metrics = true` alone serves it on 127.0.0.1:9464 (this machine only).
    metrics: bool = False
    metrics_address: Annotated[str | None, Option(form="address")] = None
    log_level: Annotated[str, Option(choices=("DEBUG", "INFO", "WARNING", "ERROR"))] = "INFO"
    # Presenter mode: audience window and presenter console.
    present: Annotated[bool, Option(flag="--present")] = False
    # The presenter's language (notes and console), or the deck's default.
    notes_locale: Annotated[str | None, Option(form="locale", flag="--notes-lang",
                                            metavar="LOCALE")] = None
    # The talk's target without a tour, shared evenly over the slides.
    talk_minutes: Annotated[int, Option(minimum=1, maximum=600, flag="--minutes",
                                     metavar="N")] = 10
    # Accessibility defaults: what the audience window starts with and returns
    # to at every idle reset (visitors change them on screen).
    large_text: bool = False
    # "auto" (the system's high-contrast preference), "standard" or "high".
    contrast: Annotated[str, Option(choices=("auto", "standard", "high"))] = "auto"
    # "auto" (on for screens taller than wide), "on" or "off".
    low_reach: Annotated[str, Option(choices=("auto", "on", "off"))] = "auto"
    # For one run only. A tour of the deck (its id): next and previous step
    # through its slides.
    tour: Annotated[str | None, Option(in_file=False, flag="--tour", metavar="ID")] = None
    # Audience and console trade their usual screens (remembered per screen set).
    swap: Annotated[bool, Option(in_file=False, flag="--swap")] = False
    # For one run only, for an editor: load the --content pack again whenever
    # one of its files is saved, and show its problems while it is broken.
    watch: Annotated[bool, Option(in_file=False, flag="--watch")] = False


_KINDS: dict[type, Kind] = {bool: "bool", int: "int", float: "float", str: "str", Path: "path",
                            OpeningHours: "hours"}


def _option(name: str, hint: object, default: Value) -> Option:
    given = Option()
    if get_origin(hint) is Annotated:
        hint, *extras = get_args(hint)
        given = next((e for e in extras if isinstance(e, Option)), given)
    optional = isinstance(hint, types.UnionType) and type(None) in get_args(hint)
    if optional:
        hint = next(a for a in get_args(hint) if a is not type(None))
    assert isinstance(hint, type) and hint in _KINDS, f"{name}: unsupported type {hint!r}"
    kind: Kind = "choice" if given.choices else _KINDS[hint]
    return given._replace(name=name, kind=kind, default=default, optional=optional)


# Every setting, in the order of Settings.
SETTINGS: tuple[Option, ...] = tuple(
    _option(name, Settings.__annotations__[name], Settings._field_defaults[name])
    for name in Settings._fields)
SETTINGS_BY_NAME: dict[str, Option] = {o.name: o for o in SETTINGS}
# The config file's options.
OPTIONS: tuple[Option, ...] = tuple(o for o in SETTINGS if o.in_file)
OPTIONS_BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
# The command line's options that set a setting.
FLAGS: tuple[Option, ...] = tuple(o for o in SETTINGS if o.flag)
