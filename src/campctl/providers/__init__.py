"""The vendor registry: name → (module, class), imported only when a vendor is used.

Adding a vendor means one adapter module, its tests and one line here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from campctl.providers.base import Adapter

REGISTRY: dict[str, tuple[str, str]] = {
    "leadlex": ("campctl.providers.leadlex", "LeadlexAdapter"),
    "leadterra": ("campctl.providers.leadterra", "LeadterraAdapter"),
    "voicegenie": ("campctl.providers.voicegenie", "VoiceGenieAdapter"),
    "alta": ("campctl.providers.alta", "AltaAdapter"),
    "woodpecker": ("campctl.providers.woodpecker", "WoodpeckerAdapter"),
}

VENDOR_NAMES: tuple[str, ...] = tuple(REGISTRY)


def adapter_class(vendor: str) -> type[Adapter]:
    """The adapter class for a vendor name already checked against VENDOR_NAMES."""
    module_name, class_name = REGISTRY[vendor]
    cls: type[Adapter] = getattr(import_module(module_name), class_name)
    return cls
