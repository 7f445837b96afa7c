// The npm registry mirror this project is built against lacks the other platforms' builds of
// `unrs-resolver` (a lint-only dependency of n8n's ESLint config): `npm install` then writes a
// lockfile without them, and `npm ci` refuses that lockfile ("Missing: @unrs/resolver-binding-… from
// lock file"). This adds lock entries for every missing optional platform binding, restricted by
// os/cpu, so `npm ci` skips them on every machine. Run it after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
const platform = (name) => {
	const m = /resolver-binding-([a-z]+)-([a-z0-9]+)/.exec(name);
	if (!m) return {};
	const os = m[1] === 'win32' ? 'win32' : m[1];
	return os === 'wasm32' ? { cpu: ['wasm32'] } : { os: [os], cpu: [m[2]] };
};
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
	for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
		const at = `node_modules/${dep}`;
		if (pkgs[at] || pkgs[`${path}/node_modules/${dep}`]) continue;
		pkgs[at] = { version, dev: meta.dev, optional: true, ...platform(dep) };
		added++;
	}
}
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);
