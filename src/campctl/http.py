"""The one way campctl talks HTTP: a shared httpx.AsyncClient, per-profile transports with
one deadline per request, bounded bodies, no redirects, vendor limits and retries.

Every byte a vendor sends is hostile until proven otherwise: the body is read raw and
decoded here, with the 1 MiB cap applied to what decompression produces; httpx's own
timeouts are off so `--timeout` is the only bound; proxies apply only to https hosts.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import logging
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from campctl import __version__
from campctl.diagnostics import Diagnostics
from campctl.errors import ConfigError
from campctl.limits import Limits, Scope, usable_concurrency
from campctl.redact import MASK
from campctl.results import ErrorKind, Verdict
from campctl.retry import RetryPolicy, with_retries
from campctl.transport import Auth, Exchange, Reply, RequestSpec, VendorLimit

MAX_BODY_BYTES = 1024 * 1024
DECODE_STEP = 64 * 1024
USER_AGENT = f"campctl/{__version__}"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
# A cookie policy that allows no domain: nothing is stored, nothing is sent.
NO_COOKIES = http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


_SECRET_URLS: set[str] = set()  # notification URLs this process posts to: never logged


def never_log(url: str) -> None:
    """Log `url` (a notification webhook, a secret as a whole) as *** wherever httpx would
    log it."""
    _SECRET_URLS.add(str(httpx.URL(url)))


class _QueryValuesMasked(logging.Filter):
    """httpx logs each request's URL at INFO: a Python caller logging at INFO would see a key
    sent as a query parameter. Those URLs are logged with every query value as ***, and a
    notification URL as *** whole."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _query_masked(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True


def _query_masked(url: httpx.URL) -> str:
    if str(url) in _SECRET_URLS:
        return MASK
    if not url.query:
        return str(url)
    return f"{url.copy_with(query=None)}?" + "&".join(f"{name}={MASK}" for name in url.params)


logging.getLogger("httpx").addFilter(_QueryValuesMasked())


def make_client(base_urls: Iterable[str], concurrency: int) -> httpx.AsyncClient:
    """One client per run, its connection pool no larger than the open-files limit allows.

    httpx's timeouts are disabled: `HttpTransport` bounds each request, connect to last
    byte, with `--timeout`. Environment proxies are mounted per https host (NO_PROXY
    respected); loopback and http base URLs always go direct, also in a mixed run. Without
    any https base URL no CA bundle is loaded. The client is shared by every profile of the
    run, so it keeps no cookies: one account's `Set-Cookie` is never sent with another's.
    """
    connections = usable_concurrency(concurrency) + 4  # as many as Limits lets start, and spares
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    https_hosts = {urlsplit(url).hostname or "" for url in base_urls if url.startswith("https://")}
    verify: Any = httpx.create_ssl_context(trust_env=True) if https_hosts else False
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    for host, proxy in _https_proxies(https_hosts - LOOPBACK_HOSTS).items():
        pattern = f"https://[{host}]" if ":" in host else f"https://{host}"
        mounts[pattern] = httpx.AsyncHTTPTransport(proxy=proxy, verify=verify, limits=limits)
    return httpx.AsyncClient(
        follow_redirects=False,
        headers={
            "user-agent": USER_AGENT,
            "accept": "application/json",
            "accept-encoding": "gzip, deflate",
        },
        limits=limits,
        cookies=http.cookiejar.CookieJar(NO_COOKIES),
        timeout=None,  # noqa: S113 - HttpTransport bounds every request with --timeout
        trust_env=False,
        verify=verify,
        mounts=mounts,
    )


def _https_proxies(hosts: set[str]) -> dict[str, str]:
    """The proxy each https host should use, from HTTPS_PROXY/ALL_PROXY minus NO_PROXY."""
    if not hosts:
        return {}
    from urllib.request import getproxies_environment, proxy_bypass

    proxies = getproxies_environment()
    scheme = "https" if proxies.get("https") else "all"
    proxy = proxies.get(scheme)
    if not proxy:
        return {}
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    _check_proxy(proxy, f"{scheme.upper()}_PROXY")
    return {host: proxy for host in hosts if not proxy_bypass(host)}


def _check_proxy(proxy: str, variable: str) -> None:
    """A proxy URL httpx would reject, one that is not http(s) (SOCKS needs an extra
    package), without a host or with a port out of range is a configuration error before
    anything is sent; its value is never shown (it may carry a password)."""
    try:
        parts = urlsplit(proxy)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        httpx.Proxy(proxy)
    except (ValueError, httpx.InvalidURL):
        usable = False
    if not usable:
        raise ConfigError(
            f"{variable} (or {variable.lower()}) is not a usable proxy URL; set it to "
            "http://HOST:PORT, or unset it"
        )


class HttpTransport:
    """Sends one profile's requests; adapters only see `send(spec) -> Exchange`.

    The key is placed here, where the vendor's `Auth` says (a header, a query parameter,
    HTTP Basic), and every URL this transport shows — dry run, --verbose, errors — has that
    query parameter masked by name, whatever the key's value or encoding.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str,
        auth: Auth,
        api_key: str,
        headers: Mapping[str, str] = MappingProxyType({}),
        timeout: float,
        policy: RetryPolicy,
        limits: Limits,
        scope: Scope,
        vendor_limit: VendorLimit,
        diagnostics: Diagnostics,
        provider: str = "",
    ) -> None:
        self.client = client
        self.base_url = base_url
        self.auth = auth
        self._key = api_key
        self.headers = dict(headers)
        self.timeout = timeout
        self.policy = policy
        self.limits = limits
        self.scope = scope
        self.vendor_limit = vendor_limit
        self.diagnostics = diagnostics
        self.provider = provider or urlsplit(base_url).hostname or base_url
        self.sent: set[str] = set()
        self._key_param = (
            re.compile(rf"([?&]{re.escape(auth.name)}=)[^&#\s]*", re.IGNORECASE)
            if auth.kind == "query"
            else None
        )

    def build(self, spec: RequestSpec) -> httpx.Request:
        """The request as sent; the key's header comes last, so nothing overrides it."""
        return self.client.build_request(
            spec.method,
            self._url(spec, quote(self._key, safe="")),
            headers={**self.headers, **spec.headers, **self.auth.headers(self._key)},
            json=spec.json,
        )

    def _url(self, spec: RequestSpec, key: str) -> str:
        """The request's URL, with `key` (already encoded) as the vendor's query parameter."""
        url = self.base_url + spec.path
        if self.auth.kind != "query":
            return url
        return f"{url}{'&' if '?' in url else '?'}{self.auth.name}={key}"

    def shown(self, text: str) -> str:
        """A URL, or a message quoting one, as campctl may show it: the key's query parameter
        masked (`api_key=***`), then the redactor's rules for every URL."""
        if self._key_param is not None:
            text = self._key_param.sub(rf"\g<1>{MASK}", text)
        return self.diagnostics.redactor.url(text)

    def describe(self, spec: RequestSpec) -> dict[str, Any]:
        """The exact request `send` would make, with the key shown as *** (`Bearer ***`,
        `Basic ***`, `?api_key=***`)."""
        request = self.build(spec)
        masked = {name.lower(): value for name, value in self.auth.headers(None).items()}
        headers = {name: masked.get(name.lower(), value) for name, value in request.headers.items()}
        from campctl.documents import DryRunRequest

        url = self.shown(str(request.url))
        shown = DryRunRequest(method=request.method, url=url, headers=headers, body=spec.json)
        return shown.model_dump()

    async def send(self, spec: RequestSpec, label: str) -> Exchange:
        """Send with retries. Interrupted while *waiting* to retry, the last answer stands
        (marked interrupted); interrupted with a request in flight, CancelledError goes on
        so the runner reports "outcome unknown"."""
        last: Reply | Verdict | None = None
        in_flight = False
        attempts = 0

        def notify(reason: str, delay: float, next_attempt: int) -> None:
            self.diagnostics.retrying(self.provider, label, reason, delay)

        def on_wait(seconds: float) -> None:
            self.diagnostics.limit_wait(self.provider, label, seconds)

        async def attempt(number: int) -> Reply | Verdict:
            nonlocal last, in_flight, attempts
            async with self.limits.slot(self.scope, self.vendor_limit, on_wait):
                self.sent.add(label)
                in_flight, attempts = True, number
                try:
                    last = await self._once(spec, number)
                finally:
                    in_flight = False
                return last

        try:
            return await with_retries(attempt, self.policy, notify)
        except asyncio.CancelledError:
            if in_flight or last is None:
                raise
            if isinstance(last, Reply):
                return Exchange(last, None, attempts, interrupted=True)
            return Exchange(None, last, attempts, interrupted=True)

    async def _once(self, spec: RequestSpec, number: int) -> Reply | Verdict:
        started = time.monotonic()
        sent_at = time.time()
        method, url = spec.method, self._url(spec, MASK)
        try:
            request = self.build(spec)
            async with asyncio.timeout(self.timeout):
                response = await self.client.send(request, stream=True)
                try:
                    answer = await read_body(response, sent_at)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            answer = Verdict.failure(
                ErrorKind.TIMEOUT, f"no answer within {self.timeout:g} s (--timeout)"
            )
        except httpx.RemoteProtocolError as exc:
            answer = _protocol_failure(exc, self.base_url, self.shown)
        except (httpx.LocalProtocolError, httpx.InvalidURL, httpx.UnsupportedProtocol,
                UnicodeError) as exc:  # fmt: skip
            answer = Verdict.failure(
                ErrorKind.INVALID_REQUEST,
                # The library's text may quote a header value, i.e. the key: never shown.
                f"campctl could not build a valid request ({type(exc).__name__}); "
                "check the profile's settings",
            )
        except httpx.TransportError as exc:
            answer = _network_failure(exc, self.base_url, self.shown)
        elapsed = (time.monotonic() - started) * 1000
        result = f"{answer.status}" if isinstance(answer, Reply) else str(answer.message)
        shown = self.shown(url)  # config and vendor text, not campctl's words
        self.diagnostics.exchange(
            f"{method} {shown} -> {result} in {elapsed:.0f} ms (attempt {number})"
        )
        return answer


def _network_failure(exc: Exception, base_url: str, shown: Callable[[str], str]) -> Verdict:
    """The HTTP stack's words are vendor-influenced text and may quote a URL: redacted where
    they enter, by the same rules as every URL campctl shows."""
    host = shown(urlsplit(base_url).hostname or "")
    detail = shown(str(exc)) or type(exc).__name__
    return Verdict.failure(ErrorKind.NETWORK, f"network error talking to {host}: {detail}")


def _protocol_failure(
    exc: httpx.RemoteProtocolError, base_url: str, shown: Callable[[str], str]
) -> Verdict:
    """A redirect whose Location httpx cannot parse is an answer, not a network failure:
    `bad_response`, never retried. A connection dropped before any answer is `network`."""
    if isinstance(exc.__context__, httpx.InvalidURL):
        return Verdict.failure(
            ErrorKind.BAD_RESPONSE,
            "vendor redirected to an invalid location; redirects are not followed",
        )
    return _network_failure(exc, base_url, shown)


async def read_body(response: httpx.Response, sent_at: float | None = None) -> Reply | Verdict:
    """Read at most 1 MiB, counted after decompression, which stops at the cap: a small
    gzip bomb (even `Content-Encoding: gzip, gzip`) never expands in memory."""
    status = response.status_code
    encodings = [
        e.strip().lower()
        for e in response.headers.get_list("content-encoding", split_commas=True)
        if e.strip().lower() not in ("", "identity")
    ]
    unknown = [e for e in encodings if e not in _WBITS]
    if unknown:
        return _bad_body(f"body uses an unsupported encoding ({unknown[0][:20]})", status)
    # Content-Encoding lists codings in the order applied: undo them last to first.
    decoders = [zlib.decompressobj(_WBITS[e]) for e in reversed(encodings)]
    body = bytearray()
    raw_size = 0
    try:
        async for raw in response.aiter_raw():
            raw_size += len(raw)
            for piece in _decode(decoders, raw):
                if raw_size > MAX_BODY_BYTES or len(body) + len(piece) > MAX_BODY_BYTES:
                    return _too_large(status)
                body += piece
            if raw_size > MAX_BODY_BYTES:
                return _too_large(status)
    except zlib.error:
        return _bad_body("body could not be decompressed", status)
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Reply(status, headers, bytes(body), sent_at=sent_at)


def _decode(decoders: list[Any], data: bytes) -> Iterator[bytes]:
    """Push `data` through the decoder chain, yielding at most DECODE_STEP bytes at a time,
    so the caller can stop as soon as the cap is reached."""
    if not decoders:
        if data:
            yield data
        return
    first, rest = decoders[0], decoders[1:]
    while data:
        out = first.decompress(data, DECODE_STEP)
        data = first.unconsumed_tail
        if out:
            yield from _decode(rest, out)
        elif first.eof:
            return


def _too_large(status: int) -> Verdict:
    return _bad_body(f"response body larger than {MAX_BODY_BYTES // 1024} KiB; not read", status)


def _bad_body(message: str, status: int) -> Verdict:
    return Verdict.failure(ErrorKind.BAD_RESPONSE, message, http_status=status)
