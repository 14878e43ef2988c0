"""VoiceGenie (Oriserve): `x-api-key`; pause and start are GETs; the envelope carries
`success`, and state errors (not running / already running) arrive as 400s."""

from __future__ import annotations

from typing import Any, ClassVar

from campctl.providers.base import (
    Action,
    Adapter,
    BadBody,
    Reply,
    RequestSpec,
    VendorMeta,
    dig,
    error_fields,
    json_body,
    optional_text,
    text,
)
from campctl.results import ErrorKind, Verdict

# The docs use two vocabularies for the same state.
_SYNONYMS = {"in_progress": "running"}
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
        auth_header="x-api-key",
        auth_scheme=None,
        id_pattern=r"[A-Za-z0-9_-]{1,128}",
        id_format="letters, digits, '_' or '-' (1-128), e.g. a UUID",
        rate_limit="60-1,000 requests/min per key by plan",
        docs_url="https://github.com/LuvTanwaniOri/docs",
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
            status = _state(text(data, "campaign_status"))
            return self.done(f"campaign is {status}", status)
        status = _state(text(data, "status"))
        message = optional_text(body, "message") or f"campaign {status}"
        if action is Action.PAUSE:
            return self.done(message, status, optional_text(data, "paused_at"), _calls(data))
        return self.done(message, status, optional_text(data, "started_at"))

    def _error(self, action: Action, reply: Reply) -> Verdict:
        code, _ = error_fields(reply)
        noop = _NOOP_CODES.get(action)
        if noop and reply.status == 400 and code == noop[0]:
            return self.noop(noop[1])
        if reply.status == 422 and code == "INVALID_CAMPAIGN_STATE":
            verdict = self.error(reply, ErrorKind.CONFLICT)
            missing = _missing(reply)
            if missing is not None:
                verdict.details = {"missing": missing}
            return verdict
        return self.error(reply)


def _state(raw: str) -> str:
    status = raw.lower()
    return _SYNONYMS.get(status, status)


def _calls(data: Any) -> dict[str, Any]:
    calls = data.get("active_calls") if isinstance(data, dict) else None
    return {"active_calls": calls} if isinstance(calls, int) else {}


def _missing(reply: Reply) -> Any:
    try:
        return dig(json_body(reply), "details", "missing")
    except BadBody:
        return None
