"""The shared parts of providers/base.py: the status vocabulary, the campaign-list paging loop
and its guards against a hostile vendor, and the --verify helper.

The loop is driven here through a made-up vendor and a scripted transport, so a vendor that
pages forever can be played out to the page cap without 1000 HTTP mocks.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

import pytest

from campctl.providers import VENDOR_NAMES, adapter_class
from campctl.providers.base import (
    MAX_LIST_PAGES,
    STATUS_VOCABULARY,
    Action,
    Adapter,
    Auth,
    CampaignList,
    Cursor,
    Exchange,
    ListPage,
    Reply,
    RequestSpec,
    VendorMeta,
    dig,
    in_intended_state,
    intended_state,
    json_body,
    normalise_status,
    objects,
    unverifiable,
)
from campctl.results import ErrorKind, Outcome, Verdict

# -- the one status vocabulary ----------------------------------------------------------------

# PRODUCT.md: running (Leadlex and Alta `active`, VoiceGenie `in_progress`, Woodpecker
# `RUNNING`), paused, draft, completed, stopped, scheduled, edited, pending_approval.
VENDOR_WORDS = [
    ("leadlex", "active", "running"),
    ("leadlex", "paused", "paused"),
    ("leadlex", "draft", "draft"),
    ("leadlex", "completed", "completed"),
    ("leadlex", "pending_approval", "pending_approval"),
    ("leadterra", "running", "running"),
    ("leadterra", "paused", "paused"),
    ("leadterra", "draft", "draft"),
    ("voicegenie", "running", "running"),
    ("voicegenie", "in_progress", "running"),
    ("voicegenie", "paused", "paused"),
    ("voicegenie", "scheduled", "scheduled"),
    ("voicegenie", "completed", "completed"),
    ("voicegenie", "draft", "draft"),
    ("voicegenie", "stopped", "stopped"),
    ("voicegenie", "failed", "failed"),
    ("alta", "active", "running"),
    ("alta", "Active", "running"),
    ("alta", "paused", "paused"),
    ("alta", "draft", "draft"),
    ("alta", "completed", "completed"),
    ("woodpecker", "RUNNING", "running"),
    ("woodpecker", "PAUSED", "paused"),
    ("woodpecker", "DRAFT", "draft"),
    ("woodpecker", "EDITED", "edited"),
    ("woodpecker", "STOPPED", "stopped"),
    ("woodpecker", "COMPLETED", "completed"),
    ("woodpecker", "ERROR", "error"),
]


@pytest.mark.parametrize(("vendor", "word", "state"), VENDOR_WORDS)
def test_every_vendor_word_in_the_one_vocabulary(vendor: str, word: str, state: str) -> None:
    assert adapter_class(vendor).state(word) == state


def test_synonyms_are_per_vendor_not_shared() -> None:
    """`active` is running only where the vendor says so; `in_progress` only for VoiceGenie."""
    assert normalise_status("active") == "active"
    assert normalise_status("in_progress") == "in_progress"
    assert adapter_class("woodpecker").state("in_progress") == "in_progress"
    assert adapter_class("voicegenie").state("active") == "active"


@pytest.mark.parametrize(
    ("word", "state"),
    [("PAUSED", "paused"), (" Running ", "running"), ("Weird-State", "weird-state"), ("", "")],
)
def test_unknown_words_are_lower_cased(word: str, state: str) -> None:
    assert normalise_status(word) == state


def test_vocabulary_is_product_mds() -> None:
    product = {
        "running",
        "paused",
        "draft",
        "completed",
        "stopped",
        "scheduled",
        "edited",
        "pending_approval",
    }
    assert product == STATUS_VOCABULARY


def test_reply_sent_at_defaults_to_unknown() -> None:
    reply = Reply(200, {}, b"")
    assert reply.sent_at is None
    assert Reply(200, {}, b"", 1.5).sent_at == 1.5


# -- --verify ---------------------------------------------------------------------------------


def _read(status: str | None, outcome: Outcome = Outcome.DONE) -> Verdict:
    return Verdict(outcome, "campaign is ...", status=status)


@pytest.mark.parametrize(
    ("action", "read", "expected"),
    [
        (Action.PAUSE, _read("paused"), True),
        (Action.PAUSE, _read("running"), False),
        (Action.PAUSE, _read("draft"), False),
        (Action.RESUME, _read("running"), True),
        (Action.RESUME, _read("paused"), False),
        (Action.RESUME, _read("pending_approval"), None),  # awaiting Leadlex's reviewer
        (Action.PAUSE, _read("pending_approval"), False),
        (Action.PAUSE, _read(None), None),
        (Action.PAUSE, Verdict.failure(ErrorKind.UNSUPPORTED, "no status GET"), None),
        (Action.RESUME, Verdict.failure(ErrorKind.TIMEOUT, "slow"), None),
    ],
)
def test_in_intended_state(action: Action, read: Verdict, expected: bool | None) -> None:
    assert in_intended_state(action, read) is expected


def test_intended_state() -> None:
    assert (intended_state(Action.PAUSE), intended_state(Action.RESUME)) == ("paused", "running")


def test_unverifiable_says_why_or_nothing() -> None:
    leadterra, leadlex = adapter_class("leadterra").meta, adapter_class("leadlex").meta
    assert unverifiable(leadterra, "paused") == "Leadterra documents no status endpoint"
    assert "approv" in (unverifiable(leadlex, "pending_approval") or "")
    assert unverifiable(leadlex, "running") is None
    assert unverifiable(leadlex, "paused") is None


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_verify_reads_back_what_a_vendor_status_word_means(vendor: str) -> None:
    """Alta's `active` after a resume verifies; so does Woodpecker's `PAUSED` after a pause."""
    cls = adapter_class(vendor)
    running: str | int = {"leadlex": "active", "alta": "active", "woodpecker": "RUNNING",
                          "instantly": 1}.get(vendor, "running")  # fmt: skip
    paused: str | int = {"woodpecker": "PAUSED", "instantly": 2}.get(vendor, "paused")
    assert in_intended_state(Action.RESUME, _read(cls.state(running))) is True
    assert in_intended_state(Action.PAUSE, _read(cls.state(paused))) is True
    assert in_intended_state(Action.PAUSE, _read(cls.state(running))) is False


# -- the paging loop, against a scripted vendor -----------------------------------------------


class Scripted:
    """A transport that answers list requests from a function of the request path."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.sent: set[str] = set()
        self.labels: list[str] = []
        self.paths: list[str] = []

    async def send(self, spec: RequestSpec, label: str) -> Exchange:
        self.labels.append(label)
        self.paths.append(spec.path)
        self.sent.add(label)
        answer = self.answer(spec.path)
        if isinstance(answer, Verdict):
            return Exchange(None, answer, 1)
        return Exchange(Reply(200, {}, json.dumps(answer).encode()), None, 1)

    def describe(self, spec: RequestSpec) -> dict[str, Any]:
        return {}


class Paged(Adapter):
    """A made-up vendor: `GET /list?c=<cursor>` → `{"items": [...], "next": cursor|null}`."""

    meta: ClassVar[VendorMeta] = VendorMeta(
        name="paged",
        title="Paged",
        default_base_url="https://paged.test",
        auth=Auth.header("x-api-key"),
        id_pattern=r"[a-z0-9]{1,8}",
        id_format="a-z0-9",
        rate_limit="none",
        docs_url="https://paged.test/docs",
        status_synonyms={"on": "running"},
        can_list=True,
    )

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        return RequestSpec("GET", f"/list?c={cursor}")

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        body = json_body(reply)
        items = objects(dig(body, "items"), "items")
        campaigns = [self.campaign(dig(i, "id"), i.get("name"), dig(i, "status")) for i in items]
        return ListPage(campaigns, body.get("next"))


def run(answer: Any, running_only: bool = False) -> tuple[CampaignList, Scripted]:
    transport = Scripted(answer)
    listed = asyncio.run(Paged(Paged.Options(), transport).campaigns(running_only))
    return listed, transport


def test_loop_pages_and_filters_on_the_normalised_status() -> None:
    pages = {
        "/list?c=None": {"items": [{"id": "a", "status": "on"}, {"id": "b", "status": "off"}]},
        "/list?c=p2": {"items": [{"id": "c", "status": "ON", "name": "C"}], "next": None},
    }
    pages["/list?c=None"]["next"] = "p2"
    listed, transport = run(pages.__getitem__, running_only=True)
    assert listed.failure is None
    assert [(c.campaign_id, c.status, c.vendor_status) for c in listed.campaigns] == [
        ("a", "running", "on"),
        ("c", "running", "ON"),
    ]
    assert transport.paths == ["/list?c=None", "/list?c=p2"]


def test_loop_labels_are_per_page_and_never_a_campaign_label() -> None:
    listed, transport = run(
        lambda path: {"items": [], "next": None if path.endswith("3") else path[-1] + "3"}
    )
    assert listed.failure is None
    assert transport.labels == ["paged campaign list, page 1", "paged campaign list, page 2"]
    # A campaign's label is "vendor:ID" (the Ctrl-C accounting reads them): never this shape.
    assert all(":" not in label for label in transport.labels)


def test_loop_stops_at_the_page_cap() -> None:
    counter = iter(range(10**6))
    listed, transport = run(lambda path: {"items": [], "next": f"n{next(counter)}"})
    assert len(transport.paths) == MAX_LIST_PAGES
    assert listed.campaigns == []
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.BAD_RESPONSE
    assert f"did not end within {MAX_LIST_PAGES} pages" in listed.failure.message


@pytest.mark.parametrize(
    "cursors",
    [[5, 5], [5, 3], [5, 10, 10], [5, 0], ["x", "y", "x"]],
    ids=["same-offset", "offset-back", "stuck-later", "back-to-start", "string-repeat"],
)
def test_loop_cursor_that_does_not_advance_is_bad_response(cursors: list[Cursor]) -> None:
    script = iter(cursors)
    listed, transport = run(lambda path: {"items": [], "next": next(script)})
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.BAD_RESPONSE
    assert "does not advance" in listed.failure.message
    assert len(transport.paths) == len(cursors)


def test_loop_transport_failure_is_the_listing_failure() -> None:
    timeout = Verdict.failure(ErrorKind.TIMEOUT, "no answer within 10 s (--timeout)")
    listed, _ = run(lambda path: timeout)
    assert listed == CampaignList([], timeout)


def test_loop_invalid_listed_id_is_bad_response() -> None:
    listed, _ = run(lambda path: {"items": [{"id": "NOT/OK", "status": "on"}]})
    assert listed.failure is not None
    assert "listed campaign ID 'NOT/OK' is not a valid Paged campaign ID" in listed.failure.message


def test_loop_deeply_nested_page_is_bad_response() -> None:
    class Deep(Scripted):
        async def send(self, spec: RequestSpec, label: str) -> Exchange:
            return Exchange(Reply(200, {}, b"[" * 100_000 + b"]" * 100_000), None, 1)

    listed = asyncio.run(Paged(Paged.Options(), Deep(None)).campaigns())
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.BAD_RESPONSE


def test_loop_without_a_list_is_unsupported() -> None:
    class NoList(Paged):
        meta = Paged.meta._replace(can_list=False, list_note="documents no list here")

        def list_request(self, cursor: Cursor | None, running_only: bool) -> None:  # type: ignore[override]
            return None

    transport = Scripted(None)
    listed = asyncio.run(NoList(NoList.Options(), transport).campaigns())
    assert transport.paths == []
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.UNSUPPORTED
    assert listed.failure.message == "Paged documents no list here"
