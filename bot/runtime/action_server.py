"""`python -m bot.runtime.action_server [--port 5055]`: rasa_sdk's action server for the
`actions` package, built with rasa_sdk's own create_app, with these changes:

- it listens on HRD_BIND_HOST (127.0.0.1 by default; `rasa run actions` always takes 0.0.0.0);
- it answers only Rasa: every request but /health must carry the shared secret
  (bot.runtime.secret_settings) in the X-HRD-Action-Secret header, compared in constant
  time; without it the answer is 401 and no action runs; /health ({"status": "ok"}) is for
  the supervisor (scripts/run.sh), Rasa's own /health and an orchestrator's probes;
- an error answers a fixed JSON body and logs the exception's type only (rasa_sdk answers
  {"request_body": <the whole tracker>}, which Rasa then logs); no CORS, no access log;
- it exits 1 when it cannot listen (its port taken), so the supervisor retries it.
"""

from __future__ import annotations

import argparse
import hmac
import logging

from rasa_sdk import utils as sdk_utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import installed
from bot.runtime import outbox_drainer
from bot.runtime.listening import Listening
from bot.runtime.preflight import data_key_or_exit, runtime_or_exit
from bot.runtime.secret_settings import ACTION_SECRET_HEADER

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"
DEFAULT_PORT = 5055
OPEN_PATHS = frozenset({"/health"})  # {"status": "ok"} only


def _error(status: int, code: str) -> HTTPResponse:
    return response.json({"error": code}, status=status)


def secure_app(secret: str, package: str = ACTIONS_PACKAGE) -> Sanic:
    app = create_app(package, cors_origins=None)  # no browser has any business here
    expected = secret.encode("utf-8")

    @app.middleware("request")
    async def only_rasa(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(ACTION_SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            logger.warning("action server: request without the shared secret refused")
            return _error(401, "unauthorized")
        return None

    async def no_data_in_errors(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):  # 400 bad JSON, 404, 405, ...
            return _error(exception.status_code, "bad_request")
        logger.error("action server: request failed (%s)", type(exception).__name__)
        return _error(500, "internal_error")

    # Replaces rasa_sdk's handler for Exception (the last one added wins).
    app.error_handler.add(Exception, no_data_in_errors)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    runtime = runtime_or_exit()
    sdk_utils.configure_colored_logging(None)
    sdk_utils.update_sanic_log_level()
    with installed(runtime.settings):  # before the actions package is imported
        data_key_or_exit()  # a wrong key never serves, never writes
        app = secure_app(runtime.action_secret)
        outbox_drainer.start()
        listening = Listening("the action server")
        listening.watch(app)
        logger.info("Action server on http://%s:%s", runtime.host, args.port)
        app.run(runtime.host, args.port, workers=sdk_utils.number_of_sanic_workers(),
                access_log=False, motd=False)
        listening.exit_unless_served()


if __name__ == "__main__":
    main()
