// vitest globalSetup of the `conformance` project: without Intercom's OpenAPI descriptions every
// test would fail with a raw ENOENT; say once, in one line, where they are expected, and stop.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SPEC_DIR, SPEC_FILES } from './openapi';

export default function setup(): void {
	const missing = SPEC_FILES.filter((f) => !existsSync(join(SPEC_DIR, f)));
	if (missing.length === 0) return;
	process.stderr.write(
		`test:conformance: Intercom's OpenAPI descriptions (${missing.join(', ')}) are expected in ${resolve(SPEC_DIR)} (../shared/intercom-openapi beside the clone, or set INTERCOM_OPENAPI_DIR); nothing was checked.\n`,
	);
	process.exit(1);
}
