"""Each table line carries a checksum (issue 14, 'silent damage'): a flipped byte anywhere is
reported as damage with the file's name and the newest good backup, never read as data. The file
stays plain JSON, and older files without checksums still open and gain them at the next save."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tui.core.clock import FakeClock
from tui.demo import DEMO, populate
from tui.store import DamagedDatabaseError, Store, files
from tui.store.storage import INTEGRITY

from tests.conftest import START


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> tuple[bytes, dict]:
    """The demo database as Hearth writes it, and its tables."""
    path = tmp_path_factory.mktemp("demo") / "hearth.json"
    with Store.open(path, clock=FakeClock(START), background=False) as s:
        populate(s, DEMO)
    raw = path.read_bytes()
    data = json.loads(raw)
    assert INTEGRITY in data  # plain JSON, readable by any tool
    del data[INTEGRITY]
    return raw, data


def read_as_the_app_does(path: Path) -> tuple[dict | None, str | None]:
    """Open as `hearth` does (lazily, checked by the writer), then read every table: the tables,
    or the damage reported."""
    try:
        with Store.open(path, clock=FakeClock(START)) as s:
            tables = {name: s.storage.read()[name] for name in list(s.storage.read())}
            s.storage.check_soon()
            assert s.storage.check_done.wait(30)
            if s.storage.stopped:
                return None, s.save_error
            return tables, None
    except DamagedDatabaseError as exc:
        return None, str(exc)


def test_every_flipped_byte_is_reported_with_the_file_and_its_newest_good_backup(tmp_path: Path, demo_file):
    raw, data = demo_file
    path = tmp_path / "hearth.json"
    good = files.backup_name(path, START.date())
    good.write_bytes(raw)  # a good backup
    newer = files.backup_name(path, START.date().replace(day=START.day + 1))
    newer.write_bytes(raw[:100])  # a newer one that is itself damaged
    rng = random.Random(14)
    places = sorted(rng.sample(range(len(raw)), 150)) + [0, 1, 2, len(raw) - 2, len(raw) - 1]
    places += [raw.rindex(b'"_integrity"') + k for k in range(0, 60, 3)]
    silent = []
    for place in places:
        flipped = bytearray(raw)
        flipped[place] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(flipped))
        tables, problem = read_as_the_app_does(path)
        if problem is None:
            if tables != data:
                silent.append(place)
            continue
        assert str(path) in problem and "could not read" in problem
        assert f"newest good backup is {good}" in problem, problem
        assert path.read_bytes() == bytes(flipped)  # left exactly as it is
    assert not silent, f"flips read as data at bytes {silent[:5]}"


def test_a_flip_is_found_by_a_whole_read_too(tmp_path: Path, demo_file):
    raw, _ = demo_file
    path = tmp_path / "hearth.json"
    place = raw.index(b'"text":"') + 9
    flipped = raw[:place] + bytes([raw[place] ^ 0x20]) + raw[place + 1:]
    path.write_bytes(flipped)
    with pytest.raises(DamagedDatabaseError, match="checksum"):
        Store.open(path, clock=FakeClock(START), background=False)


def test_a_lost_line_is_damage(tmp_path: Path, demo_file):
    raw, _ = demo_file
    lines = raw.split(b"\n")
    path = tmp_path / "hearth.json"
    path.write_bytes(b"\n".join(lines[:3] + lines[4:]))
    tables, problem = read_as_the_app_does(path)
    assert tables is None and "missing" in problem


def test_an_older_file_without_checksums_opens_and_gains_them(tmp_path: Path, demo_file):
    raw, data = demo_file
    lines = raw.split(b"\n")
    older = b"\n".join([*lines[:-4], lines[-4].removesuffix(b","), *lines[-2:]]).replace(b',"integrity":"crc32"', b"")
    assert b"_integrity" not in older and b"crc32" not in older
    path = tmp_path / "hearth.json"
    path.write_bytes(older)
    tables, problem = read_as_the_app_does(path)
    assert problem is None and tables["rounds_2026"] == data["rounds_2026"]
    with Store.open(path, clock=FakeClock(START)) as s:
        s.table("notes").insert({"text": "new"})
        assert s.flush()
    assert b'"_integrity":' in path.read_bytes() and b'"integrity":"crc32"' in path.read_bytes()
    tables, problem = read_as_the_app_does(path)
    assert problem is None and tables["notes"]["1"]["text"] == "new"
    with Store.open(path, clock=FakeClock(START), background=False) as s:  # the whole-read path agrees
        assert s.table("notes").all()[0]["text"] == "new"
