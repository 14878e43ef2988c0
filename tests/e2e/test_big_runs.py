"""A big run on a real 80-column terminal, over the simulator: one line per target, and the
failures repeated after the summary, where the operator's eyes are when the run ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from campctl.sandbox import SANDBOX_API_KEY, Simulator, campaign_ids, render_providers_toml
from tests.e2e.conftest import base_env
from tests.test_cli_actions import _in_a_pty

pytestmark = pytest.mark.e2e

UUIDS = ["alta:7c9e6679-7425-40de-944b-e07fc1f90ae7",
         "voicegenie:550e8400-e29b-41d4-a716-446655440000"]  # fmt: skip
MISSING = ["woodpecker:999991", "woodpecker:999992", "woodpecker:999993", "woodpecker:999994"]


@pytest.fixture
def big(tmp_path: Path, isolation: Path) -> Iterator[tuple[dict[str, str], list[str]]]:
    """318 targets: 312 running Woodpecker campaigns, two UUID targets, four IDs the vendor
    does not know (not_found), in an order that puts the failures mid-run."""
    with Simulator(extra_campaigns=312) as sim:
        config = tmp_path / "sandbox.toml"
        config.write_text(render_providers_toml(sim))
        env = {**base_env(isolation), "CAMPCTL_CONFIG": str(config)}
        env["CAMPCTL_SANDBOX_KEY"] = SANDBOX_API_KEY
        targets = [f"woodpecker:{n}" for n in campaign_ids("woodpecker", 312)]
        for index, target in zip((7, 100, 200, 250), MISSING, strict=True):
            targets.insert(index, target)
        targets[1:1] = UUIDS
        targets_file = tmp_path / "incident.txt"
        targets_file.write_text("\n".join(targets) + "\n")
        yield env, ["pause", "--no-audit", "--from-file", str(targets_file)]


def test_318_targets_at_80_columns_end_with_their_failures(
    big: tuple[dict[str, str], list[str]],
) -> None:
    env, args = big
    code, text = _in_a_pty(args, 80, env)
    assert code == 1
    lines = text.splitlines()
    summary = lines.index("318 target(s): 314 done, 0 noop, 4 failed, 0 skipped (exit 1)")
    recap = lines[summary + 1 :]
    assert recap[0] == "Failed (4):"
    assert [line.split()[0] for line in recap[1:]] == MISSING
    assert all("not_found" in line for line in recap[1:])
    assert len(recap) == 5
    # Above the summary: a table, each target on one line with its outcome.
    title = next(i for i, line in enumerate(lines) if line.startswith("campctl pause"))
    table = lines[title:summary]
    rows = [line for line in table if re.search(r"(woodpecker|alta|voicegenie):", line)]
    assert len(rows) == 318
    assert all(re.search(r"\b(done|failed)\b", row) for row in rows)
    assert len(table) <= 318 + 8  # title, header and rules; no per-target blocks
    assert all(len(line) <= 80 for line in table)
