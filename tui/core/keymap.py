"""Which keys a couple may remap, and checking a keymap read from their config file.

Every remappable binding has an id (Textual's `Binding(id=...)`); the config file maps ids to
keys. A mistake in the file is reported and that one entry ignored: Hearth always starts, with
the default key wherever the file cannot be used.
"""

from __future__ import annotations

import re
from typing import Any

#: id -> what the key does. Screens give their bindings these ids; a test keeps the two in step.
KEY_IDS: dict[str, str] = {
    "help": "help for the current screen (F1)",
    "pause": "take a time-out, from anywhere (ctrl+t)",
    "quit": "quit Hearth; what you typed is kept (ctrl+q)",
    "lock": "lock now, when Hearth is encrypted (ctrl+l)",
    "home.round": "home: open a question round (1)",
    "home.pause": "home: open pause & repair (2)",
    "home.agreements": "home: open agreements (3)",
    "home.reflection": "home: open the weekly reflection (4)",
    "home.history": "home: open History (h)",
    "home.settings": "home: open settings (s)",
}

#: One key as Textual names it: letters, digits, and names like ctrl+t, f5, question_mark.
KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*[a-z0-9_]+$|^[^\s,]$")
#: Keys that are Hearth's own promises and never change: typing in a text box must type.
RESERVED = {"escape", "enter", "tab", "shift+tab", "space", "backspace"}


def parse_keymap(raw: Any, where: str) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a `[keys]` table, and a message for each one that is not.

    `where` names the file, so a message says where to look."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{where}: [keys] must be a table of id = \"key\" lines; the default keys are used"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in raw.items():
        if binding_id not in KEY_IDS:
            problems.append(f"{where}: [keys] has no key called '{binding_id}'; the ids are listed in the README")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: [keys] {binding_id} must be a key in quotes, such as \"ctrl+t\"")
            continue
        keys = [k.strip().lower() for k in value.split(",") if k.strip()]
        bad = [k for k in keys if not KEY.match(k) or k in RESERVED]
        if bad or not keys:
            problems.append(f"{where}: [keys] {binding_id} = {value!r} is not a key Hearth can use; the default is kept")
            continue
        keymap[binding_id] = ",".join(keys)
    return keymap, problems

