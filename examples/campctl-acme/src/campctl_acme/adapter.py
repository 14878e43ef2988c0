"""Acme: Bearer auth; `POST /v1/campaigns/{id}/pause` and `.../resume` answer 200 with the
campaign (`{"id", "state", "changed"}`), `changed: false` when it already was in that state;
`GET /v1/campaigns/{id}` reads it. Acme says `live` for running and documents no list."""

from __future__ import annotations

from typing import ClassVar

from campctl.providers.base import (
    Action,
    Adapter,
    Auth,
    Reply,
    RequestSpec,
    VendorLimit,
    VendorMeta,
    echoed,
    json_body,
    same_campaign,
    text,
)
from campctl.results import Verdict


class AcmeAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="acme",
        title="Acme",
        default_base_url="https://api.acme.example",
        auth=Auth.header("Authorization", "Bearer"),
        id_pattern=r"acme_[0-9]{1,12}",
        id_format="'acme_' and digits, e.g. acme_1001",
        rate_limit="60 requests/min per key",
        docs_url="https://docs.acme.example/campaigns",
        limit=VendorLimit(windows=((60, 60.0),)),
        status_synonyms={"live": "running", "halted": "paused"},
        list_note="documents no campaign list",
        answer_tells=True,
    )

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/v1/campaigns/{}", campaign_id))
        verb = "pause" if action is Action.PAUSE else "resume"
        return RequestSpec("POST", self.path("/v1/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        body = json_body(reply)
        raw = text(body, "state")
        state = self.state(raw)
        if action is Action.STATUS:
            return self.done(f"campaign is {state}", vendor_status=raw)
        if echoed(body, "changed") is False:
            return self.noop(f"campaign already {state}", vendor_status=raw)
        return self.done(f"campaign {state}", vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Every answer names the campaign's `id`."""
        same_campaign(campaign_id, echoed(json_body(reply), "id"))
