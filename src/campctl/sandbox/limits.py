"""The vendors' documented concurrency limits, enforced per API key."""

from __future__ import annotations

import math
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
    retry_after_s: int  # whole seconds until a slot frees
    headers: dict[str, str]


class SlidingWindow:
    """At most `limit` requests in any rolling `window` seconds per key (Alta: 100 a minute).

    Rolling rather than fixed windows, so a client that bursts at a minute boundary is still
    caught; `clock` is injectable so tests can move time instead of waiting.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def admit(self, key: str) -> Admission:
        """Count one request; the headers are Alta's RateLimit-* set (+ Retry-After if refused)."""
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            admitted = len(hits) < self.limit
            if admitted:
                hits.append(now)
            retry_after = max(1, math.ceil(hits[0] + self.window - now))
            headers = {
                "RateLimit-Limit": str(self.limit),
                "RateLimit-Remaining": str(self.limit - len(hits)),
                "RateLimit-Reset": str(retry_after),
                "RateLimit-Policy": f"{self.limit};w={self.window:g}",
            }
            if not admitted:
                headers["Retry-After"] = str(retry_after)
            return Admission(admitted, retry_after, headers)
