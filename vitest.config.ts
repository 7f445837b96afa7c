import { defineConfig } from 'vitest/config';

// Two projects: `unit` (npm test: src/, nodes, the fake server itself) and `conformance`
// (npm run test:conformance: the fake's responses against Intercom's OpenAPI descriptions).
export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/**/*.test.ts'],
					exclude: ['test/conformance/**', 'test/e2e/**'],
					testTimeout: 30_000,
				},
			},
			{
				test: {
					name: 'conformance',
					include: ['test/conformance/**/*.test.ts'],
					testTimeout: 120_000,
				},
			},
		],
	},
});
