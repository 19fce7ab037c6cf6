"""Make the README's screenshots: SVGs of Hearth on the demo data, at 100×30.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.svg
    .venv/bin/python scripts/screenshots.py --out DIR  # somewhere else

Each picture starts the real app headless (Textual's run_test) on a fresh demo database with a
fixed clock, and gets where it needs to be with key presses, as a person would. The clock and
the random choices are fixed, so running it again gives the same pictures unless the app changed.
Your own database is never opened.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, OptionList, Select  # noqa: E402

from tui.app import HearthApp  # noqa: E402
from tui.core import agreements as agreement_rules  # noqa: E402
from tui.core.clock import FakeClock  # noqa: E402
from tui.core.rounds import FAVOURITES  # noqa: E402
from tui.demo import DEMO, populate  # noqa: E402
from tui.paths import shipped_decks_dir  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.store import agreements as store_agreements  # noqa: E402

SIZE = (100, 30)
NOW = datetime(2026, 3, 14, 20, 25, tzinfo=timezone.utc)  # a Saturday evening
#: A few months of history, so the trends have a shape, and a few versions per agreement, so the
#: diff has something to show; otherwise the demo as `hearth --demo` has it.
SHAPE = replace(DEMO, weeks=16, versions_per_agreement=4)
OUT = ROOT / "docs" / "screenshots"

#: What Ana and Sam write in the round that is photographed, for the card the fixed choices bring
#: up (the script stops and says so if they bring up another: answers that do not fit the card
#: were once photographed).
ANSWERS = {
    "work-and-ambition/work-003": (
        "Noor at the bakery counter. She hums while she works and somehow the mornings go faster.",
        "The volunteers at the community garden. Nobody is in charge and everything still gets done.",
    ),
}


class _FixedRandom(random.Random):
    """random.Random() without a seed (the round setup uses one) gets a fixed seed here."""

    def __init__(self, x: object = None) -> None:
        super().__init__(20260314 if x is None else x)


async def wait_for(pilot: Pilot, condition: Callable[[], object], what: str, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise RuntimeError(f"gave up waiting for {what}")


def screen_words(app: HearthApp) -> str:
    """The characters on screen, read back from an SVG export."""
    found = re.findall(r"<text[^>]*>(.*?)</text>", app.export_screenshot(), flags=re.S)
    return html.unescape("".join(found)).replace("\xa0", " ")


def on(app: HearthApp, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name and app.screen.is_mounted


# -- the pictures ---------------------------------------------------------------------------------------------

async def home(pilot: Pilot, app: HearthApp) -> None:
    await wait_for(pilot, on(app, "HomeScreen"), "home")


async def _round_to_curtain(pilot: Pilot, app: HearthApp) -> None:
    """Home → 1 → a three-card Write & reveal round from the starred cards, Ana first."""
    await home(pilot, app)
    await pilot.press("1")
    await wait_for(pilot, on(app, "RoundSetupScreen"), "round setup")
    screen = app.screen
    picker = screen.query_one("#decks")
    for index, (value, *_rest) in enumerate(picker.entries):
        if (value in picker.chosen) != (value == FAVOURITES):
            picker.toggle_index(index)
    screen.query_one("#mode", Select).value = "write"
    screen.query_one("#length", Select).value = "cards:3"
    screen.query_one("#depth", Select).value = "climb"
    screen.query_one("#first", Select).value = "a"
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, on(app, "CurtainScreen"), "the curtain")


async def round_curtain(pilot: Pilot, app: HearthApp) -> None:
    await _round_to_curtain(pilot, app)


async def round_reveal(pilot: Pilot, app: HearthApp) -> None:
    await _round_to_curtain(pilot, app)
    play = next(s for s in app.screen_stack if type(s).__name__ == "RoundPlayScreen")
    key = play.state.card.key
    if key not in ANSWERS:  # answers that do not fit the card would be photographed (it happened)
        raise SystemExit(f"round-reveal: the fixed choices now bring up {key!r} "
                         f"({play.state.card.text!r}); add Ana's and Sam's answers to it in ANSWERS")
    answers = ANSWERS[key]
    for turn, answer in enumerate(answers):
        if turn:
            await wait_for(pilot, on(app, "CurtainScreen"), "the second curtain")
        await pilot.press("space")
        await wait_for(pilot, lambda: on(app, "RoundPlayScreen")() and app.screen._view == "private", "a private turn")
        app.screen.query_one("#answer").insert(answer)
        await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: on(app, "RoundPlayScreen")() and app.screen._view == "gate", "the reveal gate")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen._view == "reveal", "the reveal")


async def pause_countdown(pilot: Pilot, app: HearthApp) -> None:
    await home(pilot, app)
    await pilot.press("2")
    await wait_for(pilot, lambda: on(app, "PauseStartScreen")() and app.screen.query("#who-0"), "the pause screen")
    app.screen.query_one("#topic", Input).value = "the holiday plans"
    await pilot.press("1")  # Ana needs a break
    await wait_for(pilot, on(app, "PauseCountdownScreen"), "the countdown")
    app.clock.advance(minutes=6, seconds=35)
    await wait_for(pilot, lambda: app.screen.query_one("#countdown").value == "13:25", "the countdown to move")


def _most_changed(store: Store) -> int:
    """The agreed agreement whose wording changed most since it was first written."""
    def changes(a) -> tuple[bool, int]:
        marks = [line.mark for line in agreement_rules.diff_against_current(a, 0) if line.mark != " "]
        return len(set(marks)) == 2, len(marks)  # lines both taken out and added, then the most

    found = [a for a in store_agreements.list_agreements(store) if a.status is agreement_rules.Status.AGREED]
    return max(found, key=lambda a: (changes(a), -a.id)).id


async def agreement_versions(pilot: Pilot, app: HearthApp) -> None:
    await home(pilot, app)
    await pilot.press("3")
    await wait_for(pilot, on(app, "AgreementsScreen"), "the agreements")
    options = app.screen.query_one("#agreement-list", OptionList)
    options.highlighted = options.get_option_index(f"a:{_most_changed(app.store)}")
    await pilot.press("enter")
    await wait_for(pilot, on(app, "AgreementDetailScreen"), "the agreement")
    await pilot.press("v")
    await wait_for(pilot, on(app, "VersionsScreen"), "its versions")
    await pilot.press("end")  # compare the first version with now
    await wait_for(pilot, lambda: "From version 1 to now" in screen_words(app), "the diff from version 1")


async def reflection_trends(pilot: Pilot, app: HearthApp) -> None:
    await home(pilot, app)
    await pilot.press("4")
    await wait_for(pilot, on(app, "ReflectionScreen"), "the weekly reflection")
    await pilot.press("t")
    await wait_for(pilot, on(app, "TrendsScreen"), "the trends")


async def two_homes(pilot: Pilot, app: HearthApp) -> None:
    """Ana's own computer, linked to a folder that Sam's new Hearth also links to: Sam proposes
    an agreement at his home, and Ana's home says so once it has come in."""
    from tui.store import sync

    folder = Path(tempfile.mkdtemp(prefix="hearth-shots-folder-"))
    now = app.clock.now()
    sync.link(app.store, folder, 0, now)
    with Store.open(folder.parent / (folder.name + "-sam.json"), clock=app.clock, background=False) as sam:
        sync.link(sam, folder, 1, now)
        made = store_agreements.create(sam, 1, title="A walk after dinner on Sundays",
                                       text="On Sundays we walk together after dinner, whatever the weather.",
                                       kind="want", category="time", review="monthly")
        store_agreements.propose(sam, made.id, 1)
        sync.sync_now(sam, now, keep=True)
    app.start_homes()
    await home(pilot, app)
    app.homes.merge()
    await wait_for(pilot, lambda: "A walk after dinner" in screen_words(app), "the line from Sam's computer")


SHOTS: dict[str, Callable[[Pilot, HearthApp], Awaitable[None]]] = {
    "home": home,
    "round-curtain": round_curtain,
    "round-reveal": round_reveal,
    "pause-countdown": pause_countdown,
    "agreement-versions": agreement_versions,
    "reflection-trends": reflection_trends,
    "two-homes": two_homes,
}


async def shoot(name: str, steps: Callable[[Pilot, HearthApp], Awaitable[None]], out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="hearth-shots-") as folder:
        clock = FakeClock(NOW)
        store = Store.open(Path(folder) / "hearth.json", clock=clock, background=False)
        try:
            populate(store, SHAPE)
            app = HearthApp(store, [shipped_decks_dir()], clock=clock)
            async with app.run_test(size=SIZE) as pilot:
                await steps(pilot, app)
                svg = app.export_screenshot(title="Hearth")
        finally:
            store.close()
    path = out / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the README's screenshots (SVG) from the demo data.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the SVG files (default: {OUT})")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"only these pictures: {', '.join(SHOTS)}")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in SHOTS]
    if unknown:
        parser.error(f"no picture called {', '.join(unknown)}; there are: {', '.join(SHOTS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    random.Random = _FixedRandom  # type: ignore[misc]  # fixed card choices in the round setup
    for name in args.names or SHOTS:
        path = asyncio.run(shoot(name, SHOTS[name], args.out))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
