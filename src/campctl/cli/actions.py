"""pause, resume and status: flags in, ActionOptions out, the core does the rest.

Each command's --help describes its options as that command uses them: only pause has
selectors, only pause and resume write the journal.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from campctl.cli.completion import complete_provider, complete_run_id, complete_target
from campctl.cli.help import EXAMPLES

TargetsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="TARGET",
        help="PROVIDER:CAMPAIGN_ID, or a bare CAMPAIGN_ID with --provider.",
        show_default=False,
        autocompletion=complete_target,
    ),
]


def _provider_option(help_text: str) -> Any:
    return typer.Option(
        "--provider",
        "-p",
        metavar="NAME",
        help=help_text,
        show_default=False,
        autocompletion=complete_provider,
    )


ProviderOpt = Annotated[
    list[str] | None, _provider_option("Provider profile for bare campaign IDs.")
]
SelectingProviderOpt = Annotated[
    list[str] | None,
    _provider_option(
        "Provider profile for bare campaign IDs; with --all-running or --sender, repeatable "
        "to choose the profiles to select from (default: every profile that can)."
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
    bool,
    typer.Option(
        "--dry-run",
        help="Send no change: print the request each target would get (the key as ***; "
        "headers and body on a terminal, with --verbose or --json).",
    ),
]
SandboxOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox",
        help="Run against the built-in simulator (no keys needed); recorded in the sandbox "
        "journal, never the real one.",
    ),
]
ReadSandboxOpt = Annotated[
    bool, typer.Option("--sandbox", help="Read from the built-in simulator; no keys needed.")
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat noop as failure (exit 1).")]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        max=300,
        help="Time limit per request (default 10, or the profile's timeout).",
    ),
]
RetriesOpt = Annotated[
    int | None,
    typer.Option(
        "--retries",
        metavar="N",
        min=0,
        max=10,
        help="Retries of temporary failures; 0 = one attempt (default 3, or the profile's).",
    ),
]
ConcurrencyOpt = Annotated[
    int, typer.Option("--concurrency", metavar="N", min=1, max=64, help="Requests in flight.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Show only failures.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Log each HTTP exchange on stderr (key hidden).")
]
AuditLogOpt = Annotated[
    Path | None,
    typer.Option(
        "--audit-log",
        metavar="PATH",
        help="Audit log, which is also the journal --undo reads (default: "
        "$XDG_STATE_HOME/campctl/audit.jsonl; the sandbox's own under --sandbox).",
    ),
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
        autocompletion=complete_run_id,
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


OverrideVendorPauseOpt = Annotated[
    bool,
    typer.Option(
        "--override-vendor-pause",
        help="Also resume campaigns the vendor paused for safety (e.g. Bounce Protect); "
        "explicit targets only.",
    ),
]


def _run(ctx: typer.Context, action: str, flags: dict[str, Any]) -> int:
    """Flags in, ActionOptions out. Imports the core only when a command runs, so --help
    stays light."""
    from campctl.cli.runner import ActionOptions, run_action
    from campctl.providers.base import Action

    flags = {name: value for name, value in flags.items() if name != "ctx"}
    prospects = flags.pop("prospects", None)
    audit_log = flags.pop("audit_log", None)
    options = ActionOptions(
        action=Action(action),
        targets=flags.pop("targets") or [],
        providers=flags.pop("provider") or [],
        audit_log=str(audit_log) if audit_log else None,
        vendor_options={} if prospects is None else {"prospects": prospects},
        **flags,
    )
    app_context = ctx.obj
    return run_action(options, app_context.redactor, app_context.diagnostics)


def register(app: typer.Typer) -> None:
    app.command("pause", help="Pause campaigns.", epilog=EXAMPLES["pause"])(_pause)
    app.command("resume", help="Resume campaigns.", epilog=EXAMPLES["resume"])(_resume)
    app.command("status", help="Read each campaign's current status.", epilog=EXAMPLES["status"])(
        _status
    )


def _pause(
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
    reason: ReasonOpt = None,
    verify: VerifyOpt = False,
    undo: UndoOpt = None,
    all_running: AllRunningOpt = False,
    sender: SenderOpt = None,
    prospects: ProspectsOpt = None,
) -> int:
    return _run(ctx, "pause", locals())


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
    override_vendor_pause: OverrideVendorPauseOpt = False,
) -> int:
    return _run(ctx, "resume", locals())


def _status(
    ctx: typer.Context,
    targets: TargetsArg = None,
    provider: ProviderOpt = None,
    config: ConfigOpt = None,
    from_file: FromFileOpt = None,
    json: JsonOpt = False,
    sandbox: ReadSandboxOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> int:
    return _run(ctx, "status", locals())
