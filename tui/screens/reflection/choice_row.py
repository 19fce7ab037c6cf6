"""The row of choices the ratings and the look back on last week's items are made of."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget


def _after_keys_before(node: Widget, then: Callable[[], None]) -> None:
    """Run `then` once what is queued now on `node`, then on each widget above it, then on the
    app has been handled: a key on its way up (and the binding the app runs for it) first."""
    def step(at) -> None:
        if at is node.app:
            then()
        else:
            up = at.parent if at.parent is not None else node.app
            up.call_later(step, up)

    node.call_later(step, node)


class ChoiceRow(Widget, can_focus=True):
    """A title and a row of choices picked with number keys, ←/→ or a click.
    The chosen one is shown in [brackets] and reversed, so colour is not the only signal."""

    DEFAULT_CSS = """
    ChoiceRow { height: auto; padding: 0 1; border-left: blank; margin-bottom: 1; }
    ChoiceRow:focus { border-left: thick $accent; background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Choose the one before", show=False, id="reflection.choice_row.move_back"),
        Binding("right", "move(1)", "Choose the one after", show=False, id="reflection.choice_row.move_next"),
        Binding("up", "step_focus(-1)", "Previous line", show=False, id="reflection.choice_row.step_focus_back"),
        Binding("down,enter", "step_focus(1)", "Next line", show=False, id="reflection.choice_row.step_focus_next"),
        Binding("backspace,delete,0", "clear", "Clear", show=False, id="reflection.choice_row.clear"),
    ]

    class Changed(Message):
        def __init__(self, row: "ChoiceRow", value: Any) -> None:
            super().__init__()
            self.row = row
            self.value = value

    def __init__(
        self,
        title: str | Text,
        choices: Sequence[tuple[Any, str]],
        value: Any = None,
        *,
        describe: Callable[[Any], str] | None = None,
        empty_hint: str = "",
        advance: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.title = title
        self.choices = list(choices)
        self._value = value
        self.describe = describe
        self.empty_hint = empty_hint
        self.advance = advance

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        if value != self._value:
            self._value = value
            self.refresh()
            self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        out = Text()
        out.append_text(self.title if isinstance(self.title, Text) else Text(str(self.title)))
        out.append("\n")
        for value, label in self.choices:
            if value == self._value:
                out.append(f"[{label}]", style="bold reverse")
            else:
                out.append(f" {label} ")
            out.append(" ")
        if self._value is not None and self.describe:
            out.append(" " + self.describe(self._value), style="italic")
        elif self._value is None and self.empty_hint:
            out.append(" " + self.empty_hint, style="dim")
        return out

    def on_key(self, event: events.Key) -> None:
        ch = event.character or ""
        if not ch.isdigit():
            return
        event.stop()
        event.prevent_default()
        # A key before this one (↑, ↓, Enter) moves the keyboard by its binding, which runs only
        # once that key has gone up through every widget to the app; the number waits for the
        # same trip, so it lands on the line the keys before it moved to, in the order typed.
        _after_keys_before(self, lambda: self._choose_on_focused(int(ch)))

    def _choose_on_focused(self, n: int) -> None:
        """Keys typed quickly may be queued here after focus has already moved on: they belong
        to the line that has focus now."""
        if not self.is_attached:
            return
        focused = self.screen.focused
        target = focused if isinstance(focused, ChoiceRow) else self
        target.choose_number(n)

    def choose_number(self, n: int) -> None:
        """Pick the n-th choice (1-based) and, for ratings, go on to the next line."""
        if not 1 <= n <= len(self.choices):
            return
        self.value = self.choices[n - 1][0]
        if self.advance:
            self.action_step_focus(1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != self.content_region.height - 1:
            return
        x = 0
        for value, label in self.choices:
            width = len(label) + 2
            if x <= offset.x < x + width:
                self.value = value
                return
            x += width + 1

    def action_move(self, delta: int) -> None:
        values = [v for v, _ in self.choices]
        if self._value not in values:
            self.value = values[0 if delta > 0 else -1]
            return
        i = max(0, min(len(values) - 1, values.index(self._value) + delta))
        self.value = values[i]

    def action_step_focus(self, delta: int) -> None:
        """Move to the line before or after, scrolling it into view at once (no animation,
        so quick typists never wait)."""
        chain = self.screen.focus_chain
        if self not in chain:
            return
        target = chain[(chain.index(self) + delta) % len(chain)]
        # set_focus at once (Widget.focus waits a turn), so a fast next key lands on the next line
        self.screen.set_focus(target, scroll_visible=False)
        target.scroll_visible(animate=False)

    def action_clear(self) -> None:
        self.value = None
