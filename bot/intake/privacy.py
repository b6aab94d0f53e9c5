"""What the assistant says about the referral's data (issue 20): who sees it, where and how it
is kept, for how long, how to withdraw it. Built from the deployment's real settings (a small
view the action fills from bot.config), never from fixed text that could drift from them;
the words are the domain's responses, the facts are their values. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.intake.repair import PRIVACY_TOPICS

Message = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class PrivacySettings:
    """The facts the answers rest on, read by the action from the settings."""

    database_url: str  # where cases and transcripts are (DATABASE_URL or the SQLite default)
    key_from_setting: bool  # HRD_DATA_KEY (True) or the key file in HRD_KEY_DIR/HRD_DATA_DIR
    retention_days: int | None  # what the daily `hrd purge --older-than` applies
    contact: str | None  # the program's contact route for partners (HRD_HANDOFF_CONTACT)
    organization: str  # the caseworker's organization, from the authenticated channel


def storage_location(database_url: str) -> tuple[str, str]:
    """("sqlite", the database file's directory) or ("postgresql", the server's host),
    never a user name or password."""
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        path = database_url.split(":///", 1)[-1]
        return "sqlite", path.rsplit("/", 1)[0] if "/" in path else path
    return "postgresql", parts.hostname or "localhost"


def privacy_messages(view: PrivacySettings, topics: Iterable[str] = PRIVACY_TOPICS
                     ) -> list[Message]:
    """The responses answering `topics` (some of PRIVACY_TOPICS), in that order."""
    asked = set(topics) or set(PRIVACY_TOPICS)
    messages: list[Message] = []
    if "who" in asked:
        messages.append(("utter_privacy_who", {"organization": view.organization}))
    if "storage" in asked:
        kind, location = storage_location(view.database_url)
        messages.append((f"utter_privacy_storage_{kind}", {"location": location}))
        messages.append(("utter_privacy_key_setting" if view.key_from_setting
                         else "utter_privacy_key_file", {}))
    if "retention" in asked:
        if view.retention_days:
            messages.append(("utter_privacy_retention_days", {"days": view.retention_days}))
        else:
            messages.append(("utter_privacy_retention_unset", {}))
    if "withdraw" in asked:
        if view.contact:
            messages.append(("utter_privacy_withdraw", {"contact": view.contact}))
        else:
            messages.append(("utter_privacy_withdraw_no_contact", {}))
    return messages
