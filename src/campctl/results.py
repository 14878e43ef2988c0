"""The one result model every adapter's answer is normalised into, and the exit-code rule.

A `Verdict` is the adapter's half (what the vendor said); the runner adds the target,
timing and attempt count to make a `Result`. `Report` is the `--json` document.

These models hold data campctl built itself from typed values, so they are created with
`model_construct` (no re-validation) and their schemas are built only when first needed,
i.e. when --json serialises them: pydantic's schema machinery costs ~40 ms at startup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from campctl.errors import ExitCode


class Outcome(StrEnum):
    DONE = "done"
    NOOP = "noop"
    FAILED = "failed"
    SKIPPED = "skipped"


class ErrorKind(StrEnum):
    INVALID_REQUEST = "invalid_request"
    AUTH = "auth"
    PERMISSION = "permission"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNSUPPORTED = "unsupported"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    NETWORK = "network"
    VENDOR_ERROR = "vendor_error"
    BAD_RESPONSE = "bad_response"

    @property
    def retryable(self) -> bool:
        """Temporary failures: running the same command later may succeed."""
        return self in _TEMPORARY


_TEMPORARY = frozenset(
    {ErrorKind.RATE_LIMITED, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.VENDOR_ERROR}
)
_CREDENTIALS = frozenset({ErrorKind.AUTH, ErrorKind.PERMISSION})


def kind_for_status(status: int) -> ErrorKind:
    """The shared HTTP status → error kind mapping; adapters only add their quirks on top."""
    if status in (400, 422):
        return ErrorKind.INVALID_REQUEST
    special = {
        401: ErrorKind.AUTH,
        403: ErrorKind.PERMISSION,
        404: ErrorKind.NOT_FOUND,
        409: ErrorKind.CONFLICT,
        429: ErrorKind.RATE_LIMITED,
    }
    if status in special:
        return special[status]
    if status >= 500:
        return ErrorKind.VENDOR_ERROR
    if 400 <= status < 500:
        return ErrorKind.INVALID_REQUEST
    return ErrorKind.BAD_RESPONSE


class _Internal(BaseModel):
    model_config = ConfigDict(defer_build=True)


class ErrorInfo(_Internal):
    kind: ErrorKind
    http_status: int | None
    vendor_code: str | None
    message: str
    retryable: bool


@dataclass
class Verdict:
    """What one vendor answer means, before the runner adds target and timing."""

    outcome: Outcome
    message: str
    status: str | None = None
    at: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    error: ErrorInfo | None = None
    http_status: int | None = None
    attempts: int = 0

    @classmethod
    def failure(
        cls,
        kind: ErrorKind,
        message: str,
        *,
        http_status: int | None = None,
        vendor_code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Verdict:
        error = ErrorInfo.model_construct(
            kind=kind,
            http_status=http_status,
            vendor_code=vendor_code,
            message=message,
            retryable=kind.retryable,
        )
        return cls(
            Outcome.FAILED, message, error=error, http_status=http_status, details=details or {}
        )


class Result(_Internal):
    target: str
    provider: str
    vendor: str
    campaign_id: str
    outcome: Outcome
    status: str | None
    at: str | None
    message: str
    http_status: int | None
    attempts: int
    duration_ms: int
    details: dict[str, Any]
    error: ErrorInfo | None


class Summary(_Internal):
    total: int
    done: int
    noop: int
    failed: int
    skipped: int

    @classmethod
    def of(cls, results: Iterable[Result]) -> Summary:
        counts = dict.fromkeys(Outcome, 0)
        for result in results:
            counts[result.outcome] += 1
        return cls.model_construct(
            total=sum(counts.values()),
            done=counts[Outcome.DONE],
            noop=counts[Outcome.NOOP],
            failed=counts[Outcome.FAILED],
            skipped=counts[Outcome.SKIPPED],
        )


class NotifyError(_Internal):
    """A notification that was not delivered; beside the results, never one of them."""

    target: str  # the target's kind, or `kind#N` when a kind is configured more than once
    kind: str  # an ErrorKind value, e.g. vendor_error, timeout, network
    message: str


class Report(_Internal):
    action: str
    dry_run: bool
    sandbox: bool
    run_id: str | None
    results: list[Result]
    summary: Summary
    exit_code: int
    selection: dict[str, Any] | None = None
    audit_error: str | None = None
    notify_errors: list[NotifyError] | None = None  # only when a notification failed

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The --json document as a dict; `selection`, `audit_error` and `notify_errors`
        appear only when they apply (unless `exclude` says otherwise)."""
        if "exclude" not in kwargs:
            kwargs["exclude"] = {
                n for n in ("selection", "audit_error", "notify_errors") if getattr(self, n) is None
            }
        return super().model_dump(**kwargs)

    def document(self) -> str:
        """The --json document's text.

        json.dumps, not pydantic's serialiser: a lone surrogate in vendor text (`\\ud800`)
        must stay a JSON escape, not fail the document, and ASCII is writable to any stdout.
        """
        return json.dumps(self.model_dump(mode="json"), indent=2)


def exit_code_for(
    results: Iterable[Result], *, strict: bool = False, also: Iterable[ErrorKind] = ()
) -> ExitCode:
    """PRODUCT.md's rule: the first that applies of 4 (credentials), 1 (failed), 5 (temporary).

    `also` adds failures that are not targets' results (a profile whose list failed)."""
    kinds: set[ErrorKind] = set(also)
    strict_noop = False
    for result in results:
        if result.error is not None and result.outcome is Outcome.FAILED:
            kinds.add(result.error.kind)
        elif result.outcome is Outcome.NOOP and strict:
            strict_noop = True
    if kinds & _CREDENTIALS:
        return ExitCode.AUTH
    if strict_noop or (kinds - _CREDENTIALS - _TEMPORARY):
        return ExitCode.FAILED
    if kinds & _TEMPORARY:
        return ExitCode.TEMPORARY
    return ExitCode.OK
