"""The audit log as a writer (only regular files, failures counted, never raised) and as the
run journal (read from the end, torn and foreign lines skipped)."""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from campctl.audit import AuditLog, Journal, RunInfo, new_run_id
from campctl.errors import ConfigError
from campctl.results import Outcome, Result

RUN = RunInfo("20261129T120000Z-abcdef", "pause", False, "bounces", None)


def result(target: str = "woodpecker:1", outcome: Outcome = Outcome.DONE) -> Result:
    provider, campaign_id = target.split(":")
    return Result.model_construct(
        target=target, provider=provider, vendor=provider, campaign_id=campaign_id,
        outcome=outcome, status="paused", at=None, message="", http_status=200, attempts=1,
        duration_ms=1, details={}, error=None,
    )  # fmt: skip


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
    log.record(result(), 1)
    log.close()
    assert json.loads(real.read_text())["run_id"] == RUN.run_id


def test_a_write_failure_after_sending_is_counted_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", RUN)
    log.record(result("woodpecker:1"), 1)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    log.record(result("woodpecker:2"), 1)
    log.record(result("woodpecker:3"), 1)
    monkeypatch.undo()
    log.close()
    assert log.problem is not None
    assert "2 audit line(s) not written" in log.problem
    assert "No space left on device" in log.problem


def test_lines_carry_the_run_fields(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, RUN._replace(undo_of="20261128T000000Z-000000"))
    log.record(result(), 1)
    log.close()
    line = json.loads(path.read_text())
    assert line["run_id"] == RUN.run_id
    assert line["reason"] == "bounces"
    assert line["undo_of"] == "20261128T000000Z-000000"
    assert {"time", "user", "host", "version", "action", "target", "outcome"} <= set(line)


def write_runs(path: Path, runs: list[tuple[str, str, list[str]]]) -> None:
    for run_id, action, outcomes in runs:
        log = AuditLog(path, RunInfo(run_id, action, False))
        for i, outcome in enumerate(outcomes):
            log.record(result(f"woodpecker:{i + 1}", Outcome(outcome)), i + 1)
        log.close()


def test_journal_reads_runs_newest_first_and_skips_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_runs(path, [("20261129T100000Z-000001", "pause", ["done", "noop"])])
    with path.open("a") as handle:
        handle.write('{"torn": tr\n')  # a torn line
        handle.write('{"some": "other tool"}\n')  # a foreign line
        handle.write("\xff\xfe garbage\n")
    write_runs(path, [("20261129T110000Z-000002", "resume", ["done", "failed", "skipped"])])
    journal = Journal(path)
    runs = journal.runs(20)
    assert [r.run_id for r in runs] == ["20261129T110000Z-000002", "20261129T100000Z-000001"]
    assert runs[0].counts == {"done": 1, "noop": 0, "failed": 1, "skipped": 1}
    assert runs[1].action == "pause"
    assert journal.skipped == 3
    assert journal.last("pause") == "20261129T100000Z-000001"
    assert Journal(path).last() == "20261129T110000Z-000002"


def test_journal_run_returns_records_in_written_order(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_runs(path, [("20261129T100000Z-000001", "pause", ["done", "noop", "done"])])
    found = Journal(path).run("20261129T100000Z-000001")
    assert found is not None
    summary, records = found
    assert [r["target"] for r in records] == ["woodpecker:1", "woodpecker:2", "woodpecker:3"]
    assert summary.counts["done"] == 2
    assert Journal(path).run("20261129T100000Z-ffffff") is None


def test_journal_run_replays_input_order_not_completion_order(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, RUN)
    for position in (3, 1, 2):  # finished out of order
        log.record(result(f"woodpecker:{position}"), position)
    log.close()
    found = Journal(path).run(RUN.run_id)
    assert found is not None
    assert [r["position"] for r in found[1]] == [1, 2, 3]


def test_journal_limit_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_runs(path, [(f"20261129T1{i:05d}Z-00000{i}", "pause", ["done"]) for i in range(5)])
    assert len(Journal(path).runs(2)) == 2
    assert Journal(tmp_path / "none.jsonl").runs(20) == []


def test_journal_reads_only_the_end_of_a_large_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    old = json.dumps({"run_id": "20200101T000000Z-000000", "time": "2020-01-01T00:00:00.000Z",
                      "action": "pause", "target": "woodpecker:1", "outcome": "done"})  # fmt: skip
    with path.open("w") as handle:
        for _ in range(200_000):
            handle.write(old + "\n")
    write_runs(path, [("20261129T100000Z-000001", "pause", ["done"])])
    journal = Journal(path)
    read = 0
    lines = journal._lines_backwards

    def counted() -> Iterator[bytes]:
        nonlocal read
        for line in lines():
            read += 1
            yield line

    journal._lines_backwards = counted  # type: ignore[method-assign]
    assert journal.runs(1)[0].run_id == "20261129T100000Z-000001"
    assert journal.run("20261129T100000Z-000001") is not None
    assert read < 10, f"{read} lines read for the newest run"
