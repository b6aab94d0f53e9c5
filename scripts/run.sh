#!/usr/bin/env bash
# Start every process on the embedded defaults under supervisord (PyPI `supervisor`): a
# process that dies is restarted by itself, with backoff, while the others keep serving;
# Ctrl-C (or SIGTERM to this script) stops them all. `scripts/processes.sh status` shows them.
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

# supervisord's config, written at every start from these settings (no secret in it: each
# process reads its own from the environment supervisord passes on, or from HRD_DATA_DIR).
# Its control socket is a unix socket in HRD_DATA_DIR, mode 0700; no TCP control port.
# A process that exits within startsecs of starting is retried after 1 s, 2 s, 3 s, ... and
# marked FATAL after startretries tries (the others keep running); one that ran longer and
# died is started again at once. supervisord's own log: HRD_DATA_DIR/supervisord.log.
conf="$HRD_DATA_DIR/supervisord.conf"
socket="$HRD_DATA_DIR/supervisor.sock"
if (( ${#socket} > 100 )); then
  echo "hrd: refusing to start: HRD_DATA_DIR is too long a path for supervisord's control socket" >&2
  exit 2
fi
pct() { printf '%s' "${1//%/%%}"; }  # supervisord expands %(name)s in its config
root="$(pct "$PWD")" data="$(pct "$HRD_DATA_DIR")"
python="$(pct "$(printf '%q' "$PWD/.venv/bin/python")")"  # supervisord splits commands as a shell
program() {  # name, startsecs, command
  cat <<CONF

[program:$1]
command=$3
directory=$root
autostart=true
autorestart=true
startsecs=$2
startretries=5
stopsignal=TERM
stopwaitsecs=20
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
}
{
  cat <<CONF
; Written by scripts/run.sh at every start: edit run.sh, not this file.
[supervisord]
nodaemon=true
logfile=$data/supervisord.log
logfile_maxbytes=5MB
logfile_backups=2
pidfile=$data/supervisord.pid
childlogdir=$data
directory=$root

[unix_http_server]
file=$data/supervisor.sock
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$data/supervisor.sock
CONF
  program action-server 10 "$python -m bot.runtime.action_server --port $ACTION_PORT"
  program console 10 "$python -m bot.runtime.console_server"
  # Loading the model takes a while: a Rasa server that dies within a minute failed to start.
  program rasa 60 "$python -m bot.runtime.rasa_server --model models/current.tar.gz --endpoints endpoints.yml --credentials $(pct "$(printf '%q' "$credentials")") --port $RASA_PORT"
} >"$conf.tmp"
chmod 600 "$conf.tmp" && mv "$conf.tmp" "$conf"

supervisor_pid=
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  # supervisord stops every process (TERM to its process group, KILL after stopwaitsecs).
  [[ -n "$supervisor_pid" ]] && kill -TERM "$supervisor_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  exit "${1:-0}"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'stop $?' EXIT

.venv/bin/supervisord -c "$conf" &
supervisor_pid=$!

for _ in $(seq 1 180); do
  kill -0 "$supervisor_pid" 2>/dev/null || break
  curl -fs "http://$probe_host:$RASA_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done
cat <<MSG

The assistant is up (HRD_ENV=$HRD_ENV, listening on $HRD_BIND_HOST, data in $HRD_DATA_DIR).
  Rasa server:    http://$probe_host:$RASA_PORT  (HTTP API only with RASA_API_TOKEN)
  Action server:  http://$probe_host:$ACTION_PORT  (answers only Rasa)
  Console:        $HRD_CONSOLE_PUBLIC_URL/signin  (open it at exactly this address;
                  case API: /api/cases, /api/openapi.json)
  Health:         Rasa /health, action server /health, console /healthz and /readyz
  Processes:      scripts/processes.sh status  (restarted by supervisord if one dies)
  Chat in a terminal:  .venv/bin/python scripts/chat.py
MSG
echo "Press Ctrl-C to stop everything."
wait "$supervisor_pid"
