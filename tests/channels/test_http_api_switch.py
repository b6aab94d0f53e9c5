"""Rasa's HTTP API exists only with RASA_API_TOKEN: without enable_api Rasa serves no
/conversations route (bot.runtime.rasa_server enables it only with the token:
tests/security/test_runtime_tokens.py)."""

from __future__ import annotations


def test_rasa_without_enable_api_serves_no_conversations() -> None:
    from rasa.core.run import configure_app
    from sanic import Sanic

    Sanic.test_mode = True  # several apps in one process
    without = {route.path for route in configure_app(enable_api=False).router.routes}
    with_api = {route.path for route in
                configure_app(enable_api=True, auth_token="t").router.routes}
    assert not any("conversations" in path for path in without)
    assert any(path.startswith("conversations/") for path in with_api)
