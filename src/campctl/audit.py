"""The audit log, which is also the run journal: writing it (reading is campctl.journal).

Each line is one JSON object with a `kind`: `run` (before the first change is sent: who,
why, the planned targets with their endpoints and prior states), `plan` (targets planned
later), `target` (one per target as it finishes), `verify` and `end`. One `os.write` per
line on an O_APPEND descriptor, so lines from concurrent campctl processes never
interleave or tear. The path is checked to be a regular file before anything is sent, and
created 0600. Records hold only what campctl wrote itself (results are redacted before
they get here; endpoints carry no user info or query).
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import secrets
import socket
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from campctl import __version__
from campctl.config import Env
from campctl.errors import ConfigError
from campctl.results import Result
from campctl.userfiles import xdg_dir


def state_dir() -> Path:
    """`$XDG_STATE_HOME/campctl` (a relative value is ignored); NoHomeError without a home,
    which only runs that keep a journal meet (`--no-audit` never asks)."""
    return xdg_dir(Env.XDG_STATE_HOME, ".local", "state") / "campctl"


def default_audit_path(*, sandbox: bool = False) -> Path:
    """The real journal, or the sandbox's own: rehearsals never mix with real runs."""
    return state_dir() / ("sandbox" if sandbox else "") / "audit.jsonl"


def new_run_id(now: datetime | None = None) -> str:
    """`YYYYMMDDTHHMMSSZ-xxxxxx`: UTC start time and 6 random hex digits."""
    moment = now or datetime.now(UTC)
    return f"{moment.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (containers)
        return str(os.getuid())


class RunInfo(NamedTuple):
    """What the `run` line says about one run, besides its targets."""

    run_id: str
    action: str
    sandbox: bool
    reason: str | None = None
    undo_of: str | None = None
    via: str = "cli"
    config: str | None = None


class Planned(NamedTuple):
    """One target as the `run` (or `plan`) line records it, before its first request."""

    target: str
    provider: str
    vendor: str
    campaign_id: str
    endpoint: str
    position: int
    prior_status: str | None = None  # None where the vendor's own answer will tell
    prospects: bool | None = None  # vendors with prospects: were they paused/resumed too

    def as_json(self) -> dict[str, Any]:
        entry = self._asdict()
        if self.prospects is None:
            del entry["prospects"]
        return entry


class AuditLog:
    """The run journal's writer: `run`, `plan`, `target`, `verify` and `end` lines.

    The `run` line reaches the disk (fsync) before the first pause or resume is sent; if it
    cannot be written the run stops before sending (ConfigError, exit 3). Later failures are
    counted (see `problem`), never raised: every target is still reported."""

    def __init__(self, path: Path, run: RunInfo) -> None:
        self.path = path
        self.run = run
        self.missing = 0
        self.error: str | None = None
        self.started = False
        self._fd = _open_regular(path)

    def begin(self, targets: list[Planned]) -> None:
        """The `run` line on the first call, a `plan` line on later ones; synced to disk."""
        entries = [t.as_json() for t in targets]
        if self.started:
            self._write({"kind": "plan", "run_id": self.run.run_id, "time": _now(),
                         "targets": entries})  # fmt: skip
            return
        line = {
            "kind": "run",
            "run_id": self.run.run_id,
            "time": _now(),
            "user": current_user(),
            "host": socket.gethostname(),
            "version": __version__,
            "action": self.run.action,
            "reason": self.run.reason,
            "undo_of": self.run.undo_of,
            "sandbox": self.run.sandbox,
            "via": self.run.via,
            "config": self.run.config,
            "targets": entries,
        }
        self._write(line)
        self._sync()
        if self.error is not None:
            raise ConfigError(
                f"audit log {self.path}: cannot record the run before sending: {self.error}; "
                "nothing was sent (pass --audit-log FILE, or --no-audit to run without one)"
            )
        self.started = True

    def record(
        self, result: Result, position: int, *, endpoint: str, prior_status: str | None
    ) -> None:
        """One `target` line as a target finishes."""
        self._write(
            {
                "kind": "target",
                "run_id": self.run.run_id,
                "time": _now(),
                "target": result.target,
                "provider": result.provider,
                "vendor": result.vendor,
                "campaign_id": result.campaign_id,
                "position": position,
                "outcome": result.outcome.value,
                "status": result.status,
                "prior_status": prior_status,
                "error_kind": result.error.kind.value if result.error else None,
                "http_status": result.http_status,
                "attempts": result.attempts,
                "endpoint": endpoint,
                "outcome_unknown": result.details.get("outcome_unknown") is True,
                "message": result.message[:300],
            }
        )

    def verified(self, result: Result, position: int) -> None:
        """One `verify` line: what --verify found, so the journal never says `done paused`
        for a campaign the operator was told is still running."""
        self._write(
            {
                "kind": "verify",
                "run_id": self.run.run_id,
                "time": _now(),
                "target": result.target,
                "position": position,
                "outcome": result.outcome.value,
                "status": result.status,
                "verified": result.details.get("verified"),
                "error_kind": result.error.kind.value if result.error else None,
                "message": result.message[:300],
            }
        )

    def end(self, summary: dict[str, int], exit_code: int) -> None:
        self._write({"kind": "end", "run_id": self.run.run_id, "time": _now(),
                     "summary": summary, "exit_code": exit_code})  # fmt: skip

    def _write(self, entry: dict[str, Any]) -> None:
        data = (json.dumps(entry, separators=(",", ":")) + "\n").encode("utf-8")
        if self.error is not None:
            self.missing += 1
            return
        try:
            with _exclusive(self._fd):
                if _torn_tail(self._fd):
                    data = b"\n" + data
                written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(0, f"short write ({written} of {len(data)} bytes)")
        except OSError as exc:
            self.missing += 1
            self.error = exc.strerror or str(exc)

    def _sync(self) -> None:
        try:
            os.fsync(self._fd)
        except OSError as exc:
            self.error = self.error or exc.strerror or str(exc)

    def close(self) -> None:
        """Sync to disk; called before any result is printed."""
        try:
            self._sync()
        finally:
            os.close(self._fd)

    @property
    def problem(self) -> str | None:
        """One line for stderr and `audit_error` in --json, when the log is incomplete."""
        if self.error is None:
            return None
        lost = f"{self.missing} audit line(s) not written" if self.missing else "not synced"
        return f"audit log {self.path}: {lost}: {self.error}"


@contextlib.contextmanager
def _exclusive(fd: int) -> Iterator[None]:
    """The journal to ourselves while we look at its tail and append: another campctl
    process's line may be half copied into the file at that moment, and must not be taken
    for a torn one (healing it would leave an empty line). Where the file system has no
    locks, appending goes on unlocked, as O_APPEND still keeps whole lines whole."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _torn_tail(fd: int) -> bool:
    """Does the file end inside a line (a torn write)? Then the next line starts with a
    newline, so a healthy run never loses its first line to the torn one."""
    try:
        size = os.fstat(fd).st_size
        return size > 0 and os.pread(fd, 1, size - 1) != b"\n"
    except OSError:
        return False


def _open_regular(path: Path) -> int:
    """Open for appending (and reading the last byte, see `_torn_tail`), refusing anything
    but a regular file (a symlink to one is fine).

    O_NONBLOCK keeps a FIFO from hanging the run before anything is sent; the type check
    refuses FIFOs, devices (/dev/null, /dev/full) and directories.
    """
    fix = "pass --audit-log FILE, or --no-audit to run without one"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open the audit log: {exc.strerror}; {fix}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
        raise ConfigError(f"{path}: the audit log must be a regular file, this is {kind}; {fix}")
    return fd


def endpoint_of(base_url: str, vendor: str, *, sandbox: bool) -> str:
    """What the journal records as where a profile pointed: the base URL without user info,
    query or fragment, or `sandbox://<vendor>` for a simulator (whose port changes)."""
    if sandbox:
        return f"sandbox://{vendor}"
    parts = urlsplit(base_url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}".rstrip("/")
