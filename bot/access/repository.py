"""The access tables, read and written only here: one repository per table group, used
inside `bot.store.unit_of_work()` (the transaction is the caller's block).

The statements are the ones the access modules wrote before they had repositories: the same
locking (upserts that take the row's lock until commit), the same conditions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.access.models import (
    ApiToken,
    AuthAttempt,
    ChannelAccount,
    ConsoleSession,
    SenderOwner,
    TotpLastStep,
    User,
)
from bot.store.models import Case, Organization, TrackerEvent, utcnow
from bot.store.unit_of_work import Repository


class Organizations(Repository):
    def get(self, org_id: str) -> Organization | None:
        return self.session.get(Organization, org_id)

    def add(self, org_id: str, display_name: str) -> Organization:
        org = Organization(id=org_id, display_name=display_name, created_at=utcnow())
        self.session.add(org)
        return org

    def all(self) -> list[Organization]:
        return list(self.session.execute(
            sa.select(Organization).order_by(Organization.id)).scalars())


class Users(Repository):
    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.execute(
            sa.select(User).where(User.email == email)).scalar_one_or_none()

    def unrevoked_by_email(self, email: str) -> User | None:
        return self.session.execute(
            sa.select(User).where(User.email == email, User.revoked_at.is_(None))
        ).scalar_one_or_none()

    def email_taken(self, email: str) -> bool:
        return self.session.execute(sa.select(User.id).where(User.email == email)).first() \
            is not None

    def add(self, email: str, role: str, org_id: str | None, language: str | None) -> User:
        user = User(email=email, role=role, org_id=org_id, created_at=utcnow(),
                    language=language)
        self.session.add(user)
        self.session.flush()  # the id, for the first token
        return user

    def set_language(self, user_id: int, language: str) -> None:
        self.session.execute(sa.update(User).where(User.id == user_id)
                             .values(language=language))

    def with_active_token_counts(self, now: datetime) -> list[tuple[User, int]]:
        active = (
            sa.select(sa.func.count(ApiToken.id))
            .where(
                ApiToken.user_id == User.id,
                ApiToken.revoked_at.is_(None),
                sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
            )
            .scalar_subquery()
        )
        return [(user, count) for user, count in
                self.session.execute(sa.select(User, active).order_by(User.id)).all()]

    def standing(self, user_id: int) -> sa.engine.Row | None:
        """(revoked_at, org_id, role) of a user, without loading the row."""
        return self.session.execute(sa.select(User.revoked_at, User.org_id, User.role)
                                    .where(User.id == user_id)).one_or_none()

    def enrolled_totp_secrets(self) -> list[sa.engine.Row]:
        return self.session.execute(sa.select(User.id, User.totp_secret)
                                    .where(User.totp_secret.is_not(None))).all()

    def set_totp_secret(self, user_id: int, secret: bytes) -> None:
        self.session.execute(sa.update(User).where(User.id == user_id)
                             .values(totp_secret=secret))


class ApiTokens(Repository):
    def add(self, user_id: int, token_hash: str, expires_at: datetime | None) -> None:
        self.session.add(ApiToken(user_id=user_id, token_hash=token_hash,
                                  created_at=utcnow(), expires_at=expires_at))

    def revoke_all_of(self, user_id: int, now: datetime) -> None:
        self.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def holder(self, token_hash: str, now: datetime) -> tuple[User, datetime | None] | None:
        """The active user of a valid, unrevoked, unexpired token, and its expiry."""
        found = self.session.execute(
            sa.select(User, ApiToken.expires_at)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(
                ApiToken.token_hash == token_hash,
                ApiToken.revoked_at.is_(None),
                sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
                User.revoked_at.is_(None),
            )
        ).one_or_none()
        return None if found is None else (found[0], found[1])


class Sessions(Repository):
    """Console sessions (console_sessions), by the SHA-256 of the cookie's id."""

    def add(self, id_hash: str, user_id: int, csrf_token: str, now: datetime) -> None:
        self.session.add(ConsoleSession(id_hash=id_hash, user_id=user_id,
                                        csrf_token=csrf_token, created_at=now,
                                        last_seen_at=now))

    def with_user(self, id_hash: str) -> tuple[ConsoleSession, User] | None:
        row = self.session.execute(
            sa.select(ConsoleSession, User)
            .join(User, User.id == ConsoleSession.user_id)
            .where(ConsoleSession.id_hash == id_hash)
        ).one_or_none()
        return None if row is None else (row[0], row[1])

    def remove(self, console_session: ConsoleSession) -> None:
        self.session.delete(console_session)

    def end(self, id_hash: str) -> None:
        self.session.execute(sa.delete(ConsoleSession).where(
            ConsoleSession.id_hash == id_hash))

    def end_all_of(self, user_id: int) -> None:
        self.session.execute(sa.delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


class TotpSteps(Repository):
    def consume(self, user_id: int, step: int) -> bool:
        """Record `step` unless this or a later one was used; the upsert locks the row."""
        self.session.execute(self._insert()(TotpLastStep).values(user_id=user_id, last_step=-1)
                             .on_conflict_do_nothing())
        updated = self.session.execute(
            sa.update(TotpLastStep)
            .where(TotpLastStep.user_id == user_id, TotpLastStep.last_step < step)
            .values(last_step=step)
        ).rowcount
        return updated == 1

    def forget(self, user_id: int) -> None:
        self.session.execute(sa.delete(TotpLastStep).where(TotpLastStep.user_id == user_id))


class AuthAttempts(Repository):
    """The limiter's counts when Redis is not configured; keys are hashes (row keys)."""

    def count(self, row_key: str, now: float, window: int) -> int:
        """One more attempt; the count in the current window. The upsert takes the row's
        lock (PostgreSQL) or the database's (SQLite: BEGIN IMMEDIATE) until commit, so the
        count read back is this attempt's own."""
        expired = AuthAttempt.window_end <= now
        upsert = self._insert()(AuthAttempt).values(
            key=row_key, window_end=now + window, attempts=1)
        self.session.execute(upsert.on_conflict_do_update(
            index_elements=[AuthAttempt.key],
            set_={"attempts": sa.case((expired, 1), else_=AuthAttempt.attempts + 1),
                  "window_end": sa.case((expired, now + window),
                                        else_=AuthAttempt.window_end)}))
        return int(self.session.execute(
            sa.select(AuthAttempt.attempts).where(AuthAttempt.key == row_key)).scalar_one())

    def prune(self, now: float) -> None:
        self.session.execute(sa.delete(AuthAttempt).where(AuthAttempt.window_end <= now))

    def current(self, row_key: str, now: float) -> int:
        count = self.session.execute(
            sa.select(AuthAttempt.attempts).where(AuthAttempt.key == row_key,
                                                  AuthAttempt.window_end > now)
        ).scalar_one_or_none()
        return int(count or 0)

    def give_back(self, row_key: str, now: float) -> None:
        self.session.execute(
            sa.update(AuthAttempt)
            .where(AuthAttempt.key == row_key, AuthAttempt.attempts > 0,
                   AuthAttempt.window_end > now)
            .values(attempts=AuthAttempt.attempts - 1))


class SenderOwners(Repository):
    def owner(self, sender_id: str) -> int | None:
        return self.session.execute(
            sa.select(SenderOwner.user_id).where(SenderOwner.sender_id == sender_id)
        ).scalar_one_or_none()

    def has_conversation(self, sender_id: str) -> bool:
        return self.session.execute(
            sa.select(TrackerEvent.id).where(TrackerEvent.sender_id == sender_id).limit(1)
        ).first() is not None

    def claim_if_free(self, sender_id: str, user_id: int) -> int:
        """Insert unless another claim won (the primary key decides); the owner now."""
        self.session.execute(
            self._insert()(SenderOwner)
            .values(sender_id=sender_id, user_id=user_id, claimed_at=utcnow())
            .on_conflict_do_nothing()
        )
        return int(self.session.execute(
            sa.select(SenderOwner.user_id).where(SenderOwner.sender_id == sender_id)
        ).scalar_one())

    def latest_with_prefix(self, user_id: int, prefix: str) -> str | None:
        latest = self.session.execute(
            sa.select(SenderOwner.sender_id)
            .where(SenderOwner.user_id == user_id,
                   SenderOwner.sender_id.startswith(prefix, autoescape=True))
            .order_by(SenderOwner.claimed_at.desc()).limit(1)
        ).scalar_one_or_none()
        return None if latest is None else str(latest)

    def has_case(self, sender_id: str) -> bool:
        return self.session.execute(
            sa.select(Case.id).where(Case.sender_id == sender_id).limit(1)).first() is not None


class ChatAccounts(Repository):
    """The table channel_accounts, joined to users."""

    def owner_of(self, platform: str, account_id: str) -> int | None:
        return self.session.execute(
            sa.select(ChannelAccount.user_id).where(
                ChannelAccount.platform == platform, ChannelAccount.account_id == account_id
            )
        ).scalar_one_or_none()

    def add(self, platform: str, account_id: str, user_id: int) -> ChannelAccount:
        link = ChannelAccount(platform=platform, account_id=account_id, user_id=user_id,
                              created_at=utcnow())
        self.session.add(link)
        self.session.flush()  # the id
        return link

    def of_user(self, platform: str, account_id: str, email: str) -> ChannelAccount | None:
        return self.session.execute(
            sa.select(ChannelAccount)
            .join(User, User.id == ChannelAccount.user_id)
            .where(ChannelAccount.platform == platform,
                   ChannelAccount.account_id == account_id,
                   User.email == email)
        ).scalar_one_or_none()

    def remove(self, link: ChannelAccount) -> None:
        self.session.delete(link)

    def with_emails(self, email: str | None = None) -> list[tuple[ChannelAccount, str]]:
        query = (sa.select(ChannelAccount, User.email)
                 .join(User, User.id == ChannelAccount.user_id)
                 .order_by(ChannelAccount.id))
        if email is not None:
            query = query.where(User.email == email)
        return [(link, address) for link, address in self.session.execute(query).all()]

    def linked(self, platform: str, account_id: str) -> tuple[int, User] | None:
        row = self.session.execute(
            sa.select(ChannelAccount.id, User)
            .join(User, User.id == ChannelAccount.user_id)
            .where(ChannelAccount.platform == platform, ChannelAccount.account_id == account_id)
        ).first()
        return None if row is None else (row[0], row[1])
