"""Messaging channel settings from the environment. Rasa 3.6 expands ${VARS} in
credentials.yml but fails on an unset one, so the channels read their variables themselves:
none set, the channel is off (no route, 404); some but not all required ones set, the server
refuses to start rather than run a channel that cannot verify its webhooks."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rasa.shared.exceptions import RasaException


def env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


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
