"""The installed campctl, as a subprocess, against the vendor simulator over real HTTP."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from campctl.sandbox import Fault, campaign_ids
from tests.e2e.conftest import CAMPCTL, Rig, base_env

pytestmark = pytest.mark.e2e

SEEDED = {
    "woodpecker": "12345",
    "leadlex": "cmp_abc123",
    "leadterra": "camp_123",
    "voicegenie": "550e8400-e29b-41d4-a716-446655440000",
    "alta": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
}
PAUSED = {
    "woodpecker": "paused",
    "leadlex": "paused",
    "leadterra": "paused",
    "voicegenie": "paused",
    "alta": "paused",
}
RUNNING = {  # PRODUCT.md's one vocabulary: Leadlex and Alta say "active"
    "woodpecker": "running",
    "leadlex": "running",
    "leadterra": "running",
    "voicegenie": "running",
    "alta": "running",
}


def doc(result: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, dict)
    return parsed


def test_readme_first_command_prints_a_sandbox_result(isolation: Path) -> None:
    result = subprocess.run(
        [str(CAMPCTL), "pause", "--sandbox", "--provider", "woodpecker", "12345"],
        capture_output=True, text=True, env=base_env(isolation), timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "woodpecker:12345 done paused\n"
    assert "SANDBOX" in result.stderr
    as_json = subprocess.run(
        [str(CAMPCTL), "pause", "--sandbox", "--json", "woodpecker:12345"],
        capture_output=True, text=True, env=base_env(isolation), timeout=60, check=False,
    )  # fmt: skip
    assert doc(as_json)["sandbox"] is True
    assert not (isolation / ".state" / "campctl" / "audit.jsonl").exists()


@pytest.mark.parametrize("vendor", list(SEEDED))
def test_every_vendor_pause_status_resume(rig: Rig, vendor: str) -> None:
    target = f"{vendor}:{SEEDED[vendor]}"
    paused = rig.run("pause", "--json", target)
    assert paused.returncode == 0, paused.stderr
    (item,) = doc(paused)["results"]
    assert (item["outcome"], item["status"], item["http_status"]) == ("done", PAUSED[vendor], 200)

    status = rig.run("status", "--json", target)
    (read,) = doc(status)["results"]
    if vendor == "leadterra":
        assert status.returncode == 1
        assert read["error"]["kind"] == "unsupported"
    else:
        assert status.returncode == 0
        assert (read["outcome"], read["status"]) == ("done", "paused")

    again = rig.run("pause", target)
    assert again.returncode == 0
    # Woodpecker and Alta answer a repeat pause like a fresh one: campctl reads first, and
    # sends nothing. Leadterra's answer tells by its timestamp (a pause seconds ago is done).
    expected = {"woodpecker": "noop paused", "alta": "noop paused", "leadterra": "done paused"}
    assert again.stdout == f"{target} {expected.get(vendor, 'noop -')}\n"

    resumed = rig.run("resume", "--json", target)
    assert resumed.returncode == 0, resumed.stderr
    (back,) = doc(resumed)["results"]
    assert (back["outcome"], back["status"]) == ("done", RUNNING[vendor])
    assert rig.sim.campaign_status(vendor, SEEDED[vendor]) is not None


def test_state_rules_over_http(rig: Rig) -> None:
    result = rig.run(
        "resume", "--json", "leadlex:cmp_big", "leadterra:camp_empty", "voicegenie:vg_unconfigured",
        "leadlex:cmp_abc123", "voicegenie:550e8400-e29b-41d4-a716-446655440000",
    )  # fmt: skip
    assert result.returncode == 1
    big, empty, unconfigured, running_ll, running_vg = doc(result)["results"]
    assert (big["outcome"], big["status"]) == ("done", "pending_approval")
    assert big["details"]["task_id"]
    assert empty["error"]["kind"] == "conflict"
    assert empty["error"]["vendor_code"] == "no_leads_enrolled"
    assert unconfigured["error"]["kind"] == "conflict"
    assert unconfigured["details"]["missing"]
    assert running_ll["error"]["kind"] == "invalid_request"  # Leadlex: already running = 400
    assert running_vg["outcome"] == "noop"
    draft = rig.run("pause", "leadterra:camp_draft", "leadlex:cmp_paused")
    assert draft.stdout == "leadterra:camp_draft noop draft\nleadlex:cmp_paused noop -\n"
    assert rig.run("pause", "--strict", "leadterra:camp_draft").returncode == 1


def test_mixed_vendor_run_from_file(rig: Rig, tmp_path: Path) -> None:
    targets = tmp_path / "incident.txt"
    lines = [f"{v}:{i}  # seeded" for v, i in SEEDED.items()] + ["woodpecker:424242", "# end"]
    targets.write_text("\n".join(lines) + "\n")
    result = rig.run("pause", "--json", "--from-file", str(targets))
    assert result.returncode == 1
    results = doc(result)["results"]
    assert [r["target"] for r in results] == [
        *(f"{v}:{i}" for v, i in SEEDED.items()),
        "woodpecker:424242",
    ]
    assert [r["outcome"] for r in results] == ["done"] * 5 + ["failed"]
    assert results[-1]["error"]["kind"] == "not_found"
    # Two Woodpecker targets: their prior states came from one pass over the full list.
    assert "not in the Woodpecker campaign list" in results[-1]["message"]


def test_wrong_key_is_exit_4(rig: Rig) -> None:
    rig.env["CAMPCTL_SANDBOX_KEY"] = "not-the-sandbox-key"
    result = rig.run("pause", "--json", "woodpecker:12345", "alta:" + SEEDED["alta"])
    assert result.returncode == 4
    assert {r["error"]["kind"] for r in doc(result)["results"]} == {"auth"}
    assert "not-the-sandbox-key" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("fault", "flags", "kind", "code", "attempts"),
    [
        ("status:503", ["--retries", "0"], "vendor_error", 5, 1),
        ("status:500*1", ["--retries", "1"], None, 0, 2),
        ("rate_limit:1*1", ["--retries", "1"], None, 0, 2),
        ("rate_limit:600", ["--retries", "3"], "rate_limited", 5, 1),
        ("malformed", [], "bad_response", 1, 1),
        ("drop", ["--retries", "0"], "network", 5, 1),
        ("drop*1", ["--retries", "1"], None, 0, 2),
        ("redirect", [], "bad_response", 1, 1),
        ("slow:5", ["--retries", "0", "--timeout", "0.5"], "timeout", 5, 1),
    ],
)
def test_each_fault_maps_to_outcome_and_exit_code(
    rig: Rig, fault: str, flags: list[str], kind: str | None, code: int, attempts: int
) -> None:
    rig.sim.add_fault(Fault.parse(fault))
    started = time.monotonic()
    result = rig.run("status", "--json", *flags, "leadlex:cmp_abc123")
    elapsed = time.monotonic() - started
    assert result.returncode == code, result.stderr
    (item,) = doc(result)["results"]
    assert item["attempts"] == attempts
    if kind is None:
        assert item["outcome"] == "done"
    else:
        assert item["outcome"] == "failed"
        assert item["error"]["kind"] == kind
    if fault == "rate_limit:600":
        assert "try again after" in item["message"]
        assert elapsed < 10  # a 600 s Retry-After is not waited for
    if attempts > 1:
        assert "retrying in" in result.stderr


def test_woodpecker_one_at_a_time_over_http(rig: Rig) -> None:
    ids = campaign_ids("woodpecker", 50)
    rig.sim.latency_ms = 5
    result = rig.run("pause", "--json", "--concurrency", "16", *(f"woodpecker:{i}" for i in ids))
    assert result.returncode == 0, result.stderr
    assert doc(result)["summary"]["done"] == 50
    assert rig.sim.max_in_flight("woodpecker") == 1


def test_sigint_reports_every_target_and_exits_130(rig: Rig, tmp_path: Path) -> None:
    ids = campaign_ids("woodpecker", 20)
    rig.sim.latency_ms = 300
    audit = tmp_path / "audit.jsonl"
    proc = rig.popen(
        "pause", "--json", "--audit-log", str(audit), *(f"woodpecker:{i}" for i in ids)
    )
    time.sleep(1.5)
    sent_at = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent_at < 2.0
    assert proc.returncode == 130, err
    document = json.loads(out)
    assert document["exit_code"] == 130
    results = document["results"]
    assert [r["campaign_id"] for r in results] == ids
    outcomes = [r["outcome"] for r in results]
    assert outcomes.count("done") >= 1
    assert outcomes.count("skipped") >= 10
    in_flight = [r for r in results if r["outcome"] == "failed"]
    assert len(in_flight) <= 1
    for r in in_flight:
        assert r["error"]["kind"] == "network"
        assert "outcome unknown" in r["message"]
    assert "interrupted" in err
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert (lines[0]["kind"], lines[-1]["kind"]) == ("run", "end")  # interrupted, not killed
    logged = [line for line in lines if line["kind"] == "target"]
    assert sorted(e["campaign_id"] for e in logged) == sorted(ids)
    assert [e["outcome"] for e in logged].count("skipped") == outcomes.count("skipped")


def test_concurrent_processes_append_whole_audit_lines(rig: Rig, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    ids = campaign_ids("leadterra", 60)
    batches = [ids[i::4] for i in range(4)]

    def run(batch: list[str]) -> int:
        result = rig.run(
            "pause",
            "--audit-log",
            str(log),
            "--concurrency",
            "16",
            *(f"leadterra:{i}" for i in batch),
        )
        return result.returncode

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(run, batches * 3))  # 12 processes, 180 target lines
    assert codes == [0] * 12
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    targets = [e for e in entries if e["kind"] == "target"]
    assert len(targets) == 180
    assert {e["target"] for e in targets} == {f"leadterra:{i}" for i in ids}
    runs = [e for e in entries if e["kind"] == "run"]
    assert len(runs) == 12
    assert all(e["action"] == "pause" and e["sandbox"] is True for e in runs)


def test_sandbox_serve_prints_a_working_config(isolation: Path, tmp_path: Path) -> None:
    env = base_env(isolation)
    proc = subprocess.Popen(
        [str(CAMPCTL), "sandbox", "serve", "--fault", "status:503@woodpecker*1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while sum("api_key_env" in line for line in lines) < 5:  # one per vendor profile
            line = proc.stdout.readline()
            assert line, "sandbox serve exited early"
            lines.append(line)
        config = tmp_path / "serve.toml"
        config.write_text("".join(lines))
        env.update(CAMPCTL_CONFIG=str(config), CAMPCTL_SANDBOX_KEY="sandbox-key")
        result = subprocess.run(
            [str(CAMPCTL), "pause", "--json", *(f"{v}:{i}" for v, i in SEEDED.items())],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        results = doc(result)["results"]
        assert [r["outcome"] for r in results] == ["done"] * 5
        # The injected 503 met Woodpecker's first request, the read of its prior state,
        # which was retried before the pause went out.
        assert "503" in result.stderr
        assert "retrying" in result.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
