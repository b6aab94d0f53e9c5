"""Checking a sign-in: password (argon2), then a TOTP code, for every role: partner staff
read their organization's threat descriptions, supervisors and admins every case. An
account without enrolled codes cannot sign in, and is answered exactly like a wrong
password (a distinct answer would confirm the password). Synchronous (database, argon2):
run it in a thread."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.access.passwords import decrypt_totp_secret, verify_password, verify_totp
from bot.access.repository import Users
from bot.store.unit_of_work import unit_of_work

MAX_EMAIL = 254


class Outcome(enum.Enum):
    OK = "ok"
    # Unknown e-mail, wrong password, wrong or missing code: one answer to the client.
    WRONG = "wrong"
    # Right password, no codes enrolled: the same answer; only the log tells the operator.
    TOTP_NOT_ENROLLED = "totp_not_enrolled"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    user_id: int | None = None
    role: str | None = None


def check_sign_in(email: str, password: str, code: str) -> SignInResult:
    email = email.strip().lower()[:MAX_EMAIL]
    with unit_of_work() as uow:
        user = uow.repository(Users).unrevoked_by_email(email)
        stored = user.password_hash if user else None
        user_id, role, secret_blob = (user.id, user.role, user.totp_secret) if user else (
            None, None, None)
    # Verified even for an unknown user (against a dummy hash): same time either way.
    if not verify_password(stored, password) or user_id is None:
        return SignInResult(Outcome.WRONG)
    if secret_blob is None:
        return SignInResult(Outcome.TOTP_NOT_ENROLLED, user_id, role)
    if not verify_totp(user_id, decrypt_totp_secret(user_id, secret_blob), code):
        return SignInResult(Outcome.WRONG)
    return SignInResult(Outcome.OK, user_id, role)
