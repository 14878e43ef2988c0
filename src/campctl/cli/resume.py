"""`campctl resume`: start campaigns again — best as `--undo RUN_ID|last`, which acts only
on what that run paused and is still as it left it."""

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import (
    AuditLogOpt,
    ConcurrencyOpt,
    ConfigOpt,
    DryRunOpt,
    FromFileOpt,
    HiddenAllRunningOpt,
    HiddenSenderOpt,
    JsonOpt,
    NoAuditOpt,
    NoNotifyOpt,
    OverrideVendorPauseOpt,
    ProspectsOpt,
    ProviderOpt,
    QuietOpt,
    ReasonOpt,
    RetriesOpt,
    SandboxOpt,
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
    app.command("resume", help="Resume campaigns.", epilog=EXAMPLES["resume"])(resume)


def resume(
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
    no_notify: NoNotifyOpt = False,
    reason: ReasonOpt = None,
    verify: VerifyOpt = False,
    undo: UndoOpt = None,
    all_running: HiddenAllRunningOpt = False,
    sender: HiddenSenderOpt = None,
    prospects: ProspectsOpt = None,
    override_vendor_pause: OverrideVendorPauseOpt = False,
) -> int:
    from campctl.plan import ActionOptions
    from campctl.providers.base import Action

    # The selectors are accepted only for the plan to refuse them with a pointer to --undo.
    return int(
        ctx.obj.run(
            ActionOptions(
                action=Action.RESUME,
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
                override_vendor_pause=override_vendor_pause,
                vendor_options=vendor_options(prospects),
            )
        )
    )
