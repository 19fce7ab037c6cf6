"""The store's side of encryption: what the storage calls to open a table's line and to seal one,
and the header line written with each save. Imported only for an encrypted file (it imports
`cryptography`); the storage itself only calls these methods.

The storage stays as it was: tables read lazily, unchanged lines copied into a save (still sealed,
never decrypted for that), changed tables encoded and then sealed, one line each.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from . import crypto
from .crypto import HEADER, DataKey, Damaged, Header, UnsupportedFormat, WrongPassphrase

__all__ = ["HEADER", "Sealer", "Damaged", "UnsupportedFormat", "WrongPassphrase", "unlock", "create"]


class Sealer:
    """The open file's data key and header. `source` holds each table's nonce as the file read at
    open lists it (the lines a save copies keep theirs)."""

    def __init__(self, key: DataKey, header: Header, slot: str | None = None) -> None:
        self.key = key
        self.header = header
        self.slot = slot  # the slot that opened it (whose passphrase, or the recovery code)
        self.source: dict[str, bytes] = dict(header.tables)
        self.packer = crypto.Packer()  # each table's compressed pieces of the last save

    # -- reading ---------------------------------------------------------------------------------
    def open_value(self, name: str, value: bytes) -> bytes:
        """A table's plain JSON from its line's value as the file read at open holds it."""
        return crypto.open_table(self.key, self.source, name, value)

    def missing(self, names: set[str]) -> str | None:
        """What is wrong when the header lists tables the file does not hold, or None."""
        gone = sorted(set(self.source) - names)
        return f"table '{gone[0]}' is missing (its line was dropped or renamed)" if gone else None

    def open_data(self, data: dict[str, Any]) -> dict[str, Any]:
        """Every table of a file read whole, opened (the header already taken out)."""
        problem = self.missing(set(data))
        if problem:
            raise Damaged(problem)
        out = {}
        for name, value in data.items():
            line = crypto.line_value(value)
            if line is None:
                raise Damaged(f"table '{name}' is not an encrypted line")
            out[name] = json.loads(self.open_value(name, line))
        return out

    # -- writing ---------------------------------------------------------------------------------
    def seal_member(self, name: str, member: bytes) -> bytes:
        """`"name":{plain}` → `"name":{"z":"…"}` (compressed, then sealed)."""
        head = len(json.dumps(name).encode("ascii")) + 1
        value, _ = crypto.seal_table(self.key, name, member[head:], self.packer)
        return member[:head] + value

    def header_member(self, members: list[tuple[str, bytes | None]]) -> bytes:
        """The header line for a file of these table lines: (name, the sealed member) for a line
        sealed in this session, (name, None) for one copied from the file read at open. Each
        nonce is read from the line itself, so the header always lists what the file holds."""
        tables = {}
        for name, member in members:
            if member is None:
                tables[name] = self.source[name]
            else:
                head = len(json.dumps(name)) + 1  # `"name":`, then the value as seal_member wrote it
                if member[head:head + 6] not in (crypto.PACKED_LINE, crypto.PLAIN_LINE):
                    raise Damaged(f"table '{name}' is not an encrypted line")
                tables[name] = crypto.unb64(member[head + 6:head + 22], f"table '{name}'")
        return self.header.member(self.key, tables)

    def same_key(self, header_value: Any) -> "Sealer | None":
        """A Sealer for another file (a backup of this one) if its header was made with this
        very key, else None. Damaged if its header has changed."""
        header, mac, body = Header.parse(header_value)
        if not hmac.compare_digest(self.key.mac(body), mac):
            return None
        return Sealer(self.key, header, None)

    def matches(self, secret: str) -> bool:
        """Whether `secret` opens this file's header to this very key (Lock now, and changing a
        passphrase, ask for it again)."""
        try:
            key, _ = self.header.unlock(secret)
        except WrongPassphrase:
            return False
        return hmac.compare_digest(key.mac(b"same key"), self.key.mac(b"same key"))


def unlock(header_value: bytes | Any, secret: str) -> Sealer:
    """A Sealer for a file whose header line's value is `header_value` (bytes or parsed).
    WrongPassphrase, Damaged or UnsupportedFormat otherwise; nothing is written."""
    if isinstance(header_value, (bytes, bytearray)):
        try:
            header_value = json.loads(header_value)
        except ValueError:
            raise Damaged("the encryption header is not valid JSON (some of its bytes have changed)") from None
    header, mac, body = Header.parse(header_value)
    key, slot = header.unlock(secret, mac, body)
    return Sealer(key, header, slot)


def create(passphrases: dict[str, str], *, recovery: bool = True,
           cost: dict[str, int] | None = None) -> tuple[Sealer, str | None]:
    """A Sealer for a file about to be encrypted, and the recovery code to show once (or None)."""
    key, header, code = Header.create(passphrases, recovery=recovery, cost=cost)
    return Sealer(key, header, next(iter(passphrases))), code
