"""No unauthenticated channel in production, and the development one trusts nothing but the
text: forged metadata chooses neither the organization nor the user."""

from __future__ import annotations

import re
import sqlite3
import uuid
from types import SimpleNamespace

import pytest

from bot.channels.dev_rest import is_local
from tests.access.cli import new_token
from tests.e2e.referrals import REFERRALS
from tests.security.conftest import Running, http, listeners

pytestmark = pytest.mark.e2e

REST = "/webhooks/rest/webhook"
FORGED = {"hrd_auth": {"partner_org": "front_line_defenders", "user_id": 2, "role": "admin"}}


def _say(running: Running, sender: str, message: str, **extra: object) -> list[dict]:
    answer = http(running.assistant.base + REST, {"sender": sender, "message": message,
                                                  "metadata": FORGED, **extra})
    assert answer.status == 200, answer
    return answer.json


def test_forged_metadata_on_the_dev_channel_chooses_nothing(development: Running) -> None:
    """A whole intake sent with {"hrd_auth": ...} metadata is saved for HRD_DEV_PARTNER_ORG,
    by no user, and the forged metadata is stored nowhere."""
    referral = REFERRALS[0]
    sender = f"spoof-{uuid.uuid4().hex}"
    _say(development, sender, referral.opener, input_channel="partner")
    for answer in referral.answers:
        _say(development, sender, answer, input_channel="partner")
    replies = _say(development, sender, "yes")
    reference = re.search(r"HRD-\d{4}-\d{5}", str(replies))
    assert reference, replies

    tracker = development.assistant.tracker(sender)
    assert tracker["slots"]["partner_org"] != "front_line_defenders"
    for event in tracker["events"]:
        if event["event"] == "user":
            assert "hrd_auth" not in (event.get("metadata") or {}), event
            assert event["input_channel"] == "rest"
    with sqlite3.connect(development.database) as db:
        org, created_by = db.execute("SELECT partner_org, created_by FROM cases "
                                     "WHERE reference = ?", (reference.group(),)).fetchone()
    assert (org, created_by) == ("unhcr", None)


def test_the_dev_channel_refuses_what_came_through_a_proxy(development: Running) -> None:
    sender = f"proxied-{uuid.uuid4().hex}"
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        answer = http(development.assistant.base + REST, {"sender": sender, "message": "hi"},
                      {header: "203.0.113.9"})
        assert answer.status == 403, answer
    assert not [e for e in development.assistant.tracker(sender)["events"]
                if e["event"] == "user"]


def test_the_dev_channel_cannot_continue_a_partners_conversation(development: Running) -> None:
    token = new_token("--role", "partner", "--org", "unhcr",
                      f"{uuid.uuid4().hex[:8]}@unhcr.org", env=development.assistant.env)
    sender = f"owned-{uuid.uuid4().hex}"
    base = development.assistant.base
    assert http(f"{base}/webhooks/partner/webhook", {"sender": sender, "message": "hello"},
                {"Authorization": f"Bearer {token}"}).status == 200
    answer = http(base + REST, {"sender": sender, "message": "continue"})
    assert answer.status == 403 and answer.json["error"] == "sender_taken"


def test_production_has_no_unauthenticated_channel(production: Running) -> None:
    sender = f"rest-{uuid.uuid4().hex}"
    answer = http(production.assistant.base + REST,
                  {"sender": sender, "message": "I want to refer a defender", "metadata": FORGED})
    assert answer.status == 404
    assert not [e for e in production.assistant.tracker(sender)["events"]
                if e["event"] == "user"]


@pytest.mark.parametrize("mode", ["production", "development"])
def test_both_modes_listen_on_loopback_only(request: pytest.FixtureRequest, mode: str) -> None:
    running: Running = request.getfixturevalue(mode)
    found = listeners([process.pid for process in running.assistant.processes])
    assert {f"127.0.0.1:{running.assistant.rasa_port}",
            f"127.0.0.1:{running.assistant.action_port}"} == set(found), found


@pytest.mark.parametrize(("peer", "headers", "local"), [
    ("127.0.0.1", {}, True),
    ("::1", {}, True),
    ("127.0.0.1", {"x-forwarded-for": "198.51.100.7"}, False),
    ("192.0.2.10", {}, False),
    ("10.1.2.3", {}, False),
    ("", {}, False),
])
def test_only_a_client_on_this_machine_is_local(peer: str, headers: dict[str, str],
                                                local: bool) -> None:
    assert is_local(SimpleNamespace(ip=peer, headers=headers)) is local  # type: ignore[arg-type]
