"""Renderers: the --json document, plain greppable lines for pipes, a Rich table for humans.

Rich is imported only when a stream may be a terminal, which keeps piped runs fast; the
result model (pydantic) only by the functions that render results.

Results arrive already redacted (campctl.act redacts vendor text once, field by field, so a
key like `done` never touches campctl's own words). Every vendor-supplied string (message,
status, detail, names) passes through `sanitize.printable` before it reaches a terminal or a
plain line; --json escapes control characters as JSON does.

Tables fit the terminal: columns marked `keep` (targets, outcomes, names, URLs) are never cut
or wrapped, the others wrap at word boundaries. When a boxed table cannot fit, a borderless
one with narrower wrapped columns is tried (so 80 columns hold a UUID target, its outcome and
status on one line), and when even that cannot fit (a narrow split pane) each row is printed
as a short block instead.

Big runs stay readable: the detail column leaves out what the other columns already say (a
vendor's routine "campaign paused") and says `verified` for what --verify confirmed; a run of
more than RECAP_OVER targets keeps each target to one line and repeats its failures, with
their reasons, after the summary.

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

MIN_FLEX_WIDTH = 20  # narrowest wrapped column (detail) of a boxed table
MIN_COMPACT_WIDTH = 10  # narrowest wrapped column of a borderless table; below it, blocks
MAX_UNBROKEN = 24  # longer words (URLs, UUIDs) may be folded inside a wrapped column
RECAP_OVER = 20  # runs with more targets repeat their failures after the summary
SANDBOX_STYLE = "bold reverse"  # a rehearsal never looks like the real thing
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
    one_line: bool = False  # cut with "…" rather than wrapped: the full text is shown elsewhere


def _widths(cells: Sequence[str]) -> tuple[int, int]:
    """(widest line, longest word) of a column's cells, in terminal cells."""
    from rich.cells import cell_len

    widest = word = 0
    for cell in cells:
        for line in cell.split("\n"):
            widest = max(widest, cell_len(line))
            word = max([word, *(cell_len(w) for w in line.split())])
    return widest, word


class Layout(NamedTuple):
    widths: list[int]
    compact: bool  # borderless: two spaces between columns, no box


def layout(width: int, columns: Sequence[Column], rows: Sequence[Sequence[Text]]) -> Layout | None:
    """A boxed table when it fits, else a borderless one, else None (print blocks)."""
    boxed = _widths_within(width - (3 * len(columns) + 1), columns, rows, MIN_FLEX_WIDTH)
    if boxed is not None:
        return Layout(boxed, compact=False)
    compact = _widths_within(width - 2 * (len(columns) - 1), columns, rows, MIN_COMPACT_WIDTH)
    return None if compact is None else Layout(compact, compact=True)


def _widths_within(
    room: int, columns: Sequence[Column], rows: Sequence[Sequence[Text]], min_flex: int
) -> list[int] | None:
    """Content widths summing to at most `room` cells, or None when they cannot.

    `keep` columns get their widest cell. Every other column gets at least `min_flex`
    (or its content, if narrower) and at least its longest word up to MAX_UNBROKEN, so it
    wraps at word boundaries; the rest of the room is shared in proportion to need.
    """
    wanted: list[int] = []
    least: list[int] = []
    for index, column in enumerate(columns):
        widest, word = _widths([column.header, *(row[index].plain for row in rows)])
        wanted.append(widest)
        if column.keep:
            least.append(widest)
        elif column.one_line:
            least.append(min(widest, min_flex))
        else:
            least.append(max(min(widest, min_flex), min(word, MAX_UNBROKEN)))
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


def title_text(title: str, *, sandbox: bool = False) -> Text:
    """A table's title; a sandbox run's says SANDBOX in reverse video."""
    from rich.text import Text

    if not sandbox:
        return Text(title)
    return Text.assemble(title, " ", (" SANDBOX ", SANDBOX_STYLE), " simulated vendors")


def print_table(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Text]],
    *,
    title: Text | None = None,
) -> None:
    """A table when it fits (see layout()), else one block per row: the first column on its
    own line, then `header: value` lines indented by two spaces."""
    if title is not None:
        console.print(title, soft_wrap=True)
    fitted = layout(console.width, columns, rows)
    if fitted is not None:
        _print_grid(console, columns, rows, fitted)
        return
    for row in rows:
        console.print(row[0], soft_wrap=True)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            if cell.plain:
                _stacked_line(console, column, cell)


def _print_grid(
    console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Text]], fitted: Layout
) -> None:
    from rich.table import Table

    if fitted.compact:
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    else:
        table = Table()
    for column, width in zip(columns, fitted.widths, strict=True):
        if column.keep:
            table.add_column(column.header, no_wrap=True, min_width=width)
        elif column.one_line:
            table.add_column(column.header, width=width, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(column.header, width=width, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


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
    so an operator who redirected the results still sees how the run went. Piped, a dry run
    prints one line per target (`target skipped - POST URL`); its headers and body follow
    only with --verbose (they are always in --json and in the terminal's table).
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
            if result.error is not None:
                diagnostics.line(f"{clean(result.target)}: {clean(result.message)}")
            out.write(clean(plain_line(result)) + "\n")
            request = result.details.get("request")
            if isinstance(request, dict) and diagnostics.verbose:
                out.write(_clean_lines(_request_block(request, first=False)))
        out.flush()
    _summary_to_stderr(report, out, quiet, diagnostics)


def plain_line(result: Result) -> str:
    """`woodpecker:12345 done paused`, then the error kind, `verified`, or a dry run's
    `POST URL`: stable fields for grep and awk."""
    line = f"{result.target} {result.outcome.value} {result.status or '-'}"
    request = result.details.get("request")
    if result.error is not None:
        line += f" {result.error.kind.value}"
    elif result.details.get("verified") is True:
        line += " verified"
    elif isinstance(request, dict):
        line += f" {request['method']} {request['url']}"
    return line


def summary_line(report: Report) -> str:
    s = report.summary
    verified = ""
    if any("verified" in r.details for r in report.results):
        confirmed = sum(r.details.get("verified") is True for r in report.results)
        verified = f", {confirmed} verified"
    return (
        f"{s.total} target(s): {s.done} done, {s.noop} noop, {s.failed} failed, "
        f"{s.skipped} skipped{verified} (exit {report.exit_code})"
    )


def _summary_to_stderr(report: Report, out: TextIO, quiet: bool, diagnostics: Diagnostics) -> None:
    if quiet or _isatty(out) or terminal_console(diagnostics.stream) is None:
        return
    diagnostics.line(summary_line(report))


def _request_block(request: dict[str, Any], *, first: bool = True) -> str:
    """The request a dry run would send: `METHOD URL` (unless `first` is False, when the
    plain line already says it), the headers with the key as ***, the body."""
    lines = [f"  {request['method']} {request['url']}"] if first else []
    lines += [f"  {name}: {value}" for name, value in request["headers"].items()]
    if request.get("body") is not None:
        lines.append(f"  body: {json.dumps(request['body'])}")
    return "".join(f"{line}\n" for line in lines)


def _title(report: Report) -> Text:
    title = title_text(f"campctl {report.action}", sandbox=report.sandbox)
    if report.dry_run:
        title.append(" — DRY RUN (nothing sent)")
    return title


def _table(report: Report, console: Console, quiet: bool) -> None:
    """The results table and summary. A big run keeps one line per target: its detail
    column is cut rather than wrapped, and failures name their kind there, their reason in
    the recap after the summary (all of it is in --json)."""
    from rich.text import Text

    big = len(report.results) > RECAP_OVER and not quiet
    failed = [r for r in report.results if r.outcome == "failed"]
    shown = [r for r in report.results if not quiet or r.outcome == "failed"]
    rows = [
        [
            Text(clean(r.target)),
            Text(r.outcome.value, style=_COLOURS[r.outcome]),
            Text(clean(r.status or "-")),
            Text(_clean_lines(_detail(r, report.action, recapped=big))),
        ]
        for r in shown
    ]
    columns = [Column("target", keep=True), Column("outcome", keep=True)]
    # A dry run's detail is the request: never cut, whatever the size.
    columns += [Column("status", keep=True), Column("detail", one_line=big and not report.dry_run)]
    if rows and layout(console.width, columns, rows) is not None:
        print_table(console, columns, rows, title=_title(report))
    elif rows:
        _stacked_results(console, rows, _title(report))
    if quiet:
        return
    console.print(summary_line(report))
    if big and failed:
        _recap(console, failed)


def _recap(console: Console, failed: list[Result]) -> None:
    """The failures again, after the summary, one line each: they are what the operator
    must act on, and in a long run they scrolled away."""
    from rich.text import Text

    console.print(Text(f"Failed ({len(failed)}):", style=_COLOURS["failed"]), soft_wrap=True)
    for result in failed:
        reason = f"{result.error.kind.value}: {result.message}" if result.error else result.message
        console.print(Text(f"  {clean(result.target)}  {clean(reason)}"), soft_wrap=True)


def _stacked_results(console: Console, rows: list[list[Text]], title: Text) -> None:
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


def _detail(result: Result, action: str, *, recapped: bool = False) -> str:
    """What the target, outcome and status columns do not already say: the request of a dry
    run, the error (only its kind when the recap gives the reason), a message that is not
    the routine one, what --verify found."""
    request = result.details.get("request")
    if isinstance(request, dict):
        return _request_block(request).strip()
    if result.error is not None:
        said = (
            result.error.kind.value if recapped else f"{result.error.kind.value}: {result.message}"
        )
    else:
        said = "" if _routine(result, action) else result.message
    verified = result.details.get("verified")
    note = result.details.get("verify_note")
    if verified is True:
        checked = "verified"
    elif verified is None and isinstance(note, str):
        checked = f"not verified: {note}"
    else:
        checked = ""
    return "; ".join(part for part in (said, checked) if part)


def _routine(result: Result, action: str) -> bool:
    """A `done` whose status is the one the action was for: its message ("campaign paused",
    for a status read "campaign is running") repeats the status column."""
    from campctl.providers.base import Action, intended_state

    if result.outcome != "done" or result.error is not None:
        return False
    return action == Action.STATUS or result.status == intended_state(Action(action))


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
        self._console = terminal_console(stream or sys.stderr)
        self.extend(0)

    def text(self) -> str:
        text = f"{self.done}/{self.total} done"
        note = self._waiting() if self._waiting is not None else None
        return f"{text} · {printable(note)}" if note else text

    def __rich__(self) -> RenderableType:
        from rich.text import Text

        return Text(self.text(), no_wrap=True, overflow="ellipsis")

    def extend(self, more: int) -> None:
        """More targets will get a result (a profile's selection arrived)."""
        self.total += more
        if self._live is None and self.total > 1 and self._console is not None:
            self._live = _live(self._console, self)
            self._live.start()

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
    sandbox: bool = False,
) -> None:
    """A table that fits on a terminal, tab-separated lines otherwise (cut/awk friendly).
    Every cell is shown with control characters escaped; rows in `alarm` say `error` in red;
    the title (terminal only) is highlighted for the sandbox."""
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
        heading = None if title is None else title_text(title, sandbox=sandbox)
        print_table(console, columns, rows, title=heading)
        sys.stdout.flush()
