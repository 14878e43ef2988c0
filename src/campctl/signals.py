"""SIGINT, SIGTERM and SIGHUP handled alike: Ctrl-C, cron's kill, `timeout(1)`, systemd and a
closed terminal all stop sending, account for every target, and exit 128+N.

While planning, a signal raises `Interrupted` (nothing was sent). While requests run, it
cancels them through the event loop, so every target still gets its result and audit line.
Afterwards it is only remembered. A second signal exits at once.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

from campctl.errors import ExitCode, Interrupted

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class SignalGuard:
    def __init__(self) -> None:
        self.signum: int | None = None
        self._cancel: Callable[[], None] | None = None
        self._loop: Any = None
        self._raising = True
        self._previous: dict[int, Any] = {}

    @property
    def exit_code(self) -> ExitCode | None:
        return None if self.signum is None else ExitCode.for_signal(self.signum)

    def __enter__(self) -> SignalGuard:
        if threading.current_thread() is threading.main_thread():
            for signum in HANDLED:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    @contextmanager
    def cancelling(self, loop: Any, cancel: Callable[[], None]) -> Iterator[None]:
        """Within this block a signal calls `cancel` on `loop` instead of raising."""
        self._loop, self._cancel, self._raising = loop, cancel, False
        try:
            if self.signum is not None:  # arrived between planning and acting
                cancel()
            yield
        finally:
            self._loop, self._cancel = None, None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            os._exit(ExitCode.for_signal(self.signum))
        self.signum = signum
        if self._cancel is not None:
            self._loop.call_soon_threadsafe(self._cancel)
        elif self._raising:
            raise Interrupted(signum)
