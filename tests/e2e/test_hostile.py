"""The installed campctl against a hostile or broken vendor (the simulator's attack faults).

Each test asserts the contract of PRODUCT.md's Reliability, Audit log, Security and Output
sections: the exit code, one result per target, valid JSON, no key (nor any 8-character
fragment of it) anywhere, no raw control characters outside --json, bounded memory, and
every target accounted for when cron sends SIGTERM.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from campctl.sandbox import SANDBOX_KEY_ENV, Fault, campaign_ids
from tests.e2e.conftest import CAMPCTL, Rig

pytestmark = pytest.mark.e2e

SENTINEL = "sk_live_SENTINEL0123456789abcdefXYZ"
VG_SEED = "550e8400-e29b-41d4-a716-446655440000"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
VENDOR_SEQUENCES = ("\x1b]0;", "\x07", "\x1b[2J", "\rcampaign", "\x9b")  # the escape fault's


def fragments(key: str) -> list[str]:
    return [key[i : i + 8] for i in range(len(key) - 7)]


def assert_no_key(key: str, *texts: str) -> None:
    for text in texts:
        lowered = text.lower()
        for fragment in fragments(key):
            assert fragment.lower() not in lowered, f"key fragment {fragment!r} leaked"


def assert_no_raw_controls(text: str, *, terminal: bool = False) -> None:
    """Newlines separate lines; nothing else below 0x20 (nor C1) may reach a pipe. On a
    terminal campctl draws with sequences of its own (bold, the progress line), so there the
    check is that none of the vendor's sequences arrives raw."""
    if terminal:
        for raw in VENDOR_SEQUENCES:
            assert raw not in text, f"vendor sequence {raw!r} reached the terminal raw"
        return
    found = CONTROL.search(text.replace("\n", ""))
    assert found is None, f"raw control character {found.group()!r} in {text!r}"


def with_key(rig: Rig, key: str) -> dict[str, str]:
    env = dict(rig.env)
    env["CAMPCTL_SANDBOX_KEY"] = key
    return env


def run(rig: Rig, *args: str, env: dict[str, str] | None = None, timeout: float = 60,
        **kwargs: object) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [str(CAMPCTL), *args], capture_output=True, text=True, env=env or rig.env,
        timeout=timeout, check=False, **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


# -- keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (["sh", "-c", f"printf '{SENTINEL}\\nlogin: ops\\n'"], "line break"),
        (["sh", "-c", f"printf '{SENTINEL}é'"], "non-ASCII"),
    ],
)
def test_a_strange_key_is_a_config_error_that_never_shows_it(
    rig: Rig, tmp_path: Path, command: list[str], problem: str
) -> None:
    config = tmp_path / "strange.toml"
    config.write_text(
        rig.config.read_text().replace(
            'api_key_env = "CAMPCTL_SANDBOX_KEY"\n', f"api_key_command = {json.dumps(command)}\n", 1
        )
    )  # the first profile (leadlex) gets the command
    for extra in ([], ["--json"]):
        result = run(rig, "pause", "--config", str(config), *extra, "leadlex:cmp_abc123")
        assert result.returncode == 3, result.stderr
        assert problem in result.stderr
        assert "leadlex" in result.stderr
        assert_no_key(SENTINEL, result.stdout, result.stderr)
    assert rig.sim.requests == []


def test_a_reflected_key_is_redacted_everywhere(rig: Rig, tmp_path: Path) -> None:
    rig.sim.add_fault(Fault.parse("reflect-key@leadlex"))
    audit = tmp_path / "audit.jsonl"
    env = with_key(rig, SENTINEL)
    for mode in (["--json"], [], ["--verbose"]):
        result = run(rig, "pause", *mode, "--audit-log", str(audit), "leadlex:cmp_abc123",
                     env=env)  # fmt: skip
        assert result.returncode != 0
        assert_no_key(SENTINEL, result.stdout, result.stderr)
        if mode == ["--json"]:
            json.loads(result.stdout)
    assert_no_key(SENTINEL, audit.read_text())


@pytest.mark.parametrize("key", ["done", "1", "paused"])
def test_a_key_that_looks_like_output_never_corrupts_it(rig: Rig, key: str) -> None:
    result = run(rig, "pause", "--json", "woodpecker:12345", "leadlex:cmp_abc123",
                 env=with_key(rig, key))  # fmt: skip
    document = json.loads(result.stdout)
    assert result.returncode == 4
    assert [r["outcome"] for r in document["results"]] == ["failed", "failed"]
    assert [r["error"]["kind"] for r in document["results"]] == ["auth", "auth"]
    assert document["summary"] == {"total": 2, "done": 0, "noop": 0, "failed": 2, "skipped": 0}
    assert [r["http_status"] for r in document["results"]] == [401, 401]


# -- bodies ----------------------------------------------------------------------------------


def test_deep_json_fails_one_target_and_reports_the_others(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("deep-json@leadlex"))
    result = run(rig, "pause", "--json", "leadlex:cmp_abc123", "woodpecker:12345",
                 "alta:7c9e6679-7425-40de-944b-e07fc1f90ae7")  # fmt: skip
    document = json.loads(result.stdout)
    outcomes = {r["vendor"]: r for r in document["results"]}
    assert outcomes["leadlex"]["outcome"] == "failed"
    assert outcomes["leadlex"]["error"]["kind"] == "bad_response"
    assert outcomes["woodpecker"]["outcome"] == "done"
    assert outcomes["alta"]["outcome"] == "done"
    assert result.returncode == 1
    assert "internal error" not in result.stderr


def peak_rss_kib(
    args: list[str], env: dict[str, str]
) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Run campctl in a wrapper that reports its child's peak RSS (KiB on Linux)."""
    wrapper = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
        "p.returncode, p.stdout, p.stderr]))\n"
    )
    argv = [sys.executable, "-c", wrapper, str(CAMPCTL), *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=True)
    rss, code, out, err = json.loads(done.stdout)
    return rss, subprocess.CompletedProcess(args, code, out, err)


@pytest.mark.parametrize("layers", ["1", "2"])
def test_a_gzip_bomb_keeps_memory_bounded(rig: Rig, layers: str) -> None:
    rig.sim.add_fault(Fault.parse(f"gzip-bomb:{layers}@woodpecker"))
    rss, result = peak_rss_kib(["pause", "--json", "woodpecker:12345", "leadlex:cmp_abc123"],
                               rig.env)  # fmt: skip
    document = json.loads(result.stdout)
    by_vendor = {r["vendor"]: r for r in document["results"]}
    assert by_vendor["woodpecker"]["error"]["kind"] == "bad_response"
    assert by_vendor["leadlex"]["outcome"] == "done"
    assert rss < 100 * 1024, f"peak RSS {rss} KiB"


# -- time ------------------------------------------------------------------------------------


def test_timeout_is_the_one_bound_longer_than_httpx_default(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("slow:6@woodpecker*1"))
    result = run(rig, "pause", "--json", "--timeout", "15", "woodpecker:12345")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["outcome"] == "done"


def test_timeout_bounds_a_body_that_dribbles(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("slow-body:30@woodpecker"))
    started = time.monotonic()
    result = run(rig, "pause", "--json", "--timeout", "1.5", "--retries", "0", "woodpecker:12345")
    assert time.monotonic() - started < 10
    (item,) = json.loads(result.stdout)["results"]
    assert item["error"]["kind"] == "timeout"
    assert result.returncode == 5


def test_a_redirect_with_a_bad_location_is_bad_response_sent_once(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("redirect:badloc@woodpecker"))
    result = run(rig, "pause", "--json", "woodpecker:12345")
    (item,) = json.loads(result.stdout)["results"]
    assert item["error"]["kind"] == "bad_response"
    assert result.returncode == 1
    assert len([r for r in rig.sim.requests if r.vendor == "woodpecker"]) == 1


# -- terminal --------------------------------------------------------------------------------


@pytest.mark.parametrize("arg", ["", ":status"])
@pytest.mark.parametrize("tty", [False, True])
def test_escape_sequences_never_reach_the_terminal_raw(rig: Rig, arg: str, tty: bool) -> None:
    rig.sim.add_fault(Fault.parse(f"escape{arg}@leadlex"))
    env = dict(rig.env)
    if tty:
        env["TTY_COMPATIBLE"] = "1"  # Rich renders the table as for a terminal
        env["COLUMNS"] = "100"
    result = run(rig, "pause", "--verbose", "leadlex:cmp_abc123", "woodpecker:12345", env=env)
    assert_no_raw_controls(result.stdout, terminal=tty)
    assert_no_raw_controls(result.stderr, terminal=tty)
    assert "\\x1b" in result.stdout + result.stderr  # shown, escaped
    json_result = run(rig, "pause", "--json", "leadlex:cmp_abc123", env=env)
    json.loads(json_result.stdout)


# -- audit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/dev/full", "/dev/null", "fifo", "dir"])
def test_an_unusable_audit_path_is_refused_before_sending(
    rig: Rig, tmp_path: Path, path: str
) -> None:
    if path == "fifo":
        path = str(tmp_path / "audit.fifo")
        os.mkfifo(path)
    elif path == "dir":
        path = str(tmp_path)
    result = run(rig, "pause", "--json", "--audit-log", path, "woodpecker:12345", timeout=20)
    assert result.returncode == 3
    assert "--no-audit" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "config"
    assert rig.sim.requests == []


def _small_files(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_an_audit_write_failure_after_sending_still_reports_every_target(
    rig: Rig, tmp_path: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    audit.write_text("x" * 1000 + "\n")
    limit = 1000 + 1400  # room for the run line, then EFBIG (a full disk, in effect)
    ids = ["12345", *campaign_ids("woodpecker", 4)]
    result = run(rig, "pause", "--json", "--audit-log", str(audit),
                 *(f"woodpecker:{i}" for i in ids), preexec_fn=_small_files(limit))  # fmt: skip
    document = json.loads(result.stdout)
    assert [r["outcome"] for r in document["results"]] == ["done"] * 5
    assert result.returncode == 0
    assert "audit line(s) not written" in document["audit_error"]
    assert "audit line(s) not written" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_run_line_that_cannot_be_written_sends_nothing(rig: Rig, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    audit.write_text("x" * 1000 + "\n")
    result = run(rig, "pause", "--json", "--audit-log", str(audit), "woodpecker:12345",
                 preexec_fn=_small_files(1000 + 100))  # fmt: skip
    assert result.returncode == 3
    assert json.loads(result.stdout)["error"]["kind"] == "config"
    assert "nothing was sent" in result.stderr
    assert [r.method for r in rig.sim.requests] == ["GET"]  # the prior-state read only
    assert rig.sim.campaign_status("woodpecker", "12345") == "RUNNING"


# -- signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_account_for_every_target(
    rig: Rig, tmp_path: Path, signum: int, code: int
) -> None:
    ids = campaign_ids("woodpecker", 12)
    rig.sim.latency_ms = 300
    audit = tmp_path / "audit.jsonl"
    proc = rig.popen(
        "pause", "--json", "--audit-log", str(audit), *(f"woodpecker:{i}" for i in ids)
    )
    time.sleep(1.5)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == code, err
    document = json.loads(out)
    assert document["exit_code"] == code
    assert [r["campaign_id"] for r in document["results"]] == ids
    assert [r["outcome"] for r in document["results"]].count("done") >= 1
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert (lines[0]["kind"], lines[-1]["kind"]) == ("run", "end")  # interrupted, not killed
    logged = [line for line in lines if line["kind"] == "target"]
    assert sorted(e["campaign_id"] for e in logged) == sorted(ids)


def test_a_target_interrupted_while_waiting_to_retry_keeps_its_answer(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("rate_limit:30@leadlex"))
    proc = rig.popen("pause", "--json", "--retries", "2", "leadlex:cmp_abc123")
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 143, err
    (item,) = json.loads(out)["results"]
    assert item["error"]["kind"] == "rate_limited"
    assert "interrupted while waiting to retry" in item["message"]


# -- proxies ---------------------------------------------------------------------------------


def test_a_proxy_never_captures_loopback_traffic_in_a_mixed_run(rig: Rig, tmp_path: Path) -> None:
    seen: list[bytes] = []
    proxy = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = proxy.accept()
            except OSError:
                return
            with conn:
                seen.append(conn.recv(4096))
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    config = tmp_path / "mixed.toml"
    config.write_text(
        rig.config.read_text()
        + '\n[providers.remote]\nvendor = "woodpecker"\nbase_url = "https://api.woodpecker.test/rest"\n'
        + 'api_key_env = "CAMPCTL_SANDBOX_KEY"\n'
    )
    env = dict(rig.env)
    proxy_url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
    env.update(HTTP_PROXY=proxy_url, HTTPS_PROXY=proxy_url, ALL_PROXY=proxy_url, NO_PROXY="")
    result = run(rig, "pause", "--json", "--config", str(config), "--retries", "0",
                 "woodpecker:12345", "remote:777", env=env)  # fmt: skip
    proxy.close()
    by_target = {r["target"]: r for r in json.loads(result.stdout)["results"]}
    assert by_target["woodpecker:12345"]["outcome"] == "done"
    assert by_target["remote:777"]["outcome"] == "failed"
    assert all(request.startswith(b"CONNECT api.woodpecker.test:443") for request in seen)
    assert_no_key("sandbox-key", *(r.decode("latin-1") for r in seen))


def test_deeply_nested_details_keep_the_document_valid(rig: Rig) -> None:
    rig.sim.add_fault(Fault.parse("deep-json:100000:details@voicegenie"))
    result = run(rig, "resume", "--json", "voicegenie:vg_unconfigured", "woodpecker:12346")
    document = json.loads(result.stdout)
    assert len(document["results"]) == 2
    assert document["results"][1]["outcome"] == "done"
    assert document["results"][0]["outcome"] == "failed"
    assert "Traceback" not in result.stderr


def test_providers_refuses_an_inline_key_others_can_read(rig: Rig, tmp_path: Path) -> None:
    config = tmp_path / "shared.toml"
    config.write_text(f'[providers.ops]\nvendor = "woodpecker"\napi_key = "{SENTINEL}"\n')
    config.chmod(0o640)
    for extra in ([], ["--json"]):
        result = run(rig, "providers", "--config", str(config), *extra)
        assert result.returncode == 3
        assert "readable by group or others" in result.stdout + result.stderr
        assert_no_key(SENTINEL, result.stdout, result.stderr)
    paused = run(rig, "pause", "--config", str(config), "ops:12345")
    assert paused.returncode == 3
    assert "readable by group or others" in paused.stderr


def test_alta_never_goes_over_its_limit_in_a_mixed_low_concurrency_run(rig: Rig) -> None:
    """The simulator answers 429 to a 101st Alta start in any 60 s; campctl must never
    provoke it, even while slow requests of another vendor hold the --concurrency slots.
    (Takes just over a minute: the 101st Alta request has to wait for the window.)"""
    rig.sim.add_fault(Fault.parse("slow:2@leadterra"))
    alta = campaign_ids("alta", 60)[:55] + [
        f"a17a5eed-0000-4000-8000-{i:012d}" for i in range(1, 51)
    ]
    leadterra = campaign_ids("leadterra", 8)
    targets = [f"leadterra:{i}" for i in leadterra] + [f"alta:{i}" for i in alta]
    result = run(rig, "pause", "--json", "--no-audit", "--concurrency", "4", *targets,
                 timeout=180)  # fmt: skip
    document = json.loads(result.stdout)
    alta_results = [r for r in document["results"] if r["vendor"] == "alta"]
    assert len(alta_results) == 105
    # 0 attempts: already paused before the run (its prior state came from the list pass).
    attempts = {r["attempts"] for r in alta_results}
    assert attempts <= {0, 1}, "an Alta request met the vendor's 429"
    assert all(r["outcome"] in ("done", "noop") for r in alta_results)


def test_a_one_letter_key_never_masks_campctls_words_on_stderr(rig: Rig, tmp_path: Path) -> None:
    config = tmp_path / "dead.toml"
    config.write_text('[providers.w]\nvendor = "woodpecker"\nbase_url = "http://127.0.0.1:9"\n'
                      'api_key_env = "CAMPCTL_SANDBOX_KEY"\n')  # fmt: skip
    result = run(rig, "pause", "--config", str(config), "--retries", "0", "--verbose", "w:12345",
                 env=with_key(rig, "k"))  # fmt: skip
    assert result.returncode == 5
    exchange = next(line for line in result.stderr.splitlines() if "GET" in line)
    assert "/v2/campaigns/12345 -> network error talking to 127.0.0.1" in exchange
    assert exchange.endswith("(attempt 1)")
    assert "campctl: run " in result.stderr


# -- keys through vendor-supplied campaign IDs ------------------------------------------------


def journal_views(rig: Rig, audit: Path, run_id: str) -> list[subprocess.CompletedProcess[str]]:
    """What the journal reader shows of `run_id`: the run list and the run, plain and JSON."""
    views = [run(rig, "runs", *mode, "--audit-log", str(audit)) for mode in ([], ["--json"])]
    views += [
        run(rig, "runs", *mode, "--audit-log", str(audit), run_id) for mode in ([], ["--json"])
    ]
    for view in views:
        assert view.returncode == 0, view.stderr
    return views


@pytest.mark.parametrize("arg", ["", ":8"])
def test_a_listed_campaign_id_holding_the_key_is_never_acted_on_printed_or_journaled(
    rig: Rig, tmp_path: Path, arg: str
) -> None:
    """VoiceGenie IDs are `[A-Za-z0-9_-]{1,128}`: the sandbox key, or 8 characters of it, is
    one. Refused once for the profile; the other campaigns are listed and paused."""
    rig.sim.add_fault(Fault.parse(f"key-id{arg}@voicegenie"))
    key = rig.env["CAMPCTL_SANDBOX_KEY"]
    message = "the vendor listed a campaign ID that contains the API key"

    listed = run(rig, "list", "--json", "-p", "voicegenie")
    document = json.loads(listed.stdout)
    assert listed.returncode == 1
    assert document["errors"] == [
        {"provider": "voicegenie", "kind": "bad_response", "http_status": None, "message": message}
    ]
    assert len(document["campaigns"]) > 10
    plain = run(rig, "list", "-p", "voicegenie", "-p", "woodpecker")
    assert plain.returncode == 1
    assert plain.stderr.count(message) == 1

    audit = tmp_path / "audit.jsonl"
    paused = run(rig, "pause", "--json", "--verbose", "--all-running", "-p", "voicegenie",
                 "-p", "woodpecker", "--audit-log", str(audit))  # fmt: skip
    document = json.loads(paused.stdout)
    assert paused.returncode == 1
    assert document["selection"]["errors"][0]["message"] == message
    assert len(document["selection"]["errors"]) == 1
    targets = [r["target"] for r in document["results"]]
    assert len(targets) == len(set(targets)) == document["selection"]["matched"]
    assert {r["outcome"] for r in document["results"]} == {"done"}
    assert {r["vendor"] for r in document["results"]} == {"voicegenie", "woodpecker"}
    acted = [r.path for r in rig.sim.requests if "pause" in r.path.lower()]
    assert acted
    assert not any(key[:8] in path or key[-8:] in path for path in acted)

    views = journal_views(rig, audit, document["run_id"])
    outputs = [listed, plain, paused, *views]
    assert_no_key(key, audit.read_text(), *(o.stdout + o.stderr for o in outputs))


# -- keys pasted in the wrong place ---------------------------------------------------------


UPPER_KEY = "A1B2C3D4E5F6G7H8"


def pasted_config(rig: Rig, tmp_path: Path, *tables: str) -> Path:
    config = tmp_path / "pasted.toml"
    config.write_text(rig.config.read_text() + "".join(tables))
    return config


@pytest.mark.parametrize("pasted", [UPPER_KEY, SENTINEL, SENTINEL.upper()])
def test_a_key_pasted_as_api_key_env_is_never_echoed(rig: Rig, tmp_path: Path, pasted: str) -> None:
    base_url = rig.sim.base_url("woodpecker")
    # Woodpecker alone beside `ops`: selecting by sender at every listable vendor would read
    # the senders of Smartlead's 65 running campaigns at its 50 a minute, for nothing here.
    config = tmp_path / "pasted.toml"
    config.write_text(
        f'sandbox = true\n\n[providers.woodpecker]\nvendor = "woodpecker"\n'
        f'base_url = "{base_url}"\napi_key_env = "{SANDBOX_KEY_ENV}"\n'
        f'\n[providers.ops]\nvendor = "woodpecker"\n'
        f'base_url = "{base_url}"\napi_key_env = "{pasted}"\n'
    )
    reason = "looks like a key rather than a variable name"
    outputs = []
    for args in (["list"], ["list", "--json"], ["pause", "--all-running", "--dry-run", "--json"],
                 ["pause", "--sender", "acme.io", "--dry-run"], ["providers"],
                 ["providers", "--json"]):  # fmt: skip
        result = run(rig, *args, "--config", str(config))
        outputs.append(result)
        assert "Traceback" not in result.stderr
        assert "ops" in result.stdout + result.stderr  # the profile is named, not its value
        assert reason in result.stdout + result.stderr, args
        if "--json" in args:
            document = json.loads(result.stdout)
            if args[0] == "pause":
                left_out = {e["provider"]: e["reason"] for e in document["selection"]["left_out"]}
                assert reason in left_out["ops"]
    assert [o.returncode for o in outputs] == [0, 0, 0, 0, 0, 0]
    refused = run(rig, "pause", "--config", str(config), "ops:12345")
    assert refused.returncode == 3
    assert "profile 'ops'" in refused.stderr
    assert reason in refused.stderr
    assert all(r.method == "GET" for r in rig.sim.requests)  # list reads only, no pause
    for output in [*outputs, refused]:
        assert_no_key(pasted, output.stdout, output.stderr)
        assert pasted[:4] not in output.stdout + output.stderr


def test_a_key_pasted_as_the_program_is_never_echoed(rig: Rig, tmp_path: Path) -> None:
    config = pasted_config(rig, tmp_path, '\n[providers.ops]\nvendor = "woodpecker"\n'
                           f'api_key_command = ["{SENTINEL}"]\n')  # fmt: skip
    reason = "looks like a key rather than a program"
    for args in (["providers"], ["providers", "--json"], ["pause", "ops:12345"],
                 ["pause", "--json", "ops:12345"]):  # fmt: skip
        result = run(rig, *args, "--config", str(config))
        assert_no_key(SENTINEL, result.stdout, result.stderr)
        if args[0] == "providers":
            assert result.returncode == 0
            assert reason in result.stdout
        else:
            assert result.returncode == 3
            assert "profile 'ops'" in result.stderr


@pytest.mark.parametrize("where", ["simulator", "closed-port"])
def test_a_key_in_a_base_url_path_is_masked_in_every_url_shown(
    rig: Rig, tmp_path: Path, where: str
) -> None:
    key = rig.env["CAMPCTL_SANDBOX_KEY"]
    host = f"127.0.0.1:{rig.sim.port}" if where == "simulator" else "127.0.0.1:9"
    config = pasted_config(rig, tmp_path, '\n[providers.vgk]\nvendor = "voicegenie"\n'
                           f'base_url = "http://{host}/{key.upper()}/v1"\n'
                           'api_key_env = "CAMPCTL_SANDBOX_KEY"\n')  # fmt: skip
    outputs = [
        run(rig, "pause", "--verbose", "--retries", "0", "--config", str(config), "vgk:abc"),
        run(rig, "pause", "--json", "--retries", "0", "--config", str(config), "vgk:abc"),
        run(rig, "pause", "--dry-run", "--verbose", "--config", str(config), "vgk:abc"),
        run(rig, "providers", "--config", str(config)),
        run(rig, "providers", "--json", "--config", str(config)),
    ]
    verbose, _, dry, providers, providers_json = outputs
    assert f"GET http://{host}/***/v1/pauseTheCampaign/abc -> " in verbose.stderr
    assert f"http://{host}/***/v1/pauseTheCampaign/abc" in dry.stdout
    assert f"vgk\tvoicegenie\thttp://{host}/***/v1\t" in providers.stdout
    rows = {row["name"]: row for row in json.loads(providers_json.stdout)["providers"]}
    assert rows["vgk"]["base_url"] == f"http://{host}/***/v1"
    for output in outputs:
        assert_no_key(key, output.stdout, output.stderr)


# -- one character sinks the report -------------------------------------------------------------

UNSHOWABLE = re.compile(
    "[\ud800-\udfff\u00ad\u200b-\u200f\u2060-\u2064\ufeff\U000e0000-\U000e007f]"
)


@pytest.mark.parametrize(
    ("variant", "shown", "encoding"),
    [
        ("surrogate", "\\ud800", "utf-8"),
        (
            "invisible",
            "\\u200b\\u200c\\u200d\\u2060\\ufeff\\xad\\U000e0041\\U000e007f",
            "utf-8",
        ),
        ("cjk", "\\u65e5\\u672c\\u8a9e", "latin-1"),  # a Japanese name under a latin-1 stdout
        ("surrogate", "\\ud800", "latin-1"),
    ],
)
def test_text_that_cannot_be_shown_is_escaped_and_every_target_still_reported(
    rig: Rig, tmp_path: Path, variant: str, shown: str, encoding: str
) -> None:
    rig.sim.add_fault(Fault.parse(f"text:{variant}@voicegenie"))
    env = {**rig.env, "PYTHONIOENCODING": encoding}
    tty = {**env, "TTY_COMPATIBLE": "1", "COLUMNS": "200"}
    audit = tmp_path / "audit.jsonl"
    targets = [f"voicegenie:{VG_SEED}", "woodpecker:12345"]

    def go(*args: str, environment: dict[str, str] = env) -> subprocess.CompletedProcess[str]:
        journal = ["--audit-log", str(audit)] if args[0] in ("pause", "resume", "runs") else []
        result = run(rig, *args, *journal, env=environment, encoding=encoding)
        assert "Traceback" not in result.stderr
        assert "internal error" not in result.stderr
        assert "cannot write to stdout" not in result.stderr
        return result

    document = json.loads(go("pause", "--json", *targets).stdout)
    assert [r["target"] for r in document["results"]] == targets
    assert document["exit_code"] == 0
    plain = go("resume", *targets)
    table = go("pause", *targets, environment=tty)
    status = go("status", *targets)
    status_json = go("status", "--json", *targets)
    listed = go("list", "-p", "voicegenie", environment=tty)
    listed_json = go("list", "--json", "-p", "voicegenie")
    views = [go("runs", *mode, document["run_id"]) for mode in ([], ["--json"])]
    views.append(go("runs", environment=tty))
    assert [line.split()[0] for line in plain.stdout.splitlines()] == targets
    assert [line.split()[0] for line in status.stdout.splitlines()] == targets
    for target in targets:
        assert target in table.stdout
    assert len(json.loads(status_json.stdout)["results"]) == 2
    assert len(json.loads(listed_json.stdout)["campaigns"]) > 10
    assert json.loads(views[1].stdout)["results"]
    for result in (plain, table, status, listed, views[0]):
        assert result.returncode == 0, result.stderr
        assert shown in result.stdout
        assert UNSHOWABLE.search(result.stdout + result.stderr) is None
        assert_no_raw_controls(result.stdout, terminal=result is table or result is listed)


# -- shared state across accounts ------------------------------------------------------------


def test_one_accounts_cookie_is_never_sent_with_anothers_requests(rig: Rig, tmp_path: Path) -> None:
    rig.sim.add_fault(Fault.parse("set-cookie@woodpecker"))
    config = pasted_config(rig, tmp_path, '\n[providers.woodpecker-b]\nvendor = "woodpecker"\n'
                           f'base_url = "{rig.sim.base_url("woodpecker")}"\n'
                           'api_key_env = "CAMPCTL_SANDBOX_KEY"\n')  # fmt: skip
    result = run(rig, "pause", "--json", "--concurrency", "1", "--config", str(config),
                 "woodpecker:12345", "woodpecker-b:12347", "woodpecker:12348")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [r["outcome"] for r in json.loads(result.stdout)["results"]] == ["done"] * 3
    sent = [r for r in rig.sim.requests if r.vendor == "woodpecker"]
    assert len(sent) >= 3
    assert [r.headers.get("cookie") for r in sent] == [None] * len(sent)
