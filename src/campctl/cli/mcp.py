"""`campctl mcp`: serve campctl's tools to an MCP client on stdio (campctl.mcp_server).

The MCP SDK is the optional extra `campctl[mcp]`, imported only here, when the command
runs: every other command starts as if it did not exist.
"""

from pathlib import Path
from typing import Annotated

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import ConfigOpt, NoAuditOpt
from campctl.errors import ConfigError, UsageError

HELP = """Serve campctl's tools to an MCP client (an ops copilot) on stdin/stdout.

Pause and resume preview first and act only when called again with the preview's
confirm token; runs are journaled with "via": "mcp". Needs pip install 'campctl[mcp]'.
See 'campctl help mcp'.
"""


def register(app: typer.Typer) -> None:
    app.command("mcp", help=HELP, epilog=EXAMPLES["mcp"])(mcp)


def mcp(
    config: ConfigOpt = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="Serve the built-in simulator (no keys needed); runs go to the sandbox journal.",
        ),
    ] = False,
    audit_log: Annotated[
        Path | None,
        typer.Option(
            "--audit-log",
            metavar="PATH",
            help="Audit log and journal (default: $XDG_STATE_HOME/campctl/audit.jsonl; the "
            "sandbox's own under --sandbox).",
        ),
    ] = None,
    no_audit: NoAuditOpt = False,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Serve only the read-only tools.")
    ] = False,
) -> int:
    if sandbox and config:
        raise UsageError("--sandbox uses built-in profiles; drop --config")
    try:
        from campctl.mcp_server import serve
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith("mcp"):  # mcp, mcp_types
            raise
        raise ConfigError(
            "campctl mcp needs the MCP SDK, which is not installed: pip install 'campctl[mcp]'"
        ) from None
    import asyncio

    from campctl.api import Context

    context = Context(config, sandbox=sandbox, audit_log=audit_log, no_audit=no_audit, via="mcp")
    asyncio.run(serve(context, read_only=read_only))
    return 0
