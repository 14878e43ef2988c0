"""Per-invocation state the commands share: the redactor, diagnostics and error reporting."""

from __future__ import annotations

import contextlib
import json
import sys
from typing import TYPE_CHECKING

import typer

from campctl.diagnostics import Diagnostics
from campctl.errors import ExitCode
from campctl.output import StdoutError, silence_stdout, write_stdout
from campctl.redact import Redactor

if TYPE_CHECKING:
    from pydantic import BaseModel

    from campctl.plan import ActionOptions


def error_document(kind: str, message: str, exit_code: int) -> str:
    """The --json document for an error that stops the whole run (`ErrorDocument`)."""
    from campctl.documents import ErrorBody, ErrorDocument

    document = ErrorDocument(error=ErrorBody(kind=kind, message=message), exit_code=exit_code)
    return json.dumps(document.model_dump(mode="json"))


def emit_json(document: BaseModel, exit_code: int) -> None:
    """A typed document (campctl.documents) as `--json` prints it, indented."""
    write_stdout(json.dumps(document.model_dump(mode="json"), indent=2) + "\n", exit_code=exit_code)


class AppContext:
    def __init__(self, *, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.redactor = Redactor()
        self.diagnostics = Diagnostics(self.redactor)

    def run(self, options: ActionOptions) -> int:
        """pause / resume / status through the engine; the runner (and the core) is imported
        only when a command runs, so --help stays light."""
        from campctl.cli.runner import run_action

        return run_action(options, self.redactor, self.diagnostics)

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
