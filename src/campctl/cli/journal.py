"""`campctl list` and `campctl runs`: find what is sending; see what earlier runs did."""

from pathlib import Path
from typing import Annotated

import typer

from campctl.cli.actions import (
    ConcurrencyOpt,
    ConfigOpt,
    JsonOpt,
    ProviderOpt,
    QuietOpt,
    RetriesOpt,
    SandboxOpt,
    TimeoutOpt,
    VerboseOpt,
)
from campctl.cli.help import EXAMPLES

AuditLogOpt = Annotated[
    Path | None,
    typer.Option("--audit-log", metavar="PATH", help="The audit log to read (the journal)."),
]


def register(app: typer.Typer) -> None:
    app.command(
        "list",
        help="List the campaigns of profiles whose vendor documents a list.",
        epilog=EXAMPLES["list"],
    )(list_command)
    app.command(
        "runs",
        help="The run journal: recent pause/resume runs, or one run's targets.",
        epilog=EXAMPLES["runs"],
    )(runs)


def list_command(
    ctx: typer.Context,
    provider: ProviderOpt = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATE",
            help="Only campaigns in this state (running, paused, draft, ...).",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--sender", metavar="DOMAIN|EMAIL", help="Only campaigns sending from this."),
    ] = None,
    config: ConfigOpt = None,
    json: JsonOpt = False,
    sandbox: SandboxOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> int:
    from campctl.plan import ActionOptions, check_sender
    from campctl.providers.base import Action
    from campctl.run import run_list

    opts = ActionOptions(
        action=Action.STATUS,
        providers=provider or [],
        config=config,
        json=json,
        sandbox=sandbox,
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        quiet=quiet,
        verbose=verbose,
        sender=sender,
    )
    if sender is not None:
        check_sender(sender)
    app_context = ctx.obj
    return run_list(opts, status, app_context.redactor, app_context.diagnostics)


def runs(
    ctx: typer.Context,
    run_id: Annotated[
        str | None,
        typer.Argument(metavar="RUN_ID|last", help="Show this run's targets.", show_default=False),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, max=1000, help="Runs to show.")
    ] = 20,
    json: JsonOpt = False,
    audit_log: AuditLogOpt = None,
    sandbox: SandboxOpt = False,
) -> int:
    from campctl.audit import default_audit_path
    from campctl.errors import UsageError
    from campctl.journal import Journal
    from campctl.views import render_run, render_runs

    path = audit_log.expanduser() if audit_log else default_audit_path(sandbox=sandbox)
    journal = Journal(path)
    diagnostics = ctx.obj.diagnostics
    try:
        if run_id is None:
            found = journal.runs(limit)
            if not found:
                diagnostics.notice(f"no runs recorded in {path}")
            render_runs(found, journal.skipped, json_mode=json)
            return 0
        view = journal.newest() if run_id == "last" else journal.view(run_id)
        if view is None:
            raise UsageError(f"no run {run_id} in {path}; see 'campctl runs'")
        render_run(view, journal.skipped, json_mode=json)
        return 0
    finally:
        if journal.skipped:
            diagnostics.line(f"warning: skipped {journal.skipped} unreadable line(s) in {path}")
