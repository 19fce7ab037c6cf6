"""The baseline for benchmarks: a bare Textual app (Header, Static, Footer), or with an Input."""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, Static


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("BARE READY")
        if "--input" in sys.argv:
            yield Input(id="typing")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
