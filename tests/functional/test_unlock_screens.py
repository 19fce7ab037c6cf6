"""The unlock screen at start, Lock now and the idle lock, driven with Pilot."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input

from tui.app import HearthApp
from tui.core.partners import Couple
from tui.paths import shipped_decks_dir
from tui.screens.agreements.editor import AgreementEditorScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.onboarding import OnboardingScreen
from tui.screens.shell.unlock import UnlockScreen
from tui.store import Store
from tui.store.profile import save_couple, set_setting
from tui.widgets.draft_area import DraftArea

from tests.helpers import CHEAP_KDF as CHEAP, screen_text, type_text, wait_for

P1, P2 = "ana's own words", "sam's own words"


def encrypted_file(db_path: Path, clock, *, couple: bool = True) -> None:
    with Store.open(db_path, clock=clock, background=False) as s:
        if couple:
            save_couple(s, Couple.from_names("Ana", "Sam"))
        s.encrypt({"partner-1": P1, "partner-2": P2}, cost=CHEAP)


def locked_app(db_path: Path, clock) -> HearthApp:
    def opener(secret: str) -> Store:
        return Store.open(db_path, clock=clock, passphrase=secret)

    return HearthApp(None, [shipped_decks_dir()], clock=clock, opener=opener)


async def unlock(pilot, app, secret: str) -> None:
    await type_text(pilot, secret)
    await pilot.press("enter")


async def test_a_wrong_passphrase_says_so_changes_nothing_and_can_be_tried_again(db_path, clock):
    encrypted_file(db_path, clock)
    before = db_path.read_bytes()
    app = locked_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        field = app.screen.query_one("#passphrase", Input)
        assert field.password  # masked
        for _ in range(3):  # no limit of tries
            await unlock(pilot, app, "not the one")
            await wait_for(pilot, lambda: "did not open it" in screen_text(app))
            assert "not the one" not in screen_text(app)
        assert app.store is None and db_path.read_bytes() == before
        await pilot.press("ctrl+t", "ctrl+p")  # nothing of the couple's opens over it
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot, app, P2)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), tries=500)
        assert "Ana" in screen_text(app)
    app.store.close()


async def test_a_new_encrypted_file_goes_on_to_onboarding(db_path, clock):
    encrypted_file(db_path, clock, couple=False)
    app = locked_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock(pilot, app, P1)
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen), tries=500)
    app.store.close()


async def test_lock_now_covers_everything_and_keeps_the_draft(db_path, clock):
    encrypted_file(db_path, clock)
    app = locked_app(db_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock(pilot, app, P1)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), tries=500)
        await pilot.pause()
        app.push_screen(AgreementEditorScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen))
        await pilot.pause()
        app.screen.query_one("#text", DraftArea).focus()
        await type_text(pilot, "we keep sundays slow")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert "sundays" not in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, UnlockScreen)  # only a passphrase opens it
        await unlock(pilot, app, "wrong words")
        await wait_for(pilot, lambda: "did not open it" in screen_text(app))
        await unlock(pilot, app, P2)
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementEditorScreen), tries=500)
        assert "we keep sundays slow" in app.screen.query_one("#text", DraftArea).text
    app.store.close()


async def test_the_idle_lock_comes_after_the_chosen_minutes(db_path, clock, monkeypatch):
    encrypted_file(db_path, clock)
    with Store.open(db_path, clock=clock, background=False, passphrase=P1) as s:
        set_setting(s, "lock_minutes", 5)
    app = locked_app(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot, app, P1)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), tries=500)
        app._idle_check()
        assert isinstance(app.screen, HomeScreen)  # just typed
        app._last_input = time.monotonic() - 5 * 60 - 1
        app._idle_check()
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
    app.store.close()


async def test_settings_say_how_to_turn_it_on(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_settings()
        await pilot.pause()
        app.screen.query_one("#settings-body").scroll_end(animate=False)
        await pilot.pause(0.05)
        assert "Lock Hearth with passphrases" in screen_text(app)
        await pilot.press("ctrl+l")  # not encrypted: Lock says what it needs
        await pilot.pause()
        assert not isinstance(app.screen, UnlockScreen)
