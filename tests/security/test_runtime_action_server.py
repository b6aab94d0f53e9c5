"""The action server answers only Rasa: a forged call saves nothing, and no error echoes a
request. Against the production servers, started as `make run` starts them."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.referrals import REFERRALS
from tests.security.conftest import Running, http

pytestmark = pytest.mark.e2e

SECRET_HEADER = "X-HRD-Action-Secret"


def forged_submit(sender: str, marker: str) -> dict:
    """What an attacker on the network sent to save a case under any organization and user."""
    slots = {
        **REFERRALS[0].expected, "partner_case_reference": f"REF-{marker}",
        "family_members": 20, "summary_confirmed": True, "partner_org": "front_line_defenders",
        "intake_id": f"intake-{marker}", "language": "en",
        "session_started_metadata": {"hrd_auth": {"partner_org": "front_line_defenders",
                                                  "user_id": 2}},
    }
    return {
        "next_action": "action_submit_referral",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {"sender_id": sender, "slots": slots, "latest_message": {"text": "yes"},
                    "events": [], "paused": False, "followup_action": None,
                    "active_loop": {}, "latest_action_name": "action_listen"},
    }


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: "x" * 64},
                                     {"Authorization": "Bearer " + "x" * 64}])
def test_a_forged_action_call_is_refused_and_saves_nothing(production: Running,
                                                           headers: dict[str, str]) -> None:
    marker = uuid.uuid4().hex
    before = production.count("cases")
    answer = http(f"{production.action_base}/webhook", forged_submit(f"forged-{marker}", marker),
                  headers)
    assert answer.status == 401, answer
    assert marker.encode() not in answer.body
    assert production.count("cases") == before
    assert marker not in production.log_text()


def test_every_route_but_health_needs_the_secret(production: Running) -> None:
    assert http(f"{production.action_base}/actions").status == 401
    assert http(f"{production.action_base}/health").json == {"status": "ok"}
    secret = {SECRET_HEADER: production.assistant.action_secret}
    assert http(f"{production.action_base}/actions", headers=secret).status == 200


def test_an_error_never_echoes_the_request(production: Running) -> None:
    """rasa_sdk answered {"request_body": <the whole tracker>} to any exception; Rasa logs it."""
    marker = uuid.uuid4().hex
    call = forged_submit(f"broken-{marker}", marker)
    del call["tracker"]["sender_id"]  # rasa_sdk's Tracker.from_dict raises a KeyError
    answer = http(f"{production.action_base}/webhook", call,
                  {SECRET_HEADER: production.assistant.action_secret})
    assert answer.status == 500
    assert answer.json == {"error": "internal_error"}
    assert marker not in production.log_text()
    bad_json = http(f"{production.action_base}/webhook", f'{{"{marker}": '.encode(),
                    {SECRET_HEADER: production.assistant.action_secret})
    assert bad_json.status == 400 and marker.encode() not in bad_json.body
