"""The sample data behind `hearth --demo` (and the benchmarks): every activity has data, the same
seed gives the same database, the file is written once, and the real database is never touched."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tui import cli, demo
from tui.core import agreements as agreement_rules
from tui.core.clock import FakeClock, parse_time
from tui.core.decks import load_decks
from tui.paths import data_dir, default_db, shipped_decks_dir
from tui.store import Store
from tui.store import agreements as store_agreements
from tui.store import pauses as store_pauses
from tui.store import reflections as store_reflections
from tui.store import rounds as store_rounds
from tui.store.due import due_lines
from tui.store.export import export_data
from tui.store.profile import load_couple

from tests.conftest import START


@pytest.fixture
def demo_store(store: Store) -> Store:
    demo.populate(store, demo.DEMO, now=START)
    return store


def test_shapes_keep_their_documented_fields():
    assert demo.DEMO == demo.SampleShape()
    assert (demo.DEMO.weeks, demo.DEMO.rounds_per_week, demo.DEMO.cards_per_round) == (6, 1, 5)
    assert demo.TEN_YEARS == demo.SampleShape(weeks=520, rounds_per_week=3, cards_per_round=12, answer_chars=300,
                                              pauses_per_month=2, agreements=40, versions_per_agreement=10)


def test_couple_and_rounds(demo_store: Store):
    couple = load_couple(demo_store)
    assert couple is not None and (couple[0].name, couple[1].name) == ("Ana", "Sam")
    rounds = store_rounds.list_rounds(demo_store)
    assert len(rounds) == demo.DEMO.weeks * demo.DEMO.rounds_per_week
    assert {r.mode for r in rounds} == {"talk", "write", "knowme"}
    assert all(r.status == "done" and r.ended is not None for r in rounds)
    assert store_rounds.open_round(demo_store) is None

    known = {c.key for d in load_decks([shipped_decks_dir()]).decks for c in d.cards}
    cards = [(r, c) for r in rounds for c in r.cards]
    assert all(c.key in known for _, c in cards), "every card is a real card from a shipped deck"
    talk = [c for r, c in cards if r.mode == "talk" and c.status == "done"]
    assert any(c.notes for c in talk), "talk rounds keep some notes"
    written = [c for r, c in cards if r.mode == "write" and c.status == "done"]
    assert written and all(set(c.answers) == {0, 1} for c in written)
    lengths = [len(a) for c in written for a in c.answers.values()]
    assert 60 <= sum(lengths) / len(lengths) <= 200, "answers are about answer_chars (120) long"
    knowme = [c for r, c in cards if r.mode == "knowme" and c.status == "done"]
    assert knowme and all(set(c.answers) == {0, 1} and c.closeness for c in knowme)
    assert store_rounds.starred(demo_store)
    met_again = [c for r, c in cards if store_rounds.earlier_answers(demo_store, c.key, exclude=r.id)]
    assert met_again, "some card comes back, so 'then and now' has something to show"


def test_reflections_every_week(demo_store: Store):
    found = store_reflections.all_reflections(demo_store)
    assert len(found) == demo.DEMO.weeks
    weeks = [r.week for r in found]
    assert all(b == a.next() for a, b in zip(weeks, weeks[1:])), "one reflection every week, none missing"
    assert weeks[-1].next().key == store_reflections.IsoWeek.of(START).key, "this week is left to try"
    assert all(r.done and r.ratings and r.appreciations for r in found)
    assert any(i.carried_from for r in found for i in r.items), "some action items were carried over"
    assert any(r.review for r in found)
    trend = store_reflections.trends(demo_store)
    assert len(trend.weeks) == demo.DEMO.weeks
    assert store_reflections.weeks_in_a_row(demo_store, START) == demo.DEMO.weeks


def test_pauses(demo_store: Store):
    records = store_pauses.records(demo_store)
    assert len(records) >= 2
    assert store_pauses.active(demo_store) is None and not store_pauses.waiting(demo_store)
    assert all(r.status == "done" and r.calm for r in records)
    assert any(r.extensions for r in records), "someone needed more time"
    assert any(r.repair == "later" for r in records), "one talk was moved to another time"
    assert any(r.notes for r in records), "repair notes were kept"
    assert store_pauses.stats(demo_store)


def test_agreements(demo_store: Store):
    current = store_agreements.list_agreements(demo_store)
    archive = store_agreements.list_agreements(demo_store, retired=True)
    assert len(current) + len(archive) == demo.DEMO.agreements
    assert len({a.category for a in current}) >= 3
    statuses = {a.status for a in current}
    assert statuses == set(agreement_rules.Status), "a draft, one waiting for a yes, and agreed ones"
    assert archive
    assert all(len(a.versions) == demo.DEMO.versions_per_agreement for a in current + archive)
    agreed = [a for a in current if a.status is agreement_rules.Status.AGREED]
    assert all(a.consent == (True, True) and a.agreed_at for a in agreed)
    assert store_agreements.due_reviews(demo_store, START), "some reviews are due"
    lines = due_lines(demo_store, START)
    assert any(line.startswith("Time to look again at ") for line in lines)


def test_everything_happened_before_now(demo_store: Store):
    stamps: list[datetime] = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
            stamps.append(parse_time(value))

    walk(export_data(demo_store)["tables"])
    assert len(stamps) > 50
    assert max(stamps) <= START
    assert min(stamps) >= START - timedelta(weeks=demo.DEMO.weeks + 1)


def _export(tmp_path: Path, name: str, seed: int = 7) -> dict:
    with Store.open(tmp_path / name / "hearth.json", clock=FakeClock(START), background=False) as store:
        demo.populate(store, demo.DEMO, seed=seed)
        return export_data(store)


def test_same_seed_same_database(tmp_path: Path):
    first = _export(tmp_path, "a")
    assert first == _export(tmp_path, "b")
    assert first["tables"] != _export(tmp_path, "c", seed=8)["tables"]


def test_the_file_is_written_once(tmp_path: Path, monkeypatch):
    import tui.store.storage as storage

    writes: list[Path] = []
    real = storage.atomic_write

    def counting(path, data, **how):
        writes.append(path)
        return real(path, data, **how)

    path = tmp_path / "hearth.json"
    with Store.open(path, clock=FakeClock(START), background=False) as store:
        monkeypatch.setattr(storage, "atomic_write", counting)
        demo.populate(store, demo.DEMO)
        assert writes == [path]
        assert json.loads(path.read_text())["profile"]["1"]["partners"][0]["name"] == "Ana"
        assert {k: v for k, v in json.loads(path.read_text()).items() if k != "_integrity"} == export_data(store)["tables"]


def test_background_store_is_saved_too(tmp_path: Path):
    path = tmp_path / "hearth.json"
    with Store.open(path, clock=FakeClock(START), background=True) as store:
        demo.populate(store, replace(demo.DEMO, weeks=3))
        assert store.flush()
        assert {k: v for k, v in json.loads(path.read_text()).items() if k != "_integrity"} == export_data(store)["tables"]


def test_a_bigger_shape(tmp_path: Path):
    shape = replace(demo.TEN_YEARS, weeks=30, agreements=12)
    with Store.open(tmp_path / "hearth.json", clock=FakeClock(START), background=False) as store:
        demo.populate(store, shape)
        rounds = store_rounds.list_rounds(store)
        assert len(rounds) == 30 * 3
        assert max(len(r.cards) for r in rounds) == 12
        assert len(store_reflections.all_reflections(store)) == 30
        assert len(store_agreements.list_agreements(store)) + len(
            store_agreements.list_agreements(store, retired=True)) == 12


def test_demo_database_is_a_filled_temp_file(monkeypatch, tmp_path: Path):
    real = tmp_path / "real" / "hearth.json"
    monkeypatch.setenv("HEARTH_DB", str(real))
    path = demo.demo_database()
    assert path.exists() and path.name == "hearth.json"
    assert not real.exists() and not real.parent.exists()
    assert data_dir() not in path.parents
    with Store.open(path, background=False) as store:
        assert load_couple(store) is not None
        assert store_rounds.list_rounds(store)
    assert demo.demo_database().parent != path.parent, "a fresh folder each time"


class _Tty:
    def __init__(self, stream):
        self._stream = stream

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name):
        return getattr(self._stream, name)


def test_hearth_demo_leaves_the_real_database_alone(monkeypatch, tmp_path: Path):
    """`hearth --demo`, with the app's run stubbed: the store it gets is the demo one."""
    import tui.app

    real = tmp_path / "mine" / "hearth.json"
    monkeypatch.setenv("HEARTH_DB", str(real))
    opened: list[Path] = []

    class FakeApp:
        crash_message = None

        def __init__(self, store, deck_dirs, **kwargs):
            self.store = store

        def run(self):
            opened.append(self.store.path)
            assert load_couple(self.store) is not None

    monkeypatch.setattr(tui.app, "HearthApp", FakeApp)
    monkeypatch.setattr(sys, "stdin", _Tty(sys.stdin))
    monkeypatch.setattr(sys, "stdout", _Tty(sys.stdout))
    assert cli.main(["--demo"]) == 0
    assert cli.main(["--demo", "--db", str(tmp_path / "other.json")]) == 0
    assert len(opened) == 2 and all(p.name == "hearth.json" for p in opened)
    assert real not in opened and not real.exists() and not real.parent.exists()
    assert not (tmp_path / "other.json").exists()
    assert not default_db().exists()


def test_summaries_and_search_agree_with_the_full_rounds(tmp_path: Path):
    """History lists summaries and search builds only the rounds that hold the words; both must
    say what building every round would have said."""
    from tui.core.rounds import RoundSummary

    shape = replace(demo.TEN_YEARS, weeks=12, agreements=2)
    with Store.open(tmp_path / "hearth.json", clock=FakeClock(START), background=False) as store:
        demo.populate(store, shape)
        full = store_rounds.list_rounds(store)
        assert store_rounds.round_summaries(store) == [RoundSummary.of(s) for s in full]
        oldest_answer = next(t for s in reversed(full) for c in s.cards for t in c.answers.values())
        for words in ("the", "a", "zzz-nowhere", full[0].cards[0].text[:12], oldest_answer[:9]):
            needle = " ".join(words.split()).casefold()
            expected = [
                (s.id, i, who, text)
                for s in full for i, c in enumerate(s.cards) if c.status == "done"
                for who, text in [*sorted(c.answers.items()), *sorted(c.notes.items()), (None, c.text)]
                if needle in text.casefold()
            ]
            found = [(h.round_id, h.card_index, h.partner, h.text) for h in store_rounds.search(store, words)]
            assert found == expected[:len(found)], words
            assert len(found) == len(expected) or len(found) >= 200, words  # search stops near 200


def _then_and_now_plan(store: Store, mode: str | None = None):
    """The round the setup would plan with Then and now ticked, on the choices it offers now."""
    from tui.core.rounds import plan_round

    offered = store_rounds.last_choices(store)
    choices = replace(offered, then_and_now=True, mode=mode or offered.mode)
    decks = load_decks([shipped_decks_dir()])
    by_id = decks.by_id()
    pool = [c for d in choices.decks for c in by_id[d].cards]
    return plan_round(pool, choices, usage=store_rounds.usage(store), seq=store_rounds.next_seq(store),
                      window=store_rounds.repeat_window(store), rng=__import__("random").Random(1),
                      answered=store_rounds.last_answered(store), now=START)


def test_the_demo_app_brings_a_card_back_for_then_and_now(store: Store):
    """`hearth --demo` has rounds from months before its six weeks, so Then and now shows: a card
    answered then comes back, in Write & reveal and in Talk, on the decks the setup offers."""
    demo.populate(store, demo.DEMO_APP, now=START)
    for mode in ("write", "talk"):
        plan = _then_and_now_plan(store, mode)
        assert plan.returning is not None, mode
        back = store_rounds.earlier_answers(store, plan.returning)
        assert back and START - back[0].when >= timedelta(days=180)
    rounds = store_rounds.list_rounds(store)
    assert len(rounds) == demo.DEMO.weeks * demo.DEMO.rounds_per_week + demo.DEMO_APP.rounds_long_ago


def test_the_plain_demo_has_nothing_long_ago(demo_store: Store):
    """DEMO itself (the snapshots' and the benchmarks' base) is as it was: no rounds long ago."""
    assert _then_and_now_plan(demo_store).returning is None
    assert demo.TEN_YEARS.rounds_long_ago == 0


def test_hearth_demo_opens_the_demo_with_rounds_long_ago(monkeypatch):
    seen = []
    monkeypatch.setattr(demo, "populate", lambda store, shape, **kw: seen.append(shape))
    demo.demo_database()
    assert seen == [demo.DEMO_APP]
