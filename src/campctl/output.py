"""Renderers: the --json document, plain greppable lines for pipes, a Rich table for humans.

Rich is imported only when a stream may be a terminal, which keeps piped runs fast; the
result model (pydantic) only by the functions that render results.

Results arrive already redacted (campctl.act redacts vendor text once, field by field, so a
key like `done` never touches campctl's own words). Every vendor-supplied string (message,
status, detail, names) passes through `sanitize.printable` before it reaches a terminal or a
plain line; --json escapes control characters as JSON does.

Tables fit the terminal: columns marked `keep` (targets, outcomes, names, URLs) are never cut
or wrapped, the others wrap at word boundaries, and when even that cannot fit (a narrow split
pane) each row is printed as a short block instead.

Writing stdout can fail (a reader that went away, a full disk, a closed descriptor): the
write helpers turn that into `StdoutError`, which the CLI group reports once.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from campctl.diagnostics import Diagnostics
from campctl.sanitize import encoding_of, printable

if TYPE_CHECKING:  # results (pydantic) stays unimported for help, completion and info commands
    from rich.console import Console, RenderableType
    from rich.text import Text

    from campctl.results import Report, Result

_COLOURS = {"done": "green", "noop": "cyan", "failed": "bold red", "skipped": "yellow"}

MIN_FLEX_WIDTH = 20  # narrowest useful wrapped column (detail); below it, stacked blocks
MAX_UNBROKEN = 24  # longer words (URLs, UUIDs) may be folded inside a wrapped column
PROGRESS_REFRESH = 4  # redraws per second: the wait countdown stays current


# -- writing stdout ---------------------------------------------------------------------------
class StdoutError(Exception):
    """stdout could not be written.

    `reason` is None for a closed pipe (`| head -1`): the reader went away, campctl exits
    quietly with the code the results give. Otherwise (`> /dev/full`, `>&-`) `reason` is
    the one line to print, and the exit code is the results' code when that is non-zero,
    else 1 — a write failure never hides a failure the results report.
    """

    def __init__(self, exit_code: int, reason: str | None) -> None:
        super().__init__(reason or "broken pipe")
        self.exit_code = int(exit_code)
        self.reason = reason

    @property
    def final_code(self) -> int:
        return self.exit_code if self.reason is None else (self.exit_code or 1)


@contextlib.contextmanager
def stdout_guard(exit_code: int = 0) -> Iterator[None]:
    """Turn a failed write (or flush) of stdout inside the block into StdoutError."""
    try:
        yield
    except BrokenPipeError:
        raise StdoutError(exit_code, None) from None
    except OSError as exc:
        raise StdoutError(exit_code, exc.strerror or str(exc)) from None
    except ValueError as exc:  # "I/O operation on closed file"
        raise StdoutError(exit_code, str(exc)) from None


def write_stdout(text: str, *, exit_code: int = 0, stream: TextIO | None = None) -> None:
    """Write and flush: a full disk shows here, not at interpreter exit."""
    with stdout_guard(exit_code):
        out = stream or sys.stdout
        out.write(text)
        out.flush()


def silence_stdout() -> None:
    """After a failed write: point fd 1 at /dev/null, so the interpreter's final flush of
    what is still buffered cannot fail again (Python's documented SIGPIPE recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real descriptor (tests)
        pass
    finally:
        os.close(devnull)


# -- consoles -------------------------------------------------------------------------------
def terminal_console(stream: TextIO) -> Console | None:
    """A Rich console when `stream` is a terminal by Rich's rules (NO_COLOR, FORCE_COLOR,
    TTY_COMPATIBLE and TERM honoured), else None."""
    maybe = (
        _isatty(stream) or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1"
    )
    if not maybe:
        return None
    from rich.console import Console

    console = Console(file=stream, markup=False, highlight=False, emoji=False, soft_wrap=False)
    return console if console.is_terminal else None


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


def clean(text: str) -> str:
    """Vendor text for a terminal or a plain line on stdout: controls, invisible characters
    and whatever stdout's encoding cannot hold escaped."""
    return printable(text, encoding_of(sys.stdout))


def _clean_lines(text: str) -> str:
    """Like clean() for campctl's own multi-line blocks (a dry-run request)."""
    return "\n".join(clean(line) for line in text.split("\n"))


# -- tables that fit --------------------------------------------------------------------------
class Column(NamedTuple):
    header: str
    keep: bool = False  # never cut or wrapped: targets, outcomes, names, URLs


def _widths(cells: Sequence[str]) -> tuple[int, int]:
    """(widest line, longest word) of a column's cells, in terminal cells."""
    from rich.cells import cell_len

    widest = word = 0
    for cell in cells:
        for line in cell.split("\n"):
            widest = max(widest, cell_len(line))
            word = max([word, *(cell_len(w) for w in line.split())])
    return widest, word


def layout(
    width: int, columns: Sequence[Column], rows: Sequence[Sequence[Text]]
) -> list[int] | None:
    """Content widths for a table `width` cells wide, or None when it cannot fit.

    `keep` columns get their widest cell. Every other column gets at least MIN_FLEX_WIDTH
    (or its content, if narrower) and at least its longest word up to MAX_UNBROKEN, so it
    wraps at word boundaries; the rest of the width is shared in proportion to need.
    """
    extra = 3 * len(columns) + 1  # Rich's default box: edges, separators, padding 1 a side
    wanted: list[int] = []
    least: list[int] = []
    for index, column in enumerate(columns):
        widest, word = _widths([column.header, *(row[index].plain for row in rows)])
        wanted.append(widest)
        least.append(
            widest if column.keep else max(min(widest, MIN_FLEX_WIDTH), min(word, MAX_UNBROKEN))
        )
    room = width - extra
    if sum(least) > room:
        return None
    if sum(wanted) <= room:
        return wanted
    spare = room - sum(least)
    need = [w - m for w, m in zip(wanted, least, strict=True)]
    total_need = sum(need)
    widths = [m + (spare * n) // total_need for m, n in zip(least, need, strict=True)]
    for index in sorted(range(len(widths)), key=lambda i: need[i], reverse=True):
        if sum(widths) >= room:
            break
        if widths[index] < wanted[index]:
            widths[index] += 1
    return widths


def fits(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Text]]) -> bool:
    return layout(console.width, columns, rows) is not None


def print_table(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Text]],
    *,
    title: str | None = None,
) -> None:
    """A table when it fits (see layout()), else one block per row: the first column on its
    own line, then `header: value` lines indented by two spaces."""
    if title:
        console.print(title, soft_wrap=True)
    widths = layout(console.width, columns, rows)
    if widths is not None:
        from rich.table import Table

        table = Table()
        for column, width in zip(columns, widths, strict=True):
            if column.keep:
                table.add_column(column.header, no_wrap=True, min_width=width)
            else:
                table.add_column(column.header, width=width, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    for row in rows:
        console.print(row[0], soft_wrap=True)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            if cell.plain:
                _stacked_line(console, column, cell)


def _stacked_line(console: Console, column: Column, cell: Text) -> None:
    from rich.text import Text

    line = Text.assemble(f"{column.header}: ", cell)
    if column.keep:  # the terminal wraps it, so a copied URL or ID stays whole
        console.print(Text("  ") + line, soft_wrap=True)
    else:
        print_indented(console, line)


def print_indented(console: Console, text: Text, indent: int = 2) -> None:
    """`text` wrapped at word boundaries (words longer than the line folded), every line
    indented, no trailing padding."""
    from rich.text import Text

    text.overflow = "fold"
    for line in text.wrap(console, max(console.width - indent, 8)):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)


# -- results ------------------------------------------------------------------------------
def render(
    report: Report,
    *,
    json_mode: bool,
    quiet: bool,
    diagnostics: Diagnostics,
    stream: TextIO | None = None,
) -> None:
    """Print the results on stdout. A failed write raises StdoutError (see there).

    When stdout is not a terminal but stderr is, the one-line summary also goes to stderr,
    so an operator who redirected the results still sees how the run went.
    """
    diagnostics.flush()  # grouped retry notices still pending belong before the results
    out = stream or sys.stdout
    code = report.exit_code
    if json_mode:
        write_stdout(report.document() + "\n", exit_code=code, stream=out)
        _summary_to_stderr(report, out, quiet, diagnostics)
        return
    console = terminal_console(out)
    if console is not None:
        with stdout_guard(code):
            _table(report, console, quiet)
            out.flush()
        return
    if report.sandbox:
        diagnostics.notice("SANDBOX: results come from the built-in simulator")
    with stdout_guard(code):
        for result in report.results:
            if quiet and result.outcome != "failed":
                continue
            line = f"{result.target} {result.outcome.value} {result.status or '-'}"
            if result.error is not None:
                line += f" {result.error.kind.value}"
                diagnostics.line(f"{clean(result.target)}: {clean(result.message)}")
            out.write(clean(line) + "\n")
            request = result.details.get("request")
            if isinstance(request, dict):
                out.write(_clean_lines(_request_block(request)))
        out.flush()
    _summary_to_stderr(report, out, quiet, diagnostics)


def summary_line(report: Report) -> str:
    s = report.summary
    return (
        f"{s.total} target(s): {s.done} done, {s.noop} noop, {s.failed} failed, "
        f"{s.skipped} skipped (exit {report.exit_code})"
    )


def _summary_to_stderr(report: Report, out: TextIO, quiet: bool, diagnostics: Diagnostics) -> None:
    if quiet or _isatty(out) or terminal_console(diagnostics.stream) is None:
        return
    diagnostics.line(summary_line(report))


def _request_block(request: dict[str, Any]) -> str:
    lines = [f"  {request['method']} {request['url']}"]
    lines += [f"  {name}: {value}" for name, value in request["headers"].items()]
    if request.get("body") is not None:
        lines.append(f"  body: {json.dumps(request['body'])}")
    return "\n".join(lines) + "\n"


def _title(report: Report) -> str:
    title = f"campctl {report.action}"
    if report.sandbox:
        title += " — SANDBOX (simulated vendors)"
    if report.dry_run:
        title += " — DRY RUN (nothing sent)"
    return title


def _table(report: Report, console: Console, quiet: bool) -> None:
    from rich.text import Text

    shown = [r for r in report.results if not quiet or r.outcome == "failed"]
    rows = [
        [
            Text(clean(r.target)),
            Text(r.outcome.value, style=_COLOURS[r.outcome]),
            Text(clean(r.status or "-")),
            Text(_clean_lines(_detail(r))),
        ]
        for r in shown
    ]
    columns = [Column("target", keep=True), Column("outcome", keep=True)]
    columns += [Column("status", keep=True), Column("detail")]
    if rows and fits(console, columns, rows):
        print_table(console, columns, rows, title=_title(report))
    elif rows:
        _stacked_results(console, rows, _title(report))
    if not quiet:
        console.print(summary_line(report))


def _stacked_results(console: Console, rows: list[list[Text]], title: str) -> None:
    """A narrow pane: per target its ID, then `outcome · status`, then the wrapped detail."""
    from rich.text import Text

    console.print(title, soft_wrap=True)
    for target, outcome, status, detail in rows:
        console.print(target, soft_wrap=True)
        state = Text("  ") + outcome
        if status.plain != "-":
            state += Text(" · ") + status
        console.print(state, soft_wrap=True)
        if detail.plain:
            print_indented(console, detail)


def _detail(result: Result) -> str:
    request = result.details.get("request")
    if isinstance(request, dict):
        return _request_block(request).strip()
    if result.error is not None:
        return f"{result.error.kind.value}: {result.message}"
    return result.message


# -- progress -----------------------------------------------------------------------------
class Progress:
    """`37/130 done · alta: rate limit, next try in 35 s` on stderr while several targets are
    in flight, only on a terminal.

    `waiting` is read at every redraw (the run's `Diagnostics.waiting`), so the line says
    what the run waits for and counts the wait down instead of looking hung.
    """

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        *,
        waiting: Callable[[], str | None] | None = None,
    ) -> None:
        self.total = total
        self.done = 0
        self._waiting = waiting
        self._live: Any = None
        err = stream or sys.stderr
        if total > 1:
            console = terminal_console(err)
            if console is not None:
                self._live = _live(console, self)
                self._live.start()

    def text(self) -> str:
        text = f"{self.done}/{self.total} done"
        note = self._waiting() if self._waiting is not None else None
        return f"{text} · {printable(note)}" if note else text

    def __rich__(self) -> RenderableType:
        from rich.text import Text

        return Text(self.text(), no_wrap=True, overflow="ellipsis")

    def advance(self) -> None:
        self.done += 1
        if self._live is not None:
            self._live.refresh()

    def stop(self) -> None:
        if self._live is not None:
            with contextlib.suppress(OSError, ValueError):
                self._live.stop()
            self._live = None


def _live(console: Console, progress: Progress) -> Any:
    from rich.live import Live
    from rich.spinner import Spinner

    return Live(
        Spinner("dots", text=progress),
        console=console,
        refresh_per_second=PROGRESS_REFRESH,
        transient=True,
        redirect_stdout=False,  # results are printed after the run, never under the spinner
        redirect_stderr=True,  # notices print above the progress line
    )


def emit_rows(
    columns: Sequence[Column],
    cells: list[list[str]],
    code: int,
    alarm: set[int] | None = None,
    *,
    title: str | None = None,
) -> None:
    """A table that fits on a terminal, tab-separated lines otherwise (cut/awk friendly).
    Every cell is shown with control characters escaped; rows in `alarm` say `error` in red."""
    console = terminal_console(sys.stdout)
    if console is None:
        lines = "".join("\t".join(clean(cell) for cell in row) + "\n" for row in cells)
        write_stdout(lines, exit_code=code)
        return
    from rich.text import Text

    rows = [
        [
            Text(clean(cell), style="red" if alarm and i in alarm and cell == "error" else "")
            for cell in row
        ]
        for i, row in enumerate(cells)
    ]
    with stdout_guard(code):
        print_table(console, columns, rows, title=title)
        sys.stdout.flush()
