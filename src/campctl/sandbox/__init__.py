"""campctl.sandbox: a simulator of every registry vendor with a simulator (the built-ins and
plugins') on 127.0.0.1 (standard library only).

Used by `campctl --sandbox` (in process, ephemeral port) and `campctl sandbox serve`. Every
vendor answers under its own path prefix (`Simulator.base_url(vendor)`) with its documented
paths, auth header, bodies and state rules, and accepts exactly one key, `sandbox-key`.

Seeded campaigns (each Simulator starts with these; `extra_campaigns=n` adds n running ones per
vendor, ids from `campaign_ids(vendor, n)`: `cmp_bench_0001`, `camp_bench_0001`,
`vg_bench_0001`, `a17a0000-0000-4000-8000-000000000001` (the last 12 characters count in
decimal), `100001`, `cam_bench00000001`, ...; Woodpecker's and lemlist's send from
`bench<n>@bench.example`):

| vendor     | campaign id                          | status    | name / senders: rehearses       |
|------------|--------------------------------------|-----------|---------------------------------|
| leadlex    | cmp_abc123                           | active    | pause; start again              |
| leadlex    | cmp_paused                           | paused    | pause → 409 not active; start   |
| leadlex    | cmp_big                              | paused    | start → pending_approval + task |
| leadterra  | camp_123                             | running   | pause/start; repeats are no-ops |
| leadterra  | camp_draft                           | draft     | pause → 200, status draft       |
| leadterra  | camp_empty                           | paused    | start → 400 no_leads_enrolled   |
| leadterra  | camp_paused                          | paused    | pause → 200, old pausedAt; start|
| voicegenie | 550e8400-e29b-41d4-a716-446655440000 | running   | pause (active_calls); start     |
| voicegenie | vg_unconfigured                      | paused    | start → 422, details.missing    |
| alta       | 7c9e6679-7425-40de-944b-e07fc1f90ae7 | active    | pause/resume (+ prospects)      |
| alta       | 9b2f4c1e-5d3a-4e8b-9c7d-2a1b3c4d5e6f | paused    | resume                          |
| woodpecker | 12345                                | RUNNING   | erlich@, jared@acme.io          |
| woodpecker | 12346                                | PAUSED    | jared@acme.io (paused by hand)  |
| woodpecker | 12347                                | RUNNING   | monica@acme.io                  |
| woodpecker | 12348                                | RUNNING   | dinesh@, gilfoyle@other.io      |
| woodpecker | 12349                                | RUNNING   | gavin@other.io                  |
| woodpecker | 12350                                | RUNNING   | richard@other.io + Sales@Acme.IO|
| woodpecker | 12351                                | PAUSED    | bighead@acme.io, Bounce Shield  |
| woodpecker | 12352                                | RUNNING   | nina@notacme.io (not acme.io)   |
| woodpecker | 12353                                | COMPLETED | laurie@other.io                 |
| woodpecker | 12354                                | DRAFT     | monica@acme.io                  |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e37 | active    | erlich@, jared@acme.io          |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e38 | active    | monica@, dinesh@acme.io by tag  |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e39 | active    | gilfoyle@other.io               |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3a | running_subsequences | gavin@acme.io (4) |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3b | paused    | jared@acme.io (paused by hand)  |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3c | bounce_protect | bighead@acme.io (-2)       |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3d | accounts_unhealthy | laurie@other.io (-1)   |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3e | draft     | monica@acme.io                  |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e3f | completed | richard@other.io                |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e40 | active    | nina@notacme.io (not acme.io)   |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e41 | active    | richard@other.io, Sales@Acme.IO |
| instantly  | 019cc043-aee6-7ae9-a545-d7de53430e42 | account_suspended | russ@other.io (-99)     |
| lemlist    | cam_bSn8EORHQxbWPjHvu                | running   | erlich@, jared@acme.io          |
| lemlist    | cam_tWpCFrJj7oW8ip39e                | paused    | jared@acme.io (paused by hand)  |
| lemlist    | cam_suajL2SXxmH7NdZ6F                | running   | monica@acme.io                  |
| lemlist    | cam_k3gu2sa4KIfhRK34M                | running   | dinesh@, gilfoyle@other.io; errs|
| lemlist    | cam_4HrZbi8xsez4QlrnL                | running   | richard@other.io + Sales@Acme.IO|
| lemlist    | cam_LookalikeDomain01                | running   | nina@notacme.io (not acme.io)   |
| lemlist    | cam_NoSenderCampaign1                | running   | no sender (hasError)            |
| lemlist    | cam_vyzp8v33RBTfNQRvz                | draft     | monica@acme.io                  |
| lemlist    | cam_O3BQOaXuyUuyqEHug                | ended     | laurie@other.io                 |
| lemlist    | cam_tBpHORyt3WhTQoi5A                | archived  | bighead@acme.io; start → 400    |
| smartlead  | 2710262                              | ACTIVE    | sarah@, mike@acme.io            |
| smartlead  | 2710263                              | ACTIVE    | lena@acme.io                    |
| smartlead  | 2710264                              | ACTIVE    | dan@other.io                    |
| smartlead  | 2710265                              | ACTIVE    | ops@other.io + Sales@Acme.IO    |
| smartlead  | 2710266                              | ACTIVE    | nina@notacme.io (not acme.io)   |
| smartlead  | 2710267                              | PAUSED    | jared@acme.io (paused by hand)  |
| smartlead  | 2710268                              | PAUSED    | bighead@acme.io, bounce pause   |
| smartlead  | 2710269                              | DRAFTED   | monica@acme.io; start → 400     |
| smartlead  | 2710270                              | COMPLETED | laurie@other.io                 |
| smartlead  | 2710271                              | STOPPED   | gavin@other.io; start → 422     |

Every campaign has a name. Woodpecker 12350 sends from `from_email` richard@other.io with
`from_emails` [richard@other.io, Sales@Acme.IO]; 12351 is named "Cold outreach US (paused by
Bounce Shield)" (Woodpecker itself marks such a campaign nowhere: it reads `PAUSED`). Seeded
paused and running campaigns carry 2026-04-01T09:00:00Z as their pausedAt/startedAt.
Beyond the table: Alta has 103 more, `a17a5eed-0000-4000-8000-000000000001` to `...103`:
1 "Q3 outbound" and 2 "Founders list" active, 3 draft, 4 paused, 103 "Product launch (newest)"
active, the rest completed (every third archived) — 105 in all, two pages at `limit=100`.
VoiceGenie has 10 more, `5a0e0000-0000-4000-8000-000000000001` to `...010` (running 1, 6, 10;
paused 2; scheduled 5, 8; draft 9; completed 3, 4, 7) — 12 in all, two pages at the default
`limit=10`. lemlist has 95 more, `cam_gen0000000001` to `...095`: 95 "Launch follow-up
(newest)" running from launch@acme.io (on the second page at `limit=100`), every fourth
archived, the rest ended — 105 in all. `page_cap=n` makes every Alta/VoiceGenie/lemlist page
hold at most n.

Campaign lists (each page one request under the vendor's limits): Woodpecker
`GET /v1/campaign_list[?status=RUNNING,PAUSED][&id=...]`, one bare array with `from_email`,
`from_emails`, `from_name`, `from_names`, ...; Alta `GET /campaigns?limit=N` then
`?cursor=<next>` while `hasMore` (`{data, hasMore, next, previous}`); VoiceGenie
`GET /fetchCampaignData?limit=N&offset=M&call_count=false`
(`{success, data: {campaigns, pagination: {total, limit, offset}}}`); lemlist
`GET /campaigns?version=v2&limit=N&page=P[&status=running]`
(`{campaigns, pagination: {totalRecords, currentPage, nextPage, totalPage}}`, no senders:
those are on `GET /campaigns/{id}` only; without `version=v2`, the spec's bare array paged by
`offset`). Leadlex and Leadterra document none: 404.

Limits: Woodpecker handles one request at a time per key, with at most 6 waiting; a request
arriving when 6 wait, or waiting longer than 15 s, gets 429 `E_TOO_MANY_REQUESTS` (the docs say
"dropped" without naming a status; 429 is what clients already retry). Alta allows 100
requests per rolling 60 s per key, then 429 with Retry-After and RateLimit-* headers.
lemlist takes HTTP Basic (empty user name, the key as password), answers errors as
`text/plain` strings, refuses a repeated pause or start with a 400, and allows 20 requests
per rolling 2 s per key; every answer carries a fractional `Retry-After` (200s too) and an
`X-RateLimit-Reset` date in JavaScript's `Date.toString()` form.
Instantly sends `status` as a number (active 1, running_subsequences 4, paused 2, draft 0,
completed 3, bounce_protect -2, accounts_unhealthy -1, account_suspended -99); ...e38 sends
only through tag 019cc043-aee6-7ae9-a545-d7df85a583a2 (monica@, dinesh@acme.io) and ...e41
also through tag ...583a3, read with `GET /api/v2/accounts?tag_ids=`. Its list is
`GET /api/v2/campaigns?limit=N[&starting_after=<id>]`, ending at `{"items": []}`. It allows
100 requests per rolling second and 6,000 per minute per key (429 without rate-limit
headers), and answers a missing or default library User-Agent with a 403 HTML page.
Faults (`Fault`, `Fault.parse`, grammar in `campctl.sandbox.faults`) inject 5xx, 429,
malformed bodies, dropped connections, redirects, slow answers and slow bodies, and hostile
answers: terminal escapes, deeply nested JSON, gzip bombs, an echoed key, an ignored action;
`latency_ms` delays every answer.

Persistence: `Simulator(state_file=...)` remembers the campaigns' states in a JSON file shared
safely by concurrent simulators (`campctl.sandbox.state`); `--sandbox` uses
`state_file(sandbox_state_dir())`, and `reset_state(sandbox_state_dir())` (`campctl sandbox
reset`) puts the seed back. Every answer carries a `Date` header.
"""

from .faults import FAULT_KINDS, Fault, FaultKind
from .hostile import ESCAPE_TEXT, key_echo
from .server import SANDBOX_KEY_ENV, Simulator, render_providers_toml
from .state import reset_state, sandbox_state_dir, state_file
from .vendors import VENDORS, campaign_ids, simulated
from .vendors.base import SANDBOX_API_KEY, RecordedRequest

__all__ = [
    "ESCAPE_TEXT",
    "FAULT_KINDS",
    "SANDBOX_API_KEY",
    "SANDBOX_KEY_ENV",
    "VENDORS",
    "Fault",
    "FaultKind",
    "RecordedRequest",
    "Simulator",
    "campaign_ids",
    "key_echo",
    "render_providers_toml",
    "reset_state",
    "sandbox_state_dir",
    "simulated",
    "state_file",
]
