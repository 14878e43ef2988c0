"""Leadlex: Bearer auth; pause answers 409 `campaign_not_active` when there is nothing to do;
start may need approval by Leadlex's AI reviewer (`pending_approval` with a task id).
Leadlex says `active` for running; it documents no campaign list."""

from __future__ import annotations

from typing import ClassVar

from campctl.providers.base import (
    Action,
    Adapter,
    Auth,
    Reply,
    RequestSpec,
    VendorMeta,
    dig,
    echoed,
    error_fields,
    json_body,
    optional_text,
    same_campaign,
    text,
)
from campctl.results import ErrorKind, Verdict


class LeadlexAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="leadlex",
        title="Leadlex",
        default_base_url="https://data.leadlex.com/functions/v1/api-gateway",
        auth=Auth.header("Authorization", "Bearer"),
        id_pattern=r"[A-Za-z0-9_-]{1,128}",
        id_format="letters, digits, '_' or '-' (1-128), e.g. cmp_abc123",
        rate_limit="10-200 requests/min and 100-10,000/day by plan",
        docs_url="https://docs.leadlex.com/api-reference/campaigns/pause",
        status_synonyms={"active": "running"},
        list_note="documents no campaign list",
        answer_tells=True,
    )

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/v1/campaigns/{}", campaign_id))
        verb = "pause" if action is Action.PAUSE else "start"
        return RequestSpec("POST", self.path("/v1/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self._error(action, reply)
        body = json_body(reply)
        if action is Action.PAUSE:
            campaign = dig(body, "data", "campaign")
            return self.done(
                "campaign paused",
                at=optional_text(campaign, "paused_at"),
                vendor_status=text(campaign, "status"),
            )
        if action is Action.STATUS:
            raw = text(body, "data", "campaign", "status")
            return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)
        raw = text(body, "data", "status")
        if self.state(raw) == "pending_approval":
            task_id = optional_text(body, "data", "task_id")
            task = f"Lexi task {task_id}" if task_id else "Leadlex's reviewer"
            return self.done(
                f"start requested: approval needed, {task} must approve before the campaign sends",
                details={"task_id": task_id},
                vendor_status=raw,
            )
        return self.done("campaign started", vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Pause and status answer `data.campaign.id`; start answers `data.campaign_id`."""
        data = echoed(json_body(reply), "data")
        found = (
            echoed(data, "campaign_id")
            if action is Action.RESUME
            else echoed(data, "campaign", "id")
        )
        same_campaign(campaign_id, found)

    def _error(self, action: Action, reply: Reply) -> Verdict:
        code, _ = error_fields(reply)
        if action is Action.PAUSE and reply.status == 409:
            if code in (None, "campaign_not_active"):
                return self.noop("campaign is not active: nothing to pause")
            return self.error(reply, ErrorKind.CONFLICT)
        if action is Action.RESUME and reply.status == 400 and code == "validation_error":
            return self.error(
                reply, note=": Leadlex says this when the campaign is empty or already running"
            )
        return self.error(reply)
