"""Errors that stop a whole run, and the exit codes campctl publishes.

    CampctlError          a problem with the run as a whole, caught once in the CLI group
    ├── UsageError        exit 2: bad option, malformed target or ID, unknown provider
    ├── ConfigError       exit 3: unreadable/invalid config, missing key, unsafe key file
    └── Interrupted       exit 128+N: SIGINT, SIGTERM or SIGHUP before anything was sent

What happens to a single campaign is never an exception: it is a `Result` whose
`error.kind` says why (see results.py). Exit codes are part of the public contract:
never renumber them.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import ClassVar


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    CONFIG = 3
    AUTH = 4
    TEMPORARY = 5
    HANGUP = 129
    INTERRUPTED = 130
    TERMINATED = 143

    @classmethod
    def for_signal(cls, signum: int) -> ExitCode:
        """128 + N, as shells report a process stopped by signal N."""
        return cls(128 + signum)


class CampctlError(Exception):
    """A run-stopping error with a one-line message saying what is wrong and how to fix it."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED
    kind: ClassVar[str] = "error"


class UsageError(CampctlError):
    exit_code = ExitCode.USAGE
    kind = "usage"


class ConfigError(CampctlError):
    exit_code = ExitCode.CONFIG
    kind = "config"

    @classmethod
    def at(
        cls,
        path: Path | None,
        profile: str | None,
        key: str | None,
        problem: str,
        *,
        section: str | None = None,
    ) -> ConfigError:
        """Build a message that names the file, the profile (or another `section`, such as
        `[[notify]] #2 (slack)`) and the key at fault."""
        where = [str(path) if path else "built-in profiles"]
        if section:
            where.append(section)
        if profile:
            where.append(f"profile '{profile}'")
        if key:
            where.append(f"key '{key}'")
        return cls(f"{', '.join(where)}: {problem}")

    @classmethod
    def several(cls, problems: list[str], shown: int = 20) -> ConfigError:
        """Every problem found in one pass, in one error: the first `shown`, then a count."""
        if len(problems) == 1:
            return cls(problems[0])
        lines = [f"{len(problems)} configuration problems:"]
        lines += [f"  {problem}" for problem in problems[:shown]]
        if len(problems) > shown:
            lines.append(f"  and {len(problems) - shown} more")
        return cls("\n".join(lines))


class Interrupted(CampctlError):
    """A signal arrived while planning: nothing was sent, so there is nothing to report."""

    kind = "interrupted"

    def __init__(self, signum: int) -> None:
        super().__init__("interrupted before anything was sent")
        self.code = ExitCode.for_signal(signum)
