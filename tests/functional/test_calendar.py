"""The calendar file: the weekly slot's rules (fake clock), and an .ics that parses back per RFC 5545."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from icalendar import Calendar

from tui.cli import main
from tui.core.calendar import Slot, SlotError, parse_day, parse_time, slot_from_settings
from tui.store import Store
from tui.store import agreements as store_ag
from tui.store.calendar import calendar_text
from tui.store.profile import set_setting


def test_the_next_slot_is_found_from_any_moment_of_the_week():
    slot = Slot(6, time(19, 0))  # Sundays at 19:00
    saturday = datetime(2026, 3, 14, 23, 50)
    assert slot.first_after(saturday) == datetime(2026, 3, 15, 19, 0)
    assert slot.first_after(datetime(2026, 3, 15, 18, 59)) == datetime(2026, 3, 15, 19, 0)
    assert slot.first_after(datetime(2026, 3, 15, 19, 1)) == datetime(2026, 3, 22, 19, 0)
    aware = datetime(2026, 3, 15, 19, 1, tzinfo=timezone.utc)
    assert slot.first_after(aware) == datetime(2026, 3, 22, 19, 0)


def test_days_and_times_are_read_as_people_write_them():
    assert parse_day("Sunday") == 6 and parse_day("su") == 6 and parse_day("MON") == 0
    assert parse_time("19:00") == time(19, 0) and parse_time("7.30") == time(7, 30)
    for bad in ("s", "someday", ""):
        with pytest.raises(SlotError):
            parse_day(bad)
    for bad in ("24:00", "7pm", "19:60", ""):
        with pytest.raises(SlotError, match="24-hour"):
            parse_time(bad)


def test_odd_stored_values_fall_back_to_the_default_slot():
    assert slot_from_settings(None, None) == Slot()
    assert slot_from_settings(True, "25:00") == Slot()
    assert slot_from_settings(2, "08:15") == Slot(2, time(8, 15))


def test_the_file_holds_the_weekly_slot_and_each_review_and_parses_back(ready_store, clock):
    set_setting(ready_store, "reflection_day", 4)
    set_setting(ready_store, "reflection_time", "20:30")
    a = store_ag.create(ready_store, 0, title="Phones away at dinner", text="We put them in the hall.",
                        kind="need", category="technology", review="monthly", now=clock.now())
    store_ag.say_yes(ready_store, a.id, 0, now=clock.now())
    store_ag.say_yes(ready_store, a.id, 1, now=clock.now())
    store_ag.create(ready_store, 0, title="Only a draft", text="Not agreed yet.", kind="need",
                    category="technology", review="monthly", now=clock.now())
    text = calendar_text(ready_store, clock.now())
    again = calendar_text(ready_store, clock.now())

    cal = Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and "Hearth" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert len(events) == 2  # the draft has no review date
    for event in events:
        assert event.get("UID") and event.get("DTSTAMP")  # required by RFC 5545
    weekly, review = events
    assert weekly.decoded("DTSTART") == datetime(2026, 3, 20, 20, 30)  # the Friday after 14 March
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "Phones away at dinner" in str(review["SUMMARY"])
    assert review.decoded("DTSTART") == date(2026, 4, 14)
    assert [e["UID"] for e in Calendar.from_ical(again).walk("VEVENT")] == [e["UID"] for e in events]


def test_the_command_writes_a_private_file_and_names_a_bad_time(tmp_path, capsys):
    db, out = tmp_path / "h.json", tmp_path / "our.ics"
    Store.open(db, background=False).close()  # (a database that is not there is refused: tests/e2e/test_cli.py)
    assert main(["--db", str(db), "calendar", "--out", str(out), "--day", "sat", "--time", "10:00"]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert Calendar.from_ical(out.read_text(encoding="utf-8")).walk("VEVENT")[0].decoded("DTSTART").time() == time(10, 0)
    assert "Saturdays at 10:00" in capsys.readouterr().err
    assert main(["--db", str(db), "calendar", "--out", str(out), "--time", "7pm"]) == 1
    assert "'7pm' is not a time of day" in capsys.readouterr().err


def test_demo_does_not_send_a_command_to_the_real_database(capsys):
    assert main(["--demo", "calendar", "--out", "x.ics"]) == 2
    assert "--demo" in capsys.readouterr().err


async def test_settings_keep_the_reflection_slot_and_name_a_bad_time(make_app, ready_store):
    from textual.widgets import Input, Select

    from tui.store.calendar import reflection_slot
    from tests.helpers import wait_for

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        app.screen.query_one("#reflection-day", Select).value = 2
        app.screen.query_one("#reflection-time", Input).value = "7pm"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "is not a time of day" in str(app.screen.query_one("#error-slot").render()))
        assert app.focused is app.screen.query_one("#reflection-time", Input)
        assert type(app.screen).__name__ == "SettingsScreen"  # nothing saved yet
        app.screen.query_one("#reflection-time", Input).value = "8.15"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
    assert reflection_slot(ready_store).label == "Wednesdays at 08:15"
