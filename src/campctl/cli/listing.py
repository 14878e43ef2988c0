"""`campctl list`: find what is sending — every listed campaign of the profiles whose vendor
documents a list, by state and sender; read-only (also the words `--status` takes)."""

from typing import Annotated

import typer

from campctl.cli.completion import complete_status
from campctl.cli.help import EXAMPLES
from campctl.cli.options import (
    ConcurrencyOpt,
    ConfigOpt,
    JsonOpt,
    ListProviderOpt,
    RetriesOpt,
    TimeoutOpt,
    VerboseOpt,
)

# PRODUCT.md's word for a campaign the vendor stopped itself for safety (Bounce Protect).
VENDOR_PAUSED = "vendor_paused"


def register(app: typer.Typer) -> None:
    app.command(
        "list",
        help="List the campaigns of profiles whose vendor documents a list.",
        epilog=EXAMPLES["list"],
    )(list_command)


def list_command(
    ctx: typer.Context,
    provider: ListProviderOpt = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATE",
            help="Only campaigns in this state: running, paused, draft, completed, stopped, "
            "scheduled, edited, pending_approval, vendor_paused, or a vendor's own word for "
            "one (active).",
            autocompletion=complete_status,
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(
            "--sender",
            metavar="DOMAIN|EMAIL",
            help="Only campaigns sending from this domain or address.",
        ),
    ] = None,
    config: ConfigOpt = None,
    json: JsonOpt = False,
    sandbox: Annotated[
        bool,
        typer.Option("--sandbox", help="List the built-in simulator's campaigns; no keys needed."),
    ] = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = 8,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No notices on stderr (errors still).")
    ] = False,
    verbose: VerboseOpt = False,
) -> int:
    from campctl.cli.runner import run_list
    from campctl.plan import ActionOptions, check_sender
    from campctl.providers.base import Action

    if status is not None:
        status = check_status(status)

    opts = ActionOptions(
        action=Action.STATUS,
        providers=provider or [],
        config=config,
        json=json,
        sandbox=sandbox,
        timeout=timeout,
        retries=retries,
        concurrency=concurrency,
        quiet=quiet,
        verbose=verbose,
        sender=sender,
    )
    if sender is not None:
        check_sender(sender)
    app_context = ctx.obj
    return run_list(opts, status, app_context.redactor, app_context.diagnostics)


def status_words() -> dict[str, str]:
    """Every word `list --status` takes → the status it means: the one vocabulary, then each
    vendor's own words for one of them (`active` → running; should two vendors disagree on a
    word, the first in the registry's order decides)."""
    from campctl.providers import VENDOR_NAMES, adapter_class
    from campctl.providers.base import STATUS_VOCABULARY

    words = {word: word for word in sorted(STATUS_VOCABULARY | {VENDOR_PAUSED})}
    for vendor in VENDOR_NAMES:
        synonyms = adapter_class(vendor).meta.status_synonyms.items()
        # A vendor's numbers (Instantly's 2 → paused) are not words anyone types.
        for synonym, meaning in sorted((w, m) for w, m in synonyms if isinstance(w, str)):
            words.setdefault(synonym, meaning)
    return words


def check_status(word: str) -> str:
    """The status `word` means (`active` → running, any letter case), for every vendor
    alike; else a usage error listing the vocabulary — a typo must not look like "nothing
    is running"."""
    import difflib

    from campctl.errors import UsageError

    words = status_words()
    lowered = word.strip().lower()
    if lowered in words:
        return words[lowered]
    close = difflib.get_close_matches(lowered, list(words), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    vocabulary = ", ".join(w for w, meaning in words.items() if w == meaning)
    synonyms = ", ".join(f"{w} ({meaning})" for w, meaning in words.items() if w != meaning)
    raise UsageError(
        f"--status '{word[:40]}' is not a campaign status; {hint}use one of: {vocabulary}; "
        f"or a vendor's word for one: {synonyms}"
    )
