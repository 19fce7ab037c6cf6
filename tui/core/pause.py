"""Pause & repair rules: the time-out timeline, the return check-in, and the repair turns.

Everything here is plain Python with an injected `now`, so the timer can be tested with a fake
clock and survives restarts: the deadline is a wall-clock time kept in the database, and what is
left is always computed from it (never by counting ticks).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Iterable

from .clock import parse_time, read_time, stamp
from .text import keep_typed, typed_line
from .timewords import clock_words

# -- lengths and limits ----------------------------------------------------------------------
LENGTHS = (20, 30, 45, 60)
MIN_MINUTES = 20  # the body needs about this long to settle
MAX_MINUTES = 24 * 60
CAP = timedelta(hours=24)  # a pause always ends well within a day of its start
EXTENSION_CHOICES = (10, 20, 30, 60)
BREAK_AGAIN_CHOICES = (20, 30, 45, 60)  # another break during the talk: a full one, MIN_MINUTES at least
REVISIT_AFTER_EXTENSIONS = 2  # after this many extensions, suggest another time
ON_TIME_GRACE = timedelta(minutes=5)  # coming back within this of the agreed time counts as on time
UNDO_GRACE = timedelta(seconds=15)  # a pause started by mistake is taken back with one key this soon
UNDO_WINDOW = timedelta(minutes=2)  # after the grace, only the one who asked can take it back, until this
#: Hours people are awake, for suggested "come back later" times: none in the small hours.
AWAKE_FROM, AWAKE_UNTIL = 8, 22
MIN_REVISIT_LEAD = timedelta(minutes=10)
MAX_TOPIC = 80
MAX_NOTE = 1000
MAX_ANSWER = 5000

PHASES = ("countdown", "checkin", "more_time", "repair")


class PauseError(ValueError):
    """A rule was broken (a length out of range, a time past the cap...); the message is for people."""


def parse_length(text: str) -> int:
    """Minutes from what a person types: '90', '90m', '1:30', '2h', '1h30', '1 h 30 min'.

    Raises PauseError with a friendly message when it can't be used.
    """
    raw = " ".join(str(text).strip().lower().split())
    if not raw:
        raise PauseError("Type a length, like 90 or 1:30.")
    minutes: int | None = None
    if re.fullmatch(r"\d{1,5}", raw):
        minutes = int(raw)
    elif m := re.fullmatch(r"(\d{1,2}):(\d{2})", raw):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
        if int(m.group(2)) >= 60:
            minutes = None
    elif m := re.fullmatch(r"(\d{1,5})\s*(m|min|mins|minutes?)", raw):
        minutes = int(m.group(1))
    elif m := re.fullmatch(r"(\d{1,2})\s*(h|hr|hrs|hours?)(?:\s*(\d{1,2})\s*(m|min|mins|minutes?)?)?", raw):
        minutes = int(m.group(1)) * 60 + int(m.group(3) or 0)
    if minutes is None:
        raise PauseError("Type minutes (like 90) or hours and minutes (like 1:30).")
    return check_length(minutes)


def check_length(minutes: int) -> int:
    """A pause length in minutes, or PauseError: at least 20 minutes, at most 24 hours."""
    if minutes < MIN_MINUTES:
        raise PauseError(f"Please give it at least {MIN_MINUTES} minutes, so your body has time to settle.")
    if minutes > MAX_MINUTES:
        raise PauseError("Please keep it within 24 hours (1440 minutes).")
    return minutes


def awake_at(when: datetime) -> bool:
    """Whether `when` (local time) is at an hour to suggest for a talk: 08:00 to 22:00."""
    minutes = when.hour * 60 + when.minute
    return AWAKE_FROM * 60 <= minutes <= AWAKE_UNTIL * 60


def clock_label(when: datetime, now: datetime) -> str:
    """'20:45', 'tomorrow at 00:40' or 'Friday at 09:00', in the time zone `now` is in
    (tui.core.timewords; after a verb, use at_clock: 'back tomorrow at 00:40')."""
    return clock_words(when, now)


def countdown_text(left: timedelta) -> str:
    """'19:59' or '1:05:00' for Digits. Seconds round up, so 00:00 shows exactly at the deadline."""
    total = max(0, math.ceil(left.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def minutes_text(minutes: int) -> str:
    """'20 minutes', '1 hour', '1 hour 30 minutes'."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


# -- the pause words -----------------------------------------------------------------------------
_QUOTED = re.compile(r"[\"“]([^\"”]{8,400})[\"”]")
_PLACEHOLDER = re.compile(r"\[(?:time|TIME|Time)\]|\{time\}|<time>")


def words_in_agreement(text: str) -> str | None:
    """The pause words quoted in an agreement, if it has any: a quoted sentence with a time to fill.

    The template reads: ...by saying: "I'm taking a break... I'll be back at [time]." → that sentence.
    """
    for match in _QUOTED.finditer(text or ""):
        quoted = " ".join(match.group(1).split())
        if _PLACEHOLDER.search(quoted):
            return _PLACEHOLDER.sub("{time}", quoted)
    return None


def pause_words(custom: str, agreement_texts: Iterable[str], default: str, time_text: str,
                at_text: str | None = None) -> str:
    """The words to say when a pause starts, with {time} filled in.

    The couple's own words (Settings) win, then words quoted in a conflict agreement, then Hearth's.
    `at_text` ('tomorrow at 00:40', from timewords.at_clock) stands for 'at {time}', so a return
    after midnight reads 'I'll be back tomorrow at 00:40', not 'back at 00:40'.
    """
    template = typed_line(custom)
    if not template:
        for text in agreement_texts:
            found = words_in_agreement(text)
            if found:
                template = found
                break
    if not template:
        template = default
    # replace, not format: the couple's text may hold other braces
    if at_text is not None:
        template = re.sub(r"\bat \{time\}", lambda _m: at_text, template)
    return template.replace("{time}", time_text)


# -- the timeline ---------------------------------------------------------------------------------
@dataclass
class Extension:
    """More time asked for at check-in: when, how much, and the new return time."""

    at: datetime
    minutes: int
    deadline: datetime
    #: which countdown it followed (0 the first): two homes choosing more time after one
    #: check-in each add one, and they count as one (see `settle_more`); None in older data
    after: int | None = None
    #: who asked for another break during the talk (`break_again`); None for more time chosen at a
    #: check-in. The break is theirs: the countdown credits them, and counts its time from it.
    by: int | None = None


@dataclass
class CheckIn:
    """One partner's answer at a check-in: how calm (0-10), and ready to talk or not."""

    calm: int
    ready: bool


@dataclass(frozen=True)
class ReadyEarly:
    """One partner said "I'm ready" before the return time, at their own computer: when, and in
    which countdown (0 the first, 1 after the first extension...), so a ready from an earlier
    countdown never ends a later one."""

    at: datetime
    countdown: int


@dataclass
class Pause:
    """A pause in progress. `deadline` is the wall-clock return time; nothing counts ticks."""

    id: str
    caller: int
    started: datetime
    planned_minutes: int
    deadline: datetime
    first_deadline: datetime
    topic: str = ""
    note: str = ""  # the caller's private note
    phase: str = "countdown"
    extensions: list[Extension] = field(default_factory=list)
    ended_at: datetime | None = None  # when the latest countdown ended (early or on time)
    ended_early: bool = False
    returned_at: datetime | None = None  # the first time the check-in began
    checkins: list[dict[int, CheckIn]] = field(default_factory=list)
    bell_for: datetime | None = None  # the deadline the bell already rang for
    revisit_at: datetime | None = None
    revisited: bool = False
    repair: "RepairState | None" = None
    #: the linked computer that took it ("" on one shared computer): its times are its clock's
    home: str = ""
    #: at two homes, who has said "I'm ready" early (each partner's own key, written only at their home)
    ready_early: dict[int, ReadyEarly] = field(default_factory=dict)

    # -- time ------------------------------------------------------------------------------------
    @property
    def cap(self) -> datetime:
        """The latest any return time may be: 24 hours after the pause began."""
        return self.started + CAP

    def remaining(self, now: datetime) -> timedelta:
        """Time left on the countdown (zero once it is over or the pause moved on)."""
        if self.phase != "countdown":
            return timedelta(0)
        return max(timedelta(0), self.deadline - now)

    def time_up(self, now: datetime) -> bool:
        return self.phase == "countdown" and now >= self.deadline

    def _last_break(self) -> Extension | None:
        return next((e for e in reversed(self.extensions) if e.by is not None), None)

    @property
    def asked_by(self) -> int:
        """Who asked for the time-out running now: the one who took another break during the
        talk, if one was taken (a break credited to the first pause's caller misled a newcomer)."""
        brk = self._last_break()
        return brk.by if brk is not None else self.caller

    @property
    def since(self) -> datetime:
        """When the time-out running now began: the latest break during the talk, or the start."""
        brk = self._last_break()
        return brk.at if brk is not None else self.started

    @property
    def more_taken(self) -> int:
        """How many times more time was chosen in the time-out running now (since its break)."""
        brk = self._last_break()
        return len(self.extensions) - (self.extensions.index(brk) + 1 if brk is not None else 0)

    def elapsed(self, now: datetime) -> timedelta:
        """How long the time-out running now has lasted ('It's been 17 minutes' a minute into a
        break was counted from the first pause)."""
        return max(timedelta(0), now - self.since)

    def can_undo(self, now: datetime) -> bool:
        """Started by mistake? It can be taken back in the first moments, before anything else."""
        return self.phase == "countdown" and not self.extensions and now - self.started <= UNDO_WINDOW

    def undo_needs_caller(self, now: datetime) -> bool:
        """Past the first seconds, a pause is not the other partner's to end: taking it back is
        asked of the one who asked for it, by name."""
        return self.can_undo(now) and now - self.started > UNDO_GRACE

    # -- moving on --------------------------------------------------------------------------------
    def end_early(self, now: datetime) -> None:
        """'I'm ready': stop the countdown now and go to the check-in."""
        if self.phase != "countdown":
            raise PauseError("The countdown has already ended.")
        if now < self.deadline:
            self.ended_early = True
            self.ended_at = now
        self.begin_checkin(now)

    # -- ready early, at two homes ---------------------------------------------------------------
    @property
    def countdown_number(self) -> int:
        """Which countdown is running: 0 the first, then one more for each extension."""
        return len(self.extensions)

    def said_ready(self, partner: int) -> bool:
        """Whether `partner` has said "I'm ready" during the countdown running now."""
        mark = self.ready_early.get(partner)
        return self.phase == "countdown" and mark is not None and mark.countdown == self.countdown_number

    def say_ready(self, partner: int, now: datetime) -> None:
        """At two homes, "I'm ready" is one partner's word, not the end of the time-out: the other
        may still need theirs. The countdown ends early only once both have said it (then the
        check-in begins at both homes); otherwise it runs on to its time. Once the time is up,
        it is simply time to check in."""
        if self.phase != "countdown":
            raise PauseError("The countdown has already ended.")
        if partner not in (0, 1):
            raise PauseError("Unknown partner.")
        if now >= self.deadline:
            self.begin_checkin(now)
            return
        self.ready_early[partner] = ReadyEarly(now, self.countdown_number)
        settle_ready(self)

    def take_back_ready(self, partner: int) -> None:
        """"I need the time after all": this partner's early ready is withdrawn, nothing else."""
        if self.said_ready(partner):
            del self.ready_early[partner]

    def waiting_on_ready(self, partner: int) -> bool:
        """`partner` said ready early and the other has not (yet): the time-out runs on."""
        return self.said_ready(partner) and not self.said_ready(1 - partner)

    def begin_checkin(self, now: datetime) -> None:
        """The countdown is over (or ended early): start a new round of check-ins."""
        if self.phase == "checkin":
            return
        if self.phase != "countdown":
            raise PauseError("There is nothing to check in from.")
        if now < self.deadline and self.ended_at is None:
            raise PauseError("The pause is still running. Use 'I'm ready' to end it early.")
        if self.ended_at is None:
            self.ended_at = self.deadline
        if self.returned_at is None:
            self.returned_at = now
        self.phase = "checkin"
        self.checkins.append({})

    @property
    def current_round(self) -> dict[int, CheckIn]:
        if not self.checkins:
            self.checkins.append({})
        return self.checkins[-1]

    def checkin_order(self) -> list[int]:
        """The partner who asked for the time-out answers first (after another break, its asker)."""
        return [self.asked_by, 1 - self.asked_by]

    def next_to_check_in(self) -> int | None:
        if self.phase != "checkin":
            return None
        done = self.current_round
        return next((p for p in self.checkin_order() if p not in done), None)

    def record_checkin(self, partner: int, calm: int, ready: bool) -> None:
        """Keep one partner's check-in; once both answered, move to repair or to more time."""
        if self.phase != "checkin":
            raise PauseError("It isn't time to check in.")
        if partner not in (0, 1):
            raise PauseError("Unknown partner.")
        if not isinstance(calm, int) or not 0 <= calm <= 10:
            raise PauseError("Pick a number from 0 to 10.")
        self.current_round[partner] = CheckIn(calm, bool(ready))
        if len(self.current_round) == 2:
            if all(c.ready for c in self.current_round.values()):
                self.phase = "repair"
                self.repair = self.repair or RepairState.new(first=self.caller)  # after another break: where it was
            else:
                self.phase = "more_time"

    @property
    def both_ready(self) -> bool:
        r = self.checkins[-1] if self.checkins else {}
        return len(r) == 2 and all(c.ready for c in r.values())

    # -- more time, or another time -----------------------------------------------------------------
    def extension_deadline(self, minutes: int, now: datetime) -> datetime:
        """More time is added to the time already agreed, never taken from it: coming back early
        and then asking for 10 more minutes does not make the return earlier than agreed."""
        return max(now, self.deadline) + timedelta(minutes=minutes)

    def extension_options(self, now: datetime) -> list[int]:
        """The extra lengths that still end within 24 hours of the start."""
        return [m for m in EXTENSION_CHOICES if self.extension_deadline(m, now) <= self.cap]

    def extend(self, minutes: int, now: datetime) -> None:
        """More time: a new return time, recorded as an extension; the countdown runs again."""
        if self.phase != "more_time":
            raise PauseError("More time is chosen after a check-in.")
        if minutes <= 0:
            raise PauseError("Choose how much more time you need.")
        deadline = self.extension_deadline(minutes, now)
        if deadline > self.cap:
            raise PauseError("That would go past 24 hours from the start. Choose a time to come back instead.")
        self.extensions.append(Extension(now, int(minutes), deadline, len(self.extensions)))
        self.deadline = deadline
        self.ended_at = None
        self.phase = "countdown"

    def break_options(self, now: datetime) -> list[int]:
        """The lengths another break during the talk may have: at least MIN_MINUTES, ending
        within 24 hours of the pause's start."""
        return [m for m in BREAK_AGAIN_CHOICES if now + timedelta(minutes=m) <= self.cap]

    def break_again(self, minutes: int, now: datetime, by: int | None = None) -> None:
        """ctrl+t during the talk after a pause: another break, asked for by `by`. The talk keeps
        everything said so far, and goes on from there after the next check-in."""
        if self.phase != "repair":
            raise PauseError("Another break is taken during the talk after a pause.")
        minutes = check_length(int(minutes))
        deadline = now + timedelta(minutes=minutes)
        if deadline > self.cap:
            raise PauseError("That would go past 24 hours from the start of this pause. Choose a shorter "
                             "break, or leave the talk for another day.")
        if by not in (0, 1):
            by = self.caller
        self.extensions.append(Extension(now, minutes, deadline, len(self.extensions), by))  # two homes at once: one (settle_more)
        self.deadline = deadline
        self.ended_at = None
        self.ended_early = False
        self.phase = "countdown"

    @property
    def suggests_revisit(self) -> bool:
        """After the second extension, another time later today or tomorrow may suit better."""
        return len(self.extensions) >= REVISIT_AFTER_EXTENSIONS

    def revisit_problem(self, when: datetime, now: datetime) -> str | None:
        if when < now + MIN_REVISIT_LEAD:
            return "Please pick a time at least 10 minutes from now."
        if when > self.cap:
            return f"Please pick a time before {clock_label(self.cap, now)}, within 24 hours of the start."
        return None

    def revisit_options(self, now: datetime) -> list[datetime]:
        """A few sensible times, all within the 24 hours and all at hours people are awake: in the
        small hours that is the morning after a night's sleep, or the evening, not 03:00."""
        local_now = now.astimezone(now.tzinfo)
        first = (local_now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        if first < local_now + timedelta(minutes=45):
            first += timedelta(hours=1)
        picks: list[datetime] = []
        candidates = [first, first + timedelta(hours=2)]
        today, tomorrow = local_now.date(), local_now.date() + timedelta(days=1)
        for day, hour in ((today, 9), (today, 12), (today, 19), (tomorrow, 8), (tomorrow, 12), (tomorrow, 18)):
            candidates.append(datetime(day.year, day.month, day.day, hour, tzinfo=local_now.tzinfo))
        for c in sorted(candidates):
            if (awake_at(c) and self.revisit_problem(c, now) is None
                    and all(abs(c - p) >= timedelta(minutes=59) for p in picks)):
                picks.append(c)
        return picks[:5]

    def parse_revisit(self, text: str, now: datetime) -> datetime:
        """'21:30', '9:00', '0900' → the next such time (today, or tomorrow if already past)."""
        raw = text.strip().lower().replace(".", ":")
        m = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?", raw)
        if not m:
            raise PauseError("Type a time like 21:30.")
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if m.group(3):
            if not 1 <= hour <= 12:
                raise PauseError("Type a time like 9:30 pm or 21:30.")
            hour = hour % 12 + (12 if m.group(3) == "pm" else 0)
        if hour > 23 or minute > 59:
            raise PauseError("Type a time like 21:30.")
        local = now.astimezone(now.tzinfo)
        when = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if when <= local:
            when += timedelta(days=1)
        problem = self.revisit_problem(when, now)
        if problem:
            raise PauseError(problem)
        return when

    def choose_revisit(self, when: datetime, now: datetime) -> None:
        """Come back to it later: recorded as 'revisit later'; home shows it at that time."""
        if self.phase not in ("more_time", "checkin"):
            raise PauseError("Another time is chosen after a check-in.")
        problem = self.revisit_problem(when, now)
        if problem:
            raise PauseError(problem)
        self.revisit_at = when
        if self.extensions and self.extensions[-1].deadline > when:
            self.revisit_at = self.extensions[-1].deadline  # never sooner than more time asked at the other home

    def talk_now(self) -> None:
        """Near the 24-hour cap with no time left to give: talk anyway, if both choose to."""
        if self.phase != "more_time":
            raise PauseError("The talk starts after a check-in.")
        self.phase = "repair"
        self.repair = RepairState.new(first=self.caller)

    def resume_revisit(self, now: datetime) -> None:
        """The planned time came (or they are ready sooner): check in again, then talk."""
        self.revisited = True
        self.phase = "checkin"
        self.ended_at = self.ended_at or now
        self.checkins.append({})

    # -- afterwards ------------------------------------------------------------------------------
    @property
    def repair_when(self) -> str:
        """'now' if the talk followed this pause, 'later' if it was moved to another time."""
        return "later" if (self.revisit_at is not None or self.revisited) else "now"

    def actual_minutes(self) -> int:
        """From start to the (latest) end of the countdown, in whole minutes."""
        end = self.ended_at or self.deadline
        return max(0, round((end - self.started).total_seconds() / 60))

    def on_time(self) -> bool | None:
        """Did they come back by the time they agreed? None if they haven't come back yet."""
        if self.returned_at is None:
            return None
        return self.returned_at <= self.first_deadline + ON_TIME_GRACE

    def shifted(self, offset: timedelta) -> "Pause":
        """The same pause with every time moved by `offset`: a pause taken at the other home,
        read on this computer's clock (tui/core/clock_offset.py), and back again to save."""
        if not offset:
            return self

        def t(when: datetime | None) -> datetime | None:
            return None if when is None else when + offset

        return replace(
            self, started=self.started + offset, deadline=self.deadline + offset,
            first_deadline=self.first_deadline + offset,
            extensions=[Extension(e.at + offset, e.minutes, e.deadline + offset, e.after, e.by) for e in self.extensions],
            ended_at=t(self.ended_at), returned_at=t(self.returned_at), bell_for=t(self.bell_for),
            revisit_at=t(self.revisit_at),
            ready_early={p: ReadyEarly(r.at + offset, r.countdown) for p, r in self.ready_early.items()})

    # -- storage shape ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "caller": self.caller,
            "started": stamp(self.started),
            "planned_minutes": self.planned_minutes,
            "deadline": _stamp_exact(self.deadline),
            "first_deadline": _stamp_exact(self.first_deadline),
            "topic": self.topic,
            "note": self.note,
            "phase": self.phase,
            "extensions": [
                {"at": stamp(e.at), "minutes": e.minutes, "deadline": _stamp_exact(e.deadline),
                 **({"after": e.after} if e.after is not None else {}),
                 **({"by": e.by} if e.by is not None else {})} for e in self.extensions
            ],
            "ended_at": _stamp_exact(self.ended_at) if self.ended_at else None,
            "ended_early": self.ended_early,
            "returned_at": stamp(self.returned_at) if self.returned_at else None,
            # each partner's own list of check-ins, so two homes' check-ins merge (tui/core/pause_apart.py)
            "answers": answers_of(self.checkins),
            "rounds": len(self.checkins),  # both homes beginning one round both write the same number
            "bell_for": _stamp_exact(self.bell_for) if self.bell_for else None,
            "revisit_at": stamp(self.revisit_at) if self.revisit_at else None,
            "revisited": self.revisited,
            "repair": self.repair.to_dict() if self.repair else None,
            "home": self.home,
            # each partner's own key, so an early ready at each home never meets the other's
            "ready_early": {str(p): {"at": _stamp_exact(r.at), "countdown": r.countdown}
                            for p, r in self.ready_early.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Pause":
        def t(key: str) -> datetime | None:
            return parse_time(d[key]) if d.get(key) else None

        started = parse_time(d["started"])
        deadline = parse_time(d["deadline"])
        phase = d.get("phase", "countdown")
        pause = cls(
            id=str(d["id"]),
            caller=int(d.get("caller", 0)) % 2,
            started=started,
            planned_minutes=int(d.get("planned_minutes", MIN_MINUTES)),
            deadline=deadline,
            first_deadline=t("first_deadline") or deadline,
            topic=str(d.get("topic", "")),
            note=str(d.get("note", "")),
            phase=phase if phase in PHASES else "countdown",
            extensions=[
                Extension(parse_time(e["at"]), int(e["minutes"]), parse_time(e["deadline"]),
                          e["after"] if isinstance(e.get("after"), int) else None,
                          e["by"] if e.get("by") in (0, 1) else None)
                for e in d.get("extensions", [])
            ],
            ended_at=t("ended_at"),
            ended_early=bool(d.get("ended_early", False)),
            returned_at=t("returned_at"),
            checkins=checkins_from(d),
            bell_for=t("bell_for"),
            revisit_at=t("revisit_at"),
            revisited=bool(d.get("revisited", False)),
            repair=RepairState.from_dict(d["repair"]) if d.get("repair") else None,
            home=str(d.get("home") or ""),
            ready_early=ready_from(d.get("ready_early")),
        )
        settle_more(pause)
        settle_ready(pause)
        settle_checkins(pause)
        return pause


def ready_from(raw: Any) -> dict[int, ReadyEarly]:
    """Each partner's early ready, as stored (a damaged one is left out, never a crash)."""
    out: dict[int, ReadyEarly] = {}
    if not isinstance(raw, dict):
        return out
    for p, mark in raw.items():
        if p not in ("0", "1") or not isinstance(mark, dict):
            continue
        try:
            out[int(p)] = ReadyEarly(parse_time(mark["at"]), int(mark.get("countdown", 0)))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def settle_more(pause: "Pause") -> None:
    """What both homes' "more time" adds up to when each chose it after the same check-in
    (neither seeing the other's yet): one extension, the longer of the two, whose return time is
    the later one, so neither gets less than they asked for. The same on both computers, in
    whatever order the two arrived."""
    kept: list[Extension] = []
    where: dict[int, int] = {}  # which countdown it followed -> its place in `kept`
    for e in pause.extensions:
        if e.after is None or e.after not in where:
            if e.after is not None:
                where[e.after] = len(kept)
            kept.append(e)
            continue
        i = where[e.after]
        if (e.deadline, e.minutes, e.at) > (kept[i].deadline, kept[i].minutes, kept[i].at):
            kept[i] = e
    pause.extensions = kept
    latest = max((e.deadline for e in kept), default=None)
    if latest is not None and latest > pause.deadline:
        pause.deadline = latest  # the later return time, whichever home's field won


def settle_ready(pause: "Pause") -> None:
    """What both homes' early readies add up to: once both partners have said "I'm ready" in
    this countdown (each at their own computer, in either order, seen here in any order), the
    time-out ends early at the later of the two, and the check-in begins, the same on both
    computers (the same times, the same number of check-in rounds)."""
    if pause.phase != "countdown" or not (pause.said_ready(0) and pause.said_ready(1)):
        return
    later = max(pause.ready_early[0].at, pause.ready_early[1].at)
    if later < pause.deadline:
        pause.ended_early = True
        pause.ended_at = later
    pause.begin_checkin(later)


def answers_of(checkins: list[dict[int, CheckIn]]) -> dict[str, list[dict[str, Any]]]:
    """Check-in rounds as each partner's own list: round i is item i of each. A computer of one
    partner only ever writes that partner's list, so the two homes never write the same key."""
    out: dict[str, list[dict[str, Any]]] = {"0": [], "1": []}
    for i, r in enumerate(checkins):
        for p, c in r.items():
            lst = out[str(p)]
            lst.extend({} for _ in range(i - len(lst)))  # a round this partner did not answer
            lst.append({"calm": c.calm, "ready": c.ready})
    return out


def _answer(raw: Any) -> CheckIn | None:
    if isinstance(raw, dict) and "calm" in raw:
        return CheckIn(int(raw["calm"]), bool(raw["ready"]))
    return None


def checkins_from(d: dict[str, Any]) -> list[dict[int, CheckIn]]:
    """The rounds, from each partner's list and the number of rounds begun (or from the older
    single list of rounds)."""
    answers = d.get("answers")
    if not isinstance(answers, dict):
        return [{int(p): CheckIn(int(c["calm"]), bool(c["ready"])) for p, c in r.items()} for r in d.get("checkins", [])]
    lists = {p: list(answers.get(str(p)) or []) for p in (0, 1)}
    begun = d.get("rounds") if isinstance(d.get("rounds"), int) else 0
    rounds: list[dict[int, CheckIn]] = []
    for i in range(max(len(lists[0]), len(lists[1]), begun)):
        r = {}
        for p in (0, 1):
            found = _answer(lists[p][i]) if i < len(lists[p]) else None
            if found is not None:
                r[p] = found
        rounds.append(r)
    return rounds


def settle_checkins(pause: "Pause") -> None:
    """What both homes' check-ins add up to: a round answered by both (one at each home, neither
    seeing the other's yet) moves the pause on, the same way on both computers."""
    if pause.phase != "checkin" or not pause.checkins:
        return
    r = pause.checkins[-1]
    if len(r) == 2:
        if all(c.ready for c in r.values()):
            pause.phase = "repair"
            pause.repair = pause.repair or RepairState.new(first=pause.caller)
        else:
            pause.phase = "more_time"


def _stamp_exact(when: datetime) -> str:
    """Deadlines keep their microseconds, so a restart computes exactly the same time left."""
    return when.isoformat(timespec="microseconds")


def new_pause_id(now: datetime, caller: int) -> str:
    return f"{now.strftime('%Y%m%dT%H%M%S')}-{caller}"


def start_pause(caller: int, minutes: int, now: datetime, topic: str = "", note: str = "") -> Pause:
    """Begin a pause: who asked, how long (20 minutes to 24 hours), an optional topic and note."""
    if caller not in (0, 1):
        raise PauseError("Say who is asking for the pause.")
    minutes = check_length(int(minutes))
    deadline = now + timedelta(minutes=minutes)
    return Pause(
        id=new_pause_id(now, caller),
        caller=caller,
        started=now,
        planned_minutes=minutes,
        deadline=deadline,
        first_deadline=deadline,
        topic=clean_line(topic, MAX_TOPIC),
        note=clean_text(note, MAX_NOTE),
    )


def clean_line(text: str, limit: int) -> str:
    """One tidy line (tui/core/text.py): every typed character kept, at most `limit` characters."""
    return typed_line(text)[:limit]


def clean_text(text: str, limit: int = MAX_ANSWER) -> str:
    """Typed text kept as written, lines and all (tui/core/text.py), within a limit."""
    return keep_typed(text).strip(" \t\n")[:limit]


# -- breathing and settling --------------------------------------------------------------------------
BREATH = (("Breathe in", 4.0), ("Hold", 2.0), ("Breathe out", 6.0))  # a longer out-breath calms
BREATH_CYCLE = sum(s for _, s in BREATH)


@dataclass(frozen=True)
class BreathStep:
    label: str
    fullness: float  # 0 empty lungs .. 1 full, for drawing the guide
    seconds_left: int


def breath_at(elapsed_seconds: float) -> BreathStep:
    """Where in the in-hold-out rhythm we are after `elapsed_seconds`."""
    t = elapsed_seconds % BREATH_CYCLE
    for label, length in BREATH:
        if t < length:
            part = t / length
            fullness = part if label == "Breathe in" else 1.0 if label == "Hold" else 1.0 - part
            return BreathStep(label, fullness, max(1, math.ceil(length - t)))
        t -= length
    return BreathStep(BREATH[0][0], 0.0, int(BREATH[0][1]))  # pragma: no cover - float edge


SETTLE_SECONDS = 30


def settle_idea(ideas: list[str], pause_id: str, elapsed_seconds: float, nudge: int = 0) -> str:
    """A settling idea that changes every 30 seconds, in an order fixed for this pause."""
    if not ideas:
        return ""
    order = list(ideas)
    random.Random(pause_id).shuffle(order)
    return order[(int(elapsed_seconds // SETTLE_SECONDS) + nudge) % len(order)]


# -- the repair conversation ---------------------------------------------------------------------
KEEP_STEP = "keep"


@dataclass(frozen=True)
class Turn:
    """One moment of the repair: a private turn for a partner, or a shared reveal (partner None).

    `about` is the speaker in the "side" step, so a summary and a confirmation know whose side.
    """

    step: str
    kind: str  # answer | speak | summary | confirm | reveal | keep
    partner: int | None
    about: int | None = None

    @property
    def key(self) -> str:
        return f"{self.step}:{self.kind}:{'' if self.partner is None else self.partner}:{'' if self.about is None else self.about}"

    @property
    def private(self) -> bool:
        return self.partner is not None


def repair_plan(step_ids: list[str], first: int) -> list[Turn]:
    """Every turn in order. Each step: both write privately, then read together; in "side",
    each speaker writes, both read, the listener sums it up, the speaker confirms or corrects."""
    order = [first, 1 - first]
    plan: list[Turn] = []
    for step in step_ids:
        if step == "side":
            for speaker in order:
                listener = 1 - speaker
                plan += [
                    Turn(step, "speak", speaker, speaker),
                    Turn(step, "reveal", None, speaker),
                    Turn(step, "summary", listener, speaker),
                    Turn(step, "confirm", speaker, speaker),
                    Turn(step, "reveal", None, speaker),
                ]
        else:
            plan += [Turn(step, "answer", order[0]), Turn(step, "answer", order[1]), Turn(step, "reveal", None)]
    plan += [Turn(KEEP_STEP, "keep", order[0]), Turn(KEEP_STEP, "keep", order[1])]
    return plan


DEFAULT_STEPS = ["felt", "side", "touched", "part", "next"]


@dataclass
class RepairState:
    """Where the repair conversation is, and what was said. Saved after every turn."""

    first: int
    steps: list[str] = field(default_factory=lambda: list(DEFAULT_STEPS))
    pos: int = 0
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: at two homes, the readings each partner has seen on their own computer (by place in the
    #: plan; each partner's own key, so the homes never write the same field; tui/core/repair_apart.py)
    seen: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def new(cls, first: int, steps: list[str] | None = None) -> "RepairState":
        return cls(first=first, steps=list(steps or DEFAULT_STEPS))

    @property
    def plan(self) -> list[Turn]:
        return repair_plan(self.steps, self.first)

    @property
    def done(self) -> bool:
        return self.pos >= len(self.plan)

    def current(self) -> Turn | None:
        plan = self.plan
        return plan[self.pos] if self.pos < len(plan) else None

    def step_number(self, step: str) -> int:
        """1-based position of a step among the five (0 for the closing turns)."""
        return self.steps.index(step) + 1 if step in self.steps else 0

    def submit(self, turn: Turn, answer: dict[str, Any]) -> None:
        """Keep the answer for the current turn and move on."""
        if self.current() != turn:
            raise PauseError("That turn has already been answered.")
        if turn.private:
            self.answers[turn.key] = dict(answer)
        self.pos += 1

    def skip_step(self) -> None:
        """Leave out the rest of this step, for both (chosen together, at a reading together);
        what was already written stays."""
        turn = self.current()
        if turn is None or turn.step == KEEP_STEP:
            return
        if turn.step not in self.skipped:
            self.skipped.append(turn.step)
        plan = self.plan
        while self.pos < len(plan) and plan[self.pos].step == turn.step:
            self.pos += 1

    def skip_turn(self) -> None:
        """One partner passes on their own private turn: the other still has theirs. What can't
        follow without it goes too (no side spoken: nothing to sum up; no summary: nothing to
        confirm), and a reading together with nothing in it is passed over. At a reading
        together, both are there, so a skip is the rest of the step for both (skip_step)."""
        turn = self.current()
        if turn is None or turn.step == KEEP_STEP:
            return
        if not turn.private:
            self.skip_step()
            return
        self.answers[turn.key] = {"skipped": True}
        self.pos += 1
        plan = self.plan
        if turn.kind in ("speak", "summary"):
            while self.pos < len(plan) and plan[self.pos].step == turn.step and plan[self.pos].about == turn.about:
                self.pos += 1
        nxt = self.current()
        if nxt is not None and nxt.kind == "reveal" and nxt.about is None and all(
                self.skipped_by(nxt.step, p) for p in (0, 1)):
            self.pos += 1
        nxt = self.current()
        if (nxt is None or nxt.step != turn.step) and turn.step not in self.skipped and not any(
                a and not a.get("skipped") for t, a in ((t, self.answers.get(t.key)) for t in plan)
                if t.step == turn.step and t.private):
            self.skipped.append(turn.step)  # nobody said anything in it: the step was left out

    def skipped_by(self, step: str, partner: int, kind: str = "answer", about: int | None = None) -> bool:
        """Whether `partner` passed on their own turn of this kind in `step`."""
        return bool((self.answer_for(step, kind, partner, about) or {}).get("skipped"))

    def answer(self, turn: Turn) -> dict[str, Any] | None:
        return self.answers.get(turn.key)

    def answer_for(self, step: str, kind: str, partner: int, about: int | None = None) -> dict[str, Any] | None:
        return self.answers.get(Turn(step, kind, partner, about).key)

    def kept_notes(self, partner: int) -> list[dict[str, Any]]:
        """What `partner` wrote, in order, for the record (only if they chose to keep it)."""
        notes = []
        for turn in self.plan:
            if turn.partner != partner or turn.step == KEEP_STEP:
                continue
            a = self.answers.get(turn.key)
            if not a:
                continue
            entry = {"step": turn.step, "kind": turn.kind}
            if turn.about is not None:
                entry["about"] = turn.about
            for k in ("text", "feelings", "apology", "confirmed"):
                if k in a and a[k] not in ("", [], None):
                    entry[k] = a[k]
            if len(entry) > 2 + (turn.about is not None):
                notes.append(entry)
        return notes

    def to_dict(self) -> dict[str, Any]:
        out = {"first": self.first, "steps": list(self.steps), "pos": self.pos,
               "answers": {k: dict(v) for k, v in self.answers.items()}, "skipped": list(self.skipped)}
        if self.seen:
            out["seen"] = {str(p): {str(i): True for i in sorted(marks)} for p, marks in self.seen.items() if marks}
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RepairState":
        seen: dict[int, set[int]] = {}
        raw = d.get("seen")
        if isinstance(raw, dict):
            for p, marks in raw.items():
                if p in ("0", "1") and isinstance(marks, dict):
                    seen[int(p)] = {int(i) for i, v in marks.items() if str(i).isdigit() and v is True}
        return cls(first=int(d.get("first", 0)) % 2, steps=list(d.get("steps") or DEFAULT_STEPS),
                   pos=int(d.get("pos", 0)), answers={k: dict(v) for k, v in d.get("answers", {}).items()},
                   skipped=list(d.get("skipped", [])), seen=seen)


# -- records and stats -------------------------------------------------------------------------------
@dataclass
class PauseRecord:
    """What stays of a pause: who asked and when, lengths, extensions, calm, the talk, kept notes."""

    id: str
    caller: int
    started: datetime
    planned_minutes: int
    actual_minutes: int
    extensions: list[int]
    ended_early: bool
    on_time: bool | None
    calm: list[dict[int, int]]
    ready: list[dict[int, bool]]
    repair: str  # "now" | "later" | "not yet"
    status: str  # "done" | "waiting" (a talk planned for later)
    topic: str = ""
    revisit_at: datetime | None = None
    finished_at: datetime | None = None
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    private_notes: dict[int, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    pause: dict[str, Any] | None = None  # the full pause while a talk is waiting
    #: at two homes, words of the talk after the pause that arrived after it was left for now at
    #: the other home: each partner's own, shown in the log only at their own computer
    late: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    #: at two homes, the time each partner chose to come back (each their own key): when both
    #: chose one, the talk is planned for the later of the two, the same at both homes
    revisit_asks: dict[int, datetime] = field(default_factory=dict)
    #: at two homes, the home the pause was taken at: the record's times are on its clock
    home: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "caller": self.caller, "started": stamp(self.started),
            "planned_minutes": self.planned_minutes, "actual_minutes": self.actual_minutes,
            "extensions": list(self.extensions), "ended_early": self.ended_early, "on_time": self.on_time,
            "calm": [{str(p): v for p, v in r.items()} for r in self.calm],
            "ready": [{str(p): v for p, v in r.items()} for r in self.ready],
            "repair": self.repair, "status": self.status, "topic": self.topic,
            "revisit_at": stamp(self.revisit_at) if self.revisit_at else None,
            "finished_at": stamp(self.finished_at) if self.finished_at else None,
            "notes": {str(p): list(v) for p, v in self.notes.items()},
            "private_notes": {str(p): v for p, v in self.private_notes.items()},
            "skipped": list(self.skipped), "pause": self.pause,
            # at two homes only (left out when empty, so a record at one keyboard is as before)
            **({"late": {str(p): list(v) for p, v in self.late.items()}} if self.late else {}),
            **({"revisit_asks": {str(p): stamp(w) for p, w in self.revisit_asks.items()}}
               if self.revisit_asks else {}),
            **({"home": self.home} if self.home else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PauseRecord":
        return cls(
            id=str(d["id"]), caller=int(d.get("caller", 0)) % 2, started=read_time(d["started"]),
            planned_minutes=int(d.get("planned_minutes", 0)), actual_minutes=int(d.get("actual_minutes", 0)),
            extensions=[int(m) for m in d.get("extensions", [])], ended_early=bool(d.get("ended_early")),
            on_time=d.get("on_time"),
            calm=[{int(p): int(v) for p, v in r.items()} for r in d.get("calm", [])],
            ready=[{int(p): bool(v) for p, v in r.items()} for r in d.get("ready", [])],
            repair=str(d.get("repair", "now")), status=str(d.get("status", "done")), topic=str(d.get("topic", "")),
            revisit_at=read_time(d["revisit_at"]) if d.get("revisit_at") else None,
            finished_at=read_time(d["finished_at"]) if d.get("finished_at") else None,
            notes={int(p): list(v) for p, v in d.get("notes", {}).items()},
            private_notes={int(p): str(v) for p, v in d.get("private_notes", {}).items()},
            skipped=list(d.get("skipped", [])), pause=d.get("pause"),
            late=late_from(d.get("late")),
            revisit_asks=_asks_from(d.get("revisit_asks")),
            home=str(d.get("home") or ""),
        )._later_revisit()

    def _later_revisit(self) -> "PauseRecord":
        """Both chose a time to come back, each at their own computer: the later of the two."""
        times = [t for t in (self.revisit_at, *self.revisit_asks.values()) if t is not None]
        if times:
            self.revisit_at = max(times)
        return self


def _asks_from(raw: Any) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for p, when in dict(raw).items() if isinstance(raw, dict) else ():
        try:
            if p in ("0", "1"):
                out[int(p)] = read_time(when)
        except (TypeError, ValueError):
            continue
    return out


def late_from(raw: Any) -> dict[int, list[dict[str, Any]]]:
    """Late words kept with a record, each partner's own list (anything damaged is left out)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for p, items in dict(raw or {}).items() if isinstance(raw, dict) else ():
        if p in ("0", "1") and isinstance(items, list):
            kept = [dict(i) for i in items if isinstance(i, dict) and isinstance(i.get("step"), str)]
            if kept:
                out[int(p)] = kept
    return out


def late_words(answers: Any) -> dict[int, list[dict[str, Any]]]:
    """What a partner wrote in the talk after a pause, from its answers keyed by turn
    ("felt:answer:1:"), each partner's own, in the order of the steps: for words that arrived
    after the talk was left for now at the other home. Passed turns and empty ones are left out."""
    order = {s: i for i, s in enumerate(DEFAULT_STEPS)}
    out: dict[int, list[dict[str, Any]]] = {}
    if not isinstance(answers, dict):
        return out
    for key in sorted(answers, key=lambda k: (order.get(str(k).split(":")[0], 99), str(k))):
        given, parts = answers[key], str(key).split(":")
        if len(parts) < 3 or parts[2] not in ("0", "1") or not isinstance(given, dict) or given.get("skipped"):
            continue
        words = {k: given[k] for k in ("text", "feelings", "apology") if given.get(k)}
        if words:
            out.setdefault(int(parts[2]), []).append({"step": parts[0], "kind": parts[1], **words})
    return out


def pause_story(r: PauseRecord) -> str:
    """The one summary of how a pause went, for the log's list and its detail alike: what was
    planned, any more time, and how it ended. Ending sooner than agreed is never also called
    "at the agreed time", and "took" is the whole time, extensions included."""
    parts = [f"planned {minutes_text(r.planned_minutes)}"]
    if r.extensions:
        n = len(r.extensions)
        times = "once" if n == 1 else "twice" if n == 2 else f"{n} times"
        parts.append(f"more time asked for {times} ({', '.join(minutes_text(m) for m in r.extensions)})")
    took = minutes_text(r.actual_minutes)
    if r.on_time is None:
        parts.append(f"stopped after {took}, before the check-in")
    elif r.ended_early:
        parts.append(f"ended sooner than agreed, when you felt ready: {took} in all")
    elif r.on_time:
        parts.append(f"back at the agreed time: {took} in all")
    else:
        parts.append(f"back a little after the agreed time: {took} in all")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def make_record(
    pause: Pause, now: datetime, *, keep: dict[int, bool] | None = None, keep_note: bool = False,
    repair: str | None = None, status: str = "done",
) -> PauseRecord:
    """Turn a finished (or postponed) pause into its record. Only kept notes are copied."""
    keep = keep or {}
    notes: dict[int, list[dict[str, Any]]] = {}
    if pause.repair:
        for p in (0, 1):
            if keep.get(p):
                kept = pause.repair.kept_notes(p)
                if kept:
                    notes[p] = kept
    return PauseRecord(
        id=pause.id, caller=pause.caller, started=pause.started, planned_minutes=pause.planned_minutes,
        actual_minutes=pause.actual_minutes(), extensions=[e.minutes for e in pause.extensions],
        ended_early=pause.ended_early, on_time=pause.on_time(),
        calm=[{p: c.calm for p, c in r.items()} for r in pause.checkins if r],
        ready=[{p: c.ready for p, c in r.items()} for r in pause.checkins if r],
        repair=repair or pause.repair_when, status=status, topic=pause.topic, revisit_at=pause.revisit_at,
        finished_at=now if status == "done" else None, notes=notes,
        private_notes={pause.caller: pause.note} if keep_note and pause.note else {},
        skipped=list(pause.repair.skipped) if pause.repair else [],
        pause=pause.to_dict() if status == "waiting" else None,
    )


@dataclass(frozen=True)
class MonthStats:
    """Per month: how many pauses, and how many times you came back at the agreed time."""

    month: str  # "2026-03"
    count: int
    returned: int  # pauses you came back from (the base for on time)
    on_time: int

    @property
    def label(self) -> str:
        return datetime.strptime(self.month, "%Y-%m").strftime("%B %Y")


def month_stats(records: Iterable[PauseRecord]) -> list[MonthStats]:
    """Newest month first."""
    months: dict[str, list[PauseRecord]] = {}
    for r in records:
        months.setdefault(r.started.strftime("%Y-%m"), []).append(r)
    out = []
    for month in sorted(months, reverse=True):
        rs = months[month]
        returned = [r for r in rs if r.on_time is not None]
        out.append(MonthStats(month, len(rs), len(returned), sum(1 for r in returned if r.on_time)))
    return out
