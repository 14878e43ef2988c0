"""`campctl notify test`: a test message to each [[notify]] target, so a broken webhook is
found before the incident that needed it. The core is imported only when it runs."""

import typer

from campctl.cli.options import ConfigOpt, JsonOpt, RetriesOpt, TimeoutOpt, VerboseOpt


def register(app: typer.Typer) -> None:
    from campctl.cli.help import EXAMPLES

    group = typer.Typer(
        help="Run notifications: the config's notify targets (see 'campctl help config').",
        epilog=EXAMPLES["notify test"],
        no_args_is_help=True,
    )
    group.command(
        "test",
        help="Send a test message to each notification target (exit 0 when all arrived).",
        epilog=EXAMPLES["notify test"],
    )(send_test)
    app.add_typer(group, name="notify")


def send_test(
    ctx: typer.Context,
    config: ConfigOpt = None,
    json: JsonOpt = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    verbose: VerboseOpt = False,
) -> int:
    from campctl.cli.notifying import run_notify_test

    return run_notify_test(ctx.obj, config, json_mode=json, timeout=timeout, retries=retries,
                           verbose=verbose)  # fmt: skip
