"""Reading the couple's config file (config.toml): today, the keys they remapped.

The file is theirs to edit by hand, so nothing here ever writes it, and a mistake in it is a
message, never a reason not to start.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.keymap import parse_keymap

MAX_CONFIG_BYTES = 64 * 1024


@dataclass
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_config(path: Path) -> Config:
    """The usable part of `path`; a missing file is an empty config."""
    try:
        raw = path.read_bytes()[: MAX_CONFIG_BYTES + 1]
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        return Config(problems=[f"{path}: cannot be read ({exc.strerror or exc}); the default keys are used"])
    if len(raw) > MAX_CONFIG_BYTES:
        return Config(problems=[f"{path}: is larger than {MAX_CONFIG_BYTES // 1024} KiB; it was not read"])
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Config(problems=[f"{path}: is not UTF-8 text; it was not read"])
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        return Config(problems=[f"{path}: {exc}; it was not read, the default keys are used"])
    keys, problems = parse_keymap(data.get("keys"), str(path))
    return Config(keys=keys, problems=problems)
