"""What every messaging channel does with a verified platform update: drop repeats, find
the partner user linked to the account, refuse the unlinked once, tell a linked user when a
message holds no text to read (a photo, a voice note, a file) or is too long, and hand the
rest to Rasa as the partner channel does (claimed sender id, {"hrd_auth": ...} metadata).

Sender ids are "<channel>:<link id>" (e.g. "telegram:12", "whatsapp:3"): they name the link,
not the phone number or platform id, so no account id reaches the tracker store or a case,
and relinking an account to someone else starts a new conversation. Replies go to the
address the update came from, bound into the output channel.

Nothing here logs a message, an account id or a sender id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.access.auth import Principal
from bot.access.chat_accounts import linked_user
from bot.access.senders import claim_sender
from bot.channels.choices import offered_buttons, pressed_text
from bot.channels.dedupe import SeenUpdates
from bot.channels.partner import auth_metadata
from bot.channels.refusal import RefusalThrottle, refusal_text
from bot.channels.requests import MAX_MESSAGE_CHARS
from bot.channels.text import plain_command
from bot.channels.turn_failure import TEXT_ONLY, TOO_LONG, failure_text, reply_text

logger = logging.getLogger(__name__)

Outcome = Literal["duplicate", "ignored", "refused", "handled", "failed"]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Inbound:
    """A verified update. `platform` is the link's kind (telegram, phone, slack);
    `channel` the sender id's namespace (telegram, sms, whatsapp, slack); `language` the
    platform's locale for the sender ("en"/"fr", when it tells one), used when the linked
    user has no stored preference; `pressed` says `text` is a button's payload (Telegram's
    callback_data, a Slack action's value), which reaches Rasa as is only if the bot offered
    it (bot.channels.choices)."""

    platform: str
    channel: str
    account_id: str
    update_id: str
    text: str
    language: str | None = None
    pressed: bool = False


class Gateway:
    def __init__(self, input_channel: str, seen: SeenUpdates | None = None,
                 throttle: RefusalThrottle | None = None) -> None:
        self.input_channel = input_channel
        self.seen = seen or SeenUpdates()
        self.throttle = throttle or RefusalThrottle()

    async def handle(self, inbound: Inbound, output: OutputChannel,
                     on_new_message: OnNewMessage, agent: Any = None, *,
                     deduplicated: bool = False) -> Outcome:
        """`agent`: the server's Rasa agent (request_agent), for the refusal text and the
        buttons on offer. `deduplicated`: the caller already checked first_time."""
        if not deduplicated and not await self.first_time(inbound):
            return "duplicate"
        text = plain_command(inbound.text)
        unreadable = (TOO_LONG if len(inbound.text) > MAX_MESSAGE_CHARS
                      else None if text else TEXT_ONLY)
        user = await asyncio.to_thread(linked_user, inbound.platform, inbound.account_id)
        sender_id = f"{inbound.channel}:{user.link_id}" if user else ""
        if user is not None and not await asyncio.to_thread(claim_sender, sender_id,
                                                            user.user_id):
            logger.warning("%s: sender id of link %s is owned by another user",
                           self.input_channel, user.link_id)
            user = None
        if user is None:
            await self._refuse(inbound, output, getattr(agent, "domain", None))
            return "refused"
        if unreadable:  # no turn: nothing of it reaches Rasa or the store, but the user hears
            await _say(output, sender_id, reply_text(
                unreadable, "", auth_metadata(_principal(user), inbound.language)))
            return "ignored"
        if inbound.pressed:
            text = pressed_text(await offered_buttons(agent, sender_id), inbound.text.strip())
        principal = _principal(user)
        try:
            await on_new_message(UserMessage(
                text, output, sender_id, input_channel=self.input_channel,
                metadata=auth_metadata(principal, inbound.language),
            ))
        except Exception as error:  # answer the platform anyway: a retry would be dropped
            logger.error("%s: message failed (%s)", self.input_channel, type(error).__name__)
            await _say(output, sender_id,
                       failure_text(text, auth_metadata(principal, inbound.language)))
            return "failed"
        return "handled"

    async def first_time(self, inbound: Inbound) -> bool:
        return await self.seen.first_time(inbound.channel, inbound.update_id)

    async def _refuse(self, inbound: Inbound, output: OutputChannel, domain: Any) -> None:
        if not self.throttle.should_refuse(inbound.channel, inbound.account_id):
            return
        try:
            await output.send_text_message("", refusal_text(domain))
        except Exception as error:
            logger.error("%s: refusal not sent (%s)", self.input_channel, type(error).__name__)


def _principal(user: Any) -> Principal:
    return Principal(user_id=user.user_id, email=user.email, role=user.role,
                     org_id=user.org_id, language=user.language)


async def _say(output: OutputChannel, sender_id: str, text: str) -> None:
    """A reply without a turn (issue 20: never silence), e.g. that the draft is kept."""
    try:
        await output.send_text_message(sender_id, text)
    except Exception as error:
        logger.error("channel reply not sent (%s)", type(error).__name__)


def request_agent(request: Any) -> Any:
    """The server's Rasa agent (its domain has the refusal text, its tracker store the
    buttons on offer), if it has one."""
    return getattr(getattr(request.app, "ctx", None), "agent", None)
