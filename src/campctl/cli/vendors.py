"""`campctl vendors`: what each registered vendor is and can do, plugins included."""

from typing import Any

import typer

from campctl.cli.help import EXAMPLES
from campctl.cli.options import JsonOpt
from campctl.errors import ExitCode


def register(app: typer.Typer) -> None:
    app.command(
        "vendors",
        help="List supported vendors: base URL, auth, campaign-ID format, rate limits, and "
        "what each can do (status, list, sender selection).",
        epilog=EXAMPLES["vendors"],
    )(vendors)


def vendors(json_out: JsonOpt = False) -> int:
    from campctl.registry import adapter_class, entries

    rows: list[dict[str, Any]] = []
    for entry in entries():
        meta = adapter_class(entry.name).meta
        plugin = entry.plugin
        rows.append(
            {
                "name": meta.name,
                "title": meta.title,
                "default_base_url": meta.default_base_url,
                "base_url_required": meta.base_url_required,
                "auth": meta.auth_style,
                "campaign_id": meta.id_format,
                "campaign_id_pattern": meta.id_pattern,
                "rate_limit": meta.rate_limit,
                "max_in_flight": meta.limit.max_in_flight,
                "per_minute": meta.limit.per_minute,
                "status": meta.can_status,
                "list": meta.can_list,
                "senders": meta.exposes_senders,
                "docs_url": meta.docs_url,
                "plugin": plugin and {"package": plugin.package, "version": plugin.version},
            }
        )
    if json_out:
        from campctl.cli.context import emit_json
        from campctl.documents import VendorRow, VendorsDocument

        document = VendorsDocument(vendors=[VendorRow(**row) for row in rows], exit_code=0)
        emit_json(document, ExitCode.OK)
        return 0
    from campctl.output import Column, emit_rows

    columns = [
        Column("name", keep=True),
        Column("default base URL", keep=True),
        Column("auth"),
        Column("campaign ID"),
        Column("rate limit"),
        Column("status", keep=True),
        Column("list", keep=True),
        Column("senders", keep=True),
        Column("from"),
    ]
    cells = [
        [
            str(row["name"]),
            str(row["default_base_url"] or "(none: set base_url)"),
            str(row["auth"]),
            str(row["campaign_id"]),
            str(row["rate_limit"]),
            "yes" if row["status"] else "no",
            "yes" if row["list"] else "no",
            "yes" if row["senders"] else "no",
            "{package} {version}".format_map(row["plugin"]) if row["plugin"] else "built-in",
        ]
        for row in rows
    ]
    emit_rows(columns, cells, ExitCode.OK)
    return 0
