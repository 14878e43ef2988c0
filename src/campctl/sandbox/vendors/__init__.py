"""Registry of the simulated vendors, in the order campctl lists them."""

from __future__ import annotations

from .alta import Alta
from .base import Vendor
from .leadlex import Leadlex
from .leadterra import Leadterra
from .voicegenie import VoiceGenie
from .woodpecker import Woodpecker

VENDOR_CLASSES: dict[str, type[Vendor]] = {
    cls.name: cls for cls in (Leadlex, Leadterra, VoiceGenie, Alta, Woodpecker)
}
VENDORS: tuple[str, ...] = tuple(VENDOR_CLASSES)


def campaign_ids(vendor: str, n: int) -> list[str]:
    """Ids of the `n` extra running campaigns `Simulator(extra_campaigns=n)` seeds for `vendor`."""
    if vendor not in VENDOR_CLASSES:
        raise ValueError(f"unknown vendor {vendor!r}; expected one of {', '.join(VENDORS)}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [VENDOR_CLASSES[vendor].extra_id(i) for i in range(1, n + 1)]
