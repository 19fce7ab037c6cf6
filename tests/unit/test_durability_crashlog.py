"""crash.log (issue 14, defect 8): 0600 in a 0700 folder, and no stored text in it."""

from __future__ import annotations

import os
import stat

from tui.app import write_crash_log
from tui.paths import data_dir


STORED = "what I " + "never told you"  # as read from the file: never in a source line


def _fail_with_private_words() -> BaseException:
    try:
        try:
            {"answer": 1}[STORED]
        except KeyError as exc:
            raise ValueError(f"secret: {STORED}") from exc
    except ValueError as exc:
        return exc


def test_the_crash_log_is_private_and_keeps_stored_text_out():
    folder = data_dir()
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    old = folder / "crash.log"
    old.write_text("an older report\n")
    os.chmod(old, 0o644)
    log = write_crash_log(_fail_with_private_words())
    assert log == old
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    text = log.read_text()
    assert "never told you" not in text
    assert "ValueError" in text and "KeyError" in text and "_fail_with_private_words" in text
    assert text.startswith("an older report\n")


def test_a_new_crash_log_in_a_new_folder_is_private():
    log = write_crash_log(_fail_with_private_words())
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
