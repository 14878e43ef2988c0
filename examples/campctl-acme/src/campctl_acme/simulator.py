"""Acme's simulator: the answers the adapter documents, on campctl's loopback sandbox."""

from __future__ import annotations

from campctl.sandbox.vendors.base import (
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    json_reply,
    route,
)

_TARGET = {"pause": "halted", "resume": "live"}


class Acme(Vendor):
    name = "acme"
    routes = (
        route("POST", "/v1/campaigns/{id}/pause", "pause"),
        route("POST", "/v1/campaigns/{id}/resume", "resume"),
        route("GET", "/v1/campaigns/{id}", "read"),
    )
    auth_header = "authorization"
    code_style = "snake"
    running = "live"
    auth_error = ("unauthorized", "Missing or invalid API key")
    not_found_error = ("campaign_not_found", "No such campaign")

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("acme_1001", "Launch week", "live"),
            Campaign("acme_1002", "Halted by ops", "halted"),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return f"acme_{900000 + i}"

    def error(self, status: int, code: str, message: str) -> Reply:
        return json_reply(status, {"error": {"code": code, "message": message}})

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        changed = False
        if action in _TARGET and campaign.status != _TARGET[action]:
            campaign.move(_TARGET[action])
            changed = True
        return json_reply(200, {"id": campaign.id, "state": campaign.status, "changed": changed})
