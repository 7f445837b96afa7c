import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Our nodes are CommonJS and n8n loads them with require(), so tests resolve n8n-workflow the same
// way (its CJS build), instead of vite transforming its ESM build file by file.
const require = createRequire(import.meta.url);
const n8nWorkflowCjs = require.resolve('n8n-workflow');

// Two projects: `unit` (npm test: src/, nodes, the fake server itself) and `conformance`
// (npm run test:conformance: the fake's responses against Intercom's OpenAPI descriptions).
export default defineConfig({
	resolve: { alias: [{ find: /^n8n-workflow$/, replacement: n8nWorkflowCjs }] },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['test/**/*.test.ts'],
					exclude: ['test/conformance/**', 'test/e2e/**'],
					testTimeout: 30_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'conformance',
					include: ['test/conformance/**/*.test.ts'],
					// Without ../shared/intercom-openapi: one line saying where the specs are expected.
					globalSetup: ['test/conformance/specs-present.ts'],
					testTimeout: 120_000,
				},
			},
		],
	},
});
