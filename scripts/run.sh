#!/usr/bin/env bash
# Start every process on the embedded defaults; Ctrl-C stops them all.
# Safe as it is: every process listens on HRD_BIND_HOST (127.0.0.1 unless set), HRD_ENV is
# production unless development is asked for, and no secret is ever on a command line
# (RASA_API_TOKEN and the action server's secret are read from the environment or
# HRD_DATA_DIR by the processes themselves, bot/runtime/).
set -euo pipefail
cd "$(dirname "$0")/.."

export HRD_ENV="${HRD_ENV:-production}"
export HRD_BIND_HOST="${HRD_BIND_HOST:-127.0.0.1}"
export HRD_CONSOLE_HOST="${HRD_CONSOLE_HOST:-$HRD_BIND_HOST}"
export HRD_DATA_DIR="${HRD_DATA_DIR:-$PWD/var}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
# Rasa would otherwise report usage and crashes to its own servers.
export RASA_TELEMETRY_ENABLED=false
mkdir -p "$HRD_DATA_DIR" && chmod 700 "$HRD_DATA_DIR"
# Refuses to go on (a one-line reason) with a bad HRD_ENV, a short RASA_API_TOKEN, ...;
# creates the action server's shared secret file on first run.
.venv/bin/python -m bot.runtime.preflight

RASA_PORT=5005
ACTION_PORT=5055
# Browsers reach the console and Rasa (the widget's socket) at these origins; each side
# allows only the other's (CSP connect-src, socket.io CORS).
export HRD_CONSOLE_PUBLIC_URL="${HRD_CONSOLE_PUBLIC_URL:-http://localhost:${HRD_CONSOLE_PORT:-8080}}"
export HRD_RASA_PUBLIC_URL="${HRD_RASA_PUBLIC_URL:-http://localhost:$RASA_PORT}"
credentials=credentials.yml
if [[ "$HRD_ENV" == "development" ]]; then
  # The local development channel (no authentication, loopback clients only) stands for
  # one organization.
  export HRD_DEV_PARTNER_ORG="${HRD_DEV_PARTNER_ORG:-unhcr}"
  credentials=credentials.dev.yml
fi
probe_host="$HRD_BIND_HOST"
[[ "$probe_host" == "0.0.0.0" || "$probe_host" == "::" ]] && probe_host=127.0.0.1

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/python -m bot.runtime.action_server --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/python -m bot.console &
pids+=($!)
.venv/bin/python -m bot.runtime.rasa_server --model models/current.tar.gz \
  --endpoints endpoints.yml --credentials "$credentials" --port "$RASA_PORT" &
pids+=($!)

for _ in $(seq 1 180); do
  curl -fs "http://$probe_host:$RASA_PORT/" >/dev/null 2>&1 && break
  sleep 1
done
cat <<MSG

The assistant is up (HRD_ENV=$HRD_ENV, listening on $HRD_BIND_HOST, data in $HRD_DATA_DIR).
  Rasa server:    http://$probe_host:$RASA_PORT  (HTTP API only with RASA_API_TOKEN)
  Action server:  http://$probe_host:$ACTION_PORT  (answers only Rasa)
  Console:        $HRD_CONSOLE_PUBLIC_URL/signin  (open it at exactly this address;
                  case API: /api/cases, /api/openapi.json)
  Chat in a terminal:  .venv/bin/python scripts/chat.py
MSG
echo "Press Ctrl-C to stop everything."
wait -n "${pids[@]}"
