"""Replies to a read-back: yes, no, a pick, or a fresh answer."""

from __future__ import annotations

import pytest

from bot.intake.readback import ACCEPT, REJECT, UNCLEAR, resolve, with_readback

FLED = {"slot": "fled_persecution", "choices": [False]}
PICK = {"slot": "hrd_activity", "choices": ["journalism_media", "environmental_land_rights"]}


@pytest.mark.parametrize(
    ("readback", "text", "expected"),
    [
        (FLED, "yes", (ACCEPT, False)),
        (FLED, "oui c'est exact", (ACCEPT, False)),
        (FLED, "no", (REJECT, None)),
        (FLED, "non", (REJECT, None)),
        (FLED, "no, he fled because of the threats against him", (ACCEPT, True)),
        (PICK, "2", (ACCEPT, "environmental_land_rights")),
        (PICK, "journalism", (ACCEPT, "journalism_media")),
        (PICK, "yes", (UNCLEAR, None)),
        (PICK, "7", (UNCLEAR, None)),
        (PICK, "no", (REJECT, None)),
    ],
)
def test_resolve(readback, text, expected) -> None:
    assert resolve(readback, text) == expected


def test_the_read_back_is_asked_just_before_its_question() -> None:
    assert with_readback(["a", "fled_persecution", "b"], FLED) == [
        "a", "confirm_fled_persecution", "fled_persecution", "b"
    ]
    assert with_readback(["a"], None) == ["a"]
