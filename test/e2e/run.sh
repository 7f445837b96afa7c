#!/usr/bin/env bash
# End to end in real n8n (`npm run test:e2e`): installs n8n 2.41.1 into the cache when missing,
# loads our packed package as a community package, points an imported credential at the fake
# Intercom and runs the example workflows headless; then starts n8n and runs the credential test
# through its REST API, as the editor's "Test" button does. Asserts on n8n's results and on the
# fake's request log (test/e2e/check.ts). Prints timings; exits non-zero with log tails on failure.
#
# Env: N8N_E2E_CACHE (install cache, default ~/.cache/n8n-intercom-gdpr), E2E_KEEP=1 (keep the work dir).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercom-gdpr-e2e.XXXXXX")
LOGS=$WORK/logs
mkdir -p "$LOGS" "$WORK/import/workflows"
export N8N_ENV_TIMINGS=$WORK/timings.tsv
# shellcheck source=scripts/n8n-env.sh
source "$REPO/scripts/n8n-env.sh"

on_exit() {
  local rc=$?
  n8n_env_cleanup
  n8n_env_print_timings
  if [ $rc = 0 ] && [ "${E2E_KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
    printf '\nE2E OK\n' >&2
  else
    printf '\nE2E %s; logs and n8n user folder kept in %s\n' "$([ $rc = 0 ] && echo OK || echo FAILED)" "$WORK" >&2
  fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check() { (cd "$REPO" && node --import tsx test/e2e/check.ts "$@"); }
fake_get() { curl -sf "$FAKE_URL/__fake/$1"; }
fake_clear_log() { curl -sf -X DELETE "$FAKE_URL/__fake/requests" > /dev/null || n8n_env_die "DELETE /__fake/requests"; }

n8n_env_log "n8n (cache: $N8N_ENV_CACHE)"
timed "n8n install (cached after the first run)" n8n_env_ensure_n8n
echo "n8n $(node -p "require('$N8N_HOME_DIR/node_modules/n8n/package.json').version") on node $(node -v)" >&2

n8n_env_log "fake Intercom"
timed "start the fake Intercom" n8n_env_start_fake "$LOGS/fake-intercom.log" --port 0
echo "fake Intercom at $FAKE_URL" >&2
fake_get fixtures > "$WORK/fixtures.json" || n8n_env_die "GET /__fake/fixtures"

# A throwaway user folder; free ports (picked after the fake has its own), so a running
# `npm start` or another e2e run does not get in the way.
HTTP_PORT=$(n8n_env_free_port)
BROKER_PORT=$(n8n_env_free_port)
while [ "$BROKER_PORT" = "$HTTP_PORT" ]; do BROKER_PORT=$(n8n_env_free_port); done
n8n_env_configure "$WORK/home" "e2e-not-secret-encryption-key-0123456789" "$HTTP_PORT" "$BROKER_PORT"

n8n_env_log "build, pack and install our package into $N8N_USER_FOLDER/.n8n/nodes"
n8n_env_install_package "$WORK" "$LOGS"

n8n_env_log "import the credential and the example workflows"
n8n_env_write_credential "$WORK/import/credentials.json" icGdprSandboxCrd "Intercom GDPR (sandbox)"
# The GDPR Ledger credential for the erase and ledger examples: SQLite with an empty path, i.e. the
# default file in the n8n user folder (checked below).
node -e '
  const file = process.argv[1];
  const creds = JSON.parse(require("fs").readFileSync(file, "utf8"));
  creds.push({ id: "icGdprLedgerCrd1", name: "GDPR Ledger (sandbox)", type: "gdprLedger",
    data: { backend: "sqlite", sqlitePath: "", secretKey: "e2e-ledger-secret-key-0123456789" } });
  require("fs").writeFileSync(file, JSON.stringify(creds, null, 2));
' "$WORK/import/credentials.json" || n8n_env_die "writing the GDPR Ledger credential"
(cd "$REPO" && node --import tsx test/e2e/workflows.ts "$WORK/import/workflows" "$WORK/fixtures.json" --e2e) ||
  n8n_env_die "writing the workflows"
# The first command on a fresh database also runs all migrations.
n8n_cli "$LOGS/import-credentials.log" "n8n import:credentials (+ DB migrations)" \
  import:credentials --input="$WORK/import/credentials.json"
n8n_cli "$LOGS/import-workflows.log" "n8n import:workflow (all examples)" \
  import:workflow --separate --input="$WORK/import/workflows"

# run_workflow ID NAME: `n8n execute --id` (never --file: it exits 0 without running anything).
run_workflow() {
  local id=$1 name=$2 out=$LOGS/execute-$1.out
  fake_clear_log
  local rc=0
  timed "n8n execute: $name" n8n execute --id="$id" --rawOutput > "$out" 2>&1 || rc=$?
  if [ $rc = 139 ]; then
    # Seen about once in 20 runs: n8n 2.41.1 prints the complete result, then dies with SIGSEGV
    # while shutting down (native teardown; the recipe saw the same in execute-batch). The result
    # is still checked in full below; a crash before the result fails there ("no JSON result block").
    echo "warning: n8n execute --id=$id exited with SIGSEGV (139); checking the result it printed" >&2
  elif [ $rc != 0 ]; then
    tail -40 "$out" >&2
    n8n_env_die "n8n execute --id=$id ($name) exited with $rc"
  fi
  fake_get requests > "$WORK/requests-$id.json" || n8n_env_die "GET /__fake/requests"
}

n8n_env_log "run the examples headless"
run_workflow icGdprExFind0001 "find a data subject by email"
check find "$LOGS/execute-icGdprExFind0001.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExFind0001.json" "$FAKE_TOKEN" ||
  { tail -60 "$LOGS/execute-icGdprExFind0001.out" >&2; n8n_env_die "find by email"; }
run_workflow icGdprExFindMany "look up a list of requesters"
check find-many "$LOGS/execute-icGdprExFindMany.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExFindMany.json" "$FAKE_TOKEN" ||
  { tail -60 "$LOGS/execute-icGdprExFindMany.out" >&2; n8n_env_die "look up a list of requesters"; }
run_workflow icGdprExDsar0001 "export a data subject (DSAR) by email"
check dsar "$LOGS/execute-icGdprExDsar0001.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExDsar0001.json" "$FAKE_TOKEN" ||
  { tail -60 "$LOGS/execute-icGdprExDsar0001.out" >&2; n8n_env_die "DSAR export by email"; }
run_workflow icGdprExPiiRedac "PII Redact on a DSAR-like item"
check pii-redact "$LOGS/execute-icGdprExPiiRedac.out" ||
  { tail -60 "$LOGS/execute-icGdprExPiiRedac.out" >&2; n8n_env_die "PII Redact on a DSAR-like item"; }
run_workflow icGdprExBulkWait "bulk export: start and wait, rows as items"
check bulk-export "$LOGS/execute-icGdprExBulkWait.out" "$WORK/requests-icGdprExBulkWait.json" "$FAKE_TOKEN" "$FAKE_URL" ||
  { tail -60 "$LOGS/execute-icGdprExBulkWait.out" >&2; n8n_env_die "bulk export, start and wait"; }

# Erasure mutates the fake, so it runs after the read-only examples, on a freshly reset fake, and the
# fake is reset again afterwards. Ledger example before (nothing recorded) and after (the erasure).
run_workflow icGdprExLedger01 "ledger: verify + search (before the erasure)"
check ledger "$LOGS/execute-icGdprExLedger01.out" before ||
  { tail -60 "$LOGS/execute-icGdprExLedger01.out" >&2; n8n_env_die "ledger verify + search (before)"; }
curl -sf -X POST "$FAKE_URL/__fake/reset" > /dev/null || n8n_env_die "POST /__fake/reset"
run_workflow icGdprExErase001 "erase a data subject"
check erase "$LOGS/execute-icGdprExErase001.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExErase001.json" "$FAKE_TOKEN" ||
  { tail -60 "$LOGS/execute-icGdprExErase001.out" >&2; n8n_env_die "erase a data subject"; }
# Issue 10: the same run's receipt per type (tickets, sole and shared conversations, redacted parts).
(cd "$REPO" && node --import tsx test/e2e/check-erasure.ts "$LOGS/execute-icGdprExErase001.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExErase001.json") ||
  { tail -60 "$LOGS/execute-icGdprExErase001.out" >&2; n8n_env_die "erase receipt per type"; }
run_workflow icGdprExLedger01 "ledger: verify + search (after the erasure)"
check ledger "$LOGS/execute-icGdprExLedger01.out" after ||
  { tail -60 "$LOGS/execute-icGdprExLedger01.out" >&2; n8n_env_die "ledger verify + search (after)"; }
[ -f "$N8N_USER_FOLDER/.n8n/intercom-gdpr-ledger.sqlite" ] ||
  n8n_env_die "the ledger is not at its default path $N8N_USER_FOLDER/.n8n/intercom-gdpr-ledger.sqlite"
curl -sf -X POST "$FAKE_URL/__fake/reset" > /dev/null || n8n_env_die "POST /__fake/reset"
# Retention enforce deletes contacts: on a freshly reset fake, which is reset again afterwards.
run_workflow icGdprExRetent01 "retention: preview then enforce"
check retention "$LOGS/execute-icGdprExRetent01.out" "$WORK/fixtures.json" "$WORK/requests-icGdprExRetent01.json" "$FAKE_TOKEN" ||
  { tail -60 "$LOGS/execute-icGdprExRetent01.out" >&2; n8n_env_die "retention preview + enforce"; }
run_workflow icGdprExIntake01 "request intake: track a request, list what is due"
check request-intake "$LOGS/execute-icGdprExIntake01.out" ||
  { tail -60 "$LOGS/execute-icGdprExIntake01.out" >&2; n8n_env_die "request intake"; }
curl -sf -X POST "$FAKE_URL/__fake/reset" > /dev/null || n8n_env_die "POST /__fake/reset"

n8n_env_log "n8n start: credential test through the REST API (as the editor's Test button), node panel"
fake_clear_log
start_n8n() {
  n8n_env_spawn "$LOGS/n8n-start.log" n8n start
  n8n_env_wait_ready "$N8N_ENV_LAST_PID" "$LOGS/n8n-start.log"
}
timed "n8n start -> /healthz/readiness" start_n8n

API=http://127.0.0.1:$N8N_PORT/rest
JAR=$WORK/cookies.txt
H=(-H 'content-type: application/json' -H 'browser-id: e2e-browser')
rest() { # rest METHOD PATH [BODY] > response; fails on HTTP >= 400
  curl -sS --fail-with-body -b "$JAR" -c "$JAR" "${H[@]}" -X "$1" "$API$2" ${3:+-d "$3"}
}
rest POST /owner/setup '{"email":"e2e@example.com","firstName":"E2E","lastName":"Owner","password":"E2eSecret123"}' \
  > "$LOGS/owner-setup.json" || { cat "$LOGS/owner-setup.json" >&2; n8n_env_die "POST /rest/owner/setup"; }
rest POST /login '{"emailOrLdapLoginId":"e2e@example.com","password":"E2eSecret123"}' \
  > "$LOGS/login.json" || { cat "$LOGS/login.json" >&2; n8n_env_die "POST /rest/login"; }
# What the editor does: load the stored credential (secrets come back redacted) and send it to
# /credentials/test, where n8n puts the stored secret back in and runs the credential's `test`.
rest GET "/credentials/icGdprSandboxCrd?includeData=true" > "$WORK/credential.json" ||
  { cat "$WORK/credential.json" >&2; n8n_env_die "GET /rest/credentials/icGdprSandboxCrd"; }
node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).data;
  const body = (data) => JSON.stringify({ credentials: { id: c.id, name: c.name, type: c.type, data } });
  require("fs").writeFileSync(process.argv[2], body(c.data));
  require("fs").writeFileSync(process.argv[3], body({ ...c.data, accessToken: "not-the-right-token" }));
' "$WORK/credential.json" "$WORK/test-ok.body.json" "$WORK/test-bad.body.json"
timed "REST credential test (right token)" rest POST /credentials/test "@$WORK/test-ok.body.json" > "$WORK/test-ok.json" ||
  { cat "$WORK/test-ok.json" >&2; n8n_env_die "POST /rest/credentials/test"; }
rest POST /credentials/test "@$WORK/test-bad.body.json" > "$WORK/test-bad.json" ||
  { cat "$WORK/test-bad.json" >&2; n8n_env_die "POST /rest/credentials/test (wrong token)"; }
fake_get requests > "$WORK/requests-credential-test.json" || n8n_env_die "GET /__fake/requests"
check credential-test "$WORK/test-ok.json" "$WORK/test-bad.json" "$WORK/requests-credential-test.json" "$FAKE_TOKEN" ||
  { tail -30 "$LOGS/n8n-start.log" >&2; n8n_env_die "credential test"; }
# The GDPR Ledger credential is tested by the node (testedBy → methods.credentialTest): right key, wrong key.
rest GET "/credentials/icGdprLedgerCrd1?includeData=true" > "$WORK/ledger-credential.json" ||
  { cat "$WORK/ledger-credential.json" >&2; n8n_env_die "GET /rest/credentials/icGdprLedgerCrd1"; }
node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).data;
  const body = (data) => JSON.stringify({ credentials: { id: c.id, name: c.name, type: c.type, data } });
  require("fs").writeFileSync(process.argv[2], body(c.data));
  require("fs").writeFileSync(process.argv[3], body({ ...c.data, secretKey: "not-the-key-of-this-ledger" }));
' "$WORK/ledger-credential.json" "$WORK/ledger-test-ok.body.json" "$WORK/ledger-test-bad.body.json"
rest POST /credentials/test "@$WORK/ledger-test-ok.body.json" > "$WORK/ledger-test-ok.json" ||
  { cat "$WORK/ledger-test-ok.json" >&2; n8n_env_die "POST /rest/credentials/test (ledger)"; }
rest POST /credentials/test "@$WORK/ledger-test-bad.body.json" > "$WORK/ledger-test-bad.json" ||
  { cat "$WORK/ledger-test-bad.json" >&2; n8n_env_die "POST /rest/credentials/test (ledger, wrong key)"; }
check ledger-credential-test "$WORK/ledger-test-ok.json" "$WORK/ledger-test-bad.json" || n8n_env_die "ledger credential test"

# The editor's node panel is built from these: our node and credential must be in them.
curl -sf -b "$JAR" "http://127.0.0.1:$N8N_PORT/types/nodes.json" > "$WORK/types-nodes.json" || n8n_env_die "GET /types/nodes.json"
curl -sf -b "$JAR" "http://127.0.0.1:$N8N_PORT/types/credentials.json" > "$WORK/types-credentials.json" ||
  n8n_env_die "GET /types/credentials.json"
check panel "$WORK/types-nodes.json" "$WORK/types-credentials.json" || n8n_env_die "node panel"

timed "stop n8n and the fake (SIGTERM)" n8n_env_cleanup
