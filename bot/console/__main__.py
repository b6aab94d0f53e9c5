"""`python -m bot.console`: the console on HRD_CONSOLE_HOST (default 127.0.0.1, so that a
reverse proxy with TLS is what faces the network) and HRD_CONSOLE_PORT (default 8080)."""

from __future__ import annotations

import logging

from bot.config import current, with_settings
from bot.console.app import create_app
from bot.store.crypto import KeyringError
from bot.store.key_check import check_keys_open_stored_data


@with_settings
def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        check_keys_open_stored_data()  # the keys load and open what is stored (issue 18)
    except KeyringError as error:
        raise SystemExit(f"console: {error}") from None
    app = create_app()
    # No access log: URLs carry references and filters, and the audit trail already
    # records who read which case.
    app.run(host=current().console_host, port=current().console_port,
            access_log=False, motd=False, auto_reload=False, workers=1)


if __name__ == "__main__":
    main()
