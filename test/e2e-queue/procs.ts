// Processes of the queue-mode run: each in its own process group (so stopping it also stops the task
// runner n8n spawns), output to a log file, stopped with SIGTERM then SIGKILL. Plus Redis and waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export interface Proc {
	name: string;
	log: string;
	child: ChildProcess;
	exited: Promise<number | null>;
	exitCode(): number | null | undefined;
	stop(): Promise<void>;
}

const started: Proc[] = [];

export function spawnLogged(name: string, logDir: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Proc {
	const log = join(logDir, `${name}.log`);
	const fd = openSync(log, 'w');
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: starts n8n, Redis
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] });
	closeSync(fd);
	let code: number | null | undefined;
	const exited = new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve((code = c ?? (signal ? 128 : null)))));
	const proc: Proc = {
		name,
		log,
		child,
		exited,
		exitCode: () => code,
		async stop() {
			if (code !== undefined || child.pid === undefined) return;
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				return;
			}
			const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
			if (!killed) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
				await exited;
			}
		},
	};
	started.push(proc);
	return proc;
}

/** Stops every process started here, newest first. */
export async function stopAll(): Promise<void> {
	for (const p of started.reverse()) await p.stop();
	started.length = 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function readLog(p: Proc): string {
	try {
		return readFileSync(p.log, 'utf8');
	} catch {
		return '';
	}
}

export function tail(p: Proc, lines = 40): string {
	return readLog(p).split('\n').slice(-lines).join('\n');
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
		});
	});
}

/** Polls `check` every 250 ms until it returns a value; fails with `what` and the log tail of `watch`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, watch?: Proc): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v !== undefined) return v;
		if (watch && watch.exitCode() !== undefined) throw new Error(`${what}: ${watch.name} exited with ${watch.exitCode()}\n${tail(watch)}`);
		if (Date.now() > until) throw new Error(`${what}: not after ${timeoutMs / 1000} s${watch ? `\n${tail(watch)}` : ''}`);
		await sleep(250);
	}
}

/** One RESP command to Redis; resolves with the raw reply. */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const s = connect(port, '127.0.0.1');
		let out = '';
		s.on('connect', () => s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
		s.on('data', (d) => {
			out += d.toString();
			if (out.endsWith('\r\n')) {
				s.end();
				resolve(out.trim());
			}
		});
		s.on('error', reject);
	});
}

/** Debian's redis-server on a free port, data in `dir`, no persistence. */
export async function startRedis(dir: string, logDir: string): Promise<{ port: number; proc: Proc }> {
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const proc = spawnLogged('redis', logDir, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], process.env);
	proc.child.on('error', () => undefined);
	await waitFor('redis-server answers PING', 20_000, async () => ((await redisCommand(port, 'PING').catch(() => '')) === '+PONG' ? true : undefined), proc);
	return { port, proc };
}
