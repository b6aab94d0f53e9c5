"""Rows as the backup archive holds them: one JSON array per row, the same on SQLite and
PostgreSQL, so an archive of either restores into either.

A value is JSON as it is (null, booleans, numbers, text), or one of these tagged objects:
{"b": base64} bytes (the encrypted columns), {"t": ISO 8601 in UTC} a date and time,
{"d": ISO 8601} a date, {"n": "1.5"} a decimal, {"j": value} the content of a JSON column.
A date and time without a time zone is UTC (every timestamp of this schema is)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa


class RowFormatError(ValueError):
    """A row of the archive does not fit its table."""


def encoder(column: sa.Column) -> Callable[[Any], Any]:
    if isinstance(column.type, sa.JSON):
        return lambda value: None if value is None else {"j": value}
    return encode_value


def encode_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"t": aware.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    raise RowFormatError(f"cannot archive a value of type {type(value).__name__}")


def decoder(column: sa.Column) -> Callable[[Any], Any]:
    """How a value of the archive goes back into this column of the target database."""
    aware = bool(getattr(column.type, "timezone", False))

    def decode(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            raise RowFormatError(f"unknown value in column {column.name}")
        (tag, content), = value.items()
        try:
            if tag == "j":
                return content
            if tag == "b":
                return base64.b64decode(content, validate=True)
            if tag == "t":
                moment = datetime.fromisoformat(content).astimezone(UTC)
                return moment if aware else moment.replace(tzinfo=None)
            if tag == "d":
                return date.fromisoformat(content)
            if tag == "n":
                return Decimal(content)
        except (binascii.Error, TypeError, ValueError) as error:
            raise RowFormatError(f"bad value in column {column.name}") from error
        raise RowFormatError(f"unknown value in column {column.name}")

    return decode


def dump_row(encoders: Sequence[Callable[[Any], Any]], row: Sequence[Any]) -> bytes:
    return json.dumps([enc(value) for enc, value in zip(encoders, row, strict=True)],
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def load_row(columns: Sequence[str], decoders: Sequence[Callable[[Any], Any]],
             values: Any) -> dict[str, Any]:
    if not isinstance(values, list) or len(values) != len(columns):
        raise RowFormatError("a row does not have its table's columns")
    return {name: dec(value) for name, dec, value in zip(columns, decoders, values, strict=True)}
