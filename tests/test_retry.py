"""Retries: which answers retry, backoff with injected randomness, Retry-After, the 60 s ceiling."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx

from campctl.providers.base import Action
from campctl.results import ErrorKind, Outcome
from campctl.retry import RetryPolicy, parse_retry_after
from tests.helpers import act, url

PAUSE = url("woodpecker", "/v2/campaigns/12345/pause")


class Sleeps:
    """Records every wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.mark.parametrize("failures", [0, 2, 3])
@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(429),
        httpx.Response(500),
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(504),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ],
    ids=["429", "500", "502", "503", "504", "connect", "timeout"],
)
@respx.mock
def test_failures_before_success(failures: int, failure: object) -> None:
    route = respx.post(PAUSE)
    route.side_effect = [failure] * failures + [httpx.Response(200)]
    sleeps = Sleeps()
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=sleeps, random=lambda: 1.0)
    assert verdict.outcome is Outcome.DONE
    assert verdict.attempts == failures + 1
    assert route.call_count == failures + 1
    # Full jitter with random() pinned at 1.0: the upper edge 0.5, 1, 2 ... seconds.
    assert sleeps.waits == [0.5, 1.0, 2.0][:failures]


@respx.mock
def test_gives_up_after_retries_and_reports_attempts() -> None:
    route = respx.post(PAUSE).respond(503)
    verdict = act("woodpecker", Action.PAUSE, retries=2, sleep=Sleeps())
    assert route.call_count == 3
    assert verdict.attempts == 3
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.VENDOR_ERROR


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
@respx.mock
def test_non_retryable_status_is_sent_exactly_once(status: int) -> None:
    route = respx.post(PAUSE).respond(status)
    sleeps = Sleeps()
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=sleeps)
    assert route.call_count == 1
    assert verdict.attempts == 1
    assert sleeps.waits == []


@respx.mock
def test_retries_zero_means_one_attempt() -> None:
    route = respx.post(PAUSE).respond(503)
    verdict = act("woodpecker", Action.PAUSE, retries=0)
    assert route.call_count == 1
    assert verdict.attempts == 1


@respx.mock
def test_retry_after_of_two_seconds_is_waited_for() -> None:
    route = respx.post(PAUSE)
    route.side_effect = [httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200)]
    sleeps = Sleeps()
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=sleeps)
    assert sleeps.waits == [2.0]
    assert verdict.outcome is Outcome.DONE
    assert verdict.attempts == 2


@respx.mock
def test_retry_after_beyond_the_ceiling_is_not_waited_for() -> None:
    route = respx.post(PAUSE).respond(429, headers={"Retry-After": "600"})
    sleeps = Sleeps()
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=sleeps)
    assert sleeps.waits == []
    assert route.call_count == 1
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.RATE_LIMITED
    assert "600 s" in verdict.message
    assert "try again after" in verdict.message


@respx.mock
def test_not_active_after_a_retry_is_a_noop_that_says_so() -> None:
    route = respx.post(url("leadlex", "/v1/campaigns/cmp_abc123/pause"))
    route.side_effect = [
        httpx.Response(503),
        httpx.Response(409, json={"error": {"code": "campaign_not_active", "message": "no"}}),
    ]
    verdict = act("leadlex", Action.PAUSE, retries=3, sleep=Sleeps())
    assert verdict.outcome is Outcome.NOOP
    assert verdict.attempts == 2
    assert "earlier attempt may have landed" in verdict.message


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        ("0.25", 0.25),
        ("  7 ", 7.0),
        ("0", 0.0),
        (
            format_datetime(datetime.fromtimestamp(NOW, UTC) + timedelta(seconds=30), usegmt=True),
            30.0,
        ),
        (
            format_datetime(datetime.fromtimestamp(NOW, UTC) - timedelta(seconds=30), usegmt=True),
            0.0,
        ),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=lambda: NOW) == seconds


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(retries=10, random=lambda: 1.0)
    assert [policy.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert RetryPolicy(random=lambda: 0.0).backoff(3) == 0.0


@pytest.mark.parametrize(
    "header",
    ["-5", "-0.5", "1e12", "1" + "0" * 308, "1e308", "1e999", "inf", "nan", "604801",
     "Fri, 31 Dec 9999 23:59:59 GMT"],
)  # fmt: skip
def test_an_absurd_retry_after_is_an_endless_wait(header: str) -> None:
    assert parse_retry_after(header, now=lambda: NOW) == math.inf


@pytest.mark.parametrize("header", ["1e12", "1" + "0" * 308, "-5", "Fri, 31 Dec 9999 23:59:59 GMT"])
@respx.mock
def test_an_absurd_retry_after_fails_as_rate_limited_at_once(header: str) -> None:
    route = respx.post(PAUSE).respond(429, headers={"Retry-After": header})
    sleeps = Sleeps()
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=sleeps)
    assert sleeps.waits == []
    assert route.call_count == 1
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.RATE_LIMITED
    assert "outcome unknown" not in verdict.message
    assert "Retry-After is out of range: try again later" in verdict.message


@respx.mock
def test_a_week_long_retry_after_still_says_when() -> None:
    respx.post(PAUSE).respond(429, headers={"Retry-After": "604800"})
    verdict = act("woodpecker", Action.PAUSE, retries=3, sleep=Sleeps())
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.RATE_LIMITED
    assert "wait 604800 s: try again after" in verdict.message
