"""Cleaning typed text keeps every character a person can type or paste (issue 14, defect 7).
Only C0/C1 controls other than newline and tab, and unpaired surrogates, are removed; trimming
touches ASCII blanks only."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from tui.core import agreements, pause, partners, reflection, rounds
from tui.core.text import keep_typed, typed_line, typed_lines

PASTED = [
    "👩\u200d❤️\u200d👨",  # a couple: zero-width joiners
    "می\u200cخواهم",  # Persian needs the zero-width non-joiner
    "10\u00a0km",  # no-break space
    "はい\u3000いいえ",  # ideographic space
    "\u200fשלום\u200e ok",  # right-to-left and left-to-right marks
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # a subdivision flag (tags)
    "Donau\u00adschiff",  # soft hyphen
    "🩷",  # newer than this Python's Unicode tables
    "\u202eoverride\u202c",
    "\ue000 private use, \U0010fffd and \ufeff",
]

CLEANERS = {
    "answer": rounds.clean_answer,
    "pause note": pause.clean_text,
    "pause topic": lambda t: pause.clean_line(t, 10_000),
    "reflection": reflection.clean_text,
    "reflection item": lambda t: reflection.clean_item(t, "both").text,
    "appreciations": lambda t: "\n".join(reflection.clean_appreciations(t)),
    "agreement title": agreements.clean_title,
    "agreement text": agreements.clean_text,
    "name": lambda t: partners.clean_name(t),
}


def _is_blank_or_control(ch: str) -> bool:
    o = ord(ch)
    return o < 0x20 or 0x7f <= o <= 0x9f or ch == " " or 0xd800 <= o <= 0xdfff


def visible(text: str) -> str:
    """What must survive: everything but controls, surrogates and ASCII blanks."""
    return "".join(ch for ch in text if not _is_blank_or_control(ch))


@pytest.mark.parametrize("cleaner", sorted(CLEANERS))
@pytest.mark.parametrize("text", PASTED)
def test_pasted_characters_are_kept_exactly(cleaner, text):
    assert CLEANERS[cleaner](f"{text}  ") == text


# Every code point there is, surrogates included.
ANY = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=24)  # names hold 24


@settings(max_examples=400, deadline=None)
@given(text=ANY)
def test_keep_typed_drops_only_controls_and_lone_surrogates(text):
    out = keep_typed(text)
    out.encode("utf-8")  # always writable
    assert not any(0xd800 <= ord(c) <= 0xdfff for c in out)
    assert not any(_is_blank_or_control(c) and c not in " \t\n" for c in out)
    if not any(0xd800 <= ord(c) <= 0xdfff for c in text):
        expected = "".join(c for c in text.replace("\r\n", "\n").replace("\r", "\n")
                           if c in "\t\n" or not _is_blank_or_control(c) or c == " ")
        assert out == expected


@settings(max_examples=300, deadline=None)
@given(text=ANY, cleaner=st.sampled_from(sorted(CLEANERS)))
def test_every_cleaner_keeps_every_visible_character(text, cleaner):
    try:
        out = CLEANERS[cleaner](text)
    except reflection.ReflectionError:
        return  # empty after cleaning: refused in words, nothing changed
    assert visible(out) == visible(keep_typed(text))
    out.encode("utf-8")


def test_a_surrogate_pair_in_two_halves_becomes_its_character():
    assert keep_typed("a\ud83d\ude00b\ud800") == "a😀b"


def test_one_line_and_many_lines():
    assert typed_line(" a \t b\nc ") == "a b c"
    assert typed_lines("a  \n\n b\t\n\n") == "a\n\n b"
    assert typed_lines(" a   b ", tidy_spaces=True) == "a b"
    assert typed_line("a\u00a0\u00a0b\u3000") == "a\u00a0\u00a0b\u3000"


def test_the_couples_own_pause_words_keep_their_characters():
    words = pause.pause_words("Ich brauche\u00a0eine Pause 🩷 bis {time}", [], "default {time}", "20:00")
    assert words == "Ich brauche\u00a0eine Pause 🩷 bis 20:00"


@pytest.mark.parametrize("ch", ["\u200d", "\u200c", "\u00a0", "\u3000", "\u200f", "\U000e0067", "\u00ad", "🩷", "a", " "])
def test_every_typed_character_counts_as_printable_for_the_text_boxes(ch):
    import tui.app  # noqa: F401  (applies the rule)
    from textual import events

    assert events.Key("x", ch).is_printable


@pytest.mark.parametrize("ch", ["\x1b", "\x00", "\t", "\r", "\n", "\x85", "\ud800", None])
def test_controls_still_do_not(ch):
    import tui.app  # noqa: F401
    from textual import events

    assert not events.Key("f1", ch).is_printable


async def test_a_zero_width_joiner_typed_into_a_text_box_is_kept():
    import tui.app  # noqa: F401
    from textual import events
    from textual.app import App
    from textual.widgets import TextArea

    class One(App):
        def compose(self):
            yield TextArea()

    app = One()
    async with app.run_test() as pilot:
        area = app.query_one(TextArea)
        area.focus()
        for ch in "👩\u200d❤\ufe0f\u200d👨🩷":
            await area._on_key(events.Key("x", ch))
        await pilot.pause()
        assert area.text == "👩\u200d❤\ufe0f\u200d👨🩷"
