"""Small widgets for the pause: the 0-10 calm scale and the breathing guide."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...core.pause import BREATH, breath_at

CELL = 4  # columns per number on the scale


class CalmScale(Widget, can_focus=True):
    """Pick a number from 0 to 10: arrows, a digit key (0-9), Home/End, or a click."""

    BINDINGS = [
        Binding("left", "move(-1)", "Less calm", show=False, id="pause.calm_scale.move_back"),
        Binding("right", "move(1)", "Calmer", show=False, id="pause.calm_scale.move_next"),
        Binding("home", "set(0)", "0", show=False, id="pause.calm_scale.set_0"),
        Binding("end", "set(10)", "10", show=False, id="pause.calm_scale.set_10"),
    ]
    DEFAULT_CSS = """
    CalmScale {
        width: 48;
        height: 3;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
    }
    CalmScale:focus { border: tall $border; }
    """

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, scale: "CalmScale", value: int) -> None:
            super().__init__()
            self.scale = scale
            self.value = value

    def render(self) -> Text:
        text = Text()
        for n in range(11):
            # brackets as well as reverse video, so the choice shows without colour or styling
            if n == self.value:
                text.append(f"[{n}]", style="bold reverse")
                text.append(" " * (CELL - len(f"[{n}]")))
            else:
                text.append(f" {n} ".ljust(CELL))
        return text

    def _set(self, value: int) -> None:
        self.value = max(0, min(10, value))
        self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        self._set((5 if self.value is None else self.value) + (delta if self.value is not None else 0))

    def action_set(self, value: int) -> None:
        self._set(value)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            digit = int(event.character)
            # "1" then "0" makes 10, as a person would type it
            self._set(10 if digit == 0 and self.value == 1 else digit)

    def on_click(self, event: events.Click) -> None:
        self.focus()
        offset = event.get_content_offset(self)
        if offset is not None:
            self._set(offset.x // CELL)


BAR = 28


class BreathingGuide(Widget):
    """Breathe in, hold, breathe out: a bar that fills and empties, with the rhythm spelled out.

    It repaints only when what it shows changes, and never asks for a new layout."""

    DEFAULT_CSS = """
    BreathingGuide { height: 2; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, int, int] | None = None

    def show(self, elapsed_seconds: float) -> None:
        step = breath_at(elapsed_seconds)
        state = (step.label, round(step.fullness * BAR), step.seconds_left)
        if state != self._shown:
            self._shown = state
            self.refresh()

    def render(self) -> Text:
        label, filled, left = self._shown or (BREATH[0][0], 0, int(BREATH[0][1]))
        line = Text(justify="center")
        line.append(f"{label:<12}", style="bold")
        line.append("▕")
        line.append("█" * filled, style="bold cyan")
        line.append("·" * (BAR - filled), style="dim")
        line.append("▏")
        line.append(f" {left}")
        rhythm = Text(justify="center")
        for i, (name, seconds) in enumerate(BREATH):
            word = {"Breathe in": "in", "Hold": "hold", "Breathe out": "out"}[name]
            rhythm.append(f" {word} {seconds:g} ", style="bold reverse" if name == label else "dim")
            if i < len(BREATH) - 1:
                rhythm.append(" · ", style="dim")
        out = Text(justify="center")
        out.append_text(line)
        out.append("\n")
        out.append_text(rhythm)
        return out
