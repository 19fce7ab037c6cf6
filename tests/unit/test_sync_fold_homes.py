"""Two homes, a save on screen in the moment of a merge that brings in the other's change to the
same week: the whole way, through the database, the folder and back (tests/unit/test_sync_fold.py
has the fold itself, for any lists). The merge is held with events, never with time."""

from __future__ import annotations

from tui.core.reflection import ActionItem, IsoWeek
from tui.store import agreements as ag
from tui.store import reflections

from tests.unit.test_sync_save_mid_merge import Held, homes, made_at_once  # noqa: F401  (homes: a fixture)


def this_week(store):
    week = IsoWeek.of(store.clock.now())
    return week, reflections.start(store, week, "full", store.clock.now())


def changed(store, week, change):
    r = reflections.get(store, week)
    change(r)
    return reflections.save(store, r)


def test_closing_words_typed_at_both_homes_at_once_are_both_kept(homes, monkeypatch):
    """Sam's closing words are coming in while Ana types hers: both stay, at both homes.
    (Before, Ana's were kept and Sam's were gone, from both computers.)"""
    week, _ = this_week(homes.a)
    homes.settle()
    changed(homes.b, week, lambda r: setattr(r, "close", "Sam: we laughed a lot."))
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch):
        assert made_at_once(lambda: changed(homes.a, week, lambda r: setattr(r, "close", "Ana: a gentle week.")))
    homes.settle()
    for store in (homes.a, homes.b):
        assert reflections.get(store, week).close == "Sam: we laughed a lot.\n\nAna: a gentle week."


def test_an_action_item_removed_here_while_one_comes_in_keeps_the_new_one(homes, monkeypatch):
    """Ana removes an action item in the moment Sam's new one comes in: hers is gone, his stays.
    (Before, the list as Ana left it replaced the list, and Sam's item was lost.)"""
    week, _ = this_week(homes.a)
    changed(homes.a, week, lambda r: r.items.extend([ActionItem("Walk", "both"), ActionItem("Call mum", "p0")]))
    homes.settle()
    changed(homes.b, week, lambda r: r.items.append(ActionItem("Cook together", "p1")))
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch):
        assert made_at_once(lambda: changed(homes.a, week, lambda r: r.items.pop(0)))
    homes.settle()
    for store in (homes.a, homes.b):
        assert [i.text for i in reflections.get(store, week).items] == ["Call mum", "Cook together"]


def test_an_agreement_edited_at_both_homes_at_once_keeps_both_wordings(homes, monkeypatch):
    """As when both edit it apart: both wordings are versions, the newest is shown, and it is
    Proposed again at both homes."""
    a = ag.create(homes.a, 0, title="Phones", text="Phones away at dinner.", kind="want", category="conflict",
                  review="none")
    ag.propose(homes.a, a.id, 0)
    homes.settle()
    ag.confirm(homes.b, a.id, 1)
    homes.settle()
    homes.clock.advance(minutes=5)
    ag.edit(homes.b, a.id, 1, text="Sam's wording.")
    homes.merge(homes.b)
    homes.ship()
    with Held(homes, monkeypatch):
        assert made_at_once(lambda: ag.edit(homes.a, a.id, 0, text="Ana's wording."))
    homes.settle()
    mine, theirs = ag.get(homes.a, a.id), ag.get(homes.b, a.id)
    assert mine == theirs
    assert [v.text for v in mine.versions][-2:] == ["Sam's wording.", "Ana's wording."]
    assert mine.text == "Ana's wording." and mine.status.value == "proposed" and mine.consent == (False, False)
