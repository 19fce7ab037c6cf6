"""Weekly reflection rules: ISO weeks, the steps, scores, differences, action items and trends.

Plain Python, no Textual. A reflection belongs to one ISO week (Monday to Sunday), so "this week"
and "last week" mean the same to both partners whatever day they sit down, and a year's last week
(52 or 53) rolls over to week 1 of the next ISO year without special cases in the screens.

Reflections are values: the rule functions take one and return a changed copy, so a screen can
never half-change what the store holds.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Sequence

from .clock import parse_time, stamp
from .text import typed_line, typed_lines

# -- ISO weeks ---------------------------------------------------------------------------------
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weeks_in_year(iso_year: int) -> int:
    """52 or 53: 28 December always falls in the last ISO week of its year."""
    return date(iso_year, 12, 28).isocalendar()[1]


def iso_week(when: date | datetime) -> tuple[int, int]:
    """(iso_year, week) of a day. A datetime counts in its own time zone (the couple's evening)."""
    day = when.date() if isinstance(when, datetime) else when
    y, w, _ = day.isocalendar()
    return (y, w)


def previous_week(iso_year: int, week: int) -> tuple[int, int]:
    """The week before; week 1 goes back to week 52 or 53 of the year before."""
    if week > 1:
        return (iso_year, week - 1)
    return (iso_year - 1, weeks_in_year(iso_year - 1))


def next_week(iso_year: int, week: int) -> tuple[int, int]:
    """The week after; the year's last week (52 or 53) goes on to week 1."""
    if week < weeks_in_year(iso_year):
        return (iso_year, week + 1)
    return (iso_year + 1, 1)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week. Ordered by (year, week), which is also time order across year boundaries."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no ISO week {self.week}")

    @classmethod
    def of(cls, when: date | datetime) -> "IsoWeek":
        return cls(*iso_week(when))

    @classmethod
    def parse(cls, key: str) -> "IsoWeek":
        """'2026-W11' → IsoWeek(2026, 11); ValueError for anything else."""
        year, sep, week = str(key).partition("-W")
        if not sep or not year.isdigit() or not week.isdigit():
            raise ValueError(f"not an ISO week: {key!r}")
        return cls(int(year), int(week))

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def previous(self) -> "IsoWeek":
        return IsoWeek(*previous_week(self.year, self.week))

    def next(self) -> "IsoWeek":
        return IsoWeek(*next_week(self.year, self.week))

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def sunday(self) -> date:
        return self.monday() + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"Week {self.week}, {self.year}"

    @property
    def span(self) -> str:
        """'9–15 Mar', '30 Mar – 5 Apr', or '28 Dec 2026 – 3 Jan 2027' across a new year."""
        a, b = self.monday(), self.sunday()
        if a.year != b.year:
            return f"{a.day} {MONTHS[a.month - 1]} {a.year} – {b.day} {MONTHS[b.month - 1]} {b.year}"
        if a.month != b.month:
            return f"{a.day} {MONTHS[a.month - 1]} – {b.day} {MONTHS[b.month - 1]}"
        return f"{a.day}–{b.day} {MONTHS[a.month - 1]}"

    @property
    def title(self) -> str:
        return f"{self.label} ({self.span})"


# -- steps ----------------------------------------------------------------------------------------
FULL = "full"
QUICK = "quick"
MODES = (FULL, QUICK)
DONE = "done"

FULL_STEPS = ("appreciations", "ratings", "reveal", "words", "last_items", "next_items", "due", "close")
#: The two-minute check-in: one appreciation each and the ratings; the reveal and close stay,
#: because ratings nobody sees would be a form, not a check-in.
QUICK_STEPS = ("appreciations", "ratings", "reveal", "close")
PRIVATE_STEPS = frozenset({"appreciations", "ratings"})
#: Optional steps of the full reflection, chosen in Settings or when starting (rules in
#: tui/core/reflection_extras.py), each with the step it comes after.
EXTRA_STEPS = {"one_issue": "words", "good_times": "next_items", "feel_loved": "good_times"}
STEP_TITLES = {
    "appreciations": "Appreciations",
    "ratings": "Private ratings",
    "reveal": "Side by side",
    "words": "The week in words",
    "last_items": "Last week's action items",
    "next_items": "Next week",
    "due": "What is due",
    "close": "Close",
    "one_issue": "One issue",
    "good_times": "Plan for good times",
    "feel_loved": "Feeling loved",
}

PARTNERS = ("p0", "p1")
WHO = ("p0", "p1", "both")
STATUSES = ("done", "not_yet", "drop")
STATUS_LABELS = {"done": "Done", "not_yet": "Not yet", "drop": "Drop"}

MAX_ITEMS = 3
MAX_ITEM_TEXT = 200
MAX_TEXT = 2000
MAX_APPRECIATIONS = 5  # more than one each, up to five (issue 21)
DIFFERENCE = 2  # points apart that are worth talking about
SCALE = (1, 2, 3, 4, 5)

#: The week in words: (prompt id, partner key or None when it is written together).
WORD_FIELDS: tuple[tuple[str, str | None], ...] = (
    ("hardest", "p0"),
    ("hardest", "p1"),
    ("surprised", "p0"),
    ("surprised", "p1"),
    ("more_of", None),
)


def word_key(prompt: str, partner: str | None) -> str:
    return f"{prompt}.{partner}" if partner else prompt


def pkey(index: int) -> str:
    """Partner index → the key used in stored documents (JSON keys are strings)."""
    return PARTNERS[index]


class ReflectionError(ValueError):
    """A rule was broken (empty text, a rating out of range...); the message is for people."""


def clean_text(raw: str) -> str:
    """Every typed character kept (tui/core/text.py); ASCII blanks tidied in each line; ends trimmed."""
    return typed_lines(raw, tidy_spaces=True)


def steps_for(mode: str, extras: Sequence[str] = ()) -> tuple[str, ...]:
    if mode == QUICK:
        return QUICK_STEPS
    steps = list(FULL_STEPS)
    for extra, after in EXTRA_STEPS.items():  # in this order, so "feel_loved" finds "good_times"
        if extra in extras:
            anchor = after if after in steps else EXTRA_STEPS.get(after, "next_items")
            steps.insert(steps.index(anchor) + 1, extra)
    return tuple(steps)


def step_after(mode: str, step: str, extras: Sequence[str] = ()) -> str:
    steps = steps_for(mode, extras)
    if step not in steps:
        return steps[0]
    i = steps.index(step)
    return steps[i + 1] if i + 1 < len(steps) else DONE


def next_private_partner(
    done: Sequence[str], at_keyboard: int | None = None, prefer: int | None = None
) -> int | None:
    """Who takes the next private turn: whoever already holds the keyboard if they still have
    a turn (saving one hand-over), then `prefer` (someone with a half-done turn to resume),
    else the first partner without one; None when both are done."""
    for candidate in (at_keyboard, prefer):
        if candidate is not None and pkey(candidate) not in done:
            return candidate
    for i, key in enumerate(PARTNERS):
        if key not in done:
            return i
    return None


# -- action items ---------------------------------------------------------------------------------
@dataclass
class ActionItem:
    """One small thing for the coming week, and who will do it."""

    text: str
    who: str  # "p0", "p1" or "both"
    carried_from: str | None = None  # the week key it was first written in, once carried over
    status: str | None = None  # when reviewed a week later: done / not_yet / drop

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "who": self.who, "carried_from": self.carried_from, "status": self.status}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> "ActionItem":
        who = doc.get("who")
        status = doc.get("status")
        return cls(
            text=str(doc.get("text", "")),
            who=who if who in WHO else "both",
            carried_from=doc.get("carried_from") or None,
            status=status if status in STATUSES else None,
        )


def clean_item(text: str, who: str | None) -> ActionItem:
    """A typed action item, checked; ReflectionError says what to fix."""
    cleaned = typed_line(text)
    if not cleaned:
        raise ReflectionError("Write a few words, or leave the line empty.")
    if len(cleaned) > MAX_ITEM_TEXT:
        raise ReflectionError(f"Keep it small: at most {MAX_ITEM_TEXT} characters (this has {len(cleaned)}).")
    if who not in WHO:
        raise ReflectionError("Who will do this one?")
    return ActionItem(cleaned, who)


# -- the reflection -------------------------------------------------------------------------------
@dataclass
class Reflection:
    """One week's reflection, as far as it has got. `step` is where to resume."""

    week: IsoWeek
    mode: str = FULL
    step: str = FULL_STEPS[0]
    turns: dict[str, list[str]] = field(default_factory=dict)  # private step -> partners done
    skipped: list[str] = field(default_factory=list)  # "ratings", or "ratings.p1" for one turn
    appreciations: dict[str, list[str]] = field(default_factory=dict)
    ratings: dict[str, dict[str, int]] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    review: list[ActionItem] = field(default_factory=list)
    review_from: str | None = None
    items: list[ActionItem] = field(default_factory=list)
    close: str = ""
    extras: tuple[str, ...] = ()  # optional steps chosen for this week (EXTRA_STEPS)
    extra: dict[str, Any] = field(default_factory=dict)  # their answers
    #: Private parts played apart, each on its partner's own computer: partner -> step ->
    #: "done" or "skipped", and "reveal" -> "seen" once they went on from the side by side there.
    #: Only that partner's computer writes its keys (reflection_apart.py).
    apart: dict[str, dict[str, str]] = field(default_factory=dict)
    started: datetime | None = None
    updated: datetime | None = None
    completed: datetime | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        return steps_for(self.mode, self.extras)

    @property
    def done(self) -> bool:
        return self.completed is not None

    @property
    def position(self) -> tuple[int, int]:
        """(step number from 1, number of steps), for 'Step 2 of 8'."""
        steps = self.steps
        n = steps.index(self.step) + 1 if self.step in steps else len(steps)
        return n, len(steps)

    def turns_done(self, step: str) -> list[str]:
        return list(self.turns.get(step, []))

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.key,
            "iso_year": self.week.year,
            "iso_week": self.week.week,
            "mode": self.mode,
            "step": self.step,
            "turns": copy.deepcopy(self.turns),
            "skipped": list(self.skipped),
            "appreciations": copy.deepcopy(self.appreciations),
            "ratings": copy.deepcopy(self.ratings),
            "words": dict(self.words),
            "review": [i.to_dict() for i in self.review],
            "review_from": self.review_from,
            "items": [i.to_dict() for i in self.items],
            "close": self.close,
            "extras": list(self.extras),
            "extra": copy.deepcopy(self.extra),
            "apart": copy.deepcopy(self.apart),
            "started": stamp(self.started) if self.started else None,
            "updated": stamp(self.updated) if self.updated else None,
            "completed": stamp(self.completed) if self.completed else None,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> "Reflection":
        """Read a stored document, tolerating missing or odd fields (files get hand-edited). Every
        list and dict is built anew below, so the result shares nothing mutable with `doc` (a deep
        copy first took most of the time of reading twenty years of weeks: the export, Reflection)."""
        mode = doc.get("mode") if doc.get("mode") in MODES else FULL
        step = doc.get("step")
        extras = tuple(e for e in EXTRA_STEPS if e in (doc.get("extras") or ()))
        if step != DONE and step not in steps_for(mode, extras):
            step = steps_for(mode)[0]
        ratings: dict[str, dict[str, int]] = {}
        for who, given in (doc.get("ratings") or {}).items():
            if who in PARTNERS and isinstance(given, dict):
                ratings[who] = {str(k): int(v) for k, v in given.items() if isinstance(v, int) and v in SCALE}
        appreciations = {
            who: [str(t) for t in texts if str(t).strip()]
            for who, texts in (doc.get("appreciations") or {}).items()
            if who in PARTNERS and isinstance(texts, list)
        }

        def when(key: str) -> datetime | None:
            value = doc.get(key)
            try:
                return parse_time(value) if value else None
            except (TypeError, ValueError):
                return None

        return cls(
            week=IsoWeek.parse(doc["week"]),
            mode=mode,
            step=step,
            turns={k: [p for p in v if p in PARTNERS] for k, v in (doc.get("turns") or {}).items() if isinstance(v, list)},
            skipped=[str(s) for s in doc.get("skipped") or []],
            appreciations=appreciations,
            ratings=ratings,
            words={str(k): str(v) for k, v in (doc.get("words") or {}).items() if v},
            review=[ActionItem.from_dict(i) for i in doc.get("review") or [] if isinstance(i, dict)],
            review_from=doc.get("review_from") or None,
            items=[ActionItem.from_dict(i) for i in doc.get("items") or [] if isinstance(i, dict)],
            close=str(doc.get("close") or ""),
            extras=extras,
            extra=copy.deepcopy(doc["extra"]) if isinstance(doc.get("extra"), dict) else {},
            apart=_apart(doc.get("apart")),
            started=when("started"),
            updated=when("updated"),
            completed=when("completed"),
        )


def _apart(raw: Any) -> dict[str, dict[str, str]]:
    """The apart record as stored, keeping only known partners, steps and marks."""
    if not isinstance(raw, dict):
        return {}
    return {
        who: {step: mark for step, mark in marks.items()
              if (step in PRIVATE_STEPS and mark in ("done", "skipped")) or (step, mark) == ("reveal", "seen")}
        for who, marks in raw.items()
        if who in PARTNERS and isinstance(marks, dict)
    }


def new_reflection(week: IsoWeek, mode: str, now: datetime) -> Reflection:
    if mode not in MODES:
        raise ReflectionError(f"unknown mode {mode!r}")
    return Reflection(week=week, mode=mode, step=steps_for(mode)[0], started=now, updated=now)


def _copy(r: Reflection, now: datetime) -> Reflection:
    out = copy.deepcopy(r)
    out.updated = now
    return out


def advance(r: Reflection, now: datetime, *, skipped: bool = False) -> Reflection:
    """Go on to the next step, noting when the one left was skipped."""
    out = _copy(r, now)
    if skipped and r.step not in out.skipped:
        out.skipped.append(r.step)
    out.step = step_after(r.mode, r.step, r.extras)
    return out


def _end_turn(out: Reflection, partner: int, now: datetime) -> Reflection:
    done = out.turns.setdefault(out.step, [])
    if pkey(partner) not in done:
        done.append(pkey(partner))
    if next_private_partner(done) is None:
        both_skipped = all(f"{out.step}.{p}" in out.skipped for p in PARTNERS)
        return advance(out, now, skipped=both_skipped)
    return out


def clean_appreciations(raw: str, *, quick: bool = False) -> list[str]:
    """Typed appreciations: one per line in the full reflection, one in all in the quick one."""
    text = clean_text(raw)
    if not text:
        raise ReflectionError("Write at least one thing you appreciated, or skip this turn.")
    if len(text) > MAX_TEXT:
        raise ReflectionError(f"That is a lot to read out: please keep it under {MAX_TEXT} characters (now {len(text)}).")
    if quick:
        return [typed_line(text)]
    parts = [line for line in text.split("\n") if line.strip(" ")]
    if len(parts) > MAX_APPRECIATIONS:
        raise ReflectionError(f"Pick your favourite {MAX_APPRECIATIONS}; there are {len(parts)} lines.")
    return parts


def give_appreciations(r: Reflection, partner: int, texts: list[str], now: datetime) -> Reflection:
    if r.step != "appreciations":
        raise ReflectionError("This is not the appreciations step.")
    if not texts:
        raise ReflectionError("Write at least one thing you appreciated, or skip this turn.")
    out = _copy(r, now)
    out.appreciations[pkey(partner)] = list(texts)
    return _end_turn(out, partner, now)


def check_ratings(ratings: dict[str, int | None], statement_ids: Sequence[str]) -> dict[str, int]:
    """Keep the statements that were rated; an unrated one is simply left out."""
    known = set(statement_ids)
    given: dict[str, int] = {}
    for sid, value in ratings.items():
        if value is None:
            continue
        if sid not in known:
            raise ReflectionError(f"Unknown statement {sid!r}.")
        if value not in SCALE:
            raise ReflectionError("Ratings go from 1 to 5.")
        given[sid] = int(value)
    if not given:
        raise ReflectionError("Rate at least one statement (keys 1 to 5), or skip this turn.")
    return given


def unrated_note(ratings: dict[str, int | None], statement_ids: Sequence[str]) -> str | None:
    """Said once before saving ratings with lines left blank (easy to miss while the keys jump
    from line to line), or None when every line has a rating."""
    missing = [sid for sid in statement_ids if ratings.get(sid) is None]
    if not missing or len(missing) == len(statement_ids):
        return None  # none rated at all: check_ratings says so
    count = "1 line is" if len(missing) == 1 else f"{len(missing)} lines are"
    return f"{count} not rated yet (marked “not rated yet”). Rate them, or save again to leave them out."


def give_ratings(
    r: Reflection, partner: int, ratings: dict[str, int | None], statement_ids: Sequence[str], now: datetime
) -> Reflection:
    if r.step != "ratings":
        raise ReflectionError("This is not the ratings step.")
    out = _copy(r, now)
    out.ratings[pkey(partner)] = check_ratings(ratings, statement_ids)
    return _end_turn(out, partner, now)


def skip_turn(r: Reflection, partner: int, now: datetime) -> Reflection:
    """One partner passes on a private step; when both have, the step counts as skipped."""
    if r.step not in PRIVATE_STEPS:
        raise ReflectionError("Only private steps have turns.")
    out = _copy(r, now)
    mark = f"{r.step}.{pkey(partner)}"
    if mark not in out.skipped:
        out.skipped.append(mark)
    return _end_turn(out, partner, now)


def set_words(r: Reflection, words: dict[str, str], now: datetime) -> Reflection:
    """Save the week in words and go on. Empty answers are fine: some weeks have no words."""
    known = {word_key(p, who) for p, who in WORD_FIELDS}
    out = _copy(r, now)
    kept: dict[str, str] = {}
    for key, raw in words.items():
        if key not in known:
            continue
        text = clean_text(raw)
        if len(text) > MAX_TEXT:
            raise ReflectionError(f"Please keep each answer under {MAX_TEXT} characters (one has {len(text)}).")
        if text:
            kept[key] = text
    out.words = kept
    return advance(out, now)


def items_to_review(reflections: Iterable[Reflection], week: IsoWeek) -> tuple[IsoWeek, list[ActionItem]] | None:
    """The action items this week looks back on: those of the latest earlier reflection that
    wrote any, so a skipped week does not make them disappear."""
    earlier = sorted((x for x in reflections if x.week < week and x.items), key=lambda x: x.week)
    if not earlier:
        return None
    last = earlier[-1]
    return last.week, [ActionItem(i.text, i.who, i.carried_from) for i in last.items]


def carry_over(review: Iterable[ActionItem], from_week: IsoWeek | str) -> list[ActionItem]:
    """Items marked 'not yet' come along into the new week, remembering where they began."""
    origin = from_week.key if isinstance(from_week, IsoWeek) else from_week
    return [
        ActionItem(i.text, i.who, carried_from=i.carried_from or origin)
        for i in review
        if i.status == "not_yet"
    ]


def review_items(
    r: Reflection, from_week: IsoWeek, reviewed: list[ActionItem], now: datetime
) -> Reflection:
    """Save how last week's items went; the 'not yet' ones join this week's list (up to three)."""
    for item in reviewed:
        if item.status not in STATUSES:
            raise ReflectionError(f"Mark “{item.text}” as done, not yet, or drop.")
    out = _copy(r, now)
    out.review = [copy.deepcopy(i) for i in reviewed]
    out.review_from = from_week.key
    own = [i for i in out.items if not i.carried_from]
    out.items = (carry_over(reviewed, from_week) + own)[:MAX_ITEMS]
    return advance(out, now)


def skip_review(r: Reflection, from_week: IsoWeek, items: list[ActionItem], now: datetime) -> Reflection:
    """Skipping the look back keeps last week's items as they were: all of them come along
    into this week's list, unjudged (a skip must never drop a plan)."""
    out = _copy(r, now)
    own = [i for i in out.items if not i.carried_from]
    unjudged = [ActionItem(i.text, i.who, i.carried_from, "not_yet") for i in items]
    out.items = (carry_over(unjudged, from_week) + own)[:MAX_ITEMS]
    return advance(out, now, skipped=True)


def set_items(r: Reflection, items: list[ActionItem], now: datetime) -> Reflection:
    """Save next week's items (at most three, each with someone to do it) and go on."""
    if len(items) > MAX_ITEMS:
        raise ReflectionError(f"Up to {MAX_ITEMS} small things is plenty for one week.")
    checked = []
    for item in items:
        fresh = clean_item(item.text, item.who)
        fresh.carried_from = item.carried_from
        checked.append(fresh)
    out = _copy(r, now)
    out.items = checked
    return advance(out, now)


def finish(r: Reflection, now: datetime) -> Reflection:
    out = _copy(r, now)
    out.step = DONE
    out.completed = now
    return out


def shown_to_both(r: Reflection) -> set[str]:
    """Which private parts both may now see: ratings from the reveal on, appreciations at the
    end. Exports and past-week views use this, so nothing leaks from a half-done week."""
    steps = r.steps
    at = steps.index(r.step) if r.step in steps else len(steps)
    out: set[str] = set()
    if r.done or at > steps.index("ratings"):
        out.add("ratings")
    if r.done or r.step == "close":
        out.add("appreciations")
    return out


def is_blank(r: Reflection) -> bool:
    """Opened but nothing done yet: leaving it should not count as a week under way."""
    return (
        not r.done
        and r.step == r.steps[0]
        and not any(r.turns.values())
        and not (r.skipped or r.appreciations or r.ratings or r.words or r.review or r.items or r.extra
                 or any(r.apart.values()))
    )


def pick_suggestion(suggestions: Sequence[str], rng: random.Random) -> str:
    return rng.choice(list(suggestions)) if suggestions else ""


# -- scores ----------------------------------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def overall(ratings: dict[str, int] | None) -> float | None:
    """One partner's week on the 1–5 scale: the mean of what they rated."""
    return mean((ratings or {}).values())


def together(a: float | None, b: float | None) -> float | None:
    """Both partners' view weighed equally; None unless both rated, since one view alone
    is not 'together'."""
    if a is None or b is None:
        return None
    return (a + b) / 2


@dataclass(frozen=True)
class WeekScores:
    """Scores keyed "p0", "p1", "both"; per statement the same three."""

    overall: dict[str, float | None]
    statements: dict[str, dict[str, float | None]]


def scores(r: Reflection, statement_ids: Sequence[str]) -> WeekScores:
    p0, p1 = r.ratings.get("p0", {}), r.ratings.get("p1", {})
    a, b = overall(p0), overall(p1)
    per: dict[str, dict[str, float | None]] = {}
    for sid in statement_ids:
        x = p0.get(sid)
        y = p1.get(sid)
        per[sid] = {
            "p0": float(x) if x is not None else None,
            "p1": float(y) if y is not None else None,
            "both": together(x, y),
        }
    return WeekScores({"p0": a, "p1": b, "both": together(a, b)}, per)


def differences(r: Reflection, statement_ids: Sequence[str], gap: int = DIFFERENCE) -> list[str]:
    """Statements the two rated `gap` or more points apart: good places to start talking."""
    p0, p1 = r.ratings.get("p0", {}), r.ratings.get("p1", {})
    return [s for s in statement_ids if s in p0 and s in p1 and abs(p0[s] - p1[s]) >= gap]


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


# -- trends ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Series aligned on `weeks` (oldest first); None where that week has no rating for it."""

    weeks: list[IsoWeek]
    overall: dict[str, list[float | None]]
    statements: dict[str, dict[str, list[float | None]]]

    def latest(self, series: Sequence[float | None]) -> float | None:
        return next((v for v in reversed(series) if v is not None), None)


def trends(reflections: Iterable[Reflection], statement_ids: Sequence[str]) -> Trend:
    """Every week with ratings both may see, in time order (ISO order holds across years).
    A week still before its reveal is left out, so a trend never gives away a private rating."""
    rated = sorted(
        (r for r in reflections if any(r.ratings.get(p) for p in PARTNERS) and "ratings" in shown_to_both(r)),
        key=lambda r: r.week,
    )
    weeks = [r.week for r in rated]
    week_scores = [scores(r, statement_ids) for r in rated]
    keys = ("p0", "p1", "both")
    return Trend(
        weeks=weeks,
        overall={k: [s.overall[k] for s in week_scores] for k in keys},
        statements={sid: {k: [s.statements[sid][k] for s in week_scores] for k in keys} for sid in statement_ids},
    )


def weeks_in_a_row(done: Iterable[IsoWeek], today: IsoWeek) -> int:
    """Finished weeks back to back, ending this week, or last week while this one is still open
    (so an unfinished Monday never looks like a broken run)."""
    finished = set(done)
    week = today if today in finished else today.previous()
    count = 0
    while week in finished:
        count += 1
        week = week.previous()
    return count


def streak_text(n: int, template: str) -> str | None:
    """The quiet 'n weeks in a row' line, only once there is a run worth noticing."""
    return template.format(n=n) if n >= 2 else None
