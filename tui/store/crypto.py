"""Encryption at rest: one random data key, wrapped once per partner passphrase and once for a
recovery code; each table line sealed on its own; a header that binds the set of tables.

Imported only when a file is encrypted (or is being encrypted), so a plain Hearth never loads
`cryptography` at start.

Why this shape:
- **Each table separately** (AES-256-GCM, a fresh random 96-bit nonce per seal, the table's name and
  the format version as associated data), so the store still reads tables lazily and copies an
  unchanged table's line into a save without decrypting it. A line moved to another table's name
  does not open.
- **A header that binds the set of tables**: it lists each table's nonce and carries an HMAC made
  with a key derived from the data key. A line from an older save has another nonce, so no table
  can be swapped, dropped, added or rolled back alone; only the whole file can go back (which is
  what restoring a backup does).
- **Key slots**: the data key wrapped with a key derived from each passphrase by Argon2id (its
  parameters and salt stored in the slot, so they can be raised later). Both partners' slots share
  one salt and one set of parameters, so unlocking runs Argon2id once, whoever types: with a salt
  each it would run twice for the second partner and break the one-second budget. Sharing a salt
  inside one file gives an attacker guessing both passphrases no more than it gives the couple:
  one derivation per guess, tried against two slots. The recovery code is 125 random bits, so a
  plain HKDF suffices for it (no second Argon2id at unlock).
- **Each line compressed before it is sealed** (format 2; DEFLATE at its fastest level): base64 adds
  a third to the ciphertext, and ten years of rounds, 15 MB of JSON, made a 20 MB file that every
  save staged again and fsynced. Compressed, it is about 3.9 MB, smaller than the plain file, so an
  encrypted save writes less than a plain one. What it costs: a line's length now says how well its
  text compresses, not only how long it is. That is a leak only to someone who can put chosen text
  into a table and watch the file's size change many times (the attack on TLS compression,
  CRIME), which is someone at the unlocked app or running code on the account: outside what this
  protects against. Backup tools with the same threat model (restic, Borg) compress too. A format-1
  line (not compressed) still opens: a file from an older Hearth keeps its unchanged lines as they
  are, and its changed lines are written as format 2. A line is compressed in 64 KiB pieces, each
  on its own, and the pieces of the last save are kept: saving an answer changes the end of this
  year's rounds, and only that piece is compressed again (see Packer).
- **Damage is told apart from a wrong passphrase**: the header carries a SHA-256 sum of itself, so
  a flipped byte anywhere in it (a key slot included) is reported as damage before any key is tried;
  a table that fails to open under a key that opened the header is damage too. Nothing is ever
  decrypted into wrong data: GCM refuses any change.

Keys live in memory only. Python cannot promise to wipe them from memory afterwards; an attacker who
can read the process's memory can read the words on screen anyway.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .schema import ENCRYPTION_HEADER

#: The encrypted file format this Hearth writes (2: lines compressed before sealing), and those it
#: reads. A format-1 file's lines and key slots keep their format-1 associated data.
FORMAT = 2
READS = (1, 2)
#: The format in each key slot's associated data (unchanged since format 1, so old slots open).
SLOT_FORMAT = 1
#: A table line's value: `{"e":"…"}` sealed as it is (format 1), `{"z":"…"}` compressed first.
PLAIN_LINE, PACKED_LINE = b'{"e":"', b'{"z":"'
LINE_KINDS = {"e": PLAIN_LINE, "z": PACKED_LINE}
#: zlib's fastest level: a year of rounds (1.2 MB) to about a fifth, in 7-18 ms here (the GIL let go).
PACK_LEVEL = 1
#: The plain bytes compressed on their own (see Packer).
PACK_PIECE = 64 * 1024
#: Raw DEFLATE's empty last block: it ends a run of pieces.
_PACK_END = b"\x03\x00"
#: The header's member name in the file (one line like every table).
HEADER = ENCRYPTION_HEADER
ABOUT = ("This Hearth database is encrypted. Open it with Hearth and a partner's passphrase "
         "(or the recovery code); without one of them its words cannot be read.")

NONCE_BYTES = 12
KEY_BYTES = 32
SALT_BYTES = 16
#: Slots: one per partner (0, 1) and the recovery code.
PARTNER_SLOTS = ("partner-1", "partner-2")
RECOVERY_SLOT = "recovery"
MIN_PASSPHRASE = 8
#: The recovery code: 25 characters of Crockford's base32 (125 bits), shown in five groups.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 25


class CryptoError(ValueError):
    """A problem with an encrypted file, worded for the people using Hearth. (A ValueError, as
    the storage treats any unreadable table as damage.)"""


class WrongPassphrase(CryptoError):
    """No key slot opened with what was typed; nothing was changed."""


class Damaged(CryptoError):
    """Some bytes of the encrypted file have changed; it is never read as data."""


class UnsupportedFormat(CryptoError):
    """Encrypted by a newer Hearth (or not a Hearth header at all)."""


# -- encoding -------------------------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def unb64(text: str | bytes, what: str) -> bytes:
    """Strict base64: a changed character is always damage, even one in the last group's spare bits
    (which a lenient decoder ignores, so the change would go unseen)."""
    raw = text.encode("ascii", "replace") if isinstance(text, str) else bytes(text)
    try:
        data = binascii.a2b_base64(raw, strict_mode=True)
    except (binascii.Error, ValueError):
        raise Damaged(f"{what} is not valid base64 (some of its bytes have changed)") from None
    tail = len(data) - (len(data) - 1) % 3 - 1 if data else 0
    if not raw.endswith(binascii.b2a_base64(data[tail:], newline=False)):
        raise Damaged(f"{what} has changed (its last characters)")
    return data


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def normalize_passphrase(text: str) -> bytes:
    """The same passphrase typed on two terminals may arrive as different Unicode (é as one
    character or two): NFC makes them one."""
    return unicodedata.normalize("NFC", text).encode("utf-8")


def same_passphrase(a: str, b: str) -> bool:
    """Whether two typed passphrases would open the same way. Each partner needs their own: with
    one shared, changing "yours" later finds the other's slot first and changes theirs instead."""
    return normalize_passphrase(a) == normalize_passphrase(b)


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 5] for i in range(0, CODE_LENGTH, 5))


def normalize_code(text: str) -> str | None:
    """A typed recovery code as stored, or None if it cannot be one. Case, spaces, dashes and the
    letters people read as digits (O, I, L) do not matter."""
    cleaned = text.upper().replace("-", "").replace(" ", "").replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned


# -- key derivation -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost. RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes); measured on
    the project machine at 0.3-0.7 s (two shared cores), inside the one-second unlock budget."""

    salt: bytes
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    @classmethod
    def fresh(cls, **cost: int) -> "KdfParams":
        return cls(salt=os.urandom(SALT_BYTES), **cost)

    def to_json(self) -> dict[str, Any]:
        return {"alg": "argon2id", "salt": b64(self.salt), "m": self.memory_kib, "t": self.iterations, "p": self.lanes}

    @classmethod
    def from_json(cls, obj: Any) -> "KdfParams":
        if not isinstance(obj, dict) or obj.get("alg") != "argon2id":
            raise UnsupportedFormat("a key slot uses a key derivation this Hearth does not know")
        try:
            m, t, p = int(obj["m"]), int(obj["t"]), int(obj["p"])
        except (KeyError, TypeError, ValueError):
            raise Damaged("a key slot's parameters cannot be read") from None
        # Bounds: a hostile file must not make Hearth allocate terabytes or spin for hours.
        if not (8 * p <= m <= 4 * 1024 * 1024 and 1 <= t <= 64 and 1 <= p <= 64):
            raise UnsupportedFormat(f"a key slot asks for key derivation costs Hearth will not run (m={m}, t={t}, p={p})")
        return cls(salt=unb64(obj.get("salt", ""), "a key slot's salt"), memory_kib=m, iterations=t, lanes=p)

    def derive(self, passphrase: str) -> bytes:
        return Argon2id(salt=self.salt, length=KEY_BYTES, iterations=self.iterations, lanes=self.lanes,
                        memory_cost=self.memory_kib).derive(normalize_passphrase(passphrase))


def _hkdf(secret: bytes, salt: bytes, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=label.encode("utf-8")).derive(secret)


# -- the data key -----------------------------------------------------------------------------------------

class DataKey:
    """The random key that encrypts everything; never stored unwrapped. `seal`/`open` take a label
    (the associated data), so a blob sealed for one purpose never opens as another; the store uses
    `table_label`, other files (sync) can use their own."""

    __slots__ = ("_aead", "_mac_key", "_raw")

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._raw = raw
        self._aead = AESGCM(raw)
        self._mac_key = _hkdf(raw, b"", "hearth header mac")

    @classmethod
    def generate(cls) -> "DataKey":
        return cls(AESGCM.generate_key(bit_length=256))

    def __repr__(self) -> str:
        return "DataKey(…)"  # never the key itself, not even in a traceback

    def seal(self, label: str, plaintext: bytes) -> bytes:
        """nonce ‖ ciphertext ‖ tag, with `label` bound as associated data. For any file sealed
        with this key (sync's change files too): give each kind of file its own label, so that a
        blob sealed for one never opens as another. `unseal` opens it."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, label.encode("utf-8"))

    def unseal(self, label: str, blob: bytes) -> bytes:
        """The plaintext `seal(label, …)` sealed, or Damaged if any byte of `blob` (or the label)
        differs from what was sealed: never wrong data."""
        if len(blob) < NONCE_BYTES + 16:
            raise Damaged(f"the encrypted data for {label!r} is cut short")
        try:
            return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], label.encode("utf-8"))
        except InvalidTag:
            raise Damaged(f"the encrypted data for {label!r} does not match its key (some of its bytes have changed)") from None

    open = unseal  # the name the store used first

    def mac(self, data: bytes) -> bytes:
        return hmac.new(self._mac_key, data, hashlib.sha256).digest()

    def wrap(self, kek: bytes, label: str) -> tuple[bytes, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        return nonce, AESGCM(kek).encrypt(nonce, self._raw, label.encode("utf-8"))

    @classmethod
    def unwrap(cls, kek: bytes, nonce: bytes, wrapped: bytes, label: str) -> "DataKey | None":
        try:
            return cls(AESGCM(kek).decrypt(nonce, wrapped, label.encode("utf-8")))
        except (InvalidTag, ValueError):
            return None


# -- compressing a line ------------------------------------------------------------------------------------

def _pack_piece(piece: bytes) -> bytes:
    """One piece as raw DEFLATE blocks that end on a byte (a full flush) and refer to nothing before
    them: pieces compressed so simply follow one another in one stream."""
    packer = zlib.compressobj(PACK_LEVEL, zlib.DEFLATED, -15)
    return packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)


class Packer:
    """Compresses table lines, remembering each table's last pieces. A save re-seals a changed table
    whole, and this year's rounds are 1.2 MB at ten years: compressed whole at each answer, that
    was 7-18 ms of every save. An answer changes the end of the table, so each 64 KiB piece that is
    byte for byte what it was reuses its compressed bytes (compared exactly, never by a checksum)."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[bytes, list[bytes]]] = {}

    def pack(self, name: str, plain: bytes) -> bytes:
        """`plain` as one raw DEFLATE stream (unpack() reads it back)."""
        old, packed = self._last.get(name, (b"", []))
        out = []
        for n, start in enumerate(range(0, len(plain), PACK_PIECE)):
            piece = plain[start:start + PACK_PIECE]
            same = n < len(packed) and old[start:start + PACK_PIECE] == piece
            out.append(packed[n] if same else _pack_piece(piece))
        self._last[name] = (plain, out)  # one tuple: another thread sees the old pair or the new
        return b"".join(out) + _PACK_END


def unpack(data: bytes) -> bytes:
    return zlib.decompress(data, -15)


def table_label(name: str, packed: bool = False) -> str:
    """A table line's associated data: its name and its format (a compressed line's differs, so
    no line opens as the other kind)."""
    return f"hearth table v{2 if packed else 1}\0{name}"


# -- key slots and the header ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """The data key wrapped under one passphrase (kdf set) or under the recovery code (kdf None)."""

    id: str
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams | None = None
    salt: bytes = b""  # the recovery code's HKDF salt

    def label(self) -> str:
        params = canonical(self.kdf.to_json()) if self.kdf else canonical({"alg": "hkdf-sha256", "salt": b64(self.salt)})
        return f"hearth slot v{SLOT_FORMAT}\0{self.id}\0{params.decode('ascii')}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"nonce": b64(self.nonce), "key": b64(self.wrapped)}
        if self.kdf:
            out["kdf"] = self.kdf.to_json()
        else:
            out["kdf"] = {"alg": "hkdf-sha256", "salt": b64(self.salt)}
        return out

    @classmethod
    def from_json(cls, slot_id: str, obj: Any) -> "Slot":
        if not isinstance(obj, dict) or not isinstance(obj.get("kdf"), dict):
            raise Damaged(f"key slot '{slot_id}' cannot be read")
        nonce = unb64(obj.get("nonce", ""), f"key slot '{slot_id}'")
        wrapped = unb64(obj.get("key", ""), f"key slot '{slot_id}'")
        if obj["kdf"].get("alg") == "hkdf-sha256":
            return cls(slot_id, nonce, wrapped, None, unb64(obj["kdf"].get("salt", ""), f"key slot '{slot_id}'"))
        return cls(slot_id, nonce, wrapped, KdfParams.from_json(obj["kdf"]))


def _slot_for(key: DataKey, slot_id: str, secret: str, kdf: KdfParams | None) -> Slot:
    if kdf is None:
        salt = os.urandom(SALT_BYTES)
        code = normalize_code(secret)
        assert code is not None, "a recovery code made by new_recovery_code()"
        slot = Slot(slot_id, b"", b"", None, salt)
        kek = _hkdf(code.encode("ascii"), salt, "hearth recovery code")
    else:
        slot = Slot(slot_id, b"", b"", kdf)
        kek = kdf.derive(secret)
    nonce, wrapped = key.wrap(kek, slot.label())
    return replace(slot, nonce=nonce, wrapped=wrapped)


@dataclass
class Header:
    """The encrypted file's header: its key slots and the nonce of each table's line, bound
    together by an HMAC under the data key. Rewritten with each save."""

    slots: dict[str, Slot]
    tables: dict[str, bytes] = field(default_factory=dict)  # table name -> the nonce of its line

    # -- making and changing -------------------------------------------------------------------------
    @classmethod
    def create(cls, passphrases: dict[str, str], *, recovery: bool = True,
               cost: dict[str, int] | None = None) -> tuple[DataKey, "Header", str | None]:
        """A new data key wrapped for each partner's passphrase (slot id -> passphrase) and, if
        asked, for a fresh recovery code (returned, to show once)."""
        if not passphrases:
            raise ValueError("at least one passphrase")
        key = DataKey.generate()
        kdf = KdfParams.fresh(**(cost or {}))
        slots = {sid: _slot_for(key, sid, p, kdf) for sid, p in passphrases.items()}
        code = None
        if recovery:
            code = new_recovery_code()
            slots[RECOVERY_SLOT] = _slot_for(key, RECOVERY_SLOT, code, None)
        return key, cls(slots), code

    def shared_kdf(self) -> KdfParams:
        """The parameters a new partner slot gets: the other partner's (one derivation at unlock)."""
        for sid in PARTNER_SLOTS:
            if sid in self.slots and self.slots[sid].kdf:
                return self.slots[sid].kdf  # type: ignore[return-value]
        return KdfParams.fresh()

    def set_passphrase(self, key: DataKey, slot_id: str, passphrase: str) -> None:
        self.slots[slot_id] = _slot_for(key, slot_id, passphrase, self.shared_kdf())

    def new_recovery_code(self, key: DataKey) -> str:
        code = new_recovery_code()
        self.slots[RECOVERY_SLOT] = _slot_for(key, RECOVERY_SLOT, code, None)
        return code

    def remove_slot(self, slot_id: str) -> None:
        if len([s for s in self.slots if s != slot_id]) == 0:
            raise ValueError("the last key slot")
        self.slots.pop(slot_id, None)

    # -- unlocking ---------------------------------------------------------------------------------------
    def unlock(self, secret: str, mac: bytes | None = None, body: bytes | None = None) -> tuple[DataKey, str]:
        """The data key and the id of the slot that opened with `secret`, or WrongPassphrase.

        Argon2id runs once per distinct parameter set among the partner slots (once, normally);
        a typed recovery code costs only an HKDF. Given the header's `mac` over `body`, it is
        checked with the key found (Damaged if it does not match)."""
        found: tuple[DataKey, str] | None = None
        code = normalize_code(secret)
        recovery = self.slots.get(RECOVERY_SLOT)
        if code and recovery and recovery.kdf is None:
            kek = _hkdf(code.encode("ascii"), recovery.salt, "hearth recovery code")
            key = DataKey.unwrap(kek, recovery.nonce, recovery.wrapped, recovery.label())
            if key:
                found = key, RECOVERY_SLOT
        if found is None:
            derived: dict[KdfParams, bytes] = {}
            for sid, slot in sorted(self.slots.items()):
                if slot.kdf is None:
                    continue
                if slot.kdf not in derived:
                    derived[slot.kdf] = slot.kdf.derive(secret)
                key = DataKey.unwrap(derived[slot.kdf], slot.nonce, slot.wrapped, slot.label())
                if key:
                    found = key, sid
                    break
        if found is None:
            raise WrongPassphrase("that passphrase did not open it")
        if mac is not None and body is not None and not hmac.compare_digest(found[0].mac(body), mac):
            raise Damaged("the encryption header does not match its key (it has been changed)")
        return found

    # -- the file's header line -----------------------------------------------------------------------
    def _body(self, tables: dict[str, bytes]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "slots": {sid: slot.to_json() for sid, slot in sorted(self.slots.items())},
            "tables": {name: b64(nonce) for name, nonce in sorted(tables.items())},
        }

    def to_json(self, key: DataKey, tables: dict[str, bytes] | None = None) -> dict[str, Any]:
        """The header as written, listing `tables` (name -> nonce; default: self.tables)."""
        body = self._body(self.tables if tables is None else tables)
        summed = {"about": ABOUT, **body, "mac": b64(key.mac(canonical(body)))}
        return {**summed, "sum": hashlib.sha256(canonical(summed)).hexdigest()[:32]}

    def member(self, key: DataKey, tables: dict[str, bytes] | None = None) -> bytes:
        """The header as one line of the file: `"_encryption":{...}`."""
        return json.dumps(HEADER).encode("ascii") + b":" + canonical(self.to_json(key, tables))

    @classmethod
    def parse(cls, obj: Any) -> tuple["Header", bytes, bytes]:
        """The header, its MAC and the bytes the MAC covers, from the parsed header value.
        Damaged if any byte changed; UnsupportedFormat if a newer Hearth wrote it."""
        if not isinstance(obj, dict):
            raise Damaged("the encryption header is not an object")
        fmt = obj.get("format")
        summed = {k: v for k, v in obj.items() if k != "sum"}
        if obj.get("sum") != hashlib.sha256(canonical(summed)).hexdigest()[:32]:
            raise Damaged("the encryption header has changed (its checksum does not match; a key slot or the "
                          "list of tables may be damaged)")
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
            raise UnsupportedFormat(f"it was encrypted by a newer Hearth (format {fmt}; this Hearth reads up to "
                                    f"{FORMAT}). Update Hearth to open it")
        if isinstance(fmt, bool) or fmt not in READS:
            raise Damaged("the encryption header's format is not a number Hearth knows")
        body = {k: v for k, v in summed.items() if k not in ("about", "mac")}
        slots_obj, tables_obj = body.get("slots"), body.get("tables")
        if not isinstance(slots_obj, dict) or not slots_obj or not isinstance(tables_obj, dict):
            raise Damaged("the encryption header has no key slots or no list of tables")
        slots = {str(sid): Slot.from_json(str(sid), s) for sid, s in slots_obj.items()}
        tables = {str(n): unb64(v, f"the nonce of table '{n}'") if isinstance(v, str) else b"" for n, v in tables_obj.items()}
        header = cls(slots, tables)
        mac = unb64(obj["mac"] if isinstance(obj.get("mac"), str) else "", "the header's MAC")
        return header, mac, canonical(body)


# -- table lines ------------------------------------------------------------------------------------------

def seal_table(key: DataKey, name: str, plain: bytes, packer: Packer | None = None) -> tuple[bytes, bytes]:
    """(the table's value as written in the file, its nonce): `{"z":"<base64>"}`, the JSON
    compressed (by `packer`, which remembers the pieces of the last save), then sealed."""
    blob = key.seal(table_label(name, packed=True), (packer or Packer()).pack(name, plain))
    return PACKED_LINE + binascii.b2a_base64(blob, newline=False) + b'"}', blob[:NONCE_BYTES]


def line_value(value: Any) -> bytes | None:
    """A parsed line's value (`{"z": "…"}` or `{"e": "…"}`) as its bytes in the file, or None if
    it is not an encrypted line."""
    if isinstance(value, dict) and len(value) == 1:
        (kind, text), = value.items()
        if kind in LINE_KINDS and isinstance(text, str):
            return LINE_KINDS[kind] + text.encode("ascii", "replace") + b'"}'
    return None


def open_table(key: DataKey, listed: dict[str, bytes], name: str, value: bytes) -> bytes:
    """The plaintext JSON of a table's line value, or Damaged: its nonce must be the one the header
    lists for that name (no line from another save or another table), and GCM must accept it."""
    expected = listed.get(name)
    if expected is None:
        raise Damaged(f"table '{name}' is not in the encryption header's list (a line was added or renamed)")
    packed = value.startswith(PACKED_LINE)
    if not ((packed or value.startswith(PLAIN_LINE)) and value.endswith(b'"}')):
        raise Damaged(f"table '{name}' is not an encrypted line")
    blob = unb64(value[6:-2], f"table '{name}'")
    if not hmac.compare_digest(blob[:NONCE_BYTES], expected):
        raise Damaged(f"table '{name}' is not the one this file's header lists (a line from another save?)")
    try:
        plain = key.unseal(table_label(name, packed), blob)
    except Damaged:
        raise Damaged(f"table '{name}' does not open with this file's key (some of its bytes have changed)") from None
    if not packed:
        return plain
    try:
        return unpack(plain)
    except zlib.error:  # sealed with this key, so written by Hearth: yet it does not unpack
        raise Damaged(f"table '{name}' opens but does not unpack") from None


def missing_tables(header: Header, names: set[str]) -> list[str]:
    """Tables the header lists that the file does not hold (a line dropped)."""
    return sorted(set(header.tables) - names)


# -- a whole file (for tests, `hearth encrypt`, and other files such as sync) -----------------------------

def write_lines(key: DataKey, header: Header, tables: dict[str, bytes]) -> bytes:
    """A file in the store's one-table-per-line shape: each table's plain JSON value sealed,
    then the header line, which lists them."""
    listed: dict[str, bytes] = {}
    lines = []
    for name, plain in sorted(tables.items()):
        value, nonce = seal_table(key, name, plain)
        listed[name] = nonce
        lines.append(json.dumps(name).encode("ascii") + b":" + value)
    header.tables = listed
    lines.append(header.member(key))
    return b"{\n" + b",\n".join(lines) + b"\n}\n"


def header_of(data: Any) -> tuple[Header, bytes, bytes] | None:
    """The parsed header of a parsed file, or None if the file is not encrypted."""
    if not isinstance(data, dict) or HEADER not in data:
        return None
    return Header.parse(data[HEADER])


def read_lines(raw: bytes, secret: str) -> tuple[DataKey, Header, str, dict[str, bytes]]:
    """(key, header, the slot that opened, each table's plain JSON value) of a file written by
    write_lines. WrongPassphrase with nothing read; Damaged for any changed byte."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise Damaged("it is not valid JSON (some of its bytes have changed)") from None
    found = header_of(data)
    if found is None:
        raise Damaged("it has no encryption header")
    header, mac, body = found
    key, slot = header.unlock(secret, mac, body)
    names = {n for n in data if n != HEADER}
    gone = missing_tables(header, names)
    if gone:
        raise Damaged(f"table '{gone[0]}' is missing (its line was dropped)")
    plain = {}
    for name in sorted(names):
        value = line_value(data[name])
        if value is None:
            raise Damaged(f"table '{name}' is not an encrypted line")
        plain[name] = open_table(key, header.tables, name, value)
    return key, header, slot, plain
