"""`campctl sandbox serve`: the vendor simulator in the foreground, for rehearsals."""

import signal
import sys
import threading
from typing import Annotated

import typer

from campctl.errors import UsageError


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The built-in vendor simulator.", no_args_is_help=True)
    group.command("serve", help="Run the simulator and print a providers.toml for it.")(serve)
    app.add_typer(group, name="sandbox")


def serve(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="0 = any free port.")] = 0,
    latency: Annotated[
        float, typer.Option("--latency", metavar="MS", min=0, help="Delay every answer.")
    ] = 0.0,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault",
            metavar="SPEC",
            help="Inject a fault: KIND[:ARG][@VENDOR[:CAMPAIGN_ID]][*COUNT], e.g. "
            "status:503*2, rate_limit:2@alta, malformed, drop@woodpecker:12345, redirect, "
            "slow:30. Repeatable.",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", min=0, help="Extra running campaigns per vendor.")
    ] = 0,
) -> int:
    from campctl.sandbox import Fault, Simulator, render_providers_toml

    try:
        faults = [Fault.parse(spec) for spec in fault or []]
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from None
    sim = Simulator(port=port, latency_ms=latency, faults=faults, extra_campaigns=seed)
    try:
        sim.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    sys.stdout.write(render_providers_toml(sim))
    sys.stdout.flush()
    sys.stderr.write(f"campctl: sandbox listening on 127.0.0.1:{sim.port}; Ctrl-C stops it\n")
    sys.stderr.flush()
    try:
        stop.wait()
    finally:
        sim.stop()
    return 0
