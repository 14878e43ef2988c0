"""Executing a plan: per profile, select → prior state → journal → act → verify.

Each profile runs its own pipeline, so a profile's pauses start as soon as its own list is
read and a slow or endless list delays only that profile. Before the first change of a
profile is sent its targets are journaled (the run's `run` line, or a `plan` line for
profiles that plan later); a run with no target gets no run line at all — a run ID is a
promise. Nothing here prints: what the front-end shows arrives through `Events`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import NamedTuple

from campctl.act import Runner, act, dry_run, make_result, verify
from campctl.audit import Planned
from campctl.errors import ConfigError
from campctl.plan import Job, Plan
from campctl.prior import NOT_READ, Prior, decide, needs_read, read_priors
from campctl.providers.base import RUNNING, Action, Campaign
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Result, Verdict
from campctl.select import ListError, Selection, list_one, sends_from
from campctl.targets import Target


class Events(NamedTuple):
    """What a front-end hears while a plan executes."""

    started: Callable[[], None]  # the run has its first target (and its run line, if any)
    planned: Callable[[int], None]  # this many more targets will get a result
    finished: Callable[[Result], None]  # one target's result is final


class Executed(NamedTuple):
    results: list[Result]
    selection: Selection | None
    started: bool  # the run had at least one target: it has a run ID and a journal entry


class _Group(NamedTuple):
    name: str
    explicit: list[Result]
    selected: list[Result]
    campaigns_checked: int  # campaigns whose senders were read (for the --sender typo check)
    sender_seen: bool
    matched: int
    error: ListError | None


class _Execution:
    """The state one execution shares across its profiles' pipelines."""

    def __init__(self, plan: Plan, runner: Runner, redactor: Redactor, events: Events) -> None:
        self.plan = plan
        self.runner = runner
        self.redactor = redactor
        self.events = events
        self.started = False
        self.failure: ConfigError | None = None
        self.next_position = len(plan.jobs) + 1

    def position(self) -> int:
        self.next_position += 1
        return self.next_position - 1

    def begin(self, jobs: list[Job], priors: dict[str, Prior]) -> None:
        """Journal these targets before their first request: the run line, then plan lines."""
        audit = self.plan.audit
        if audit is not None:
            audit.begin([self._planned(job, priors) for job in jobs])
        if not self.started:
            self.started = True
            self.events.started()

    def _planned(self, job: Job, priors: dict[str, Prior]) -> Planned:
        return Planned(
            target=job.target.label,
            provider=job.profile.name,
            vendor=job.profile.vendor,
            campaign_id=job.target.campaign_id,
            endpoint=self.plan.endpoints[job.profile.name],
            position=job.position,
            prior_status=priors.get(job.target.campaign_id, NOT_READ).status,
            prospects=job.adapter.recorded_prospects(),
        )

    def record(self, job: Job, result: Result) -> None:
        if self.plan.audit is not None and self.started:
            prior = result.details.get("prior_status")
            self.plan.audit.record(
                result, job.position, endpoint=self.plan.endpoints[job.profile.name],
                prior_status=prior if isinstance(prior, str) else None,
            )  # fmt: skip
        self.events.finished(result)

    def verified(self, job: Job, result: Result) -> None:
        if self.plan.audit is not None and self.started:
            self.plan.audit.verified(result, job.position)


async def execute(plan: Plan, runner: Runner, redactor: Redactor, events: Events) -> Executed:
    """Every target of the plan gets exactly one result, in input order (selected targets
    follow, profile by profile, in list order)."""
    run = _Execution(plan, runner, redactor, events)
    groups: dict[str, list[Job]] = {}
    for job in plan.jobs:
        groups.setdefault(job.profile.name, []).append(job)
    if plan.selector is not None:
        for name in plan.selector.profiles:
            groups.setdefault(name, [])
    events.planned(len(plan.jobs))
    names = list(groups)
    outcomes = await runner.gather([_profile(run, name, groups[name]) for name in names])
    if run.failure is not None:
        raise run.failure
    explicit: list[Result] = []
    selected: list[Result] = []
    parts: list[_Group] = []
    for name, outcome in zip(names, outcomes, strict=True):
        part = (
            _crashed(run, groups[name], outcome)  # `_profile` never raises; just in case
            if isinstance(outcome, BaseException)
            else outcome
        )
        parts.append(part)
        explicit += part.explicit
        selected += part.selected
    positions = {job.target.label: job.position for job in plan.jobs}
    explicit.sort(key=lambda r: positions.get(r.target, 0))
    return Executed(explicit + selected, _selection(plan, parts), run.started)


async def _profile(run: _Execution, name: str, explicit: list[Job]) -> _Group:
    plan = run.plan
    jobs = list(explicit)
    known: dict[str, Prior] = {}
    group = _Group(name, [], [], 0, False, 0, None)
    if plan.selector is not None and name in plan.selector.profiles:
        try:
            group = await _select(run, name, jobs, known)
        except asyncio.CancelledError:
            interrupted = ListError(name, ErrorKind.NETWORK, None, "interrupted while listing")
            group = group._replace(error=interrupted)
            results = [_not_sent(run, job, "interrupted before sending") for job in jobs]
            return group._replace(explicit=results)
    try:
        if plan.action is Action.STATUS:
            results = await act(plan.action, jobs, run.runner, run.redactor, run.record, {})
        else:
            results = await _change(run, name, jobs, known)
    except ConfigError as exc:
        run.failure = run.failure or exc
        run.runner.cancel()
        results = []
    except asyncio.CancelledError:
        results = [_not_sent(run, job, "interrupted before sending") for job in jobs]
    count = len(explicit)
    return group._replace(explicit=results[:count], selected=results[count:])


async def _select(run: _Execution, name: str, jobs: list[Job], known: dict[str, Prior]) -> _Group:
    """Append this profile's selected campaigns to `jobs`; `known` gets every listed state."""
    plan = run.plan
    assert plan.selector is not None  # noqa: S101 - caller checks
    sender = plan.selector.sender
    adapter = plan.adapters[name]
    # With --sender every state is listed, to tell "nothing running" from a likely typo.
    campaigns, error = await list_one(
        adapter, name, run.redactor, running_only=sender is None, senders=sender is not None
    )
    seen = {job.target for job in jobs}
    matched = added = 0
    for campaign in campaigns:
        known[campaign.campaign_id] = Prior(campaign.status, campaign.vendor_status)
        if not _wanted(campaign, sender):
            continue
        matched += 1
        target = Target(name, campaign.campaign_id)
        if target not in seen:
            seen.add(target)
            jobs.append(Job(target, plan.profiles[name], adapter, run.position()))
            added += 1
    run.events.planned(added)
    sender_seen = sender is not None and any(sends_from(c, sender) for c in campaigns)
    checked = len(campaigns) if sender is not None else 0
    return _Group(name, [], [], checked, sender_seen, matched, error)


def _wanted(campaign: Campaign, sender: str | None) -> bool:
    if campaign.status != RUNNING:
        return False
    return sender is None or sends_from(campaign, sender)


async def _change(
    run: _Execution, name: str, jobs: list[Job], known: dict[str, Prior]
) -> list[Result]:
    """Pause or resume one profile's jobs: prior state, decisions, journal, act, verify."""
    plan = run.plan
    if not jobs:
        return []
    adapter = plan.adapters[name]
    undo_of = plan.run.undo_of if plan.run is not None else None
    if plan.undo is not None and plan.undo.run is not None:
        undo_of = plan.undo.run.run_id
    priors: dict[str, Prior] = {}
    if needs_read(adapter.meta, undo=plan.undo is not None):
        priors = await read_priors(adapter, [j.target.campaign_id for j in jobs], known)
    else:
        priors = {cid: known[cid] for cid in (j.target.campaign_id for j in jobs) if cid in known}
    settled: dict[int, Verdict] = {}
    to_send: list[Job] = []
    for job in jobs:
        prior = priors.get(job.target.campaign_id, NOT_READ)
        verdict = decide(
            plan.action, prior, undo_of=undo_of, override=plan.override_vendor_pause,
            safety=adapter.meta.safety_reason(prior.vendor_status),
        )  # fmt: skip
        if verdict is None:
            to_send.append(job)
        else:
            settled[job.position] = verdict
    if plan.dry_run:
        drafted = dry_run(plan.action, to_send, run.redactor, priors)
        done = {job.position: r for job, r in zip(to_send, drafted, strict=True)}
        for job in jobs:
            if job.position in settled:
                done[job.position] = make_result(job, settled[job.position], 0.0, run.redactor)
        return [done[job.position] for job in jobs]
    run.begin(jobs, priors)
    results: dict[int, Result] = {}
    for job in jobs:
        if job.position in settled:
            result = make_result(job, settled[job.position], 0.0, run.redactor)
            run.record(job, result)
            results[job.position] = result
    acted = await act(plan.action, to_send, run.runner, run.redactor, run.record, priors)
    if plan.verify and not run.runner.cancelled:
        acted = await verify(plan.action, to_send, run.runner, run.redactor, acted)
        for job, result in zip(to_send, acted, strict=True):
            if "verified" in result.details:
                run.verified(job, result)
    results.update((job.position, r) for job, r in zip(to_send, acted, strict=True))
    return [results[job.position] for job in jobs]


def _not_sent(run: _Execution, job: Job, message: str) -> Result:
    result = make_result(job, Verdict(Outcome.SKIPPED, message), 0.0, run.redactor)
    run.record(job, result)
    return result


def _crashed(run: _Execution, jobs: list[Job], exc: BaseException) -> _Group:
    failure = Verdict.failure(
        ErrorKind.BAD_RESPONSE,
        f"campctl could not handle this profile ({type(exc).__name__}); the outcome is unknown",
    )
    results = [make_result(job, failure, 0.0, run.redactor) for job in jobs]
    return _Group(jobs[0].profile.name if jobs else "", results, [], 0, False, 0, None)


def _selection(plan: Plan, parts: list[_Group]) -> Selection | None:
    selector = plan.selector
    if selector is None:
        return None
    errors = [part.error for part in parts if part.error is not None]
    checked = sum(part.campaigns_checked for part in parts)
    if selector.sender is not None and checked and not any(p.sender_seen for p in parts):
        listed = [part.name for part in parts if part.campaigns_checked]
        errors.append(
            ListError(
                None,
                ErrorKind.NOT_FOUND,
                None,
                f"no campaign of {', '.join(listed)} sends from {selector.sender} "
                f"({checked} campaigns checked)",
            )
        )
    return Selection(selector.profiles, selector.left_out, errors, sum(p.matched for p in parts))
