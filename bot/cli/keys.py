"""`hrd keys rotate`: a new data key, and everything re-encrypted under it: the store's
data, and bot.access's TOTP secrets (its rotation steps, passed in here).
`hrd keys generate`: a new keyring for HRD_DATA_KEY (printed: redirect it to a safe place)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli import CommandError
from bot.store import crypto
from bot.store.rotation import RotationError, rotate_keys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("keys", help="the data encryption keys")
    commands = parser.add_subparsers(dest="keys_command", required=True)
    rotate = commands.add_parser(
        "rotate", help="add a new current key and re-encrypt every case, transcript, outbox file"
    )
    rotate.add_argument("--keep-old", action="store_true",
                        help="keep the old keys in the keyring after re-encryption")
    rotate.add_argument("--keyring-out", type=Path, metavar="FILE",
                        help="with HRD_DATA_KEY: where to write the new keyring (mode 0600)")
    rotate.set_defaults(handler=rotate_command)
    generate = commands.add_parser("generate", help="print a new keyring for HRD_DATA_KEY")
    # Makes the key a shared database needs: runs without one.
    generate.set_defaults(handler=generate_command, needs_data_key=False)


def rotate_command(args: argparse.Namespace) -> int:
    # Here, not at import: every `hrd` command loads this module, and access's passwords
    # module hashes a dummy password when imported.
    from bot.access.key_rotation import ROTATION_STEPS as ACCESS_ROTATION_STEPS

    # An existing --keyring-out is refused by rotate_keys unless it is the unfinished
    # rotation of these keys, which is then resumed.
    try:
        report = rotate_keys(keep_old=args.keep_old, keyring_out=args.keyring_out,
                             steps=ACCESS_ROTATION_STEPS)
    except (RotationError, crypto.KeyringError) as error:
        raise CommandError(str(error)) from error
    if report.resumed:
        print(f"resumed the interrupted rotation to {report.new_key_id}")
    print(f"current key: {report.new_key_id} (keyring in {report.keyring_file})")
    print(f"re-encrypted: {report.cases} cases, {report.tracker_events} tracker events, "
          f"{report.outbox_files} outbox files")
    if report.retired_key_ids:
        print(f"retired keys: {', '.join(report.retired_key_ids)}")
    if args.keyring_out is not None:
        print(f"set HRD_DATA_KEY to the content of {args.keyring_out} and restart the servers")
    return 0


def generate_command(args: argparse.Namespace) -> int:
    print(crypto.generate_key_text())
    return 0
