"""How an install of a content pack says no: its problem codes, and the exception that stops it.

Shared by every step of an install (the archive copy, the store, the switch):
each raises ``Refusal`` with the problems that explain it, and ``install_pack``
returns them. Messages are ``cli.pack.problem.<code>`` in the catalogues.
"""

from __future__ import annotations

from taixin_kiosk.content.problems import INSTALL, Problem, problem

CODES: tuple[str, ...] = (
    "source_missing",
    "source_kind",
    "source_link",
    "source_special",
    "read_failed",
    "not_zip",
    "zip_directory_too_large",
    "zip_entry_corrupt",
    "zip_encrypted",
    "zip_method",
    "zip_link",
    "zip_special",
    "zip_duplicate",
    "zip_case_collision",
    "zip_file_folder",
    "zip_ratio",
    "zip_size_mismatch",
    "zip_no_deck",
    "name_absolute",
    "name_drive",
    "name_backslash",
    "name_parent",
    "name_invalid",
    "too_many",
    "too_many_entries",
    "too_large",
    "write_failed",
    "check_failed",
    "busy",
    "no_previous",
    "internal_error",
)


def install_problem(file: str, code: str, **params: object) -> Problem:
    """A problem with the install itself (the source, the zip file, the disk)
    rather than with the pack's content: ``cli.pack.problem.<code>``, printed
    as ``FILE: message``; ``file`` is the source or the packs folder."""
    return problem(INSTALL, file, code, **params)


class Refusal(Exception):
    """Stops an install; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(len(problems))
        self.problems = problems


def reason(error: BaseException) -> str:
    """What went wrong, in one short line for a message."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = " ".join(str(error).split())
    return text[:200] if text else type(error).__name__
