"""What a person reads instead of an id: organizations by name, people by e-mail, rules by
a short title (the id in small print), policy versions by a name and the date they took
effect, conversations as "Conversation #4777" on every screen (the audit trail's
conversation keys included). Stored values, the case API and the audit rows keep the ids.

Organizations and people are read from the database and kept for a few seconds per
process (every page names them)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from bot.access.models import User
from bot.console.i18n.catalog import N_, translator
from bot.console.i18n.formats import local_date
from bot.rules import PolicyError, policy_by_id
from bot.store.models import Organization, TrackerEvent
from bot.store.unit_of_work import Repository, unit_of_work

CACHE_SECONDS = 10.0

# Short titles of the rules (bot/rules/engine.py), for a person; the id stays beside them.
RULE_TITLES: dict[str, str] = {
    "E1": N_("Outside their country"),
    "E2": N_("Fled persecution for their work"),
    "E3": N_("Human rights defender"),
    "E4": N_("No durable solution"),
    "E5": N_("Wants resettlement in Canada"),
    "E6": N_("Refugee status"),
    "E7": N_("No disqualifying charges"),
    "E8": N_("Consent to share"),
    "U1": N_("Immediate threat"),
}

# Names of the policy versions (bot/rules/policies/*.yml).
POLICY_NAMES: dict[str, str] = {
    "2021-launch": N_("Stream launch"),
    "2023-direct-referrals": N_("Direct referrals by partners"),
    "2023-doubled": N_("Doubled cap"),
}


class Directory(Repository):
    def organizations(self) -> dict[str, str]:
        return {str(i): str(n) for i, n in self.session.execute(
            sa.select(Organization.id, Organization.display_name))}

    def people(self) -> dict[int, str]:
        return {int(i): str(e) for i, e in self.session.execute(sa.select(User.id, User.email))}

    def conversation_keys(self) -> dict[str, int]:
        """Audit key ("conversation:<hash>") -> conversation number (first event id)."""
        rows = self.session.execute(sa.select(TrackerEvent.sender_id,
                                              sa.func.min(TrackerEvent.id))
                                    .group_by(TrackerEvent.sender_id))
        return {conversation_key(sender): int(first) for sender, first in rows}


def conversation_key(sender_id: str) -> str:
    """As bot.console.web.audit names a conversation (kept equal by a test)."""
    return "conversation:" + hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:16]


class _Cached:
    def __init__(self, read: Callable[[Directory], Any]) -> None:
        self._read = read
        self._value: Any = None
        self._at = -1e9
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if time.monotonic() - self._at > CACHE_SECONDS:
                with unit_of_work() as uow:
                    self._value = self._read(uow.repository(Directory))
                self._at = time.monotonic()
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._at = -1e9


_organizations = _Cached(Directory.organizations)
_people = _Cached(Directory.people)


def organizations() -> dict[str, str]:
    """Organization id -> name."""
    return dict(_organizations.get())


def people() -> dict[int, str]:
    """User id -> e-mail address."""
    return dict(_people.get())


def organization_name(org_id: str | None) -> str:
    if not org_id:
        return "–"
    return _organizations.get().get(org_id) or org_id


def person_name(user_id: int | None) -> str:
    if user_id is None:
        return "–"
    return _people.get().get(int(user_id)) or f"#{user_id}"


def actor_name(actor: str) -> str:
    """An audit actor ("user:5", "api:unhcr", "system") as a person reads it."""
    kind, _, rest = actor.partition(":")
    if kind == "user" and rest.isdigit():
        return person_name(int(rest))
    if kind in ("partner", "api", "org") and rest:
        return organization_name(rest)
    return actor


def conversation_numbers() -> dict[str, int]:
    with unit_of_work() as uow:
        return uow.repository(Directory).conversation_keys()


def rule_title(rule_id: str, language: str) -> str:
    title = RULE_TITLES.get(rule_id)
    return translator(language)(title) if title else rule_id


def policy_label(version: str, language: str) -> str:
    """"Doubled cap (in force from Jan 1, 2023)"."""
    gettext = translator(language)
    try:
        policy = policy_by_id(version)
    except (PolicyError, KeyError, LookupError):
        return version
    name = gettext(POLICY_NAMES[version]) if version in POLICY_NAMES else version
    return gettext("{name} (in force from {date})", name=name,
                   date=local_date(policy.effective_from, language))


def template_names(language: str) -> dict[str, Any]:
    """The names every template may use (bot.console.web.rendering adds them)."""
    return {"org_name": organization_name, "person": person_name, "actor_name": actor_name,
            "org_options": lambda ids: [(i, organization_name(i)) for i in ids],
            "rule_title": lambda rule_id: rule_title(rule_id, language),
            "policy_label": lambda version: policy_label(version, language),
            "next_steps": lambda case: _next_steps(case, language)}


def _next_steps(case: Any, language: str) -> list[str]:
    from bot.console.partner.case_list import next_steps  # the partner pages' own words

    return next_steps(case, language)
