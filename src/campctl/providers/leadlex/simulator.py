"""Leadlex: pause only an active campaign (409 otherwise); start may need Lexi approval."""

from __future__ import annotations

import uuid

from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    json_reply,
    route,
)

APPROVAL_ABOVE = 100
"""Campaigns with more recipients than this need approval to start (the documented default)."""


class Leadlex(Vendor):
    name = "leadlex"
    routes = (
        route("POST", "/v1/campaigns/{id}/pause", "pause"),
        route("POST", "/v1/campaigns/{id}/start", "start"),
        route("GET", "/v1/campaigns/{id}", "get"),
    )
    auth_header = "authorization"
    code_style = "snake"
    running = "active"
    auth_error = ("invalid_key", "Invalid or expired API key")
    not_found_error = ("campaign_not_found", "No campaign with this ID")

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("cmp_abc123", "Q2 outbound", "active", size=50, started_at=SEED_TIME),
            Campaign("cmp_paused", "Webinar follow-up", "paused", size=40, paused_at=SEED_TIME),
            Campaign("cmp_big", "Enterprise launch", "paused", size=250, paused_at=SEED_TIME),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return f"cmp_bench_{i:04d}"

    def error(self, status: int, code: str, message: str) -> Reply:
        # Undocumented shape; the most common of the three PRODUCT.md says to accept.
        return json_reply(status, {"error": {"code": code, "message": message}})

    def not_found(self, action: str) -> Reply:
        if action == "start":  # the docs give start its own code
            return self.error(404, "not_found", "Campaign not found")
        return super().not_found(action)

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause":
                if c.status != "active":
                    return self.error(
                        409, "campaign_not_active", "Campaign is not in active status"
                    )
                c.paused_at = c.move("paused")
                campaign_body = {"id": c.id, "status": "paused", "paused_at": c.paused_at}
                return json_reply(200, {"data": {"campaign": campaign_body}})
            case "start":
                if c.status == "active":
                    return self.error(400, "validation_error", "Campaign is already running")
                if c.size == 0:
                    return self.error(400, "validation_error", "Campaign is empty")
                if c.status != "pending_approval":
                    if c.size > APPROVAL_ABOVE:
                        # Random, so simulators sharing a state file never hand out one twice.
                        c.task_id = str(uuid.uuid4())
                        c.move("pending_approval")
                    else:
                        c.started_at = c.move("active")
                data = {"campaign_id": c.id, "status": c.status, "task_id": c.task_id}
                return json_reply(200, {"data": data})
            case _:
                return json_reply(200, {"data": {"campaign": _describe(c)}})


def _describe(c: Campaign) -> dict[str, object]:
    return {
        "id": c.id,
        "name": c.name,
        "description": f"{c.name} (sandbox)",
        "status": c.status,
        "daily_send_limit": 200,
        "delay_between_emails": 90,
        "sending_timezone": "Europe/Berlin",
        "send_on_weekends": False,
        "track_opens": True,
        "track_clicks": True,
    }
