"""The run journal, read back: `campctl runs` and `--undo` see the same reconstruction.

A run is rebuilt from its lines by `run_id`, whatever their order in the file or their
timestamps (two hosts' clocks may disagree): its `run` and `plan` lines say what was planned,
`target` lines what happened, `verify` lines what --verify found, and `end` that it finished.
Runs are ordered by their start (the UTC time in the run ID), never by their newest line.

Reading is one forward pass, linear in the file size: only the few `run`/`plan`/`end` lines
are parsed during the pass; `target` lines are indexed by offset and parsed for the runs
asked about. A line over 1 MiB is skipped without being held; a line that is not campctl's
(not JSON, wrong field types, a `target` that is not `provider:campaign_id`, a target its run
did not plan) is skipped and counted, never acted on. Lines written before journals had
`kind` read as `target` lines of a run with no `run` line.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from campctl.errors import ConfigError

if TYPE_CHECKING:
    from campctl.documents import RunDocument, RunEntry, RunsDocument

MAX_LINE = 1024 * 1024
OUTCOMES = ("done", "noop", "failed", "skipped")
RUN_ID = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}")
_RUN_ID_FIELD = re.compile(rb'"run_id":\s*"([^"\\]{1,64})"')
_UNDO_FIELD = re.compile(rb'"undo_of":\s*"([0-9]{8}T[0-9]{6}Z-[0-9a-f]{6})"')
_TIME_FIELD = re.compile(rb'"time":\s*"([^"\\]{1,40})"')
_LINE_PREFIXES = frozenset((b'{"kind":"target","run_id":"', b'{"kind":"verify","run_id":"'))
_PREFIX_LEN = 27  # both prefixes above
_STRUCTURAL = re.compile(rb'"kind"\s*:\s*"(run|plan|end)"')
UNKNOWN_MESSAGE = "outcome unknown: the run ended without recording it"


class Planned(NamedTuple):
    target: str
    provider: str
    vendor: str
    campaign_id: str
    endpoint: str | None
    position: int
    prior_status: str | None
    prospects: bool | None


class TargetView(NamedTuple):
    """One target of a run as the journal tells it (after --verify, when it ran)."""

    target: str
    provider: str
    vendor: str
    campaign_id: str
    outcome: str
    status: str | None
    prior_status: str | None
    error_kind: str | None
    message: str | None
    verified: bool | None
    time: str | None
    position: int
    endpoint: str | None
    outcome_unknown: bool
    prospects: bool | None
    acted: str  # the outcome of the action itself (a `done` stays `done` for --undo)

    def as_json(self) -> dict[str, Any]:
        keys = ("target", "provider", "vendor", "campaign_id", "outcome", "status",
                "prior_status", "error_kind", "message", "verified", "time")  # fmt: skip
        return {key: getattr(self, key) for key in keys}


class RunView(NamedTuple):
    run_id: str
    time: str
    user: str | None
    host: str | None
    action: str
    reason: str | None
    via: str | None
    undo_of: str | None
    undone_by: list[str]
    sandbox: bool
    incomplete: bool
    config: str | None
    recorded: bool  # has a `run` line (journals before kinds had none)
    targets: list[TargetView]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for target in self.targets:
            counts[target.outcome] += 1
        return counts

    def entry(self) -> RunEntry:
        """This run as the `runs` document lists it."""
        from campctl.documents import RunEntry

        return RunEntry.model_validate(self.as_json())

    def document(self, skipped: int) -> RunDocument:
        """`campctl runs RUN_ID --json`."""
        from campctl.documents import RunDocument, RunTarget

        results = [RunTarget.model_validate(t.as_json()) for t in self.targets]
        return RunDocument(run=self.entry(), results=results, skipped_lines=skipped, exit_code=0)

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "time": self.time,
            "user": self.user,
            "host": self.host,
            "action": self.action,
            "reason": self.reason,
            "via": self.via,
            "undo_of": self.undo_of,
            "undone_by": self.undone_by,
            "sandbox": self.sandbox,
            "incomplete": self.incomplete,
            "summary": {"total": len(self.targets), **self.counts},
        }


@dataclass
class _Run:
    run_id: str
    seen: int  # order of first appearance in the file: the last tie-break
    stamp: str = ""  # the run line's time (milliseconds), read without parsing the line
    structural: list[int] = field(default_factory=list)  # offsets of run/plan/end lines
    offsets: list[int] = field(default_factory=list)  # offsets of the other lines
    loaded: bool = False  # the structural lines parsed (only for the runs asked about)
    header: dict[str, Any] | None = None
    planned: dict[str, Planned] = field(default_factory=dict)
    ended: bool = False

    @property
    def start(self) -> tuple[str, str, int]:
        """The run ID's UTC start second, then the run line's millisecond time."""
        return self.run_id.split("-", 1)[0], self.stamp, self.seen


class Journal:
    """One pass over an audit log; `skipped` counts the lines that are not campctl's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.skipped = 0
        self._runs: dict[str, _Run] = {}
        self._undone_by: dict[str, set[str]] = defaultdict(set)
        self._views: dict[str, RunView] = {}
        self._mode: int | None = None
        self._uid: int | None = None
        self._scan()

    # -- questions ------------------------------------------------------------------------
    def runs(self, limit: int) -> list[RunView]:
        """The newest `limit` runs by start, newest first."""
        return list(itertools.islice(self._newest(), limit))

    def document(self, runs: list[RunView]) -> RunsDocument:
        """`campctl runs --json` for these runs (lines skipped so far included)."""
        from campctl.documents import RunsDocument

        entries = [run.entry() for run in runs]
        return RunsDocument(runs=entries, skipped_lines=self.skipped, exit_code=0)

    def view(self, run_id: str) -> RunView | None:
        """One run, or None when no readable line names it."""
        if run_id not in self._views:
            run = self._runs.get(run_id)
            built = self._build(run) if run is not None else None
            if built is None:
                return None
            self._views[run_id] = built
        return self._views[run_id]

    def newest(self) -> RunView | None:
        return next(self._newest(), None)

    def candidates(self, action: str, *, sandbox: bool) -> Iterator[RunView]:
        """Runs of `action` on this side of the sandbox line, newest start first; only the
        runs looked at are parsed."""
        for run in self._by_start():
            self._load(run)
            header = run.header
            if header is not None and (
                header.get("action") != action or (header.get("sandbox") is True) != sandbox
            ):
                continue
            view = self.view(run.run_id)
            if view is not None and view.action == action and view.sandbox == sandbox:
                yield view

    def _by_start(self) -> list[_Run]:
        return sorted(self._runs.values(), key=lambda r: r.start, reverse=True)

    def _newest(self) -> Iterator[RunView]:
        for run in self._by_start():
            view = self.view(run.run_id)
            if view is not None:
                yield view

    def restored(self, run_id: str) -> dict[str, str]:
        """Targets of `run_id` that an undo already settled (done, or found nothing to do),
        mapped to the undoing run."""
        settled: dict[str, str] = {}
        for undo_id in self._undoers(run_id):
            undo = self.view(undo_id)
            assert undo is not None  # noqa: S101 - `_undoers` checked it
            for target in undo.targets:
                if target.acted in ("done", "noop"):
                    settled.setdefault(target.target, undo_id)
        return settled

    def check_private(self) -> None:
        """An undo acts only on a journal no one but its owner can write (like ssh)."""
        if self._mode is None:
            return
        if self._mode & 0o022 or self._uid not in (os.getuid(), 0):
            mode = stat.filemode(stat.S_IFREG | self._mode)
            raise ConfigError(
                f"{self.path}: the journal can be written by others (mode {mode}); an undo "
                f"acts only on a journal its owner alone can write: chmod go-w {self.path}"
            )

    # -- reading --------------------------------------------------------------------------
    def _scan(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read the audit log: {exc.strerror}") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise ConfigError(
                f"{self.path}: the audit log must be a regular file; pass --audit-log FILE"
            )
        self._mode, self._uid = stat.S_IMODE(info.st_mode), info.st_uid
        with os.fdopen(fd, "rb", buffering=1024 * 1024) as handle:
            offset = 0
            while line := handle.readline(MAX_LINE + 1):
                start, offset = offset, offset + len(line)
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    offset += _skip_rest(handle)
                    self.skipped += 1
                    continue
                self._index(line, start)

    def _index(self, line: bytes, offset: int) -> None:
        prefix = line[:_PREFIX_LEN]
        if prefix in _LINE_PREFIXES:  # the common case: a target or verify line as written
            run_id = line[_PREFIX_LEN : _PREFIX_LEN + 23].decode("ascii", "replace")
            if RUN_ID.fullmatch(run_id) and line[_PREFIX_LEN + 23 : _PREFIX_LEN + 24] == b'"':
                self._run(run_id).offsets.append(offset)
                return
        if not line.strip():
            return
        found = _RUN_ID_FIELD.search(line)
        run_id = found.group(1).decode("ascii", "replace") if found else ""
        if not RUN_ID.fullmatch(run_id):
            self.skipped += 1
            return
        run = self._run(run_id)
        kind = _STRUCTURAL.search(line)
        if kind is None:
            run.offsets.append(offset)
            if b'"kind"' in line:
                return
        else:
            run.structural.append(offset)
            if kind.group(1) != b"run":
                return
            stamp = _TIME_FIELD.search(line)
            run.stamp = run.stamp or (stamp.group(1).decode("ascii") if stamp else "")
        undo_of = _UNDO_FIELD.search(line) if b'"undo_of":null' not in line else None
        if undo_of is not None:  # checked when the undoing run is read (`_undoers`)
            self._undone_by[undo_of.group(1).decode("ascii")].add(run_id)

    def _load(self, run: _Run) -> None:
        """Parse a run's `run`, `plan` and `end` lines, once, when the run is asked about."""
        if run.loaded:
            return
        run.loaded = True
        for record in self._read(run.structural, run.run_id):
            if not self._attach(run, record):
                self.skipped += 1

    def _run(self, run_id: str) -> _Run:
        if run_id not in self._runs:
            self._runs[run_id] = _Run(run_id, len(self._runs))
        return self._runs[run_id]

    def _attach(self, run: _Run, record: dict[str, Any]) -> bool:
        """Fold a `run`, `plan` or `end` line into its run; False when it is not campctl's."""
        kind = record.get("kind")
        if kind == "end":
            run.ended = True
            return True
        planned = _planned(record.get("targets"))
        if planned is None or not isinstance(record.get("time"), str):
            return False
        if kind == "run":
            if run.header is not None or not _valid_header(record):
                return False
            run.header = record
        elif kind != "plan":
            return False
        for entry in planned:
            run.planned.setdefault(entry.target, entry)
        return True

    def _read(self, offsets: list[int], run_id: str) -> list[dict[str, Any]]:
        if not offsets:
            return []
        records = []
        with open(self.path, "rb") as handle:
            for offset in offsets:
                handle.seek(offset)
                record = _parse(handle.readline(MAX_LINE + 1))
                if record is None or record.get("run_id") != run_id:
                    self.skipped += 1
                    continue
                records.append(record)
        return records

    def _undoers(self, run_id: str) -> list[str]:
        """Runs whose own (checked) run line says they undid `run_id`."""
        found = []
        for undo_id in sorted(self._undone_by.get(run_id, ())):
            view = self.view(undo_id) if undo_id != run_id else None
            if view is not None and view.undo_of == run_id:
                found.append(undo_id)
        return found

    def _build(self, run: _Run) -> RunView | None:
        self._load(run)
        lines = self._read(run.offsets, run.run_id)
        results: dict[str, dict[str, Any]] = {}
        checks: dict[str, dict[str, Any]] = {}
        legacy = run.header is None
        for record in lines:
            kind = record.get("kind")
            if kind in (None, "target") and _valid_target(record, legacy=legacy):
                plan = run.planned.get(record["target"])
                fits = legacy or (
                    plan is not None
                    and (plan.provider, plan.vendor) == (record["provider"], record["vendor"])
                )
                if fits and record["target"] not in results:
                    results[record["target"]] = record
                    continue
            elif kind == "verify" and _valid_verify(record) and record["target"] not in checks:
                checks[record["target"]] = record
                continue
            self.skipped += 1
        if legacy and not results:
            return None
        first = run.header or min(results.values(), key=lambda r: str(r.get("time")))
        if legacy and first.get("action") not in ("pause", "resume"):
            self.skipped += len(results)
            return None
        targets = [_target(plan, results.pop(plan.target, None), checks) for plan in
                   sorted(run.planned.values(), key=lambda p: p.position)]  # fmt: skip
        targets += [_target(None, record, checks) for record in results.values()]
        targets.sort(key=lambda t: t.position)
        undo_of = first.get("undo_of")
        return RunView(
            run_id=run.run_id,
            time=str(first.get("time")),
            user=_opt_str(first.get("user")),
            host=_opt_str(first.get("host")),
            action=str(first.get("action")),
            reason=_opt_str(first.get("reason")),
            via=_opt_str(first.get("via")) or ("cli" if legacy else None),
            undo_of=undo_of if isinstance(undo_of, str) and RUN_ID.fullmatch(undo_of) else None,
            undone_by=self._undoers(run.run_id),
            sandbox=first.get("sandbox") is True,
            incomplete=not legacy and not run.ended,
            config=_opt_str(first.get("config")),
            recorded=not legacy,
            targets=targets,
        )


def _skip_rest(handle: Any) -> int:
    """Read past the rest of an over-long line without holding it; bytes skipped."""
    skipped = 0
    while chunk := handle.readline(MAX_LINE):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _parse(line: bytes) -> dict[str, Any] | None:
    if len(line) > MAX_LINE and not line.endswith(b"\n"):
        return None
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _names_itself(record: dict[str, Any]) -> bool:
    """`target`, `provider`, `vendor`, `campaign_id` are strings and target = provider:id."""
    fields = [record.get(k) for k in ("target", "provider", "vendor", "campaign_id")]
    if not all(isinstance(f, str) and f for f in fields):
        return False
    return bool(record["target"] == f"{record['provider']}:{record['campaign_id']}")


def _optional(record: dict[str, Any], keys: tuple[str, ...], kind: type) -> bool:
    return all(record.get(k) is None or isinstance(record.get(k), kind) for k in keys)


def _valid_header(record: dict[str, Any]) -> bool:
    undo_of = record.get("undo_of")
    return (
        record.get("action") in ("pause", "resume")
        and _optional(record, ("user", "host", "reason", "via", "config", "version"), str)
        and isinstance(record.get("sandbox"), bool)
        and (undo_of is None or (isinstance(undo_of, str) and bool(RUN_ID.fullmatch(undo_of))))
    )


def _planned(entries: Any) -> list[Planned] | None:
    """A `run`/`plan` line's targets, or None when any entry is not campctl's."""
    if not isinstance(entries, list):
        return None
    planned = []
    for entry in entries:
        if not (isinstance(entry, dict) and _names_itself(entry)):
            return None
        if not (_is_int(entry.get("position")) and isinstance(entry.get("endpoint"), str)):
            return None
        if not _optional(entry, ("prior_status",), str) or not _optional(
            entry, ("prospects",), bool
        ):
            return None
        planned.append(
            Planned(entry["target"], entry["provider"], entry["vendor"], entry["campaign_id"],
                    entry["endpoint"], entry["position"], entry.get("prior_status"),
                    entry.get("prospects"))
        )  # fmt: skip
    return planned


def _valid_target(record: dict[str, Any], *, legacy: bool) -> bool:
    if not (_names_itself(record) and record.get("outcome") in OUTCOMES):
        return False
    if not isinstance(record.get("time"), str):
        return False
    keys = ("status", "prior_status", "error_kind", "message", "endpoint")
    if not _optional(record, keys, str) or not _optional(record, ("outcome_unknown",), bool):
        return False
    position = record.get("position")
    if legacy:
        return record.get("action") in ("pause", "resume") and (
            position is None or _is_int(position)
        )
    return _is_int(position)


def _valid_verify(record: dict[str, Any]) -> bool:
    return (
        isinstance(record.get("target"), str)
        and record.get("outcome") in OUTCOMES
        and _optional(record, ("status", "error_kind", "message"), str)
        and _optional(record, ("verified",), bool)
    )


def _target(
    plan: Planned | None, record: dict[str, Any] | None, checks: dict[str, dict[str, Any]]
) -> TargetView:
    """A planned target with its `target` line (and `verify` line), or its line alone
    (legacy runs), or the plan alone: then its outcome is unknown."""
    if record is None:
        assert plan is not None  # noqa: S101 - one of the two is always given
        return TargetView(
            plan.target, plan.provider, plan.vendor, plan.campaign_id, "failed", None,
            plan.prior_status, "network", UNKNOWN_MESSAGE, None, None, plan.position,
            plan.endpoint, True, plan.prospects, "failed",
        )  # fmt: skip
    check = checks.get(record["target"], {})
    recorded = record.get("position")
    position = recorded if isinstance(recorded, int) else (plan.position if plan else 0)
    acted = str(record["outcome"])
    return TargetView(
        target=record["target"],
        provider=record["provider"],
        vendor=record["vendor"],
        campaign_id=record["campaign_id"],
        outcome=str(check.get("outcome", acted)),
        status=check.get("status", record.get("status")),
        prior_status=record.get("prior_status", plan.prior_status if plan else None),
        error_kind=check.get("error_kind", record.get("error_kind")),
        message=check.get("message", record.get("message")),
        verified=check.get("verified"),
        time=record.get("time"),
        position=position,
        endpoint=record.get("endpoint") or (plan.endpoint if plan else None),
        outcome_unknown=record.get("outcome_unknown") is True,
        prospects=plan.prospects if plan else None,
        acted=acted,
    )
