"""A change made here while a merge is under way, folded over what came in (`Core.put_over`):
three ways, for any document as it was (`before`), as this home made it (`here`) and as the
other home's changes left it (`there`).

Two homes are two CRDTs in this process: the other's change is applied here as a merge applies
it, the fold is made, and what it wrote goes back to the other home. Both must then read the
same, and nothing either home added, or typed, may be missing; nothing removed may be back."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.store.sync_core import Core, both_words
from tui.store.sync_json import same

TABLE = "reflections_2026"
KEY = "2026-W10"


class Homes:
    """Here and there, each with its CRDT, both holding `before`."""

    def __init__(self, before: dict, table: str = TABLE, key: str = KEY) -> None:
        self.table, self.key = table, key
        self.here, self.there = Core(), Core()
        self.here.put(table, [(key, before)], None)
        self._ship(self.here, self.there)

    @staticmethod
    def _ship(src: Core, dst: Core) -> None:
        dst.doc.apply_update(src.doc.get_update(dst.doc.get_state()))
        dst._rebuild_index()

    def fold(self, before: dict, here: dict, there: dict, back: bool = True) -> tuple[dict, dict]:
        """The other home saves `there` and it comes in here; this home's `here`, made from
        `before` meanwhile, is folded over it; the result goes back (`back`). (here, there) as read."""
        self.there.put(self.table, [(self.key, there)], None)
        self._ship(self.there, self.here)
        [(_, _, got)] = self.here.put_over(self.table, [(self.key, here, before)])
        if back:
            self._ship(self.here, self.there)
        mine, theirs = self.here.read_doc(self.table, self.key), self.there.read_doc(self.table, self.key)
        assert same(got, mine)
        return mine, theirs


def week(**fields) -> dict:
    return {"week": KEY, "step": "close", "close": "", "appreciations": {"p0": [], "p1": []}, "items": [], **fields}


# -- (a) the same words changed at both homes in the moment of a merge ----------------------------
def test_words_typed_at_both_homes_at_once_are_both_kept():
    """Sam's closing words come in while Ana types hers: both stay, Sam's first, at both homes.
    (Before, the change made here won, and Sam's words were gone from both computers.)"""
    before = week(close="")
    mine, theirs = Homes(before).fold(before, week(close="Ana: a gentle week."), week(close="Sam: we laughed a lot."))
    assert mine == theirs
    assert mine["close"] == "Sam: we laughed a lot.\n\nAna: a gentle week."


def test_a_field_that_is_not_words_is_still_the_one_made_here():
    before = week(step="words")
    mine, theirs = Homes(before).fold(before, week(step="close"), week(step="next_items"))
    assert mine == theirs and mine["step"] == "close"


def test_an_appreciation_both_changed_in_place_keeps_both():
    """The same line of the same list changed at both homes (one keyboard at each): both lines."""
    before = week(appreciations={"p0": ["Thank you for"], "p1": []})
    here = week(appreciations={"p0": ["Thank you for the soup"], "p1": []})
    there = week(appreciations={"p0": ["Thank you for the walk"], "p1": []})
    mine, theirs = Homes(before).fold(before, here, there)
    assert mine == theirs
    assert mine["appreciations"]["p0"] == ["Thank you for the walk", "Thank you for the soup"]


def test_an_action_item_both_reworded_keeps_both_wordings_and_the_status_made_here():
    item = {"text": "Walk on Sunday", "who": "both", "carried_from": None, "status": None}
    before = week(items=[item])
    here = week(items=[{**item, "text": "Walk on Saturday", "status": "done"}])
    there = week(items=[{**item, "text": "Walk on Sunday morning"}])
    mine, theirs = Homes(before).fold(before, here, there)
    assert mine == theirs
    assert mine["items"] == [{**item, "text": "Walk on Sunday morning / Walk on Saturday", "status": "done"}]


def test_words_one_home_typed_on_from_are_not_doubled():
    assert both_words("I liked", "I liked the walk", "I liked the walk and the soup") == "I liked the walk and the soup"
    assert both_words("I liked", "", "I liked it") == "I liked it"  # emptied there, typed here
    assert both_words("I liked", "I liked it", "") == "I liked it"  # emptied here: the words typed there stay
    assert both_words("", "Sam", "Ana", " / ") == "Sam / Ana"


def test_an_agreements_versions_added_at_both_homes_are_all_kept():
    """An agreement edited here in the moment its edit from the other home comes in: both
    wordings are versions (tui.core.agreements.settle then shows the newest and resets consent)."""
    v0 = {"by": 0, "at": "2026-03-01T10:00:00", "title": "Phones", "text": "Base."}
    before = {"title": "Phones", "text": "Base.", "versions": [v0], "status": "agreed", "consent": [True, True]}
    vh = {**v0, "at": "2026-03-02T10:00:00", "text": "Ana's."}
    vt = {**v0, "by": 1, "at": "2026-03-02T10:00:01", "text": "Sam's."}
    here = {**before, "text": "Ana's.", "versions": [v0, vh], "status": "proposed", "consent": [False, False]}
    there = {**before, "text": "Sam's.", "versions": [v0, vt], "status": "proposed", "consent": [False, False]}
    mine, theirs = Homes(before, "agreements", "7").fold(before, here, there)
    assert mine == theirs
    assert [v["text"] for v in mine["versions"]] == ["Base.", "Sam's.", "Ana's."]


# -- (b) lists: what was removed here stays removed, what the other added stays ------------------
def test_an_item_removed_here_while_the_other_added_one_keeps_the_others():
    """Ana removes an action item while Sam's new one comes in: Sam's stays, hers is gone.
    (Before, the list as Ana left it replaced the whole list, and Sam's item was lost.)"""
    a, b = ({"text": t, "who": "both", "carried_from": None, "status": None} for t in ("Walk", "Call mum"))
    sams = {"text": "Cook together", "who": "p1", "carried_from": None, "status": None}
    before = week(items=[a, b])
    mine, theirs = Homes(before).fold(before, week(items=[b]), week(items=[a, b, sams]))
    assert mine == theirs
    assert mine["items"] == [b, sams]


def test_an_item_removed_at_the_other_home_is_not_brought_back_by_a_change_here():
    before = week(appreciations={"p0": ["one", "two", "three"], "p1": []})
    here = week(appreciations={"p0": ["one", "two", "three", "four"], "p1": []})
    there = week(appreciations={"p0": ["one", "three"], "p1": []})
    mine, theirs = Homes(before).fold(before, here, there)
    assert mine == theirs
    assert mine["appreciations"]["p0"] == ["one", "three", "four"]


def test_items_with_ids_are_followed_by_id():
    before = {"labels": [{"id": "own:a", "label": "A"}, {"id": "own:b", "label": "B"}]}
    here = {"labels": [{"id": "own:b", "label": "Bee"}]}
    there = {"labels": [{"id": "own:a", "label": "A"}, {"id": "own:b", "label": "B"}, {"id": "own:c", "label": "C"}]}
    mine, theirs = Homes(before).fold(before, here, there)
    assert mine == theirs
    assert mine["labels"] == [{"id": "own:b", "label": "Bee"}, {"id": "own:c", "label": "C"}]


# -- properties -----------------------------------------------------------------------------------
def edits(prefix: str):
    """What one home does to a list: ("drop", n), ("add", n, item), ("change", n, item)."""
    return st.lists(st.one_of(
        st.tuples(st.just("drop"), st.integers(0, 20)),
        st.tuples(st.just("add"), st.integers(0, 20)),
        st.tuples(st.just("change"), st.integers(0, 20)),
    ), max_size=6).map(lambda ops: [(op[0], op[1], f"{prefix}{i}") for i, op in enumerate(ops)])


def edited(items: list, ops: list, make) -> list:
    out = list(items)
    for op, n, name in ops:
        if op == "add":
            out.insert(n % (len(out) + 1), make(name))
        elif out and op == "drop":
            del out[n % len(out)]
        elif out:
            out[n % len(out)] = make(name)
    return out


BEFORE = st.lists(st.integers(0, 30), unique=True, max_size=8).map(lambda ns: [f"w{n}" for n in ns])


@settings(max_examples=300, deadline=None)
@given(base=BEFORE, mine=edits("h"), theirs=edits("t"))
def test_any_list_of_words_keeps_every_addition_and_every_removal(base, mine, theirs):
    """Lines of an appreciation (strings, each new one unlike any other): after the fold, every
    line added (or changed to) at either home is there once, every line removed at either home
    is gone, both homes read the same, and each home's own order is kept."""
    here, there = edited(base, mine, str), edited(base, theirs, str)
    before = week(appreciations={"p0": base})
    got, other = Homes(before).fold(before, week(appreciations={"p0": here}), week(appreciations={"p0": there}))
    assert got == other
    result = got["appreciations"]["p0"]
    assert len(result) == len(set(result))
    for line in set(here) - set(base) | set(there) - set(base):
        assert line in result
    for line in set(base) - set(here) | set(base) - set(there):
        assert line not in result
    for line in set(base) & set(here) & set(there):
        assert line in result
    for side in (here, there):
        kept = [line for line in side if line in result]
        assert kept == [line for line in result if line in kept]


def item(text: str) -> dict:
    return {"text": text, "who": "both", "carried_from": None, "status": None}


@settings(max_examples=200, deadline=None)
@given(base=BEFORE, mine=edits("h"), theirs=edits("t"), done=st.integers(0, 20))
def test_any_list_of_action_items_keeps_every_word_typed_and_every_removal(base, mine, theirs, done):
    """Action items (objects with no id; one may also be marked done here): every text typed at
    either home is in an item, an item removed at one home and left alone at the other is gone,
    and both homes read the same."""
    start = [item(t) for t in base]
    here, there = edited(start, mine, item), edited(start, theirs, item)
    if here:
        here[done % len(here)] = {**here[done % len(here)], "status": "done"}
    before = week(items=start)
    got, other = Homes(before).fold(copy.deepcopy(before), week(items=here), week(items=there))
    assert got == other
    texts = " | ".join(i["text"] for i in got["items"])
    for typed in {i["text"] for i in here + there} - set(base):
        assert typed in texts
    for gone in start:
        if gone not in here and gone in there or gone not in there and gone in here:
            assert gone not in got["items"]


@settings(max_examples=200, deadline=None)
@given(base=BEFORE, mine=edits("h"), theirs=edits("t"))
def test_any_list_of_objects_with_ids_keeps_every_id_added_and_none_removed(base, mine, theirs):
    """The couple's own categories (objects with an id, in the settings): every id added at
    either home is there once, every id removed at either home is gone unless the other renamed
    it (then it stays, renamed), and both homes read the same."""
    def label(name: str) -> dict:
        return {"id": f"own:{name}", "label": name}

    start = [label(t) for t in base]
    here = edited(start, mine, label)
    there = edited(start, theirs, label)
    if there:  # the other also renames one it keeps
        there[0] = {**there[0], "label": there[0]["label"] + " (renamed)"}
    before = {"labels": start}
    got, other = Homes(before).fold(before, {"labels": here}, {"labels": there})
    assert got == other
    ids = [c["id"] for c in got["labels"]]
    assert len(ids) == len(set(ids))
    was, mine_ids, their_ids = ({c["id"] for c in side} for side in (start, here, there))
    for added in (mine_ids - was) | (their_ids - was):
        assert added in ids
    renamed = {c["id"] for c in there if c not in start}
    for removed in was - mine_ids:
        assert removed not in ids or removed in renamed
    for removed in was - their_ids:
        assert removed not in ids


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 4), mine=st.dictionaries(st.integers(0, 3), st.booleans()),
       theirs=st.dictionaries(st.integers(0, 3), st.booleans()))
def test_a_list_of_places_changes_place_by_place(n, mine, theirs):
    """Who said yes (a list that keeps its length, of no words): each place changed at one home
    only is as it changed there; a place both changed is as changed here."""
    base = [False] * n
    here, there = list(base), list(base)
    for i, v in mine.items():
        if i < n:
            here[i] = v
    for i, v in theirs.items():
        if i < n:
            there[i] = v
    before = {"consent": base}
    got, other = Homes(before, "agreements", "3").fold(before, {"consent": here}, {"consent": there})
    assert got == other
    assert got["consent"] == [h if h != b else t for b, h, t in zip(base, here, there)]


@settings(max_examples=100, deadline=None)
@given(base=BEFORE, mine=edits("h"), theirs=edits("t"), later=edits("u"), close=st.booleans())
def test_homes_converge_when_the_other_changes_it_again_meanwhile(base, mine, theirs, later, close):
    """The other home changes the week again while this fold is made (its change has not come
    in): once each has the other's, both read the same."""
    before = week(appreciations={"p0": base}, close="We")
    here = week(appreciations={"p0": edited(base, mine, str)}, close="We walked" if close else "We")
    there = week(appreciations={"p0": edited(base, theirs, str)}, close="We cooked")
    homes = Homes(before)
    homes.fold(before, here, there, back=False)
    again = week(appreciations={"p0": edited(there["appreciations"]["p0"], later, str)}, close="We cooked, twice")
    homes.there.put(TABLE, [(KEY, again)], None)  # (made before the fold's result arrives there)
    homes._ship(homes.there, homes.here)
    homes._ship(homes.here, homes.there)
    assert homes.here.read_doc(TABLE, KEY) == homes.there.read_doc(TABLE, KEY)


def test_words_removed_here_while_the_other_typed_them_stay():
    """A note emptied (its field removed) here in the moment the other home wrote in it."""
    before = {"cards": [{"key": "c1", "notes": {"1": "I"}}]}
    here = {"cards": [{"key": "c1", "notes": {}}]}
    there = {"cards": [{"key": "c1", "notes": {"1": "I remember the lake"}}]}
    mine, theirs = Homes(before, "rounds_2026", "r1").fold(before, here, there)
    assert mine == theirs and mine["cards"][0]["notes"] == {"1": "I remember the lake"}


def test_the_words_named_are_fields_hearth_writes(store):
    """Each path in WORDS for what the sample couple's data holds is a field found there (a
    name written wrong would leave those words to the change made here). The rest (extra steps,
    talks, a pause under way) are not in the sample."""
    from tui import demo
    from tui.store.sync_json import SEP, flatten
    from tui.store.sync_tables import family
    from tui.store.sync_core import WORDS, words_of

    from tests.conftest import START

    demo.populate(store, demo.DEMO, now=START)
    found: dict[str, set[str]] = {}

    def walk(doc: dict, base: str, into: set[str]) -> None:
        for path, value in flatten(doc).items():
            into.add(base + path)
            for item in value if isinstance(value, list) else []:
                if isinstance(item, dict):
                    walk(item, f"{base}{path}[]{SEP}", into)

    for name in store.db.tables():
        if family(name):
            for doc in store.table(name).all():
                walk(dict(doc), "", found.setdefault(name, set()))
    absent = ("extra/", "late/", "pause/", "cards[]/kept/")
    for name, paths in found.items():
        words = words_of(name, "t" + SEP + "k")
        named = {pattern for pattern in WORDS.get(family(name), {}) if not pattern.startswith(absent)}
        hit = {pattern for pattern in named if any(_matches(pattern, p) for p in paths)}
        assert hit == named, f"{name}: {named - hit} not found"
        assert all(words(f"t{SEP}k{SEP}{p}") is None for p in ("status", "step", "updated") if p in paths)


def _matches(pattern: str, path: str) -> bool:
    import re

    return re.fullmatch(re.escape(pattern).replace(r"\*", "[^/]*"), path.replace("\x1f", "/")) is not None


# -- apart, with no merge under way: a list shortened at one home -----------------------------------
def test_an_item_removed_at_one_home_apart_keeps_what_the_other_changed_and_added():
    """Ana removes an action item while, apart, Sam marks another done and adds one: his mark and
    his item stay, hers is gone, in order. (Before, a list made shorter was taken down whole and
    put back, and Sam's mark on the item that stayed was lost.)"""
    walk, call = item("Walk"), item("Call mum")
    before = week(items=[walk, call])
    homes = Homes(before)
    homes.here.put(TABLE, [(KEY, week(items=[call]))], None)
    homes.there.put(TABLE, [(KEY, week(items=[walk, {**call, "status": "done"}, item("Cook")]))], None)
    homes._ship(homes.there, homes.here)
    homes._ship(homes.here, homes.there)
    mine = homes.here.read_doc(TABLE, KEY)
    assert mine == homes.there.read_doc(TABLE, KEY)
    assert mine["items"] == [{**call, "status": "done"}, item("Cook")]
