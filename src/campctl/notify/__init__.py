"""Run notifications: a subscriber of the engine, never a step of the run.

The engine calls `notify_run` once the journal's `end` line is on disk, for every front-end
(CLI, library, MCP): one POST per `[[notify]]` target (a Slack incoming webhook, or a
generic webhook that gets the run's --json document), all at once and all within one
`--timeout`. What happens to a notification is reported beside the results
(`notify_errors`, one stderr line each) and can never change them or the exit code.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from campctl.diagnostics import Diagnostics
from campctl.errors import ConfigError
from campctl.notify.message import Occasion, body, test_body, undo_command
from campctl.notify.targets import Broken, NotifyTarget, configured
from campctl.results import ErrorKind, NotifyError, Report

if TYPE_CHECKING:
    from campctl.plan import ActionOptions

__all__ = [
    "Broken",
    "NotifyTarget",
    "Occasion",
    "configured",
    "notify_run",
    "notify_test",
    "occasion",
]


def occasion(report: Report, opts: ActionOptions, *, journaled: bool) -> Occasion:
    """Who ran it, why, through what, and the command that undoes it (only a journaled run
    can be undone: the undo reads the journal, with the same --sandbox/--config/--audit-log)."""
    from campctl.audit import current_user
    from campctl.userfiles import expand

    flags: list[str] = []
    if opts.sandbox:
        flags.append("--sandbox")
    elif opts.config:
        flags += ["--config", os.path.abspath(expand(opts.config))]
    if opts.audit_log:
        flags += ["--audit-log", os.path.abspath(expand(opts.audit_log))]
    undo = undo_command(report, tuple(flags)) if journaled else None
    return Occasion(current_user(), socket.gethostname(), opts.reason, opts.via, undo)


async def notify_run(
    targets: Sequence[NotifyTarget],
    report: Report,
    about: Occasion,
    *,
    timeout: float,
    retries: int,
    diagnostics: Diagnostics,
    broken: Sequence[Broken] = (),
) -> list[NotifyError]:
    """Tell every target about the run; one stderr line per target not reached, those
    whose configuration cannot be used included (kind `config`)."""
    posts = [(target, body(target.kind, report, about)) for target in targets]
    errors = [
        NotifyError.model_construct(target=b.name, kind="config", message=b.problem) for b in broken
    ]
    if posts:
        errors += await _deliver(posts, timeout, retries, diagnostics)
    for error in errors:
        diagnostics.line(f"notify {error.target}: not delivered ({error.kind}): {error.message}")
    return errors


async def notify_test(
    targets: Sequence[NotifyTarget], about: Occasion, *, timeout: float, retries: int,
    diagnostics: Diagnostics,
) -> list[NotifyError]:  # fmt: skip
    """`campctl notify test`: a test message to every target, whatever its `actions`."""
    posts = [(target, test_body(target.kind, about)) for target in targets]
    return await _deliver(posts, timeout, retries, diagnostics)


async def _deliver(
    posts: list[tuple[NotifyTarget, dict[str, Any]]],
    timeout: float,
    retries: int,
    diagnostics: Diagnostics,
) -> list[NotifyError]:
    """Delivery, where even campctl's own failure (a malformed proxy variable, a bug) is
    every target's error rather than the run's: the results stand."""
    from campctl.notify.deliver import deliver
    from campctl.retry import RetryPolicy

    try:
        return await deliver(
            posts, timeout=timeout, policy=RetryPolicy(retries=retries), diagnostics=diagnostics
        )
    except ConfigError as exc:
        kind, message = "config", str(exc)
    except Exception as exc:  # the run's results must stand whatever happens here
        kind = ErrorKind.BAD_RESPONSE.value
        message = f"campctl could not send it ({type(exc).__name__})"
    return [
        NotifyError.model_construct(target=t.name, kind=kind, message=message) for t, _ in posts
    ]
