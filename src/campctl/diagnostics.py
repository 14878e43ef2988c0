"""stderr lines for humans and cron logs: notices, retry waits, the --verbose exchange log.

Everything goes through the run's redactor; stdout is reserved for results.
"""

from __future__ import annotations

import sys
from typing import TextIO

from campctl.redact import Redactor


class Diagnostics:
    def __init__(
        self,
        redactor: Redactor,
        *,
        verbose: bool = False,
        quiet: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self.redactor = redactor
        self.verbose = verbose
        self.quiet = quiet
        self._stream = stream

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    def line(self, message: str) -> None:
        """Always shown: errors and anything the user must know."""
        self.stream.write(self.redactor(f"campctl: {message}") + "\n")
        self.stream.flush()

    def notice(self, message: str) -> None:
        """Shown unless --quiet: retry waits, limit waits, SANDBOX banners."""
        if not self.quiet:
            self.line(message)

    def exchange(self, message: str) -> None:
        """Shown only with --verbose: one line per HTTP exchange."""
        if self.verbose:
            self.line(message)

    def retrying(self, provider: str, label: str, reason: str, delay: float) -> None:
        """A target will be retried after `delay` seconds."""
        self.notice(f"{label}: {reason}, retrying in {delay:.1f} s")

    def limit_wait(self, provider: str, label: str, seconds: float) -> None:
        """A target waits for the vendor's client-side limit."""
        self.notice(f"{label}: vendor rate limit, waiting {seconds:.1f} s")
