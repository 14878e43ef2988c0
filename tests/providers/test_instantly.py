"""Instantly adapter against every response in vendor-docs/instantly.md (real HttpTransport).

Fixtures are the reference's bodies: the observed pause/activate/get answers, the pause
page's schema example (`status: 1`), the uniform error bodies (400 with the schema's
`statusCode: 404` quirk), the observed two-page list walk (page 1 holds the reference's
campaigns, the last with the observed cursor ID; page 2 is the recorded `{"items":[]}`) and
the observed account.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from campctl import __version__
from campctl.providers.base import (
    Action,
    Campaign,
    CampaignList,
    InvalidCampaignId,
    VendorMeta,
    normalise_status,
)
from campctl.providers.instantly.adapter import InstantlyAdapter
from campctl.results import ErrorKind, Outcome, Verdict
from tests import helpers
from tests.helpers import act, build, cli, url
from tests.providers.common import (
    JSON,
    assert_failed,
    assert_list_failed,
    fixture_loader,
    listing,
    respond,
)

VENDOR = "instantly"
BASE = "https://api.instantly.ai"
CAMPAIGN = "afe53ec4-9af6-4032-b3b9-088bbfe8552a"  # the observed campaign
UUID_V4 = "9b6f458e-6dc5-4762-83d5-a528aedd2235"  # the observed Accounts Unhealthy one
META: VendorMeta = InstantlyAdapter.meta

REQUESTS = {
    Action.PAUSE: ("POST", f"/api/v2/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/api/v2/campaigns/{CAMPAIGN}/activate"),
    Action.STATUS: ("GET", f"/api/v2/campaigns/{CAMPAIGN}"),
}
ACTIONS = list(REQUESTS)
CHANGES = [Action.PAUSE, Action.RESUME]
SUCCESS = {
    Action.PAUSE: "pause_200.json",
    Action.RESUME: "activate_200.json",
    Action.STATUS: "campaign_200.json",
}

fixture = fixture_loader(VENDOR)


@pytest.fixture(autouse=True)
def instantly_in_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared helpers' tables name the vendors they were written for; add this one."""
    monkeypatch.setitem(helpers.BASE_URLS, VENDOR, BASE)
    monkeypatch.setitem(helpers.IDS, VENDOR, CAMPAIGN)


def mock(
    router: respx.MockRouter, action: Action, status: int, body: bytes, campaign: str = CAMPAIGN
) -> respx.Route:
    method, path = REQUESTS[action]
    return respond(router, VENDOR, method, path.replace(CAMPAIGN, campaign), status, body, JSON)


def body_with(name: str, **fields: Any) -> bytes:
    return json.dumps({**json.loads(fixture(name)), **fields}).encode()


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_request_method_path_bearer_key_and_user_agent(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, key="inst-key-abc")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == REQUESTS[action][0]
    assert str(request.url) == BASE + REQUESTS[action][1]
    assert request.headers["authorization"] == "Bearer inst-key-abc"
    assert "x-as-workspace" not in request.headers
    assert request.content == b""  # no body, no content type
    assert "content-type" not in request.headers


@pytest.mark.parametrize("action", ACTIONS)
def test_workspace_id_is_sent_as_x_as_workspace(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, options={"workspace_id": "ws-123"})

    assert route.calls.last.request.headers["x-as-workspace"] == "ws-123"


@pytest.mark.parametrize("options", [{}, {"workspace_id": None}, {"workspace_id": ""}], ids=str)
def test_no_workspace_header_when_unset(
    respx_mock: respx.MockRouter, options: dict[str, Any]
) -> None:
    route = mock(respx_mock, Action.PAUSE, 200, fixture("pause_200.json"))

    act(VENDOR, Action.PAUSE, options=options)

    assert "x-as-workspace" not in route.calls.last.request.headers


def test_unknown_profile_option_is_refused() -> None:
    with pytest.raises(ValueError, match="workspace"):
        InstantlyAdapter.Options.model_validate({"workspace": "ws-1"})


# -- documented successes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "raw", "message", "at"),
    [
        (Action.PAUSE, "paused", 2, "campaign paused", "2026-06-30T21:17:39.364Z"),
        (Action.RESUME, "running", 1, "campaign activated", "2026-06-30T21:44:44.198Z"),
    ],
)
def test_observed_answer_is_done_in_the_state_its_body_states(
    respx_mock: respx.MockRouter, action: Action, status: str, raw: int, message: str, at: str
) -> None:
    mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert (verdict.status, verdict.message, verdict.at) == (status, message, at)
    assert verdict.details == {"vendor_status": raw}  # a number stays a number
    assert (verdict.http_status, verdict.attempts, verdict.error) == (200, 1, None)


def test_status_fixture_as_observed(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 200, fixture("campaign_200.json"), UUID_V4)

    verdict = act(VENDOR, Action.STATUS, UUID_V4)

    assert route.call_count == 1
    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "vendor_paused")
    assert verdict.details == {"vendor_status": -1}
    assert verdict.message == "campaign is vendor_paused"
    assert verdict.at == "2026-06-30T21:15:16.816Z"


STATUSES = [
    (1, "running"),  # Active
    (4, "running"),  # Running Subsequences: it still sends
    (2, "paused"),
    (0, "draft"),
    (3, "completed"),
    (-2, "vendor_paused"),  # Bounce Protect
    (-1, "vendor_paused"),  # Accounts Unhealthy
    (-99, "vendor_paused"),  # Account Suspended
    (5, "5"),  # undocumented: its decimal text, never running
    (-3, "-3"),
]


@pytest.mark.parametrize(("raw", "status"), STATUSES)
def test_every_numeric_status_in_the_one_vocabulary(
    respx_mock: respx.MockRouter, raw: int, status: str
) -> None:
    mock(respx_mock, Action.STATUS, 200, body_with("pause_200.json", status=raw))

    verdict = act(VENDOR, Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, status)
    assert verdict.details == {"vendor_status": raw}
    assert normalise_status(raw, META.status_synonyms) == status


def test_meta_facts() -> None:
    assert META.default_base_url == BASE
    assert META.auth_style == "Authorization: Bearer <key>"
    assert META.numeric_status
    assert not META.answer_tells
    assert (META.can_status, META.can_list, META.exposes_senders) == (True, True, True)
    assert not META.server_running_filter
    assert META.limit.windows == ((100, 1.0), (6000, 60.0))
    assert META.limit.per_minute == 6000
    options = InstantlyAdapter.Options.model_validate({"workspace_id": "ws-1"})
    assert META.limit.shared_with(options) == "workspace_id=ws-1"
    assert set(META.safety_pauses) == {-2, -1, -99}
    bounce = META.safety_reason(-2)
    assert "Bounce Protect" in bounce
    assert "7 days" in bounce
    assert "Accounts Unhealthy" in META.safety_reason(-1)
    assert "Account Suspended" in META.safety_reason(-99)


# -- an answer that names another state: one status read decides -------------------------------


def test_pause_answered_active_is_confirmed_by_a_status_read(respx_mock: respx.MockRouter) -> None:
    """The pause page's own example reads `status: 1`: not trusted, read back."""
    mock(respx_mock, Action.PAUSE, 200, body_with("pause_200_example.json", id=CAMPAIGN))
    read = mock(respx_mock, Action.STATUS, 200, fixture("pause_200.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert read.call_count == 1
    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "paused"
    assert verdict.message == (
        "campaign paused (Instantly answered the pause with running (status 1); "
        "a status read confirms paused)"
    )
    assert verdict.details == {"vendor_status": 2}
    assert (verdict.http_status, verdict.attempts) == (200, 1)


@pytest.mark.parametrize(
    ("action", "answered", "reads", "status"),
    [
        (Action.PAUSE, 1, 1, "running"),
        (Action.PAUSE, -2, -2, "vendor_paused"),
        (Action.RESUME, -1, -1, "vendor_paused"),
        (Action.RESUME, 2, 0, "draft"),
    ],
)
def test_a_read_that_still_disagrees_is_a_conflict(
    respx_mock: respx.MockRouter, action: Action, answered: int, reads: int, status: str
) -> None:
    mock(respx_mock, action, 200, body_with("pause_200.json", status=answered))
    mock(respx_mock, Action.STATUS, 200, body_with("pause_200.json", status=reads))

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.CONFLICT
    assert verdict.status == status
    assert verdict.details == {"vendor_status": reads}
    assert f"answered the {action.value} with " in verdict.message
    assert f"(status {answered})" in verdict.message
    assert verdict.message.endswith(f"a status read shows {status}")


def test_a_failed_confirming_read_fails_with_its_kind(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, body_with("pause_200.json", status=1))
    mock(respx_mock, Action.STATUS, 404, fixture("error_404.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.NOT_FOUND, 200, None)  # 200: the pause's own answer
    assert "the status read failed: Resource not found (HTTP 404)" in verdict.message
    assert verdict.details["outcome_unknown"] is True


# -- documented errors ------------------------------------------------------------------------

ERRORS = [
    (action, status, name, kind)
    for action in ACTIONS
    for status, name, kind in [
        (400, "error_400.json", ErrorKind.INVALID_REQUEST),
        (401, "error_401.json", ErrorKind.AUTH),
        (402, "error_402.json", ErrorKind.PERMISSION),
        (404, "error_404.json", ErrorKind.NOT_FOUND),
        (429, "error_429.json", ErrorKind.RATE_LIMITED),
    ]
    if not (action is Action.STATUS and status == 400)  # the GET lists no 400
]


@pytest.mark.parametrize(
    ("action", "status", "name", "kind"), ERRORS, ids=[f"{r[0].value}-{r[1]}" for r in ERRORS]
)
def test_documented_error(
    respx_mock: respx.MockRouter, action: Action, status: int, name: str, kind: ErrorKind
) -> None:
    route = mock(respx_mock, action, status, fixture(name))

    verdict = act(VENDOR, action)

    assert route.call_count == 1  # retries=0
    assert_failed(verdict, kind, status, None)  # `error` is a reason phrase, not a code
    text = json.loads(fixture(name))["message"]
    note = " (Instantly: no active paid plan)" if status == 402 else ""
    assert verdict.message == f"{text} (HTTP {status}){note}"
    assert verdict.error is not None
    assert verdict.error.message == verdict.message


def test_the_400_whose_body_says_404_is_classified_by_the_status_line(
    respx_mock: respx.MockRouter,
) -> None:
    assert json.loads(fixture("error_400.json"))["statusCode"] == 404
    mock(respx_mock, Action.PAUSE, 400, fixture("error_400.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, None)


def test_402_without_a_body_is_still_permission(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.RESUME, 402, b"")

    verdict = act(VENDOR, Action.RESUME)

    assert_failed(verdict, ErrorKind.PERMISSION, 402, None)
    assert "no active paid plan" in verdict.message


def test_an_edge_block_page_is_permission(respx_mock: respx.MockRouter) -> None:
    page = b"<!DOCTYPE html><html><body><h1>Sorry, you have been blocked</h1></body></html>"
    respx_mock.post(url(VENDOR, REQUESTS[Action.PAUSE][1])).respond(
        403, content=page, headers={"content-type": "text/html"}
    )

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.PERMISSION, 403, None)
    assert "HTML page instead of JSON" in verdict.message


# -- bodies that are not what Instantly documents ---------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"status": "1"}, "the status is not an integer"),
        ({"status": True}, "the status is not an integer"),
        ({"status": None}, "the status is not an integer"),
        ({"status": 1.0}, "the status is not an integer"),
    ],
    ids=["string", "bool", "null", "float"],
)
def test_a_status_that_is_not_an_integer_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, fields: dict[str, Any], detail: str
) -> None:
    mock(respx_mock, action, 200, body_with(SUCCESS[action], **fields))

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert detail in verdict.message


@pytest.mark.parametrize("action", ACTIONS)
def test_a_body_without_status_is_bad_response(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    mock(respx_mock, action, 200, json.dumps({"id": CAMPAIGN, "name": "x"}).encode())

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert "missing field 'status'" in verdict.message


@pytest.mark.parametrize("action", ACTIONS)
def test_only_status_is_required(respx_mock: respx.MockRouter, action: Action) -> None:
    """Live bodies omit optional fields: parse with defaults."""
    raw = 2 if action is Action.PAUSE else 1
    mock(respx_mock, action, 200, json.dumps({"status": raw}).encode())

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.details == {"vendor_status": raw}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_answer_about_another_campaign_is_bad_response(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    mock(respx_mock, action, 200, body_with(SUCCESS[action], id=UUID_V4))

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert f"another campaign than {CAMPAIGN}" in verdict.message
    assert UUID_V4 not in verdict.message  # vendor text is not quoted


@pytest.mark.parametrize("action", ACTIONS)
def test_the_echo_is_compared_in_any_letter_case(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    mock(respx_mock, action, 200, body_with(SUCCESS[action], id=CAMPAIGN.upper()))

    assert act(VENDOR, action).outcome is Outcome.DONE


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign_id",
    [
        CAMPAIGN,  # v4, observed
        "019cc043-aee6-7ae9-a545-d7de53430e37",  # v7, the docs' example
        "019CC043-AEE6-7AE9-A545-D7DE53430E37",
        "00000000-0000-0000-0000-000000000000",  # no version check
    ],
)
def test_check_id_accepts_any_uuid(campaign_id: str) -> None:
    InstantlyAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    [
        "",
        "12345",
        "afe53ec49af64032b3b9088bbfe8552a",  # no hyphens
        "{afe53ec4-9af6-4032-b3b9-088bbfe8552a}",
        "afe53ec4-9af6-4032-b3b9-088bbfe8552",
        "afe53ec4-9af6-4032-b3b9-088bbfe8552az",
        "gfe53ec4-9af6-4032-b3b9-088bbfe8552a",
        " afe53ec4-9af6-4032-b3b9-088bbfe8552a",
        "afe53ec4-9af6-4032-b3b9-088bbfe8552a\n",
        "../campaigns",
    ],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="expected a UUID"):
        InstantlyAdapter.check_id(campaign_id)


# -- campaign list: cursor pages, running filtered here ----------------------------------------

LIST = "/api/v2/campaigns"
CURSOR = "142b0358-50f6-4820-9f58-4e4fb5921d79"


def mock_list(router: respx.MockRouter, *pages: bytes) -> respx.Route:
    route = router.get(url(VENDOR, LIST))
    route.side_effect = [httpx.Response(200, content=page, headers=JSON) for page in pages]
    return route


@pytest.mark.parametrize("running_only", [True, False])
def test_list_walks_cursor_pages_until_the_empty_one(
    respx_mock: respx.MockRouter, running_only: bool
) -> None:
    route = mock_list(respx_mock, fixture("list_page_1.json"), fixture("list_page_2.json"))

    listed = listing(VENDOR, running_only, options={"workspace_id": "ws-9"})

    assert listed.failure is None
    first, second = (call.request for call in route.calls)
    assert first.url.query.decode() == "limit=100"  # unfiltered: running is 1 and 4
    assert second.url.query.decode() == f"limit=100&starting_after={CURSOR}"
    assert all(r.headers["x-as-workspace"] == "ws-9" for r in (first, second))
    running = Campaign(CURSOR, "My First Campaign", "running", 1, ("john@doe.com",))
    if running_only:
        assert listed.campaigns == [running]
        return
    assert [(c.campaign_id, c.status, c.vendor_status, c.senders) for c in listed.campaigns] == [
        (CAMPAIGN, "vendor_paused", -1, ()),
        (UUID_V4, "vendor_paused", -1, ()),
        (CURSOR, "running", 1, ("john@doe.com",)),
    ]


def test_list_stops_without_a_cursor(respx_mock: respx.MockRouter) -> None:
    page = json.loads(fixture("list_page_1.json"))
    del page["next_starting_after"]
    route = mock_list(respx_mock, json.dumps(page).encode())

    listed = listing(VENDOR)

    assert route.call_count == 1
    assert len(listed.campaigns) == 3


def test_list_stops_at_a_null_cursor(respx_mock: respx.MockRouter) -> None:
    route = mock_list(respx_mock, json.dumps({"items": [], "next_starting_after": None}).encode())

    assert listing(VENDOR) == CampaignList([], None)
    assert route.call_count == 1


def test_list_running_filter_takes_1_and_4_only(respx_mock: respx.MockRouter) -> None:
    ids = {raw: f"00000000-0000-4000-8000-{abs(raw):012d}" for raw, _ in STATUSES}
    items = [{"id": ids[raw], "name": f"s{raw}", "status": raw} for raw, _ in STATUSES]
    mock_list(respx_mock, json.dumps({"items": items}).encode())

    listed = listing(VENDOR, running_only=True)

    assert sorted(c.vendor_status for c in listed.campaigns) == [1, 4]  # type: ignore[type-var]


def test_list_follows_several_cursor_pages(respx_mock: respx.MockRouter) -> None:
    def page(n: int) -> bytes:
        cid = f"00000000-0000-4000-8000-{n:012d}"
        item = {"id": cid, "name": None, "status": 1}
        return json.dumps({"items": [item], "next_starting_after": cid}).encode()

    route = mock_list(respx_mock, page(1), page(2), page(3), b'{"items": []}')

    listed = listing(VENDOR, running_only=True)

    assert route.call_count == 4
    assert [c.campaign_id[-1] for c in listed.campaigns] == ["1", "2", "3"]
    assert route.calls[3].request.url.params["starting_after"].endswith("3")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"[]", "missing field 'items'"),
        (b"{}", "missing field 'items'"),
        (b'{"items": {}}', "'items' is not a list"),
        (b'{"items": [1]}', "is not an object"),
        (b'{"items": [{"id": "' + CAMPAIGN.encode() + b'"}]}', "missing field 'status'"),
        (b'{"items": [{"status": 1}]}', "missing field 'id'"),
        (b'{"items": [{"id": "' + CAMPAIGN.encode() + b'", "status": "1"}]}', "not an integer"),
        (b'{"items": [{"id": "42", "status": 1}]}', "not a valid Instantly campaign ID"),
        (b'{"items": [], "next_starting_after": 5}', "'next_starting_after' is not a cursor"),
        (b'{"items": [], "next_starting_after": ""}', "'next_starting_after' is not a cursor"),
        (
            b'{"items": [{"id": "' + CAMPAIGN.encode() + b'", "status": 1, "email_list": "a@b"}]}',
            "'email_list' is not a list of strings",
        ),
        (
            b'{"items": [{"id": "'
            + CAMPAIGN.encode()
            + b'", "status": 1, "email_tag_list": [7]}]}',
            "'email_tag_list' is not a list of strings",
        ),
    ],
)
def test_list_malformed_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    mock_list(respx_mock, body)

    assert_list_failed(listing(VENDOR), ErrorKind.BAD_RESPONSE, 200, "Instantly", detail)


def test_list_cursor_that_repeats_is_bad_response(respx_mock: respx.MockRouter) -> None:
    page = fixture("list_page_1.json")
    mock_list(respx_mock, page, page)

    assert_list_failed(listing(VENDOR), ErrorKind.BAD_RESPONSE, 200, "does not advance")


@pytest.mark.parametrize(
    ("status", "name", "kind"),
    [
        (401, "error_401.json", ErrorKind.AUTH),
        (402, "error_402.json", ErrorKind.PERMISSION),
        (404, "error_404.json", ErrorKind.NOT_FOUND),
        (429, "error_429.json", ErrorKind.RATE_LIMITED),
    ],
)
def test_list_documented_errors(
    respx_mock: respx.MockRouter, status: int, name: str, kind: ErrorKind
) -> None:
    respx_mock.get(url(VENDOR, LIST)).respond(status, content=fixture(name), headers=JSON)

    assert_list_failed(listing(VENDOR), kind, status)


def test_an_error_on_page_two_fails_the_listing_naming_the_page(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(url(VENDOR, LIST))
    route.side_effect = [
        httpx.Response(200, content=fixture("list_page_1.json"), headers=JSON),
        httpx.Response(402, content=fixture("error_402.json"), headers=JSON),
    ]

    assert_list_failed(listing(VENDOR), ErrorKind.PERMISSION, 402, "(campaign list page 2)")


# -- senders: email_list, plus the accounts of the tags of running campaigns -------------------

TAG = "019cc043-aee6-7ae9-a545-d7df85a583a2"
OTHER_TAG = "019cc043-aee6-7ae9-a545-d7df85a583a3"
ACCOUNTS = "/api/v2/accounts"


def item(n: int, status: int, emails: list[str], tags: list[str]) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "name": f"c{n}",
        "status": status,
        "email_list": emails,
        "email_tag_list": tags,
    }


def accounts_page(*emails: str, cursor: bool = True) -> httpx.Response:
    account = json.loads(fixture("account_200.json"))
    items = [{**account, "email": e} for e in emails]
    body: dict[str, Any] = {"items": items}
    if cursor and emails:
        body["next_starting_after"] = emails[-1]
    return httpx.Response(200, json=body)


def senders_of(items: list[dict[str, Any]], **kwargs: Any) -> list[Campaign] | Verdict:
    """List, then fill in senders, as `--sender` does."""
    import asyncio

    async def go() -> list[Campaign] | Verdict:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            adapter = build(VENDOR, client, **kwargs)
            listed = await adapter.campaigns()
            assert listed.failure is None
            return await adapter.with_senders(listed.campaigns)

    return asyncio.run(go())


def test_running_campaigns_gain_their_tag_accounts(respx_mock: respx.MockRouter) -> None:
    items = [
        item(1, 1, ["Erlich@Acme.io", " jared@acme.io ", ""], [TAG]),
        item(2, 4, [], [TAG, OTHER_TAG]),  # Running Subsequences: it still sends
        item(3, 2, ["paused@acme.io"], [OTHER_TAG]),  # not running: its tags are not read
        item(4, 1, ["solo@other.io"], []),
    ]
    mock_list(respx_mock, json.dumps({"items": items}).encode())
    tag = respx_mock.get(url(VENDOR, ACCOUNTS), params={"tag_ids": TAG})
    tag.side_effect = [
        accounts_page("Monica@Acme.io", "jared@acme.io"),
        accounts_page("dinesh@acme.io"),
        accounts_page(),
    ]
    other = respx_mock.get(url(VENDOR, ACCOUNTS), params={"tag_ids": OTHER_TAG})
    other.side_effect = [accounts_page("sales@other.io", cursor=False)]

    read = senders_of(items)

    assert not isinstance(read, Verdict)
    assert [c.senders for c in read] == [
        ("erlich@acme.io", "jared@acme.io", "monica@acme.io", "dinesh@acme.io"),
        ("monica@acme.io", "jared@acme.io", "dinesh@acme.io", "sales@other.io"),
        ("paused@acme.io",),
        ("solo@other.io",),
    ]
    assert tag.call_count == 3  # one walk per distinct tag, to its empty page
    assert other.call_count == 1
    queries = [call.request.url.params for call in tag.calls]
    assert [q.get("starting_after") for q in queries] == [None, "jared@acme.io", "dinesh@acme.io"]
    assert all(q["limit"] == "100" for q in queries)


def test_no_tags_no_account_reads(respx_mock: respx.MockRouter) -> None:
    items = [item(1, 1, ["a@acme.io"], []), item(2, 2, [], [TAG])]
    mock_list(respx_mock, json.dumps({"items": items}).encode())

    read = senders_of(items)

    assert not isinstance(read, Verdict)
    assert [c.senders for c in read] == [("a@acme.io",), ()]
    assert len(respx_mock.calls) == 1


@pytest.mark.parametrize(
    ("answer", "kind", "detail"),
    [
        (httpx.Response(402, content=b"", headers=JSON), ErrorKind.PERMISSION, "paid plan"),
        (httpx.Response(200, json={"items": [{"email": 5}]}), ErrorKind.BAD_RESPONSE, "email"),
        (httpx.Response(200, json={"accounts": []}), ErrorKind.BAD_RESPONSE, "'items'"),
    ],
    ids=["402", "email-not-a-string", "no-items"],
)
def test_a_failed_tag_read_fails_the_selection(
    respx_mock: respx.MockRouter, answer: httpx.Response, kind: ErrorKind, detail: str
) -> None:
    items = [item(1, 1, [], [TAG])]
    mock_list(respx_mock, json.dumps({"items": items}).encode())
    respx_mock.get(url(VENDOR, ACCOUNTS)).mock(return_value=answer)

    read = senders_of(items)

    assert isinstance(read, Verdict)
    assert read.error is not None
    assert read.error.kind is kind
    assert detail in read.message
    assert f"(accounts of tag {TAG}, page 1)" in read.message


def test_an_accounts_cursor_that_repeats_fails(respx_mock: respx.MockRouter) -> None:
    items = [item(1, 1, [], [TAG])]
    mock_list(respx_mock, json.dumps({"items": items}).encode())
    respx_mock.get(url(VENDOR, ACCOUNTS)).mock(return_value=accounts_page("a@acme.io"))

    read = senders_of(items)

    assert isinstance(read, Verdict)
    assert "does not advance" in read.message
    assert "page 2" in read.message


# -- through the CLI: exit codes --------------------------------------------------------------


@respx.mock
def test_402_exits_4_for_status_and_pause() -> None:
    read = respx.get(url(VENDOR, REQUESTS[Action.STATUS][1])).respond(
        402, content=fixture("error_402.json"), headers=JSON
    )
    env = {"INSTANTLY_API_KEY": "inst-key-0123456789"}

    status = cli(["status", "--json", f"instantly:{CAMPAIGN}"], env=env)
    pause = cli(["pause", "--json", "--no-audit", f"instantly:{CAMPAIGN}"], env=env)

    assert status.exit_code == pause.exit_code == 4, (status.stderr, pause.stderr)
    for out in (status, pause):
        (result,) = json.loads(out.stdout)["results"]
        assert result["error"]["kind"] == "permission"
        assert "no active paid plan" in result["message"]
    assert "inst-key" not in status.stdout + pause.stdout
    assert read.call_count == 2  # the pause read the prior state first, and sent nothing
    assert read.calls.last.request.headers["user-agent"] == f"campctl/{__version__}"


def test_a_bad_id_is_a_usage_error_naming_the_format() -> None:
    out = cli(["pause", "instantly:12345"], env={"INSTANTLY_API_KEY": "inst-key-0123456789"})

    assert out.exit_code == 2
    assert "expected a UUID (any version)" in out.stderr
