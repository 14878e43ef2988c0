"""The simulated vendors: the simulator of each vendor registry entry that has one."""

from __future__ import annotations

from campctl.registry import BUILTIN, entries, find, simulator_class

from .base import Vendor

# The built-in simulated vendors, in the order campctl lists them (tests parametrise over
# them); `simulated()` adds the plugins'.
VENDORS: tuple[str, ...] = tuple(entry.name for entry in BUILTIN if entry.simulator)


def simulated() -> dict[str, type[Vendor]]:
    """Every registry vendor with a simulator, plugins included, by name."""
    classes = {entry.name: simulator_class(entry.name) for entry in entries()}
    return {name: cls for name, cls in classes.items() if cls is not None}


def campaign_ids(vendor: str, n: int) -> list[str]:
    """Ids of the `n` extra running campaigns `Simulator(extra_campaigns=n)` seeds for `vendor`."""
    cls = simulator_class(vendor) if find(vendor) is not None else None
    if cls is None:
        raise ValueError(f"unknown vendor {vendor!r}; expected one of {', '.join(simulated())}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [cls.extra_id(i) for i in range(1, n + 1)]
