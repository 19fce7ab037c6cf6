"""A Select that keeps the keys typed straight after a choice.

Choosing with Enter closes Textual's list a few messages later: until then the list still has
the keyboard, so keys a person typed on at once (Tab to the next field, then words) reached the
list, whose type-to-search ate the letters, and the Select then took the keyboard back from the
field Tab had moved to. Here the list holds every key that comes after the choice and hands them
on, in order, once it has let go of the keyboard, to wherever the keyboard is then.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectCurrent, SelectOverlay  # the parts Select composes


#: Keys that move the keyboard: handed on as the move itself, in the app's queue, so letters
#: after them reach the field moved to (as a key they would go round the widgets first, and
#: the letters behind them would reach the field being left).
MOVES = {"tab": "focus_next", "shift+tab": "focus_previous"}


def _replay(app, held: list[tuple[str, str | None]]) -> None:
    """Each key into the app's queue, in order: a key goes to whatever has the keyboard when its
    turn comes, a Tab moves the keyboard at its turn."""
    for key, character in held:
        if key in MOVES:
            app.call_later(getattr(app.screen, MOVES[key]))
        else:
            app.post_message(events.Key(key, character))


def _after_bubbling(node, then) -> None:
    """Run `then` once each widget from `node` up to its screen has handled what is queued on it
    now, in turn: a message on its way up (Select.Changed) is handled everywhere first."""
    def step(at) -> None:
        if at is at.screen or at.parent is None:
            then()
        else:
            at.parent.call_later(step, at.parent)

    node.call_later(step, node)


class KeptKeysOverlay(SelectOverlay):
    """The open list of a KeptSelect: after a choice, keys are held, not searched with."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._chosen = False
        self._held: list[tuple[str, str | None]] = []

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._chosen = True  # the list closes a few messages from now
        super().on_option_list_option_selected(event)

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls SelectOverlay._on_key after this one unless the default is prevented
        if self._chosen:
            event.stop()
            event.prevent_default()
            self._held.append((event.key, event.character))
            if not self.has_focus:  # already let go: no blur is coming to hand it on
                self._hand_on()
        elif event.key == "enter" and self.highlighted is not None:
            # keys typed after it are already queued here, ahead of the choice it makes
            self._chosen = True

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._hand_on()

    def _hand_on(self) -> None:
        """Keys held since the choice go to the app again, in order: it sends each to whatever
        has the keyboard by then (the Select, or the field Tab moves to)."""
        held, self._held = self._held, []
        self._chosen = False
        if held and isinstance(self.parent, Select):
            # once the choice's Changed has gone up to the screen: a screen that gives the
            # keyboard to a field on a choice (a category of our own) has done so by then
            _after_bubbling(self.parent, lambda: _replay(self.app, held))

    def _on_show(self, event: events.Show) -> None:
        self._chosen = False  # opened again: typing searches the list, as usual


class KeptSelect(Select):
    """Textual's Select, with a list that keeps the keys typed straight after a choice."""

    def compose(self):  # type: ignore[override]
        yield SelectCurrent(self.prompt)
        yield KeptKeysOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
