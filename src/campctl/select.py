"""Selection is planning: `--all-running` / `--sender` become ordinary targets before acting.

Only read-only list requests are sent here (also under `--dry-run`), through each profile's
transport, so the vendor limits, `--timeout` and retries apply to every page.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from campctl.act import Runner
from campctl.errors import UsageError
from campctl.plan import Job, Plan
from campctl.providers.base import Campaign, CampaignList
from campctl.redact import Redactor
from campctl.results import ErrorKind
from campctl.targets import Target


class ListError(NamedTuple):
    provider: str
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


def sends_from(campaign: Campaign, sender: str) -> bool:
    """An address matches exactly; a domain matches the part after '@' exactly (any case)."""
    wanted = sender.lower()
    if "@" in wanted:
        return wanted in campaign.senders
    return any(address.rpartition("@")[2] == wanted for address in campaign.senders)


async def list_campaigns(
    plan: Plan, profiles: tuple[str, ...], runner: Runner, redactor: Redactor, *,
    running_only: bool,
) -> Listing:  # fmt: skip
    lists = await runner.gather(
        [plan.adapters[name].campaigns(running_only=running_only) for name in profiles]
    )
    found: list[tuple[str, Campaign]] = []
    errors: list[ListError] = []
    for name, listed in zip(profiles, lists, strict=True):
        if isinstance(listed, CampaignList) and listed.failure is None:
            campaigns, refused = _without_key_ids(name, listed.campaigns, redactor)
            found += [(name, _clean(c, redactor)) for c in campaigns]
            errors += refused
            continue
        errors.append(_list_error(name, listed, redactor))
    return Listing(found, errors)


async def expand(plan: Plan, runner: Runner, redactor: Redactor) -> tuple[Plan, Selection]:
    """The plan with every selected campaign appended to its jobs (duplicates once)."""
    selector = plan.selector
    assert selector is not None  # noqa: S101 - caller checks
    listing = await list_campaigns(plan, selector.profiles, runner, redactor, running_only=True)
    jobs = list(plan.jobs)
    seen = {job.target for job in jobs}
    matched = 0
    for name, campaign in listing.campaigns:
        if selector.sender is not None and not sends_from(campaign, selector.sender):
            continue
        matched += 1
        target = Target(name, campaign.campaign_id)
        if target in seen:
            continue
        seen.add(target)
        adapter = plan.adapters[name]
        try:
            adapter.check_id(campaign.campaign_id)
        except UsageError:  # a listed ID campctl would refuse: report it, never send it
            listing.errors.append(
                ListError(name, ErrorKind.BAD_RESPONSE, None,
                          f"listed a campaign ID that is not a valid {adapter.meta.title} ID")
            )  # fmt: skip
            continue
        jobs.append(Job(target, plan.profiles[name], adapter))
    selection = Selection(selector.profiles, selector.left_out, listing.errors, matched)
    return plan._replace(jobs=tuple(jobs)), selection


def _without_key_ids(
    name: str, campaigns: list[Campaign], redactor: Redactor
) -> tuple[list[Campaign], list[ListError]]:
    """Listed IDs are vendor text, and a masked ID would name no campaign: one that holds a
    key (or 8 characters of one, any case) is dropped before anything can act on, print or
    journal it, and the profile gets one error that does not quote it."""
    kept = [c for c in campaigns if not redactor.reveals(c.campaign_id)]
    if len(kept) == len(campaigns):
        return campaigns, []
    message = "the vendor listed a campaign ID that contains the API key"
    return kept, [ListError(name, ErrorKind.BAD_RESPONSE, None, message)]


def _clean(campaign: Campaign, redactor: Redactor) -> Campaign:
    def text(value: str | None) -> str | None:
        cleaned = redactor.scrub(value) if value is not None else None
        return cleaned if isinstance(cleaned, str) or cleaned is None else str(cleaned)

    return campaign._replace(
        name=text(campaign.name),
        status=text(campaign.status),
        vendor_status=text(campaign.vendor_status),
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
