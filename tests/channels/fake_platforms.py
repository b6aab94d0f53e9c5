"""One loopback HTTP server standing in for api.telegram.org, api.twilio.com and
slack.com/api: it records what the channels send and answers as the platforms do."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Call:
    platform: str  # telegram | twilio | slack
    method: str  # sendMessage, Messages, chat.postMessage, setWebhook, ...
    params: dict[str, Any]


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakePlatforms:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.calls)

    def since(self, mark: int, platform: str, method: str, **match: Any) -> list[Call]:
        with self._changed:
            return [c for c in self.calls[mark:] if c.platform == platform
                    and c.method == method
                    and all(str(c.params.get(k)) == str(v) for k, v in match.items())]

    def wait_quiet(self, mark: int, platform: str, method: str, *, quiet: float = 1.5,
                   timeout: float = 120, **match: Any) -> list[Call]:
        """The calls after `mark`, once at least one came and no more for `quiet` seconds
        (for Slack, whose turns run after the webhook has answered)."""
        deadline = time.monotonic() + timeout
        seen, last_change = 0, time.monotonic()
        while time.monotonic() < deadline:
            calls = self.since(mark, platform, method, **match)
            if len(calls) != seen:
                seen, last_change = len(calls), time.monotonic()
            elif calls and time.monotonic() - last_change >= quiet:
                return calls
            time.sleep(0.1)
        return self.since(mark, platform, method, **match)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                status, body = fake.answer(self.path, params)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        n = next(self._ids)
        if path.startswith("/bot"):  # /bot<token>/<method>
            method = path.rsplit("/", 1)[-1]
            self.record(Call("telegram", method, params))
            if method == "sendMessage":
                return 200, {"ok": True, "result": {
                    "message_id": n, "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": int(params["chat_id"]), "type": "private"}}}
            return 200, {"ok": True, "result": True}
        if path.startswith("/2010-04-01/Accounts/") and path.endswith("/Messages.json"):
            self.record(Call("twilio", "Messages", params))
            sid = f"SM{n:032x}"
            return 201, {"sid": sid, "account_sid": path.split("/")[3], "to": params.get("To"),
                         "from": params.get("From"), "body": params.get("Body"),
                         "status": "queued", "num_segments": "1", "direction": "outbound-api",
                         "date_created": "Thu, 30 Nov 2026 10:00:00 +0000",
                         "uri": f"{path[:-5]}/{sid}.json"}
        if path.startswith("/api/"):
            method = path[len("/api/"):]
            self.record(Call("slack", method, params))
            return 200, {"ok": True, "channel": params.get("channel"), "ts": f"{n}.000100"}
        return 404, {"ok": False}
