import { describe, expect, it } from 'vitest';
import { runCli } from './cli';

describe('cli.ts', () => {
	it('prints exactly one JSON line with url and token and serves on it', async () => {
		const lines: string[] = [];
		const fake = await runCli(['--seed', '2', '--token', 'cli-token'], (l) => lines.push(l));
		try {
			expect(lines).toHaveLength(1);
			expect(lines[0].endsWith('\n')).toBe(true);
			const info = JSON.parse(lines[0]) as { url: string; token: string };
			expect(info).toEqual({ url: fake.url, token: 'cli-token' });
			expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect((await fetch(`${info.url}/me`, { headers: { authorization: 'Bearer cli-token' } })).status).toBe(200);
			expect(fake.workspace.seed).toBe(2);
		} finally {
			await fake.close();
		}
	});

	it('rejects a non-numeric port', async () => {
		await expect(runCli(['--port', 'abc'], () => undefined)).rejects.toThrow('--port');
	});
});
