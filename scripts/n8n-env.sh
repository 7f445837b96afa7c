# Sourced (not run) by test/e2e/run.sh and scripts/start.sh: everything needed to run the real n8n
# with our package loaded and the fake Intercom behind it. Only functions and variables; the caller
# decides the flow and sets `trap n8n_env_cleanup EXIT`.
#
# Recipe and its traps: ../shared/reference/n8n-e2e-recipe.md when the project notes are beside the
# clone; otherwise test/e2e/README.md and the comments here.

N8N_ENV_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N8N_ENV_CACHE=${N8N_E2E_CACHE:-$HOME/.cache/n8n-intercom-gdpr}
N8N_ENV_PGIDS=()           # process groups we started; n8n_env_cleanup stops them
N8N_ENV_TIMINGS=${N8N_ENV_TIMINGS:-}   # file the `timed` helper appends "label<TAB>seconds" to

# shellcheck source=scripts/node24.sh
source "$N8N_ENV_REPO/scripts/node24.sh"

n8n_env_log() { printf '\n== %s\n' "$*" >&2; }
n8n_env_die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
n8n_env_now() { date +%s.%N; }

# timed LABEL CMD...: runs CMD, appends its duration to $N8N_ENV_TIMINGS, keeps CMD's exit code.
timed() {
  local label=$1 t0 rc=0
  shift
  t0=$(n8n_env_now)
  "$@" || rc=$?
  if [ -n "$N8N_ENV_TIMINGS" ]; then
    awk -v l="$label" -v a="$t0" -v b="$(n8n_env_now)" 'BEGIN { printf "%s\t%.1f\n", l, b - a }' >> "$N8N_ENV_TIMINGS"
  fi
  return $rc
}

n8n_env_print_timings() {
  [ -n "$N8N_ENV_TIMINGS" ] && [ -f "$N8N_ENV_TIMINGS" ] || return 0
  printf '\n== timings (s)\n' >&2
  awk -F'\t' '{ printf "  %-48s %6s\n", $1, $2 }' "$N8N_ENV_TIMINGS" >&2
}

# A free TCP port on 127.0.0.1 (another process could take it before we bind; fine for tests).
n8n_env_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

n8n_env_port_busy() { node -e "const s=require('net').connect($1,'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))"; }

# Starts CMD... in its own process group (so stopping it also stops the task runners and
# compilers it spawns), stdout+stderr to LOGFILE. Sets N8N_ENV_LAST_PID.
n8n_env_spawn() {
  local logfile=$1
  shift
  : > "$logfile"   # now, not in the child: callers poll this file and must not see an old run's lines
  # Without job control a background job is not a group leader, so setsid runs CMD directly
  # (no fork): $! is CMD's pid and also its process-group id.
  setsid "$@" > "$logfile" 2>&1 < /dev/null &
  N8N_ENV_LAST_PID=$!
  N8N_ENV_PGIDS+=("$N8N_ENV_LAST_PID")
}

# Stops every process group we started: SIGTERM, up to 10 s grace, then SIGKILL.
n8n_env_cleanup() {
  local pgid i
  for pgid in "${N8N_ENV_PGIDS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for i in $(seq 1 40); do
    local alive=0
    for pgid in "${N8N_ENV_PGIDS[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.25
  done
  for pgid in "${N8N_ENV_PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  N8N_ENV_PGIDS=()
}

# Installs n8n into the cache (no-op when there) and puts its bin on PATH. Sets N8N_HOME_DIR.
n8n_env_ensure_n8n() {
  N8N_HOME_DIR=$(bash "$N8N_ENV_REPO/scripts/n8n-install.sh" | tail -1) || n8n_env_die "n8n install"
  export PATH="$N8N_HOME_DIR/node_modules/.bin:$PATH"
}

# n8n_env_configure USER_FOLDER ENCRYPTION_KEY HTTP_PORT BROKER_PORT
# The key must be set before the first n8n command on a user folder, or n8n generates its own and
# later refuses ours ("Mismatching encryption keys").
n8n_env_configure() {
  export N8N_USER_FOLDER=$1
  export N8N_ENCRYPTION_KEY=$2
  export N8N_PORT=$3
  export N8N_RUNNERS_BROKER_PORT=$4   # must differ between n8n processes running at the same time
  export N8N_LISTEN_ADDRESS=127.0.0.1
  export N8N_HOST=127.0.0.1
  export N8N_DIAGNOSTICS_ENABLED=false
  export N8N_VERSION_NOTIFICATIONS_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false
  export N8N_PERSONALIZATION_ENABLED=false
  export N8N_HIRING_BANNER_ENABLED=false
  export N8N_DISABLED_MODULES=mcp-registry   # else it polls api.n8n.io and logs stack traces offline
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
  export N8N_SECURE_COOKIE=false             # plain-http login on 127.0.0.1
  export N8N_LOG_LEVEL=info                  # `n8n execute` prints its result through the logger at info
  unset N8N_CUSTOM_EXTENSIONS N8N_LOG_OUTPUT 2>/dev/null || true
  mkdir -p "$N8N_USER_FOLDER/.n8n/nodes"
}

# n8n_env_install_package WORK_DIR LOG_DIR: builds our package, packs it and installs the tarball
# into $N8N_USER_FOLDER/.n8n/nodes exactly as n8n's community-package installer does
# (--omit=peer: n8n-workflow comes from n8n itself; --ignore-scripts).
n8n_env_install_package() {
  local work=$1 logs=$2 nodes=$N8N_USER_FOLDER/.n8n/nodes tgz rc=0 lock
  # The build starts with `rm -rf dist`: runs in the same clone (several e2e runs, npm start) take
  # turns at build + pack, or one would pack the half-built dist/ of another.
  mkdir -p "$N8N_ENV_CACHE"
  lock=$N8N_ENV_CACHE/.build-$(printf %s "$N8N_ENV_REPO" | sha1sum | cut -c1-12).lock
  tgz=$(
    exec 8> "$lock"
    flock 8
    cd "$N8N_ENV_REPO" || exit 3
    timed "npm run build" npm run build > "$logs/build.log" 2>&1 || exit 4
    npm pack --pack-destination "$work" 2> "$logs/pack.log" | tail -1
  ) || rc=$?
  [ $rc = 4 ] && { tail -30 "$logs/build.log" >&2; n8n_env_die "npm run build"; }
  [ $rc = 0 ] || { tail -30 "$logs/pack.log" >&2; n8n_env_die "npm pack"; }
  [ -f "$work/$tgz" ] || n8n_env_die "npm pack produced no tarball"
  [ -f "$nodes/package.json" ] || echo '{ "name": "installed-nodes", "private": true }' > "$nodes/package.json"
  # A same-version tarball could be taken as already installed: remove the old copy first.
  rm -rf "$nodes/node_modules/n8n-nodes-intercom-gdpr"
  (cd "$nodes" && timed "install package into .n8n/nodes" \
    npm i "$work/$tgz" --omit=peer --ignore-scripts --no-audit --no-fund --prefer-offline > "$logs/nodes-install.log" 2>&1) ||
    { tail -30 "$logs/nodes-install.log" >&2; n8n_env_die "installing the package into $nodes"; }
}

# n8n_env_start_fake LOGFILE [cli args...]: starts the fake Intercom (test/fake-intercom/cli.ts) and
# waits for its one JSON line. Sets FAKE_URL, FAKE_TOKEN, FAKE_PID.
n8n_env_start_fake() {
  local logfile=$1 line i
  shift
  # node --import tsx: one process, so signals reach the server directly (npx would add two wrappers).
  # `--import tsx` resolves from the working directory: start it from the repo root.
  local here=$PWD
  cd "$N8N_ENV_REPO"
  n8n_env_spawn "$logfile" node --import tsx test/fake-intercom/cli.ts "$@"
  cd "$here"
  FAKE_PID=$N8N_ENV_LAST_PID
  for i in $(seq 1 120); do
    line=$(grep -m1 '^{.*"url"' "$logfile" 2>/dev/null || true)
    [ -n "$line" ] && break
    kill -0 "$FAKE_PID" 2>/dev/null || { tail -30 "$logfile" >&2; n8n_env_die "the fake Intercom exited"; }
    sleep 0.25
  done
  [ -n "$line" ] || { tail -30 "$logfile" >&2; n8n_env_die "the fake Intercom printed no URL"; }
  FAKE_URL=$(node -p 'JSON.parse(process.argv[1]).url' "$line")
  FAKE_TOKEN=$(node -p 'JSON.parse(process.argv[1]).token' "$line")
}

# n8n_env_write_credential FILE ID NAME: the credential pointing at the running fake.
n8n_env_write_credential() {
  node -e '
    const [file, id, name, baseUrl, accessToken] = process.argv.slice(1);
    const cred = { id, name, type: "intercomGdprApi",
      data: { accessToken, region: "custom", baseUrl, apiVersion: "2.14" } };
    require("fs").writeFileSync(file, JSON.stringify([cred], null, 2));
  ' "$1" "$2" "$3" "$FAKE_URL" "$FAKE_TOKEN"
}

# n8n_cli LOGFILE LABEL n8n-args...: one n8n CLI command, timed, log tail on failure.
n8n_cli() {
  local logfile=$1 label=$2
  shift 2
  timed "$label" n8n "$@" > "$logfile" 2>&1 || { tail -40 "$logfile" >&2; n8n_env_die "n8n $1 (log: $logfile)"; }
}

# n8n_env_wait_ready PID LOGFILE: waits for /healthz/readiness of `n8n start`.
n8n_env_wait_ready() {
  local pid=$1 logfile=$2 i
  for i in $(seq 1 480); do
    kill -0 "$pid" 2>/dev/null || { tail -40 "$logfile" >&2; n8n_env_die "n8n start exited (log: $logfile)"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$N8N_PORT/healthz/readiness" || true)" = 200 ] && return 0
    sleep 0.25
  done
  tail -40 "$logfile" >&2
  n8n_env_die "n8n was not ready after 120 s (log: $logfile)"
}
