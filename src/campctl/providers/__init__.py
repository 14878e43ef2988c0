"""The adapters' side of the vendor registry (`campctl.registry`), for the callers that
only need a vendor's adapter: imported only when a vendor is used."""

from campctl.registry import VENDOR_NAMES, adapter_class

__all__ = ["VENDOR_NAMES", "adapter_class"]
