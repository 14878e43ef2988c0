"""The journal read back from hostile files: torn tails, interleaved and overlapping runs,
skewed clocks, a 64 MB last line, forged and mistyped lines, a killed run, a journal others
can write — what `runs` shows and what an undo would act on."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from campctl.errors import ConfigError, UsageError
from campctl.journal import Journal
from campctl.undo import plan_undo
from tests.journals import write_run

A = "20261129T100000Z-00000a"
B = "20261129T100005Z-00000b"


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def append(path: Path, *records: dict[str, object] | str) -> None:
    with path.open("a") as handle:
        for record in records:
            handle.write((record if isinstance(record, str) else json.dumps(record)) + "\n")


def undo_targets(path: Path, wanted: str = "last", action: str = "resume") -> list[str]:
    plan = plan_undo(Journal(path), wanted, action, sandbox=False)
    return [t.target for t in plan.targets]


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    path.touch(mode=0o600)
    return path


def test_runs_are_rebuilt_by_run_id_whatever_the_order_of_lines(journal: Path) -> None:
    """Operator A starts first; B starts 5 s later; A's target lines land after B's."""
    write_run(journal, A, "pause", [(f"woodpecker:{i}", "done") for i in range(1, 7)], end=False)
    raw = journal.read_text().splitlines()
    journal.write_text(raw[0] + "\n")  # A's run line only, so far
    write_run(journal, B, "pause", [("woodpecker:50", "done")])
    append(journal, *raw[1:])  # A's six pauses finish after B's run
    runs = Journal(journal).runs(10)
    assert [r.run_id for r in runs] == [B, A]  # by start, not by newest line
    assert runs[1].counts["done"] == 6
    assert undo_targets(journal) == ["woodpecker:50"]  # B's undo never takes A's pauses
    assert undo_targets(journal, A) == [f"woodpecker:{i}" for i in range(1, 7)]


def test_a_line_from_a_skewed_clock_mid_run_keeps_the_whole_run(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done"), ("woodpecker:2", "done")])
    records = lines(journal)
    records[2]["time"] = "2026-11-29T09:58:00.000Z"  # two minutes behind the run's start
    journal.write_text("".join(json.dumps(r) + "\n" for r in records))
    (run,) = Journal(journal).runs(5)
    assert run.counts["done"] == 2
    assert undo_targets(journal) == ["woodpecker:1", "woodpecker:2"]


def test_a_torn_line_is_skipped_and_never_swallows_the_next_run(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done")])
    with journal.open("ab") as handle:
        handle.write(b'{"kind":"target","run_id":"' + A.encode() + b'","targ')  # disk full
    write_run(journal, B, "pause", [("woodpecker:2", "done")])  # the writer heals the tail
    reader = Journal(journal)
    assert [r.run_id for r in reader.runs(5)] == [B, A]
    assert reader.skipped == 1
    assert undo_targets(journal) == ["woodpecker:2"]


def test_a_killed_run_is_incomplete_and_its_unknown_targets_are_named(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done"), ("woodpecker:2", "done"),
                                    ("woodpecker:3", "done")], recorded=1)  # fmt: skip
    (run,) = Journal(journal).runs(5)
    assert run.incomplete
    unknown = [t for t in run.targets if t.outcome_unknown]
    assert [(t.target, t.outcome, t.error_kind) for t in unknown] == [
        ("woodpecker:2", "failed", "network"), ("woodpecker:3", "failed", "network"),
    ]  # fmt: skip
    assert "outcome unknown" in str(unknown[0].message)
    plan = plan_undo(Journal(journal), "last", "resume", sandbox=False)
    assert [t.target for t in plan.targets] == ["woodpecker:1"]
    assert plan.unknown == ["woodpecker:2", "woodpecker:3"]
    assert plan.left_alone == 0  # named apart, not counted among the unchanged


def test_forged_and_mistyped_lines_are_skipped_and_counted(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:100", "done")])
    target = lines(journal)[1]
    append(
        journal,
        {**target, "target": "woodpecker:100", "campaign_id": "666"},  # target ≠ provider:id
        {**target, "target": "woodpecker:666", "campaign_id": "666"},  # not planned by A
        {**target, "outcome": ["done"]},  # wrong type
        {key: value for key, value in target.items() if key != "provider"},  # missing field
        "not json at all",
        '{"run_id": 5}',
    )
    reader = Journal(journal)
    (run,) = reader.runs(5)
    assert [t.target for t in run.targets] == ["woodpecker:100"]
    assert undo_targets(journal) == ["woodpecker:100"]  # `runs` and the undo agree
    assert reader.skipped == 6


def test_a_64_mb_last_line_is_skipped_in_linear_time(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done")])
    with journal.open("ab") as handle:
        handle.write(b"\0" * (64 * 1024 * 1024))  # a crash's NUL-filled tail
    started = time.monotonic()
    reader = Journal(journal)
    assert [r.run_id for r in reader.runs(5)] == [A]
    assert undo_targets(journal) == ["woodpecker:1"]
    assert reader.skipped == 1
    assert time.monotonic() - started < 30  # generous: "never hangs"; measured in bench/


def test_undo_needs_a_journal_only_its_owner_can_write(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done")])
    os.chmod(journal, 0o664)
    reader = Journal(journal)
    assert [r.run_id for r in reader.runs(5)] == [A]  # reading for `runs` is fine
    with pytest.raises(ConfigError, match=r"-rw-rw-r--.*chmod go-w"):
        reader.check_private()


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "audit.fifo"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="regular file"):
        Journal(fifo)


def test_undo_once_then_already_undone(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done"), ("woodpecker:2", "done")])
    write_run(journal, B, "resume", [("woodpecker:1", "done"), ("woodpecker:2", "done")],
              undo_of=A)  # fmt: skip
    reader = Journal(journal)
    assert reader.view(A).undone_by == [B]  # type: ignore[union-attr]
    already = rf"run {A} was already undone by run {B} at \d\d:\d\d UTC"
    with pytest.raises(UsageError, match=already):
        plan_undo(reader, A, "resume", sandbox=False)
    with pytest.raises(UsageError, match="already undone"):
        plan_undo(Journal(journal), "last", "resume", sandbox=False)


def test_a_partly_failed_undo_can_be_completed(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done"), ("woodpecker:2", "done")])
    write_run(journal, B, "resume", [("woodpecker:1", "done"), ("woodpecker:2", "failed")],
              undo_of=A)  # fmt: skip
    plan = plan_undo(Journal(journal), "last", "resume", sandbox=False)
    assert plan.run is not None
    assert plan.run.run_id == A
    assert [t.target for t in plan.targets] == ["woodpecker:2"]
    assert plan.settled == 1


def test_last_skips_undone_runs_and_never_crosses_the_sandbox_line(journal: Path) -> None:
    older = "20261129T090000Z-000001"
    write_run(journal, older, "pause", [("woodpecker:7", "done")])
    write_run(journal, A, "pause", [("woodpecker:1", "done")])
    write_run(journal, B, "resume", [("woodpecker:1", "done")], undo_of=A)
    write_run(journal, "20261129T110000Z-00000c", "pause", [("woodpecker:9", "done")],
              sandbox=True)  # fmt: skip
    assert undo_targets(journal) == ["woodpecker:7"]
    with pytest.raises(UsageError, match="sandbox rehearsal"):
        plan_undo(Journal(journal), "20261129T110000Z-00000c", "resume", sandbox=False)
    sandboxed = plan_undo(Journal(journal), "last", "resume", sandbox=True)
    assert [t.target for t in sandboxed.targets] == ["woodpecker:9"]


def test_nothing_to_undo_is_not_an_error(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "noop")])
    plan = plan_undo(Journal(journal), A, "resume", sandbox=False)
    assert plan.run is None
    assert plan.left_alone == 1


def test_old_lines_without_kind_still_read(journal: Path) -> None:
    old = {
        "time": "2026-11-20T10:00:00.000Z", "user": "ops", "host": "h", "version": "0.9",
        "action": "pause", "target": "woodpecker:5", "provider": "woodpecker",
        "vendor": "woodpecker", "campaign_id": "5", "outcome": "done", "status": "paused",
        "error_kind": None, "http_status": 200, "attempts": 1, "sandbox": False,
        "run_id": "20261120T100000Z-0000aa", "reason": "old", "undo_of": None, "position": 1,
    }  # fmt: skip
    append(journal, old, {**old, "target": "woodpecker:6", "campaign_id": "6", "position": 2})
    (run,) = Journal(journal).runs(5)
    assert (run.reason, run.recorded, run.incomplete, run.counts["done"]) == ("old", False,
                                                                              False, 2)  # fmt: skip
    plan = plan_undo(Journal(journal), "last", "resume", sandbox=False)
    assert [(t.target, t.endpoint) for t in plan.targets] == [
        ("woodpecker:5", None), ("woodpecker:6", None),
    ]  # fmt: skip


def test_verify_lines_override_what_runs_shows(journal: Path) -> None:
    write_run(journal, A, "pause", [("woodpecker:1", "done")])
    append(journal, {"kind": "verify", "run_id": A, "time": "2026-11-29T10:00:09Z",
                     "target": "woodpecker:1", "position": 1, "outcome": "failed",
                     "status": "running", "verified": False, "error_kind": "conflict",
                     "message": "vendor still reports running after pause"})  # fmt: skip
    (run,) = Journal(journal).runs(5)
    (target,) = run.targets
    assert (target.outcome, target.status, target.verified) == ("failed", "running", False)
    assert target.acted == "done"  # the undo still knows the pause was accepted
