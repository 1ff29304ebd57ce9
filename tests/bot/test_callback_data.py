"""Callback payloads: compact, versioned, within 64 bytes; anything else is rejected."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import CallbackDataError, decode, encode


def test_round_trip() -> None:
    payload = decode(encode("fb", 123456789, "+"))
    assert (payload.action, payload.args, payload.int_arg(0)) == (
        "fb",
        ("123456789", "+"),
        123456789,
    )


@pytest.mark.parametrize(
    "data", ["", "2|fb|1|+", "1|drop|1", "1", "x" * 65, "1|src|" + "9" * 70, "tian:s:1:1"]
)
def test_forged_or_foreign_data_is_rejected(data: str) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


def test_encode_refuses_oversized_and_separator() -> None:
    with pytest.raises(CallbackDataError):
        encode("src", "1" * 70)
    with pytest.raises(CallbackDataError):
        encode("src", "1|2")


def test_non_integer_id_is_a_callback_error() -> None:
    with pytest.raises(CallbackDataError):
        decode("1|src|abc").int_arg(0)


@given(st.text(max_size=80))
def test_decode_never_raises_anything_else(data: str) -> None:
    with contextlib.suppress(CallbackDataError):
        decode(data)
