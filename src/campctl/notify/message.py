"""What a notification says: a Slack text for people, the run document for machines.

Built only from the report and campctl's own facts (who, where, the undo command), never
from the URL. Slack reads `<...>` as links and mentions, so every value is escaped as its
docs ask (`&amp;`, `&lt;`, `&gt;`): a campaign ID or a reason cannot ping the channel.
"""

from __future__ import annotations

import shlex
from typing import Any, NamedTuple

from campctl.results import Outcome, Report

MAX_FAILED = 10  # failed targets named in a Slack text; the rest are counted
_OPPOSITE = {"pause": "resume", "resume": "pause"}


class Occasion(NamedTuple):
    """Who ran the run and how to take it back: what a message says beyond the report."""

    user: str
    host: str
    reason: str | None = None
    via: str = "cli"
    undo_command: str | None = None


def undo_command(report: Report, flags: tuple[str, ...]) -> str | None:
    """`campctl resume --undo RUN_ID` for a pause (and the reverse), with the run's own
    `--sandbox`, `--config` or `--audit-log`; None when the run changed nothing."""
    opposite = _OPPOSITE.get(report.action)
    if opposite is None or report.run_id is None or report.summary.done == 0:
        return None
    return shlex.join(["campctl", opposite, "--undo", report.run_id, *flags])


def slack_text(report: Report, occasion: Occasion) -> str:
    """Action, user@host, reason, counts, up to 10 failed targets, run ID, undo command."""
    who = f"{occasion.user}@{occasion.host}" + (" via MCP" if occasion.via == "mcp" else "")
    title = f"campctl {report.action} by {who}"
    if report.sandbox:
        title = f"SANDBOX rehearsal: {title}"
    counts = report.summary
    lines = [
        f"*{_escape(title)}*",
        f"Reason: {_escape(occasion.reason or 'none given')}",
        f"Results: {counts.done} done, {counts.noop} noop, {counts.failed} failed, "
        f"{counts.skipped} skipped (exit {report.exit_code})",
    ]
    failed = [r for r in report.results if r.outcome is Outcome.FAILED]
    if failed:
        named = ", ".join(
            f"{r.target} ({r.error.kind.value if r.error else 'failed'})"
            for r in failed[:MAX_FAILED]
        )
        more = f" and {len(failed) - MAX_FAILED} more" if len(failed) > MAX_FAILED else ""
        lines.append(f"Failed ({len(failed)}): {_escape(named)}{more}")
    lines.append(f"Run: {_escape(report.run_id or '-')}")
    if occasion.undo_command:
        lines.append(f"Undo: `{_escape(occasion.undo_command)}`")
    elif counts.done == 0:
        lines.append("Undo: none (nothing was changed)")
    else:
        lines.append("Undo: none (the run was not journaled)")
    return "\n".join(lines)


def webhook_document(report: Report, occasion: Occasion) -> dict[str, Any]:
    """The generic webhook's body: the --json document as `run`, beside who and the undo."""
    run = report.model_dump(mode="json")
    run.pop("notify_errors", None)
    return {
        "event": "campctl.run",
        "user": occasion.user,
        "host": occasion.host,
        "undo_command": occasion.undo_command,
        "run": run,
    }


def test_body(kind: str, occasion: Occasion) -> dict[str, Any]:
    """`campctl notify test`: a Slack line, or a webhook document of event `campctl.test`
    shaped like a run's (no run, no undo)."""
    who = f"{occasion.user}@{occasion.host}"
    if kind == "slack":
        text = f"campctl notify test from {who}: run notifications reach this channel"
        return {"text": _escape(text)}
    return {"event": "campctl.test", "user": occasion.user, "host": occasion.host,
            "undo_command": None, "run": None}  # fmt: skip


def body(kind: str, report: Report, occasion: Occasion) -> dict[str, Any]:
    if kind == "slack":
        return {"text": slack_text(report, occasion)}
    return webhook_document(report, occasion)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
