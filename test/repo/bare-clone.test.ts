// `npm ci && npm test` must pass in a clone without ../shared beside it: only the conformance
// project reads Intercom's OpenAPI descriptions, and without them it says where they are expected.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}

describe('a clone without ../shared', () => {
	it('no unit test or helper it loads reads the OpenAPI descriptions or anything else in ../shared', () => {
		const unitFiles = files(join(root, 'test'))
			.filter((f) => /\.ts$/.test(f))
			.map((f) => relative(root, f))
			.filter((f) => !f.startsWith('test/conformance/') && !f.startsWith('test/e2e/') && !f.startsWith('test/ui/') && f !== 'test/repo/bare-clone.test.ts');
		const offenders = unitFiles.filter((f) => /from '[^']*conformance\/|shared\/(intercom-openapi|reference)/.test(readFileSync(join(root, f), 'utf8')));
		expect(offenders).toEqual([]);
	});

	it('npm run test:conformance says in one line where the descriptions are expected, and fails', () => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: runs our own setup file
		const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./test/conformance/specs-present.ts').default()"], {
			cwd: root,
			env: { ...process.env, INTERCOM_OPENAPI_DIR: '/nonexistent/intercom-openapi' },
			encoding: 'utf8',
		});
		expect(run.status).toBe(1);
		const lines = run.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^test:conformance: Intercom's OpenAPI descriptions .* are expected in \/nonexistent\/intercom-openapi \(\.\.\/shared\/intercom-openapi beside the clone, or set INTERCOM_OPENAPI_DIR\)/);
	});
});
