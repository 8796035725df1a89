"""PySide6 loaded before the app's own Qt modules, with its import hook made cheap.

Once PySide6 is loaded, every later import passes through its ``__feature__``
hook (``shibokensupport.feature.feature_imported``), which reads the source
of each new module to see whether it mentions PySide6 (``inspect.getsource``),
so that ``from __feature__ import snake_case`` can be switched per module.
The app never selects a feature, yet that reading cost the first slide
about 8 ms of its 50 ms over a bare window (the ~40 modules it imports after
PySide6). Here every module imported later is entered as PySide's default,
"uses PySide6, no feature selected" (0), without reading its source: the
same selection a module that does use PySide6 gets, and a module that does
``from __feature__ import ...`` still gets its features (that import sets
its entry itself). Checked on PySide6 6.11 (pyproject pins it below 6.12):
where the hook is not there as this expects, nothing is changed, and
tests/test_qt_first.py fails where a PySide6 no longer calls it so.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401  (loads shiboken and its hook)


def _no_source_scan() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if feature is None or not isinstance(table, dict) \
            or not callable(getattr(feature, "feature_imported", None)):
        return

    def feature_imported(module: ModuleType) -> None:
        name = getattr(module, "__name__", None)
        if isinstance(name, str) and name not in table:
            table[name] = 0

    feature.feature_imported = feature_imported  # type: ignore[attr-defined]


_no_source_scan()
