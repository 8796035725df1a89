"""app/qt_first.py: PySide6's __feature__ import hook no longer reads each
module's source at start-up, and features still work per module."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT

CHECK = textwrap.dedent("""
    import sys
    import taixin_kiosk.app.root  # the composition root loads app.qt_first first
    feature = sys.modules["shibokensupport.feature"]
    read = []
    import inspect
    original = inspect.getsource
    def getsource(obj):
        read.append(getattr(obj, "__name__", "?"))
        return original(obj)
    inspect.getsource = getsource
    sys.path.insert(0, sys.argv[1])
    import camel, plain
    print(feature.feature_imported.__module__)
    print({name: feature.pyside_feature_dict.get(name) for name in ("camel", "plain")})
    print(read)
    # (The first "from __feature__ import" reads every module PySide has not
    # entered yet, as it always did.)
    import snakey
    print(snakey.name(), camel.name())
""")


def test_later_imports_are_not_read_and_features_still_switch(tmp_path: Path) -> None:
    (tmp_path / "snakey.py").write_text(
        "from __feature__ import snake_case\nfrom PySide6.QtCore import QObject\n\n"
        "def name():\n    o = QObject()\n    o.set_object_name('snake')\n"
        "    return o.object_name()\n", encoding="utf-8")
    (tmp_path / "camel.py").write_text(
        "from PySide6.QtCore import QObject\n\n"
        "def name():\n    o = QObject()\n    o.setObjectName('camel')\n"
        "    return o.objectName()\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    path = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(path)}
    result = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    module, entered, read, names = result.stdout.splitlines()
    # The hook is ours: each module is entered without its source being read...
    assert module == "taixin_kiosk.app.qt_first"
    # (PySide's own hook enters a module that does not mention PySide6 as -1.)
    assert entered == "{'camel': 0, 'plain': 0}"
    assert read == "[]"
    # ...and a module that selects snake_case gets it, beside one that does not.
    assert names == "snake camel"
