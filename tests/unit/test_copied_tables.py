"""Issue 17: the tables a save copies from the file read at open are copied file to file, never
gathered in memory (at twenty years that was 29 MiB more at every save), and the copy gives the
same bytes whichever way the system lets it be made."""

from __future__ import annotations

import errno
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from tui.store import Store
from tui.store import files
from tui.store import storage


@pytest.fixture
def source(tmp_path: Path):
    path = tmp_path / "source.bin"
    path.write_bytes(bytes(range(256)) * 4096)  # 1 MiB of known bytes
    fd = os.open(path, os.O_RDONLY)
    yield fd
    os.close(fd)


def _written(tmp_path: Path, data) -> bytes:
    tmp, f = files.prepare_temp(tmp_path / "out.json", data)
    f.close()
    out = Path(tmp).read_bytes()
    os.unlink(tmp)
    return out


@pytest.mark.parametrize("kernel", [True, False], ids=["kernel copy", "read and write"])
def test_a_file_range_is_written_as_the_bytes_it_names(tmp_path, source, monkeypatch, kernel):
    monkeypatch.setattr(files, "_kernel_copy", kernel and hasattr(os, "copy_file_range"))
    monkeypatch.setattr(files, "COPY_PIECE", 4096 * 3 + 1)  # pieces that do not divide the range
    whole = os.pread(source, 1 << 20, 0)
    data = [b"{\n", files.FileRange(source, 1000, 300_000), b",\n", files.FileRange(source, 7, 5), b"}"]
    assert _written(tmp_path, data) == b"{\n" + whole[1000:301_000] + b",\n" + whole[7:12] + b"}"
    assert bytes(files.FileRange(source, 1000, 300_000)) == whole[1000:301_000]


def test_a_system_that_cannot_copy_between_files_falls_back_to_reading(tmp_path, source, monkeypatch):
    def refuse(*args):
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(files, "_kernel_copy", True)
    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    assert _written(tmp_path, [files.FileRange(source, 10, 20)]) == os.pread(source, 20, 10)
    assert files._kernel_copy is False  # asked once, not at every save


def test_a_disk_error_during_the_copy_is_the_save_s_error(tmp_path, source, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_kernel_copy", True)
    monkeypatch.setattr(os, "copy_file_range", full, raising=False)
    with pytest.raises(OSError) as caught:
        files.atomic_write(tmp_path / "out.json", [b"{", files.FileRange(source, 0, 10)])
    assert caught.value.errno == errno.ENOSPC
    assert not (tmp_path / "out.json").exists() and not list(tmp_path.glob(".*.tmp"))


def test_a_source_that_ends_early_is_an_error_not_a_short_file(tmp_path, source):
    with pytest.raises(OSError, match="ended early"):
        files.atomic_write(tmp_path / "out.json", [files.FileRange(source, (1 << 20) - 10, 20)])
    assert not (tmp_path / "out.json").exists()


def _big_settled_database(db_path: Path, clock) -> int:
    """Four old years of 2 MB each that stay unchanged, and a small table that changes."""
    with Store.open(db_path, clock=clock, background=False) as s:
        for year in range(2017, 2021):
            s.table(f"old_{year}").insert_multiple({"year": year, "text": f"{i:04d}" + "x" * 2000} for i in range(1000))
        s.table("notes").insert({"text": "first"})
    return db_path.stat().st_size


def _wait_until(condition, timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.005)  # polling a condition the writer thread sets


@pytest.mark.parametrize("kernel", [True, False], ids=["kernel copy", "read and write"])
def test_saving_and_staging_never_hold_the_unchanged_tables_in_memory(db_path, clock, monkeypatch, kernel):
    monkeypatch.setattr(files, "_kernel_copy", kernel and hasattr(os, "copy_file_range"))
    size = _big_settled_database(db_path, clock)
    assert size > 8_000_000
    with Store.open(db_path, clock=clock) as s:
        s.storage.check_soon()
        assert s.storage.check_done.wait(30)
        tracemalloc.start()
        try:
            for text in ("second", "third"):
                s.table("notes").insert({"text": text})  # the first save writes the whole file, the next adds to the staged part
                assert s.flush()
                _wait_until(lambda: s.storage._staged is not None)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < files.COPY_PIECE + 512 * 1024, f"{peak / 2**20:.1f} MiB at the peak"
    on_disk = json.loads(db_path.read_text())
    assert [d["text"] for d in on_disk["notes"].values()] == ["first", "second", "third"]
    assert all(len(on_disk[f"old_{year}"]) == 1000 for year in range(2017, 2021))
    with Store.open(db_path, clock=clock) as s:  # the checksums of the copied lines still hold
        s.storage.check_soon()
        assert s.storage.check_done.wait(30) and s.storage.damage is None
