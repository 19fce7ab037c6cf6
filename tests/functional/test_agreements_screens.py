"""Pilot tests for the Agreements screens, end to end."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input, OptionList, Select

from tui.core.agreements import Status
from tui.screens.agreements.consent import ConsentScreen
from tui.screens.agreements.detail import AgreementDetailScreen
from tui.screens.agreements.editor import AgreementEditorScreen, TemplatePickerScreen
from tui.screens.agreements.parts import ChoiceDialog
from tui.screens.agreements.versions import VersionsScreen
from tui.screens.agreements.overview import AgreementsScreen, ArchiveScreen
from tui.screens.shared.curtain import CurtainScreen
from tui.screens.shell.home import HomeScreen
from tui.store import agreements as store_ag
from tui.widgets.draft_area import DraftArea

from tests.helpers import screen_text, type_text, wait_for


def marked(mark: str, line: str, text: str) -> bool:
    """A diff line with its marker (the screenshot may drop the space between them)."""
    return re.search(rf"^[\s│]*{re.escape(mark)}\s*{re.escape(line)}", text, flags=re.M) is not None


def on(app, kind):
    return lambda: isinstance(app.screen, kind)


async def open_agreements(app, pilot):
    await wait_for(pilot, on(app, HomeScreen))
    await pilot.press("3")
    await wait_for(pilot, on(app, AgreementsScreen))


def agreed(store, title="We take a time-out and come back", **kw):
    fields = dict(text="Either of us can call a pause.\nWe come back within a day.", kind="need",
                  category="conflict", review="monthly")
    fields.update(kw)
    a = store_ag.create(store, 0, title=title, **fields)
    store_ag.say_yes(store, a.id, 0)
    return store_ag.say_yes(store, a.id, 1)


async def choose_writer(app, pilot, who: int):
    app.screen.query_one("#writer", Select).value = who
    await pilot.pause()


async def consent_round(app, pilot, answers: dict[str, str]):
    """Press y on the detail screen, then each named partner answers behind the curtain."""
    await pilot.press("y")
    for name, key in answers.items():
        await wait_for(pilot, on(app, CurtainScreen))
        text = screen_text(app)
        assert f"Pass the keyboard to" in text and name in text
        assert "Either of us" not in text and "Phones go out of reach" not in text  # nothing of the agreement shows
        await pilot.press("space")
        await wait_for(pilot, on(app, ConsentScreen))
        assert f"{name}  · your turn to decide" in screen_text(app)
        await pilot.press(key)
    await wait_for(pilot, on(app, AgreementDetailScreen))
    await pilot.pause()


async def test_full_life_of_an_agreement(make_app, ready_store, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        assert "No agreements yet" in screen_text(app)

        # new, from a template
        await pilot.press("n")
        await wait_for(pilot, on(app, TemplatePickerScreen))
        options = app.screen.query_one("#pick-list", OptionList)
        options.highlighted = options.get_option_index("t:phone-free-meals")
        await pilot.pause()
        assert "face down" in screen_text(app)  # the preview
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        assert app.screen.query_one("#title", Input).value == "Phones stay away at meals"
        await choose_writer(app, pilot, 0)
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        [a] = store_ag.list_agreements(ready_store)
        assert a.status is Status.DRAFT and a.template == "phone-free-meals"
        assert "○ Draft" in screen_text(app)

        # both consent, each on their own turn behind the curtain
        await consent_round(app, pilot, {"Ana": "y", "Sam": "y"})
        assert store_ag.get(ready_store, a.id).status is Status.AGREED
        text = screen_text(app)
        assert "● Agreed" in text and "◆ Ana ✓ yes" in text and "● Sam ✓ yes" in text

        # change it: back to Proposed; writing is not agreeing, so both are asked (issue 15, bug 10)
        await pilot.press("e")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        area = app.screen.query_one("#text", DraftArea)
        area.focus()
        await pilot.press("end")
        await pilot.press("enter")
        await type_text(pilot, "Dessert is phone free too.")
        # at one keyboard, the writer chosen earlier in this session is kept (not the first version's, a guess)
        assert app.screen.query_one("#writer").value == 0
        assert "Writing is not agreeing" in screen_text(app)
        await choose_writer(app, pilot, 1)
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.pause()
        b = store_ag.get(ready_store, a.id)
        assert b.status is Status.PROPOSED and b.consent == (False, False)
        assert b.versions[-1].author == 1
        text = screen_text(app)
        assert "◐ Proposed" in text and "◆ Ana ○ not yet" in text and "● Sam ○ not yet" in text
        assert "Dessert is phone free too." in text

        # consent again: each is asked in turn and sees what changed
        await pilot.press("y")
        for _ in range(2):
            await wait_for(pilot, on(app, CurtainScreen))
            await pilot.press("space")
            await wait_for(pilot, on(app, ConsentScreen))
            assert "What changed since you both last agreed" in screen_text(app)
            assert marked("+", "Dessert is phone free too.", screen_text(app))
            await pilot.press("y")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        assert store_ag.get(ready_store, a.id).status is Status.AGREED

        # versions and the diff
        await pilot.press("v")
        await wait_for(pilot, on(app, VersionsScreen))
        text = screen_text(app)
        assert "Version 2" in text and "● Sam" in text and "changed the wording" in text
        assert marked("+", "Dessert is phone free too.", text)
        assert not marked("-", "A quick photo of the food is fine", text)
        await pilot.press("t")
        await pilot.pause()
        assert "as it was written" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, on(app, AgreementDetailScreen))

        # export
        await pilot.press("escape")
        await wait_for(pilot, on(app, AgreementsScreen))
        await pilot.press("m")
        await pilot.pause()
        files = list(Path.home().glob("hearth-agreements-*.md"))
        assert len(files) == 1
        md = files[0].read_text()
        assert "### Technology & phones" in md and "#### Phones stay away at meals" in md
        assert "Dessert is phone free too." in md and "Agreed by Ana and Sam" in md
        assert "Written to" in screen_text(app)

        # retire: off the list, into the archive
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.press("a")
        await wait_for(pilot, on(app, AgreementsScreen))
        await pilot.pause()
        assert "Phones stay away at meals" not in screen_text(app)
        assert store_ag.get(ready_store, a.id).retired
        await pilot.press("a")
        await wait_for(pilot, on(app, ArchiveScreen))
        assert "Phones stay away at meals" in screen_text(app)


async def test_changing_agreed_text_resets_consent(make_app, ready_store):
    a = agreed(ready_store)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_agreements(app, pilot)
        assert "● Agreed" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.press("e")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        app.screen.query_one("#text", DraftArea).focus()
        await type_text(pilot, " Really.")
        await choose_writer(app, pilot, 0)
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.pause()
        b = store_ag.get(ready_store, a.id)
        assert b.status is Status.PROPOSED and b.consent == (False, False)
        assert len(b.versions) == 2
        assert "◐ Proposed" in screen_text(app) and "● Sam ○ not yet" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, on(app, AgreementsScreen))
        await pilot.press("escape")
        await wait_for(pilot, on(app, HomeScreen))
        await pilot.pause()
        assert "“We take a time-out and come back” has new wording and is waiting for both" in screen_text(app)


async def test_not_yet_is_a_fine_answer(make_app, ready_store):
    a = store_ag.create(ready_store, 0, title="Screens off in bed", text="Half an hour.", kind="want",
                        category="technology", review="none")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await consent_round(app, pilot, {"Ana": "n", "Sam": "y"})
        b = store_ag.get(ready_store, a.id)
        assert b.status is Status.PROPOSED and b.consent == (False, True) and b.proposed_by == 1


async def test_empty_title_is_refused_at_the_field(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, on(app, TemplatePickerScreen))
        app.screen.query_one("#pick-list", OptionList).highlighted = 0
        await pilot.press("enter")  # a blank page
        await wait_for(pilot, on(app, AgreementEditorScreen))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Please give it a title" in screen_text(app)
        assert isinstance(app.focused, Input) and app.focused.id == "title"
        await type_text(pilot, "Our own rule")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Please give it a title" not in screen_text(app)
        assert "Please choose a category" in screen_text(app)
        assert store_ag.list_agreements(ready_store) == []


async def test_own_category_and_huge_text(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, on(app, TemplatePickerScreen))
        app.screen.query_one("#pick-list", OptionList).highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        await type_text(pilot, "Game night")
        app.screen.query_one("#category", Select).value = "__own__"
        await pilot.pause()
        await type_text(pilot, "Our weekends")
        await choose_writer(app, pilot, 1)
        app.screen.query_one("#text", DraftArea).load_text("word " * 1000)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "please keep an agreement under" in screen_text(app)
        app.screen.query_one("#text", DraftArea).load_text("Fridays are for board games.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        [a] = store_ag.list_agreements(ready_store)
        assert a.category == "own:our-weekends" and a.versions[0].author == 1
        assert "Our weekends" in screen_text(app)


async def test_typed_text_survives_a_quit(make_app, ready_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, on(app, TemplatePickerScreen))
        app.screen.query_one("#pick-list", OptionList).highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        await type_text(pilot, "Sunday mornings")
        app.screen.query_one("#text", DraftArea).focus()
        await type_text(pilot, "Slow breakfast")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        assert "Not saved yet: Sunday mornings" in screen_text(app)  # on the list, and also under n
        await pilot.press("n")
        await wait_for(pilot, on(app, TemplatePickerScreen))
        assert "Go on with the one you started: Sunday mornings" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        assert app.screen.query_one("#title", Input).value == "Sunday mornings"
        assert app.screen.query_one("#text", DraftArea).text == "Slow breakfast"


async def test_leaving_the_editor_asks_about_unsaved_changes(make_app, ready_store):
    a = agreed(ready_store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.press("e")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        await type_text(pilot, " now")
        await pilot.press("escape")
        await wait_for(pilot, on(app, ChoiceDialog))
        app.screen.query_one("#choice-keep").press()
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.pause()
        assert "changes you did not save yet" in screen_text(app)
        await pilot.press("e")
        await wait_for(pilot, on(app, AgreementEditorScreen))
        assert app.screen.query_one("#title", Input).value.endswith(" now")
        await pilot.press("escape")
        await wait_for(pilot, on(app, ChoiceDialog))
        app.screen.query_one("#choice-discard").press()
        await wait_for(pilot, on(app, AgreementDetailScreen))
    assert store_ag.editor_draft(ready_store, a.id) is None
    assert store_ag.get(ready_store, a.id).status is Status.AGREED


async def test_delete_needs_confirmation(make_app, ready_store):
    a = agreed(ready_store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.press("d")
        await wait_for(pilot, on(app, ChoiceDialog))
        assert "cannot be undone" in screen_text(app)
        await pilot.press("enter")  # "Keep it" has the focus
        await wait_for(pilot, on(app, AgreementDetailScreen))
        assert store_ag.exists(ready_store, a.id)
        await pilot.press("d")
        await wait_for(pilot, on(app, ChoiceDialog))
        app.screen.query_one("#choice-delete").press()
        await wait_for(pilot, on(app, AgreementsScreen))
    assert not store_ag.exists(ready_store, a.id)


async def test_due_review_shows_on_home_and_still_good_moves_it(make_app, ready_store, clock):
    a = agreed(ready_store)
    clock.advance(days=40)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, on(app, HomeScreen))
        # "What's due" fills in just after home is drawn
        await wait_for(pilot, lambda: "Time to look again at “We take a time-out and come back”" in screen_text(app))
        await pilot.press("3")
        await wait_for(pilot, on(app, AgreementsScreen))
        assert "review due" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.press("r")
        await wait_for(pilot, on(app, ChoiceDialog))
        await pilot.press("enter")  # "Reviewed, still good"
        await wait_for(pilot, on(app, AgreementDetailScreen))
        await pilot.pause()
        b = store_ag.get(ready_store, a.id)
        assert b.next_review == clock.now().date().replace(month=5, day=23)
        assert "next on 23 May 2026" in screen_text(app)


async def test_archive_bring_back(make_app, ready_store):
    a = agreed(ready_store)
    store_ag.retire(ready_store, a.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agreements(app, pilot)
        await pilot.press("a")
        await wait_for(pilot, on(app, ArchiveScreen))
        await pilot.press("enter")
        await wait_for(pilot, on(app, AgreementDetailScreen))
        text = screen_text(app)
        assert "in the archive" in text and "Bring back (b)" in text and "Edit (e)" not in text
        await pilot.press("b")
        await wait_for(pilot, on(app, ArchiveScreen))
    assert not store_ag.get(ready_store, a.id).retired


async def test_screens_fit_small_and_large(make_app, ready_store):
    for i in range(6):
        agreed(ready_store, f"A fairly long agreement title number {i} that goes on", category="money")
    for size in ((80, 24), (100, 30)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await open_agreements(app, pilot)
            assert "Export (Markdown)" in screen_text(app) and "Time-out" in screen_text(app)  # the footer fits
            await pilot.press("enter")
            await wait_for(pilot, on(app, AgreementDetailScreen))
            text = screen_text(app)
            for label in ("Edit (e)", "Versions (v)", "Review (r)", "Retire (a)", "Delete (d)"):
                assert label in text, (size, label)
            await pilot.press("e")
            await wait_for(pilot, on(app, AgreementEditorScreen))
            text = screen_text(app)
            assert "Save (ctrl+s)" in text and "What you agree on" in text and "Review monthly" in text
