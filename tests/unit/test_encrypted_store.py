"""An encrypted Hearth through the store's own functions: every table round trips, a wrong
passphrase changes nothing, damage is named, and no plain text reaches the disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.store import Store
from tui.store.database import restore_backup
from tui.store.drafts import save_draft
from tui.store.errors import DamagedDatabaseError, LockedError, WrongPassphraseError
from tui.store.schema import ENCRYPTION_HEADER
from tests.helpers import CHEAP_KDF as CHEAP

P1, P2 = "first partner passphrase", "second partner passphrase"
SECRET = "the blue kite we lost at the lake"


def fill(store: Store) -> dict[str, dict]:
    """A few tables of every kind the store knows, holding one recognisable sentence."""
    store.table("rounds_2024").insert({"answers": [SECRET, "ünïcödé ✓"]})
    store.table("agreements").insert({"text": f"agreement: {SECRET}"})
    store.table("reflections").insert({"appreciation": SECRET})
    save_draft(store, "round:1:card:1:partner:0", f"draft {SECRET}")
    return {name: dict(store.storage.read()[name]) for name in store.storage.read()}


def encrypted(db_path: Path, clock, background: bool = False) -> tuple[dict, str | None]:
    with Store.open(db_path, clock=clock, background=background) as s:
        tables = fill(s)
        code = s.encrypt({"partner-1": P1, "partner-2": P2}, cost=CHEAP)
    return tables, code


def all_tables(store: Store) -> dict[str, dict]:
    tables = store.storage.read()
    tables.load_all() if hasattr(tables, "load_all") else None
    return {name: dict(tables[name]) for name in tables}


def disk_text(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("background", [False, True])
def test_every_table_round_trips_with_either_passphrase_or_the_code(db_path, clock, background):
    tables, code = encrypted(db_path, clock)
    assert code
    for secret in (P1, P2, code):
        with Store.open(db_path, clock=clock, background=background, passphrase=secret) as s:
            assert s.encrypted
            assert all_tables(s) == tables
    assert SECRET.encode() not in db_path.read_bytes()
    assert json.loads(db_path.read_bytes())[ENCRYPTION_HEADER]["about"].startswith("This Hearth database is encrypted")


def test_no_passphrase_or_a_wrong_one_leaves_the_file_byte_for_byte(db_path, clock):
    encrypted(db_path, clock)
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    with pytest.raises(LockedError):
        Store.open(db_path, clock=clock)
    for background in (False, True):
        with pytest.raises(WrongPassphraseError, match="did not open it"):
            Store.open(db_path, clock=clock, background=background, passphrase="not it at all")
    after = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if not p.name.endswith(".lock")}
    assert after == {k: v for k, v in before.items() if not k.endswith(".lock")}


def test_changes_in_a_session_are_saved_encrypted_and_read_back(db_path, clock):
    encrypted(db_path, clock)
    with Store.open(db_path, clock=clock, passphrase=P2) as s:  # the app's way: lazy, a writer thread
        s.table("agreements").insert({"text": "second " + SECRET})
        assert s.flush()
    with Store.open(db_path, clock=clock, passphrase=P1) as s:
        assert [d["text"] for d in s.table("agreements").all()] == [f"agreement: {SECRET}", "second " + SECRET]
    assert SECRET.encode() not in disk_text(db_path.parent)


def test_backups_are_encrypted_too_and_restore_asks_for_the_passphrase(db_path, clock):
    with Store.open(db_path, clock=clock, background=False) as s:
        fill(s)
    with Store.open(db_path, clock=clock, background=False) as s:  # makes today's (plain) backup
        pass
    assert any(SECRET.encode() in p.read_bytes() for p in db_path.parent.glob("*.bak"))
    with Store.open(db_path, clock=clock, background=False) as s:
        s.encrypt({"partner-1": P1}, recovery=False, cost=CHEAP)
        assert s.convert_problems == []
    assert SECRET.encode() not in disk_text(db_path.parent)
    backup = next(db_path.parent.glob("*.bak"))
    with pytest.raises(LockedError):
        restore_backup(db_path, backup, clock.now())
    restore_backup(db_path, backup, clock.now(), passphrase=P1)
    with Store.open(db_path, clock=clock, passphrase=P1) as s:
        assert s.table("reflections").all()[0]["appreciation"] == SECRET


def test_decrypt_writes_plain_text_again_backups_included(db_path, clock):
    tables, _ = encrypted(db_path, clock)
    with Store.open(db_path, clock=clock, background=False, passphrase=P1) as s:
        s.decrypt()
    with Store.open(db_path, clock=clock, background=False) as s:
        assert not s.encrypted
        assert all_tables(s) == tables
    for p in db_path.parent.glob("*.bak"):
        assert ENCRYPTION_HEADER.encode() not in p.read_bytes()


def test_changing_one_passphrase_keeps_the_other(db_path, clock):
    encrypted(db_path, clock)
    with Store.open(db_path, clock=clock, passphrase=P2) as s:
        assert s.unlocked_with == "partner-2"
        assert s.check_passphrase(P1) and not s.check_passphrase("nope")
        s.set_passphrase("partner-2", "a fresh one for two")
    with pytest.raises(WrongPassphraseError):
        Store.open(db_path, clock=clock, passphrase=P2)
    for secret in (P1, "a fresh one for two"):
        Store.open(db_path, clock=clock, passphrase=secret).close()


def _line_places(raw: bytes) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for line in raw.split(b"\n"):
        if line.startswith(b'"'):
            out.append((line.split(b'"')[1].decode(), pos, len(line)))
        pos += len(line) + 1
    return out


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_flipped_byte_in_any_line_is_named_as_damage_and_the_file_kept(db_path, clock, where):
    encrypted(db_path, clock)
    good = db_path.read_bytes()
    for name, start, length in _line_places(good):
        i = {"start": start + len(name) + 4, "middle": start + length // 2, "end": start + length - 3}[where]
        bad = bytearray(good)
        bad[i] ^= 0x04
        db_path.write_bytes(bytes(bad))
        for background in (False, True):
            try:
                with Store.open(db_path, clock=clock, background=background, passphrase=P1) as s:
                    all_tables(s)  # every table read: a damaged one must not come back as data
                    if background:
                        s.storage.check_now()
                        assert s.storage.error, f"{name}: {where} flip not found"
                        continue
                    pytest.fail(f"{name}: a flipped byte was read as data")
            except (DamagedDatabaseError, WrongPassphraseError) as exc:
                assert not isinstance(exc, WrongPassphraseError), f"{name}: damage taken for a wrong passphrase"
                assert "could not read" in str(exc)
        assert db_path.read_bytes() == bytes(bad)  # never overwritten
    db_path.write_bytes(good)


def test_a_table_line_rolled_back_alone_is_damage(db_path, clock):
    encrypted(db_path, clock)
    old = db_path.read_bytes()
    with Store.open(db_path, clock=clock, background=False, passphrase=P1) as s:
        s.table("agreements").insert({"text": "newer"})
    new = db_path.read_bytes()
    old_line = next(l for l in old.split(b"\n") if l.startswith(b'"agreements"'))
    mixed = b"\n".join(old_line.rstrip(b",") + (b"," if l.endswith(b",") else b"") if l.startswith(b'"agreements"') else l
                       for l in new.split(b"\n"))
    db_path.write_bytes(mixed)
    with pytest.raises(DamagedDatabaseError, match="agreements"):
        with Store.open(db_path, clock=clock, background=False, passphrase=P1) as s:
            pass


def test_the_staged_copy_holds_no_plain_text(db_path, clock, monkeypatch):
    """The writer stages the unchanged tables beside the file: for an encrypted file those are
    the sealed lines, copied as they are."""
    import tui.store.storage as storage

    monkeypatch.setattr(storage, "STAGE_MIN_BYTES", 0)
    encrypted(db_path, clock)
    with Store.open(db_path, clock=clock, passphrase=P1) as s:
        s.table("agreements").insert({"text": "again " + SECRET})
        assert s.flush()
        deadline = __import__("time").monotonic() + 10
        while s.storage._staged is None and __import__("time").monotonic() < deadline:
            __import__("time").sleep(0.01)
        assert s.storage._staged is not None
        staged = Path(s.storage._staged.tmp).read_bytes()
        assert b'"rounds_2024":{"z":"' in staged and SECRET.encode() not in staged
        s.table("reflections").insert({"appreciation": "one more " + SECRET})
        assert s.flush()
    with Store.open(db_path, clock=clock, background=False, passphrase=P1) as s:
        assert len(s.table("reflections").all()) == 2
    assert SECRET.encode() not in disk_text(db_path.parent)


def test_the_file_stays_private(db_path, clock):
    encrypted(db_path, clock)
    assert os.stat(db_path).st_mode & 0o777 == 0o600


@pytest.mark.parametrize("background", [False, True])
def test_every_table_of_real_use_round_trips(db_path, clock, background):
    """The demo's weeks of use (every activity's tables), encrypted and read back table by table."""
    from tui import demo

    with Store.open(db_path, clock=clock, background=False) as s:
        demo.populate(s, demo.SampleShape(weeks=8), now=clock.now())
        before = all_tables(s)
        s.encrypt({"partner-1": P1}, recovery=False, cost=CHEAP)
    assert len(before) >= 8
    with Store.open(db_path, clock=clock, background=background, passphrase=P1) as s:
        assert all_tables(s) == before
        if background:
            assert s.storage.check_now() is None  # the writer's check opens every line it did not read


def test_tables_read_once_without_keeping_them_open_sealed_lines(db_path, clock):
    """History, search and the export read a year at a time through `peek` (issue 17); on an
    encrypted file that path must open the sealed line too (the two were built on two branches)."""
    tables, _code = encrypted(db_path, clock)
    with Store.open(db_path, clock=clock, background=True, passphrase=P1) as s:
        assert s.storage.peek("rounds_2024") == tables["rounds_2024"]
        from tui.store.export import export_json

        exported = json.loads("".join(export_json(s)))
    assert exported["tables"]["agreements"] == tables["agreements"]


@pytest.mark.parametrize("background", [False, True])
def test_a_file_encrypted_before_lines_were_compressed_opens_and_saves(db_path, clock, monkeypatch, background):
    """A format-1 file (lines sealed as they are): it opens; a save keeps its unchanged lines as
    they were and writes the changed ones compressed; the mixed file opens again whole."""
    from tui.store import crypto

    def uncompressed(key, name, plain, packer=None):
        blob = key.seal(crypto.table_label(name), plain)
        return b'{"e":"' + crypto.b64(blob).encode() + b'"}', blob[:crypto.NONCE_BYTES]

    with monkeypatch.context() as m:
        m.setattr(crypto, "FORMAT", 1)
        m.setattr(crypto, "seal_table", uncompressed)
        tables, _ = encrypted(db_path, clock)
    raw = db_path.read_bytes()
    assert b'{"z":"' not in raw and json.loads(raw)[ENCRYPTION_HEADER]["format"] == 1
    with Store.open(db_path, clock=clock, background=background, passphrase=P2) as s:
        s.table("agreements").insert({"text": "a new one"})
        assert s.flush()
        tables = all_tables(s)
    raw = db_path.read_bytes()
    assert b'"agreements":{"z":"' in raw
    # opened lazily (as the app does), an unchanged line is copied as it was; read whole, all are new
    assert (b'"rounds_2024":{"e":"' in raw) == background
    assert json.loads(raw)[ENCRYPTION_HEADER]["format"] == 2
    for bg in (False, True):
        with Store.open(db_path, clock=clock, background=bg, passphrase=P1) as s:
            assert all_tables(s) == tables
