"""The audit log, which is also the run journal: one JSON line per acted-on target.

Writing: one `os.write` per line on an O_APPEND descriptor, so lines from concurrent campctl
processes never interleave or tear; synced before any result is printed. The path is checked
to be a regular file before anything is sent. A write that fails after requests went out is
counted, never raised: every target is still reported.

Reading (`campctl runs`, `--undo`): from the end of the file in blocks, as `tail` does, so a
100 MB log answers at once; a torn or foreign line is skipped and counted, never fatal.
Records hold only what campctl wrote itself (results are redacted before they get here).
"""

from __future__ import annotations

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

from campctl import __version__
from campctl.config import Env
from campctl.errors import ConfigError
from campctl.results import Result
from campctl.userfiles import xdg_dir

BLOCK = 64 * 1024
OUTCOMES = ("done", "noop", "failed", "skipped")


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


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (containers)
        return str(os.getuid())


class RunInfo(NamedTuple):
    """What every audit line of one run repeats."""

    run_id: str
    action: str
    sandbox: bool
    reason: str | None = None
    undo_of: str | None = None


class AuditLog:
    def __init__(self, path: Path, run: RunInfo) -> None:
        self.path = path
        self.run = run
        self.missing = 0
        self.error: str | None = None
        self._fd = _open_regular(path)
        self._who = {"user": _user(), "host": socket.gethostname(), "version": __version__}

    def record(self, result: Result, position: int) -> None:
        """Append one line; a failure is counted (see `problem`), never raised.

        Lines are written as targets finish; `position` (1-based, in the run's input order)
        lets `--undo` replay the run in its original order."""
        entry = {
            "time": _now(),
            **self._who,
            "action": self.run.action,
            "target": result.target,
            "provider": result.provider,
            "vendor": result.vendor,
            "campaign_id": result.campaign_id,
            "outcome": result.outcome.value,
            "status": result.status,
            "error_kind": result.error.kind.value if result.error else None,
            "http_status": result.http_status,
            "attempts": result.attempts,
            "sandbox": self.run.sandbox,
            "run_id": self.run.run_id,
            "reason": self.run.reason,
            "undo_of": self.run.undo_of,
            "position": position,
        }
        data = (json.dumps(entry, separators=(",", ":")) + "\n").encode("utf-8")
        if self.error is not None:
            self.missing += 1
            return
        try:
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(0, f"short write ({written} of {len(data)} bytes)")
        except OSError as exc:
            self.missing += 1
            self.error = exc.strerror or str(exc)

    def close(self) -> None:
        """Sync to disk; called before any result is printed."""
        try:
            os.fsync(self._fd)
        except OSError as exc:
            self.error = self.error or exc.strerror or str(exc)
        finally:
            os.close(self._fd)

    @property
    def problem(self) -> str | None:
        """One line for stderr and `audit_error` in --json, when the log is incomplete."""
        if self.error is None:
            return None
        lost = f"{self.missing} audit line(s) not written" if self.missing else "not synced"
        return f"audit log {self.path}: {lost}: {self.error}"


def _open_regular(path: Path) -> int:
    """Open for appending, refusing anything but a regular file (a symlink to one is fine).

    O_NONBLOCK keeps a FIFO from hanging the run before anything is sent; the type check
    refuses FIFOs, devices (/dev/null, /dev/full) and directories.
    """
    fix = "pass --audit-log FILE, or --no-audit to run without one"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open the audit log: {exc.strerror}; {fix}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
        raise ConfigError(f"{path}: the audit log must be a regular file, this is {kind}; {fix}")
    return fd


# -- the journal ---------------------------------------------------------------------------


class RunSummary(NamedTuple):
    run_id: str
    time: str
    user: str | None
    host: str | None
    action: str
    reason: str | None
    undo_of: str | None
    sandbox: bool
    counts: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        summary = {"total": sum(self.counts.values()), **self.counts}
        return {
            "run_id": self.run_id,
            "time": self.time,
            "user": self.user,
            "host": self.host,
            "action": self.action,
            "reason": self.reason,
            "undo_of": self.undo_of,
            "sandbox": self.sandbox,
            "summary": summary,
        }


class Journal:
    """Reads runs back from an audit log. `skipped` counts unreadable lines met on the way."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.skipped = 0

    def records(self) -> Iterator[dict[str, Any]]:
        """Audit records with a run ID, newest first."""
        for line in self._lines_backwards():
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, ValueError, RecursionError):
                self.skipped += 1
                continue
            if not _is_record(record):
                self.skipped += 1
                continue
            yield record

    def runs(self, limit: int) -> list[RunSummary]:
        """The newest `limit` runs, newest first."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in self.records():
            run_id = record["run_id"]
            if run_id not in grouped and len(grouped) == limit:
                break
            grouped.setdefault(run_id, []).append(record)
        return [_summary(lines[::-1]) for lines in grouped.values()]

    def run(self, run_id: str) -> tuple[RunSummary, list[dict[str, Any]]] | None:
        """One run's summary and its records in the order they were written."""
        lines: list[dict[str, Any]] = []
        started = run_id.split("-", 1)[0]
        for record in self.records():
            if record["run_id"] == run_id:
                lines.append(record)
            elif _compact(record["time"]) < started:
                break  # written before the run began: nothing older can belong to it
        if not lines:
            return None
        lines.reverse()
        lines.sort(key=_position)  # stable: lines without a position keep written order
        return _summary(lines), lines

    def last(self, action: str | None = None) -> str | None:
        """The newest run ID, optionally of one action."""
        for record in self.records():
            if action is None or record["action"] == action:
                return str(record["run_id"])
        return None

    def _lines_backwards(self) -> Iterator[bytes]:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed in finally, generator
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read the audit log: {exc.strerror}") from None
        try:
            handle.seek(0, os.SEEK_END)
            position = handle.tell()
            tail = b""
            while position > 0:
                step = min(BLOCK, position)
                position -= step
                handle.seek(position)
                chunk = handle.read(step) + tail
                lines = chunk.split(b"\n")
                tail = lines.pop(0)
                for line in reversed(lines):
                    if line.strip():
                        yield line
            if tail.strip():
                yield tail
        finally:
            handle.close()


def _is_record(record: Any) -> bool:
    if not isinstance(record, dict):
        return False
    return all(isinstance(record.get(k), str) for k in ("run_id", "time", "action", "target"))


def _position(record: dict[str, Any]) -> int:
    position = record.get("position")
    return position if isinstance(position, int) else 0


def _compact(time: str) -> str:
    """`2026-11-29T22:40:01.123Z` → `20261129T224001Z`, comparable with a run ID's start."""
    digits = time.replace("-", "").replace(":", "")
    return digits[:15] + "Z"


def _summary(lines: list[dict[str, Any]]) -> RunSummary:
    first = lines[0]
    counts = dict.fromkeys(OUTCOMES, 0)
    for line in lines:
        outcome = line.get("outcome")
        if outcome in counts:
            counts[outcome] += 1

    def opt(key: str) -> str | None:
        value = first.get(key)
        return value if isinstance(value, str) else None

    return RunSummary(
        run_id=first["run_id"],
        time=first["time"],
        user=opt("user"),
        host=opt("host"),
        action=first["action"],
        reason=opt("reason"),
        undo_of=opt("undo_of"),
        sandbox=first.get("sandbox") is True,
        counts=counts,
    )
