"""Alta: idempotent pause/resume with an optional prospects flag; 100 requests/min per key.

`GET /campaigns` lists in cursor pages: `limit` 1-100 (default 10) on the first page, then
`?cursor=<next>` while `hasMore`. The cursor carries the first page's `limit`; sending a
different `limit` with it is a 400, as the docs say of changing filters between pages. There
is no status filter and no sender field. The seed holds 105 campaigns, so `limit=100` takes two
pages, and one active campaign sits on the second.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    fake_uuid,
    int_param,
    json_reply,
    route,
)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CURSOR = re.compile(r"o=([0-9]{1,9});l=([0-9]{1,3})")
SEED_FAMILY = 0xA17A5EED
"""Ids of the generated seed campaigns: a17a5eed-0000-4000-8000-000000000001, ..."""
SEEDED_EXTRA = 103
NAMED_SEEDS = {  # generated seed number -> (name, status); the others are completed
    1: ("Q3 outbound", "active"),
    2: ("Founders list", "active"),
    3: ("Partner intro", "draft"),
    4: ("Holiday pause", "paused"),
    SEEDED_EXTRA: ("Product launch (newest)", "active"),  # on the second page at limit=100
}


class Alta(Vendor):
    name = "alta"
    routes = (
        route("POST", "/campaigns/{id}/pause", "pause"),
        route("POST", "/campaigns/{id}/resume", "resume"),
        route("GET", "/campaigns/{id}", "get"),
        route("GET", "/campaigns", "list"),
    )
    auth_header = "authorization"
    code_style = "pascal"
    running = "active"
    auth_error = ("Unauthorized", "Invalid API token")
    not_found_error = ("NotFound", "Resource not found")
    rate_limits = ((100, 60.0),)

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("7c9e6679-7425-40de-944b-e07fc1f90ae7", "ABM tier 1", "active"),
            Campaign(
                "9b2f4c1e-5d3a-4e8b-9c7d-2a1b3c4d5e6f",
                "Paused nurture",
                "paused",
                paused_at=SEED_TIME,
            ),
            *(_generated(i) for i in range(1, SEEDED_EXTRA + 1)),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return fake_uuid(0xA17A0000, i)

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        params = request.params()
        try:
            limit = int_param(params, "limit", 10, 1, 100)
            offset = 0
            if "cursor" in params:
                offset, first_limit = _read_cursor(params["cursor"])
                if "limit" in params and limit != first_limit:
                    raise ValueError(
                        "cursor belongs to a query with another limit; filters cannot change "
                        "between pages"
                    )
                limit = first_limit
        except ValueError as exc:
            return self.error(400, "ValidationError", str(exc))
        campaigns = list(self.campaigns.values())
        size = self.page_size(limit)
        page = campaigns[offset : offset + size]
        end = offset + len(page)
        has_more = end < len(campaigns)
        return json_reply(
            200,
            {
                "data": [_describe(c) for c in page],
                "hasMore": has_more,
                "next": _cursor(end, limit) if has_more else None,
                "previous": _cursor(max(0, offset - size), limit) if offset else None,
            },
        )

    def endless_list_page(self, request: RecordedRequest) -> Reply:
        """Empty pages, each pointing one step further: a cursor that never ends."""
        params = request.params()
        offset, limit = _read_cursor(params["cursor"]) if "cursor" in params else (0, 100)
        following = _cursor(offset + 1, limit)
        return json_reply(200, {"data": [], "hasMore": True, "next": following, "previous": None})

    def error(self, status: int, code: str, message: str) -> Reply:
        return json_reply(status, {"error": code, "message": message})

    def rate_limited(self, retry_after_s: int | None) -> Reply:
        message = "Rate limit exceeded."
        if retry_after_s is not None:
            message = f"Rate limit exceeded. Please retry after {retry_after_s} seconds."
        return self.error(429, "TooManyRequests", message)

    def check_id(self, campaign_id: str) -> Reply | None:
        if _UUID.fullmatch(campaign_id):
            return None
        return self.error(400, "ValidationError", "campaignId must be a UUID")

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause" | "resume":
                flag = "pauseProspects" if action == "pause" else "resumeProspects"
                if not _valid_body(request.body, flag):
                    return self.error(400, "ValidationError", "Invalid request body")
                # Undocumented for other states: leave them alone and answer 200.
                if action == "pause" and c.status == "active":
                    c.paused_at = c.move("paused")
                elif action == "resume" and c.status == "paused":
                    c.started_at = c.move("active")
                return json_reply(200, {"message": f"Campaign {action}d successfully"})
            case _:
                return json_reply(200, _describe(c))


def _valid_body(body: bytes, flag: str) -> bool:
    """Empty, or a JSON object holding at most `flag` as a boolean (catches a swapped flag)."""
    if not body.strip():
        return True
    try:
        payload = json.loads(body)
    except ValueError:
        return False
    return (
        isinstance(payload, dict)
        and set(payload) <= {flag}
        and all(isinstance(v, bool) for v in payload.values())
    )


def _generated(i: int) -> Campaign:
    name, status = NAMED_SEEDS.get(i, (f"Sequence {i:03d} (finished)", "completed"))
    return Campaign(
        fake_uuid(SEED_FAMILY, i),
        name,
        status,
        archived=status == "completed" and i % 3 == 0,
        paused_at=SEED_TIME if status == "paused" else None,
        started_at=SEED_TIME if status == "active" else None,
    )


def _cursor(offset: int, limit: int) -> str:
    """An opaque cursor: the next page's offset and the first page's limit."""
    return base64.urlsafe_b64encode(f"o={offset};l={limit}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[int, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    found = _CURSOR.fullmatch(text)
    if found is None or not 1 <= int(found[2]) <= 100:
        raise ValueError("Invalid cursor")
    return int(found[1]), int(found[2])


def _describe(c: Campaign) -> dict[str, object]:
    described: dict[str, object] = {
        "id": c.id,
        "objectType": "campaign",
        "createdAt": SEED_TIME,
        "updatedAt": c.updated_at,
        "name": c.name,
        "status": c.status,
        "isArchived": c.archived,
    }
    if c.status != "draft":
        described["launchedAt"] = SEED_TIME
    return described
