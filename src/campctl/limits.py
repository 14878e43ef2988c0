"""Per-vendor client-side limits shared by every target of a run, plus --concurrency.

The mechanism lives here; which vendor needs which limit is adapter metadata (VendorLimit).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import resource
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from campctl.providers.base import VendorLimit


class SlidingWindow:
    """At most `limit` request starts in any `period` seconds.

    A classic token bucket of capacity N refilling N per minute lets up to 2N-1 requests
    start within one minute (a full bucket, then the refill); a log of recent starts makes
    "never 101 in any 60 s" hold exactly while still allowing an immediate burst of 100.
    """

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    def delay(self) -> float:
        """Seconds until a start is allowed (0 if now), forgetting starts outside the window."""
        now = self.clock()
        while self._starts and now - self._starts[0] >= self.period:
            self._starts.popleft()
        if len(self._starts) < self.limit:
            return 0.0
        return self._starts[0] + self.period - now

    def try_start(self) -> bool:
        """Count a start now if the window allows it (no await: atomic on the event loop)."""
        if self.delay() > 0:
            return False
        self._starts.append(self.clock())
        return True

    async def wait(self, on_wait: Callable[[float], None] | None = None) -> None:
        """Sleep until a start would be allowed, without taking it."""
        while (wait := self.delay()) > 0:
            if on_wait is not None:
                on_wait(wait)
            await self.sleep(wait)

    async def acquire(self, on_wait: Callable[[float], None] | None = None) -> None:
        async with self._lock:  # FIFO: waiters start in arrival order
            await self.wait(on_wait)
            self._starts.append(self.clock())


WINDOW_SLACK = 1.0
"""Seconds added to a vendor's 60 s window. The vendor counts a request when it arrives,
campctl when it starts: the first requests of a burst also open connections and arrive
later than they started, so a window kept to the exact second lets the 101st arrive inside
the vendor's minute (seen against the simulator). A second of slack absorbs that skew."""


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
    """Semaphores and windows keyed by (vendor, key fingerprint), created on first use."""

    def __init__(
        self,
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._global = asyncio.Semaphore(usable_concurrency(concurrency))
        self._in_flight: dict[str, asyncio.Semaphore] = {}
        self._windows: dict[str, SlidingWindow] = {}
        self._clock = clock
        self._sleep = sleep

    @staticmethod
    def scope(vendor: str, api_key: str) -> str:
        """A per-key scope that does not keep the key itself."""
        return f"{vendor}:{hashlib.blake2b(api_key.encode(), digest_size=8).hexdigest()}"

    @asynccontextmanager
    async def slot(
        self, scope: str, limit: VendorLimit, on_wait: Callable[[float], None] | None = None
    ) -> AsyncIterator[None]:
        """Hold a slot for one HTTP request.

        A vendor with its own in-flight cap (Woodpecker: one per key) is bounded by that cap
        alone: its requests are a serial chain, the slowest part of a mixed run, and must
        not queue behind other vendors for a --concurrency slot. Everyone else waits for
        any per-minute window without holding a shared slot, then takes a slot, and only
        then counts its start in the window.
        """
        if limit.max_in_flight is not None:
            gate = self._in_flight.setdefault(scope, asyncio.Semaphore(limit.max_in_flight))
            async with gate:
                window = self._window(scope, limit)
                if window is not None:
                    await window.acquire(on_wait)
                yield
            return
        window = self._window(scope, limit)
        while True:
            if window is not None:
                await window.wait(on_wait)
            await self._global.acquire()
            # The start is counted only now, holding the slot: no 60 s window ever holds
            # more starts than the limit, whatever the wait for a --concurrency slot was.
            if window is None or window.try_start():
                break
            self._global.release()
        try:
            yield
        finally:
            self._global.release()

    def _window(self, scope: str, limit: VendorLimit) -> SlidingWindow | None:
        if limit.per_minute is None:
            return None
        return self._windows.setdefault(
            scope, SlidingWindow(limit.per_minute, 60.0 + WINDOW_SLACK, self._clock, self._sleep)
        )
