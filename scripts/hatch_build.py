"""Hatch build hook: an editable install (`pip install -e .`) also answers `import hearth`.

The wheel installs the source folder `tui/` under Hearth's own name, `hearth` (issue 20). Hatch's
editable install can put the repository on the path, which gives `tui`, but cannot rename a folder
(a renaming `sources` entry is refused in dev mode). So for editable builds only, this adds a small
import hook that loads `hearth` from the source tree's `tui/__init__.py`: the `hearth` command then
runs the code being edited, and the tests keep importing `tui`. Ordinary wheels are not touched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FINDER = '''"""Editable Hearth: `import hearth` loads {init} (written by scripts/hatch_build.py)."""
import importlib.machinery
import importlib.util
import os
import sys

_INIT = {init!r}


class _HearthFromSource:
    """Answers only for the top-level name `hearth` (its submodules follow from its __path__), and
    only when no real `hearth` package is on the path: an installed wheel put first still wins."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname != "hearth" or not os.path.isfile(_INIT):
            return None
        found = importlib.machinery.PathFinder.find_spec(fullname)
        if found is not None and found.origin not in (None, "namespace"):
            return None
        return importlib.util.spec_from_file_location("hearth", _INIT)


if not any(type(f).__name__ == "_HearthFromSource" for f in sys.meta_path):
    sys.meta_path.insert(0, _HearthFromSource())
'''


class CustomBuildHook(BuildHookInterface):
    """Only for the editable wheel: adds `_hearth_editable.py` and the `.pth` line that imports it."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        init = Path(self.root, "tui", "__init__.py").resolve()
        self._tmp = Path(tempfile.mkdtemp(prefix="hearth-editable-"))
        (self._tmp / "_hearth_editable.py").write_text(FINDER.format(init=str(init)), encoding="utf-8")
        (self._tmp / "_hearth_editable.pth").write_text("import _hearth_editable\n", encoding="utf-8")
        # Replaces the wheel's force-include for this build: the decks are read from decks/ in place.
        build_data["force_include_editable"] = {
            str(self._tmp / "_hearth_editable.py"): "_hearth_editable.py",
            str(self._tmp / "_hearth_editable.pth"): "_hearth_editable.pth",
        }

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
