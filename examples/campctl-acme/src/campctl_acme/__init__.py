"""Acme, a fictional outreach vendor, as a campctl plugin.

campctl reads `ENTRY` through the `campctl.vendors` entry point only when it needs a vendor
that is not built in, so this module names classes without importing them.
"""

from campctl.registry import VendorEntry

ENTRY = VendorEntry(
    name="acme",
    adapter="campctl_acme.adapter:AcmeAdapter",
    simulator="campctl_acme.simulator:Acme",
)
