"""campctl: pause and resume outreach campaigns across vendors from one CLI."""

__version__ = "0.1.0"
