"""The one vendor registry: each vendor is one entry naming its adapter and its simulator.

Entries hold "module:Class" strings, so importing this module imports no adapter, httpx or
pydantic; a class is imported only when a vendor is used (libcloud's `get_driver`). Keeping
adapter and simulator in one entry means `--sandbox` can refuse a vendor without a
simulator instead of reaching the real one by omission.

Third-party vendors join through the entry-point group `campctl.vendors` (name = vendor
name, value = a `VendorEntry`). Entry points are read only when a name is not built in or
the whole list is wanted, never for `--help` or a pause of built-in vendors; a plugin that
fails to load or claims a taken name is skipped with one `PluginWarning` (datasette, pluggy).
`campctl help plugins` documents this API.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, replace
from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from campctl.providers.base import Adapter
    from campctl.sandbox.vendors.base import Vendor

GROUP = "campctl.vendors"
NO_PLUGINS_ENV = "CAMPCTL_NO_PLUGINS"
# A vendor name is a profile name, a target prefix and the stem of <VENDOR>_API_KEY.
VENDOR_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PluginWarning(UserWarning):
    """A plugin vendor was skipped; the CLI shows it as one `campctl: warning:` line."""


class Origin(NamedTuple):
    """The distribution a plugin vendor comes from, as `campctl vendors` shows it."""

    package: str
    version: str


@dataclass(frozen=True)
class VendorEntry:
    """One vendor: its adapter and (optionally) its simulator, as "module:Class".

    `plugin` is filled in by campctl for an entry found through an entry point."""

    name: str
    adapter: str
    simulator: str | None = None
    plugin: Origin | None = None


def _builtin(name: str, adapter: str, simulator: str) -> VendorEntry:
    return VendorEntry(
        name,
        f"campctl.providers.{name}.adapter:{adapter}",
        f"campctl.providers.{name}.simulator:{simulator}",
    )


BUILTIN: tuple[VendorEntry, ...] = (
    _builtin("leadlex", "LeadlexAdapter", "Leadlex"),
    _builtin("leadterra", "LeadterraAdapter", "Leadterra"),
    _builtin("voicegenie", "VoiceGenieAdapter", "VoiceGenie"),
    _builtin("alta", "AltaAdapter", "Alta"),
    _builtin("woodpecker", "WoodpeckerAdapter", "Woodpecker"),
    _builtin("instantly", "InstantlyAdapter", "Instantly"),
    _builtin("lemlist", "LemlistAdapter", "Lemlist"),
    _builtin("smartlead", "SmartleadAdapter", "Smartlead"),
)
VENDOR_NAMES: tuple[str, ...] = tuple(entry.name for entry in BUILTIN)


class _Registry:
    """The registered vendors, and whether the entry points have been read."""

    def __init__(self) -> None:
        self.entries: dict[str, VendorEntry] = {entry.name: entry for entry in BUILTIN}
        self.scanned = False


_registry = _Registry()


def register(entry: VendorEntry) -> None:
    """Add a vendor (libcloud's `set_driver`): refuses a taken or malformed name, and checks
    by importing that the adapter and simulator are campctl's kinds for that name."""
    if entry.name in _registry.entries:
        raise ValueError(f"vendor '{entry.name}' is already registered")
    if not VENDOR_NAME.fullmatch(entry.name):
        raise ValueError(f"vendor name '{entry.name}' must match [a-z][a-z0-9_]*")
    from campctl.providers.base import Adapter

    adapter = _load(entry.adapter)
    if not (isinstance(adapter, type) and issubclass(adapter, Adapter)):
        raise TypeError(f"{entry.adapter} is not a campctl Adapter subclass")
    if adapter.meta.name != entry.name:
        raise ValueError(f"{entry.adapter} is the adapter of '{adapter.meta.name}'")
    if entry.simulator is not None:
        from campctl.sandbox.vendors.base import Vendor

        simulator = _load(entry.simulator)
        if not (isinstance(simulator, type) and issubclass(simulator, Vendor)):
            raise TypeError(f"{entry.simulator} is not a campctl.sandbox Vendor subclass")
        if simulator.name != entry.name:
            raise ValueError(f"{entry.simulator} simulates '{simulator.name}'")
    _registry.entries[entry.name] = entry


def find(name: str) -> VendorEntry | None:
    """The entry for `name`; plugins are read only when it is not built in."""
    if name not in _registry.entries:
        _scan()
    return _registry.entries.get(name)


def entries() -> tuple[VendorEntry, ...]:
    """Every vendor: built-ins in their order, then plugins by name."""
    _scan()
    return tuple(_registry.entries.values())


def names() -> tuple[str, ...]:
    """Every vendor name, plugins included."""
    return tuple(entry.name for entry in entries())


def listed_names() -> tuple[str, ...]:
    """Built-in names, then plugin entry-point names without loading any: shell completion
    stays as light as `--help`, and a broken plugin does not print on every Tab press."""
    if not plugins_enabled():
        return VENDOR_NAMES
    from importlib.metadata import entry_points

    plugins = sorted({point.name for point in entry_points(group=GROUP)} - set(VENDOR_NAMES))
    return VENDOR_NAMES + tuple(plugins)


def adapter_class(vendor: str) -> type[Adapter]:
    """The adapter class of a registered vendor (KeyError for an unknown name)."""
    entry = find(vendor)
    if entry is None:
        raise KeyError(vendor)
    cls: type[Adapter] = _load(entry.adapter)
    return cls


def simulator_class(vendor: str) -> type[Vendor] | None:
    """The simulator class of a registered vendor, or None when it has none."""
    entry = find(vendor)
    if entry is None:
        raise KeyError(vendor)
    if entry.simulator is None:
        return None
    cls: type[Vendor] = _load(entry.simulator)
    return cls


def plugins_enabled() -> bool:
    """False when CAMPCTL_NO_PLUGINS is set (to anything but "" or "0")."""
    return os.environ.get(NO_PLUGINS_ENV, "").strip() in ("", "0")


def _load(ref: str) -> Any:
    module, _, attribute = ref.partition(":")
    return getattr(import_module(module), attribute)


def _scan() -> None:
    """Register every `campctl.vendors` entry point once; a bad one becomes a warning."""
    if _registry.scanned or not plugins_enabled():
        return
    _registry.scanned = True
    from importlib.metadata import entry_points

    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        try:
            _register_plugin(point)
        except Exception as exc:  # a broken plugin must never stop campctl
            # campctl's own refusals read as they are; anything the plugin raised is named.
            reason = str(exc) if isinstance(exc, ValueError | TypeError) else repr(exc)
            warnings.warn(
                f"vendor plugin '{point.name}'{_from(point)} skipped: {reason}",
                PluginWarning,
                stacklevel=2,
            )


def _register_plugin(point: EntryPoint) -> None:
    if point.name in VENDOR_NAMES:
        raise ValueError(f"'{point.name}' is a built-in vendor")
    entry = point.load()
    if not isinstance(entry, VendorEntry):
        raise TypeError(f"{point.value} is not a campctl VendorEntry")
    if entry.name != point.name:
        raise ValueError(f"{point.value} is the entry of '{entry.name}'")
    dist = point.dist
    origin = Origin(dist.name, dist.version) if dist is not None else None
    register(replace(entry, plugin=origin))


def _from(point: EntryPoint) -> str:
    dist = point.dist
    return f" (from {dist.name} {dist.version})" if dist is not None else ""
