"""A cookie-keeping HTTP client for the console's pages (no browser): sign in, follow the
CSRF token of the last page, post forms."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from tests.console.support import Reply, random_client

CSRF_IN_PAGE = re.compile(r'data-csrf="([^"]*)"')
SIGNIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the tests look at each 303 themselves


@dataclass
class PageClient:
    base: str
    client: str = field(default_factory=random_client)
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    csrf: str = ""

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: bytes | None = None, method: str | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"X-Forwarded-For": self.client, **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                reply = Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.headers, error.read())
        found = CSRF_IN_PAGE.search(reply.raw.decode("utf-8", "replace"))
        if found and found.group(1):
            self.csrf = found.group(1)
        return reply

    def get(self, path: str) -> Reply:
        return self.request(path)

    def post(self, path: str, fields: dict[str, str] | None = None, *,
             csrf: str | None = None, headers: dict[str, str] | None = None) -> Reply:
        """`csrf`: None sends the session's token, "" sends none, anything else as given."""
        fields = dict(fields or {})
        token = self.csrf if csrf is None else csrf
        if token:
            fields.setdefault("csrf_token", token)
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, body, "POST", {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def sign_in(self, email: str, password: str, code: str = "") -> Reply:
        page = self.get("/signin").raw.decode()
        token = SIGNIN_TOKEN.search(page)
        assert token, page[:500]
        reply = self.post("/signin", {"email": email, "password": password, "code": code},
                          csrf=token.group(1))
        if reply.status == 303:
            self.get(reply.headers["Location"])  # picks up the session's CSRF token
        return reply

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)
