"""Pilot tests of an agreement consented to across two homes: at Ana's computer only Ana's yes is
asked; Sam's, given at his computer, turns it to agreed at Ana's as soon as it arrives."""

from __future__ import annotations

import pytest

from tui.core.agreements import Status
from tui.paths import shipped_decks_dir
from tui.screens.agreements.consent import ConsentScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.store import agreements as store_ag

from tests.pause_helpers import home, screen_text, seen, wait_for
from tests.two_homes import make_two_homes

AGREEMENT = dict(text="Phones away at dinner.", kind="want", category="conflict", review="monthly")


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


async def test_a_yes_given_at_sams_computer_turns_anas_agreement_to_agreed(homes, clock):
    from tui.app import HearthApp

    a = store_ag.create(homes.a, 0, title="Phones away", **AGREEMENT)
    app = HearthApp(homes.a, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.open_agreement(a.id)
        await wait_for(pilot, lambda: app.screen.query("#act-yes"))
        await pilot.press("y")
        # Ana's own computer: no curtain, only Ana is asked, and Sam's yes is said to come from his
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        assert app.screen.who == 0
        assert "Sam's comes from Sam's computer" in await seen(pilot, app)
        await pilot.press("y")
        await wait_for(pilot, lambda: "Waiting for Sam's yes on Sam's computer." in screen_text(app))
        assert not any(isinstance(s, (CurtainScreen, ConsentScreen)) for s in app.screen_stack)
        assert store_ag.get(homes.a, a.id).status is Status.PROPOSED

        # Sam says yes at his computer; it arrives while Ana's detail is open
        def anas_yes_at_sams() -> bool:  # Ana's app sends it soon after the yes
            homes.ship()
            homes.merge(homes.b)
            return store_ag.get(homes.b, a.id).waiting_for == [1]

        await wait_for(pilot, anas_yes_at_sams)
        store_ag.say_yes(homes.b, a.id, 1)
        homes.merge(homes.b)
        homes.ship()
        app.homes.merge()
        await wait_for(pilot, lambda: "You have both said yes to this wording." in screen_text(app))
        assert store_ag.get(homes.a, a.id).status is Status.AGREED


async def test_a_change_at_the_other_home_shows_on_the_consent_screen_being_read(homes, clock):
    from tui.app import HearthApp

    a = store_ag.create(homes.a, 0, title="Phones away", **AGREEMENT)
    store_ag.propose(homes.a, a.id, 0)
    homes.settle()
    app = HearthApp(homes.a, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        app.push_screen(ConsentScreen(a.id, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.is_mounted)
        store_ag.edit(homes.b, a.id, 1, text="Phones away at dinner and in bed.")
        homes.merge(homes.b)
        homes.ship()
        app.homes.merge()
        await wait_for(pilot, lambda: "just changed on the other computer" in screen_text(app))
        assert "and in bed" in screen_text(app)
