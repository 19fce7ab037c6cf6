"""The round setup's part for playing apart: on one partner's own linked computer, Write & reveal
and Know me can be played with each answering on their own computer; a round played apart that
waits for this partner is offered to pick up. Mixed into RoundSetupScreen (setup.py)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Checkbox

from ...core import apart
from ...core.rounds import MODES, RoundState, when_label
from ...core.timewords import shown_time
from ...store import apart_rounds
from ...store.sync_watch import this_partner
from ...widgets.toggles import MarkedCheckbox


class ApartCheckbox(MarkedCheckbox):
    """One line, like the then-and-now choice beside the start button."""

    DEFAULT_CSS = """
    ApartCheckbox { border: none; padding: 0; height: 1; width: 1fr; margin-top: 1; }
    ApartCheckbox:focus { border: none; }
    """


#: This computer's last choice of playing apart (a setting of one computer: it does not travel).
APART_SETTING = "round_apart"


class ApartChoice:
    """State and steps of playing apart, for the setup screen."""

    _me: int | None = None  # one partner's own linked computer: whose (None: rounds are played together)
    _apart_offer: str | None = None  # a round played apart offered to pick up, by id
    _apart_later = False  # "Start a new round" past it: it keeps waiting for you both, offered next time

    def apart_box(self) -> list[ApartCheckbox]:
        """The choice, only where it can be made."""
        self._me = this_partner(self.app.store)
        if self._me is None:
            return []
        from ...store.profile import setting

        last = setting(self.app.store, APART_SETTING, False) is True  # as chosen last time, here
        return [ApartCheckbox("Play apart: each of you on your own computer, in your own time",
                               last, id="apart")]

    def remember_apart(self) -> None:
        from ...store.profile import set_setting, setting

        chosen = self.apart_chosen()
        if self._me is not None and setting(self.app.store, APART_SETTING, False) != chosen:
            set_setting(self.app.store, APART_SETTING, chosen)

    def apart_chosen(self) -> bool:
        found = self.query("#apart")
        return self._me is not None and bool(found) and found.first(MarkedCheckbox).value

    def apart_note(self, mode: str) -> str:
        """Said under the mode: Talk is not played apart."""
        return (apart.apart_problem(mode) or "") if self.apart_chosen() else ""

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "apart":
            self._say("#plan-error", "")
            self._refresh_notes()

    def waiting_round(self, left_open: RoundState | None) -> RoundState | None:
        """The round to offer to pick up: the one left open here, else a round played apart with
        something left for me (unless put off for now)."""
        self._apart_offer = None
        if left_open is not None or self._me is None or self._apart_later:
            return left_open
        me = self._me
        found = next((s for s in apart_rounds.in_progress(self.app.store) if not apart.done_for(s, me)), None)
        self._apart_offer = found.id if found else None
        return found

    def apart_offer_text(self, state: RoundState) -> Text:
        couple = self.app.couple
        words = apart.status_words(state, self._me, (couple[0].name, couple[1].name)) or ""
        return Text(f"{MODES[state.mode]}, played apart since {when_label(shown_time(state.started, self.app.clock.now()))}: {words}. Pick it up?")

    def open_apart(self, round_id: str) -> None:
        from .apart_play import ApartPlayScreen

        homes = getattr(self.app, "homes", None)
        if homes is not None:
            homes.soon()  # a round just started: the other computer hears of it soon
        self.app.switch_screen(ApartPlayScreen(round_id, self._me))

    def put_off_apart(self) -> None:
        """'Start a new round' past a round played apart: nothing is set aside, it waits for you both."""
        self._apart_later = True
        self._show_resume_offer()

