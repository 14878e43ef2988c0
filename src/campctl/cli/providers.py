"""`campctl providers`: every profile, where its key comes from and whether it is set —
problems reported per profile instead of stopping at the first.

JSON documents use real types (booleans, numbers, nulls) and carry an `exit_code`; the
terminal shows a table that fits (output.print_table), pipes get tab-separated lines.
"""

import os
from typing import Any

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import ConfigOpt, JsonOpt
from campctl.errors import ConfigError, ExitCode
from campctl.redact import Redactor

PROVIDER_FIELDS = (
    "name",
    "vendor",
    "base_url",
    "key_source",
    "key_available",
    "origin",
    "note",
    "error",
)


def register(app: typer.Typer) -> None:
    app.command(
        "providers",
        help="List provider profiles, where their keys come from and whether they are set.",
        epilog=EXAMPLES["providers"],
    )(providers)


def _provider_row(loaded: Any, name: str, redactor: Redactor) -> dict[str, Any]:
    """One profile, checked by the rules a run applies (an inline key in a file others can
    read, a malformed key in its variable); `key_available` is None for api_key_command,
    which is never run just to list. A key that is read is added to `redactor`."""
    from campctl.config import Env, resolve_profile
    from campctl.credentials import key_available, resolve_key

    row: dict[str, Any] = dict.fromkeys(PROVIDER_FIELDS)
    row["name"] = name
    try:
        profile = resolve_profile(loaded, name)
        available = key_available(profile)
        if available:
            redactor.add(resolve_key(profile))
    except ConfigError as exc:
        table = loaded.tables.get(name)
        if table is not None:  # a configured profile with a problem: an error (exit 3)
            from campctl.registry import find

            vendor = table.get("vendor") if isinstance(table, dict) else None
            known = isinstance(vendor, str) and find(vendor) is not None
            row["vendor"] = vendor if known else None  # the error says why
            row["origin"] = str(loaded.path) if loaded.path else None
            row["error"] = str(exc)
        else:  # a built-in profile the user never set up (one that needs a base URL)
            key_env = Env.api_key(name)
            row.update(
                vendor=name,
                key_source=f"env {key_env}",
                key_available=bool(os.environ.get(key_env, "").strip()),
                origin="built-in",
                note=str(exc),
            )
        return row
    row.update(
        vendor=profile.vendor,
        base_url=profile.base_url,
        key_source=profile.key.describe(),
        key_available=available,
        origin=str(profile.origin) if profile.origin else "built-in",
    )
    return row


def providers(ctx: typer.Context, config: ConfigOpt = None, json_out: JsonOpt = False) -> int:
    """Check every profile; report problems per profile instead of stopping at the first."""
    from campctl.config import load_config

    loaded = load_config(config)
    redactor = ctx.obj.redactor
    rows = [_provider_row(loaded, name, redactor) for name in loaded.names()]
    for row in rows:  # once every key is known: a URL shows no key, as in a run's output
        if row["base_url"]:
            row["base_url"] = redactor.url(row["base_url"])
    code = ExitCode.CONFIG if any(row["error"] for row in rows) else ExitCode.OK
    if json_out:
        from campctl.cli.context import emit_json
        from campctl.documents import ProviderRow, ProvidersDocument

        document = ProvidersDocument(
            config=str(loaded.path) if loaded.path else None,
            default_provider=loaded.default_provider,
            providers=[ProviderRow(**row) for row in rows],
            exit_code=int(code),
        )
        emit_json(document, code)
        return int(code)
    from campctl.output import Column, emit_rows

    columns = [
        Column("name", keep=True),
        Column("vendor", keep=True),
        Column("base URL", keep=True),
        Column("key source"),
        Column("key", keep=True),
    ]
    cells = [
        [
            row["name"],
            row["vendor"] or "-",
            row["base_url"] or "(not set)",
            row["key_source"] or "-",
            "error" if row["error"] else _yes_no(row["key_available"]),
        ]
        for row in rows
    ]
    emit_rows(columns, cells, code, alarm={i for i, row in enumerate(rows) if row["error"]})
    diagnostics = ctx.obj.diagnostics
    for row in rows:
        if row["error"]:
            diagnostics.line(f"error: {row['error']}")
        elif row["note"] and _in_use(row, loaded.default_provider):
            diagnostics.line(f"note: {row['note']}")
    return int(code)


def _in_use(row: dict[str, Any], default_provider: str | None) -> bool:
    """A built-in profile that cannot work as it is (its vendor needs a base URL) is worth
    a note only to someone who means to use it: its key is set, or it is the default."""
    return bool(row["key_available"]) or row["name"] == default_provider


def _yes_no(value: bool | None) -> str:
    return "not checked" if value is None else ("yes" if value else "no")
