"""Alta: Bearer auth (+ `x-account-id` for multi-account users); 100 requests/min per
account; prospects are paused/resumed too only when asked. Alta says `active` for running.

Campaign list: `GET /campaigns?limit=100`, then `GET /campaigns?cursor=<next>` (only the
cursor, as the docs' sample loop does: cursors carry the original query) while `hasMore`.
No status filter is documented, so running campaigns are picked client-side; the campaign
object has no sender field."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from campctl.providers.base import (
    PAUSED,
    RUNNING,
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
    json_body,
    objects,
    same_campaign,
    text,
)
from campctl.results import Verdict


class AltaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    prospects: bool = Field(False, description="also pause/resume prospects")
    account_id: str | None = Field(None, description="multi-account users", examples=["acc_123"])


class AltaAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="alta",
        title="Alta",
        default_base_url="https://api.altahq.com/v1",
        auth=Auth.header("Authorization", "Bearer"),
        id_pattern=r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        id_format="a UUID, e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7",
        rate_limit="100 requests/min per account",
        docs_url="https://docs.altahq.com/api-reference/campaigns/pause",
        limit=VendorLimit(windows=((100, 60.0),), shared_by="account_id"),
        status_synonyms={"active": "running"},
        can_list=True,
    )
    Options: ClassVar[type[BaseModel]] = AltaOptions

    @classmethod
    def profile_headers(cls, options: BaseModel) -> dict[str, str]:
        headers = super().profile_headers(options)
        account_id = getattr(options, "account_id", None)
        if account_id:
            headers["x-account-id"] = account_id
        return headers

    def recorded_prospects(self) -> bool | None:
        return bool(getattr(self.options, "prospects", False))

    def replaying(self, prospects: bool | None) -> Adapter:
        """Prospects exactly as the undone run paused (or resumed) them."""
        if prospects is None or prospects == self.recorded_prospects():
            return self
        return type(self)(self.options.model_copy(update={"prospects": prospects}), self.transport)

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/campaigns/{}", campaign_id))
        verb, flag = (
            ("pause", "pauseProspects")
            if action is Action.PAUSE
            else (
                "resume",
                "resumeProspects",
            )
        )
        body = {flag: True} if getattr(self.options, "prospects", False) else None
        return RequestSpec("POST", self.path("/campaigns/{}/" + verb, campaign_id), json=body)

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        if action is Action.STATUS:
            raw = text(json_body(reply), "status")
            return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)
        # Success bodies are undocumented: the 200 itself is the answer.
        if action is Action.PAUSE:
            return self.done("campaign paused", PAUSED)
        return self.done("campaign resumed", RUNNING)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """The campaign read answers the campaign object, `id` a UUID (any letter case);
        pause and resume bodies are undocumented."""
        if action is Action.STATUS:
            same_campaign(campaign_id, echoed(json_body(reply), "id"), fold_case=True)

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        if cursor is None:
            return RequestSpec("GET", "/campaigns?limit=100")
        return RequestSpec("GET", "/campaigns?cursor=" + quote(str(cursor), safe=""))

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        body: Any = json_body(reply)
        items = objects(dig(body, "data"), "data")
        more = dig(body, "hasMore")
        if not isinstance(more, bool):
            raise BadBody("field 'hasMore' is not true or false")
        following = None
        if more:
            following = body.get("next")
            if not isinstance(following, str) or not following:
                raise BadBody("'hasMore' is true but 'next' is not a cursor")
        campaigns = [
            self.campaign(dig(item, "id"), item.get("name"), dig(item, "status")) for item in items
        ]
        return ListPage(campaigns, following)
