"""Campaign states that outlive one simulator, for `--sandbox` rehearsals across runs.

The state file is JSON: `{"format": 1, "campaigns": {VENDOR: {ID: {"status", "paused_at",
"started_at", "updated_at", "task_id"}}}}`; anything else in it (a bad entry, an unknown
campaign) is ignored or kept as it is. Every request that reads or acts on campaigns takes an
exclusive `flock` on `<file>.lock`, re-reads the file, applies it, and — when the request
changed a campaign — writes the file again (temp file + `os.replace`) before letting go. So
simulators in separate processes sharing one file see each other's changes and never lose one.
A missing, unreadable or corrupt file means the seeded state, written back at once; a file
that cannot be written leaves the simulator working from memory (`StateStore.problem` says
why). With a `lock_timeout`, a lock another process holds longer is a StateLocked from
`load` (a simulator must not start by overwriting that process's changes) and, for a later
request, that request working from memory. Nothing else here raises to the caller or prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from campctl.userfiles import xdg_dir

from .vendors import simulated
from .vendors.base import STATE_FIELDS, CampaignState, Vendor

FORMAT = 1
STATE_FILE_NAME = "campaigns.json"


def sandbox_state_dir() -> Path:
    """`$XDG_STATE_HOME/campctl/sandbox` (default `~/.local/state/campctl/sandbox`), beside
    the real audit log, as the sandbox run journal (`audit.jsonl`) is."""
    return xdg_dir("XDG_STATE_HOME", ".local", "state") / "campctl" / "sandbox"


def state_file(state_dir: Path) -> Path:
    """The campaigns' state file in `state_dir`."""
    return state_dir / STATE_FILE_NAME


def reset_state(state_dir: Path) -> None:
    """Put the seeded state back in `state_dir` (created if needed); other files there, such as
    the sandbox run journal, are left alone. Raises OSError when it cannot be written."""
    vendors = {name: cls(0) for name, cls in simulated().items()}
    store = StateStore(state_file(state_dir), vendors)
    with store.locked(strict=True):
        store.write({}, strict=True)


class StateLocked(Exception):
    """Another process held the state file's lock for longer than the store may wait."""


class StateStore:
    """One simulator's view of a shared state file (see the module doc).

    `lock_timeout` bounds each wait for another process's lock (None: wait as long as it
    takes); `on_lock_wait(seconds)` hears once per wait that one has begun.
    """

    def __init__(
        self,
        path: Path,
        vendors: Mapping[str, Vendor],
        *,
        lock_timeout: float | None = None,
        on_lock_wait: Callable[[float], None] | None = None,
    ) -> None:
        self.path = path
        self.problem: str | None = None
        self._vendors = vendors
        self._lock_path = path.with_name(path.name + ".lock")
        self._mutex = threading.Lock()  # flock excludes other processes; this, other threads
        self._lock_timeout = lock_timeout
        self._on_lock_wait = on_lock_wait

    def load(self) -> None:
        """Apply the file, or write the seed when there is none worth reading. Raises
        StateLocked when another process holds the lock beyond `lock_timeout`: a store
        that starts without its file would undo that process's changes."""
        with self.locked(wait_or_raise=True):
            doc = self._read()
            if doc is None:
                self.write({})
            else:
                self._apply(doc)

    @contextlib.contextmanager
    def session(self, vendor: Vendor) -> Iterator[None]:
        """Hold the lock across one request: read the file first, write it if `vendor` changed."""
        with self.locked() as shared:
            if not shared:  # another process holds the file: this request works from memory
                yield
                return
            doc = self._read()
            if doc is not None:
                self._apply(doc)
            with vendor.lock:
                before = vendor.snapshot()
            yield
            with vendor.lock:
                changed = vendor.snapshot() != before
            if changed or doc is None:
                self.write(doc or {})

    @contextlib.contextmanager
    def locked(self, *, strict: bool = False, wait_or_raise: bool = False) -> Iterator[bool]:
        """Hold the lock; yields False when another process held it beyond `lock_timeout`
        (then leave the file alone). `strict` raises instead of going on without a lock
        (OSError, StateLocked); `wait_or_raise` raises StateLocked on a timeout."""
        with self._mutex:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError as exc:
                if strict:
                    raise
                self._failed("lock", exc)
                yield True
                return
            try:
                try:
                    self._flock(fd)
                except StateLocked:
                    if strict or wait_or_raise:
                        raise
                    self.problem = f"cannot lock {self.path}: another process holds it"
                    yield False
                    return
                yield True
            finally:
                os.close(fd)  # closing releases the lock

    def _flock(self, fd: int) -> None:
        """Take the lock, waiting at most `lock_timeout` seconds when one is set."""
        if self._lock_timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        deadline = time.monotonic() + self._lock_timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            if time.monotonic() >= deadline:
                raise StateLocked(
                    f"another process has held {self._lock_path} for {self._lock_timeout:g} s"
                )
            if not told and self._on_lock_wait is not None:
                self._on_lock_wait(self._lock_timeout)
                told = True
            time.sleep(0.05)

    def write(self, doc: dict[str, Any], *, strict: bool = False) -> None:
        """Write every vendor's campaigns over `doc` (entries unknown here are kept)."""
        campaigns = doc.setdefault("campaigns", {})
        for name, vendor in self._vendors.items():
            with vendor.lock:
                states = vendor.snapshot()
            entries = campaigns.get(name)
            if not isinstance(entries, dict):
                entries = campaigns[name] = {}
            for cid, state in states.items():
                entries[cid] = dict(zip(STATE_FIELDS, state, strict=True))
        doc["format"] = FORMAT
        try:
            _write_atomic(self.path, json.dumps(doc, indent=1).encode() + b"\n")
        except OSError as exc:
            if strict:
                raise
            self._failed("write", exc)
        else:
            self.problem = None

    def _read(self) -> dict[str, Any] | None:
        """The file's document; None when it is missing, unreadable or not ours."""
        try:
            doc = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as exc:
            self._failed("read", exc)
            return None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            return None
        if not isinstance(doc.get("campaigns"), dict):
            return None
        return doc

    def _apply(self, doc: dict[str, Any]) -> None:
        for name, vendor in self._vendors.items():
            entries = doc["campaigns"].get(name)
            if not isinstance(entries, dict):
                continue
            with vendor.lock:
                for cid, campaign in vendor.campaigns.items():
                    state = _state(entries.get(cid))
                    if state is not None:
                        campaign.restore(state)

    def _failed(self, what: str, exc: OSError | ValueError | RecursionError) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        self.problem = f"cannot {what} {self.path}: {reason}"


def _state(entry: object) -> CampaignState | None:
    """A valid entry's state, or None."""
    if not isinstance(entry, dict):
        return None
    status, paused_at, started_at, updated_at, task_id = (entry.get(f) for f in STATE_FIELDS)
    if not isinstance(status, str) or not status or not isinstance(updated_at, str):
        return None
    optional = (paused_at, started_at, task_id)
    if not all(v is None or isinstance(v, str) for v in optional):
        return None
    return (status, paused_at, started_at, updated_at, task_id)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
