"""Console entry point. `campctl --version` answers before anything heavy is imported."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from campctl import __version__

        sys.stdout.write(f"campctl {__version__}\n")
        return
    _without_httpx_cli()
    from campctl.cli import app

    app()


def _without_httpx_cli() -> None:
    """`import httpx` also imports httpx's own command-line client (click, rich, pygments)
    whenever click is installed — as it is beside the MCP SDK (`campctl[mcp]` pulls in
    uvicorn, which needs click). campctl never runs that client, so in campctl's own process
    it is replaced by a stub before httpx is imported: every command starts as fast with the
    extra as without it. Library callers' processes are left as they are."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    import types

    stub = types.ModuleType("httpx._main", "httpx's command-line client, not loaded by campctl")

    def unavailable() -> None:
        raise SystemExit("httpx's command-line client is not loaded inside campctl")

    stub.main = unavailable  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stub
