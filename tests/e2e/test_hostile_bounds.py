"""The installed campctl against numbers out of range, and against operator inputs and an
environment that are hostile or careless (issue 13, PRODUCT.md Reliability: "Numbers and
headers out of range", "Operator inputs are bounded too", "Proxies"; Audit log: "Where").

Each attack asserts what PRODUCT.md states: the exit code, one result per target, a valid
JSON document, no traceback, and bounded time and memory (the child's peak RSS).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from campctl.sandbox import Fault, campaign_ids
from tests.e2e.conftest import CAMPCTL, Rig
from tests.e2e.test_hostile import peak_rss_kib, run

pytestmark = pytest.mark.e2e

MIB = 1024  # ru_maxrss is in KiB on Linux


def sent(rig: Rig, vendor: str) -> list[object]:
    return [r for r in rig.sim.requests if r.vendor == vendor]


def document(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stdout + result.stderr
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def results(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    items = document(result)["results"]
    assert isinstance(items, list)
    by_target = {item["target"]: item for item in items}
    assert len(by_target) == len(items)  # one result per target
    return by_target


# -- numbers and headers out of range ---------------------------------------------------------


@pytest.mark.parametrize(
    "after", ["1e12", "1" + "0" * 308, "1e308", "-5", "Fri, 31 Dec 9999 23:59:59 GMT"]
)
def test_an_absurd_retry_after_is_rate_limited_at_once(rig: Rig, after: str) -> None:
    rig.sim.add_fault(Fault.parse(f"rate_limit:{after}@leadlex"))
    result = run(rig, "pause", "--json", "--retries", "3", "leadlex:cmp_abc123",
                 "woodpecker:12345", timeout=30)  # fmt: skip
    by_target = results(result)
    limited = by_target["leadlex:cmp_abc123"]
    assert limited["outcome"] == "failed"
    assert limited["error"]["kind"] == "rate_limited"  # type: ignore[index]
    assert "outcome unknown" not in str(limited["message"])
    assert "try again later" in str(limited["message"])
    assert by_target["woodpecker:12345"]["outcome"] == "done"
    assert result.returncode == 5
    assert len(sent(rig, "leadlex")) == 1  # never waited for, never retried


@pytest.mark.parametrize(("status", "kind", "code"), [(401, "auth", 4), (503, "vendor_error", 5)])
def test_an_error_body_with_a_5000_digit_number_is_classified_by_status(
    rig: Rig, status: int, kind: str, code: int
) -> None:
    rig.sim.add_fault(Fault.parse(f"huge-number:{status}@voicegenie"))
    result = run(rig, "pause", "--json", "--retries", "0", "voicegenie:" + campaign_ids(
        "voicegenie", 1)[0], "woodpecker:12345")  # fmt: skip
    by_vendor = {r["vendor"]: r for r in results(result).values()}
    assert by_vendor["voicegenie"]["error"]["kind"] == kind  # type: ignore[index]
    assert by_vendor["voicegenie"]["error"]["http_status"] == status  # type: ignore[index]
    assert by_vendor["woodpecker"]["outcome"] == "done"
    assert result.returncode == code


@pytest.mark.parametrize(
    ("vendor", "campaign"),
    [("voicegenie", "550e8400-e29b-41d4-a716-446655440000"), ("leadlex", "cmp_abc123"),
     ("leadterra", "camp_123")],
)  # fmt: skip
def test_a_success_naming_another_campaign_is_bad_response(
    rig: Rig, vendor: str, campaign: str
) -> None:
    rig.sim.add_fault(Fault.parse(f"other-id@{vendor}"))
    result = run(rig, "pause", "--json", f"{vendor}:{campaign}", "woodpecker:12345")
    by_target = results(result)
    other = by_target[f"{vendor}:{campaign}"]
    assert other["outcome"] == "failed"
    assert other["error"]["kind"] == "bad_response"  # type: ignore[index]
    assert f"another campaign than {campaign}" in str(other["message"])
    assert by_target["woodpecker:12345"]["outcome"] == "done"
    assert result.returncode == 1


def test_a_status_read_naming_another_campaign_is_bad_response(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("other-id@woodpecker"))
    result = run(rig, "status", "--json", "woodpecker:12345")
    (item,) = results(result).values()
    assert item["error"]["kind"] == "bad_response"  # type: ignore[index]
    assert result.returncode == 1


# -- target files and stdin --------------------------------------------------------------------


def test_from_file_dev_zero_is_a_usage_error_in_bounded_memory(rig: Rig) -> None:
    rss, result = peak_rss_kib(["pause", "--json", "--from-file", "/dev/zero"], rig.env)
    assert result.returncode == 2
    problem = document(result)["error"]
    assert "line 1 is longer than 4096 bytes" in str(problem)
    assert rss < 150 * MIB, f"peak RSS {rss} KiB"


def test_an_endless_stdin_is_a_usage_error_in_bounded_memory(rig: Rig) -> None:
    wrapper = (
        "import resource, subprocess, sys, json\n"
        "yes = subprocess.Popen(['yes', 'woodpecker:12345'], stdout=subprocess.PIPE)\n"
        "p = subprocess.run(sys.argv[1:], stdin=yes.stdout, capture_output=True, text=True)\n"
        "yes.kill()\n"
        "yes.wait()\n"
        "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
        "p.returncode, p.stdout, p.stderr]))\n"
    )
    argv = [sys.executable, "-c", wrapper, str(CAMPCTL), "pause", "--json", "--from-file", "-"]
    done = subprocess.run(argv, capture_output=True, text=True, env=rig.env, timeout=120,
                          check=True)  # fmt: skip
    rss, code, out, err = json.loads(done.stdout)
    assert code == 2, err
    assert "larger than 64 MiB" in json.loads(out)["error"]["message"]
    assert rss < 400 * MIB, f"peak RSS {rss} KiB"
    assert sent(rig, "woodpecker") == []


# -- the config file ---------------------------------------------------------------------------


def tab(env: dict[str, str], words: str) -> subprocess.CompletedProcess[str]:
    """What bash asks on Tab after `words`."""
    env = {**env, "_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()))}  # fmt: skip
    return subprocess.run([str(CAMPCTL)], capture_output=True, text=True, env=env, timeout=20,
                          check=False)  # fmt: skip


@pytest.mark.parametrize("hostile", ["deep", "huge", "fifo"])
def test_a_hostile_config_file_is_exit_3_everywhere_and_tab_still_completes(
    rig: Rig, tmp_path: Path, hostile: str
) -> None:
    config = tmp_path / "providers.toml"
    if hostile == "deep":
        config.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    elif hostile == "huge":
        config.write_text(rig.config.read_text() + "#" * (1024 * 1024) + "\n")
    else:
        os.mkfifo(config)  # nobody ever writes to it
    env = {**rig.env, "CAMPCTL_CONFIG": str(config)}
    paused = run(rig, "pause", "--json", "woodpecker:12345", env=env, timeout=20)
    assert paused.returncode == 3
    assert document(paused)["error"]
    shown = run(rig, "config", "path", env=env, timeout=20)
    assert shown.returncode == 3, shown.stdout
    assert "Traceback" not in shown.stderr
    completed = tab(env, "campctl pause -p ")
    assert completed.returncode == 0
    assert "woodpecker" in completed.stdout.split()
    assert sent(rig, "woodpecker") == []


def test_a_base_url_with_a_leading_space_is_a_config_error(rig: Rig, tmp_path: Path) -> None:
    config = tmp_path / "spaced.toml"
    url = rig.sim.base_url("woodpecker")
    config.write_text(rig.config.read_text().replace(f'"{url}"', f'" {url}"'))
    result = run(rig, "pause", "--json", "--config", str(config), "woodpecker:12345")
    assert result.returncode == 3
    assert "base_url" in str(document(result)["error"])
    assert sent(rig, "woodpecker") == []


def test_an_api_key_command_printing_forever_is_exit_3_in_bounded_memory(
    rig: Rig, tmp_path: Path
) -> None:
    config = tmp_path / "forever.toml"
    forever = "import sys\\nwhile True: sys.stdout.write('k' * 65536)"
    config.write_text(
        f'[providers.wp]\nvendor = "woodpecker"\nbase_url = "{rig.sim.base_url("woodpecker")}"\n'
        f'api_key_command = ["{sys.executable}", "-c", "{forever}"]\n'
    )
    rss, result = peak_rss_kib(["pause", "--json", "--config", str(config), "wp:12345"], rig.env)
    assert result.returncode == 3
    assert "printed more than 64 KiB" in str(document(result)["error"])
    assert rss < 150 * MIB, f"peak RSS {rss} KiB"


# -- the environment ---------------------------------------------------------------------------


def test_a_malformed_https_proxy_is_exit_3_also_for_dry_run(rig: Rig, tmp_path: Path) -> None:
    config = tmp_path / "remote.toml"
    config.write_text('[providers.remote]\nvendor = "woodpecker"\n'
                      'base_url = "https://api.woodpecker.test/rest"\n'
                      'api_key_env = "CAMPCTL_SANDBOX_KEY"\n')  # fmt: skip
    env = {**rig.env, "HTTPS_PROXY": "http://ops:s3cret@proxy:port"}
    for extra in ([], ["--dry-run"]):
        result = run(rig, "pause", "--json", "--config", str(config), *extra, "remote:777",
                     env=env)  # fmt: skip
        assert result.returncode == 3
        assert "HTTPS_PROXY (or https_proxy) is not a usable proxy URL" in result.stdout
        assert "s3cret" not in result.stdout + result.stderr
    loopback = run(rig, "pause", "--json", "woodpecker:12345", env=env)
    assert loopback.returncode == 0  # a loopback profile never consults the proxy


def test_a_relative_xdg_state_home_is_ignored(rig: Rig, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**rig.env, "XDG_STATE_HOME": "state"}
    result = run(rig, "pause", "--json", "woodpecker:12345", env=env, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert not (cwd / "state").exists()
    state = Path(env["HOME"]) / ".local" / "state" / "campctl"
    assert list(state.rglob("audit.jsonl"))  # the sandbox config's journal, in the default place


HOMELESS = (
    "import pwd, sys\n"
    "def no_entry(uid):\n"
    "    raise KeyError(uid)\n"
    "pwd.getpwuid = no_entry  # as for a uid the passwd database does not know\n"
    "sys.argv[0] = 'campctl'\n"
    "from campctl.main import main\n"
    "main()\n"
)


def test_no_home_and_no_passwd_entry_still_runs_with_no_audit(rig: Rig, tmp_path: Path) -> None:
    """campctl in a process with neither HOME nor a passwd entry (the lookup is made to fail
    in the child: running as an unknown uid would need the interpreter readable by it)."""
    env = {k: v for k, v in rig.env.items() if not k.startswith(("HOME", "XDG_"))}

    cwd = tmp_path / "cwd"
    cwd.mkdir()

    def homeless(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-c", HOMELESS, *args]
        return subprocess.run(
            argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=30, check=False
        )

    paused = homeless("pause", "--json", "--no-audit", "woodpecker:12345")
    assert paused.returncode == 0, paused.stderr
    assert results(paused)["woodpecker:12345"]["outcome"] == "done"
    journaled = homeless("pause", "--json", "alta:7c9e6679-7425-40de-944b-e07fc1f90ae7")
    assert journaled.returncode == 3
    assert "HOME is not set" in str(document(journaled)["error"])
    assert {r.vendor for r in rig.sim.requests} == {"woodpecker"}  # the journaled run sent none
    assert list(cwd.iterdir()) == []  # nothing written to the working directory


def test_a_low_open_files_limit_lowers_concurrency_instead_of_failing(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("slow:1@leadterra"))
    targets = [f"leadterra:{cid}" for cid in campaign_ids("leadterra", 60)]

    def low_limit() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))

    result = run(rig, "pause", "--json", "--concurrency", "64", "--no-audit", *targets,
                 preexec_fn=low_limit, timeout=60)  # fmt: skip
    by_target = results(result)
    assert len(by_target) == 60
    failed = {t: r["error"] for t, r in by_target.items() if r["outcome"] != "done"}
    assert failed == {}
    assert result.returncode == 0


def test_a_held_sandbox_lock_is_waited_for_then_a_clean_error(rig: Rig) -> None:
    lock = Path(rig.env["XDG_STATE_HOME"]) / "campctl" / "sandbox" / "campaigns.json.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(["flock", str(lock), "sleep", "300"])
    try:
        for _ in range(100):  # until flock holds it
            probe = subprocess.run(["flock", "-n", str(lock), "true"], check=False)
            if probe.returncode != 0:
                break
        result = run(rig, "pause", "--sandbox", "--json", "--timeout", "1", "woodpecker:12345",
                     timeout=30)  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert "waiting for the sandbox state" in result.stderr
    assert "sandbox state is busy" in str(document(result)["error"])
