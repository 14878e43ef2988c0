"""The engine every front-end runs (the CLI, the Python library): plan → equip → execute →
report. It prints nothing and owns nothing of the process: what a person should see goes to
the `Diagnostics` sink it is handed (the CLI's prints to stderr; the library's turns each
line into an event), signals and the event loop belong to the caller, and a caller stops a
run through its `Runner`. A run that sends ends by telling its [[notify]] targets
(campctl.notify), after its journal is on disk, whichever front-end started it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from campctl.act import Runner
from campctl.config import ConfigFile, NotifySection, load_config
from campctl.diagnostics import Diagnostics
from campctl.documents import CampaignListing, ListedCampaign, ListingError
from campctl.errors import ConfigError, UsageError
from campctl.execute import Events, execute
from campctl.limits import Limits
from campctl.plan import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ActionOptions,
    Plan,
    build_list_plan,
    build_plan,
)
from campctl.providers.base import Action
from campctl.redact import Redactor
from campctl.results import Report, Summary, exit_code_for
from campctl.select import ListError, Selection, list_campaigns, sends_from

__all__ = [
    "announce_left_out",
    "announce_list_errors",
    "environment",
    "list_profiles",
    "perform",
    "prepare",
    "prepare_list",
]


def prepare(
    opts: ActionOptions,
    config: ConfigFile,
    redactor: Redactor,
    diagnostics: Diagnostics,
    limits: Limits | None = None,
) -> Plan:
    """The plan, and what an operator should know before anything is sent. `limits`: vendor
    limits shared with other runs (a library Context's), else the run has its own."""
    plan = build_plan(opts, config, redactor, diagnostics, limits)
    _before(plan, diagnostics)
    return plan


async def perform(
    plan: Plan,
    opts: ActionOptions,
    runner: Runner,
    redactor: Redactor,
    diagnostics: Diagnostics,
    events: Events | None = None,
) -> Report:
    """Execute the plan and journal its end: the typed report a front-end renders.

    A run stopped through `runner` (a signal, a cancelled task) still reports and journals
    every target; its exit code is the runner's."""
    hooks = events or Events(_ignore, _ignore, _ignore)
    started = hooks.started

    def announce() -> None:
        _announce_run(plan, diagnostics)
        started()

    async with plan.client:
        executed = await execute(plan, runner, redactor, hooks._replace(started=announce))
    results, selection = executed.results, executed.selection
    if selection is not None:
        _announce(selection, diagnostics)
    list_kinds = [e.kind for e in selection.errors] if selection else []
    code = runner.exit_code or exit_code_for(results, strict=opts.strict, also=list_kinds)
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
    if report.run_id is not None and (plan.notify or plan.notify_broken):
        report = await _notify(plan, opts, report, diagnostics)
    for broken in plan.notify_broken if report.run_id is None else ():  # a dry run's check
        diagnostics.line(f"warning: notify {broken.name} could not be sent: {broken.problem}")
    return report


async def _notify(
    plan: Plan, opts: ActionOptions, report: Report, diagnostics: Diagnostics
) -> Report:
    """Tell the team, now that the journal (end line included) is on disk. A notification
    that fails is reported beside the results (`notify_errors`), never changes them."""
    from campctl.notify import notify_run, occasion

    errors = await notify_run(
        plan.notify,
        report,
        occasion(report, opts, journaled=plan.audit is not None),
        timeout=opts.timeout or DEFAULT_TIMEOUT,
        retries=DEFAULT_RETRIES if opts.retries is None else opts.retries,
        diagnostics=diagnostics,
        broken=plan.notify_broken,
    )
    return report.model_copy(update={"notify_errors": errors}) if errors else report


def prepare_list(
    opts: ActionOptions,
    config: ConfigFile,
    redactor: Redactor,
    diagnostics: Diagnostics,
    limits: Limits | None = None,
) -> Plan:
    """For `list`: the profiles to list (named with -p, else every one that can)."""
    plan = build_list_plan(opts, config, redactor, diagnostics, limits)
    assert plan.selector is not None  # noqa: S101 - build_list_plan sets it
    announce_left_out(plan.selector.left_out, diagnostics)
    return plan


async def list_profiles(
    plan: Plan,
    opts: ActionOptions,
    status: str | None,
    runner: Runner,
    redactor: Redactor,
    diagnostics: Diagnostics,
) -> CampaignListing:
    """Every listed campaign of the plan's profiles in `status` (and from `opts.sender`)."""
    assert plan.selector is not None  # noqa: S101 - prepare_list sets it
    async with plan.client:
        listing = await list_campaigns(
            plan, plan.selector.profiles, runner, redactor, running_only=False,
            senders=opts.sender is not None,
        )  # fmt: skip
    announce_list_errors(listing.errors, diagnostics)
    code = runner.exit_code or exit_code_for([], also=[e.kind for e in listing.errors])
    campaigns = [
        ListedCampaign.model_construct(
            target=f"{name}:{c.campaign_id}",
            provider=name,
            vendor=plan.profiles[name].vendor,
            campaign_id=c.campaign_id,
            name=c.name,
            status=c.status,
            senders=list(c.senders),
        )
        for name, c in listing.campaigns
        if (status is None or c.status == status.lower())
        and (opts.sender is None or sends_from(c, opts.sender))
    ]
    errors = [ListingError.model_construct(**e.as_json()) for e in listing.errors]
    return CampaignListing.model_construct(campaigns=campaigns, errors=errors, exit_code=int(code))


def _ignore(*_args: object) -> None:
    """An event nobody listens to."""


def _before(plan: Plan, diagnostics: Diagnostics) -> None:
    """What an operator should know before anything is sent."""
    if plan.selector is not None:
        announce_left_out(plan.selector.left_out, diagnostics)
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


def _announce(selection: Selection, diagnostics: Diagnostics) -> None:
    announce_list_errors(selection.errors, diagnostics)
    if selection.matched == 0 and not any(e.provider is None for e in selection.errors):
        diagnostics.line("nothing matched the selection: no campaign selected")


def announce_left_out(left_out: tuple[tuple[str, str], ...], diagnostics: Diagnostics) -> None:
    """One line naming the profiles a selection or list skipped, and why."""
    if left_out:
        left = "; ".join(f"{name}: {reason}" for name, reason in left_out)
        diagnostics.notice(f"left out: {left}")


def announce_list_errors(errors: list[ListError], diagnostics: Diagnostics) -> None:
    for error in errors:
        if error.provider is None:  # about the selection as a whole, e.g. a --sender typo
            diagnostics.line(f"{error.kind.value}: {error.message}")
            continue
        diagnostics.line(
            f"{error.provider}: could not list campaigns ({error.kind.value}): {error.message}"
        )


def _user_notify(opts: ActionOptions) -> NotifySection:
    """Under --sandbox the profiles are the simulator's, but [[notify]] comes from the user's
    config file (only read for a pause or resume that may notify)."""
    if not opts.notify or opts.action is Action.STATUS:
        return NotifySection()
    return load_config(None).notify


@contextlib.contextmanager
def environment(opts: ActionOptions, diagnostics: Diagnostics) -> Iterator[ConfigFile]:
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
        # no built-in (real) profiles; the team hears of a rehearsal as of a real run
        yield ConfigFile(None, None, tables, sandbox=True, notify=_user_notify(opts))
