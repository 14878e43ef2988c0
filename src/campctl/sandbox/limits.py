"""The vendors' documented concurrency limits, enforced per API key."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import NamedTuple


class SerialGate:
    """One request at a time per key; up to `max_waiting` queue for at most `timeout` seconds.

    Models Woodpecker: "1 request is processed at a time", "queued requests have a 15 second
    time limit", "at most 6 requests are queued; every request above that is dropped
    immediately". The docs do not say per key or per account; per key is what a client can see.
    """

    def __init__(self, max_waiting: int, timeout: float) -> None:
        self.max_waiting = max_waiting
        self.timeout = timeout
        self._cond = threading.Condition()
        self._busy: set[str] = set()
        self._waiting: dict[str, int] = {}
        self._closed = False

    def acquire(self, key: str) -> bool:
        """Take `key`'s turn; False if the queue is full, the wait timed out or the gate closed."""
        with self._cond:
            if self._closed:
                return False
            if key not in self._busy:
                self._busy.add(key)
                return True
            waiting = self._waiting.get(key, 0)
            if waiting >= self.max_waiting:
                return False
            self._waiting[key] = waiting + 1
            try:
                free = self._cond.wait_for(
                    lambda: key not in self._busy or self._closed, self.timeout
                )
            finally:
                self._waiting[key] -= 1
            if not free or self._closed:
                return False
            self._busy.add(key)
            return True

    def release(self, key: str) -> None:
        with self._cond:
            self._busy.discard(key)
            self._cond.notify_all()

    def close(self) -> None:
        """Turn every waiter away at once, so shutdown does not wait out the queue timeout."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Admission(NamedTuple):
    admitted: bool
    retry_after: float  # seconds until a slot frees in every window that is full
    limit: int  # the first window's budget, remaining count and length, for the vendor's
    remaining: int  # rate-limit headers (`Vendor.limit_headers`)
    window: float


class SlidingWindows:
    """At most `n` requests in any rolling `seconds` per key, for each (n, seconds) given
    (Alta: 100 a minute; Smartlead: 10 per 2 s and 50 a minute). A request counts in every
    window or in none.

    Rolling rather than fixed windows, so a client that bursts at a window boundary is still
    caught; `clock` is injectable so tests can move time instead of waiting.
    """

    def __init__(self, windows: tuple[tuple[int, float], ...], clock: Callable[[], float]) -> None:
        if not windows:
            raise ValueError("at least one window")
        self.windows = windows
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, int], deque[float]] = {}

    def admit(self, key: str) -> Admission:
        """Count one request if every window has room."""
        with self._lock:
            now = self._clock()
            waits = []
            for index, (limit, window) in enumerate(self.windows):
                hits = self._hits.setdefault((key, index), deque())
                while hits and hits[0] <= now - window:
                    hits.popleft()
                if len(hits) >= limit:
                    waits.append(hits[0] + window - now)
            admitted = not waits
            if admitted:
                for index in range(len(self.windows)):
                    self._hits[(key, index)].append(now)
            limit, window = self.windows[0]
            first = self._hits[(key, 0)]
            wait = max(waits) if waits else (first[0] + window - now if first else 0.0)
            return Admission(admitted, max(wait, 0.0), limit, limit - len(first), window)
