"""`campctl status`: read each campaign's current state; changes nothing, writes no journal."""

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import (
    ConcurrencyOpt,
    ConfigOpt,
    FromFileOpt,
    JsonOpt,
    ProviderOpt,
    QuietOpt,
    ReadSandboxOpt,
    RetriesOpt,
    TargetsArg,
    TimeoutOpt,
    VerboseOpt,
)


def register(app: typer.Typer) -> None:
    app.command("status", help="Read each campaign's current status.", epilog=EXAMPLES["status"])(
        status
    )


def status(
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
    from campctl.plan import ActionOptions
    from campctl.providers.base import Action

    return int(
        ctx.obj.run(
            ActionOptions(
                action=Action.STATUS,
                targets=targets or [],
                providers=provider or [],
                config=config,
                from_file=from_file,
                json=json,
                sandbox=sandbox,
                timeout=timeout,
                retries=retries,
                concurrency=concurrency,
                quiet=quiet,
                verbose=verbose,
            )
        )
    )
