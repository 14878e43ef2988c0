"""The audit log: one JSON line per acted-on target, appended atomically, synced before the
results are printed. Never the key (every line passes through the run's redactor)."""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from campctl import __version__
from campctl.config import Env
from campctl.errors import ConfigError
from campctl.redact import Redactor
from campctl.results import Result


def default_audit_path() -> Path:
    base = os.environ.get(Env.XDG_STATE_HOME) or str(Path.home() / ".local" / "state")
    return Path(base) / "campctl" / "audit.jsonl"


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (containers)
        return str(os.getuid())


class AuditLog:
    """Appends with one os.write per line on an O_APPEND descriptor, so lines from concurrent
    campctl processes never interleave or tear."""

    def __init__(self, path: Path, redactor: Redactor) -> None:
        self.path = path
        self.redactor = redactor
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise ConfigError(
                f"{path}: cannot open the audit log: {exc.strerror}; "
                "pass --audit-log PATH or --no-audit"
            ) from None
        self._who = {"user": _user(), "host": socket.gethostname(), "version": __version__}

    def record(self, action: str, result: Result, *, sandbox: bool) -> None:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            **self._who,
            "action": action,
            "target": result.target,
            "provider": result.provider,
            "vendor": result.vendor,
            "campaign_id": result.campaign_id,
            "outcome": result.outcome.value,
            "status": result.status,
            "error_kind": result.error.kind.value if result.error else None,
            "http_status": result.http_status,
            "attempts": result.attempts,
            "sandbox": sandbox,
        }
        line = self.redactor(json.dumps(entry, separators=(",", ":"))) + "\n"
        data = line.encode("utf-8")
        written = os.write(self._fd, data)
        if written != len(data):
            raise OSError(f"short write to {self.path} ({written} of {len(data)} bytes)")

    def close(self) -> None:
        """Flush to disk; called before any result is printed."""
        try:
            os.fsync(self._fd)
        finally:
            os.close(self._fd)
