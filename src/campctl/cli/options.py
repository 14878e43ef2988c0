"""The options the commands share, each declared once with its help text, and the two
helpers that turn them into `ActionOptions`. Command modules import only these and Typer,
so `--help` stays light.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from campctl.cli.completion import complete_provider, complete_run_id, complete_target

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
NoNotifyOpt = Annotated[
    bool,
    typer.Option(
        "--no-notify", help="Send no notification for this run (see 'campctl help config')."
    ),
]
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
        help="Also pause/resume the campaign's prospects (vendors that have them).",
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

ReadAuditLogOpt = Annotated[
    Path | None,
    typer.Option(
        "--audit-log",
        metavar="PATH",
        help="The audit log to read (the journal) [default: $XDG_STATE_HOME/campctl/"
        "audit.jsonl, or the sandbox's own with --sandbox].",
    ),
]
ListProviderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--provider",
        "-p",
        metavar="NAME",
        help="A profile to list; repeatable [default: every profile whose vendor documents "
        "a campaign list and whose key is set].",
        show_default=False,
        autocompletion=complete_provider,
    ),
]


def audit_path_text(path: Path | None) -> str | None:
    """The --audit-log path as the engine takes it."""
    return str(path) if path else None


def vendor_options(prospects: bool | None) -> dict[str, Any]:
    """Vendor-specific flags the profile's adapter reads (prospects); unset ones
    are left out so a vendor without them never sees them."""
    return {} if prospects is None else {"prospects": prospects}
