"""lemlist: HTTP Basic with an empty user name and the key as password; 20 requests per 2 s
per key. Pause and start answer 200 `{"_id", "state"}`; the campaign read carries `status`
(`ended` is completed; `archived` and `errors` stay as they are). Errors are `text/plain`
strings (`Campaign not found`, `Bad team`): read as text and classified by HTTP status.

Campaign list: `GET /campaigns?version=v2&limit=100&page=N` (`&status=running` filters
server-side) until the last page. Senders (`senders[].email`) are only on the single-campaign
GET, so `--sender` costs one read per running campaign.

Where the reference is silent or contradictory, the safe reading:

- A 400 on pause/start may mean "already in that state" (live reports) though the docs
  promise a silent no-op: one status read decides. The target state → `noop`; anything else,
  or a failed read, leaves the 400 standing (`invalid_request`).
- A 200 whose `state` is not the target state is not trusted: one status read decides (the
  shared rule, `Adapter.settled`).
- The list may be a bare array (the spec) or `{"campaigns", "pagination"}` (the wire);
  anything else is `bad_response`. The envelope pages until `currentPage >= totalPage`; the
  bare array until a page holds fewer than 100. An empty page before the last one, or a page
  numbered other than asked, is `bad_response` (a list that does not advance).
- Campaign IDs: `cam_` and 1-60 letters or digits (real IDs have 17; the docs' examples 6-18).
- A status outside the documented enum is reported lower-cased, never as running; `hasError`
  with `errors[]` is a running campaign with errors, not a pause (listed in `details.errors`).
- `Retry-After` is fractional and sent on 200s too: the shared retry honours it only on a
  429. `X-RateLimit-Reset` (a date string) is not read.
- A 429 body is undocumented: the status alone decides (`rate_limited`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from campctl.providers.base import (
    Action,
    Adapter,
    Auth,
    BadBody,
    Cursor,
    ListPage,
    Reply,
    RequestSpec,
    VendorLimit,
    VendorMeta,
    dig,
    echoed,
    intended_state,
    json_body,
    objects,
    same_campaign,
    text,
)
from campctl.results import ErrorKind, Outcome, Verdict, kind_for_status

PAGE_SIZE = 100  # the documented maximum
_VERBS = {Action.PAUSE: "pause", Action.RESUME: "start"}
_MAX_TEXT = 300  # characters of a text/plain error body kept in the message


class LemlistAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="lemlist",
        title="lemlist",
        default_base_url="https://api.lemlist.com/api",
        auth=Auth.basic(""),
        id_pattern=r"cam_[A-Za-z0-9]{1,60}",
        id_format="'cam_' then letters or digits, e.g. cam_bSn8EORHQxbWPjHvu",
        rate_limit="20 requests per 2 s per key",
        docs_url="https://developer.lemlist.com/api-reference/endpoints/campaigns/pause-campaign",
        limit=VendorLimit(windows=((20, 2.0),)),
        status_synonyms={"ended": "completed"},
        can_list=True,
        exposes_senders=True,
        server_running_filter=True,
        reads_lag=True,
    )

    async def settled(self, action: Action, answer: Verdict, campaign_id: str) -> Verdict:
        """A 400 to a pause or start may mean "already in that state" (the docs promise a
        no-op): the campaign's read tells; otherwise the shared rule."""
        if answer.outcome is Outcome.FAILED and answer.http_status == 400:
            return await self._maybe_already(action, campaign_id, answer)
        return await super().settled(action, answer, campaign_id)

    async def _maybe_already(self, action: Action, campaign_id: str, refused: Verdict) -> Verdict:
        """A 400 may mean "already in that state": the read says whether it does."""
        read = await self.status(campaign_id)
        if read.outcome is not Outcome.DONE or read.status != intended_state(action):
            return refused
        message = f"campaign is already {read.status}"
        if refused.attempts > 1:
            message += " (an earlier attempt may have landed)"
        noop = self.noop(message, vendor_status=read.details.get("vendor_status"))
        noop.http_status, noop.attempts = refused.http_status, refused.attempts
        return noop

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/campaigns/{}", campaign_id))
        return RequestSpec("POST", self.path("/campaigns/{}/" + _VERBS[action], campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        body = json_body(reply)
        if action is Action.STATUS:
            raw = text(body, "status")
            details = _errors(body)
            return self.done(f"campaign is {self.state(raw)}", details=details, vendor_status=raw)
        raw = text(body, "state")
        return self.done(f"campaign {self.state(raw)}", vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Every answer names its campaign as `_id`."""
        same_campaign(campaign_id, echoed(json_body(reply), "_id"))

    def error(self, reply: Reply, kind: ErrorKind | None = None, note: str = "") -> Verdict:
        """A `text/plain` string is the error's message, with the kind of its HTTP status;
        a JSON body, an HTML page or no body at all get the shared reading."""
        message = _plain_text(reply)
        if message is None:
            return super().error(reply, kind, note)
        kind = kind or kind_for_status(reply.status)
        return Verdict.failure(
            kind, f"{message} (HTTP {reply.status}){note}", http_status=reply.status
        )

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        page = cursor if isinstance(cursor, int) else 1
        query = f"?version=v2&limit={PAGE_SIZE}&page={page}"
        return RequestSpec(
            "GET", "/campaigns" + query + ("&status=running" if running_only else "")
        )

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        page = cursor if isinstance(cursor, int) else 1
        body: Any = json_body(reply)
        if isinstance(body, list):
            items = objects(body, "campaign list")
            following = page + 1 if len(items) >= PAGE_SIZE else None
        elif isinstance(body, dict):
            items = objects(dig(body, "campaigns"), "campaigns")
            following = _next_page(dig(body, "pagination"), page, bool(items))
        else:
            raise BadBody("campaign list is neither an array nor {campaigns, pagination}")
        campaigns = [
            self.campaign(dig(item, "_id"), item.get("name"), dig(item, "status")) for item in items
        ]
        return ListPage(campaigns, following)

    def senders_request(self, campaign_id: str) -> RequestSpec:
        """Only the single-campaign GET names the senders."""
        return self.request_for(Action.STATUS, campaign_id)

    def read_senders(self, reply: Reply) -> list[str]:
        """`senders[].email`; a campaign without senders has none to match."""
        body = json_body(reply)
        if not isinstance(body, dict):
            raise BadBody("campaign is not a JSON object")
        senders = body.get("senders") or []
        return [text(sender, "email") for sender in objects(senders, "senders")]


def _next_page(pagination: Any, page: int, filled: bool) -> int | None:
    """The page after `page`, or None on the last one (`currentPage >= totalPage`)."""
    current, total = dig(pagination, "currentPage"), dig(pagination, "totalPage")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (current, total)):
        raise BadBody("pagination.currentPage / totalPage are not whole numbers")
    if current != page:
        raise BadBody(f"asked for page {page}, the answer is page {current}")
    if current >= total:
        return None
    if not filled:
        raise BadBody(f"page {page} of {total} is empty")
    return page + 1


def _errors(body: Any) -> dict[str, Any]:
    """`hasError: true` with its `errors[]`: a campaign with problems (not a pause)."""
    errors = body.get("errors") if body.get("hasError") is True else None
    if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        return {"errors": errors}
    return {}


def _plain_text(reply: Reply) -> str | None:
    """The body as one line of text, bounded; None for an empty body or one that looks like
    JSON or a web page (the shared reading takes those)."""
    body = reply.body.strip()
    if not body or body[:1] in (b"{", b"[", b"<"):
        return None
    return " ".join(body.decode("utf-8", errors="replace").split())[:_MAX_TEXT]
