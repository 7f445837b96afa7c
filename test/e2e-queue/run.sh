#!/usr/bin/env bash
# Queue-mode e2e in real n8n (`npm run test:e2e:queue`): installs n8n 2.41.1 into the cache when
# missing (as the e2e does), builds and installs our package into a throwaway n8n user folder shared
# by the main and the two workers, then hands over to test/e2e-queue/queue.ts, which starts
# PostgreSQL, Redis (Debian's redis-server), the fake Intercom, `n8n start` and two `n8n worker`s and
# asserts. The same setup runs the other real-n8n checks of this folder's neighbours:
#   run.sh bench  the queue bench (test/bench/queue-cluster.ts, `npm run bench queue`)
#   run.sh chain  the chaining e2e (test/chain/chain.ts: Send Email → SMTP, Jira Software → fake Jira)
#   run.sh purge  the purge e2e (test/purge/purge.ts: n8n Execution → Purge against n8n's public API)
#
# Env: N8N_E2E_CACHE (install cache, default ~/.cache/n8n-intercom-gdpr), E2E_KEEP=1 (keep the work dir).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/intercom-gdpr-queue-pkg.XXXXXX")
LOGS=$WORK/logs
mkdir -p "$LOGS"
# shellcheck source=scripts/n8n-env.sh
source "$REPO/scripts/n8n-env.sh"

on_exit() {
  local rc=$?
  n8n_env_cleanup
  if [ $rc = 0 ] && [ "${E2E_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "package work dir kept in $WORK" >&2; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v redis-server > /dev/null ||
  n8n_env_die "redis-server not found: install Debian's redis-server (apt-get install -y redis-server); .ci/run does"
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || [ -n "${PG_BIN_DIR:-}" ] ||
  n8n_env_die "PostgreSQL server binaries not found: apt-get install -y postgresql (or set PG_BIN_DIR)"

n8n_env_log "n8n (cache: $N8N_ENV_CACHE)"
n8n_env_ensure_n8n
echo "n8n $(node -p "require('$N8N_HOME_DIR/node_modules/n8n/package.json').version") on node $(node -v)" >&2

# One user folder for main and workers: the package installed there is loaded by all three.
n8n_env_configure "$WORK/home" "queue-e2e-not-secret-encryption-key-0123456789" "$(n8n_env_free_port)" "$(n8n_env_free_port)"
n8n_env_log "build, pack and install our package into $N8N_USER_FOLDER/.n8n/nodes"
n8n_env_install_package "$WORK" "$LOGS"

cd "$REPO"
case "${1:-queue}" in
  queue) node --import tsx test/e2e-queue/queue.ts ;;
  bench) node --import tsx test/bench/queue-cluster.ts ;;
  chain) node --import tsx test/chain/chain.ts ;;
  purge) node --import tsx test/purge/purge.ts ;;
  *) n8n_env_die "unknown mode ${1}: queue, bench, chain or purge" ;;
esac
