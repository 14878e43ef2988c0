"""Per-vendor client-side limits shared by every target of a run, plus --concurrency.

The mechanism lives here; which vendor needs which limit is adapter metadata (VendorLimit):
any number of windows — at most N request starts in any S seconds — and a cap on requests
in flight, per key.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import resource
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from campctl.transport import VendorLimit

OnWait = Callable[[float], None]
# What one request's limits are counted by: its key, and where the vendor counts by more
# (an account ID), that too. campctl.limits.Limits.scope builds it.
Scope = str | tuple[str, ...]


class _Paced:
    """Waiting for and taking a start, given `delay()` and `record()`."""

    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    lock: asyncio.Lock

    def delay(self) -> float:
        raise NotImplementedError

    def record(self, moment: float) -> None:
        raise NotImplementedError

    def try_start(self) -> bool:
        """Count a start now if every window allows it (no await: atomic on the event loop)."""
        if self.delay() > 0:
            return False
        self.record(self.clock())
        return True

    async def wait(self, on_wait: OnWait | None = None) -> None:
        """Sleep until a start would be allowed, without taking it."""
        while (wait := self.delay()) > 0:
            if on_wait is not None:
                on_wait(wait)
            await self.sleep(wait)

    async def acquire(self, on_wait: OnWait | None = None) -> None:
        async with self.lock:  # FIFO: waiters start in arrival order
            await self.wait(on_wait)
            self.record(self.clock())


class SlidingWindow(_Paced):
    """At most `limit` request starts in any `period` seconds.

    A classic token bucket of capacity N refilling N per minute lets up to 2N-1 requests
    start within one minute (a full bucket, then the refill); a log of recent starts makes
    "never 101 in any 60 s" hold exactly while still allowing an immediate burst of 100.
    Windows of one key and period share one log (`starts`), so requests with different
    budgets for that period (two profiles of one key) count against each other.
    """

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        starts: deque[float] | None = None,
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._starts: deque[float] = deque() if starts is None else starts
        self.lock = asyncio.Lock()

    def delay(self) -> float:
        """Seconds until a start is allowed (0 if now), forgetting starts outside the window."""
        now = self.clock()
        while self._starts and now - self._starts[0] >= self.period:
            self._starts.popleft()
        if len(self._starts) < self.limit:
            return 0.0
        return self._starts[-self.limit] + self.period - now

    def record(self, moment: float) -> None:
        self._starts.append(moment)


class Pacer(_Paced):
    """All the windows one request must fit (e.g. 2 s, a minute and an hour): it
    starts when every window allows it, and the start counts in each."""

    def __init__(
        self,
        windows: Sequence[SlidingWindow],
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        lock: asyncio.Lock,
    ) -> None:
        self.windows = windows
        self.clock = clock
        self.sleep = sleep
        self.lock = lock

    def delay(self) -> float:
        return max(window.delay() for window in self.windows)

    def record(self, moment: float) -> None:
        for window in self.windows:
            window.record(moment)


WINDOW_SLACK = 1.0
SLACK_SHARE = 0.1
"""Added to each vendor window: WINDOW_SLACK seconds, at most SLACK_SHARE of the window.
The vendor counts a request when it arrives, campctl when it starts: the first requests of
a burst also open connections and arrive later than they started, so a window kept to the
exact second lets the 101st arrive inside the vendor's minute (seen against the simulator).
A second absorbs that skew; a short window (2 s) gets a tenth of its length, so
the slack never costs it more than a tenth of its pace (connection set-up is well under
that)."""


def slack(seconds: float) -> float:
    return min(WINDOW_SLACK, seconds * SLACK_SHARE)


FD_RESERVE = 16
"""File descriptors kept free beside the connections: the event loop, the audit log, DNS
lookups, an `api_key_command`'s pipe, and the connection pool's spares (campctl.http)."""


def usable_concurrency(requested: int) -> int:
    """`--concurrency`, lowered to what the open-files limit (`ulimit -n`) leaves room for.

    Every request in flight holds a socket; a run that hit the limit would fail targets as
    `network` errors that are really campctl's own doing.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested
    return max(1, min(requested, soft - _open_files() - FD_RESERVE))


def _open_files() -> int:
    for directory in ("/proc/self/fd", "/dev/fd"):
        with contextlib.suppress(OSError):
            return len(os.listdir(directory))
    return 3  # stdin, stdout, stderr


class Limits:
    """Semaphores and windows keyed by (vendor, key fingerprint) — and by what else the
    vendor counts by (an account ID) — created on first use."""

    def __init__(
        self,
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._global = asyncio.Semaphore(usable_concurrency(concurrency))
        self._in_flight: dict[str, asyncio.Semaphore] = {}
        self._starts: dict[tuple[str, float], deque[float]] = {}  # by (scope, period)
        self._locks: dict[str, asyncio.Lock] = {}
        self._clock = clock
        self._sleep = sleep

    def sharing(self, concurrency: int) -> Limits:
        """Limits for one run that share these vendor limits (in-flight gates, windows) and
        have their own --concurrency: concurrent calls of one library Context, or of one
        server, never go over a vendor's limit together."""
        run = Limits(concurrency, self._clock, self._sleep)
        run._in_flight, run._starts, run._locks = self._in_flight, self._starts, self._locks
        return run

    @staticmethod
    def scope(vendor: str, api_key: str, shared: str | None = None) -> Scope:
        """A per-key scope that does not keep the key itself; with `shared` (the profile's
        `VendorLimit.shared_with`) a request counts toward that scope's limits as well."""
        key = f"{vendor}:{hashlib.blake2b(api_key.encode(), digest_size=8).hexdigest()}"
        return key if shared is None else (key, f"{vendor}:{shared}")

    @asynccontextmanager
    async def slot(
        self, scope: Scope, limit: VendorLimit, on_wait: OnWait | None = None
    ) -> AsyncIterator[None]:
        """Hold a slot for one HTTP request.

        A vendor with its own in-flight cap (e.g. one per key) is bounded by that cap
        alone: its requests are a serial chain, the slowest part of a mixed run, and must
        not queue behind other vendors for a --concurrency slot. Everyone else waits for
        the vendor's windows without holding a shared slot, then takes a slot, and only
        then counts its start in the windows.
        """
        scopes = sorted({scope} if isinstance(scope, str) else set(scope))  # one order: no deadlock
        pacer = self._pacer(scopes, limit)
        if limit.max_in_flight is not None:
            async with contextlib.AsyncExitStack() as gates:
                for name in scopes:
                    gate = self._in_flight.setdefault(name, asyncio.Semaphore(limit.max_in_flight))
                    await gates.enter_async_context(gate)
                if pacer is not None:
                    await pacer.acquire(on_wait)
                yield
            return
        while True:
            if pacer is not None:
                await pacer.wait(on_wait)
            await self._global.acquire()
            # The start is counted only now, holding the slot: no window ever holds more
            # starts than its limit, whatever the wait for a --concurrency slot was.
            if pacer is None or pacer.try_start():
                break
            self._global.release()
        try:
            yield
        finally:
            self._global.release()

    def _pacer(self, scopes: list[str], limit: VendorLimit) -> Pacer | None:
        """Every window of `limit` in every scope, over the scope's shared log of starts."""
        if not limit.windows:
            return None
        windows = [
            SlidingWindow(
                requests,
                seconds + slack(seconds),
                self._clock,
                self._sleep,
                self._starts.setdefault((scope, seconds), deque()),
            )
            for scope in scopes
            for requests, seconds in limit.windows
        ]
        lock = self._locks.setdefault(scopes[0], asyncio.Lock())
        return Pacer(windows, self._clock, self._sleep, lock)
