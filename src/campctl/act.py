"""Acting: run a `Plan`'s jobs under the vendor limits and signals, one result per target.

Whatever happens to one target — a pathological body, an internal error, a signal — becomes
that target's result; every other target is still acted on and reported. Each result is
redacted and bounded here, once, before the audit log or any renderer sees it.
`--verify` is a second pass of status reads over the `done` results.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from campctl.errors import ExitCode
from campctl.plan import Job
from campctl.prior import Prior
from campctl.providers.base import Action, in_intended_state, intended_state, unverifiable
from campctl.redact import Redactor
from campctl.results import ErrorInfo, ErrorKind, Outcome, Result, Verdict

# A sending request that failed this way may still have reached the vendor.
_MAYBE_LANDED = frozenset({ErrorKind.TIMEOUT, ErrorKind.NETWORK})

_T = TypeVar("_T")


class Runner:
    """Runs coroutines as tasks that one signal cancels together (see campctl.signals)."""

    def __init__(self) -> None:
        self.cancelled = False
        self.exit_code: int | None = None  # what stopped the run says the exit code is
        self._tasks: set[asyncio.Task[Any]] = set()

    def cancel(self, exit_code: int | None = None) -> None:
        self.cancelled = True
        self.exit_code = self.exit_code or exit_code
        for task in self._tasks:
            task.cancel()

    async def gather(self, coros: list[Coroutine[Any, Any, _T]]) -> list[_T | BaseException]:
        tasks = [asyncio.create_task(coro) for coro in coros]
        self._tasks.update(tasks)
        if self.cancelled:
            for task in tasks:
                task.cancel()
        try:
            return list(await asyncio.gather(*tasks, return_exceptions=True))
        except asyncio.CancelledError:
            # The caller was cancelled with its tasks: each settles into its own result
            # (skipped, outcome unknown, ...), which the caller still reports.
            self.cancelled = True
            self.exit_code = self.exit_code or ExitCode.INTERRUPTED
            return list(await asyncio.gather(*tasks, return_exceptions=True))
        finally:
            self._tasks.difference_update(tasks)


async def act(
    action: Action,
    jobs: list[Job],
    runner: Runner,
    redactor: Redactor,
    on_result: Callable[[Job, Result], None],
    priors: dict[str, Prior],
) -> list[Result]:
    """Every job at once under the limits; `on_result(job, result)` as each finishes."""

    async def one(job: Job) -> Result:
        started = time.monotonic()
        try:
            verdict = await job.adapter.verb(action)(job.target.campaign_id)
        except asyncio.CancelledError:
            verdict = _interrupted(job)
        except Exception as exc:  # one target's surprise must not sink the batch
            verdict = _internal(exc)
        if action is not Action.STATUS:
            verdict = _knowing(action, verdict, priors.get(job.target.campaign_id))
        result = make_result(job, verdict, started, redactor)
        on_result(job, result)
        return result

    outcomes = await runner.gather([one(job) for job in jobs])
    return [_settled(job, outcome, redactor) for job, outcome in zip(jobs, outcomes, strict=True)]


def _knowing(action: Action, verdict: Verdict, prior: Prior | None) -> Verdict:
    """What the prior state adds to an answer: `details.prior_status`, and whether a retry
    that met "already in that state" found this run's own earlier attempt (`done`) or cannot
    know (`outcome_unknown`, which an undo names and leaves alone)."""
    status = prior.status if prior is not None else None
    if status is not None:
        verdict.details = {**verdict.details, "prior_status": status}
    if verdict.outcome is Outcome.NOOP and verdict.attempts > 1:
        if status is not None:  # it was read in the source state: this run changed it
            verdict.outcome = Outcome.DONE
            verdict.status = intended_state(action)
        else:
            verdict.details = {**verdict.details, "outcome_unknown": True}
    elif verdict.error is not None and verdict.error.kind in _MAYBE_LANDED:
        verdict.details = {**verdict.details, "outcome_unknown": True}
    return verdict


LAGGING_READ_WAIT = 1.0  # seconds before a lagging vendor's disagreeing read is read again


async def verify(
    action: Action, jobs: list[Job], runner: Runner, redactor: Redactor, results: list[Result]
) -> list[Result]:
    """Read each `done` campaign's status back: the intended state, or `failed` conflict."""

    async def check(job: Job, result: Result) -> Result:
        if result.outcome is not Outcome.DONE:
            return result
        note = unverifiable(job.adapter.meta, result.status)
        if note is not None:
            return _verified(result, None, note)
        try:
            read = await job.adapter.status(job.target.campaign_id)
            if job.adapter.meta.reads_lag and in_intended_state(action, read) is False:
                await asyncio.sleep(LAGGING_READ_WAIT)  # the vendor's reads trail its writes
                read = await job.adapter.status(job.target.campaign_id)
        except asyncio.CancelledError:
            return _verified(result, None, "interrupted before verification")
        except Exception as exc:
            read = _internal(exc)
        clean = make_result(job, read, 0.0, redactor)
        verdict = in_intended_state(action, read)
        if verdict is None:
            why = clean.error.kind.value if clean.error else f"status {clean.status}"
            return _verified(result, None, f"could not read the state back ({why})")
        if verdict:
            return _verified(result, True, None)
        state = clean.status or "an unknown state"
        return _unverified(result, f"vendor still reports {state} after {action.value}", clean)

    checked = await runner.gather([check(j, r) for j, r in zip(jobs, results, strict=True)])
    return [c if isinstance(c, Result) else r for c, r in zip(checked, results, strict=True)]


def dry_run(
    action: Action, jobs: list[Job], redactor: Redactor, priors: dict[str, Prior]
) -> list[Result]:
    results = []
    for job in jobs:
        spec = job.adapter.request_for(action, job.target.campaign_id)
        if spec is None:
            verdict = job.adapter.unsupported(action)
        else:
            request = job.adapter.transport.describe(spec)
            verdict = Verdict(Outcome.SKIPPED, "dry run: not sent", details={"request": request})
            prior = priors.get(job.target.campaign_id)
            if prior is not None and prior.status is not None:
                verdict.details["prior_status"] = prior.status
        results.append(make_result(job, verdict, 0.0, redactor))
    return results


def make_result(job: Job, verdict: Verdict, started: float, redactor: Redactor) -> Result:
    """The one place vendor text is redacted and bounded, before audit and output."""
    duration = (time.monotonic() - started) * 1000 if started else 0.0
    error = verdict.error
    if error is not None:
        error = ErrorInfo.model_construct(
            kind=error.kind,
            http_status=error.http_status,
            vendor_code=_text(redactor, error.vendor_code),
            message=_text(redactor, error.message) or "",
            retryable=error.retryable,
        )
    details = redactor.scrub(verdict.details)
    return Result.model_construct(
        target=job.target.label,
        provider=job.profile.name,
        vendor=job.profile.vendor,
        campaign_id=job.target.campaign_id,
        outcome=verdict.outcome,
        status=_text(redactor, verdict.status),
        at=_text(redactor, verdict.at),
        message=_text(redactor, verdict.message) or "",
        http_status=verdict.http_status,
        attempts=verdict.attempts,
        duration_ms=round(duration),
        details=details if isinstance(details, dict) else {},
        error=error,
    )


def _text(redactor: Redactor, value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = redactor.scrub(value)
    return cleaned if isinstance(cleaned, str) else str(cleaned)


def _settled(job: Job, outcome: Result | BaseException, redactor: Redactor) -> Result:
    """`one` never raises; should it anyway, the target still gets a result."""
    if isinstance(outcome, Result):
        return outcome
    return make_result(job, _internal(outcome), 0.0, redactor)


def _interrupted(job: Job) -> Verdict:
    if job.adapter.label(job.target.campaign_id) in job.adapter.transport.sent:
        verdict = Verdict.failure(
            ErrorKind.NETWORK, "interrupted after the request was sent: outcome unknown",
            details={"outcome_unknown": True},
        )  # fmt: skip
        verdict.attempts = 1
        return verdict
    return Verdict(Outcome.SKIPPED, "interrupted before sending")


def _internal(exc: BaseException) -> Verdict:
    return Verdict.failure(
        ErrorKind.BAD_RESPONSE,
        f"campctl could not handle this target's answer ({type(exc).__name__}); "
        "the outcome is unknown",
    )


def _verified(result: Result, verified: bool | None, note: str | None) -> Result:
    details = {**result.details, "verified": verified}
    if note:
        details["verify_note"] = note
    return result.model_copy(update={"details": details})


def _unverified(result: Result, message: str, read: Result) -> Result:
    error = ErrorInfo.model_construct(
        kind=ErrorKind.CONFLICT, http_status=None, vendor_code=None, message=message,
        retryable=False,
    )  # fmt: skip
    return result.model_copy(
        update={
            "outcome": Outcome.FAILED,
            "status": read.status,
            "message": message,
            "error": error,
            "details": {**result.details, **read.details, "verified": False},
        }
    )
