"""Hearth's own commands in the command palette (ctrl+p), each with the key that does the same.

The palette is a second way to every activity and the few app-wide actions, for someone who
has forgotten a key; it never does anything the keys cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ... import activities


@dataclass(frozen=True)
class Command:
    title: str
    help: str
    key: str
    run: Callable[[], object]


def app_key(screen: Any, action: str, fallback: str) -> str:
    """The key in force for an app-wide action on `screen` (a remapped one too), e.g. "ctrl+t"."""
    for key, active in screen.active_bindings.items():
        if active.node is screen.app and active.binding.action.removeprefix("app.") == action:
            return key.upper() if key[:1] == "f" and key[1:].isdigit() else key
    return fallback


def commands(screen: Any) -> list[Command]:
    """Every command the palette offers over `screen` (activities only once the couple is known)."""
    app = screen.app
    keys = getattr(app, "keymap_keys", {})
    found: list[Command] = []
    if app.couple is not None:
        for activity in activities.available():
            found.append(Command(f"Open {activity.title}", activity.blurb,
                                 keys.get(activity.binding_id, activity.key).split(",")[0],
                                 partial(app.open_from_palette, activity.key)))
        found.append(Command("Take a time-out", "Start a pause, or go back to the one that is on.",
                             app_key(screen, "pause", "ctrl+t"), app.action_pause))
        if activities.by_key("h") is not None:
            found.append(Command("Search History", "Find words in any answer, guess or note of your rounds.", "h then /",
                                 app.search_history))
        found.append(Command("Export everything", "The whole database as JSON, in a file beside it that only you can read.",
                             "", app.export_everything))
        found.append(Command("Settings", "Names, colours, pause words, bell, theme.", keys.get("home.settings", "s"), app.open_settings))
    if app.store is not None and app.store.encrypted:
        found.append(Command("Lock now", "Cover Hearth until a passphrase opens it again; what is open stays as it is.",
                             app_key(screen, "lock", "ctrl+l"), app.action_lock))
    found.append(Command("Help for this screen", "Its keys and how it works.", app_key(screen, "help", "F1"),
                         app.action_help))
    return found


class HearthCommands(Provider):
    """Activities, time-out, search, export and settings; Textual's own provider adds themes and quit."""

    def _hit_text(self, command: Command) -> str:
        return f"{command.title}  ({command.key})" if command.key else command.title

    async def discover(self) -> Hits:
        for command in commands(self.screen):
            yield DiscoveryHit(self._hit_text(command), command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands(self.screen):
            text = self._hit_text(command)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command.run, help=command.help)
