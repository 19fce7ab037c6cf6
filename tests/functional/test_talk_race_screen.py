"""Two talks begun at once at two homes, and the loser's partner was not on the Talk screen when
the merge made them one: opening Talk it through shows the words in their box, with a calm word."""

from __future__ import annotations

from tui.core.talk import start_talk
from tui.screens.pause.talk import TalkScreen
from tui.store import talks as talk_store

from tests.functional.test_two_homes_pause import app_at
from tests.pause_helpers import home, seen, wait_for
from tests.two_homes import make_two_homes


async def test_words_kept_by_the_merge_wait_in_the_box_when_talk_opens(tmp_path, clock):
    homes = make_two_homes(tmp_path, clock)
    try:
        for store, me in ((homes.a, 0), (homes.b, 1)):
            talk = start_talk(me, clock.now(), home=me)
            talk.speak(f"words written at home {me}", clock.now())
            talk_store.save_talk(store, talk)
        homes.settle()  # no screen open anywhere
        kept = talk_store.active_talk(homes.a)
        loser, me = (homes.b, 1) if kept.id.endswith("-h0") else (homes.a, 0)
        app = app_at(loser, clock)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await home(pilot, app)
            app.push_screen(TalkScreen())
            await wait_for(pilot, lambda: any("You both began a talk at the same moment" in n.message
                                              and "waits in your box" in n.message for n in app._notifications))
            assert isinstance(app.screen, TalkScreen) and app.screen.talk.id == kept.id
            assert f"words written at home {me}" in "\n".join(
                talk_store.unsent(loser, kept.id) + [talk_store.aside(loser) or ""])
            text = await seen(pilot, app)
            assert text  # the screen shows the one talk
    finally:
        homes.close()
