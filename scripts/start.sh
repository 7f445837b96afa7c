#!/usr/bin/env bash
# `npm start`: a real n8n on http://127.0.0.1:5678 with our nodes loaded and a sandbox Intercom (the
# fake, seeded, on 127.0.0.1:5680) behind them: credential and example workflows imported, an
# owner account created. Ctrl-C stops everything.
#
# The n8n user folder persists between starts (owner account, your workflows), under the cache:
#   ${N8N_E2E_CACHE:-~/.cache/n8n-intercom-gdpr}/sandbox-home      (override: SANDBOX_HOME)
# Ports: N8N_PORT (5678), FAKE_INTERCOM_PORT (5680), N8N_RUNNERS_BROKER_PORT (5679).
#
# The sandbox Intercom is seeded afresh on every start (it keeps nothing), so the sandbox's audit
# ledger starts afresh too: a ledger saying "erased" about a person the reseeded Intercom holds again
# would be exactly the disagreement a real ledger must never show. The previous one is kept in
# logs/ for a look. `npm start -- --reset` also forgets everything else: owner account, your
# workflows and executions, credentials; the next start is like the first.
set -euo pipefail

RESET=0
for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help)
      echo "usage: npm start [-- --reset]   (--reset: forget the sandbox's n8n data, workflows and ledger first)"
      exit 0 ;;
    *) echo "npm start: unknown option '$arg' (known: --reset)" >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STARTED=$(date +%s)
export N8N_ENV_TIMINGS=${TMPDIR:-/tmp}/intercom-gdpr-start-$$.tsv
# shellcheck source=scripts/n8n-env.sh
source "$REPO/scripts/n8n-env.sh"

SANDBOX_HOME=${SANDBOX_HOME:-$N8N_ENV_CACHE/sandbox-home}
# Written into every sandbox folder: --reset deletes only a folder that carries it (or an empty one).
SANDBOX_MARK=.intercom-gdpr-sandbox
HTTP_PORT=${N8N_PORT:-5678}
BROKER_PORT=${N8N_RUNNERS_BROKER_PORT:-5679}
FAKE_PORT=${FAKE_INTERCOM_PORT:-5680}
# Only ever on 127.0.0.1 and only for the sandbox, so a fixed, printed login is a convenience, not a risk.
OWNER_EMAIL=sandbox@example.com
OWNER_PASSWORD=Sandbox-n8n-1
LOGS=$SANDBOX_HOME/logs
if [ "$RESET" = 1 ] && [ -d "$SANDBOX_HOME" ]; then
  if [ -f "$SANDBOX_HOME/$SANDBOX_MARK" ] || [ -z "$(ls -A "$SANDBOX_HOME")" ]; then
    rm -rf "$SANDBOX_HOME"
    echo "--reset: removed the sandbox folder $SANDBOX_HOME (n8n data, workflows, executions, ledger)" >&2
  else
    echo "npm start: --reset refuses to delete $SANDBOX_HOME: it is not a sandbox folder (no $SANDBOX_MARK file)" >&2
    exit 2
  fi
fi
mkdir -p "$LOGS" "$SANDBOX_HOME/import/workflows"
touch "$SANDBOX_HOME/$SANDBOX_MARK"

stopping=0
stop() {
  [ $stopping = 1 ] && return
  stopping=1
  printf '\nStopping n8n and the sandbox Intercom...\n' >&2
  n8n_env_cleanup
  rm -f "$N8N_ENV_TIMINGS"
  echo "Stopped." >&2
}
trap stop EXIT
# Ctrl-C is how a user ends the sandbox: a clean stop, not an error for npm to report.
trap 'exit 0' INT TERM

for port in "$HTTP_PORT" "$BROKER_PORT" "$FAKE_PORT"; do
  if n8n_env_port_busy "$port"; then
    n8n_env_die "port $port on 127.0.0.1 is in use (another n8n or npm start?). Stop it, or set N8N_PORT / N8N_RUNNERS_BROKER_PORT / FAKE_INTERCOM_PORT."
  fi
done

n8n_env_log "n8n (the first start installs it into $N8N_ENV_CACHE: 3-8 min, ~3 GB)"
timed "n8n install (cached)" n8n_env_ensure_n8n
n8n_env_configure "$SANDBOX_HOME" "sandbox-not-secret-encryption-key-0123456789" "$HTTP_PORT" "$BROKER_PORT"

n8n_env_log "build and install n8n-nodes-intercom-gdpr into $N8N_USER_FOLDER/.n8n/nodes"
n8n_env_install_package "$SANDBOX_HOME" "$LOGS"
rm -f "$SANDBOX_HOME"/n8n-nodes-intercom-gdpr-*.tgz

n8n_env_log "sandbox Intercom (the fake, seed 1) on 127.0.0.1:$FAKE_PORT"
timed "start the sandbox Intercom" n8n_env_start_fake "$LOGS/fake-intercom.log" --port "$FAKE_PORT" --seed 1
curl -sf "$FAKE_URL/__fake/fixtures" > "$SANDBOX_HOME/fixtures.json" || n8n_env_die "GET /__fake/fixtures"

# The sandbox Intercom was just seeded afresh: start its ledger afresh too (see the top).
SANDBOX_LEDGER=$SANDBOX_HOME/.n8n/intercom-gdpr-ledger.sqlite
if [ -f "$SANDBOX_LEDGER" ]; then
  rm -f "$LOGS"/previous-ledger.sqlite*
  for f in "$SANDBOX_LEDGER" "$SANDBOX_LEDGER-wal" "$SANDBOX_LEDGER-shm"; do
    [ -f "$f" ] && mv "$f" "$LOGS/previous-ledger.sqlite${f#"$SANDBOX_LEDGER"}"
  done
  echo "sandbox ledger started afresh, as the sandbox Intercom was reseeded (previous one: $LOGS/previous-ledger.sqlite)" >&2
fi

n8n_env_log "import the sandbox credential and the example workflows"
n8n_env_write_credential "$SANDBOX_HOME/import/credentials.json" icGdprSandboxCrd "Intercom GDPR (sandbox)"
# The GDPR Ledger credential the erase and ledger examples use: SQLite at its default path in the
# sandbox's n8n user folder, so the sandbox's ledger persists between starts like the rest of it.
node -e '
  const file = process.argv[1];
  const creds = JSON.parse(require("fs").readFileSync(file, "utf8"));
  creds.push({ id: "icGdprLedgerCrd1", name: "GDPR Ledger (sandbox)", type: "gdprLedger",
    data: { backend: "sqlite", sqlitePath: "", secretKey: "sandbox-ledger-secret-key-0123456789" } });
  require("fs").writeFileSync(file, JSON.stringify(creds, null, 2));
' "$SANDBOX_HOME/import/credentials.json" || n8n_env_die "writing the GDPR Ledger credential"
n8n_cli "$LOGS/import-credentials.log" "import:credentials" import:credentials --input="$SANDBOX_HOME/import/credentials.json"
rm -f "$SANDBOX_HOME/import/workflows/"*.json
(cd "$REPO" && node --import tsx test/e2e/workflows.ts "$SANDBOX_HOME/import/workflows" "$SANDBOX_HOME/fixtures.json") ||
  n8n_env_die "writing the example workflows"
# Re-import only when the examples changed, so edits made in the editor survive a restart.
examples_hash=$(cat "$SANDBOX_HOME/import/workflows/"*.json | sha256sum | cut -d' ' -f1)
if [ "$(cat "$SANDBOX_HOME/import/examples.sha256" 2>/dev/null || true)" != "$examples_hash" ]; then
  n8n_cli "$LOGS/import-workflows.log" "import:workflow" import:workflow --separate --input="$SANDBOX_HOME/import/workflows"
  echo "$examples_hash" > "$SANDBOX_HOME/import/examples.sha256"
else
  echo "example workflows unchanged since the last start: not re-imported" >&2
fi

n8n_env_log "n8n start (log: $LOGS/n8n.log)"
start_n8n() {
  n8n_env_spawn "$LOGS/n8n.log" n8n start
  N8N_PID=$N8N_ENV_LAST_PID
  n8n_env_wait_ready "$N8N_PID" "$LOGS/n8n.log"
}
timed "n8n start -> ready" start_n8n

# First start: create the owner account, so the editor opens on the login page, not the setup form.
URL=http://127.0.0.1:$HTTP_PORT
if curl -sf "$URL/rest/settings" | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8")).data;
    process.exit(s.userManagement && s.userManagement.showSetupOnFirstLoad ? 0 : 1);'; then
  curl -sf -H 'content-type: application/json' -H 'browser-id: npm-start' -X POST "$URL/rest/owner/setup" \
    -d "{\"email\":\"$OWNER_EMAIL\",\"firstName\":\"Sandbox\",\"lastName\":\"Owner\",\"password\":\"$OWNER_PASSWORD\"}" \
    > "$LOGS/owner-setup.json" || echo "(could not create the owner account; n8n will ask you to)" >&2
fi

n8n_env_print_timings
echo "  (ready $(( $(date +%s) - STARTED )) s after npm start)" >&2

node -e '
  const fx = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const f = fx.fixtures || fx;
  const [url, fake, email, password] = process.argv.slice(2);
  console.log(`
  n8n is running:   ${url}
  log in as:        ${email} / ${password}   (created by npm start; local sandbox only)
  sandbox Intercom: ${fake}  (fake, seeded; credential "Intercom GDPR (sandbox)" points at it)

  Try:
  1. Workflows -> "Intercom GDPR: find a data subject by email" -> Execute workflow.
     It finds the lead AND the user who share ${f.sharedEmail}; the output holds ids and roles, no personal data.
  2. "Intercom GDPR: look up a list of requesters" -> Execute workflow: one answer per email,
     including found: false for someone Intercom does not know.
  3. In any workflow: + -> search "Intercom GDPR" -> Data Subject -> Find, and try these emails:
       ${f.sharedEmail}   (a lead and a user)
       ${f.userEmail}   (one user)
       ${f.unknownEmail}   (nobody)
  4. The other examples on the Workflows page (all of examples/) run against the sandbox too.
     Erase and Retention ship with Dry Run on: switch it off in the node to really delete.
  5. See what the nodes sent to "Intercom": curl -s ${fake}/__fake/requests

  Every start reseeds the sandbox Intercom and starts its ledger afresh (they always agree).
  npm start -- --reset also forgets your sandbox workflows, executions and login.
  Ctrl-C stops n8n and the sandbox.`);
' "$SANDBOX_HOME/fixtures.json" "$URL" "$FAKE_URL" "$OWNER_EMAIL" "$OWNER_PASSWORD"

# Wait until Ctrl-C (trap) or until n8n exits on its own.
while kill -0 "$N8N_PID" 2>/dev/null && kill -0 "$FAKE_PID" 2>/dev/null; do
  sleep 1 & wait $! || true
done
kill -0 "$N8N_PID" 2>/dev/null || { tail -30 "$LOGS/n8n.log" >&2; n8n_env_die "n8n exited (log: $LOGS/n8n.log)"; }
tail -30 "$LOGS/fake-intercom.log" >&2
n8n_env_die "the sandbox Intercom exited (log: $LOGS/fake-intercom.log)"
