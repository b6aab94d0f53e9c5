"""The console: a Sanic app serving the case API (and later the pages and the widget).
`python -m bot.console` runs it on 127.0.0.1:HRD_CONSOLE_PORT (default 8080)."""

from bot.console.app import create_app

__all__ = ["create_app"]
