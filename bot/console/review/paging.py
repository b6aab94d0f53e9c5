"""Links that keep a list's filters: the next page, another order (back to page 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode


def list_link(path: str, args: Mapping[str, Sequence[str]], **changes: object) -> str:
    """`path` with the request's non-blank parameters, `changes` replacing theirs (None or
    "" drops one). Changing anything but the page goes back to the first page."""
    values = {k: v[0] for k, v in args.items() if v and v[0] != ""}
    if "page" not in changes:
        values.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            values.pop(name, None)
        else:
            values[name] = str(value)
    return path + ("?" + urlencode(values) if values else "")
