"""Home's two-homes lines, at the store level: whose computer, heard from, and who is waiting."""

from __future__ import annotations

from datetime import timedelta

from tui.core.pause import start_pause
from tui.store import agreements as store_ag
from tui.store import pauses as pause_store
from tui.store.homes_status import PROVIDERS, status_lines

from tests.two_homes import make_two_homes

AGREEMENT = dict(text="Phones away at dinner.", kind="want", category="conflict", review="monthly")


def test_lines_say_who_waits_for_whom_at_each_home(tmp_path, clock):
    homes = make_two_homes(tmp_path, clock)
    try:
        a = store_ag.create(homes.a, 0, title="Phones away", **AGREEMENT)
        store_ag.propose(homes.a, a.id, 0)
        p = start_pause(0, 20, clock.now())
        clock.advance(minutes=20)
        p.begin_checkin(clock.now())
        p.record_checkin(0, 6, True)
        pause_store.save_active(homes.a, p)
        homes.settle()
        clock.advance(minutes=3)
        at_a, at_b = status_lines(homes.a, clock.now()), status_lines(homes.b, clock.now())
        # Sam's computer had nothing new to send since it linked: heard from when it did
        assert at_a[0] == "This is Ana's computer. Sam's computer was last heard from 23 minutes ago."
        assert "You have checked in; Sam's check-in comes from Sam's computer." in at_a
        assert "“Phones away” is waiting for Sam's yes on Sam's computer." in at_a
        assert at_b[0] == "This is Sam's computer. Ana's computer was last heard from 3 minutes ago."
        assert "Ana has checked in; your turn to check in (press 2)." in at_b
        assert "Ana said yes to “Phones away”; your answer is waiting (press 3)." in at_b
    finally:
        homes.close()


def test_not_linked_means_no_lines_and_a_failing_provider_is_left_out(tmp_path, ready_store, clock):
    assert status_lines(ready_store, clock.now()) == []
    homes = make_two_homes(tmp_path, clock)
    try:
        def broken(*_):
            raise RuntimeError("a provider with a bug")

        PROVIDERS.append(broken)
        try:
            assert status_lines(homes.a, clock.now() + timedelta(days=2))[0].endswith("2 days ago.")
        finally:
            PROVIDERS.remove(broken)
    finally:
        homes.close()
