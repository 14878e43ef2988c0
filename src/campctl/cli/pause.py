"""`campctl pause`: stop campaigns named explicitly, read from a file, or selected
(--all-running, --sender), journaled so `resume --undo` can restore exactly them."""

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import (
    AllRunningOpt,
    AuditLogOpt,
    ConcurrencyOpt,
    ConfigOpt,
    DryRunOpt,
    FromFileOpt,
    JsonOpt,
    NoAuditOpt,
    NoNotifyOpt,
    ProspectsOpt,
    QuietOpt,
    ReasonOpt,
    RetriesOpt,
    SandboxOpt,
    SelectingProviderOpt,
    SenderOpt,
    StrictOpt,
    TargetsArg,
    TimeoutOpt,
    UndoOpt,
    VerboseOpt,
    VerifyOpt,
    audit_path_text,
    vendor_options,
)


def register(app: typer.Typer) -> None:
    app.command("pause", help="Pause campaigns.", epilog=EXAMPLES["pause"])(pause)


def pause(
    ctx: typer.Context,
    targets: TargetsArg = None,
    provider: SelectingProviderOpt = None,
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
    no_notify: NoNotifyOpt = False,
    reason: ReasonOpt = None,
    verify: VerifyOpt = False,
    undo: UndoOpt = None,
    all_running: AllRunningOpt = False,
    sender: SenderOpt = None,
    prospects: ProspectsOpt = None,
) -> int:
    from campctl.plan import ActionOptions
    from campctl.providers.base import Action

    return int(
        ctx.obj.run(
            ActionOptions(
                action=Action.PAUSE,
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
                audit_log=audit_path_text(audit_log),
                no_audit=no_audit,
                notify=not no_notify,
                reason=reason,
                verify=verify,
                undo=undo,
                all_running=all_running,
                sender=sender,
                vendor_options=vendor_options(prospects),
            )
        )
    )
