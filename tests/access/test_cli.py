"""`hrd orgs` and `hrd users` as an administrator runs them (separate processes)."""

from __future__ import annotations

import pytest

from bot.access import authenticate
from tests.access.cli import hrd, new_token

pytestmark = pytest.mark.usefixtures("database")


def test_users_add_prints_a_working_token_last() -> None:
    token = new_token("--role", "partner", "--org", "unhcr", "worker@unhcr.org")
    principal = authenticate(token)
    assert principal is not None and principal.org_id == "unhcr" and not principal.read_only


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_and_admin_get_a_token_only_from_users_token(role: str) -> None:
    """The contract's "Command line": `users add` creates no token for them; `users token
    <email> --expires-in-days N` issues one (N required), printed last, read-only."""
    added = hrd("users", "add", "--role", role, f"{role}@irc.gc.ca")
    assert added.returncode == 0, added.stderr
    assert "hrd_" not in added.stdout and "No API token" in added.stdout
    listing = hrd("users", "list").stdout
    assert "0 valid token(s)" in listing and "no one-time codes" in listing
    missing = hrd("users", "token", f"{role}@irc.gc.ca")
    assert missing.returncode == 2 and "--expires-in-days" in missing.stderr
    assert hrd("users", "add", "--role", role, "--expires-in-days", "30",
               f"other-{role}@irc.gc.ca").returncode == 2
    issued = hrd("users", "token", f"{role}@irc.gc.ca", "--expires-in-days", "30")
    assert issued.returncode == 0, issued.stderr
    assert "only reads" in issued.stdout
    principal = authenticate(issued.stdout.strip().splitlines()[-1])
    assert principal is not None and principal.role == role and principal.read_only
    assert "1 valid token(s)" in hrd("users", "list").stdout


def test_revoke_and_list() -> None:
    token = new_token("--role", "partner", "--org", "unhcr", "worker@unhcr.org")
    assert hrd("users", "revoke", "worker@unhcr.org").returncode == 0
    assert authenticate(token) is None
    listing = hrd("users", "list")
    assert listing.returncode == 0
    assert "worker@unhcr.org" in listing.stdout and "revoked" in listing.stdout
    assert token not in listing.stdout


def test_orgs_add_is_not_designated() -> None:
    added = hrd("orgs", "add", "ngo_kampala", "Kampala Defenders Network")
    assert added.returncode == 0, added.stderr
    assert "not designated" in added.stdout
    listing = hrd("orgs", "list").stdout.splitlines()
    assert any(line.startswith("ngo_kampala\t") and "not designated" in line for line in listing)
    assert any(line.startswith("unhcr\t") and "designated, refers directly" in line
               for line in listing)
    assert new_token("--role", "partner", "--org", "ngo_kampala", "staff@ngo.example")


@pytest.mark.parametrize("args", [
    ("users", "add", "--role", "partner", "--org", "no_such_org", "a@example.org"),
    ("users", "add", "--role", "partner", "a@example.org"),
    ("users", "add", "--role", "partner", "--org", "unhcr", "not an email"),
    ("users", "add", "--role", "supervisor", "--org", "unhcr", "a@example.org"),
    ("users", "add", "--role", "wizard", "a@example.org"),
    ("users", "add", "--role", "admin", "--expires-in-days", "soon", "a@example.org"),
    ("users", "add", "--role", "admin", "--expires-in-days", "0", "a@example.org"),
    ("users", "add", "--role", "partner", "--org", "unhcr", "--expires-in-days", "0",
     "a@example.org"),
    ("users", "revoke", "nobody@example.org"),
    ("users", "add", "--role", "admin", "--language", "de", "a@example.org"),
    ("users", "add", "--role", "admin", "--language", "", "a@example.org"),
    ("users", "language", "nobody@example.org", "fr"),
    ("users", "language", "not an email", "fr"),
    ("orgs", "add", "Bad Id", "Name"),
    ("orgs", "add", "unhcr", "Duplicate"),
])
def test_validation_errors_are_one_line_exit_2(args: tuple[str, ...]) -> None:
    result = hrd(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("hrd: ")
    assert "Traceback" not in result.stderr


def test_duplicate_user_is_refused() -> None:
    new_token("--role", "admin", "admin@irc.gc.ca")
    result = hrd("users", "add", "--role", "admin", "Admin@IRC.gc.ca")
    assert result.returncode == 2 and "already exists" in result.stderr


def test_users_language_on_add_and_later() -> None:
    added = hrd("users", "add", "--role", "partner", "--org", "unhcr", "--language", "FR",
                "worker@unhcr.org")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]  # still the last line
    assert "Language: fr." in added.stdout
    assert authenticate(token).language == "fr"
    plain = new_token("--role", "supervisor", "sup@irc.gc.ca")
    assert authenticate(plain).language is None  # never chosen: English by default

    changed = hrd("users", "language", "worker@unhcr.org", "en")
    assert changed.returncode == 0, changed.stderr
    assert authenticate(token).language == "en"
    rows = [line.split("\t") for line in hrd("users", "list").stdout.splitlines()]
    assert {row[1]: row[-1] for row in rows} == {"worker@unhcr.org": "en", "sup@irc.gc.ca": "-"}

    refused = hrd("users", "language", "worker@unhcr.org", "de")
    assert refused.returncode == 2 and "language must be one of en, fr" in refused.stderr
    assert authenticate(token).language == "en"  # unchanged
    assert hrd("users", "revoke", "worker@unhcr.org").returncode == 0
    assert hrd("users", "language", "worker@unhcr.org", "fr").returncode == 2
