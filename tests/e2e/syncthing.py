"""Two real Syncthing instances on this machine, for the two-homes end-to-end test.

Each instance has its own home (keys, config, index database) and talks to the other over
loopback only: GUI/REST and the sync listener are bound to 127.0.0.1, and discovery, relays,
NAT traversal, STUN, usage and crash reporting and upgrades are all off, so nothing leaves the
machine. Each knows the other by device id at an explicit tcp://127.0.0.1:<port> address.

Every wait polls a condition through the REST API or the folders themselves, with a deadline;
nothing sleeps and hopes. The pair is started once per test module (`syncthing_pair`); each test
gets a folder of its own shared between the two (`shared_folder`), so tests never see each
other's files.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

#: Seconds any one wait may take before the test fails (generous: CI has two busy cores).
DEADLINE = 45.0
POLL = 0.05

#: Options that keep every byte on loopback and the instance quiet and quick.
OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "stunKeepaliveStartS": "0",  # 0 turns STUN off
    "announceLANAddresses": "false",
    "urAccepted": "-1",  # usage reporting declined for good
    "crashReportingEnabled": "false",
    "autoUpgradeIntervalH": "0",
    "startBrowser": "false",
    "reconnectionIntervalS": "1",  # an instance that started first finds the other at once
    "setLowPriority": "false",  # on two busy cores a niced instance can lag for seconds
}

#: What Syncthing keeps in a folder for itself: never part of what the folders hold.
OWN_NAMES = (".stfolder", ".stignore", ".stversions")
OWN_PREFIXES = (".syncthing.", "~syncthing~")

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def syncthing_exe() -> str | None:
    exe = shutil.which("syncthing")
    if exe is None:
        return None
    try:
        ok = subprocess.run([exe, "--version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if ok else None


def syncthing_version(exe: str) -> str:
    return subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports that were free a moment ago (all held open together)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def wait_until(what: str, condition: Callable[[], Any], deadline: float = DEADLINE,
               explain: Callable[[], str] | None = None) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what` at the deadline."""
    end = time.monotonic() + deadline
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            detail = f"\n{explain()}" if explain else ""
            raise AssertionError(f"Syncthing: {what} did not happen within {deadline:.0f} s{detail}")
        time.sleep(POLL)


def folder_contents(root: Path) -> dict[str, bytes]:
    """Every file a folder holds (relative path → bytes), leaving out Syncthing's own files."""
    found: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _own(d)]
        for name in filenames:
            if _own(name):
                continue
            path = Path(dirpath) / name
            try:
                found[str(path.relative_to(root))] = path.read_bytes()
            except FileNotFoundError:  # renamed or removed while we looked: the next poll sees it
                continue
    return found


def _own(name: str) -> bool:
    return name in OWN_NAMES or name.startswith(OWN_PREFIXES)


class Rest:
    """The REST API of one instance: JSON in and out, the API key, and never a proxy."""

    def __init__(self, port: int, apikey: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.apikey = apikey
        self._open = urllib.request.build_opener(urllib.request.ProxyHandler({})).open

    def call(self, method: str, path: str, body: Any = None, timeout: float = 15.0, **params: str) -> Any:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={"X-API-Key": self.apikey})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with self._open(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw.strip() else None

    def get(self, path: str, **params: str) -> Any:
        return self.call("GET", path, **params)

    def maybe(self, path: str, **params: str) -> Any:
        """GET, or None while the instance cannot answer yet (starting, or the folder not made)."""
        try:
            return self.get(path, **params)
        except (OSError, urllib.error.URLError, ValueError):
            return None


@dataclass
class Instance:
    """One Syncthing: its home, ports, device id, and (once started) its process."""

    name: str
    exe: str
    home: Path
    gui_port: int = 0
    listen_port: int = 0
    device_id: str = ""
    apikey: str = ""
    proc: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.home / "syncthing.log"

    @property
    def rest(self) -> Rest:
        return Rest(self.gui_port, self.apikey)

    def generate(self) -> None:
        args = [self.exe, "generate", "--home", str(self.home)]
        if "--no-default-folder" in _help(self.exe, "generate"):
            args.append("--no-default-folder")
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, env=_env(self.home))
        if done.returncode != 0:
            raise AssertionError(f"syncthing generate failed for {self.name}: {done.stdout}{done.stderr}")
        root = ET.parse(self.home / "config.xml").getroot()
        self.device_id = root.find("device").get("id")  # the only device: itself

    def configure(self, peer: "Instance") -> None:
        """Loopback only, everything outward off, and the peer known by id and address."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        root.find("device").set("name", self.name)
        gui = root.find("gui")
        gui.set("enabled", "true")
        gui.set("tls", "false")
        _put(gui, "address", f"127.0.0.1:{self.gui_port}")
        self.apikey = secrets.token_urlsafe(24)
        _put(gui, "apikey", self.apikey)
        options = root.find("options")
        for old in options.findall("listenAddress"):
            options.remove(old)
        ET.SubElement(options, "listenAddress").text = f"tcp://127.0.0.1:{self.listen_port}"
        for tag, value in OPTIONS.items():
            _put(options, tag, value)
        for old in [d for d in root.findall("device") if d.get("id") == peer.device_id]:
            root.remove(old)
        device = ET.Element("device", {"id": peer.device_id, "name": peer.name, "compression": "metadata",
                                       "introducer": "false"})
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{peer.listen_port}"
        ET.SubElement(device, "autoAcceptFolders").text = "false"
        root.insert(list(root).index(root.find("device")) + 1, device)
        tree.write(path, encoding="unicode")

    def start(self) -> None:
        args = [self.exe, "serve", "--home", str(self.home)]
        usable = _help(self.exe, "serve")
        args += [flag for flag in ("--no-browser", "--no-restart", "--no-upgrade") if flag in usable]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         env=_env(self.home), start_new_session=True)

    def up(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise StartFailed(f"Syncthing {self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
        answer = self.rest.maybe("/rest/system/ping")
        return bool(answer) and answer.get("ping") == "pong"

    def connected_to(self, peer: "Instance") -> bool:
        answer = self.rest.maybe("/rest/system/connections") or {}
        return bool(answer.get("connections", {}).get(peer.device_id, {}).get("connected"))

    def outward(self) -> list[str]:
        """Anything that could reach past loopback, as the running instance reports it (none: [])."""
        found = []
        options = self.rest.get("/rest/config/options")
        for key in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
                    "crashReportingEnabled"):
            if options.get(key):
                found.append(f"{key} is on")
        if options.get("urAccepted", 0) > 0 or options.get("autoUpgradeIntervalH", 0) > 0:
            found.append("usage reporting or upgrades are on")
        if options.get("stunKeepaliveStartS", 0) > 0:
            found.append("STUN is on")
        status = self.rest.get("/rest/system/status")
        found += [f"listening on {a}" for a in status.get("connectionServiceStatus", {})
                  if not a.startswith("tcp://127.0.0.1:")]
        if not status.get("guiAddressUsed", "").startswith("127.0.0.1:"):
            found.append(f"GUI on {status.get('guiAddressUsed')}")
        if status.get("discoveryEnabled"):
            found.append("discovery is on")
        for device, c in self.rest.get("/rest/system/connections").get("connections", {}).items():
            if c.get("connected") and not c.get("address", "").startswith("127.0.0.1:"):
                found.append(f"connected to {device} at {c.get('address')}")
        return found

    def stop(self) -> None:
        """Ask it to shut down; kill it if it has not gone in ten seconds."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(f"  {self.name}| {line}" for line in text.splitlines()[-lines:])


class StartFailed(AssertionError):
    """An instance exited while starting (most often: a port taken between choosing and binding)."""


def _put(parent: ET.Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    element.text = text


_HELP: dict[tuple[str, str], str] = {}


def _help(exe: str, command: str) -> str:
    """The flags this Syncthing's `command` takes (they change between versions)."""
    if (exe, command) not in _HELP:
        done = subprocess.run([exe, command, "--help"], capture_output=True, text=True, timeout=30)
        _HELP[exe, command] = done.stdout + done.stderr
    return _HELP[exe, command]


def _env(home: Path) -> dict[str, str]:
    """The instance's environment: its own HOME, no upgrades, and no proxy (loopback only)."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in _PROXY_VARS and not k.startswith(("STTRACE", "STGUI", "STHOME"))}
    env.update(HOME=str(home), STNOUPGRADE="1", STNODEFAULTFOLDER="1", STNORESTART="1", LC_ALL="C.UTF-8")
    return env


@dataclass
class Pair:
    """Two connected instances, a and b."""

    a: Instance
    b: Instance
    version: str

    def explain(self) -> str:
        return f"{self.a.log_tail()}\n{self.b.log_tail()}"


def start_pair(exe: str, root: Path, attempts: int = 3) -> Pair:
    """Generate, configure and start A and B, and wait until each is connected to the other.
    A port can be taken by someone else between choosing it and binding it: then try again."""
    version = syncthing_version(exe)
    for attempt in range(1, attempts + 1):
        a = Instance("A", exe, root / f"try{attempt}" / "home-a")
        b = Instance("B", exe, root / f"try{attempt}" / "home-b")
        a.gui_port, a.listen_port, b.gui_port, b.listen_port = free_ports(4)
        try:
            for me in (a, b):
                me.generate()
            a.configure(b)
            b.configure(a)
            for me in (a, b):
                me.start()
            pair = Pair(a, b, version)
            for me in (a, b):
                wait_until(f"the REST API of {me.name} answering", me.up, explain=pair.explain)
            wait_until("A and B connecting over 127.0.0.1",
                       lambda: a.connected_to(b) and b.connected_to(a), explain=pair.explain)
            return pair
        except StartFailed:
            a.stop()
            b.stop()
            if attempt == attempts:
                raise
        except BaseException:
            a.stop()
            b.stop()
            raise
    raise AssertionError("unreachable")


_folder_ids = itertools.count(1)


@dataclass
class SharedFolder:
    """One folder id shared by A and B, each with its own local path."""

    pair: Pair
    id: str
    dir_a: Path
    dir_b: Path

    def side(self, instance: Instance) -> Path:
        return self.dir_a if instance is self.pair.a else self.dir_b

    def add(self) -> None:
        for me, path in ((self.pair.a, self.dir_a), (self.pair.b, self.dir_b)):
            folder = dict(me.rest.get("/rest/config/defaults/folder"))
            folder.update(
                id=self.id, label=self.id, path=str(path), type="sendreceive",
                rescanIntervalS=5, fsWatcherEnabled=True, fsWatcherDelayS=1, paused=False,
                devices=[{"deviceID": self.pair.a.device_id}, {"deviceID": self.pair.b.device_id}],
            )
            me.rest.call("PUT", f"/rest/config/folders/{urllib.parse.quote(self.id)}", folder)
        for me, path in ((self.pair.a, self.dir_a), (self.pair.b, self.dir_b)):
            wait_until(f"{me.name} having folder {self.id} ready", lambda: self._ready(me, path),
                       explain=self.explain)

    def _ready(self, me: Instance, path: Path) -> bool:
        status = me.rest.maybe("/rest/db/status", folder=self.id) or {}
        if status.get("state") == "error":
            raise AssertionError(f"Syncthing {me.name}: folder {self.id} is in error: {status.get('error')}")
        return status.get("state") == "idle" and path.is_dir()

    def remove(self) -> None:
        for me in (self.pair.a, self.pair.b):
            try:
                me.rest.call("DELETE", f"/rest/config/folders/{urllib.parse.quote(self.id)}")
            except (OSError, urllib.error.URLError, ValueError):
                pass  # torn down with the instance anyway

    def scan(self, me: Instance) -> None:
        """Look at the folder now (returns once the scan is done) rather than wait for the watcher."""
        me.rest.call("POST", "/rest/db/scan", timeout=DEADLINE, folder=self.id)

    def completion(self, me: Instance, peer: Instance) -> float:
        """How much of what `me` holds `peer` has said it holds too (100: all of it)."""
        answer = me.rest.maybe("/rest/db/completion", folder=self.id, device=peer.device_id) or {}
        return float(answer.get("completion", 0.0))

    def wait_carried(self, source: Instance) -> dict[str, bytes]:
        """After something was written on `source`'s side: wait until both sides hold the same
        files with the same bytes, and the other instance has told `source` it has them all."""
        other = self.pair.b if source is self.pair.a else self.pair.a
        self.scan(source)

        def same() -> bool:
            here, there = folder_contents(self.side(source)), folder_contents(self.side(other))
            return here == there and self.completion(source, other) >= 100.0

        wait_until(f"{source.name}'s files reaching {other.name}", same, explain=self.explain)
        return folder_contents(self.side(other))

    def explain(self) -> str:
        def listing(path: Path) -> str:
            return ", ".join(f"{k} ({len(v)} B)" for k, v in sorted(folder_contents(path).items())) or "(empty)"

        return (f"  A holds: {listing(self.dir_a)}\n  B holds: {listing(self.dir_b)}\n"
                f"  completion A→B {self.completion(self.pair.a, self.pair.b):.0f} %, "
                f"B→A {self.completion(self.pair.b, self.pair.a):.0f} %\n{self.pair.explain()}")


@pytest.fixture(scope="module")
def syncthing_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    exe = syncthing_exe()
    if exe is None:
        pytest.skip("Syncthing is not installed here (apt-get install syncthing): the two-homes test needs it")
    pair = start_pair(exe, tmp_path_factory.mktemp("syncthing"))
    try:
        yield pair
    finally:
        pair.a.stop()
        pair.b.stop()


@pytest.fixture
def shared_folder(syncthing_pair: Pair, tmp_path: Path) -> Iterator[SharedFolder]:
    """A fresh folder shared by A and B; neither side's path exists until Syncthing makes it."""
    folder = SharedFolder(syncthing_pair, f"hearth-e2e-{next(_folder_ids)}", tmp_path / "home-a" / "Shared",
                          tmp_path / "home-b" / "Shared")
    folder.add()
    try:
        yield folder
    finally:
        folder.remove()
