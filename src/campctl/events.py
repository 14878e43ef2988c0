"""What happens during a run, as typed events for subscribers (`Context(on_event=...)`).

The engine and the transport report through a `Diagnostics` sink; the CLI's prints lines on
stderr, the library's (`EventSink`) turns every report into one of these events instead, so
a Python caller, an MCP server or a notifier sees the run without campctl printing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from campctl.diagnostics import Diagnostics
from campctl.redact import Redactor

if TYPE_CHECKING:
    from campctl.results import Report, Result

__all__ = [
    "Event",
    "EventSink",
    "LimitWait",
    "Notice",
    "Retrying",
    "RunFinished",
    "RunStarted",
    "SelectionMade",
    "TargetDone",
]


@dataclass(frozen=True)
class RunStarted:
    """The run has its first target (and its journal entry): a run ID is a promise."""

    action: str
    run_id: str | None  # None for dry runs and status reads


@dataclass(frozen=True)
class TargetDone:
    result: Result


@dataclass(frozen=True)
class Retrying:
    provider: str
    target: str
    reason: str  # "HTTP 429", "timeout", ...
    delay: float


@dataclass(frozen=True)
class LimitWait:
    """campctl paces a vendor's published limit: this target waits `seconds`."""

    provider: str
    target: str
    seconds: float


@dataclass(frozen=True)
class SelectionMade:
    selection: dict[str, Any]  # the `selection` object of the --json document


@dataclass(frozen=True)
class Notice:
    """A line the CLI would print on stderr; `verbose` ones only with --verbose."""

    message: str
    verbose: bool = False


@dataclass(frozen=True)
class RunFinished:
    report: Report


Event = RunStarted | TargetDone | Retrying | LimitWait | SelectionMade | Notice | RunFinished


class EventSink(Diagnostics):
    """The library's sink: nothing is written anywhere, every report becomes an event."""

    def __init__(self, redactor: Redactor, on_event: Callable[[Event], None] | None) -> None:
        super().__init__(redactor, quiet=True)
        self._on_event = on_event

    def emit(self, event: Event) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def line(self, message: str) -> None:
        self.emit(Notice(message))

    def notice(self, message: str) -> None:
        self.emit(Notice(message))

    def exchange(self, message: str) -> None:
        self.emit(Notice(message, verbose=True))

    def detail(self, message: str) -> None:
        self.emit(Notice(message, verbose=True))

    def retrying(self, provider: str, label: str, reason: str, delay: float) -> None:
        self.emit(Retrying(provider, label, reason, delay))

    def limit_wait(self, provider: str, label: str, seconds: float) -> None:
        self.emit(LimitWait(provider, label, seconds))
