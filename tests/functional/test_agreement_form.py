"""The agreement form at 80x24 and 100x30, a new agreement's unsaved draft on the list, and who
is writing an edit (the person at the keyboard now, never guessed from an earlier version)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from tui.core.agreements import WRITING_RULE
from tui.screens.agreements.detail import AgreementDetailScreen
from tui.screens.agreements.editor import OWN, AgreementEditorScreen
from tui.screens.agreements.overview import AgreementsScreen
from tui.screens.shell.home import HomeScreen
from tui.store import agreements as store_ag

from tests.helpers import screen_text, wait_for


def lines(app) -> list[str]:
    """The screen's lines without spaces (the screenshot drops some between widgets)."""
    return [line.strip(" ▎▊│").replace(" ", "") for line in screen_text(app).splitlines()]


def whole(text: str) -> str:
    return text.replace(" ", "")


async def open_list(app, pilot):
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("3")
    await wait_for(pilot, lambda: isinstance(app.screen, AgreementsScreen))
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_form_fits_with_each_line_whole(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AgreementEditorScreen(None))
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        shown = lines(app)
        assert whole(WRITING_RULE) in shown  # the rule on one line, not wrapped
        assert whole("Written by Choose who is writing▼") in shown  # the writer's prompt on one line too
        app.screen.query_one("#category", Select).value = OWN  # the tallest form: own category, every message
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = lines(app)
        assert whole(WRITING_RULE) in shown
        assert any(line.startswith(whole("Save (ctrl+s)")) for line in shown)  # the buttons still on screen


async def test_an_unsaved_new_agreement_is_on_the_list_and_enter_goes_on(make_app, ready_store):
    store_ag.save_title_draft(ready_store, None, "Sunday walks")
    store_ag.save_editor_meta(ready_store, None, {"category": OWN, "own": "Our weekends"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        assert "✎ Not saved yet: Sunday walks" in screen_text(app)
        await pilot.press("enter")  # it is the first line, highlighted
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == "Sunday walks"
        assert app.screen.query_one("#own-category", Input).value == "Our weekends"  # kept with the draft too
        await pilot.press("escape", "escape")  # the question; Esc on it stays
        await pilot.pause()


async def test_an_edit_asks_who_is_writing_now(make_app, ready_store):
    a = store_ag.create(ready_store, 0, title="Phones away at meals", text="Face down.", kind="want",
                        category="conflict", review="monthly")
    store_ag.say_yes(ready_store, a.id, 0)
    store_ag.say_yes(ready_store, a.id, 1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AgreementDetailScreen(a.id))
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementDetailScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        assert app.screen.query_one("#writer", Select).is_blank()  # not Ana, who wrote it first
        assert "keeps their yes" not in AgreementEditorScreen.HELP  # the help says the rule the app follows
        app.screen.query_one("#writer", Select).value = 1
        app.screen.query_one("#title", Input).value = "Phones away at every meal"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementDetailScreen))
    b = store_ag.get(ready_store, a.id)
    assert b.versions[-1].author == 1 and b.consent == (False, False)


async def test_a_new_agreement_never_says_saved_before_it_is(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AgreementEditorScreen(None))
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        assert "Saved" not in screen_text(app)
        app.screen.query_one("#title", Input).value = "Sunday walks"
        app.screen.query_one("#category", Select).value = "conflict"
        await pilot.press("ctrl+s")  # no writer chosen yet
        await wait_for(pilot, lambda: "Please choose who is writing" in screen_text(app))
        assert "Saved" not in screen_text(app)
        assert store_ag.list_agreements(ready_store) == []


async def test_at_one_keyboard_the_writer_chosen_stays_for_the_session(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AgreementEditorScreen(None))
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        assert app.screen.query_one("#writer", Select).is_blank()  # asked the first time
        app.screen.query_one("#writer", Select).value = 1
        app.screen.query_one("#title", Input).value = "Sunday walks"
        app.screen.query_one("#category", Select).value = "conflict"
        app.screen.query_one("#text").insert("We walk on Sundays.")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, AgreementEditorScreen))
        [a] = store_ag.list_agreements(ready_store)
        app.push_screen(AgreementEditorScreen(a.id))  # the next edit, same session
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        assert app.screen.query_one("#writer", Select).value == 1
        assert "Choose who is writing" not in screen_text(app)
