"""Per-vendor limits: Woodpecker one in flight per key, Alta ≤ 100 starts in any 60 s."""

from __future__ import annotations

import asyncio
import bisect

import httpx
import respx

from campctl.limits import Limits, SlidingWindow
from campctl.providers.base import Action, VendorLimit
from tests.helpers import build, url


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def test_sliding_window_never_allows_101_starts_in_60_seconds() -> None:
    clock = FakeClock()
    window = SlidingWindow(100, 60.0, clock, clock.sleep)
    starts: list[float] = []

    async def start() -> None:
        await window.acquire()
        starts.append(clock.now)

    async def main() -> None:
        await asyncio.gather(*(start() for _ in range(350)))

    asyncio.run(main())
    assert len(starts) == 350
    starts.sort()
    for i, t in enumerate(starts):
        in_window = bisect.bisect_left(starts, t + 60.0) - i
        assert in_window <= 100, f"{in_window} starts in [{t}, {t + 60})"
    assert starts[99] == 0.0  # the first 100 go at once: no needless wait in an incident
    assert starts[100] == 60.0


def test_woodpecker_never_has_two_requests_in_flight() -> None:
    """50 Woodpecker targets with --concurrency 16 on one key: strictly one at a time."""
    in_flight = 0
    peak = 0

    async def slow_ok(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        return httpx.Response(200)

    async def main() -> list[str]:
        limits = Limits(16)
        async with httpx.AsyncClient() as client:
            adapter = build("woodpecker", client, limits=limits)
            verdicts = await asyncio.gather(
                *(adapter.verb(Action.PAUSE)(str(100000 + i)) for i in range(50))
            )
        return [v.outcome.value for v in verdicts]

    with respx.mock:
        respx.post(url__regex=url("woodpecker", r"/v2/campaigns/\d+/pause")).mock(
            side_effect=slow_ok
        )
        outcomes = asyncio.run(main())
    assert outcomes == ["done"] * 50
    assert peak == 1


def test_other_vendors_are_bounded_by_concurrency_only() -> None:
    in_flight = 0
    peak = 0

    async def slow_ok(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={"id": "x", "status": "paused"})

    async def main() -> None:
        limits = Limits(4)
        async with httpx.AsyncClient() as client:
            adapter = build("leadterra", client, limits=limits)
            await asyncio.gather(*(adapter.verb(Action.PAUSE)(f"c{i}") for i in range(20)))

    with respx.mock:
        respx.post(url__regex=url("leadterra", r"/v1/campaigns/\w+/pause")).mock(
            side_effect=slow_ok
        )
        asyncio.run(main())
    assert peak == 4


def test_a_queued_woodpecker_request_does_not_hold_a_global_slot() -> None:
    """Waiting behind Woodpecker's one-at-a-time must not starve other vendors."""

    async def main() -> list[str]:
        limits = Limits(2)
        serial = VendorLimit(max_in_flight=1)
        order: list[str] = []
        release = asyncio.Event()

        async def hold(name: str) -> None:
            async with limits.slot("woodpecker:k", serial):
                order.append(name)
                await release.wait()

        async def other() -> None:
            async with limits.slot("leadlex:k", VendorLimit()):
                order.append("other")

        first = asyncio.create_task(hold("wp1"))
        queued = [asyncio.create_task(hold(f"wp{i}")) for i in (2, 3, 4)]
        await asyncio.sleep(0)
        await asyncio.wait_for(other(), 1.0)
        release.set()
        await asyncio.gather(first, *queued)
        return order

    order = asyncio.run(main())
    assert order[:2] == ["wp1", "other"]
    assert order[2:] == ["wp2", "wp3", "wp4"]


def test_serial_vendor_does_not_wait_for_a_shared_slot() -> None:
    """With every --concurrency slot busy, Woodpecker's one request still goes."""

    async def main() -> list[str]:
        limits = Limits(1)
        order: list[str] = []
        release = asyncio.Event()

        async def busy() -> None:
            async with limits.slot("leadlex:k", VendorLimit()):
                order.append("leadlex")
                await release.wait()

        async def woodpecker() -> None:
            async with limits.slot("woodpecker:k", VendorLimit(max_in_flight=1)):
                order.append("woodpecker")

        holder = asyncio.create_task(busy())
        await asyncio.sleep(0)
        await asyncio.wait_for(woodpecker(), 1.0)
        release.set()
        await holder
        return order

    assert asyncio.run(main()) == ["leadlex", "woodpecker"]
