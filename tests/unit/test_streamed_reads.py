"""Issue 17: reads that go a year (or a table) at a time give what reading everything at once gave."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tui import cli, demo
from tui.core import reflection as rules
from tui.core.reflection import IsoWeek
from tui.store import Store
from tui.store import reflections as store_r
from tui.store import rounds as store_rounds
from tui.store.export import export_data

from tests.conftest import START

SHAPE = replace(demo.DEMO, weeks=70, rounds_per_week=2)  # over a year: rounds in two year tables


@pytest.fixture
def two_years(db_path: Path) -> Path:
    with Store.open(db_path, background=False) as store:
        demo.populate(store, SHAPE, now=START)
    return db_path


def test_json_export_is_the_documented_shape_and_stays_valid(two_years, tmp_path, capsys):
    out = tmp_path / "export.json"
    assert cli.main(["--db", str(two_years), "export", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    with Store.open(two_years, background=False) as store:
        expected = export_data(store)
    assert written.pop("exported_at") and expected.pop("exported_at")
    assert written == expected
    assert out.stat().st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_markdown_export_streamed_is_the_whole_text(two_years, tmp_path):
    from tui.store.markdown import export_markdown, markdown_parts

    with Store.open(two_years, background=False) as store:
        assert "".join(markdown_parts(store)) == export_markdown(store)
        text = export_markdown(store)
        rounds_part = store_rounds.markdown(store)
    assert rounds_part.startswith("## Question rounds") and rounds_part.count("### ") >= SHAPE.weeks * 2
    assert text.count("## Question rounds") == 1 and "\n\n\n" not in text


def test_markdown_export_keeps_no_year_in_memory(two_years):
    """The export reads each year of rounds, weeks and pauses once and lets it go: kept, twenty
    years of them sat in memory beside the text being written."""
    from tui.store.markdown import export_markdown

    with Store.open(two_years) as store:  # lazy, as the command opens it
        before = set(store.storage._tables.loaded)
        text = export_markdown(store)
        assert "## Weekly reflections" in text and "## Question rounds" in text and "## Pauses" in text
        kept = set(store.storage._tables.loaded) - before
        assert not {name for name in kept if name[-4:].isdigit()}  # small tables (settings...) may be read


def test_history_reads_each_year_once_and_keeps_none(two_years):
    with Store.open(two_years) as store:  # lazy, as the app opens it
        before = set(store.storage._tables.loaded)
        by_year = list(store_rounds.summaries_by_year(store))
        assert len([y for y in by_year if y]) >= 2
        flat = [s.id for year in by_year for s in year]
        everything = sorted(store_rounds.list_rounds(store), key=lambda s: (s.started, s.seq), reverse=True)
        assert flat == [s.id for s in everything]
        oldest = next(c for s in reversed(everything) for c in s.cards if c.status == "done" and c.answers)
        word = next(iter(oldest.answers.values())).split()[0]
        assert store_rounds.search(store, word, limit=10_000) == [h for y in store_rounds.search_by_year(store, word, 10_000) for h in y]
        assert len(store_rounds.search(store, word, limit=7)) == 7
        assert set(store.storage._tables.loaded) == before  # nothing of the years kept in memory


def test_weeks_in_a_row_read_a_year_at_a_time_matches_reading_them_all(store):
    rng = random.Random(3)
    today = IsoWeek.of(START)
    weeks = [today]
    for _ in range(150):
        weeks.append(weeks[-1].previous())
    for trial in range(12):
        for week in weeks:
            store_r.delete(store, week)
        gap = rng.randrange(0, 150)
        for i, week in enumerate(weeks):
            if i != gap and rng.random() > (0.02 if trial % 2 else 0.3):
                r = rules.new_reflection(week, rules.QUICK, START - timedelta(weeks=i))
                store_r.save(store, replace(r, completed=START - timedelta(weeks=i)))
        done = [r.week for r in store_r.all_reflections(store) if r.done]
        assert store_r.weeks_in_a_row(store, START) == rules.weeks_in_a_row(done, today)
