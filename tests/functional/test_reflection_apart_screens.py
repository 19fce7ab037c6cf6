"""The weekly reflection on one partner's own computer: no curtain, only my private part, a
kind wait, and the reveal opening by itself when the other's part arrives from the other home."""

from __future__ import annotations

from tui.core import reflection as rules
from tui.core import reflection_apart as apart
from tui.core.reflection import IsoWeek
from tui.screens.reflection.apart_steps import WaitingForm
from tui.screens.reflection.choice_row import ChoiceRow
from tui.screens.reflection.private_steps import AppreciationsForm, RatingsForm, RevealForm
from tui.screens.reflection.steps import LastItemsForm, WordsForm
from tui.screens.shared.curtain import CurtainScreen
from tui.store import reflections as store_r
from tui.widgets.draft_area import DraftArea

from tests.functional.test_reflection_screens import (
    choose, form, open_reflection, set_ratings, type_text, wait_form,
)
from tests.helpers import screen_text, wait_for
from tests.two_homes import make_two_homes

IDS = store_r.statement_ids()


def sams_part(homes, week: IsoWeek, *, words: bool = False) -> None:
    """Sam, at his own computer, gives his part; the change files travel to Ana's folder."""
    b, now = homes.b, homes.clock.now()
    r = store_r.start(b, week, rules.FULL, now)
    r = apart.give_appreciations(r, 1, ["SAM-THANKS"], now)
    store_r.save(b, apart.give_ratings(r, 1, {i: 1 for i in IDS}, IDS, now))
    homes.merge(b)
    homes.ship()


async def test_my_part_then_a_wait_then_the_reveal_when_the_other_part_arrives(tmp_path, clock, make_app):
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_reflection(pilot, app)
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, AppreciationsForm)  # straight in: no hand-over curtain
            assert not any(isinstance(s, CurtainScreen) for s in app.screen_stack)
            assert "your part, 1 of 2" in screen_text(app)
            app.screen.query_one(DraftArea).insert("ANA-THANKS")
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, RatingsForm)
            assert form(app).partner == 0
            await set_ratings(pilot, app, "5555555555")
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, WaitingForm)
            text = screen_text(app)
            assert "Your part is in. When Sam's part arrives, you'll see them side by side." in text

            assert not app.screen.query("#reveal-table")
            sams_part(homes, week)
            app.homes.merge()
            await wait_for(pilot, lambda: isinstance(form(app), RevealForm))
            await pilot.pause()
            text = screen_text(app)
            assert "together 3.0" in text and "↔ talk" in text  # Ana's 5s beside Sam's 1s
            assert store_r.get(homes.a, week).ratings["p0"] == {i: 5 for i in IDS}
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, WordsForm)
            await type_text(pilot, "Rain")
            app.homes.merge()
            await wait_for(pilot, lambda: app.homes.last_report is not None)
        homes.settle()
        at_b = store_r.get(homes.b, week)
        assert at_b.step == "words"  # the shared step taken at Ana's computer reached Sam's
        assert at_b.ratings["p0"] == {i: 5 for i in IDS} and at_b.appreciations["p0"] == ["ANA-THANKS"]
        assert at_b.ratings["p1"] == {i: 1 for i in IDS}
    finally:
        homes.close()


async def test_a_step_taken_at_the_other_home_moves_this_screen_on(tmp_path, clock, make_app):
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_reflection(pilot, app)
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, AppreciationsForm)
            app.screen.query_one(DraftArea).insert("ANA")
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, RatingsForm)
            await set_ratings(pilot, app, "3333333333")
            sams_part(homes, week)
            app.homes.merge()
            await wait_for(pilot, lambda: app.homes.last_report is not None and app.homes.last_report.changed)
            await pilot.pause()
            assert isinstance(form(app), RatingsForm)  # my ratings in progress stay as they are
            assert [row.value for row in app.screen.query(ChoiceRow)] == [3] * len(IDS)
            assert "SAM-THANKS" not in screen_text(app) and not app.screen.query("#reveal-table")
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, RevealForm)  # Sam's part was already here
            # Sam goes on from the reveal at his computer; Ana's screen follows.
            homes.merge(homes.a)
            homes.ship()
            homes.merge(homes.b)
            r = apart.open_shared(store_r.get(homes.b, week), clock.now())
            store_r.save(homes.b, rules.advance(r, clock.now()))
            homes.merge(homes.b)
            homes.ship()
            app.homes.merge()
            await wait_for(pilot, lambda: app.homes.last_report is not None and app.homes.last_report.changed)
            await pilot.pause()
            assert isinstance(form(app), RevealForm)  # Ana sees the side by side until she goes on
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, WordsForm)
            # Both write words at once; Sam goes on first. Ana's typing is kept, and so is his.
            await type_text(pilot, "Rain")
            r = rules.set_words(store_r.get(homes.b, week), {"more_of": "Walks"}, clock.now())
            store_r.save(homes.b, r)
            homes.merge(homes.b)
            homes.ship()
            app.homes.merge()
            await wait_form(pilot, app, LastItemsForm)
            assert store_r.get(homes.a, week).words == {"hardest.p0": "Rain", "more_of": "Walks"}
        homes.settle()
        assert store_r.get(homes.b, week).words == {"hardest.p0": "Rain", "more_of": "Walks"}
    finally:
        homes.close()


async def test_the_start_screen_says_whose_part_is_in_and_nothing_more(tmp_path, clock, make_app):
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    sams_part(homes, week)
    homes.merge(homes.a)
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_reflection(pilot, app)
            text = screen_text(app)
            assert "Sam's part is in, yours is waiting" in text and "SAM-THANKS" not in text
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, AppreciationsForm)  # my part first, Sam's stays out of sight
            assert "SAM-THANKS" not in screen_text(app)
    finally:
        homes.close()


async def test_the_other_part_arriving_under_the_help_screen_opens_the_reveal_after(tmp_path, clock, make_app):
    from tui.screens.shell.help import HelpScreen

    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    r = store_r.start(homes.a, week, rules.FULL, clock.now())
    r = apart.give_appreciations(r, 0, ["ANA"], clock.now())
    store_r.save(homes.a, apart.give_ratings(r, 0, {i: 4 for i in IDS}, IDS, clock.now()))
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_reflection(pilot, app)
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, WaitingForm)
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            sams_part(homes, week)
            app.homes.merge()
            await wait_for(pilot, lambda: app.homes.last_report is not None and app.homes.last_report.changed)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)  # the help stays until it is closed
            await pilot.press("escape")
            await wait_form(pilot, app, RevealForm)
    finally:
        homes.close()


async def test_parts_given_apart_count_at_a_keyboard_both_share(make_app, ready_store, clock):
    """A week whose private parts were given apart, opened where both sit: straight to the reveal."""
    week = IsoWeek.of(clock.now())
    r = rules.new_reflection(week, rules.FULL, clock.now())
    for me in (0, 1):
        r = apart.give_appreciations(r, me, [f"THANKS-{me}"], clock.now())
        r = apart.give_ratings(r, me, {i: 2 + me for i in IDS}, IDS, clock.now())
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await wait_form(pilot, app, RevealForm)
        assert "together 2.5" in screen_text(app)
    assert store_r.get(ready_store, week).turns == {"appreciations": ["p0", "p1"], "ratings": ["p0", "p1"]}


def both_parts_in_and_sam_went_on(homes, week: IsoWeek) -> None:
    """Ana's part is in at her computer; Sam gives his and goes on from the reveal at his."""
    now = homes.clock.now()
    r = store_r.start(homes.a, week, rules.FULL, now)
    r = apart.give_appreciations(r, 0, ["ANA"], now)
    store_r.save(homes.a, apart.give_ratings(r, 0, {i: 5 for i in IDS}, IDS, now))
    homes.merge(homes.a)
    homes.ship()
    sams_part(homes, week)
    homes.merge(homes.b)
    store_r.save(homes.b, rules.advance(apart.open_shared(store_r.get(homes.b, week), now), now))
    homes.merge(homes.b)
    homes.ship()


async def test_the_reveal_comes_first_at_each_computer_even_after_the_other_went_on(tmp_path, clock, make_app):
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    both_parts_in_and_sam_went_on(homes, week)
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.homes.merge()
            await wait_for(pilot, lambda: store_r.get(homes.a, week).step == "words")
            await open_reflection(pilot, app)
            assert "step 3 of 8" in screen_text(app)
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, RevealForm)
            text = screen_text(app)
            assert "step 3 of 8" in text and "together 3.0" in text
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, WordsForm)
            assert "step 4 of 8" in screen_text(app)
        at_a = store_r.get(homes.a, week)
        assert at_a.step == "words" and at_a.apart["p0"]["reveal"] == "seen"
    finally:
        homes.close()


async def test_the_week_in_words_at_sams_computer_asks_only_for_his_words(tmp_path, clock, make_app):
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    both_parts_in_and_sam_went_on(homes, week)
    store_r.save(homes.a, rules.set_words(store_r.get(homes.a, week), {"hardest.p0": "ANA-HARD"}, clock.now()))
    homes.merge(homes.a)
    homes.ship()
    homes.merge(homes.b)
    r = store_r.get(homes.b, week)
    r.step = "words"  # Sam saw the reveal at his computer and is still at the week in words
    r.apart["p1"]["reveal"] = "seen"
    store_r.save(homes.b, r)
    app = make_app(homes.b)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_reflection(pilot, app)
            await choose(pilot, app, "this:full")
            await wait_form(pilot, app, WordsForm)
            text = screen_text(app)
            assert "Ana:" not in text and "Talk it through" not in text
            assert "Write yours; Ana writes theirs at their computer." in text
            assert not app.screen.query("#words-hardest-p0") and app.screen.query("#words-hardest-p1")
            await type_text(pilot, "SAM-HARD")
            await pilot.press("ctrl+s")
            await wait_form(pilot, app, LastItemsForm)
        assert store_r.get(homes.b, week).words == {"hardest.p0": "ANA-HARD", "hardest.p1": "SAM-HARD"}
    finally:
        homes.close()


async def test_a_week_reflected_on_apart_closes_with_an_idea_for_being_apart(tmp_path, clock, make_app):
    """A hug before you get up needs the other in the room: apart, the close suggests something
    that works at two homes, and the same one at both."""
    from tui.core import content
    from tui.screens.reflection.flow import close_idea

    words = content.load("reflection")
    homes = make_two_homes(tmp_path, clock)
    week = IsoWeek.of(clock.now())
    r = store_r.start(homes.a, week, rules.QUICK, clock.now())
    r = apart.give_appreciations(r, 0, ["ANA"], clock.now())
    store_r.save(homes.a, apart.give_ratings(r, 0, {i: 4 for i in IDS}, IDS, clock.now()))
    homes.settle()
    r = apart.give_appreciations(store_r.get(homes.b, week), 1, ["SAM"], clock.now())
    store_r.save(homes.b, apart.give_ratings(r, 1, {i: 2 for i in IDS}, IDS, clock.now()))
    homes.settle()
    app = make_app(homes.a)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_reflection(pilot, app)
            await choose(pilot, app, "this:quick")
            await wait_form(pilot, app, RevealForm)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: store_r.get(homes.a, week).close)
            chosen = store_r.get(homes.a, week).close
            assert chosen in words["apart_close_suggestions"] and chosen not in words["close_suggestions"]
            assert chosen == close_idea(words, week, 1)  # what Sam's computer would pick
    finally:
        homes.close()
