"""pause / resume / status, independent of Typer: plan every target, then act on all of them.

Planning (config, targets, IDs, keys) finishes before anything is sent, so every usage or
configuration error leaves the vendors untouched. Acting runs the targets concurrently under
the vendor limits and reports them in input order, Ctrl-C included.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from campctl.audit import AuditLog, default_audit_path
from campctl.config import ConfigFile, Profile, load_config, resolve_profile, vendor_of
from campctl.credentials import resolve_key
from campctl.diagnostics import Diagnostics
from campctl.errors import ExitCode, UsageError
from campctl.output import Progress, render
from campctl.providers import adapter_class
from campctl.providers.base import Action, Adapter
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Report, Result, Summary, Verdict, exit_code_for
from campctl.targets import Target, argument_sources, parse_targets, read_target_file

if TYPE_CHECKING:
    import httpx

_T = TypeVar("_T")

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3


@dataclass
class ActionOptions:
    action: Action
    targets: list[str] = field(default_factory=list)
    provider: str | None = None
    config: str | None = None
    from_file: str | None = None
    json: bool = False
    dry_run: bool = False
    sandbox: bool = False
    strict: bool = False
    timeout: float | None = None
    retries: int | None = None
    concurrency: int = 8
    quiet: bool = False
    verbose: bool = False
    audit_log: str | None = None
    no_audit: bool = False
    vendor_options: dict[str, Any] = field(default_factory=dict)


class Job(NamedTuple):
    target: Target
    profile: Profile
    adapter: Adapter


def run_action(opts: ActionOptions, redactor: Redactor, diagnostics: Diagnostics) -> int:
    diagnostics.verbose, diagnostics.quiet = opts.verbose, opts.quiet
    if opts.audit_log and opts.no_audit:
        raise UsageError("--audit-log and --no-audit contradict each other; pick one")
    with _environment(opts, diagnostics) as config:
        targets = _targets(opts, config, diagnostics)
        profiles = _profiles(targets, config, opts)
        keys = {name: resolve_key(profile) for name, profile in profiles.items()}
        for key in keys.values():
            redactor.add(key)
        audit = _open_audit(opts, redactor)
        from campctl.http import make_client

        tls = any(p.base_url.startswith("https://") for p in profiles.values())
        client = make_client(opts.concurrency, tls=tls)
        jobs = _jobs(targets, profiles, keys, opts, client, diagnostics)
        if opts.dry_run:
            results = [_dry_run_result(job, opts.action) for job in jobs]
            interrupted = False
        else:
            results, interrupted = _act(jobs, opts, client, audit, diagnostics)
        if audit is not None:
            audit.close()
        code = ExitCode.INTERRUPTED if interrupted else exit_code_for(results, strict=opts.strict)
        report = Report.model_construct(
            action=opts.action.value,
            dry_run=opts.dry_run,
            sandbox=opts.sandbox,
            results=results,
            summary=Summary.of(results),
            exit_code=int(code),
        )
        render(
            report,
            json_mode=opts.json,
            quiet=opts.quiet,
            redactor=redactor,
            diagnostics=diagnostics,
        )
        return int(code)


@contextlib.contextmanager
def _environment(opts: ActionOptions, diagnostics: Diagnostics) -> Iterator[ConfigFile]:
    """The user's config, or with --sandbox a simulator on loopback and profiles for it."""
    if not opts.sandbox:
        yield load_config(opts.config)
        return
    if opts.config:
        raise UsageError("--sandbox uses built-in profiles; drop --config")
    from campctl.sandbox import SANDBOX_API_KEY, VENDORS, Simulator

    with Simulator() as sim:
        tables = {
            vendor: {"vendor": vendor, "base_url": sim.base_url(vendor), "api_key": SANDBOX_API_KEY}
            for vendor in VENDORS
        }
        yield ConfigFile(None, None, tables)


def _targets(opts: ActionOptions, config: ConfigFile, diagnostics: Diagnostics) -> list[Target]:
    """Every bad target in one usage error (targets.py); duplicates in one --verbose line."""
    sources = argument_sources(opts.targets)
    if opts.from_file:
        sources += read_target_file(opts.from_file)

    def known_vendor(name: str) -> str | None:
        return vendor_of(config, name) if name in config.names() else None

    def id_problem(vendor: str, campaign_id: str) -> str | None:
        try:
            adapter_class(vendor).check_id(campaign_id)
        except UsageError:
            meta = adapter_class(vendor).meta
            return f"not a valid {meta.title} campaign ID: expected {meta.id_format}"
        return None

    parsed = parse_targets(
        sources,
        opts.provider or config.default_provider,
        known_vendor,
        id_problem,
        known_providers=config.names(),
    )
    if opts.verbose and (note := parsed.duplicates_note()):
        diagnostics.line(note)
    return parsed.targets


def _profiles(targets: list[Target], config: ConfigFile, opts: ActionOptions) -> dict[str, Profile]:
    """Usage errors (unknown provider, bad ID, misplaced vendor option) before config errors."""
    vendors = {t.provider: vendor_of(config, t.provider) for t in targets}
    for target in targets:
        adapter_class(vendors[target.provider]).check_id(target.campaign_id)
    for option in opts.vendor_options:
        takers = [
            v for v in set(vendors.values()) if option in adapter_class(v).Options.model_fields
        ]
        if not takers:
            raise UsageError(
                f"--{option.replace('_', '-')} applies only to vendors that support it "
                "(Alta); no target here uses one"
            )
    return {name: resolve_profile(config, name) for name in vendors}


def _open_audit(opts: ActionOptions, redactor: Redactor) -> AuditLog | None:
    """Pause/resume are audited; status reads, dry runs and default sandbox runs are not."""
    if opts.action is Action.STATUS or opts.dry_run or opts.no_audit:
        return None
    if opts.sandbox and not opts.audit_log:
        return None
    path = Path(opts.audit_log).expanduser() if opts.audit_log else default_audit_path()
    return AuditLog(path, redactor)


def _jobs(
    targets: list[Target],
    profiles: dict[str, Profile],
    keys: dict[str, str],
    opts: ActionOptions,
    client: httpx.AsyncClient,
    diagnostics: Diagnostics,
) -> list[Job]:
    from campctl.http import HttpTransport
    from campctl.limits import Limits
    from campctl.retry import RetryPolicy

    limits = Limits(opts.concurrency)
    adapters: dict[str, Adapter] = {}
    for name, profile in profiles.items():
        cls = adapter_class(profile.vendor)
        overrides = {k: v for k, v in opts.vendor_options.items() if k in cls.Options.model_fields}
        options = profile.options.model_copy(update=overrides)
        retries = _first(opts.retries, profile.retries, DEFAULT_RETRIES)
        transport = HttpTransport(
            client,
            base_url=profile.base_url,
            headers=cls.auth_headers(options, keys[name]),
            secret_header=cls.meta.auth_header,
            timeout=_first(opts.timeout, profile.timeout, DEFAULT_TIMEOUT),
            policy=RetryPolicy(retries=retries),
            limits=limits,
            scope=Limits.scope(profile.vendor, keys[name]),
            vendor_limit=cls.meta.limit,
            diagnostics=diagnostics,
        )
        adapters[name] = cls(options, transport)
    return [Job(t, profiles[t.provider], adapters[t.provider]) for t in targets]


def _first(*values: _T | None) -> _T:
    for value in values:
        if value is not None:
            return value
    raise ValueError("no value")


def _dry_run_result(job: Job, action: Action) -> Result:
    spec = job.adapter.request_for(action, job.target.campaign_id)
    if spec is None:
        return _result(job, job.adapter.unsupported(action), 0.0)
    request = job.adapter.transport.describe(spec)
    verdict = Verdict(Outcome.SKIPPED, "dry run: not sent", details={"request": request})
    return _result(job, verdict, 0.0)


def _result(job: Job, verdict: Verdict, started: float) -> Result:
    duration = (time.monotonic() - started) * 1000 if started else 0.0
    return Result.model_construct(
        target=job.target.label,
        provider=job.profile.name,
        vendor=job.profile.vendor,
        campaign_id=job.target.campaign_id,
        outcome=verdict.outcome,
        status=verdict.status,
        at=verdict.at,
        message=verdict.message,
        http_status=verdict.http_status,
        attempts=verdict.attempts,
        duration_ms=round(duration),
        details=verdict.details,
        error=verdict.error,
    )


def _act(
    jobs: list[Job],
    opts: ActionOptions,
    client: httpx.AsyncClient,
    audit: AuditLog | None,
    diagnostics: Diagnostics,
) -> tuple[list[Result], bool]:
    progress = Progress(len(jobs), waiting=diagnostics.waiting) if not opts.quiet else None

    def on_result(result: Result) -> None:
        if audit is not None:
            audit.record(opts.action.value, result, sandbox=opts.sandbox)
        if progress is not None:
            progress.advance()

    try:
        return asyncio.run(_execute(jobs, opts.action, client, on_result, diagnostics))
    finally:
        if progress is not None:
            progress.stop()


async def _execute(
    jobs: list[Job],
    action: Action,
    client: httpx.AsyncClient,
    on_result: Callable[[Result], None],
    diagnostics: Diagnostics,
) -> tuple[list[Result], bool]:
    """Run every job; on the first Ctrl-C cancel all, on the second exit at once."""
    loop = asyncio.get_running_loop()
    interrupted = False
    tasks: list[asyncio.Task[Result]] = []

    def on_sigint() -> None:
        nonlocal interrupted
        if interrupted:
            os._exit(ExitCode.INTERRUPTED)
        interrupted = True
        diagnostics.line("interrupted: not sending more; in-flight requests abandoned")
        for task in tasks:
            task.cancel()

    async def one(job: Job) -> Result:
        started = time.monotonic()
        try:
            verdict = await job.adapter.verb(action)(job.target.campaign_id)
        except asyncio.CancelledError:
            verdict = _interrupted_verdict(job)
        result = _result(job, verdict, started)
        on_result(result)
        return result

    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    try:
        async with client:
            tasks.extend(asyncio.create_task(one(job)) for job in jobs)
            results = list(await asyncio.gather(*tasks))
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
    return results, interrupted


def _interrupted_verdict(job: Job) -> Verdict:
    if job.adapter.label(job.target.campaign_id) in job.adapter.transport.sent:
        verdict = Verdict.failure(
            ErrorKind.NETWORK, "interrupted after the request was sent: outcome unknown"
        )
        verdict.attempts = 1
        return verdict
    return Verdict(Outcome.SKIPPED, "interrupted before sending")
