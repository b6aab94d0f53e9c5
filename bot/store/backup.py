"""`hrd backup` and `hrd restore`: the whole database (and the outbox) in one encrypted
archive (backup_archive.py), taken from one consistent snapshot, and put back on a fresh
data directory or an empty database.

What is in an archive: every table's rows (cases, their audit trail and annotations,
tracker events, organizations, users with their password hashes and encrypted TOTP secrets,
API token hashes, chat links, ...) but the console sessions and the sign-in attempt
counters (nobody stays signed in across a restore), the schema revision, and the outbox's
spool files. Never a key: the archive opens only with the keyring it was made with (its
current key), which must also hold every key the rows are encrypted under.

The snapshot: SQLite's online backup API copies the database, in one step, into memory (a
read transaction: the writers go on, and the copy is the database as of one commit);
PostgreSQL: every table is read in one REPEATABLE READ, READ ONLY transaction. Both are
read table by table as rows (backup_rows.py), so an archive of either restores into either.

Restore reads the whole archive once (so a wrong key, a damaged or altered archive is
refused before the target is touched), then, in ONE transaction: replaces the target's
tables if --force-replace, migrates to the archive's schema revision, loads every row,
moves the identity sequences past the restored ids, and migrates on to this version's head.
Any failure rolls it all back (and removes a SQLite file it created)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from bot.config import settings
from bot.store import crypto, db
from bot.store.backup_archive import (
    ArchiveWriter,
    PrivateOutput,
    iter_lines,
    read_archive,
)
from bot.store.backup_rows import (
    RowFormatError,
    decoder,
    dump_row,
    encoder,
    load_row,
)
from bot.store.files import write_private_file
from bot.store.outbox import SPOOL_SUFFIX, outbox_dir

FORMAT = "hrd-backup"
VERSION = 1
# Not restored: state that is only valid where and when it was made (turn_replies: a day's
# answers to client retries, bot.store.turn_replies).
SKIPPED_TABLES = frozenset({"alembic_version", "console_sessions", "auth_attempts",
                            "turn_replies"})
_SPOOL_NAME = re.compile(r"^[0-9a-f]{64}" + re.escape(SPOOL_SUFFIX) + "$")
_INSERT_BATCH = 500


class BackupError(Exception):
    """One line for the operator: why the backup or restore was refused or failed."""


@dataclass(frozen=True)
class ArchiveSummary:
    revision: str
    dialect: str
    created_at: str
    tables: dict[str, int]
    files: int
    key_ids: tuple[str, ...] = ()  # the keyring's key ids when the backup was taken


@dataclass(frozen=True)
class RestoreReport:
    summary: ArchiveSummary
    revision: str  # the target's revision afterwards (this version's head)
    replaced: bool
    missing_key_ids: tuple[str, ...]  # keys of the backup's keyring this one lacks


def missing_keys(summary: ArchiveSummary, keyring: crypto.Keyring) -> tuple[str, ...]:
    """Keys the data may be encrypted under (they were in the keyring at backup time) that
    this keyring does not hold: rows under them will not open until they are added."""
    return tuple(k for k in summary.key_ids if k not in keyring.keys)


# --- the keyring: never created here ------------------------------------------------------

def existing_keyring() -> crypto.Keyring:
    """HRD_DATA_KEY, or the key file if it is there. Unlike the servers, backup and restore
    never create a key: a new key would open no archive and nothing restored."""
    conf = settings()
    if not conf.data_key and not conf.key_file.exists() and not conf.legacy_key_file.exists():
        raise BackupError(
            f"no data key: set HRD_DATA_KEY, or put the key file at {conf.key_file} "
            "(the keyring the data was encrypted with)")
    return crypto.current_keyring()


# --- backup ----------------------------------------------------------------------------

def create_backup(path: Path) -> ArchiveSummary:
    keyring = existing_keyring()
    try:
        output = PrivateOutput(path)
    except FileExistsError:
        raise BackupError(f"{path} exists; choose a new file") from None
    except OSError as error:
        raise BackupError(f"cannot write {path}: {error.strerror}") from None
    try:
        writer = ArchiveWriter(output.handle, keyring)
        with _snapshot() as connection:
            try:
                summary = _write_snapshot(connection, writer, keyring)
            except RowFormatError as error:
                raise BackupError(str(error)) from None
        summary = _write_outbox(writer, summary)
        writer.write(_record({"end": {"tables": summary.tables, "files": summary.files}}))
        writer.close()
        output.commit()
    except BaseException:
        output.discard()
        raise
    return summary


@contextlib.contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection that sees the whole database as of one moment."""
    url = make_url(db.database_url())
    if url.get_backend_name() == "sqlite":
        source_path = Path(url.database or "")
        if not source_path.exists():
            raise BackupError(f"no database at {source_path}: nothing to back up")
        source = sqlite3.connect(source_path, timeout=db.SQLITE_BUSY_TIMEOUT_MS / 1000)
        memory = sqlite3.connect(":memory:")
        try:
            source.backup(memory)  # pages=-1: one step, one read transaction
        finally:
            source.close()
        engine = sa.create_engine("sqlite://", future=True, creator=lambda: memory,
                                  poolclass=sa.pool.StaticPool)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()
            memory.close()
        return
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with db.engine().connect().execution_options(**options) as connection, \
            connection.begin():
        yield connection


def _write_snapshot(connection: Connection, writer: ArchiveWriter,
                    keyring: crypto.Keyring) -> ArchiveSummary:
    revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                  ).scalar() if _has_table(connection, "alembic_version") \
        else None
    if not revision:
        raise BackupError("the database has no schema (run `hrd db upgrade`): nothing to back up")
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    tables = [t for t in metadata.sorted_tables if t.name not in SKIPPED_TABLES]
    created_at = datetime.now(UTC).isoformat()
    dialect = connection.dialect.name
    writer.write(_record({"format": FORMAT, "version": VERSION, "revision": revision,
                          "dialect": dialect, "created_at": created_at,
                          "key_ids": sorted(keyring.keys)}))
    counts: dict[str, int] = {}
    for table in tables:
        columns = list(table.columns)
        writer.write(_record({"table": table.name, "columns": [c.name for c in columns]}))
        encoders = [encoder(c) for c in columns]
        order = list(table.primary_key.columns) or columns
        result = connection.execution_options(stream_results=True, yield_per=500).execute(
            sa.select(*columns).order_by(*order))
        count = 0
        for row in result:
            writer.write(dump_row(encoders, row))
            count += 1
        writer.write(_record({"rows": count}))
        counts[table.name] = count
    return ArchiveSummary(revision, dialect, created_at, counts, 0, tuple(sorted(keyring.keys)))


def _write_outbox(writer: ArchiveWriter, summary: ArchiveSummary) -> ArchiveSummary:
    directory = outbox_dir()
    files = sorted(p for p in directory.glob("*" + SPOOL_SUFFIX) if _SPOOL_NAME.match(p.name)) \
        if directory.is_dir() else []
    written = 0
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # drained (its case saved) since it was listed
        writer.write(_record({"file": path.name, "data": base64.b64encode(data).decode()}))
        written += 1
    return ArchiveSummary(summary.revision, summary.dialect, summary.created_at,
                          summary.tables, written, summary.key_ids)


def _record(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8") + b"\n"


def _has_table(connection: Connection, name: str) -> bool:
    return sa.inspect(connection).has_table(name)


# --- reading an archive -------------------------------------------------------------------

@dataclass
class _Reader:
    """Walks the records of an archive, checking their order; calls the callbacks."""

    on_header: Callable[[dict[str, Any]], None] = lambda header: None
    on_table: Callable[[str, list[str]], None] = lambda name, columns: None
    on_row: Callable[[list[Any]], None] = lambda values: None
    on_file: Callable[[str, bytes], None] = lambda name, data: None
    header: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def read(self, path: Path, keyring: crypto.Keyring) -> ArchiveSummary:
        try:
            handle = path.open("rb")
        except OSError as error:
            raise BackupError(f"cannot read {path}: {error.strerror}") from None
        with handle:
            lines = iter_lines(read_archive(handle, keyring))
            try:
                return self._walk(lines)
            except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
                raise BackupError("the archive's content is damaged (bad record)") from None

    def _walk(self, lines: Iterator[bytes]) -> ArchiveSummary:
        self.header = json.loads(next(lines, b"null"))
        if not isinstance(self.header, dict) or self.header.get("format") != FORMAT:
            raise BackupError("the archive's content is not an hrd backup")
        if self.header.get("version") != VERSION:
            raise BackupError(f"archive format version {self.header.get('version')} is not "
                              f"one this version reads ({VERSION})")
        self.on_header(self.header)
        table: str | None = None
        count = 0
        for line in lines:
            record = json.loads(line)
            if table is not None:
                if isinstance(record, list):
                    self.on_row(record)
                    count += 1
                    continue
                if record.get("rows") != count:
                    raise BackupError(f"the archive's table {table} is incomplete")
                self.tables[table], table = count, None
            elif "table" in record:
                table, count = str(record["table"]), 0
                if table in self.tables or table in SKIPPED_TABLES:
                    raise BackupError(f"the archive holds table {table} twice")
                self.on_table(table, [str(c) for c in record["columns"]])
            elif "file" in record:
                name = str(record["file"])
                if not _SPOOL_NAME.match(name):
                    raise BackupError("the archive names a file outside the outbox")
                self.on_file(name, base64.b64decode(record["data"], validate=True))
                self.files += 1
            elif "end" in record:
                end = record["end"]
                if end != {"tables": self.tables, "files": self.files} or next(lines, None):
                    raise BackupError("the archive's content is damaged (bad ending)")
                return ArchiveSummary(str(self.header["revision"]), str(self.header["dialect"]),
                                      str(self.header["created_at"]), dict(self.tables),
                                      self.files, tuple(map(str, self.header["key_ids"])))
            else:
                raise BackupError("the archive's content is damaged (unknown record)")
        raise BackupError("the archive is incomplete (no ending)")


def verify_backup(path: Path) -> ArchiveSummary:
    """Reads the whole archive: it opens with this keyring and nothing was altered."""
    keyring = existing_keyring()
    return _Reader().read(path, keyring)


# --- restore ------------------------------------------------------------------------------

def restore_backup(path: Path, *, force_replace: bool = False) -> RestoreReport:
    keyring = existing_keyring()
    summary = _Reader().read(path, keyring)  # refused here: nothing touched yet
    _check_revision(summary.revision)
    url = make_url(db.database_url())
    created: list[Path] = []
    if url.get_backend_name() == "sqlite":
        created = _sqlite_files_to_create(Path(url.database or ""))
    spooled: list[tuple[str, bytes]] = []
    try:
        with db.engine().connect() as connection, connection.begin():
            replaced = _empty_target(connection, force_replace)
            db_upgrade(connection, summary.revision)
            _load(connection, path, keyring, summary, spooled)
            db_upgrade(connection, "head")
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                          ).scalar()
    except BaseException:
        db.dispose_engines()
        _remove_created(created)
        raise
    db.dispose_engines()
    _restore_outbox(spooled)
    return RestoreReport(summary, str(revision), replaced, missing_keys(summary, keyring))


def db_upgrade(connection: Connection, revision: str) -> None:
    """Alembic's upgrade inside the caller's transaction (env.py sees it and joins it)."""
    from alembic import command

    command.upgrade(db._alembic_config(connection), revision)


def _check_revision(revision: str) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        known = ScriptDirectory(str(db.MIGRATIONS_DIR)).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(f"the archive is at schema revision {revision}, which this version "
                          "does not know: restore it with the version that made it")


def _sqlite_files_to_create(database: Path) -> list[Path]:
    """What a restore into a fresh data directory creates, to remove it if it fails."""
    if database.exists():
        return []
    files = [database.with_name(database.name + suffix)
             for suffix in ("", "-wal", "-shm", "-journal")]
    directory = database.parent
    while not directory.exists():  # deepest first, as they must be removed
        files.append(directory)
        directory = directory.parent
    return files


def _remove_created(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()


def _empty_target(connection: Connection, force_replace: bool) -> bool:
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    if not metadata.tables:
        return False
    if not force_replace:
        raise BackupError(
            f"the target database is not empty ({len(metadata.tables)} tables): restore into "
            "a fresh data directory or an empty database, or pass --force-replace to "
            "replace everything in it")
    metadata.drop_all(bind=connection)
    return True


def _load(connection: Connection, path: Path, keyring: crypto.Keyring,
          summary: ArchiveSummary, spooled: list[tuple[str, bytes]]) -> None:
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    target = {t.name for t in metadata.tables.values() if t.name not in SKIPPED_TABLES}
    if target != set(summary.tables):
        raise BackupError("the archive's tables do not match its schema revision here")
    # Rows the migrations seeded (the designated partners) come back from the archive.
    for table in reversed(metadata.sorted_tables):
        if table.name in target:
            connection.execute(table.delete())
    loader = _TableLoader(connection, metadata)
    reader = _Reader(on_table=loader.start, on_row=loader.add,
                     on_file=lambda name, data: spooled.append((name, data)))
    loaded = reader.read(path, keyring)
    loader.flush()
    if loaded != summary:
        raise BackupError("the archive changed while it was being restored")
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection, metadata)


class _TableLoader:
    def __init__(self, connection: Connection, metadata: sa.MetaData) -> None:
        self.connection = connection
        self.metadata = metadata
        self.table: sa.Table | None = None
        self.columns: list[str] = []
        self.decoders: list[Callable[[Any], Any]] = []
        self.batch: list[dict[str, Any]] = []

    def start(self, name: str, columns: list[str]) -> None:
        self.flush()
        table = self.metadata.tables.get(name)
        if table is None or set(columns) != set(table.columns.keys()):
            raise BackupError(f"the archive's table {name} does not match this schema")
        self.table, self.columns = table, columns
        self.decoders = [decoder(table.columns[c]) for c in columns]

    def add(self, values: list[Any]) -> None:
        try:
            self.batch.append(load_row(self.columns, self.decoders, values))
        except RowFormatError as error:
            raise BackupError(f"the archive's content is damaged ({error})") from None
        if len(self.batch) >= _INSERT_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch and self.table is not None:
            self.connection.execute(self.table.insert(), self.batch)
        self.batch = []


def _advance_sequences(connection: Connection, metadata: sa.MetaData) -> None:
    """PostgreSQL's serial ids continue after the restored rows' (SQLite's rowids do)."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = connection.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name}).scalar()
            if sequence:
                connection.execute(
                    sa.text(f'SELECT setval(:seq, COALESCE((SELECT MAX("{column.name}") '
                            f'FROM "{table.name}"), 0) + 1, false)'), {"seq": sequence})


def _restore_outbox(spooled: list[tuple[str, bytes]]) -> None:
    """The spooled intakes, into this data directory's outbox, once the rows are committed
    (an existing file is kept: it is the same intake, and submits are idempotent)."""
    directory = outbox_dir()
    for name, data in spooled:
        write_private_file(directory / name, data, replace=False)
