"""Leadterra: pause and start are no-ops in the target state (200 with the current state).

A pause that lands sets `pausedAt` to now; a pause of a campaign already paused answers exactly
the same way but with the original, older `pausedAt` (start and `startedAt` alike) — the only
sign that nothing changed. Seeded paused and running campaigns carry 2026-04-01T09:00:00Z.
"""

from __future__ import annotations

from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    json_reply,
    route,
)


class Leadterra(Vendor):
    name = "leadterra"
    routes = (
        route("POST", "/v1/campaigns/{id}/pause", "pause"),
        route("POST", "/v1/campaigns/{id}/start", "start"),
        route("GET", "/v1/campaigns/{id}/stats", "stats"),
    )
    auth_header = "authorization"
    code_style = "snake"
    running = "running"
    auth_error = (
        "authentication_failed",
        "The Authorization header is missing, malformed, or the key is invalid",
    )
    not_found_error = (
        "campaign_not_found",
        "No campaign with the given id exists in your workspace",
    )

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("camp_123", "Spring sequence", "running", size=40, started_at=SEED_TIME),
            Campaign("camp_draft", "Unlaunched draft", "draft", size=10),
            Campaign("camp_empty", "No leads yet", "paused", size=0, paused_at=SEED_TIME),
            Campaign("camp_paused", "Paused by ops", "paused", size=30, paused_at=SEED_TIME),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return f"camp_bench_{i:04d}"

    def error(self, status: int, code: str, message: str) -> Reply:
        # Undocumented shape; one of the three PRODUCT.md says to accept.
        return json_reply(status, {"code": code, "message": message})

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause":
                if c.status == "running":
                    c.paused_at = c.move("paused")
                return json_reply(200, _state(c))
            case "start":
                if c.status != "running":
                    if c.size == 0:
                        return self.error(
                            400,
                            "no_leads_enrolled",
                            "The campaign has no enrolled leads and cannot be started",
                        )
                    c.started_at = c.move("running")
                return json_reply(200, _state(c))
            case _:
                sent = c.size * 2
                return json_reply(
                    200,
                    {
                        "campaignId": c.id,
                        "totalEnrolled": c.size,
                        "sent": sent,
                        "delivered": sent,
                        "bounced": 0,
                        "replied": c.size // 10,
                        "queued": c.size if c.status == "paused" else 0,
                        "openRate": 0.5,
                        "replyRate": round(c.size // 10 / sent, 3) if sent else 0.0,
                    },
                )


def _state(c: Campaign) -> dict[str, object]:
    """The documented success body; a no-op answers with the same shape for the current state."""
    body: dict[str, object] = {"id": c.id, "status": c.status}
    if c.status == "paused":
        body["pausedAt"] = c.paused_at
    elif c.status == "running":
        body["startedAt"] = c.started_at
    return body
