"""What every answer to hostile input must be, the strategies that make the input, and a
watch on the servers' logs (a turn that fails after the webhook answered shows only there)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Every fuzz test: few examples, the same ones every run, a failure reproducible; set on
# each test (not as a profile, which would change the other directories' property tests).
FUZZ = settings(max_examples=50, derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck), print_blob=True)

# What a stack trace or an internal detail looks like in a body or a log.
LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|"
    r"sqlalchemy\.|psycopg2|sqlite3\.|KeyError|TypeError|AttributeError|ValueError|"
    r"RecursionError|UnicodeDecodeError|UnicodeEncodeError|IndexError|/site-packages/"
)

# Text a person (or an attacker) might send: every kind of character, and the odd ones on
# purpose: NUL and other controls, lone surrogates, right-to-left overrides, zero-width and
# combining marks, emoji, slashes that would make an intent.
ODD_CHARS = ["\x00", "\x07", "\x1b", "\u202e", "\u202d", "\u2066", "\u200b", "\ufeff",
             "\u0301", "\ud800", "\udfff", "\U0001f600", "\U0001f1fa\U0001f1ec", "/",
             "\uff0f", "{", "}", "\"", "\\", "\n", "\r", "\t", " ", "%", "<", ">", "&"]
hostile_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(ODD_CHARS) | st.characters(), max_size=30).map("".join),
    st.sampled_from(["/restart", '/inform{"language":"fr"}', "/start_referral",
                     "\U0001f600\U0001f600\U0001f600", "\u202eadnagU", "yes\x00no",
                     "a" * 401, "", " ", "\ufeff/restart"]),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(),
                         st.floats(allow_nan=False, allow_infinity=False), hostile_text)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(hostile_text, children, max_size=4),
    max_leaves=12,
)


def dump(value: Any) -> bytes:
    """JSON as a client would send it; lone surrogates escaped as \\udxxx (valid JSON text
    that decodes to a lone surrogate: the hard case)."""
    return json.dumps(value).encode()


def assert_clean(status: int, body: bytes | str, *, json_errors: bool = False) -> None:
    """No 5xx and nothing internal in the body; with `json_errors`, a 4xx is
    {"error": <code>, "message": <sentence>}."""
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    assert status < 500, (status, text[:300])
    assert not LEAKS.search(text), text[:600]
    if json_errors and status >= 400:
        error = json.loads(text)
        assert set(error) == {"error", "message"} and error["message"], text[:300]


class LogWatch:
    """New lines of the servers' logs since the last look: none may be a trace or an error
    of a failed request."""

    BAD = re.compile(r"Traceback|Exception in|\bERROR\b.*(failed|error|exception)", re.I)

    def __init__(self, logs: list[Path]) -> None:
        self.logs = logs
        self.offsets = {log: log.stat().st_size for log in logs}

    def new_text(self) -> str:
        parts = []
        for log in self.logs:
            with log.open("rb") as handle:
                handle.seek(self.offsets[log])
                parts.append(handle.read().decode("utf-8", "replace"))
                self.offsets[log] = handle.tell()
        return "".join(parts)

    def assert_quiet(self) -> None:
        text = self.new_text()
        bad = [line for line in text.splitlines() if self.BAD.search(line)]
        assert not bad, "\n".join(bad[:20]) + "\n---\n" + text[-3000:]
