"""Fixtures of the simulator tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from campctl.sandbox import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s
