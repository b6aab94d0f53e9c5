#!/usr/bin/env bash
# The production shape on this machine, behind one TLS origin (deploy/README.md, "The loopback
# production shape"):
#   scripts/prod.sh up       start it in the background (make prod-up)
#   scripts/prod.sh down     stop every process it started (make prod-down)
#   scripts/prod.sh status   which of them are running
# Debian's nginx is the only listener meant for clients (127.0.0.1:PROD_TLS_PORT, 8443 unless
# set); behind it on loopback ports: the console, two Rasa servers sharing PostgreSQL
# (DATABASE_URL) and the Redis lock store (REDIS_URL), and the action server, which only Rasa
# calls. No secret is ever on a command line: RASA_API_TOKEN and HRD_DATA_KEY come from the
# environment or, generated on first run, from $HRD_DATA_DIR/prod-secrets.env (mode 0600).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"

export HRD_DATA_DIR="${HRD_DATA_DIR:-$ROOT/var}"
HRD_DATA_DIR="$(mkdir -p "$HRD_DATA_DIR" && cd "$HRD_DATA_DIR" && pwd)"
RUN_DIR="$HRD_DATA_DIR/prod/run"
LOG_DIR="$HRD_DATA_DIR/prod/logs"
PROXY_DIR="$HRD_DATA_DIR/prod/proxy"
TLS_DIR="$HRD_DATA_DIR/prod/tls"
SECRETS_FILE="$HRD_DATA_DIR/prod-secrets.env"
NGINX="${NGINX:-/usr/sbin/nginx}"

TLS_PORT="${PROD_TLS_PORT:-8443}"
CONSOLE_PORT="${PROD_CONSOLE_PORT:-18080}"
ACTION_PORT="${PROD_ACTION_PORT:-15055}"
read -r -a RASA_PORTS <<<"${PROD_RASA_PORTS:-15005 15006}"
# Stopped in this order: the front first, the action server last.
NAMES=(nginx console)
for i in "${!RASA_PORTS[@]}"; do NAMES+=("rasa-$((i + 1))"); done
NAMES+=(action-server)

alive() {  # alive NAME: its pid if the process in the pid file is still the one started
  local file="$RUN_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qE 'nginx|bot\.(console|runtime)' || return 1
  echo "$pid"
}

down() {
  local name pid pids=()
  for name in "${NAMES[@]}"; do
    if pid="$(alive "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 80); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$RUN_DIR"/*.pid
  echo "The production shape is stopped."
}

status() {
  local name pid up=0
  for name in "${NAMES[@]}"; do
    if pid="$(alive "$name")"; then echo "$name: running (pid $pid)"; up=1
    else echo "$name: stopped"; fi
  done
  [[ $up == 1 ]]
}

# KEY=VALUE lines, exported only where the environment does not already set the key.
load_secrets() {
  local line key value
  [[ -f "$SECRETS_FILE" ]] || return 0
  while IFS= read -r line; do
    key="${line%%=*}" value="${line#*=}"
    [[ "$key" =~ ^(RASA_API_TOKEN|HRD_DATA_KEY)$ ]] || continue
    [[ -n "${!key:-}" ]] || export "$key=$value"
  done <"$SECRETS_FILE"
}

# Generates the missing secrets into the file (0600, created so: never readable by others).
ensure_secrets() {
  load_secrets
  (umask 077 && "$PY" - "$SECRETS_FILE" <<'PY'
import os, secrets, sys
from bot.store.crypto import generate_key_text
path = sys.argv[1]
new = {}
if not os.environ.get("RASA_API_TOKEN"):
    new["RASA_API_TOKEN"] = secrets.token_urlsafe(32)
if not os.environ.get("HRD_DATA_KEY"):
    new["HRD_DATA_KEY"] = generate_key_text().strip()
if new:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        handle.writelines(f"{key}={value}\n" for key, value in new.items())
PY
  )
  chmod 600 "$SECRETS_FILE" 2>/dev/null || true
  load_secrets
}

# A self-signed certificate for the public host, 127.0.0.1 and localhost, made once; the
# private key is written with mode 0600 and never leaves the data directory.
ensure_certificate() {
  mkdir -p "$TLS_DIR" && chmod 700 "$TLS_DIR"
  [[ -s "$TLS_DIR/cert.pem" && -s "$TLS_DIR/key.pem" ]] && return 0
  "$PY" - "$TLS_DIR" "$PUBLIC_HOST" <<'PY'
import datetime, ipaddress, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

directory, host = sys.argv[1], sys.argv[2]
names = {"localhost", "127.0.0.1", host}
alt: list[x509.GeneralName] = []
for name in sorted(names):
    try:
        alt.append(x509.IPAddress(ipaddress.ip_address(name)))
    except ValueError:
        alt.append(x509.DNSName(name))
key = ec.generate_private_key(ec.SECP256R1())
subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (
    x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
    .public_key(key.public_key()).serial_number(x509.random_serial_number())
    .not_valid_before(now - datetime.timedelta(minutes=5))
    .not_valid_after(now + datetime.timedelta(days=397))
    .add_extension(x509.SubjectAlternativeName(alt), critical=False)
    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    .sign(key, hashes.SHA256())
)
fd = os.open(os.path.join(directory, "key.pem"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "wb") as handle:
    handle.write(key.private_bytes(serialization.Encoding.PEM,
                                   serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
with open(os.path.join(directory, "cert.pem"), "wb") as handle:
    handle.write(cert.public_bytes(serialization.Encoding.PEM))
PY
  chmod 600 "$TLS_DIR/key.pem"
}

render_proxy_config() {
  mkdir -p "$PROXY_DIR/tmp" && chmod 700 "$PROXY_DIR"
  local user_line="# Started by an unprivileged user: nginx runs as that user."
  if [[ "$(id -u)" == 0 ]]; then
    # Started as root (a container's default): the workers, which handle every request,
    # drop to nobody; they need no file (bodies and replies stay in memory).
    user_line="user nobody nogroup;"
  fi
  # Values through the environment, never pasted into the program text.
  USER_LINE="$user_line" PROXY_DIR="$PROXY_DIR" TLS_DIR="$TLS_DIR" TLS_PORT="$TLS_PORT" \
    CONSOLE_PORT="$CONSOLE_PORT" PUBLIC_ORIGIN="$PUBLIC_ORIGIN" RASA_PORTS="${RASA_PORTS[*]}" \
    "$PY" - "$ROOT/deploy/nginx/hrd.conf.template" "$PROXY_DIR/nginx.conf" <<'PY'
import os, sys
servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                    for port in os.environ["RASA_PORTS"].split())
names = ("USER_LINE", "PROXY_DIR", "TLS_DIR", "TLS_PORT", "CONSOLE_PORT", "PUBLIC_ORIGIN")
values = {name: os.environ[name] for name in names} | {"RASA_SERVERS": servers}
text = open(sys.argv[1]).read()
for name, value in values.items():
    text = text.replace(f"@{name}@", value)
assert "@" not in "".join(line.split("#")[0] for line in text.splitlines()), "unrendered"
open(sys.argv[2], "w").write(text)
PY
}

spawn() {  # spawn NAME COMMAND...: in its own session, output to its log, pid to its file
  local name=$1
  shift
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

wait_for() {  # wait_for NAME URL [curl options]: until URL answers or the process has exited
  local name=$1 url=$2
  shift 2
  for _ in $(seq 1 600); do
    alive "$name" >/dev/null || { echo "$name exited; its log:" >&2
                                  tail -n 40 "$LOG_DIR/$name.log" >&2; return 1; }
    curl -fs -o /dev/null --max-time 2 "$@" "$url" && return 0
    sleep 0.5
  done
  echo "$name did not answer at $url" >&2
  return 1
}

up() {
  local name
  for name in "${NAMES[@]}"; do
    if alive "$name" >/dev/null; then
      echo "Already running ($name); scripts/prod.sh down first." >&2
      exit 1
    fi
  done
  [[ -x "$NGINX" ]] || { echo "nginx is not installed (make nginx)" >&2; exit 1; }
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  chmod 700 "$HRD_DATA_DIR" "$HRD_DATA_DIR/prod"

  export HRD_ENV=production HRD_BIND_HOST=127.0.0.1 HRD_CONSOLE_HOST=127.0.0.1
  export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
  export RASA_TELEMETRY_ENABLED=false
  # One proxy in front: the applications take the client's address and https from it.
  export HRD_TRUSTED_PROXIES=1
  unset HRD_COOKIE_SECURE HRD_DEV_PARTNER_ORG
  # One origin for the console and Rasa's channels: the widget needs no cross-origin rule.
  # PROD_PUBLIC_URL, not HRD_CONSOLE_PUBLIC_URL: a value left from `make run` (http://) must
  # not leak in.
  PUBLIC_ORIGIN="${PROD_PUBLIC_URL:-https://127.0.0.1:$TLS_PORT}"
  PUBLIC_ORIGIN="${PUBLIC_ORIGIN%/}"
  [[ "$PUBLIC_ORIGIN" == https://* ]] || { echo "PROD_PUBLIC_URL must be https://" >&2; exit 1; }
  PUBLIC_HOST="$(PUBLIC_ORIGIN="$PUBLIC_ORIGIN" "$PY" -c \
    'import os; from urllib.parse import urlsplit; print(urlsplit(os.environ["PUBLIC_ORIGIN"]).hostname)')"
  export HRD_CONSOLE_PUBLIC_URL="$PUBLIC_ORIGIN" HRD_RASA_PUBLIC_URL="$PUBLIC_ORIGIN"
  if [[ -z "${DATABASE_URL:-}" ]]; then
    export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/hrd_prod_shape"
    psql -h 127.0.0.1 -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'hrd_prod_shape'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE hrd_prod_shape'
  fi
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/3}"

  ensure_secrets
  ensure_certificate
  render_proxy_config
  "$ROOT/.venv/bin/hrd" db upgrade >>"$LOG_DIR/db-upgrade.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/db-upgrade.log" >&2; exit 1; }
  # Checks the settings and creates the action server's shared secret file once.
  "$PY" -m bot.runtime.preflight
  "$NGINX" -t -q -p "$PROXY_DIR" -c "$PROXY_DIR/nginx.conf" -e "$PROXY_DIR/error.log"
  sed "s/127.0.0.1:5055/127.0.0.1:$ACTION_PORT/" endpoints.yml >"$RUN_DIR/endpoints.yml"

  trap 'echo "Start-up failed; stopping." >&2; down >&2' ERR
  # Only Rasa is given its API token; none of them has it on its command line.
  spawn action-server env -u RASA_API_TOKEN "$PY" -m bot.runtime.action_server \
    --port "$ACTION_PORT"
  spawn console env -u RASA_API_TOKEN HRD_CONSOLE_PORT="$CONSOLE_PORT" "$PY" -m bot.runtime.console_server
  for i in "${!RASA_PORTS[@]}"; do
    spawn "rasa-$((i + 1))" "$PY" -m bot.runtime.rasa_server --model models/current.tar.gz \
      --endpoints "$RUN_DIR/endpoints.yml" --credentials credentials.yml \
      --port "${RASA_PORTS[$i]}"
  done
  wait_for action-server "http://127.0.0.1:$ACTION_PORT/health"
  wait_for console "http://127.0.0.1:$CONSOLE_PORT/signin"
  for i in "${!RASA_PORTS[@]}"; do
    wait_for "rasa-$((i + 1))" "http://127.0.0.1:${RASA_PORTS[$i]}/"
  done
  spawn nginx "$NGINX" -p "$PROXY_DIR" -c "$PROXY_DIR/nginx.conf" -e "$PROXY_DIR/error.log" \
    -g 'daemon off;'
  wait_for nginx "https://127.0.0.1:$TLS_PORT/signin" --cacert "$TLS_DIR/cert.pem"
  trap - ERR
  cat <<MSG

The production shape is up (data and logs in $HRD_DATA_DIR/prod).
  The one origin:  $PUBLIC_ORIGIN   (console: /signin, case API: /api/cases,
                   partner channel: /webhooks/partner/webhook, widget: /socket.io/)
  Certificate:     $TLS_DIR/cert.pem (self-signed: trust it, or replace both files)
  Behind it on 127.0.0.1 only: console $CONSOLE_PORT, Rasa ${RASA_PORTS[*]}, action server $ACTION_PORT
  Stop it with:    make prod-down
MSG
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/prod.sh up|down|status" >&2; exit 2 ;;
esac
