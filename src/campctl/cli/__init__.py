"""The Typer app. Commands are thin: they turn flags into options and call the core.

`CampctlGroup.main` is the one place run-stopping errors become a stderr line (or the
--json error document) and an exit code, for the console script and CliRunner alike.

stdout that cannot be written never produces a traceback: a reader that went away
(`| head -1`, EPIPE) ends the run quietly with the code the results give; any other
failure (`> /dev/full`, `>&-`) is one stderr line and exit 1, or the results' own code when
that is non-zero. What was sent and audited is unaffected: output is written last.
"""

import errno
import io
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from campctl import __version__
from campctl.cli.context import AppContext
from campctl.cli.params import adopt
from campctl.errors import CampctlError, ExitCode, Interrupted
from campctl.output import StdoutError, silence_stdout
from campctl.sanitize import guard_stream


class _ClosedStdout(io.TextIOBase):
    """sys.stdout when campctl was started with stdout closed (`>&-`): every write fails
    like a write to a closed descriptor, and is reported once."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def _reserve_standard_streams() -> None:
    """Keep descriptors 0-2 taken: a file opened later (the audit log) must never become
    'stdout' because fd 1 was closed at start."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            opened = os.open(os.devnull, os.O_RDWR)
        except OSError:
            continue
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the process
    guard_stream(sys.stdout)
    guard_stream(sys.stderr)


_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def _stdout_failure(exc: OSError) -> str | None:
    """Why stdout cannot be written, or None when `exc` is not about stdout. For OSErrors
    raised by Click's own output (--help into a full disk), which campctl does not wrap: a
    write error without a file name, or stdout that still cannot be flushed."""
    if isinstance(sys.stdout, _ClosedStdout):
        return os.strerror(errno.EBADF)
    if exc.errno in _WRITE_ERRNOS and exc.filename is None:
        return exc.strerror or str(exc)
    try:
        sys.stdout.flush()
    except OSError as again:
        return again.strerror or str(again)
    except (ValueError, AttributeError) as again:
        return str(again)
    return None


def _warnings_to(context: AppContext) -> None:
    """Python warnings (a skipped vendor plugin) become one `campctl: warning: ...` line."""

    def show(message: Warning | str, *_: Any, **__: Any) -> None:
        context.diagnostics.line(f"warning: {message}")

    warnings.showwarning = show


class CampctlGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _reserve_standard_streams()
        argv = list(sys.argv[1:] if args is None else args)
        app_context = AppContext(json_mode="--json" in argv)
        _warnings_to(app_context)
        extra.setdefault("obj", app_context)
        adopt(self)
        try:
            code = super().main(
                argv, prog_name or "campctl", complete_var, standalone_mode=False, **extra
            )
        except Interrupted as exc:
            code = app_context.fail(exc.kind, str(exc), exc.code)
        except StdoutError as exc:
            silence_stdout()
            if exc.reason is not None:
                app_context.diagnostics.line(f"cannot write to stdout: {exc.reason}")
            code = exc.final_code
        except CampctlError as exc:
            code = app_context.fail(exc.kind, str(exc), exc.exit_code)
        except typer.TyperException as exc:
            code = app_context.fail_typer(exc)
        except KeyboardInterrupt:
            code = app_context.fail("interrupted", "interrupted", ExitCode.INTERRUPTED)
        except OSError as exc:
            reason = _stdout_failure(exc)
            silence_stdout()
            if reason is None:
                reason = (
                    f"internal error ({type(exc).__name__}): {app_context.redactor.url(str(exc))}"
                )
                code = app_context.fail("internal", reason, ExitCode.FAILED)
            else:
                app_context.diagnostics.line(f"cannot write to stdout: {reason}")
                code = ExitCode.FAILED
        except Exception as exc:  # pragma: no cover - last line of defence, never a traceback
            code = app_context.fail(
                "internal",
                f"internal error ({type(exc).__name__}): {app_context.redactor.url(str(exc))}",
                ExitCode.FAILED,
            )
        code = int(code or 0)
        if standalone_mode:
            sys.exit(code)
        return code


def _version(value: bool) -> None:
    if value:
        from campctl.output import write_stdout

        write_stdout(f"campctl {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=CampctlGroup,
    name="campctl",
    help="Pause and resume outreach campaigns across vendors ('campctl vendors' lists them).",
    epilog="\b\nExamples:\n"
    "  campctl pause --sandbox -p woodpecker 12345      # try it on the simulator\n"
    "  campctl pause woodpecker:12345 leadlex:cmp_abc123\n"
    "  campctl help targets\n"
    "\n"
    "Help topics ('campctl help TOPIC'): exit-codes, environment, config, targets, runbook, "
    "mcp, plugins",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Pause and resume outreach campaigns across vendors."""


def _register() -> None:
    from campctl.cli import (
        config,
        help,
        listing,
        mcp,
        notify,
        pause,
        providers,
        resume,
        runs,
        sandbox,
        status,
        vendors,
    )

    commands = (pause, resume, status, listing, runs, providers, vendors, config, sandbox)
    for command in (*commands, notify, mcp):
        command.register(app)
    help.register(app)


_register()
