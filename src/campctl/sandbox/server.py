"""The simulator: one loopback HTTP server answering for every simulated vendor under `/{vendor}`.

Each request passes, in order: the vendor's one-at-a-time queue (Woodpecker), `latency_ms`,
the first matching fault, the per-minute limit (Alta), then the vendor's auth check, routing
and state rules (under the state file's lock when there is one). Nothing is ever written to
stdout or stderr: the simulator runs inside the CLI, whose streams belong to the user.
"""

from __future__ import annotations

import contextlib
import math
import selectors
import socket
import socketserver
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from .faults import Fault
from .hostile import fault_reply, reword
from .limits import SerialGate, SlidingWindows
from .state import StateStore
from .vendors import simulated
from .vendors.base import SANDBOX_API_KEY, RecordedRequest, Reply, Vendor, json_reply

SANDBOX_KEY_ENV = "CAMPCTL_SANDBOX_KEY"
"""The variable the rendered providers.toml reads the sandbox key from."""
MAX_BODY = 1 << 20
REQUEST_LOG_LIMIT = 10_000
"""Requests kept in `Simulator.requests`: enough for any test, flat memory for `sandbox serve`."""
DRIBBLE_TICK = 0.5
"""Seconds between the pieces of a `slow-body` answer."""


@dataclass
class _Armed:
    fault: Fault
    remaining: int | None  # None: forever


class Simulator:
    """Every simulated vendor on 127.0.0.1, seeded with demo campaigns (see `campctl.sandbox`).

    `clock` drives Alta's rolling window (inject a fake one to test it without waiting);
    `queue_timeout` is how long a queued Woodpecker request waits before its 429 (15 s, as
    documented; tests shorten it). `state_file` makes the campaigns' states persistent and
    shared with every simulator using the same file (see `campctl.sandbox.state`); without it
    each simulator starts from the seed. `page_cap` bounds the campaigns on one Alta or
    VoiceGenie list page whatever `limit` asks, to exercise a client's paging.
    `lock_timeout` and `on_lock_wait` bound the wait for another process's lock on the state
    file (StateLocked from the constructor; see `StateStore`).
    """

    def __init__(
        self,
        port: int = 0,
        latency_ms: float = 0.0,
        faults: Iterable[Fault] = (),
        extra_campaigns: int = 0,
        *,
        clock: Callable[[], float] = time.monotonic,
        queue_timeout: float = 15.0,
        state_file: Path | None = None,
        page_cap: int | None = None,
        lock_timeout: float | None = None,
        on_lock_wait: Callable[[float], None] | None = None,
    ) -> None:
        if extra_campaigns < 0:
            raise ValueError(f"extra_campaigns must be >= 0, got {extra_campaigns}")
        if page_cap is not None and page_cap < 1:
            raise ValueError(f"page_cap must be >= 1, got {page_cap}")
        self.latency_ms = latency_ms
        self._port = port
        self._vendors: dict[str, Vendor] = {
            name: cls(extra_campaigns, page_cap=page_cap) for name, cls in simulated().items()
        }
        self._store: StateStore | None = None
        if state_file is not None:
            self._store = StateStore(
                state_file, self._vendors, lock_timeout=lock_timeout, on_lock_wait=on_lock_wait
            )
            self._store.load()
        self._gates = {
            name: SerialGate(v.serial_queue, queue_timeout)
            for name, v in self._vendors.items()
            if v.serial_queue is not None
        }
        self._windows = {
            name: SlidingWindows(v.rate_limits, clock)
            for name, v in self._vendors.items()
            if v.rate_limits
        }
        self._lock = threading.Lock()
        self._faults = [_Armed(f, f.count) for f in faults]
        self._requests: deque[RecordedRequest] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._in_flight = dict.fromkeys(self._vendors, 0)
        self._max_in_flight = dict.fromkeys(self._vendors, 0)
        self._limited = dict.fromkeys(self._vendors, 0)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Bind 127.0.0.1 and serve from a daemon thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("a Simulator can be started only once")
        server = _Server(self._port, self._answer, self._stopping)
        self._server = server
        self._port = server.server_port
        self._thread = threading.Thread(
            target=server.serve,
            name=f"campctl-sandbox:{self._port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut open connections; requests still sleeping are woken."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        for gate in self._gates.values():
            gate.close()
        server.halt()
        if self._thread is not None:
            self._thread.join()
        server.server_close()
        server.close_connections()

    def __enter__(self) -> Simulator:
        return self if self._server is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- public view -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def vendors(self) -> tuple[str, ...]:
        """The simulated vendors: every registry vendor with a simulator."""
        return tuple(self._vendors)

    def _known(self, vendor: str) -> str:
        if vendor not in self._vendors:
            raise ValueError(
                f"unknown vendor {vendor!r}; expected one of {', '.join(self._vendors)}"
            )
        return vendor

    def base_url(self, vendor: str) -> str:
        return f"http://127.0.0.1:{self._port}/{self._known(vendor)}"

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(_Armed(fault, fault.count))

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the requests received (the latest 10,000), in arrival order."""
        with self._lock:
            return list(self._requests)

    def max_in_flight(self, vendor: str) -> int:
        """Most requests to `vendor` ever processed at once (queued ones do not count)."""
        with self._lock:
            return self._max_in_flight[self._known(vendor)]

    def rate_limited(self, vendor: str) -> int:
        """How many requests to `vendor` its documented limits refused (429): a client that
        keeps to the limits gets none (the benchmarks assert it)."""
        with self._lock:
            return self._limited[self._known(vendor)]

    def _count_limited(self, vendor: str) -> None:
        with self._lock:
            self._limited[vendor] += 1

    def campaign_status(self, vendor: str, campaign_id: str) -> str | None:
        """The campaign's state in the vendor's vocabulary; None if there is no such campaign."""
        v = self._vendors[self._known(vendor)]
        with self._session(v), v.lock:
            campaign = v.campaigns.get(campaign_id)
            return None if campaign is None else campaign.status

    @property
    def state_problem(self) -> str | None:
        """Why the state file could not be read or written lately (None when all is well)."""
        return None if self._store is None else self._store.problem

    # -- request pipeline (handler threads) ------------------------------------------------

    def _answer(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
        vendor = self._vendors.get(request.vendor)
        if vendor is None:
            prefixes = ", ".join(f"/{v}" for v in self._vendors)
            message = f"no simulated vendor at /{request.vendor}; paths start with {prefixes}"
            return json_reply(404, {"error": "not_found", "message": message})
        matched = vendor.match(request.method, request.path)
        key = vendor.key_of(request)
        gate = self._gates.get(vendor.name)
        if gate is not None and not gate.acquire(key):
            self._count_limited(vendor.name)
            return vendor.rate_limited(None)
        try:
            with self._counted(vendor.name):
                return self._process(vendor, request, matched, key)
        finally:
            if gate is not None:
                gate.release(key)

    def _process(
        self,
        vendor: Vendor,
        request: RecordedRequest,
        matched: tuple[str, str | None] | Reply,
        key: str,
    ) -> Reply:
        self._sleep(self.latency_ms / 1000)
        campaign_id = None if isinstance(matched, Reply) else matched[1]
        fault = self._take_fault(vendor.name, campaign_id)
        if fault is not None and not fault.answers_normally:
            return fault_reply(fault, vendor, request)
        if fault is not None and fault.kind == "slow":
            self._sleep(fault.delay)
        headers: dict[str, str] = {}
        window = self._windows.get(vendor.name)
        if window is not None:
            admission = window.admit(key)
            headers = vendor.limit_headers(admission)
            if not admission.admitted:
                wait = max(1, math.ceil(admission.retry_after))
                self._count_limited(vendor.name)
                return vendor.rate_limited(wait).with_headers(headers)
        dry = fault is not None and fault.kind == "ignore"
        if isinstance(matched, Reply):
            reply = vendor.respond(request, matched)
        else:
            with self._session(vendor):
                reply = vendor.respond(request, matched, dry=dry)
        if fault is not None:
            reply = reword(fault, vendor, request, reply)
        return reply.with_headers(headers)

    def _session(self, vendor: Vendor) -> contextlib.AbstractContextManager[None]:
        """The state file's lock and refresh around one look at `vendor`'s campaigns."""
        return contextlib.nullcontext() if self._store is None else self._store.session(vendor)

    @contextlib.contextmanager
    def _counted(self, vendor: str) -> Iterator[None]:
        with self._lock:
            self._in_flight[vendor] += 1
            self._max_in_flight[vendor] = max(self._max_in_flight[vendor], self._in_flight[vendor])
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[vendor] -= 1

    def _take_fault(self, vendor: str, campaign_id: str | None) -> Fault | None:
        with self._lock:
            for armed in self._faults:
                f = armed.fault
                if armed.remaining == 0 or f.vendor not in (None, vendor):
                    continue
                if f.campaign_id not in (None, campaign_id):
                    continue
                if armed.remaining is not None:
                    armed.remaining -= 1
                return f
        return None

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the simulator stops."""
        if seconds > 0:
            self._stopping.wait(seconds)


def render_providers_toml(sim: Simulator) -> str:
    """A providers.toml pointing every vendor at `sim`, for rehearsing a runbook end to end."""
    lines = [
        f"# campctl providers for the sandbox simulator on 127.0.0.1:{sim.port}.",
        "# Every vendor accepts the same key; before running campctl:",
        f"#   export {SANDBOX_KEY_ENV}={SANDBOX_API_KEY}",
        "# sandbox = true: runs through this file are rehearsals, journaled in the sandbox",
        "# journal and never undoable against production.",
        "sandbox = true",
    ]
    for vendor in sim.vendors:
        lines += [
            "",
            f"[providers.{vendor}]",
            f'vendor = "{vendor}"',
            f'base_url = "{sim.base_url(vendor)}"',
            f'api_key_env = "{SANDBOX_KEY_ENV}"',
        ]
    return "\n".join(lines) + "\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the vendors' real servers do
    disable_nagle_algorithm = True  # otherwise each keep-alive answer stalls ~40 ms (delayed ACK)
    default_request_version = "HTTP/1.0"  # so even a garbage request line gets a status line
    server_version = "campctl-sandbox"
    sys_version = ""
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        body = self._read_body()
        if body is None:
            return
        path, _, query = self.path.partition("?")
        vendor, _, rest = path.removeprefix("/").partition("/")
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = RecordedRequest(vendor, self.command, "/" + rest, headers, body, query)
        try:
            reply = self.server.answer(request)
        except Exception as exc:  # a simulator bug should read as a 500, not as a dropped line
            message = f"sandbox simulator error: {type(exc).__name__}"
            reply = json_reply(500, {"error": "internal_error", "message": message})
        self._send(reply)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _read_body(self) -> bytes | None:
        """The request body, or None when the request was refused or the client hung up."""
        length_text = self.headers.get("Content-Length", "0").strip()
        if self.headers.get("Transfer-Encoding"):
            self._refuse(411, "send the body with a Content-Length")
            return None
        if not length_text.isdigit():
            self._refuse(400, "invalid Content-Length")
            return None
        length = int(length_text)
        if length > MAX_BODY:
            self._refuse(413, "request body too large")
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        self._send(json_reply(status, {"error": "bad_request", "message": message}))

    def _send(self, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        body = reply.body
        if reply.dribble > 0 and self.command != "HEAD":
            ticks = max(1, round(reply.dribble / DRIBBLE_TICK))
            body = body.rjust(ticks)  # leading spaces: still the same JSON
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()  # send_response put Date and Server among the headers
        if self.command == "HEAD":
            return
        if reply.dribble > 0:
            self._dribble(body, reply.dribble)
        else:
            self.wfile.write(body)

    def _dribble(self, body: bytes, seconds: float) -> None:
        """Send `body` in pieces, one every ~DRIBBLE_TICK, the last `seconds` after the headers."""
        ticks = max(1, round(seconds / DRIBBLE_TICK))
        started = time.monotonic()
        for i in range(ticks):
            piece = body[len(body) * i // ticks : len(body) * (i + 1) // ticks]
            wait = started + seconds * (i + 1) / ticks - time.monotonic()
            if self.server.stopping.wait(max(0.0, wait)):
                self.close_connection = True
                return
            self.wfile.write(piece)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's access log: stderr belongs to the CLI's user."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of parallel clients must not overflow the default 5

    def __init__(
        self, port: int, answer: Callable[[RecordedRequest], Reply], stopping: threading.Event
    ) -> None:
        self.answer = answer
        self.stopping = stopping
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def serve(self) -> None:
        """Accept connections until `halt` (serve_forever's loop, woken at once instead of
        polling, so stopping a simulator costs no poll interval)."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ, "accept")
            selector.register(self._wake_reader, selectors.EVENT_READ, "wake")
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.data == "accept" and not self.stopping.is_set():
                        self.handle_request()  # ready: accepts without waiting

    def halt(self) -> None:
        """Make `serve` return (after `stopping` is set)."""
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def server_bind(self) -> None:
        # Skip HTTPServer's getfqdn() lookup, which can stall on a slow resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = int(self.socket.getsockname()[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay silent: clients hanging up mid-answer are routine here (drop faults, timeouts)."""

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """Cut idle keep-alive connections so their handler threads end now."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
