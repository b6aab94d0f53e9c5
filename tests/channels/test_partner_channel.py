"""The partner channel on the real Rasa server: authentication, sender ownership, request
validation and the failed-authentication limit."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.access import sender_owner
from bot.access.models import ApiToken, User
from bot.store.db import session_scope
from bot.store.models import utcnow
from tests.access.cli import hrd, new_token
from tests.channels.conftest import MAX_FAILURES, Partners, new_sender
from tests.console.support import Reply, random_client
from tests.support.servers import reply_texts

pytestmark = pytest.mark.e2e


def _json_error(reply: Reply, status: int, error: str | None = None) -> None:
    assert reply.status == status, (reply.status, reply.raw[:300])
    body = reply.json
    assert set(body) == {"error", "message"}
    assert error is None or body["error"] == error, body
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def _user_texts(partners: Partners, sender: str) -> list[str]:
    events = partners.assistant.tracker(sender)["events"]
    return [e.get("text") for e in events if e["event"] == "user"]


def test_partner_chats_as_their_organization(partners: Partners) -> None:
    sender = new_sender()
    replies = partners.say("unhcr", sender, "hello")
    assert replies and all(r["recipient_id"] == sender for r in replies)
    assert reply_texts(replies)
    tracker = partners.assistant.tracker(sender)
    assert tracker["sender_id"] == sender
    assert tracker["slots"]["partner_org"] == "unhcr"
    user_events = [e for e in tracker["events"] if e["event"] == "user"]
    assert user_events[-1]["input_channel"] == "partner"
    assert user_events[-1]["metadata"]["hrd_auth"]["partner_org"] == "unhcr"


def test_client_metadata_cannot_choose_the_organization(partners: Partners) -> None:
    sender = new_sender()
    reply = partners.post({"sender": sender, "message": "I want to refer a defender",
                           "metadata": {"hrd_auth": {"partner_org": "unhcr", "role": "admin"}},
                           "input_channel": "rest"}, partners.tokens["ngo"])
    assert reply.status == 200
    assert "not a designated referral partner" in reply_texts(reply.json)
    tracker = partners.assistant.tracker(sender)
    assert tracker["slots"]["partner_org"] == "ngo_kampala"
    metadata = [e["metadata"] for e in tracker["events"] if e["event"] == "user"]
    assert metadata
    for m in metadata:
        # Rasa adds its own model_id and assistant_id; nothing of the client's gets through.
        assert set(m) <= {"hrd_auth", "model_id", "assistant_id"}, m
        assert m["hrd_auth"]["partner_org"] == "ngo_kampala"
        assert m["hrd_auth"]["role"] == "partner"


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer hrd_wrongwrongwrongwrongwrongwrongwrongwrongwro",
    "Basic dXNlcjpwYXNz", "Bearer ' OR 1=1 --", "bearer\x7f",
])
def test_missing_malformed_or_wrong_token_is_401_and_nothing_processed(
    partners: Partners, authorization: str | None
) -> None:
    sender = new_sender()
    headers = {} if authorization is None else {"Authorization": authorization}
    reply = partners.post({"sender": sender, "message": "hello"}, headers=headers)
    _json_error(reply, 401, "unauthorized")
    assert _user_texts(partners, sender) == []
    assert sender_owner(sender) is None


def test_revoked_and_expired_tokens_are_401(partners: Partners) -> None:
    revoked = new_token("--role", "partner", "--org", "unhcr", "revoked@unhcr.org")
    expired = new_token("--role", "partner", "--org", "unhcr", "--expires-in-days", "1",
                        "expired@unhcr.org")
    for token in (revoked, expired):
        assert partners.post({"sender": new_sender(), "message": "hi"}, token).status == 200
    assert hrd("users", "revoke", "revoked@unhcr.org").returncode == 0
    with session_scope() as session:
        # Only this user's: the supervisors' and admins' tokens always have an expiry too.
        expired_user = session.execute(
            sa.select(User.id).where(User.email == "expired@unhcr.org")).scalar_one()
        session.execute(sa.update(ApiToken).where(ApiToken.user_id == expired_user)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    for token in (revoked, expired):
        sender = new_sender()
        _json_error(partners.post({"sender": sender, "message": "hi"}, token), 401)
        assert _user_texts(partners, sender) == []


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_only_partner_staff_may_chat(partners: Partners, role: str) -> None:
    sender = new_sender()
    _json_error(partners.post({"sender": sender, "message": "hi"}, partners.tokens[role]),
                403, "forbidden")
    assert _user_texts(partners, sender) == []


def test_hijacked_sender_is_403(partners: Partners) -> None:
    sender = new_sender()
    partners.say("unhcr", sender, "hello")
    before = _user_texts(partners, sender)
    for thief in ("unhcr2", "fld", "ngo"):
        reply = partners.post({"sender": sender, "message": "show me the summary"},
                              partners.tokens[thief])
        _json_error(reply, 403, "sender_taken")
    assert _user_texts(partners, sender) == before
    assert partners.say("unhcr", sender, "hello again")  # the owner carries on


def test_repeated_failed_authentication_is_429(partners: Partners) -> None:
    client = random_client()
    body = {"sender": new_sender(), "message": "hi"}
    for _ in range(MAX_FAILURES):
        assert partners.post(body, "hrd_guess", client=client).status == 401
    _json_error(partners.post(body, "hrd_guess", client=client), 429, "too_many_attempts")
    _json_error(partners.post(body, partners.tokens["unhcr"], client=client), 429)
    assert _user_texts(partners, body["sender"]) == []
    assert partners.post(body, partners.tokens["unhcr"]).status == 200  # another client


def test_body_over_the_limit_is_413(partners: Partners) -> None:
    body = {"sender": new_sender(), "message": "x" * 20_000}
    _json_error(partners.post(body, partners.tokens["unhcr"]), 413, "body_too_large")
    assert _user_texts(partners, body["sender"]) == []


@pytest.mark.parametrize("raw", [
    b'{"sender": "s", "message": ', b"", b"\xff\xfe\x00garbage\x80\x81", os.urandom(4096),
    b"[1, 2, 3]", b'"just a string"', b"null", b"{" * 5000 + b"}" * 5000,
])
def test_malformed_or_binary_body_is_400(partners: Partners, raw: bytes) -> None:
    _json_error(partners.post(raw, partners.tokens["unhcr"]), 400, "malformed_json")


@pytest.mark.parametrize(("body", "error"), [
    ({"message": "hi"}, "missing_sender"),
    ({"sender": "s-1"}, "missing_message"),
    ({"sender": "s-1", "message": ""}, "missing_message"),
    ({"sender": "s-1", "message": "   "}, "missing_message"),
    ({"sender": "", "message": "hi"}, "invalid_sender"),
    ({"sender": 12, "message": "hi"}, "invalid_sender"),
    ({"sender": "s-1", "message": ["hi"]}, "invalid_message"),
    ({"sender": "s-1", "message": {"text": "hi"}}, "invalid_message"),
    ({"sender": "a\nb", "message": "hi"}, "invalid_sender"),
    ({"sender": "x" * 256, "message": "hi"}, "invalid_sender"),
    ({"sender": "s-1", "message": "x" * 10_000}, "message_too_long"),
    ({"sender": "s-1", "message": "hi\x00there"}, "invalid_message"),
])
def test_invalid_fields_are_422(partners: Partners, body: dict, error: str) -> None:
    _json_error(partners.post(body, partners.tokens["unhcr"]), 422, error)


def test_lone_surrogate_is_422(partners: Partners) -> None:
    raw = b'{"sender": "s-2", "message": "\\ud800 hello"}'
    _json_error(partners.post(raw, partners.tokens["unhcr"]), 422, "invalid_message")


def test_message_at_the_limit_is_accepted(partners: Partners) -> None:
    replies = partners.say("unhcr", new_sender(), "hello " + "a" * 3990)
    assert isinstance(replies, list)


def test_rasa_http_api_needs_its_token(partners: Partners) -> None:
    base = partners.assistant.base
    sender = new_sender()
    partners.say("unhcr", sender, "hello")
    for suffix in ("", "?token=wrong", "?token=hrd_" + partners.tokens["unhcr"][4:]):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/conversations/{sender}/tracker{suffix}", timeout=30)
        assert refused.value.code in (401, 403)
    tracker = partners.assistant.tracker(sender)  # the operator's token works
    assert tracker["sender_id"] == sender
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/conversations/{sender}/tracker/events?token=wrong",
            json.dumps({"event": "slot", "name": "partner_org", "value": "unhcr"}).encode(),
            {"Content-Type": "application/json"}), timeout=30)
    assert refused.value.code in (401, 403)


def _keyed(partners: Partners, sender: str, message: str, key: str,
           role: str = "unhcr") -> Reply:
    return partners.post({"sender": sender, "message": message}, partners.tokens[role],
                         headers={"Idempotency-Key": key})


def test_a_resent_message_with_its_idempotency_key_gets_the_first_answer(
        partners: Partners) -> None:
    """A client whose connection dropped resends: the resend is not a second turn (a second
    "yes" would answer the next question), and it gets the answer it missed."""
    sender = new_sender()
    first = _keyed(partners, sender, "I want to refer a defender", "msg-1")
    assert first.status == 200 and reply_texts(first.json)
    assert "Idempotent-Replayed" not in first.headers
    second = _keyed(partners, sender, "yes", "msg-2")
    assert second.status == 200
    turns = _user_texts(partners, sender)
    resent = _keyed(partners, sender, "yes", "msg-2")
    assert resent.status == 200 and resent.json == second.json
    assert resent.headers["Idempotent-Replayed"] == "true"
    assert _user_texts(partners, sender) == turns  # no second turn
    # The same key for another message is refused, and nothing of it is taken.
    _json_error(_keyed(partners, sender, "no", "msg-2"), 422, "idempotency_key_reused")
    assert _user_texts(partners, sender) == turns
    # Without the header a message is a new turn, as before.
    partners.say("unhcr", sender, "yes")
    assert len(_user_texts(partners, sender)) == len(turns) + 1


def test_simultaneous_resends_make_one_turn(partners: Partners) -> None:
    sender = new_sender()
    partners.say("unhcr", sender, "hello")
    turns = len(_user_texts(partners, sender))
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(
            lambda _: _keyed(partners, sender, "I want to refer a defender", "same"), range(4)))
    answered = [r for r in replies if r.status == 200]
    assert answered and all(r.json == answered[0].json for r in answered)
    for reply in replies:
        if reply.status != 200:  # the first was still running: retry shortly
            _json_error(reply, 409, "in_progress")
            assert reply.headers["Retry-After"].isdigit()
    assert len(_user_texts(partners, sender)) == turns + 1
    again = _keyed(partners, sender, "I want to refer a defender", "same")
    assert again.status == 200 and again.json == answered[0].json


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "caf\u00e9"],
                         ids=["empty", "too long", "a space", "not ASCII"])
def test_a_malformed_idempotency_key_is_400_and_nothing_processed(
        partners: Partners, key: str) -> None:
    sender = new_sender()
    raw = json.dumps({"sender": sender, "message": "hello"}).encode()
    request = urllib.request.Request(
        partners.assistant.base + "/webhooks/partner/webhook", raw,
        {"Content-Type": "application/json",
         "Authorization": f"Bearer {partners.tokens['unhcr']}",
         "Idempotency-Key": key.encode("utf-8").decode("latin-1")})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            reply = Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        reply = Reply(error.code, error.headers, error.read())
    _json_error(reply, 400, "invalid_idempotency_key")
    assert not _user_texts(partners, sender)
