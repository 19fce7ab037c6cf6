"""A computer that unlinks and links again to its couple's folder: what it did while unlinked,
and what the other home did meanwhile, both hold; its old files leave the folder, so the other
home is never left reading a home that no longer writes."""

from __future__ import annotations

import pytest

from tui.store import agreements as ag
from tui.store import sync, sync_files
from tui.store.profile import set_setting, setting

from tests.two_homes import make_two_homes


@pytest.fixture
def homes(tmp_path, clock):
    found = make_two_homes(tmp_path, clock)
    yield found
    found.close()


def new_agreement(store, who=0, title="Phones away at dinner"):
    a = ag.create(store, who, title=title, text="We put our phones in the basket at dinner.",
                  kind="want", category="conflict", review="none")
    return ag.propose(store, a.id, who)


def homes_in(folder) -> set[str]:
    return {c.home for c in sync_files.listing(folder)}


def test_changes_at_both_homes_while_one_was_unlinked_all_hold(homes):
    set_setting(homes.a, "first_word", "soft")
    set_setting(homes.a, "second_word", "dark")
    kept = new_agreement(homes.a, title="Kept")
    gone = new_agreement(homes.a, title="Gone")
    homes.settle()
    sync.unlink(homes.b)
    set_setting(homes.a, "first_word", "loud")  # Ana, while Sam's computer is unlinked
    made = new_agreement(homes.a, title="Made at Ana's meanwhile")
    homes.settle()
    set_setting(homes.b, "second_word", "light")  # Sam, at his unlinked computer
    ag.edit(homes.b, kept.id, 1, title="Kept, in Sam's words")
    ag.delete(homes.b, gone.id)
    sync.link(homes.b, homes.folder_b, 1, homes.clock.now())
    homes.settle()
    for store in (homes.a, homes.b):
        assert setting(store, "first_word", None) == "loud" and setting(store, "second_word", None) == "light"
        titles = {a.title for a in ag.list_agreements(store)}
        assert titles == {"Kept, in Sam's words", "Made at Ana's meanwhile"}, titles


def test_linking_again_goes_on_as_the_same_home_so_no_files_are_left_of_an_old_one(homes):
    set_setting(homes.b, "a_word", "light")
    homes.settle()
    old = sync.link_of(homes.b).home
    sync.unlink(homes.b)
    assert old in homes_in(homes.folder_b)  # unlinking leaves the folder as it is
    set_setting(homes.b, "a_word", "dark")
    sync.link(homes.b, homes.folder_b, 1, homes.clock.now())
    assert sync.link_of(homes.b).home == old
    assert homes_in(homes.folder_b) == {old, sync.link_of(homes.a).home}
    homes.settle()
    assert setting(homes.a, "a_word", None) == "dark"


def test_linking_to_a_fresh_folder_starts_a_new_home(homes, tmp_path):
    old = sync.link_of(homes.b).home
    sync.unlink(homes.b)
    fresh = tmp_path / "fresh"
    sync.link(homes.b, fresh, 1, homes.clock.now())
    assert sync.link_of(homes.b).home != old and homes_in(fresh) == {sync.link_of(homes.b).home}


def test_linking_again_after_the_other_home_turned_encryption_on(tmp_path, clock):
    """The README's way to encrypt two homes: encrypt one, then unlink and link the other again
    with a passphrase. It goes on as the same home, now encrypted, and nothing is lost. (Which of
    two unrelated writes wins depends on random ids: eight tries make a loss all but sure to show.)"""
    for n in range(8):
        homes = make_two_homes(tmp_path / str(n), clock)
        try:
            encrypt_and_link_again(homes)
        finally:
            homes.close()


def encrypt_and_link_again(homes) -> None:
    from tests.unit.test_crypto import CHEAP

    set_setting(homes.b, "a_word", "light")
    homes.settle()
    homes.a.encrypt({"partner-1": "ana's long phrase", "partner-2": "sam's long phrase"}, recovery=False, cost=CHEAP)
    homes.settle()
    for keys in homes.folder_a.glob("*.keys.json"):  # the folder sync carries Ana's wrapped key too
        (homes.folder_b / keys.name).write_bytes(keys.read_bytes())
    old = sync.link_of(homes.b).home
    sync.unlink(homes.b)
    set_setting(homes.b, "a_word", "dark")
    sync.link(homes.b, homes.folder_b, 1, homes.clock.now(), passphrase="sam's long phrase")
    assert homes.b.encrypted and sync.link_of(homes.b).home == old
    made = new_agreement(homes.a, title="Sealed at Ana's")
    homes.settle()
    assert setting(homes.a, "a_word", None) == "dark"
    assert ag.get(homes.b, made.id).title == "Sealed at Ana's"
    for store, folder in ((homes.a, homes.folder_a), (homes.b, homes.folder_b)):  # each writes only sealed files
        own = [c for c in sync_files.listing(folder) if c.home == sync.link_of(store).home]
        latest = [c.path for c in own if c.gen == max(o.gen for o in own)]  # (older ones came back by copy)
        assert latest and all(b"a_word" not in p.read_bytes() for p in latest)


def test_agreements_made_at_both_homes_while_one_was_unlinked_never_share_an_id(homes, tmp_path, clock):
    """New documents keep this home's ids apart from the other's while unlinked too (and after
    a restart while unlinked), so two agreements made meanwhile never become one."""
    from tui.store import Store

    from tui.store import sync_watch

    new_agreement(homes.a, title="First")
    homes.settle()
    slot = sync_watch.link_doc(homes.b)["slot"]
    sync.unlink(homes.b)
    path = homes.b.path
    homes.b.close()
    homes.b = Store.open(path, clock=clock, background=False)  # a restart while unlinked
    new_agreement(homes.b, who=1, title="Made at Sam's while unlinked")
    made_b = new_agreement(homes.b, who=1, title="And another")
    made_a = new_agreement(homes.a, title="Made at Ana's meanwhile")
    assert made_b.id % sync_watch.ID_STRIDE == slot % sync_watch.ID_STRIDE  # Sam's ids, as when linked
    assert made_a.id != made_b.id
    sync.link(homes.b, homes.folder_b, 1, homes.clock.now())
    homes.settle()
    for store in (homes.a, homes.b):
        titles = sorted(a.title for a in ag.list_agreements(store))
        assert titles == ["And another", "First", "Made at Ana's meanwhile", "Made at Sam's while unlinked"], titles
