"""A stand-in for the Rasa server in the language tests: the project's real channels (partner,
Telegram, Twilio, Slack) on a Sanic app, with no model behind them. Each message's metadata
is sent back as the reply's text through the channel's own output (the HTTP response, or the
platform's API, which the tests point at tests/channels/fake_platforms.py), so a test reads
exactly what the channel would hand to Rasa.

    python -m tests.channels.metadata_echo <port>
"""

from __future__ import annotations

import json
import sys

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.partner import PartnerInput
from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio import TwilioChannel


async def echo_metadata(message: UserMessage) -> None:
    await message.output_channel.send_text_message(
        message.sender_id, json.dumps(message.metadata, sort_keys=True))


def create_app() -> Sanic:
    app = Sanic("hrd_metadata_echo")
    for channel in (PartnerInput.from_credentials(None), TelegramChannel.from_credentials(None),
                    TwilioChannel.from_credentials(None), SlackChannel.from_credentials(None)):
        # As rasa.core.channels.channel.register mounts them: /webhooks/<name>/...
        app.blueprint(channel.blueprint(echo_metadata),
                      url_prefix=f"/webhooks/{channel.url_prefix()}")
    return app


if __name__ == "__main__":  # pragma: no cover - run by the tests as a process
    create_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
