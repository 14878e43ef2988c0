"""`campctl list`: find what is sending — every listed campaign of the profiles whose vendor
documents a list, by state and sender; read-only (also the words `--status` takes)."""

from typing import Annotated

import typer

from campctl.cli.completion import complete_status
from campctl.cli.help import EXAMPLES
from campctl.cli.options import (
    ConcurrencyOpt,
    ConfigOpt,
    JsonOpt,
    ListProviderOpt,
    RetriesOpt,
    TimeoutOpt,
    VerboseOpt,
)


def register(app: typer.Typer) -> None:
    app.command(
        "list",
        help="List the campaigns of profiles whose vendor documents a list.",
        epilog=EXAMPLES["list"],
    )(list_command)


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
        from campctl.statuses import check_status

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
