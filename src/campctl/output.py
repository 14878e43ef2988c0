"""Renderers: the --json document, plain greppable lines for pipes, a Rich table for humans.

Rich is imported only when stdout may be a terminal, which keeps piped runs fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from campctl.diagnostics import Diagnostics
from campctl.redact import Redactor
from campctl.results import Outcome, Report, Result

if TYPE_CHECKING:
    from rich.console import Console

_COLOURS = {
    Outcome.DONE: "green",
    Outcome.NOOP: "cyan",
    Outcome.FAILED: "bold red",
    Outcome.SKIPPED: "yellow",
}


def terminal_console(stream: TextIO) -> Console | None:
    """A Rich console when `stream` is a terminal by Rich's rules (NO_COLOR, FORCE_COLOR,
    TTY_COMPATIBLE and TERM honoured), else None."""
    maybe = (
        stream.isatty() or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1"
    )
    if not maybe:
        return None
    from rich.console import Console

    console = Console(file=stream, markup=False, highlight=False, soft_wrap=False)
    return console if console.is_terminal else None


def render(
    report: Report,
    *,
    json_mode: bool,
    quiet: bool,
    redactor: Redactor,
    diagnostics: Diagnostics,
    stream: TextIO | None = None,
) -> None:
    out = stream or sys.stdout
    if json_mode:
        out.write(report.document() + "\n")
        out.flush()
        return
    console = terminal_console(out)
    if console is not None:
        _table(report, console, quiet, redactor)
        return
    if report.sandbox:
        diagnostics.notice("SANDBOX: results come from the built-in simulator")
    for result in report.results:
        if quiet and result.outcome is not Outcome.FAILED:
            continue
        status = result.status or "-"
        line = f"{result.target} {result.outcome.value} {status}"
        if result.error is not None:
            line += f" {result.error.kind.value}"
            diagnostics.line(f"{result.target}: {result.message}")
        out.write(redactor(line) + "\n")
        request = result.details.get("request")
        if isinstance(request, dict):
            out.write(redactor(_request_block(request)))
    out.flush()


def _request_block(request: dict[str, Any]) -> str:
    lines = [f"  {request['method']} {request['url']}"]
    lines += [f"  {name}: {value}" for name, value in request["headers"].items()]
    if request.get("body"):
        lines.append(f"  body: {request['body']}")
    return "\n".join(lines) + "\n"


def _table(report: Report, console: Console, quiet: bool, redactor: Redactor) -> None:
    from rich.table import Table
    from rich.text import Text

    title = f"campctl {report.action}"
    if report.sandbox:
        title += " — SANDBOX (simulated vendors)"
    if report.dry_run:
        title += " — DRY RUN (nothing sent)"
    table = Table(title=title, title_justify="left")
    for column in ("target", "outcome", "status"):
        table.add_column(column, no_wrap=True)  # whole IDs: copy-pasted into the next command
    table.add_column("detail", overflow="fold")
    for result in report.results:
        if quiet and result.outcome is not Outcome.FAILED:
            continue
        table.add_row(
            Text(redactor(result.target)),
            Text(result.outcome.value, style=_COLOURS[result.outcome]),
            Text(result.status or "-"),
            Text(redactor(_detail(result))),
        )
    if table.row_count:
        console.print(table)
    if not quiet:
        s = report.summary
        console.print(
            f"{s.total} target(s): {s.done} done, {s.noop} noop, {s.failed} failed, "
            f"{s.skipped} skipped (exit {report.exit_code})"
        )


def _detail(result: Result) -> str:
    request = result.details.get("request")
    if isinstance(request, dict):
        return _request_block(request).strip()
    if result.error is not None:
        return f"{result.error.kind.value}: {result.message}"
    return result.message


class Progress:
    """'n/total done' on stderr while several targets are in flight, only on a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self._status: Any = None
        err = stream or sys.stderr
        if total > 1:
            console = terminal_console(err)
            if console is not None:
                self._status = console.status(f"0/{total} done")
                self._status.start()

    def advance(self) -> None:
        self.done += 1
        if self._status is not None:
            self._status.update(f"{self.done}/{self.total} done")

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
