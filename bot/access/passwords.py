"""Sign-in secrets: passwords (argon2id) and TOTP secrets (encrypted at rest with
bot.store.crypto), each code good once; setting a password and enrolling codes for an
account (`hrd users password|totp`)."""

from __future__ import annotations

import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.access.accounts import AccessError, UnknownUser
from bot.access.models import User
from bot.access.repository import TotpSteps, Users
from bot.access.sessions import end_user_sessions
from bot.store import crypto
from bot.store.unit_of_work import UnitOfWork, unit_of_work

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # argon2 hashes anything, but a megabyte "password" is a DoS
TOTP_ISSUER = "HRD referral console"
TOTP_PERIOD = 30

_hasher = PasswordHasher()  # argon2id with the library's current parameters
# Compared against when the e-mail is unknown, so both paths cost one argon2 verify.
_DUMMY_HASH = _hasher.hash("not a password: unknown user")


class WeakPassword(ValueError):
    pass


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise WeakPassword(f"the password must have at most {MAX_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    check_password_policy(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def totp_label(user_id: int) -> str:
    """Associated data: a secret copied to another user's row does not decrypt."""
    return f"user:{user_id}:totp"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def encrypt_totp_secret(user_id: int, secret: str) -> bytes:
    return crypto.encrypt(secret.encode("ascii"), totp_label(user_id))


def decrypt_totp_secret(user_id: int, blob: bytes) -> str:
    return crypto.decrypt(blob, totp_label(user_id)).decode("ascii")


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=TOTP_PERIOD).provisioning_uri(
        name=email, issuer_name=TOTP_ISSUER)


def verify_totp(user_id: int, secret: str, code: str, now: float | None = None) -> bool:
    """The code of this step or a neighbouring one (clock drift), used at most once."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret, interval=TOTP_PERIOD)
    step = int(now // TOTP_PERIOD)
    for candidate in (step, step - 1, step + 1):
        if totp.verify(code, for_time=candidate * TOTP_PERIOD):
            return _consume_step(user_id, candidate)
    return False


def _consume_step(user_id: int, step: int) -> bool:
    """Record `step` as used unless this or a later step was already used (replay)."""
    with unit_of_work() as uow:
        return uow.repository(TotpSteps).consume(user_id, step)


def set_password(email: str, password: str) -> int:
    """Store the argon2 hash of a new password; returns the user id. Existing console
    sessions of the user end (a password change is often a response to a compromise)."""
    hashed = hash_password(password)
    with unit_of_work() as uow:
        user = _active_user(uow, email)
        user.password_hash = hashed
        user_id = user.id
    end_user_sessions(user_id)
    return user_id


def enrol_totp(email: str) -> tuple[int, str, str]:
    """A new TOTP secret for the user (replacing any earlier one): (user id, secret, URI)."""
    secret = new_totp_secret()
    with unit_of_work() as uow:
        user = _active_user(uow, email)
        user.totp_secret = encrypt_totp_secret(user.id, secret)
        user_id, address = user.id, user.email
        uow.repository(TotpSteps).forget(user_id)
    return user_id, secret, provisioning_uri(secret, address)


def _active_user(uow: UnitOfWork, email: str) -> User:
    user = uow.repository(Users).by_email(email.strip().lower())
    if user is None:
        raise UnknownUser("no user with this e-mail address")
    if user.revoked_at is not None:
        raise AccessError("this user is revoked")
    return user
