"""Keys pressed quickly, as a terminal delivers them (several in one read), before Hearth has
handled the first: the curtain lifts once, and no screen below it is closed by the rest."""

from __future__ import annotations

from textual import events

from tui.screens.agreements.consent import ConsentScreen
from tui.screens.agreements.detail import AgreementDetailScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.home import HomeScreen
from tui.store import agreements as store_ag

from tests.helpers import wait_for


def burst(app, *keys: str) -> None:
    """Queue every key at once, without waiting for any of them to be handled."""
    for key in keys:
        app._driver.send_message(events.Key(key, " " if key == "space" else None))


async def test_a_burst_of_lift_keys_lifts_the_curtain_once(make_app, couple):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        lifted: list[object] = []
        app.push_screen(CurtainScreen(couple[0]), lifted.append)
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        burst(app, "space", "enter", "space")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert len(app.screen_stack) == 1 and lifted == [None]


async def test_fast_keys_at_the_consent_curtain_keep_the_agreement_open(make_app, ready_store):
    a = store_ag.create(ready_store, 0, title="Phones away at meals", text="Face down.", kind="want",
                        category="conflict", review="monthly")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(AgreementDetailScreen(a.id))
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementDetailScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        burst(app, "enter", "space", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [HomeScreen, AgreementDetailScreen, ConsentScreen]

