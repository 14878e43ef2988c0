"""Woodpecker: `x-api-key` (+ `x-company-id` for agency keys); pause/run answer 200 with no
body; the API processes one request at a time per key and drops what queues beyond 6."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from campctl.providers.base import (
    Action,
    Adapter,
    Reply,
    RequestSpec,
    VendorLimit,
    VendorMeta,
    json_body,
    text,
)
from campctl.results import Verdict


class WoodpeckerOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    company_id: str | None = None


class WoodpeckerAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="woodpecker",
        title="Woodpecker",
        default_base_url="https://api.woodpecker.co/rest",
        auth_header="x-api-key",
        auth_scheme=None,
        id_pattern=r"[1-9][0-9]{0,18}",
        id_format="a positive integer, e.g. 12345",
        rate_limit="1 request at a time per key, at most 6 queued",
        docs_url="https://developers.woodpecker.co/docs/campaigns/POST-pause-campaign",
        limit=VendorLimit(max_in_flight=1),
    )
    Options: ClassVar[type[BaseModel]] = WoodpeckerOptions

    @classmethod
    def auth_headers(cls, options: BaseModel, api_key: str) -> dict[str, str]:
        headers = super().auth_headers(options, api_key)
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
            status = text(json_body(reply), "status").lower()
            return self.done(f"campaign is {status}", status)
        # The documented success is an empty 200 whose meaning is the new state.
        if action is Action.PAUSE:
            return self.done("campaign paused", "paused")
        return self.done("campaign running", "running")
