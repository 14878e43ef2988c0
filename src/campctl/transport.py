"""The transport's vocabulary, shared by adapters and the shared transport (campctl.http,
retry, limits): a request, a reply, what sending made of it, where the key goes (`Auth`) and
which limits apply (`VendorLimit`). It sits below both, so the transport never imports the
adapter layer.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from campctl.redact import MASK
from campctl.results import Verdict

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "PER_MINUTE",
    "Auth",
    "Exchange",
    "Reply",
    "RequestSpec",
    "Transport",
    "VendorLimit",
]


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
    sent_at: float | None = None  # epoch seconds when this attempt was sent (the transport's)


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


class Auth(NamedTuple):
    """Where a vendor takes the API key. Data the transport applies to every request it
    builds, so no adapter ever holds the key; made with `header`, `query` or `basic`."""

    kind: Literal["header", "query", "basic"]
    name: str  # the header, the query parameter, or the Basic user name
    scheme: str | None = None  # `Bearer` in `Authorization: Bearer <key>`

    @classmethod
    def header(cls, name: str, scheme: str | None = None) -> Auth:
        return cls("header", name, scheme)

    @classmethod
    def query(cls, param: str) -> Auth:
        return cls("query", param)

    @classmethod
    def basic(cls, user: str = "") -> Auth:
        """HTTP Basic with the key as the password (often with an empty user name)."""
        return cls("basic", user)

    def headers(self, key: str | None) -> dict[str, str]:
        """The header carrying `key`, or with `key=None` what is shown in its place (`***`,
        `Bearer ***`, `Basic ***`). A query key carries no header."""
        if self.kind == "query":
            return {}
        if self.kind == "basic":
            token = MASK if key is None else _basic_token(self.name, key)
            return {"Authorization": f"Basic {token}"}
        secret = MASK if key is None else key
        return {self.name: f"{self.scheme} {secret}" if self.scheme else secret}

    @property
    def style(self) -> str:
        """How `campctl vendors` describes it."""
        if self.kind == "query":
            return f"?{self.name}=<key>"
        if self.kind == "basic":
            return f"HTTP Basic: user name {self.name!r}, the key as password"
        return f"{self.name}: {self.scheme} <key>" if self.scheme else f"{self.name}: <key>"


def _basic_token(user: str, key: str) -> str:
    return base64.b64encode(f"{user}:{key}".encode()).decode("ascii")


PER_MINUTE = 60.0


class VendorLimit(NamedTuple):
    """Client-side limits a vendor publishes: at most `requests` starts in any `seconds` for
    each of `windows`, and at most `max_in_flight` requests at once, per key; the mechanism
    lives in campctl.limits. `per_minute_option` names a profile option that may set the
    per-minute window's budget (a plan's higher limit); the other windows stay as published.
    `shared_by` names a profile option the vendor counts by besides the key (an
    account_id): profiles with the same value share the limits too, whatever their keys."""

    windows: tuple[tuple[int, float], ...] = ()
    max_in_flight: int | None = None
    per_minute_option: str | None = None
    shared_by: str | None = None

    @property
    def per_minute(self) -> int | None:
        """The per-minute window's budget (`campctl vendors`), None without one."""
        return next((n for n, seconds in self.windows if seconds == PER_MINUTE), None)

    def for_profile(self, options: BaseModel) -> VendorLimit:
        """These limits with the profile's per-minute budget, where the vendor allows one."""
        budget = getattr(options, self.per_minute_option or "", None)
        if not isinstance(budget, int) or budget < 1:
            return self
        windows = tuple(
            (budget if seconds == PER_MINUTE else n, seconds) for n, seconds in self.windows
        )
        return self._replace(windows=windows)

    def shared_with(self, options: BaseModel) -> str | None:
        """What this profile shares its limits by besides the key (`account_id=acc_1`)."""
        value = getattr(options, self.shared_by or "", None)
        return f"{self.shared_by}={value}" if isinstance(value, str) and value else None
