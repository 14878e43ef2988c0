"""The adapter protocol every vendor module implements, and the parsing helpers they share.

An adapter knows two vendor-specific things: which request an action is (`request_for`) and
what an answer means (`interpret`). Sending, retries, limits and redaction live once in
`campctl.http`; the `pause`/`resume`/`status` verbs here glue the two halves together so a
vendor module never touches the network itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple, Protocol
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict

from campctl.errors import UsageError
from campctl.results import ErrorKind, Outcome, Verdict, kind_for_status


class Action(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    STATUS = "status"


class RequestSpec(NamedTuple):
    """A vendor request, relative to the profile's base URL; never carries the key."""

    method: str
    path: str
    json: dict[str, Any] | None = None
    headers: Mapping[str, str] = MappingProxyType({})


class Reply(NamedTuple):
    """A complete HTTP answer (body already capped in size by the transport)."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    sent_at: float | None = None  # epoch seconds when the request was sent


class Exchange(NamedTuple):
    """What the transport made of one request, retries included."""

    reply: Reply | None
    failure: Verdict | None
    attempts: int
    retry_after: float | None = None
    interrupted: bool = False  # a signal came while waiting to retry: the last answer stands


class Transport(Protocol):
    """What adapters are handed (campctl.http.HttpTransport; respx or the sandbox in tests)."""

    sent: set[str]  # labels of requests that reached the network, for Ctrl-C accounting

    async def send(self, spec: RequestSpec, label: str) -> Exchange: ...

    def describe(self, spec: RequestSpec) -> dict[str, Any]: ...


class VendorLimit(NamedTuple):
    """Client-side limits a vendor publishes; the mechanism lives in campctl.limits."""

    max_in_flight: int | None = None
    per_minute: int | None = None


class VendorMeta(NamedTuple):
    """Facts about a vendor that `campctl vendors`, config checks and the runner read."""

    name: str
    title: str
    default_base_url: str | None
    auth_header: str
    auth_scheme: str | None
    id_pattern: str
    id_format: str
    rate_limit: str
    docs_url: str
    limit: VendorLimit = VendorLimit()
    base_url_required: str | None = None

    @property
    def auth_style(self) -> str:
        return (
            f"{self.auth_header}: {self.auth_scheme} <key>"
            if self.auth_scheme
            else (f"{self.auth_header}: <key>")
        )


class NoOptions(BaseModel):
    """Vendors without profile keys of their own."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class BadBody(Exception):
    """The body is not what the vendor documents; the adapter reports `bad_response`."""


_DEFAULT_MESSAGES = {
    ErrorKind.INVALID_REQUEST: "the vendor rejected the request",
    ErrorKind.AUTH: "the vendor rejected the API key",
    ErrorKind.PERMISSION: "the API key lacks permission for this action",
    ErrorKind.NOT_FOUND: "campaign not found",
    ErrorKind.CONFLICT: "the campaign's state does not allow this action",
    ErrorKind.RATE_LIMITED: "rate limited by the vendor",
    ErrorKind.VENDOR_ERROR: "the vendor had a server error",
    ErrorKind.BAD_RESPONSE: "unexpected answer from the vendor",
}


class Adapter:
    """Base of every vendor adapter. Subclasses set `meta` and implement the two hooks."""

    meta: ClassVar[VendorMeta]
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, options: BaseModel, transport: Transport) -> None:
        self.options = options
        self.transport = transport

    # -- the protocol -----------------------------------------------------------------
    async def pause(self, campaign_id: str) -> Verdict:
        return await self.perform(Action.PAUSE, campaign_id)

    async def resume(self, campaign_id: str) -> Verdict:
        return await self.perform(Action.RESUME, campaign_id)

    async def status(self, campaign_id: str) -> Verdict:
        return await self.perform(Action.STATUS, campaign_id)

    def verb(self, action: Action) -> Callable[[str], Awaitable[Verdict]]:
        return {Action.PAUSE: self.pause, Action.RESUME: self.resume, Action.STATUS: self.status}[
            action
        ]

    # -- vendor hooks -------------------------------------------------------------------
    def request_for(self, action: Action, campaign_id: str) -> RequestSpec | None:
        """The request for `action`, or None when the vendor documents no endpoint for it."""
        raise NotImplementedError

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        """Turn a non-redirect answer into a verdict. May raise BadBody."""
        raise NotImplementedError

    @classmethod
    def auth_headers(cls, options: BaseModel, api_key: str) -> dict[str, str]:
        """Secret header first; subclasses add non-secret ones from their options."""
        value = f"{cls.meta.auth_scheme} {api_key}" if cls.meta.auth_scheme else api_key
        return {cls.meta.auth_header: value}

    # -- shared machinery ---------------------------------------------------------------
    @classmethod
    def check_id(cls, campaign_id: str) -> None:
        if not re.fullmatch(cls.meta.id_pattern, campaign_id):
            raise UsageError(
                f"'{campaign_id}' is not a valid {cls.meta.title} campaign ID: "
                f"expected {cls.meta.id_format}"
            )

    @staticmethod
    def path(template: str, campaign_id: str) -> str:
        """Percent-encode the ID so nothing a user types can change path, host or query."""
        return template.format(quote(campaign_id, safe=""))

    async def perform(self, action: Action, campaign_id: str) -> Verdict:
        spec = self.request_for(action, campaign_id)
        if spec is None:
            return self.unsupported(action)
        exchange = await self.transport.send(spec, label=self.label(campaign_id))
        if exchange.failure is not None:
            verdict = exchange.failure
        else:
            assert exchange.reply is not None  # noqa: S101 - transport contract
            verdict = self.read_reply(action, exchange.reply)
        verdict.attempts = exchange.attempts
        return _annotate(verdict, exchange)

    def label(self, campaign_id: str) -> str:
        """How the transport names this campaign in notices and its record of sent requests."""
        return f"{self.meta.name}:{campaign_id}"

    def unsupported(self, action: Action) -> Verdict:
        """The verdict for an action the vendor has no endpoint for (sent or dry-run)."""
        return Verdict.failure(
            ErrorKind.UNSUPPORTED, f"{self.meta.title} documents no {action.value} endpoint"
        )

    def read_reply(self, action: Action, reply: Reply) -> Verdict:
        """Interpret a reply; a redirect or any surprise in the body becomes `bad_response`."""
        if 300 <= reply.status < 400:
            host = urlsplit(reply.headers.get("location", "")).hostname or "an unknown host"
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"vendor redirected to {host}; redirects are not followed",
                http_status=reply.status,
            )
        if 200 <= reply.status < 300 and _looks_like_html(reply.body):
            # A login wall, captive portal or wrong base URL: never a vendor API answer.
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"unexpected answer from {self.meta.title} (HTTP {reply.status}): "
                "body is an HTML page, not the vendor API (check base_url); "
                "the action may not have happened",
                http_status=reply.status,
            )
        try:
            verdict = self.interpret(action, reply)
        except (BadBody, KeyError, TypeError, ValueError, AttributeError) as exc:
            detail = str(exc) or "body does not match the vendor's documented shape"
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"unexpected answer from {self.meta.title} (HTTP {reply.status}): {detail}",
                http_status=reply.status,
            )
        verdict.http_status = reply.status
        if verdict.error is not None:
            verdict.error.http_status = reply.status
        return verdict

    # -- helpers for subclasses -----------------------------------------------------------
    def done(
        self,
        message: str,
        status: str | None,
        at: object = None,
        details: dict[str, Any] | None = None,
    ) -> Verdict:
        return Verdict(
            Outcome.DONE, message, status=status, at=timestamp(at), details=details or {}
        )

    def noop(self, message: str, status: str | None = None) -> Verdict:
        return Verdict(Outcome.NOOP, message, status=status, at=timestamp(None))

    def error(self, reply: Reply, kind: ErrorKind | None = None, note: str = "") -> Verdict:
        """The shared reading of an error: kind from the status, code and text from the body."""
        code, message = error_fields(reply)
        kind = kind or kind_for_status(reply.status)
        if message is None:
            message = _DEFAULT_MESSAGES.get(kind, "request failed")
            if _looks_like_html(reply.body):
                message += " (HTML page instead of JSON)"
        text = f"{message} (HTTP {reply.status}){note}"
        return Verdict.failure(kind, text, http_status=reply.status, vendor_code=code)


def _annotate(verdict: Verdict, exchange: Exchange) -> Verdict:
    """Add what only the retry loop knows: earlier attempts, and when to try again."""
    if verdict.outcome is Outcome.NOOP and exchange.attempts > 1:
        verdict.message += " (an earlier attempt may have landed)"
    if exchange.interrupted:
        verdict.message += " (interrupted while waiting to retry)"
        if verdict.error is not None:
            verdict.error.message += " (interrupted while waiting to retry)"
    if (
        verdict.error is not None
        and verdict.error.kind is ErrorKind.RATE_LIMITED
        and exchange.retry_after is not None
    ):
        when = datetime.now(UTC).timestamp() + exchange.retry_after
        stamp = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        note = f"; vendor asks to wait {exchange.retry_after:.0f} s: try again after {stamp}"
        verdict.message += note
        verdict.error.message += note
    return verdict


def json_body(reply: Reply) -> Any:
    """Parse the body as JSON or raise BadBody naming what was wrong."""
    if not reply.body.strip():
        raise BadBody("empty body")
    try:
        return json.loads(reply.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        kind = "an HTML page" if _looks_like_html(reply.body) else "invalid or truncated JSON"
        raise BadBody(f"body is {kind}") from None


def dig(obj: Any, *keys: str) -> Any:
    """`obj[k1][k2]...` with a BadBody (not a KeyError) naming the missing field."""
    for index, key in enumerate(keys):
        if not isinstance(obj, dict) or key not in obj:
            raise BadBody(f"missing field '{'.'.join(keys[: index + 1])}'")
        obj = obj[key]
    return obj


def text(obj: Any, *keys: str) -> str:
    value = dig(obj, *keys)
    if not isinstance(value, str):
        raise BadBody(f"field '{'.'.join(keys)}' is not a string")
    return value


def optional_text(obj: Any, *keys: str) -> str | None:
    try:
        return text(obj, *keys)
    except BadBody:
        return None


def error_fields(reply: Reply) -> tuple[str | None, str | None]:
    """Read (code, message) from the error shapes vendors use.

    `{"error": {"code", "message"}}`, `{"error": "<code>", "message"}`, `{"code", "message"}`,
    Woodpecker's `{"type", "message"}` and problem objects `{"title", "detail"}`.
    """
    try:
        body = json_body(reply)
    except BadBody:
        return None, None
    if not isinstance(body, dict):
        return None, None
    err = body.get("error")
    if isinstance(err, dict):
        code, message = err.get("code"), err.get("message") or body.get("message")
    elif isinstance(err, str):
        code, message = err, body.get("message")
    else:
        code = body.get("code") or body.get("type")
        message = body.get("message") or body.get("detail") or body.get("title")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) and message else None,
    )


def timestamp(value: object) -> str:
    """The vendor's timestamp when it gave one, else the moment the answer was read."""
    if isinstance(value, str) and value:
        return value
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _looks_like_html(body: bytes) -> bool:
    return body.lstrip()[:1] == b"<"
