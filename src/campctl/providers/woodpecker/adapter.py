"""Woodpecker: `x-api-key` (+ `x-company-id` for agency keys); pause/run answer 200 with no
body (the docs define it as PAUSED / RUNNING); the API processes one request at a time per
key and drops what queues beyond 6.

Campaign list: legacy `GET /v1/campaign_list` (`?status=RUNNING` filters server-side), one
bare JSON array, no pages; senders are `from_email` and `from_emails[]`."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from campctl.providers.base import (
    PAUSED,
    RUNNING,
    Action,
    Adapter,
    Auth,
    BadBody,
    Cursor,
    ListPage,
    Reply,
    RequestSpec,
    VendorLimit,
    VendorMeta,
    dig,
    echoed,
    json_body,
    objects,
    same_campaign,
    text,
)
from campctl.results import Verdict


class WoodpeckerOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    company_id: str | None = Field(
        None, description="agency keys: act for a client company", examples=["4567"]
    )


class WoodpeckerAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="woodpecker",
        title="Woodpecker",
        default_base_url="https://api.woodpecker.co/rest",
        auth=Auth.header("x-api-key"),
        id_pattern=r"[1-9][0-9]{0,18}",
        id_format="a positive integer, e.g. 12345",
        rate_limit="1 request at a time per key, at most 6 queued",
        docs_url="https://developers.woodpecker.co/docs/campaigns/POST-pause-campaign",
        limit=VendorLimit(max_in_flight=1),
        can_list=True,
        exposes_senders=True,
        server_running_filter=True,
    )
    Options: ClassVar[type[BaseModel]] = WoodpeckerOptions

    @classmethod
    def profile_headers(cls, options: BaseModel) -> dict[str, str]:
        headers = super().profile_headers(options)
        company_id = getattr(options, "company_id", None)
        if company_id:
            headers["x-company-id"] = company_id
        return headers

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/v2/campaigns/{}", campaign_id))
        verb = "pause" if action is Action.PAUSE else "run"
        return RequestSpec("POST", self.path("/v2/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        if action is Action.STATUS:
            raw = text(json_body(reply), "status")
            return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)
        # The documented success is an empty 200 whose meaning is the new state.
        if action is Action.PAUSE:
            return self.done("campaign paused", PAUSED)
        return self.done("campaign running", RUNNING)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """The campaign read answers the campaign object, `id` an integer; pause and run
        answer an empty 200."""
        if action is Action.STATUS:
            same_campaign(campaign_id, echoed(json_body(reply), "id"))

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        query = "?status=RUNNING" if running_only else ""
        return RequestSpec("GET", "/v1/campaign_list" + query)

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        body: Any = json_body(reply)
        if not isinstance(body, list):
            raise BadBody("campaign list is not a JSON array")
        campaigns = [
            self.campaign(dig(item, "id"), item.get("name"), dig(item, "status"), _senders(item))
            for item in objects(body, "campaign list")
        ]
        return ListPage(campaigns, None)  # one array, no pages


def _senders(item: dict[str, Any]) -> tuple[str, ...]:
    """`from_email` and `from_emails[]`, lower-cased, each once, in order."""
    single = item.get("from_email")
    several = item.get("from_emails")
    if single is not None and not isinstance(single, str):
        raise BadBody("field 'from_email' is not a string")
    if several is None:
        several = []
    if not isinstance(several, list) or not all(isinstance(s, str) for s in several):
        raise BadBody("field 'from_emails' is not a list of strings")
    found: dict[str, None] = {}
    for raw in [single or "", *several]:
        address = raw.strip().lower()
        if address:
            found.setdefault(address)
    return tuple(found)
