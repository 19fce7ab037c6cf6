"""Exports on one partner's computer of two linked homes: the other's answers to an apart round
arrive in the database as they are written, but the JSON and Markdown exports, like the screens,
leave out what the reveal rules do not let this partner see yet, and say so."""

from __future__ import annotations

import json

import pytest

from tests.two_homes import make_two_homes
from tests.unit.test_apart_store import start_apart
from tui.core.clock import FakeClock
from tui.store import apart_rounds
from tui.store.export import export_data, export_json
from tui.store.markdown import export_markdown
from tui.store.withhold import round_table_for


@pytest.fixture
def homes(tmp_path):
    clock = FakeClock()
    found = make_two_homes(tmp_path, clock)
    yield found
    found.close()


def exported_card(store, round_id: str, index: int) -> dict:
    tables = json.loads("".join(export_json(store)))["tables"]
    year, _, doc_id = round_id.partition("-")
    return tables[f"rounds_{year}"][doc_id]["cards"][index]


def test_the_other_s_unrevealed_answer_stays_out_of_both_exports(homes):
    a, b = homes.a, homes.b
    state = start_apart(a, "write")
    homes.settle()
    apart_rounds.answer(a, state.id, 0, 0, "ANA ON ZERO", homes.clock.now())
    homes.settle()
    assert apart_rounds.load(b, state.id).cards[0].answers == {0: "ANA ON ZERO"}  # it has arrived at Sam's

    card = exported_card(b, state.id, 0)  # Sam's computer
    assert card["answers"] == {}
    assert card["withheld"] == {"0": "withheld until the reveal"}
    assert "ANA ON ZERO" not in "".join(export_json(b))
    assert "ANA ON ZERO" not in json.dumps(export_data(b))
    markdown = export_markdown(b)
    assert "ANA ON ZERO" not in markdown
    assert "Ana: (withheld until the reveal)" in markdown

    assert exported_card(a, state.id, 0)["answers"] == {"0": "ANA ON ZERO"}  # Ana's own, on hers
    assert "Ana: ANA ON ZERO" in export_markdown(a)

    # Sam answers too: the reveal may open, and both exports hold both answers
    apart_rounds.answer(b, state.id, 0, 1, "SAM ON ZERO", homes.clock.now())
    card = exported_card(b, state.id, 0)
    assert card["answers"] == {"0": "ANA ON ZERO", "1": "SAM ON ZERO"} and "withheld" not in card


def test_a_computer_both_use_exports_everything_as_before():
    table = {"1": {"apart": True, "started": "x", "cards": [{"answers": {"0": "ANA"}, "status": "open"}]}}
    assert round_table_for(table, 0) is table  # nothing of Ana's is withheld from Ana
    hidden = round_table_for(table, 1)
    assert hidden["1"]["cards"][0]["answers"] == {} and table["1"]["cards"][0]["answers"] == {"0": "ANA"}
    kept = {"1": {"apart": True, "started": "x", "cards": [{"answers": {}, "kept": {"0": "ANA"}, "status": "passed"}]}}
    assert round_table_for(kept, 1)["1"]["cards"][0] == {
        "answers": {}, "kept": {}, "status": "passed", "withheld": {"0": "kept for its writer alone"}}


def test_the_round_tables_are_named_as_the_rounds_store_names_them():
    from tui.store import rounds, withhold

    assert withhold.PREFIX == rounds.PREFIX


def test_the_other_s_private_part_of_a_week_stays_out_until_both_may_see_it(homes):
    from tests.unit.test_reflection_apart_homes import my_part
    from tui.core import reflection as rules
    from tui.core.reflection import IsoWeek
    from tui.store import reflections as store_r

    a, b, clock = homes.a, homes.b, homes.clock
    week = IsoWeek.of(clock.now())
    my_part(a, 0, week, clock.now(), rating=5)  # Ana's part, on her computer
    homes.settle()
    stored = store_r._table(b, week.year).get(rules_query(week))
    assert stored["ratings"].get("p0") and stored["appreciations"].get("p0")  # it has arrived at Sam's

    exported = json.loads("".join(export_json(b)))["tables"][f"reflections_{week.year}"]
    [doc] = [d for d in exported.values() if d.get("week") == week.key]
    assert "p0" not in doc["ratings"] and "p0" not in doc["appreciations"]
    assert doc["withheld"] == {"p0": "appreciations and ratings: withheld until the reveal"}
    assert "Ana says thank you" not in "".join(export_json(b)) and "Ana says thank you" not in json.dumps(export_data(b))
    assert "Ana says thank you" in "".join(export_json(a))  # her own, on hers
    assert "ratings" not in rules.shown_to_both(store_r.get(b, week))


def rules_query(week):
    from tinydb import Query

    return Query().week == week.key
