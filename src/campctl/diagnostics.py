"""stderr lines for humans and cron logs: notices, retry waits, the --verbose exchange log.

Every line goes through `sanitize.printable`, so a vendor's control characters never reach
the terminal; stdout is reserved for results. Lines are campctl's own words around text that
was redacted where it entered (results in campctl.act, list errors in campctl.select, HTTP
stack errors in campctl.http via `redactor`), so a key like `k` or `done` never masks
campctl's own words here.

Retry and rate-limit waits are *grouped*: the transport reports each target's wait
(`retrying`, `limit_wait`) and one line per provider and reason is printed for the burst —
`alta: 100 targets rate-limited (HTTP 429), retrying in 35 s` — not one per target (those
only with --verbose). A group is printed once no same-kind wait has arrived for
FLUSH_QUIET seconds, or FLUSH_CAP seconds after its first, on the running asyncio loop;
without a running loop it is printed by the next call after that, or by `flush()`.
`waiting()` tells the progress line what the run is waiting for.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from campctl.redact import Redactor
from campctl.sanitize import encoding_of, printable

if TYPE_CHECKING:
    import asyncio

FLUSH_QUIET = 0.3  # seconds without a same-kind wait before its group is printed
FLUSH_CAP = 1.0  # a group is printed at the latest this long after its first wait

_LIMIT = "rate limit"  # the reason of limit_wait (campctl's own pacing of a vendor limit)


@dataclass
class _Group:
    provider: str
    reason: str
    first: float
    last: float
    labels: dict[str, None] = field(default_factory=dict)  # ordered set
    shortest: float = float("inf")
    longest: float = 0.0
    timer: asyncio.TimerHandle | None = None


class Diagnostics:
    def __init__(
        self,
        redactor: Redactor,
        *,
        verbose: bool = False,
        quiet: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redactor = redactor
        self.verbose = verbose
        self.quiet = quiet
        self._stream = stream
        self._clock = clock
        self._groups: dict[tuple[str, str], _Group] = {}
        self._waits: dict[str, list[tuple[float, str]]] = {}  # provider → (until, reason)

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    # -- plain lines ----------------------------------------------------------------------
    def line(self, message: str) -> None:
        """Always shown: errors and anything the user must know.

        Each line of a multi-line message (campctl's own, e.g. the list of bad targets) is
        sanitised on its own; continuation lines are not prefixed.
        """
        stream = self.stream
        encoding = encoding_of(stream)
        lines = f"campctl: {message}".split("\n")
        text = "\n".join(printable(part, encoding) for part in lines)
        try:
            stream.write(text + "\n")
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass  # stderr closed or full: there is nowhere left to say so

    def notice(self, message: str) -> None:
        """Shown unless --quiet: SANDBOX banners and other notes."""
        if not self.quiet:
            self.line(message)

    def exchange(self, message: str) -> None:
        """Shown only with --verbose: one line per HTTP exchange."""
        if self.verbose:
            self.line(message)

    def detail(self, message: str) -> None:
        """Shown only with --verbose: per-target notes (waits, dropped duplicates)."""
        if self.verbose:
            self.line(message)

    # -- grouped waits ---------------------------------------------------------------------
    def retrying(self, provider: str, label: str, reason: str, delay: float) -> None:
        """`label` (a target of `provider`) failed with `reason` ("HTTP 429", "timeout", …)
        and is retried in `delay` seconds."""
        self._record(provider, label, reason, delay)
        self.detail(f"{label}: {_phrase(reason, single=True)}, retrying in {_seconds(delay)}")

    def limit_wait(self, provider: str, label: str, seconds: float) -> None:
        """`label` waits `seconds` for campctl's pacing of the vendor's published limit."""
        self._record(provider, label, _LIMIT, seconds)
        self.detail(f"{label}: waiting {_seconds(seconds)} for the vendor rate limit")

    def waiting(self) -> str | None:
        """What the run waits for now, for the progress line: `alta: rate limit, next try in
        35 s` (one part per provider, joined by ' · '), or None."""
        now = self._clock()
        parts = []
        for provider, waits in list(self._waits.items()):
            active = [w for w in waits if w[0] > now]
            if not active:
                del self._waits[provider]
                continue
            self._waits[provider] = active
            until, reason = min(active)
            parts.append(f"{provider}: {_short(reason)}, next try in {_seconds(until - now)}")
        return " · ".join(parts) or None

    def flush(self) -> None:
        """Print every pending group now (at the end of a run, before the results)."""
        for key in list(self._groups):
            self._emit(key)

    def _record(self, provider: str, label: str, reason: str, delay: float) -> None:
        now = self._clock()
        self._waits.setdefault(provider, []).append((now + delay, reason))
        if self.quiet:
            return
        self._flush_due(now)
        key = (provider, reason)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(provider, reason, first=now, last=now)
            group.timer = _call_later(FLUSH_QUIET, lambda: self._tick(key))
        group.last = now
        group.labels[label] = None
        group.shortest = min(group.shortest, delay)
        group.longest = max(group.longest, delay)

    def _tick(self, key: tuple[str, str]) -> None:
        group = self._groups.get(key)
        if group is None:
            return
        now = self._clock()
        if _due(group, now):
            self._emit(key)
            return
        wait = min(FLUSH_QUIET - (now - group.last), FLUSH_CAP - (now - group.first))
        group.timer = _call_later(max(wait, 0.01), lambda: self._tick(key))

    def _flush_due(self, now: float) -> None:
        for key, group in list(self._groups.items()):
            if _due(group, now):
                self._emit(key)

    def _emit(self, key: tuple[str, str]) -> None:
        group = self._groups.pop(key, None)
        if group is None:
            return
        if group.timer is not None:
            group.timer.cancel()
        delay = _seconds_range(group.shortest, group.longest)
        count = len(group.labels)
        if group.reason == _LIMIT:
            if count == 1:
                text = (
                    f"{group.provider}: vendor rate limit reached, waiting {delay} "
                    "before the next request"
                )
            else:
                text = (
                    f"{group.provider}: vendor rate limit reached, {count} targets waiting, "
                    f"next request in {delay}"
                )
        elif count == 1:
            (label,) = group.labels
            text = f"{label}: {_phrase(group.reason, single=True)}, retrying in {delay}"
        else:
            text = (
                f"{group.provider}: {count} targets {_phrase(group.reason, single=False)}, "
                f"retrying in {delay}"
            )
        self.line(text)


def _due(group: _Group, now: float) -> bool:
    return now - group.last >= FLUSH_QUIET or now - group.first >= FLUSH_CAP


def _call_later(delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle | None:
    aio = sys.modules.get("asyncio")  # not imported yet: certainly no loop (and --help stays fast)
    if aio is None:
        return None
    try:
        loop = aio.get_running_loop()
    except RuntimeError:
        return None  # no loop: printed by a later call or by flush()
    handle: asyncio.TimerHandle = loop.call_later(delay, callback)
    return handle


def _phrase(reason: str, *, single: bool) -> str:
    """How a retry reason reads after a label ("alta:x: …") or a count ("5 targets …")."""
    if reason == "HTTP 429":
        return "rate-limited (HTTP 429)"
    if reason.startswith("HTTP "):
        return reason if single else f"got {reason}"
    phrases = {
        "timeout": ("timed out", "timed out"),
        "network": ("network error", "hit a network error"),
        "vendor_error": ("vendor error", "got a vendor error"),
    }
    one, many = phrases.get(reason, (reason, f"failed ({reason})"))
    return one if single else many


def _short(reason: str) -> str:
    """The reason as the progress line names it."""
    if reason in (_LIMIT, "HTTP 429", "rate_limited"):
        return "rate limit"
    return {"network": "network error", "vendor_error": "vendor error"}.get(reason, reason)


def _seconds(value: float) -> str:
    value = max(value, 0.0)
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"


def _seconds_range(low: float, high: float) -> str:
    if _seconds(low) == _seconds(high):
        return _seconds(high)
    return f"{_seconds(low)[:-2]}-{_seconds(high)}"
