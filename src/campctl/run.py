"""pause / resume / status, independent of Typer: plan, then execute, then report.

`plan.build_plan` turns options into a `Plan` (nothing sent), `execute.execute` runs it per
profile (selection, prior state, journal, action, verification), and `output.render` prints
the report. Each step hands the next a value; none reaches back. This module owns what a
process owns: signals, the event loop, the notices on stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from campctl.act import Runner
from campctl.config import ConfigFile, load_config
from campctl.diagnostics import Diagnostics
from campctl.errors import ConfigError, UsageError
from campctl.execute import Events, Executed, execute
from campctl.output import Progress, render
from campctl.plan import DEFAULT_TIMEOUT, ActionOptions, Plan, build_plan
from campctl.redact import Redactor
from campctl.results import Report, Summary, exit_code_for
from campctl.select import ListError, Listing, Selection, sends_from
from campctl.signals import SignalGuard

__all__ = ["ActionOptions", "run_action"]


def run_action(opts: ActionOptions, redactor: Redactor, diagnostics: Diagnostics) -> int:
    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, _environment(opts, diagnostics) as config:
        plan = build_plan(opts, config, redactor, diagnostics)
        _before(plan, diagnostics)
        executed = asyncio.run(_go(plan, opts, guard, redactor, diagnostics))
        results, selection = executed.results, executed.selection
        if selection is not None:
            _announce(selection, diagnostics)
        list_kinds = [e.kind for e in selection.errors] if selection else []
        code = guard.exit_code or exit_code_for(results, strict=opts.strict, also=list_kinds)
        summary = Summary.of(results)
        audit_error = None
        if plan.audit is not None:
            if executed.started:
                plan.audit.end(summary.model_dump(), int(code))
            plan.audit.close()
            audit_error = plan.audit.problem
            if audit_error:
                diagnostics.line(f"warning: {audit_error}")
        report = Report.model_construct(
            action=opts.action.value,
            dry_run=opts.dry_run,
            sandbox=plan.sandbox,
            run_id=plan.run.run_id if plan.run is not None and executed.started else None,
            results=results,
            summary=summary,
            exit_code=int(code),
            selection=selection.as_json() if selection else None,
            audit_error=audit_error,
        )
        render(report, json_mode=opts.json, quiet=opts.quiet, diagnostics=diagnostics)
        return int(code)


def _before(plan: Plan, diagnostics: Diagnostics) -> None:
    """What an operator should know before anything is sent."""
    if plan.selector is not None:
        _left_out(plan.selector.left_out, diagnostics)
    if plan.keyless:
        diagnostics.notice(
            f"no key for {', '.join(plan.keyless)}: fine for this dry run, which sends no "
            "request through them"
        )
    undo = plan.undo
    if undo is None:
        return
    if undo.settled:
        diagnostics.notice(f"{undo.settled} target(s) already restored by an earlier undo")
    if undo.left_alone:
        diagnostics.notice(
            f"{undo.left_alone} target(s) were not changed by that run (noop, failed or "
            "skipped): left as they are"
        )
    if undo.unknown:
        shown = ", ".join(undo.unknown[:10]) + (" ..." if len(undo.unknown) > 10 else "")
        noun = "target's outcome is" if len(undo.unknown) == 1 else "targets' outcomes are"
        diagnostics.notice(
            f"{len(undo.unknown)} {noun} unknown ({shown}): left alone; check with `campctl status`"
        )
    if undo.run is None:
        diagnostics.notice("nothing to undo: no run has a changed campaign left to restore")


def _announce_run(plan: Plan, diagnostics: Diagnostics) -> None:
    """The "run …" line, once the run has its first target (a run ID is a promise)."""
    if plan.run is None:
        return
    what = plan.action.value
    undone = plan.undo.run if plan.undo is not None else None
    if undone is not None:
        why = f": {undone.reason}" if undone.reason else ""
        who = f"{undone.user or '?'}@{undone.host or '?'}"
        what += f", undoing run {undone.run_id} of {undone.time} by {who}{why}"
    journaled = "" if plan.audit is not None else " (not journaled)"
    diagnostics.notice(f"run {plan.run.run_id} ({what}){journaled}")


async def _go(
    plan: Plan,
    opts: ActionOptions,
    guard: SignalGuard,
    redactor: Redactor,
    diagnostics: Diagnostics,
) -> Executed:
    """Selection, prior state, action and verification in one event loop one signal stops."""
    runner = Runner()

    def stop() -> None:
        if not runner.cancelled:
            diagnostics.line("interrupted: not sending more; in-flight requests abandoned")
        runner.cancel()

    progress = Progress(0, waiting=diagnostics.waiting) if not opts.quiet else None
    events = Events(
        started=lambda: _announce_run(plan, diagnostics),
        planned=progress.extend if progress is not None else _ignore,
        finished=(lambda _result: progress.advance()) if progress is not None else _ignore,
    )
    with guard.cancelling(asyncio.get_running_loop(), stop):
        async with plan.client:
            try:
                return await execute(plan, runner, redactor, events)
            finally:
                if progress is not None:
                    progress.stop()


def _ignore(*_args: object) -> None:
    """An event nobody listens to."""


def _announce(selection: Selection, diagnostics: Diagnostics) -> None:
    _list_errors(selection.errors, diagnostics)
    if selection.matched == 0 and not any(e.provider is None for e in selection.errors):
        diagnostics.line("nothing matched the selection: no campaign selected")


def _left_out(left_out: tuple[tuple[str, str], ...], diagnostics: Diagnostics) -> None:
    """One line naming the profiles a selection or list skipped, and why."""
    if left_out:
        left = "; ".join(f"{name}: {reason}" for name, reason in left_out)
        diagnostics.notice(f"left out: {left}")


def _list_errors(errors: list[ListError], diagnostics: Diagnostics) -> None:
    for error in errors:
        if error.provider is None:  # about the selection as a whole, e.g. a --sender typo
            diagnostics.line(f"{error.kind.value}: {error.message}")
            continue
        diagnostics.line(
            f"{error.provider}: could not list campaigns ({error.kind.value}): {error.message}"
        )


@contextlib.contextmanager
def _environment(opts: ActionOptions, diagnostics: Diagnostics) -> Iterator[ConfigFile]:
    """The user's config, or with --sandbox a simulator on loopback and profiles for it.

    The sandbox remembers its campaigns between runs (and processes), so a rehearsal reads
    true: pause, then status shows paused, then `resume --undo last` restores it."""
    if not opts.sandbox:
        yield load_config(opts.config)
        return
    if opts.config:
        raise UsageError("--sandbox uses built-in profiles; drop --config")
    from campctl.sandbox import (
        SANDBOX_API_KEY,
        Simulator,
        sandbox_state_dir,
        state_file,
    )
    from campctl.sandbox.state import StateLocked

    wait = opts.timeout or DEFAULT_TIMEOUT

    def waiting(seconds: float) -> None:
        diagnostics.line(
            f"waiting for the sandbox state, which another campctl holds (at most {seconds:g} s)"
        )

    try:
        sim = Simulator(
            state_file=state_file(sandbox_state_dir()), lock_timeout=wait, on_lock_wait=waiting
        )
    except StateLocked as exc:
        raise ConfigError(
            f"sandbox state is busy: {exc}; try again once the other --sandbox run ends"
        ) from None
    with sim:
        if sim.state_problem:
            diagnostics.line(f"warning: sandbox state: {sim.state_problem}")
        tables = {
            vendor: {"vendor": vendor, "base_url": sim.base_url(vendor), "api_key": SANDBOX_API_KEY}
            for vendor in sim.vendors
        }
        yield ConfigFile(None, None, tables, sandbox=True)  # no built-in (real) profiles


def run_list(
    opts: ActionOptions, status: str | None, redactor: Redactor, diagnostics: Diagnostics
) -> int:
    """`campctl list`: every listed campaign of the chosen profiles, read-only."""
    from campctl.plan import build_list_plan
    from campctl.select import list_campaigns
    from campctl.views import render_campaigns

    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, _environment(opts, diagnostics) as config:
        plan = build_list_plan(opts, config, redactor, diagnostics)
        assert plan.selector is not None  # noqa: S101 - build_list_plan sets it
        profiles = plan.selector.profiles
        _left_out(plan.selector.left_out, diagnostics)

        async def go() -> Listing:
            runner = Runner()
            with guard.cancelling(asyncio.get_running_loop(), runner.cancel):
                async with plan.client:
                    return await list_campaigns(
                        plan, profiles, runner, redactor, running_only=False
                    )

        listing = asyncio.run(go())
    campaigns = [
        (name, c)
        for name, c in listing.campaigns
        if (status is None or c.status == status.lower())
        and (opts.sender is None or sends_from(c, opts.sender))
    ]
    _list_errors(listing.errors, diagnostics)
    code = guard.exit_code or exit_code_for([], also=[e.kind for e in listing.errors])
    render_campaigns(
        [(name, plan.profiles[name].vendor, c) for name, c in campaigns],
        [e.as_json() for e in listing.errors],
        int(code),
        json_mode=opts.json,
        sandbox=opts.sandbox,
    )
    return int(code)
