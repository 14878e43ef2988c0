"""campctl: pause and resume outreach campaigns across vendors — a CLI and a Python library.

The public names are those in `__all__` (see campctl.api); they are imported on first use,
so `import campctl` stays light: no httpx, pydantic, rich or typer until a call needs them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing alone costs --version ~10 ms
if TYPE_CHECKING:
    from typing import Any

    from campctl.api import (
        Context,
        RunReport,
        list_campaigns,
        pause,
        resume,
        run,
        run_sync,
        runs,
        status,
    )
    from campctl.documents import CampaignListing, RunDocument, RunsDocument
    from campctl.errors import CampctlError, ConfigError, UsageError

__version__ = "0.1.0"

__all__ = [
    "CampaignListing",
    "CampctlError",
    "ConfigError",
    "Context",
    "RunDocument",
    "RunReport",
    "RunsDocument",
    "UsageError",
    "__version__",
    "list_campaigns",
    "pause",
    "resume",
    "run",
    "run_sync",
    "runs",
    "status",
]

_LAZY = {
    "CampaignListing": "campctl.documents",
    "CampctlError": "campctl.errors",
    "ConfigError": "campctl.errors",
    "UsageError": "campctl.errors",
    "Context": "campctl.api",
    "RunDocument": "campctl.documents",
    "RunReport": "campctl.api",
    "RunsDocument": "campctl.documents",
    "list_campaigns": "campctl.api",
    "pause": "campctl.api",
    "resume": "campctl.api",
    "run": "campctl.api",
    "run_sync": "campctl.api",
    "runs": "campctl.api",
    "status": "campctl.api",
}


def __getattr__(name: str) -> Any:
    """PEP 562: the library's names, imported when first used."""
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'campctl' has no attribute {name!r}")
