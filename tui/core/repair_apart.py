"""The repair talk after a pause, done apart: each partner at their own computer, at their pace.

Why the rules look like this: two homes merge the pause field by field, and a field both write
ends with only one of their values. So nothing here reads or moves the shared `pos` (both homes
would move it). Each partner writes only their own answers (`answers[turn.key]`, the partner is in
the key) and their own marks of what they have read (`seen[me]`); where each of them is, and what
may be shown, is worked out from what is filled in:

- a private answer is shown to the other only once the reading it belongs to is ready (in
  "felt", "touched", "part" and "next": both answers are in, written or passed);
- in "How I saw it", each speaker's side is read by the other as soon as it is there (as at one
  keyboard, where it is read before the listener sums it up); the listener's summary is shown to
  the speaker to confirm; the confirmation is read by the listener. Both sides run side by side;
- the steps keep their order, as at one keyboard (feeling heard in "How I saw it" comes before
  "Why it touched a nerve"): a partner moves to the next step once their part of this one is
  written and read; within a step nothing waits on the other that does not need the other;
- the talk is over when both have chosen what to keep (each their own choice).

Plain Python, like tui.core.pause; the screen is tui/screens/pause/repair.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pause import KEEP_STEP, RepairState, Turn


@dataclass(frozen=True)
class Next:
    """What `me`'s screen shows: "write" or "read" a place in the plan, "wait" for the other
    (`waiting` is the other's turn that has not arrived), or "done"."""

    what: str
    index: int | None = None
    waiting: Turn | None = None


def _given(r: RepairState, turn: Turn) -> bool:
    return turn.key in r.answers


def _skipped(r: RepairState, turn: Turn) -> bool:
    return bool((r.answers.get(turn.key) or {}).get("skipped"))


def _speak(turn: Turn) -> Turn:
    return Turn(turn.step, "speak", turn.about, turn.about)


def _summary(turn: Turn) -> Turn:
    return Turn(turn.step, "summary", 1 - turn.about, turn.about)


def _confirm(turn: Turn) -> Turn:
    return Turn(turn.step, "confirm", turn.about, turn.about)


def needed(r: RepairState, turn: Turn) -> bool:
    """Whether a private turn still has something to answer: no summary of a side not spoken,
    no confirming of a summary not written."""
    if turn.kind == "summary":
        return not _skipped(r, _speak(turn))
    if turn.kind == "confirm":
        return not _skipped(r, _speak(turn)) and not _skipped(r, _summary(turn))
    return True


def settled(r: RepairState, turn: Turn) -> bool:
    """A private turn is behind us: answered, passed, or no longer needed."""
    return _given(r, turn) or not needed(r, turn)


def may_write(r: RepairState, turn: Turn) -> bool:
    """What a private turn needs first: a summary needs the side; a confirmation, the summary."""
    if turn.kind == "summary":
        return _given(r, _speak(turn))
    if turn.kind == "confirm":
        return _given(r, _summary(turn))
    return True


def shows(r: RepairState, index: int) -> list[Turn]:
    """The private turns a reading at `index` in the plan shows."""
    plan = r.plan
    turn = plan[index]
    if turn.about is None:
        return [t for t in plan if t.step == turn.step and t.kind == "answer"]
    before = plan[index - 1] if index else None
    if before is not None and before.kind == "speak":
        return [_speak(turn)]
    return [_summary(turn), _confirm(turn)]


def reading_ready(r: RepairState, index: int) -> bool:
    """A reading opens once every turn it shows is behind us."""
    return all(settled(r, t) for t in shows(r, index))


def reading_for(r: RepairState, index: int, me: int) -> bool:
    """Whether `me` has anything to read there: not a reading of nothing at all, and not the
    speaker's own side read back to them (they wrote it, and saw the summary when confirming)."""
    turn = r.plan[index]
    if turn.about is not None and turn.about == me:
        return False
    return not all(_skipped(r, t) or not needed(r, t) for t in shows(r, index))


def what_next(r: RepairState, me: int) -> Next:
    """The first thing in the plan's order that `me` can do now, within the step they are in: a
    reading ready and not yet seen, or a turn of mine that has what it needs. Otherwise wait for
    the first turn of the other's that holds me up; "done" once both have chosen what to keep."""
    seen = r.seen.get(me, set())
    waiting: Turn | None = None
    waiting_in = ""
    for i, turn in enumerate(r.plan):
        if waiting is not None and turn.step != waiting_in:
            break  # the next step opens once this one is behind me
        if turn.kind == "reveal":
            if i in seen or not reading_for(r, i, me):
                continue
            if reading_ready(r, i):
                return Next("read", i)
            waiting = waiting or next((t for t in shows(r, i) if not settled(r, t)), None)
            waiting_in = turn.step
            continue
        if turn.partner != me:
            continue
        if settled(r, turn):
            continue
        if turn.step == KEEP_STEP:
            if waiting is None:
                return Next("write", i)
            continue
        if may_write(r, turn):
            return Next("write", i)
        waiting = waiting or next(t for t in (_speak(turn), _summary(turn)) if not _given(r, t))
        waiting_in = turn.step
    if waiting is None:
        other_keep = Turn(KEEP_STEP, "keep", 1 - me)
        if not _given(r, other_keep):
            return Next("wait", None, other_keep)
        return Next("done")
    return Next("wait", None, waiting)


def answer(r: RepairState, turn: Turn, given: dict) -> None:
    """Keep `me`'s answer for one of their turns (once: an answer that came in already stays)."""
    if not turn.private or _given(r, turn):
        return
    r.answers[turn.key] = dict(given)


def mark_read(r: RepairState, index: int, me: int) -> None:
    r.seen.setdefault(me, set()).add(index)


def started_by(r: RepairState, me: int) -> bool:
    """Whether `me` has begun the talk here: an answer of theirs, or a reading seen."""
    return bool(r.seen.get(me)) or any(t.partner == me and _given(r, t) for t in r.plan)


def anything_written(r: RepairState) -> bool:
    return bool(r.answers) or any(r.seen.values())


def skipped_steps(r: RepairState) -> list[str]:
    """Steps in which nobody said anything (for the record, as at one keyboard)."""
    out = []
    for step in r.steps:
        turns = [t for t in r.plan if t.step == step and t.private]
        if turns and not any(a and not a.get("skipped") for a in (r.answers.get(t.key) for t in turns)):
            out.append(step)
    return out
