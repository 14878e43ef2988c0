"""The CLI's runner of the engine (campctl.engine): what a process owns — signals, the event
loop, the progress line — and rendering the report, which decides the exit code.
"""

from __future__ import annotations

import asyncio

from campctl.act import Runner
from campctl.diagnostics import Diagnostics
from campctl.engine import (
    announce_left_out,
    announce_list_errors,
    environment,
    perform,
    prepare,
)
from campctl.execute import Events
from campctl.output import Progress, render
from campctl.plan import ActionOptions, Plan
from campctl.redact import Redactor
from campctl.results import Report, exit_code_for
from campctl.select import Listing, sends_from
from campctl.signals import SignalGuard

__all__ = ["ActionOptions", "run_action"]


def run_action(opts: ActionOptions, redactor: Redactor, diagnostics: Diagnostics) -> int:
    """pause / resume / status for the CLI: signals, the event loop, progress, rendering."""
    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, environment(opts, diagnostics) as config:
        plan = prepare(opts, config, redactor, diagnostics)
        report = asyncio.run(_go(plan, opts, guard, redactor, diagnostics))
        render(report, json_mode=opts.json, quiet=opts.quiet, diagnostics=diagnostics)
        return report.exit_code


async def _go(
    plan: Plan,
    opts: ActionOptions,
    guard: SignalGuard,
    redactor: Redactor,
    diagnostics: Diagnostics,
) -> Report:
    """The engine in one event loop that one signal stops, with a progress line."""
    runner = Runner()

    def stop() -> None:
        if not runner.cancelled:
            diagnostics.line("interrupted: not sending more; in-flight requests abandoned")
        runner.cancel(guard.exit_code)

    progress = Progress(0, waiting=diagnostics.waiting) if not opts.quiet else None
    events = None
    if progress is not None:
        events = Events(
            started=lambda: None,
            planned=progress.extend,
            finished=lambda _result: progress.advance(),
        )
    with guard.cancelling(asyncio.get_running_loop(), stop):
        try:
            return await perform(plan, opts, runner, redactor, diagnostics, events)
        finally:
            if progress is not None:
                progress.stop()


def run_list(
    opts: ActionOptions, status: str | None, redactor: Redactor, diagnostics: Diagnostics
) -> int:
    """`campctl list`: every listed campaign of the chosen profiles, read-only."""
    from campctl.plan import build_list_plan
    from campctl.select import list_campaigns
    from campctl.views import render_campaigns

    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, environment(opts, diagnostics) as config:
        plan = build_list_plan(opts, config, redactor, diagnostics)
        assert plan.selector is not None  # noqa: S101 - build_list_plan sets it
        profiles = plan.selector.profiles
        announce_left_out(plan.selector.left_out, diagnostics)

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
    announce_list_errors(listing.errors, diagnostics)
    code = guard.exit_code or exit_code_for([], also=[e.kind for e in listing.errors])
    render_campaigns(
        [(name, plan.profiles[name].vendor, c) for name, c in campaigns],
        [e.as_json() for e in listing.errors],
        int(code),
        json_mode=opts.json,
        sandbox=opts.sandbox,
    )
    return int(code)
