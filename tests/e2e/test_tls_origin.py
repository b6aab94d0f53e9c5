"""The loopback production shape (issue 19), started by scripts/prod.sh as `make prod-up` does:
nginx as the one TLS origin in front of the console and two Rasa servers sharing PostgreSQL
and the Redis lock store, the action server behind Rasa. Through https only: a partner's whole
intake, a Rasa server killed mid-intake with the conversation finished on the other, the
widget's socket in the real browser; and nothing but the TLS port listens for clients."""

from __future__ import annotations

import http.client
import re
import socket
import stat
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.store import get_case
from tests.access.cli import new_token
from tests.access.databases import temporary_database
from tests.console.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _totp, _user, sign_in
from tests.console.browser.test_console_in_browser import chat_text, click_reply, wait_connected
from tests.console.browser.test_console_in_browser import say as type_in_chat
from tests.console.support import TotpCodes
from tests.e2e.referrals import REFERRALS, Referral, answer_all
from tests.faults.support import wait_for
from tests.support.saved_cases import REFERENCE, check_saved_once
from tests.support.servers import PARTNER_WEBHOOK, production_env, reply_texts
from tests.support.tls_shape import Shape, listening_sockets, running_shape
from tests.support.tls_shape import running as is_running

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

# Its own Redis database: lock keys are per sender and every sender here is new anyway.
REDIS_URL = "redis://127.0.0.1:6379/6"
CASEWORKER = "caseworker@unhcr.org"
FAILURE_SIGNS = ("TicketExistsError", "LockError", "Traceback")
# Set by the applications (bot/access/web.py, the console) or by the proxy when a reply
# lacks it: each must arrive exactly once.
ONCE = ("Strict-Transport-Security", "X-Content-Type-Options")
APP_HEADERS = ("X-Frame-Options", "Referrer-Policy", "Content-Security-Policy",
               "Cache-Control", "Cross-Origin-Opener-Policy")


@dataclass
class Origin:
    shape: Shape
    token: str  # a partner caseworker's API token
    codes: TotpCodes
    database_url: str


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Origin]:
    data_dir = tmp_path_factory.mktemp("tls_origin") / "data"
    with temporary_database("postgresql", data_dir) as database:
        env = production_env(data_dir, DATABASE_URL=database["DATABASE_URL"],
                             HRD_DATA_KEY=database["HRD_DATA_KEY"], REDIS_URL=REDIS_URL)
        token = new_token("--role", "partner", "--org", "unhcr", "api@unhcr.org", env=env)
        _user(env, "--role", "partner", "--org", "unhcr", CASEWORKER)
        codes = TotpCodes({CASEWORKER: _totp(env, CASEWORKER)})
        with running_shape(env, data_dir) as shape:
            yield Origin(shape, token, codes, database["DATABASE_URL"])


def intake(origin: Origin, referral: Referral, sender: str, rasa_port: Callable[[], int],
           after_turn: Callable[[int], None] = lambda turn: None) -> str:
    """A whole referral through the partner channel at the https origin; the read-backs'
    slots from Rasa's API on loopback. `after_turn(n)` runs after the n-th message. The
    reply to the confirmation."""
    sent = 0

    def turn(message: str) -> list[dict[str, Any]]:
        nonlocal sent
        replies = origin.shape.partner_turn(origin.token, sender, message)
        assert reply_texts(replies).strip(), message
        sent += 1
        after_turn(sent)
        return replies

    if "Start a referral" in str(turn(referral.opener)):
        turn("yes let's start a referral")
    answer_all(turn, lambda: origin.shape.tracker(sender, rasa_port())["slots"],
               referral.answers, referral.expected)
    return reply_texts(turn("yes, that's all correct"))


def saved_case(origin: Origin, sender: str, last_reply: str, referral: Referral) -> None:
    """The case is stored exactly once, under the reference given, with the answers."""
    found = REFERENCE.search(last_reply)
    assert found, last_reply[-800:]
    assert check_saved_once(origin.shape.data_dir, {sender: found.group(0)},
                            origin.database_url) == []
    case = get_case(found.group(0))  # temporary_database points this process at it
    assert case is not None and case.partner_org == "unhcr"
    assert {slot: case.answers.get(slot) for slot in referral.expected} == referral.expected


def upstreams(origin: Origin, since: int) -> list[str]:
    """The Rasa server(s) that answered each proxied request logged after byte `since`."""
    lines = origin.shape.access_log.read_bytes()[since:].decode().splitlines()
    return [re.search(r"upstream=(.*?) upstream_status", line).group(1)  # type: ignore[union-attr]
            for line in lines if " POST 200 " in line]


def test_a_whole_intake_through_https_with_a_partner_token(origin: Origin) -> None:
    referral = REFERRALS[0]
    sender = f"tls-{uuid.uuid4().hex}"
    log_start = origin.shape.access_log.stat().st_size
    last = intake(origin, referral, sender, lambda: origin.shape.rasa_ports[0])
    saved_case(origin, sender, last, referral)
    # The turns were shared by both Rasa servers, over one conversation in PostgreSQL.
    served = set(upstreams(origin, log_start))
    assert served == {f"127.0.0.1:{port}" for port in origin.shape.rasa_ports}


def test_security_headers_are_sent_once(origin: Origin) -> None:
    shape = origin.shape
    replies = {
        "console": shape.request("/signin"),
        "case api": shape.request("/api/cases", headers={"Authorization": "Bearer nope"}),
        "partner channel": shape.request(PARTNER_WEBHOOK, {"sender": "x", "message": "hi"}),
        "socket.io": shape.request("/socket.io/?EIO=4&transport=polling",
                                   headers={"Origin": shape.origin}),
    }
    for route, reply in replies.items():
        assert reply.status in (200, 401), (route, reply.status)
        for header in (*ONCE, *([] if route == "socket.io" else APP_HEADERS)):
            assert len(reply.headers.get_all(header) or []) == 1, (route, header)
        assert reply.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert reply.headers["Server"] == "nginx", route  # no version
    # The proxy's route cookie pins a socket's requests to one Rasa server.
    assert "hrd_route=" in replies["socket.io"].headers["Set-Cookie"]
    assert "Secure" in replies["socket.io"].headers["Set-Cookie"]


def test_socket_io_upgrades_to_a_websocket_through_the_proxy(origin: Origin) -> None:
    """The widget polls (bot/channels/widget.py), but a socket.io client that upgrades
    gets its websocket through the same origin: the proxy passes Upgrade on."""
    shape = origin.shape
    log_start = shape.access_log.stat().st_size
    connection = http.client.HTTPSConnection("127.0.0.1", shape.tls_port, timeout=10,
                                             context=shape.tls_context())
    connection.request("GET", "/socket.io/?EIO=4&transport=websocket", headers={
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": shape.origin})
    reply = connection.getresponse()
    connection.close()
    assert (reply.status, reply.getheader("Upgrade")) == (101, "websocket")
    # nginx logs the websocket once it sees it closed: wait, so that the line does not fall
    # into the next test's share of the log.
    assert wait_for(lambda: b" GET 101 " in shape.access_log.read_bytes()[log_start:],
                    timeout=10, every=0.1), "the websocket was never logged"


def test_the_widgets_socket_works_through_the_proxy_in_the_browser(origin: Origin) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make chromium)")
    from playwright.sync_api import sync_playwright

    shape = origin.shape
    requested: list[str] = []
    log_start = shape.access_log.stat().st_size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            # The certificate is self-signed: this browser has no way to trust it.
            context = browser.new_context(ignore_https_errors=True)
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            sign_in(page, shape.origin, CASEWORKER, origin.codes)
            assert page.url == shape.origin + "/chat"
            wait_connected(page)
            type_in_chat(page, REFERRALS[1].opener)
            if page.locator(".quick-replies button", has_text="Start a referral").count():
                click_reply(page, "Start a referral")
            type_in_chat(page, REFERRALS[1].answers[0])
            text = chat_text(page)
            # History comes back over a new socket after a reload.
            page.reload()
            wait_connected(page)
            assert REFERRALS[1].answers[0] in chat_text(page)
            context.close()
        finally:
            browser.close()
    # Every message typed was answered (type_in_chat waits for the bot's reply).
    assert REFERRALS[1].answers[0] in text, text[-800:]
    assert any(url.startswith(shape.origin + "/socket.io/") for url in requested)
    assert all(url.startswith(shape.origin + "/") for url in requested
               if url.startswith(("http:", "https:"))), requested
    # Every socket.io request of this browser went to one Rasa server (its route cookie),
    # across the reload's new socket too.
    rasa = {f"127.0.0.1:{port}" for port in shape.rasa_ports}
    lines = shape.access_log.read_bytes()[log_start:].decode().splitlines()
    socket_servers = {up for up in (line.split("upstream=")[1].split()[0] for line in lines)
                      if up in rasa}
    assert len(socket_servers) == 1, lines


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _proc(pid: int, name: str) -> str:
    return Path(f"/proc/{pid}/{name}").read_text()


def test_only_the_tls_port_is_reachable(origin: Origin) -> None:
    shape = origin.shape
    mine = shape.processes()
    sockets = [(address, port) for address, port, pids in listening_sockets() if pids & mine]
    assert sockets and all(address == "127.0.0.1" for address, _ in sockets), sockets
    nginx = {pid for pid in mine if _proc(pid, "comm").strip() == "nginx"}
    proxy_ports = {port for address, port, pids in listening_sockets() if pids & nginx}
    assert proxy_ports == {shape.tls_port}
    assert {port for _, port in sockets} == {shape.tls_port, *shape.internal_ports}
    # The workers that handle clients are not root.
    workers = nginx - {shape.pid("nginx")}
    assert workers and all("Uid:\t0\t" not in _proc(pid, "status")
                           for pid in workers)
    outside = _non_loopback_address()
    if outside:
        for port in (shape.tls_port, *shape.internal_ports):
            with pytest.raises(OSError), socket.create_connection((outside, port), timeout=3):
                pass
    # Rasa's HTTP API and the action server are not routed: the console answers, with 404.
    token = {"Authorization": f"Bearer {shape.api_token}"}
    for path in ("/conversations/someone/tracker", "/status", "/version", "/model",
                 "/webhook", "/health"):
        assert shape.request(path, headers=token).status in (404, 405), path
    # Plain http on the TLS port is never served: a redirect to the https origin.
    connection = http.client.HTTPConnection("127.0.0.1", shape.tls_port, timeout=10)
    connection.request("GET", "/signin")
    plain = connection.getresponse()
    assert plain.status == 301 and plain.getheader("Location") == shape.origin + "/signin"
    connection.close()
    # No secret on any command line; the private key readable by its owner only.
    commands = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert shape.api_token not in commands and shape.env["HRD_DATA_KEY"] not in commands
    assert stat.S_IMODE((shape.prod_dir / "tls" / "key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((shape.data_dir / "prod-secrets.env").stat().st_mode) == 0o600


def test_a_rasa_server_killed_mid_intake_the_other_finishes_it(origin: Origin) -> None:
    shape = origin.shape
    referral = REFERRALS[2 % len(REFERRALS)]
    sender = f"tls-kill-{uuid.uuid4().hex}"
    survivor = [shape.rasa_ports[0]]  # whose API reads the slots

    def crash_after_fourth(turn: int) -> None:
        if turn == 4:
            shape.kill("rasa-1")
            survivor[0] = shape.rasa_ports[1]

    log_start = shape.access_log.stat().st_size
    last = intake(origin, referral, sender, lambda: survivor[0], crash_after_fourth)
    assert shape.pid("rasa-1") is None
    saved_case(origin, sender, last, referral)
    served = upstreams(origin, log_start)
    # Before the crash both servers answered; after it, only the other one, and no turn
    # was lost (every one answered 200: `intake` checks).
    second = f"127.0.0.1:{shape.rasa_ports[1]}"
    assert served[4:] and all(up.endswith(second) for up in served[4:]), served
    # The first turn nginx sent to the dead server went on to the other one (connection
    # refused: the message had not been sent, so it was not sent twice).
    first = f"127.0.0.1:{shape.rasa_ports[0]}"
    assert f"{first}, {second}" in served[4:], served
    # The conversation moved without a lost lock or a refused ticket.
    logs = [shape.prod_dir / "logs" / f"{name}.log" for name in ("rasa-2", "action-server")]
    assert [(log.name, sign) for log in logs for sign in FAILURE_SIGNS
            if sign in log.read_text(errors="replace")] == []


def test_prod_down_stops_everything(origin: Origin) -> None:
    shape = origin.shape
    running = shape.processes()
    assert shape.script("down", timeout=120).returncode == 0
    assert running and [pid for pid in running if is_running(pid)] == []
    ports = {port for _, port, _ in listening_sockets()}
    assert ports.isdisjoint({shape.tls_port, *shape.internal_ports})
