"""The `hearth` command. Textual is imported only when the app runs, so --help is instant."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Hearth: a calm terminal companion for couples. Run with no command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $HEARTH_DB, or hearth.json in the data folder)")
    parser.add_argument("--decks", metavar="DIR", action="append", default=[], help="extra deck folder (repeatable)")
    parser.add_argument("--demo", action="store_true", help="open a throwaway database with sample data")
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-fd", metavar="N", type=int,
                        help="for scripts: read passphrases from this file descriptor, one per line")
    secret.add_argument("--passphrase-file", metavar="PATH",
                        help="for scripts: read passphrases from this file, one per line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    decks = sub.add_parser("decks", help="list or check card decks")
    dsub = decks.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    dsub.add_parser("list", help="show every deck: id, title, card count, file")
    check = dsub.add_parser("check", help="validate decks; exit 1 with FILE:LINE: message for each problem")
    check.add_argument("paths", nargs="*", metavar="PATH", help="deck files or folders (default: shipped and user decks)")

    export = sub.add_parser("export", help="write the whole database as JSON (or Markdown)")
    export.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")
    export.add_argument("--format", choices=("json", "markdown"), default="json")

    agreements = sub.add_parser("agreements", help="work with your agreements")
    asub = agreements.add_subparsers(dest="agreements_command", metavar="ACTION", required=True)
    aexport = asub.add_parser("export", help="write all current agreements as printable Markdown")
    aexport.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")

    sub.add_parser("keys", help="list every key id for config.toml, with what it does and its default key")
    sub.add_parser("due", help="print what is due, one line each; exit 0 if something is, 1 if not (fast, for a login shell)")

    calendar = sub.add_parser("calendar", help="write the weekly reflection and agreement reviews as an iCalendar file")
    calendar.add_argument("--out", metavar="FILE", required=True, help="the .ics file to write (readable only by you)")
    calendar.add_argument("--day", help="set the reflection's day first (e.g. sunday); it is kept for next time")
    calendar.add_argument("--time", help="set the reflection's time first, 24-hour (e.g. 19:00); kept for next time")

    restore = sub.add_parser("restore", help="replace a damaged database with its newest (or a named) backup")
    restore.add_argument("backup", nargs="?", metavar="BACKUP", help="backup file (default: the newest)")

    encrypt = sub.add_parser("encrypt", help="lock the database with a passphrase for each partner",
                             description="Encrypt the database and its backups. Each partner gets a passphrase "
                             "(either one opens Hearth), plus a recovery code shown once. Without a passphrase or "
                             "the code, nothing in Hearth can be read again. From a script: one passphrase per "
                             "line (partner 1, then partner 2 or an empty line).")
    encrypt.add_argument("--no-recovery-code", action="store_true", help="make no recovery code")
    sub.add_parser("decrypt", help="turn encryption off: write the database as plain text again")
    passphrase = sub.add_parser("passphrase", help="change one partner's passphrase, or the recovery code",
                                description="Open with your passphrase (or the recovery code), then set a new one. "
                                "The other partner's passphrase is not touched. From a script: the current "
                                "passphrase on the first line, the new one on the second.")
    passphrase.add_argument("--partner", type=int, choices=(1, 2),
                            help="whose passphrase to set (default: the one you opened with)")
    passphrase.add_argument("--new-recovery-code", action="store_true",
                            help="make a new recovery code instead (the old one stops working)")
    passphrase.add_argument("--remove-recovery-code", action="store_true", help="remove the recovery code")
    link = sub.add_parser("link", help="keep this Hearth together with the other home's through a synced folder",
                          description="Link this Hearth to a folder that you keep in sync between your two "
                          "computers (Syncthing, Nextcloud, a network share, a USB stick). Each computer writes "
                          "only its own files there. The first computer to link sends everything it has; the "
                          "second one, new and empty, gets everything from the first.")
    link.add_argument("folder", help="the synced folder (made if it is not there yet)")
    link.add_argument("--partner", choices=("1", "2", "both"),
                      help="whose computer this is: partner 1, partner 2, or both of you (asked if not given)")
    sub.add_parser("unlink", help="stop keeping this Hearth together with the other home's (the folder is left as it is)")
    sub.add_parser("sync", help="merge once with the linked folder and say what came in (for scripts)")
    return parser


LOCK_WAIT_SECONDS = 1.0

FRAMES_PER_SECOND = "120"
"""Textual's ceiling on screen updates (its TEXTUAL_FPS, read when Textual is first imported).
At Textual's 60, a frame asked for soon after another waits 17-33 ms for its turn (after a pause
its timer skips to the second slot ahead, not the next): a search's first results, drawn after
the typed letter, came 40-50 ms after the key at twenty years, and 30-35 ms at 120. Frames are
still drawn only when something changed."""


def pace_frames(environ: MutableMapping[str, str]) -> None:
    """Set Textual's frame ceiling, before Textual is imported; a value the person set stays."""
    environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)


def fail(message: str, code: int = 1) -> int:
    """One calm message on standard error; in a terminal, wrapped between words to its width."""
    text = f"hearth: {message}"
    if sys.stderr.isatty():
        import shutil
        import textwrap

        width = shutil.get_terminal_size().columns - 1
        text = textwrap.fill(text, width=max(40, width), break_long_words=False, break_on_hyphens=False)
    print(text, file=sys.stderr)
    return code


def cmd_decks_list(args: argparse.Namespace) -> int:
    from .core.decks import load_decks
    from .paths import db_path, deck_dirs

    found = load_decks(deck_dirs(args.decks, db_path(args.db)))
    rows = [(d.id, d.title, str(len(d.cards)), str(d.path)) for d in found.decks]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(("ID", "TITLE", "CARDS", "FILE"))]
    for row in [("ID", "TITLE", "CARDS", "FILE"), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    total = sum(len(d.cards) for d in found.decks)
    print(f"{len(found.decks)} decks, {total} cards")
    for problem in found.problems:
        print(f"left out: {problem}", file=sys.stderr)
    return 0


def cmd_decks_check(args: argparse.Namespace) -> int:
    from .core.decks import load_decks
    from .core.lint import lint_decks
    from .paths import db_path, deck_dirs

    paths = [Path(p) for p in args.paths] if args.paths else deck_dirs(args.decks, db_path(args.db))
    found = load_decks(paths)
    problems = [str(p) for p in found.problems] + [str(p) for p in lint_decks(found.decks)]
    for line in problems:
        print(line)
    cards = sum(len(d.cards) for d in found.decks)
    if problems:
        print(f"{len(problems)} problem(s) in {len(found.decks)} good deck(s) and {len(found.broken_files)} broken file(s)", file=sys.stderr)
        return 1
    print(f"all good: {len(found.decks)} decks, {cards} cards", file=sys.stderr)
    return 0


def passphrases(args: argparse.Namespace):
    from .askpass import Source

    if getattr(args, "_passphrases", None) is None:
        args._passphrases = Source(args.passphrase_fd, args.passphrase_file)
    return args._passphrases


def with_passphrase(args: argparse.Namespace, path: Path, attempt):
    """`attempt(None)`; if the file is encrypted, ask for a passphrase and try with it. On a
    terminal a wrong one is asked again (no limit); from a script it ends the command."""
    from .store.errors import LockedError, WrongPassphraseError

    try:
        return attempt(None)
    except LockedError:
        pass
    source = passphrases(args)
    while True:
        secret = source.ask(f"Passphrase or recovery code for {path}: ")
        try:
            return attempt(secret)
        except WrongPassphraseError as exc:
            if not source.interactive:
                raise
            print(str(exc), file=sys.stderr)


class NoDatabase(Exception):
    """A command that reads what is saved was pointed at a file that isn't there (a typo in --db
    must not look like "everything is gone", nor leave an empty database behind)."""


def open_store(args: argparse.Namespace, *, must_exist: bool = True):
    from .paths import data_dir, db_path
    from .store import Store

    path = db_path(args.db)
    if must_exist and not path.exists():
        raise NoDatabase(f"there is no Hearth database at {path}: check the path given with --db or HEARTH_DB "
                         "(nothing was made or changed)")
    private = path.parent == data_dir()
    return with_passphrase(args, path, lambda secret: Store.open(
        path, background=False, private_folder=private, passphrase=secret))


def write_out(text: str, out: str | None, done: str, *, encrypted: bool = False) -> int:
    """Print `text`, or write it to `out` readable only by this account (it holds private words).
    From an encrypted Hearth, plain text goes only to a file named with --out, and it says so."""
    if encrypted and not out:
        return fail("this Hearth is encrypted, so its words are written out as plain text only when asked: "
                    "name a file with --out FILE (it is made readable only by you)")
    if not out:
        sys.stdout.write(text)
        return 0
    path = Path(out).expanduser()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)  # an existing file keeps its mode otherwise
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    if encrypted:
        say(f"{done} to {out} as plain text, not encrypted (readable only by this account). "
              "Delete it when you no longer need it.", file=sys.stderr)
    else:
        print(f"{done} to {out}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Written as it is made, a table (or a year of rounds) at a time: twenty years are never
    held whole. To a file, through a temporary one that replaces it only once all is written."""
    with open_store(args) as store:
        import gc

        gc.freeze()  # what was read at open lasts until the end: full collections need not walk it
        encrypted = store.encrypted
        if args.format == "markdown":
            from .store.markdown import markdown_parts

            parts = markdown_parts(store)
        else:
            from .store.export import export_json

            parts = export_json(store)
        if encrypted and not args.out:
            return write_out("", None, "exported", encrypted=True)  # says plain text goes only to a file
        if not args.out:
            for part in parts:
                sys.stdout.write(part)
            return 0
        path = Path(args.out).expanduser()
        temp = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "w", encoding="utf-8") as f:
                for part in parts:
                    f.write(part)
            os.replace(temp, path)
        except OSError as exc:
            return fail(f"cannot write {args.out}: {exc.strerror or exc}")
        finally:
            temp.unlink(missing_ok=True)
    if encrypted:
        say(f"exported to {args.out} as plain text, not encrypted (readable only by this account). "
              "Delete it when you no longer need it.", file=sys.stderr)
    else:
        print(f"exported to {args.out}", file=sys.stderr)
    return 0


def cmd_agreements_export(args: argparse.Namespace) -> int:
    from .store.agreements import markdown_document

    with open_store(args) as store:
        text = markdown_document(store)
        encrypted = store.encrypted
    return write_out(text, args.out, "agreements written", encrypted=encrypted)


def cmd_keys(args: argparse.Namespace) -> int:
    from .core.keymap import KEY_IDS
    from .paths import config_path

    width = max(len(i) for i in KEY_IDS)
    print(f"# ids for the [keys] table of {config_path()}")
    for binding_id, what in KEY_IDS.items():
        print(f"{binding_id.ljust(width)}  {what}")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    """Works while Hearth is open elsewhere: it reads the file as it is and never writes it."""
    from .core.clock import SystemClock
    from .paths import db_path, deck_dirs
    from .store.due import due_now
    from .store.readonly import Snapshot

    from .store.errors import StoreError

    path = db_path(args.db)
    if not path.exists():
        return 1  # nothing set up yet: nothing due, and nothing to say in a login shell
    from .store.errors import LockedError

    def read(secret: str | None) -> list[str]:
        with Snapshot.open(path, clock=SystemClock(), passphrase=secret) as snapshot:
            return due_now(snapshot, snapshot.clock.now(), deck_dirs(args.decks, db_path(args.db)))

    try:
        try:
            lines = read(None)
        except LockedError:
            if args.passphrase_fd is None and args.passphrase_file is None:
                return 1  # encrypted: what is due stays inside until a passphrase is given; a login shell hears nothing
            lines = read(passphrases(args).ask(""))
    except StoreError as exc:
        return fail(str(exc), 2)  # 2, not 1: "nothing is due" must not hide a damaged file
    for line in lines:
        print(line)
    return 0 if lines else 1


def cmd_calendar(args: argparse.Namespace) -> int:
    from .core.calendar import SlotError, parse_day, parse_time
    from .core.clock import SystemClock

    try:
        day = parse_day(args.day) if args.day else None
        at = parse_time(args.time) if args.time else None
    except SlotError as exc:
        return fail(str(exc))
    from .store.calendar import calendar_text, reflection_slot, reviews
    from .store.profile import set_setting

    with open_store(args) as store:
        if day is not None:
            set_setting(store, "reflection_day", day)
        if at is not None:
            set_setting(store, "reflection_time", at.strftime("%H:%M"))
        text = calendar_text(store, SystemClock().now())
        slot, count = reflection_slot(store), len(reviews(store))
    code = write_out(text, args.out, "calendar written")
    if code == 0:
        print(f"the weekly reflection on {slot.label}, and {count} agreement review(s); "
              "the file names your agreements, so keep it where only you can read it", file=sys.stderr)
    return code


def cmd_restore(args: argparse.Namespace) -> int:
    from .core.clock import SystemClock
    from .paths import db_path
    from .store import restore_backup

    path = db_path(args.db)
    used, aside = with_passphrase(args, path, lambda secret: restore_backup(
        path, Path(args.backup) if args.backup else None, SystemClock().now(), passphrase=secret))
    if aside:
        print(f"moved the old file aside to {aside}")
    print(f"restored {path} from {used}")
    return 0


def partner_names(store) -> list[str]:
    from .store.profile import load_couple

    couple = load_couple(store)
    return [p.name for p in couple.partners] if couple else ["partner 1", "partner 2"]


RECOVERY_WORDS = ("Your recovery code (shown this once; write it down and keep it away from this computer):")
NO_RECOVERY = ("Without a passphrase or the recovery code, nothing in Hearth can be read again: "
               "no one, Hearth included, can recover it.")


def say(text: str, file=None) -> None:
    """Print `text`; on a terminal, each paragraph wrapped between words to its width (a line cut
    mid-word, "co / mputer", is hard to read just when the words matter most)."""
    stream = file or sys.stdout
    if stream.isatty():
        import shutil
        import textwrap

        width = max(40, shutil.get_terminal_size().columns - 1)
        text = "\n".join(line if line.startswith("    ") else
                         textwrap.fill(line, width=width, break_long_words=False, break_on_hyphens=False)
                         for line in text.split("\n"))
    print(text, file=stream)


def show_code(code: str) -> None:
    say(f"{RECOVERY_WORDS}\n\n    {code}\n\n{NO_RECOVERY}")


def second_passphrase(source, names: list[str], first: str) -> str | None:
    """The second partner's passphrase, or None for "later". One the same as the first is refused
    (as Settings → Lock refuses it) and asked again: with one shared, `hearth passphrase` would
    change whichever slot it opens first, not the one meant."""
    from .askpass import NoPassphrase
    from .store.crypto import same_passphrase

    while True:
        second = source.ask_new(f"New passphrase for {names[1]} (or Enter to let them add it later): ", optional=True)
        if not second or not same_passphrase(second, first):
            return second
        words = (f"That is the same as {names[0]}'s. Each of you needs your own, so changing one really "
                 "retires it; or leave it empty and add it later.")
        if not source.interactive:
            raise NoPassphrase(f"the second passphrase is the same as {names[0]}'s; each of you needs your own "
                               "(or an empty line to add it later). Nothing was changed.")
        say(words, file=sys.stderr)


def cmd_encrypt(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if store.encrypted:
            return fail(f"{store.path} is encrypted already. To change a passphrase, run: hearth passphrase")
        names = partner_names(store)
        source = passphrases(args)
        first = source.ask_new(f"New passphrase for {names[0]}: ")
        second = second_passphrase(source, names, first)
        given = {"partner-1": first} | ({"partner-2": second} if second else {})
        say("Encrypting…", file=sys.stderr)
        code = store.encrypt(given, recovery=not args.no_recovery_code)
        problems = store.convert_problems
    say(f"{store.path} is encrypted now; Hearth will ask for a passphrase when it opens.")
    if not second:
        say(f"{names[1]} can add a passphrase of their own with: hearth passphrase --partner 2")
    if code:
        show_code(code)
    else:
        say(NO_RECOVERY)
    for problem in problems:
        say(f"note: {problem}", file=sys.stderr)
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if not store.encrypted:
            return fail(f"{store.path} is not encrypted.")
        store.decrypt()
        problems = store.convert_problems
    say(f"{store.path} and its backups are plain text again; Hearth no longer asks for a passphrase.")
    for problem in problems:
        say(f"note: {problem}", file=sys.stderr)
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if not store.encrypted:
            return fail(f"{store.path} is not encrypted. To turn encryption on, run: hearth encrypt")
        if args.new_recovery_code:
            show_code(store.new_recovery_code())
            return 0
        if args.remove_recovery_code:
            if "recovery" in store.slots():
                store.remove_slot("recovery")
            say(f"The recovery code no longer opens {store.path}. {NO_RECOVERY}")
            return 0
        slot = f"partner-{args.partner}" if args.partner else store.unlocked_with
        if slot == "recovery":
            return fail("you opened it with the recovery code: say whose passphrase to set with --partner 1 or --partner 2")
        name = partner_names(store)[int(slot.rsplit("-", 1)[1]) - 1]
        source = passphrases(args)
        while True:
            new = source.ask_new(f"New passphrase for {name}: ")
            if not store.check_passphrase(new):  # as Settings → Lock: one that opens already is not new
                break
            words = ("That one opens Hearth already (it is a passphrase of yours now, or your partner's). "
                     "Please choose a new one of your own.")
            if not source.interactive:
                return fail(words + " Nothing was changed.")
            say(words, file=sys.stderr)
        store.set_passphrase(slot, new)
    say(f"{name}'s passphrase is changed. The other partner's passphrase and the recovery code work as before.")
    return 0


def ask_partner(names: tuple[str, str] | None) -> int | None:
    """Whose computer this is, asked on the terminal by name (the second computer is asked at
    link); "partner 1" and "partner 2" only while no names are known anywhere yet."""
    if not sys.stdin.isatty():
        raise SystemExit(fail("say whose computer this is with --partner 1, --partner 2 or --partner both", 2))
    if names:
        question = f"Is this {names[0]}'s or {names[1]}'s computer? 1 = {names[0]}, 2 = {names[1]}, b = both of you: "
    else:
        question = "Whose computer is this? 1 = partner 1, 2 = partner 2, b = both of you: "
    typed_names = [n.casefold() for n in names or ()]
    while True:
        try:
            answer = input(question).strip().casefold()
        except EOFError:
            raise SystemExit(fail("say whose computer this is with --partner 1, --partner 2 or --partner both", 2)) from None
        if answer in ("1", "2"):
            return int(answer) - 1
        if answer in ("b", "both"):
            return None
        if answer in typed_names:  # the name itself is an answer too
            return typed_names.index(answer)


def link_names(store, folder: Path, secret: str | None) -> tuple[str, str] | None:
    """The names to ask by: this Hearth's own, or on a new computer the other home's, from the folder."""
    from .store import sync
    from .store.profile import load_couple

    couple = load_couple(store)
    if couple is not None:
        return couple[0].name, couple[1].name
    if sync.folder_couple(folder) is None:
        return None  # nothing in the folder yet: this is the first computer
    print("Reading your names from the other home's files…", file=sys.stderr)  # seconds, at years of data
    return sync.folder_names(folder, secret)


def folder_passphrase(args: argparse.Namespace, folder: Path) -> str:
    """A passphrase that opens the encrypted home's key in `folder`, asked before anything is
    written: a wrong one says so, changes nothing, and on a terminal is asked again (no limit)."""
    import json

    from .store import sealed, sync
    from .store.database import WRONG_PASSPHRASE

    print("The other home's Hearth is encrypted: this one will be too, with the same key.", file=sys.stderr)
    source = passphrases(args)
    while True:
        secret = source.ask("A passphrase of yours or your partner's (or the recovery code): ")
        unreadable = None
        for path in sync.folder_keys(folder):
            try:
                sealed.unlock(json.loads(path.read_bytes()), secret)
                return secret
            except sealed.WrongPassphrase:
                continue
            except Exception as exc:
                unreadable = f"{path.name} in the folder can't be read ({exc}). Nothing was changed."
        if unreadable:
            raise sync.SyncError(unreadable)
        if not source.interactive:
            raise sync.SyncError(WRONG_PASSPHRASE)
        print(WRONG_PASSPHRASE + " Try again (ctrl+c stops).", file=sys.stderr)


def cmd_link(args: argparse.Namespace) -> int:
    from .paths import db_path
    from .store import sync

    if not args.folder.strip():
        return fail("say which folder to link to: the path of the folder you sync between your computers", 2)
    folder = Path(os.path.abspath(Path(args.folder).expanduser()))
    path = db_path(args.db)
    secret = None
    # A new computer linking to an encrypted home: the passphrase is checked before a database
    # is made, so a wrong one leaves nothing behind.
    if not path.exists() and sync.folder_keys(folder):
        secret = folder_passphrase(args, folder)
    from .askpass import NoPassphrase

    made = None if path.exists() else NewFiles(path)
    try:
        with open_store(args, must_exist=False) as store:  # a new computer's Hearth starts here
            if secret is None and sync.needs_passphrase(store, folder):
                secret = folder_passphrase(args, folder)
            partner = ({"1": 0, "2": 1, "both": None}[args.partner] if args.partner
                       else ask_partner(link_names(store, folder, secret)))
            found, report = sync.link(store, folder, partner, store.clock.now(), passphrase=secret)
            names = partner_names(store)
    except (sync.SyncError, NoPassphrase, KeyboardInterrupt, SystemExit):  # all before link writes anything
        if made is not None:  # a database made only for this link, which did not happen: gone again
            made.remove()
        raise
    who = "both of you" if found.partner is None else names[found.partner]
    say(f"Linked to {found.folder}: this is {who}'s computer.")
    print_report(report)
    return 0


class NewFiles:
    """What opening a database at `path` for the first time may make (its folder, the file, its
    lock), to take away again if the command that made them did not get done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folders = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
        folder = path.parent
        self.before = set(os.listdir(folder)) if folder.is_dir() else set()

    def remove(self) -> None:
        folder = self.path.parent
        try:
            names = set(os.listdir(folder)) - self.before
        except OSError:
            return
        for name in names:
            if name.startswith(self.path.name):
                try:
                    (folder / name).unlink()
                except OSError:
                    pass
        for made in self.folders:  # innermost first; only if empty
            try:
                made.rmdir()
            except OSError:
                break


def print_report(report) -> None:
    lines = report.lines()
    print("Came in: " + ", ".join(lines) + "." if lines else "Nothing new came in.")
    if report.sent:
        print("This computer's changes are in the folder.")
    for problem in report.problems:
        print(f"note: {problem}", file=sys.stderr)


def cmd_unlink(args: argparse.Namespace) -> int:
    from .store import sync

    with open_store(args) as store:
        found = sync.unlink(store)
    if found is None:
        return fail("this Hearth is not linked to a folder.")
    say(f"Unlinked from {found.folder}. The folder and its files were left as they are.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from .store import sync

    with open_store(args) as store:
        report = sync.sync_now(store, store.clock.now(), keep=True)
    if report is None:
        return fail("this Hearth is not linked to a folder: run `hearth link FOLDER` first.")
    print_report(report)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .paths import data_dir, db_path, deck_dirs

    if args.demo:
        from .demo import demo_database

        path, private = demo_database(), False
    else:
        path = db_path(args.db)
        private = path.parent == data_dir()
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        return fail("the app needs a terminal; run `hearth --help` for the other commands")
    from .store import Store
    from .store.errors import LockedError

    # No garbage collection until the first screen is up: starting makes tens of thousands of
    # long-lived objects, and collecting while they are made only delays the first paint. The app
    # turns it back on after its first paint, with everything made so far frozen (HearthApp._started).
    import gc

    gc.disable()
    try:
        # A Hearth that is closing lets go of the file within a few tenths of a second (measured:
        # 0.13-0.15 s after its window closed): wait for that before saying it is open elsewhere.
        store: Store | None = Store.open(path, private_folder=private, lock_wait=LOCK_WAIT_SECONDS)
        opener = None
    except LockedError:  # encrypted: the app starts on its unlock screen and opens it from there
        store = None

        def opener(secret: str) -> Store:
            return Store.open(path, private_folder=private, lock_wait=LOCK_WAIT_SECONDS, passphrase=secret)
    except BaseException:
        gc.enable()
        raise
    app = None
    try:
        pace_frames(os.environ)
        from .app import HearthApp

        app = HearthApp(store, deck_dirs(args.decks, path), opener=opener)
        if args.demo:
            app.title = "Hearth · demo, nothing here is kept"
        app.run()
        crash = app.crash_message
    finally:
        store = app.store if app is not None and app.store is not None else store
        if store is not None:
            store.close()
        gc.enable()  # if the app ended before its first paint
    problem = store.storage.exit_problem() if store is not None else None
    if problem:
        return fail(problem)
    if crash:
        return fail(crash)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .askpass import NoPassphrase
    from .store.errors import StoreError

    if args.demo and args.command and args.command != "decks":
        return fail("--demo opens the app on sample data and goes with no command; "
                    "the command was not run, and your own database was not opened", 2)
    try:
        if args.command == "decks":
            return cmd_decks_list(args) if args.decks_command == "list" else cmd_decks_check(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "agreements":
            return cmd_agreements_export(args)
        if args.command == "keys":
            return cmd_keys(args)
        if args.command == "due":
            return cmd_due(args)
        if args.command == "calendar":
            return cmd_calendar(args)
        if args.command == "restore":
            return cmd_restore(args)
        if args.command == "encrypt":
            return cmd_encrypt(args)
        if args.command == "decrypt":
            return cmd_decrypt(args)
        if args.command == "passphrase":
            return cmd_passphrase(args)
        if args.command in ("link", "unlink", "sync"):
            return {"link": cmd_link, "unlink": cmd_unlink, "sync": cmd_sync}[args.command](args)
        return cmd_run(args)
    except StoreError as exc:
        return fail(str(exc))
    except NoDatabase as exc:
        return fail(str(exc))
    except BrokenPipeError:  # `hearth export | head`: the reader had enough; nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # (Python would complain again when it flushes at exit)
        return 1
    except NoPassphrase as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return fail(f"{exc.strerror or exc}{where}")


if __name__ == "__main__":
    raise SystemExit(main())
