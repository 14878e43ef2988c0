"""`campctl providers` and `campctl vendors`: what is configured and what is supported."""

import json
import sys
from typing import Annotated, Any

import typer

from campctl.errors import ConfigError, ExitCode

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", "-c", metavar="PATH", help="Config file (else $CAMPCTL_CONFIG)."),
]


def register(app: typer.Typer) -> None:
    app.command("providers", help="List provider profiles and where their keys come from.")(
        providers
    )
    app.command("vendors", help="List supported vendors and their documented limits.")(vendors)


def providers(ctx: typer.Context, config: ConfigOpt = None, json_out: JsonOpt = False) -> int:
    """Check every profile; report problems per profile instead of stopping at the first."""
    from campctl.config import load_config, resolve_profile
    from campctl.credentials import key_available

    loaded = load_config(config)
    rows: list[dict[str, Any]] = []
    for name in loaded.names():
        try:
            profile = resolve_profile(loaded, name)
        except ConfigError as exc:
            if name in loaded.tables:
                rows.append({"name": name, "error": str(exc)})
            else:  # a built-in profile the user never set up (VoiceGenie without a URL)
                rows.append(
                    {
                        "name": name,
                        "vendor": name,
                        "base_url": "(not set)",
                        "key_source": "-",
                        "key_available": "no",
                        "origin": "built-in",
                        "note": str(exc),
                    }
                )
            continue
        rows.append(
            {
                "name": name,
                "vendor": profile.vendor,
                "base_url": profile.base_url,
                "key_source": profile.key.describe(),
                "key_available": key_available(profile),
                "origin": str(profile.origin) if profile.origin else "built-in",
            }
        )
    code = ExitCode.CONFIG if any("error" in row for row in rows) else ExitCode.OK
    if json_out:
        document = {
            "config": str(loaded.path) if loaded.path else None,
            "default_provider": loaded.default_provider,
            "providers": rows,
            "exit_code": int(code),
        }
        _emit_json(document)
    else:
        columns = ("name", "vendor", "base_url", "key_source", "key_available")
        _emit_rows(rows, columns)
        for row in rows:
            if "error" in row:
                ctx.obj.diagnostics.line(f"error: {row['error']}")
    return int(code)


def vendors(json_out: JsonOpt = False) -> int:
    from campctl.providers import VENDOR_NAMES, adapter_class

    rows = []
    for name in VENDOR_NAMES:
        meta = adapter_class(name).meta
        rows.append(
            {
                "name": meta.name,
                "default_base_url": meta.default_base_url or "(none: base_url required)",
                "auth": meta.auth_style,
                "campaign_id": meta.id_format,
                "rate_limit": meta.rate_limit,
            }
        )
    if json_out:
        _emit_json({"vendors": rows})
    else:
        _emit_rows(rows, ("name", "default_base_url", "auth", "campaign_id", "rate_limit"))
    return 0


def _emit_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


def _emit_rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """A Rich table on a terminal, tab-separated lines otherwise (cut/awk friendly)."""
    from campctl.output import terminal_console

    console = terminal_console(sys.stdout)
    if console is None:
        for row in rows:
            if "error" in row:
                sys.stdout.write(f"{row['name']}\terror\n")
            else:
                sys.stdout.write("\t".join(str(row[c]) for c in columns) + "\n")
        return
    from rich.table import Table

    table = Table(*columns)
    for row in rows:
        if "error" in row:
            table.add_row(row["name"], "[red]error[/red]", *[""] * (len(columns) - 2))
        else:
            table.add_row(*(str(row[c]) for c in columns))
    console.print(table)
