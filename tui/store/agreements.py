"""Agreements in the database: table "agreements", one document per agreement holding its
versions, so the whole history travels with it. The rules live in tui.core.agreements;
this module only loads, applies a rule, and saves.

A document is small (a few hundred characters per version), so 40 agreements with 10
versions each stay well under the size where re-serializing the table would be felt.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from tinydb import Query

from ..core import agreements as rules
from ..core.agreements import Agreement, AgreementError, Status, Version
from ..core.clock import parse_time, stamp
from . import files
from .database import Store
from .peeks import peek
from .drafts import clear_draft, load_draft, save_draft
from .profile import load_couple, set_setting, setting

TABLE = "agreements"
#: Which "you both changed it while apart" notes this computer has seen (pressed v): one document
#: per agreement, {"agreement": id, "seen": rules.apart_edit name}. Stays home (not in
#: tui.store.sync_tables): each home says it until someone at that home has looked.
SEEN_TABLE = "agreements_seen"
OWN_CATEGORIES = "agreement_categories"  # setting: [{"id": "own:...", "label": "..."}]

__all__ = ["AgreementError", "Agreement", "Status"]


# -- documents ⇄ dataclasses -------------------------------------------------------------------------

def _version_doc(v: Version) -> dict[str, Any]:
    return {
        "by": v.author, "at": stamp(v.at), "title": v.title, "text": v.text,
        "kind": v.kind, "category": v.category, "review": v.review,
        **({"over": v.over} if v.over else {}),  # the wording it was written over (rules.crossed_at)
    }


def _to_doc(a: Agreement) -> dict[str, Any]:
    return {
        "title": a.title,
        "text": a.text,
        "kind": a.kind,
        "category": a.category,
        "review": a.review,
        "status": a.status.value,
        "consent": list(a.consent),
        "proposed_by": a.proposed_by,
        "created": stamp(a.created),
        "updated": stamp(a.updated),
        "agreed_at": stamp(a.agreed_at) if a.agreed_at else None,
        "agreed_version": a.agreed_version,
        "next_review": a.next_review.isoformat() if a.next_review else None,
        "reviews": [stamp(r) for r in a.reviews],
        "retired_at": stamp(a.retired_at) if a.retired_at else None,
        "template": a.template,
        "versions": [_version_doc(v) for v in a.versions],
        "consent_on": list(a.consent_on),
        # at two homes only (written when set, so one keyboard's documents stay as they were)
        **({"agreed_home": a.agreed_home} if a.agreed_home else {}),
        **({"retired_home": a.retired_home} if a.retired_home else {}),
    }


def _from_doc(doc: dict[str, Any], doc_id: int) -> Agreement:
    versions = tuple(
        Version(
            int(v.get("by", 0)), parse_time(v["at"]), v.get("title", ""), v.get("text", ""),
            v.get("kind", "want"), v.get("category", "conflict"), v.get("review", "none"),
            v["over"] if isinstance(v.get("over"), str) else None,
        )
        for v in doc.get("versions", [])
    )
    consent = doc.get("consent") or [False, False]
    try:
        status = Status(doc.get("status", "draft"))
    except ValueError:
        status = Status.DRAFT
    return rules.settle(Agreement(
        id=doc_id,
        title=doc.get("title", ""),
        text=doc.get("text", ""),
        kind=doc.get("kind", "want"),
        category=doc.get("category", "conflict"),
        review=doc.get("review", "none"),
        status=status,
        consent=(bool(consent[0]), bool(consent[1])),
        proposed_by=doc.get("proposed_by"),
        created=parse_time(doc["created"]),
        updated=parse_time(doc.get("updated") or doc["created"]),
        agreed_at=parse_time(doc["agreed_at"]) if doc.get("agreed_at") else None,
        agreed_version=doc.get("agreed_version"),
        next_review=date.fromisoformat(doc["next_review"]) if doc.get("next_review") else None,
        reviews=tuple(parse_time(r) for r in doc.get("reviews", [])),
        retired_at=parse_time(doc["retired_at"]) if doc.get("retired_at") else None,
        template=doc.get("template"),
        versions=versions,
        consent_on=_marks(doc.get("consent_on")),
        agreed_home=doc["agreed_home"] if isinstance(doc.get("agreed_home"), str) else "",
        retired_home=doc["retired_home"] if isinstance(doc.get("retired_home"), str) else "",
    ))


def _marks(raw: Any) -> tuple[str | None, str | None]:
    if isinstance(raw, list) and len(raw) == 2:
        return tuple(m if isinstance(m, str) else None for m in raw)  # type: ignore[return-value]
    return (None, None)


def _now(store: Store, now: datetime | None) -> datetime:
    return now if now is not None else store.clock.now()


def _save(store: Store, a: Agreement) -> Agreement:
    store.table(TABLE).update(_to_doc(a), doc_ids=[a.id])
    return a


def settle_stored(store: Store, agreement_id: int) -> bool:
    """Write an agreement back as `rules.settle` reads it, after the other home's changes came
    in (so the file, the export and the other computer all say the same). Returns whether it changed."""
    doc = store.table(TABLE).get(doc_id=agreement_id)
    if doc is None:
        return False
    settled = _to_doc(_from_doc(doc, doc.doc_id))
    if settled == {k: doc.get(k) for k in settled}:
        return False
    store.table(TABLE).update(settled, doc_ids=[agreement_id])
    return True


def _apply(store: Store, agreement_id: int, rule: Callable[[Agreement], Agreement],
           when: datetime | None = None) -> Agreement:
    before = get(store, agreement_id)
    after = rule(before)
    if after is not before:
        after = rules.mark_consent(before, after)
        after = _clock_marked(store, before, after)
        if when is not None and after.next_review is not None and after.next_review != before.next_review:
            after = _on_couple_day(store, after, when)
        _save(store, after)
    return after


def _clock_marked(store: Store, before: Agreement, after: Agreement) -> Agreement:
    """A time of agreeing or archiving written now is on this computer's clock: say so (its home),
    so the other home reads it on its own clock (`shown_day`). Kept as written, put right when read."""
    from dataclasses import replace

    from .couple_time import my_home

    changes: dict[str, str] = {}
    if after.agreed_at is not None and after.agreed_at != before.agreed_at:
        changes["agreed_home"] = my_home(store)
    if after.retired_at is not None and after.retired_at != before.retired_at:
        changes["retired_home"] = my_home(store)
    return replace(after, **changes) if changes else after


def shown_day(store: Store, when: datetime, home: str, now: datetime | None = None) -> date:
    """The day to show for a time of agreeing or archiving: at two homes the couple's day
    (tui.store.couple_time.couple_day) of that time put right to this computer's clock, never
    after today, so both homes name one date; at one keyboard its date in this computer's zone."""
    from .couple_time import couple_day

    return couple_day(store, when, _now(store, now), home)


def version_time(store: Store, v: Version) -> datetime:
    """When a version was written, on this computer's clock and in its time zone. At two homes a
    partner writes a version at their own computer (its clock; `v.author` says whose), so it is put
    right by the offset seen to it (tui.store.couple_time); as stored otherwise."""
    from .couple_time import home_of, my_home, on_this_clock
    from .sync_watch import this_partner

    if this_partner(store) is None or not my_home(store):
        return v.at  # one keyboard, or both partners at this computer: its own clock
    return on_this_clock(store, v.at, home_of(store, v.author)).astimezone(_now(store, None).tzinfo)


def _on_couple_day(store: Store, a: Agreement, when: datetime) -> Agreement:
    """At two homes a review date counts from the couple's day (tui.store.couple_time), not this
    computer's own, so the date set is the one both homes would set."""
    from dataclasses import replace

    from .couple_time import couple_now

    day = couple_now(store, when).date()
    if day == when.date():
        return a
    return replace(a, next_review=rules.next_review_date(a.review, day))


# -- reading ---------------------------------------------------------------------------------------------

def get(store: Store, agreement_id: int) -> Agreement:
    doc = store.table(TABLE).get(doc_id=agreement_id)
    if doc is None:
        raise AgreementError("That agreement is no longer here.")
    return _from_doc(doc, doc.doc_id)


def exists(store: Store, agreement_id: int) -> bool:
    return store.table(TABLE).contains(doc_id=agreement_id)


def list_agreements(store: Store, *, retired: bool = False, keep: bool = True) -> list[Agreement]:
    """Current agreements (or, with retired=True, the archive), in category order then by title.
    `keep` False (home's due lines, on every visit): the table is read without being kept in memory
    if nothing else has read it yet (ten years of agreements and their versions: about 0.4 MiB)."""
    order = {cid: i for i, cid in enumerate(category_ids(store))}
    if keep:
        found = [_from_doc(doc, doc.doc_id) for doc in store.table(TABLE).all()]
    else:
        found = [_from_doc(doc, int(key)) for key, doc in list((peek(store, TABLE) or {}).items())]
    found = [a for a in found if a.retired == retired]
    return sorted(found, key=lambda a: (order.get(a.category, len(order)), a.title.casefold(), a.id))


def by_category(store: Store, *, retired: bool = False) -> list[tuple[str, str, list[Agreement]]]:
    """[(category id, label, agreements)] for categories that hold any."""
    own = own_categories(store)
    groups: dict[str, list[Agreement]] = {}
    for a in list_agreements(store, retired=retired):
        groups.setdefault(a.category, []).append(a)
    return [(cid, rules.category_label(cid, own), items) for cid, items in groups.items()]


# -- categories -----------------------------------------------------------------------------------------

def own_categories(store: Store) -> dict[str, str]:
    """The couple's own categories: id → label, in the order they were made."""
    raw = setting(store, OWN_CATEGORIES, []) or []
    return {c["id"]: c["label"] for c in raw if isinstance(c, dict) and "id" in c and "label" in c}


def category_ids(store: Store) -> list[str]:
    return [*rules.BUILTIN_CATEGORIES, *own_categories(store)]


def categories(store: Store) -> list[tuple[str, str]]:
    """Every category as (id, label): ours first, then the couple's own."""
    own = own_categories(store)
    return [(cid, rules.category_label(cid, own)) for cid in category_ids(store)]


def category_label(store: Store, category: str) -> str:
    return rules.category_label(category, own_categories(store))


def add_own_category(store: Store, label: str) -> str:
    """Make (or find) a category of the couple's own; returns its id."""
    problem = rules.category_problem(label)
    if problem:
        raise AgreementError(problem)
    clean = rules.clean_category_label(label)
    for cid, existing in categories(store):
        if existing.casefold() == clean.casefold():
            return cid
    own = own_categories(store)
    cid = rules.own_category_id(clean, set(category_ids(store)))
    set_setting(store, OWN_CATEGORIES, [{"id": k, "label": v} for k, v in own.items()] + [{"id": cid, "label": clean}])
    return cid


# -- changes ---------------------------------------------------------------------------------------------

def create(
    store: Store,
    author: int,
    *,
    title: str,
    text: str,
    kind: str,
    category: str,
    review: str,
    template: str | None = None,
    now: datetime | None = None,
) -> Agreement:
    """Save a new Draft agreement and return it (with its id)."""
    when = _now(store, now)
    probe = rules.create(0, author, when, title=title, text=text, kind=kind, category=category,
                         review=review, template=template)
    table = store.table(TABLE)
    doc_id = table.insert(_to_doc(probe))
    return get(store, doc_id)


def edit(store: Store, agreement_id: int, author: int, *, now: datetime | None = None, **changes: str) -> Agreement:
    """Save a change (title, text, kind, category, review) as a new version; see rules.edit."""
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.edit(a, author, when, **changes), when)


def propose(store: Store, agreement_id: int, by: int, *, now: datetime | None = None) -> Agreement:
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.propose(a, by, when))


def confirm(store: Store, agreement_id: int, who: int, *, now: datetime | None = None) -> Agreement:
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.confirm(a, who, when), when)


def say_yes(store: Store, agreement_id: int, who: int, *, now: datetime | None = None) -> Agreement:
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.say_yes(a, who, when), when)


def retire(store: Store, agreement_id: int, *, now: datetime | None = None) -> Agreement:
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.retire(a, when))


def restore(store: Store, agreement_id: int, *, now: datetime | None = None) -> Agreement:
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.restore(a, when), when)


def review(store: Store, agreement_id: int, *, now: datetime | None = None) -> Agreement:
    """"Reviewed, still good": moves the next review date on."""
    when = _now(store, now)
    return _apply(store, agreement_id, lambda a: rules.mark_reviewed(a, when), when)


def delete(store: Store, agreement_id: int) -> None:
    """Gone for good, with its versions and any unsaved editor drafts."""
    store.table(TABLE).remove(doc_ids=[agreement_id])
    clear_editor_draft(store, agreement_id)
    if peek(store, SEEN_TABLE):
        store.table(SEEN_TABLE).remove(Query().agreement == agreement_id)


# -- the editor's drafts ------------------------------------------------------------------------------------
# Shared (not private) text, so the keys name the place only: agreement:<id|new>:<field>.

def draft_key(agreement_id: int | None, part: str) -> str:
    return f"agreement:{'new' if agreement_id is None else agreement_id}:{part}"


def save_editor_meta(store: Store, agreement_id: int | None, meta: dict[str, Any]) -> None:
    """Remember the editor's choices (category, kind, review, writer, template) with the draft."""
    save_draft(store, draft_key(agreement_id, "meta"), json.dumps(meta, sort_keys=True))


def save_title_draft(store: Store, agreement_id: int | None, title: str) -> None:
    save_draft(store, draft_key(agreement_id, "title"), title)


def editor_draft(store: Store, agreement_id: int | None) -> dict[str, Any] | None:
    """{"title": str|None, "text": str|None, "meta": dict} if anything was left unsaved, else None."""
    title = load_draft(store, draft_key(agreement_id, "title"))
    text = load_draft(store, draft_key(agreement_id, "text"))
    raw_meta = load_draft(store, draft_key(agreement_id, "meta"))
    try:
        meta = json.loads(raw_meta) if raw_meta else {}
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    if title is None and text is None and not meta:
        return None
    return {"title": title, "text": text, "meta": meta}


def clear_editor_draft(store: Store, agreement_id: int | None) -> None:
    for part in ("title", "text", "meta"):
        clear_draft(store, draft_key(agreement_id, part))


# -- what other features use ----------------------------------------------------------------------------------

def _names(store: Store) -> tuple[str, str]:
    couple = load_couple(store)
    return (couple[0].name, couple[1].name) if couple else ("Partner 1", "Partner 2")


def _public(a: Agreement, own: dict[str, str]) -> dict[str, Any]:
    """A fresh plain dict, safe for any screen to keep or change."""
    return {
        "id": a.id,
        "title": a.title,
        "text": a.text,
        "kind": a.kind,
        "category": a.category,
        "category_label": rules.category_label(a.category, own),
        "review": a.review,
        "status": a.status.value,
        "consent": list(a.consent),
        "next_review": a.next_review.isoformat() if a.next_review else None,
        "updated": stamp(a.updated),
    }


def current_in_category(store: Store, category: str) -> list[dict[str, Any]]:
    """Agreed, current agreements of one category (the pause screen shows the conflict ones)."""
    own = own_categories(store)
    return [
        _public(a, own)
        for a in list_agreements(store)
        if a.category == category and a.status is Status.AGREED
    ]


def due_reviews(store: Store, now: datetime, *, keep: bool = True) -> list[dict[str, Any]]:
    """Agreed agreements whose review date has come, oldest first; each dict as in
    current_in_category plus "days_overdue" (used by the weekly reflection). `keep`: as in list_agreements."""
    own = own_categories(store)
    due = [a for a in list_agreements(store, keep=keep) if rules.is_due(a, now)]
    due.sort(key=lambda a: (a.next_review or now.date(), a.title.casefold()))
    return [{**_public(a, own), "days_overdue": rules.days_overdue(a, now)} for a in due]


def apart_edit_notice(store: Store, a: Agreement) -> str | None:
    """"You both changed “…” while apart…" while that is still to say at this computer: both of
    you changed it while apart (rules.apart_edit), it is not agreed again, and nobody here has
    looked at its versions since."""
    name = rules.apart_edit(a)
    if name is None or _seen(store).get(a.id) == name:
        return None
    return rules.apart_edit_words(a)


def _seen(store: Store) -> dict[int, str]:
    """agreement id → the apart_edit name seen here (read without keeping it: home asks often)."""
    found = {}
    for doc in (peek(store, SEEN_TABLE) or {}).values():
        if isinstance(doc, dict) and isinstance(doc.get("agreement"), int) and isinstance(doc.get("seen"), str):
            found[doc["agreement"]] = doc["seen"]
    return found


def mark_apart_edit_seen(store: Store, agreement_id: int) -> None:
    """Someone here looked at the versions: the note has done its work at this computer."""
    if not exists(store, agreement_id):
        return
    name = rules.apart_edit(get(store, agreement_id))
    if name is None:
        return
    if _seen(store).get(agreement_id) == name:
        return
    store.table(SEEN_TABLE).upsert({"agreement": agreement_id, "seen": name}, Query().agreement == agreement_id)


def apart_edit_lines(store: Store, found: list[Agreement] | None = None) -> list[str]:
    """Home's notes for agreements both of you changed while apart, not yet looked at here
    (`found`: the current agreements, when the caller has listed them already)."""
    if found is None:  # on a partner's own computer home lists nothing else here: only what may need it
        raw = peek(store, TABLE) or {}
        found = [_from_doc(doc, int(key)) for key, doc in list(raw.items())
                 if isinstance(doc, dict) and doc.get("status") != Status.AGREED.value and not doc.get("retired_at")]
    lines = []
    for a in found:
        notice = apart_edit_notice(store, a)
        if notice:
            lines.append(notice[:-1] + " (press 3).")
    return lines


def due_items(store: Store, now: datetime) -> list[str]:
    """Lines for home's "What's due": reviews that have come, then yeses still missing."""
    lines = [f"Time to look again at “{d['title']}” together (press 3)." for d in due_reviews(store, now, keep=False)]
    return lines + waiting_lines(store)


def waiting_lines(store: Store) -> list[str]:
    """Agreements still waiting for a yes, at one keyboard (home and the reflection's "What is
    due" step both say so; on one partner's own computer the two-homes lines say it instead),
    after the notes of agreements both of you changed while apart (at either kind of computer)."""
    from .sync_watch import this_partner

    if this_partner(store) is not None:
        return apart_edit_lines(store)
    found = list_agreements(store, keep=False)
    lines: list[str] = apart_edit_lines(store, found)
    names = _names(store)
    for a in found:
        if a.status is Status.PROPOSED and len(a.waiting_for) == 1:
            other = a.waiting_for[0]
            lines.append(f"“{a.title}” is waiting for {names[other]}'s yes (press 3).")
        elif a.status is Status.PROPOSED and a.waiting_for:  # new wording: both are asked again
            lines.append(f"“{a.title}” has new wording and is waiting for both your yeses (press 3).")
    return lines


# -- Markdown ---------------------------------------------------------------------------------------------------

def _md_escape_line(line: str) -> str:
    return "\\" + line if line.lstrip().startswith("#") else line


def _md_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _md_status(a: Agreement, names: tuple[str, str], day: date | None = None) -> str:
    if a.status is Status.AGREED:
        return f"Agreed by {names[0]} and {names[1]}" + (f" on {_md_date(day)}" if day else "")
    if a.status is Status.PROPOSED:
        yes = [names[i] for i in (0, 1) if a.consent[i]]
        waiting = [names[i] for i in a.waiting_for]
        said = f"{' and '.join(yes)} said yes" if yes else "nobody has said yes yet"
        return f"Proposed: {said}; waiting for {' and '.join(waiting)}"
    return "Draft, not yet proposed"


def _groups_markdown(store: Store, groups: list[tuple[str, str, list[Agreement]]], heading: str) -> str:
    """One '## heading' with each agreement of `groups` by category. Empty if there are none."""
    if not groups:
        return ""
    names = _names(store)
    out = [f"## {heading}", ""]
    for _cid, label, items in groups:
        out += [f"### {label}", ""]
        for a in items:
            out += [f"#### {_md_escape_line(a.title)}", ""]
            agreed = shown_day(store, a.agreed_at, a.agreed_home) if a.agreed_at else None
            facts = [_md_status(a, names, agreed) if not a.retired_at
                     else f"Retired on {_md_date(shown_day(store, a.retired_at, a.retired_home))}",
                     rules.KINDS.get(a.kind, a.kind)]
            if a.review != "none" and not a.retired_at:
                facts.append(rules.RHYTHM_LABELS[a.review].lower())
            if a.next_review and a.status is Status.AGREED and not a.retired_at:
                facts.append(f"next review {_md_date(a.next_review)}")
            out += ["*" + " · ".join(facts) + "*", ""]
            if a.text:
                # two trailing spaces keep each line its own line when the Markdown is rendered
                out += [_md_escape_line(line) + "  " if line else "" for line in a.text.split("\n")]
                out.append("")
    return "\n".join(out).rstrip() + "\n"


def markdown(store: Store) -> str:
    """"## Agreements": every current agreement by category, ready to print. Empty if none."""
    return _groups_markdown(store, by_category(store), "Agreements")


def full_markdown(store: Store) -> str:
    """For the whole-database export: the current agreements, then the retired archive."""
    parts = [markdown(store), _groups_markdown(store, by_category(store, retired=True), "Retired agreements")]
    return "\n".join(p for p in parts if p)


def markdown_document(store: Store, now: datetime | None = None) -> str:
    """A whole printable file: a heading with both names and the date, then markdown()."""
    names = _names(store)
    when = _now(store, now)
    body = markdown(store) or "## Agreements\n\nNo agreements yet.\n"
    return f"# Our agreements: {names[0]} & {names[1]}\n\nWritten down on {_md_date(when.date())}.\n\n{body}"


def write_markdown_file(store: Store, folders: list[Path], now: datetime | None = None) -> Path:
    """Write markdown_document() to a new file in the first folder that takes it; returns the path.

    Never overwrites: a second export on the same day gets "-2", and so on.
    """
    when = _now(store, now)
    text = markdown_document(store, when)
    last_error: OSError | None = None
    for folder in folders:
        base = f"hearth-agreements-{when.date().isoformat()}"
        for n in range(1, 1000):
            path = folder / (f"{base}.md" if n == 1 else f"{base}-{n}.md")
            try:
                # 0600 like the database: the couple's agreements are theirs alone
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE)
                with open(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                return path
            except FileExistsError:
                continue
            except OSError as exc:
                last_error = exc
                break
    raise last_error or OSError("no folder could take the file")

