"""Smartlead: the key is the `api_key` query parameter (the shared transport places and masks
it); one endpoint, `POST /campaigns/{id}/status`, pauses (`{"status": "PAUSED"}`) and starts
(`{"status": "START"}`). `STOPPED` (permanent) and `ARCHIVED` are never sent: the only bodies
this adapter builds are those two.

Campaign list: `GET /campaigns/`, every campaign in one unpaged answer; running (`ACTIVE`) is
picked client-side. Senders are not on the campaign: `GET /campaigns/{id}/email-accounts`,
one read per running campaign (`from_email`).

Where vendor-docs/smartlead.md is silent or contradicts itself, the safe reading chosen:

- POST, not the PATCH two pages show; `START`, not the `ACTIVE` the vendor's own samples send.
- The status answer is `{"ok": true}` (OpenAPI) or `{"success": true, "message", "campaign":
  {"id", "status"}}` (the page): both are accepted, anything else (plain text, `success:
  false`, another JSON shape) is `bad_response` — never "accepted whatever the body". A
  `campaign.status` is the reported state; one that is not the target state is settled by one
  status read (the shared rule, `Adapter.settled`). A `campaign.id` naming another campaign
  is `bad_response`.
- What a repeated pause, a pause of a draft or a start of a running campaign answers is not
  documented, so the answer cannot tell (`answer_tells=False`): campctl reads the prior state.
- The single GET is accepted bare (OpenAPI) or as `{"success": true, "data": {...}}` (the
  page); the list as a bare array, `{"campaigns": [...]}` or `{"data": [...]}`; the senders as
  a bare array or under `data`. A `success`/`ok` that is not true, or any other shape, is
  `bad_response`. An account without a `from_email` string fails the senders read: a campaign
  whose senders are unknown can be neither picked nor safely left out.
- Status words: `ACTIVE` → running, `DRAFTED` (schema) and `DRAFT` (one page) → draft;
  `PAUSED`, `STOPPED`, `COMPLETED` as themselves; `ARCHIVED` and anything unknown lower-cased
  (never running). A bounce auto-pause reads `PAUSED` like a hand pause: only the journal tells.
- Errors are classified by HTTP status (a foreign campaign answers 404, not 403). The message
  is `error.message`, else `error` as text (here a message, not a code; a `code` beside it is
  the vendor code), else `message`; a raw text body is not quoted (account bodies carry mail
  passwords). A 429's body `retry_after` is not read: the transport honours `Retry-After`,
  else backs off exponentially, as the guide advises.
- Limits disagree (10 per 2 s; 60/min; by plan): campctl keeps to 10 per 2 s, 50/min and
  1,000/h with one request in flight per key; `rate_limit_per_minute` raises only the
  per-minute budget, at most to 300 (what 10 per 2 s allows anyway).
- The ID is an integer of at most 15 digits (below 2^53); the key format is not documented,
  so it is not checked beyond campctl's general rules.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from campctl.providers.base import (
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
    intended_state,
    json_body,
    objects,
    same_campaign,
    text,
)
from campctl.results import ErrorKind, Verdict, kind_for_status

# The only two bodies campctl ever sends to the status endpoint.
STATUS_REQUESTS = {Action.PAUSE: "PAUSED", Action.RESUME: "START"}
_ACTED = {Action.PAUSE: "campaign paused", Action.RESUME: "campaign started"}
MAX_PER_MINUTE = 300  # 10 requests per 2 s allow no more


class SmartleadOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rate_limit_per_minute: int | None = Field(
        None,
        strict=True,  # a whole number, never `true`
        ge=1,
        le=MAX_PER_MINUTE,
        description="your plan's per-minute limit (default 50; at most 300)",
        examples=[50],
    )


class SmartleadAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="smartlead",
        title="Smartlead",
        default_base_url="https://server.smartlead.ai/api/v1",
        auth=Auth.query("api_key"),
        id_pattern=r"[1-9][0-9]{0,14}",
        id_format="a positive integer, e.g. 2710262",
        rate_limit="10 per 2 s, 50/min (rate_limit_per_minute), 1,000/h, 1 at a time per key",
        docs_url="https://api.smartlead.ai/api-reference/campaigns/update-status",
        limit=VendorLimit(
            windows=((10, 2.0), (50, 60.0), (1000, 3600.0)),
            max_in_flight=1,
            per_minute_option="rate_limit_per_minute",
        ),
        status_synonyms={"active": RUNNING, "drafted": "draft"},
        can_list=True,
        exposes_senders=True,
    )
    Options: ClassVar[type[BaseModel]] = SmartleadOptions

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/campaigns/{}", campaign_id))
        body = {"status": STATUS_REQUESTS[action]}
        return RequestSpec("POST", self.path("/campaigns/{}/status", campaign_id), json=body)

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if not 200 <= reply.status < 300:
            return self.error(reply)
        if action is Action.STATUS:
            raw = text(_campaign(json_body(reply)), "status")
            return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)
        stated = _status_answer(json_body(reply)).get("status")
        if stated is None:  # `{"ok": true}`: the docs' success means the target state
            return self.done(_ACTED[action], intended_state(action))
        return self.done(_ACTED[action], vendor_status=self.status_value(stated, "the status"))

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """The GET answers the campaign (`id` an integer); the status answer may carry
        `campaign.id`."""
        body = json_body(reply)
        found = _campaign(body) if action is Action.STATUS else _status_answer(body)
        same_campaign(campaign_id, echoed(found, "id"))

    def error(self, reply: Reply, kind: ErrorKind | None = None, note: str = "") -> Verdict:
        """Smartlead's `{"error": "<text>"}` holds a message, not a code; other shapes
        (`error.message`, `message`) read as every vendor's do."""
        message, code = _error_text(reply)
        if message is None:
            return super().error(reply, kind, note)
        return Verdict.failure(
            kind or kind_for_status(reply.status),
            f"{message} (HTTP {reply.status}){note}",
            http_status=reply.status,
            vendor_code=code,
        )

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        return RequestSpec("GET", "/campaigns/")

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        items = objects(_listed(json_body(reply), "campaigns"), "campaign list")
        campaigns = [
            self.campaign(dig(item, "id"), item.get("name"), dig(item, "status")) for item in items
        ]
        return ListPage(campaigns, None)  # every campaign in one answer, no pages

    def senders_request(self, campaign_id: str) -> RequestSpec:
        return RequestSpec("GET", self.path("/campaigns/{}/email-accounts", campaign_id))

    def read_senders(self, reply: Reply) -> list[str]:
        accounts = objects(_listed(json_body(reply)), "email accounts")
        addresses = (text(account, "from_email").strip() for account in accounts)
        return [address for address in addresses if address]


def _succeeded(body: dict[str, Any]) -> None:
    """`success` / `ok`, where present, must be true: a 200 saying otherwise is no success."""
    for flag in ("success", "ok"):
        if flag in body and body[flag] is not True:
            said = body.get("message")
            suffix = f": {said}" if isinstance(said, str) and said else ""
            raise BadBody(f"the answer's '{flag}' is not true{suffix}")


def _status_answer(body: Any) -> dict[str, Any]:
    """The campaign in a status answer (`{}` for `{"ok": true}`), after checking it is one."""
    if not isinstance(body, dict):
        raise BadBody("the answer is not a JSON object")
    _succeeded(body)
    if body.get("ok") is not True and body.get("success") is not True:
        raise BadBody("the answer says neither ok nor success")
    campaign = body.get("campaign", {})
    if not isinstance(campaign, dict):
        raise BadBody("field 'campaign' is not an object")
    return campaign


def _campaign(body: Any) -> dict[str, Any]:
    """The campaign of a GET: the bare object, or the one under `data` beside `success`."""
    if not isinstance(body, dict):
        raise BadBody("the campaign is not a JSON object")
    if "success" in body or "data" in body:
        _succeeded(body)
        body = dig(body, "data")
        if not isinstance(body, dict):
            raise BadBody("field 'data' is not an object")
    return body


def _listed(body: Any, envelope: str | None = None) -> Any:
    """A documented list: a bare array, or one under `data` (or `envelope`)."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        raise BadBody("the answer is neither an array nor an object")
    _succeeded(body)
    for field in (envelope, "data"):
        if field is not None and isinstance(body.get(field), list):
            return body[field]
    wrapped = f"'{envelope}' or 'data'" if envelope else "'data'"
    raise BadBody(f"the answer is neither an array nor holds one under {wrapped}")


def _error_text(reply: Reply) -> tuple[str | None, str | None]:
    """(message, code) of Smartlead's `{"error": "<message>"[, "code": "<code>"]}` shape;
    (None, None) for any other body."""
    try:
        body = json_body(reply)
    except BadBody:
        return None, None
    if not isinstance(body, dict) or not isinstance(body.get("error"), str) or not body["error"]:
        return None, None
    code = body.get("code")
    return body["error"], code if isinstance(code, str) and code else None
