"""Encryption from Settings (tui/screens/shell/encryption.py): turning it on with one or two
passphrases, the recovery code shown once, changing a passphrase, a new code or none, turning it
off; each checked by opening the file again with the store's own functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, RadioButton

from tui.app import HearthApp
from tui.core.partners import Couple
from tui.paths import shipped_decks_dir
from tui.screens.shell.encryption import EncryptionScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.settings import SettingsScreen
from tui.screens.shell.unlock import UnlockScreen
from tui.store import Store, crypto
from tui.store.errors import LockedError, WrongPassphraseError
from tui.store.profile import save_couple, set_setting, setting
from tui.widgets.toggles import MarkedCheckbox

from tests.helpers import screen_text, type_text, wait_for

P1, P2 = "ana's own words", "sam's own words"


pytestmark = pytest.mark.usefixtures("cheap_kdf")


def opens(path: Path, secret: str | None) -> bool:
    """Whether `secret` opens the file, asked of the store as a fresh start would."""
    try:
        Store.open(path, background=False, passphrase=secret).close()
    except (WrongPassphraseError, LockedError):
        return False
    return True


def plain_file(db_path: Path, clock) -> None:
    with Store.open(db_path, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))


def encrypted_file(db_path: Path, clock) -> str:
    """Encrypted with both passphrases; the recovery code."""
    with Store.open(db_path, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
        set_setting(s, "lock_minutes", 10)
        return s.encrypt({"partner-1": P1, "partner-2": P2}) or ""


def app_on(db_path: Path, clock, secret: str | None = None) -> HearthApp:
    store = Store.open(db_path, clock=clock, passphrase=secret)
    return HearthApp(store, [shipped_decks_dir()], clock=clock)


async def open_part(pilot, app, button: str) -> EncryptionScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await pilot.pause()
    app.screen.query_one(f"#{button}", Button).press()
    await wait_for(pilot, lambda: isinstance(app.screen, EncryptionScreen) and app.screen.step != "")
    await pilot.pause()
    return app.screen


async def type_twice(pilot, app, first: str, again: str | None = None) -> None:
    app.screen.query_one("#new", Input).focus()
    await type_text(pilot, first)
    await pilot.press("enter")  # to the second field
    await type_text(pilot, first if again is None else again)
    await pilot.press("enter")
    await pilot.pause()


async def until_step(pilot, app, step: str) -> None:
    await wait_for(pilot, lambda: getattr(app.screen, "step", None) == step and not app.screen._busy, tries=1000)
    await pilot.pause()


async def test_turning_it_on_with_both_passphrases_shows_the_code_once(db_path, clock):
    plain_file(db_path, clock)
    app = app_on(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-on")
        assert screen.step == "partner-0" and "Ana, choose a passphrase" in screen_text(app)
        assert screen.query_one("#new", Input).password and screen.query_one("#again", Input).password
        await type_twice(pilot, app, P1)
        await until_step(pilot, app, "partner-1")
        assert P1 not in screen_text(app)
        await type_twice(pilot, app, P2)
        await until_step(pilot, app, "recovery")
        assert "Hearth included, can recover it" in screen_text(app)
        screen.query_one("#go", Button).press()
        await until_step(pilot, app, "code")
        code = str(screen.query_one("#code").render()).strip()
        assert crypto.normalize_code(code) and "shown this once" in screen_text(app)
        assert "Hearth included, can recover it" in screen_text(app)
        await pilot.press("escape")  # not before it is written down
        await pilot.pause()
        assert isinstance(app.screen, EncryptionScreen) and "tick the box" in screen_text(app)
        screen.query_one("#code-written", MarkedCheckbox).value = True
        screen.query_one("#done", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        assert app.store.encrypted and sorted(app.store.slots()) == ["partner-1", "partner-2", "recovery"]
        words = str(app.screen.query_one("#encryption").render())
        assert "Encryption is on" in words and "Sam's passphrase" in words and "recovery code" in words
        assert app.screen.query("#lock-minutes") and app.screen.query("#crypt-change")
        await pilot.press("escape")  # the new field is not "a change": Settings leaves at once
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not any(P1 in n.message or P2 in n.message for n in app._notifications)
    app.store.close()
    assert not opens(db_path, None)
    assert opens(db_path, P1) and opens(db_path, P2) and opens(db_path, code.lower())
    assert not opens(db_path, "not the one")
    for found in db_path.parent.iterdir():  # passphrases are written nowhere
        if found.is_file():
            raw = found.read_bytes()
            assert P1.encode() not in raw and P2.encode() not in raw and b"Ana" not in raw


async def test_turning_it_on_with_one_passphrase_and_no_code(db_path, clock):
    plain_file(db_path, clock)
    app = app_on(db_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_part(pilot, app, "crypt-on")
        await type_twice(pilot, app, P1)
        await until_step(pilot, app, "partner-1")
        screen.query_one("#later", Button).press()
        await until_step(pilot, app, "recovery")
        screen.query_one("#no-code", RadioButton).value = True
        screen.query_one("#go", Button).press()
        await until_step(pilot, app, "code")
        text = screen_text(app)
        assert "no recovery code" in text and "Sam can add a passphrase" in text
        assert not screen.query("#code")
        await pilot.press("escape")  # nothing to write down: Esc leaves
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert app.store.slots() == ["partner-1"]
    app.store.close()
    assert opens(db_path, P1) and not opens(db_path, P2)


async def test_short_and_mismatched_typing_is_said_and_nothing_else_is_lost(db_path, clock):
    plain_file(db_path, clock)
    before = db_path.read_bytes()
    app = app_on(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-on")
        await type_twice(pilot, app, "short")
        assert "at least 8 characters" in screen_text(app) and screen.step == "partner-0"
        assert screen.query_one("#new", Input).value == "" and screen.query_one("#again", Input).value == ""
        await type_twice(pilot, app, P1)
        await until_step(pilot, app, "partner-1")
        await type_twice(pilot, app, P2, "sam's own wordz")
        assert "did not match" in screen_text(app) and screen.step == "partner-1"
        await type_twice(pilot, app, P1)  # the same as Ana's
        assert "the same as Ana's" in screen_text(app) and screen.step == "partner-1"
        await type_twice(pilot, app, P2)
        await until_step(pilot, app, "recovery")
        assert screen._given == {"partner-1": P1, "partner-2": P2}  # Ana's was kept throughout
        await pilot.press("escape")  # Esc mid-way changes nothing, and forgets what was typed
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert screen._given == {} and not app.store.encrypted
    app.store.close()
    assert db_path.read_bytes() == before


async def test_a_second_press_does_not_start_it_twice(db_path, clock, monkeypatch):
    plain_file(db_path, clock)
    app = app_on(db_path, clock)
    calls = []
    real = Store.encrypt

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "encrypt", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-on")
        await type_twice(pilot, app, P1)
        await until_step(pilot, app, "partner-1")
        await type_twice(pilot, app, P2)
        await until_step(pilot, app, "recovery")
        go = screen.query_one("#go", Button)
        go.press()
        await screen.go()  # a second press, however it arrives
        await until_step(pilot, app, "code")
        assert calls == [1]
    app.store.close()


async def test_changing_a_passphrase_retires_the_old_one_only(db_path, clock):
    code = encrypted_file(db_path, clock)
    app = app_on(db_path, clock, P1)
    new = "ana's newer words"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-change")
        assert screen.query_one("#whose-0", RadioButton).value  # who opened it: Ana
        assert app.focused is screen.query_one("#whose")  # the first thing to decide
        await pilot.press("enter")  # Ana's it is: on to the new one
        assert app.focused is screen.query_one("#new", Input)
        await type_twice(pilot, app, P2)  # already opens Hearth (Sam's): refused
        await wait_for(pilot, lambda: "opens Hearth already" in screen_text(app), tries=1000)
        await type_twice(pilot, app, new)
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), tries=1000)
        notes = [n.message for n in app._notifications]
        assert any("Ana's passphrase is changed" in m for m in notes)
        assert not any(new in m or P1 in m for m in notes)
    app.store.close()
    assert not opens(db_path, P1)
    assert opens(db_path, new) and opens(db_path, P2) and opens(db_path, code)


async def test_change_opened_with_the_code_starts_at_whose_it_is(db_path, clock):
    """Opened with the recovery code, nobody is marked: the keyboard starts at the choice, and
    Enter on a name goes on to the new passphrase."""
    code = encrypted_file(db_path, clock)
    app = app_on(db_path, clock, code)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-change")
        assert app.focused is screen.query_one("#whose")
        assert not screen.query_one("#whose-0", RadioButton).value and not screen.query_one("#whose-1", RadioButton).value
        await pilot.press("down", "enter")  # Sam's
        assert app.focused is screen.query_one("#new", Input)
        assert screen.query_one("#whose-1", RadioButton).value
        await pilot.press("escape")
    app.store.close()


async def test_a_new_recovery_code_then_none(db_path, clock):
    old = encrypted_file(db_path, clock)
    app = app_on(db_path, clock, P2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-code")
        assert "The old code stops opening Hearth" in screen_text(app)
        screen.query_one("#go", Button).press()
        await until_step(pilot, app, "code")
        code = str(screen.query_one("#code").render()).strip()
        screen.query_one("#code-written", MarkedCheckbox).value = True
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.store.flush()
        assert opens_now(app.store, code) and not opens_now(app.store, old)
        await pilot.pause()
        screen = app.screen
        screen.query_one("#crypt-remove-code", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, EncryptionScreen) and app.screen.step == "confirm")
        await pilot.pause()
        app.screen.query_one("#go", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), tries=1000)
        await pilot.pause()
        assert "recovery" not in app.store.slots()
        assert "no recovery code" in str(app.screen.query_one("#encryption").render())
        assert not app.screen.query("#crypt-remove-code")
    app.store.close()
    assert not opens(db_path, code) and opens(db_path, P1)


def opens_now(store: Store, secret: str) -> bool:
    return store.check_passphrase(secret)


async def test_turning_it_off_asks_first_then_writes_plain_text(db_path, clock):
    encrypted_file(db_path, clock)
    app = app_on(db_path, clock, P1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-off")
        assert "plain text" in screen_text(app)
        assert app.focused is screen.query_one("#keep", Button)  # Enter at once keeps it on
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert app.store.encrypted
        screen = await open_again(pilot, app, "crypt-off")
        screen.query_one("#go", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), tries=1000)
        await pilot.pause()
        assert not app.store.encrypted and setting(app.store, "lock_minutes") == 0
        assert app.screen.query("#crypt-on") and not app.screen.query("#lock-minutes")
        app.screen.query_one("#save", Button).press()  # Save with the lock field gone
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not isinstance(app.screen, UnlockScreen)
    app.store.close()
    assert opens(db_path, None)


async def open_again(pilot, app, button: str) -> EncryptionScreen:
    await pilot.pause()
    app.screen.query_one(f"#{button}", Button).press()
    await wait_for(pilot, lambda: isinstance(app.screen, EncryptionScreen) and app.screen.step != "")
    await pilot.pause()
    return app.screen


async def test_esc_leaves_each_way_in_without_a_change(db_path, clock):
    encrypted_file(db_path, clock)
    before = db_path.read_bytes()
    app = app_on(db_path, clock, P1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_part(pilot, app, "crypt-change")
        await pilot.press("enter")  # whose: the one marked
        await type_text(pilot, "half typed")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        for button in ("crypt-code", "crypt-remove-code", "crypt-off"):
            await open_again(pilot, app, button)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert sorted(app.store.slots()) == ["partner-1", "partner-2", "recovery"]
    app.store.close()
    assert opens(db_path, P1) and opens(db_path, P2)


async def test_a_linked_hearth_says_what_the_other_computer_must_do(db_path, clock, tmp_path):
    import json

    from tui.store import sync

    plain_file(db_path, clock)
    folder = tmp_path / "shared"
    with Store.open(db_path, clock=clock, background=False) as s:
        sync.link(s, folder, 0, clock.now())
    assert not any(json.loads(p.read_bytes().partition(b"\n")[0]).get("sealed") for p in folder.glob("*.hsync"))
    app = app_on(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_part(pilot, app, "crypt-on")
        await type_twice(pilot, app, P1)
        await until_step(pilot, app, "partner-1")
        screen.query_one("#later", Button).press()
        await until_step(pilot, app, "recovery")
        text = screen_text(app)
        assert "linked to" in text and "hearth unlink" in text and "hearth link" in text
        screen.query_one("#go", Button).press()
        await until_step(pilot, app, "code")
        screen.query_one("#code-written", MarkedCheckbox).value = True
        screen.query_one("#done", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        sync.sync_now(app.store, clock.now(), keep=True)  # what the next merge does
        mine = list(folder.glob("*.hsync"))
        assert mine and all(json.loads(p.read_bytes().partition(b"\n")[0]).get("sealed") for p in mine)
        assert list(folder.glob("*.keys.json"))  # the other computer takes the key from here at link
        screen = await open_again(pilot, app, "crypt-change")
        assert "The Hearth on the other computer keeps" in screen_text(app)
        await pilot.press("escape")
    app.store.close()
    assert opens(db_path, P1)


async def test_the_idle_lock_works_once_turned_on_while_hearth_runs(db_path, clock, monkeypatch):
    """The idle check runs in every session and looks at the store each time: a Hearth that
    started plain and was locked from Settings locks itself after the chosen minutes (by the
    app's own timer, not called here), and a plain one never does."""
    import time

    monkeypatch.setattr(HearthApp, "IDLE_CHECK_SECONDS", 0.05)
    plain_file(db_path, clock)
    app = app_on(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        set_setting(app.store, "lock_minutes", 5)
        app._last_input = time.monotonic() - 5 * 60 - 1
        await pilot.pause(0.2)  # some ticks of the check: plain, so nothing to lock with
        assert isinstance(app.screen, HomeScreen)
        app.store.encrypt({"partner-1": P1}, recovery=False)
        app._last_input = time.monotonic() - 5 * 60 - 1
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), tries=500)
    app.store.close()
