"""The work behind `campctl notify test`, kept out of the command module so `--help` stays
light: read the [[notify]] targets, post a test to each at once, print one line per target
(or the `NotifyTestDocument`), and exit with the code a failure of that kind gives a run."""

from __future__ import annotations

import asyncio
import socket

from campctl.audit import current_user
from campctl.cli.context import AppContext, emit_json
from campctl.config import load_config
from campctl.documents import NotifyTestDocument, NotifyTestRow
from campctl.errors import ConfigError, ExitCode
from campctl.notify import Occasion, configured, notify_test
from campctl.output import write_stdout
from campctl.plan import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from campctl.results import ErrorKind, NotifyError, exit_code_for
from campctl.sanitize import printable


def run_notify_test(
    app: AppContext,
    config: str | None,
    *,
    json_mode: bool,
    timeout: float | None,
    retries: int | None,
    verbose: bool,
) -> int:
    app.diagnostics.verbose = verbose
    section = load_config(config).notify
    if not section.tables:
        where = section.path or "the config file (none found)"
        raise ConfigError(f"{where}: no [[notify]] targets to test; see 'campctl help config'")
    targets, broken = configured(section, None, app.redactor)
    if broken:
        raise ConfigError.several([b.problem for b in broken])
    errors = asyncio.run(
        notify_test(
            targets,
            Occasion(current_user(), socket.gethostname()),
            timeout=timeout or DEFAULT_TIMEOUT,
            retries=DEFAULT_RETRIES if retries is None else retries,
            diagnostics=app.diagnostics,
        )
    )
    app.diagnostics.flush()
    failed = {error.target: error for error in errors}
    code = exit_code(errors)
    rows = [
        NotifyTestRow(
            target=t.name, kind=t.kind, delivered=t.name not in failed,
            error=_error(failed[t.name]) if t.name in failed else None,
        )
        for t in targets
    ]  # fmt: skip
    if json_mode:
        emit_json(NotifyTestDocument(targets=rows, exit_code=code), code)
        return code
    lines = [
        f"{row.target} delivered"
        if row.error is None
        else f"{row.target} failed {row.error['kind']}: {row.error['message']}"
        for row in rows
    ]
    write_stdout("".join(printable(line) + "\n" for line in lines), exit_code=code)
    return code


def exit_code(errors: list[NotifyError]) -> int:
    """What a failed target of that kind gives a run (4, then 1, then 5); a configuration
    problem met while sending (a malformed proxy variable) is 3."""
    if any(error.kind == "config" for error in errors):
        return int(ExitCode.CONFIG)
    return int(exit_code_for([], also=[ErrorKind(error.kind) for error in errors]))


def _error(error: NotifyError) -> dict[str, str]:
    return {"kind": error.kind, "message": error.message}
