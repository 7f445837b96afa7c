#!/usr/bin/env bash
# `npm run test:ui`: the n8n editor in a real browser, as a first-time user meets it. Starts the
# `npm start` sandbox (scripts/start.sh --reset, on free ports, in a throwaway folder), drives
# Debian's Chromium with playwright-core (test/ui/editor.ts), then stops the sandbox with Ctrl-C
# (SIGINT) as a user would and checks that it stopped cleanly.
#
#   npm run test:ui                                 # screenshots into the work folder
#   npm run test:ui -- --screenshots docs/screenshots   # refresh the README's screenshots
#
# Env: CHROMIUM_PATH (default /usr/bin/chromium), UI_KEEP=1 keeps the work folder.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STARTED=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercom-gdpr-ui.XXXXXX")
SHOTS=$WORK/screenshots
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshots) SHOTS=$(cd "$REPO" && mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    *) echo "test:ui: unknown option $1 (known: --screenshots DIR)" >&2; exit 2 ;;
  esac
done
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM_PATH" ] || { echo "test:ui: no Chromium at $CHROMIUM_PATH (apt-get install chromium, or set CHROMIUM_PATH)" >&2; exit 1; }
export CHROMIUM_PATH

# shellcheck source=scripts/n8n-env.sh
source "$REPO/scripts/n8n-env.sh"
N8N_PORT=$(n8n_env_free_port)
BROKER_PORT=$(n8n_env_free_port)
FAKE_PORT=$(n8n_env_free_port)
while [ "$BROKER_PORT" = "$N8N_PORT" ]; do BROKER_PORT=$(n8n_env_free_port); done
while [ "$FAKE_PORT" = "$N8N_PORT" ] || [ "$FAKE_PORT" = "$BROKER_PORT" ]; do FAKE_PORT=$(n8n_env_free_port); done

# A sandbox folder from an earlier start, with a stale ledger: --reset must leave none of it.
HOME_DIR=$WORK/sandbox-home
mkdir -p "$HOME_DIR/.n8n"
touch "$HOME_DIR/.intercom-gdpr-sandbox" "$HOME_DIR/left-from-an-earlier-start"
echo "not a ledger" > "$HOME_DIR/.n8n/intercom-gdpr-ledger.sqlite"

START_PID=
rc=0
finish() {
  local code=$?
  [ $rc = 0 ] && rc=$code
  if [ -n "$START_PID" ] && kill -0 "$START_PID" 2>/dev/null; then
    kill -INT "$START_PID" 2>/dev/null || true
    wait "$START_PID" 2>/dev/null || true
  fi
  echo "test:ui: $(( $(date +%s) - STARTED )) s in all; screenshots in $SHOTS" >&2
  if [ $rc = 0 ] && [ "${UI_KEEP:-0}" != 1 ]; then
    case "$SHOTS" in "$WORK"/*) ;; *) rm -rf "$WORK" ;; esac
    echo "UI OK" >&2
  else
    echo "UI $([ $rc = 0 ] && echo OK || echo FAILED); logs in $WORK (sandbox: $HOME_DIR/logs)" >&2
  fi
  exit $rc
}
trap finish EXIT

echo "== npm start -- --reset (sandbox in $HOME_DIR, n8n on 127.0.0.1:$N8N_PORT)" >&2
# With job control on, the background job gets its own process group and keeps SIGINT (a plain
# `cmd &` in a script would start with SIGINT ignored, and start.sh could not trap Ctrl-C).
set -m
SANDBOX_HOME=$HOME_DIR N8N_PORT=$N8N_PORT N8N_RUNNERS_BROKER_PORT=$BROKER_PORT FAKE_INTERCOM_PORT=$FAKE_PORT \
  bash "$REPO/scripts/start.sh" --reset > "$WORK/start.out" 2> "$WORK/start.err" < /dev/null &
START_PID=$!
set +m
for _ in $(seq 1 3600); do
  grep -q 'n8n is running' "$WORK/start.out" 2>/dev/null && break
  kill -0 "$START_PID" 2>/dev/null || { tail -40 "$WORK/start.err" >&2; echo "test:ui: npm start exited" >&2; rc=1; exit 1; }
  sleep 0.5
done
grep -q 'n8n is running' "$WORK/start.out" || { tail -40 "$WORK/start.err" >&2; echo "test:ui: npm start did not get ready" >&2; rc=1; exit 1; }
echo "npm start ready after $(( $(date +%s) - STARTED )) s" >&2

fail=0
[ ! -e "$HOME_DIR/left-from-an-earlier-start" ] || { echo "  ✗ npm start -- --reset left the earlier sandbox's files" >&2; fail=1; }
grep -q 'removed the sandbox folder' "$WORK/start.err" || { echo "  ✗ npm start -- --reset did not say what it removed" >&2; fail=1; }
[ $fail = 0 ] && echo "  ✓ npm start -- --reset began from an empty sandbox folder (stale ledger and files gone)" >&2

UI_T0=$(date +%s)
(cd "$REPO" && node --import tsx test/ui/editor.ts "http://127.0.0.1:$N8N_PORT" "$SHOTS") || fail=1
echo "editor steps: $(( $(date +%s) - UI_T0 )) s" >&2

# Ctrl-C, as a user stops the sandbox: a clean stop with exit code 0, nothing left listening.
kill -INT "$START_PID"
stop_rc=0
wait "$START_PID" || stop_rc=$?
START_PID=
if [ $stop_rc = 0 ] && grep -q 'Stopped.' "$WORK/start.err" && ! n8n_env_port_busy "$N8N_PORT" && ! n8n_env_port_busy "$FAKE_PORT"; then
  echo "  ✓ Ctrl-C stopped n8n and the sandbox Intercom cleanly (exit 0)" >&2
else
  echo "  ✗ Ctrl-C: exit $stop_rc; $(tail -3 "$WORK/start.err" | tr '\n' ' ')" >&2
  fail=1
fi
rc=$fail
