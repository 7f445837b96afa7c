#!/usr/bin/env bash
# The access-request example end to end in real n8n 2.41.1 with a real SMTP server on 127.0.0.1:
# form → acknowledgement email → verification email → resume link → review email → approve → link and
# passphrase emails → one download through n8n's webhook, decrypted with 7-Zip and checked against
# manifest.json → second download refused (410) → every step in the ledger. Then the review example:
# Export for Review → the Wait form answered over HTTP → Send Email → the ZIP in the mail is the
# ledger's package (sha256) and opens.
#   bash test/e2e-requests/run.sh        (E2E_KEEP=1 keeps the work dir)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercom-gdpr-e2e-requests.XXXXXX")
LOGS=$WORK/logs
mkdir -p "$LOGS" "$WORK/import/workflows" "$WORK/mail"
export N8N_ENV_TIMINGS=$WORK/timings.tsv
# shellcheck source=scripts/n8n-env.sh
source "$REPO/scripts/n8n-env.sh"

on_exit() {
  local rc=$?
  n8n_env_cleanup
  n8n_env_print_timings
  if [ $rc = 0 ] && [ "${E2E_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; printf '\nREQUESTS E2E OK\n' >&2
  else printf '\nREQUESTS E2E %s; logs kept in %s\n' "$([ $rc = 0 ] && echo OK || echo FAILED)" "$WORK" >&2; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LEDGER_KEY=e2e-ledger-secret-key-0123456789
timed "n8n install (cached)" n8n_env_ensure_n8n
timed "start the fake Intercom" n8n_env_start_fake "$LOGS/fake-intercom.log" --port 0
curl -sf "$FAKE_URL/__fake/fixtures" > "$WORK/fixtures.json" || n8n_env_die "GET /__fake/fixtures"

# The SMTP sink.
here=$PWD; cd "$REPO"
n8n_env_spawn "$LOGS/smtp.log" node --import tsx test/e2e-requests/smtp-sink.ts "$WORK/mail"
cd "$here"
for i in $(seq 1 120); do grep -q '"port"' "$LOGS/smtp.log" 2>/dev/null && break; sleep 0.25; done
SMTP_PORT=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n").find(l=>l.includes("port"))).port' "$LOGS/smtp.log") ||
  { cat "$LOGS/smtp.log" >&2; n8n_env_die "SMTP sink"; }
echo "SMTP sink on 127.0.0.1:$SMTP_PORT" >&2

HTTP_PORT=$(n8n_env_free_port)
BROKER_PORT=$(n8n_env_free_port)
while [ "$BROKER_PORT" = "$HTTP_PORT" ]; do BROKER_PORT=$(n8n_env_free_port); done
n8n_env_configure "$WORK/home" "e2e-not-secret-encryption-key-0123456789" "$HTTP_PORT" "$BROKER_PORT"
export N8N_WEBHOOK_URL="http://127.0.0.1:$HTTP_PORT/"
# n8n 2.41 activates published workflows through its publication service by default, which does not
# pick up `publish:workflow` from the CLI: activate them at startup as a single main instance does.
export N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false
n8n_env_install_package "$WORK" "$LOGS"

n8n_env_write_credential "$WORK/import/credentials.json" icGdprSandboxCrd "Intercom GDPR (sandbox)"
node -e '
  const [file, key, smtpPort] = process.argv.slice(1);
  const creds = JSON.parse(require("fs").readFileSync(file, "utf8"));
  creds.push({ id: "icGdprLedgerCrd1", name: "GDPR Ledger (sandbox)", type: "gdprLedger", data: { backend: "sqlite", sqlitePath: "", secretKey: key } });
  creds.push({ id: "icGdprSmtpCred01", name: "SMTP (privacy mailbox)", type: "smtp",
    data: { user: "", password: "", host: "127.0.0.1", port: Number(smtpPort), secure: false, disableStartTls: true } });
  require("fs").writeFileSync(file, JSON.stringify(creds, null, 2));
' "$WORK/import/credentials.json" "$LEDGER_KEY" "$SMTP_PORT"
(cd "$REPO" && node --import tsx test/e2e-requests/workflows.ts "$WORK/import/workflows" "$HTTP_PORT") || n8n_env_die "writing the workflows"
n8n_cli "$LOGS/import-credentials.log" "n8n import:credentials" import:credentials --input="$WORK/import/credentials.json"
n8n_cli "$LOGS/import-workflows.log" "n8n import:workflow" import:workflow --separate --input="$WORK/import/workflows"
n8n_cli "$LOGS/publish-access.log" "n8n publish:workflow (access)" publish:workflow --id=icGdprExAccess01
n8n_cli "$LOGS/publish-download.log" "n8n publish:workflow (download)" publish:workflow --id=icGdprExDownld01
n8n_cli "$LOGS/publish-review.log" "n8n publish:workflow (review)" publish:workflow --id=icGdprExDsarRev1

start_n8n() { n8n_env_spawn "$LOGS/n8n-start.log" n8n start; n8n_env_wait_ready "$N8N_ENV_LAST_PID" "$LOGS/n8n-start.log"; }
timed "n8n start -> /healthz/readiness" start_n8n

drive() {
  (cd "$REPO" && node --import tsx test/e2e-requests/drive.ts "$HTTP_PORT" "$WORK/mail" "$WORK" "$WORK/fixtures.json" \
    "$N8N_USER_FOLDER/.n8n/intercom-gdpr-ledger.sqlite" "$LEDGER_KEY")
}
timed "access request, form to single download" drive || { tail -60 "$LOGS/n8n-start.log" >&2; ls "$WORK/mail" >&2; n8n_env_die "access request e2e"; }
drive_review() {
  (cd "$REPO" && node --import tsx test/e2e-requests/drive-review.ts "$HTTP_PORT" "$WORK/mail" "$WORK" "$WORK/fixtures.json" \
    "$N8N_USER_FOLDER/.n8n/intercom-gdpr-ledger.sqlite" "$LEDGER_KEY")
}
timed "review example: export, form, send email" drive_review || { tail -60 "$LOGS/n8n-start.log" >&2; n8n_env_die "review e2e"; }
timed "stop n8n, the fake and the SMTP sink" n8n_env_cleanup
