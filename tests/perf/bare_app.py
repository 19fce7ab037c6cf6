"""The baseline for benchmarks: a bare Textual app (Header, Static, Footer), with an Input (--input)
or a TextArea (--textarea, to tell the widget's own cost from Hearth's)."""

import sys

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TextArea


class BareScreen(Screen):
    """What pushing a screen costs Textual itself (key n): the floor for Hearth's screens."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("BARE SCREEN")
        yield Footer()


class Bare(App):
    BINDINGS = [("n", "push_screen('bare')", "Screen")]
    SCREENS = {"bare": BareScreen}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("BARE READY")
        if "--input" in sys.argv:
            yield Input(id="typing")
        if "--textarea" in sys.argv:
            yield TextArea(id="typing", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
