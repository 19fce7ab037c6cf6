"""End to end: two real `hearth` processes, each with its own database, linked to one folder, in
two pseudo-terminals. What one partner does at their computer shows at the other's.

Played apart: a Write & reveal round and a weekly reflection, each partner at their own computer,
with every frame of each screen checked for the other's private words before the reveal allows
them; an agreement said yes to at the other home; and a round and a pause whose change files a
slow folder sync carries between two folders, late, out of order and half-arrived first (the
test carries them itself). Every wait is on something a screen, the folder or a database file
shows, never on time passing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from tests.e2e.test_e2e import CTRL_Q, ENTER, Terminal, _wait_on_disk

pytestmark = pytest.mark.e2e

CTRL_T, CTRL_S = "\x14", "\x13"
#: A merge runs every five seconds at each home, so what one home saves shows at the other within
#: about ten; the rest is room for a loaded machine.
ARRIVES = 40


def hearth(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("hearth")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def two_linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Ana's database (with the couple and an agreement she proposed) and Sam's new one, linked
    to one folder, as two computers would be through a synced folder."""
    a, b, folder = tmp_path / "ana" / "hearth.json", tmp_path / "sam" / "hearth.json", tmp_path / "shared"
    code = (
        "import sys\n"
        "from tui.store import Store, agreements as ag\n"
        "from tui.core.partners import Couple\n"
        "from tui.store.profile import save_couple\n"
        "with Store.open(sys.argv[1], background=False) as s:\n"
        "    save_couple(s, Couple.from_names('Ana', 'Sam'))\n"
        "    x = ag.create(s, 0, title='Phones away at dinner', text='Phones in the basket at dinner.',\n"
        "                  kind='want', category='conflict', review='none')\n"
        "    ag.propose(s, x.id, 0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(a)], check=True, timeout=60)
    assert hearth("--db", str(a), "link", str(folder), "--partner", "1").returncode == 0
    out = hearth("--db", str(b), "link", str(folder), "--partner", "2")
    assert out.returncode == 0, out.stderr
    assert "agreement" in out.stdout  # Sam's computer got what Ana's had
    return a, b, folder


def test_a_pause_at_one_home_shows_at_the_other_and_both_quit_cleanly(tmp_path: Path):
    a, b, folder = two_linked(tmp_path)
    ana = Terminal(["--db", str(a)], cols=100, rows=30)
    sam = Terminal(["--db", str(b)], cols=80, rows=24)
    try:
        ana.wait_for("Question round")
        sam.wait_for("This is Sam's computer")
        sam.send(CTRL_T)
        sam.wait_for("needs a break")
        assert "Sam needs a break" in sam.text() and "Ana needs a break" not in sam.text()  # Ana asks at hers
        sam.send("2")  # Sam asks for the time-out, at his own computer
        sam.wait_for("Back together")
        ana.wait_for("Sam asked for this pause", timeout=40)  # merged within seconds, no key pressed
        for t in (ana, sam):
            t.send(CTRL_Q)
        assert ana.wait_exit() == 0 and sam.wait_exit() == 0
    finally:
        for t in (ana, sam):
            if t.child.isalive():
                t.child.terminate(force=True)
    assert list(folder.glob("*.hsync")) and all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())


def test_a_yes_at_the_other_home_makes_the_agreement_agreed(tmp_path: Path):
    """Ana proposed it and said yes at hers; Sam says yes at his, on his own screen; Ana's list,
    open all along, shows it agreed once his yes has arrived."""
    a, b, folder = two_linked(tmp_path)
    ana = Home(["--db", str(a)], cols=80, rows=24)
    sam = Home(["--db", str(b)], cols=100, rows=30)
    try:
        ana.wait_for("Question round")
        ana.send("3")
        ana.wait_until("listed the agreement as proposed",
                       lambda t: "Enter opens one" in t and "Phones away at dinner" in t and "Proposed" in t)
        sam.wait_for("This is Sam's computer")
        sam.send("3")
        sam.wait_until("listed the agreement", lambda t: "Enter opens one" in t and "Phones away at dinner" in t)
        sam.send(ENTER)
        sam.wait_for("Press y to say yes to this wording")
        sam.send("y")
        sam.wait_for("Do you agree to this, as it is written?")
        sam.send("y")
        sam.wait_for("You have both said yes to this wording")

        def agreed(text: str) -> bool:  # the row itself says Agreed, and Proposed is gone
            rows = [line for line in text.splitlines() if "Phones away at dinner" in line]
            return bool(rows) and "Agreed" in rows[0] and "Proposed" not in text

        ana.wait_until("showed the agreement as agreed", agreed)
        ana.quit()
        sam.quit()
    finally:
        stop(ana, sam)


# -- played apart -------------------------------------------------------------------------------------

class Home(Terminal):
    """Hearth at one partner's computer. `private` holds the other partner's words that must not
    be on this screen yet: every frame that arrives is checked."""

    def __init__(self, args: list[str], cols: int, rows: int) -> None:
        super().__init__(args, cols=cols, rows=rows)
        self.private: set[str] = set()

    def pump(self, timeout: float = 0.05) -> bool:
        got = super().pump(timeout)
        if got:
            text = self.text()
            shown = sorted(w for w in self.private if w in text)
            assert not shown, f"{shown} on screen before the reveal allows it:\n{text}"
        return got

    def wait_until(self, what: str, ok: Callable[[str], bool], timeout: float = ARRIVES) -> str:
        """Wait until `ok(screen text)` holds on a whole frame; returns that text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ok(self.text()) and not self.pump(0.1):
                return self.text()
            if not self.child.isalive():
                break
            self.pump()
        raise AssertionError(f"never {what}; the screen:\n{self.text()}")

    def quit(self) -> None:
        self.send(CTRL_Q)
        assert self.wait_exit() == 0


def stop(*homes: Home) -> None:
    for t in homes:
        if t.child.isalive():
            t.child.terminate(force=True)


def ready_to_play_apart(db: Path) -> None:
    """This computer's remembered round: Write & reveal, three light cards, played apart."""
    code = (
        "import sys\n"
        "from tui.core.rounds import Choices\n"
        "from tui.store import Store, rounds\n"
        "from tui.store.profile import set_setting\n"
        "with Store.open(sys.argv[1], background=False) as s:\n"
        "    rounds.remember_choices(s, Choices(decks=('knowing-you-now',), depth='light', unit='cards',\n"
        "                                       length=3, mode='write', first='a'))\n"
        "    set_setting(s, 'round_apart', True)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=60)


def apart_closings() -> list[str]:
    from tui.core import content

    return list(content.load("rounds")["apart_closing_suggestions"])


ANA_WORDS = [f"ANA-SECRET-{i}" for i in (1, 2, 3)]
SAM_WORDS = [f"SAM-SECRET-{i}" for i in (1, 2, 3)]


def ana_answers_her_three_cards(ana: Home) -> None:
    ana.wait_for("Question round")
    ana.send("1")
    ana.wait_for("Start the round")
    ana.send(CTRL_S)  # the remembered choice: apart, three cards
    for i, words in enumerate(ANA_WORDS, 1):
        ana.wait_until(f"showed card {i} to answer",
                       lambda t, i=i: f"Card {i} of 3" in t and "only you can see this" in t)
        ana.send(words)
        ana.send(CTRL_S)
    ana.wait_for("Waiting for")
    assert "Sam has not answered cards 1, 2 and 3 yet" in ana.text()


def sam_answers_his_three_cards(sam: Home, ana: Home | None) -> None:
    """Sam picks the round up from home and answers card after card; each reveal opens on his
    computer as soon as his answer is saved, as Ana's is there already (and on hers, with `ana`,
    as soon as his arrives)."""
    sam.send("1")
    sam.wait_for("Start a new round")  # the round played apart, offered to pick up
    sam.send(ENTER)
    for i, (hers, his) in enumerate(zip(ANA_WORDS, SAM_WORDS), 1):
        sam.wait_until(f"said Ana had answered card {i}", lambda t, i=i: f"Card {i} of 3" in t
                       and "only you can see this" in t and "Ana has answered this one" in t)
        sam.send(his)
        sam.send(CTRL_S)
        sam.private.discard(hers)  # both answers are in: the reveal may show hers
        ana and ana.private.discard(his)
        text = sam.wait_until(f"showed card {i}'s reveal", lambda t: "Both answers are in" in t and hers in t)
        assert his in text
        if ana is not None:
            text = ana.wait_until(f"showed Sam's answer to card {i} at Ana's", lambda t: his in t)
            assert "Both answers are in" in text and hers in text
            ana.send("n")
        sam.send("n")


def test_a_write_and_reveal_round_played_apart_at_two_homes(tmp_path: Path):
    a, b, folder = two_linked(tmp_path)
    ready_to_play_apart(a)
    ana = Home(["--db", str(a)], cols=80, rows=24)
    sam = Home(["--db", str(b)], cols=100, rows=30)
    sam.private |= set(ANA_WORDS)  # Ana's answers reach Sam's database before his own: never his screen
    ana.private |= set(SAM_WORDS)
    try:
        sam.wait_for("This is Sam's computer")
        ana_answers_her_three_cards(ana)
        sam.wait_for("Ana has answered card 1; your turn", timeout=ARRIVES)  # on his home, no key pressed
        sam_answers_his_three_cards(sam, ana)
        # the round is over at both homes, and it closes with an idea for being apart, the same at both
        ideas = apart_closings()
        said = []
        for t in (ana, sam):
            text = t.wait_until("showed the round's closing idea",
                                lambda t: "To close" in t and any(i in " ".join(t.split()) for i in ideas))
            said.append(next(i for i in ideas if i in " ".join(text.split())))
        assert said[0] == said[1]
        ana.quit()
        sam.quit()
    finally:
        stop(ana, sam)


def test_a_weekly_reflection_done_apart_at_two_homes(tmp_path: Path):
    a, b, folder = two_linked(tmp_path)
    ana = Home(["--db", str(a)], cols=80, rows=24)
    sam = Home(["--db", str(b)], cols=100, rows=30)
    sam.private.add("ANA-THANKS")  # each one's appreciations are read at the close, not before
    ana.private.add("SAM-THANKS")
    try:
        ana.wait_for("Question round")
        sam.wait_for("This is Sam's computer")
        ana.send("4")
        ana.wait_for("Begin this week's reflection")
        ana.send(ENTER)
        ana.wait_for("your part, 1 of 2")
        ana.send("ANA-THANKS")
        ana.send(CTRL_S)
        ana.wait_for("Private ratings")
        ana.send("5555555555")  # each number goes on to the next line
        ana.wait_until("took all ten ratings", lambda t: "not rated yet" not in t, timeout=10)
        ana.send(CTRL_S)
        ana.wait_for("Your part is in. When Sam's part arrives")

        sam.wait_for("Ana's part of this week's reflection is in; yours is waiting", timeout=ARRIVES)
        assert "Side by side" not in sam.text()
        sam.send("4")
        sam.wait_for("Carry on with this week's reflection")
        sam.send(ENTER)
        sam.wait_for("your part, 1 of 2")
        sam.send("SAM-THANKS")
        sam.send(CTRL_S)
        sam.wait_for("Private ratings")
        sam.send("1111111111")
        sam.wait_until("took all ten ratings", lambda t: "not rated yet" not in t, timeout=10)
        sam.send(CTRL_S)
        # both parts are in: the ratings side by side open at once here, and at Ana's as they arrive
        for t in (sam, ana):
            t.wait_until("showed both ratings side by side",
                         lambda t: "Side by side" in t and "together 3.0" in t, timeout=ARRIVES)
        # the shared steps, at both homes at once: both go on from the side by side, both write
        # their words; Sam goes on first, and Ana's screen follows with what she wrote kept
        for t in (sam, ana):
            t.send(CTRL_S)
        for t in (sam, ana):
            t.wait_for("The week in words")
        ana.send("ANA-HARDEST")
        sam.send("SAM-HARDEST")
        ana.wait_for("ANA-HARDEST")
        sam.send(CTRL_S)
        sam.wait_for("Last week's action items")
        ana.wait_for("Last week's action items", timeout=ARRIVES)
        _wait_on_disk(b, "ANA-HARDEST", timeout=ARRIVES)  # what she had typed went with her
        ana.private.discard("SAM-THANKS")
        sam.private.discard("ANA-THANKS")
        sam.send(CTRL_S)
        sam.wait_for("Next week")
        sam.send(CTRL_S)
        sam.wait_for("What is due")
        sam.send(CTRL_S)
        for t in (sam, ana):  # the close, with what each appreciated in the other, at both homes
            t.wait_until("showed both appreciations at the close",
                         lambda t: "Close" in t and "ANA-THANKS" in t and "SAM-THANKS" in t, timeout=ARRIVES)
        ana.quit()
        sam.quit()
    finally:
        stop(ana, sam)


# -- a slow folder sync between two folders ----------------------------------------------------------

def own_files(folder: Path, home_of: str) -> list[Path]:
    return sorted(p for p in folder.glob(f"hearth-{home_of}-*.hsync"))


def home_id(folder: Path, before: set[str]) -> str:
    """The id of the home whose files appeared in `folder` beyond those of `before`."""
    ids = {p.name.split("-")[1] for p in folder.glob("hearth-*.hsync")} - before
    assert len(ids) == 1, ids
    return ids.pop()


def wait_in_folder(folder: Path, words: list[str], timeout: float = ARRIVES) -> None:
    """Until the home's own change files there hold `words` (unencrypted: they are in the bytes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        raw = b"".join(p.read_bytes() for p in folder.glob("*.hsync"))
        if all(w.encode() in raw for w in words):
            return
        time.sleep(0.1)  # polling the folder: the condition is checked again, not assumed
    raise AssertionError(f"{words} never reached {folder}")


def carry(src: Path, dst: Path, *, half_first: bool = True) -> list[str]:
    """As a slow folder sync would: the change files `dst` lacks, newest first, the oldest of
    them arriving half-written at first. Returns the names, in the order they were carried."""
    new = sorted((p for p in src.glob("*.hsync") if not (dst / p.name).exists()), reverse=True)
    for p in new[:-1]:
        shutil.copy2(p, dst / p.name)
    if new and half_first:
        raw = new[-1].read_bytes()
        (dst / new[-1].name).write_bytes(raw[: len(raw) // 2])
    elif new:
        shutil.copy2(new[-1], dst / new[-1].name)
    return [p.name for p in new]


def finish(src: Path, dst: Path, name: str) -> None:
    """The half-arrived file arrives whole (written aside, then renamed, as Syncthing does)."""
    tmp = dst / f".syncthing.{name}.tmp"
    shutil.copy2(src / name, tmp)
    tmp.rename(dst / name)


def test_a_round_and_a_pause_through_a_slow_sync_between_two_folders(tmp_path: Path):
    a, b = tmp_path / "ana" / "hearth.json", tmp_path / "sam" / "hearth.json"
    at_ana, at_sam = tmp_path / "sync-ana", tmp_path / "sync-sam"
    code = (
        "import sys\n"
        "from tui.store import Store\n"
        "from tui.core.partners import Couple\n"
        "from tui.store.profile import save_couple\n"
        "with Store.open(sys.argv[1], background=False) as s:\n"
        "    save_couple(s, Couple.from_names('Ana', 'Sam'))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(a)], check=True, timeout=60)
    assert hearth("--db", str(a), "link", str(at_ana), "--partner", "1").returncode == 0
    at_sam.mkdir(mode=0o700)
    for p in at_ana.iterdir():
        shutil.copy2(p, at_sam / p.name)
    ana_id = home_id(at_sam, set())
    assert hearth("--db", str(b), "link", str(at_sam), "--partner", "2").returncode == 0
    sam_id = home_id(at_sam, {ana_id})
    carry(at_sam, at_ana, half_first=False)
    ready_to_play_apart(a)

    ana = Home(["--db", str(a)], cols=80, rows=24)
    sam = Home(["--db", str(b)], cols=80, rows=24)
    sam.private |= set(ANA_WORDS)
    ana.private |= set(SAM_WORDS)
    try:
        sam.wait_for("This is Sam's computer")
        ana_answers_her_three_cards(ana)
        wait_in_folder(at_ana, ANA_WORDS)  # all Ana did is in her folder; none of it at Sam's yet

        # Ana's files reach Sam's folder newest first, the oldest half-written: nothing can be
        # used before it (each builds on the one before), and the half file is said and skipped
        carried = carry(at_ana, at_sam)
        assert carried and all(ana_id in name for name in carried)
        sam.wait_until("said something in the folder was left out",  # a short notice, not over his home
                       lambda t: "Something in the linked folder" in t)
        assert "Write & reveal, apart" not in sam.text()
        finish(at_ana, at_sam, carried[-1])
        sam.wait_for("Ana has answered card 1; your turn", timeout=ARRIVES)

        sam_answers_his_three_cards(sam, None)  # Ana's screen waits: nothing of Sam's can reach her yet
        ana.pump(0.2)
        assert "Waiting for" in ana.text() and "Both answers are in" not in ana.text()
        wait_in_folder(at_sam, SAM_WORDS)
        ana.private.clear()  # both answered every card: the reveals may open at Ana's once it arrives
        for name in carry(at_sam, at_ana, half_first=False):  # late, newest first
            assert sam_id in name or ana_id in name
        for i, his in enumerate(SAM_WORDS, 1):
            ana.wait_until(f"showed card {i}'s reveal at Ana's", lambda t: his in t and "Both answers are in" in t)
            ana.send("n")
        ana.wait_for("To close")

        # a time-out asked for at Sam's computer reaches Ana's when the sync gets round to it
        sam.send(CTRL_T)
        sam.wait_for("needs a break")
        sam.send("2")
        sam.wait_for("Back together")
        deadline = time.monotonic() + ARRIVES
        while "Sam asked for this pause" not in ana.text():  # the folder sync keeps carrying
            assert time.monotonic() < deadline, f"the pause never reached Ana's screen:\n{ana.text()}"
            carry(at_sam, at_ana, half_first=False)
            ana.pump(0.2)
        ana.wait_for("Sam asked for this pause")
        ana.quit()
        sam.quit()
    finally:
        stop(ana, sam)
    assert all(p.stat().st_mode & 0o077 == 0 for folder in (at_ana, at_sam) for p in folder.iterdir())
