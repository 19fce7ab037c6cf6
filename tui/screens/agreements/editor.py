"""Writing an agreement: pick a starter (template, blank, or what you left unsaved), then the
editor. Everything typed is kept as a draft until it is saved, so a quit never loses a word."""

from __future__ import annotations

import weakref
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ...core.agreements import (
    BUILTIN_CATEGORIES, KINDS, MAX_TITLE, MAX_TEXT as MAX_AGREEMENT_TEXT, RHYTHM_LABELS, RHYTHMS, WRITING_RULE, AgreementError, Status,
    category_problem, clean_text, text_problem, title_problem, wording_changed,
)
from ...core.content import load
from .parts import ChoiceDialog
from ...store import agreements as store_ag
from ...widgets.draft_area import DraftArea
from ...widgets.partner import partner_text
from ...widgets.kept_select import KeptSelect
from ...widgets.text_input import TextInput

OWN = "__own__"
#: At one keyboard, who last chose themselves as the writer, per running app (memory only, never
#: the file): the next edit starts with them, rather than asking again at every save.
_SESSION_WRITER: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()


def templates() -> list[dict[str, Any]]:
    return list(load("agreement_templates")["templates"])


def draft_title(draft: dict[str, Any]) -> str:
    """The title a new agreement's draft goes by: what was typed, else its template's, else 'untitled'."""
    typed = (draft.get("title") or "").strip()
    if typed:
        return typed
    found = {t["id"]: t for t in templates()}.get(draft.get("meta", {}).get("template"))
    return found["title"] if found else "untitled"


class TemplatePickerScreen(Screen[dict | None]):
    """Dismisses with {"kind": "resume" | "blank" | "template", "template": {...}} or None."""

    SUB_TITLE = "Agreements · new"
    HELP = (
        "Start from a blank page or from one of the starter templates, grouped by category. "
        "The text of the highlighted template shows below the list. Templates are only a "
        "starting point: you can change every word before saving."
    )
    BINDINGS = [Binding("escape", "back", "Back", id="agreements.template_picker.back")]
    DEFAULT_CSS = """
    TemplatePickerScreen #pick-intro { height: auto; padding: 0 1; color: $text-muted; }
    TemplatePickerScreen #pick-list { height: 1fr; border: round $primary; }
    TemplatePickerScreen #pick-list > .option-list--option-disabled { color: $text; }
    TemplatePickerScreen #pick-preview { height: 8; border: round $secondary; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Pick a starting point with the arrows and Enter. You can change every word.", id="pick-intro")
        yield OptionList(id="pick-list")
        with VerticalScroll(id="pick-preview"):
            yield Static(id="pick-preview-text")
        yield HearthFooter()

    def on_mount(self) -> None:
        self._templates = {t["id"]: t for t in templates()}
        options = self.query_one("#pick-list", OptionList)
        draft = store_ag.editor_draft(self.app.store, None)
        if draft:
            options.add_option(Option(Text.assemble(("Go on with the one you started: ", "bold"), draft_title(draft)),
                                      id="resume"))
        options.add_option(Option(Text("A blank page", style="bold"), id="blank"))
        for cid, label in BUILTIN_CATEGORIES.items():
            group = [t for t in self._templates.values() if t["category"] == cid]
            if not group:
                continue
            options.add_option(Option(Text(label, style="bold underline"), id=f"cat:{cid}", disabled=True))
            for t in group:
                options.add_option(Option(f"  {t['title']} ({t['kind']})", id=f"t:{t['id']}"))
        options.highlighted = 0
        options.focus()
        self._preview(options.get_option_at_index(0).id)

    def _preview(self, option_id: str | None) -> None:
        box = self.query_one("#pick-preview-text", Static)
        if option_id and option_id.startswith("t:"):
            t = self._templates[option_id[2:]]
            box.update(Text.assemble((t["title"], "bold"), "\n", t["text"].strip()))
        elif option_id == "resume":
            box.update("Opens the new agreement you started earlier, with everything you typed.")
        else:
            box.update("An empty title and text, for an agreement in your own words.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "resume":
            self.dismiss({"kind": "resume"})
        elif option_id == "blank":
            store_ag.clear_editor_draft(self.app.store, None)
            self.dismiss({"kind": "blank"})
        elif option_id.startswith("t:"):
            store_ag.clear_editor_draft(self.app.store, None)
            self.dismiss({"kind": "template", "template": dict(self._templates[option_id[2:]])})

    def action_back(self) -> None:
        self.dismiss(None)


class AgreementEditorScreen(Screen[int | None]):
    """New (agreement_id None) or existing. Dismisses with the saved agreement's id, or None."""

    SUB_TITLE = "Agreements · writing"
    AUTO_FOCUS = "#title"  # set before the first frame, so nothing typed at first sight is lost
    HELP = (
        "Give the agreement a short title and write it in your own words below. Choose its category, "
        "whether it is a need or a want, how often you want to look at it again, and who is writing. "
        "Writing is not agreeing: a new agreement is saved as a draft; press y on it when you are ready, "
        "and each of you says yes in your own turn. When you change the wording of one you had both "
        "agreed to, each of you is asked again, the one writing too. ctrl+s saves. What you type is kept as a draft until then, even if "
        "Hearth is closed. Esc goes back and asks whether to keep what you wrote."
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="agreements.agreement_editor.save"),
        Binding("escape", "back", "Back", id="agreements.agreement_editor.back"),
    ]
    DEFAULT_CSS = """
    AgreementEditorScreen #editor-body { height: 1fr; padding: 0 1; }
    AgreementEditorScreen #title { width: 1fr; }
    AgreementEditorScreen .field-error { height: auto; display: none; }
    AgreementEditorScreen .field-error.shown { display: block; }
    AgreementEditorScreen .choices { height: auto; margin-top: 1; }
    AgreementEditorScreen #writer-row { margin-top: 0; }
    AgreementEditorScreen .choices Select { margin-right: 1; }
    AgreementEditorScreen #writer-label { width: 11; }
    AgreementEditorScreen #category { width: 1fr; }
    AgreementEditorScreen #kind { width: 14; }
    AgreementEditorScreen #review { width: 32; }
    AgreementEditorScreen #writer { width: 30; }
    AgreementEditorScreen #writer-rule { width: 1fr; color: $text-muted; }
    AgreementEditorScreen #own-category { display: none; }
    AgreementEditorScreen #own-category.shown { display: block; }
    AgreementEditorScreen #text { height: 1fr; min-height: 5; margin-top: 1; }
    AgreementEditorScreen #editor-buttons { height: auto; }
    AgreementEditorScreen #editor-buttons Button { margin-right: 2; min-width: 0; width: auto; }
    AgreementEditorScreen #editor-note { width: 1fr; color: $text-muted; }
    """

    def __init__(self, agreement_id: int | None = None, *, template: dict | None = None, resume: bool = False) -> None:
        super().__init__()
        self.agreement_id = agreement_id
        self.template = template
        self.resume = resume
        self._base: dict[str, Any] = {}
        self._restored = False
        self._saved = False

    # -- building ----------------------------------------------------------------------------------
    def _starting_values(self) -> dict[str, Any]:
        """What the fields show at first: the agreement (or template, or blank), then any draft on top."""
        store = self.app.store
        if self.agreement_id is not None:
            a = store_ag.get(store, self.agreement_id)
            self.original = a
            base = {"title": a.title, "text": a.text, "category": a.category, "kind": a.kind,
                    "review": a.review, "template": a.template}
        elif self.template:
            t = self.template
            base = {"title": t["title"], "text": clean_text(t["text"]), "category": t["category"],
                    "kind": t["kind"], "review": t["review"], "template": t["id"]}
        else:
            base = {"title": "", "text": "", "category": None, "kind": "want", "review": "quarterly", "template": None}
        # who writes is whoever is at the keyboard now, which only they can say: an earlier
        # version's writer is not a guess to put in the history (a draft of this edit keeps theirs)
        base["writer"] = None
        self._base = dict(base)
        draft = store_ag.editor_draft(store, self.agreement_id)
        if draft and (self.agreement_id is not None or self.resume):
            meta = draft["meta"]
            if self.agreement_id is None and meta.get("template") and not self.template:
                found = {t["id"]: t for t in templates()}.get(meta["template"])
                if found:
                    self._base.update(title=found["title"], text=clean_text(found["text"]), template=found["id"])
            values = dict(self._base)
            for key in ("category", "kind", "review", "writer", "template", "own"):
                if key in meta:
                    values[key] = meta[key]
            if draft["title"] is not None:
                values["title"] = draft["title"]
            if draft["text"] is not None:
                values["text"] = draft["text"]
            self._restored = values != self._base
            return values
        return dict(base)

    def compose(self) -> ComposeResult:
        store = self.app.store
        couple = self.app.couple
        v = self._starting_values()
        if v["writer"] not in (0, 1):  # at one keyboard: whoever chose themselves earlier this session
            v["writer"] = _SESSION_WRITER.get(self.app)
        cats = [(label, cid) for cid, label in store_ag.categories(store)] + [("＋ A category of our own…", OWN)]
        known = {cid for _l, cid in cats}
        yield Header()
        with Vertical(id="editor-body"):
            title = TextInput(v["title"], id="title", max_length=MAX_TITLE, placeholder="A short title, in one line")
            title.border_title = "Title"
            yield title
            yield Static("", id="title-error", classes="field-error")
            with Horizontal(classes="choices"):
                yield KeptSelect(cats, value=v["category"] if v["category"] in known else Select.NULL, id="category",
                             prompt="Choose a category", compact=True)
                yield KeptSelect([(label, k) for k, label in KINDS.items()], value=v["kind"] if v["kind"] in KINDS else "want",
                             id="kind", allow_blank=False, compact=True)
                yield KeptSelect([(RHYTHM_LABELS[k], k) for k in RHYTHMS], id="review", allow_blank=False, compact=True,
                             value=v["review"] if v["review"] in RHYTHMS else "quarterly")
            own = TextInput(str(v.get("own") or ""), id="own-category", max_length=30, placeholder="e.g. Our weekends",
                            classes="shown" if v["category"] == OWN else "")
            own.border_title = "Name of your own category"
            yield own
            yield Static("", id="category-error", classes="field-error")
            with Horizontal(classes="choices", id="writer-row"):
                yield Static("Written by", id="writer-label")
                from ...store.sync_watch import this_partner

                me = this_partner(store)  # on a partner's own computer, that partner writes
                writers = [(partner_text(p), p.index) for p in couple.partners if me is None or p.index == me]
                writer = v["writer"] if v["writer"] in (0, 1) and me in (None, v["writer"]) else me
                yield KeptSelect(writers, id="writer", prompt="Choose who is writing", compact=True,
                             value=writer if writer in (0, 1) else Select.NULL)
            yield Static("", id="writer-error", classes="field-error")
            yield Static(WRITING_RULE, id="writer-rule")  # a line of its own: it fits whole at 80 columns
            area = DraftArea(store, store_ag.draft_key(self.agreement_id, "text"), v["text"], id="text",
                             limit=MAX_AGREEMENT_TEXT)
            area.border_title = "What you agree on"
            yield area
            yield Static("", id="text-error", classes="field-error")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Back (esc)", id="cancel", compact=True)
                yield Static(self._note(), id="editor-note")
        yield HearthFooter()

    def _note(self) -> str:
        if self.agreement_id is None:  # nothing is saved yet: say what saving will do, not that it was done
            return "It stays a draft until you each say yes."
        if self.original.status is Status.DRAFT:
            return "Still a draft after saving."
        return "New wording asks you both again."

    def on_mount(self) -> None:
        area = self.query_one("#text", DraftArea)
        area.move_cursor(area.document.end)  # adding to the end is the usual change
        if self._restored:
            self.notify("Brought back what you typed earlier and had not saved.", title="Draft", timeout=6)

    # -- keeping drafts ------------------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        def value(widget_id: str) -> Any:
            select = self.query_one(f"#{widget_id}", Select)
            return None if select.is_blank() else select.value

        return {
            "title": self.query_one("#title", Input).value,
            "text": self.query_one("#text", DraftArea).text,
            "category": value("category"),
            "kind": value("kind"),
            "review": value("review"),
            "writer": value("writer"),
            "template": self._base.get("template"),
            "own": self.query_one("#own-category", Input).value or None,  # a category's name typed, kept too
        }

    def _dirty(self) -> bool:
        now = self._values()
        keys = ("title", "text", "category", "kind", "review")
        changed = any(now[k] != self._base.get(k) for k in keys) or self.query_one("#own-category", Input).value.strip()
        return bool(changed)

    def save_drafts(self) -> None:
        """Called by the app on quit, pause and signals, and as fields change."""
        if self._saved or not self.is_mounted:
            return
        store = self.app.store
        self.query_one("#text", DraftArea).save_now()
        if not self._dirty():
            return
        values = self._values()
        store_ag.save_title_draft(store, self.agreement_id, values["title"])
        store_ag.save_editor_meta(
            store, self.agreement_id,
            {k: values[k] for k in ("category", "kind", "review", "writer", "template", "own") if values[k] is not None},
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "title" and self.is_mounted:
            self._show_error("title", "")
            # the base title needs no draft; "" removes a draft that is no longer needed
            keep = event.value if event.value != self._base.get("title") else ""
            store_ag.save_title_draft(self.app.store, self.agreement_id, keep)
        elif event.input.id == "own-category" and self.is_mounted and not self._saved:
            self.save_drafts()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "category":
            own = self.query_one("#own-category", Input)
            own.set_class(event.value == OWN, "shown")
            if event.value == OWN:
                own.focus()
            self._show_error("category", "")
        if event.select.id == "writer":
            self._show_error("writer", "")
            if event.value in (0, 1):
                _SESSION_WRITER[self.app] = event.value
        if self.is_mounted and not self._saved and self._dirty():
            self.save_drafts()

    # -- saving ---------------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_back()

    def _show_error(self, field: str, message: str) -> None:
        """A message right under the field (hidden again when empty)."""
        box = self.query_one(f"#{field}-error", Static)
        box.update(message)
        box.set_class(bool(message), "shown")

    def _error(self, field: str, message: str, focus: str) -> None:
        self._show_error(field, message)
        self.query_one(f"#{focus}").focus()

    def action_save(self) -> None:
        store = self.app.store
        values = self._values()
        for field in ("title", "category", "writer", "text"):
            self._show_error(field, "")
        problem = title_problem(values["title"])
        if problem:
            self._error("title", problem, "title")
            return
        category = values["category"]
        if category is None:
            self._error("category", "Please choose a category (or make one of your own).", "category")
            return
        if category == OWN:
            label = self.query_one("#own-category", Input).value
            problem = category_problem(label)
            if problem:
                self._error("category", problem, "own-category")
                return
        writer = values["writer"]
        if writer is None:
            self._error("writer", "Please choose who is writing; it is kept in the history.", "writer")
            return
        problem = text_problem(values["text"])
        if problem:
            self._error("text", problem, "text")
            return
        if category == OWN:
            category = store_ag.add_own_category(store, self.query_one("#own-category", Input).value)
        now = self.app.clock.now()
        fields = dict(title=values["title"], text=values["text"], kind=values["kind"], category=category,
                      review=values["review"])
        try:
            if self.agreement_id is None:
                a = store_ag.create(store, writer, template=values["template"], now=now, **fields)
                message = f"Saved as a draft. {WRITING_RULE}"
            else:
                before = store_ag.get(store, self.agreement_id)
                reset = before.status is not Status.DRAFT and wording_changed(before, values["title"], values["text"])
                a = store_ag.edit(store, self.agreement_id, writer, now=now, **fields)
                if len(a.versions) == len(before.versions):
                    message = "Nothing had changed, so nothing new was saved."
                elif reset:
                    couple = self.app.couple
                    message = (f"Saved. The wording changed, so it is Proposed again: {couple[0].name} and "
                               f"{couple[1].name} each say yes in their own turn (y).")
                else:
                    message = "Saved."
        except AgreementError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        self._saved = True
        self.query_one("#text", DraftArea).discard()
        store_ag.clear_editor_draft(store, self.agreement_id)
        self.notify(message, title="Agreement", timeout=8)
        self.dismiss(a.id)

    def action_back(self) -> None:
        if not self._dirty():
            self._forget()
            self.dismiss(None)
            return
        self.app.push_screen(
            ChoiceDialog(
                "You have changes that are not saved yet. Keep them as a draft for later?",
                [("keep", "Keep for later"), ("discard", "Throw away"), ("stay", "Keep writing")],
            ),
            self._leave,
        )

    def _leave(self, choice: str | None) -> None:
        if choice == "keep":
            self.save_drafts()
            self._saved = True
            self.dismiss(None)
        elif choice == "discard":
            self._forget()
            self.dismiss(None)

    def _forget(self) -> None:
        self._saved = True
        area = self.query_one("#text", DraftArea)
        area.discard()
        store_ag.clear_editor_draft(self.app.store, self.agreement_id)
