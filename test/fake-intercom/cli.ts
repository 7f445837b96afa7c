// Starts the fake Intercom for other processes (n8n e2e, `npm start`) and prints one JSON line:
// {"url":"http://127.0.0.1:N","token":"..."}. Runs until SIGINT/SIGTERM.
//   npx tsx test/fake-intercom/cli.ts [--port N] [--seed N] [--token T]

import { startFakeIntercom, type FakeIntercom } from './index';

function arg(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 ? argv[i + 1] : undefined;
}

/** Parse the flags, start the server and print the JSON line (exported so tests need no child process). */
export async function runCli(argv: string[], write: (line: string) => void): Promise<FakeIntercom> {
	const port = arg(argv, 'port');
	const seed = arg(argv, 'seed');
	if (port !== undefined && !/^\d+$/.test(port)) throw new Error('--port must be a number');
	if (seed !== undefined && !/^\d+$/.test(seed)) throw new Error('--seed must be a number');
	const fake = await startFakeIntercom({
		port: port ? Number(port) : 0,
		seed: seed ? Number(seed) : undefined,
		token: arg(argv, 'token'),
	});
	write(JSON.stringify({ url: fake.url, token: fake.token }) + '\n');
	return fake;
}

if (require.main === module) {
	runCli(process.argv.slice(2), (line) => process.stdout.write(line))
		.then((fake) => {
			const stop = (): void => {
				void fake.close().then(() => process.exit(0));
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((e: unknown) => {
			console.error('fake-intercom failed to start:', e instanceof Error ? e.message : e);
			process.exit(1);
		});
}
