"""Persistent, shared campaign state: `Simulator(state_file=...)`, `reset_state`, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campctl.cli import app
from campctl.sandbox import Simulator, campaign_ids, reset_state, sandbox_state_dir, state_file
from tests.sandbox.common import ALTA, PAUSE, SEED, call


def file_states(path: Path, vendor: str) -> dict[str, str]:
    doc = json.loads(path.read_text())
    return {cid: entry["status"] for cid, entry in doc["campaigns"][vendor].items()}


def test_states_outlive_the_simulator(tmp_path: Path) -> None:
    path = tmp_path / "state" / "campaigns.json"
    with Simulator(state_file=path) as sim:
        assert path.exists()  # the seed is written at once
        assert call(sim, "woodpecker", PAUSE["woodpecker"]).status_code == 200
        assert call(sim, "alta", f"POST /campaigns/{ALTA}/pause").status_code == 200
    assert file_states(path, "woodpecker")["12345"] == "PAUSED"
    with Simulator(state_file=path) as again:
        assert again.campaign_status("woodpecker", "12345") == "PAUSED"
        assert call(again, "alta", f"GET /campaigns/{ALTA}").json()["status"] == "paused"
        listed = call(again, "woodpecker", "GET /v1/campaign_list?status=PAUSED").json()
        assert 12345 in {c["id"] for c in listed}
        assert again.state_problem is None
    assert Simulator().campaign_status("woodpecker", "12345") == "RUNNING"  # no file, no memory


def test_a_second_simulator_sees_changes_as_they_happen(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    with Simulator(state_file=path) as one, Simulator(state_file=path) as two:
        call(one, "leadterra", PAUSE["leadterra"])
        r = call(two, "leadterra", PAUSE["leadterra"])  # already paused: the first pausedAt
        assert r.json()["status"] == "paused"
        assert two.campaign_status("leadterra", "camp_123") == "paused"
        call(two, "leadterra", "POST /v1/campaigns/camp_123/start")
        assert one.campaign_status("leadterra", "camp_123") == "running"


def test_concurrent_simulators_never_lose_an_update(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    ids = campaign_ids("leadterra", 40)
    with (
        Simulator(extra_campaigns=40, state_file=path) as one,
        Simulator(extra_campaigns=40, state_file=path) as two,
    ):
        barrier = threading.Barrier(8)

        def pause(worker: int) -> None:
            sim = (one, two)[worker % 2]
            barrier.wait()
            for cid in ids[worker::8]:
                r = call(sim, "leadterra", f"POST /v1/campaigns/{cid}/pause")
                assert r.status_code == 200

        threads = [threading.Thread(target=pause, args=(w,)) for w in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        states = file_states(path, "leadterra")
        assert all(states[cid] == "paused" for cid in ids)
        for sim in (one, two):
            assert all(sim.campaign_status("leadterra", cid) == "paused" for cid in ids)
        assert states["camp_123"] == "running"


def test_concurrent_processes_never_lose_an_update(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    script = textwrap.dedent(
        """
        import sys, httpx
        from pathlib import Path
        from campctl.sandbox import Simulator, campaign_ids
        first, step = int(sys.argv[2]), int(sys.argv[3])
        with Simulator(extra_campaigns=30, state_file=Path(sys.argv[1])) as sim:
            with httpx.Client(headers={"x-api-key": "sandbox-key"}) as client:
                for cid in campaign_ids("woodpecker", 30)[first::step]:
                    url = sim.base_url("woodpecker") + f"/v2/campaigns/{cid}/pause"
                    assert client.post(url).status_code == 200
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(i), "3"]) for i in range(3)
    ]
    assert [p.wait(timeout=30) for p in procs] == [0, 0, 0]
    states = file_states(path, "woodpecker")
    assert [states[cid] for cid in campaign_ids("woodpecker", 30)] == ["PAUSED"] * 30
    assert states["12345"] == "RUNNING"


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"format": 99, "campaigns": {}}', b"\xff\xfe", b"[" * 100_000],
    ids=["empty", "garbage", "array", "future", "binary", "deep"],
)
def test_a_corrupt_file_means_the_seed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "campaigns.json"
    path.write_bytes(content)
    with Simulator(state_file=path) as sim:
        assert sim.campaign_status("woodpecker", "12345") == "RUNNING"
        assert file_states(path, "woodpecker")["12345"] == "RUNNING"  # rewritten
        call(sim, "woodpecker", PAUSE["woodpecker"])
    assert file_states(path, "woodpecker")["12345"] == "PAUSED"


def test_bad_entries_are_ignored_and_unknown_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    path.write_text(
        json.dumps(
            {
                "format": 1,
                "campaigns": {
                    "woodpecker": {
                        "12345": {"status": 7, "updated_at": SEED},
                        "12346": {"status": "RUNNING", "updated_at": SEED, "paused_at": 3},
                        "12347": {"status": "PAUSED", "updated_at": SEED},
                        "999999": {"status": "PAUSED", "updated_at": SEED},
                    },
                    "leadlex": [],
                    "mailchimp": {"x": {}},
                },
            }
        )
    )
    with Simulator(state_file=path) as sim:
        assert sim.campaign_status("woodpecker", "12345") == "RUNNING"
        assert sim.campaign_status("woodpecker", "12346") == "PAUSED"
        assert sim.campaign_status("woodpecker", "12347") == "PAUSED"
        assert sim.campaign_status("leadlex", "cmp_abc123") == "active"
        assert call(sim, "woodpecker", "POST /v2/campaigns/12349/pause").status_code == 200
    doc = json.loads(path.read_text())
    assert doc["campaigns"]["woodpecker"]["999999"]["status"] == "PAUSED"
    assert doc["campaigns"]["mailchimp"] == {"x": {}}
    assert doc["campaigns"]["woodpecker"]["12349"]["status"] == "PAUSED"


def test_an_unwritable_place_leaves_the_simulator_working(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with Simulator(state_file=blocker / "campaigns.json") as sim:
        assert sim.state_problem is not None
        assert "not-a-dir" in sim.state_problem
        assert call(sim, "woodpecker", PAUSE["woodpecker"]).status_code == 200
        assert sim.campaign_status("woodpecker", "12345") == "PAUSED"


def test_sandbox_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert sandbox_state_dir() == tmp_path / "xdg" / "campctl" / "sandbox"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert sandbox_state_dir() == tmp_path / "home" / ".local" / "state" / "campctl" / "sandbox"
    assert state_file(tmp_path) == tmp_path / "campaigns.json"


def test_reset_state_puts_the_seed_back_and_keeps_the_journal(tmp_path: Path) -> None:
    state_dir = tmp_path / "sandbox"
    path = state_file(state_dir)
    with Simulator(state_file=path, extra_campaigns=2) as sim:
        call(sim, "woodpecker", PAUSE["woodpecker"])
        call(sim, "leadlex", "POST /v1/campaigns/cmp_big/start")
    journal = state_dir / "audit.jsonl"
    journal.write_text('{"run_id": "x"}\n')
    reset_state(state_dir)
    assert journal.read_text() == '{"run_id": "x"}\n'
    with Simulator(state_file=path) as sim:
        assert sim.campaign_status("woodpecker", "12345") == "RUNNING"
        assert sim.campaign_status("leadlex", "cmp_big") == "paused"
    assert campaign_ids("woodpecker", 1)[0] not in file_states(path, "woodpecker")
    reset_state(tmp_path / "fresh" / "dir")  # created when missing
    assert state_file(tmp_path / "fresh" / "dir").exists()
    with pytest.raises(NotADirectoryError):
        reset_state(journal / "below-a-file")


def test_cli_sandbox_reset(isolation: Path) -> None:
    state_dir = isolation / ".state" / "campctl" / "sandbox"
    with Simulator(state_file=state_file(state_dir)) as sim:
        call(sim, "woodpecker", PAUSE["woodpecker"])
    result = CliRunner().invoke(app, ["sandbox", "reset"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "seeded state" in result.stderr
    assert file_states(state_file(state_dir), "woodpecker")["12345"] == "RUNNING"


def test_cli_sandbox_reset_failure_is_one_line(
    isolation: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolation / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    result = CliRunner().invoke(app, ["sandbox", "reset"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "cannot reset the sandbox state" in result.stderr
    assert "Traceback" not in result.stderr


def hold_lock(path: Path) -> subprocess.Popen[str]:
    """Another process holding the state file's lock until killed."""
    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    script = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(300)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_held_lock_is_waited_for_at_most_lock_timeout(tmp_path: Path) -> None:
    from campctl.sandbox.state import StateLocked

    path = tmp_path / "campaigns.json"
    holder = hold_lock(path)
    told: list[float] = []
    try:
        with pytest.raises(StateLocked, match=r"for 0\.3 s"):
            Simulator(state_file=path, lock_timeout=0.3, on_lock_wait=told.append)
    finally:
        holder.kill()
        holder.wait()
    assert told == [0.3]
    with Simulator(state_file=path, lock_timeout=0.3, on_lock_wait=told.append) as sim:
        assert sim.state_problem is None
    assert told == [0.3]  # a free lock is taken without a word


def test_a_lock_held_during_a_run_means_working_from_memory(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    with Simulator(state_file=path, lock_timeout=0.2) as sim:
        holder = hold_lock(path)
        try:
            assert call(sim, "woodpecker", PAUSE["woodpecker"]).status_code == 200
            assert sim.state_problem is not None
            assert "another process holds it" in sim.state_problem
        finally:
            holder.kill()
            holder.wait()


def test_cli_sandbox_run_with_a_held_lock_is_a_clean_error(isolation: Path) -> None:
    holder = hold_lock(state_file(sandbox_state_dir()))
    try:
        result = CliRunner().invoke(
            app, ["pause", "--sandbox", "--timeout", "0.5", "woodpecker:12345"]
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 3
    assert "waiting for the sandbox state" in result.stderr
    assert "sandbox state is busy" in result.stderr
    assert "Traceback" not in result.stderr
