"""Instantly (API v2): Bearer auth (+ `x-as-workspace` for an admin key acting on a
sub-workspace); 100 requests/s and 6,000/min per workspace; pause and activate answer 200
with the whole campaign, whose `status` is a number (1 Active, 4 Running Subsequences,
2 Paused, 0 Draft, 3 Completed; -2 Bounce Protect, -1 Accounts Unhealthy, -99 Account
Suspended are Instantly's own safety stops).

Campaign list: `GET /api/v2/campaigns?limit=100`, then `&starting_after=<next_starting_after>`;
senders are `email_list[]` plus the accounts of the `email_tag_list[]` tags.

Where vendor-docs/instantly.md is silent or contradicts itself, the safe reading:
- An answer to a repeated pause or activate is undocumented, so it cannot tell a repeat from
  a fresh action (`answer_tells=False`): campctl reads the prior state first.
- A pause or activate is judged by the `status` in its body, not by the 200 alone (the
  pause page's own example reads 1, Active). An answer naming another state than the goal
  gets one status read, which decides (the shared rule, `Adapter.settled`).
- A `status` number outside the documented eight is reported as its decimal text, never as
  running; a `status` that is not an integer is `bad_response`. Every other field is optional
  (live bodies omit many).
- Error bodies are `{"statusCode", "error", "message"}`, where `error` is the reason phrase
  and the 400 schema of pause/activate says 404 "Not Found": the HTTP status line classifies,
  and no vendor code is reported (a reason phrase is not one). 402 (no active paid plan) is
  `permission`; an undocumented 403 (a missing scope, or the edge refusing a client) is
  `permission` by the shared mapping.
- The list's `status` filter takes one value and running is two (1 and 4): the list is read
  unfiltered and filtered here, in one walk that cannot miss a campaign moving between two.
- Paging stops at a page without items or without `next_starting_after` (the docs: the last
  page with data may still carry a cursor; the next one is `{"items": []}`).
- A campaign sending through tags names no addresses for them; the accounts of each tag of a
  running campaign are read with `GET /api/v2/accounts?tag_ids=<tag>&limit=100` (paged the
  same way), one walk per distinct tag, since a request naming several tags cannot say which
  account belongs to which. Campaigns that are not running keep `email_list` alone, as the
  vendors that read senders per campaign do; a failed tag read fails the selection.
- The limits count per workspace, whatever the key: campctl counts per key, and per
  `workspace_id` too where a profile sets one (profiles with different keys of one workspace
  and no `workspace_id` cannot be told apart).
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from campctl.providers.base import (
    MAX_LIST_PAGES,
    RUNNING,
    VENDOR_PAUSED,
    Action,
    Adapter,
    Auth,
    BadBody,
    Campaign,
    Cursor,
    ListPage,
    Reply,
    RequestSpec,
    Transport,
    VendorLimit,
    VendorMeta,
    dig,
    echoed,
    json_body,
    objects,
    same_campaign,
)
from campctl.results import ErrorKind, Verdict

BOUNCE_PROTECT = -2
ACCOUNTS_UNHEALTHY = -1
ACCOUNT_SUSPENDED = -99
ACCOUNTS = "/api/v2/accounts?limit=100&tag_ids="


class InstantlyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    workspace_id: str | None = Field(
        None,
        description="admin keys: act on this sub-workspace (sent as x-as-workspace)",
        examples=["019cc043-aee6-7ae9-a545-d7df85a583a2"],
    )


class InstantlyAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="instantly",
        title="Instantly",
        default_base_url="https://api.instantly.ai",
        auth=Auth.header("Authorization", "Bearer"),
        id_pattern=r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        id_format="a UUID (any version), e.g. 019cc043-aee6-7ae9-a545-d7de53430e37",
        rate_limit="100 requests/s and 6,000 requests/min per workspace",
        docs_url="https://developer.instantly.ai/api-reference/campaign/stop-or-pause-a-campaign",
        limit=VendorLimit(windows=((100, 1.0), (6000, 60.0)), shared_by="workspace_id"),
        status_synonyms={
            0: "draft",
            1: RUNNING,
            2: "paused",
            3: "completed",
            4: RUNNING,  # Running Subsequences: it still sends
            BOUNCE_PROTECT: VENDOR_PAUSED,
            ACCOUNTS_UNHEALTHY: VENDOR_PAUSED,
            ACCOUNT_SUSPENDED: VENDOR_PAUSED,
        },
        numeric_status=True,
        can_list=True,
        exposes_senders=True,
        safety_pauses={
            BOUNCE_PROTECT: "Instantly's Bounce Protect paused it for a high bounce rate; "
            "resuming overrides Bounce Protect: it will not be paused again for 7 days",
            ACCOUNTS_UNHEALTHY: "Instantly paused it: Accounts Unhealthy (none of its sending "
            "accounts is healthy, connected or usable); resuming does not repair them",
            ACCOUNT_SUSPENDED: "Instantly paused it: Account Suspended; resuming does not "
            "lift the suspension",
        },
    )
    Options: ClassVar[type[BaseModel]] = InstantlyOptions

    def __init__(self, options: BaseModel, transport: Transport) -> None:
        super().__init__(options, transport)
        self.tags: dict[str, tuple[str, ...]] = {}  # campaign ID → its email_tag_list, as listed

    @classmethod
    def profile_headers(cls, options: BaseModel) -> dict[str, str]:
        headers = super().profile_headers(options)
        workspace_id = getattr(options, "workspace_id", None)
        if workspace_id:
            headers["x-as-workspace"] = workspace_id
        return headers

    # -- actions --------------------------------------------------------------------------
    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/api/v2/campaigns/{}", campaign_id))
        verb = "pause" if action is Action.PAUSE else "activate"
        return RequestSpec("POST", self.path("/api/v2/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        body = json_body(reply)
        raw = dig(body, "status")
        at = body.get("timestamp_updated")
        state = self.state(raw)
        if action is Action.STATUS:
            return self.done(f"campaign is {state}", at=at, vendor_status=raw)
        verb = "paused" if action is Action.PAUSE else "activated"
        return self.done(f"campaign {verb}", at=at, vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Every success is the campaign object; its `id` is a UUID in any letter case."""
        same_campaign(campaign_id, echoed(json_body(reply), "id"), fold_case=True)

    def error(self, reply: Reply, kind: ErrorKind | None = None, note: str = "") -> Verdict:
        """402 (no active paid plan) is `permission`, for actions, lists and account reads
        alike; Instantly's `error` field is a reason phrase, not a code: none is reported."""
        if reply.status == 402 and kind is None:
            kind, note = ErrorKind.PERMISSION, note + " (Instantly: no active paid plan)"
        verdict = super().error(reply, kind, note)
        if verdict.error is not None:
            verdict.error.vendor_code = None
        return verdict

    # -- campaign list --------------------------------------------------------------------
    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        """Unfiltered: the list's `status` filter takes one value, and running is two."""
        return RequestSpec("GET", "/api/v2/campaigns?limit=100" + _after(cursor))

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        items, following = _page(reply)
        campaigns = [self._listed(item) for item in items]
        return ListPage(campaigns, following)

    def _listed(self, item: dict[str, Any]) -> Campaign:
        campaign = self.campaign(
            dig(item, "id"), item.get("name"), dig(item, "status"), _strings(item, "email_list")
        )
        self.tags[campaign.campaign_id] = tuple(
            dict.fromkeys(t.strip() for t in _raw_strings(item, "email_tag_list") if t.strip())
        )
        return campaign

    # -- senders through tags -------------------------------------------------------------
    async def with_senders(self, campaigns: list[Campaign]) -> list[Campaign] | Verdict:
        """Running campaigns gain the accounts of their tags (one walk per distinct tag)."""
        running = [c for c in campaigns if c.status == RUNNING]
        tags = list(dict.fromkeys(t for c in running for t in self.tags.get(c.campaign_id, ())))
        walks = await asyncio.gather(*(self._tag_accounts(tag) for tag in tags))
        accounts: dict[str, tuple[str, ...]] = {}
        for tag, walk in zip(tags, walks, strict=True):
            if isinstance(walk, Verdict):
                return walk
            accounts[tag] = walk
        return [c._replace(senders=self._tagged_senders(c, accounts)) for c in campaigns]

    def _tagged_senders(
        self, campaign: Campaign, accounts: dict[str, tuple[str, ...]]
    ) -> tuple[str, ...]:
        if campaign.status != RUNNING:
            return campaign.senders
        tagged = (a for tag in self.tags.get(campaign.campaign_id, ()) for a in accounts[tag])
        return tuple(dict.fromkeys((*campaign.senders, *tagged)))

    async def _tag_accounts(self, tag: str) -> tuple[str, ...] | Verdict:
        """Every account email of `tag`, lower-cased, or why the walk failed."""
        found: dict[str, None] = {}
        cursor: str | None = None
        seen: set[str] = set()
        for page in range(1, MAX_LIST_PAGES + 1):
            spec = RequestSpec("GET", ACCOUNTS + quote(tag, safe="") + _after(cursor))
            exchange = await self.transport.send(spec, label=f"instantly accounts of tag {tag}")
            read = self._read_senders_reply(exchange)
            if isinstance(read, Verdict):
                return _about_tag(read, tag, page)
            found.update(dict.fromkeys(read))
            assert exchange.reply is not None  # noqa: S101 - a read means a reply
            following = _page(exchange.reply)[1]
            if following is None:
                return tuple(found)
            if following in seen:
                bad = f"the accounts cursor does not advance ({following[:40]!r})"
                return _about_tag(Verdict.failure(ErrorKind.BAD_RESPONSE, bad), tag, page)
            seen.add(following)
            cursor = following
        bad = f"the accounts list did not end within {MAX_LIST_PAGES} pages"
        return _about_tag(Verdict.failure(ErrorKind.BAD_RESPONSE, bad), tag, MAX_LIST_PAGES)

    def read_senders(self, reply: Reply) -> list[str]:
        """The `email` of each account on an accounts page."""
        items, _ = _page(reply)
        emails = [dig(item, "email") for item in items]
        if not all(isinstance(e, str) for e in emails):
            raise BadBody("an account's 'email' is not a string")
        return [e.strip() for e in emails if e.strip()]


def _after(cursor: Cursor | None) -> str:
    return "" if cursor is None else "&starting_after=" + quote(str(cursor), safe="")


def _page(reply: Reply) -> tuple[list[dict[str, Any]], str | None]:
    """A page's items and the next cursor; None after an empty page or without a cursor."""
    body = json_body(reply)
    items = objects(dig(body, "items"), "items")
    following = body.get("next_starting_after")
    if following is not None and (not isinstance(following, str) or not following):
        raise BadBody("field 'next_starting_after' is not a cursor")
    return items, following if items else None


def _raw_strings(item: dict[str, Any], field: str) -> list[str]:
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadBody(f"field '{field}' is not a list of strings")
    return value


def _strings(item: dict[str, Any], field: str) -> tuple[str, ...]:
    """Sender addresses: trimmed, lower-cased, each once, in order."""
    cleaned = (v.strip().lower() for v in _raw_strings(item, field))
    return tuple(dict.fromkeys(v for v in cleaned if v))


def _about_tag(verdict: Verdict, tag: str, page: int) -> Verdict:
    where = f" (accounts of tag {tag[:40]}, page {page})"
    verdict.message += where
    if verdict.error is not None:
        verdict.error.message += where
    return verdict
