"""The weekly reflection's optional steps: one issue, a plan for good times, and what would help
each of you feel loved. Each is chosen in Settings or when a week begins (`choose_extras`).

"One issue" reuses Talk it through's rules (tui/core/talk.py): one short speaker-listener turn
each on a topic chosen together, understand first, solve later; the step ends once both have
had the floor. Who may skip what: the whole step may be skipped together; in "feel loved" each
answers for themselves and may leave theirs empty."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Sequence

from .reflection import EXTRA_STEPS, FULL, Reflection, ReflectionError, advance, pkey
from .talk import Talk, TalkError, clean_text, start_talk

MAX_PLAN = 300
MAX_LOVED = 500


def clean_extras(chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The known extras among `chosen`, in the reflection's order (a hand-edited setting is fine)."""
    given = list(chosen) if isinstance(chosen, (list, tuple)) else []
    return tuple(e for e in EXTRA_STEPS if e in given)


def choose_extras(r: Reflection, chosen: Sequence[str], now: datetime) -> Reflection:
    """Set this week's extras: only before anything is done, and only in the full reflection."""
    if r.mode != FULL:
        raise ReflectionError("The two-minute check-in has no extra steps.")
    if r.turns or r.extra or r.step != r.steps[0]:
        raise ReflectionError("This week is under way; its steps stay as they are.")
    out = copy.deepcopy(r)
    out.extras = clean_extras(chosen)
    out.updated = now
    return out


def _expect(r: Reflection, step: str) -> None:
    if r.step != step:
        raise ReflectionError("That step is already behind you.")


# -- one issue -----------------------------------------------------------------------------------
def issue_talk(r: Reflection) -> Talk | None:
    data = r.extra.get("one_issue")
    try:
        return Talk.from_dict(data) if isinstance(data, dict) else None
    except (KeyError, TypeError, ValueError):
        return None


def begin_issue(r: Reflection, first: int, topic: str, now: datetime) -> Reflection:
    """The topic is chosen together; one short turn each, no timer unless they want it."""
    _expect(r, "one_issue")
    if not clean_text(topic):
        raise ReflectionError("Name the one topic first, in a few words.")
    talk = start_talk(first, now, topic=topic, timer_on=False)
    out = copy.deepcopy(r)
    out.extra["one_issue"] = talk.to_dict()
    out.updated = now
    return out


def issue_turn(r: Reflection, rule, now: datetime) -> Reflection:
    """Apply one of the talk's rules (`rule(talk)`); the step ends once both have had the floor
    (understand first: solving is for later, perhaps as an action item next week)."""
    _expect(r, "one_issue")
    talk = issue_talk(r)
    if talk is None:
        raise ReflectionError("Name the one topic first, in a few words.")
    try:
        rule(talk)
    except TalkError as exc:
        raise ReflectionError(str(exc)) from None
    out = copy.deepcopy(r)
    out.extra["one_issue"] = talk.to_dict()
    out.updated = now
    return advance(out, now) if talk.stage == "heard" else out


# -- a plan for good times -------------------------------------------------------------------------
def plan_good_times(r: Reflection, text: str, now: datetime) -> Reflection:
    _expect(r, "good_times")
    text = " ".join(clean_text(text).split())
    if not text:
        raise ReflectionError("Write one thing to look forward to, or skip this step.")
    if len(text) > MAX_PLAN:
        raise ReflectionError(f"Please keep it under {MAX_PLAN} characters (now {len(text)}).")
    out = copy.deepcopy(r)
    out.extra["good_times"] = text
    return advance(out, now)


# -- what would help you feel loved ------------------------------------------------------------------
def feel_loved(r: Reflection, answers: dict[int, str], now: datetime) -> Reflection:
    """Each answers for themselves; an empty answer is that partner passing."""
    _expect(r, "feel_loved")
    kept: dict[str, str] = {}
    for p in (0, 1):
        text = clean_text(answers.get(p, ""))
        if len(text) > MAX_LOVED:
            raise ReflectionError(f"Please keep each answer under {MAX_LOVED} characters (now {len(text)}).")
        if text:
            kept[pkey(p)] = text
    out = copy.deepcopy(r)
    if kept:
        out.extra["feel_loved"] = kept
    return advance(out, now, skipped=not kept)


def markdown_lines(r: Reflection, names: dict[str, str], sub: str) -> list[str]:
    """The optional steps' answers for the week's Markdown (the week view and the export)."""
    out: list[str] = []
    talk = issue_talk(r)
    if talk is not None and talk.entries:
        out += [f"{sub} One issue: {talk.topic}" if talk.topic else f"{sub} One issue", ""]
        said = {"speak": "said", "correct": "added", "mirror": "heard", "validate": "understood"}
        for e in talk.entries:
            if e.partner in (0, 1):
                feeling = f" (I imagine you feel {e.feeling})" if e.feeling else ""
                out.append(f"- {names[pkey(e.partner)]} {said.get(e.kind, e.kind)}: {' '.join(e.text.split())}{feeling}")
        out.append("")
    if r.extra.get("good_times"):
        out += [f"{sub} To look forward to", "", str(r.extra["good_times"]), ""]
    loved = r.extra.get("feel_loved")
    if isinstance(loved, dict) and loved:
        out += [f"{sub} What would help us feel loved", ""]
        out += [f"- {names[p]}: {' '.join(str(loved[p]).split())}" for p in ("p0", "p1") if loved.get(p)]
        out.append("")
    return out
