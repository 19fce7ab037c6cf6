"""Deck loading: every kind of problem is found, with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.decks import load_decks, parse_deck
from tui.core.lint import lint_decks, normalize
from tui.paths import shipped_decks_dir

GOOD = """\
[deck]
id = "tiny"
title = "Tiny deck"
description = "For tests."

[[cards]]
id = "t-1"
text = "What made you smile today, and why that?"
depth = 1
kind = "question"
follow_ups = ["Who else saw it?"]

[[cards]]
id = "t-2"
text = "Which small habit of yours has changed this year?"
depth = 2
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_deck_loads(tmp_path: Path):
    deck, problems = parse_deck(tmp_path / "tiny.toml", GOOD)
    assert problems == []
    assert deck.id == "tiny" and [c.key for c in deck.cards] == ["tiny/t-1", "tiny/t-2"]
    assert deck.cards[1].kind == "question" and deck.cards[0].follow_ups == ("Who else saw it?",)


def test_toml_syntax_error_names_its_line(tmp_path: Path):
    bad = GOOD.replace('depth = 2', 'depth = = 2')
    _, problems = parse_deck(tmp_path / "x.toml", bad)
    assert len(problems) == 1 and problems[0].line == 16 and "TOML syntax error" in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'x.toml'}:16: ")


@pytest.mark.parametrize(
    "old,new,line,words",
    [
        ('depth = 2', 'depth = 5', 16, ["card 2 (id 't-2')", "'depth'", "1, 2 or 3"]),
        ('depth = 2', 'depth = "deep"', 16, ["card 2", "'depth'"]),
        ('kind = "question"', 'kind = "quiz"', 10, ["card 1 (id 't-1')", "'kind'"]),
        ('text = "Which small habit of yours has changed this year?"\n', '', 13, ["card 2", "'text' is missing"]),
        ('id = "t-2"', 'id = "t-1"', 14, ["card 2", "already used by card 1"]),
        ('id = "t-2"\n', '', 13, ["card 2", "'id' is missing"]),
        ('follow_ups = ["Who else saw it?"]', 'follow_ups = "Who?"', 11, ["card 1", "'follow_ups'"]),
        ('follow_ups = ["Who else saw it?"]', 'follow_up = ["Who?"]', 11, ["card 1", "unknown field 'follow_up'"]),
        ('title = "Tiny deck"', 'title = ""', 3, ["deck: field 'title'"]),
        ('id = "tiny"', 'id = "Tiny Deck!"', 2, ["deck: field 'id'"]),
    ],
)
def test_schema_problems_name_file_card_and_field(tmp_path: Path, old, new, line, words):
    assert old in GOOD
    deck, problems = parse_deck(tmp_path / "d.toml", GOOD.replace(old, new, 1))
    assert deck is None and problems
    text = str(problems[0])
    assert problems[0].line == line, text
    for w in words:
        assert w in text


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path):
    bad = GOOD.replace("depth = 1", "depth = 9").replace('kind = "question"', 'kind = "x"').replace("depth = 2", "")
    _, problems = parse_deck(tmp_path / "d.toml", bad)
    assert len(problems) == 3


def test_missing_deck_table_and_no_cards(tmp_path: Path):
    _, problems = parse_deck(tmp_path / "d.toml", "title = 'x'\n")
    messages = " ".join(p.message for p in problems)
    assert "missing [deck]" in messages and "no cards" in messages


def test_broken_deck_is_left_out_others_load(tmp_path: Path):
    write(tmp_path, "good.toml", GOOD)
    write(tmp_path, "bad.toml", "[deck\n")
    found = load_decks([tmp_path])
    assert [d.id for d in found.decks] == ["tiny"]
    assert found.broken_files == [tmp_path / "bad.toml"]


def test_two_decks_with_one_id_name_both_files(tmp_path: Path):
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", GOOD)
    found = load_decks([tmp_path])
    assert len(found.decks) == 1
    assert any(str(a) in str(p) and str(b) in str(p) for p in found.problems)


def test_invalid_utf8_and_unreadable(tmp_path: Path):
    p = tmp_path / "x.toml"
    p.write_bytes(b'[deck]\nid = "x"\ntitle = "\xff"\n')
    found = load_decks([p])
    assert found.problems[0].line == 3 and "UTF-8" in found.problems[0].message
    missing = load_decks([tmp_path / "nope.toml"])
    assert "no such file" in missing.problems[0].message


def test_shipped_decks_are_clean():
    """`hearth decks check` passes on the shipped decks: schema, content and re-worded questions."""
    found = load_decks([shipped_decks_dir()])
    assert found.problems == []
    assert [str(p) for p in lint_decks(found.decks)] == []


def test_the_shipped_set_lasts_a_year():
    """Issue 16's rules for the decks Hearth ships (not rules for a couple's own decks): at least
    28 decks and 1,500 cards, a third of the cards with follow-ups, activities at least 15% of all
    cards, at most a third of any deck at depth 3, and the opt-in and challenge decks present."""
    decks = load_decks([shipped_decks_dir()]).decks
    cards = [c for d in decks for c in d.cards]
    assert len(decks) >= 28, f"{len(decks)} decks"
    assert len(cards) >= 1500, f"{len(cards)} cards"
    with_follow_ups = sum(bool(c.follow_ups) for c in cards)
    assert with_follow_ups * 3 >= len(cards), f"{with_follow_ups} of {len(cards)} cards have follow-ups"
    activities = sum(c.kind == "activity" for c in cards)
    assert activities * 100 >= 15 * len(cards), f"{activities} of {len(cards)} cards are activities"
    deep = [d.id for d in decks if sum(c.depth == 3 for c in d.cards) * 3 > len(d.cards)]
    assert deep == [], f"more than a third at depth 3: {deep}"
    assert any(d.challenge for d in decks) and sum(d.opt_in for d in decks) >= 3
    assert any(c.know_me for c in cards)


def test_linter_catches_content_problems(tmp_path: Path):
    text = GOOD + """
[[cards]]
id = "t-3"
text = "What made you smile today and why that"
depth = 3

[[cards]]
id = "t-4"
text = "Do you like tea?"
depth = 3

[[cards]]
id = "t-5"
text = "Short?"
depth = 3
"""
    write(tmp_path, "d.toml", text)
    found = load_decks([tmp_path])
    problems = [str(p) for p in lint_decks(found.decks)]
    joined = "\n".join(problems)
    assert "card 't-3': a question card must end with '?'" in joined
    assert "nearly the same as card 't-1'" in joined or "same text as card 't-1'" in joined
    assert "yes/no" in joined
    assert "too short" in joined
    assert "depth 3" in joined  # 3 of 5 at the deepest
    assert all(p.startswith(str(tmp_path / "d.toml") + ":") for p in problems)


def test_normalize_ignores_case_punctuation_and_spacing():
    assert normalize("What  made YOU smile?") == normalize("what made you, smile")


# -- opt-in, challenge and Know me fields ---------------------------------------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"

CHALLENGE = """\
[deck]
id = "ch"
title = "Challenge"
description = "For tests."
challenge = true
weeks = ["One", "Two"]

[[cards]]
id = "a"
text = "Write each other one line about this morning."
depth = 1
kind = "activity"
week = 1
day = 1

[[cards]]
id = "b"
text = "Which smell takes you straight back to childhood?"
depth = 1
week = 1
day = 2
"""


def test_fixture_decks_carry_the_new_fields():
    found = load_decks([FIXTURES])
    assert found.problems == [] and lint_decks(found.decks) == []
    by_id = found.by_id()
    challenge, hidden, plain = by_id["fixture-challenge"], by_id["fixture-opt-in"], by_id["fixture-plain"]
    assert challenge.challenge and not challenge.opt_in and challenge.weeks == ("Small hellos", "Little thanks")
    assert challenge.week_numbers() == [1, 2] and [c.day for c in challenge.week_cards(1)] == [1, 2, 3]
    assert challenge.week_title(2) == "Week 2: Little thanks" and challenge.week_title(3) == "Week 3"
    assert hidden.opt_in and not hidden.challenge and hidden.cards[0].know_me and not hidden.cards[1].know_me
    assert not plain.opt_in and plain.cards[0].week is None


def test_hidden_decks_until_turned_on():
    from tui.core.decks import hidden_deck_ids, shown_decks

    decks = load_decks([FIXTURES]).decks
    assert "fixture-opt-in" not in {d.id for d in shown_decks(decks, [])}
    assert hidden_deck_ids(decks, []) == {"fixture-opt-in"}
    assert "fixture-opt-in" in {d.id for d in shown_decks(decks, ["fixture-opt-in"])}
    assert hidden_deck_ids(decks, ["fixture-opt-in"]) == set()


def test_challenge_deck_loads(tmp_path: Path):
    deck, problems = parse_deck(tmp_path / "c.toml", CHALLENGE)
    assert problems == [] and [(c.week, c.day) for c in deck.cards] == [(1, 1), (1, 2)]


@pytest.mark.parametrize(
    "text,old,new,line,words",
    [
        (GOOD, 'description = "For tests."', 'description = "For tests."\nopt_in = "yes"', 5, ["'opt_in'", "true or false"]),
        (GOOD, 'description = "For tests."', 'description = "For tests."\nchallenge = 1', 5, ["'challenge'", "true or false"]),
        (GOOD, 'description = "For tests."', 'description = "For tests."\nweeks = ["A"]', 5, ["'weeks'", "challenge = true"]),
        (GOOD, 'depth = 2', 'depth = 2\nknow_me = "true"', 17, ["card 2", "'know_me'", "true or false"]),
        (GOOD, 'depth = 2', 'depth = 2\nweek = 1', 17, ["card 2", "'week'", "only for a challenge deck"]),
        (GOOD, 'depth = 2', 'depth = 2\nday = 1', 17, ["card 2", "'day'", "only for a challenge deck"]),
        (CHALLENGE, 'week = 1\nday = 2', 'day = 2', 16, ["card 2", "'week' is missing"]),
        (CHALLENGE, 'week = 1\nday = 2', 'week = 1', 16, ["card 2", "'day' is missing"]),
        (CHALLENGE, 'day = 2', 'day = 8', 21, ["card 2", "'day'", "from 1 to 7"]),
        (CHALLENGE, 'day = 2', 'day = "two"', 21, ["card 2", "'day'", "'two'"]),
        (CHALLENGE, 'week = 1\nday = 2', 'week = 3\nday = 1', 20, ["card 2", "'week'", "from 1 to 2", "names 2 weeks"]),
        (CHALLENGE, 'day = 2', 'day = 1', 21, ["card 2", "week 1 day 1 is already card 1"]),
        (CHALLENGE, 'day = 2', 'day = 3', 8, ["week 1 has no card for day 2"]),
        (CHALLENGE, 'weeks = ["One", "Two"]', 'weeks = "One"', 6, ["'weeks'", "list of week titles"]),
        (CHALLENGE, 'kind = "activity"', 'kind = "activity"\nknow_me = true', 13, ["card 1", "activity cannot be a Know me"]),
    ],
)
def test_new_fields_are_checked_with_file_and_line(tmp_path: Path, text, old, new, line, words):
    assert old in text
    deck, problems = parse_deck(tmp_path / "d.toml", text.replace(old, new, 1))
    assert deck is None and problems
    said = str(problems[0])
    assert problems[0].line == line, said
    for w in words:
        assert w in said, said


# -- the same question in other words -------------------------------------------------------------------

REWORDED_DECK = """\
[deck]
id = "rw"
title = "Reworded"
description = "For tests."

[[cards]]
id = "care-1"
text = "What is the most supportive thing anyone has done for you during a hard time?"
depth = 2

[[cards]]
id = "care-2"
text = "How do you hope we'll look after each other during the hardest seasons of life?"
depth = 2

[[cards]]
id = "hide-1"
text = "Which worry are you keeping to yourself this month?"
depth = 2

[[cards]]
id = "hide-2"
text = "What worry do you hide from people close to you, month after month?"
depth = 2

[[cards]]
id = "other-1"
text = "Which song from your teenage years still makes you dance?"
depth = 1

[[cards]]
id = "other-2"
text = "What would you plant first in a garden of your own?"
depth = 1
"""


def test_the_same_question_in_other_words_is_caught(tmp_path: Path):
    write(tmp_path, "rw.toml", REWORDED_DECK)
    problems = [str(p) for p in lint_decks(load_decks([tmp_path]).decks)]
    assert any("card 'care-2': may ask what card 'care-1'" in p and "in other words" in p for p in problems), problems
    assert any("card 'hide-2': may ask what card 'hide-1'" in p for p in problems), problems
    assert not any("other-" in p for p in problems)
    assert all(p.startswith(str(tmp_path / "rw.toml") + ":") for p in problems)


def test_content_words_map_words_that_ask_the_same():
    from tui.core.lint import content_words

    assert content_words("How do you like to be greeted when you've had a rough day?") == {"greet", "HARD", "SPAN"}
    assert content_words("What comfort helps after a tough week?") == {"CARE", "HARD", "SPAN"}
    assert content_words("Which feeling are you keeping to yourself today?") >= {"HIDE", "SPAN"}


def test_reviewed_pairs_are_left_out(monkeypatch, tmp_path: Path):
    from tui.core import lint

    write(tmp_path, "rw.toml", REWORDED_DECK)
    decks = load_decks([tmp_path]).decks
    monkeypatch.setattr(lint, "reviewed_pairs", lambda: {frozenset({"rw/care-1", "rw/care-2"}): "a reason"})
    problems = [str(p) for p in lint.lint_decks(decks)]
    assert not any("care-2" in p for p in problems) and any("hide-2" in p for p in problems)


def test_every_reviewed_pair_names_two_cards_and_a_reason():
    from tui.core import content

    for pair in content.load("reviewed_pairs").get("pair", []):
        assert len(pair["cards"]) == 2 and all("/" in k for k in pair["cards"]) and pair["reason"].strip()
