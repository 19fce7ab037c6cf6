"""Issue 17: History's index of rounds lists what the rounds themselves say, whatever happened to
them since it was made (saved, deleted, arrived from the other home, a damaged entry, an older
file without it), stays on this computer, and is sealed with the file; and search's first look at
a year's raw line never leaves out a year that holds the words."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tui import demo
from tui.core.rounds import fold
from tui.store import Store
from tui.store import round_index
from tui.store import rounds as store_rounds
from tui.store.raw_search import may_hold
from tui.store.storage import dumps
from tui.store.sync_tables import travels

from tests.conftest import START

SHAPE = replace(demo.DEMO, weeks=70, rounds_per_week=2)  # over a year: rounds in two year tables


@pytest.fixture
def two_years(db_path: Path) -> Path:
    with Store.open(db_path, background=False) as store:
        demo.populate(store, SHAPE, now=START)
    return db_path


def listed(store: Store) -> tuple[list[str], list[str]]:
    """What History would list (reading the years the index lacks, and keeping them), and the
    years it had to read."""
    found = round_index.listing(store)
    missing = found.missing
    reads = [round_index.read_year(store, name) for name in missing]
    years = list(found.years)
    for read in reads:
        years[found.names.index(read.year.name)] = read.year
    round_index.remember(store, reads)
    return [s.id for y in years for s in y.rounds()], missing


def truth(store: Store) -> list[str]:
    return [s.id for s in store_rounds.round_summaries(store)]


def test_an_older_file_is_indexed_once_then_read_from_the_index(two_years):
    with Store.open(two_years) as store:
        assert round_index.TABLE not in store.db.tables()
        ids, missing = listed(store)
        assert ids == truth(store) and len(missing) >= 2  # no index yet: every year read, quietly
    with Store.open(two_years) as store:
        ids, missing = listed(store)
        assert ids == truth(store) and missing == []
        assert not [n for n in store.storage._tables.loaded if n.startswith("rounds_")]  # no year parsed


def test_rows_carry_what_the_list_shows(two_years):
    with Store.open(two_years) as store:
        listed(store)
    with Store.open(two_years) as store:
        found = round_index.listing(store)
        assert [s for y in found.years for s in y.rounds()] == store_rounds.round_summaries(store)
        assert sum(y.count for y in found.years) == len(store_rounds.round_summaries(store))
        assert found.years[0].rounds(3) == store_rounds.round_summaries(store)[:3]
        assert [y.ids() for y in found.years] == [[s.id.partition("-")[2] for s in y.rounds()] for y in found.years]


def test_a_round_saved_or_deleted_is_listed_as_it_is_now(two_years, clock):
    with Store.open(two_years) as store:
        listed(store)
    with Store.open(two_years) as store:
        newest = store_rounds.round_summaries(store)[0]
        assert store_rounds.delete_round(store, newest.id)
        ids, _ = listed(store)  # that year is in memory now: listed from there
        assert newest.id not in ids and ids == truth(store)
    with Store.open(two_years) as store:  # and at the next open its line no longer matches its entry
        ids, missing = listed(store)
        assert ids == truth(store) and newest.id not in ids and missing == [f"rounds_{newest.id.split('-')[0]}"]
    with Store.open(two_years) as store:  # one year read again costs less than a save: not kept
        assert listed(store)[1] == [f"rounds_{newest.id.split('-')[0]}"]
        assert not store.storage.pending


def test_a_round_written_in_from_elsewhere_is_listed(two_years):
    """Rounds arriving from the other home are put into the year's table directly (put_doc)."""
    with Store.open(two_years) as store:
        listed(store)
        table_name = store_rounds._shards(store)[-1]  # the oldest year
        doc = dict(next(iter(store.storage.peek(table_name).values())))
    with Store.open(two_years) as store:
        store.table(table_name).put_doc(977, doc)
        assert f"{table_name[7:]}-977" in listed(store)[0]
    with Store.open(two_years) as store:
        ids, missing = listed(store)
        assert f"{table_name[7:]}-977" in ids and missing == [table_name] and ids == truth(store)


@pytest.mark.parametrize("damage", ["rows", "count", "row", "crc", "version", "not a dict"])
def test_a_damaged_entry_is_never_trusted_over_the_rounds(two_years, damage):
    with Store.open(two_years) as store:
        listed(store)
    with Store.open(two_years) as store:
        table = store.table(round_index.TABLE)
        year = max(int(k) for k in store.storage.peek(round_index.TABLE))
        entry = dict(table.get(doc_id=year))
        if damage == "rows":
            entry["rows"] = ["not", "lines"]
        elif damage == "count":
            entry["n"] += 1
        elif damage == "row":
            entry["rows"] = "nonsense\n" + entry["rows"].partition("\n")[2]
        elif damage == "crc":
            entry["crc"] = entry["crc"] ^ 1
        elif damage == "version":
            entry["v"] = 99
        else:
            entry = {"rows": []}
        table.remove(doc_ids=[year])
        table.insert(round_index._doc(year, entry))
    with Store.open(two_years) as store:
        ids, missing = listed(store)
        assert ids == truth(store) and missing == [f"rounds_{year}"]


def test_a_year_removed_whole_loses_its_entry(two_years):
    with Store.open(two_years) as store:
        listed(store)
        oldest = store_rounds._shards(store)[-1]
    with Store.open(two_years) as store:
        store.db.drop_table(oldest)
        ids, _ = listed(store)
        assert ids == truth(store) and oldest not in store_rounds._shards(store)
        # its entry goes the next time entries are kept (years read again after the file changed)
        assert oldest[7:] in store.storage.peek(round_index.TABLE)
        round_index.remember(store, [round_index.read_year(store, n) for n in store_rounds._shards(store)])
        assert oldest[7:] not in store.storage.peek(round_index.TABLE)


def test_the_index_stays_home_and_leaves_out_rounds_that_cannot_be_read(two_years):
    assert not travels(round_index.TABLE)
    with Store.open(two_years) as store:
        name = store_rounds._shards(store)[0]
        doc_id, doc = next(iter(store.storage.peek(name).items()))
        store.table(name).put_doc(int(doc_id), {**doc, "seq": "not a number"})
    with Store.open(two_years) as store:
        found = round_index.listing(store)
        reads = [round_index.read_year(store, n) for n in found.missing]
        assert f"{name[7:]}-{doc_id}" in reads[0].year.left_out
        round_index.remember(store, reads)
    with Store.open(two_years) as store:
        found = round_index.listing(store)
        assert f"{name[7:]}-{doc_id}" in found.years[0].left_out  # still said, from the index


def test_the_index_is_sealed_with_an_encrypted_file(db_path, clock):
    from tests.unit.test_encrypted_store import CHEAP, P1

    title = "Quiet Lighthouse Evenings"
    with Store.open(db_path, clock=clock, background=False) as store:
        demo.populate(store, replace(demo.DEMO, weeks=15), now=START)  # two years: worth keeping
        for name in store_rounds._shards(store):
            table = store.table(name)
            for doc in table.all():
                table.update({"deck_titles": [title]}, doc_ids=[doc.doc_id])
        store.encrypt({"partner-1": P1}, cost=CHEAP, recovery=False)
    with Store.open(db_path, clock=clock, passphrase=P1) as store:
        ids, missing = listed(store)
        assert ids == truth(store) and missing
        store.storage.flush()
    assert title.encode() not in db_path.read_bytes()
    with Store.open(db_path, clock=clock, passphrase=P1) as store:
        found = round_index.listing(store)
        assert found.missing == [] and found.years[0].rounds(1)[0].deck_titles == (title,)


# -- search's first look at a year's raw line ------------------------------------------------------------

TEXTS = [
    "We walked to the river and back", "Straße am Fluss", "the café by the bridge",
    "the cafe\u0301 by the bridge", "\u212aettle on the stove", "İstanbul in May", "ﬀoo and oﬃce",
    'she said "yes" at once', "a back\\slash and a \\u0041 typed by hand", "tab\there, newline\nthere",
    "emoji 😀 and 🏠 home", "ΣΊΣΥΦΟΣ and σίσυφος", "ǅemal", "a   lot of   spaces",
]


def line_of(texts: list[str]) -> bytes:
    table = {str(i): {"started": "2026-01-01T10:00:00+00:00",
                      "cards": [{"text": "A card?", "answers": {"0": t, "1": "other"}}]}
             for i, t in enumerate(texts)}
    return dumps(table).encode("ascii")


def needles(text: str) -> set[str]:
    """Every piece of the folded text of length 1 to 6, and the words, however typed."""
    folded = fold(text)
    found = {folded[i:i + n] for n in range(1, 7) for i in range(len(folded) - n + 1)}
    found |= {fold(w) for w in text.split()} | {fold(text.upper()), fold(text)}
    return {n for n in found if n.strip() and n == " ".join(n.split())}


@pytest.mark.parametrize("text", TEXTS)
def test_a_year_that_holds_the_words_is_always_looked_at(text):
    raw = line_of([text, "nothing here"])
    for needle in needles(text):
        assert may_hold(raw, needle), (text, needle)


def test_a_year_without_the_words_is_not_parsed():
    raw = line_of(TEXTS)
    for absent in ("teapot", "lighthouse", "zebra crossing", "o\"k", "naïve", "😎"):
        assert not may_hold(raw, fold(absent)), absent


def test_a_line_not_as_hearth_writes_it_is_always_looked_at():
    assert may_hold(b'{"1":{"text":"caf\\u00e9 \\/ slash"}}', fold("zebra"))
    assert may_hold('{"1":{"text":"literal é"}}'.encode("utf-8"), fold("zebra"))


def test_search_by_year_finds_what_it_found_before(two_years):
    with Store.open(two_years) as store:
        everything = store_rounds.list_rounds(store)
        oldest = next(c for s in reversed(everything) for c in s.cards if c.status == "done" and c.answers)
        word = next(iter(oldest.answers.values())).split()[-1]
        for words in (word, word.upper(), "kettle", "zzzz-not-there"):
            expected = [h for s in sorted(everything, key=lambda s: (s.started, s.seq), reverse=True)
                        for h in store_rounds._hits(s, fold(words), frozenset())]
            assert store_rounds.search(store, words, limit=100_000) == expected, words


def test_search_never_parses_a_year_that_cannot_hold_the_words(two_years, monkeypatch):
    with Store.open(two_years) as store:
        parsed = []
        real = store_rounds._year_docs
        monkeypatch.setattr(store_rounds, "_year_docs", lambda s, name: parsed.append(name) or real(s, name))
        assert store_rounds.search(store, "zzzz-not-there") == []
        assert parsed == []


def test_search_round_by_round_in_the_index_order_finds_the_same(two_years):
    with Store.open(two_years) as store:
        listed(store)
    with Store.open(two_years) as store:  # cold years, with their index: read one round at a time
        found = round_index.listing(store)
        order = round_index.Order(found.years)
        assert len(order) >= 2
        for words in ("the", "kettle", "RAIN", "zzzz-not-there", "é"):
            for limit in (7, 30, 31, 100_000):
                by_round = [h for y in store_rounds.search_by_year(store, words, limit, order=order) for h in y]
                assert by_round == store_rounds.search(store, words, limit), (words, limit)
        batches = list(store_rounds.search_by_year(store, "the", 100_000, order=order))
        assert store_rounds.FIRST_HITS <= len(batches[0]) < len(batches[0]) + len(batches[1])  # first ones early
        assert not [n for n in store.storage._tables.loaded if n.startswith("rounds_")]


def test_the_export_leaves_the_index_out(tmp_path, clock):
    """The index is made from the rounds for speed: an export holds the couple's data only."""
    import json

    from tui.store import Store, round_index
    from tui.store.export import export_data, export_json

    with Store.open(tmp_path / "h.json", clock=clock, background=False) as s:
        s.table(round_index.TABLE).insert({"year": 2020, "rows": ""})
        s.table("agreements").insert({"text": "kept"})
        assert round_index.TABLE not in export_data(s)["tables"]
        tables = json.loads("".join(export_json(s)))["tables"]
        assert round_index.TABLE not in tables and "agreements" in tables
