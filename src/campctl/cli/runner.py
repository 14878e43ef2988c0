"""The CLI's runner of the engine (campctl.engine): what a process owns — signals, the event
loop, the progress line — and rendering the report, which decides the exit code.
"""

from __future__ import annotations

import asyncio

from campctl.act import Runner
from campctl.diagnostics import Diagnostics
from campctl.documents import CampaignListing
from campctl.engine import environment, list_profiles, perform, prepare, prepare_list
from campctl.execute import Events
from campctl.output import Progress, render
from campctl.plan import ActionOptions, Plan
from campctl.redact import Redactor
from campctl.results import Report
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
    from campctl.views import render_campaigns

    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    with SignalGuard() as guard, environment(opts, diagnostics) as config:
        plan = prepare_list(opts, config, redactor, diagnostics)

        async def go() -> CampaignListing:
            runner = Runner()
            stop = lambda: runner.cancel(guard.exit_code)  # noqa: E731 - a one-line callback
            with guard.cancelling(asyncio.get_running_loop(), stop):
                return await list_profiles(plan, opts, status, runner, redactor, diagnostics)

        listing = asyncio.run(go())
    render_campaigns(listing, json_mode=opts.json, sandbox=plan.sandbox or opts.sandbox)
    return listing.exit_code
