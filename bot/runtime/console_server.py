"""`python -m bot.runtime.console_server`: the console on HRD_CONSOLE_HOST (default 127.0.0.1,
so that a reverse proxy with TLS is what faces the network) and HRD_CONSOLE_PORT (default
8080). It refuses to start when the data keys do not open what is stored, and exits 1 when it
cannot listen (a taken port), so that its supervisor sees a failed start."""

from __future__ import annotations

import logging

from bot.config import current, with_settings
from bot.console.app import create_app
from bot.runtime.listening import Listening
from bot.store.crypto import KeyringError
from bot.store.key_check import check_keys_open_stored_data


@with_settings
def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        check_keys_open_stored_data()  # the keys load and open what is stored (issue 18)
    except KeyringError as error:
        raise SystemExit(f"console: {error}") from None
    listening = Listening("the console")
    app = listening.watch(create_app())
    # No access log: URLs carry references and filters, and the audit trail already
    # records who read which case.
    app.run(host=current().console_host, port=current().console_port,
            access_log=False, motd=False, auto_reload=False, workers=1)
    listening.exit_unless_served()  # a taken port: exit 1, not 0 (bot.runtime.listening)


if __name__ == "__main__":
    main()
