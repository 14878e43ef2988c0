"""Campaign lists: `campctl list`, and the reads behind `--all-running` / `--sender`.

Only read-only list requests are sent here (also under `--dry-run`), through each profile's
transport, so the vendor limits, `--timeout` and retries apply to every page, and each
profile's list is bounded in time. Turning a list into targets happens per profile in
campctl.execute, so one slow vendor never holds up the others.
"""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

from campctl.act import Runner
from campctl.plan import Plan
from campctl.providers.base import Adapter, Campaign, CampaignList
from campctl.redact import Redactor
from campctl.results import ErrorKind, Verdict


class ListError(NamedTuple):
    provider: str | None  # None: about the selection as a whole (a --sender nothing uses)
    kind: ErrorKind
    http_status: int | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "kind": self.kind.value,
            "http_status": self.http_status,
            "message": self.message,
        }


class Listing(NamedTuple):
    """Campaigns of several profiles, and the profiles whose list failed."""

    campaigns: list[tuple[str, Campaign]]  # (profile, campaign)
    errors: list[ListError]


class Selection(NamedTuple):
    profiles: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    errors: list[ListError]
    matched: int

    def as_json(self) -> dict[str, Any]:
        return {
            "profiles": list(self.profiles),
            "left_out": [{"provider": p, "reason": r} for p, r in self.left_out],
            "errors": [e.as_json() for e in self.errors],
            "matched": self.matched,
        }


LIST_DEADLINE = 600.0  # a list that never ends fails after 10 minutes (or 1,000 pages)


def sends_from(campaign: Campaign, sender: str) -> bool:
    """An address matches exactly; a domain (`acme.io` or `@acme.io`) matches the part
    after '@' exactly (any case)."""
    wanted = sender.lower().removeprefix("@")
    if "@" in wanted:
        return wanted in campaign.senders
    return any(address.rpartition("@")[2] == wanted for address in campaign.senders)


async def list_one(
    adapter: Adapter, name: str, redactor: Redactor, *, running_only: bool, senders: bool = False
) -> tuple[list[Campaign], ListError | None]:
    """One profile's campaigns (redacted), or why its list failed; bounded in time. With
    `senders`, the running ones carry their senders even where that takes a read each."""
    listed: CampaignList | BaseException
    try:
        async with asyncio.timeout(LIST_DEADLINE):
            listed = await _listed(adapter, redactor, running_only, senders)
    except TimeoutError:
        listed = CampaignList([], Verdict.failure(
            ErrorKind.BAD_RESPONSE,
            f"{adapter.meta.title} campaign list did not end within {LIST_DEADLINE / 60:.0f} "
            "minutes",
        ))  # fmt: skip
    except Exception as exc:  # one profile's surprise must not sink the others
        listed = exc
    if isinstance(listed, CampaignList) and listed.failure is None:
        campaigns, refused = _without_key_ids(name, listed.campaigns, redactor)
        return [_clean(c, redactor) for c in campaigns], refused
    return [], _list_error(name, listed, redactor)


async def _listed(
    adapter: Adapter, redactor: Redactor, running_only: bool, senders: bool
) -> CampaignList:
    listed = await adapter.campaigns(running_only=running_only)
    if not senders or listed.failure is not None:
        return listed
    # A listed ID carrying the key is never used in a request, not even a senders read.
    kept = [c for c in listed.campaigns if not redactor.reveals(c.campaign_id)]
    read = await adapter.with_senders(kept)
    if isinstance(read, Verdict):
        return CampaignList([], read)
    by_id = {c.campaign_id: c for c in read}
    return CampaignList([by_id.get(c.campaign_id, c) for c in listed.campaigns], None)


async def list_campaigns(
    plan: Plan, profiles: tuple[str, ...], runner: Runner, redactor: Redactor, *,
    running_only: bool, senders: bool = False,
) -> Listing:  # fmt: skip
    lists = await runner.gather([
        list_one(plan.adapters[n], n, redactor, running_only=running_only, senders=senders)
        for n in profiles
    ])  # fmt: skip
    found: list[tuple[str, Campaign]] = []
    errors: list[ListError] = []
    for name, listed in zip(profiles, lists, strict=True):
        if isinstance(listed, BaseException):
            errors.append(_list_error(name, listed, redactor))
            continue
        campaigns, error = listed
        found += [(name, c) for c in campaigns]
        if error is not None:
            errors.append(error)
    return Listing(found, errors)


def _without_key_ids(
    name: str, campaigns: list[Campaign], redactor: Redactor
) -> tuple[list[Campaign], ListError | None]:
    """Listed IDs are vendor text, and a masked ID would name no campaign: one that holds a
    key (or 8 characters of one, any case) is dropped before anything can act on, print or
    journal it, and the profile gets one error that does not quote it."""
    kept = [c for c in campaigns if not redactor.reveals(c.campaign_id)]
    if len(kept) == len(campaigns):
        return campaigns, None
    message = "the vendor listed a campaign ID that contains the API key"
    return kept, ListError(name, ErrorKind.BAD_RESPONSE, None, message)


def _clean(campaign: Campaign, redactor: Redactor) -> Campaign:
    def text(value: str | None) -> str | None:
        cleaned = redactor.scrub(value) if value is not None else None
        return cleaned if isinstance(cleaned, str) or cleaned is None else str(cleaned)

    return campaign._replace(
        name=text(campaign.name),
        status=text(campaign.status),
        vendor_status=(
            campaign.vendor_status  # a vendor's number is shown as sent
            if isinstance(campaign.vendor_status, int)
            else text(campaign.vendor_status)
        ),
        senders=tuple(text(s) or "" for s in campaign.senders),
    )


def _list_error(name: str, listed: CampaignList | BaseException, redactor: Redactor) -> ListError:
    if isinstance(listed, CampaignList) and listed.failure is not None:
        failure = listed.failure
        kind = failure.error.kind if failure.error else ErrorKind.BAD_RESPONSE
        message = redactor.scrub(failure.message)
        return ListError(name, kind, failure.http_status, str(message))
    if isinstance(listed, BaseException) and type(listed).__name__ == "CancelledError":
        return ListError(name, ErrorKind.NETWORK, None, "interrupted while listing")
    return ListError(
        name, ErrorKind.BAD_RESPONSE, None,
        f"campctl could not read the campaign list ({type(listed).__name__})",
    )  # fmt: skip
