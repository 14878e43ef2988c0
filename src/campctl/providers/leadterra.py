"""Leadterra: Bearer auth; pause and start are idempotent and answer 200 with the current
state; there is no documented status endpoint."""

from __future__ import annotations

from typing import ClassVar

from campctl.providers.base import (
    Action,
    Adapter,
    BadBody,
    Reply,
    RequestSpec,
    VendorMeta,
    error_fields,
    json_body,
    optional_text,
    text,
)
from campctl.results import ErrorKind, Verdict

# Codes Leadterra uses for "the campaign cannot be started as it is".
_STATE_CODES = frozenset({"no_leads_enrolled", "no_sequence_steps"})


class LeadterraAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="leadterra",
        title="Leadterra",
        default_base_url="https://app.leadterra.co",
        auth_header="Authorization",
        auth_scheme="Bearer",
        id_pattern=r"[A-Za-z0-9_-]{1,128}",
        id_format="letters, digits, '_' or '-' (1-128), e.g. camp_123",
        rate_limit="not published",
        docs_url="https://docs.leadterra.co/api-reference/campaigns-pause",
    )

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec | None:
        if action is Action.STATUS:
            return None
        verb = "pause" if action is Action.PAUSE else "start"
        return RequestSpec("POST", self.path("/v1/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            code, _ = error_fields(reply)
            if reply.status == 400 and code in _STATE_CODES:
                return self.error(reply, ErrorKind.CONFLICT)
            return self.error(reply)
        body = json_body(reply)
        status = text(body, "status").lower()
        target, opposite, stamp = (
            ("paused", "running", "pausedAt")
            if action is Action.PAUSE
            else ("running", "paused", "startedAt")
        )
        if status == target:
            return self.done(f"campaign {target}", status, optional_text(body, stamp))
        if status == opposite:
            # Not "nothing to do": the vendor says the action did not take effect.
            raise BadBody(f"200 answer says the campaign is still {status}")
        return self.noop(f"campaign is {status}: nothing to {action.value}", status)
