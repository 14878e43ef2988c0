"""The installed campctl, as a subprocess, telling a loopback capture server about --sandbox
runs: posted once per target after the journal is on disk, a dead or hanging webhook
changing nothing but one stderr line, within one --timeout."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.capture import Capture, CaptureServer, refused_url
from tests.e2e.conftest import CAMPCTL, base_env

pytestmark = pytest.mark.e2e

SECRET = "SENTINEL-e2e-hook-51c0"


@pytest.fixture
def capture(isolation: Path) -> Iterator[Capture]:
    journal = isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl"
    with CaptureServer(Capture(journal=journal)) as server:
        yield server


def campctl(home: Path, config: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = home / "notify.toml"
    path.write_text(config)
    path.chmod(0o600)
    environment = {**base_env(home), "CAMPCTL_CONFIG": str(path), **env}
    return subprocess.run(
        [str(CAMPCTL), *args], capture_output=True, text=True, env=environment, timeout=60,
        check=False,
    )  # fmt: skip


def test_a_pause_posts_once_to_slack_and_webhook_after_the_journal(
    capture: Capture, isolation: Path
) -> None:
    config = (
        '[[notify]]\nkind = "slack"\nurl_env = "TEAM_HOOK"\n'
        f'[[notify]]\nkind = "webhook"\nurl = "{capture.url(f"/hook/{SECRET}")}"\n'
    )
    result = campctl(
        isolation, config, "pause", "--sandbox", "--json", "--reason", "e2e", "woodpecker:12345",
        TEAM_HOOK=capture.url(f"/slack/{SECRET}"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert sorted(r.path for r in capture.requests) == [f"/hook/{SECRET}", f"/slack/{SECRET}"]
    for request in capture.requests:
        assert request.journal is not None
        assert f'"kind":"end","run_id":"{doc["run_id"]}"' in request.journal
    (hook,) = capture.bodies(f"/hook/{SECRET}")
    assert hook["run"] == doc
    assert SECRET not in result.stdout + result.stderr


def test_a_dead_webhook_changes_nothing_but_one_stderr_line(isolation: Path) -> None:
    config = f'[[notify]]\nkind = "webhook"\nurl = "{refused_url()}/{SECRET}"\n'
    result = campctl(isolation, config, "pause", "--sandbox", "--retries", "0", "woodpecker:12345")
    assert result.returncode == 0
    assert result.stdout == "woodpecker:12345 done paused\n"
    notes = [line for line in result.stderr.splitlines() if "notify" in line]
    assert len(notes) == 1
    assert notes[0].startswith("campctl: notify webhook: not delivered (network): ")
    assert SECRET not in result.stderr


def test_a_hanging_webhook_ends_within_one_timeout_of_the_results(
    capture: Capture, isolation: Path
) -> None:
    capture.answers["/hang"] = "hang"
    config = f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/hang")}"\n'
    result = campctl(isolation, config, "pause", "--sandbox", "--json", "--timeout", "2",
                     "woodpecker:12345")  # fmt: skip
    finished = time.time()
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["notify_errors"][0]["kind"] == "timeout"
    journal = (isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl").read_text()
    (end,) = [json.loads(x) for x in journal.splitlines() if '"kind":"end"' in x]
    ended = datetime.fromisoformat(end["time"].replace("Z", "+00:00")).timestamp()
    assert finished - ended < 2 + 1.5  # one --timeout, plus the process's own exit
