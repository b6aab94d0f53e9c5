"""`python -m bot.runtime.rasa_server --model M --credentials C [--endpoints E] [--port P]`:
`rasa run` through Rasa's own serve_application, with what the command line cannot do safely:

- it listens on HRD_BIND_HOST (127.0.0.1 by default);
- RASA_API_TOKEN comes from the environment, never from an argument (`ps` shows every
  process's arguments); at least 32 characters, else the server refuses to start. With it
  Rasa's HTTP API is on and takes the token as `?token=` or `Authorization: Bearer`
  (bot.runtime.api_auth); without it the API is off;
- every call to the action server carries the shared secret (bot.runtime.secret_settings) in
  a header, added to endpoints.yml's action_endpoint here, so the secret is in no file of
  the repository and no ${VAR} in endpoints.yml can stop Rasa when it is unset;
- GET /health tells, without a token, whether the model is loaded and the action server
  reachable (bot.runtime.health), for the supervisor and an orchestrator;
- a server that could not listen (its port taken) exits 1, so the supervisor retries it;
- no model at --model: it refuses to start; a model that cannot be loaded answers every
  turn as a failed one (bot.runtime.model_required), never with silence.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.config import installed
from bot.runtime.preflight import Runtime, data_key_or_exit, runtime_or_exit
from bot.runtime.secret_settings import ACTION_SECRET_HEADER

DEFAULT_PORT = 5005


def _configure_logging() -> None:
    """What `rasa`'s own main does before running a command."""
    import rasa.utils.io
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
    tf_env.setup_tf_environment()
    rasa.utils.io.configure_colored_logging(None)
    configure_structlog(None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    runtime = runtime_or_exit()
    with installed(runtime.settings):  # what every module of this process reads
        data_key_or_exit()  # a wrong key never serves, never writes
        _serve(args, runtime)


def _serve(args: argparse.Namespace, runtime: Runtime) -> None:
    _configure_logging()
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints

    from bot.runtime import (
        action_results,
        action_unreachable,
        api_auth,
        fail_closed,
        health,
        model_required,
    )
    from bot.runtime.listening import Listening

    sys.path.insert(1, os.getcwd())  # as `rasa` does: custom components by module path
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    if endpoints.action is None:
        print(f"hrd: refusing to start: {args.endpoints} has no action_endpoint",
              file=sys.stderr)
        raise SystemExit(2)
    model_required.model_or_exit(args.model)
    endpoints.action.headers[ACTION_SECRET_HEADER] = runtime.action_secret
    if runtime.api_token:
        api_auth.install()
    action_results.install()
    action_unreachable.install()  # issue 20: never silence when the action server fails
    listening = Listening("the Rasa server")
    fail_closed.install()  # a store that fails answers no turn (no in-memory fallback)
    model_required.install()  # no model: a failed turn's reply, never silence
    rasa.core.run.serve_application(
        model_path=args.model,
        credentials=args.credentials,
        interface=runtime.host,
        port=args.port,
        auth_token=runtime.api_token,
        enable_api=runtime.api_token is not None,
        endpoints=endpoints,
        server_listeners=[health.listener(endpoints.action.url), *listening.listeners()],
    )
    listening.exit_unless_served()  # a taken port: exit 1, not 0 (bot.runtime.listening)

if __name__ == "__main__":
    main()
