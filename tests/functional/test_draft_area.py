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


COUPLE = "👩\u200d❤\ufe0f\u200d👨"
FLAG = "🏳\ufe0f\u200d🌈"


async def test_typed_zero_width_joiners_are_kept(ready_store):
    """Issue 15, bug 3: Textual drops a typed U+200D (str.isprintable() is False for it), so a
    couple emoji arrived as three. Hearth's rule for typed keys (set up when tui.app is imported)
    keeps it in every text box."""
    from textual.widgets import Input

    from tui.widgets.text_input import TextInput
    from tui.widgets.typed_keys import keep_every_typed_character

    keep_every_typed_character()

    class Both(App):
        def compose(self) -> ComposeResult:
            yield DraftArea(ready_store, "zwj", id="box")
            yield TextInput(id="line")
            yield Input(id="bare")  # Textual's own: the rule is app-wide

    from textual._xterm_parser import XTermParser

    app = Both()
    async with app.run_test(size=(60, 12)) as pilot:
        for target in ("#box", "#line", "#bare"):
            app.query_one(target).focus()
            await pilot.pause()
            for event in XTermParser().feed(COUPLE + " " + FLAG + "\u200c"):  # as a terminal sends them
                app._driver.send_message(event)
            await pilot.pause()
        assert app.query_one("#box", DraftArea).text == COUPLE + " " + FLAG + "\u200c"
        assert app.query_one("#line", TextInput).value == COUPLE + " " + FLAG + "\u200c"
        assert app.query_one("#bare", Input).value == COUPLE + " " + FLAG + "\u200c"


async def test_the_count_shows_near_the_limit_and_a_long_paste_is_kept_and_said(ready_store):
    """Rough edge: the 4,000-character limit showed only on save."""
    from textual import events

    class Limited(App):
        def compose(self) -> ComposeResult:
            yield DraftArea(ready_store, "limited", id="box", limit=100)

    app = Limited()
    async with app.run_test(size=(60, 12)) as pilot:
        box = app.query_one("#box", DraftArea)
        box.focus()
        await type_text(pilot, "short")
        assert box.border_subtitle == ""
        app.post_message(events.Paste("x" * 95))
        await wait_for(pilot, lambda: box.border_subtitle == "100 of 100 characters")
        app.post_message(events.Paste("y" * 20))
        await wait_for(pilot, lambda: "120 of 100 characters: shorten it to save" == box.border_subtitle)
        assert len(box.text) == 120 and box.has_class("-over-limit")  # the paste is whole


async def test_a_removed_box_painted_once_more_draws_nothing(ready_store):
    """A step swapped for the next may be painted once after its box was removed; that raised
    KeyError ('text-area--gutter') from a reflection skipped step by step, and Hearth closed."""
    from textual.geometry import Region

    app = Box(ready_store)
    async with app.run_test(size=(60, 12)) as pilot:
        area = app.query_one("#box", DraftArea)
        await area.remove()
        await pilot.pause()
        area._styled_for = None  # as after a style change
        lines = area.render_lines(Region(0, 0, 10, 3))
        assert len(lines) == 3 and all(line.cell_length == 10 for line in lines)


async def test_a_paste_too_long_for_a_line_is_not_refused_silently():
    """Rough edge: Textual's Input drops a paste that would pass max_length, without a word."""
    from textual import events

    from tui.widgets.text_input import TextInput

    class Line(App):
        def compose(self) -> ComposeResult:
            yield TextInput(id="line", max_length=10)

    app = Line()
    async with app.run_test(size=(60, 12)) as pilot:
        line = app.query_one("#line", TextInput)
        line.focus()
        app.post_message(events.Paste("abc"))
        await wait_for(pilot, lambda: line.value == "abc")
        app.post_message(events.Paste("0123456789"))
        await wait_for(pilot, lambda: line.value == "abc0123456")
        assert any("did not fit" in n.message for n in app._notifications)
