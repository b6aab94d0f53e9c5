"""What the fault tests share: assistants whose processes can be killed and started again,
a Redis of their own to stop, and an intake driven turn by turn through the partner channel."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.store import get_case
from tests.e2e.referrals import REFERRALS, Referral, readback_reply
from tests.e2e.referrals_fr import REFERRALS_FR
from tests.support.saved_cases import REFERENCE
from tests.support.servers import MODEL, PARTNER_WEBHOOK, Assistant, free_port, reply_texts


class FaultyAssistant(Assistant):
    """An Assistant whose Rasa server and action server can be SIGKILLed and started again
    on the same ports, as a supervisor would."""

    credentials: str = "credentials.yml"

    def start(self, credentials: str = "credentials.yml") -> FaultyAssistant:
        self.credentials = credentials
        super().start(credentials)
        return self

    def kill_action_server(self) -> None:
        _kill(self.processes[0])

    def start_action_server(self) -> None:
        self.processes[0] = self._spawn_action_server()
        self._wait_for_action_server()

    def kill_rasa_server(self) -> None:
        _kill(self.processes[-1])

    def start_rasa_server(self) -> None:
        self.processes[-1] = self._spawn_rasa_server(self.credentials)
        self._wait_for_rasa_server()

    def another(self, workdir: Path, model: Path = MODEL) -> FaultyAssistant:
        """One more Rasa server on this one's action server (as another_rasa_server)."""
        other = self.unstarted(workdir, model)
        other.processes.append(other._spawn_rasa_server(self.credentials))
        try:
            other._wait_for_rasa_server()
        except BaseException:
            other.stop()
            raise
        return other

    def unstarted(self, workdir: Path, model: Path = MODEL) -> FaultyAssistant:
        """One more Rasa server's settings, on this one's action server, not yet spawned."""
        other = FaultyAssistant(workdir=workdir, env=self.env, action_port=self.action_port,
                                api_token=self.api_token, model=model)
        other.credentials = self.credentials
        return other

    def stop(self) -> None:
        # The action server of a Rasa server started by another() is not its own.
        super().stop()


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return reply_texts(self.body) if isinstance(self.body, list) else str(self.body)


def partner_post(server: Assistant, token: str, sender: str, message: str,
                 timeout: float = 120) -> Reply:
    request = urllib.request.Request(
        server.base + PARTNER_WEBHOOK,
        json.dumps({"sender": sender, "message": message}).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, json.loads(response.read() or b"null"),
                         dict(response.headers))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        return Reply(error.code, body, dict(error.headers))


@dataclass
class Intake:
    """A partner caseworker's referral, turn by turn, to one server (or another)."""

    server: Assistant
    token: str
    referral: Referral = REFERRALS[0]
    sender: str = field(default_factory=lambda: f"fault-{uuid.uuid4().hex[:16]}")
    answered: int = 0  # of referral.answers
    transcript: list[str] = field(default_factory=list)

    def say(self, message: str, server: Assistant | None = None) -> Reply:
        reply = partner_post(server or self.server, self.token, self.sender, message)
        self.transcript += [f"> {message}", f"[{reply.status}] {reply.text}"]
        return reply

    def turn(self, message: str) -> str:
        reply = self.say(message)
        assert reply.status == 200, self.log()
        assert reply.text.strip(), f"no reply to {message!r}\n{self.log()}"
        return reply.text

    def slots(self) -> dict[str, Any]:
        return self.server.tracker(self.sender)["slots"]

    def begin(self) -> None:
        opened = self.turn(self.referral.opener)
        if "Start a referral" in opened or "Commencer une recommandation" in opened:
            self.turn("/start_referral")  # the greeting's button

    def answer(self, count: int) -> None:
        """The next `count` answers, each read-back confirmed as the caseworker means it."""
        for text in self.referral.answers[self.answered:self.answered + count]:
            self.turn(text)
            self.answered += 1
            self.settle_readbacks()

    def settle_readbacks(self) -> None:
        for _ in range(10):
            reply = readback_reply(self.slots(), self.referral.expected)
            if reply is None:
                return
            self.turn(reply)

    def answer_rest(self) -> None:
        self.answer(len(self.referral.answers) - self.answered)

    @property
    def french(self) -> bool:
        return self.referral in REFERRALS_FR

    def confirmation(self) -> str:
        return "oui, tout est exact" if self.french else "yes, that's all correct"

    def confirm(self) -> str:
        """The summary confirmed: the reference in the reply."""
        text = self.turn(self.confirmation())
        match = REFERENCE.search(text)
        assert match, self.log()
        return match.group(0)

    def stored_answers(self) -> dict[str, Any]:
        """The slots the referral fills, as the tracker store has them now."""
        slots = self.slots()
        return {k: slots.get(k) for k in self.referral.expected if slots.get(k) is not None}

    def log(self) -> str:
        return "\n".join(self.transcript[-30:])


def check_told_to_retry(reply: Reply) -> None:
    """A turn that could not run, answered cleanly: the "draft kept, try again in a minute"
    reply (a failed turn, bot/channels/turn_failure.py from issue 20), or, when the store
    or the lock is unreachable, the partner channel's 503 with Retry-After. Never a 500."""
    if reply.status == 503:
        assert reply.body["error"] == "temporarily_unavailable", reply
        assert "again in a minute" in reply.body["message"], reply
        assert reply.headers.get("Retry-After") == "60", reply
        return
    assert reply.status == 200, reply
    assert "try again in a minute" in reply.text.lower(), reply.text


def check_one_case(sender: str, reference: str, referral: Referral) -> None:
    """Through the store's case API: exactly one case for this conversation, under this
    reference, with the referral's answers. The caller reads the servers' store."""
    case = get_case(reference)
    assert case is not None, reference
    assert case.sender_id == sender
    assert {slot: case.answers.get(slot) for slot in referral.expected} == referral.expected


def wait_for(predicate: Any, timeout: float = 60, every: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


@dataclass
class OwnRedis:
    """A redis-server of the test's own (the shared one must never be stopped)."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> OwnRedis:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port)
        assert wait_for(lambda: _pings(client), timeout=20), "redis-server did not start"
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            _kill(self.process)


def _pings(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis().start()
    try:
        yield server
    finally:
        server.kill()
