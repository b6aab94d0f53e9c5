"""The chat page's history: kinds and progress from the stored bot messages' response names."""

from __future__ import annotations

from bot.console.partner.chat_view import chat_view
from bot.console.review.transcripts import chat_messages

EVENTS = [
    {"event": "user", "text": "Start a referral", "timestamp": 1.0},
    {"event": "bot", "text": "What is your reference?", "timestamp": 2.0,
     "metadata": {"utter_action": "utter_ask_partner_case_reference"}},
    {"event": "user", "text": "X-1", "timestamp": 3.0},
    {"event": "bot", "text": "Consent?", "timestamp": 4.0,
     "data": {"buttons": [{"title": "Yes", "payload": "yes"}]},
     "metadata": {"utter_action": "utter_ask_consent_to_share"}},
    {"event": "user", "text": "yes", "timestamp": 5.0},
    {"event": "bot", "text": "Sorry, I didn't understand that.", "timestamp": 6.0,
     "metadata": {"utter_action": "utter_not_understood"}},
    {"event": "bot", "text": "", "timestamp": 7.0},  # not shown
]


def test_kinds_progress_and_titles() -> None:
    view = chat_view(EVENTS, chat_messages(EVENTS))
    assert [m.kind for m in view.messages] == ["", "", "", "", "", "not_understood"]
    assert [m.text for m in view.messages if m.who == "user"] == [
        "Start a referral", "X-1", "Yes"]  # the button's title, not its payload
    assert view.progress is not None and view.progress.number == 2
