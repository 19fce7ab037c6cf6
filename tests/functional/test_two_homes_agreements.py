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
            return store_ag.exists(homes.b, a.id) and store_ag.get(homes.b, a.id).waiting_for == [1]

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


# -- both homes changed the wording while apart ---------------------------------------------------

APART_NOTE = "You both changed “{}” while apart. Both wordings are kept: press v to see them, then agree on one."


@pytest.fixture
def lea_nour(tmp_path, clock):
    h = make_two_homes(tmp_path, clock, names=("Léa", "Nour"))
    yield h
    h.close()


def _agreed_then_changed_at_both(h) -> int:
    """Agreed at both homes, then each home rewrites the title before the other's change arrives."""
    a = store_ag.create(h.a, 0, title="Screens at dinner", **AGREEMENT)
    store_ag.propose(h.a, a.id, 0)
    h.settle()
    store_ag.confirm(h.b, a.id, 1)
    h.settle()
    assert store_ag.get(h.a, a.id).status is Status.AGREED
    store_ag.edit(h.a, a.id, 0, title="Screens away at dinner")
    store_ag.edit(h.b, a.id, 1, title="No screens at dinner")
    h.settle()
    return a.id


async def test_both_homes_say_calmly_that_both_changed_it_while_apart_until_looked_at(lea_nour, clock):
    from tui.app import HearthApp

    aid = _agreed_then_changed_at_both(lea_nour)
    shown = store_ag.get(lea_nour.a, aid)
    assert shown.title == store_ag.get(lea_nour.b, aid).title  # both homes show one wording
    note = APART_NOTE.format(shown.title)
    app = HearthApp(lea_nour.a, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: f"You both changed “{shown.title}” while apart." in screen_text(app))
        app.open_agreement(aid)
        await wait_for(pilot, lambda: note in screen_text(app))
        await pilot.press("v")
        await wait_for(pilot, lambda: "Versions of" in screen_text(app))
        # both wordings are listed there, and said to be written at the same time, one at each home
        assert "Versions 2 and 3 were written at the same time, one at each home." in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Press y to say yes to this wording." in screen_text(app))
        assert "while apart" not in screen_text(app)  # seen here: said no more at Léa's computer
    # Nour's computer has not looked yet: it still says so there
    assert store_ag.apart_edit_notice(lea_nour.b, store_ag.get(lea_nour.b, aid)) == note
    assert store_ag.apart_edit_notice(lea_nour.a, store_ag.get(lea_nour.a, aid)) is None


def test_the_note_ends_at_both_homes_once_both_said_yes_again(lea_nour):
    h = lea_nour
    aid = _agreed_then_changed_at_both(h)
    assert store_ag.apart_edit_notice(h.b, store_ag.get(h.b, aid))
    store_ag.say_yes(h.a, aid, 0)
    h.settle()
    store_ag.say_yes(h.b, aid, 1)
    h.settle()
    for store in (h.a, h.b):
        a = store_ag.get(store, aid)
        assert a.status is Status.AGREED
        assert store_ag.apart_edit_notice(store, a) is None
        assert not [line for line in store_ag.waiting_lines(store) if "while apart" in line]


def test_changes_one_at_a_time_never_say_both_changed_it(lea_nour):
    h = lea_nour
    a = store_ag.create(h.a, 0, title="Screens at dinner", **AGREEMENT)
    store_ag.propose(h.a, a.id, 0)
    h.settle()
    store_ag.edit(h.b, a.id, 1, title="No screens at dinner")
    h.settle()
    store_ag.edit(h.a, a.id, 0, title="No screens at dinner, please")
    h.settle()
    for store in (h.a, h.b):
        assert store_ag.apart_edit_notice(store, store_ag.get(store, a.id)) is None


async def test_at_nours_computer_y_is_nours_own_yes_and_the_line_says_so(lea_nour, clock):
    from tui.app import HearthApp

    aid = _agreed_then_changed_at_both(lea_nour)
    app = HearthApp(lea_nour.b, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        app.open_agreement(aid)
        await wait_for(pilot, lambda: "Press y to say yes to this wording." in screen_text(app))
        assert "Waiting for Léa's yes. Press y" not in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        assert app.screen.who == 1  # Nour's own answer, on Nour's computer
        await pilot.press("y")
        await wait_for(pilot, lambda: "Waiting for Léa's yes on Léa's computer." in screen_text(app))
        assert store_ag.get(lea_nour.b, aid).consent == (False, True)


async def test_at_one_keyboard_a_new_wording_asks_both_in_turn(tmp_path, clock):
    from tui.app import HearthApp
    from tui.core.partners import Couple
    from tui.store import Store
    from tui.store.profile import save_couple

    store = Store.open(tmp_path / "one" / "hearth.json", clock=clock, background=False)
    save_couple(store, Couple.from_names("Léa", "Nour"))
    a = store_ag.create(store, 0, title="Screens at dinner", **AGREEMENT)
    store_ag.propose(store, a.id, 0)
    store_ag.confirm(store, a.id, 1)
    store_ag.edit(store, a.id, 1, title="No screens at dinner")
    app = HearthApp(store, [shipped_decks_dir()], clock=clock)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await home(pilot, app)
            app.open_agreement(a.id)
            await wait_for(pilot, lambda: "Waiting for both your yeses. Press y and each of you answers in turn."
                           in screen_text(app))
            await pilot.press("y")
            for who in (0, 1):  # the curtain, then each partner's own turn
                await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
                await pilot.press("enter")
                await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
                assert app.screen.who == who
                await pilot.press("y")
            await wait_for(pilot, lambda: "You have both said yes to this wording." in screen_text(app))
    finally:
        store.close()


def test_two_yeses_given_at_once_one_at_each_home_make_it_agreed_at_both(lea_nour):
    h = lea_nour
    aid = _agreed_then_changed_at_both(h)
    store_ag.say_yes(h.a, aid, 0)
    store_ag.say_yes(h.b, aid, 1)  # before Léa's yes has arrived
    h.settle()
    for store in (h.a, h.b):
        a = store_ag.get(store, aid)
        assert (a.status, a.consent) == (Status.AGREED, (True, True))
        assert a.agreed_version == len(a.versions) - 1
        assert store_ag.apart_edit_notice(store, a) is None
    assert store_ag.get(h.a, aid).agreed_at == store_ag.get(h.b, aid).agreed_at


async def test_a_draft_at_nours_computer_asks_only_for_nours_yes(lea_nour, clock):
    from tui.app import HearthApp

    a = store_ag.create(lea_nour.a, 0, title="Screens at dinner", **AGREEMENT)
    lea_nour.settle()
    app = HearthApp(lea_nour.b, [shipped_decks_dir()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.open_agreement(a.id)
        await wait_for(pilot, lambda: "A draft. Press y to say yes to this wording. Léa's yes comes from Léa's "
                       "computer." in screen_text(app))
        assert "each of you gives your answer in turn" not in screen_text(app)
