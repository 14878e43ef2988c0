"""Hostile faults, read back as raw as a client would see them."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import struct
import time
import zlib

import pytest

from campctl.sandbox import ESCAPE_TEXT, SANDBOX_API_KEY, VENDORS, Fault, Simulator, key_echo
from campctl.sandbox.hostile import (
    BOMB_SIZE,
    BOMB_TAIL,
    CJK_TEXT,
    INVISIBLE_TEXT,
    ODD_TEXT,
    SURROGATE,
    deep_json,
    gzip_bomb,
    key_run,
)
from tests.sandbox.common import ALTA, PAUSE, RUNNING, VG, auth, body_of, call, raw_exchange

PAUSED_WORDS = ("paused", "PAUSED")
RUNNING_WORDS = ("active", "running", "RUNNING", "ACTIVE")


def raw_get(sim: Simulator, vendor: str, path: str, key: str = SANDBOX_API_KEY) -> bytes:
    """One request on its own connection; the whole answer, headers included, unparsed."""
    headers = "".join(f"{k}: {v}\r\n" for k, v in auth(vendor, key).items())
    request = f"GET /{vendor}{path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"
    return raw_exchange(sim, request.encode())


# -- escape ------------------------------------------------------------------------------------


def test_escape_text_holds_the_attacks() -> None:
    assert "\x1b]0;pwned\x07" in ESCAPE_TEXT  # OSC retitle
    assert "\x1b[2J" in ESCAPE_TEXT  # clear screen
    assert "\r" in ESCAPE_TEXT.partition("\x1b[2J")[2]  # CR, then fake text
    assert "\x9b" in ESCAPE_TEXT  # C1 CSI


@pytest.mark.parametrize("vendor", VENDORS)
def test_escape_is_a_409_in_the_vendor_error_shape(vendor: str) -> None:
    with Simulator(faults=[Fault.parse("escape")]) as sim:
        r = call(sim, vendor, PAUSE[vendor])
        assert r.status_code == 409
        body = body_of(r)
        if isinstance(body, str):  # a plain-text error (lemlist): the escapes arrive raw
            assert body.endswith(ESCAPE_TEXT)
        else:
            message = body.get("message") or body.get("detail") or body["error"]["message"]
            assert message.endswith(ESCAPE_TEXT)
            assert b"\x1b" not in r.content  # valid JSON: escaped as \u001b on the wire
        assert sim.campaign_status(vendor, RUNNING[vendor]) in RUNNING_WORDS


def test_escape_status_poisons_status_and_message_and_the_action_lands(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("escape:status*3"))
    r = call(sim, "voicegenie", PAUSE["voicegenie"])
    assert r.status_code == 200
    data = r.json()
    assert data["data"]["status"] == "paused" + ESCAPE_TEXT
    assert data["message"].endswith(ESCAPE_TEXT)
    assert data["data"]["active_calls"] == 3
    assert sim.campaign_status("voicegenie", VG) == "paused"
    r = call(sim, "woodpecker", PAUSE["woodpecker"])  # the empty 200 gains both fields
    assert (r.status_code, r.json()) == (200, {"status": ESCAPE_TEXT, "message": ESCAPE_TEXT})
    assert sim.campaign_status("woodpecker", "12345") == "PAUSED"
    r = call(sim, "alta", f"GET /campaigns/{ALTA}")
    assert r.json()["status"] == "active" + ESCAPE_TEXT


# -- deep JSON ---------------------------------------------------------------------------------


def test_deep_json_default_depth(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("deep-json*1"))
    r = call(sim, "leadlex", PAUSE["leadlex"])
    assert (r.status_code, r.headers["content-type"]) == (200, "application/json")
    assert r.content == b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    with pytest.raises(RecursionError):
        json.loads(r.content)
    assert sim.campaign_status("leadlex", "cmp_abc123") == "active"


@pytest.mark.parametrize("vendor", VENDORS)
def test_deep_json_in_details(vendor: str) -> None:
    with Simulator(faults=[Fault.parse("deep-json:50:details")]) as sim:
        r = call(sim, vendor, PAUSE[vendor])
        assert r.status_code == 422
        body = r.json()
        nested = body["details"]["missing"]
        for _ in range(50):
            nested = nested["a"]
        assert nested == 1
        if vendor == "voicegenie":
            assert body["error"] == "INVALID_CAMPAIGN_STATE"
        assert sim.campaign_status(vendor, RUNNING[vendor]) in RUNNING_WORDS


def test_deep_json_helper() -> None:
    assert deep_json(2) == b'{"a":{"a":1}}'


# -- gzip bomb ---------------------------------------------------------------------------------


def test_gzip_bomb_layers_decode_to_whitespace_and_braces() -> None:
    size = 4 << 20  # a small bomb built the same way, decoded in full
    one = gzip_bomb(1, size)
    assert gzip.decompress(one) == b" " * size + BOMB_TAIL
    two = gzip_bomb(2, size)
    assert gzip.decompress(gzip.decompress(two)) == b" " * size + BOMB_TAIL
    assert gzip_bomb(2, size) is two  # cached
    with pytest.raises(ValueError, match="multiple"):
        gzip_bomb(1, 1000)


def test_gzip_bomb_answers(sim: Simulator) -> None:
    started = time.monotonic()
    sim.add_fault(Fault.parse("gzip-bomb:2*1"))
    sim.add_fault(Fault.parse("gzip-bomb*1"))
    sim.add_fault(Fault.parse("gzip-bomb:3*1"))
    raw = raw_get(sim, "alta", f"/campaigns/{ALTA}")
    assert time.monotonic() - started < 2  # built within the request
    head, _, body = raw.partition(b"\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nContent-Encoding: gzip, gzip\r\n" in head
    assert 1800 <= len(body) <= 20_000
    assert body == gzip_bomb(2)
    inner = gzip.decompress(body)
    assert len(inner) < 1_100_000
    assert struct.unpack("<I", inner[-4:])[0] == (BOMB_SIZE + len(BOMB_TAIL)) % 2**32
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
    assert decoder.decompress(inner, 10 << 20) == b" " * (10 << 20)  # and on it goes

    raw = raw_get(sim, "alta", f"/campaigns/{ALTA}")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"\r\nContent-Encoding: gzip\r\n" in head
    assert body == inner  # one layer: ~1 MB for 1 GiB
    raw = raw_get(sim, "alta", f"/campaigns/{ALTA}")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"\r\nContent-Encoding: gzip, gzip, gzip\r\n" in head
    assert len(body) < 1000
    assert gzip.decompress(body) == gzip_bomb(2)


# -- slow body ---------------------------------------------------------------------------------


def test_slow_body_sends_headers_at_once_and_dribbles_the_body(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("slow-body:1.5@leadlex*1"))
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    started = time.monotonic()
    conn.request("POST", "/leadlex" + PAUSE["leadlex"].split(" ")[1], headers=auth("leadlex"))
    response = conn.getresponse()
    assert time.monotonic() - started < 0.3  # status line and headers at once
    assert response.status == 200
    assert response.getheader("Date")
    arrivals = []
    body = b""
    while piece := response.read1(65536):
        arrivals.append(time.monotonic() - started)
        body += piece
    conn.close()
    assert 1.4 <= arrivals[-1] < 2.2  # the whole answer took about 1.5 s
    assert len(arrivals) >= 3  # in several pieces, about 0.5 s apart
    assert json.loads(body)["data"]["campaign"]["status"] == "paused"
    assert sim.campaign_status("leadlex", "cmp_abc123") == "paused"  # the action landed


def test_slow_body_pads_an_empty_body_with_whitespace(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("slow-body:1*1"))
    started = time.monotonic()
    r = call(sim, "woodpecker", PAUSE["woodpecker"])
    assert 0.9 <= time.monotonic() - started < 1.5
    assert (r.status_code, r.content.strip()) == (200, b"")
    assert sim.campaign_status("woodpecker", "12345") == "PAUSED"


def test_slow_body_is_cut_when_the_simulator_stops() -> None:
    sim = Simulator(faults=[Fault.parse("slow-body:30")]).start()
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    conn.request("GET", f"/alta/campaigns/{ALTA}", headers=auth("alta"))
    response = conn.getresponse()
    started = time.monotonic()
    sim.stop()
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        response.read()
    assert time.monotonic() - started < 1.5
    conn.close()


# -- reflect-key -------------------------------------------------------------------------------

KEY = "sk_live_0123456789abcdefSENTINEL"


@pytest.mark.parametrize("vendor", VENDORS)
def test_reflect_key_echoes_the_key_in_three_forms(vendor: str) -> None:
    with Simulator(faults=[Fault.parse("reflect-key")]) as sim:
        r = call(sim, vendor, PAUSE[vendor], key=KEY)
        assert r.status_code == 401
        text = r.text
        assert KEY in text
        assert KEY.upper() in text
        assert KEY[:14] + "..." in text
        reflected = r.json()["request"]
        header = next(iter(reflected["headers"].values()))
        scheme, _, token = header.partition(" ")
        shown = base64.b64decode(token).decode() if scheme == "Basic" else header
        assert KEY in shown + reflected.get("query", "")
        assert sim.campaign_status(vendor, RUNNING[vendor]) in RUNNING_WORDS


def test_reflect_key_status_variant(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("reflect-key:status@leadterra*1"))
    r = call(sim, "leadterra", PAUSE["leadterra"])
    assert r.status_code == 200
    assert r.json()["status"] == f"paused ({key_echo(SANDBOX_API_KEY)})"
    assert sim.campaign_status("leadterra", "camp_123") == "paused"


# -- redirect with a bad Location, ignore -----------------------------------------------------


def test_redirect_to_a_location_with_control_characters(sim: Simulator) -> None:
    sim.add_fault(Fault.parse(r"redirect:https://x.example/\x01a\x9b@woodpecker*1"))
    raw = raw_get(sim, "woodpecker", "/v2/campaigns/12345")
    assert raw.startswith(b"HTTP/1.1 302 ")
    assert b"\r\nLocation: https://x.example/\x01a\x9b\r\n" in raw
    assert b"\r\nDate: " in raw


def test_ignore_answers_success_but_changes_nothing(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("ignore*4"))
    for vendor in ("leadlex", "voicegenie", "alta", "woodpecker"):
        r = call(sim, vendor, PAUSE[vendor])
        assert r.status_code == 200, vendor
        assert sim.campaign_status(vendor, RUNNING[vendor]) in RUNNING_WORDS, vendor
    assert call(sim, "leadlex", PAUSE["leadlex"]).json()["data"]["campaign"]["status"] == "paused"
    assert sim.campaign_status("leadlex", "cmp_abc123") == "paused"  # the fault is used up


def test_ignore_body_is_the_success_body(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("ignore@voicegenie*1"))
    r = call(sim, "voicegenie", PAUSE["voicegenie"])
    assert r.json()["data"]["status"] == "paused"
    assert r.json()["success"] is True
    assert sim.campaign_status("voicegenie", VG) == "running"


# -- key-id, text, set-cookie ------------------------------------------------------------------

LISTS = {  # a list request per vendor that documents one, and where its items are
    "voicegenie": ("GET /fetchCampaignData?limit=100", lambda body: body["data"]["campaigns"]),
    "alta": ("GET /campaigns?limit=100", lambda body: body["data"]),
    "woodpecker": ("GET /v1/campaign_list", lambda body: body),
}


@pytest.mark.parametrize("vendor", list(LISTS))
@pytest.mark.parametrize(("arg", "listed"), [("", SANDBOX_API_KEY), (":8", "andbox-k")])
def test_key_id_lists_the_key_as_a_campaign_id(vendor: str, arg: str, listed: str) -> None:
    request, items_of = LISTS[vendor]
    with Simulator(faults=[Fault.parse(f"key-id{arg}@{vendor}")]) as sim:
        items = items_of(call(sim, vendor, request).json())
        assert items[-1] == {**items[0], "id": listed}
        assert [i["id"] for i in items].count(listed) == 1
        r = call(sim, vendor, PAUSE[vendor])  # an answer that is no list is left as it is
        assert r.status_code == 200
        assert listed not in r.text
        assert sim.campaign_status(vendor, RUNNING[vendor]) in PAUSED_WORDS


def test_key_run_is_taken_from_the_middle() -> None:
    assert key_run("0123456789", 4) == "3456"
    assert key_run("0123456789", None) == "0123456789"
    assert key_run("0123", 8) == "0123"


@pytest.mark.parametrize(
    ("variant", "status", "wire"),
    [
        ("surrogate", "paused" + SURROGATE, b'"paused\\ud800"'),
        ("invisible", "paus" + INVISIBLE_TEXT + "ed", b'"paus\\u200b\\u200c'),
        ("cjk", "paused" + CJK_TEXT, b'"paused \\u65e5'),
    ],
)
def test_text_makes_status_name_and_message_hard_to_show(
    sim: Simulator, variant: str, status: str, wire: bytes
) -> None:
    sim.add_fault(Fault.parse(f"text:{variant}@voicegenie"))
    r = call(sim, "voicegenie", PAUSE["voicegenie"])
    assert wire in r.content  # a JSON escape on the wire: the body itself is valid UTF-8 JSON
    body = r.json()
    assert body["data"]["status"] == status
    assert sim.campaign_status("voicegenie", VG) == "paused"
    listed = call(sim, "voicegenie", LISTS["voicegenie"][0]).json()["data"]["campaigns"][0]
    assert listed["name"] == ODD_TEXT[variant]("Q4 Sales Campaign")
    empty = call(sim, "woodpecker", PAUSE["woodpecker"])
    assert empty.status_code == 200


def test_set_cookie_is_the_normal_answer_with_a_fresh_session(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("set-cookie@woodpecker"))
    first = call(sim, "woodpecker", PAUSE["woodpecker"])
    second = call(sim, "woodpecker", "GET /v2/campaigns/12345")
    assert first.status_code == second.status_code == 200
    assert first.headers["set-cookie"].startswith("session=woodpecker-")
    assert first.headers["set-cookie"] != second.headers["set-cookie"]
    assert sim.campaign_status("woodpecker", "12345") == "PAUSED"


# -- every answer has a Date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec", ["status", "escape", "reflect-key", "deep-json:3", "redirect", "ignore", "malformed"]
)
def test_every_answer_carries_a_date_header(sim: Simulator, spec: str) -> None:
    sim.add_fault(Fault.parse(f"{spec}*1"))
    assert b"\r\nDate: " in raw_get(sim, "leadterra", "/v1/campaigns/camp_123/stats")
    assert b"\r\nDate: " in raw_get(sim, "leadterra", "/v1/campaigns/camp_123/stats")


# -- grammar -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("escape", Fault("escape")),
        ("escape:status@alta*2", Fault("escape", variant="status", vendor="alta", count=2)),
        ("deep-json", Fault("deep-json", depth=100_000)),
        ("deep-json:500", Fault("deep-json", depth=500)),
        ("deep-json:details", Fault("deep-json", variant="details")),
        (
            "deep-json:7:details@voicegenie",
            Fault("deep-json", depth=7, variant="details", vendor="voicegenie"),
        ),
        ("gzip-bomb", Fault("gzip-bomb", layers=1)),
        ("gzip-bomb:2*1", Fault("gzip-bomb", layers=2, count=1)),
        ("slow-body", Fault("slow-body")),
        (
            "slow-body:2.5@leadlex:cmp_abc123",
            Fault("slow-body", seconds=2.5, vendor="leadlex", campaign_id="cmp_abc123"),
        ),
        ("reflect-key", Fault("reflect-key")),
        ("reflect-key:status", Fault("reflect-key", variant="status")),
        (r"redirect:https://x.example/\x01", Fault("redirect", location="https://x.example/\x01")),
        ("redirect:https://x.example/é", Fault("redirect", location="https://x.example/\xc3\xa9")),
        ("ignore@woodpecker:12345", Fault("ignore", vendor="woodpecker", campaign_id="12345")),
        ("key-id@voicegenie", Fault("key-id", vendor="voicegenie")),
        ("key-id:12*1", Fault("key-id", run=12, count=1)),
        ("text:surrogate", Fault("text", variant="surrogate")),
        ("text:invisible@alta", Fault("text", variant="invisible", vendor="alta")),
        ("text:cjk", Fault("text", variant="cjk")),
        ("set-cookie@woodpecker", Fault("set-cookie", vendor="woodpecker")),
    ],
)
def test_hostile_fault_parse(spec: str, expected: Fault) -> None:
    assert Fault.parse(spec) == expected


def test_fault_defaults_and_kinds() -> None:
    assert Fault("slow").delay == 30
    assert Fault("slow-body").delay == 7
    assert Fault.parse("slow-body:0.5").delay == 0.5
    kinds = ("slow", "slow-body", "ignore", "key-id", "set-cookie")
    assert {k for k in kinds if Fault(k).answers_normally} == set(kinds)
    assert Fault("text", variant="surrogate").answers_normally
    assert not Fault("escape").answers_normally
    assert Fault("escape", variant="status").answers_normally
    assert not Fault("deep-json", variant="details").answers_normally


@pytest.mark.parametrize(
    "spec",
    [
        "escape:loud",
        "reflect-key:1",
        "deep-json:0",
        "deep-json:-5",
        "deep-json:2000000",
        "deep-json:5:status",
        "deep-json:many",
        "gzip-bomb:0",
        "gzip-bomb:4",
        "gzip-bomb:two",
        "slow-body:soon",
        "slow-body:-1",
        "ignore:now",
        "key-id:0",
        "key-id:all",
        "text",
        "text:loud",
        "set-cookie:1",
        r"redirect:https://x.example/\x0d\x0a",
        "redirect:https://user@x.example/",
    ],
)
def test_hostile_fault_parse_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError, match=r"^bad fault spec "):
        Fault.parse(spec)


def test_fault_rejects_bad_fields() -> None:
    with pytest.raises(ValueError, match="variant"):
        Fault("status", variant="status")
    with pytest.raises(ValueError, match="location"):
        Fault("redirect", location="https://x.example/\u2603")


# -- numbers out of range --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "header"),
    [
        ("2", "2"),
        ("1e12", "1e12"),
        ("-5", "-5"),
        ("1e308", "1e308"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ],
)
def test_rate_limit_sends_an_absurd_retry_after_as_written(
    sim: Simulator, arg: str, header: str
) -> None:
    sim.add_fault(Fault.parse(f"rate_limit:{arg}@leadlex*1"))
    r = call(sim, "leadlex", PAUSE["leadlex"])
    assert r.status_code == 429
    assert r.headers["retry-after"] == header


@pytest.mark.parametrize("vendor", VENDORS)
def test_huge_number_is_the_vendor_error_with_5000_digits(vendor: str) -> None:
    with Simulator() as sim:
        sim.add_fault(Fault.parse(f"huge-number:401@{vendor}"))
        r = call(sim, vendor, PAUSE[vendor])
    assert r.status_code == 401
    assert b"9" * 5000 in r.content
    with pytest.raises(ValueError, match="digits"):
        json.loads(r.content)
    assert Fault.parse("huge-number").status == 503


def test_other_id_names_another_campaign_and_the_action_lands(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("other-id@voicegenie"))
    r = call(sim, "voicegenie", PAUSE["voicegenie"])
    assert r.status_code == 200
    assert r.json()["data"]["campaign_id"] == "0" + VG
    assert sim.campaign_status("voicegenie", VG) == "paused"
    assert Fault("other-id").answers_normally
