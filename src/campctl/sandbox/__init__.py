"""campctl.sandbox: a simulator of all five vendors on 127.0.0.1 (standard library only).

Used by `campctl --sandbox` (in process, ephemeral port) and `campctl sandbox serve`. Every
vendor answers under its own path prefix (`Simulator.base_url(vendor)`) with its documented
paths, auth header, bodies and state rules, and accepts exactly one key, `sandbox-key`.

Seeded campaigns (each Simulator starts with these; `extra_campaigns=n` adds n running ones per
vendor, ids from `campaign_ids(vendor, n)`: `cmp_bench_0001`, `camp_bench_0001`,
`vg_bench_0001`, `a17a0000-0000-4000-8000-000000000001`, `100001`, ...):

| vendor     | campaign id                          | status  | rehearses                       |
|------------|--------------------------------------|---------|---------------------------------|
| leadlex    | cmp_abc123                           | active  | pause; start again              |
| leadlex    | cmp_paused                           | paused  | pause → 409 not active; start   |
| leadlex    | cmp_big                              | paused  | start → pending_approval + task |
| leadterra  | camp_123                             | running | pause/start; repeats are no-ops |
| leadterra  | camp_draft                           | draft   | pause → 200, status draft       |
| leadterra  | camp_empty                           | paused  | start → 400 no_leads_enrolled   |
| voicegenie | 550e8400-e29b-41d4-a716-446655440000 | running | pause (active_calls); start     |
| voicegenie | vg_unconfigured                      | paused  | start → 422, details.missing    |
| alta       | 7c9e6679-7425-40de-944b-e07fc1f90ae7 | active  | pause/resume (+ prospects)      |
| alta       | 9b2f4c1e-5d3a-4e8b-9c7d-2a1b3c4d5e6f | paused  | resume                          |
| woodpecker | 12345                                | RUNNING | pause / run: 200, no body       |
| woodpecker | 12346                                | PAUSED  | run                             |

Limits: Woodpecker handles one request at a time per key, with at most 6 waiting; a request
arriving when 6 wait, or waiting longer than 15 s, gets 429 `E_TOO_MANY_REQUESTS` (the docs say
"dropped" without naming a status; 429 is what clients already retry). Alta allows 100
requests per rolling 60 s per key, then 429 with Retry-After and RateLimit-* headers.
Faults (`Fault`, `Fault.parse`) inject 5xx, 429, malformed bodies, dropped connections,
redirects and slow answers; `latency_ms` delays every answer.
"""

from .faults import FAULT_KINDS, Fault, FaultKind
from .server import SANDBOX_KEY_ENV, Simulator, render_providers_toml
from .vendors import VENDORS, campaign_ids
from .vendors.base import SANDBOX_API_KEY, RecordedRequest

__all__ = [
    "FAULT_KINDS",
    "SANDBOX_API_KEY",
    "SANDBOX_KEY_ENV",
    "VENDORS",
    "Fault",
    "FaultKind",
    "RecordedRequest",
    "Simulator",
    "campaign_ids",
    "render_providers_toml",
]
