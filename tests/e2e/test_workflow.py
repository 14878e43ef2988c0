"""The incident workflow over real HTTP (a simulator on loopback, profiles from a config):
--verify against a vendor that says yes and does nothing, undo and Leadterra's repeat pause,
list pages, and the journal shared by concurrent runs."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from campctl.sandbox import Fault
from tests.e2e.conftest import Rig

pytestmark = pytest.mark.e2e


def test_verify_catches_a_vendor_that_answers_200_and_changes_nothing(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("ignore@woodpecker:12345"))
    result = rig.run("pause", "--verify", "--json", "--no-audit", "woodpecker:12345",
                     "alta:7c9e6679-7425-40de-944b-e07fc1f90ae7")  # fmt: skip
    assert result.returncode == 1, result.stderr
    by_vendor = {r["vendor"]: r for r in json.loads(result.stdout)["results"]}
    assert by_vendor["woodpecker"]["outcome"] == "failed"
    assert by_vendor["woodpecker"]["error"]["kind"] == "conflict"
    assert by_vendor["woodpecker"]["message"] == "vendor still reports running after pause"
    assert by_vendor["alta"]["details"]["verified"] is True


def test_verify_says_why_leadterra_cannot_be_verified(rig: Rig) -> None:
    result = rig.run("pause", "--verify", "--json", "--no-audit", "leadterra:camp_123")
    (item,) = json.loads(result.stdout)["results"]
    assert result.returncode == 0
    assert item["details"]["verified"] is None
    assert "status endpoint" in item["details"]["verify_note"]


def test_undo_never_resumes_what_was_already_paused(rig: Rig, tmp_path: Path) -> None:
    audit = str(tmp_path / "audit.jsonl")
    targets = ["leadterra:camp_123", "leadterra:camp_paused", "woodpecker:12346",
               "woodpecker:12345", "leadlex:cmp_paused"]  # fmt: skip
    paused = rig.run("pause", "--json", "--audit-log", audit, "--reason", "drill", *targets)
    outcomes = {r["target"]: r["outcome"] for r in json.loads(paused.stdout)["results"]}
    assert outcomes == {
        "leadterra:camp_123": "done",
        "leadterra:camp_paused": "noop",  # same 200 as a fresh pause: told apart by pausedAt
        "woodpecker:12346": "noop",  # a repeat pause looks fresh: campctl read it first
        "woodpecker:12345": "done",
        "leadlex:cmp_paused": "noop",
    }
    undo = rig.run("resume", "--undo", "last", "--json", "--audit-log", audit)
    assert undo.returncode == 0, undo.stderr
    document = json.loads(undo.stdout)
    assert [r["target"] for r in document["results"]] == [
        "leadterra:camp_123", "woodpecker:12345",
    ]  # fmt: skip
    assert "3 target(s) were not changed by that run" in undo.stderr
    assert rig.sim.campaign_status("woodpecker", "12346") == "PAUSED"
    assert rig.sim.campaign_status("leadterra", "camp_paused") == "paused"
    assert rig.sim.campaign_status("leadlex", "cmp_paused") == "paused"
    runs = json.loads(rig.run("runs", "--json", "--audit-log", audit).stdout)["runs"]
    assert [r["action"] for r in runs] == ["resume", "pause"]
    assert runs[0]["undo_of"] == runs[1]["run_id"]
    assert runs[1]["reason"] == "drill"
    assert runs[1]["summary"] == {"total": 5, "done": 2, "noop": 3, "failed": 0, "skipped": 0}


def test_list_reads_every_page_of_alta_and_voicegenie(rig: Rig) -> None:
    result = rig.run("list", "--json", "-p", "alta", "-p", "voicegenie")
    assert result.returncode == 0, result.stderr
    campaigns = json.loads(result.stdout)["campaigns"]
    alta = [c for c in campaigns if c["vendor"] == "alta"]
    assert len(alta) > 100  # more than one page of 100
    assert len({c["campaign_id"] for c in alta}) == len(alta)
    assert any(c["name"] == "Product launch (newest)" for c in alta)
    assert {c["status"] for c in campaigns} >= {"running", "paused", "completed"}


def test_list_of_a_vendor_without_a_list_is_a_usage_error(rig: Rig) -> None:
    result = rig.run("list", "-p", "leadterra")
    assert result.returncode == 2
    assert "documents no campaign list" in result.stderr


def test_a_profile_whose_list_fails_is_reported_and_the_others_listed(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("status:401@alta"))
    result = rig.run("list", "--json", "-p", "alta", "-p", "woodpecker")
    document = json.loads(result.stdout)
    assert result.returncode == 4
    assert document["errors"][0]["provider"] == "alta"
    assert document["errors"][0]["kind"] == "auth"
    assert any(c["vendor"] == "woodpecker" for c in document["campaigns"])


def test_concurrent_runs_share_one_readable_journal(rig: Rig, tmp_path: Path) -> None:
    audit = str(tmp_path / "audit.jsonl")
    batches = [["woodpecker:12345"], ["alta:7c9e6679-7425-40de-944b-e07fc1f90ae7"],
               ["leadlex:cmp_abc123"], ["leadterra:camp_123"]]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda b: rig.run("pause", "--audit-log", audit, *b).returncode,
                              batches))  # fmt: skip
    assert codes == [0, 0, 0, 0]
    runs = json.loads(rig.run("runs", "--json", "--audit-log", audit).stdout)["runs"]
    assert len(runs) == 4
    assert all(r["summary"]["done"] == 1 for r in runs)
