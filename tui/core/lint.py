"""Content linter for decks: duplicates, length, question marks, open questions, depth mix.

Runs after the schema check (decks.py) on decks that loaded. Problems point at the card.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from itertools import combinations

from tui.core.decks import Card, Deck, Problem

MIN_TEXT = 15
MAX_TEXT = 220
MAX_FOLLOW_UP = 120
#: Openers that invite a yes or a no; cards should ask open questions.
YES_NO = re.compile(
    r"^(do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|shall|may|might|am)\b", re.I
)
NEAR_RATIO = 0.88
MIN_CARDS_FOR_DEPTH_RULE = 9


def normalize(text: str) -> str:
    """Lowercase letters and digits only, single spaces: what 'the same card' means."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _card_line(deck: Deck, card: Card) -> int:
    try:
        lines = deck.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*id\s*=\s*[\"']{re.escape(card.id)}[\"']")
    return next((i + 1 for i, ln in enumerate(lines) if pattern.match(ln)), 1)


def lint_decks(decks: list[Deck]) -> list[Problem]:
    """Every content problem across `decks`."""
    problems: list[Problem] = []
    lines: dict[tuple[str, str], int] = {}

    def line(deck: Deck, card: Card) -> int:
        key = (deck.id, card.id)
        if key not in lines:
            lines[key] = _card_line(deck, card)
        return lines[key]

    def add(deck: Deck, card: Card | None, message: str) -> None:
        where = line(deck, card) if card else 1
        label = f"card '{card.id}': " if card else f"deck '{deck.id}': "
        problems.append(Problem(deck.path, where, label + message))

    for deck in decks:
        if not deck.description:
            add(deck, None, "field 'description' is missing")
        for card in deck.cards:
            n = len(card.text)
            if n < MIN_TEXT:
                add(card=card, deck=deck, message=f"text is too short ({n} characters; at least {MIN_TEXT})")
            if n > MAX_TEXT:
                add(card=card, deck=deck, message=f"text is too long ({n} characters; at most {MAX_TEXT})")
            if card.kind == "question":
                if not card.text.endswith("?"):
                    add(deck, card, "a question card must end with '?'")
                if YES_NO.match(card.text):
                    add(deck, card, f"starts with '{card.text.split()[0]}', which invites a yes/no answer; ask an open question")
            for f in card.follow_ups:
                if not f.endswith("?"):
                    add(deck, card, f"follow-up must end with '?': {f!r}")
                elif YES_NO.match(f):
                    add(deck, card, f"follow-up invites a yes/no answer: {f!r}")
                if len(f) > MAX_FOLLOW_UP:
                    add(deck, card, f"follow-up is too long ({len(f)} characters; at most {MAX_FOLLOW_UP})")
            if len(card.follow_ups) > 2:
                add(deck, card, f"has {len(card.follow_ups)} follow-ups; keep it to one or two")
        n = len(deck.cards)
        deepest = sum(c.depth == 3 for c in deck.cards)
        if deepest * 3 > n:
            add(deck, None, f"{deepest} of {n} cards are at depth 3; keep the deepest to a third or less")
        if n >= MIN_CARDS_FOR_DEPTH_RULE:
            missing = [str(d) for d in (1, 2, 3) if not any(c.depth == d for c in deck.cards)]
            if missing:
                add(deck, None, f"no cards at depth {', '.join(missing)}; spread cards over depths 1-3")

    problems.extend(_duplicates(decks, line))
    return problems


def _duplicates(decks: list[Deck], line) -> list[Problem]:
    """Exact duplicates on normalized text, and near-duplicates by sequence similarity."""
    entries = [(deck, card, normalize(card.text)) for deck in decks for card in deck.cards]
    found: list[Problem] = []
    seen: dict[str, tuple[Deck, Card]] = {}
    for deck, card, norm in entries:
        if norm in seen:
            other_deck, other = seen[norm]
            found.append(Problem(deck.path, line(deck, card),
                                 f"card '{card.id}': same text as card '{other.id}' in {other_deck.path.name}"))
        else:
            seen[norm] = (deck, card)
    unique = [(d, c, n, set(n.split())) for n, (d, c) in ((n, v) for n, v in seen.items())]
    for (d1, c1, n1, w1), (d2, c2, n2, w2) in combinations(unique, 2):
        if not w1 or not w2 or len(w1 & w2) / len(w1 | w2) < 0.5:
            continue
        matcher = SequenceMatcher(None, n1, n2, autojunk=False)
        if matcher.quick_ratio() >= NEAR_RATIO and matcher.ratio() >= NEAR_RATIO:
            found.append(Problem(d2.path, line(d2, c2),
                                 f"card '{c2.id}': nearly the same as card '{c1.id}' in {d1.path.name}"))
    return found
