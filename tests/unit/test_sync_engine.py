"""Two homes, the store's side: linking, merging through change files, and what goes wrong in a
folder (files late, out of order, cut short, hostile), with a fake clock and seeded shuffles."""

from __future__ import annotations

import json
import os
import random
import stat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.store import Store, sync, sync_files
from tui.store import agreements as ag
from tui.store.profile import load_couple, set_setting, setting
from tui.store.sync import SyncError

from tests.two_homes import make_two_homes


@pytest.fixture(autouse=True, params=["here", "apart"])
def where(request, monkeypatch):
    """Every test twice: the CRDT in this process, and in a child process of its own (as in the
    app). The interleaving property has a test of its own for each (40 examples would start
    120 children)."""
    if request.param == "apart" and getattr(request.function, "hypothesis", None) is not None:
        pytest.skip("each property test says where its CRDT runs")
    monkeypatch.setattr(sync, "APART", request.param == "apart")
    yield request.param
    from tui.store import sync_child

    sync_child.close_all()


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def new_agreement(store, who=0, title="Phones away at dinner"):
    a = ag.create(store, who, title=title, text="We put our phones in the basket at dinner.",
                  kind="want", category="conflict", review="none")
    return ag.propose(store, a.id, who)


def test_the_second_computer_gets_everything_from_the_first(homes):
    assert load_couple(homes.b) is not None and load_couple(homes.b)[0].name == "Ana"
    assert sync.link_of(homes.b).partner == 1 and sync.link_of(homes.a).partner == 0
    assert sync.link_of(homes.a).slot != sync.link_of(homes.b).slot


def test_new_documents_at_two_homes_never_share_an_id(homes):
    one = new_agreement(homes.a, 0, "Dinner")
    two = new_agreement(homes.b, 1, "Weekends")
    assert one.id != two.id
    homes.settle()
    for store in (homes.a, homes.b):
        titles = sorted(a.title for a in ag.list_agreements(store))
        assert titles == ["Dinner", "Weekends"]


def test_a_consent_given_at_the_other_home_makes_it_agreed_on_both(homes):
    a = new_agreement(homes.a)
    homes.settle()
    ag.confirm(homes.b, a.id, 1)
    homes.settle()
    assert ag.get(homes.a, a.id).status.value == "agreed"
    assert ag.get(homes.b, a.id).status.value == "agreed"


def test_an_edit_and_a_yes_made_apart_reset_consent_and_keep_both_versions(homes):
    a = new_agreement(homes.a)
    homes.settle()
    homes.clock.advance(minutes=5)
    ag.edit(homes.a, a.id, 0, text="Phones in the basket at dinner, except on call nights.")
    ag.confirm(homes.b, a.id, 1)  # Sam says yes to the old wording, not having seen the edit
    homes.settle()
    for store in (homes.a, homes.b):
        got = ag.get(store, a.id)
        assert got.status.value == "proposed" and got.consent == (False, False)
        assert got.text.endswith("except on call nights.")
    assert ag.get(homes.a, a.id) == ag.get(homes.b, a.id)


def test_both_editing_one_agreement_offline_keeps_both_texts(homes):
    a = new_agreement(homes.a)
    homes.settle()
    homes.clock.advance(minutes=5)
    ag.edit(homes.a, a.id, 0, text="Ana's wording.")
    ag.edit(homes.b, a.id, 1, text="Sam's wording.")
    homes.settle()
    mine, theirs = ag.get(homes.a, a.id), ag.get(homes.b, a.id)
    assert mine == theirs
    texts = [v.text for v in mine.versions]
    assert "Ana's wording." in texts and "Sam's wording." in texts
    assert mine.text == mine.versions[-1].text and mine.status.value == "proposed"


def test_a_delete_is_not_brought_back_by_an_old_file(homes):
    a = new_agreement(homes.a)
    homes.settle()
    old = {p.name: p.read_bytes() for p in homes.folder_a.glob("*.hsync")}
    ag.delete(homes.a, a.id)
    homes.settle()
    assert not ag.exists(homes.b, a.id)
    for name, raw in old.items():  # a slow sync puts back the files from before the delete
        (homes.folder_b / name).write_bytes(raw)
    homes.merge()
    assert not ag.exists(homes.b, a.id) and not ag.exists(homes.a, a.id)


def test_settings_of_the_couple_travel_and_a_computer_keeps_its_own_theme(homes):
    set_setting(homes.a, "pause_minutes", 30)
    set_setting(homes.a, "theme", "nord")
    set_setting(homes.b, "theme", "gruvbox")
    homes.settle()
    assert setting(homes.b, "pause_minutes") == 30
    assert setting(homes.b, "theme") == "gruvbox" and setting(homes.a, "theme") == "nord"


def test_files_cut_short_damaged_or_hostile_are_named_and_skipped(homes):
    before = homes.b.path.read_bytes()
    good = new_agreement(homes.a)
    sync.sync_now(homes.a, homes.clock.now())
    newest = max(homes.folder_a.glob(f"hearth-{sync.link_of(homes.a).home}-*.hsync"))
    raw = newest.read_bytes()
    (homes.folder_b / newest.name).write_bytes(raw[: len(raw) // 2])  # still arriving
    report = sync.sync_now(homes.b, homes.clock.now())
    assert any(newest.name in p and "cut short" in p for p in report.problems)
    assert not ag.exists(homes.b, good.id)
    name = sync_files.name_for("abcdefabcdef", 1, 0)
    (homes.folder_b / name).write_bytes(b'{"format":"hearth-sync","version":1}\n' + os.urandom(64))
    (homes.folder_b / sync_files.name_for("abcdefabcdef", 1, 1)).write_bytes(b"\x00" * 10)
    report = sync.sync_now(homes.b, homes.clock.now())
    assert any("abcdefabcdef-0001-000000" in p and "another file" in p for p in report.problems)
    assert homes.b.path.read_bytes() != b"" and before != b""
    (homes.folder_b / newest.name).write_bytes(raw)  # the rest arrives
    sync.sync_now(homes.b, homes.clock.now())
    assert ag.exists(homes.b, good.id)


def test_a_valid_update_of_garbage_shape_is_refused_per_document(homes):
    from pycrdt import Doc, Map  # noqa: F401

    doc = Doc()
    root = doc.get("docs", type=Map)
    root["agreements\x1f99"] = "not a document"
    root["agreements\x1f98\x1ftitle"] = "no other field"
    sync_files.write(homes.folder_b, "abcdefabcdef", 1, 0, doc.get_update(), {"slot": 9}, None)
    report = sync.sync_now(homes.b, homes.clock.now())
    assert any("not a document" in p for p in report.problems)
    assert any("(98)" in p and "shape" in p for p in report.problems)
    assert ag.list_agreements(homes.b) == []


def test_files_in_the_folder_are_private(homes):
    new_agreement(homes.a)
    sync.sync_now(homes.a, homes.clock.now())
    for path in homes.folder_a.glob("*.hsync"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(sync.state_path(homes.a).stat().st_mode) == 0o600


def test_change_files_are_compacted(homes, monkeypatch):
    monkeypatch.setattr(sync, "COMPACT_AFTER", 3)
    for i in range(10):
        set_setting(homes.a, "pause_minutes", 20 + i)
        sync.sync_now(homes.a, homes.clock.now())
    mine = [c for c in sync_files.listing(homes.folder_a) if c.home == sync.link_of(homes.a).home]
    assert len(mine) <= 4 and sum(1 for c in mine if c.seq == 0) == 1
    homes.settle()
    assert setting(homes.b, "pause_minutes") == 29


def test_a_missing_folder_is_said_once_and_nothing_changes(homes):
    os.rename(homes.folder_a, homes.folder_a.with_name("away"))
    report = sync.sync_now(homes.a, homes.clock.now())
    assert report.problems and "not there" in report.problems[0]


def test_linking_a_second_hearth_with_its_own_history_is_refused(tmp_path, clock, homes):
    other = Store.open(tmp_path / "c" / "hearth.json", clock=clock, background=False)
    new_agreement(other)
    with pytest.raises(SyncError, match="Nothing was changed"):
        sync.link(other, homes.folder_a, 1, clock.now())
    assert sync.link_of(other) is None
    other.close()


def test_unlink_leaves_the_folder_and_stops_merging(homes):
    sync.unlink(homes.b)
    assert sync.link_of(homes.b) is None and sync.sync_now(homes.b, homes.clock.now()) is None
    assert list(homes.folder_b.glob("*.hsync"))


def test_a_linked_database_reopened_sends_what_changed_before_it_closed(tmp_path, clock):
    homes = make_two_homes(tmp_path, clock)
    path = homes.a.path
    homes.a.close()
    a = Store.open(path, clock=clock, background=False)
    made = new_agreement(a)  # changed, then closed before any merge
    a.close()
    a = Store.open(path, clock=clock, background=False)
    homes.a = a
    homes.settle()
    assert ag.exists(homes.b, made.id)
    homes.close()


def test_a_pause_taken_at_one_home_arrives_at_the_other(homes):
    homes.a.table("pause_active").insert({"caller": 0, "started": homes.clock.now().isoformat(), "minutes": 20})
    homes.settle()
    assert homes.b.table("pause_active").get(doc_id=1)["caller"] == 0


STEPS = st.lists(st.sampled_from(["a", "b", "ship", "merge_a", "merge_b"]), min_size=3, max_size=14)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), steps=STEPS)
def test_any_interleaving_merges_to_the_same_state_on_both(tmp_path_factory, clock, seed, steps):
    interleave(tmp_path_factory, clock, seed, steps)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), steps=STEPS)
def test_any_interleaving_merges_the_same_with_the_crdt_in_a_child(tmp_path_factory, clock, seed, steps):
    """Fewer examples: each starts three child processes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync, "APART", True)
        try:
            interleave(tmp_path_factory, clock, seed, steps)
        finally:
            from tui.store import sync_child

            sync_child.close_all()


def interleave(tmp_path_factory, clock, seed, steps):
    homes = make_two_homes(tmp_path_factory.mktemp("homes"), clock)
    rng = random.Random(seed)
    try:
        made = {"a": [], "b": []}
        for i, step in enumerate(steps):
            if step in ("a", "b"):
                store, who = (homes.a, 0) if step == "a" else (homes.b, 1)
                mine = made[step]
                if mine and rng.random() < 0.5:
                    ag.edit(store, rng.choice(mine), who, text=f"{step} wording {i}")
                else:
                    mine.append(new_agreement(store, who, f"{step} {i}").id)
                set_setting(store, "pause_minutes", 20 + i)
            elif step == "ship":
                homes.ship(rng=rng, share=0.5)
            else:
                sync.sync_now(homes.a if step == "merge_a" else homes.b, clock.now())
        homes.settle(3)
        def state(store):
            return (sorted((a.id, a.title, a.text, a.status.value, a.consent, len(a.versions))
                           for a in ag.list_agreements(store)), setting(store, "pause_minutes"))
        assert state(homes.a) == state(homes.b)
        assert len(state(homes.a)[0]) == len(made["a"]) + len(made["b"])
    finally:
        homes.close()


def test_change_file_header_is_plain_json_with_no_words_when_encrypted(tmp_path, clock):
    from tests.unit.test_crypto import CHEAP

    homes = make_two_homes(tmp_path, clock)
    homes.a.encrypt({"partner-1": "correct horse"}, recovery=False, cost=CHEAP)
    new_agreement(homes.a, 0, "A very private title")
    sync.sync_now(homes.a, clock.now())
    newest = max(homes.folder_a.glob(f"hearth-{sync.link_of(homes.a).home}-*.hsync"))
    raw = newest.read_bytes()
    header = json.loads(raw.partition(b"\n")[0])
    assert header["sealed"] is True and b"very private" not in raw
    assert b"very private" not in sync.state_path(homes.a).read_bytes()
    homes.close()


def test_a_second_computer_takes_the_encrypted_homes_key_with_a_passphrase(tmp_path, clock):
    from tests.unit.test_crypto import CHEAP

    folder_a, folder_b = tmp_path / "fa", tmp_path / "fb"
    a = Store.open(tmp_path / "a" / "h.json", clock=clock, background=False)
    from tui.core.partners import Couple
    from tui.store.profile import save_couple

    save_couple(a, Couple.from_names("Ana", "Sam"))
    a.encrypt({"partner-1": "ana's long phrase", "partner-2": "sam's long phrase"}, recovery=False, cost=CHEAP)
    sync.link(a, folder_a, 0, clock.now())
    made = new_agreement(a, 0, "Sealed title")
    sync.sync_now(a, clock.now())
    folder_b.mkdir()
    for p in folder_a.iterdir():
        (folder_b / p.name).write_bytes(p.read_bytes())
    keys = list(folder_b.glob("*.keys.json"))
    assert keys and b"Sealed" not in keys[0].read_bytes()
    b = Store.open(tmp_path / "b" / "h.json", clock=clock, background=False)
    assert sync.needs_passphrase(b, folder_b)
    with pytest.raises(SyncError, match="needs one of your passphrases"):
        sync.link(b, folder_b, 1, clock.now())
    with pytest.raises(SyncError, match="did not open"):
        sync.link(b, folder_b, 1, clock.now(), passphrase="wrong")
    assert sync.link_of(b) is None and not b.encrypted
    sync.link(b, folder_b, 1, clock.now(), passphrase="sam's long phrase")
    assert b.encrypted and ag.get(b, made.id).title == "Sealed title"
    path = b.path
    b.close()
    assert b"Sealed title" not in path.read_bytes()
    a.close()


def test_linking_again_to_the_same_couples_folder_is_allowed(homes):
    new_agreement(homes.a)
    homes.settle()
    sync.unlink(homes.b)
    assert sync.has_own_data(homes.b)
    sync.link(homes.b, homes.folder_b, 1, homes.clock.now())
    assert sync.link_of(homes.b) is not None


def test_a_merge_that_finds_nothing_new_does_not_save(homes):
    homes.settle()
    before = homes.a.path.read_bytes(), homes.a.storage.tables_parsed
    generation = homes.a.storage._generation
    for _ in range(3):
        report = sync.sync_now(homes.a, homes.clock.now())
        assert not report.sent and not report.changed
    assert homes.a.storage._generation == generation and homes.a.path.read_bytes() == before[0]


def test_a_running_hearth_with_nothing_new_is_still_heard_from(homes, monkeypatch):
    homes.settle()
    before = [h.arrived for h in sync.heard_from(homes.a)]
    monkeypatch.setattr(sync, "HERE_EVERY", 0.0)
    homes.clock.advance(minutes=10)
    sync.sync_now(homes.b, homes.clock.now())  # nothing new at Sam's: no change file, but it is there
    homes.ship()
    for path in homes.folder_b.glob("*.here.json"):
        (homes.folder_a / path.name).write_bytes(path.read_bytes())
    sync.sync_now(homes.a, homes.clock.now())
    after = [h.arrived for h in sync.heard_from(homes.a)]
    assert after != before and max(after) == homes.clock.now().isoformat()


def test_a_hearth_killed_after_sending_catches_up_with_its_own_files(tmp_path, clock):
    """The merge state is saved only now and then: after a kill it is older than what this
    computer sent since. The other home's changes that build on those must still come in, and
    nothing either wrote may be lost (a newcomer saw a round's answers go)."""
    homes = make_two_homes(tmp_path, clock)
    made = new_agreement(homes.a, 0, "Before the kill")
    sync.sync_now(homes.a, clock.now())  # sent, but the merge state is not saved yet
    homes.ship()
    sync.sync_now(homes.b, clock.now(), keep=True)
    clock.advance(minutes=1)
    ag.edit(homes.b, made.id, 1, text="Sam's wording, built on Ana's agreement.")
    sync.sync_now(homes.b, clock.now(), keep=True)
    homes.ship()
    path = homes.a.path
    homes.a.close()  # killed: no last merge, no saved state
    homes.a = Store.open(path, clock=clock, background=False)
    report = sync.sync_now(homes.a, clock.now(), keep=True)
    assert not report.problems
    assert ag.get(homes.a, made.id).text == "Sam's wording, built on Ana's agreement."
    homes.settle()
    assert ag.get(homes.a, made.id) == ag.get(homes.b, made.id)
    homes.close()


def test_encrypting_a_linked_hearth_writes_its_files_again_encrypted(tmp_path, clock):
    from tests.unit.test_crypto import CHEAP

    homes = make_two_homes(tmp_path, clock)
    new_agreement(homes.a, 0, "Written before encrypting")
    homes.settle()
    homes.a.encrypt({"partner-1": "ana's long phrase"}, recovery=False, cost=CHEAP)
    sync.sync_now(homes.a, clock.now())
    mine = f"hearth-{sync.link_of(homes.a).home}-"
    left = [p for p in homes.folder_a.iterdir() if p.name.startswith(mine)]
    assert left and all(b"Written before" not in p.read_bytes() for p in left)
    assert all(json.loads(p.read_bytes().partition(b"\n")[0])["sealed"] for p in left if p.suffix == ".hsync")
    homes.close()


def test_hearth_due_on_a_partners_computer_says_what_waits_from_the_other_home(homes):
    from tui.store.due import due_now

    made = ag.create(homes.b, 1, title="Tea on Sundays", text="We make tea on Sundays.",
                     kind="want", category="time", review="none")
    ag.propose(homes.b, made.id, 1)
    homes.settle()
    lines = due_now(homes.a, homes.clock.now(), [])
    assert any("Sam said yes to “Tea on Sundays”; your answer is waiting." == line for line in lines)


def test_a_save_made_during_a_merge_is_never_written_over(homes, monkeypatch):
    """The merge reads what changed here, then writes in what came in: a setting saved on screen
    in between (while the merge waits on its core) must wait for it, and survive, with the
    other home's change to the same document."""
    import threading

    set_setting(homes.b, "pause_minutes", 33)
    homes.merge(homes.b)
    homes.ship()
    inside, go = threading.Event(), threading.Event()
    real = sync.Replica.receive

    def slow_receive(self, report, when):
        if self.store is homes.a:
            inside.set()
            go.wait(10)
        return real(self, report, when)

    monkeypatch.setattr(sync.Replica, "receive", slow_receive)
    merging = threading.Thread(target=lambda: homes.merge(homes.a))
    merging.start()
    assert inside.wait(10)
    threading.Timer(0.05, go.set).start()
    set_setting(homes.a, "checkin_words", "Ana, mid-merge")
    merging.join(10)
    monkeypatch.setattr(sync.Replica, "receive", real)
    homes.settle()
    for store in (homes.a, homes.b):
        assert setting(store, "pause_minutes") == 33 and setting(store, "checkin_words") == "Ana, mid-merge"


def test_a_merge_from_a_thread_runs_its_crdt_in_a_child_process(homes, where, monkeypatch):
    import threading

    monkeypatch.setattr(sync, "APART", None)
    homes.a.replica.close()
    homes.a.replica = None
    new_agreement(homes.a, 0, "From a thread")
    done = []
    worker = threading.Thread(target=lambda: done.append(sync.sync_now(homes.a, homes.clock.now(), keep=True)))
    worker.start()
    worker.join(30)
    assert done and not done[0].problems and done[0].sent
    assert type(homes.a.replica.core).__name__ == "ChildCore"
    assert stat.S_IMODE(sync.state_path(homes.a).stat().st_mode) == 0o600
    homes.settle()
    assert "From a thread" in [x.title for x in ag.list_agreements(homes.b)]


def test_a_child_that_stops_is_said_in_words_and_the_next_merge_starts_another(homes, where):
    import signal

    if where != "apart":
        pytest.skip("only a child process can stop")
    sync.sync_now(homes.a, homes.clock.now())
    child = homes.a.replica.core
    os.kill(child.pid, signal.SIGKILL)
    child._proc.wait(10)
    new_agreement(homes.a, 0, "After the child stopped")
    report = sync.sync_now(homes.a, homes.clock.now())
    assert report.problems and "stopped" in report.problems[0] and "Traceback" not in report.problems[0]
    report = sync.sync_now(homes.a, homes.clock.now())
    assert not report.problems and homes.a.replica.core is not child
    homes.settle()
    assert "After the child stopped" in [x.title for x in ag.list_agreements(homes.b)]


def test_a_change_the_folder_refused_goes_with_the_next_merge(homes, where, monkeypatch):
    """The folder refuses the change file once (full, gone read-only): the change is said to go
    next time, and it does, even though what came in meanwhile was merged."""
    if where == "apart":
        pytest.skip("the refusal is made in this process")
    real = sync_files.write
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError(28, "No space left on device")

    set_setting(homes.b, "pause_minutes", 41)
    homes.merge(homes.b)
    homes.ship()
    set_setting(homes.a, "checkin_words", "refused once")
    monkeypatch.setattr(sync_files, "write", refuse)
    report = sync.sync_now(homes.a, homes.clock.now())
    assert calls and any("will go next time" in p for p in report.problems)
    assert setting(homes.a, "pause_minutes") == 41  # what came in was merged all the same
    monkeypatch.setattr(sync_files, "write", real)
    homes.settle()
    assert setting(homes.b, "checkin_words") == "refused once"
