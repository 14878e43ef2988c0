"""The incident across all eight built-in vendors, through the installed campctl and the
sandbox: stop what sends from acme.io, restore exactly that, and never resume what a vendor
(or its safety feature) paused — Instantly's Bounce Protect, Woodpecker's Bounce Shield,
Smartlead's bounce auto-pause."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CAMPCTL, base_env

pytestmark = pytest.mark.e2e

ACME_RUNNING = {
    "woodpecker:12345", "woodpecker:12347", "woodpecker:12350",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e37",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e38",  # through a tag's accounts
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e3a",  # 4: Running Subsequences still sends
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e41",
    "lemlist:cam_bSn8EORHQxbWPjHvu", "lemlist:cam_suajL2SXxmH7NdZ6F",
    "lemlist:cam_4HrZbi8xsez4QlrnL", "lemlist:cam_gen0000000095",
    "smartlead:2710262", "smartlead:2710263", "smartlead:2710265",
}  # fmt: skip
BOUNCE_PROTECT = "instantly:019cc043-aee6-7ae9-a545-d7de53430e3c"
SAFETY_PAUSED = {BOUNCE_PROTECT: "vendor_paused", "woodpecker:12351": "paused",
                 "smartlead:2710268": "paused"}  # fmt: skip


def campctl(env: dict[str, str], *args: str) -> tuple[int, Any, str]:
    done = subprocess.run(
        [str(CAMPCTL), *args, "--json"], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout), done.stderr


def test_sender_pause_and_undo_across_all_eight_vendors(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    env["CAMPCTL_NO_PLUGINS"] = "1"

    code, paused, _ = campctl(env, "pause", "--sandbox", "--sender", "acme.io", "--reason", "test")
    assert code == 0
    assert {r["target"] for r in paused["results"]} == ACME_RUNNING
    assert all(r["outcome"] == "done" for r in paused["results"])
    left_out = {e["provider"] for e in paused["selection"]["left_out"]}
    assert left_out == {"leadlex", "leadterra", "voicegenie", "alta"}  # no senders to match
    assert set(paused["selection"]["profiles"]) == {"woodpecker", "instantly", "lemlist",
                                                    "smartlead"}  # fmt: skip

    code, undone, _ = campctl(env, "resume", "--sandbox", "--undo", "last")
    assert code == 0
    assert {r["target"] for r in undone["results"]} == ACME_RUNNING
    assert all((r["outcome"], r["status"]) == ("done", "running") for r in undone["results"])

    code, status, _ = campctl(env, "status", "--sandbox", *SAFETY_PAUSED)
    assert code == 0
    assert {r["target"]: r["status"] for r in status["results"]} == SAFETY_PAUSED


def test_a_vendor_safety_pause_is_resumed_only_when_overridden(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    env["CAMPCTL_NO_PLUGINS"] = "1"

    code, noop, _ = campctl(env, "pause", "--sandbox", BOUNCE_PROTECT)
    assert (code, noop["results"][0]["outcome"]) == (0, "noop")  # not sending: nothing sent

    code, refused, _ = campctl(env, "resume", "--sandbox", BOUNCE_PROTECT)
    assert code == 1
    (result,) = refused["results"]
    assert (result["outcome"], result["error"]["kind"]) == ("failed", "conflict")
    assert "Bounce Protect" in result["message"]
    assert "7 days" in result["message"]
    assert "--override-vendor-pause" in result["message"]

    code, listed, _ = campctl(env, "list", "--sandbox", "-p", "instantly", "--status",
                              "vendor_paused")  # fmt: skip
    assert code == 0
    assert BOUNCE_PROTECT in {c["target"] for c in listed["campaigns"]}

    code, running, _ = campctl(env, "pause", "--sandbox", "--all-running", "-p", "instantly",
                               "--dry-run")  # fmt: skip
    assert BOUNCE_PROTECT not in {r["target"] for r in running["results"]}

    code, overridden, _ = campctl(
        env, "resume", "--sandbox", "--override-vendor-pause", BOUNCE_PROTECT
    )
    assert code == 0
    assert (overridden["results"][0]["outcome"], overridden["results"][0]["status"]) == (
        "done", "running",
    )  # fmt: skip
