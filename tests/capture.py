"""A loopback capture server for notification tests: records each POST (and, when asked,
what the journal held at that moment) and answers by path — a status, a slow answer, or
no answer at all."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Captured:
    path: str
    headers: dict[str, str]
    body: Any
    journal: str | None  # the journal file's text when the POST arrived


@dataclass
class Capture:
    """Paths answer 200 unless `answers` says otherwise: an int status, ("slow", seconds)
    or "hang" (reads the request, never answers until the server stops)."""

    journal: Path | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    requests: list[Captured] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def bodies(self, path: str) -> list[Any]:
        return [r.body for r in self.requests if r.path == path]


def _handler(capture: Capture) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            journal = None
            if capture.journal is not None and capture.journal.exists():
                journal = capture.journal.read_text()
            capture.requests.append(
                Captured(self.path, dict(self.headers.items()), json.loads(raw), journal)
            )
            answer = capture.answers.get(self.path, 200)
            if answer == "hang":
                capture.stopping.wait(60)
                return
            if isinstance(answer, tuple):
                time.sleep(answer[1])
                answer = 200
            try:
                self.send_response(answer)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # campctl gave up on a slow answer: that is the point
                return

        def log_message(self, *_args: Any) -> None:
            return

    return Handler


class CaptureServer:
    def __init__(self, capture: Capture) -> None:
        self.capture = capture
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(capture))
        self.server.daemon_threads = True
        capture.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Capture:
        self.thread.start()
        return self.capture

    def __exit__(self, *_exc: object) -> None:
        self.capture.stopping.set()
        self.server.shutdown()
        self.server.server_close()


def refused_url() -> str:
    """A loopback URL nothing listens on: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/refused"
