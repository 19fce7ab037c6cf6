"""The encryption module alone: round trips, wrong passphrases, and any changed byte is damage."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from tui.store import crypto
from tui.store.crypto import Damaged, Header, WrongPassphrase
from tests.helpers import CHEAP_KDF as CHEAP

TABLES = {
    "agreements": json.dumps({"1": {"text": "We take turns cooking on weekdays"}}).encode(),
    "rounds_2024": json.dumps({"1": {"answers": ["the sea at dawn", "ünïcödé ✓"]}}).encode(),
    "profile": b"{}",
}


def make(recovery: bool = True):
    key, header, code = Header.create({"partner-1": "first partner's words", "partner-2": "second one's words"},
                                      recovery=recovery, cost=CHEAP)
    return key, header, code, crypto.write_lines(key, header, dict(TABLES))


def test_round_trip_with_either_passphrase_and_the_code():
    _, _, code, raw = make()
    for secret, slot in [("first partner's words", "partner-1"), ("second one's words", "partner-2"),
                         (code, "recovery"), (code.lower().replace("-", " "), "recovery")]:
        _, _, opened, tables = crypto.read_lines(raw, secret)
        assert opened == slot
        assert tables == TABLES


def test_no_plain_text_in_the_file():
    _, _, _, raw = make()
    for word in (b"cooking", b"sea at dawn", b"\\u00fc"):
        assert word not in raw
    assert b"encrypted" in raw  # a person opening the file sees what it is


@pytest.mark.parametrize("wrong", ["", "first partner's word", "FIRST PARTNER'S WORDS", "0000-0000-0000-0000-00000"])
def test_a_wrong_passphrase_opens_nothing(wrong):
    _, _, _, raw = make()
    with pytest.raises(WrongPassphrase):
        crypto.read_lines(raw, wrong)


def test_unicode_passphrases_match_however_they_were_typed():
    key, header, _ = Header.create({"partner-1": "caf\u00e9 au lait"}, recovery=False, cost=CHEAP)
    raw = crypto.write_lines(key, header, dict(TABLES))
    assert crypto.read_lines(raw, "cafe\u0301 au lait")[2] == "partner-1"


def resum(head: dict) -> None:
    """Recompute the header's plain checksum, as someone editing it on purpose could."""
    head["sum"] = hashlib.sha256(crypto.canonical({k: v for k, v in head.items() if k != "sum"})).hexdigest()[:32]


def flipped(raw: bytes, i: int) -> bytes:
    out = bytearray(raw)
    out[i] ^= 1 << random.Random(i).randrange(8)
    return bytes(out)


def test_every_flipped_byte_is_damage_never_wrong_data():
    """Each byte of the file in turn (tables, header, key slots), one bit flipped: reported as
    damage, never read as other data and never taken for a wrong passphrase."""
    _, _, _, raw = make()
    for i in range(len(raw)):
        with pytest.raises(Damaged):
            crypto.read_lines(flipped(raw, i), "first partner's words")


def test_a_table_line_from_an_older_save_is_damage():
    key, header, _, old = make()
    newer_tables = dict(TABLES, agreements=b'{"1":{"text":"changed"}}')
    new = crypto.write_lines(key, header, newer_tables)
    old_line = next(l for l in old.split(b"\n") if l.startswith(b'"agreements"'))
    mixed = b"\n".join(old_line if l.startswith(b'"agreements"') else l for l in new.split(b"\n"))
    with pytest.raises(Damaged, match="agreements"):
        crypto.read_lines(mixed, "first partner's words")


def test_a_line_moved_to_another_table_or_dropped_is_damage():
    _, _, _, raw = make()
    lines = raw.split(b"\n")
    a = next(i for i, l in enumerate(lines) if l.startswith(b'"agreements"'))
    p = next(i for i, l in enumerate(lines) if l.startswith(b'"profile"'))
    swapped = list(lines)
    swapped[a] = b'"agreements"' + lines[p][len(b'"profile"'):]
    swapped[p] = b'"profile"' + lines[a][len(b'"agreements"'):]
    with pytest.raises(Damaged):
        crypto.read_lines(b"\n".join(swapped), "second one's words")
    dropped = [l for i, l in enumerate(lines) if i != p]
    with pytest.raises(Damaged, match="missing"):
        crypto.read_lines(b"\n".join(dropped), "second one's words")


def test_a_header_with_its_checksum_remade_is_still_caught_by_its_mac():
    """Someone who edits the header on purpose can recompute the plain checksum, not the MAC."""
    _, _, _, raw = make()
    data = json.loads(raw)
    head = data[crypto.HEADER]
    head["tables"]["rounds_2024"] = head["tables"]["agreements"]
    resum(head)
    with pytest.raises(Damaged):
        crypto.read_lines(json.dumps(data).encode(), "first partner's words")


def test_changing_one_passphrase_keeps_the_other_and_the_data():
    key, header, code, _ = make()
    header.set_passphrase(key, "partner-2", "a brand new phrase")
    raw = crypto.write_lines(key, header, dict(TABLES))
    assert crypto.read_lines(raw, "a brand new phrase")[2] == "partner-2"
    assert crypto.read_lines(raw, "first partner's words")[2] == "partner-1"
    with pytest.raises(WrongPassphrase):
        crypto.read_lines(raw, "second one's words")
    assert crypto.read_lines(raw, code)[3] == TABLES
    # both partner slots share one Argon2id run at unlock
    assert header.slots["partner-1"].kdf == header.slots["partner-2"].kdf


def test_a_hostile_cost_is_refused_before_any_work():
    _, _, _, raw = make()
    data = json.loads(raw)
    data[crypto.HEADER]["slots"]["partner-1"]["kdf"]["m"] = 1 << 40
    resum(data[crypto.HEADER])
    with pytest.raises(crypto.UnsupportedFormat, match="will not run"):
        crypto.read_lines(json.dumps(data).encode(), "first partner's words")


def test_a_newer_format_is_named():
    _, _, _, raw = make()
    data = json.loads(raw)
    data[crypto.HEADER]["format"] = 9
    resum(data[crypto.HEADER])
    with pytest.raises(crypto.UnsupportedFormat, match="newer Hearth"):
        crypto.read_lines(json.dumps(data).encode(), "first partner's words")


def test_blobs_for_other_files_are_bound_to_their_label():
    """DataKey.seal / DataKey.unseal: the pair other files (sync's change files) use."""
    key = crypto.DataKey.generate()
    blob = key.seal("sync v1 peer-a", b"changes")
    assert key.unseal("sync v1 peer-a", blob) == b"changes"
    assert key.open("sync v1 peer-a", blob) == b"changes"  # the store's first name for it
    assert blob != key.seal("sync v1 peer-a", b"changes")  # a fresh nonce each time
    with pytest.raises(Damaged, match="does not match its key"):
        key.unseal("sync v1 peer-b", blob)
    for i in range(len(blob)):
        flipped = bytearray(blob)
        flipped[i] ^= 0x01
        with pytest.raises(Damaged):
            key.unseal("sync v1 peer-a", bytes(flipped))
    with pytest.raises(Damaged, match="cut short"):
        key.unseal("sync v1 peer-a", blob[:20])
    with pytest.raises(Damaged):
        crypto.DataKey.generate().unseal("sync v1 peer-a", blob)  # another key
    assert "…" in repr(key)


def test_lines_are_compressed_before_sealing():
    key, header, _ = Header.create({"partner-1": "first partner's words"}, recovery=False, cost=CHEAP)
    year = json.dumps({str(i): {"answers": ["we walked home in the rain and talked", str(i)]}
                       for i in range(2000)}).encode()
    raw = crypto.write_lines(key, header, {"rounds_2024": year})
    assert b'"rounds_2024":{"z":"' in raw
    assert len(raw) < len(year) / 3  # base64 adds a third; compression takes far more away
    _, _, _, plain = crypto.read_lines(raw, "first partner's words")
    assert plain == {"rounds_2024": year}
    assert json.loads(raw)[crypto.HEADER]["format"] == crypto.FORMAT == 2


def test_a_line_told_it_is_of_the_other_kind_is_damage():
    """The kind of line is in the associated data: `{"z"` made `{"e"` (or back) never opens."""
    _, _, _, raw = make()
    swapped = raw.replace(b'"agreements":{"z":"', b'"agreements":{"e":"')
    assert swapped != raw
    with pytest.raises(Damaged, match="agreements"):
        crypto.read_lines(swapped, "first partner's words")


def test_a_format_1_file_still_opens(monkeypatch):
    """Written as Hearth wrote it before lines were compressed: `{"e"` lines, a format-1 header."""
    def uncompressed(key, name, plain, packer=None):
        blob = key.seal(crypto.table_label(name), plain)
        return b'{"e":"' + crypto.b64(blob).encode() + b'"}', blob[:crypto.NONCE_BYTES]

    with monkeypatch.context() as m:
        m.setattr(crypto, "FORMAT", 1)
        m.setattr(crypto, "seal_table", uncompressed)
        _, _, code, raw = make()
    assert json.loads(raw)[crypto.HEADER]["format"] == 1 and b'{"e":"' in raw and b'{"z":"' not in raw
    for secret in ("first partner's words", "second one's words", code):
        _, _, _, plain = crypto.read_lines(raw, secret)
        assert plain == TABLES


def test_recovery_codes_are_long_and_readable():
    code = crypto.new_recovery_code()
    assert len(code) == 29 and code.count("-") == 4
    assert crypto.normalize_code(code.lower().replace("0", "o")) == code.replace("-", "")


def test_the_packer_compresses_again_only_the_pieces_that_changed(monkeypatch):
    rng = random.Random(7)
    words = "we walked home in the rain and talked about the summer".split()
    year = " ".join(rng.choice(words) for _ in range(60_000)).encode()  # about five pieces
    packer = crypto.Packer()
    first = packer.pack("rounds_2024", year)
    assert crypto.unpack(first) == year and len(first) < len(year) / 3
    packed = []
    real = crypto._pack_piece
    monkeypatch.setattr(crypto, "_pack_piece", lambda piece: packed.append(len(piece)) or real(piece))
    longer = year + b" and one more answer"
    assert crypto.unpack(packer.pack("rounds_2024", longer)) == longer
    assert len(packed) == 1  # only the last piece
    for at in (0, crypto.PACK_PIECE - 1, crypto.PACK_PIECE, len(year) // 2, len(year) - 1):
        changed = bytearray(longer)
        changed[at] ^= 0x20
        assert crypto.unpack(packer.pack("rounds_2024", bytes(changed))) == bytes(changed)
    shorter = longer[: crypto.PACK_PIECE + 10]
    assert crypto.unpack(packer.pack("rounds_2024", shorter)) == shorter
    assert crypto.unpack(packer.pack("rounds_2024", b"")) == b""
    assert crypto.unpack(packer.pack("other", shorter)) == shorter
