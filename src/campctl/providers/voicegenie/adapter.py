"""VoiceGenie (Oriserve): `x-api-key`; pause and start are GETs; the envelope carries
`success`, and state errors (not running / already running) arrive as 400s. The docs use two
words for running: `running` and `in_progress`.

Campaign list: `GET /fetchCampaignData?limit=1000&offset=N&call_count=false` until
`pagination.total` campaigns are read; no status filter (running is picked client-side) and
no senders (campaigns call from numbers the API does not expose)."""

from __future__ import annotations

from typing import Any, ClassVar

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
    VendorMeta,
    dig,
    echoed,
    error_fields,
    json_body,
    objects,
    optional_text,
    same_campaign,
    text,
)
from campctl.results import ErrorKind, Verdict

_PAGE_SIZE = 1000  # the documented maximum
_NOOP_CODES = {
    Action.PAUSE: ("CAMPAIGN_NOT_RUNNING", "campaign is not running: nothing to pause"),
    Action.RESUME: ("CAMPAIGN_ALREADY_RUNNING", "campaign is already running"),
}


class VoiceGenieAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="voicegenie",
        title="VoiceGenie",
        default_base_url=None,
        base_url_required=(
            "VoiceGenie publishes only sandbox and dev hosts, so campctl will not guess a "
            "production URL"
        ),
        auth=Auth.header("x-api-key"),
        id_pattern=r"[A-Za-z0-9_-]{1,128}",
        id_format="letters, digits, '_' or '-' (1-128), e.g. a UUID",
        rate_limit="60-1,000 requests/min per key by plan",
        docs_url="https://github.com/LuvTanwaniOri/docs",
        status_synonyms={"in_progress": "running"},  # the docs use both words
        can_list=True,
        answer_tells=True,
    )

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        template = {
            Action.PAUSE: "/pauseTheCampaign/{}",
            Action.RESUME: "/startCampaign/{}",
            Action.STATUS: "/campaign/{}",
        }[action]
        return RequestSpec("GET", self.path(template, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self._error(action, reply)
        body = json_body(reply)
        if dig(body, "success") is not True:
            message = optional_text(body, "message") or "no message"
            code, _ = error_fields(reply)
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"VoiceGenie answered success: false: {message}",
                http_status=reply.status,
                vendor_code=code,
            )
        data = dig(body, "data")
        if action is Action.STATUS:
            raw = text(data, "campaign_status")
            return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)
        raw = text(data, "status")
        message = optional_text(body, "message") or f"campaign {self.state(raw)}"
        if action is Action.PAUSE:
            at = optional_text(data, "paused_at")
            return self.done(message, at=at, details=_calls(data), vendor_status=raw)
        return self.done(message, at=optional_text(data, "started_at"), vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Pause and start answer `data.campaign_id`; the campaign read answers `data.id`."""
        field = "id" if action is Action.STATUS else "campaign_id"
        same_campaign(campaign_id, echoed(json_body(reply), "data", field))

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        offset = cursor if isinstance(cursor, int) else 0
        return RequestSpec(
            "GET", f"/fetchCampaignData?limit={_PAGE_SIZE}&offset={offset}&call_count=false"
        )

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        body: Any = json_body(reply)
        if dig(body, "success") is not True:
            message = optional_text(body, "message") or "no message"
            raise BadBody(f"VoiceGenie answered success: false: {message}")
        items = objects(dig(body, "data", "campaigns"), "data.campaigns")
        total = dig(body, "data", "pagination", "total")
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise BadBody("field 'data.pagination.total' is not a count")
        offset = cursor if isinstance(cursor, int) else 0
        read = offset + len(items)
        if not items and offset < total:
            raise BadBody(f"pagination.total says {total} campaigns but offset {offset} is empty")
        campaigns = [
            self.campaign(dig(item, "id"), item.get("name"), dig(item, "campaign_status"))
            for item in items
        ]
        return ListPage(campaigns, read if read < total else None)

    def _error(self, action: Action, reply: Reply) -> Verdict:
        code, _ = error_fields(reply)
        noop = _NOOP_CODES.get(action)
        if noop and reply.status == 400 and code == noop[0]:
            if action is Action.RESUME:
                # "Already running" names the state; start v2 also sends its own word.
                current = _current_status(reply)
                return self.noop(noop[1], None if current else RUNNING, vendor_status=current)
            return self.noop(noop[1])
        if reply.status == 422 and code == "INVALID_CAMPAIGN_STATE":
            verdict = self.error(reply, ErrorKind.CONFLICT)
            missing = _missing(reply)
            if missing is not None:
                verdict.details = {"missing": missing}
            return verdict
        return self.error(reply)


def _current_status(reply: Reply) -> str | None:
    """Start v2's error object carries the campaign's state: `error.current_status`."""
    try:
        current = dig(json_body(reply), "error", "current_status")
    except BadBody:
        return None
    return current if isinstance(current, str) else None


def _calls(data: Any) -> dict[str, Any]:
    calls = data.get("active_calls") if isinstance(data, dict) else None
    return {"active_calls": calls} if isinstance(calls, int) else {}


def _missing(reply: Reply) -> Any:
    try:
        return dig(json_body(reply), "details", "missing")
    except BadBody:
        return None
