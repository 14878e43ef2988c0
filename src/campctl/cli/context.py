"""Per-invocation state the commands share: the redactor, diagnostics and error reporting."""

import contextlib
import json
import sys

import typer

from campctl.diagnostics import Diagnostics
from campctl.errors import ExitCode
from campctl.output import StdoutError, silence_stdout, write_stdout
from campctl.redact import Redactor


def error_document(kind: str, message: str, exit_code: int) -> str:
    """The --json document for an error that stops the whole run."""
    return json.dumps({"error": {"kind": kind, "message": message}, "exit_code": exit_code})


class AppContext:
    def __init__(self, *, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.redactor = Redactor()
        self.diagnostics = Diagnostics(self.redactor)

    def fail(self, kind: str, message: str, exit_code: int) -> int:
        """A stderr line (the first line of `message` prefixed 'error:', the rest indented);
        with --json also the error document on stdout."""
        first, *rest = message.split("\n")
        self.diagnostics.line("\n".join([f"error: {first}", *rest]))
        if self.json_mode:
            document = error_document(kind, message, int(exit_code)) + "\n"
            try:
                write_stdout(document, exit_code=exit_code)
            except StdoutError as exc:
                silence_stdout()
                if exc.reason is not None:
                    self.diagnostics.line(f"cannot write to stdout: {exc.reason}")
        return int(exit_code)

    def fail_typer(self, exc: typer.TyperException) -> int:
        """Typer/Click usage errors, reduced to one line plus where to find help."""
        code = int(getattr(exc, "exit_code", ExitCode.USAGE))
        if code == 0:
            return 0
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `campctl`: the help, not an error
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.write(f"{message}\n")
            return code
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            message += f"; see '{ctx.command_path} --help'"
        kind = "usage" if code == ExitCode.USAGE else "error"
        return self.fail(kind, str(message), code)
