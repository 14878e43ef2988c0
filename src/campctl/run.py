"""pause / resume / status, independent of Typer: plan, then act, then report.

`plan.build_plan` turns options into a `Plan` (nothing sent), `select.expand` turns selectors
into targets (read-only list requests), `act.act` runs the jobs under limits and signals,
`act.verify` reads the changed campaigns back, and `output.render` prints the report. Each
step hands the next a value; none reaches back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from campctl.act import Runner, act, dry_run, verify
from campctl.config import ConfigFile, load_config
from campctl.diagnostics import Diagnostics
from campctl.errors import UsageError
from campctl.output import Progress, render
from campctl.plan import ActionOptions, Plan, build_plan
from campctl.redact import Redactor
from campctl.results import Report, Result, Summary, exit_code_for
from campctl.select import ListError, Listing, Selection, expand, sends_from
from campctl.signals import SignalGuard

__all__ = ["ActionOptions", "run_action"]


def run_action(opts: ActionOptions, redactor: Redactor, diagnostics: Diagnostics) -> int:
    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, _environment(opts, diagnostics) as config:
        plan = build_plan(opts, config, redactor, diagnostics)
        if plan.not_undone:
            diagnostics.notice(
                f"{plan.not_undone} target(s) were not changed by that run: left as they are"
            )
        if opts.undo and not plan.jobs:
            diagnostics.notice("nothing to undo: that run changed no campaign")
        if plan.run is not None:
            undo = f", undoing {plan.run.undo_of}" if plan.run.undo_of else ""
            diagnostics.notice(f"run {plan.run.run_id} ({plan.action.value}{undo})")
        results, selection = asyncio.run(_go(plan, opts, guard, redactor, diagnostics))
        audit_error = None
        if plan.audit is not None:
            plan.audit.close()
            audit_error = plan.audit.problem
            if audit_error:
                diagnostics.line(f"warning: {audit_error}")
        list_kinds = [e.kind for e in selection.errors] if selection else []
        code = guard.exit_code or exit_code_for(results, strict=opts.strict, also=list_kinds)
        report = Report.model_construct(
            action=opts.action.value,
            dry_run=opts.dry_run,
            sandbox=opts.sandbox,
            run_id=plan.run.run_id if plan.run else None,
            results=results,
            summary=Summary.of(results),
            exit_code=int(code),
            selection=selection.as_json() if selection else None,
            audit_error=audit_error,
        )
        render(report, json_mode=opts.json, quiet=opts.quiet, diagnostics=diagnostics)
        return int(code)


async def _go(
    plan: Plan,
    opts: ActionOptions,
    guard: SignalGuard,
    redactor: Redactor,
    diagnostics: Diagnostics,
) -> tuple[list[Result], Selection | None]:
    """Selection, action and verification in one event loop that one signal can stop."""
    runner = Runner()

    def stop() -> None:
        if not runner.cancelled:
            diagnostics.line("interrupted: not sending more; in-flight requests abandoned")
        runner.cancel()

    selection = None
    with guard.cancelling(asyncio.get_running_loop(), stop):
        async with plan.client:
            if plan.selector is not None:
                plan, selection = await expand(plan, runner, redactor)
                _announce(selection, diagnostics)
            if opts.dry_run:
                return dry_run(plan, redactor), selection
            progress = (
                Progress(len(plan.jobs), waiting=diagnostics.waiting) if not opts.quiet else None
            )

            def on_result(position: int, result: Result) -> None:
                if plan.audit is not None:
                    plan.audit.record(result, position)
                if progress is not None:
                    progress.advance()

            try:
                results = await act(plan, runner, redactor, on_result)
                if opts.verify and not runner.cancelled:
                    results = await verify(plan, runner, redactor, results)
            finally:
                if progress is not None:
                    progress.stop()
    return results, selection


def _announce(selection: Selection, diagnostics: Diagnostics) -> None:
    _left_out(selection.left_out, diagnostics)
    _list_errors(selection.errors, diagnostics)
    if selection.matched == 0:
        diagnostics.line("nothing matched the selection: no campaign selected")


def _left_out(left_out: tuple[tuple[str, str], ...], diagnostics: Diagnostics) -> None:
    """One line naming the profiles a selection or list skipped, and why."""
    if left_out:
        left = "; ".join(f"{name}: {reason}" for name, reason in left_out)
        diagnostics.notice(f"left out: {left}")


def _list_errors(errors: list[ListError], diagnostics: Diagnostics) -> None:
    for error in errors:
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
        VENDORS,
        Simulator,
        sandbox_state_dir,
        state_file,
    )

    with Simulator(state_file=state_file(sandbox_state_dir())) as sim:
        if sim.state_problem:
            diagnostics.line(f"warning: sandbox state: {sim.state_problem}")
        tables = {
            vendor: {"vendor": vendor, "base_url": sim.base_url(vendor), "api_key": SANDBOX_API_KEY}
            for vendor in VENDORS
        }
        yield ConfigFile(None, None, tables)


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
