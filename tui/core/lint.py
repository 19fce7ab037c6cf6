"""Content linter for decks: duplicates (the same text, and the same question in other words),
length, question marks, open questions, depth mix.

Runs after the schema check (decks.py) on decks that loaded. Problems point at the card.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from itertools import combinations

from . import content
from .decks import Card, Deck, Problem

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
    problems.extend(_reworded(decks, line))
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
    for i, j in _overlapping(unique):
        (d1, c1, n1, w1), (d2, c2, n2, w2) = unique[i], unique[j]
        if not w1 or not w2 or len(w1 & w2) / len(w1 | w2) < 0.5:
            continue
        matcher = SequenceMatcher(None, n1, n2, autojunk=False)
        if matcher.quick_ratio() >= NEAR_RATIO and matcher.ratio() >= NEAR_RATIO:
            found.append(Problem(d2.path, line(d2, c2),
                                 f"card '{c2.id}': nearly the same as card '{c1.id}' in {d1.path.name}"))
    return found


def _overlapping(entries: list[tuple]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, whose word sets may overlap by half or more (Jaccard >= 0.5).

    Prefix filtering: with each set's words ordered rarest first, two sets that overlap that much
    share a word among the first len - ceil(len / 2) + 1 of either, so only those are indexed. It
    keeps 1,500 cards from becoming a million comparisons (3.4 s before, measured)."""
    df = Counter(w for entry in entries for w in entry[3])
    index: dict[str, list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for i, entry in enumerate(entries):
        words = sorted(entry[3], key=lambda w: (df[w], w))
        prefix = words[: len(words) - math.ceil(len(words) / 2) + 1]
        for w in prefix:
            for j in index[w]:
                pairs.add((j, i))
            index[w].append(i)
    return sorted(pairs)


# -- the same question in other words ---------------------------------------------------------------
#
# Plain text statistics, no model: each card becomes a set of content words (stop words out, a light
# stemmer, and a few groups of words that ask the same thing mapped to one concept, e.g. "hard week",
# "rough day" and "tough season" all become HARD SPAN). Each card is weighed as TF-IDF over those words
# and over every pair of them (two cards that share several rare words share many rare pairs), and
# cards whose cosine similarity reaches REWORDED are reported. The threshold was tuned on the 630
# cards shipped before issue 16: it catches e.g. four of the "care for me on a hard day" re-wordings
# and few pairs that ask different things. Pairs a person read and found different are listed, each
# with its reason, in tui/content/reviewed_pairs.toml.

REWORDED = 0.40
_STOP = frozenset("""
a an the and or but if of to in on at for with by from as about into over after before than then so that
this these those it its is are was were be been being am do does did doing done have has had having i me
my mine myself you your yours yourself yourselves we us our ours ourselves they them their theirs he she
him her his hers what which who whom whose when where why how would could should will can may might must
shall not no nor too very just also still ever even only own same other others each every any some such
there here up out off again once more most much many few lot lots little bit one ones thing things
something anything everything someone anyone everyone else let both partner tell share name describe pick
choose think say said way ways kind sort like really usually tend feel feels feeling felt need needs want
wants wish hope help helps helped make makes during while
""".split())
_CONCEPTS = {
    "HARD": "hard hardest harder rough tough bad difficult heavy frantic stressful stressed stress low upset "
            "sick overwhelmed struggle struggling awful draining exhausting exhausted",
    "SPAN": "day days week weeks season seasons time times stretch period moment moments today evening",
    "CARE": "comfort comforting comforted support supportive supported care cared caring kindness gesture "
            "soothe soothing",
    "HIDE": "hide hidden hiding secret secretly private privately guard conceal unsaid unspoken",
    "BEST": "best highlight favourite favorite brightest happiest",
}
_CONCEPT_OF = {w: c for c, ws in _CONCEPTS.items() for w in ws.split()}
_PHRASES = (
    (re.compile(r"\blook(?:s|ed|ing)? after\b"), " care "),
    (re.compile(r"\bcare about\b"), " about "),
    (re.compile(r"\bkeep(?:s|ing)? (?:it |them |that )?to yourself\b"), " hide "),
    (re.compile(r"\bhigh point\b"), " best "),
    (re.compile(r"\bworn out\b|\bunder pressure\b"), " hard "),
)
_SUFFIXES = (("iness", "y"), ("ies", "y"), ("ied", "y"), ("ing", ""), ("ive", ""), ("edly", ""), ("ed", ""),
             ("ly", ""), ("es", ""), ("s", ""))
_CLITIC = re.compile(r"'(?:s|d|re|ve|ll|m|t)$")


def _stem(word: str) -> str:
    for suffix, instead in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + instead
    return word


def content_words(text: str) -> set[str]:
    """What a card asks about, as a set of stems and concepts ('rough day' -> HARD, SPAN)."""
    low = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    for pattern, instead in _PHRASES:
        low = pattern.sub(instead, low)
    found: set[str] = set()
    for word in re.findall(r"[a-z']+", low):
        word = _CLITIC.sub("", word)
        if word in _CONCEPT_OF:
            found.add(_CONCEPT_OF[word])
        elif word not in _STOP and len(word) > 2:
            stem = _stem(word)
            found.add(_CONCEPT_OF.get(stem, stem))
    return found - _STOP


def _features(words: set[str]) -> set[str]:
    ordered = sorted(words)
    return set(ordered) | {f"{a}+{b}" for a, b in combinations(ordered, 2)}


def reworded_pairs(cards: list[Card], threshold: float = REWORDED) -> list[tuple[float, Card, Card]]:
    """Pairs of cards that likely ask the same question, most alike first.

    TF-IDF over content words and their pairs, cosine similarity through an inverted index (only cards
    that share a feature are compared, so 1,500 cards take a fraction of a second)."""
    words = [content_words(c.text) for c in cards]
    feats = [_features(w) for w in words]
    df = Counter(f for fs in feats for f in fs)
    n = len(cards)
    vectors: list[dict[str, float]] = []
    for fs in feats:
        weights = {f: math.log((n + 1) / (df[f] + 0.5)) for f in fs}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({f: w / norm for f, w in weights.items()})
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for f, w in vector.items():
            index[f].append((i, w))
    found: list[tuple[float, Card, Card]] = []
    for i, vector in enumerate(vectors):
        if len(words[i]) < 3:
            continue  # too few words to tell what a card asks
        scores: dict[int, float] = defaultdict(float)
        for f, w in vector.items():
            for j, other in index[f]:
                if j > i:
                    scores[j] += w * other
        for j, score in scores.items():
            if score >= threshold and len(words[j]) >= 3 and len(words[i] & words[j]) >= 2:
                found.append((score, cards[i], cards[j]))
    found.sort(key=lambda item: (-item[0], item[1].key, item[2].key))
    return found


def reviewed_pairs() -> dict[frozenset[str], str]:
    """Pairs of card keys a person read and found to ask different things, with the reason."""
    pairs = content.load("reviewed_pairs").get("pair", [])
    return {frozenset(p["cards"]): p["reason"] for p in pairs}


def _reworded(decks: list[Deck], line) -> list[Problem]:
    """The same question in other words, across all decks (reviewed pairs left out)."""
    where = {c.key: d for d in decks for c in d.cards}
    cards = [c for d in decks for c in d.cards]
    reviewed = reviewed_pairs()
    found: list[Problem] = []
    for score, first, second in reworded_pairs(cards):
        if frozenset((first.key, second.key)) in reviewed:
            continue
        a, b = normalize(first.text), normalize(second.text)
        if a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_RATIO:
            continue  # already said as the same or nearly the same text
        deck = where[second.key]
        found.append(Problem(deck.path, line(deck, second),
                             f"card '{second.id}': may ask what card '{first.id}' ({where[first.key].path.name}) asks, "
                             f"in other words (similarity {score:.2f}); merge or rewrite one, or list the pair "
                             f"with its reason in tui/content/reviewed_pairs.toml"))
    return found
