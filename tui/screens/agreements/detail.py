"""One agreement: its words, status, both yeses, review date; and everything you can do with it."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from ...widgets.footer import HearthFooter
from ...core.agreements import KINDS, AgreementError, Status
from . import apart
from .parts import ChoiceDialog, consent_text, review_text, short_date, status_text
from ..shared.curtain import CurtainScreen
from ...store import agreements as store_ag
from ...store.couple_time import couple_now
from ...widgets.partner import partner_text
from ...widgets.two_homes import merge_soon

#: action → (button id, label); a button shows only when its action is allowed.
ACTIONS = {
    "consent": ("act-yes", "Say yes (y)"),
    "edit": ("act-edit", "Edit (e)"),
    "versions": ("act-versions", "Versions (v)"),
    "review": ("act-review", "Review (r)"),
    "retire": ("act-retire", "Retire (a)"),
    "restore": ("act-restore", "Bring back (b)"),
    "delete": ("act-delete", "Delete (d)"),
}


class AgreementDetailScreen(Screen[None]):
    SUB_TITLE = "Agreement"
    HELP = (
        "One agreement and its status. y asks each of you for your yes, one at a time, behind a "
        "curtain so each decides on their own. e changes it; if you both had agreed, a change in the "
        "wording asks you both again. v lists its versions and what changed. r is for a review: "
        "either it is still good, or you change it. a retires it to the archive; d deletes it for good."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreements.agreement_detail.back"),
        Binding("y", "consent", "Say yes, each in turn", show=False, id="agreements.agreement_detail.consent"),
        Binding("e", "edit", "Edit", show=False, id="agreements.agreement_detail.edit"),
        Binding("v", "versions", "Versions", show=False, id="agreements.agreement_detail.versions"),
        Binding("r", "review", "Review", show=False, id="agreements.agreement_detail.review"),
        Binding("a", "retire", "Retire to the archive", show=False, id="agreements.agreement_detail.retire"),
        Binding("b", "restore", "Bring back from the archive", show=False, id="agreements.agreement_detail.restore"),
        Binding("d", "delete", "Delete", show=False, id="agreements.agreement_detail.delete"),
    ]
    DEFAULT_CSS = """
    AgreementDetailScreen #detail-head { height: auto; padding: 0 1; }
    AgreementDetailScreen #d-title { text-style: bold; }
    AgreementDetailScreen #d-hint { color: $text-muted; }
    AgreementDetailScreen #d-apart { color: $accent; }
    AgreementDetailScreen #d-text { height: 1fr; border: round $primary; padding: 0 1; }
    AgreementDetailScreen #d-actions { height: auto; padding: 0 1; }
    AgreementDetailScreen #d-actions Button { margin-right: 2; min-width: 0; width: auto; }
    """

    def __init__(self, agreement_id: int) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self._asking = False
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="detail-head"):
            yield Static(id="d-title")
            yield Static(id="d-status")
            yield Static(id="d-meta")
            yield Static(id="d-hint")
            yield Static(id="d-apart")
        with VerticalScroll(id="d-text"):
            yield Static(id="d-body")
        with Horizontal(id="d-actions"):
            for action, (button_id, label) in ACTIONS.items():
                yield Button(label, id=button_id, compact=True, variant="primary" if action == "consent" else "default")
        yield HearthFooter()

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        if not self._asking:
            self.refresh_view()

    def on_other_home_changed(self, event) -> None:
        if apart.touches(event, self.agreement_id) and not self._asking:
            self.refresh_view()  # a yes or a change from the other computer

    @property
    def agreement(self):
        return store_ag.get(self.app.store, self.agreement_id)

    def refresh_view(self) -> None:
        store = self.app.store
        if not store_ag.exists(store, self.agreement_id):
            self._close()
            return
        a = self.agreement
        couple = self.app.couple
        now = couple_now(store, self.app.clock.now())  # at two homes, the review day is the same at both
        self.query_one("#d-title", Static).update(Text(a.title))
        line = status_text(a)
        line.append("   ")
        line.append_text(consent_text(a, couple))
        self.query_one("#d-status", Static).update(line)
        meta = f"{store_ag.category_label(store, a.category)} · {KINDS.get(a.kind, a.kind)} · {review_text(a, now)}"
        self.query_one("#d-meta", Static).update(meta)
        self.query_one("#d-hint", Static).update(self._hint(a))
        notice = store_ag.apart_edit_notice(store, a)
        apart_line = self.query_one("#d-apart", Static)
        apart_line.update(Text(notice or ""))
        apart_line.display = bool(notice)
        self.query_one("#d-body", Static).update(Text(a.text) if a.text else Text("(No text: the title says it all.)", style="italic"))
        for action, (button_id, _label) in ACTIONS.items():
            self.query_one(f"#{button_id}", Button).display = bool(self.check_action(action, ()))
        self.refresh_bindings()

    def _hint(self, a) -> Text:
        couple = self.app.couple
        if a.retired and a.retired_at:
            day = store_ag.shown_day(self.app.store, a.retired_at, a.retired_home, self.app.clock.now())
            return Text(f"Retired on {short_date(day)}. b brings it back.")
        if store_ag.editor_draft(self.app.store, a.id):
            return Text("There are changes you did not save yet: e to go on with them.")
        if a.status is Status.DRAFT:
            if apart.me(self.app) is not None:  # y here proposes it with this partner's own yes
                return Text("A draft. " + apart.own_turn_words(self.app, [0, 1]))
            return Text("A draft. When you are ready, press y and each of you gives your answer in turn.")
        if a.status is Status.PROPOSED:
            waiting = a.waiting_for
            if apart.elsewhere_words(self.app, waiting):
                return Text(apart.elsewhere_words(self.app, waiting))
            mine = apart.me(self.app)
            if mine is not None:  # this partner's own computer: y is their own yes, and only theirs
                return Text(apart.own_turn_words(self.app, waiting))
            if len(waiting) > 1:  # one keyboard, new wording: y asks each of you in turn
                return Text("Waiting for both your yeses. Press y and each of you answers in turn.")
            return Text.assemble("Waiting for ", partner_text(couple[waiting[0]]), "'s yes. Press y when you are ready.")
        return Text("You have both said yes to this wording.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ACTIONS:
            return True
        if not self.is_mounted or not store_ag.exists(self.app.store, self.agreement_id):
            return action in ("delete",)
        a = self.agreement
        if a.retired:
            return action in ("versions", "restore", "delete")
        if action == "restore":
            return False
        if action == "consent":
            return a.status is not Status.AGREED
        if action == "review":
            return a.status is Status.AGREED
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        for action, (button_id, _label) in ACTIONS.items():
            if event.button.id == button_id:
                event.stop()
                await self.run_action(action)
                return

    # -- actions -------------------------------------------------------------------------------
    def _close(self) -> None:
        """Leave once, however many reasons to leave arrive together."""
        if not self._leaving:
            self._leaving = True
            self.dismiss()

    def action_back(self) -> None:
        self._close()

    @work(exclusive=True, group="consent")
    async def action_consent(self) -> None:
        """Each partner still to answer gets the curtain, then their own turn to decide."""
        from .consent import ConsentScreen

        app, store, couple = self.app, self.app.store, self.app.couple
        a = self.agreement
        if a.status is Status.AGREED:
            self.notify("You have both said yes to this already.")
            return
        answers: dict[int, bool] = {}
        self._asking = True
        try:
            if not apart.askable(app, a.waiting_for):
                self.notify(apart.elsewhere_words(app, a.waiting_for) or "", title="Agreement")
            for who in apart.askable(app, a.waiting_for):
                if apart.me(app) is None:  # one keyboard for both: hand it over
                    await app.push_screen_wait(
                        CurtainScreen(couple[who], "You will read an agreement and decide on your own."))
                answer = await app.push_screen_wait(ConsentScreen(self.agreement_id, who))
                if answer is None:
                    break
                answers[who] = answer
                if answer:
                    try:
                        store_ag.say_yes(store, self.agreement_id, who, now=app.clock.now())
                        merge_soon(app)
                    except AgreementError as exc:
                        self.notify(str(exc), severity="warning")
        finally:
            self._asking = False
        self.refresh_view()
        a = self.agreement
        if a.status is Status.AGREED and any(answers.values()):
            self.notify("Agreed: you have both said yes.", title="Agreement", timeout=6)
        elif answers and not all(answers.values()):
            self.notify(
                "Not everyone is ready yet. That's fine: talk it over, and change the wording together if it helps.",
                title="Agreement", timeout=8,
            )

    def action_edit(self) -> None:
        from .editor import AgreementEditorScreen

        self.app.push_screen(AgreementEditorScreen(self.agreement_id))

    def action_versions(self) -> None:
        from .versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.agreement_id))

    def action_review(self) -> None:
        a = self.agreement
        question = Text.assemble(
            "Read “", (a.title, "bold"), "” together. Is it still good for both of you?\n",
            ("If something needs to change, edit it; the new wording then needs both your yeses.", "dim"),
        )
        self.app.push_screen(
            ChoiceDialog(question, [("good", "Reviewed, still good"), ("edit", "Change it"), ("later", "Not now")]),
            self._reviewed,
        )

    def _reviewed(self, choice: str | None) -> None:
        if choice == "good":
            try:
                a = store_ag.review(self.app.store, self.agreement_id, now=self.app.clock.now())
            except AgreementError as exc:
                self.notify(str(exc), severity="warning")
                return
            when = f" The next review is on {short_date(a.next_review)}." if a.next_review else ""
            self.notify(f"Reviewed, still good.{when}", title="Review", timeout=6)
            self.refresh_view()
        elif choice == "edit":
            self.action_edit()

    def action_retire(self) -> None:
        a = store_ag.retire(self.app.store, self.agreement_id, now=self.app.clock.now())
        self.notify(f"“{a.title}” is in the archive now (a on the list). You can bring it back from there.",
                    title="Retired", timeout=6)
        self._close()

    def action_restore(self) -> None:
        a = store_ag.restore(self.app.store, self.agreement_id, now=self.app.clock.now())
        self.notify(f"“{a.title}” is back among your current agreements.", title="Brought back", timeout=6)
        self._close()

    def action_delete(self) -> None:
        a = self.agreement
        question = Text.assemble(
            "Delete “", (a.title, "bold"), "” for good, with all its versions?\n",
            ("This cannot be undone. Retiring it instead keeps it in the archive.", "dim"),
        )
        self.app.push_screen(
            ChoiceDialog(question, [("keep", "Keep it"), ("delete", "Delete for good")], focus="keep"),
            self._deleted,
        )

    def _deleted(self, choice: str | None) -> None:
        if choice != "delete":
            return
        title = self.agreement.title
        store_ag.delete(self.app.store, self.agreement_id)
        self.notify(f"“{title}” was deleted.", title="Deleted", timeout=5)
        self._close()
