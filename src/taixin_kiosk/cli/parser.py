"""The command line's grammar: the presentation's options and the commands.

The options that set a setting come from its one declaration
(``config.settings``); the rest are the commands' own.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import taixin_kiosk
from taixin_kiosk.config.settings import FLAGS
from taixin_kiosk.content.catalogue import Catalogue

SIZE_RE = re.compile(r"^(\d{1,5})[xX×](\d{1,5})$")
# Smaller than this nothing is legible; larger, Qt cannot allocate the image.
MIN_SIDE, MAX_SIDE = 320, 8192


def _size_parser(cat: Catalogue) -> Callable[[str], tuple[int, int]]:
    def parse(text: str) -> tuple[int, int]:
        match = SIZE_RE.match(text.strip())
        width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise argparse.ArgumentTypeError(
                cat.text("cli.error.size", size=text, min=MIN_SIDE, max=MAX_SIDE))
        return width, height

    return parse


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: the lookup slows every start."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"{parser.prog} {taixin_kiosk.__version__}")
        parser.exit()



# What a launch without arguments means: the parser's defaults, and the
# namespace main() uses without building a parser at all (it costs ~3 ms).
# A setting's option defaults to None ("not given": the config file decides).
DEFAULTS: dict[str, object] = {
    "version": None, "supervise": False, "home": None, "self_test": None, "command": None,
    **{option.name: None for option in FLAGS},
}
_ARGUMENT_TYPES: dict[str, Callable[[str], object]] = {"int": int, "float": float,
                                                        "path": Path}


def given_settings(args: argparse.Namespace) -> dict[str, object]:
    """The settings the command line gives (None: not given)."""
    given = {option.name: getattr(args, option.name, None) for option in FLAGS}
    if given.get("swap"):
        # Swapping the screens is for a talk: --swap alone means --present --swap.
        given["present"] = True
    return given


def _setting_options(p: argparse.ArgumentParser, cat: Catalogue, *,
                     suppress: bool = False) -> None:
    """The options that set a setting (``config.settings``), on ``p``;
    ``suppress``: an option not given leaves the namespace alone."""
    t = cat.text
    default: object = argparse.SUPPRESS if suppress else None
    for option in FLAGS:
        # A setting given here wins over the config file (None: not given).
        assert option.flag is not None
        if option.kind == "bool":
            p.add_argument(option.flag, dest=option.name, action="store_const",
                           const=option.flag_value, default=default, help=t(option.help_key))
        else:
            p.add_argument(option.flag, dest=option.name, metavar=option.metavar,
                           type=_ARGUMENT_TYPES.get(option.kind, str), default=default,
                           help=t(option.help_key))


def parser(cat: Catalogue) -> argparse.ArgumentParser:
    """The command line, with its subcommands.

    An option that means the same before and after a command is accepted in
    both places (``install-pack DIR --home X`` as ``--home X install-pack
    DIR``): the commands repeat it with ``SUPPRESS`` as default, so one given
    before the command is not overwritten by the command's default.
    """
    t = cat.text
    p = argparse.ArgumentParser(prog="taixin-kiosk", description=t("cli.description"))
    p.add_argument("--version", action=_VersionAction, help=t("cli.help.version"))
    _setting_options(p, cat)
    p.add_argument("--supervise", action="store_true", help=t("cli.help.supervise"))
    p.add_argument("--home", metavar="DIR", type=Path, help=t("cli.help.home"))
    p.add_argument("--self-test", metavar="REPORT", type=Path, help=t("cli.help.self_test"))
    p.set_defaults(**DEFAULTS)
    # Every command takes --home after it too.
    home = argparse.ArgumentParser(add_help=False)
    home.add_argument("--home", metavar="DIR", type=Path, default=argparse.SUPPRESS,
                      help=t("cli.help.home"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    v = sub.add_parser("validate", help=t("cli.help.validate"),
                       description=t("cli.help.validate"), parents=[home])
    v.add_argument("dir", nargs="?", type=Path, metavar="DIR", help=t("cli.help.validate_dir"))
    v.add_argument("--content", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                   help=t("cli.help.content"))
    e = sub.add_parser("export", help=t("cli.help.export"), description=t("cli.help.export"),
                       parents=[home])
    e.add_argument("--out", required=True, type=Path, metavar="DIR", help=t("cli.help.out"))
    e.add_argument("--lang", dest="export_lang", default="all", metavar="LOCALE|all",
                   help=t("cli.help.export_lang"))
    e.add_argument("--size", default=(1920, 1080), type=_size_parser(cat), metavar="WxH",
                   help=t("cli.help.size"))
    # SUPPRESS: without it the subcommand's default would overwrite a
    # --content given before the subcommand.
    e.add_argument("--content", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                   help=t("cli.help.content"))
    e.add_argument("--pdf", action="store_true", help=t("cli.help.pdf"))
    e.add_argument("--notes", action="store_true", help=t("cli.help.notes"))
    e.add_argument("--side-by-side", action="store_true", help=t("cli.help.side_by_side"))
    e.add_argument("--pair", metavar="A,B", help=t("cli.help.pair"))
    e.add_argument("--large-text", action="store_true", help=t("cli.help.export_large_text"))
    e.add_argument("--high-contrast", action="store_true",
                   help=t("cli.help.export_high_contrast"))
    e.add_argument("--print", dest="print_theme", action="store_true",
                   help=t("cli.help.export_print"))
    e.add_argument("--chrome", action="store_true", help=t("cli.help.export_chrome"))
    e.add_argument("--contact-sheet", action="store_true",
                   help=t("cli.help.export_contact_sheet"))
    config = sub.add_parser("config", help=t("cli.config.help"),
                            description=t("cli.config.help"), parents=[home])
    # config shows what the settings would be with these options.
    _setting_options(config, cat, suppress=True)
    pin = sub.add_parser("set-pin", help=t("cli.pin.help"), description=t("cli.pin.help"),
                         parents=[home])
    pin.add_argument("--clear", action="store_true", help=t("cli.pin.help_clear"))
    from taixin_kiosk.stats.commands import since_parser

    st = sub.add_parser("stats", help=t("cli.stats.help.command"),
                        description=t("cli.stats.help.command"), parents=[home])
    st.add_argument("--since", type=since_parser(cat), metavar="DATE",
                    help=t("cli.stats.help.since"))
    st.add_argument("--csv", type=Path, metavar="FILE", help=t("cli.stats.help.csv"))
    ip = sub.add_parser("install-pack", help=t("cli.pack.help.install"),
                        description=t("cli.pack.help.install"), parents=[home])
    ip.add_argument("source", type=Path, metavar="DIR|ZIP", help=t("cli.pack.help.source"))
    back = sub.add_parser("rollback-pack", help=t("cli.pack.help.rollback"),
                          description=t("cli.pack.help.rollback"), parents=[home])
    back.add_argument("--builtin", action="store_true", help=t("cli.pack.help.builtin"))
    sub.add_parser("list-packs", help=t("cli.pack.help.list"), description=t("cli.pack.help.list"),
                   parents=[home])
    new = sub.add_parser("new-pack", help=t("cli.help.new_pack"),
                         description=t("cli.help.new_pack"), parents=[home])
    new.add_argument("new_dir", type=Path, metavar="DIR", help=t("cli.help.new_pack_dir"))
    new.add_argument("--langs", default="en,zh-CN", metavar="LOCALES", help=t("cli.help.langs"))
    _channel_commands(sub, home, cat)
    ia = sub.add_parser("install-autostart", help=t("cli.autostart.help.install"),
                        description=t("cli.autostart.help.install"), parents=[home])
    ia.add_argument("--systemd", action="store_true", help=t("cli.autostart.help.systemd"))
    sub.add_parser("uninstall-autostart", help=t("cli.autostart.help.uninstall"),
                   description=t("cli.autostart.help.uninstall"), parents=[home])
    return p


def _channel_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      home: argparse.ArgumentParser, cat: Catalogue) -> None:
    """``channel init|publish|root|refresh|status`` (the publisher's), ``channel join``
    and ``sync`` (a kiosk's)."""
    t = cat.text
    ch = sub.add_parser("channel", help=t("cli.channel.help.command"),
                        description=t("cli.channel.help.command"))
    actions = ch.add_subparsers(dest="channel_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help=t("cli.channel.help.init"),
                              description=t("cli.channel.help.init"), parents=[home])
    init.add_argument("repo", type=Path, metavar="REPO", help=t("cli.channel.help.repo"))
    init.add_argument("--root-key", dest="root_keys", type=Path, metavar="DIR",
                      help=t("cli.channel.help.root_key"))
    pub = actions.add_parser("publish", help=t("cli.channel.help.publish"),
                             description=t("cli.channel.help.publish"), parents=[home])
    pub.add_argument("pack", type=Path, metavar="PACK", help=t("cli.pack.help.source"))
    pub.add_argument("--repo", required=True, type=Path, metavar="REPO",
                     help=t("cli.channel.help.repo"))
    pub.add_argument("--channel", dest="publish_channel", default="stable", metavar="NAME",
                     help=t("cli.channel.help.channel"))
    root = actions.add_parser("root", help=t("cli.channel.help.root"),
                              description=t("cli.channel.help.root"), parents=[home])
    root.add_argument("repo", type=Path, metavar="REPO", help=t("cli.channel.help.repo"))
    root.add_argument("--root-key", dest="root_keys", required=True, type=Path, metavar="DIR",
                      help=t("cli.channel.help.root_key_use"))
    root.add_argument("--new-keys", action="store_true", help=t("cli.channel.help.new_keys"))
    root.add_argument("--new-root-key", dest="new_root_keys", type=Path, metavar="DIR",
                      help=t("cli.channel.help.new_root_key"))
    join = actions.add_parser("join", help=t("cli.channel.help.join"),
                              description=t("cli.channel.help.join"), parents=[home])
    join.add_argument("url", metavar="URL", help=t("cli.channel.help.url"))
    join.add_argument("--root", dest="join_root", required=True, type=Path, metavar="FILE",
                      help=t("cli.channel.help.join_root"))
    join.add_argument("--channel", dest="join_channel", default="stable", metavar="NAME",
                      help=t("cli.channel.help.join_channel"))
    for action in ("refresh", "status"):
        one = actions.add_parser(action, help=t(f"cli.channel.help.{action}"),
                                 description=t(f"cli.channel.help.{action}"), parents=[home])
        one.add_argument("repo", type=Path, metavar="REPO", help=t("cli.channel.help.repo"))
    sub.add_parser("sync", help=t("cli.channel.help.sync"), description=t("cli.channel.help.sync"),
                   parents=[home])
