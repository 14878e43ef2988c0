"""The answers of injected faults (see `faults`): error bodies, broken and hostile bodies.

`fault_reply` answers in place of the vendor; `reword` rewrites the vendor's own answer for
the faults that let it through (`Fault.answers_normally`).
"""

from __future__ import annotations

import itertools
import json
import math
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import replace

from .faults import Fault
from .vendors.base import RecordedRequest, Reply, Vendor, json_reply, phrase_code, status_phrase

MALFORMED_BODY = b'{"data": {"camp'
ESCAPE_TEXT = "\x1b]0;pwned\x07\x1b[2J\rcampaign resumed, all clear\x9b2K"
"""OSC 0 (retitle the window) ended by BEL, ED 2 (clear the screen), a carriage return and
fake text to overwrite the line, and a C1 CSI (0x9b) erase-line."""
REWORDED_KEYS = frozenset({"status", "campaign_status", "message", "detail"})
ODD_TEXT_KEYS = REWORDED_KEYS | {"name"}
SURROGATE = "\ud800"
"""A lone high surrogate: half an emoji, as a back end that cuts UTF-16 strings sends it."""
INVISIBLE_TEXT = "\u200b\u200c\u200d\u2060\ufeff\u00ad\U000e0041\U000e007f"
"""Zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, tag `A`, cancel tag:
inserted after the fourth character, `paused` still looks like `paused`."""
CJK_TEXT = " 日本語キャンペーン"
ODD_TEXT: dict[str, Callable[[str], str]] = {
    "surrogate": lambda text: text + SURROGATE,
    "invisible": lambda text: text[:4] + INVISIBLE_TEXT + text[4:],
    "cjk": lambda text: text + CJK_TEXT,
}
BOMB_SIZE = 1 << 30
"""Decoded size of the gzip bomb: 1 GiB of spaces, then `{}`."""
BOMB_TAIL = b"{}"
_CHUNK = 1 << 20
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, mtime 0, unix
_DEEP_MARK = "\x00deep\x00"
HUGE_NUMBER = b"9" * 5000

_cookies = itertools.count(1)
_bombs: dict[tuple[int, int], bytes] = {}
_bombs_lock = threading.Lock()


def fault_reply(fault: Fault, vendor: Vendor, request: RecordedRequest) -> Reply:
    """The answer of a fault that replaces the vendor's (`not fault.answers_normally`)."""
    match fault.kind:
        case "status":
            if not fault.html:
                return vendor.generic_error(fault.status)
            title = f"{fault.status} {status_phrase(fault.status)}"
            page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
            return Reply(fault.status, page.encode(), "text/html; charset=utf-8")
        case "rate_limit":
            after, seconds = fault.retry_after, None
            if not isinstance(after, str) and 0 <= after <= 86_400:
                seconds = math.ceil(after)
            return vendor.rate_limited(seconds).with_headers(
                {"Retry-After": fault.retry_after_header}
            )
        case "malformed":
            return Reply(200, MALFORMED_BODY, "application/json")
        case "endless-list":
            return vendor.endless_list_page(request)
        case "drop":
            return Reply(0, drop=True)
        case "redirect":
            location = fault.location
            if location is None:
                location = f"https://elsewhere.example/{vendor.name}{request.path}"
            return Reply(302, headers={"Location": location})
        case "escape":
            code, _ = phrase_code(409, vendor.code_style)
            return vendor.error(409, code, f"Campaign is busy{ESCAPE_TEXT}")
        case "deep-json":
            if fault.variant == "details":
                return _deep_details(vendor, fault.depth)
            return Reply(200, deep_json(fault.depth), "application/json")
        case "gzip-bomb":
            encoding = ", ".join(["gzip"] * fault.layers)
            return Reply(
                200,
                gzip_bomb(fault.layers),
                "application/json",
                headers={"Content-Encoding": encoding},
            )
        case "reflect-key":
            return _reflect_key(vendor, request)
        case "huge-number":
            return _huge_number(vendor, fault.status)
        case _:
            raise ValueError(f"fault {fault.kind!r} answers normally")


def reword(fault: Fault, vendor: Vendor, request: RecordedRequest, reply: Reply) -> Reply:
    """The vendor's own answer as the fault delivers it."""
    match fault.kind:
        case "slow-body":
            return replace(reply, dribble=fault.delay)
        case "escape" if fault.variant == "status":
            return _poison(reply, lambda text: text + ESCAPE_TEXT)
        case "text":
            return _poison(reply, ODD_TEXT[fault.variant], ODD_TEXT_KEYS)
        case "key-id":
            return _list_key(reply, key_run(vendor.key_of(request), fault.run))
        case "set-cookie":
            cookie = f"session={vendor.name}-{next(_cookies)}; Path=/"
            return reply.with_headers({"Set-Cookie": cookie})
        case "reflect-key" if fault.variant == "status":
            echo = key_echo(vendor.key_of(request))
            return _poison(reply, lambda text: f"{text} ({echo})".lstrip())
        case "other-id":
            return _other_id(reply)
        case _:
            return reply


def key_echo(key: str) -> str:
    """The key as sent, upper-cased and as a 14-character prefix: how vendors echo keys."""
    return f"key {key} / {key.upper()} / {key[:14]}..."


def key_run(key: str, length: int | None) -> str:
    """The key, or `length` of its characters from the middle (vendors echo parts of keys)."""
    if length is None or length >= len(key):
        return key
    start = (len(key) - length) // 2
    return key[start : start + length]


def deep_json(depth: int) -> bytes:
    """`{"a":{"a":...1}}`, `depth` objects deep."""
    return b'{"a":' * depth + b"1" + b"}" * depth


def gzip_bomb(layers: int, size: int = BOMB_SIZE) -> bytes:
    """`size` spaces and `{}`, gzipped `layers` times; built once per process (~0.3 s for 1 GiB).

    Deflate with a full flush after each MiB resets the compressor, so every MiB of spaces
    compresses to the same block: the block is made once and repeated, never a GiB in memory.
    """
    if size % _CHUNK:
        raise ValueError(f"size must be a multiple of {_CHUNK}, got {size}")
    with _bombs_lock:  # one build per size, however many requests ask at once
        return _cached_bomb(layers, size)


def _cached_bomb(layers: int, size: int) -> bytes:
    bomb = _bombs.get((layers, size))
    if bomb is None:
        bomb = _gzip_spaces(size) if layers == 1 else _gzip(_cached_bomb(layers - 1, size))
        _bombs[layers, size] = bomb
    return bomb


def _gzip_spaces(size: int) -> bytes:
    chunk = b" " * _CHUNK
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(BOMB_TAIL) + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size // _CHUNK):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(BOMB_TAIL, crc)
    trailer = struct.pack("<II", crc, (size + len(BOMB_TAIL)) & 0xFFFFFFFF)
    return b"".join((_GZIP_HEADER, block * (size // _CHUNK), tail, trailer))


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16, 9)
    return compressor.compress(data) + compressor.flush()


def _deep_details(vendor: Vendor, depth: int) -> Reply:
    """The vendor's 422 with `details.missing` nested `depth` deep (spliced, never built)."""
    code, message = vendor.invalid_state_error or phrase_code(422, vendor.code_style)
    payload = _error_object(vendor.error(422, code, message))
    payload["details"] = {"missing": _DEEP_MARK}
    body = json.dumps(payload).encode()
    body = body.replace(json.dumps(_DEEP_MARK).encode(), deep_json(depth), 1)
    return Reply(422, body, "application/json")


def _huge_number(vendor: Vendor, status: int) -> Reply:
    """The vendor's error for `status` plus `"n": <5,000 digits>` (spliced: json.dumps itself
    refuses an int that long)."""
    reply = vendor.generic_error(status)
    payload = _error_object(reply)
    payload["n"] = _DEEP_MARK
    body = json.dumps(payload).encode().replace(json.dumps(_DEEP_MARK).encode(), HUGE_NUMBER)
    return replace(reply, body=body, content_type="application/json")


def _error_object(reply: Reply) -> dict[str, object]:
    """A vendor's error body as a JSON object to build on; a vendor whose errors are plain
    text (lemlist) gets its text as the `message`."""
    try:
        payload = json.loads(reply.body) if reply.body.strip() else {}
    except ValueError:
        return {"message": reply.body.decode("utf-8", "replace")}
    return payload if isinstance(payload, dict) else {"message": payload}


def _other_id(reply: Reply) -> Reply:
    """The answer with every `id` / `campaign_id` naming a neighbouring campaign."""
    try:
        payload = json.loads(reply.body) if reply.body.strip() else None
    except ValueError:
        return reply
    if payload is None:
        return reply
    return replace(reply, body=json.dumps(_renamed(payload)).encode())


def _renamed(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: _other(v) if k in ("id", "campaign_id") else _renamed(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_renamed(v) for v in value]
    return value


def _other(value: object) -> object:
    if isinstance(value, str):
        return "0" + value
    if isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    return value


def _reflect_key(vendor: Vendor, request: RecordedRequest) -> Reply:
    key = vendor.key_of(request)
    code, _ = vendor.auth_error
    payload = _error_object(vendor.error(401, code, f"Invalid API key: {key_echo(key)}"))
    raw_header = request.headers.get(vendor.auth_header, "")
    payload["request"] = {"headers": {vendor.auth_header: raw_header}, "query": request.query}
    return json_reply(401, payload)


def _list_key(reply: Reply, campaign_id: str) -> Reply:
    """A list answer (the first list of objects with an `id`) gains a copy of its first item
    with `campaign_id` as its ID; any other answer is returned as it is."""
    try:
        payload = json.loads(reply.body)
    except ValueError:
        return reply
    items = _campaign_items(payload)
    if not items:
        return reply
    items.append({**items[0], "id": campaign_id})
    return replace(reply, body=json.dumps(payload).encode())


def _campaign_items(value: object) -> list[dict[str, object]] | None:
    """The first list, depth first, whose items are all objects with an `id`: the campaigns,
    whatever envelope the vendor wraps them in."""
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        return value
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    for child in children:
        found = _campaign_items(child)
        if found is not None:
            return found
    return None


def _poison(
    reply: Reply, reword_text: Callable[[str], str], keys: frozenset[str] = REWORDED_KEYS
) -> Reply:
    """Rewrite every string under `keys` in a JSON answer; an empty 200 gets a status and a
    message."""
    if not reply.body.strip():
        if not 200 <= reply.status < 300:
            return reply
        payload: object = {"status": reword_text(""), "message": reword_text("")}
    else:
        try:
            payload = _rewrite(json.loads(reply.body), reword_text, keys)
        except ValueError:
            return reply
    return replace(reply, body=json.dumps(payload).encode(), content_type="application/json")


def _rewrite(value: object, reword_text: Callable[[str], str], keys: frozenset[str]) -> object:
    if isinstance(value, dict):
        return {
            k: reword_text(v)
            if k in keys and isinstance(v, str)
            else _rewrite(v, reword_text, keys)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(v, reword_text, keys) for v in value]
    return value
