"""Pilot tests of two homes on home and in Settings: the heard-from line, what is waiting for
whom, and linking and unlinking through the screen (a bad path says so on screen)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui.paths import shipped_decks_dir
from tui.screens.shell.home import HomeScreen
from tui.screens.shell.link import LinkScreen
from tui.store import agreements as store_ag
from tui.store import sync, sync_watch

from tests.pause_helpers import home, screen_text, seen, wait_for
from tests.two_homes import make_two_homes

AGREEMENT = dict(text="Phones away at dinner.", kind="want", category="conflict", review="monthly")


@pytest.fixture
def homes(tmp_path, clock):
    h = make_two_homes(tmp_path, clock)
    yield h
    h.close()


def app_at(store, clock):
    from tui.app import HearthApp

    return HearthApp(store, [shipped_decks_dir()], clock=clock)


async def test_home_says_whose_computer_and_when_the_other_was_heard_from(homes, clock):
    clock.advance(minutes=5)
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: "heard from" in screen_text(app))
        assert "This is Ana's computer. Sam's computer was last heard from 5 minutes ago." in screen_text(app)


async def test_not_heard_from_yet(tmp_path, ready_store, clock):
    sync.link(ready_store, tmp_path / "folder", 1, clock.now())
    app = app_at(ready_store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: "heard from" in screen_text(app))
        assert "This is Sam's computer. Ana's computer has not been heard from yet." in screen_text(app)


async def test_home_shows_a_yes_waiting_as_soon_as_it_arrives(homes, clock):
    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        a = store_ag.create(homes.b, 1, title="Phones away", **AGREEMENT)
        store_ag.propose(homes.b, a.id, 1)
        homes.merge(homes.b)
        homes.ship()
        app.homes.merge()
        await wait_for(pilot, lambda: "Sam said yes to “Phones away”; your answer is waiting" in screen_text(app))


async def test_link_from_settings_with_a_bad_path_then_a_good_one_then_unlink(tmp_path, make_app, ready_store):
    app = make_app()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.query("#open-link"))
        app.screen.query_one("#open-link").press()
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))

        app.screen.query_one("#folder", Input).value = str(a_file)
        app.screen.query_one("#link").press()
        await wait_for(pilot, lambda: "is a file, not a folder" in screen_text(app))
        assert sync_watch.link_doc(ready_store) is None and app.homes is None

        folder = tmp_path / "synced"
        app.screen.query_one("#folder", Input).value = str(folder)
        app.screen.query_one("#whose-1").value = True
        app.screen.query_one("#link").press()
        await wait_for(pilot, lambda: app.screen.query("#unlink"))
        assert f"linked to {folder}" in (await seen(pilot, app))
        assert sync_watch.this_partner(ready_store) == 1 and app.homes is not None
        assert "not been heard from yet" in screen_text(app)

        app.screen.query_one("#unlink").press()
        await wait_for(pilot, lambda: app.screen.query("#choice-unlink"))
        app.screen.query_one("#choice-unlink").press()
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))
        assert sync_watch.link_doc(ready_store) is None and app.homes is None
        assert folder.is_dir()  # the folder is left as it is


async def test_a_folder_holding_another_homes_hearth_says_why_on_screen(homes, make_app, ready_store):
    store_ag.create(ready_store, 0, title="Our own", **AGREEMENT)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        app.push_screen(LinkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))
        app.screen.query_one("#folder", Input).value = str(homes.folder_a)
        app.screen.query_one("#link").press()
        await wait_for(pilot, lambda: "already holds another home's Hearth" in screen_text(app))
        assert sync_watch.link_doc(ready_store) is None and app.homes is None


async def test_enter_in_the_folder_box_asks_whose_computer_then_links(tmp_path, make_app, ready_store):
    """Enter in the folder box does what a person expects: with a folder typed, it goes on to
    whose computer this is (the marked default may be the wrong partner's), and Enter there links."""
    app = make_app()
    folder = tmp_path / "synced"
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(LinkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))
        await pilot.press("enter")  # nothing typed yet: it says what to type, and stays
        await wait_for(pilot, lambda: "Type the path of the folder" in screen_text(app))
        assert app.focused.id == "folder"
        await pilot.press(*str(folder), "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "whose")
        assert "say whose computer this is" in screen_text(app) and sync_watch.link_doc(ready_store) is None
        await pilot.press("down", "enter")  # Sam's
        await wait_for(pilot, lambda: app.screen.query("#unlink"))
        assert sync_watch.this_partner(ready_store) == 1 and app.homes is not None


async def test_enter_in_the_folder_box_links_once_whose_computer_is_chosen(tmp_path, make_app, ready_store):
    app = make_app()
    folder = tmp_path / "synced"
    async with app.run_test(size=(100, 30)) as pilot:
        await home(pilot, app)
        app.push_screen(LinkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "whose")
        await pilot.press("down", "down", "space")  # both of you use it
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "folder")
        await pilot.press(*str(folder), "enter")
        await wait_for(pilot, lambda: app.screen.query("#unlink"))
        assert sync_watch.link_doc(ready_store)["partner"] is None


async def test_what_the_folder_says_is_a_short_notice_and_is_read_whole_in_settings(homes, clock):
    """At 80x24 a notice naming a half-arrived file at length covered home's list: the notice is
    now a short line, once a minute at most, and Settings → Two homes says the whole of it."""
    from textual.widgets._toast import Toast

    from tui.store.profile import set_setting
    from tui.widgets.two_homes import NOTICE

    def half_arrived(name_words: str) -> str:
        set_setting(homes.b, "a_word", name_words)
        homes.merge(homes.b)
        newest = max(homes.folder_b.glob("*.hsync"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        raw = newest.read_bytes()
        (homes.folder_a / newest.name).write_bytes(raw[: len(raw) // 2])
        return newest.name

    app = app_at(homes.a, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await home(pilot, app)
        await wait_for(pilot, lambda: app.homes is not None)
        name = half_arrived("first")
        app.homes.merge()
        await wait_for(pilot, lambda: app.homes.last_report is not None and app.homes.last_report.problems)
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1 and toasts[0].region.height <= 3, toasts[0].region
        assert toasts[0]._notification.message == NOTICE  # a short line: the file's long name is not in it
        assert name not in "".join(screen_text(app).split())

        app.homes.merge()  # said again at the next merge: no second notice
        await wait_for(pilot, lambda: app.homes.last_report is not None and app.homes.last_report.problems)
        await pilot.pause()
        assert len(list(app.screen.query(Toast))) == 1

        app.push_screen(LinkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder-notes"))
        await pilot.pause()
        text = screen_text(app)
        assert name in "".join(text.split()) and ("not fully arrived" in text or "still arriving" in text)


async def test_linking_from_settings_to_an_encrypted_home_asks_for_a_passphrase(tmp_path, clock, make_app,
                                                                                 ready_store, cheap_kdf):
    """The Link screen asks for a passphrase when the folder's home is encrypted: a wrong one
    says so with nothing changed and is asked again; a right one links, and this Hearth is
    encrypted with the couple's key."""
    from tui import cli
    from tui.store import Store
    from tui.store.profile import save_couple
    from tui.core.partners import Couple

    ana, folder, secret = tmp_path / "ana" / "hearth.json", tmp_path / "shared", tmp_path / "pw"
    with Store.open(ana, clock=clock, background=False) as s:
        save_couple(s, Couple.from_names("Ana", "Sam"))
    secret.write_text("ana passphrase here\nsam passphrase here\n")
    assert cli.main(["--db", str(ana), "--passphrase-file", str(secret), "encrypt", "--no-recovery-code"]) == 0
    assert cli.main(["--db", str(ana), "--passphrase-file", str(secret), "link", str(folder), "--partner", "1"]) == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot, app)
        app.push_screen(LinkScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, LinkScreen) and app.screen.query("#folder"))
        await pilot.press(*str(folder), "enter", "down", "enter")  # Sam's computer
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "link-pass")
        assert "is encrypted" in screen_text(app) and sync_watch.link_doc(ready_store) is None
        await pilot.press(*"not the one", "enter")
        await wait_for(pilot, lambda: "did not open it" in screen_text(app))
        assert sync_watch.link_doc(ready_store) is None and not ready_store.encrypted
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
        assert app.focused.id == "link-pass" and app.focused.value == ""
        await pilot.press(*"sam passphrase here", "enter")
        await wait_for(pilot, lambda: app.screen.query("#unlink"), tries=500)
        assert ready_store.encrypted and sync_watch.this_partner(ready_store) == 1
