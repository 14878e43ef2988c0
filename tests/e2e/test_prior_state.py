"""Prior state and a journal you can trust, over real HTTP: a campaign the vendor paused for
safety survives pause + undo; a rehearsal is never undone against production; explicit IDs
cost one list pass, not a read each; a run is undone once."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from campctl.sandbox import SANDBOX_API_KEY, Fault, Simulator, campaign_ids
from tests.e2e.conftest import Rig, base_env

pytestmark = pytest.mark.e2e

ALTA_RUNNING = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ALTA_PAUSED = "9b2f4c1e-5d3a-4e8b-9c7d-2a1b3c4d5e6f"


def doc(result: object) -> dict[str, object]:
    return json.loads(result.stdout)  # type: ignore[attr-defined,no-any-return]


def sent(sim: Simulator, method: str = "POST") -> list[str]:
    return [f"{r.vendor}{r.path}" for r in sim.requests if r.method == method]


def test_bounce_shield_in_an_incident_list_survives_pause_and_undo(
    rig: Rig, tmp_path: Path
) -> None:
    targets = tmp_path / "incident.txt"
    targets.write_text(
        "woodpecker:12345\nwoodpecker:12351  # Bounce Shield paused it\nwoodpecker:12346\n"
        f"woodpecker:12354\nalta:{ALTA_RUNNING}\nalta:{ALTA_PAUSED}\n"
    )
    paused = rig.run("pause", "--json", "--from-file", str(targets), "--reason", "INC-7")
    assert paused.returncode == 0, paused.stderr
    outcomes = {r["target"]: (r["outcome"], r["details"].get("prior_status"))
                for r in doc(paused)["results"]}  # type: ignore[union-attr]  # fmt: skip
    assert outcomes == {
        "woodpecker:12345": ("done", "running"),
        "woodpecker:12351": ("noop", "paused"),
        "woodpecker:12346": ("noop", "paused"),
        "woodpecker:12354": ("noop", "draft"),
        f"alta:{ALTA_RUNNING}": ("done", "running"),
        f"alta:{ALTA_PAUSED}": ("noop", "paused"),
    }
    assert sorted(sent(rig.sim)) == sorted(
        ["woodpecker/v2/campaigns/12345/pause", f"alta/campaigns/{ALTA_RUNNING}/pause"]
    )
    undo = rig.run("resume", "--undo", "last", "--json")
    assert undo.returncode == 0, undo.stderr
    assert [r["target"] for r in doc(undo)["results"]] == [  # type: ignore[union-attr]
        "woodpecker:12345", f"alta:{ALTA_RUNNING}",
    ]  # fmt: skip
    assert rig.sim.campaign_status("woodpecker", "12351") == "PAUSED"
    assert rig.sim.campaign_status("woodpecker", "12346") == "PAUSED"
    assert rig.sim.campaign_status("woodpecker", "12345") == "RUNNING"
    again = rig.run("resume", "--undo", "last")
    assert again.returncode == 2
    assert "already undone by run" in again.stderr
    runs = doc(rig.run("runs", "--json", "--sandbox"))["runs"]
    assert runs[1]["undone_by"] == [runs[0]["run_id"]]  # type: ignore[index]


def test_a_rehearsal_cannot_be_undone_against_production(rig: Rig, tmp_path: Path) -> None:
    rehearsal = rig.run("pause", "--json", "woodpecker:12345")
    assert rehearsal.returncode == 0, rehearsal.stderr
    assert doc(rehearsal)["sandbox"] is True  # the config `sandbox serve` printed says so
    run_id = doc(rehearsal)["run_id"]
    sandbox_journal = Path(rig.env["XDG_STATE_HOME"]) / "campctl" / "sandbox" / "audit.jsonl"
    run_line = json.loads(sandbox_journal.read_text().splitlines()[0])
    assert run_line["sandbox"] is True
    assert run_line["targets"][0]["endpoint"] == "sandbox://woodpecker"
    with Simulator() as production:  # a stand-in for the real vendor
        env = base_env(Path(rig.env["HOME"]))
        env["WOODPECKER_API_KEY"] = SANDBOX_API_KEY
        env["WOODPECKER_BASE_URL"] = production.base_url("woodpecker")
        real = Rig(production, rig.config, env)
        nothing = real.run("resume", "--undo", "last")
        assert nothing.returncode == 0, nothing.stderr
        assert "nothing to undo" in nothing.stderr
        across = real.run("resume", "--undo", str(run_id), "--audit-log", str(sandbox_journal))
        assert across.returncode == 2
        assert "sandbox rehearsal" in across.stderr
        assert production.requests == []


def test_an_undo_through_a_profile_now_pointing_elsewhere_is_refused(
    rig: Rig, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    config = tmp_path / "real.toml"
    body = '[providers.wp]\nvendor = "woodpecker"\napi_key_env = "CAMPCTL_SANDBOX_KEY"\n'
    config.write_text(body + f'base_url = "{rig.sim.base_url("woodpecker")}"\n')
    env = {**rig.env, "CAMPCTL_CONFIG": str(config)}
    real = Rig(rig.sim, config, env)
    paused = real.run("pause", "--audit-log", str(audit), "wp:12345")
    assert paused.returncode == 0, paused.stderr
    with Simulator() as elsewhere:
        config.write_text(body + f'base_url = "{elsewhere.base_url("woodpecker")}"\n')
        undo = real.run("resume", "--undo", "last", "--audit-log", str(audit))
        assert undo.returncode == 3
        assert rig.sim.base_url("woodpecker") in undo.stderr
        assert elsewhere.base_url("woodpecker") in undo.stderr
        assert elsewhere.requests == []


def test_thirty_explicit_alta_ids_cost_one_list_pass(rig: Rig) -> None:
    ids = campaign_ids("alta", 30)
    result = rig.run("pause", "--json", *(f"alta:{i}" for i in ids))
    assert result.returncode == 0, result.stderr
    assert {r["outcome"] for r in doc(result)["results"]} == {"done"}  # type: ignore[union-attr]
    reads = [r for r in rig.sim.requests if r.vendor == "alta" and r.method == "GET"]
    assert all(r.path == "/campaigns" for r in reads)  # list pages only, no read per target
    assert len(reads) <= 2  # 165 campaigns, 100 a page
    assert len(sent(rig.sim)) == 30


def test_a_sender_no_campaign_uses_is_a_likely_typo(rig: Rig) -> None:
    typo = rig.run("pause", "--sender", "acme.oi", "-p", "woodpecker", "--json")
    assert typo.returncode == 1
    errors = doc(typo)["selection"]["errors"]  # type: ignore[index]
    assert errors[0]["provider"] is None
    assert errors[0]["kind"] == "not_found"
    assert "sends from acme.oi" in errors[0]["message"]
    assert doc(typo)["run_id"] is None
    assert sent(rig.sim) == []
    at = rig.run("pause", "--sender", "@acme.io", "-p", "woodpecker", "--dry-run", "--json")
    assert at.returncode == 0, at.stderr
    assert doc(at)["selection"]["matched"] > 0  # type: ignore[index]


def test_an_endless_list_holds_up_only_its_own_profile(rig: Rig) -> None:
    """Selection runs per profile: Woodpecker's pauses go out while Alta's list never ends."""
    rig.sim.add_fault(Fault.parse("endless-list@alta"))
    proc = rig.popen("pause", "--all-running", "-p", "alta", "-p", "woodpecker", "--json",
                     "--no-audit")  # fmt: skip
    deadline = time.monotonic() + 30
    while rig.sim.campaign_status("woodpecker", "12345") != "PAUSED":
        assert proc.poll() is None, "the run ended before Woodpecker was paused"
        assert time.monotonic() < deadline, "Alta's endless list held up Woodpecker"
        time.sleep(0.2)
    time.sleep(1)  # let the rest of Woodpecker's pauses land
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=15)
    assert proc.returncode == 143
    document = json.loads(out)
    woodpecker = [r for r in document["results"] if r["vendor"] == "woodpecker"]
    assert woodpecker
    assert {r["outcome"] for r in woodpecker} <= {"done", "skipped"}
    assert any(r["outcome"] == "done" for r in woodpecker)
    (error,) = document["selection"]["errors"]
    assert (error["provider"], error["message"]) == ("alta", "interrupted while listing")
