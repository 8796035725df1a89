"""tests/decks.py: every test pack validates, and every known-bug mark names a
real test case (a stale entry would quietly mark nothing)."""

from __future__ import annotations

import ast
import re

import pytest

from decks import BUILTIN, DECKS, KNOWN_BUGS, ROOT, deck_dir


@pytest.mark.parametrize("deck", [d for d in DECKS if d != BUILTIN])
def test_every_test_pack_validates_with_three_languages(deck):
    from taixin_kiosk.content.validate import validate

    result = validate(deck_dir(deck))
    assert result.ok, [p.code for p in result.errors]
    assert result.pack is not None and len(result.pack.locales) >= 3


def test_known_bugs_name_parametrised_cases_of_real_tests():
    for node, reason in KNOWN_BUGS.items():
        match = re.fullmatch(r"(test_\w+\.py)::(test_\w+)\[([^\]]+)\]", node)
        assert match, node
        file, function, params = match.groups()
        tree = ast.parse((ROOT / "tests" / file).read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert function in names, node
        assert any(params == d or params.startswith(f"{d}-") for d in DECKS if d != BUILTIN),\
            f"{node}: marks no test pack's case"
        assert reason.strip(), node
