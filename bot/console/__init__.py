"""The console: the Sanic app (bot.console.app.create_app) serving the case API, the
partner and supervisor pages and the widget, one sub-package per feature.
`python -m bot.console` runs it on 127.0.0.1:HRD_CONSOLE_PORT (default 8080)."""
