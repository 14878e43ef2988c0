"""`campctl sandbox serve` and `sandbox reset`: the vendor simulator, for rehearsals.

The simulator package is imported inside the commands only, so `campctl --help` stays fast.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand

from campctl.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from typer._click.core import Context as ClickContext
    from typer._click.formatting import HelpFormatter

SEEDS_SHOWN = 12  # per vendor in `sandbox serve --help`; `campctl list --sandbox` has them all

FAULT_HELP = (
    "Inject a fault: KIND[:ARG][@VENDOR[:CAMPAIGN_ID]][*COUNT]. Repeatable. Kinds: "
    "status[:CODE[:html]] (error, default 503); rate_limit[:AFTER] (429 + Retry-After); "
    "malformed (truncated JSON); drop (close, no answer); redirect[:LOCATION] (302; \\xHH "
    "in LOCATION is a raw byte, e.g. redirect:https://x.example/\\x01); slow[:SECONDS] "
    "(wait, default 30, then answer); slow-body[:SECONDS] (headers at once, body dribbled "
    "over SECONDS, default 7); escape (409 whose message holds terminal escapes); "
    "escape:status (normal answer, status and message fields hold them); deep-json[:DEPTH] "
    "(200, JSON nested DEPTH deep, default 100000; add :details for a 422 with it in "
    "details.missing); gzip-bomb[:LAYERS] (gzip body expanding to 1 GiB; 2 or 3 layers of "
    "Content-Encoding); reflect-key (401 echoing the key sent, upper-cased and as a "
    "14-character prefix); reflect-key:status (normal answer echoing it in status/message); "
    "ignore (normal success answer, state unchanged); key-id[:LENGTH] (a list also lists the "
    "key, or LENGTH characters of it, as a campaign ID); text:surrogate|invisible|cjk (status, "
    "name and message hold a lone surrogate, zero-width characters or Japanese); set-cookie "
    "(normal answer with a Set-Cookie). E.g. status:503*2, rate_limit:2@alta, "
    "drop@woodpecker:12345, escape@leadlex, gzip-bomb:2*1."
)
SERVE_HELP = """Run the simulator in the foreground and print a providers.toml for it.

Every vendor answers under http://127.0.0.1:PORT/VENDOR with the seeded campaigns; export
CAMPCTL_SANDBOX_KEY=sandbox-key and point CAMPCTL_CONFIG at the printed file. Ctrl-C stops it.

--persistent shares the campaigns' states with `--sandbox` runs.

Examples:

\b
  campctl sandbox serve > /tmp/sandbox.toml
  campctl sandbox serve --port 8700 --fault 'status:503@woodpecker*1'
  campctl sandbox serve --fault 'escape@leadlex' --fault 'gzip-bomb:2@alta'
  campctl sandbox serve --persistent
"""
RESET_HELP = """Put the --sandbox simulator's campaigns back to their seeded state.

Only the campaigns' states are reset; the sandbox run journal
($XDG_STATE_HOME/campctl/sandbox/audit.jsonl, read by `runs --sandbox` and `--undo`) is
kept as the record of past rehearsals — delete it by hand to forget them.

Examples:

\b
  campctl sandbox reset
  campctl sandbox reset && campctl status --sandbox woodpecker:12345
"""


class _ServeCommand(TyperCommand):
    """`sandbox serve --help` ends with every simulator's seeded campaigns, built from the
    registry only when that help is shown (it imports the simulators)."""

    def format_epilog(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        from campctl.sandbox import simulated

        formatter.write_paragraph()
        formatter.write_text("Seeded campaigns (vendor, ID, the vendor's status, senders):")
        lines = []
        for name, simulator in simulated().items():
            seeds = simulator.seed()
            for seed in seeds[:SEEDS_SHOWN]:
                lines.append(f"{name}  {seed.id}  {seed.status}  {', '.join(seed.senders) or '-'}")
            if len(seeds) > SEEDS_SHOWN:
                more = len(seeds) - SEEDS_SHOWN
                lines.append(f"{name}: {more} more (campctl list --sandbox -p {name})")
        formatter.write("".join(f"  {line}\n" for line in lines))  # one row a line, unwrapped


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The built-in vendor simulator.", no_args_is_help=True)
    group.command("serve", help=SERVE_HELP, cls=_ServeCommand)(serve)
    group.command("reset", help=RESET_HELP)(reset)
    app.add_typer(group, name="sandbox")


def serve(
    port: Annotated[
        int, typer.Option("--port", metavar="N", min=0, max=65535, help="0 = any free port.")
    ] = 0,
    latency: Annotated[
        float, typer.Option("--latency", metavar="MS", min=0, help="Delay every answer.")
    ] = 0.0,
    fault: Annotated[
        list[str] | None, typer.Option("--fault", metavar="SPEC", help=FAULT_HELP)
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", min=0, help="Extra running campaigns per vendor.")
    ] = 0,
    persistent: Annotated[
        bool,
        typer.Option(
            "--persistent",
            help="Remember the campaigns' states where --sandbox runs do (see `sandbox reset`).",
        ),
    ] = False,
) -> int:
    from campctl.sandbox import (
        Fault,
        Simulator,
        render_providers_toml,
        sandbox_state_dir,
        state_file,
    )

    try:
        faults = [Fault.parse(spec) for spec in fault or []]
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from None
    sim = Simulator(
        port=port,
        latency_ms=latency,
        faults=faults,
        extra_campaigns=seed,
        state_file=state_file(sandbox_state_dir()) if persistent else None,
    )
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
    if sim.state_problem:
        sys.stderr.write(f"campctl: warning: states are not remembered: {sim.state_problem}\n")
    sys.stderr.flush()
    try:
        stop.wait()
    finally:
        sim.stop()
    return 0


def reset() -> int:
    from campctl.sandbox import reset_state, sandbox_state_dir

    state_dir = sandbox_state_dir()
    try:
        reset_state(state_dir)
    except OSError as exc:
        raise ConfigError(
            f"cannot reset the sandbox state in {state_dir}: {exc.strerror or exc}; "
            "check that the directory (or $XDG_STATE_HOME) is writable"
        ) from None
    sys.stderr.write(
        f"campctl: sandbox campaigns reset to their seeded state in {state_dir} "
        "(the sandbox run journal is kept)\n"
    )
    return 0
