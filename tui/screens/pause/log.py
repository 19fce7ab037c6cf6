"""The Pauses log: past pauses, and per month how many and how often you came back at the agreed time."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ...widgets.footer import HearthFooter
from ...core.pause import PauseRecord, pause_story
from ...core.rounds import when_label
from ...core.timewords import clock_words, shown_time
from ...store import pauses as pause_store
from ...store.pauses import KIND_TITLES, STEP_TITLES
from ...store.sync_watch import this_partner
from ...widgets.partner import partner_text

TALK = {"now": "talked it through right after", "later": "talked it through later",
        "not yet": "left for another time"}


def record_line(app, r: PauseRecord) -> Group:
    """Two lines for the list: when and who asked; then lengths, extensions and the talk, indented
    (Padding keeps the indent when the second line wraps at 80 columns)."""
    couple = app.couple
    head = Text()
    began = shown_time(r.started, app.clock.now(), past=False)  # taken in another time zone: this one's hours
    head.append(f"{when_label(began)}, {began:%H:%M}", style="bold")
    head.append("  ")
    head.append_text(partner_text(couple[r.caller]))
    head.append(" asked")
    if r.topic:
        head.append(f" · {r.topic}")
    line = Text(pause_story(r).rstrip("."))
    if r.status == "waiting" and r.revisit_at is None and pause_store.set_aside(r):
        line.append(" · talk kept to go back to")  # a new time-out was taken in it
    elif r.status == "waiting":
        when = clock_words(r.revisit_at, app.clock.now()) if r.revisit_at else "later"
        line.append(f" · talk planned for {when}")
    else:
        line.append(f" · {TALK.get(r.repair, r.repair)}")
    return Group(head, Padding(line, (0, 0, 0, 2)))


def late_words(app, r: PauseRecord):
    """Words written at one home as the talk was left for now at the other: the writer reads
    their own here; the other partner is only told they are kept (they were never revealed)."""
    me = this_partner(app.store)
    couple = app.couple
    for p, items in sorted(r.late.items()):
        if me is not None and me != p:
            yield Static(Text.assemble(partner_text(couple[p]), " had begun writing as the talk was left "
                                       "for now; those words stay theirs."), classes="text")
            continue
        yield Static(Text.assemble(partner_text(couple[p]), ": what you wrote as the talk was left for now"),
                     classes="title")
        body = Text()
        for n in items:
            kind = KIND_TITLES.get(n.get("kind", ""), "")
            body.append(STEP_TITLES.get(n["step"], n["step"]) + (f" ({kind})" if kind else "") + ": ", style="bold")
            bits = [", ".join(n["feelings"])] if n.get("feelings") else []
            bits += [str(n[k]) for k in ("text",) if n.get(k)]
            bits += ["Sorry: " + str(n["apology"])] if n.get("apology") else []
            body.append(" · ".join(bits) + "\n")
        yield Static(body, classes="text")


class PauseLogScreen(Screen[None]):
    SUB_TITLE = "Pauses log"
    HELP = (
        "Every pause you have taken, newest first, and for each month how many there were and how often "
        "you came back at the time you agreed. Choose a pause with Enter to see its details and the notes "
        "you chose to keep."
    )
    BINDINGS = [Binding("escape", "back", "Back", id="pause.pause_log.back")]
    DEFAULT_CSS = """
    PauseLogScreen #log-body { height: 1fr; padding: 0 1; }
    PauseLogScreen .title { text-style: bold; height: 1; margin-top: 1; }
    PauseLogScreen #months { height: auto; }
    PauseLogScreen #log-list { height: auto; max-height: 100%; min-height: 3; }
    PauseLogScreen #empty { color: $text-muted; height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        store = self.app.store
        records = pause_store.records(store)
        yield Header()
        with VerticalScroll(id="log-body"):
            if not records:
                yield Static("No pauses yet. When you take one, it will be listed here.", id="empty")
            else:
                yield Static("By month", classes="title")
                months = Text()
                for i, s in enumerate(pause_store.stats(store)):
                    if i:
                        months.append("\n")
                    months.append(f"{s.label}: ", style="bold")
                    months.append(f"{s.count} pause{'s' if s.count != 1 else ''}")
                    if s.returned:
                        months.append(f" · back by the agreed time {s.on_time} of {s.returned}")
                yield Static(months, id="months")
                yield Static("Past pauses (Enter for details)", classes="title")
                yield OptionList(*[Option(record_line(self.app, r), id=r.id) for r in records], id="log-list")
        yield HearthFooter()

    def on_mount(self) -> None:
        lists = self.query("#log-list")
        if lists:
            lists.first().focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        rec = next((r for r in pause_store.records(self.app.store) if r.id == event.option.id), None)
        if rec is not None:
            self.app.push_screen(PauseDetailScreen(rec))

    def action_back(self) -> None:
        self.dismiss()


class PauseDetailScreen(Screen[None]):
    SUB_TITLE = "A pause"
    HELP = "The details of one pause and the notes each of you chose to keep. Esc goes back to the log."
    BINDINGS = [Binding("escape", "back", "Back", id="pause.pause_detail.back")]
    DEFAULT_CSS = """
    PauseDetailScreen #detail { height: 1fr; padding: 0 2; }
    PauseDetailScreen .title { text-style: bold; margin-top: 1; height: auto; }
    PauseDetailScreen .text { height: auto; }
    """

    def __init__(self, record: PauseRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        r = self.record
        couple = self.app.couple
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(record_line(self.app, r), classes="title")  # holds the one summary (pause_story)
            facts = Text()
            for i, rnd in enumerate(r.calm, 1):
                facts.append(f"Check-in {i}: ")
                parts = []
                for p in sorted(rnd):
                    ready = r.ready[i - 1].get(p) if i - 1 < len(r.ready) else None
                    parts.append(Text.assemble(partner_text(couple[p]),
                                               f" calm {rnd[p]}/10" + (", ready" if ready else ", not yet")))
                facts.append_text(Text(" · ").join(parts))
                facts.append("\n")
            if r.skipped:
                facts.append("Steps left out: " + ", ".join(STEP_TITLES.get(s, s) for s in r.skipped) + "\n")
            yield Static(facts, classes="text")
            for p, notes in sorted(r.notes.items()):
                yield Static(Text.assemble(partner_text(couple[p]), "'s words"), classes="title")
                body = Text()
                for n in notes:
                    kind = KIND_TITLES.get(n["kind"], "")
                    body.append(STEP_TITLES.get(n["step"], n["step"]) + (f" ({kind})" if kind else "") + ": ",
                                style="bold")
                    bits = []
                    if n.get("feelings"):
                        bits.append(", ".join(n["feelings"]))
                    if n.get("confirmed") is True and not n.get("text"):
                        bits.append("yes, that's it")
                    if n.get("text"):
                        bits.append(n["text"])
                    if n.get("apology"):
                        bits.append("Sorry: " + n["apology"])
                    body.append(" · ".join(bits) + "\n")
                yield Static(body, classes="text")
            for p, note in sorted(r.private_notes.items()):
                yield Static(Text.assemble(partner_text(couple[p]), "'s own note"), classes="title")
                yield Static(Text(note), classes="text")
            yield from late_words(self.app, r)
            if not r.notes and not r.private_notes and not r.late:
                yield Static(Text("No notes were kept for this pause.", style="dim"), classes="text")
        yield HearthFooter()

    def action_back(self) -> None:
        self.dismiss()
