#!/usr/bin/env bash
# Start every process on the embedded defaults; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."

export HRD_ENV="${HRD_ENV:-development}"
export HRD_DATA_DIR="${HRD_DATA_DIR:-$PWD/var}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
# Rasa would otherwise report usage and crashes to its own servers.
export RASA_TELEMETRY_ENABLED=false
mkdir -p "$HRD_DATA_DIR" && chmod 700 "$HRD_DATA_DIR"

RASA_PORT=5005
ACTION_PORT=5055
# Browsers reach the console and Rasa (the widget's socket) at these origins; each side
# allows only the other's (CSP connect-src, socket.io CORS).
export HRD_CONSOLE_PUBLIC_URL="${HRD_CONSOLE_PUBLIC_URL:-http://localhost:${HRD_CONSOLE_PORT:-8080}}"
export HRD_RASA_PUBLIC_URL="${HRD_RASA_PUBLIC_URL:-http://localhost:$RASA_PORT}"
credentials=credentials.yml
if [[ "$HRD_ENV" == "development" ]]; then
  # The unauthenticated REST channel stands for one organization, in development only.
  export HRD_DEV_PARTNER_ORG="${HRD_DEV_PARTNER_ORG:-unhcr}"
  credentials=credentials.dev.yml
fi
api_args=()
if [[ -n "${RASA_API_TOKEN:-}" ]]; then
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/python -m bot.console &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --endpoints endpoints.yml \
  --credentials "$credentials" --port "$RASA_PORT" "${api_args[@]}" &
pids+=($!)

for _ in $(seq 1 180); do
  curl -fs "http://localhost:$RASA_PORT/" >/dev/null 2>&1 && break
  sleep 1
done
cat <<MSG

The assistant is up (HRD_ENV=$HRD_ENV, data in $HRD_DATA_DIR).
  Rasa server:    http://localhost:$RASA_PORT
  Action server:  http://localhost:$ACTION_PORT
  Console:        $HRD_CONSOLE_PUBLIC_URL/signin  (open it at exactly this address;
                  case API: /api/cases, /api/openapi.json)
MSG
if [[ "$HRD_ENV" == "development" ]]; then
  echo "  Chat in a terminal:  .venv/bin/python scripts/chat.py   (as $HRD_DEV_PARTNER_ORG)"
fi
echo "Press Ctrl-C to stop everything."
wait -n "${pids[@]}"
