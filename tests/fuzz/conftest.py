"""Hostile input against the real servers (issue 18): one assistant for the session with
every channel on (tests/channels/messaging.py: partner REST, widget, Telegram, Twilio,
Slack, their platforms faked on loopback), and the console on the same store with a
signed-in supervisor and partner.

Hypothesis runs few examples, the same ones every run (tests/fuzz/support.py FUZZ:
derandomize, no example database): the whole directory takes a few minutes and a failure
is reproducible."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.access import create_user
from bot.access.passwords import enrol_totp, set_password
from tests.channels.messaging import Messaging, messaging
from tests.console.pages_client import PageClient
from tests.console.support import TotpCodes, running_console, seed_case
from tests.support.servers import reading_store

__all__ = ["messaging"]

PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    """The console on the assistant's store, and signed-in page clients."""

    base: str
    supervisor: PageClient
    partner: PageClient
    cases: list[str]


def _signed_in(base: str, email: str, codes: TotpCodes) -> PageClient:
    client = PageClient(base)
    reply = client.sign_in(email, PASSWORD, codes.code(email))
    assert reply.status == 303, reply.raw[:300]
    return client


@pytest.fixture(scope="session")
def site(messaging: Messaging, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    codes = TotpCodes()
    from datetime import UTC, datetime
    # The console serves the messaging store: users and cases go there, whatever store
    # earlier modules left this process's environment pointing at (session fixtures are set
    # up before the autouse one in tests/conftest.py).
    with reading_store(messaging.data_dir):
        for email, role, org in (("fuzz-supervisor@irc.gc.ca", "supervisor", None),
                                 ("fuzz-partner@unhcr.org", "partner", "unhcr")):
            create_user(email, role, org)
            set_password(email, PASSWORD)
            codes.add(email, enrol_totp(email)[1])
        cases = [seed_case("unhcr", i, datetime.now(UTC)) for i in range(3)]
    workdir = tmp_path_factory.mktemp("fuzz_console")
    env = {"HRD_DATA_DIR": str(messaging.data_dir), "HRD_COOKIE_SECURE": "0"}
    with running_console(env, workdir) as base:
        yield Site(base, _signed_in(base, "fuzz-supervisor@irc.gc.ca", codes),
                   _signed_in(base, "fuzz-partner@unhcr.org", codes), cases)
