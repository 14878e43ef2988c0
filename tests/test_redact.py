"""The redactor: any letter case, 8-character fragments, short keys, and bounded scrub()."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import pytest

from campctl.redact import MASK, MAX_ITEMS, MAX_STRING, TOO_DEEP, Redactor

KEY = "sk_live_SENTINEL0123456789abcdef"


def redactor(*keys: str) -> Redactor:
    r = Redactor()
    for key in keys:
        r.add(key)
    return r


@pytest.mark.parametrize(
    "variant", [KEY, KEY.lower(), KEY.upper(), KEY.swapcase(), "Sk_LiVe_sEnTiNeL0123456789ABCDEF"]
)
def test_every_letter_case_is_masked(variant: str) -> None:
    assert redactor(KEY)(f"Invalid api key {variant}.") == f"Invalid api key {MASK}."


@pytest.mark.parametrize(
    "fragment",
    [
        KEY[:8],  # prefix
        "sk_live_SENTIN",  # what vendors echo before "..."
        KEY[10:18],  # middle
        KEY[-8:],  # suffix
        KEY[3:25].upper(),
    ],
)
def test_runs_of_eight_or_more_key_characters_are_masked(fragment: str) -> None:
    assert redactor(KEY)(f"key {fragment}... rejected") == f"key {MASK}... rejected"


def test_a_seven_character_run_of_a_long_key_is_kept() -> None:
    text = f"id {KEY[:7]} and {KEY[5:12]} and {KEY[-7:]}"
    assert redactor(KEY)(text) == text


def test_overlapping_and_adjacent_spans_merge_into_one_mask() -> None:
    r = redactor(KEY, "sk_live_OTHERKEY99")
    assert r(f"[{KEY}{KEY.upper()}{KEY[:9]}]") == f"[{MASK}]"
    assert r(f"{KEY[:10]}sk_live_otherkey99!") == f"{MASK}!"
    assert r(f"{KEY[:8]} {KEY[-8:]}") == f"{MASK} {MASK}"


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("done", "campaign done", f"campaign {MASK}"),
        ("done", "DONE; Done; undone", f"{MASK}; {MASK}; un{MASK}"),
        ("done", "don e", "don e"),
        ("1", "retry 1 of 11", f"retry {MASK} of {MASK}"),
        ("ab", "xAby", f"x{MASK}y"),
        ("aba", "ababa", MASK),  # overlapping whole occurrences
        ("abcdefg", "abcdef abcdefgh", f"abcdef {MASK}h"),
    ],
)
def test_short_keys_are_masked_only_where_they_occur_whole(
    key: str, text: str, expected: str
) -> None:
    """A key under 8 characters has no fragments to mask; every whole occurrence is."""
    assert redactor(key)(text) == expected


def test_several_keys() -> None:
    r = redactor(KEY, "pk_test_ABCDEFGHIJ", "xyz")
    text = f"{KEY} / pk_test_abcdefghij / XYZ / pk_test ABC"
    assert r(text) == f"{MASK} / {MASK} / {MASK} / pk_test ABC"


def test_regex_metacharacters_in_a_key_are_literal() -> None:
    key = "a.b*c+d?[e](f)|^$\\g{2}"
    r = redactor(key, "(.*)")
    assert r(f"x{key}y") == f"x{MASK}y"
    assert r("aXbYcZdW") == "aXbYcZdW"
    assert r("(.*) and (abc)") == f"{MASK} and (abc)"
    assert r(f"-{key[4:14]}-") == f"-{MASK}-"


def test_non_ascii_text_around_a_key_keeps_its_place() -> None:
    """str.lower() turns 'İ' into two characters; ASCII-only folding must not shift spans."""
    r = redactor(KEY)
    assert r(f"İİ{KEY.upper()}İ中文 ß") == f"İİ{MASK}İ中文 ß"
    assert r("İ" * 3 + "done") == "İ" * 3 + "done"


def test_non_ascii_characters_are_not_case_folded_into_a_key() -> None:
    # The Kelvin sign K and the long s fold to 'k' and 's' under Unicode rules, not ASCII ones.
    r = redactor(KEY)
    near = "\u017fk_live_SENTINEL"[:8]
    assert r(near) == near


def test_no_keys_and_empty_key_change_nothing() -> None:
    r = redactor("")
    assert r("any text") == "any text"


def test_a_megabyte_of_text_is_fast() -> None:
    r = redactor(KEY, "pk_live_" + "Z" * 40, "abc")
    text = ("sk_live_a0123456789 " * 60_000)[:1_000_000] + KEY
    started = time.perf_counter()
    out = r(text)
    assert time.perf_counter() - started < 1.0
    assert out.endswith(MASK)
    assert KEY[:8].lower() not in out.lower()


# scrub(): redacted, bounded, always JSON-serialisable.


def nested(depth: int, container: str) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value} if container == "dict" else [value]
    return value


@pytest.mark.parametrize("container", ["dict", "list"])
def test_scrub_survives_100000_levels_of_nesting(container: str) -> None:
    scrubbed = redactor(KEY).scrub(nested(100_000, container))
    text = json.dumps(scrubbed)
    assert text.count(TOO_DEEP.encode("unicode_escape").decode()) == 1
    assert "leaf" not in text


def test_scrub_keeps_eight_levels_and_cuts_the_ninth() -> None:
    r = Redactor()
    assert r.scrub(nested(8, "dict")) == nested(8, "dict")
    value = r.scrub(nested(9, "list"))
    for _ in range(8):
        value = value[0]
    assert value == TOO_DEEP


def test_scrub_redacts_strings_and_keys_at_every_level() -> None:
    r = redactor(KEY)
    value = {"detail": f"bad key {KEY}", KEY: [{"echo": KEY.lower()}], "n": 1, "ok": True}
    assert r.scrub(value) == {
        "detail": f"bad key {MASK}",
        MASK: [{"echo": MASK}],
        "n": 1,
        "ok": True,
    }


def test_scrub_bounds_lists_dicts_and_strings() -> None:
    r = redactor(KEY)
    items = r.scrub(list(range(1_000_000)))
    assert items[:MAX_ITEMS] == list(range(MAX_ITEMS))
    assert items[MAX_ITEMS:] == [f"…({1_000_000 - MAX_ITEMS} more items)"]
    keys = r.scrub({f"k{i}": i for i in range(250)})
    assert len(keys) == MAX_ITEMS + 1
    assert keys["…"] == "(150 more keys)"
    long = r.scrub(KEY + "x" * 10_000)
    assert long.startswith(MASK + "x")
    assert len(long) == MAX_STRING
    assert long.endswith("…")
    assert r.scrub((1, "a")) == [1, "a"]


def test_scrub_huge_ints_and_non_finite_floats() -> None:
    r = Redactor()
    assert r.scrub(10**29) == 10**29
    assert r.scrub(-(10**30) + 1) == -(10**30) + 1
    huge = r.scrub(10**30)
    assert isinstance(huge, str)
    assert "31 digits" in huge
    beyond_str_limit = r.scrub(10**10_000)
    assert isinstance(beyond_str_limit, str)
    assert len(beyond_str_limit) < 50
    assert r.scrub([math.nan, math.inf, -math.inf, 1.5]) == [None, None, None, 1.5]


def test_scrub_non_str_dict_keys_become_json_keys() -> None:
    r = redactor("secret-1")
    scrubbed = r.scrub(
        {1: "a", None: "b", 2.5: "c", False: "d", (1, "secret-1"): "e", math.nan: "f"}
    )
    assert scrubbed == {
        "1": "a",
        "null": "b",
        "2.5": "c",
        "false": "d",
        f"(1, '{MASK}')": "e",
        "null (2)": "f",
    }
    json.dumps(scrubbed)


def test_scrub_keys_that_collide_after_redaction_are_both_kept() -> None:
    assert redactor(KEY).scrub({KEY: 1, KEY.upper(): 2, 3: 3, "3": 4}) == {
        MASK: 1,
        f"{MASK} (2)": 2,
        "3": 3,
        "3 (2)": 4,
    }


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no")


def test_scrub_other_objects_become_redacted_text() -> None:
    r = redactor(KEY)

    class Echo:
        def __str__(self) -> str:
            return f"Echo({KEY})"

    assert r.scrub([Echo(), Unprintable(), {1, 2}]) == [
        f"Echo({MASK})",
        "<Unprintable>",
        "{1, 2}",
    ]


# -- URLs: every URL campctl shows passes through the same rules --------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://vg.example/{KEY}/api/x", "https://vg.example/***/api/x"),  # key in a path
        (f"https://vg.example/t/{KEY.upper()[2:14]}/x", "https://vg.example/t/***/x"),
        (
            "https://api.example/v1/c?api_key=abc123&status=RUNNING",
            "https://api.example/v1/c?api_key=***&status=RUNNING",
        ),
        (
            "https://x.example/p?Token=t&apikey=k;X-Amz-Signature=s#frag",
            "https://x.example/p?Token=***&apikey=***;X-Amz-Signature=***#frag",
        ),
        ("https://ops:hunter2@x.example/p", "https://***@x.example/p"),
        (
            "http://127.0.0.1:9/v2/campaigns/12345/pause",
            "http://127.0.0.1:9/v2/campaigns/12345/pause",
        ),
        ("GET /x?offset=10&cursor=abc -> 200", "GET /x?offset=10&cursor=abc -> 200"),
    ],
)
def test_urls_are_shown_without_keys_or_credentials(url: str, shown: str) -> None:
    assert redactor(KEY).url(url) == shown


def test_a_url_quoted_in_an_error_message_is_masked() -> None:
    message = f"Invalid URL 'https://x.example/{KEY}?access_token=zzz': bad port"
    assert (
        redactor(KEY).url(message)
        == "Invalid URL 'https://x.example/***?access_token=***': bad port"
    )


# -- IDs: what the redactor would mask is what a vendor's campaign ID must not hold -------


@pytest.mark.parametrize(
    ("campaign_id", "reveals"),
    [
        (KEY, True),
        (KEY.upper(), True),
        (f"cmp-{KEY[5:13].swapcase()}-1", True),  # any 8-character run, any case
        (f"cmp-{KEY[5:12]}-1", False),  # 7 characters are not the key
        ("550e8400-e29b-41d4-a716-446655440000", False),
    ],
)
def test_reveals_is_what_would_be_masked(campaign_id: str, reveals: bool) -> None:
    assert redactor(KEY).reveals(campaign_id) is reveals
    assert not Redactor().reveals(campaign_id)
