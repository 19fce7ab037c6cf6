"""Pilot tests for the Weekly reflection: the whole flow, carry-over, the quick check-in,
privacy behind the curtain, resuming after leaving, trends and export."""

from __future__ import annotations

import pytest

from textual.widgets import Input, OptionList, Select

from tui.core import reflection as rules
from tui.core.reflection import ActionItem, IsoWeek
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.home import HomeScreen
from tui.screens.reflection.choice_row import ChoiceRow
from tui.screens.reflection.flow import ReflectionFlowScreen
from tui.screens.reflection.private_steps import AppreciationsForm, RatingsForm, RevealForm
from tui.screens.reflection.start import ReflectionScreen
from tui.screens.reflection.steps import CloseForm, LastItemsForm, NextItemsForm, WordsForm
from tui.screens.reflection.trends import TrendsScreen
from tui.screens.reflection.week import WeekScreen
from tui.store import reflections as store_r
from tui.store.export import export_folder
from tui.widgets.draft_area import DraftArea

from tests.conftest import START
from tests.helpers import screen_text, wait_for

THIS = IsoWeek.of(START)  # 2026-W11
LAST = THIS.previous()


async def open_reflection(pilot, app) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("4")
    await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))


async def choose(pilot, app, option_id: str) -> None:
    options = app.screen.query_one("#choices", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert option_id in ids, ids
    options.focus()
    options.highlighted = ids.index(option_id)
    await pilot.press("enter")


def form(app):
    screen = app.screen
    return screen.form if isinstance(screen, ReflectionFlowScreen) else None


async def wait_form(pilot, app, kind) -> None:
    await wait_for(pilot, lambda: isinstance(form(app), kind))
    await pilot.pause()


async def pass_curtain(pilot, app, partner: int) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
    assert app.screen.partner.index == partner
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, ReflectionFlowScreen) and form(app) is not None)


async def rate(pilot, keys: str) -> None:
    await pilot.press(*keys)


async def set_ratings(pilot, app, values: str) -> None:
    """Rate every line at once (the keys themselves are exercised by `rate` elsewhere)."""
    for row, v in zip(app.screen.query(ChoiceRow), values):
        row.value = int(v)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type as a person would, one key at a time (pressed in one batch to keep tests quick)."""
    await pilot.press(*(ch if ch != " " else "space" for ch in text))


async def test_full_reflection_for_last_week_with_action_items(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        assert f"Last week: {LAST.title}, not started" in screen_text(app)
        await choose(pilot, app, "last:full")
        await pass_curtain(pilot, app, 0)
        assert isinstance(form(app), AppreciationsForm)
        await type_text(pilot, "Soup")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 1)
        await type_text(pilot, "Ears")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RatingsForm)  # Sam carries on straight into the ratings
        assert form(app).partner == 1
        await rate(pilot, "4534435432")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 0)
        await set_ratings(pilot, app, "2544233434")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RevealForm)
        text = screen_text(app)
        assert "Knowing what was hard" in text and "↔ talk" in text
        assert "Overall" in text and "3.4" in text and "3.7" in text and "together 3.5" in text
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, WordsForm)
        await type_text(pilot, "Monday")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, LastItemsForm)
        assert "no action items from last time" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, NextItemsForm)
        await type_text(pilot, "Cook")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        # at the line, with a mark that is not colour only, and below: which line and what it needs
        assert "▲ Action item 1 needs someone: choose who will do it." in text
        assert text.count("Action item 1 needs someone") == 2 and "line marked above" not in text
        assert isinstance(form(app), NextItemsForm)
        app.screen.query_one("#who-0", Select).value = "both"
        app.screen.query_one("#item-1", Input).value = "Book the dentist"
        app.screen.query_one("#who-1", Select).value = "p1"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form(app) is not None and form(app).__class__.__name__ == "DueForm")
        assert "Nothing is waiting" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, CloseForm)
        text = screen_text(app)
        assert "Soup" in text and "Ears" in text and "Cook" in text
        suggestion = store_r.get(ready_store, LAST).close
        assert suggestion in texts_close()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        assert f"Last week: {LAST.title}, done" in screen_text(app)
    r = store_r.get(ready_store, LAST)
    assert r.done and r.words == {"hardest.p0": "Monday"}
    assert r.ratings["p1"]["laughter"] == 5 and r.ratings["p0"]["struggles"] == 2
    assert r.items == [ActionItem("Cook", "both"), ActionItem("Book the dentist", "p1")]
    assert not ready_store.table("drafts").all()  # every submitted draft was cleared


def texts_close() -> list[str]:
    from tui.core.content import load

    return load("reflection")["close_suggestions"]


def seed_last_week(store) -> None:
    r = rules.new_reflection(LAST, rules.FULL, START)
    r.ratings = {"p0": {"laughter": 4}, "p1": {"laughter": 2}}
    r.items = [ActionItem("Cook together", "both"), ActionItem("Book the dentist", "p1"), ActionItem("Paint", "p0")]
    store_r.save(store, rules.finish(r, START))


async def test_this_week_carries_not_yet_items_over(make_app, ready_store):
    seed_last_week(ready_store)
    r = rules.new_reflection(THIS, rules.FULL, START)
    r.step, r.skipped = "last_items", ["appreciations", "ratings", "words"]  # the earlier steps were skipped
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await wait_form(pilot, app, LastItemsForm)
        text = screen_text(app)
        assert "Cook together" in text and "Book the dentist" in text and "[Not yet]" in text
        await pilot.press("1")  # cook: done; focus moves on
        await pilot.press("2")  # dentist: not yet
        await pilot.press("3")  # paint: drop
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, NextItemsForm)
        assert app.screen.query_one("#item-0", Input).value == "Book the dentist"
        assert app.screen.query_one("#who-0", Select).value == "p1"
        assert f"carried over from {LAST.label}" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form(app).__class__.__name__ == "DueForm")
        await pilot.press("ctrl+b")  # any step can be skipped
        await wait_form(pilot, app, CloseForm)
        assert "(carried over)" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
    r = store_r.get(ready_store, THIS)
    assert r.done and set(r.skipped) == {"appreciations", "ratings", "words", "due"}
    assert [i.status for i in r.review] == ["done", "not_yet", "drop"]
    assert r.items == [ActionItem("Book the dentist", "p1", LAST.key)]


async def test_skipping_last_weeks_plans_keeps_them(make_app, ready_store):
    """Issue 15, bug 2: ctrl+b on "Last week's small plans" left step 6 empty."""
    seed_last_week(ready_store)
    r = rules.new_reflection(THIS, rules.FULL, START)
    r.step, r.skipped = "last_items", ["appreciations", "ratings", "words"]
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await wait_form(pilot, app, LastItemsForm)
        await pilot.press("ctrl+b")
        await wait_form(pilot, app, NextItemsForm)
        values = [app.screen.query_one(f"#item-{n}", Input).value for n in range(3)]
        assert values == ["Cook together", "Book the dentist", "Paint"]
        assert f"carried over from {LAST.label}" in screen_text(app)
    r = store_r.get(ready_store, THIS)
    assert [i.text for i in r.items] == ["Cook together", "Book the dentist", "Paint"]


async def test_two_minute_check_in(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:quick")
        await pass_curtain(pilot, app, 0)
        assert "Just one" in screen_text(app)
        await type_text(pilot, "Tea")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 1)
        await pilot.press("ctrl+s")  # empty: a clear message, not a traceback
        await pilot.pause()
        assert "Write at least one thing" in screen_text(app)
        await type_text(pilot, "Hug")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RatingsForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Rate at least one statement" in screen_text(app)
        await set_ratings(pilot, app, "5555555555")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 0)
        await rate(pilot, "3")
        await pilot.press("ctrl+s")  # 9 lines unrated: said once before moving on (issue 15, bug 9)
        await pilot.pause()
        assert "9 lines are not rated yet" in screen_text(app) and isinstance(form(app), RatingsForm)
        assert app.screen.focused.value is None  # the keyboard is on the first unrated line
        await pilot.press("ctrl+s")  # again, as they are
        await wait_form(pilot, app, RevealForm)
        assert "step 3 of 4" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, CloseForm)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "This week's reflection is done." in screen_text(app)
    r = store_r.get(ready_store, THIS)
    assert r.mode == rules.QUICK and r.done
    assert r.appreciations == {"p0": ["Tea"], "p1": ["Hug"]}
    assert r.ratings["p0"] == {"struggles": 3} and len(r.ratings["p1"]) == 10


async def test_privacy_nothing_of_one_partner_during_curtain_or_the_others_turn(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await pass_curtain(pilot, app, 0)
        app.screen.query_one(DraftArea).insert("ANA-THANKS")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        assert "ANA-THANKS" not in screen_text(app)
        await pass_curtain(pilot, app, 1)
        assert "ANA-THANKS" not in screen_text(app)
        app.screen.query_one(DraftArea).insert("SAM-THANKS")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RatingsForm)
        assert "ANA-THANKS" not in screen_text(app)
        await set_ratings(pilot, app, "5555555555")
        assert "[5]" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        curtain_text = screen_text(app)
        assert "[5]" not in curtain_text and "Very much" not in curtain_text and "SAM-THANKS" not in curtain_text
        await pass_curtain(pilot, app, 0)
        text = screen_text(app)
        assert "[5]" not in text and "SAM-THANKS" not in text
        assert all(row.value is None for row in app.screen.query(ChoiceRow))
        await set_ratings(pilot, app, "1111111111")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RevealForm)
        assert "↔ talk" in screen_text(app)  # now both are shown, side by side


async def test_leave_mid_way_and_resume_in_a_new_session(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "last:full")  # opened and left at once: still "not started"
        await pass_curtain(pilot, app, 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        assert store_r.get(ready_store, LAST) is None
        await choose(pilot, app, "last:full")
        await pass_curtain(pilot, app, 0)
        await type_text(pilot, "Ana's")
        await pilot.press("ctrl+s")
        await pass_curtain(pilot, app, 1)
        await type_text(pilot, "half writ")
        await pilot.press("escape")  # leave in the middle of Sam's turn
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        assert "Carry on with last week's reflection (step 1 of 8)" in screen_text(app)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        options = app.screen.query_one("#choices", OptionList)
        assert options.get_option_at_index(options.highlighted).id == "last:full"  # the week under way
        await pilot.press("enter")
        await pass_curtain(pilot, app, 1)  # Sam's turn, not Ana's again
        area = app.screen.query_one(DraftArea)
        assert area.text == "half writ"
        assert "Ana's" not in screen_text(app)
        await type_text(pilot, "!")
        await pilot.press("ctrl+s")
        await wait_form(pilot, app, RatingsForm)
        await pilot.press("4")
        await pilot.press("escape")  # leave again, mid-ratings
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await choose(pilot, app, "last:full")
        await pass_curtain(pilot, app, 1)
        assert app.screen.query_one("#rate-struggles", ChoiceRow).value == 4
    r = store_r.get(ready_store, LAST)
    assert r.appreciations == {"p0": ["Ana's"], "p1": ["half writ!"]} and r.step == "ratings"


async def test_trends_past_weeks_and_export(make_app, ready_store):
    for week, a, b in ((IsoWeek(2025, 52), 2, 3), (IsoWeek(2026, 1), 4, 4), (IsoWeek(2026, 10), 5, 3)):
        r = rules.new_reflection(week, rules.FULL, START)
        r.ratings = {"p0": {s: a for s in store_r.statement_ids()}, "p1": {"laughter": b}}
        store_r.save(ready_store, rules.finish(r, START))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "3 weeks with ratings: Week 52, 2025 to Week 10, 2026." in text
        assert "Overall" in text and "Laughing together" in text and "Together" in text
        overall = next(line for line in text.splitlines() if line.startswith("Overall"))
        assert "".join(overall.split()) == "Overall4.0▄▆▆"  # 2.5, 4, 4 on the fixed 1–5 scale
        assert "···" in text  # only one of them rated these: no 'together' value those weeks
        past = app.screen.query_one("#past", OptionList)
        assert past.option_count == 3
        past.focus()
        past.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WeekScreen))
        await pilot.pause()
        assert "Week 10, 2026" in screen_text(app)
        await pilot.press("e")
        await wait_for(pilot, lambda: "Saved to" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: "All weeks saved to" in screen_text(app))
    folder = export_folder(ready_store)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["reflection-2026-W10.md", f"reflections-{START.date().isoformat()}.md"]
    everything = (folder / names[1]).read_text(encoding="utf-8")
    assert "Week 52, 2025" in everything and "Week 1, 2026" in everything


async def test_screens_fit_80x24_and_100x30(make_app, ready_store):
    seed_last_week(ready_store)
    for size in ((80, 24), (100, 30)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await open_reflection(pilot, app)
            assert "Trends" in screen_text(app) and "Export" in screen_text(app)
            await choose(pilot, app, "this:full")
            await pass_curtain(pilot, app, 0)
            text = screen_text(app)
            assert "Save and go on" in text and "Skip my turn" in text  # buttons not cut off
            assert all(len(line) <= size[0] for line in text.splitlines())
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, ReflectionScreen))


def test_agreements_due_are_asked_defensively(monkeypatch, ready_store):
    import tui.screens.reflection.steps as screen_mod

    now = START
    assert screen_mod.agreement_lines(ready_store, now) == []  # nothing due (or no feature yet)
    monkeypatch.setattr(screen_mod, "AGREEMENTS_MODULE", "tui.store.no_such_module")
    assert screen_mod.agreement_lines(ready_store, now) == []
    fake = type("Fake", (), {})()
    fake.due_reviews = lambda store, when: [{"title": "Phones away at dinner"}, "A line as it is"]
    monkeypatch.setattr(screen_mod.importlib.util, "find_spec", lambda name: True)
    monkeypatch.setattr(screen_mod.importlib, "import_module", lambda name: fake)
    assert screen_mod.agreement_lines(ready_store, now) == [
        "Agreement to look at again together: Phones away at dinner",
        "A line as it is",
    ]
    fake.due_reviews = lambda store, when: 1 / 0
    assert screen_mod.agreement_lines(ready_store, now) == []


async def test_ratings_typed_faster_than_focus_moves_land_on_successive_lines(make_app, ready_store):
    from textual import events

    r = rules.new_reflection(THIS, rules.QUICK, START)
    r.step = "ratings"
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:quick")
        await pass_curtain(pilot, app, 0)
        first = app.screen.query_one("#rate-struggles", ChoiceRow)
        for ch in "425":  # a burst: all three queued on the first line before it handles any
            first.post_message(events.Key(ch, ch))
        await pilot.pause()
        values = [row.value for row in app.screen.query(ChoiceRow)]
        assert values[:4] == [4, 2, 5, None]
        assert app.screen.focused is app.screen.query_one("#rate-affection", ChoiceRow)


async def test_a_pause_over_private_appreciations_brings_the_curtain_back(make_app, ready_store):
    from tui.screens.pause.common import PauseScreenBase

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:full")
        await pass_curtain(pilot, app, 0)
        await type_text(pilot, "ANA-THANKS")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreenBase))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CurtainScreen))
        await pilot.pause()
        assert "ANA-THANKS" not in screen_text(app)
        await pass_curtain(pilot, app, 0)  # the same partner's turn, still hers
        await wait_for(pilot, lambda: "ANA-THANKS" in screen_text(app))


async def test_once_this_week_is_done_its_check_in_is_not_offered(make_app, ready_store):
    """Issue 15, rough edge: after this week's reflection, the menu still spoke of its check-in."""
    r = rules.new_reflection(THIS, rules.FULL, START)
    store_r.save(ready_store, rules.finish(r, START))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reflection(pilot, app)
        await pilot.pause()
        options = app.screen.query_one("#choices", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "this:read" in ids and "this:quick" not in ids and "this:full" not in ids
        assert "two-minute check-in keeps" not in screen_text(app)


def test_the_due_step_names_agreements_waiting_for_a_yes(ready_store):
    """Home says an agreement waits for a yes; the reflection's "What is due" must not say nothing waits."""
    import tui.screens.reflection.steps as screen_mod
    from tui.store import agreements

    a = agreements.create(ready_store, 0, title="Phones away at dinner", text="We leave them in the hall.",
                          kind="want", category="technology", review="monthly")
    agreements.propose(ready_store, a.id, 0)
    assert screen_mod.waiting_lines(ready_store) == ["“Phones away at dinner” is waiting for Sam's yes."]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_up_then_a_number_typed_at_once_rates_the_line_gone_back_to(make_app, ready_store, size):
    """↑ then 3, quickly: the 3 is for the line ↑ went back to (it used to land on the line
    being left, ↑ moving the keyboard only after it)."""
    from textual import events

    r = rules.new_reflection(THIS, rules.QUICK, START)
    r.step = "ratings"
    store_r.save(ready_store, r)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_reflection(pilot, app)
        await choose(pilot, app, "this:quick")
        await pass_curtain(pilot, app, 0)
        rows = list(app.screen.query(ChoiceRow))
        await pilot.press("4")  # the first line, and on to the second
        await wait_for(pilot, lambda: app.screen.focused is rows[1])
        for key, ch in (("up", None), ("3", "3"), ("5", "5")):  # a burst, through the app as a terminal's
            app.post_message(events.Key(key, ch))
        await wait_for(pilot, lambda: rows[1].value is not None)
        assert [row.value for row in rows[:3]] == [3, 5, None]
        assert app.screen.focused is rows[2]
