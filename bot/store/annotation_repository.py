"""Reads and writes of the supervisors' case annotations (bot/store/annotations.py): the
reviewed mark, tags and notes. Notes arrive and leave encrypted; callers bind them to the
case (bot.store.associated_data.note_label)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from bot.store.annotations import CaseNote, CaseReview, CaseTag
from bot.store.cases import CaseNotFound
from bot.store.models import Case, utcnow
from bot.store.unit_of_work import Repository

# Tags are listed and filtered in clear, so they come from a closed vocabulary of characters.
TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class Annotations(Repository):
    def case_id(self, reference: str) -> int:
        case_id = self.session.execute(sa.select(Case.id).where(Case.reference == reference)
                                       ).scalar_one_or_none()
        if case_id is None:
            raise CaseNotFound(reference)
        return int(case_id)

    def mark_reviewed(self, reference: str, user_id: int) -> None:
        self.session.execute(self._insert()(CaseReview).values(
            case_id=self.case_id(reference), reviewed_by=user_id, reviewed_at=utcnow()
        ).on_conflict_do_nothing())

    def add_tag(self, reference: str, user_id: int, tag: str) -> None:
        self.session.execute(self._insert()(CaseTag).values(
            case_id=self.case_id(reference), tag=tag, added_by=user_id, added_at=utcnow()
        ).on_conflict_do_nothing())

    def remove_tag(self, reference: str, tag: str) -> None:
        self.session.execute(sa.delete(CaseTag).where(CaseTag.case_id == self.case_id(reference),
                                                      CaseTag.tag == tag))

    def add_note(self, reference: str, user_id: int, note_uid: str, body: bytes) -> None:
        """`body`: the note encrypted, bound to the case and `note_uid`."""
        self.session.add(CaseNote(note_uid=note_uid, case_id=self.case_id(reference),
                                  author=user_id, created_at=utcnow(), body=body))

    def edit_note(self, reference: str, user_id: int, old_uid: str, note_uid: str,
                  body: bytes) -> bool:
        """A new version of the case's note `old_uid` (its current version only): a new row
        that replaces it; the old row stays as history. False if `old_uid` is not a current
        note of this case (unknown, another case's, or already replaced)."""
        case_id = self.case_id(reference)
        old = self.session.execute(sa.select(CaseNote).where(
            CaseNote.note_uid == old_uid, CaseNote.case_id == case_id)).scalar_one_or_none()
        if old is None or self.session.execute(sa.select(CaseNote.id).where(
                CaseNote.replaces_id == old.id)).first() is not None:
            return False
        self.session.add(CaseNote(note_uid=note_uid, case_id=case_id, author=user_id,
                                  created_at=utcnow(), body=body, replaces_id=old.id))
        self.session.flush()  # the unique replaces_id refuses a second edit of one version
        return True

    def of_case(self, reference: str) -> tuple[CaseReview | None, list[str], list[CaseNote]]:
        """The case's reviewed mark, its tags (alphabetical) and every note version (oldest
        first; a version's `replaces_id` names the one it replaced)."""
        case_id = self.case_id(reference)
        tags = self.session.execute(sa.select(CaseTag.tag).where(CaseTag.case_id == case_id)
                                    .order_by(CaseTag.tag)).scalars()
        notes = self.session.execute(sa.select(CaseNote).where(CaseNote.case_id == case_id)
                                     .order_by(CaseNote.id)).scalars()
        return self.session.get(CaseReview, case_id), list(tags), list(notes)

    def tags_by_case(self, case_ids: Iterable[int]) -> dict[int, list[str]]:
        """Each case's tags, alphabetical (cases without tags are left out)."""
        ids = list(case_ids)
        tags: dict[int, list[str]] = {}
        if ids:
            for case_id, tag in self.session.execute(
                    sa.select(CaseTag.case_id, CaseTag.tag).where(CaseTag.case_id.in_(ids))
                    .order_by(CaseTag.tag)):
                tags.setdefault(case_id, []).append(tag)
        return tags

    @staticmethod
    def is_reviewed() -> sa.sql.ColumnElement[bool]:
        """For a query over cases: the case has a reviewed mark."""
        return sa.exists().where(CaseReview.case_id == Case.id)

    @staticmethod
    def has_tag(tag: str) -> sa.sql.ColumnElement[bool]:
        """For a query over cases: the case carries `tag`."""
        return sa.exists().where(CaseTag.case_id == Case.id, CaseTag.tag == tag)
