"""Property tests: no vendor answer, however odd, makes an adapter raise."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from campctl.providers import VENDOR_NAMES, adapter_class
from campctl.providers.base import Action, ListPage, Reply, error_fields
from campctl.results import Outcome, Verdict
from campctl.retry import parse_retry_after

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "data",
                    "campaign",
                    "status",
                    "error",
                    "code",
                    "message",
                    "success",
                    "detail",
                    "type",
                    "title",
                    "task_id",
                    "active_calls",
                    "campaign_status",
                    "pausedAt",
                    "startedAt",
                    "id",
                    "name",
                    "hasMore",
                    "next",
                    "campaigns",
                    "pagination",
                    "total",
                    "from_email",
                    "from_emails",
                    "current_status",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
bodies = st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode())
headers = st.dictionaries(
    st.sampled_from(["location", "retry-after", "content-type", "date", "x-other"]),
    st.text(max_size=40) | st.sampled_from(["Wed, 15 Jan 2025 14:23:30 GMT", "-1", "Z"]),
    max_size=3,
)
LISTERS = [v for v in VENDOR_NAMES if adapter_class(v).meta.can_list]


def _check(verdict: Verdict, status: int) -> None:
    assert isinstance(verdict, Verdict)
    assert verdict.outcome in (Outcome.DONE, Outcome.NOOP, Outcome.FAILED)
    assert verdict.http_status == status
    if verdict.outcome is Outcome.FAILED:
        assert verdict.error is not None
        assert verdict.error.http_status == status


@settings(max_examples=300, deadline=None)
@given(
    vendor=st.sampled_from(VENDOR_NAMES),
    action=st.sampled_from(list(Action)),
    status=st.integers(100, 599),
    body=bodies,
    hdrs=headers,
)
def test_any_answer_becomes_a_verdict(
    vendor: str, action: Action, status: int, body: bytes, hdrs: dict[str, str]
) -> None:
    cls = adapter_class(vendor)
    adapter = cls(cls.Options(), transport=None)  # type: ignore[arg-type]
    _check(adapter.read_reply(action, Reply(status, hdrs, body)), status)


@settings(max_examples=300, deadline=None)
@given(
    vendor=st.sampled_from(LISTERS),
    status=st.integers(100, 599),
    body=bodies,
    hdrs=headers,
    cursor=st.none() | st.integers(-5, 5000) | st.text(max_size=10),
)
def test_any_list_page_becomes_a_page_or_a_failure(
    vendor: str, status: int, body: bytes, hdrs: dict[str, str], cursor: int | str | None
) -> None:
    cls = adapter_class(vendor)
    adapter = cls(cls.Options(), transport=None)  # type: ignore[arg-type]
    result = adapter.read_list_reply(Reply(status, hdrs, body), cursor)
    if isinstance(result, ListPage):
        assert 200 <= status < 300
        for campaign in result.campaigns:
            assert adapter.check_id(campaign.campaign_id) is None
            assert campaign.status == (campaign.vendor_status or "").strip().lower() or (
                campaign.status in cls.meta.status_synonyms.values()
            )
    else:
        _check(result, status)


@settings(max_examples=200, deadline=None)
@given(
    action=st.sampled_from([Action.PAUSE, Action.RESUME]),
    stamp=st.text(max_size=30) | st.sampled_from(["2025-01-15T14:22:00Z", "2025-01-15T14:22"]),
    date=st.none() | st.text(max_size=40),
    sent_at=st.none() | st.floats(allow_nan=True, allow_infinity=True),
)
def test_leadterra_timestamps_never_raise(
    action: Action, stamp: str, date: str | None, sent_at: float | None
) -> None:
    cls = adapter_class("leadterra")
    adapter = cls(cls.Options(), transport=None)  # type: ignore[arg-type]
    field = "pausedAt" if action is Action.PAUSE else "startedAt"
    status = "paused" if action is Action.PAUSE else "running"
    body = json.dumps({"id": "camp_123", "status": status, field: stamp}).encode()
    hdrs = {} if date is None else {"date": date}
    verdict = adapter.read_reply(action, Reply(200, hdrs, body, sent_at=sent_at))
    assert verdict.outcome in (Outcome.DONE, Outcome.NOOP)
    assert verdict.status == status


@given(body=bodies, status=st.integers(100, 599))
def test_error_fields_never_raise(body: bytes, status: int) -> None:
    code, message = error_fields(Reply(status, {}, body))
    assert code is None or isinstance(code, str)
    assert message is None or isinstance(message, str)


@given(st.text(max_size=60))
def test_retry_after_never_raises_or_goes_negative(value: str) -> None:
    seconds = parse_retry_after(value, now=lambda: 1_800_000_000.0)
    assert seconds is None or seconds >= 0
