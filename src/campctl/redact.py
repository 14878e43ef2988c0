"""One redactor for every outward line: stdout, stderr, the audit log and error messages."""

from __future__ import annotations

MASK = "***"


class Redactor:
    """Replaces every resolved API key with `***`, longest first (a key may contain another)."""

    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, secret: str) -> None:
        if secret and secret not in self._secrets:
            self._secrets.append(secret)
            self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text
