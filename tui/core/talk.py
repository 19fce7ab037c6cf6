"""Talk it through: a speaker-listener conversation where the keyboard is the floor.

Whoever holds the keyboard holds the floor. One round: the speaker writes one short piece; the
listener writes back what they heard, in their own words; the speaker says whether that caught it
(or corrects it, and the listener tries again); the listener says why it makes sense and names the
feeling they imagine. Then they swap. Looking for solutions comes only once both say they feel
heard, and only if both want it. Nothing is kept unless its writer chooses to keep it.

Plain Python with an injected `now`, so the gentle timer is tested on a fake clock and the talk
survives a restart (the turn's start is a wall-clock time, and what is left is computed from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import parse_time, stamp
from .pause import clean_line

MAX_PIECE = 600  # one short piece: the rest can come in the next turn
MAX_TOPIC = 80
MAX_FEELING = 120
MAX_IDEAS = 3000
TURN_MINUTES = (1, 2, 3, 5)
DEFAULT_TURN_MINUTES = 2

#: The stages in which one partner holds the floor, and which role holds it.
FLOOR_STAGES = {"speak": "speaker", "mirror": "listener", "check": "speaker", "validate": "listener"}
#: The stages the couple do together, with no one holding the floor.
TOGETHER_STAGES = ("heard", "solve_ask", "solve", "keep", "done")


class TalkError(ValueError):
    """A rule was broken (an empty piece, a piece too long...); the message is for people."""


def clean_text(text: str) -> str:
    """Typed text kept as written (lines and all), minus control characters."""
    return "".join(ch for ch in str(text or "") if ch.isprintable() or ch == "\n").strip()


def _same_words(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join("".join(ch.lower() for ch in s if ch.isalnum() or ch.isspace()).split())
    return bool(norm(a)) and norm(a) == norm(b)


@dataclass(frozen=True)
class TurnClock:
    """What the gentle timer shows: never a cut-off, only a nudge."""

    seconds_left: int
    over: bool

    @property
    def text(self) -> str:
        if self.over:
            return "Time for this turn is up: finish your thought, no rush."
        m, s = divmod(self.seconds_left, 60)
        return f"About {m}:{s:02d} left in this turn"


@dataclass
class Entry:
    """One thing said in the talk. `kind` is speak, mirror, correct, validate or ideas."""

    partner: int | None  # None for the ideas written together
    kind: str
    text: str
    round: int
    feeling: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"partner": self.partner, "kind": self.kind, "text": self.text, "round": self.round,
                "feeling": self.feeling}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Entry":
        partner = d.get("partner")
        return cls(partner if partner in (0, 1) else None, str(d["kind"]), str(d.get("text", "")),
                   int(d.get("round", 0)), str(d.get("feeling", "")))


@dataclass
class Talk:
    id: str
    started: datetime
    first: int
    topic: str = ""
    timer_on: bool = True
    turn_minutes: int = DEFAULT_TURN_MINUTES
    stage: str = "speak"
    speaker: int = 0
    round: int = 0  # speaker turns begun so far; even once both have had the floor equally
    tries: int = 0  # how many times the listener has summed up this piece
    turn_started: datetime | None = None
    entries: list[Entry] = field(default_factory=list)
    heard: dict[int, bool] = field(default_factory=dict)
    wants_solving: dict[int, bool] = field(default_factory=dict)
    #: at two homes: who has written their ideas, and each partner's own choice of what to keep
    #: (each partner's own key, written only at their home; see `settle`)
    ideas_done: dict[int, bool] = field(default_factory=dict)
    keeps: dict[int, dict[str, bool]] = field(default_factory=dict)

    # -- who holds the floor ---------------------------------------------------------------------
    @property
    def listener(self) -> int:
        return 1 - self.speaker

    def floor(self) -> int | None:
        """The partner holding the keyboard now, or None when both decide together."""
        role = FLOOR_STAGES.get(self.stage)
        if role is None:
            return None
        return self.speaker if role == "speaker" else self.listener

    def may_skip(self, partner: int | None = None) -> bool:
        """Only the speaker may pass, and only their own turn to speak. The listener's turns are
        the heart of it and are never skipped; together steps are answered, not skipped."""
        if self.stage != "speak":
            return False
        return partner is None or partner == self.speaker

    def piece(self) -> str:
        """What the speaker said this round (the last correction included, if any)."""
        said = [e for e in self.entries if e.round == self.round and e.kind in ("speak", "correct")]
        return "\n".join(e.text for e in said)

    def last(self, kind: str) -> Entry | None:
        return next((e for e in reversed(self.entries) if e.round == self.round and e.kind == kind), None)

    def draft_key(self, part: str = "text") -> str:
        """Where the text being typed now is kept as a draft: one place per stage and try."""
        return f"talk:{self.id}:{self.round}:{self.stage}:{self.tries}:{part}"

    # -- the timer --------------------------------------------------------------------------------
    def turn_clock(self, now: datetime) -> TurnClock | None:
        """The gentle timer for the turn on the floor; None when it is off or no one has the floor."""
        if not self.timer_on or self.floor() is None or self.turn_started is None:
            return None
        left = self.turn_started + timedelta(minutes=self.turn_minutes) - now
        seconds = max(0, int(left.total_seconds() + 0.999))
        return TurnClock(seconds, seconds == 0)

    def set_timer(self, on: bool, now: datetime, minutes: int | None = None) -> None:
        self.timer_on = bool(on)
        if minutes is not None:
            if minutes not in TURN_MINUTES:
                raise TalkError("Pick a turn length from the list.")
            self.turn_minutes = minutes
        self.turn_started = now

    def _to(self, stage: str, now: datetime | None) -> None:
        self.stage = stage
        self.turn_started = now if stage in FLOOR_STAGES else None

    # -- the turns --------------------------------------------------------------------------------
    def _need(self, text: str, limit: int, empty: str) -> str:
        text = clean_text(text)
        if not text:
            raise TalkError(empty)
        if len(text) > limit:
            raise TalkError(f"Keep it to one short piece, please (now {len(text)} of {limit} characters). "
                            "The rest can come in your next turn.")
        return text

    def speak(self, text: str, now: datetime) -> None:
        self._expect("speak")
        text = self._need(text, MAX_PIECE, "Write a line or two first, or pass the floor.")
        self.entries.append(Entry(self.speaker, "speak", text, self.round))
        self._to("mirror", now)

    def pass_floor(self, now: datetime) -> None:
        """The speaker passes: the other partner takes the floor (this counts as a turn had)."""
        self._expect("speak")
        self._swap(now)

    def mirror(self, text: str, now: datetime) -> None:
        self._expect("mirror")
        text = self._need(text, MAX_PIECE, "Write back what you heard, even if only a few words.")
        if _same_words(text, self.piece()):
            raise TalkError("Try saying it in your own words rather than theirs: it shows you took it in.")
        self.entries.append(Entry(self.listener, "mirror", text, self.round))
        self.tries += 1
        self._to("check", now)

    def confirm(self, now: datetime) -> None:
        """The speaker: yes, that's it."""
        self._expect("check")
        self._to("validate", now)

    def correct(self, text: str, now: datetime) -> None:
        """The speaker: not quite. What was missed goes to the listener, who sums up again."""
        self._expect("check")
        text = self._need(text, MAX_PIECE, "Write what was missed, or say yes if it was close enough.")
        self.entries.append(Entry(self.speaker, "correct", text, self.round))
        self._to("mirror", now)

    def validate(self, text: str, feeling: str, now: datetime) -> None:
        self._expect("validate")
        text = self._need(text, MAX_PIECE, "Write what makes sense to you in what they said.")
        self.entries.append(Entry(self.listener, "validate", text, self.round,
                                  clean_line(feeling, MAX_FEELING)))
        self._swap(now)

    def _swap(self, now: datetime) -> None:
        self.round += 1
        self.tries = 0
        self.speaker = 1 - self.speaker
        if self.round % 2 == 0:
            self.heard = {}
            self._to("heard", now)
        else:
            self._to("speak", now)

    # -- together ---------------------------------------------------------------------------------
    def say_heard(self, partner: int, yes: bool, now: datetime) -> None:
        """Each says whether they feel heard. Both yes: they may look for a way forward. Else
        another round, and the one who does not feel heard yet has the floor first."""
        self._expect("heard")
        _check_partner(partner)
        self.heard[partner] = bool(yes)
        self._after_heard(now)

    def _after_heard(self, now: datetime | None) -> None:
        if len(self.heard) < 2:
            return
        if all(self.heard.values()):
            self.wants_solving = {}
            self._to("solve_ask", now)
            return
        not_yet = [p for p in (self.first, 1 - self.first) if not self.heard[p]]
        self.speaker = not_yet[0]
        self._to("speak", now)

    def both_heard(self) -> bool:
        return len(self.heard) == 2 and all(self.heard.values())

    def say_wants_solving(self, partner: int, yes: bool, now: datetime) -> None:
        """Looking for solutions only if both want to; one no is enough to stop at understanding."""
        self._expect("solve_ask")
        _check_partner(partner)
        self.wants_solving[partner] = bool(yes)
        self._after_solve_ask(now)

    def _after_solve_ask(self, now: datetime | None) -> None:
        if len(self.wants_solving) < 2:
            return
        self._to("solve" if self.may_solve() else "keep", now)

    def may_solve(self) -> bool:
        return self.both_heard() and len(self.wants_solving) == 2 and all(self.wants_solving.values())

    def add_ideas(self, text: str, now: datetime) -> None:
        self._expect("solve")
        text = clean_text(text)
        if len(text) > MAX_IDEAS:
            raise TalkError(f"That's a lot of words; please keep it under {MAX_IDEAS} characters (now {len(text)}).")
        if text:
            self.entries.append(Entry(None, "ideas", text, self.round))
        self._to("keep", now)

    # -- apart, each at their own computer --------------------------------------------------------
    def add_my_ideas(self, partner: int, text: str, now: datetime) -> None:
        """At two homes, each writes their own ideas; choosing what to keep comes once both have."""
        self._expect("solve")
        _check_partner(partner)
        text = clean_text(text)
        if len(text) > MAX_IDEAS:
            raise TalkError(f"That's a lot of words; please keep it under {MAX_IDEAS} characters (now {len(text)}).")
        if text:
            self.entries.append(Entry(None, "ideas", text, self.round))
        self.ideas_done[partner] = True
        self.settle(now)

    def keep_mine(self, partner: int, words: bool, ideas: bool) -> None:
        """At two homes, each says whether their own words are kept, and whether the ideas are
        (kept only if both say yes)."""
        self._expect("keep")
        _check_partner(partner)
        self.keeps[partner] = {"words": bool(words), "ideas": bool(ideas)}

    def both_chose(self) -> bool:
        return len(self.keeps) == 2

    def kept_apart(self) -> dict[str, Any] | None:
        """What is saved once both have chosen: the same record whichever home writes it."""
        keep = {p: bool(k.get("words")) for p, k in self.keeps.items()}
        return self.kept(keep, len(self.keeps) == 2 and all(k.get("ideas") for k in self.keeps.values()))

    def settle(self, now: datetime | None = None) -> None:
        """What both homes' answers add up to, when each gave theirs before hearing the other's:
        both said whether they feel heard, or whether to look for a way forward, or both wrote
        their ideas. The same on both computers, so neither waits on a step already behind."""
        if self.stage == "heard":
            self._after_heard(now)
        elif self.stage == "solve_ask":
            self._after_solve_ask(now)
        elif self.stage == "solve" and len(self.ideas_done) == 2:
            self._to("keep", now)

    def stop_here(self, now: datetime) -> None:
        """End the talking (from any stage) and go to choosing what to keep."""
        self._to("keep", now)

    def ideas(self) -> str:
        return "\n".join(e.text for e in self.entries if e.kind == "ideas")

    def spoken(self) -> bool:
        return any(e.partner is not None for e in self.entries)

    def kept(self, keep: dict[int, bool], keep_ideas: bool) -> dict[str, Any] | None:
        """What is saved: only the words of a partner who chose to keep theirs, the ideas only if
        both chose to. None (nothing at all, not even the date) if nothing was chosen."""
        entries = [e for e in self.entries
                   if (e.partner is not None and keep.get(e.partner)) or (e.partner is None and keep_ideas)]
        if not entries:
            return None
        return {"id": self.id, "started": stamp(self.started), "topic": self.topic,
                "entries": [e.to_dict() for e in entries]}

    # -- two starts at once, at two homes ---------------------------------------------------------
    def next_speak_key(self, partner: int) -> str | None:
        """The draft place of `partner`'s next turn to speak, while someone holds the floor (None
        in a together step, where who speaks next is not known yet)."""
        if self.stage not in FLOOR_STAGES:
            return None
        r = self.round
        if not (self.stage == "speak" and self.speaker == partner):
            r += 1 if self.speaker != partner else 2
        return f"talk:{self.id}:{r}:speak:0:text"

    def whose_turn(self, me: int, names: tuple[str, str]) -> str:
        """For home at two homes: whose turn it is in the talk that is open, in plain words
        ("it's Sam's turn to speak", "it waits for your word on feeling heard")."""
        other = names[1 - me]
        floor = self.floor()
        if floor is not None:
            doing = {"speak": "to speak", "mirror": "to say back what {} heard",
                     "check": "to say whether that caught it", "validate": "to say what makes sense in it"}[self.stage]
            return (f"it's your turn {doing.format('you')}" if floor == me
                    else f"it's {other}'s turn {doing.format('they')}")
        if self.stage in ("heard", "solve_ask"):
            said = self.heard if self.stage == "heard" else self.wants_solving
            about = "feeling heard" if self.stage == "heard" else "looking for a way forward"
            return f"it waits for {'your' if me not in said else other + chr(39) + 's'} word on {about}"
        if self.stage == "solve":
            return f"it waits for {'your' if not self.ideas_done.get(me) else other + chr(39) + 's'} ideas"
        return f"it waits for {'your' if me not in self.keeps else other + chr(39) + 's'} choice of what to keep"

    def _expect(self, stage: str) -> None:
        if self.stage != stage:
            raise TalkError("That step is already behind you.")

    # -- saving -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "started": stamp(self.started), "first": self.first, "topic": self.topic,
            "timer_on": self.timer_on, "turn_minutes": self.turn_minutes, "stage": self.stage,
            "speaker": self.speaker, "round": self.round, "tries": self.tries,
            "turn_started": self.turn_started.isoformat() if self.turn_started else None,
            "entries": [e.to_dict() for e in self.entries],
            "heard": {str(k): v for k, v in self.heard.items()},
            "wants_solving": {str(k): v for k, v in self.wants_solving.items()},
            "ideas_done": {str(k): v for k, v in self.ideas_done.items()},
            "keeps": {str(k): dict(v) for k, v in self.keeps.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Talk":
        stage = str(d.get("stage", "speak"))
        if stage not in FLOOR_STAGES and stage not in TOGETHER_STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        minutes = int(d.get("turn_minutes", DEFAULT_TURN_MINUTES))
        talk = cls(
            id=str(d["id"]), started=parse_time(d["started"]), first=_partner(d.get("first", 0)),
            topic=str(d.get("topic", "")), timer_on=bool(d.get("timer_on", True)),
            turn_minutes=minutes if minutes in TURN_MINUTES else DEFAULT_TURN_MINUTES,
            stage=stage, speaker=_partner(d.get("speaker", 0)), round=int(d.get("round", 0)),
            tries=int(d.get("tries", 0)),
            turn_started=parse_time(d["turn_started"]) if d.get("turn_started") else None,
            entries=[Entry.from_dict(e) for e in d.get("entries", [])],
            heard={int(k): bool(v) for k, v in dict(d.get("heard", {})).items() if k in ("0", "1")},
            wants_solving={int(k): bool(v) for k, v in dict(d.get("wants_solving", {})).items() if k in ("0", "1")},
            ideas_done={int(k): bool(v) for k, v in dict(d.get("ideas_done") or {}).items() if k in ("0", "1")},
            keeps={int(k): {"words": bool(v.get("words")), "ideas": bool(v.get("ideas"))}
                   for k, v in dict(d.get("keeps") or {}).items() if k in ("0", "1") and isinstance(v, dict)},
        )
        talk.settle()
        return talk


def folded_words(lost: Talk, me: int, unsent: list[str]) -> str:
    """Two homes began a talk at the same moment and the merge kept the other one (the same talk
    at both homes, whatever order the files came in). What `me` had written in the talk begun
    here, and what they were typing, so it can wait in their box for their turn in the one talk."""
    said = [e.text for e in lost.entries if e.partner == me and e.text.strip()]
    return "\n\n".join(said + [t for t in unsent if t.strip() and t.strip() not in said])


def begun_by(talk_id: object) -> int | None:
    """At two homes, whose computer began the talk of this id (its '-h0'/'-h1' end, see
    `start_talk`), so its start time is read on that computer's clock; None at one keyboard."""
    text = str(talk_id or "")
    return int(text[-1]) if len(text) > 3 and text[-3:-1] == "-h" and text[-1] in "01" else None


def _partner(value: Any) -> int:
    return value if value in (0, 1) else 0


def _check_partner(partner: int) -> None:
    if partner not in (0, 1):
        raise TalkError("Say which of you is answering.")


def start_talk(first: int, now: datetime, *, topic: str = "", timer_on: bool = True,
               turn_minutes: int = DEFAULT_TURN_MINUTES, home: int | None = None) -> Talk:
    """A new talk: who has the floor first, an optional topic, the gentle timer on or off. At two
    homes `home` is whose computer begins it, so two talks begun in the same second at the two
    homes never share an id (the merge would mix them field by field)."""
    _check_partner(first)
    if turn_minutes not in TURN_MINUTES:
        raise TalkError("Pick a turn length from the list.")
    suffix = f"-{first}" + (f"-h{home}" if home in (0, 1) else "")
    return Talk(id=now.strftime("%Y%m%dT%H%M%S") + suffix, started=now, first=first,
                topic=clean_line(topic, MAX_TOPIC), timer_on=timer_on, turn_minutes=turn_minutes,
                speaker=first, turn_started=now)
