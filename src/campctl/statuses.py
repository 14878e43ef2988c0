"""The words `list --status` (and the library's and MCP's `status=`) take: PRODUCT.md's one
vocabulary and each vendor's own word for one of its states."""

from __future__ import annotations

import difflib

from campctl.errors import UsageError


def status_words() -> dict[str, str]:
    """Every word `list --status` takes → the status it means: the one vocabulary, then each
    vendor's own words for one of them (`active` → running; should two vendors disagree on a
    word, the first in the registry's order decides)."""
    from campctl.providers import VENDOR_NAMES, adapter_class
    from campctl.providers.base import STATUS_VOCABULARY, VENDOR_PAUSED

    words = {word: word for word in sorted(STATUS_VOCABULARY | {VENDOR_PAUSED})}
    for vendor in VENDOR_NAMES:
        synonyms = adapter_class(vendor).meta.status_synonyms.items()
        # A vendor's numbers (2 → paused) are not words anyone types.
        for synonym, meaning in sorted((w, m) for w, m in synonyms if isinstance(w, str)):
            words.setdefault(synonym, meaning)
    return words


def check_status(word: str) -> str:
    """The status `word` means (`active` → running, any letter case), for every vendor
    alike; else a usage error listing the vocabulary — a typo must not look like "nothing
    is running"."""
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
