"""Prior state: what each campaign was in *before* this run acts, learned once per target.

The journal's promise ("`done` means this run changed it", so `--undo` restores exactly
that) rests on this fact. Where the vendor's answer to the action itself tells (adapter
metadata `answer_tells`), no read is needed. Otherwise the state comes from the list a
selector already read, else from the vendor's campaign list when one pass costs fewer
requests than a status read per target, else from a status read per target. Lists read for
this are unfiltered, so a campaign missing from a complete list is `not_found`.

`decide` then applies PRODUCT.md's rules: what to send, and what is settled without sending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import NamedTuple

from campctl.providers.base import (
    PAUSED,
    RUNNING,
    STATUS_VOCABULARY,
    VENDOR_PAUSED,
    Action,
    Adapter,
    VendorMeta,
    VendorStatus,
)
from campctl.results import ErrorInfo, ErrorKind, Outcome, Verdict

# A pause is sent only where the campaign may be sending; "when in doubt, stop it".
_MAY_SEND = frozenset({RUNNING, "scheduled", "edited"})


class Prior(NamedTuple):
    """A campaign's state before acting; `failure` when it could not be read."""

    status: str | None
    vendor_status: VendorStatus | None = None
    failure: Verdict | None = None


NOT_READ = Prior(None)


def needs_read(meta: VendorMeta, *, undo: bool) -> bool:
    """Whether this vendor's targets are read before acting. An undo reads wherever it can,
    since it acts only on what is still as the undone run left it."""
    if not (meta.can_status or meta.can_list):
        return False
    return undo or not meta.answer_tells


async def read_priors(
    adapter: Adapter, campaign_ids: Iterable[str], known: dict[str, Prior]
) -> dict[str, Prior]:
    """The prior state of every ID: `known` ones as given, then one list pass when that is
    cheaper, then a status read each for the rest."""
    priors = {cid: known[cid] for cid in campaign_ids if cid in known}
    wanted = [cid for cid in dict.fromkeys(campaign_ids) if cid not in priors]
    if len(wanted) > 1 and adapter.meta.can_list:
        try:
            found, complete = await adapter.find(set(wanted))
        except Exception:  # a surprise in the list: read each campaign instead
            found, complete = {}, False
        for cid in wanted:
            campaign = found.get(cid)
            if campaign is not None:
                priors[cid] = Prior(campaign.status, campaign.vendor_status)
            elif complete:
                priors[cid] = Prior(None, None, _missing(adapter))
        wanted = [cid for cid in wanted if cid not in priors]
    if not wanted:
        return priors
    if not adapter.meta.can_status:
        priors.update(dict.fromkeys(wanted, NOT_READ))
        return priors
    reads = await asyncio.gather(*(adapter.status(cid) for cid in wanted), return_exceptions=True)
    for cid, read in zip(wanted, reads, strict=True):
        if isinstance(read, asyncio.CancelledError):
            raise read
        priors[cid] = _from_read(read)
    return priors


def _from_read(read: Verdict | BaseException) -> Prior:
    if isinstance(read, BaseException):  # one target's surprise must not sink the others
        return Prior(None, None, Verdict.failure(
            ErrorKind.BAD_RESPONSE,
            f"campctl could not handle the status answer ({type(read).__name__})",
        ))  # fmt: skip
    if read.outcome is not Outcome.DONE:
        return Prior(None, None, read)
    vendor_status = read.details.get("vendor_status")
    kept = isinstance(vendor_status, str | int) and not isinstance(vendor_status, bool)
    return Prior(read.status, vendor_status if kept else None)


def _missing(adapter: Adapter) -> Verdict:
    return Verdict.failure(
        ErrorKind.NOT_FOUND,
        f"campaign not found: not in the {adapter.meta.title} campaign list",
    )


def decide(
    action: Action,
    prior: Prior,
    *,
    undo_of: str | None = None,
    override: bool = False,
    safety: str = "paused by the vendor for safety",
) -> Verdict | None:
    """None to send the action; else the verdict that settles the target without sending.
    `safety` is the vendor's reason for a `vendor_paused` campaign (`VendorMeta.safety_reason`)."""
    if prior.failure is not None:
        return _unreadable(prior.failure)
    status = prior.status
    if status is None:
        return None
    if action is Action.PAUSE:
        if undo_of is not None:
            return _undo_rule(status, RUNNING, PAUSED, undo_of)
        if status in _MAY_SEND or status not in STATUS_VOCABULARY | {VENDOR_PAUSED}:
            return None
        what = "already paused" if status == PAUSED else f"not sending ({status})"
        return _settled(Outcome.NOOP, f"{what}: nothing sent", status)
    if undo_of is not None:
        return _undo_rule(status, PAUSED, RUNNING, undo_of)
    if status == PAUSED or (status == VENDOR_PAUSED and override):
        return None
    if status == RUNNING:
        return _settled(Outcome.NOOP, "already running: nothing sent", status)
    if status == VENDOR_PAUSED:
        return _conflict(f"{safety}; resume it anyway with --override-vendor-pause", status)
    return _conflict(f"not paused: now {status}", status)


def _undo_rule(status: str, left: str, goal: str, undo_of: str) -> Verdict | None:
    """An undo acts only on what is still as the undone run left it."""
    if status == left:
        return None
    if status == goal:
        return _settled(Outcome.NOOP, f"already {status}: nothing sent", status)
    return _settled(Outcome.NOOP, f"changed since run {undo_of}: now {status} — left alone", status)


def _settled(outcome: Outcome, message: str, status: str) -> Verdict:
    return Verdict(outcome, message, status=status, details={"prior_status": status})


def _conflict(message: str, status: str) -> Verdict:
    verdict = Verdict.failure(ErrorKind.CONFLICT, message, details={"prior_status": status})
    verdict.status = status
    return verdict


def _unreadable(read: Verdict) -> Verdict:
    """The read's own failure, said as the reason nothing was sent."""
    error = read.error
    kind = error.kind if error is not None else ErrorKind.BAD_RESPONSE
    message = f"could not read the campaign's state before acting, nothing sent: {read.message}"
    verdict = Verdict.failure(
        kind, message, http_status=read.http_status,
        vendor_code=error.vendor_code if error else None,
    )  # fmt: skip
    verdict.attempts = read.attempts
    if error is not None:
        verdict.error = ErrorInfo.model_construct(
            kind=kind, http_status=error.http_status, vendor_code=error.vendor_code,
            message=message, retryable=error.retryable,
        )  # fmt: skip
    return verdict
