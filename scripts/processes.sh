#!/usr/bin/env bash
# supervisorctl for the processes `make run` (scripts/run.sh) started, through the control
# socket in HRD_DATA_DIR (mode 0700: its owner only): `scripts/processes.sh status`,
# `... restart rasa`, `... start console` (a FATAL process, one that kept dying at start).
# The restarts and exits are logged in HRD_DATA_DIR/supervisord.log.
set -euo pipefail
cd "$(dirname "$0")/.."
HRD_DATA_DIR="${HRD_DATA_DIR:-$PWD/var}"
exec .venv/bin/supervisorctl -c "$HRD_DATA_DIR/supervisord.conf" "$@"
