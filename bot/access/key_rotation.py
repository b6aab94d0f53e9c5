"""Access's step of `hrd keys rotate`: TOTP secrets, encrypted per user (passwords.py),
re-encrypted under the keyring's current key. bot.store.rotation re-encrypts the store's
own data; the command (bot.cli.keys) passes ROTATION_STEPS in, so that a rotation that
retires the old key does not leave every account unable to sign in."""

from __future__ import annotations

from bot.access.passwords import totp_label
from bot.access.repository import Users
from bot.store import crypto
from bot.store.rotation import ReencryptStep, reencrypted
from bot.store.unit_of_work import unit_of_work


def reencrypt_totp_secrets(keyring: crypto.Keyring) -> int:
    """How many secrets were under an old key (now under the current one)."""
    changed = 0
    with unit_of_work() as uow:
        users = uow.repository(Users)
        for row in users.enrolled_totp_secrets():
            secret = reencrypted(keyring, row.totp_secret, totp_label(row.id))
            if secret is not None:
                users.set_totp_secret(row.id, secret)
                changed += 1
    return changed


ROTATION_STEPS: tuple[ReencryptStep, ...] = (reencrypt_totp_secrets,)
