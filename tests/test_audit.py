"""The audit log as a writer (only regular files, failures counted, never raised) and as the
run journal (read from the end, torn and foreign lines skipped)."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import threading
from pathlib import Path

import pytest

from campctl.audit import AuditLog, Planned, RunInfo, endpoint_of, new_run_id
from campctl.errors import ConfigError
from tests.journals import WOODPECKER, result

RUN = RunInfo("20261129T120000Z-abcdef", "pause", False, "bounces", None)
PLANNED = Planned("woodpecker:1", "woodpecker", "woodpecker", "1", WOODPECKER, 1, "running")


def record(log: AuditLog, target: str = "woodpecker:1") -> None:
    log.record(result(target), 1, endpoint=WOODPECKER, prior_status="running")


def test_run_ids_have_the_documented_shape() -> None:
    run_id = new_run_id()
    stamp, _, suffix = run_id.partition("-")
    assert len(stamp) == 16
    assert (stamp[8], stamp[-1]) == ("T", "Z")
    assert len(suffix) == 6
    assert int(suffix, 16) >= 0


@pytest.mark.parametrize("special", ["/dev/null", "/dev/full"])
def test_devices_are_refused_before_anything_is_sent(special: str) -> None:
    with pytest.raises(ConfigError, match=r"regular file.*--no-audit"):
        AuditLog(Path(special), RUN)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "audit.fifo"
    os.mkfifo(fifo)
    errors: list[Exception] = []

    def open_it() -> None:
        try:
            AuditLog(fifo, RUN)
        except ConfigError as exc:
            errors.append(exc)

    worker = threading.Thread(target=open_it, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "opening a FIFO as the audit log hung"
    assert errors
    assert "--no-audit" in str(errors[0])


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--no-audit"):
        AuditLog(tmp_path, RUN)


def test_a_symlink_to_a_regular_file_is_fine(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    log = AuditLog(link, RUN)
    log.begin([PLANNED])
    log.close()
    assert json.loads(real.read_text())["run_id"] == RUN.run_id


def test_a_write_failure_after_sending_is_counted_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", RUN)
    log.begin([PLANNED])

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    record(log, "woodpecker:2")
    record(log, "woodpecker:3")
    monkeypatch.undo()
    log.close()
    assert log.problem is not None
    assert "2 audit line(s) not written" in log.problem
    assert "No space left on device" in log.problem


def test_a_run_line_that_cannot_be_written_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", RUN)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(ConfigError, match="nothing was sent"):
        log.begin([PLANNED])


def test_the_run_line_carries_the_run_and_its_plan(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, RUN._replace(undo_of="20261128T000000Z-000000", config="/etc/p.toml"))
    log.begin([PLANNED])
    log.begin([PLANNED._replace(target="woodpecker:2", campaign_id="2", position=2)])
    record(log)
    log.end({"total": 2}, 0)
    log.close()
    run, plan, target, end = (json.loads(line) for line in path.read_text().splitlines())
    assert run["kind"] == "run"
    assert (run["reason"], run["undo_of"], run["config"], run["via"]) == (
        "bounces", "20261128T000000Z-000000", "/etc/p.toml", "cli",
    )  # fmt: skip
    assert {"time", "user", "host", "version", "action", "sandbox"} <= set(run)
    assert run["targets"][0]["endpoint"] == WOODPECKER
    assert "prospects" not in run["targets"][0]
    assert (plan["kind"], plan["targets"][0]["target"]) == ("plan", "woodpecker:2")
    assert (target["kind"], target["prior_status"], target["position"]) == ("target", "running", 1)
    assert (end["kind"], end["exit_code"]) == ("end", 0)
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_torn_tail_is_healed_so_the_next_run_keeps_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b'{"kind":"target","run_id":"20261129T110000Z-000001","tar')  # disk full
    log = AuditLog(path, RUN)
    log.begin([PLANNED])
    log.close()
    lines = path.read_bytes().split(b"\n")
    assert json.loads(lines[1])["run_id"] == RUN.run_id


def test_another_writers_half_copied_line_is_not_taken_for_a_torn_one(tmp_path: Path) -> None:
    """Twelve processes appending at once once left an empty line: one of them opened the
    journal while another's line was half in the file, took it for torn, and 'healed' it
    after it had been completed. The tail is now looked at under the writers' lock."""
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, RUN)
    other = os.open(path, os.O_WRONLY | os.O_APPEND)
    fcntl.flock(other, fcntl.LOCK_EX)
    os.write(other, b'{"kind":"end","run_id":"20261129T110000Z-000001",')  # half copied
    writer = threading.Thread(target=log.begin, args=([PLANNED],))
    writer.start()
    writer.join(0.2)
    assert writer.is_alive()  # waits for the other writer's line
    os.write(other, b'"exit_code":0}\n')
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    writer.join(5)
    log.close()
    lines = path.read_text().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["end", "run"]


@pytest.mark.parametrize(
    ("base_url", "sandbox", "endpoint"),
    [
        ("https://user:pw@api.example.com/rest/?k=1#f", False, "https://api.example.com/rest"),
        ("http://127.0.0.1:4567/woodpecker", True, "sandbox://woodpecker"),
    ],
)
def test_endpoints_carry_no_user_info_query_or_port_of_a_simulator(
    base_url: str, sandbox: bool, endpoint: str
) -> None:
    assert endpoint_of(base_url, "woodpecker", sandbox=sandbox) == endpoint
