"""Alta: Bearer auth (+ `x-account-id` for multi-account users); 100 requests/min per
account; prospects are paused/resumed too only when asked."""

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


class AltaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    prospects: bool = False
    account_id: str | None = None


class AltaAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="alta",
        title="Alta",
        default_base_url="https://api.altahq.com/v1",
        auth_header="Authorization",
        auth_scheme="Bearer",
        id_pattern=r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        id_format="a UUID, e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7",
        rate_limit="100 requests/min per account",
        docs_url="https://docs.altahq.com/api-reference/campaigns/pause",
        limit=VendorLimit(per_minute=100),
    )
    Options: ClassVar[type[BaseModel]] = AltaOptions

    @classmethod
    def auth_headers(cls, options: BaseModel, api_key: str) -> dict[str, str]:
        headers = super().auth_headers(options, api_key)
        account_id = getattr(options, "account_id", None)
        if account_id:
            headers["x-account-id"] = account_id
        return headers

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/campaigns/{}", campaign_id))
        verb, flag = (
            ("pause", "pauseProspects")
            if action is Action.PAUSE
            else (
                "resume",
                "resumeProspects",
            )
        )
        body = {flag: True} if getattr(self.options, "prospects", False) else None
        return RequestSpec("POST", self.path("/campaigns/{}/" + verb, campaign_id), json=body)

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        if action is Action.STATUS:
            status = text(json_body(reply), "status").lower()
            return self.done(f"campaign is {status}", status)
        # Success bodies are undocumented: the 200 itself is the answer.
        if action is Action.PAUSE:
            return self.done("campaign paused", "paused")
        return self.done("campaign resumed", "active")
