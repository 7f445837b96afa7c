#!/usr/bin/env bash
# Installs the n8n version our e2e tests and `npm start` run against, once, into a cache folder
# OUTSIDE the clone (it is ~3 GB and takes minutes cold). Reused by every later run and clone.
#
#   bash scripts/n8n-install.sh            # prints the n8n install dir on the last line of stdout
#   N8N_E2E_CACHE=/some/dir bash scripts/n8n-install.sh
#
# Safe against a half-finished install: it installs into a temporary folder and renames it into
# place only after the marker file is written, so a killed install is never mistaken for a good one.
# Concurrent callers wait for each other on a lock file.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/node24.sh
source "$REPO_ROOT/scripts/node24.sh"

N8N_VERSION=${N8N_VERSION:-2.41.1}
CACHE=${N8N_E2E_CACHE:-$HOME/.cache/n8n-intercom-gdpr}
DEST=$CACHE/n8n-$N8N_VERSION
MARKER=$DEST/.install-complete
SQLITE_BINARY=node_modules/sqlite3/build/Release/node_sqlite3.node

is_installed() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "n8n@$N8N_VERSION node-abi=$NODE24_ABI" ] &&
    [ -f "$DEST/$SQLITE_BINARY" ] && [ -x "$DEST/node_modules/.bin/n8n" ]
}

mkdir -p "$CACHE"
if is_installed; then echo "$DEST"; exit 0; fi

exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
  echo "n8n-install: another install is running; waiting for it ($CACHE/.install.lock)" >&2
  flock 9
fi
if is_installed; then echo "$DEST"; exit 0; fi

TMP=$(mktemp -d "$CACHE/.n8n-$N8N_VERSION.partial.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LOG=$CACHE/install-n8n-$N8N_VERSION.log
echo "n8n-install: installing n8n@$N8N_VERSION into $DEST (first time only: 3-8 min, ~3 GB; log: $LOG)" >&2
start=$(date +%s)
node24_headers "$CACHE" > /dev/null || { echo "n8n-install: no Node $NODE24_VERSION headers for the sqlite3 build" >&2; exit 1; }
(
  cd "$TMP"
  # linkedom 0.18.15 depends on `cssomnom`, which this registry does not have.
  echo '{ "name": "n8n-host", "private": true, "overrides": { "linkedom": "0.18.14" } }' > package.json
  # --ignore-scripts: kafka and friends try to download prebuilds from GitHub and abort the install.
  # yes=true: ~/.npmrc says yes=false, which would make any npx-style prompt fail without stdin.
  npm_config_yes=true npm i "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund
  # The only native modules n8n needs for our use: sqlite3 (the DB; built from source against the
  # Node 24 headers) and isolated-vm (expression engine; ships a prebuild for Node 24).
  npm rebuild sqlite3 isolated-vm
) > "$LOG" 2>&1 || { tail -40 "$LOG" >&2; echo "n8n-install: FAILED (see $LOG)" >&2; exit 1; }
[ -f "$TMP/$SQLITE_BINARY" ] || { tail -40 "$LOG" >&2; echo "n8n-install: sqlite3 was not built" >&2; exit 1; }

echo "n8n@$N8N_VERSION node-abi=$NODE24_ABI" > "$TMP/.install-complete"
chmod 755 "$TMP"   # mktemp made it private
rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT
echo "n8n-install: done in $(( $(date +%s) - start )) s" >&2
echo "$DEST"
