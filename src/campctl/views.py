"""Renderers of `campctl list` and `campctl runs`: one JSON document, plain tab-separated
lines for pipes, or a table that fits the terminal (campctl.output). Vendor and user text is
shown with control characters escaped."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from campctl.documents import CampaignListing, RunDocument, RunsDocument
from campctl.journal import RunView
from campctl.output import Column, emit_rows, write_stdout
from campctl.sanitize import printable

NO_VALUE = "-"


def emit_json(document: dict[str, Any]) -> None:
    write_stdout(json.dumps(document, indent=2) + "\n", exit_code=int(document["exit_code"]))


def emit(
    title: str,
    headers: Sequence[str],
    rows: list[list[str]],
    code: int = 0,
    *,
    sandbox: bool = False,
) -> None:
    """The first column (a target or run ID) is never cut; the others wrap."""
    columns = [Column(header, keep=index == 0) for index, header in enumerate(headers)]
    emit_rows(columns, rows, code, title=title, sandbox=sandbox)


def render_campaigns(listing: CampaignListing, *, json_mode: bool, sandbox: bool) -> None:
    if json_mode:
        emit_json(listing.model_dump(mode="json"))
        return
    rows = [
        [c.target, c.status or NO_VALUE, ",".join(c.senders) or NO_VALUE, c.name or NO_VALUE]
        for c in listing.campaigns
    ]
    title = "campctl list"
    emit(title, ("target", "status", "senders", "name"), rows, listing.exit_code, sandbox=sandbox)


def run_row(run: RunView) -> list[str]:
    c = run.counts
    who = f"{run.user or '?'}@{run.host or '?'}"
    action = f"{run.action} (undo of {run.undo_of})" if run.undo_of else run.action
    if run.undone_by:
        action += f" (undone by {', '.join(run.undone_by)})"
    if run.sandbox:
        action += " [sandbox]"
    counts = f"{c['done']} done, {c['noop']} noop, {c['failed']} failed, {c['skipped']} skipped"
    if run.incomplete:
        counts += " (incomplete: the run ended without its end line)"
    return [run.run_id, run.time, who, action, counts, run.reason or NO_VALUE]


RUN_COLUMNS = ("run", "time", "user@host", "action", "targets", "reason")


def render_runs(
    runs: list[RunView], document: RunsDocument, *, json_mode: bool, sandbox: bool = False
) -> None:
    if json_mode:
        emit_json(document.model_dump(mode="json"))
        return
    emit("campctl runs", RUN_COLUMNS, [run_row(run) for run in runs], sandbox=sandbox)


def render_run(run: RunView, document: RunDocument, *, json_mode: bool) -> None:
    if json_mode:
        emit_json(document.model_dump(mode="json"))
        return
    sys.stderr.write("campctl: " + printable("  ".join(run_row(run))) + "\n")
    rows = [
        [t.target, _outcome(t.outcome, t.verified), t.status or NO_VALUE,
         t.prior_status or NO_VALUE, t.error_kind or NO_VALUE]
        for t in run.targets
    ]  # fmt: skip
    emit(f"run {run.run_id}", ("target", "outcome", "status", "before", "error"), rows)


def _outcome(outcome: str, verified: bool | None) -> str:
    return f"{outcome} (verified)" if verified else outcome
