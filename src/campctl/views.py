"""Renderers of `campctl list` and `campctl runs`: one JSON document, plain tab-separated
lines for pipes, or a Rich table on a terminal. Vendor and user text is sanitised."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from campctl.audit import RunSummary
from campctl.providers.base import Campaign
from campctl.sanitize import printable

NO_VALUE = "-"


def emit_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    sys.stdout.flush()


def emit_rows(title: str | None, columns: Sequence[str], rows: list[list[str]]) -> None:
    """A table on a terminal, tab-separated lines otherwise; every cell sanitised."""
    from campctl.output import terminal_console

    clean = [[printable(cell) for cell in row] for row in rows]
    console = terminal_console(sys.stdout)
    if console is None:
        sys.stdout.writelines("\t".join(row) + "\n" for row in clean)
        sys.stdout.flush()
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, no_wrap=index == 0, overflow="fold")
    for row in clean:
        table.add_row(*row)
    console.print(table)


def render_campaigns(
    campaigns: list[tuple[str, str, Campaign]],
    errors: list[dict[str, Any]],
    exit_code: int,
    *,
    json_mode: bool,
    sandbox: bool,
) -> None:
    if json_mode:
        emit_json(
            {
                "campaigns": [
                    {
                        "target": f"{name}:{c.campaign_id}",
                        "provider": name,
                        "vendor": vendor,
                        "campaign_id": c.campaign_id,
                        "name": c.name,
                        "status": c.status,
                        "senders": list(c.senders),
                    }
                    for name, vendor, c in campaigns
                ],
                "errors": errors,
                "exit_code": exit_code,
            }
        )
        return
    rows = [
        [
            f"{name}:{c.campaign_id}",
            c.status or NO_VALUE,
            ",".join(c.senders) or NO_VALUE,
            c.name or NO_VALUE,
        ]
        for name, _vendor, c in campaigns
    ]
    title = "campctl list" + (" — SANDBOX (simulated vendors)" if sandbox else "")
    emit_rows(title, ("target", "status", "senders", "name"), rows)


def run_row(run: RunSummary) -> list[str]:
    c = run.counts
    who = f"{run.user or '?'}@{run.host or '?'}"
    action = f"{run.action} (undo of {run.undo_of})" if run.undo_of else run.action
    counts = f"{c['done']} done, {c['noop']} noop, {c['failed']} failed, {c['skipped']} skipped"
    return [run.run_id, run.time, who, action, counts, run.reason or NO_VALUE]


RUN_COLUMNS = ("run", "time", "user@host", "action", "targets", "reason")


def render_runs(runs: list[RunSummary], *, json_mode: bool) -> None:
    if json_mode:
        emit_json({"runs": [run.as_json() for run in runs], "exit_code": 0})
        return
    emit_rows("campctl runs", RUN_COLUMNS, [run_row(run) for run in runs])


def render_run(run: RunSummary, records: list[dict[str, Any]], *, json_mode: bool) -> None:
    keys = ("target", "provider", "vendor", "campaign_id", "outcome", "status", "error_kind")
    results = [{**{k: r.get(k) for k in keys}, "time": r.get("time")} for r in records]
    if json_mode:
        emit_json({"run": run.as_json(), "results": results, "exit_code": 0})
        return
    sys.stderr.write("campctl: " + printable("  ".join(run_row(run))) + "\n")
    rows = [
        [str(r["target"]), str(r["outcome"]), str(r["status"] or NO_VALUE),
         str(r["error_kind"] or NO_VALUE)]
        for r in results
    ]  # fmt: skip
    emit_rows(f"run {run.run_id}", ("target", "outcome", "status", "error"), rows)
