"""Weekly reflections in the database: one document per ISO week, sharded by ISO year.

Table `reflections_<iso_year>` holds that year's weeks (at most 53), so saving a step only
re-serializes one small table. A reflection is saved after every step and every private turn,
so it can be left at any point and resumed where it stopped.
"""

from __future__ import annotations

import weakref
from datetime import datetime
from pathlib import Path
from typing import Any, ContextManager

from tinydb import Query

from ..core import reflection as rules
from ..core.clock import parse_time
from ..core.content import load
from ..core.reflection import IsoWeek, Reflection
from .database import Store
from .peeks import peek, unread
from .export import write_export
from .profile import load_couple
from .reflection_docs import REACHED
from .reflection_docs import from_doc as _from_doc
from .reflection_docs import furthest as _furthest

PREFIX = "reflections_"


def _table(store: Store, iso_year: int):
    return store.table(f"{PREFIX}{iso_year}")


def _year_tables(store: Store) -> list[str]:
    return sorted(n for n in store.db.tables() if n.startswith(PREFIX) and n[len(PREFIX):].isdigit())


# -- content ------------------------------------------------------------------------------------
def statements() -> list[dict[str, str]]:
    """The rated statements: id, text, and a short label for narrow places."""
    out = []
    for s in load("reflection").get("statements", []):
        text = str(s.get("text", ""))
        out.append({"id": str(s["id"]), "text": text, "short": str(s.get("short") or text)})
    return out


def statement_ids() -> list[str]:
    return [s["id"] for s in statements()]


# -- reading and writing ---------------------------------------------------------------------------
#: At two homes, each notes the furthest step the week reached there, under its own id (a key
#: no other home writes): REACHED, in tui.store.reflection_docs. The week's one `step` is set at
#: both homes: a step taken at one could lose to the other's "go on" made at the same time, and
#: the week would go back a step at both while the screen that took it showed it taken. A week
#: is never behind what a home reached.


def get(store: Store, week: IsoWeek) -> Reflection | None:
    """That week's reflection (a fresh copy), or None."""
    return _from_doc(_table(store, week.year).get(Query().week == week.key))


def _peek(store: Store, week: IsoWeek) -> Reflection | None:
    """get(), for home's due lines on every visit: the year's table is read without being kept in
    memory if nothing else has read it yet (a year of reflections is about 0.25 MiB)."""
    table = peek(store, f"{PREFIX}{week.year}") or {}
    return _from_doc(next((d for d in list(table.values()) if isinstance(d, dict) and d.get("week") == week.key), None))


def save(store: Store, r: Reflection) -> Reflection:
    doc = r.to_dict()
    home = _home_id(store)
    if home and r.step in r.steps:
        old = _table(store, r.week.year).get(Query().week == r.week.key) or {}
        reached = dict(old.get(REACHED) or {}) if isinstance(old.get(REACHED), dict) else {}
        before = reached.get(home)
        if before not in r.steps or r.steps.index(before) < r.steps.index(r.step):
            doc[REACHED] = {**reached, home: r.step}
    _table(store, r.week.year).upsert(doc, Query().week == r.week.key)
    return r


def _home_id(store: Store) -> str | None:
    """This computer's id at the linked folder, or None when it is not linked."""
    from .sync_watch import link_doc

    doc = link_doc(store)
    home = doc.get("home") if doc else None
    return home if isinstance(home, str) and home else None


def held(store: Store) -> ContextManager[Any]:
    """Hold off the other home's merge while a screen reads a week again, changes it and saves
    it, so nothing that comes in meanwhile is written over (the merge writes under this lock)."""
    return store.storage.mutex


def start(store: Store, week: IsoWeek, mode: str, now: datetime) -> Reflection:
    """The week's reflection, begun now if there is none yet (an existing one keeps its mode)."""
    found = get(store, week)
    if found is not None:
        return found
    return save(store, rules.new_reflection(week, mode, now))


def delete(store: Store, week: IsoWeek) -> None:
    _table(store, week.year).remove(Query().week == week.key)


def all_reflections(store: Store, *, keep: bool = True) -> list[Reflection]:
    """Every stored week, oldest first. keep=False (the export, once): each year is parsed from
    the file and let go of, not kept as the store's table beside the copy made here."""
    found: list[Reflection] = []
    for name in _year_tables(store):
        docs = store.table(name).all() if keep else (peek(store, name) or {}).values()
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            try:
                found.append(Reflection.from_dict(dict(doc)))
            except (KeyError, TypeError, ValueError):
                continue
    return sorted(found, key=lambda r: r.week)


def items_to_review(store: Store, week: IsoWeek) -> tuple[IsoWeek, list[rules.ActionItem]] | None:
    return rules.items_to_review(all_reflections(store), week)


def weeks_in_a_row(store: Store, now: datetime) -> int:
    """The run of finished weeks, read a year at a time back from this one, only as far back as
    the run goes. Building every past week's Reflection (a deep copy each) to count it, twice
    per open of the reflection screen, took 0.3-0.45 s at twenty years.

    `now` is this computer's clock: at two homes the week is the couple's (tui.store.couple_time),
    the one the weeks were saved under, so a clock hours off or a home in another time zone on a
    Monday morning neither breaks the run nor counts next week already (by couple calendar:
    weeks are kept by key, not by time, so nothing stored needs putting right)."""
    from .couple_time import couple_now

    today = IsoWeek.of(couple_now(store, now))
    done: set[IsoWeek] = set()
    week: IsoWeek | None = None  # the next week back to look for (rules.weeks_in_a_row's walk)
    count = 0
    for name in reversed(_year_tables(store)):
        year = int(name[len(PREFIX):])
        if year > today.year:
            continue
        done |= _done_weeks(store, name)
        if week is None:
            week = today if today in done else today.previous()
        while week in done:  # the walk goes on from where the newer years left it, never again
            count += 1       # from today: counted afresh for each year, twenty years took 0.1 s
            week = week.previous()
        if week.year >= year:  # the run stops inside the years read: older ones cannot add to it
            return count
    return count


#: Per open store, the done weeks of each year table still as in the file: such a table never
#: changes (a change makes it read, see peeks.unread), and twenty years of weekly reflections
#: were parsed again on every open of the reflection screen to count the run (100-130 ms).
_DONE_AS_IN_FILE: "weakref.WeakKeyDictionary[object, dict[str, frozenset[IsoWeek]]]" = weakref.WeakKeyDictionary()


def _done_weeks(store: Store, table: str) -> frozenset[IsoWeek]:
    """The weeks of one year's table whose reflection is done, read straight from the documents."""
    storage = getattr(store, "storage", None)
    if storage is None or table not in unread(store):
        return _read_done_weeks(store, table)
    known = _DONE_AS_IN_FILE.setdefault(storage, {})
    if table not in known:
        known[table] = _read_done_weeks(store, table)
    return known[table]


def _read_done_weeks(store: Store, table: str) -> frozenset[IsoWeek]:
    found: set[IsoWeek] = set()
    for doc in list((store.storage.peek(table) or {}).values()):
        if not isinstance(doc, dict) or not doc.get("completed"):
            continue
        try:
            parse_time(doc["completed"])
            found.add(IsoWeek.parse(doc["week"]))
        except (KeyError, TypeError, ValueError):
            continue
    return frozenset(found)


def trends(store: Store) -> rules.Trend:
    return rules.trends(all_reflections(store), statement_ids())


# -- home ----------------------------------------------------------------------------------------
#: Said on home, but nothing to do: `hearth due` leaves it out.
DONE_LINE = "This week's reflection is done."


def _said_by_two_homes(store: Store, current: Reflection) -> bool:
    from .sync_watch import this_partner

    return this_partner(store) is not None and bool(getattr(current, "apart", None))


def due_items(store: Store, now: datetime) -> list[str]:
    """Whether this week's reflection is done, and a half-done one from last week."""
    this = IsoWeek.of(now)
    current = _peek(store, this)
    if current is not None and current.done:
        lines = [DONE_LINE]
    elif current is not None and _said_by_two_homes(store, current):
        lines = []  # home's two-homes lines say whose part is in (tui/store/apart_reflection.py)
    elif current is not None:
        lines = ["This week's reflection is under way; pick it up where you left off (press 4)."]
    else:
        lines = ["This week's reflection is not done yet (press 4)."]
    last = _peek(store, this.previous())
    if last is not None and not last.done:
        lines.append("Last week's reflection is half done and can still be finished (press 4).")
    return lines


# -- Markdown --------------------------------------------------------------------------------------
def _names(store: Store) -> dict[str, str]:
    couple = load_couple(store)
    a, b = (couple[0].name, couple[1].name) if couple else ("Partner 1", "Partner 2")
    return {"p0": a, "p1": b, "both": "both"}


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _reflection_markdown(r: Reflection, names: dict[str, str], level: int, store: Store | None = None) -> str:
    """One week as Markdown. With `store` (always, but for tests of the words), the day it was
    finished is the couple's day (tui.store.couple_time): finished at the other home, in another
    time zone or on a clock that runs fast, it is still the day both homes name."""
    h = "#" * level
    sub = "#" * (level + 1)
    kind = "Two-minute check-in" if r.mode == rules.QUICK else "Weekly reflection"
    if r.completed and store is not None:
        from .couple_time import couple_day

        state = f"finished {couple_day(store, r.completed, store.clock.now()).isoformat()}"
    else:
        state = f"finished {r.completed.date().isoformat()}" if r.completed else "not finished"
    out = [f"{h} {r.week.title}", "", f"{kind}, {state}.", ""]
    shown = rules.shown_to_both(r)
    if r.appreciations and "appreciations" in shown:
        out += [f"{sub} Appreciations", ""]
        for p in rules.PARTNERS:
            for text in r.appreciations.get(p, []):
                out.append(f"- {names[p]}: {' '.join(text.split())}")
        out.append("")
    if r.ratings and "ratings" in shown:
        sts = statements()
        ids = [s["id"] for s in sts]
        sc = rules.scores(r, ids)
        apart = set(rules.differences(r, ids))
        out += [f"{sub} Ratings (1 to 5)", "", f"| Statement | {_cell(names['p0'])} | {_cell(names['p1'])} | |",
                "|---|---|---|---|"]
        for s in sts:
            a = r.ratings.get("p0", {}).get(s["id"])
            b = r.ratings.get("p1", {}).get(s["id"])
            note = "seen differently" if s["id"] in apart else ""
            out.append(f"| {_cell(s['text'])} | {a if a else '–'} | {b if b else '–'} | {note} |")
        out += ["", f"Overall: {names['p0']} {rules.score_text(sc.overall['p0'])}, "
                f"{names['p1']} {rules.score_text(sc.overall['p1'])}, together {rules.score_text(sc.overall['both'])}.", ""]
    if r.words:
        prompts = load("reflection").get("words_prompts", {})
        out += [f"{sub} The week in words", ""]
        for prompt, who in rules.WORD_FIELDS:
            text = r.words.get(rules.word_key(prompt, who))
            if text:
                whose = names[who] if who else "Together"
                out += [f"**{prompts.get(prompt, prompt)}** ({whose})", "", text, ""]
    if r.review:
        origin = IsoWeek.parse(r.review_from).label if r.review_from else "last time"
        out += [f"{sub} Action items from {origin}", ""]
        for i in r.review:
            box = "x" if i.status == "done" else " "
            label = {"done": "done", "not_yet": "not yet, carried over", "drop": "dropped"}.get(i.status or "", "")
            out.append(f"- [{box}] {i.text} ({names[i.who]}): {label}")
        out.append("")
    if r.items:
        out += [f"{sub} For the week after", ""]
        for i in r.items:
            carried = f", carried over from {IsoWeek.parse(i.carried_from).label}" if i.carried_from else ""
            out.append(f"- [ ] {i.text} ({names[i.who]}{carried})")
        out.append("")
    from ..core.reflection_extras import markdown_lines  # the optional steps (most weeks have none)

    out += markdown_lines(r, names, sub)
    if r.close:
        out += [f"{sub} To close", "", r.close, ""]
    return "\n".join(out).rstrip() + "\n"


def week_markdown(store: Store, week: IsoWeek, *, level: int = 1) -> str:
    """One week as Markdown (a whole document at level 1), or '' if there is none."""
    r = get(store, week)
    return _reflection_markdown(r, _names(store), level, store) if r else ""


def _weeks_markdown(store: Store, level: int) -> str:
    names = _names(store)
    return "\n".join(_reflection_markdown(r, names, level, store) for r in reversed(all_reflections(store, keep=False)))


def markdown(store: Store) -> str:
    """All weeks, newest first, as a '## Weekly reflections' section."""
    weeks = _weeks_markdown(store, 3)
    return f"## Weekly reflections\n\n{weeks}" if weeks else ""


def export_week(store: Store, week: IsoWeek) -> Path:
    return write_export(store, week_markdown(store, week), f"reflection-{week.key}.md")


def export_all(store: Store, now: datetime) -> Path:
    couple = load_couple(store)
    who = f"{couple[0].name} & {couple[1].name}" if couple else "Hearth"
    text = f"# Weekly reflections: {who}\n\n" + _weeks_markdown(store, 2)
    return write_export(store, text, f"reflections-{now.date().isoformat()}.md")
