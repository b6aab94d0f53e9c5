"""No personal data in any log at the default log level, after a whole conversation."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.referrals import REFERRALS
from tests.support.servers import Assistant

pytestmark = pytest.mark.e2e


def test_a_whole_referral_leaves_no_answer_in_the_logs(assistant: Assistant) -> None:
    referral = next(r for r in REFERRALS if r.expected["immediate_threat"])
    marker = f"Zorblax{uuid.uuid4().hex[:8]}"
    answers = list(referral.answers)
    answers[0] = f"REF-{marker}"  # the partner's reference
    threat_index = 10  # the threat description follows the immediate-threat question
    answers[threat_index] = f"{answers[threat_index]} near the {marker} market"
    sender = f"e2e-logs-{uuid.uuid4().hex}"
    assistant.say(sender, "I want to refer a defender")
    for answer in answers:
        assistant.say(sender, answer)
    replies = assistant.say(sender, "yes")
    assert re.search(r"HRD-\d{4}-\d{5}", str(replies)), replies

    logs = {path.name: path.read_text(errors="replace") for path in assistant.logs}
    assert logs, "the servers wrote no logs"
    secrets = [marker, *(a for a in answers[1:] if len(a) > 12)]
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {name}"
