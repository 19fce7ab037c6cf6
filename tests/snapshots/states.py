"""How to reach each screen, as a person would (keys), for the snapshot tests.

Each state is an async function of the pilot that ends once the screen it names is drawn.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, Select

from tui.core.rounds import FAVOURITES

State = Callable[[Pilot], Awaitable[None]]


async def until(pilot: Pilot, condition: Callable[[], object], what: str, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never reached {what}")


def showing(pilot: Pilot, name: str) -> Callable[[], bool]:
    return lambda: type(pilot.app.screen).__name__ == name and pilot.app.screen.is_mounted


async def to(pilot: Pilot, name: str, *keys: str) -> None:
    if keys:
        await pilot.press(*keys)
    await until(pilot, showing(pilot, name), name)


# -- the shell --------------------------------------------------------------------------------------
async def home(pilot: Pilot) -> None:
    await to(pilot, "HomeScreen")
    await until(pilot, lambda: "Nothing is due" in str(pilot.app.screen.query_one("#due").render())
                or "•" in str(pilot.app.screen.query_one("#due").render()), "what's due")


async def help_on_home(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "HelpScreen", "f1")


async def settings(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "SettingsScreen", "s")


async def palette(pilot: Pilot) -> None:
    """With a query: the commands found at once (no query) arrive from two providers in either order."""
    await home(pilot)
    await to(pilot, "CommandPalette", "ctrl+p")
    for key in "search":
        await pilot.press(key)
    await until(pilot, lambda: "Search History" in "".join(
        str(o.prompt) for o in pilot.app.screen.query_one("CommandList").options), "the command found")


async def onboarding(pilot: Pilot) -> None:
    await to(pilot, "OnboardingScreen")


async def unlock(pilot: Pilot) -> None:
    """An encrypted Hearth at start, with a passphrase half typed (shown masked)."""
    await to(pilot, "UnlockScreen")
    for key in "secret":
        await pilot.press(key)


# -- encryption, from Settings ----------------------------------------------------------------------
async def settings_encryption(pilot: Pilot) -> None:
    """Settings scrolled to its end: encryption off, and the button that turns it on."""
    await settings(pilot)
    pilot.app.screen.query_one("#crypt-on").focus()
    pilot.app.screen.query_one("#settings-body").scroll_end(animate=False)
    await pilot.pause()


async def encryption_on(pilot: Pilot) -> None:
    """Turning it on: Ana's passphrase, its first field half typed (masked)."""
    await settings_encryption(pilot)
    await to(pilot, "EncryptionScreen", "enter")
    await until(pilot, lambda: pilot.app.screen.step == "partner-0", "Ana's step")
    for key in "secret":
        await pilot.press(key)


async def encryption_second(pilot: Pilot) -> None:
    """Sam's turn, after Ana's passphrase was typed twice and a mismatch was said."""
    await encryption_on(pilot)
    for key in ("backspace",) * 6 + tuple("ana's own words") + ("enter",) + tuple("ana's own words") + ("enter",):
        await pilot.press(key if key != " " else "space")
    await until(pilot, lambda: pilot.app.screen.step == "partner-1", "Sam's step")
    for key in tuple("sam's own words") + ("enter",) + tuple("sam's own wordz") + ("enter",):
        await pilot.press(key if key != " " else "space")
    await until(pilot, lambda: "did not match" in str(pilot.app.screen.query_one("#crypt-status").render()),
                "the mismatch said")


async def encryption_recovery(pilot: Pilot) -> None:
    await encryption_second(pilot)
    for key in tuple("sam's own words") + ("enter",) + tuple("sam's own words") + ("enter",):
        await pilot.press(key if key != " " else "space")
    await until(pilot, lambda: pilot.app.screen.step == "recovery", "the recovery step")


async def encryption_off(pilot: Pilot) -> None:
    """An encrypted Hearth, Settings → Turn encryption off…: the question before it."""
    await unlocked_settings(pilot)
    pilot.app.screen.query_one("#crypt-off").press()
    await to(pilot, "EncryptionScreen")
    await until(pilot, lambda: pilot.app.screen.step == "confirm", "the question")


async def unlocked_settings(pilot: Pilot) -> None:
    await to(pilot, "UnlockScreen")
    for key in "ana's own words":
        await pilot.press(key if key != " " else "space")
    await pilot.press("enter")
    await home(pilot)
    await to(pilot, "SettingsScreen", "s")


async def settings_encrypted(pilot: Pilot) -> None:
    """Settings of an encrypted Hearth, scrolled to its end: what it opens with, and the buttons."""
    await unlocked_settings(pilot)
    pilot.app.screen.query_one("#crypt-change").focus()
    pilot.app.screen.query_one("#settings-body").scroll_end(animate=False)
    await pilot.pause()


async def encryption_change(pilot: Pilot) -> None:
    await settings_encrypted(pilot)
    await to(pilot, "EncryptionScreen", "enter")
    await until(pilot, lambda: pilot.app.screen.step == "change", "the change step")


# -- rounds -----------------------------------------------------------------------------------------
async def round_setup(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "RoundSetupScreen", "1")


async def _start_write_round(pilot: Pilot) -> None:
    await round_setup(pilot)
    screen = pilot.app.screen
    picker = screen.query_one("#decks")
    for index, (value, *_rest) in enumerate(picker.entries):
        if (value in picker.chosen) != (value == FAVOURITES):
            picker.toggle_index(index)
    screen.query_one("#mode", Select).value = "write"
    screen.query_one("#length", Select).value = "cards:3"
    screen.query_one("#first", Select).value = "a"
    await pilot.pause()
    await to(pilot, "CurtainScreen", "ctrl+s")


async def round_curtain(pilot: Pilot) -> None:
    await _start_write_round(pilot)


async def round_private_turn(pilot: Pilot) -> None:
    await _start_write_round(pilot)
    await to(pilot, "RoundPlayScreen", "space")
    pilot.app.screen.query_one("#answer").insert("The walk by the river when we missed the last bus.")
    await pilot.pause()


async def round_reveal(pilot: Pilot) -> None:
    await round_private_turn(pilot)
    await to(pilot, "CurtainScreen", "ctrl+s")
    await to(pilot, "RoundPlayScreen", "space")
    pilot.app.screen.query_one("#answer").insert("Soup on the floor in the blanket fort, that rainy Sunday.")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: getattr(pilot.app.screen, "_view", "") == "gate", "the reveal gate")
    await pilot.press("enter")
    await until(pilot, lambda: getattr(pilot.app.screen, "_view", "") == "reveal", "the reveal")


async def round_leave(pilot: Pilot) -> None:
    await round_reveal(pilot)
    await to(pilot, "LeaveRoundScreen", "escape")


async def round_summary(pilot: Pilot) -> None:
    """Ended at the first card's reveal: one card went through, nothing is left unrevealed."""
    await round_leave(pilot)
    await pilot.click("#end")
    await until(pilot, lambda: getattr(pilot.app.screen, "_view", "") == "summary"
                and pilot.app.screen.query("#home"), "the round's summary")


# -- pause ------------------------------------------------------------------------------------------
async def pause_start(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "PauseStartScreen", "2")
    await until(pilot, lambda: pilot.app.screen.query("#who-0"), "the start keys")


async def pause_countdown(pilot: Pilot) -> None:
    await pause_start(pilot)
    pilot.app.screen.query_one("#topic", Input).value = "the holiday plans"
    await to(pilot, "PauseCountdownScreen", "1")
    pilot.app.clock.advance(minutes=6, seconds=35)
    await until(pilot, lambda: pilot.app.screen.query_one("#countdown").value == "13:25", "the countdown")


async def pause_checkin(pilot: Pilot) -> None:
    await pause_countdown(pilot)
    pilot.app.clock.advance(minutes=14)
    await to(pilot, "CheckInScreen", "r")


async def _both_check_in(pilot: Pilot) -> None:
    """Each partner in turn, behind the curtain: calm 7 and ready."""
    for _ in range(2):
        await to(pilot, "CurtainScreen")
        await pilot.press("enter")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "CheckInScreen"
                    and pilot.app.screen.query("#calm"), "a check-in turn")
        await pilot.press("7", "y")


async def pause_repair(pilot: Pilot) -> None:
    await pause_checkin(pilot)
    await until(pilot, lambda: pilot.app.screen.query("#begin"), "the check-in's begin")
    await pilot.press("enter")
    await _both_check_in(pilot)
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "RepairScreen"
                and pilot.app.screen.query("#begin"), "the repair's first words")


async def pause_repair_turn(pilot: Pilot) -> None:
    """The first private turn of the repair: how I felt."""
    await pause_repair(pilot)
    await to(pilot, "CurtainScreen", "enter")
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "RepairScreen"
                and pilot.app.screen.query("#feelings"), "how I felt")


async def pause_talk(pilot: Pilot) -> None:
    await pause_start(pilot)
    await to(pilot, "TalkScreen", "t")
    await until(pilot, lambda: pilot.app.screen.query("#topic"), "the talk's topic")


async def pause_dream(pilot: Pilot) -> None:
    await pause_start(pilot)
    await to(pilot, "DreamScreen", "d")
    await until(pilot, lambda: pilot.app.screen.query("#topic") or pilot.app.screen.query("DraftArea"),
                "the dream's first step")


async def pause_phrases(pilot: Pilot) -> None:
    await pause_countdown(pilot)
    await to(pilot, "PhrasesScreen", "f2")


async def pause_log(pilot: Pilot) -> None:
    await pause_start(pilot)
    await to(pilot, "PauseLogScreen", "l")


async def pause_detail(pilot: Pilot) -> None:
    """One past pause, opened from the log."""
    await pause_log(pilot)
    await to(pilot, "PauseDetailScreen", "enter")


async def pause_kept_talks(pilot: Pilot) -> None:
    """The talks kept from pauses (none yet in the demo data: the screen says so)."""
    from tui.screens.pause.talk import KeptTalksScreen

    await home(pilot)
    pilot.app.push_screen(KeptTalksScreen())
    await until(pilot, showing(pilot, "KeptTalksScreen"), "the kept talks")


# -- agreements -------------------------------------------------------------------------------------
async def agreements(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "AgreementsScreen", "3")


async def agreement_detail(pilot: Pilot) -> None:
    await agreements(pilot)
    await to(pilot, "AgreementDetailScreen", "enter")


async def agreement_delete(pilot: Pilot) -> None:
    """The question before an agreement is deleted for good (the choice dialog)."""
    await agreement_detail(pilot)
    await to(pilot, "ChoiceDialog", "d")


async def agreement_versions(pilot: Pilot) -> None:
    await agreement_detail(pilot)
    await to(pilot, "VersionsScreen", "v")


async def agreement_consent(pilot: Pilot) -> None:
    """An agreement still waiting for a yes, opened, and the yes asked behind the curtain."""
    from tui.store import agreements as store_ag

    await agreements(pilot)
    options = pilot.app.screen.query_one("#agreement-list")
    await until(pilot, lambda: options.option_count, "the list")
    waiting = [i for i in range(options.option_count)
               if (options.get_option_at_index(i).id or "").startswith("a:")
               and store_ag.get(pilot.app.store, int(options.get_option_at_index(i).id[2:])).waiting_for]
    options.highlighted = waiting[0]
    await to(pilot, "AgreementDetailScreen", "enter")
    await to(pilot, "CurtainScreen", "y")
    await to(pilot, "ConsentScreen", "enter")


async def agreement_archive(pilot: Pilot) -> None:
    await agreements(pilot)
    await to(pilot, "ArchiveScreen", "a")


async def agreement_templates(pilot: Pilot) -> None:
    await agreements(pilot)
    await to(pilot, "TemplatePickerScreen", "n")


async def agreement_editor(pilot: Pilot) -> None:
    await agreement_templates(pilot)
    await to(pilot, "AgreementEditorScreen", "enter")


# -- reflection -------------------------------------------------------------------------------------
async def reflection(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "ReflectionScreen", "4")


async def reflection_extras(pilot: Pilot) -> None:
    """This week's reflection begun with a choice of the optional steps."""
    from textual.widgets import OptionList

    await reflection(pilot)
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index("this:choose")
    await to(pilot, "ExtrasChoiceScreen", "enter")


async def reflection_trends(pilot: Pilot) -> None:
    await reflection(pilot)
    await to(pilot, "TrendsScreen", "t")


async def reflection_week(pilot: Pilot) -> None:
    """Last week's reflection, done: read as it was written."""
    await reflection(pilot)
    options = pilot.app.screen.query_one("#choices")
    await until(pilot, lambda: options.option_count, "the choices")
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index("last:read")
    await to(pilot, "WeekScreen", "enter")
    await until(pilot, lambda: pilot.app.screen.query("#week-md MarkdownH1, #week-md MarkdownH2"), "the week's text")


# -- history ----------------------------------------------------------------------------------------
async def history(pilot: Pilot) -> None:
    await home(pilot)
    await to(pilot, "HistoryScreen", "h")


async def history_search(pilot: Pilot) -> None:
    await history(pilot)
    await pilot.press("slash")
    for key in "walk":
        await pilot.press(key)
    # the search runs in a worker: wait until it has looked through every year
    await until(pilot, lambda: any(end in str(pilot.app.screen.query_one("#search-info").render()).casefold()
                                   for end in ("found for", "nothing found")), "search results")


async def history_round(pilot: Pilot) -> None:
    await history(pilot)
    await to(pilot, "RoundDetailScreen", "enter")


#: name -> (how to get there, on which database: "demo", "empty" or "locked", see conftest.py)
# -- two homes ---------------------------------------------------------------------------------------
async def link(pilot: Pilot) -> None:
    """Settings → Two homes on a linked computer: the folder, and the other not heard from yet."""
    await settings(pilot)
    await to(pilot, "LinkScreen", "ctrl+o")


async def round_apart(pilot: Pilot) -> None:
    """A Write & reveal round played apart, at Ana's computer: her first answer box."""
    import random

    from tui.core.decks import Card
    from tui.core.rounds import Choices, new_round, plan_round
    from tui.screens.rounds.apart_play import ApartPlayScreen
    from tui.store import rounds as store_rounds

    await home(pilot)
    app = pilot.app
    cards = [Card("snap", f"s{i}", text, 1, "question") for i, text in enumerate(
        ("What would make this weekend feel restful to you?", "Which small habit of mine do you like?"))]
    choices = Choices(decks=("snap",), depth="light", length=2, mode="write", first="a")
    rng = random.Random(3)
    plan = plan_round(cards, choices, usage={}, seq=1, window=20, rng=rng)
    state = new_round(plan, choices, deck_titles={"snap": "Snapshot deck"}, names=("Ana", "Sam"),
                      now=app.clock.now(), rng=rng)
    state.apart = True
    started = store_rounds.start_round(app.store, state)
    app.push_screen(ApartPlayScreen(started.id))
    await until(pilot, lambda: showing(pilot, "ApartPlayScreen")() and app.screen._view != "blank", "the apart round")


async def history_kept_answer(pilot: Pilot) -> None:
    """An answer its writer kept for themselves, shown to them alone (after History's curtain)."""
    from rich.text import Text

    from tui.screens.history.browse import KeptAnswerScreen

    await home(pilot)
    pilot.app.push_screen(KeptAnswerScreen(Text("Ana, what you kept for yourself:"),
                                           "What would make this weekend feel restful to you?",
                                           "A slow morning, and no plans until lunch."))
    await until(pilot, showing(pilot, "KeptAnswerScreen"), "the kept answer")


STATES: dict[str, tuple[State, str]] = {
    "onboarding": (onboarding, "empty"),
    "unlock": (unlock, "locked"),
    "settings-encryption": (settings_encryption, "demo"),
    "encryption-on": (encryption_on, "demo"),
    "encryption-second": (encryption_second, "demo"),
    "encryption-recovery": (encryption_recovery, "demo"),
    "settings-encrypted": (settings_encrypted, "locked"),
    "encryption-change": (encryption_change, "locked"),
    "encryption-off": (encryption_off, "locked"),
    "home": (home, "demo"),
    "help": (help_on_home, "demo"),
    "settings": (settings, "demo"),
    "palette": (palette, "demo"),
    "round-setup": (round_setup, "demo"),
    "round-curtain": (round_curtain, "demo"),
    "round-private-turn": (round_private_turn, "demo"),
    "round-reveal": (round_reveal, "demo"),
    "round-leave": (round_leave, "demo"),
    "round-summary": (round_summary, "demo"),
    "pause-start": (pause_start, "demo"),
    "pause-countdown": (pause_countdown, "demo"),
    "pause-checkin": (pause_checkin, "demo"),
    "pause-phrases": (pause_phrases, "demo"),
    "pause-repair": (pause_repair, "demo"),
    "pause-repair-turn": (pause_repair_turn, "demo"),
    "pause-talk": (pause_talk, "demo"),
    "pause-dream": (pause_dream, "demo"),
    "pause-log": (pause_log, "demo"),
    "pause-kept-talks": (pause_kept_talks, "demo"),
    "pause-detail": (pause_detail, "demo"),
    "agreements": (agreements, "demo"),
    "agreement-detail": (agreement_detail, "demo"),
    "agreement-versions": (agreement_versions, "demo"),
    "agreement-consent": (agreement_consent, "demo"),
    "agreement-delete": (agreement_delete, "demo"),
    "agreement-archive": (agreement_archive, "demo"),
    "agreement-templates": (agreement_templates, "demo"),
    "agreement-editor": (agreement_editor, "demo"),
    "reflection": (reflection, "demo"),
    "reflection-trends": (reflection_trends, "demo"),
    "reflection-extras": (reflection_extras, "demo"),
    "reflection-week": (reflection_week, "demo"),
    "history": (history, "demo"),
    "history-search": (history_search, "demo"),
    "history-round": (history_round, "demo"),
    "history-kept-answer": (history_kept_answer, "demo"),
    "link": (link, "linked"),
    "round-apart": (round_apart, "linked"),
}
