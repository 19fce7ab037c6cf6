"""Pilot tests for onboarding, home, help and quitting."""

from __future__ import annotations

from tui.app import HearthApp
from tui.paths import shipped_decks_dir
from tui.screens.shell.help import HelpScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.onboarding import OnboardingScreen
from tui.store.profile import load_couple

from tests.helpers import screen_text, type_text, wait_for


async def test_onboarding_asks_names_then_home(store, clock):
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await pilot.pause()
        where = str(app.screen.query_one("#where").render())  # where the file is (issue 15)
        assert str(store.path) in where or "this computer, in ~/" in where
        assert "hearth --demo" in where and "It all stays on this computer" in screen_text(app)
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "Sam Lee")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "Ana" in screen_text(app) and "Sam Lee" in screen_text(app)
    couple = load_couple(store)
    assert couple is not None and couple[1].name == "Sam Lee"


async def test_onboarding_refuses_empty_and_same_names(store, clock):
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await pilot.click("#begin")
        await pilot.pause()
        assert "Please type a name" in screen_text(app)
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "ana")
        await pilot.press("enter")
        await pilot.pause()
        assert "need to differ" in screen_text(app)
        assert isinstance(app.screen, OnboardingScreen)
    assert load_couple(store) is None


async def test_home_shows_title_and_help_lists_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        text = screen_text(app)
        assert "Hearth" in text and "Hello" in text
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = screen_text(app)
        assert "Settings" in help_text and "ctrl+t" in help_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_home_fits_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: "Quit" in screen_text(app))  # the footer's keys follow its first layout
        text = screen_text(app)
        assert "Help" in text and "Time-out" in text  # compact: F1 and ctrl+t still fit
        assert all(len(line) <= 80 for line in text.splitlines())


async def test_tiny_terminal_says_so_and_recovers(make_app):
    app = make_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert "Hearth needs at least" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_quit_key_exits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_settings_change_names(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("s")
        from textual.widgets import Input

        await wait_for(pilot, lambda: app.screen.query("#name-0"))
        app.screen.query_one("#name-0", Input).value = "Ana María"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert load_couple(ready_store)[0].name == "Ana María"


def test_exit_guard_closes_the_store_and_leaves(monkeypatch):
    """After SIGTERM/SIGHUP the guard lets go of the database at once (a Hearth started straight
    after is not refused), and leaves after the grace period if Textual's shutdown hangs."""
    import threading
    import time

    import tui.app as app_module

    grace = 0.5
    left = threading.Event()
    calls: list[str] = []
    started = time.monotonic()
    closed_after: list[float] = []

    class FakeStore:
        def close(self) -> None:
            closed_after.append(time.monotonic() - started)
            calls.append("close")

    monkeypatch.setattr(app_module, "EXIT_GRACE_SECONDS", grace)
    monkeypatch.setattr(app_module.os, "_exit", lambda code: (calls.append(f"exit {code}"), left.set()))
    app_module.leave_even_if_stuck(FakeStore())
    assert left.wait(timeout=5)
    assert calls == ["close", "exit 0"]
    assert closed_after[0] < grace / 2  # closed before the grace period, not after it


async def test_ctrl_t_before_the_names_says_what_it_needs(store, clock):
    """On the first screen there is no couple to pause for yet: ctrl+t says so, and what was
    typed stays."""
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await type_text(pilot, "Lena")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: any("needs your two names" in n.message for n in app._notifications))
        assert isinstance(app.screen, OnboardingScreen) and "Lena" in screen_text(app)


async def test_names_typed_before_begin_are_kept_and_filled_in_again(db_path, clock):
    """The terminal closes on the first screen: the names typed so far come back at the next
    start, and Begin lets the draft go."""
    from tui.store import Store
    from tui.store.drafts import load_draft
    from tui.screens.shell.onboarding import NAMES_DRAFT

    store = Store.open(db_path, clock=clock, background=False)
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await type_text(pilot, "Ana María")
        app._on_signal()  # the terminal closed: SIGHUP
    store.close()
    store = Store.open(db_path, clock=clock, background=False)
    assert "Ana María" in (load_draft(store, NAMES_DRAFT) or "")
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await pilot.pause()
        assert app.screen.query_one("#name-a").value == "Ana María"
        assert app.focused is app.screen.query_one("#name-b")  # on to the name still missing
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert load_draft(store, NAMES_DRAFT) is None
    assert [p.name for p in load_couple(store).partners] == ["Ana María", "Sam"]
    store.close()


async def test_names_are_kept_as_they_are_typed(store, clock):
    """A pause in typing is enough for the names to be kept (a power cut gives no warning)."""
    from tui.store.drafts import load_draft
    from tui.screens.shell.onboarding import NAMES_DRAFT

    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await type_text(pilot, "Lena")
        await wait_for(pilot, lambda: "Lena" in (load_draft(store, NAMES_DRAFT) or ""), tries=300)
        await pilot.press("ctrl+u")  # both emptied again: no draft is kept
        await wait_for(pilot, lambda: load_draft(store, NAMES_DRAFT) is None, tries=300)


async def test_tabbing_back_into_a_name_does_not_select_it_for_the_next_key_to_replace(store, clock):
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OnboardingScreen))
        await pilot.pause()
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "Sam")
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: app.screen.focused is app.screen.query_one("#name-a"))
        await type_text(pilot, "ís")
        assert app.screen.query_one("#name-a").value == "Anaís"
        assert app.screen.query_one("#name-b").value == "Sam"
