"""Journals for tests: results and whole runs written through the real writer."""

from __future__ import annotations

from pathlib import Path

from campctl.audit import AuditLog, Planned, RunInfo
from campctl.results import Outcome, Result

WOODPECKER = "https://api.woodpecker.co/rest"


def result(target: str = "woodpecker:1", outcome: Outcome = Outcome.DONE) -> Result:
    provider, campaign_id = target.split(":")
    return Result.model_construct(
        target=target, provider=provider, vendor=provider, campaign_id=campaign_id,
        outcome=outcome, status="paused", at=None, message="", http_status=200, attempts=1,
        duration_ms=1, details={}, error=None,
    )  # fmt: skip


def write_run(
    path: Path,
    run_id: str,
    action: str,
    outcomes: list[tuple[str, str]],
    *,
    sandbox: bool = False,
    undo_of: str | None = None,
    endpoint: str = WOODPECKER,
    reason: str | None = None,
    end: bool = True,
    recorded: int | None = None,
) -> None:
    """One run as campctl writes it: `run`, a `target` line each (the first `recorded` only,
    as if killed), and `end`."""
    log = AuditLog(path, RunInfo(run_id, action, sandbox, reason, undo_of))
    planned = []
    for position, (target, _) in enumerate(outcomes, 1):
        provider, campaign_id = target.split(":")
        prior = "running" if action == "pause" else "paused"
        planned.append(Planned(target, provider, provider, campaign_id, endpoint, position, prior))
    log.begin(planned)
    shown = outcomes if recorded is None else outcomes[:recorded]
    for position, (target, outcome) in enumerate(shown, 1):
        prior = "running" if action == "pause" else "paused"
        log.record(result(target, Outcome(outcome)), position, endpoint=endpoint,
                   prior_status=prior)  # fmt: skip
    if end and recorded is None:
        log.end({"total": len(outcomes)}, 0)
    log.close()
