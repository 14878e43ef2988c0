"""`--undo RUN_ID|last`: which recorded targets an undo may touch, and the refusals.

An undo replays only the targets the undone run reported `done` and no earlier undo has
settled, never across the sandbox line, and only from a journal its owner alone can write.
Whether each target is still as that run left it is decided later, by reading it
(campctl.prior); whether its profile still points where the run recorded is checked when the
profiles are resolved (campctl.plan).
"""

from __future__ import annotations

from typing import NamedTuple

from campctl.errors import UsageError
from campctl.journal import Journal, RunView, TargetView


class UndoPlan(NamedTuple):
    run: RunView | None  # None: nothing to undo
    targets: list[TargetView]  # `done` in that run, not yet settled by an undo, in order
    left_alone: int  # that run's noop, failed and skipped targets, unknown ones apart
    unknown: list[str]  # targets whose outcome that run could not know
    settled: int  # restored (or found settled) by an earlier undo


def plan_undo(journal: Journal, wanted: str, action: str, *, sandbox: bool) -> UndoPlan:
    """The undo of `wanted` (a run ID or `last`) by an `action` run; UsageError when refused."""
    opposite = "pause" if action == "resume" else "resume"
    if wanted == "last":
        return _last(journal, opposite, sandbox=sandbox)
    run = journal.view(wanted)
    if run is None:
        raise UsageError(f"no run {wanted} in {journal.path}; see 'campctl runs'")
    if run.sandbox != sandbox:
        raise UsageError(_across_sandbox(run))
    if run.action != opposite:
        undo_with = "resume" if run.action == "pause" else "pause"
        raise UsageError(
            f"run {run.run_id} was a {run.action}; undo it with "
            f"'campctl {undo_with} --undo {run.run_id}'"
        )
    plan = _undo_of(journal, run)
    if plan.run is not None and not plan.targets and plan.settled:
        raise UsageError(_already(journal, run))
    return plan


def _last(journal: Journal, opposite: str, *, sandbox: bool) -> UndoPlan:
    """The newest run (by start) that still has a `done` target no undo has settled. When
    none has, a repeated undo (the newest run with a `done` target was fully restored) is a
    usage error; otherwise there is simply nothing to undo."""
    newest_done: RunView | None = None
    for run in journal.candidates(opposite, sandbox=sandbox):
        plan = _undo_of(journal, run)
        if plan.targets:
            return plan
        if newest_done is None and plan.run is not None:
            newest_done = run
    if newest_done is not None:
        raise UsageError(_already(journal, newest_done))
    return UndoPlan(None, [], 0, [], 0)


def _undo_of(journal: Journal, run: RunView) -> UndoPlan:
    settled = journal.restored(run.run_id)
    done = [t for t in run.targets if t.acted == "done"]
    todo = [t for t in done if t.target not in settled]
    unknown = [t.target for t in run.targets if t.outcome_unknown and t.acted != "done"]
    left_alone = len(run.targets) - len(done) - len(unknown)  # named apart, not counted here
    if not done:
        return UndoPlan(None, [], left_alone, unknown, 0)
    return UndoPlan(run, todo, left_alone, unknown, len(done) - len(todo))


def _already(journal: Journal, run: RunView) -> str:
    by = [journal.view(undo_id) for undo_id in run.undone_by]
    undoers = [u for u in by if u is not None]
    if not undoers:
        return f"run {run.run_id} was already undone"
    last = max(undoers, key=lambda u: u.run_id.split("-", 1)[0])
    when = last.time[11:16] if len(last.time) >= 16 else last.time
    return f"run {run.run_id} was already undone by run {last.run_id} at {when} UTC"


def _across_sandbox(run: RunView) -> str:
    if run.sandbox:
        return (
            f"run {run.run_id} was a sandbox rehearsal; a real undo never acts on it "
            "(add --sandbox, or use the config that `campctl sandbox serve` printed)"
        )
    return f"run {run.run_id} was a real run; a sandbox undo never acts on it (drop --sandbox)"
