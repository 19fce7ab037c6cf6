"""The answer box: drafts are saved after a pause in typing, and its styles follow focus and theme
although it fills them in from the CSS only when the CSS changes (tui/widgets/draft_area.py)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from tests.helpers import type_text, wait_for
from tui.store.drafts import load_draft
from tui.widgets.draft_area import DraftArea


class Box(App):
    CSS = "DraftArea.-warm { background: darkred; color: white; }"

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield DraftArea(self.store, "test-draft", id="box")
        yield Button("elsewhere", id="elsewhere")


def styles_now(area: DraftArea) -> tuple:
    theme = area._theme
    return (theme.base_style, theme.cursor_style, theme.selection_style, theme.cursor_line_style)


def styles_fresh(area: DraftArea) -> tuple:
    area._theme.apply_css(area)
    return styles_now(area)


async def test_draft_saved_once_typing_pauses(ready_store):
    app = Box(ready_store)
    async with app.run_test(size=(60, 12)) as pilot:
        app.query_one("#box", DraftArea).focus()
        await type_text(pilot, "half a thought")
        await wait_for(pilot, lambda: load_draft(ready_store, "test-draft") == "half a thought", tries=300)


async def test_styles_follow_theme_and_focus(ready_store):
    app = Box(ready_store)
    async with app.run_test(size=(60, 12)) as pilot:
        area = app.query_one("#box", DraftArea)
        area.focus()
        await type_text(pilot, "abc")
        await pilot.pause()
        before = styles_now(area)
        assert before == styles_fresh(area)

        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await type_text(pilot, "d")  # a render after the change
        await pilot.pause()
        after_theme = styles_now(area)
        assert after_theme != before
        assert after_theme == styles_fresh(area)

        area.add_class("-warm")  # the CSS changes, the theme object does not
        await pilot.pause()
        await type_text(pilot, "e")
        await pilot.pause()
        warm = styles_now(area)
        assert warm != after_theme
        assert warm == styles_fresh(area)

        app.query_one("#elsewhere", Button).focus()
        await pilot.pause()
        area.refresh()
        await pilot.pause()
        assert styles_now(area) == styles_fresh(area)


def test_textarea_render_lines_is_still_what_draft_area_replaces():
    """DraftArea.render_lines stands in for TextArea.render_lines (apply the theme's CSS, then
    Widget.render_lines). If a Textual update changes that method, this fails so the override
    is looked at again instead of silently skipping the new steps."""
    import inspect

    from textual.widgets import TextArea

    body = [line.strip() for line in inspect.getsource(TextArea.render_lines).splitlines()[1:] if line.strip()]
    assert body == ["theme = self._theme", "if theme:", "theme.apply_css(self)", "return super().render_lines(crop)"]


async def test_typing_messages_stop_at_the_box(ready_store):
    """Each key makes a Changed and a SelectionChanged; nothing above the box uses them, and every
    level they climb costs each keystroke, so they stop at the box."""
    from textual.widgets import TextArea

    heard: list[str] = []

    class Listening(Box):
        def on_text_area_changed(self, event: TextArea.Changed) -> None:
            heard.append("changed")

        def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
            heard.append("selection")

    app = Listening(ready_store)
    async with app.run_test(size=(60, 12)) as pilot:
        area = app.query_one("#box", DraftArea)
        area.focus()
        await type_text(pilot, "ab")
        await wait_for(pilot, lambda: area.text == "ab")
        await pilot.pause()
    assert heard == []
