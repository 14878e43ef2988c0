"""campctl as a Python library: the same engine, journal, limits and redaction as the CLI.

    ctx = campctl.Context(config="ops.toml")        # or Context(sandbox=True), notify=False
    report = await campctl.pause(["woodpecker:12345"], reason="INC-1042", context=ctx)
    campctl.run_sync(campctl.resume(undo=report.run_id, reason="fixed", context=ctx))

Nothing here prints, installs a signal handler or calls `asyncio.run` on its own: what
happens along the way reaches `Context(on_event=...)` as typed events (campctl.events), and
a cancelled call journals its targets like an interrupted CLI run before `CancelledError`
goes on. Usage and configuration problems raise `UsageError` / `ConfigError`.
"""

from __future__ import annotations

import asyncio
import copy
import os
import weakref
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any, TypeVar

from campctl.act import Runner
from campctl.documents import CampaignListing, RunDocument, RunsDocument
from campctl.engine import environment, list_profiles, perform, prepare, prepare_list
from campctl.errors import ExitCode
from campctl.events import Event, EventSink, RunFinished, RunStarted, SelectionMade, TargetDone
from campctl.execute import Events
from campctl.limits import Limits
from campctl.plan import ActionOptions, audit_path, check_sender
from campctl.providers.base import Action
from campctl.redact import Redactor
from campctl.results import Report
from campctl.statuses import check_status

__all__ = [
    "Context",
    "RunReport",
    "list_campaigns",
    "pause",
    "resume",
    "run",
    "run_sync",
    "runs",
    "status",
]

RunReport = Report
"""The typed report of a pause, resume or status: `model_dump(mode="json")` is the --json
document (use `report.document()` for its exact text, with `selection`, `audit_error` and
`notify_errors` only when they apply)."""

_T = TypeVar("_T")


class Context:
    """What calls share (gh's Factory): the configuration, the journal, the redactor, the
    event subscriber. Build one per process (or per server) and pass it to every call."""

    def __init__(
        self,
        config: str | os.PathLike[str] | None = None,
        *,
        sandbox: bool = False,
        audit_log: str | os.PathLike[str] | None = None,
        no_audit: bool = False,
        on_event: Callable[[Event], None] | None = None,
        via: str = "library",
        notify: bool = True,
    ) -> None:
        """`notify=False`: runs through this context skip the config's [[notify]] targets
        (as --no-notify does)."""
        self.config = os.fspath(config) if config is not None else None
        self.sandbox = sandbox
        self.audit_log = os.fspath(audit_log) if audit_log is not None else None
        self.no_audit = no_audit
        self.on_event = on_event
        self.via = via  # the front-end the journal names: library, or mcp for `campctl mcp`
        self.notify = notify
        self.redactor = Redactor()
        self._limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Limits] = (
            weakref.WeakKeyDictionary()
        )

    def limits(self) -> Limits:
        """The vendor limits every call through this context shares, per event loop (asyncio
        primitives belong to the loop they were first used in)."""
        loop = asyncio.get_running_loop()
        if loop not in self._limits:
            self._limits[loop] = Limits(1)
        return self._limits[loop]

    def subscribed(self, on_event: Callable[[Event], None] | None) -> Context:
        """This context with another event subscriber (one per call, e.g. an MCP tool call's
        progress), sharing its limits and redactor."""
        other = copy.copy(self)
        other.on_event = on_event
        return other

    def options(self, action: Action, **flags: Any) -> ActionOptions:
        given = {name: value for name, value in flags.items() if value is not None}
        return ActionOptions(
            action=action, config=self.config, sandbox=self.sandbox,
            audit_log=self.audit_log, no_audit=self.no_audit, via=self.via,
            notify=self.notify, **given,
        )  # fmt: skip

    def sink(self) -> EventSink:
        return EventSink(self.redactor, self.on_event)


async def pause(
    targets: Iterable[str] = (),
    *,
    profiles: Iterable[str] = (),
    all_running: bool = False,
    sender: str | None = None,
    undo: str | None = None,
    reason: str | None = None,
    verify: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    timeout: float | None = None,
    retries: int | None = None,
    concurrency: int = 8,
    context: Context | None = None,
) -> RunReport:
    """Pause campaigns (targets `PROVIDER:ID`, selectors, or `undo` a resume run)."""
    return await _act(
        Action.PAUSE, context, targets=list(targets), providers=list(profiles),
        all_running=all_running, sender=sender, undo=undo, reason=reason, verify=verify,
        dry_run=dry_run, strict=strict, timeout=timeout, retries=retries,
        concurrency=concurrency,
    )  # fmt: skip


async def resume(
    targets: Iterable[str] = (),
    *,
    profiles: Iterable[str] = (),
    undo: str | None = None,
    reason: str | None = None,
    verify: bool = False,
    dry_run: bool = False,
    strict: bool = False,
    override_vendor_pause: bool = False,
    timeout: float | None = None,
    retries: int | None = None,
    concurrency: int = 8,
    context: Context | None = None,
) -> RunReport:
    """Resume campaigns; no selectors (resuming everything paused would undo the vendors'
    own safety stops): name targets, or `undo` a pause run."""
    return await _act(
        Action.RESUME, context, targets=list(targets), providers=list(profiles), undo=undo,
        reason=reason, verify=verify, dry_run=dry_run, strict=strict,
        override_vendor_pause=override_vendor_pause, timeout=timeout, retries=retries,
        concurrency=concurrency,
    )  # fmt: skip


async def status(
    targets: Iterable[str],
    *,
    profiles: Iterable[str] = (),
    timeout: float | None = None,
    retries: int | None = None,
    concurrency: int = 8,
    context: Context | None = None,
) -> RunReport:
    """Read each campaign's status; nothing is journaled."""
    return await _act(
        Action.STATUS, context, targets=list(targets), providers=list(profiles),
        timeout=timeout, retries=retries, concurrency=concurrency,
    )  # fmt: skip


async def list_campaigns(
    *,
    profiles: Iterable[str] = (),
    status: str | None = None,
    sender: str | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    context: Context | None = None,
) -> CampaignListing:
    """The campaigns of each profile whose vendor documents a list (read-only)."""
    ctx = context or Context()
    opts = ctx.options(Action.STATUS, providers=list(profiles), sender=sender, timeout=timeout,
                       retries=retries)  # fmt: skip
    if sender is not None:
        check_sender(sender)
    if status is not None:
        status = check_status(status)
    sink = ctx.sink()
    runner = Runner()
    with environment(opts, sink) as config:
        plan = prepare_list(opts, config, ctx.redactor, sink, ctx.limits())
        listing = await list_profiles(plan, opts, status, runner, ctx.redactor, sink)
    _reraise_if_cancelled()
    return listing


def runs(limit: int = 20, *, context: Context | None = None) -> RunsDocument:
    """Recent runs from the journal, newest first: the `campctl runs --json` document."""
    from campctl.journal import Journal

    journal = Journal(_journal_path(context or Context()))
    return journal.document(journal.runs(limit))


def run(run_id: str, *, context: Context | None = None) -> RunDocument:
    """One run's targets (or `last`): the `campctl runs RUN_ID --json` document."""
    from campctl.errors import UsageError
    from campctl.journal import Journal

    path = _journal_path(context or Context())
    journal = Journal(path)
    view = journal.newest() if run_id == "last" else journal.view(run_id)
    if view is None:
        raise UsageError(f"no run {run_id} in {path}; see 'campctl runs'")
    return view.document(journal.skipped)


def undone_run(action: str, wanted: str, *, context: Context | None = None) -> str | None:
    """The run an `undo=wanted` call by `action` would undo (`last` resolved), or None when
    there is nothing to undo; UsageError when the undo is refused. Not in `__all__`: for
    front-ends that confirm a change in two steps (campctl mcp)."""
    from campctl.journal import Journal
    from campctl.undo import plan_undo

    ctx = context or Context()
    journal = Journal(_journal_path(ctx))
    plan = plan_undo(journal, wanted, action, sandbox=_sandboxed(ctx))
    return plan.run.run_id if plan.run is not None else None


def run_sync(call: Coroutine[Any, Any, _T]) -> _T:
    """Run one of the coroutines above from synchronous code (not inside an event loop)."""
    return asyncio.run(call)


async def _act(action: Action, context: Context | None, **flags: Any) -> RunReport:
    ctx = context or Context()
    opts = ctx.options(action, **flags)
    sink = ctx.sink()
    runner = Runner()
    events = Events(
        started=lambda: sink.emit(RunStarted(action.value, None)),
        planned=lambda _count: None,
        finished=lambda result: sink.emit(TargetDone(result)),
    )
    with environment(opts, sink) as config:
        plan = prepare(opts, config, ctx.redactor, sink, ctx.limits())
        if plan.run is not None:
            run_id = plan.run.run_id
            events = events._replace(started=lambda: sink.emit(RunStarted(action.value, run_id)))
        try:
            report = await perform(plan, opts, runner, ctx.redactor, sink, events)
        except asyncio.CancelledError:  # cancelled outside the engine's own waits
            runner.cancel(ExitCode.INTERRUPTED)
            raise
    if report.selection is not None:
        sink.emit(SelectionMade(report.selection))
    sink.emit(RunFinished(report))
    _reraise_if_cancelled()
    return report


def _reraise_if_cancelled() -> None:
    """The engine settles every target when its task is cancelled (and journals them); the
    cancellation itself must still reach the caller, as asyncio expects."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _journal_path(context: Context) -> Path:
    opts = context.options(Action.STATUS)
    return audit_path(opts, sandbox=_sandboxed(context))


def _sandboxed(context: Context) -> bool:
    """Whether this context's runs are rehearsals: `sandbox=True`, or a config that `campctl
    sandbox serve` printed (`sandbox = true`); their journal is the sandbox's."""
    from campctl.config import load_config

    return context.sandbox or load_config(context.config).sandbox
