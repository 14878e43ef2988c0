"""pause, resume and status: flags in, ActionOptions out, the core does the rest."""

from pathlib import Path
from typing import Annotated, Any

import typer

TargetsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="TARGET",
        help="PROVIDER:CAMPAIGN_ID, or a bare CAMPAIGN_ID with --provider.",
        show_default=False,
    ),
]
ProviderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--provider",
        "-p",
        metavar="NAME",
        help="Provider profile for bare campaign IDs; with selectors, repeatable to choose "
        "the profiles to list.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", "-c", metavar="PATH", help="Config file (else $CAMPCTL_CONFIG)."),
]
FromFileOpt = Annotated[
    str | None,
    typer.Option("--from-file", metavar="PATH", help="Read targets, one per line ('-' = stdin)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Validate and print each request; send nothing.")
]
SandboxOpt = Annotated[
    bool, typer.Option("--sandbox", help="Run against the built-in simulator; no keys needed.")
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat noop as failure (exit 1).")]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout", metavar="SECONDS", min=0.1, max=300, help="Per request [default: 10]."
    ),
]
RetriesOpt = Annotated[
    int | None,
    typer.Option(
        "--retries", metavar="N", min=0, max=10, help="Retries of temporary failures [default: 3]."
    ),
]
ConcurrencyOpt = Annotated[
    int, typer.Option("--concurrency", metavar="N", min=1, max=64, help="Requests in flight.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Show only failures.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Log each HTTP exchange on stderr.")
]
AuditLogOpt = Annotated[
    Path | None, typer.Option("--audit-log", metavar="PATH", help="Audit log file.")
]
NoAuditOpt = Annotated[bool, typer.Option("--no-audit", help="Write no audit lines.")]
ReasonOpt = Annotated[
    str | None,
    typer.Option("--reason", metavar="TEXT", help="Why: recorded with the run in the journal."),
]
VerifyOpt = Annotated[
    bool, typer.Option("--verify", help="Read each changed campaign's status back.")
]
UndoOpt = Annotated[
    str | None,
    typer.Option(
        "--undo",
        metavar="RUN_ID|last",
        help="Undo a recorded run: act only on the targets it changed (see 'campctl runs').",
    ),
]
AllRunningOpt = Annotated[
    bool,
    typer.Option("--all-running", help="Pause every running campaign of the selected profiles."),
]
SenderOpt = Annotated[
    str | None,
    typer.Option(
        "--sender",
        metavar="DOMAIN|EMAIL",
        help="Pause the running campaigns that send from this domain or address.",
    ),
]
# resume accepts the selectors only to refuse them with a pointer to --undo.
HiddenAllRunningOpt = Annotated[bool, typer.Option("--all-running", hidden=True)]
HiddenSenderOpt = Annotated[str | None, typer.Option("--sender", hidden=True)]
ProspectsOpt = Annotated[
    bool | None,
    typer.Option(
        "--prospects/--no-prospects",
        help="Alta: also pause/resume the campaign's prospects.",
        show_default=False,
    ),
]


def _run(ctx: typer.Context, **fields: Any) -> int:
    """Imports the core only when a command runs, so --help stays light."""
    from campctl.providers.base import Action
    from campctl.run import ActionOptions, run_action

    options = ActionOptions(action=Action(fields.pop("action")), **fields)
    app_context = ctx.obj
    return run_action(options, app_context.redactor, app_context.diagnostics)


def register(app: typer.Typer) -> None:
    app.command("pause", help="Pause campaigns.")(_pause)
    app.command("resume", help="Resume campaigns.")(_resume)
    app.command("status", help="Read each campaign's current status.")(_status)


def _pause(
    ctx: typer.Context,
    targets: TargetsArg = None,
    provider: ProviderOpt = None,
    config: ConfigOpt = None,
    from_file: FromFileOpt = None,
    json: JsonOpt = False,
    dry_run: DryRunOpt = False,
    sandbox: SandboxOpt = False,
    strict: StrictOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    audit_log: AuditLogOpt = None,
    no_audit: NoAuditOpt = False,
    reason: ReasonOpt = None,
    verify: VerifyOpt = False,
    undo: UndoOpt = None,
    all_running: AllRunningOpt = False,
    sender: SenderOpt = None,
    prospects: ProspectsOpt = None,
) -> int:
    return _run(
        ctx,
        action="pause",
        targets=targets or [],
        providers=provider or [],
        config=config,
        from_file=from_file,
        json=json,
        dry_run=dry_run,
        sandbox=sandbox,
        strict=strict,
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        quiet=quiet,
        verbose=verbose,
        audit_log=str(audit_log) if audit_log else None,
        no_audit=no_audit,
        reason=reason,
        verify=verify,
        undo=undo,
        vendor_options={} if prospects is None else {"prospects": prospects},
        all_running=all_running,
        sender=sender,
    )


def _resume(
    ctx: typer.Context,
    targets: TargetsArg = None,
    provider: ProviderOpt = None,
    config: ConfigOpt = None,
    from_file: FromFileOpt = None,
    json: JsonOpt = False,
    dry_run: DryRunOpt = False,
    sandbox: SandboxOpt = False,
    strict: StrictOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    audit_log: AuditLogOpt = None,
    no_audit: NoAuditOpt = False,
    reason: ReasonOpt = None,
    verify: VerifyOpt = False,
    undo: UndoOpt = None,
    all_running: HiddenAllRunningOpt = False,
    sender: HiddenSenderOpt = None,
    prospects: ProspectsOpt = None,
) -> int:
    return _run(
        ctx,
        action="resume",
        targets=targets or [],
        providers=provider or [],
        config=config,
        from_file=from_file,
        json=json,
        dry_run=dry_run,
        sandbox=sandbox,
        strict=strict,
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        quiet=quiet,
        verbose=verbose,
        audit_log=str(audit_log) if audit_log else None,
        no_audit=no_audit,
        reason=reason,
        verify=verify,
        undo=undo,
        vendor_options={} if prospects is None else {"prospects": prospects},
        all_running=all_running,
        sender=sender,
    )


def _status(
    ctx: typer.Context,
    targets: TargetsArg = None,
    provider: ProviderOpt = None,
    config: ConfigOpt = None,
    from_file: FromFileOpt = None,
    json: JsonOpt = False,
    dry_run: DryRunOpt = False,
    sandbox: SandboxOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> int:
    return _run(
        ctx,
        action="status",
        targets=targets or [],
        providers=provider or [],
        config=config,
        from_file=from_file,
        json=json,
        dry_run=dry_run,
        sandbox=sandbox,
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        quiet=quiet,
        verbose=verbose,
    )
