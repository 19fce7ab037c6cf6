"""Property tests: any text survives save and load; the deck loader only ever reports problems."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from tui.core.decks import parse_deck
from tui.store import Store

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
TRICKY = st.sampled_from([
    "❤️‍🔥 👩🏽‍❤️‍👨🏿 🫶",
    "مرحبا، كيف كان يومك؟ שלום",
    "tab\tnew\nline\r\nbell\x07 esc\x1b[31m nul\x00",
    "\u202eright-to-left override\u202c and zero\u200bwidth",
    "x" * 100_000,
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(ANY_TEXT, TRICKY))
def test_any_text_round_trips_through_save_and_load(tmp_path_factory, text: str):
    path = tmp_path_factory.mktemp("prop") / "hearth.json"
    with Store.open(path, background=False) as s:
        s.table("answers").insert({"text": text})
    with Store.open(path, background=False) as s:
        assert s.table("answers").all()[0]["text"] == text


TOML_VALUES = st.recursive(
    st.one_of(st.integers(-5, 5), st.booleans(), st.text(max_size=20), st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "text", "depth", "kind", "follow_ups", "title", "x"]), inner, max_size=4),
    max_leaves=8,
)
DECKISH = st.fixed_dictionaries({}, optional={
    "deck": st.dictionaries(st.sampled_from(["id", "title", "description", "tags", "zz"]), TOML_VALUES, max_size=4),
    "cards": st.lists(st.dictionaries(st.sampled_from(["id", "text", "depth", "kind", "follow_ups", "q"]), TOML_VALUES, max_size=5), max_size=4),
    "extra": TOML_VALUES,
})


def to_toml(value) -> str:
    """A tiny TOML writer for the shapes above (inline tables keep it simple)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {to_toml(v)}" for k, v in value.items()) + "}"


@settings(max_examples=200, deadline=None)
@given(data=DECKISH)
def test_deck_loader_never_raises_on_structured_input(data):
    text = "\n".join(f"{k} = {to_toml(v)}" for k, v in data.items())
    deck, problems = parse_deck(Path("fuzz.toml"), text)
    assert not any("TOML syntax" in p.message for p in problems), text  # the writer above is valid TOML
    assert (deck is None) == bool(problems)
    assert all(p.line >= 1 and p.message for p in problems)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_deck_loader_never_raises_on_arbitrary_text(text: str):
    deck, problems = parse_deck(Path("fuzz.toml"), text)
    assert deck is not None or problems
    assert all(isinstance(p.line, int) and p.line >= 1 for p in problems)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(st.characters(codec="utf-8"), max_size=30)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
TABLES = st.dictionaries(st.integers(1, 10_000).map(str), st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4),
                         max_size=6)


def in_pieces(text: str, size: int):
    from tui.store.storage import utf8_pieces

    raw = text.encode("utf-8")
    return utf8_pieces(raw[i:i + size] for i in range(0, len(raw), size))


@settings(max_examples=200, deadline=None)
@given(table=TABLES, size=st.integers(1, 40), cut=st.integers(0, 10_000), junk=st.sampled_from(["", "x", "}", ",", '"', "\ud7ff"]))
def test_checking_a_table_in_pieces_agrees_with_checking_it_whole(table, size, cut, junk):
    """The background check reads a table in small pieces (tui/store/storage.py, CHECK_PIECE); a
    document split between pieces is still good, and damage is still found, wherever it falls."""
    from tui.store.storage import check_table

    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    assert check_table(text) is None
    assert check_table(in_pieces(text, size)) is None
    cut %= len(text) + 1
    damaged = text[:cut] + junk + text[cut + (1 if junk else 3):]
    whole = check_table(damaged)
    assert (check_table(in_pieces(damaged, size)) is None) == (whole is None)
    if damaged != text and whole is None:
        json.loads(damaged)  # only a change that left valid JSON of the same shape may pass
