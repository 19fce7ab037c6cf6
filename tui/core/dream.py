"""The dream behind a conflict: for a disagreement that keeps coming back.

Under a position there is often a story, a hope or a value. The order here: each partner writes
what the position means to them in private (neither sees the other's until both have written);
then, in turns, each reads the other's with prompts and says back what they understood; then
each marks what they cannot give up and where they can bend; then together they write a trial
arrangement, which becomes a draft agreement (consent then works as for any agreement).

Plain Python with an injected `now`; the screens only show what these rules allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .agreements import title_problem, text_problem
from .clock import parse_time, stamp
from .talk import TalkError, clean_line, clean_text

MAX_MEANING = 2000
MAX_NOTE = 1000
MAX_TOPIC = 80
#: The trial's review, as agreement review rhythms: a trial is looked at again soon.
TRIAL_REVIEWS = ("monthly", "quarterly")

STAGES = ("write", "listen", "mark", "trial", "done")


class DreamError(TalkError):
    """A rule was broken; the message is for people."""


@dataclass(frozen=True)
class Step:
    stage: str
    partner: int | None  # write and mark: the writer; listen: whose dream is being heard

    @property
    def key(self) -> str:
        return f"{self.stage}:{'' if self.partner is None else self.partner}"


def dream_plan(first: int) -> list[Step]:
    order = (first, 1 - first)
    return ([Step("write", p) for p in order] + [Step("listen", p) for p in order]
            + [Step("mark", p) for p in order] + [Step("trial", None)])


@dataclass
class Dream:
    id: str
    started: datetime
    first: int
    topic: str = ""
    pos: int = 0
    meaning: dict[int, str] = field(default_factory=dict)
    understood: dict[int, str] = field(default_factory=dict)  # keyed by whose dream was heard
    firm: dict[int, str] = field(default_factory=dict)  # what each cannot give up
    flexible: dict[int, str] = field(default_factory=dict)  # where each can bend
    agreement_id: int | None = None

    @property
    def plan(self) -> list[Step]:
        return dream_plan(self.first)

    def current(self) -> Step | None:
        return self.plan[self.pos] if self.pos < len(self.plan) else None

    @property
    def stage(self) -> str:
        step = self.current()
        return step.stage if step else "done"

    def floor(self) -> int | None:
        """Who holds the keyboard: the writer, or in `listen` the one listening; None together."""
        step = self.current()
        if step is None or step.partner is None:
            return None
        return 1 - step.partner if step.stage == "listen" else step.partner

    def private(self) -> bool:
        """Only the first writing is private: the curtain goes down before each."""
        return self.stage == "write"

    def shown_meaning(self, partner: int) -> str | None:
        """A partner's meaning, once both have written theirs; until then, to no one."""
        if len(self.meaning) < 2:
            return None
        return self.meaning.get(partner, "")

    def may_skip(self) -> bool:
        """Only the listening note may be left empty: the writing, the marks and the trial make
        the arrangement, so they are asked for (anyone may stop the whole talk at any time)."""
        return self.stage == "listen"

    def draft_key(self, part: str = "text") -> str:
        step = self.current()
        return f"dream:{self.id}:{step.key if step else 'done'}:{part}"

    # -- the steps ------------------------------------------------------------------------------
    def _step(self, stage: str) -> Step:
        step = self.current()
        if step is None or step.stage != stage:
            raise DreamError("That step is already behind you.")
        return step

    def write(self, text: str) -> None:
        step = self._step("write")
        text = clean_text(text)
        if not text:
            raise DreamError("Write a few words about what this means to you; there is no wrong answer.")
        if len(text) > MAX_MEANING:
            raise DreamError(f"Please keep it under {MAX_MEANING} characters (now {len(text)}).")
        self.meaning[step.partner] = text
        self.pos += 1

    def listen(self, note: str) -> None:
        step = self._step("listen")
        note = clean_text(note)
        if len(note) > MAX_NOTE:
            raise DreamError(f"Please keep it under {MAX_NOTE} characters (now {len(note)}).")
        if note:
            self.understood[step.partner] = note
        self.pos += 1

    def mark(self, firm: str, flexible: str) -> None:
        step = self._step("mark")
        firm, flexible = clean_text(firm), clean_text(flexible)
        if not firm and not flexible:
            raise DreamError("Write at least one of the two: what you cannot give up, or where you can bend.")
        for text in (firm, flexible):
            if len(text) > MAX_NOTE:
                raise DreamError(f"Please keep each under {MAX_NOTE} characters (now {len(text)}).")
        self.firm[step.partner] = firm
        self.flexible[step.partner] = flexible
        self.pos += 1

    def trial_problem(self, title: str, text: str, review: str) -> str | None:
        """Why this trial can't become a draft agreement yet, or None."""
        if review not in TRIAL_REVIEWS:
            return "Choose when to look at it again."
        return title_problem(title) or text_problem(text)

    def made_agreement(self, agreement_id: int) -> None:
        self._step("trial")
        self.agreement_id = agreement_id
        self.pos += 1

    # -- saving -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def keyed(d: dict[int, str]) -> dict[str, str]:
            return {str(k): v for k, v in d.items()}
        return {"id": self.id, "started": stamp(self.started), "first": self.first, "topic": self.topic,
                "pos": self.pos, "meaning": keyed(self.meaning), "understood": keyed(self.understood),
                "firm": keyed(self.firm), "flexible": keyed(self.flexible), "agreement_id": self.agreement_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Dream":
        def keyed(name: str) -> dict[int, str]:
            return {int(k): str(v) for k, v in dict(d.get(name) or {}).items() if k in ("0", "1")}
        first = d.get("first", 0)
        pos = int(d.get("pos", 0))
        agreement = d.get("agreement_id")
        return cls(id=str(d["id"]), started=parse_time(d["started"]), first=first if first in (0, 1) else 0,
                   topic=str(d.get("topic", "")), pos=max(0, min(pos, len(dream_plan(0)))),
                   meaning=keyed("meaning"), understood=keyed("understood"), firm=keyed("firm"),
                   flexible=keyed("flexible"), agreement_id=agreement if isinstance(agreement, int) else None)


def start_dream(first: int, now: datetime, topic: str = "") -> Dream:
    if first not in (0, 1):
        raise DreamError("Say which of you writes first.")
    return Dream(id=now.strftime("%Y%m%dT%H%M%S") + f"-{first}", started=now, first=first,
                 topic=clean_line(topic, MAX_TOPIC))
