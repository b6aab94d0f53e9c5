"""Messaging channel settings, from the process's settings object (bot.config). Rasa 3.6
expands ${VARS} in credentials.yml but fails on an unset one, so the channels take their
variables from there themselves: none set, the channel is off (no route, 404); some but not
all required ones set, the server refuses to start rather than run a channel that cannot
verify its webhooks."""

from __future__ import annotations

from collections.abc import Sequence

from rasa.shared.exceptions import RasaException

from bot.config import current


def env(name: str) -> str | None:
    """The variable's value (stripped), None when unset or empty."""
    return current().value(name)


def channel_env(channel: str, required: Sequence[str], optional: Sequence[str] = (),
                one_of: Sequence[str] = ()) -> dict[str, str | None] | None:
    """The channel's variables, None when none is set; RasaException when incomplete.
    `one_of`: at least one of these must be set too (Twilio's SMS and WhatsApp numbers)."""
    names = [*required, *one_of, *optional]
    values = {name: env(name) for name in names}
    if not any(values[name] for name in names if not name.endswith("_API_BASE")):
        return None
    missing = [name for name in required if not values[name]]
    if one_of and not any(values[name] for name in one_of):
        missing.append(" or ".join(one_of))
    if missing:
        raise RasaException(f"The {channel} channel is partly configured: set "
                            f"{', '.join(missing)} as well, or none of its variables.")
    return values
