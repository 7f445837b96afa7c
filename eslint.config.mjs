// n8n's own lint bar for community nodes (the config `n8n-node lint` uses, in its
// "without n8n Cloud support" flavour), with exactly one rule switched off:
// `no-runtime-dependencies`. This package is for self-hosted n8n and needs runtime
// dependencies (intercom-client, ajv, node-cron, pg) — see ../shared/design.md, "Decisions".
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**'] },
	...configWithoutCloudSupport,
	{
		rules: {
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// Tests, scripts and the fake Intercom server are not shipped and may log to the console.
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
];
