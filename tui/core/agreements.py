"""Agreements: the rules of consent, versions and review dates, in plain Python.

An agreement only counts when both partners have said yes to its current wording, so:
Draft → Proposed (one partner said yes) → Agreed (both did). Changing the title or text
of a Proposed or Agreed agreement makes it Proposed again; the person who made the change
counts as saying yes to it, the other is asked again. Every saved change is kept as a
version, so the couple can always see what they agreed to before.

Everything here is pure: functions take the time (`now`) and return new frozen objects.
"""

from __future__ import annotations

import hashlib

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from .text import typed_line, typed_lines

#: The shipped categories, in the order they are listed.
BUILTIN_CATEGORIES: dict[str, str] = {
    "conflict": "Conflict & fair fighting",
    "technology": "Technology & phones",
    "time": "Time together & apart",
    "money": "Money",
    "family": "Family & friends",
    "privacy": "Privacy",
    "affection": "Affection & intimacy",
    "home": "Home & chores",
}
#: The couple's own categories get ids with this prefix, so they never clash with ours.
OWN_PREFIX = "own:"

KINDS: dict[str, str] = {"need": "A need", "want": "A want"}

#: Review rhythm → months between reviews (None: no set review).
RHYTHMS: dict[str, int | None] = {"monthly": 1, "quarterly": 3, "yearly": 12, "none": None}
RHYTHM_LABELS: dict[str, str] = {
    "monthly": "Review monthly",
    "quarterly": "Review every three months",
    "yearly": "Review yearly",
    "none": "No set review",
}

MAX_TITLE = 80
MAX_TEXT = 4000
MAX_CATEGORY = 30


class Status(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"


#: A symbol and a word for each status, so colour is never the only signal.
STATUS_SYMBOL: dict[Status, str] = {Status.DRAFT: "○", Status.PROPOSED: "◐", Status.AGREED: "●"}
STATUS_WORD: dict[Status, str] = {Status.DRAFT: "Draft", Status.PROPOSED: "Proposed", Status.AGREED: "Agreed"}


class AgreementError(ValueError):
    """A change the rules do not allow; the message is fit to show as it is."""


@dataclass(frozen=True)
class Version:
    """One saved state of an agreement: who saved it, when, and what it said."""

    author: int
    at: datetime
    title: str
    text: str
    kind: str
    category: str
    review: str
    #: The wording (`wording_mark`) this version was written over; None for the first version and
    #: for versions saved before this was kept. At two homes it tells a version written while apart
    #: from another one (`apart_edit`): its `over` is not the wording listed just before it.
    over: str | None = None


@dataclass(frozen=True)
class Agreement:
    """An agreement as it stands now, with its full version history."""

    id: int
    title: str
    text: str
    kind: str
    category: str
    review: str
    status: Status
    consent: tuple[bool, bool]
    proposed_by: int | None
    created: datetime
    updated: datetime
    agreed_at: datetime | None = None
    #: Index into `versions` of the wording both last said yes to (for "what changed").
    agreed_version: int | None = None
    next_review: date | None = None
    reviews: tuple[datetime, ...] = ()
    retired_at: datetime | None = None
    template: str | None = None
    versions: tuple[Version, ...] = field(default_factory=tuple)
    #: The version each partner's yes was given to (`version_mark`); None: before this was kept.
    consent_on: tuple[str | None, str | None] = (None, None)
    #: At two homes, the home whose clock wrote `agreed_at` / `retired_at` ('' at one keyboard or
    #: before this was kept): the times stay as written and are read on each computer's own clock
    #: (tui.store.agreements.shown_day), so "agreed on" and "archived" name the couple's day.
    agreed_home: str = ""
    retired_home: str = ""

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def waiting_for(self) -> list[int]:
        """Partners whose yes is still missing (empty once Agreed)."""
        if self.status is Status.AGREED:
            return []
        return [i for i in (0, 1) if not self.consent[i]]


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: mark is '+' (added), '-' (taken out) or ' ' (unchanged)."""

    mark: str
    text: str

    @property
    def marked(self) -> str:
        return f"{self.mark} {self.text}"


# -- cleaning and checking what was typed ----------------------------------------------------

def clean_title(raw: str) -> str:
    """One line, every typed character kept (tui/core/text.py), single spaces."""
    return typed_line(raw)


def title_problem(raw: str) -> str | None:
    """Why a title can't be used, in plain words, or None."""
    title = clean_title(raw)
    if not title:
        return "Please give it a title. One short line is plenty."
    if len(title) > MAX_TITLE:
        return f"Please keep the title under {MAX_TITLE} characters; the text below has room for more."
    return None


def clean_text(raw: str) -> str:
    """Unix line ends, no control characters or trailing blanks; every other character kept."""
    return typed_lines(raw)


def text_problem(raw: str) -> str | None:
    """Why a text can't be used, or None. Empty is fine: some titles say it all."""
    text = clean_text(raw)
    if len(text) > MAX_TEXT:
        return (
            f"This is {len(text):,} characters; please keep an agreement under {MAX_TEXT:,}. "
            "Splitting it into two agreements often helps."
        )
    return None


def clean_category_label(raw: str) -> str:
    return clean_title(raw)[:MAX_CATEGORY]


def category_problem(raw: str) -> str | None:
    if not clean_category_label(raw):
        return "Please name your category."
    return None


def own_category_id(label: str, taken: set[str]) -> str:
    """A stable id for a category the couple names, unique among `taken`."""
    slug = re.sub(r"[^a-z0-9]+", "-", clean_category_label(label).casefold()).strip("-") or "category"
    candidate = OWN_PREFIX + slug
    n = 2
    while candidate in taken:
        candidate = f"{OWN_PREFIX}{slug}-{n}"
        n += 1
    return candidate


def category_label(category: str, own: dict[str, str] | None = None) -> str:
    """Display name of a category id; unknown ids still read sensibly."""
    if category in BUILTIN_CATEGORIES:
        return BUILTIN_CATEGORIES[category]
    if own and category in own:
        return own[category]
    name = category.removeprefix(OWN_PREFIX).replace("-", " ").strip()
    return name[:1].upper() + name[1:] if name else "Other"


def _check(kind: str, category: str, review: str) -> None:
    if kind not in KINDS:
        raise AgreementError(f"'{kind}' is not a kind; use need or want.")
    if review not in RHYTHMS:
        raise AgreementError(f"'{review}' is not a review rhythm; use monthly, quarterly, yearly or none.")
    if not category:
        raise AgreementError("Please choose a category.")


def _check_partner(who: int) -> None:
    if who not in (0, 1):
        raise AgreementError("Only the two partners can do that.")


# -- review dates ---------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """Same day `months` later, kept inside short months (31 Jan + 1 month → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    """28 to 31. (Not `calendar.monthrange`: the calendar module was 0.13 MiB of each session.)"""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def next_review_date(review: str, now: datetime | date) -> date | None:
    """When an agreement agreed or reviewed at `now` is next looked at again."""
    months = RHYTHMS.get(review)
    if months is None:
        return None
    today = now.date() if isinstance(now, datetime) else now
    return add_months(today, months)


def is_due(agreement: Agreement, now: datetime) -> bool:
    """An Agreed, current agreement whose review date has come."""
    return (
        agreement.status is Status.AGREED
        and not agreement.retired
        and agreement.next_review is not None
        and agreement.next_review <= now.date()
    )


def days_overdue(agreement: Agreement, now: datetime) -> int:
    if agreement.next_review is None:
        return 0
    return max(0, (now.date() - agreement.next_review).days)


# -- the life of an agreement ------------------------------------------------------------------------

#: Said on the editor: who writes is kept in the history; a yes is never given by writing.
WRITING_RULE = "Writing is not agreeing: each of you says yes in your own turn (y)."


def _version_of(a: Agreement, author: int, now: datetime, over: str | None = None) -> Version:
    return Version(author, now, a.title, a.text, a.kind, a.category, a.review, over)


def create(
    agreement_id: int,
    author: int,
    now: datetime,
    *,
    title: str,
    text: str,
    kind: str,
    category: str,
    review: str,
    template: str | None = None,
) -> Agreement:
    """A new Draft, with its first version. Nobody has said yes yet: writing is not agreeing."""
    _check_partner(author)
    problem = title_problem(title) or text_problem(text)
    if problem:
        raise AgreementError(problem)
    _check(kind, category, review)
    a = Agreement(
        id=agreement_id,
        title=clean_title(title),
        text=clean_text(text),
        kind=kind,
        category=category,
        review=review,
        status=Status.DRAFT,
        consent=(False, False),
        proposed_by=None,
        created=now,
        updated=now,
        template=template,
    )
    return replace(a, versions=(_version_of(a, author, now),))


def wording_changed(a: Agreement, title: str, text: str) -> bool:
    return clean_title(title) != a.title or clean_text(text) != a.text


def edit(
    a: Agreement,
    author: int,
    now: datetime,
    *,
    title: str | None = None,
    text: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    review: str | None = None,
) -> Agreement:
    """Save a change as a new version. Nothing changed → the same agreement, no version.

    Changing the title or text of a Proposed or Agreed agreement resets consent: it becomes
    Proposed by `author` and waits for both yeses. One rule for writing, new or changed:
    writing is not agreeing, and each yes is given in that partner's own turn (WRITING_RULE).
    Changing only the kind, category or rhythm keeps the status.
    """
    _check_partner(author)
    if a.retired:
        raise AgreementError("Bring this agreement back from the archive before changing it.")
    new_title = a.title if title is None else title
    new_text = a.text if text is None else text
    problem = title_problem(new_title) or text_problem(new_text)
    if problem:
        raise AgreementError(problem)
    new_kind = kind or a.kind
    new_category = category or a.category
    new_review = review or a.review
    _check(new_kind, new_category, new_review)
    changed = replace(
        a,
        title=clean_title(new_title),
        text=clean_text(new_text),
        kind=new_kind,
        category=new_category,
        review=new_review,
    )
    if (changed.title, changed.text, changed.kind, changed.category, changed.review) == (
        a.title, a.text, a.kind, a.category, a.review
    ):
        return a
    if (changed.title, changed.text) != (a.title, a.text) and a.status is not Status.DRAFT:
        changed = replace(
            changed, status=Status.PROPOSED, proposed_by=author, consent=(False, False), agreed_at=None,
            next_review=None,
        )
    elif changed.review != a.review and a.status is Status.AGREED:
        changed = replace(changed, next_review=next_review_date(changed.review, now))
    over = version_mark(a)
    return replace(changed, updated=now, versions=a.versions + (_version_of(changed, author, now, over),))


def propose(a: Agreement, by: int, now: datetime) -> Agreement:
    """Draft → Proposed: `by` says yes first and the other is asked."""
    _check_partner(by)
    if a.retired:
        raise AgreementError("Bring this agreement back from the archive first.")
    if a.status is not Status.DRAFT:
        raise AgreementError("This has already been proposed.")
    consent = (by == 0, by == 1)
    return replace(a, status=Status.PROPOSED, proposed_by=by, consent=consent, updated=now)


def confirm(a: Agreement, who: int, now: datetime) -> Agreement:
    """`who` says yes to a Proposed agreement; with both yeses it is Agreed and its review clock starts."""
    _check_partner(who)
    if a.retired:
        raise AgreementError("Bring this agreement back from the archive first.")
    if a.status is Status.DRAFT:
        raise AgreementError("Propose it first.")
    if a.status is Status.AGREED:
        raise AgreementError("You have both said yes to this already.")
    consent = (a.consent[0] or who == 0, a.consent[1] or who == 1)
    if all(consent):
        return replace(
            a,
            consent=consent,
            status=Status.AGREED,
            agreed_at=now,
            agreed_version=len(a.versions) - 1,
            next_review=next_review_date(a.review, now),
            updated=now,
        )
    return replace(a, consent=consent, updated=now)


def say_yes(a: Agreement, who: int, now: datetime) -> Agreement:
    """One partner's yes, whatever the status: proposes a Draft, confirms a Proposed one."""
    if a.status is Status.DRAFT:
        return propose(a, who, now)
    return confirm(a, who, now)


def retire(a: Agreement, now: datetime) -> Agreement:
    """Move to the archive: kept with its history, no longer current, never due."""
    if a.retired:
        return a
    return replace(a, retired_at=now, updated=now)


def restore(a: Agreement, now: datetime) -> Agreement:
    """Back from the archive, as it was. An Agreed one gets a fresh review date."""
    if not a.retired:
        return a
    next_review = next_review_date(a.review, now) if a.status is Status.AGREED else None
    return replace(a, retired_at=None, updated=now, next_review=next_review)


def mark_reviewed(a: Agreement, now: datetime) -> Agreement:
    """"Reviewed, still good": the next review moves one rhythm on from today."""
    if a.status is not Status.AGREED:
        raise AgreementError("Reviews are for agreements you have both said yes to.")
    if a.retired:
        raise AgreementError("This agreement is in the archive.")
    return replace(a, reviews=a.reviews + (now,), next_review=next_review_date(a.review, now), updated=now)


# -- versions and diffs ------------------------------------------------------------------------------

def diff_lines(old_title: str, old_text: str, new_title: str, new_text: str) -> list[DiffLine]:
    """Line-based diff from old to new, with the title as the first line. All lines are kept
    (agreements are short), each marked, so a screen can colour it and still read without colour."""
    old = [f"Title: {old_title}", ""] + (old_text.split("\n") if old_text else [])
    new = [f"Title: {new_title}", ""] + (new_text.split("\n") if new_text else [])
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(DiffLine(" ", line) for line in old[i1:i2])
            continue
        out.extend(DiffLine("-", line) for line in old[i1:i2])
        out.extend(DiffLine("+", line) for line in new[j1:j2])
    return out


def diff_against_current(a: Agreement, version_index: int) -> list[DiffLine]:
    """What changed from version `version_index` (0 = first) to the current wording."""
    if not 0 <= version_index < len(a.versions):
        raise AgreementError("There is no such version.")
    v = a.versions[version_index]
    return diff_lines(v.title, v.text, a.title, a.text)


def has_changes(lines: list[DiffLine]) -> bool:
    return any(line.mark != " " for line in lines)


def changes_since_agreed(a: Agreement) -> list[DiffLine] | None:
    """The diff from the wording both last agreed to, when it has changed since; else None."""
    if a.agreed_version is None or a.status is Status.AGREED:
        return None
    if not 0 <= a.agreed_version < len(a.versions):
        return None
    lines = diff_against_current(a, a.agreed_version)
    return lines if has_changes(lines) else None


def describe_change(prev: Version | None, cur: Version, own: dict[str, str] | None = None) -> str:
    """Short words for what one version changed, for the version list."""
    if prev is None:
        return "first written"
    parts = []
    if prev.title != cur.title:
        parts.append("title")
    if prev.text != cur.text:
        parts.append("wording")
    if prev.kind != cur.kind:
        parts.append(f"now {KINDS[cur.kind].lower()}" if cur.kind in KINDS else "kind")
    if prev.category != cur.category:
        parts.append(f"moved to {category_label(cur.category, own)}")
    if prev.review != cur.review:
        parts.append(RHYTHM_LABELS.get(cur.review, cur.review).lower())
    if not parts:
        return "saved again"
    if parts[:2] == ["title", "wording"]:
        parts[:2] = ["changed the title and wording"]
    elif parts[0] in ("title", "wording"):
        parts[0] = f"changed the {parts[0]}"
    return ", ".join(parts)


# -- two homes ----------------------------------------------------------------------------------
def version_mark(a: Agreement) -> str | None:
    """What names the wording standing now (the newest version's title and text): a yes counts
    only for the wording it was given to. A change of kind, category or rhythm keeps it, as at
    one computer it keeps the status."""
    if not a.versions:
        return None
    latest = a.versions[-1]
    return wording_mark(latest.title, latest.text)


def wording_mark(title: str, text: str) -> str:
    """A short name for one wording (title and text), the same at both homes."""
    return hashlib.sha256(f"{title}\x00{text}".encode("utf-8")).hexdigest()[:16]


def crossed_at(a: Agreement, since: int = 1) -> int | None:
    """The newest version written while apart from another one, or None.

    Each version names the wording it was written over (`Version.over`). When both homes change
    an agreement while apart, both new versions name the same old wording; once merged one of them
    is listed after the other, over a wording that is not the one just before it (the same new
    wording at both homes is no crossing: nothing is hidden). Both homes
    compute the same answer from the same merged list. `since`: the first index worth looking at."""
    for i in range(len(a.versions) - 1, max(since, 1) - 1, -1):
        v, before = a.versions[i], a.versions[i - 1]
        listed_before = wording_mark(before.title, before.text)
        if v.over is not None and v.over != listed_before and wording_mark(v.title, v.text) != listed_before:
            return i
    return None


def written_over(a: Agreement, index: int) -> Version | None:
    """The version `index` was written over (for "what it changed"): the one listed just before
    it, except for a version written while apart, whose `over` names an earlier wording."""
    if index <= 0:
        return None
    v, before = a.versions[index], a.versions[index - 1]
    if v.over is None or v.over == wording_mark(before.title, before.text):
        return before
    for earlier in reversed(a.versions[:index - 1]):
        if wording_mark(earlier.title, earlier.text) == v.over:
            return earlier
    return before


def apart_versions(a: Agreement) -> list[int]:
    """Versions written at the same time at both homes (over one wording, saying different
    things), oldest first: the two the "you both changed it" note is about."""
    found: set[int] = set()
    for i, v in enumerate(a.versions):
        if v.over is None:
            continue
        for j in range(i):
            w = a.versions[j]
            if w.over == v.over and (w.title, w.text) != (v.title, v.text):
                found.update((i, j))
    return sorted(found)


def apart_edit(a: Agreement) -> str | None:
    """A name for the moment both of you changed this agreement while apart, while that still
    wants saying (both wordings kept, neither agreed on since), else None. The name is the same at
    both homes and new for a later such moment, so each home can note that it was seen."""
    if a.retired or a.status is Status.AGREED:
        return None
    # only after the wording last agreed to: agreed again since, it is settled (home asks often)
    index = crossed_at(a, since=1 if a.agreed_version is None else a.agreed_version + 1)
    if index is None:
        return None
    v = a.versions[index]
    return f"{index}:{v.over}:{wording_mark(v.title, v.text)}"


def apart_edit_words(a: Agreement) -> str:
    """What each home says about it: calm, about both of you, never about who did it."""
    return (f"You both changed “{a.title}” while apart. Both wordings are kept: "
            "press v to see them, then agree on one.")


def mark_consent(before: Agreement, after: Agreement) -> Agreement:
    """Note which version each yes in `after` is for: a yes kept from before keeps its mark,
    a new one is for the version standing now."""
    mark = version_mark(after)
    on = tuple(
        (before.consent_on[i] if before.consent[i] and before.consent_on[i] else mark) if after.consent[i] else None
        for i in (0, 1)
    )
    return after if on == after.consent_on else replace(after, consent_on=on)


def settle(a: Agreement) -> Agreement:
    """An agreement as two homes' offline changes left it, made whole again.

    Versions both homes added are all kept (the CRDT keeps both appends); the wording shown is
    the newest version's; a yes given to an older wording no longer counts; and an agreement
    counts as agreed exactly when both yeses are for what it says now (two yeses given at once,
    one at each home, make it Agreed there too). At one computer this
    changes nothing.
    """
    mark = version_mark(a)
    consent = tuple(bool(c) and (on is None or on == mark) for c, on in zip(a.consent, a.consent_on))
    changes: dict[str, object] = {}
    if consent != a.consent:
        changes["consent"] = consent
        changes["consent_on"] = tuple(on if c else None for c, on in zip(consent, a.consent_on))
    latest = a.versions[-1] if a.versions else None
    if latest is not None and (a.title, a.text) != (latest.title, latest.text):
        changes.update(title=latest.title, text=latest.text)
    if a.status is Status.AGREED and not all(consent):
        changes.update(status=Status.PROPOSED, agreed_at=None, next_review=None)
    elif a.status is Status.PROPOSED and all(consent) and mark is not None and all(on == mark for on in a.consent_on):
        # both said yes to this wording at the same time, each at their own home: each home saw only
        # its own yes, so neither made it Agreed. Both homes make it so alike, from what they share.
        changes.update(status=Status.AGREED, agreed_at=a.updated, agreed_version=len(a.versions) - 1,
                       next_review=next_review_date(a.review, a.updated), agreed_home="")
    return replace(a, **changes) if changes else a
