"""The console's Sanic app, composed: the case API and its OpenAPI document, the pages
(sign-in, language, the partner chat widget and case pages, the supervisors' review and
dashboard) with their sessions and CSRF checks, errors, safe headers and static files.
Each feature's routes live in its own package."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from bot.access.ratelimit import FailedAuthLimiter
from bot.config import console_settings
from bot.console.api.blueprint import api_blueprint, refuse_writes
from bot.console.auth.guards import attach_session
from bot.console.auth.pages import auth_blueprint
from bot.console.dashboard.pages import dashboard_blueprint
from bot.console.i18n.pages import language_blueprint
from bot.console.partner.pages import partner_blueprint
from bot.console.review.attention import attention_blueprint
from bot.console.review.pages import review_blueprint
from bot.console.web.errors import JsonErrorHandler, security_headers
from bot.console.web.health import health_blueprint

STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 16 * 1024  # the API reads no bodies; the pages' forms are small


def create_app(name: str = "hrd_console", limiter: FailedAuthLimiter | None = None) -> Sanic:
    app = Sanic(name, error_handler=JsonErrorHandler())
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    limiter = limiter or FailedAuthLimiter()
    app.ctx.limiter = limiter
    app.blueprint(api_blueprint(limiter))

    conf = console_settings()  # a bad HRD_RASA_PUBLIC_URL stops the console here
    signin_limiter = FailedAuthLimiter(max_failures=conf.signin_max_failures,
                                       window_seconds=conf.signin_window_seconds)
    app.ctx.signin_limiter = signin_limiter
    app.register_middleware(attach_session, "request")
    app.blueprint(auth_blueprint(signin_limiter))
    app.blueprint(language_blueprint())
    app.blueprint(partner_blueprint())
    app.blueprint(review_blueprint())
    app.blueprint(dashboard_blueprint())
    app.blueprint(attention_blueprint())
    app.blueprint(health_blueprint())  # /healthz, /readyz: no session, states only
    app.static("/static", str(STATIC), name="console_static")
    app.register_middleware(refuse_writes(limiter), "request")
    app.register_middleware(security_headers, "response")
    return app
