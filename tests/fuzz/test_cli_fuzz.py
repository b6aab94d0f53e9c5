"""The `hrd` command in this process (bot.cli.main) with fuzzed argv: never a traceback;
a bad argument exits 2 with a usage message (argparse) or one "hrd: ..." line."""

from __future__ import annotations

import contextlib
import getpass
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.store import crypto
from bot.store.db import dispose_engines
from tests.fuzz.support import FUZZ, hostile_text

WORDS = ["users", "orgs", "db", "keys", "purge", "policy", "add", "token", "revoke", "list",
         "password", "totp", "language", "link", "unlink", "upgrade", "current", "rotate",
         "generate", "status", "show", "check", "--role", "--org", "--expires-in-days",
         "--older-than", "--dry-run", "--full", "--language", "--password-stdin",
         "--telegram", "--phone", "--slack", "--help", "-h", "partner", "admin", "supervisor",
         "unhcr", "fr", "en", "worker@unhcr.org", "0", "-1", "99999999999999999999", "1e9",
         "--", "-", "=", "--role=partner", "nobody@example.org", "+254700000001"]
argv = st.lists(st.sampled_from(WORDS) | hostile_text, max_size=7)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh store of its own for the commands (the test process's settings restored)."""
    path = tmp_path_factory.mktemp("cli_fuzz")
    saved = {key: os.environ.get(key) for key in ("HRD_DATA_DIR", "DATABASE_URL",
                                                  "HRD_DATA_KEY", "HRD_ENV")}
    for key in saved:
        os.environ.pop(key, None)
    os.environ["HRD_DATA_DIR"] = str(path)
    crypto.clear_cache()
    try:
        assert run(["db", "upgrade"])[0] == 0
        yield path
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        crypto.clear_cache()
        dispose_engines()


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            pytest.MonkeyPatch.context() as patch:
        patch.setattr(getpass, "getpass", lambda *a, **k: "")  # no terminal to ask on
        patch.setattr("sys.stdin", io.StringIO(""))
        try:
            code = main(args)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@FUZZ


@given(argv)
def test_fuzzed_arguments(data_dir: Path, args: list[str]) -> None:
    if any("\ud800" <= ch <= "\udfff" for arg in args for ch in arg):
        return  # an OS argv cannot carry lone surrogates through the C locale either
    code, out, err = run(args)
    assert "Traceback" not in out + err, err[-2000:]
    assert code in (0, 1, 2), (code, err[-500:])
    if code == 2:
        assert "usage:" in err or err.startswith("hrd: "), err[-500:]


@pytest.mark.parametrize("args", [
    [], ["users"], ["users", "add"], ["users", "add", "x@example.org", "--role", "nope"],
    ["purge", "--older-than", "soon"], ["purge", "--older-than", "0"],
    ["users", "token", "nobody@example.org", "--expires-in-days", "-5"],
    ["users", "language", "nobody@example.org", "xx"], ["no-such-command"],
])
def test_bad_arguments_exit_2_with_a_message(data_dir: Path, args: list[str]) -> None:
    code, _, err = run(args)
    assert code == 2 and "Traceback" not in err, (code, err)
    assert "usage:" in err or err.startswith("hrd: "), err
