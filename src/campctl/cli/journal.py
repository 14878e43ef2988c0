"""`campctl list` and `campctl runs`: find what is sending; see what earlier runs did."""

from pathlib import Path
from typing import Annotated

import typer

from campctl.cli.actions import (
    ConcurrencyOpt,
    ConfigOpt,
    JsonOpt,
    RetriesOpt,
    TimeoutOpt,
    VerboseOpt,
)
from campctl.cli.completion import complete_provider, complete_run_id, complete_status
from campctl.cli.help import EXAMPLES

# PRODUCT.md's word for a campaign the vendor stopped itself for safety (Bounce Protect).
VENDOR_PAUSED = "vendor_paused"

AuditLogOpt = Annotated[
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
    provider: ListProviderOpt = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATE",
            help="Only campaigns in this state: running, paused, draft, completed, stopped, "
            "scheduled, edited, pending_approval, vendor_paused, or a vendor's own word for "
            "one (active).",
            autocompletion=complete_status,
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(
            "--sender",
            metavar="DOMAIN|EMAIL",
            help="Only campaigns sending from this domain or address.",
        ),
    ] = None,
    config: ConfigOpt = None,
    json: JsonOpt = False,
    sandbox: Annotated[
        bool,
        typer.Option("--sandbox", help="List the built-in simulator's campaigns; no keys needed."),
    ] = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No notices on stderr (errors still).")
    ] = False,
    verbose: VerboseOpt = False,
) -> int:
    from campctl.cli.runner import run_list
    from campctl.plan import ActionOptions, check_sender
    from campctl.providers.base import Action

    if status is not None:
        status = check_status(status)

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


def status_words() -> dict[str, str]:
    """Every word `list --status` takes → the status it means: the one vocabulary, then each
    vendor's own words for one of them (`active` → running; should two vendors disagree on a
    word, the first in the registry's order decides)."""
    from campctl.providers import VENDOR_NAMES, adapter_class
    from campctl.providers.base import STATUS_VOCABULARY

    words = {word: word for word in sorted(STATUS_VOCABULARY | {VENDOR_PAUSED})}
    for vendor in VENDOR_NAMES:
        synonyms = adapter_class(vendor).meta.status_synonyms.items()
        # A vendor's numbers (Instantly's 2 → paused) are not words anyone types.
        for synonym, meaning in sorted((w, m) for w, m in synonyms if isinstance(w, str)):
            words.setdefault(synonym, meaning)
    return words


def check_status(word: str) -> str:
    """The status `word` means (`active` → running, any letter case), for every vendor
    alike; else a usage error listing the vocabulary — a typo must not look like "nothing
    is running"."""
    import difflib

    from campctl.errors import UsageError

    words = status_words()
    lowered = word.strip().lower()
    if lowered in words:
        return words[lowered]
    close = difflib.get_close_matches(lowered, list(words), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    vocabulary = ", ".join(w for w, meaning in words.items() if w == meaning)
    synonyms = ", ".join(f"{w} ({meaning})" for w, meaning in words.items() if w != meaning)
    raise UsageError(
        f"--status '{word[:40]}' is not a campaign status; {hint}use one of: {vocabulary}; "
        f"or a vendor's word for one: {synonyms}"
    )


def runs(
    ctx: typer.Context,
    run_id: Annotated[
        str | None,
        typer.Argument(
            metavar="RUN_ID|last",
            help="Show this run's targets.",
            show_default=False,
            autocompletion=complete_run_id,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, max=1000, help="Runs to show.")
    ] = 20,
    json: JsonOpt = False,
    audit_log: AuditLogOpt = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="Read the sandbox journal: runs made with --sandbox or through a config "
            "'campctl sandbox serve' printed.",
        ),
    ] = False,
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
            render_runs(found, journal.document(found), json_mode=json, sandbox=sandbox)
            return 0
        view = journal.newest() if run_id == "last" else journal.view(run_id)
        if view is None:
            raise UsageError(f"no run {run_id} in {path}; see 'campctl runs'")
        render_run(view, view.document(journal.skipped), json_mode=json)
        return 0
    finally:
        if journal.skipped:
            diagnostics.line(f"warning: skipped {journal.skipped} unreadable line(s) in {path}")
