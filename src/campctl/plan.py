"""Planning: options in, an immutable `Plan` out — before anything is sent.

A plan names every profile, key, adapter and job. Targets come from arguments, `--from-file`,
the journal (`--undo`) and, once `select.expand` has run the read-only list requests, from
selectors. Every usage or configuration error is raised here, so a bad invocation leaves the
vendors untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from campctl.audit import AuditLog, RunInfo, default_audit_path, endpoint_of, new_run_id
from campctl.config import ConfigFile, Profile, resolve_profile, vendor_of
from campctl.credentials import resolve_key
from campctl.diagnostics import Diagnostics
from campctl.errors import CampctlError, ConfigError, UsageError
from campctl.journal import Journal
from campctl.prior import needs_read
from campctl.providers import VENDOR_NAMES, adapter_class
from campctl.providers.base import Action, Adapter, InvalidCampaignId
from campctl.redact import Redactor
from campctl.targets import Target, argument_sources, parse_targets, read_target_file
from campctl.undo import UndoPlan, plan_undo
from campctl.userfiles import expand

if TYPE_CHECKING:
    import httpx

    from campctl.limits import Limits
    from campctl.notify import Broken, NotifyTarget

_T = TypeVar("_T")

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
MAX_REASON = 500
MAX_PROBLEMS = 20
MASKED_KEY = "***"  # a dry run that sends nothing shows the key as *** anyway


@dataclass
class ActionOptions:
    """pause / resume / status flags, free of Typer."""

    action: Action
    targets: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
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
    reason: str | None = None
    verify: bool = False
    undo: str | None = None
    all_running: bool = False
    sender: str | None = None
    override_vendor_pause: bool = False
    vendor_options: dict[str, Any] = field(default_factory=dict)
    via: str = "cli"  # the front-end, as the journal records it: cli, library, mcp
    notify: bool = True  # post to the [[notify]] targets after a run that sends (--no-notify)

    @property
    def sends(self) -> bool:
        """A run that changes campaigns (and so gets a run ID and audit lines)."""
        return self.action is not Action.STATUS and not self.dry_run

    @property
    def selecting(self) -> bool:
        return self.all_running or self.sender is not None


class Job(NamedTuple):
    target: Target
    profile: Profile
    adapter: Adapter
    position: int = 0  # 1-based, in the run's input order (selected targets follow)


class Selector(NamedTuple):
    """What `--all-running` / `--sender` will list; expanded by `campctl.select`."""

    profiles: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]  # (profile, reason)
    sender: str | None


class Plan(NamedTuple):
    action: Action
    jobs: tuple[Job, ...]
    profiles: dict[str, Profile]
    adapters: dict[str, Adapter]  # by profile name
    client: httpx.AsyncClient
    run: RunInfo | None  # None for status and dry runs
    audit: AuditLog | None
    selector: Selector | None = None
    undo: UndoPlan | None = None
    sandbox: bool = False  # --sandbox, or a config that `campctl sandbox serve` printed
    endpoints: dict[str, str] = {}  # noqa: RUF012 - by profile, as the journal records them
    dry_run: bool = False
    verify: bool = False
    override_vendor_pause: bool = False
    keyless: tuple[str, ...] = ()  # dry run: profiles with no key (no read needed)
    notify: tuple[NotifyTarget, ...] = ()  # told once the run's journal is on disk
    # [[notify]] tables that cannot be used: reported after the run, never stopping it
    notify_broken: tuple[Broken, ...] = ()


def build_plan(
    opts: ActionOptions,
    config: ConfigFile,
    redactor: Redactor,
    diagnostics: Diagnostics,
    limits: Limits | None = None,
) -> Plan:
    check_options(opts)
    sandbox = opts.sandbox or config.sandbox
    undo = None
    if opts.undo:
        undo = _undo(opts, audit_path(opts, sandbox=sandbox), sandbox)
        targets = [Target(t.provider, t.campaign_id) for t in undo.targets]
    else:
        targets = _targets(opts, config, diagnostics)
    vendors = _vendors(targets, config, undo=opts.undo is not None)
    selector = _selector(opts, config) if opts.selecting else None
    names = list(dict.fromkeys([*vendors, *(selector.profiles if selector else ())]))
    listing = set() if selector is None else set(selector.profiles)
    notify, notify_broken = _notify(opts, config, redactor)
    profiles, adapters, client, keyless = _equip(
        names, config, opts, redactor, diagnostics, _need_key(opts, vendors, listing), limits
    )
    endpoints = {n: endpoint_of(p.base_url, p.vendor, sandbox=sandbox) for n, p in profiles.items()}
    if undo is not None and undo.run is not None:
        _check_endpoints(undo, profiles, endpoints, diagnostics)
    run = None
    if opts.sends:
        run = RunInfo(
            new_run_id(), opts.action.value, sandbox, opts.reason,
            undo_of=undo.run.run_id if undo is not None and undo.run is not None else None,
            via=opts.via,
            config=str(config.path) if config.path else None,
        )  # fmt: skip
    # Only a run that keeps a journal looks for it: --no-audit works without a home.
    audit = (
        AuditLog(audit_path(opts, sandbox=sandbox), run)
        if run is not None and not opts.no_audit
        else None
    )
    jobs = tuple(
        Job(t, profiles[t.provider], _replaying(adapters[t.provider], undo, i), i)
        for i, t in enumerate(targets, 1)
    )
    return Plan(
        opts.action, jobs, profiles, adapters, client, run, audit, selector, undo, sandbox,
        endpoints, opts.dry_run, opts.verify, opts.override_vendor_pause, keyless, notify,
        tuple(notify_broken),
    )  # fmt: skip


def build_list_plan(
    opts: ActionOptions,
    config: ConfigFile,
    redactor: Redactor,
    diagnostics: Diagnostics,
    limits: Limits | None = None,
) -> Plan:
    """For `campctl list`: the profiles to list (named with -p, else every one that can)."""
    selector = _selector(opts, config)
    profiles, adapters, client, _ = _equip(
        selector.profiles, config, opts, redactor, diagnostics, None, limits
    )
    return Plan(opts.action, (), profiles, adapters, client, None, None, selector)


def _notify(
    opts: ActionOptions, config: ConfigFile, redactor: Redactor
) -> tuple[tuple[NotifyTarget, ...], list[Broken]]:
    """The [[notify]] targets of a pause or resume (unless --no-notify): checked in a dry
    run, resolved (URLs known to the redactor) when the run sends. A target that cannot be
    used never stops the run — stopping campaigns matters more than telling about it — and
    is reported with its results."""
    if not opts.notify or opts.action is Action.STATUS or not config.notify.tables:
        return (), []
    from campctl.notify import configured

    return configured(config.notify, opts.action.value, redactor, resolve=opts.sends)


def _need_key(opts: ActionOptions, vendors: dict[str, str], listed: set[str]) -> set[str] | None:
    """Profiles that need their key now: all of them, except in a dry run, where only those
    sending a read (a list, a prior-state read) do. None means every profile."""
    if not opts.dry_run or opts.action is Action.STATUS:
        return None
    undo = opts.undo is not None
    reading = {name for name, v in vendors.items() if needs_read(adapter_class(v).meta, undo=undo)}
    return reading | listed


def _equip(
    names: Iterable[str],
    config: ConfigFile,
    opts: ActionOptions,
    redactor: Redactor,
    diagnostics: Diagnostics,
    need_key: set[str] | None = None,
    limits: Limits | None = None,
) -> tuple[dict[str, Profile], dict[str, Adapter], httpx.AsyncClient, tuple[str, ...]]:
    """Profiles checked, keys resolved (and known to the redactor), one client, adapters.

    Every problem of every profile is collected and reported at once (all missing keys in
    one pass), so an operator fixes them in one go rather than one per attempt."""
    names = list(names)
    problems: list[str] = []
    profiles: dict[str, Profile] = {}
    for name in names:
        try:
            profiles[name] = resolve_profile(config, name)
        except ConfigError as exc:
            problems.append(str(exc))
    if profiles:
        _check_vendor_options(opts, {p.vendor for p in profiles.values()})
    keys: dict[str, str] = {}
    keyless: list[str] = []
    for name, profile in profiles.items():
        try:
            keys[name] = resolve_key(profile)
        except ConfigError as exc:
            if need_key is not None and name not in need_key:
                keyless.append(name)
                keys[name] = MASKED_KEY
            else:
                problems.append(str(exc))
    if problems:
        raise ConfigError.several(problems, MAX_PROBLEMS)
    for key in keys.values():
        redactor.add(key)
    from campctl.http import make_client

    client = make_client([p.base_url for p in profiles.values()], opts.concurrency)
    adapters = _adapters(profiles, keys, opts, client, diagnostics, limits)
    return profiles, adapters, client, tuple(keyless)


def check_options(opts: ActionOptions) -> None:
    """Contradictions between flags, before anything else is read."""
    if opts.audit_log and opts.no_audit:
        raise UsageError("--audit-log and --no-audit contradict each other; pick one")
    if opts.selecting and opts.action is Action.RESUME:
        raise UsageError(
            "resume takes no selector (--all-running, --sender): resuming everything paused "
            "would undo the vendors' own safety stops; use 'campctl resume --undo RUN_ID' "
            "to restore exactly what a pause run changed"
        )
    if opts.undo is not None and (
        opts.targets or opts.from_file or opts.selecting or opts.vendor_options
        or opts.override_vendor_pause
    ):  # fmt: skip
        raise UsageError(
            "--undo replays a recorded run as it was; do not combine it with targets, "
            "--from-file, --all-running, --sender, --prospects or --override-vendor-pause"
        )
    if opts.override_vendor_pause and opts.action is not Action.RESUME:
        raise UsageError("--override-vendor-pause applies to resume only")
    if len(opts.providers) > 1 and not opts.selecting:
        raise UsageError(
            "--provider may be given several times only with --all-running or --sender; "
            "for bare campaign IDs name one provider"
        )
    if opts.reason is not None:
        problem = None
        if len(opts.reason) > MAX_REASON:
            problem = f"is longer than {MAX_REASON} characters"
        elif any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in opts.reason):
            problem = "must be one line without control characters"
        elif not opts.reason.strip():
            problem = "is empty"
        if problem:
            raise UsageError(f"--reason {problem}")
    if opts.sender is not None:
        check_sender(opts.sender)


def check_sender(sender: str) -> None:
    local, _, domain = sender.removeprefix("@").rpartition("@")
    bad = "@" in local or any(ch.isspace() or not ch.isprintable() for ch in sender)
    if bad or "." not in domain or domain.startswith(".") or domain.endswith("."):
        raise UsageError(
            f"--sender {sender[:80]!r} is not a domain or an email address "
            "(e.g. acme.io or ops@acme.io)"
        )


def audit_path(opts: ActionOptions, *, sandbox: bool) -> Path:
    """The audit log this run writes to, which is also the journal `--undo` reads."""
    if opts.audit_log:
        return expand(opts.audit_log)
    return default_audit_path(sandbox=sandbox)


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
        except InvalidCampaignId:
            meta = adapter_class(vendor).meta
            return f"not a valid {meta.title} campaign ID: expected {meta.id_format}"
        return None

    default = opts.providers[0] if len(opts.providers) == 1 else None
    parsed = parse_targets(
        sources,
        default or config.default_provider,
        known_vendor,
        id_problem,
        known_providers=config.names(),
        require=not opts.selecting,
    )
    if opts.verbose and (note := parsed.duplicates_note()):
        diagnostics.line(note)
    return parsed.targets


def _vendors(targets: list[Target], config: ConfigFile, *, undo: bool) -> dict[str, str]:
    """Profile → vendor for every target; every campaign ID checked against its vendor."""
    vendors: dict[str, str] = {}
    for target in targets:
        if target.provider not in vendors:
            try:
                vendors[target.provider] = vendor_of(config, target.provider)
            except UsageError:
                if not undo:
                    raise
                raise ConfigError(
                    f"profile '{target.provider}' used by that run no longer exists in "
                    f"{config.path or 'the built-in profiles'}; restore it to undo the run"
                ) from None
        try:
            adapter_class(vendors[target.provider]).check_id(target.campaign_id)
        except InvalidCampaignId as exc:
            raise UsageError(str(exc)) from None
    return vendors


def _check_vendor_options(opts: ActionOptions, vendors: set[str]) -> None:
    for option in opts.vendor_options:
        if not any(option in adapter_class(v).Options.model_fields for v in vendors):
            from campctl.registry import names

            having = [
                cls.meta.title
                for cls in map(adapter_class, names())
                if option in cls.Options.model_fields
            ]
            raise UsageError(
                f"--{option.replace('_', '-')} applies only to vendors that support it "
                f"({', '.join(having)}); no target here uses one"
            )


def _undo(opts: ActionOptions, journal_path: Path, sandbox: bool) -> UndoPlan:
    """What `--undo` may replay; refusals (sandbox line, already undone, a journal others
    can write) before anything is resolved or sent."""
    assert opts.undo is not None  # noqa: S101 - caller checks
    journal = Journal(journal_path)
    undo = plan_undo(journal, opts.undo, opts.action.value, sandbox=sandbox)
    if undo.run is not None:
        journal.check_private()
    return undo


def _check_endpoints(
    undo: UndoPlan, profiles: dict[str, Profile], endpoints: dict[str, str],
    diagnostics: Diagnostics,
) -> None:  # fmt: skip
    """Same vendor and endpoint as the run recorded, or refuse: a rehearsal is never undone
    against production, nor a run against an account its profile no longer points at."""
    assert undo.run is not None  # noqa: S101 - caller checks
    unrecorded = False
    for target in undo.targets:
        profile = profiles[target.provider]
        now = endpoints[target.provider]
        if profile.vendor != target.vendor:
            raise ConfigError(
                f"profile '{profile.name}' now names vendor {profile.vendor}, but run "
                f"{undo.run.run_id} used it for {target.vendor}; restore the profile to undo it"
            )
        if target.endpoint is None:
            unrecorded = True
        elif target.endpoint != now:
            raise ConfigError(
                f"profile '{profile.name}' now points at {now}, but run {undo.run.run_id} "
                f"acted on {target.endpoint}; undo it with the configuration it used"
            )
    if unrecorded:
        diagnostics.line(
            f"note: run {undo.run.run_id} did not record its endpoints (an older campctl "
            "wrote it): only the vendor was checked"
        )


def _replaying(adapter: Adapter, undo: UndoPlan | None, position: int) -> Adapter:
    """An undo replays each target with the vendor options the run recorded (e.g.
    prospects)."""
    if undo is None:
        return adapter
    return adapter.replaying(undo.targets[position - 1].prospects)


def _selector(opts: ActionOptions, config: ConfigFile) -> Selector:
    """Profiles the selectors list: those named with -p, else every profile that can."""
    need_senders = opts.sender is not None
    if opts.providers:
        for name in opts.providers:
            reason = cannot_select(config, name, need_senders)
            if reason is not None:
                raise UsageError(
                    f"cannot select campaigns of '{name}': {reason} ({selectable(need_senders)})"
                )
        return Selector(tuple(opts.providers), (), opts.sender)
    chosen: list[str] = []
    left_out: list[tuple[str, str]] = []
    for name in config.names():
        reason = cannot_select(config, name, need_senders) or _key_missing(config, name)
        if reason is None:
            chosen.append(name)
        else:
            left_out.append((name, reason))
    return Selector(tuple(chosen), tuple(left_out), opts.sender)


def cannot_select(config: ConfigFile, name: str, need_senders: bool) -> str | None:
    """Why a profile's campaigns cannot be listed (or matched by sender), or None."""
    reason = adapter_class(vendor_of(config, name)).meta.cannot_select(by_sender=need_senders)
    return None if reason is None else f"{reason} — pause its campaigns by ID or --from-file"


def selectable(need_senders: bool) -> str:
    """The vendors a selector (or `list`) can use, by name, for the error refusing another."""
    meta = [adapter_class(vendor).meta for vendor in VENDOR_NAMES]
    names = [m.name for m in meta if m.cannot_select(by_sender=need_senders) is None]
    what = "expose senders" if need_senders else "document a campaign list"
    return f"vendors that {what}: {', '.join(names)}"


def _key_missing(config: ConfigFile, name: str) -> str | None:
    """For the default profile set: leave out what cannot run, saying why."""
    try:
        profile = resolve_profile(config, name)
    except CampctlError as exc:  # said whole: a cut-off reason helps nobody at 3 a.m.
        reason = str(exc).partition(f"profile '{name}', ")[2] or str(exc)
        return f"profile not usable: {reason}"
    if profile.key.kind == "env" and not os.environ.get(profile.key.env or ""):
        shown = profile.key.shown_name()  # a pasted key is never echoed here either
        return (
            f"no key ({shown} is not set)"
            if shown
            else f"no key (api_key_env {profile.key.hidden()})"
        )
    return None


def _adapters(
    profiles: dict[str, Profile],
    keys: dict[str, str],
    opts: ActionOptions,
    client: httpx.AsyncClient,
    diagnostics: Diagnostics,
    shared: Limits | None,
) -> dict[str, Adapter]:
    """One transport per profile; vendor limits are `shared` (a library Context's, across
    its calls) or the run's own, and --concurrency is always the run's."""
    from campctl.http import HttpTransport
    from campctl.limits import Limits
    from campctl.retry import RetryPolicy

    limits = shared.sharing(opts.concurrency) if shared is not None else Limits(opts.concurrency)
    adapters: dict[str, Adapter] = {}
    for name, profile in profiles.items():
        cls = adapter_class(profile.vendor)
        overrides = {k: v for k, v in opts.vendor_options.items() if k in cls.Options.model_fields}
        options = profile.options.model_copy(update=overrides)
        transport = HttpTransport(
            client,
            base_url=profile.base_url,
            auth=cls.meta.auth,
            api_key=keys[name],
            headers=cls.profile_headers(options),
            timeout=_first(opts.timeout, profile.timeout, DEFAULT_TIMEOUT),
            policy=RetryPolicy(retries=_first(opts.retries, profile.retries, DEFAULT_RETRIES)),
            limits=limits,
            scope=Limits.scope(profile.vendor, keys[name], cls.meta.limit.shared_with(options)),
            vendor_limit=cls.meta.limit.for_profile(options),
            diagnostics=diagnostics,
            provider=name,
        )
        adapters[name] = cls(options, transport)
    return adapters


def _first(*values: _T | None) -> _T:
    for value in values:
        if value is not None:
            return value
    raise ValueError("no value")
