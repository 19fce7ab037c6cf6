"""Hearth's commands in the palette (ctrl+p): each does what its key does, and says the key."""

from __future__ import annotations

import json

from textual.command import CommandPalette
from textual.widgets import Input

from tui.store.export import export_folder

from tests.helpers import screen_text, type_text, wait_for


async def open_palette(pilot, app, words: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await type_text(pilot, words)


async def test_the_palette_lists_hearths_commands_with_their_keys(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "Open Agreements  (3)" in screen_text(app))
        assert "Open Question round  (1)" in screen_text(app)
        await type_text(pilot, "time")
        await wait_for(pilot, lambda: "Take a time-out  (ctrl+t)" in screen_text(app))


async def test_an_activity_opens_from_the_palette(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_palette(pilot, app, "agreem")
        await wait_for(pilot, lambda: "Open Agreements" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AgreementsScreen")


async def test_search_history_opens_history_with_the_search_box_ready(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_palette(pilot, app, "search")
        await wait_for(pilot, lambda: "Search History" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "search")
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_export_writes_the_whole_database_to_a_private_file(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_palette(pilot, app, "export")
        await wait_for(pilot, lambda: "Export everything" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(n.title == "Exported" for n in app._notifications), tries=500)
    (path,) = export_folder(ready_store).iterdir()
    assert path.stat().st_mode & 0o777 == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "hearth-export" and "profile" in data["tables"]


async def test_the_palette_offers_no_screenshot_and_speaks_hearths_words(make_app):
    """A screenshot from the palette would write a private answer on screen to a file."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_palette(pilot, app, "screensh")
        await pilot.pause()
        assert "Save an SVG" not in screen_text(app)
        screen = app.screen
        commands = [c.title for c in app.get_system_commands(screen)]
        assert commands == ["Theme", "Keys", "Quit"]
        screen.query_one(Input).value = "quit"
        await wait_for(pilot, lambda: "everything written is kept" in screen_text(app))
        assert "as soon as possible" not in screen_text(app)
