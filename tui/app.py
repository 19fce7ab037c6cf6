"""The Textual app: wires the store, the decks and the screens together."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shlex
import signal
import sys
import threading
import time
import traceback
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.events import Resize

from . import activities
from .activities import Activity
from .core.clock import Clock, SystemClock
from .core.partners import Couple
from .store.database import Store
from .store.profile import load_couple, save_couple, set_setting, setting
from .store.schema import PAUSE_ACTIVE_TABLE
from .widgets.render_cache import cache_colours_not_widgets, light_strip_caches
from .widgets.typed_keys import keep_every_typed_character

keep_every_typed_character()
cache_colours_not_widgets()
light_strip_caches()
from .widgets.watchers import forget_closed_watchers

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import SystemCommand
    from textual.screen import Screen

    from .core.decks import DeckSet

#: "tui" in the source tree, "hearth" once installed: module names here are built on it.
_TOP_PACKAGE = (__package__ or __name__).partition(".")[0]

PAUSE_MODULE = f"{_TOP_PACKAGE}.screens.pause.start"


@cache
def pause_available() -> bool:
    """Whether the pause screens are installed; looked up once, as Textual asks on every refresh."""
    return importlib.util.find_spec(PAUSE_MODULE) is not None


EXIT_GRACE_SECONDS = 3.0
#: How long starting an activity waits for the check of the tables not read yet (it takes well under
#: a second at ten years of data; past this the activity opens and any damage is said when found).
CHECK_WAIT_SECONDS = 3.0


def leave_even_if_stuck(store: Store) -> None:
    """SIGTERM or SIGHUP, e.g. a terminal window closed. Textual's shutdown can then wait for ever
    on output nobody will read (seen here). Drafts are saved already (HearthApp._on_signal): close
    the store at once, so the lock is free for a Hearth started straight after, then leave after a
    grace period if Textual has not. A write that comes after the close stays in memory only."""

    def leave() -> None:
        try:
            store.close()
        finally:
            time.sleep(EXIT_GRACE_SECONDS)
            try:
                problem = store.storage.exit_problem()
            except Exception:  # leaving must never fail
                problem = None
            if problem:
                try:
                    os.write(2, f"hearth: {problem}\n".encode("utf-8", "replace"))
                except OSError:
                    pass  # the terminal is gone
            os._exit(1 if problem else 0)

    threading.Thread(target=leave, name="hearth-exit-guard", daemon=True).start()


def _palette_commands() -> type:
    """Hearth's palette provider, imported when the palette first opens, not at start."""
    from .screens.shell.palette import HearthCommands

    return HearthCommands
def crash_report(exc: BaseException | None) -> str:
    """Where the program was when it failed: each frame and the kind of error, but not the error's
    own message, which can quote a stored value (a private answer) verbatim."""
    if exc is None:
        return "Hearth stopped on an error it did not record.\n"
    chain: list[BaseException] = []
    while exc is not None and exc not in chain and len(chain) < 10:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    parts = []
    for error in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.StackSummary.extract(traceback.walk_tb(error.__traceback__)).format())
        kind = type(error)
        parts.append(f"{kind.__module__}.{kind.__qualname__} (its message is left out: it may quote private words)\n\n")
    return "".join(parts)


def write_crash_log(exc: BaseException | None) -> Path | None:
    """Add a crash report to crash.log in Hearth's data folder (0600 in 0700, like the database)."""
    from .paths import data_dir
    from .store.files import append_private

    log = data_dir() / "crash.log"
    try:
        append_private(log, f"-- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{crash_report(exc)}")
    except OSError:
        return None
    return log


PRELOAD_AFTER = 0.2  # seconds after home's first frame before screen modules are imported (_preload_next)
SETTLE_AFTER = 1.0  # seconds at home after a screen closed before memory is settled (_settle_memory)
CALM_AFTER = 0.25  # seconds with no key after a screen opened or closed before a full collection (_calm_collect)


class HearthApp(App[None]):
    """Hearth. One instance per open database."""

    TITLE = "Hearth"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {lambda: _palette_commands()}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "pause", "Time-out", priority=True, id="pause"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("ctrl+l", "lock", "Lock", show=False, priority=True, id="lock"),
    ]
    #: How often the idle lock looks at the time since the last key or click.
    IDLE_CHECK_SECONDS = 15.0

    def __init__(self, store: Store | None, deck_dirs: list[Path], *, clock: Clock | None = None,
                 opener: Callable[[str], Store] | None = None) -> None:
        """`store` None: the file is encrypted, and `opener(passphrase)` opens it (from the
        unlock screen, in a thread), or raises a StoreError."""
        super().__init__()
        self.store = store  # type: ignore[assignment]  # set before any screen but the unlock one runs
        self._opener = opener
        self.deck_dirs = deck_dirs
        self.clock: Clock = clock or (store.clock if store else None) or SystemClock()
        self.couple: Couple | None = load_couple(store) if store else None
        self._decks: DeckSet | None = None
        self.crash_message: str | None = None
        self._preload: list[str] = []  # screen modules home opens, not imported yet (_preload_next)
        self._first_screen_ready = False  # the first screen is up (home or onboarding)
        self._frozen_at: int | None = None  # tables read when long-lived data was last frozen
        self._changed_at = 0.0  # when a screen last opened or closed (_calm_collect)
        self._calm_timer = None
        self._last_input = time.monotonic()
        self._last_save_message: str | None = None
        self.keymap_keys, self.config_problems = self._read_config()
        self._clashes_told: set[frozenset[str]] = set()
        self.homes: Any = None  # merging with the other home's computer (tui/widgets/two_homes.py)
        self._homes_report: Any = None  # the last report from the other home acted on

    @staticmethod
    def _read_config() -> tuple[dict[str, str], list[str]]:
        """The couple's remapped keys (config.toml), read only if the file is there."""
        from .paths import config_path

        path = config_path()
        if not path.exists():
            return {}, []
        from .store.config import read_config

        config = read_config(path)
        return config.keys, config.problems

    def get_key_display(self, binding: Binding) -> str:
        """As Textual shows keys, but function keys in capitals (F1), as printed on keyboards."""
        shown = super().get_key_display(binding)
        return shown.upper() if len(shown) <= 3 and shown[:1] == "f" and shown[1:].isdigit() else shown

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        """A remapped key that another binding also uses: say so once, plainly."""
        names = frozenset(b.id or b.action for b in clashed_bindings)
        if names in self._clashes_told:
            return
        self._clashes_told.add(names)
        keys = ", ".join(sorted({b.key for b in clashed_bindings}))
        self.notify(f"In config.toml, {keys} is given to more than one thing ({', '.join(sorted(names))}). "
                    "Only one of them gets the key.", title="Two keys clash", severity="warning", timeout=10)

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.keymap_keys:
            self.set_keymap(self.keymap_keys)
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self._on_signal)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
        if self.store is None:  # encrypted: the unlock screen first; it opens the store
            from .screens.shell.unlock import UnlockScreen

            self.push_screen(UnlockScreen(self._try_open), self._unlocked)
            self.call_after_refresh(self._first_screen_up)
        else:
            self._start()
        self.call_after_refresh(self._started)

    def _try_open(self, secret: str) -> str | None:
        """From the unlock screen's thread: open the file with `secret`; None once open."""
        from .store.errors import StoreError, WrongPassphraseError

        assert self._opener is not None
        try:
            store = self._opener(secret)
        except WrongPassphraseError:
            return "That passphrase did not open it. Nothing was changed; try again."
        except StoreError as exc:
            return str(exc)
        self.couple = load_couple(store)
        self.store = store
        return None

    def _unlocked(self, opened: bool | None) -> None:
        if opened:
            self._start(unlocked=True)

    def _start(self, unlocked: bool = False) -> None:
        theme = setting(self.store, "theme")
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.store.storage.add_listener(self._on_save_status)
        if self.store.storage.error:  # a save failed before the app was listening
            self.call_after_refresh(self._on_save_status, self.store.storage.error)
        # Always: encryption can be turned on from Settings while Hearth runs.
        self.set_interval(self.IDLE_CHECK_SECONDS, self._idle_check)
        if self.store.touched is not None and self.homes is None:  # linked to the other home's folder
            from .widgets.two_homes import HomesSync

            self.homes = HomesSync(self)
        if self.couple is None:
            from .screens.shell.onboarding import OnboardingScreen

            self.push_screen(OnboardingScreen(), self._onboarded)
            self.call_after_refresh(self._first_screen_up)
        else:
            if unlocked:
                from .screens.shell.home import HomeScreen

                self.push_screen(HomeScreen())  # over the empty default screen, as after onboarding
            if self.store.table(PAUSE_ACTIVE_TABLE).contains(doc_id=1):
                # A pause in progress opens before home's first frame: home must not flash, nor take
                # a key meant for the pause. (Its screens are imported only in this case.)
                hook = self._resume_hook()
                if hook is not None:
                    hook(self)
            self.call_after_refresh(self._after_home)  # home is the default screen

    def get_default_screen(self) -> Screen:
        """Home, once the couple is known. Pushing home over Textual's empty default screen cost a
        second compose, layout and render before the first paint (measured). An encrypted file
        starts on the unlock screen, over the empty default screen."""
        if self.couple is not None:
            from .screens.shell.home import HomeScreen

            return HomeScreen()
        return super().get_default_screen()

    def _first_screen_up(self) -> None:
        self._first_screen_ready = True
        for problem in self.config_problems:
            self.notify(problem, title="A line of config.toml was not used", severity="warning", timeout=12,
                        markup=False)  # "[keys]" and a path are words here, not markup
        self._check_size()

    async def _replace_screen(self, screen: Screen) -> Screen:
        """A screen has been popped (and removed, unless it is kept): let go of what its widgets
        watched on the app (tui/widgets/watchers.py: Textual would keep them alive)."""
        replaced = await super()._replace_screen(screen)
        forget_closed_watchers(self)
        if len(self.screen_stack) == 1 and self._frozen_at is not None:
            self.set_timer(SETTLE_AFTER, self._settle_memory)
        return replaced

    def _started(self) -> None:
        """After the first paint. `hearth` starts with garbage collection off (tui/cli.py); turn it
        on, with what exists now frozen out of it, so a full collection never re-scans it. Tables
        the store reads later join the frozen data at the next calm moment (_settle_memory): over
        ten years of rounds a full collection would otherwise stall the screen for 50-90 ms."""
        import gc

        if not gc.isenabled():
            gc.freeze()
            gc.enable()
            # (an encrypted Hearth starts on its unlock screen, with no store yet: counted from 0)
            self._frozen_at = self.store.storage.tables_parsed if self.store is not None else 0
            self.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, _screen: Screen) -> None:
        """A screen opened or closed: making one (and closing one) leaves thousands of objects
        for the collector, and its full collection (20-50 ms at twenty years) fell on whatever
        came next: the next screen's first showing, or the first key of a search. Run it while
        nobody is waiting instead (_calm_collect)."""
        self._changed_at = time.monotonic()
        self.call_after_refresh(self._screen_drawn)

    def _screen_drawn(self) -> None:
        """The changed screen is on the terminal: the calm is counted from here."""
        self._changed_at = time.monotonic()
        if self._calm_timer is None:
            self._calm_timer = self.set_timer(CALM_AFTER, self._calm_collect)

    def _calm_collect(self) -> None:
        """A full collection once no key has come for CALM_AFTER since the screen changed (later
        while keys keep coming); at home, _settle_memory's collection and freeze when it is due."""
        import gc

        self._calm_timer = None
        wait = CALM_AFTER - (time.monotonic() - max(self._last_input, self._changed_at))
        if wait > 0.01:
            self._calm_timer = self.set_timer(wait, self._calm_collect)
            return
        if not gc.isenabled():  # paused for a smooth scroll: the collector runs as usual later
            return
        settled = self._frozen_at
        self._settle_memory()
        if self._frozen_at == settled:  # nothing was due to be frozen: collect only
            gc.collect()

    def _settle_memory(self) -> None:
        """Back at home, a moment after a screen closed: if the store has read tables since the last
        freeze (History, a round's card use, past reflections), collect, then freeze what is left,
        so that later full collections do not re-scan years of rounds (80 ms at twenty years). The
        collection first lets the closed screens go: frozen, they could never be collected. Here
        only home and what lasts the session are alive, and nobody is typing."""
        import gc

        if self.store is None:
            return  # locked before it was first opened
        parsed = self.store.storage.tables_parsed
        if self._frozen_at is None or parsed == self._frozen_at or len(self.screen_stack) != 1:
            return
        gc.collect()
        gc.freeze()
        self._frozen_at = parsed

    def _onboarded(self, couple: Couple | None) -> None:
        if couple is None:
            return
        save_couple(self.store, couple)
        self.couple = couple
        from .screens.shell.home import HomeScreen

        self.push_screen(HomeScreen())  # over the empty default screen: this happens once
        self.call_after_refresh(self._after_home)

    def _after_home(self) -> None:
        """Things that may open over home: an ongoing pause, left-out decks, a too-small window."""
        self._first_screen_up()
        hook = self._resume_hook()
        if hook is not None:
            hook(self)
        self._preload = activities.modules_to_preload()
        self.set_timer(PRELOAD_AFTER, self._preload_next)
        decks = self.decks
        if decks.problems:
            names = ", ".join(p.name for p in decks.broken_files)
            folders = " ".join(dict.fromkeys(shlex.quote(str(p.parent)) for p in decks.broken_files))
            self.notify(  # the folders named: a plain `decks check` would not look where --decks did
                f"Some decks were left out because of problems: {names}. "
                f"Run `hearth decks check {folders}` for details.",
                title="Decks", severity="warning", timeout=10,
            )

    def _preload_next(self) -> None:
        """Import the next screen module home opens, one per turn of the loop, so a key pressed
        meanwhile waits for one import at most, and the screen it opens no longer imports at all."""
        if self._preload:
            name = self._preload.pop(0)
            activities.preload(name)
            warm = getattr(sys.modules.get(name), "warm", None)
            if warm is not None:  # a screen module's work ahead, e.g. parsing its styles
                try:
                    warm(self)
                except Exception:  # noqa: BLE001 - only a head start: the screen does it on opening
                    pass
            self.call_later(self._preload_next)
        else:
            self._preloaded()

    def _preloaded(self) -> None:
        """Every screen module home opens is imported: collect and freeze them with the rest of
        what lasts the session, so that a full collection during a round (one after each card's
        view is swapped, tui/widgets/swap.py) walks only what that round made. Only at home."""
        import gc

        if gc.isenabled() and len(self.screen_stack) == 1:
            gc.collect()
            gc.freeze()

    def _resume_hook(self):
        """A pause in progress opens on start; the pause module provides `resume_on_start(app)`."""
        if not pause_available():
            return None
        module = importlib.import_module(PAUSE_MODULE)
        return getattr(module, "resume_on_start", None)

    # -- shared services for screens --------------------------------------------------------
    @property
    def decks(self) -> DeckSet:
        """Decks, loaded on first use so the first paint does not wait for them."""
        if self._decks is None:
            from .core.decks import load_decks  # after the first paint: parsing TOML is not free

            self._decks = load_decks(self.deck_dirs)
        return self._decks

    def set_couple(self, couple: Couple) -> None:
        save_couple(self.store, couple)
        self.couple = couple

    def open_activity(self, activity: Activity) -> None:
        """Before an activity begins, the tables not read yet must have been checked: damage is
        said before the couple types, not after (their words would then go to the rescue file)."""
        storage = self.store.storage
        if not storage.check_done.is_set():
            storage.check_soon()
            storage.check_done.wait(CHECK_WAIT_SECONDS)
        if storage.stopped and storage.error and not any(n.message == storage.error for n in self._notifications):
            self._last_save_message = storage.error
            self.notify(storage.error, title="Saving stopped", severity="error", timeout=600)
        if storage.damage:
            # An activity would read the damaged part and stop the whole app (found by a newcomer):
            # stay on home, where the words already typed are safe in the rescue file.
            self.notify("Part of the file cannot be read, so Hearth opens nothing more until it is "
                        "mended. Quit with ctrl+q and run `hearth restore` (the message above says "
                        "which backup is good).", title="Not opened", severity="warning", timeout=20,
                        markup=False)
            return
        self.push_screen(activity.screen_class()())

    def open_settings(self) -> None:
        from .screens.shell.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def open_agreement(self, agreement_id: int) -> None:
        """One agreement, where each partner can say yes to it or change it (the dream flow opens
        the draft it made here; it may not import the agreements screens itself)."""
        from .screens.agreements.detail import AgreementDetailScreen

        self.push_screen(AgreementDetailScreen(agreement_id))

    def show_pause_phase(self, current: Screen | None) -> None:
        """Show the active pause's current phase in place of `current`, or close it if the pause is over.

        The pause screens ask this of the app rather than import each other."""
        from .screens.pause.router import goto_phase

        goto_phase(self, current)

    def start_homes(self) -> None:
        """Begin merging with the linked folder (after linking from Settings)."""
        if self.homes is None and self.store is not None and self.store.touched is not None:
            from .widgets.two_homes import HomesSync

            self.homes = HomesSync(self)

    def stop_homes(self) -> None:
        """Stop merging (after unlinking)."""
        if self.homes is not None:
            self.homes.stop()
            self.homes = None

    def on_other_home_changed(self, event: Any) -> None:
        """Something came in from the other home (each screen's message bubbles here: act once).
        A pause taken or moved on there shows here as a pause found at start does."""
        if event.report is self._homes_report:
            return
        self._homes_report = event.report
        if pause_available() and event.touches(PAUSE_ACTIVE_TABLE):
            from .screens.pause.arrivals import arrived

            arrived(self, event)

    def _remember_theme(self, theme: Any) -> None:
        if self.store is not None:
            set_setting(self.store, "theme", getattr(theme, "name", str(theme)))

    # -- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked and action not in ("quit", "help"):
            return False  # nothing of the couple's opens over the unlock screen
        if action == "pause":  # on the first screen too: it says what it needs (the names)
            return pause_available()
        return True

    # -- locking (an encrypted Hearth) ----------------------------------------------------------
    @property
    def locked(self) -> bool:
        from .screens.shell.unlock import UnlockScreen

        return self.store is None or any(isinstance(s, UnlockScreen) for s in self.screen_stack)

    def action_lock(self) -> None:
        """Lock now: the unlock screen over everything, until a passphrase opens it again. The
        screens below stay as they were (a draft being typed included), and saving goes on."""
        if self.locked:
            return
        if not self.store.encrypted:
            self.notify("Locking needs encryption; see Settings to turn it on.", title="Lock", timeout=5)
            return
        self.save_drafts()
        from .screens.shell.unlock import UnlockScreen

        self.push_screen(UnlockScreen(self._check_again, relock=True))

    def _check_again(self, secret: str) -> str | None:
        if self.store.check_passphrase(secret):
            self._last_input = time.monotonic()
            return None
        return "That passphrase did not open it. Nothing was changed; try again."

    def _idle_check(self) -> None:
        if self.store is None or not self.store.encrypted:
            return
        minutes = setting(self.store, "lock_minutes", 0)
        if isinstance(minutes, int) and minutes > 0 and not self.locked \
                and time.monotonic() - self._last_input >= minutes * 60:
            self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            self._last_input = time.monotonic()  # the idle lock counts from here
        await super().on_event(event)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette entries, in Hearth's words, and only those that are safe here:
        no Screenshot (it would write whatever is on screen, a private answer too, to a file) and
        no Maximize (it hides the way on)."""
        from textual.app import SystemCommand

        yield SystemCommand("Theme", "Try other colours (Settings keeps the one you like)", self.action_change_theme)
        yield SystemCommand("Keys", "Show the keys this screen knows", self.action_help)
        yield SystemCommand("Quit", "Close Hearth; everything written is kept", self.action_quit)

    def action_help(self) -> None:
        from .screens.shell.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_pause(self) -> None:
        if self.couple is None and self.store is not None and pause_available():
            self.notify("A time-out needs your two names first: type them and press Begin. From then on "
                        "ctrl+t works from anywhere.", title="Pause", timeout=8)
            return
        if self.couple is None or not pause_available():
            return
        from .screens.shell.too_small import TooSmallScreen

        if isinstance(self.screen, TooSmallScreen):  # the pause goes under the notice, not over it
            typed = "".join(self.screen.typed)
            self.pop_screen()
            if typed:
                self._type_into_focus(typed)
            self.call_after_refresh(self._check_size)
        self.hide_private_turns()
        importlib.import_module(PAUSE_MODULE).open_pause(self)

    def hide_private_turns(self) -> None:
        """Save every draft and curtain every private turn: the screen on top is about to change,
        and the keyboard may change hands before those turns are seen again."""
        self.save_drafts()
        from .screens.shared.curtain import PrivateTurnGuard

        for screen in self.screen_stack:
            if isinstance(screen, PrivateTurnGuard):
                screen.hide_for_pause()

    # -- the command palette (tui/screens/shell/palette.py) -----------------------------------
    def open_from_palette(self, key: str) -> None:
        from .activities import by_key

        activity = by_key(key)
        if activity is not None:
            self.hide_private_turns()
            self.open_activity(activity)

    def search_history(self) -> None:
        from .activities import by_key

        history = by_key("h")
        if history is None:
            return
        self.hide_private_turns()
        screen = history.screen_class()()
        self.push_screen(screen)
        screen.call_after_refresh(screen.action_search)  # queued behind its mount, which focuses the list

    def export_everything(self) -> None:
        """The JSON export into the export folder beside the database, off the UI thread (it reads every table)."""
        from .store.export import export_json_file

        def work() -> None:
            try:
                path = export_json_file(self.store, self.clock.now())
            except OSError as exc:
                self.call_from_thread(self.notify, f"Could not write the export: {exc.strerror or exc}.",
                                      title="Not exported", severity="error")
                return
            plain = " as plain text, not encrypted; delete it when you are done" if self.store.encrypted else ""
            self.call_from_thread(self.notify, f"Everything is in {path} (readable only by you){plain}.", title="Exported")

        self.notify("Writing the export…", timeout=2)
        self.run_worker(work, thread=True, exclusive=True, group="export")

    async def action_quit(self) -> None:
        self.save_drafts()
        if self.homes is not None:
            self.homes.last_merge()
        self.exit()

    def save_drafts(self) -> None:
        """Write every draft being typed, on every screen in the stack, right now."""
        from .widgets.draft_area import DraftArea

        for screen in self.screen_stack:
            for area in screen.query(DraftArea):
                area.save_now()
            saver = getattr(screen, "save_drafts", None)
            if callable(saver):
                saver()

    def _on_signal(self) -> None:
        self.save_drafts()
        if not self.is_headless and self.store is not None:
            leave_even_if_stuck(self.store)
        self.exit()

    # -- status and safety ----------------------------------------------------------------------
    def _on_save_status(self, error: str | None) -> None:
        if not error or error == self._last_save_message:
            return
        self._last_save_message = error
        if self.store.storage.stopped:
            # For good: it stays on screen until dismissed, and says where the words are.
            self._call_from_any_thread(self.notify, error, title="Saving stopped", severity="error", timeout=600)
        else:
            self._call_from_any_thread(self.notify, error, title="Not saved yet", severity="error", timeout=8)

    def _call_from_any_thread(self, callback: Any, *args: Any, **kwargs: Any) -> None:
        if threading.get_ident() == self._thread_id:
            callback(*args, **kwargs)
        else:
            try:
                self.call_from_thread(callback, *args, **kwargs)
            except RuntimeError:
                pass  # the app has stopped: the exit message says it instead

    async def _on_resize(self, event: Resize) -> None:
        # App.on_resize is not reached (Textual's own handler stops the event), so hook here.
        await super()._on_resize(event)
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        from .screens.shell.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

        if not self._first_screen_ready:
            return  # not started yet; checked again once the first screen is up
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            typed = "".join(self.screen.typed)
            self.pop_screen()
            if typed:
                self.call_after_refresh(self._type_into_focus, typed)

    def _type_into_focus(self, text: str) -> None:
        """Hand what was typed behind the too-small notice to the text box that has the focus
        (and to nothing else: in a list or on home, those keys would have been commands)."""
        from textual.widgets import Input, TextArea

        focused = self.screen.focused
        if isinstance(focused, TextArea) and not focused.read_only:
            focused.insert(text)
        elif isinstance(focused, Input):
            focused.insert_text_at_cursor(text.replace("\n", " "))

    def _fatal_error(self) -> None:
        """Keep the traceback out of the couple's terminal: log it, say one calm line."""
        log = write_crash_log(sys.exc_info()[1])
        self.save_drafts_quietly()
        self.crash_message = (
            "Hearth ran into a problem it did not expect and closed. Everything saved is safe."
            + (f" Details for a bug report are in {log}." if log else "")
        )
        if self.is_headless:
            super()._fatal_error()
        else:
            self._close_messages_no_wait()

    def save_drafts_quietly(self) -> None:
        try:
            self.save_drafts()
        except Exception:
            pass
