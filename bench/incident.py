"""Whole-process benchmarks of the incident workflow (standard library only).

Usage (from a venv where campctl is installed):

    python bench/incident.py --runs 3 --output BENCHMARKS.md

Rows: `pause --all-running` at Instantly, lemlist and Smartlead alone (about 100 running
each, 50 ms latency) against the bound their limits allow, asserting that the simulator
refused no request; `pause --all-running` over the three listable vendors (Woodpecker, Alta, VoiceGenie)
with about 100 running campaigns each and 50 ms simulated latency, without and with
`--verify`, each against the bound the vendor limits allow; and `campctl runs` on a 100 MB
audit log; `pause` of 90 explicit Alta and 100 explicit Woodpecker IDs, whose prior states
cost one list pass. Every figure is a median of whole-process runs; each pause run gets a fresh
simulator so Alta's 100-per-minute window starts empty, as in a real incident.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CAMPCTL, LATENCY_MS, PYTHON, Run, check, median, run_once, sandbox

SEED = 96  # running campaigns: Woodpecker 6 + 96, Alta 4 + 96, VoiceGenie 4 + 96
PROFILES = ("woodpecker", "alta", "voicegenie")
CONCURRENCY = 8
START, END = "<!-- bench-incident:start -->", "<!-- bench-incident:end -->"
# `--only vendors` writes its own block, so the other rows are kept.
VENDOR_START, VENDOR_END = "<!-- bench-vendors:start -->", "<!-- bench-vendors:end -->"


def running_counts(env: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """Running campaigns and list pages per vendor, read through campctl itself."""
    args = [CAMPCTL, "list", "--json", *(a for p in PROFILES for a in ("-p", p))]
    listed = json.loads(subprocess.run(args, env=env, capture_output=True, text=True,
                                       check=True).stdout)  # fmt: skip
    running = dict.fromkeys(PROFILES, 0)
    total = dict.fromkeys(PROFILES, 0)
    for campaign in listed["campaigns"]:
        total[campaign["vendor"]] += 1
        running[campaign["vendor"]] += campaign["status"] == "running"
    pages = {
        "woodpecker": 1,  # one array, server-side filter
        "alta": math.ceil(total["alta"] / 100),
        "voicegenie": math.ceil(total["voicegenie"] / 1000),
    }
    return running, pages


def vendor_bound(running: dict[str, int], pages: dict[str, int], reads: int) -> float:
    """Seconds the vendor limits alone need, with zero client overhead.

    Woodpecker: every request one at a time. Alta: at most 100 starts in any 60 s (61 s:
    campctl keeps a second of slack, see campctl.limits), the rest at --concurrency. VoiceGenie: --concurrency at a time (sharing slots with Alta is ignored,
    which makes the bound lower, i.e. stricter).
    """
    latency = LATENCY_MS / 1000
    woodpecker = (pages["woodpecker"] + running["woodpecker"] * reads) * latency
    alta_requests = pages["alta"] + running["alta"] * reads
    windows = (alta_requests - 1) // 100
    last = alta_requests - windows * 100
    alta = pages["alta"] * latency + windows * 61 + math.ceil(last / CONCURRENCY) * latency
    voicegenie = (
        pages["voicegenie"] + math.ceil(running["voicegenie"] * reads / CONCURRENCY)
    ) * latency
    return max(woodpecker, alta, voicegenie)


def incident_rows(env: dict[str, str], runs: int) -> list[tuple[str, str, str, str]]:
    rows = []
    flags = ["--latency", str(LATENCY_MS), "--seed", str(SEED)]
    with sandbox(env, *flags) as served:
        running, pages = running_counts(served)
    argv = [CAMPCTL, "pause", "--all-running", "--no-audit", "--concurrency", str(CONCURRENCY),
            *(a for p in PROFILES for a in ("-p", p))]  # fmt: skip
    for label, extra, reads in (("", [], 1), (" --verify", ["--verify"], 2)):
        timings: list[Run] = []
        for _ in range(runs):
            with sandbox(env, *flags) as served:
                timings.append(run_once([*argv, *extra], served))
        check(timings, f"pause --all-running{label}")
        bound = vendor_bound(running, pages, reads)
        counts = ", ".join(f"{v} {running[v]}" for v in PROFILES)
        rows.append((
            f"`pause --all-running{label}` ({counts} running; 50 ms latency)",
            f"{median(timings):.2f} s",
            f"{bound / median(timings):.2f} of vendor bound {bound:.2f} s",
            "",
        ))  # fmt: skip
    return rows


NEW_VENDORS = ("instantly", "lemlist", "smartlead")


def paced_bound(
    windows: tuple[tuple[int, float], ...], in_flight: int, pages: int, pauses: int
) -> float:
    """Seconds a client with zero overhead needs for `pages` list requests one after the
    other, then `pauses` at once, `in_flight` at a time, each request `LATENCY_MS` long,
    never starting more than n in any window of (n, seconds) — each window lengthened by the
    slack campctl keeps (campctl.limits.slack), as the Alta rows count 61 s a minute."""
    from campctl.limits import slack

    latency = LATENCY_MS / 1000
    starts: list[float] = []
    finishes: list[float] = []
    for k in range(pages + pauses):
        earliest = finishes[-1] if k < pages and finishes else 0.0
        if k >= pages + in_flight:
            earliest = max(earliest, sorted(finishes[pages:])[k - pages - in_flight])
        elif k >= pages and pages:
            earliest = max(earliest, finishes[pages - 1])
        for n, seconds in windows:
            if k >= n:
                earliest = max(earliest, starts[k - n] + seconds + slack(seconds))
        starts.append(earliest)
        finishes.append(earliest + latency)
    return max(finishes)


def _running(vendor: str, work: Path) -> int:
    """Running campaigns at `vendor` in a seeded simulator, listed through campctl (in a
    simulator of its own, so the measured runs' windows start empty)."""
    from campctl.sandbox import SANDBOX_API_KEY, SANDBOX_KEY_ENV, Simulator, render_providers_toml

    with Simulator(extra_campaigns=SEED) as sim:
        config = work / f"{vendor}-list.toml"
        config.write_text(render_providers_toml(sim))
        env = {**os.environ, SANDBOX_KEY_ENV: SANDBOX_API_KEY}
        listed = json.loads(subprocess.run(
            [CAMPCTL, "list", "--json", "--config", str(config), "-p", vendor],
            env=env, capture_output=True, text=True, check=True,
        ).stdout)["campaigns"]  # fmt: skip
    return sum(c["status"] == "running" for c in listed)


def new_vendor_rows(runs: int) -> list[tuple[str, str, str, str]]:
    """`pause --all-running` at each of the three new vendors alone, about 100 running
    campaigns, 50 ms latency, against the bound their limits allow; the simulator's
    counters show the vendor's windows were never exceeded (no request refused)."""
    from campctl.registry import adapter_class
    from campctl.sandbox import SANDBOX_API_KEY, SANDBOX_KEY_ENV, Simulator, render_providers_toml

    rows = []
    work = Path(tempfile.mkdtemp(prefix="campctl-bench-vendors-"))
    for vendor in NEW_VENDORS:
        meta = adapter_class(vendor).meta
        in_flight = min(CONCURRENCY, meta.limit.max_in_flight or CONCURRENCY)
        timings: list[Run] = []
        refused: list[int] = []
        running = _running(vendor, work)
        for _ in range(runs):
            # A fresh simulator: its windows start empty, as the vendor's would.
            with Simulator(latency_ms=LATENCY_MS, extra_campaigns=SEED) as sim:
                config = work / f"{vendor}.toml"
                config.write_text(render_providers_toml(sim))
                env = {**os.environ, SANDBOX_KEY_ENV: SANDBOX_API_KEY}
                argv = [CAMPCTL, "pause", "--all-running", "--no-audit", "--config", str(config),
                        "--concurrency", str(CONCURRENCY), "-p", vendor]  # fmt: skip
                timings.append(run_once(argv, env))
                sent = sim.requests
                pages = sum(r.method == "GET" for r in sent)
                pauses = sum(r.method != "GET" for r in sent)
                refused.append(sim.rate_limited(vendor))
        check(timings, f"pause --all-running -p {vendor}")
        assert pauses == running, (vendor, pauses, running)
        assert refused == [0] * runs, f"{vendor}: the simulator refused {refused} requests"
        bound = paced_bound(meta.limit.windows, in_flight, pages, pauses)
        ratio = bound / median(timings)
        rows.append((
            f"`pause --all-running -p {vendor}` ({running} running, {pages} list requests; "
            f"{meta.rate_limit}; 50 ms latency; 429s served: {sum(refused)})",
            f"{median(timings):.2f} s",
            f"{ratio:.2f} of vendor bound {bound:.2f} s",
            f"≥ 0.95 ({'met' if ratio >= 0.95 else 'MISSED'})",
        ))  # fmt: skip
    return rows


def audit_log(path: Path, megabytes: int) -> None:
    """A realistic journal as campctl writes it: many old runs of 50 targets each (`run`,
    `target` and `end` lines), then a torn last line."""
    endpoint = "https://api.woodpecker.co/rest"
    planned = [
        {"target": f"woodpecker:{100000 + i}", "provider": "woodpecker", "vendor": "woodpecker",
         "campaign_id": str(100000 + i), "endpoint": endpoint, "position": i,
         "prior_status": "running"}
        for i in range(1, 51)
    ]  # fmt: skip
    compact = {"separators": (",", ":")}
    with path.open("w") as handle:
        written, run = 0, 0
        while written < megabytes * 1024 * 1024:
            run += 1
            run_id = f"20260101T{run // 3600 % 24:02d}{run // 60 % 60:02d}{run % 60:02d}Z-{run:06x}"
            lines = [json.dumps({
                "kind": "run", "run_id": run_id, "time": "2026-01-01T00:00:00.000Z",
                "user": "ops", "host": "bastion", "version": "0.1.0", "action": "pause",
                "reason": "nightly quiet hours", "undo_of": None, "sandbox": False, "via": "cli",
                "config": None, "targets": planned,
            }, **compact)]  # fmt: skip
            for entry in planned:
                lines.append(json.dumps({
                    "kind": "target", "run_id": run_id, "time": "2026-01-01T00:00:01.000Z",
                    "target": entry["target"], "provider": "woodpecker", "vendor": "woodpecker",
                    "campaign_id": entry["campaign_id"], "position": entry["position"],
                    "outcome": "done", "status": "paused", "prior_status": "running",
                    "error_kind": None, "http_status": 200, "attempts": 1,
                    "endpoint": endpoint, "outcome_unknown": False, "message": "campaign paused",
                }, **compact))  # fmt: skip
            lines.append(json.dumps({"kind": "end", "run_id": run_id, "time": "2026-01-01T00:00:02Z",
                                     "summary": {"total": 50, "done": 50}, "exit_code": 0},
                                    **compact))  # fmt: skip
            text = "\n".join(lines) + "\n"
            handle.write(text)
            written += len(text)
        handle.write('{"kind":"target","run_id": \n')


def journal_rows(env: dict[str, str], runs: int, work: Path) -> list[tuple[str, str, str, str]]:
    log = work / "audit.jsonl"
    audit_log(log, 100)
    size = log.stat().st_size / 1024 / 1024
    commands = {
        "python": [PYTHON, "-c", "pass"],
        "runs": [CAMPCTL, "runs", "--audit-log", str(log)],
        "last": [CAMPCTL, "runs", "last", "--audit-log", str(log)],
    }
    timings: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            timings[name].append(run_once(argv, env))
    for name, results in timings.items():
        check(results, name)
    python = median(timings["python"])
    return [
        (f"`campctl runs` on a {size:.0f} MB audit log", f"{median(timings['runs']) * 1000:.0f} ms",
         f"{median(timings['runs']) / python:.1f}× python", "well under 1 s"),
        ("`campctl runs last` on the same log", f"{median(timings['last']) * 1000:.0f} ms",
         f"{median(timings['last']) / python:.1f}× python", "well under 1 s"),
    ]  # fmt: skip


def prior_rows(env: dict[str, str], runs: int) -> list[tuple[str, str, str, str]]:
    """Explicit IDs at a vendor that does not tell a repeat pause from a fresh one: campctl
    learns every prior state first, from one list pass (not a read per target)."""
    from campctl.sandbox import campaign_ids

    seed = 100
    latency = LATENCY_MS / 1000
    flags = ["--latency", str(LATENCY_MS), "--seed", str(seed)]
    with sandbox(env, *flags) as served:
        _, pages = running_counts(served)
    cases = {
        "alta": (90, pages["alta"] * latency + math.ceil(90 / CONCURRENCY) * latency),
        "woodpecker": (100, (1 + 100) * latency),  # one list request, then one at a time
    }
    rows = []
    for vendor, (count, bound) in cases.items():
        targets = [f"{vendor}:{i}" for i in campaign_ids(vendor, count)]
        argv = [CAMPCTL, "pause", "--no-audit", "--concurrency", str(CONCURRENCY), *targets]
        timings: list[Run] = []
        for _ in range(runs):
            with sandbox(env, *flags) as served:
                timings.append(run_once(argv, served))
        check(timings, f"pause {count} {vendor}")
        rows.append((
            f"`pause` of {count} explicit {vendor.title()} IDs ({seed}+ campaigns at the vendor; "
            "50 ms latency)",
            f"{median(timings):.2f} s",
            f"{bound / median(timings):.2f} of vendor bound {bound:.2f} s (pauses + one list pass)",
            f"≥ 0.95 ({'met' if bound / median(timings) >= 0.95 else 'MISSED'})",
        ))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--only", choices=["vendors"], help="only the new vendors' rows")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="campctl-bench-incident-"))
    env = {k: v for k, v in os.environ.items()
           if not k.endswith("_API_KEY") and k != "CAMPCTL_CONFIG"}  # fmt: skip
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"),
               XDG_CONFIG_HOME=str(home / "cfg"))  # fmt: skip
    if args.only == "vendors":
        rows = new_vendor_rows(args.runs)
        start, end, title = VENDOR_START, VENDOR_END, "Instantly, lemlist and Smartlead"
    else:
        rows = (journal_rows(env, max(5, args.runs), home) + prior_rows(env, args.runs)
                + incident_rows(env, args.runs) + new_vendor_rows(args.runs))  # fmt: skip
        start, end, title = START, END, "Incident workflow"
    table = ["| measure | median | ratio | target |", "|---|---|---|---|"]
    table += [f"| {m} | {v} | {r} | {t} |" for m, v, r, t in rows]
    header = (f"{os.cpu_count()} cores. `runs` rows: medians of {max(5, args.runs)} runs; "
              f"pause rows: medians of {args.runs} runs, a fresh simulator each.")  # fmt: skip
    if args.only == "vendors":
        header = f"{os.cpu_count()} cores. Medians of {args.runs} runs, a fresh simulator each."
    block = "\n".join([start, header, "", *table, end])
    print(block)
    if args.output:
        text = args.output.read_text()
        if start in text:
            before, _, rest = text.partition(start)
            text = before + block + rest.partition(end)[2]
        else:
            text = text.rstrip() + f"\n\n## {title}\n\n" + block + "\n"
        args.output.write_text(text)


if __name__ == "__main__":
    main()
