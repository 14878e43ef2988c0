"""Acme as campctl sees it once this package is installed: listed with its origin, paused,
read and restored on its simulator, its answers read right — and gone with plugins off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest

from campctl.providers.base import Action, Reply
from campctl.registry import adapter_class, find
from campctl.results import ErrorKind
from campctl.sandbox import SANDBOX_API_KEY, Simulator
from campctl_acme import ENTRY
from campctl_acme.adapter import AcmeAdapter

CAMPCTL = str(Path(sys.executable).parent / "campctl")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A home of its own: sandbox state and journal in tmp, no keys, plugins on."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL")) and not k.startswith(("CAMPCTL_", "XDG_"))
    }
    return {**clean, "HOME": str(tmp_path), "NO_COLOR": "1"}


def campctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CAMPCTL, *args], env=env, capture_output=True, text=True, check=False, timeout=60
    )


def results(done: subprocess.CompletedProcess[str]) -> list[tuple[str, str, str | None]]:
    assert done.returncode == 0, done.stderr
    return [(r["target"], r["outcome"], r["status"]) for r in json.loads(done.stdout)["results"]]


def test_the_entry_point_is_the_registry_entry() -> None:
    entry = find("acme")
    assert entry is not None
    assert (entry.adapter, entry.simulator) == (ENTRY.adapter, ENTRY.simulator)
    assert adapter_class("acme") is AcmeAdapter


def test_vendors_lists_acme_with_its_package(env: dict[str, str]) -> None:
    done = campctl(env, "vendors", "--json")
    assert done.returncode == 0, done.stderr
    row = {v["name"]: v for v in json.loads(done.stdout)["vendors"]}["acme"]
    assert row["plugin"] == {"package": "campctl-acme", "version": version("campctl-acme")}
    assert row["title"] == "Acme"
    assert done.stderr == ""  # no plugin warnings


def test_pause_status_and_undo_on_the_simulator(env: dict[str, str]) -> None:
    target = "acme:acme_1001"
    pause = campctl(env, "pause", "--sandbox", "--json", target)
    assert results(pause) == [(target, "done", "paused")]
    status = campctl(env, "status", "--sandbox", "--json", target, "acme:acme_1002")
    assert results(status) == [(target, "done", "paused"), ("acme:acme_1002", "done", "paused")]
    again = campctl(env, "pause", "--sandbox", "--json", target)
    assert results(again) == [(target, "noop", "paused")]
    undo = campctl(env, "resume", "--sandbox", "--json", "--undo", pause_run(pause))
    assert results(undo) == [(target, "done", "running")]


def pause_run(done: subprocess.CompletedProcess[str]) -> str:
    run_id: str = json.loads(done.stdout)["run_id"]
    return run_id


def test_a_bad_campaign_id_is_a_usage_error(env: dict[str, str]) -> None:
    done = campctl(env, "pause", "--sandbox", "acme:1001")
    assert done.returncode == 2
    assert "expected 'acme_' and digits" in done.stderr


def test_plugins_off_acme_is_unknown(env: dict[str, str]) -> None:
    done = campctl({**env, "CAMPCTL_NO_PLUGINS": "1"}, "pause", "--sandbox", "acme:acme_1001")
    assert done.returncode == 2
    assert "unknown provider 'acme'" in done.stderr


def test_the_simulator_answers_as_the_adapter_expects() -> None:
    with Simulator() as sim:
        assert "acme" in sim.vendors
        url = f"{sim.base_url('acme')}/v1/campaigns/acme_1001/pause"
        answers = [_post(url) for _ in range(2)]
    first, second = (bare().interpret(Action.PAUSE, reply) for reply in answers)
    assert (first.outcome.value, first.status) == ("done", "paused")
    assert (second.outcome.value, second.status) == ("noop", "paused")


def test_an_unknown_campaign_reads_as_not_found() -> None:
    body = b'{"error": {"code": "campaign_not_found", "message": "No such campaign"}}'
    verdict = bare().interpret(Action.STATUS, Reply(404, {}, body))
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.NOT_FOUND


def bare() -> AcmeAdapter:
    """`interpret` reads only the answer: no transport needed."""
    return AcmeAdapter(AcmeAdapter.Options(), transport=None)  # type: ignore[arg-type]


def _post(url: str) -> Reply:
    request = urllib.request.Request(  # the simulator on 127.0.0.1
        url, method="POST", headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return Reply(answer.status, dict(answer.headers), answer.read())
